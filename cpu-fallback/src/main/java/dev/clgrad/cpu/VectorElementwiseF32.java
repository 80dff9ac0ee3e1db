package dev.clgrad.cpu;

import dev.clgrad.spi.ElementwiseOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * FLOAT32 rows of the exact IEEE elementwise ops with the Java Vector API (used only when
 * {@link CpuVectors#ENABLED}), at any offsets: the fused CPU path ({@link CpuFused}) reads leaves
 * and writes stores in place with them instead of copying blocks. Each lane computes the
 * expression of {@link ElementwiseF32}'s loop for the op, so the bits are the same.
 * {@code VectorElementwiseF64} is this file with {@code float} replaced by {@code double}.
 */
final class VectorElementwiseF32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorElementwiseF32() {
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
     * {@link ElementwiseF32#row} does.
     */
    static void row(ElementwiseOp op, float s, int n, float[] o, int oo, float[] a, int ao, int as,
                    float[] b, int bo, int bs) {
        if (op.arity() == 2 && (as == 0 || bs == 0)) {
            if (as == 0 && bs == 0) {
                java.util.Arrays.fill(o, oo, oo + n, ElementwiseF32.binaryOne(op, a[ao], b[bo]));
                return;
            }
            ElementwiseOp so = as == 1 ? ElementwiseKernels.withScalarRight(op) : ElementwiseKernels.withScalarLeft(op);
            float v = as == 1 ? (op == ElementwiseOp.SUB ? -b[bo] : b[bo]) : a[ao];
            row(so, v, n, o, oo, as == 1 ? a : b, as == 1 ? ao : bo, 1, null, 0, 0);
            return;
        }
        if (op.arity() == 1 && as == 0) {
            java.util.Arrays.fill(o, oo, oo + n, ElementwiseF32.unaryOne(op, s, a[ao]));
            return;
        }
        int i = 0;
        int upper = S.loopBound(n);
        int l = S.length();
        FloatVector sv = FloatVector.broadcast(S, s);
        switch (op) {
            case ADD -> {
                for (; i < upper; i += l) {
                    FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
                }
            }
            case SUB -> {
                for (; i < upper; i += l) {
                    FloatVector.fromArray(S, a, ao + i).sub(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
                }
            }
            case MUL -> {
                for (; i < upper; i += l) {
                    FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
                }
            }
            case DIV -> {
                for (; i < upper; i += l) {
                    FloatVector.fromArray(S, a, ao + i).div(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
                }
            }
            case ADD_SCALAR -> {
                for (; i < upper; i += l) {
                    FloatVector.fromArray(S, a, ao + i).add(sv).intoArray(o, oo + i);
                }
            }
            case MUL_SCALAR -> {
                for (; i < upper; i += l) {
                    FloatVector.fromArray(S, a, ao + i).mul(sv).intoArray(o, oo + i);
                }
            }
            case RSUB_SCALAR -> {
                for (; i < upper; i += l) {
                    sv.sub(FloatVector.fromArray(S, a, ao + i)).intoArray(o, oo + i);
                }
            }
            case DIV_SCALAR -> {
                for (; i < upper; i += l) {
                    FloatVector.fromArray(S, a, ao + i).div(sv).intoArray(o, oo + i);
                }
            }
            case RDIV_SCALAR -> {
                for (; i < upper; i += l) {
                    sv.div(FloatVector.fromArray(S, a, ao + i)).intoArray(o, oo + i);
                }
            }
            case NEG -> {
                for (; i < upper; i += l) {
                    FloatVector.fromArray(S, a, ao + i).neg().intoArray(o, oo + i);
                }
            }
            case SQRT -> {
                for (; i < upper; i += l) {
                    FloatVector.fromArray(S, a, ao + i).sqrt().intoArray(o, oo + i);
                }
            }
            default -> throw new IllegalArgumentException("no vector row for " + op);
        }
        if (i < n) {
            ElementwiseF32.row(op, s, n - i, o, oo + i, 1, a, ao + i, 1, b, b == null ? 0 : bo + i, 1, null, 0, 0);
        }
    }
}
