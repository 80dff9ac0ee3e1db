package dev.clgrad.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * FLOAT32 register tiles of {@link MatmulF32}'s blocks, with the Java Vector API (used only when
 * {@link CpuVectors#ENABLED}). {@code VectorMatmulF64} is this file with {@code float} replaced
 * by {@code double}; keep the two in step.
 *
 * <p>A tile is four rows (or one) of the block by four (or two) vectors of columns, held in
 * registers while the whole depth of the block streams through: per depth step one vector load
 * per column vector of the packed {@code B} row, one broadcast per row of {@code A}, and a fused
 * multiply-add per accumulator. Each
 * element of {@code C} gets the same fused multiply-adds, in the same order, as the scalar loop of
 * {@link MatmulF32}, so the bits are the same.
 */
final class VectorMatmulF32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns of a wide tile: four vectors. */
    private static final int W = 4 * L;
    /**
     * Whether wide tiles run. JDK 17's C2 leaves the sixteen fused multiply-adds of a wide tile
     * un-intrinsified in some compilations (the Vector API's boxed fallback: W5 took 15 ms instead
     * of 4); later JDKs compile it whole.
     */
    private static final boolean WIDE = Runtime.version().feature() >= 21;

    private VectorMatmulF32() {
    }

    /**
     * Adds {@code a[ao + r*sam + kk*sak] * panel[kk][j]} over {@code kk < kc} to {@code t<r>[j]},
     * for the four rows and the leading columns that fill whole vectors; returns the first column
     * left to the caller.
     */
    static int block4(float[] a, int ao, int sam, int sak, float[][] panel, float[] t0, float[] t1, float[] t2,
                      float[] t3, int kc, int nc) {
        int j = 0;
        for (; WIDE && j + W <= nc; j += W) {
            wide4(a, ao, sam, sak, panel, t0, t1, t2, t3, kc, j);
        }
        for (; j + 2 * L <= nc; j += 2 * L) {
            FloatVector c00 = FloatVector.fromArray(S, t0, j);
            FloatVector c01 = FloatVector.fromArray(S, t0, j + L);
            FloatVector c10 = FloatVector.fromArray(S, t1, j);
            FloatVector c11 = FloatVector.fromArray(S, t1, j + L);
            FloatVector c20 = FloatVector.fromArray(S, t2, j);
            FloatVector c21 = FloatVector.fromArray(S, t2, j + L);
            FloatVector c30 = FloatVector.fromArray(S, t3, j);
            FloatVector c31 = FloatVector.fromArray(S, t3, j + L);
            for (int kk = 0, ak = ao; kk < kc; kk++, ak += sak) {
                float[] p = panel[kk];
                FloatVector b0 = FloatVector.fromArray(S, p, j);
                FloatVector b1 = FloatVector.fromArray(S, p, j + L);
                FloatVector a0 = FloatVector.broadcast(S, a[ak]);
                c00 = a0.fma(b0, c00);
                c01 = a0.fma(b1, c01);
                FloatVector a1 = FloatVector.broadcast(S, a[ak + sam]);
                c10 = a1.fma(b0, c10);
                c11 = a1.fma(b1, c11);
                FloatVector a2 = FloatVector.broadcast(S, a[ak + 2 * sam]);
                c20 = a2.fma(b0, c20);
                c21 = a2.fma(b1, c21);
                FloatVector a3 = FloatVector.broadcast(S, a[ak + 3 * sam]);
                c30 = a3.fma(b0, c30);
                c31 = a3.fma(b1, c31);
            }
            c00.intoArray(t0, j);
            c01.intoArray(t0, j + L);
            c10.intoArray(t1, j);
            c11.intoArray(t1, j + L);
            c20.intoArray(t2, j);
            c21.intoArray(t2, j + L);
            c30.intoArray(t3, j);
            c31.intoArray(t3, j + L);
        }
        return j;
    }

    /** Four rows by four vectors from column {@code j}: sixteen accumulators, four loads per depth step. */
    private static void wide4(float[] a, int ao, int sam, int sak, float[][] panel, float[] t0, float[] t1,
                              float[] t2, float[] t3, int kc, int j) {
        FloatVector c00 = FloatVector.fromArray(S, t0, j);
        FloatVector c01 = FloatVector.fromArray(S, t0, j + L);
        FloatVector c02 = FloatVector.fromArray(S, t0, j + 2 * L);
        FloatVector c03 = FloatVector.fromArray(S, t0, j + 3 * L);
        FloatVector c10 = FloatVector.fromArray(S, t1, j);
        FloatVector c11 = FloatVector.fromArray(S, t1, j + L);
        FloatVector c12 = FloatVector.fromArray(S, t1, j + 2 * L);
        FloatVector c13 = FloatVector.fromArray(S, t1, j + 3 * L);
        FloatVector c20 = FloatVector.fromArray(S, t2, j);
        FloatVector c21 = FloatVector.fromArray(S, t2, j + L);
        FloatVector c22 = FloatVector.fromArray(S, t2, j + 2 * L);
        FloatVector c23 = FloatVector.fromArray(S, t2, j + 3 * L);
        FloatVector c30 = FloatVector.fromArray(S, t3, j);
        FloatVector c31 = FloatVector.fromArray(S, t3, j + L);
        FloatVector c32 = FloatVector.fromArray(S, t3, j + 2 * L);
        FloatVector c33 = FloatVector.fromArray(S, t3, j + 3 * L);
        for (int kk = 0, ak = ao; kk < kc; kk++, ak += sak) {
            float[] p = panel[kk];
            FloatVector b0 = FloatVector.fromArray(S, p, j);
            FloatVector b1 = FloatVector.fromArray(S, p, j + L);
            FloatVector b2 = FloatVector.fromArray(S, p, j + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, p, j + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ak]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + sam]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2 * sam]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3 * sam]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
        }
        c00.intoArray(t0, j);
        c01.intoArray(t0, j + L);
        c02.intoArray(t0, j + 2 * L);
        c03.intoArray(t0, j + 3 * L);
        c10.intoArray(t1, j);
        c11.intoArray(t1, j + L);
        c12.intoArray(t1, j + 2 * L);
        c13.intoArray(t1, j + 3 * L);
        c20.intoArray(t2, j);
        c21.intoArray(t2, j + L);
        c22.intoArray(t2, j + 2 * L);
        c23.intoArray(t2, j + 3 * L);
        c30.intoArray(t3, j);
        c31.intoArray(t3, j + L);
        c32.intoArray(t3, j + 2 * L);
        c33.intoArray(t3, j + 3 * L);
    }

    /** {@link #block4} for one row. */
    static int block1(float[] a, int ao, int sak, float[][] panel, float[] t0, int kc, int nc) {
        int j = 0;
        for (; j + 2 * L <= nc; j += 2 * L) {
            FloatVector c00 = FloatVector.fromArray(S, t0, j);
            FloatVector c01 = FloatVector.fromArray(S, t0, j + L);
            for (int kk = 0, ak = ao; kk < kc; kk++, ak += sak) {
                float[] p = panel[kk];
                FloatVector a0 = FloatVector.broadcast(S, a[ak]);
                c00 = a0.fma(FloatVector.fromArray(S, p, j), c00);
                c01 = a0.fma(FloatVector.fromArray(S, p, j + L), c01);
            }
            c00.intoArray(t0, j);
            c01.intoArray(t0, j + L);
        }
        return j;
    }
}
