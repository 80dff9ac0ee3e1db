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
 * <p>Sums: element {@code off + 8m + j} of a run goes to accumulator {@code j} while whole blocks
 * of eight remain, the last elements go to accumulator 0, and the eight are folded as
 * {@code ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))}: the order of {@link ReduceKernels}'
 * scalar loop. The eight accumulators are one register of 8 doubles (two of 4 on 4-lane
 * hardware); one chain of vector additions keeps up with memory on two cores.
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

    /** The sum of {@code a[off..off+len)} in double, in {@link ReduceKernels}' order. */
    static double sum(float[] a, int off, int len) {
        int end = off + len;
        int i = off;
        double[] lanes = new double[8];
        if (WIDE) {
            DoubleVector v = DoubleVector.zero(D8);
            for (; i + 8 <= end; i += 8) {
                v = v.add(widened(a, i));
            }
            v.intoArray(lanes, 0);
        } else {
            DoubleVector v = DoubleVector.zero(D8);
            DoubleVector vh = v;
            for (; i + 8 <= end; i += 8) {
                v = v.add(widened(a, i));
                vh = vh.add(widened(a, i + 4));
            }
            v.intoArray(lanes, 0);
            vh.intoArray(lanes, 4);
        }
        for (; i < end; i++) {
            lanes[0] += a[i];
        }
        return ReduceKernels.fold(lanes);
    }

    /** As {@link #sum(float[], int, int)}, for doubles. */
    static double sum(double[] a, int off, int len) {
        int end = off + len;
        int i = off;
        double[] lanes = new double[8];
        if (WIDE) {
            DoubleVector v = DoubleVector.zero(D8);
            for (; i + 8 <= end; i += 8) {
                v = v.add(DoubleVector.fromArray(D8, a, i));
            }
            v.intoArray(lanes, 0);
        } else {
            DoubleVector v = DoubleVector.zero(D8);
            DoubleVector vh = v;
            for (; i + 8 <= end; i += 8) {
                v = v.add(DoubleVector.fromArray(D8, a, i));
                vh = vh.add(DoubleVector.fromArray(D8, a, i + 4));
            }
            v.intoArray(lanes, 0);
            vh.intoArray(lanes, 4);
        }
        for (; i < end; i++) {
            lanes[0] += a[i];
        }
        return ReduceKernels.fold(lanes);
    }

    private static final VectorSpecies<Float> FP = FloatVector.SPECIES_PREFERRED;

    /**
     * The largest of a run, as {@link ReduceKernels#max(float[], int, int)}: lanewise maxima, then the
     * lanes and the last elements folded with {@link Math#max}. A maximum is the same value in any
     * order ({@link Math#max} takes 0.0 over -0.0 and NaN over anything, both ways round).
     */
    static double max(float[] a, int off, int len) {
        int l = FP.length();
        if (len < 2 * l) {
            return ReduceKernels.max(a, off, len);
        }
        int end = off + len;
        FloatVector m = FloatVector.fromArray(FP, a, off);
        int i = off + l;
        for (; i + l <= end; i += l) {
            m = m.max(FloatVector.fromArray(FP, a, i));
        }
        float r = a[off];
        for (float v : m.toArray()) {
            r = Math.max(r, v);
        }
        for (; i < end; i++) {
            r = Math.max(r, a[i]);
        }
        return r;
    }

    /** The smallest of a run; see {@link #max(float[], int, int)}. */
    static double min(float[] a, int off, int len) {
        int l = FP.length();
        if (len < 2 * l) {
            return ReduceKernels.min(a, off, len);
        }
        int end = off + len;
        FloatVector m = FloatVector.fromArray(FP, a, off);
        int i = off + l;
        for (; i + l <= end; i += l) {
            m = m.min(FloatVector.fromArray(FP, a, i));
        }
        float r = a[off];
        for (float v : m.toArray()) {
            r = Math.min(r, v);
        }
        for (; i < end; i++) {
            r = Math.min(r, a[i]);
        }
        return r;
    }

    /** As {@link #max(float[], int, int)}, for doubles. */
    static double max(double[] a, int off, int len) {
        int l = D.length();
        if (len < 2 * l) {
            return ReduceKernels.max(a, off, len);
        }
        int end = off + len;
        DoubleVector m = DoubleVector.fromArray(D, a, off);
        int i = off + l;
        for (; i + l <= end; i += l) {
            m = m.max(DoubleVector.fromArray(D, a, i));
        }
        double r = a[off];
        for (double v : m.toArray()) {
            r = Math.max(r, v);
        }
        for (; i < end; i++) {
            r = Math.max(r, a[i]);
        }
        return r;
    }

    /** As {@link #min(float[], int, int)}, for doubles. */
    static double min(double[] a, int off, int len) {
        int l = D.length();
        if (len < 2 * l) {
            return ReduceKernels.min(a, off, len);
        }
        int end = off + len;
        DoubleVector m = DoubleVector.fromArray(D, a, off);
        int i = off + l;
        for (; i + l <= end; i += l) {
            m = m.min(DoubleVector.fromArray(D, a, i));
        }
        double r = a[off];
        for (double v : m.toArray()) {
            r = Math.min(r, v);
        }
        for (; i < end; i++) {
            r = Math.min(r, a[i]);
        }
        return r;
    }
}
