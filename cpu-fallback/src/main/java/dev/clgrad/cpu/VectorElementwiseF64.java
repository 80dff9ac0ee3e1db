package dev.clgrad.cpu;

import dev.clgrad.spi.ElementwiseOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * FLOAT64 rows of the exact IEEE elementwise ops with the Java Vector API: {@code VectorElementwiseF32}
 * with {@code float} replaced by {@code double} (generated from it), except that one broadcast
 * value is computed by {@link ElementwiseKernels}, as {@link ElementwiseF64} computes it; keep the
 * two in step.
 */
final class VectorElementwiseF64 {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private VectorElementwiseF64() {
    }

    /** Whether {@link #row} computes {@code op}. */
    static boolean takes(ElementwiseOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, ADD_SCALAR, MUL_SCALAR, RSUB_SCALAR, DIV_SCALAR, RDIV_SCALAR, NEG, SQRT -> true;
            default -> false;
        };
    }

    /**
     * {@code o[oo + i] = op(a[ao + i * as], b[bo + i * bs])} for {@code i < n}, each step 0 (one value
     * broadcast) or 1; a binary op with one broadcast side runs as its scalar op, as
     * {@link ElementwiseF64#row} does.
     */
    static void row(ElementwiseOp op, double s, int n, double[] o, int oo, double[] a, int ao, int as,
                    double[] b, int bo, int bs) {
        if (op.arity() == 2 && (as == 0 || bs == 0)) {
            if (as == 0 && bs == 0) {
                java.util.Arrays.fill(o, oo, oo + n, ElementwiseKernels.binary(op, a[ao], b[bo]));
                return;
            }
            ElementwiseOp so = as == 1 ? ElementwiseKernels.withScalarRight(op) : ElementwiseKernels.withScalarLeft(op);
            double v = as == 1 ? (op == ElementwiseOp.SUB ? -b[bo] : b[bo]) : a[ao];
            row(so, v, n, o, oo, as == 1 ? a : b, as == 1 ? ao : bo, 1, null, 0, 0);
            return;
        }
        if (op.arity() == 1 && as == 0) {
            java.util.Arrays.fill(o, oo, oo + n, ElementwiseKernels.unary(op, s, a[ao]));
            return;
        }
        int i = 0;
        int upper = S.loopBound(n);
        int l = S.length();
        DoubleVector sv = DoubleVector.broadcast(S, s);
        switch (op) {
            case ADD -> {
                for (; i < upper; i += l) {
                    DoubleVector.fromArray(S, a, ao + i).add(DoubleVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
                }
            }
            case SUB -> {
                for (; i < upper; i += l) {
                    DoubleVector.fromArray(S, a, ao + i).sub(DoubleVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
                }
            }
            case MUL -> {
                for (; i < upper; i += l) {
                    DoubleVector.fromArray(S, a, ao + i).mul(DoubleVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
                }
            }
            case DIV -> {
                for (; i < upper; i += l) {
                    DoubleVector.fromArray(S, a, ao + i).div(DoubleVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
                }
            }
            case ADD_SCALAR -> {
                for (; i < upper; i += l) {
                    DoubleVector.fromArray(S, a, ao + i).add(sv).intoArray(o, oo + i);
                }
            }
            case MUL_SCALAR -> {
                for (; i < upper; i += l) {
                    DoubleVector.fromArray(S, a, ao + i).mul(sv).intoArray(o, oo + i);
                }
            }
            case RSUB_SCALAR -> {
                for (; i < upper; i += l) {
                    sv.sub(DoubleVector.fromArray(S, a, ao + i)).intoArray(o, oo + i);
                }
            }
            case DIV_SCALAR -> {
                for (; i < upper; i += l) {
                    DoubleVector.fromArray(S, a, ao + i).div(sv).intoArray(o, oo + i);
                }
            }
            case RDIV_SCALAR -> {
                for (; i < upper; i += l) {
                    sv.div(DoubleVector.fromArray(S, a, ao + i)).intoArray(o, oo + i);
                }
            }
            case NEG -> {
                for (; i < upper; i += l) {
                    DoubleVector.fromArray(S, a, ao + i).neg().intoArray(o, oo + i);
                }
            }
            case SQRT -> {
                for (; i < upper; i += l) {
                    DoubleVector.fromArray(S, a, ao + i).sqrt().intoArray(o, oo + i);
                }
            }
            default -> throw new IllegalArgumentException("no vector row for " + op);
        }
        if (i < n) {
            ElementwiseF64.row(op, s, n - i, o, oo + i, 1, a, ao + i, 1, b, b == null ? 0 : bo + i, 1, null, 0, 0);
        }
    }
}
