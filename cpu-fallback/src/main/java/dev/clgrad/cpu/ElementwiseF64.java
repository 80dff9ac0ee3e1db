package dev.clgrad.cpu;

import dev.clgrad.spi.ElementwiseOp;

/**
 * FLOAT64 elementwise rows: the structure of {@code ElementwiseF32} over {@code double} arrays;
 * keep the two in step. Its {@link #unary} loops also serve the FLOAT32 transcendental ops.
 */
final class ElementwiseF64 {
    private ElementwiseF64() {
    }

    /** Elements per block when unit-stride operands start at different offsets and are copied to common ones. */
    private static final int BLOCK = 512;

    /**
     * One row: {@code n} outputs from {@code o[oo]} step {@code os}, inputs from {@code a[ao]}
     * step {@code as} and so on ({@code b}, {@code c} unused above their op's arity). When the
     * output and the inputs step by 1 (or 0 for a repeated element) the loops index every
     * unit-stride operand with one counter: C2 in JDK 17 only vectorises loops whose arrays share
     * one offset, so operands at different offsets go through small blocks copied to offset 0.
     */
    static void row(ElementwiseOp op, double s, int n, double[] o, int oo, int os,
                    double[] a, int ao, int as, double[] b, int bo, int bs, double[] c, int co, int cs) {
        int arity = op.arity();
        boolean flat = os == 1 && (as & ~1) == 0 && (arity < 2 || (bs & ~1) == 0) && (arity < 3 || (cs & ~1) == 0);
        if (flat) {
            boolean aligned = (as == 0 || ao == oo) && (arity < 2 || bs == 0 || bo == oo)
                    && (arity < 3 || cs == 0 || co == oo);
            if (aligned) {
                if (flatAligned(op, s, oo, oo + n, o, a, ao, as, b, bo, bs, c, co, cs)) {
                    return;
                }
            } else if (n >= 32) {
                rebased(op, s, n, o, oo, a, ao, as, b, bo, bs, c, co, cs);
                return;
            }
        }
        strided(op, s, n, o, oo, os, a, ao, as, b, bo, bs, c, co, cs);
    }

    /**
     * Elements {@code [from, to)} of the output, where every unit-stride input shares the output's
     * indices and a zero-stride input repeats the element at its offset. False when no loop here fits.
     */
    private static boolean flatAligned(ElementwiseOp op, double s, int from, int to, double[] o,
                                       double[] a, int ao, int as, double[] b, int bo, int bs,
                                       double[] c, int co, int cs) {
        switch (op.arity()) {
            case 1 -> {
                if (as == 1) {
                    unary(op, s, from, to, o, a);
                } else {
                    java.util.Arrays.fill(o, from, to, ElementwiseKernels.unary(op, s, a[ao]));
                }
                return true;
            }
            case 2 -> {
                if (as == 1 && bs == 1) {
                    binary(op, from, to, o, a, b);
                    return true;
                }
                if (as == 1) {
                    ElementwiseOp so = ElementwiseKernels.withScalarRight(op);
                    if (so != null) {
                        unary(so, op == ElementwiseOp.SUB ? -b[bo] : b[bo], from, to, o, a);
                        return true;
                    }
                    return false;
                }
                if (bs == 1) {
                    ElementwiseOp so = ElementwiseKernels.withScalarLeft(op);
                    if (so != null) {
                        unary(so, a[ao], from, to, o, b);
                        return true;
                    }
                    return false;
                }
                java.util.Arrays.fill(o, from, to, ElementwiseKernels.binary(op, a[ao], b[bo]));
                return true;
            }
            default -> {
                // WHERE (a BOOL condition) runs in ElementwiseGeneric; addcmul and addcdiv here
                if (as == 1 && bs == 1 && cs == 1) {
                    for (int i = from; i < to; i++) {
                        o[i] = (double) ElementwiseKernels.ternary(op, s, a[i], b[i], c[i]);
                    }
                    return true;
                }
                return false;
            }
        }
    }

    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[4][BLOCK]);

    /** {@link #row} for unit-stride operands at different offsets, {@link #BLOCK} elements at a time. */
    private static void rebased(ElementwiseOp op, double s, int n, double[] o, int oo,
                                double[] a, int ao, int as, double[] b, int bo, int bs,
                                double[] c, int co, int cs) {
        int block = Math.min(BLOCK, n);
        // per-thread scratch: a broadcast row op calls this once per row, too often to allocate
        double[][] scratch = SCRATCH.get();
        double[] ob = scratch[0];
        double[] ab = as == 1 ? scratch[1] : a;
        double[] bb = bs == 1 && b != null ? scratch[2] : b;
        double[] cb = cs == 1 && c != null ? scratch[3] : c;
        for (int done = 0; done < n; done += block) {
            int len = Math.min(block, n - done);
            if (as == 1) {
                System.arraycopy(a, ao + done, ab, 0, len);
            }
            if (bb != b) {
                System.arraycopy(b, bo + done, bb, 0, len);
            }
            if (cb != c) {
                System.arraycopy(c, co + done, cb, 0, len);
            }
            row(op, s, len, ob, 0, 1, ab, as == 1 ? 0 : ao, as, bb, bb != b ? 0 : bo, bs, cb, cb != c ? 0 : co, cs);
            System.arraycopy(ob, 0, o, oo + done, len);
        }
    }

    private static void strided(ElementwiseOp op, double s, int n, double[] o, int oo, int os,
                                double[] a, int ao, int as, double[] b, int bo, int bs,
                                double[] c, int co, int cs) {
        switch (op.arity()) {
            case 1 -> {
                for (int i = 0; i < n; i++, oo += os, ao += as) {
                    o[oo] = ElementwiseKernels.unary(op, s, a[ao]);
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++, oo += os, ao += as, bo += bs) {
                    o[oo] = ElementwiseKernels.binary(op, a[ao], b[bo]);
                }
            }
            default -> {
                for (int i = 0; i < n; i++, oo += os, ao += as, bo += bs, co += cs) {
                    o[oo] = (double) ElementwiseKernels.ternary(op, s, a[ao], b[bo], c[co]);
                }
            }
        }
    }

    static void unary(ElementwiseOp op, double s, int from, int to, double[] o, double[] a) {
        switch (op) {
            case NEG -> {
                for (int i = from; i < to; i++) {
                    o[i] = -a[i];
                }
            }
            case EXP -> {
                for (int i = from; i < to; i++) {
                    o[i] = Math.exp(a[i]);
                }
            }
            case LOG -> {
                for (int i = from; i < to; i++) {
                    o[i] = Math.log(a[i]);
                }
            }
            case SQRT -> {
                for (int i = from; i < to; i++) {
                    o[i] = Math.sqrt(a[i]);
                }
            }
            case ABS -> {
                for (int i = from; i < to; i++) {
                    o[i] = Math.abs(a[i]);
                }
            }
            case SIN -> {
                for (int i = from; i < to; i++) {
                    o[i] = Math.sin(a[i]);
                }
            }
            case COS -> {
                for (int i = from; i < to; i++) {
                    o[i] = Math.cos(a[i]);
                }
            }
            case TANH -> {
                for (int i = from; i < to; i++) {
                    o[i] = Math.tanh(a[i]);
                }
            }
            case POW_SCALAR -> {
                for (int i = from; i < to; i++) {
                    o[i] = ElementwiseKernels.pow(a[i], s);
                }
            }
            case RPOW_SCALAR -> {
                for (int i = from; i < to; i++) {
                    o[i] = ElementwiseKernels.pow(s, a[i]);
                }
            }
            case SIGMOID -> {
                for (int i = from; i < to; i++) {
                    o[i] = (1.0 / (1.0 + Math.exp(-a[i])));
                }
            }
            case RELU -> {
                for (int i = from; i < to; i++) {
                    o[i] = Math.max(a[i], 0);
                }
            }
            case ADD_SCALAR -> {
                for (int i = from; i < to; i++) {
                    o[i] = a[i] + s;
                }
            }
            case MUL_SCALAR -> {
                for (int i = from; i < to; i++) {
                    o[i] = a[i] * s;
                }
            }
            case RSUB_SCALAR -> {
                for (int i = from; i < to; i++) {
                    o[i] = s - a[i];
                }
            }
            case DIV_SCALAR -> {
                for (int i = from; i < to; i++) {
                    o[i] = a[i] / s;
                }
            }
            case RDIV_SCALAR -> {
                for (int i = from; i < to; i++) {
                    o[i] = s / a[i];
                }
            }
            default -> {
                for (int i = from; i < to; i++) {
                    o[i] = ElementwiseKernels.unary(op, s, a[i]);
                }
            }
        }
    }

    private static void binary(ElementwiseOp op, int from, int to, double[] o, double[] a, double[] b) {
        switch (op) {
            case ADD -> {
                for (int i = from; i < to; i++) {
                    o[i] = a[i] + b[i];
                }
            }
            case SUB -> {
                for (int i = from; i < to; i++) {
                    o[i] = a[i] - b[i];
                }
            }
            case MUL -> {
                for (int i = from; i < to; i++) {
                    o[i] = a[i] * b[i];
                }
            }
            case DIV -> {
                for (int i = from; i < to; i++) {
                    o[i] = a[i] / b[i];
                }
            }
            case MAXIMUM -> {
                for (int i = from; i < to; i++) {
                    o[i] = Math.max(a[i], b[i]);
                }
            }
            case MINIMUM -> {
                for (int i = from; i < to; i++) {
                    o[i] = Math.min(a[i], b[i]);
                }
            }
            default -> {
                for (int i = from; i < to; i++) {
                    o[i] = ElementwiseKernels.binary(op, a[i], b[i]);
                }
            }
        }
    }
}
