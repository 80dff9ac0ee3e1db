package dev.clgrad.cpu;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.FusedGraph;
import dev.clgrad.spi.FusionStats;
import dev.clgrad.spi.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fused graphs of plain arithmetic as one generated loop: for each element, every full leaf is
 * read, every step computed into a local and every store written, in one pass. C2 compiles and
 * vectorises such a loop as it would a hand-written one, where {@link CpuFused}'s blocks take one
 * pass over a block per step (W2 on the CPU: about 1 ms against 2.6 ms).
 *
 * <p>The loop's body is written as bytecode ({@link ClassBytes}), one class per graph structure,
 * defined as a hidden class and cached ({@link #CAPACITY} structures, least recently used out).
 * Each step's expression is the one its row loop in {@link ElementwiseF32} or
 * {@link ElementwiseF64} evaluates, in the same order and precision (a one-value operand made
 * the row's scalar op, as the rows do), so the values are the unfused ones bit for bit.
 *
 * <p>Takes graphs without a tail whose full steps are among {@link #arithmetic} (others, such as
 * exp, keep the rows: their FLOAT32 loops go through FLOAT64 blocks that a per-element loop is
 * slower than) and whose full leaves and stores all start at one offset, so that every array is
 * indexed alike and the loop vectorises.
 */
final class FusedLoops {
    private static final Logger LOG = LoggerFactory.getLogger(FusedLoops.class);
    /** Structures kept; a training loop has a few dozen. */
    static final int CAPACITY = 512;
    private static final Loop INELIGIBLE = (arrays, constants, from, to) -> {
        throw new IllegalStateException("not a generated loop");
    };
    private static final Map<String, Loop> CACHE = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Loop> eldest) {
            return size() > CAPACITY;
        }
    };
    private static long built;
    private static long hits;
    private static long fallbacks;

    private FusedLoops() {
    }

    /** A generated loop: elements {@code [from, to)} of every full array. */
    interface Loop {
        /**
         * @param arrays leaf {@code j}'s array at {@code j}, step {@code k}'s store's array at
         *     {@code leaves + k}
         * @param constants step {@code k}'s constant operand at {@code k}
         */
        void run(Object[] arrays, double[] constants, int from, int to);
    }

    /**
     * Loops generated, graphs served by a loop already generated, and loops that failed to load,
     * in this process (the cache is shared by every CPU device).
     */
    static synchronized FusionStats stats() {
        return new FusionStats(built, hits, fallbacks);
    }

    /**
     * Runs {@code g} as its generated loop if it has one; false when it does not (the caller
     * then evaluates it otherwise). {@code singles} holds the single steps' values.
     */
    static boolean run(CpuParallel par, FusedGraph g, Object singles) {
        if (g.tail() != null) {
            return false;
        }
        int base = commonOffset(g);
        if (base < 0) {
            return false;
        }
        Loop loop = loopFor(g);
        if (loop == INELIGIBLE) {
            return false;
        }
        List<View> leaves = g.leaves();
        List<FusedGraph.Step> steps = g.steps();
        boolean f32 = g.type() == ElementType.FLOAT32;
        Object[] arrays = new Object[leaves.size() + steps.size()];
        for (int j = 0; j < leaves.size(); j++) {
            arrays[j] = ((CpuBuffer) leaves.get(j).buffer()).array();
        }
        double[] constants = new double[steps.size()];
        for (int k = 0; k < steps.size(); k++) {
            FusedGraph.Step s = steps.get(k);
            if (s.single()) {
                continue;
            }
            if (s.store() != null) {
                arrays[leaves.size() + k] = ((CpuBuffer) s.store().buffer()).array();
            }
            constants[k] = constant(g, s, f32, singles);
        }
        int n = (int) g.numel();
        if (!par.worthSplitting(n, steps.size() * CpuParallel.COST_STREAM)) {
            loop.run(arrays, constants, base, base + n);
        } else {
            par.forRange(n, CpuFused.BLOCK, (from, to) -> loop.run(arrays, constants, base + (int) from, base + (int) to));
        }
        return true;
    }

    /** The offset every full leaf and full store starts at, or -1 when they differ. */
    private static int commonOffset(FusedGraph g) {
        long base = -1;
        for (View v : g.leaves()) {
            if (v.layout().numel() != 1) {
                if (base >= 0 && v.layout().offset() != base) {
                    return -1;
                }
                base = v.layout().offset();
            }
        }
        for (FusedGraph.Step s : g.steps()) {
            if (!s.single() && s.store() != null) {
                if (base >= 0 && s.store().layout().offset() != base) {
                    return -1;
                }
                base = s.store().layout().offset();
            }
        }
        return base < 0 || base + g.numel() > Integer.MAX_VALUE ? -1 : (int) base;
    }

    /**
     * A full step's constant: a constant step's value (as its row fills it), a scalar, or the
     * value of a one-value operand as the row's scalar op takes it ({@code x - s} is
     * {@code x + (-s)}).
     */
    private static double constant(FusedGraph g, FusedGraph.Step s, boolean f32, Object singles) {
        if (s.op() == null) {
            return s.scalar();
        }
        int[] ops = s.operands();
        if (isConstant(g, s)) {
            double a = value(g, ops[0], f32, singles);
            if (s.op().arity() == 1) {
                return f32 ? ElementwiseF32.unaryOne(s.op(), (float) s.scalar(), (float) a)
                        : ElementwiseKernels.unary(s.op(), s.scalar(), a);
            }
            double b = value(g, ops[1], f32, singles);
            return f32 ? ElementwiseF32.binaryOne(s.op(), (float) a, (float) b) : ElementwiseKernels.binary(s.op(), a, b);
        }
        if (s.op().arity() == 1) {
            return s.scalar();
        }
        boolean rightOne = isOne(g, ops[1]);
        double v = value(g, rightOne ? ops[1] : ops[0], f32, singles);
        return rightOne && s.op() == ElementwiseOp.SUB ? -v : v;
    }

    /** The value of one-value operand {@code o}: a single step's, or a one-element leaf's. */
    private static double value(FusedGraph g, int o, boolean f32, Object singles) {
        if (o >= 0) {
            return f32 ? ((float[]) singles)[o] : ((double[]) singles)[o];
        }
        View leaf = g.leaves().get(-o - 1);
        int at = (int) leaf.layout().offset();
        Object arr = ((CpuBuffer) leaf.buffer()).array();
        return f32 ? ((float[]) arr)[at] : ((double[]) arr)[at];
    }

    /**
     * Whether full step {@code s} has one value for every element: a fill, or an op of one-value
     * operands only (its row fills it with that value, of any op).
     */
    static boolean isConstant(FusedGraph g, FusedGraph.Step s) {
        if (s.single()) {
            return false;
        }
        if (s.op() == null) {
            return true;
        }
        if (s.op().arity() > 2) {
            return false;
        }
        for (int o : s.operands()) {
            if (!isOne(g, o)) {
                return false;
            }
        }
        return true;
    }

    static boolean isOne(FusedGraph g, int operand) {
        return operand >= 0 ? g.steps().get(operand).single() : g.leaves().get(-operand - 1).layout().numel() == 1;
    }

    private static Loop loopFor(FusedGraph g) {
        String key = g.structure();
        synchronized (FusedLoops.class) {
            Loop hit = CACHE.get(key);
            if (hit != null) {
                if (hit != INELIGIBLE) {
                    hits++;
                }
                return hit;
            }
        }
        Loop loop = INELIGIBLE;
        boolean failed = false;
        if (eligible(g)) {
            try {
                byte[] bytes = FusedLoopWriter.write(g, "dev/clgrad/cpu/FusedLoops$Generated", "dev/clgrad/cpu/FusedLoops$Loop");
                MethodHandles.Lookup h = MethodHandles.lookup().defineHiddenClass(bytes, true);
                loop = (Loop) h.findConstructor(h.lookupClass(), MethodType.methodType(void.class)).invoke();
            } catch (Throwable e) {
                LOG.warn("clgrad cpu: the generated loop for this fused graph failed to load ({}); it runs block by "
                        + "block instead:\n{}", e.toString(), g.describe());
                loop = INELIGIBLE;
                failed = true;
            }
        }
        synchronized (FusedLoops.class) {
            if (loop != INELIGIBLE) {
                built++;
            } else if (failed) {
                fallbacks++;
            }
            CACHE.put(key, loop);
        }
        return loop;
    }

    /**
     * Whether every full step is a constant one ({@link #isConstant}) or arithmetic the writer
     * covers, on full operands or with a one-value side that its scalar op takes.
     */
    static boolean eligible(FusedGraph g) {
        for (FusedGraph.Step s : g.steps()) {
            if (s.single() || isConstant(g, s)) {
                continue;
            }
            if (!arithmetic(s.op())) {
                return false;
            }
            int[] ops = s.operands();
            if (s.op().arity() == 2) {
                boolean a = isOne(g, ops[0]);
                boolean b = isOne(g, ops[1]);
                if (a && ElementwiseKernels.withScalarLeft(s.op()) == null
                        || b && ElementwiseKernels.withScalarRight(s.op()) == null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The ops a generated loop computes: IEEE arithmetic and its neighbours in {@link Math}. */
    static boolean arithmetic(ElementwiseOp op) {
        return switch (op) {
            case NEG, SQRT, ABS, RELU, ADD_SCALAR, MUL_SCALAR, RSUB_SCALAR, DIV_SCALAR, RDIV_SCALAR,
                 ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM -> true;
            default -> false;
        };
    }
}
