package dev.clgrad.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * FLOAT64 register tiles of {@link MatmulF64}'s blocks: {@code VectorMatmulF32} with {@code float}
 * replaced by {@code double} (generated from it); keep the two in step.
 */
final class VectorMatmulF64 {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns of a wide tile: four vectors. */
    private static final int W = 4 * L;
    /**
     * Whether wide tiles run. JDK 17's C2 leaves the sixteen fused multiply-adds of a wide tile
     * un-intrinsified in some compilations (the Vector API's boxed fallback: W5 took 15 ms instead
     * of 4); later JDKs compile it whole.
     */
    private static final boolean WIDE = Runtime.version().feature() >= 21;

    private VectorMatmulF64() {
    }

    /**
     * Adds {@code a[ao + r*sam + kk*sak] * panel[kk][j]} over {@code kk < kc} to {@code t<r>[j]},
     * for the four rows and the leading columns that fill whole vectors; returns the first column
     * left to the caller.
     */
    static int block4(double[] a, int ao, int sam, int sak, double[][] panel, double[] t0, double[] t1, double[] t2,
                      double[] t3, int kc, int nc) {
        int j = 0;
        for (; WIDE && j + W <= nc; j += W) {
            wide4(a, ao, sam, sak, panel, t0, t1, t2, t3, kc, j);
        }
        for (; j + 2 * L <= nc; j += 2 * L) {
            DoubleVector c00 = DoubleVector.fromArray(S, t0, j);
            DoubleVector c01 = DoubleVector.fromArray(S, t0, j + L);
            DoubleVector c10 = DoubleVector.fromArray(S, t1, j);
            DoubleVector c11 = DoubleVector.fromArray(S, t1, j + L);
            DoubleVector c20 = DoubleVector.fromArray(S, t2, j);
            DoubleVector c21 = DoubleVector.fromArray(S, t2, j + L);
            DoubleVector c30 = DoubleVector.fromArray(S, t3, j);
            DoubleVector c31 = DoubleVector.fromArray(S, t3, j + L);
            for (int kk = 0, ak = ao; kk < kc; kk++, ak += sak) {
                double[] p = panel[kk];
                DoubleVector b0 = DoubleVector.fromArray(S, p, j);
                DoubleVector b1 = DoubleVector.fromArray(S, p, j + L);
                DoubleVector a0 = DoubleVector.broadcast(S, a[ak]);
                c00 = a0.fma(b0, c00);
                c01 = a0.fma(b1, c01);
                DoubleVector a1 = DoubleVector.broadcast(S, a[ak + sam]);
                c10 = a1.fma(b0, c10);
                c11 = a1.fma(b1, c11);
                DoubleVector a2 = DoubleVector.broadcast(S, a[ak + 2 * sam]);
                c20 = a2.fma(b0, c20);
                c21 = a2.fma(b1, c21);
                DoubleVector a3 = DoubleVector.broadcast(S, a[ak + 3 * sam]);
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
    private static void wide4(double[] a, int ao, int sam, int sak, double[][] panel, double[] t0, double[] t1,
                              double[] t2, double[] t3, int kc, int j) {
        DoubleVector c00 = DoubleVector.fromArray(S, t0, j);
        DoubleVector c01 = DoubleVector.fromArray(S, t0, j + L);
        DoubleVector c02 = DoubleVector.fromArray(S, t0, j + 2 * L);
        DoubleVector c03 = DoubleVector.fromArray(S, t0, j + 3 * L);
        DoubleVector c10 = DoubleVector.fromArray(S, t1, j);
        DoubleVector c11 = DoubleVector.fromArray(S, t1, j + L);
        DoubleVector c12 = DoubleVector.fromArray(S, t1, j + 2 * L);
        DoubleVector c13 = DoubleVector.fromArray(S, t1, j + 3 * L);
        DoubleVector c20 = DoubleVector.fromArray(S, t2, j);
        DoubleVector c21 = DoubleVector.fromArray(S, t2, j + L);
        DoubleVector c22 = DoubleVector.fromArray(S, t2, j + 2 * L);
        DoubleVector c23 = DoubleVector.fromArray(S, t2, j + 3 * L);
        DoubleVector c30 = DoubleVector.fromArray(S, t3, j);
        DoubleVector c31 = DoubleVector.fromArray(S, t3, j + L);
        DoubleVector c32 = DoubleVector.fromArray(S, t3, j + 2 * L);
        DoubleVector c33 = DoubleVector.fromArray(S, t3, j + 3 * L);
        for (int kk = 0, ak = ao; kk < kc; kk++, ak += sak) {
            double[] p = panel[kk];
            DoubleVector b0 = DoubleVector.fromArray(S, p, j);
            DoubleVector b1 = DoubleVector.fromArray(S, p, j + L);
            DoubleVector b2 = DoubleVector.fromArray(S, p, j + 2 * L);
            DoubleVector b3 = DoubleVector.fromArray(S, p, j + 3 * L);
            DoubleVector a0 = DoubleVector.broadcast(S, a[ak]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            DoubleVector a1 = DoubleVector.broadcast(S, a[ak + sam]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            DoubleVector a2 = DoubleVector.broadcast(S, a[ak + 2 * sam]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            DoubleVector a3 = DoubleVector.broadcast(S, a[ak + 3 * sam]);
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
    static int block1(double[] a, int ao, int sak, double[][] panel, double[] t0, int kc, int nc) {
        int j = 0;
        for (; j + 2 * L <= nc; j += 2 * L) {
            DoubleVector c00 = DoubleVector.fromArray(S, t0, j);
            DoubleVector c01 = DoubleVector.fromArray(S, t0, j + L);
            for (int kk = 0, ak = ao; kk < kc; kk++, ak += sak) {
                double[] p = panel[kk];
                DoubleVector a0 = DoubleVector.broadcast(S, a[ak]);
                c00 = a0.fma(DoubleVector.fromArray(S, p, j), c00);
                c01 = a0.fma(DoubleVector.fromArray(S, p, j + L), c01);
            }
            c00.intoArray(t0, j);
            c01.intoArray(t0, j + L);
        }
        return j;
    }
}
