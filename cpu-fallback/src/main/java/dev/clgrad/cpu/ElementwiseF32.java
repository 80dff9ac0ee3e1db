package dev.clgrad.cpu;

import dev.clgrad.spi.ElementwiseOp;

/**
 * FLOAT32 elementwise rows. {@code ElementwiseF64} is this file with {@code float} replaced by
 * {@code double}; keep the two in step.
 *
 * <p>Values are computed in double and rounded once to float, which for {@code + - * /} and
 * {@code sqrt} is exactly float arithmetic, and for the transcendental functions gives the
 * correctly rounded-or-nearly float result.
 */
final class ElementwiseF32 {
    private ElementwiseF32() {
    }

    /**
     * One row: {@code n} outputs from {@code o[oo]} step {@code os}, inputs from {@code a[ao]}
     * step {@code as} and so on ({@code b}, {@code c} unused below their op's arity). Unit and
     * zero steps take loops the JIT vectorises; any other step takes the per-element path.
     */
    static void row(ElementwiseOp op, float s, int n, float[] o, int oo, int os,
                    float[] a, int ao, int as, float[] b, int bo, int bs, float[] c, int co, int cs) {
        if (os == 1) {
            switch (op.arity()) {
                case 1 -> {
                    if (as == 1) {
                        unary(op, s, n, o, oo, a, ao);
                        return;
                    }
                    if (as == 0) {
                        java.util.Arrays.fill(o, oo, oo + n, (float) ElementwiseKernels.unary(op, s, a[ao]));
                        return;
                    }
                }
                case 2 -> {
                    if (as == 1 && bs == 1) {
                        binary(op, n, o, oo, a, ao, b, bo);
                        return;
                    }
                    if (as == 1 && bs == 0) {
                        ElementwiseOp so = ElementwiseKernels.withScalarRight(op);
                        if (so != null) {
                            unary(so, op == ElementwiseOp.SUB ? -b[bo] : b[bo], n, o, oo, a, ao);
                            return;
                        }
                    } else if (as == 0 && bs == 1) {
                        ElementwiseOp so = ElementwiseKernels.withScalarLeft(op);
                        if (so != null) {
                            unary(so, a[ao], n, o, oo, b, bo);
                            return;
                        }
                    } else if (as == 0 && bs == 0) {
                        java.util.Arrays.fill(o, oo, oo + n, (float) ElementwiseKernels.binary(op, a[ao], b[bo]));
                        return;
                    }
                }
                default -> {
                    if (as == 1 && bs == 1 && cs == 1) {
                        for (int i = 0; i < n; i++) {
                            o[oo + i] = a[ao + i] != 0 ? b[bo + i] : c[co + i]; // inputs are (condition, a, b)
                        }
                        return;
                    }
                }
            }
        }
        strided(op, s, n, o, oo, os, a, ao, as, b, bo, bs, c, co, cs);
    }

    private static void strided(ElementwiseOp op, float s, int n, float[] o, int oo, int os,
                                float[] a, int ao, int as, float[] b, int bo, int bs,
                                float[] c, int co, int cs) {
        switch (op.arity()) {
            case 1 -> {
                for (int i = 0; i < n; i++, oo += os, ao += as) {
                    o[oo] = (float) ElementwiseKernels.unary(op, s, a[ao]);
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++, oo += os, ao += as, bo += bs) {
                    o[oo] = (float) ElementwiseKernels.binary(op, a[ao], b[bo]);
                }
            }
            default -> {
                for (int i = 0; i < n; i++, oo += os, ao += as, bo += bs, co += cs) {
                    o[oo] = a[ao] != 0 ? b[bo] : c[co];
                }
            }
        }
    }

    private static void unary(ElementwiseOp op, float s, int n, float[] o, int oo, float[] a, int ao) {
        switch (op) {
            case NEG -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = -a[ao + i];
                }
            }
            case EXP -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = (float) Math.exp(a[ao + i]);
                }
            }
            case LOG -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = (float) Math.log(a[ao + i]);
                }
            }
            case SQRT -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = (float) Math.sqrt(a[ao + i]);
                }
            }
            case ABS -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.abs(a[ao + i]);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = (float) Math.tanh(a[ao + i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = (float) (1.0 / (1.0 + Math.exp(-(double) a[ao + i])));
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.max(a[ao + i], 0);
                }
            }
            case ADD_SCALAR -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] + s;
                }
            }
            case MUL_SCALAR -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] * s;
                }
            }
            case RSUB_SCALAR -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = s - a[ao + i];
                }
            }
            case DIV_SCALAR -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] / s;
                }
            }
            case RDIV_SCALAR -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = s / a[ao + i];
                }
            }
            case GT_SCALAR -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] > s ? 1 : 0;
                }
            }
            case EQ_SCALAR -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] == s ? 1 : 0;
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = (float) ElementwiseKernels.unary(op, s, a[ao + i]);
                }
            }
        }
    }

    private static void binary(ElementwiseOp op, int n, float[] o, int oo, float[] a, int ao, float[] b, int bo) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] + b[bo + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] - b[bo + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] * b[bo + i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] / b[bo + i];
                }
            }
            case MAXIMUM -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.max(a[ao + i], b[bo + i]);
                }
            }
            case MINIMUM -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.min(a[ao + i], b[bo + i]);
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = (float) ElementwiseKernels.binary(op, a[ao + i], b[bo + i]);
                }
            }
        }
    }
}
