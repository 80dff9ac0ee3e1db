package dev.clgrad.cpu;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.FusedGraph;

import java.util.List;

/**
 * Writes the class of a {@link FusedLoops.Loop} for one graph structure:
 *
 * <pre>{@code
 * public void run(Object[] arrays, double[] constants, int i, int to) {
 *     float[] a0 = (float[]) arrays[0]; ...          // full leaves and stores
 *     float c3 = (float) constants[3]; ...           // scalars and one-value operands
 *     for (; i < to; i++) {
 *         float l0 = a0[i]; ...                      // every full leaf, before any store
 *         float v3 = l0 + c3; ...                    // each full step, in order
 *         s5[i] = v5; ...                            // each store
 *     }
 * }
 * }</pre>
 *
 * with {@code double} for FLOAT64. Each op is the expression of its row loop.
 */
final class FusedLoopWriter {
    private static final int ARRAYS = 1;
    private static final int CONSTANTS = 2;
    private static final int INDEX = 3;
    private static final int TO = 4;

    private final FusedGraph g;
    private final boolean f32;
    private final int width;
    private final ClassBytes cls = new ClassBytes();
    private final ClassBytes.Code code = new ClassBytes.Code();
    private int nextLocal = 5;

    private FusedLoopWriter(FusedGraph g) {
        this.g = g;
        this.f32 = g.type() == ElementType.FLOAT32;
        this.width = f32 ? 1 : 2;
    }

    /** The class file of {@code g}'s loop, named {@code name}, implementing {@code iface}. */
    static byte[] write(FusedGraph g, String name, String iface) {
        return new FusedLoopWriter(g).write(name, iface);
    }

    private byte[] write(String name, String iface) {
        List<FusedGraph.Step> steps = g.steps();
        int nl = g.leaves().size();
        int ns = steps.size();
        int[] leafArray = new int[nl];
        int[] leafValue = new int[nl];
        int[] storeArray = new int[ns];
        int[] constant = new int[ns];
        int[] value = new int[ns];
        String arrayType = f32 ? "[F" : "[D";
        // arrays and constants once, before the loop
        for (FusedGraph.Step s : steps) {
            for (int o : s.operands()) {
                if (!s.single() && o < 0 && leafArray[-o - 1] == 0 && g.leaves().get(-o - 1).layout().numel() != 1) {
                    leafArray[-o - 1] = loadArray(-o - 1, arrayType);
                    leafValue[-o - 1] = allocate(width);
                }
            }
        }
        for (int k = 0; k < ns; k++) {
            FusedGraph.Step s = steps.get(k);
            if (s.single()) {
                continue;
            }
            if (s.store() != null) {
                storeArray[k] = loadArray(nl + k, arrayType);
            }
            if (usesConstant(s)) {
                constant[k] = allocate(width);
                code.local(ClassBytes.ALOAD, CONSTANTS);
                code.push(k);
                code.op(ClassBytes.DALOAD);
                if (f32) {
                    code.op(ClassBytes.D2F);
                }
                code.local(f32 ? ClassBytes.FSTORE : ClassBytes.DSTORE, constant[k]);
            }
            value[k] = allocate(width);
        }
        int loop = code.position();
        code.local(ClassBytes.ILOAD, INDEX);
        code.local(ClassBytes.ILOAD, TO);
        int exit = code.position();
        code.branch(ClassBytes.IF_ICMPGE, 0);
        for (int j = 0; j < nl; j++) {
            if (leafArray[j] != 0) {
                code.local(ClassBytes.ALOAD, leafArray[j]);
                code.local(ClassBytes.ILOAD, INDEX);
                code.op(f32 ? ClassBytes.FALOAD : ClassBytes.DALOAD);
                code.local(f32 ? ClassBytes.FSTORE : ClassBytes.DSTORE, leafValue[j]);
            }
        }
        for (int k = 0; k < ns; k++) {
            FusedGraph.Step s = steps.get(k);
            if (s.single()) {
                continue;
            }
            step(s, constant[k], value, leafValue);
            code.local(f32 ? ClassBytes.FSTORE : ClassBytes.DSTORE, value[k]);
            if (s.store() != null) {
                code.local(ClassBytes.ALOAD, storeArray[k]);
                code.local(ClassBytes.ILOAD, INDEX);
                load(value[k]);
                code.op(f32 ? ClassBytes.FASTORE : ClassBytes.DASTORE);
            }
        }
        code.op(ClassBytes.IINC);
        code.op(INDEX);
        code.op(1);
        code.branch(ClassBytes.GOTO, loop);
        code.patch(exit, code.position());
        code.op(ClassBytes.RETURN);
        code.maxStack = 8;
        code.maxLocals = nextLocal;
        return cls.finish(name, iface, "run", "([Ljava/lang/Object;[DII)V", code);
    }

    private int allocate(int slots) {
        int at = nextLocal;
        nextLocal += slots;
        return at;
    }

    private int loadArray(int index, String arrayType) {
        int slot = allocate(1);
        code.local(ClassBytes.ALOAD, ARRAYS);
        code.push(index);
        code.op(ClassBytes.AALOAD);
        code.op(ClassBytes.CHECKCAST);
        code.u2(cls.type(arrayType));
        code.local(ClassBytes.ASTORE, slot);
        return slot;
    }

    private void load(int slot) {
        code.local(f32 ? ClassBytes.FLOAD : ClassBytes.DLOAD, slot);
    }

    private boolean isOne(int operand) {
        return FusedLoops.isOne(g, operand);
    }

    /** Whether the step reads a constant: a constant step, a scalar op, or a binary op with a one-value side. */
    private boolean usesConstant(FusedGraph.Step s) {
        if (FusedLoops.isConstant(g, s) || s.op().name().endsWith("_SCALAR")) {
            return true;
        }
        for (int o : s.operands()) {
            if (isOne(o)) {
                return true;
            }
        }
        return false;
    }

    /** Pushes the full operand {@code o}'s value of this element. */
    private void operand(int o, int[] value, int[] leafValue) {
        load(o >= 0 ? value[o] : leafValue[-o - 1]);
    }

    /** Pushes the step's value. */
    private void step(FusedGraph.Step s, int constant, int[] value, int[] leafValue) {
        ElementwiseOp op = s.op();
        int[] ops = s.operands();
        if (FusedLoops.isConstant(g, s)) {
            load(constant);
            return;
        }
        if (op.arity() == 2) {
            if (isOne(ops[0]) || isOne(ops[1])) {
                boolean right = isOne(ops[1]);
                ElementwiseOp scalarOp = right ? ElementwiseKernels.withScalarRight(op) : ElementwiseKernels.withScalarLeft(op);
                unary(scalarOp, right ? ops[0] : ops[1], constant, value, leafValue);
                return;
            }
            operand(ops[0], value, leafValue);
            operand(ops[1], value, leafValue);
            switch (op) {
                case ADD -> code.op(f32 ? 0x62 : 0x63);
                case SUB -> code.op(f32 ? 0x66 : 0x67);
                case MUL -> code.op(f32 ? 0x6a : 0x6b);
                case DIV -> code.op(f32 ? 0x6e : 0x6f);
                case MAXIMUM -> math("max", 2);
                case MINIMUM -> math("min", 2);
                default -> throw new IllegalStateException("no loop code for " + op);
            }
            return;
        }
        unary(op, ops[0], constant, value, leafValue);
    }

    /** A unary or scalar op of full operand {@code x}, with the row loops' expressions. */
    private void unary(ElementwiseOp op, int x, int constant, int[] value, int[] leafValue) {
        switch (op) {
            case NEG -> {
                operand(x, value, leafValue);
                code.op(f32 ? 0x76 : 0x77);
            }
            case SQRT -> {
                // (float) Math.sqrt(a[i]) for FLOAT32
                operand(x, value, leafValue);
                if (f32) {
                    code.op(0x8d); // f2d
                }
                code.op(ClassBytes.INVOKESTATIC);
                code.u2(cls.method("java/lang/Math", "sqrt", "(D)D"));
                if (f32) {
                    code.op(ClassBytes.D2F);
                }
            }
            case ABS -> {
                operand(x, value, leafValue);
                math("abs", 1);
            }
            case RELU -> {
                // Math.max(a[i], 0)
                operand(x, value, leafValue);
                code.op(f32 ? ClassBytes.FCONST_0 : ClassBytes.DCONST_0);
                math("max", 2);
            }
            case ADD_SCALAR -> arithmetic(x, constant, false, f32 ? 0x62 : 0x63, value, leafValue);
            case MUL_SCALAR -> arithmetic(x, constant, false, f32 ? 0x6a : 0x6b, value, leafValue);
            case DIV_SCALAR -> arithmetic(x, constant, false, f32 ? 0x6e : 0x6f, value, leafValue);
            case RSUB_SCALAR -> arithmetic(x, constant, true, f32 ? 0x66 : 0x67, value, leafValue);
            case RDIV_SCALAR -> arithmetic(x, constant, true, f32 ? 0x6e : 0x6f, value, leafValue);
            default -> throw new IllegalStateException("no loop code for " + op);
        }
    }

    /** {@code x op s}, or {@code s op x} when {@code constantFirst}. */
    private void arithmetic(int x, int constant, boolean constantFirst, int opcode, int[] value, int[] leafValue) {
        if (constantFirst) {
            load(constant);
            operand(x, value, leafValue);
        } else {
            operand(x, value, leafValue);
            load(constant);
        }
        code.op(opcode);
    }

    private void math(String name, int arity) {
        String t = f32 ? "F" : "D";
        code.op(ClassBytes.INVOKESTATIC);
        code.u2(cls.method("java/lang/Math", name, "(" + t.repeat(arity) + ")" + t));
    }
}
