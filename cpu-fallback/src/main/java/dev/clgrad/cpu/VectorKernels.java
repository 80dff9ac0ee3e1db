package dev.clgrad.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU backend's kernels written with the Java Vector API (an incubator module in JDK 17 to 25),
 * used only when {@link CpuVectors#ENABLED}. Each computes exactly what its scalar twin computes,
 * in the same order, so results do not depend on whether the module is there.
 *
 * <p>Sums: a run folds into 32 double accumulators, element {@code i} into accumulator
 * {@code i % 32} while whole blocks of 32 remain, then four groups of eight are added lanewise
 * ({@code (a + b) + (c + d)}), the blocks of 8 left fold into those eight lanes, the eight are
 * folded as {@code ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))}, and the last elements are
 * summed apart and added at the end (the order of the OpenCL reduce kernel's run): see
 * {@link ReduceKernels}. With 8-lane double vectors each group is one register; with 4 lanes, two.
 */
final class VectorKernels {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final boolean WIDE = D.length() >= 8;
    private static final VectorSpecies<Double> D8 = WIDE ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> F8 = WIDE ? FloatVector.SPECIES_256 : FloatVector.SPECIES_128;

    private VectorKernels() {
    }

    /** Doubles in this CPU's preferred vector. */
    static int doubleLanes() {
        return D.length();
    }

    /** Elements {@code i..i+7} (or {@code i..i+3} on 4-lane hardware) as doubles. */
    private static DoubleVector widened(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(F8, a, i).convertShape(VectorOperators.F2D, D8, 0);
    }

    /** The sum of {@code a[off..off+len)} in double, in {@link VectorKernels}' order. */
    static double sum(float[] a, int off, int len) {
        int end = off + len;
        int i = off;
        double[] lanes = new double[8];
        if (WIDE) {
            DoubleVector c0 = DoubleVector.zero(D8);
            DoubleVector c1 = c0;
            DoubleVector c2 = c0;
            DoubleVector c3 = c0;
            for (; i + 32 <= end; i += 32) {
                c0 = c0.add(widened(a, i));
                c1 = c1.add(widened(a, i + 8));
                c2 = c2.add(widened(a, i + 16));
                c3 = c3.add(widened(a, i + 24));
            }
            DoubleVector v = c0.add(c1).add(c2.add(c3));
            for (; i + 8 <= end; i += 8) {
                v = v.add(widened(a, i));
            }
            v.intoArray(lanes, 0);
        } else {
            DoubleVector c0 = DoubleVector.zero(D8);
            DoubleVector c0h = c0;
            DoubleVector c1 = c0;
            DoubleVector c1h = c0;
            DoubleVector c2 = c0;
            DoubleVector c2h = c0;
            DoubleVector c3 = c0;
            DoubleVector c3h = c0;
            for (; i + 32 <= end; i += 32) {
                c0 = c0.add(widened(a, i));
                c0h = c0h.add(widened(a, i + 4));
                c1 = c1.add(widened(a, i + 8));
                c1h = c1h.add(widened(a, i + 12));
                c2 = c2.add(widened(a, i + 16));
                c2h = c2h.add(widened(a, i + 20));
                c3 = c3.add(widened(a, i + 24));
                c3h = c3h.add(widened(a, i + 28));
            }
            DoubleVector v = c0.add(c1).add(c2.add(c3));
            DoubleVector vh = c0h.add(c1h).add(c2h.add(c3h));
            for (; i + 8 <= end; i += 8) {
                v = v.add(widened(a, i));
                vh = vh.add(widened(a, i + 4));
            }
            v.intoArray(lanes, 0);
            vh.intoArray(lanes, 4);
        }
        double rest = 0;
        for (; i < end; i++) {
            rest += a[i];
        }
        return ReduceKernels.fold(lanes) + rest;
    }

    /** As {@link #sum(float[], int, int)}, for doubles. */
    static double sum(double[] a, int off, int len) {
        int end = off + len;
        int i = off;
        int step = D8.length();
        double[] lanes = new double[8];
        if (WIDE) {
            DoubleVector c0 = DoubleVector.zero(D8);
            DoubleVector c1 = c0;
            DoubleVector c2 = c0;
            DoubleVector c3 = c0;
            for (; i + 32 <= end; i += 32) {
                c0 = c0.add(DoubleVector.fromArray(D8, a, i));
                c1 = c1.add(DoubleVector.fromArray(D8, a, i + 8));
                c2 = c2.add(DoubleVector.fromArray(D8, a, i + 16));
                c3 = c3.add(DoubleVector.fromArray(D8, a, i + 24));
            }
            DoubleVector v = c0.add(c1).add(c2.add(c3));
            for (; i + 8 <= end; i += 8) {
                v = v.add(DoubleVector.fromArray(D8, a, i));
            }
            v.intoArray(lanes, 0);
        } else {
            DoubleVector c0 = DoubleVector.zero(D8);
            DoubleVector c0h = c0;
            DoubleVector c1 = c0;
            DoubleVector c1h = c0;
            DoubleVector c2 = c0;
            DoubleVector c2h = c0;
            DoubleVector c3 = c0;
            DoubleVector c3h = c0;
            for (; i + 32 <= end; i += 32) {
                c0 = c0.add(DoubleVector.fromArray(D8, a, i));
                c0h = c0h.add(DoubleVector.fromArray(D8, a, i + step));
                c1 = c1.add(DoubleVector.fromArray(D8, a, i + 8));
                c1h = c1h.add(DoubleVector.fromArray(D8, a, i + 8 + step));
                c2 = c2.add(DoubleVector.fromArray(D8, a, i + 16));
                c2h = c2h.add(DoubleVector.fromArray(D8, a, i + 16 + step));
                c3 = c3.add(DoubleVector.fromArray(D8, a, i + 24));
                c3h = c3h.add(DoubleVector.fromArray(D8, a, i + 24 + step));
            }
            DoubleVector v = c0.add(c1).add(c2.add(c3));
            DoubleVector vh = c0h.add(c1h).add(c2h.add(c3h));
            for (; i + 8 <= end; i += 8) {
                v = v.add(DoubleVector.fromArray(D8, a, i));
                vh = vh.add(DoubleVector.fromArray(D8, a, i + step));
            }
            v.intoArray(lanes, 0);
            vh.intoArray(lanes, 4);
        }
        double rest = 0;
        for (; i < end; i++) {
            rest += a[i];
        }
        return ReduceKernels.fold(lanes) + rest;
    }
}
