package dev.clgrad.cpu;

/**
 * FLOAT32 matrix-product blocks. {@code MatmulF64} is this file with {@code float} replaced by
 * {@code double}; keep the two in step.
 *
 * <p>Blocking: the columns of {@code C} are taken {@link #NC} at a time and the depth {@link #KC}
 * at a time; the matching block of {@code B} is packed into one array per row, and {@link #MR}
 * rows of {@code C} are computed at once in tile rows, so each loaded {@code B} value feeds
 * {@link #MR} multiply-adds. Every array the inner loop touches starts at index 0: C2 in JDK 17
 * vectorises a loop only when its arrays share one offset, and this loop is where the time goes.
 * With the Vector API ({@link CpuVectors}) register tiles ({@code VectorMatmulF32}) take the
 * columns that fill whole vectors and this loop the rest. Every product is a fused multiply-add
 * ({@link Math#fma}), one rounding as in BLAS, in depth order: the same bits either way.
 */
final class MatmulF32 {
    static final int MR = 4;
    static final int NC = 256;
    static final int KC = 256;

    private MatmulF32() {
    }

    /** One thread's working memory: a packed block of B and {@link #MR} tile rows. */
    static final class Scratch {
        final float[][] panel;
        final float[] t0;
        final float[] t1;
        final float[] t2;
        final float[] t3;

        Scratch(int k, int n) {
            int nc = Math.min(NC, n);
            panel = new float[Math.min(KC, k)][nc];
            t0 = new float[nc];
            t1 = new float[nc];
            t2 = new float[nc];
            t3 = new float[nc];
        }
    }

    /**
     * {@code C[i, :] = A[i, :] @ B} for rows {@code [rowFrom, rowTo)} of one batch, where
     * {@code x[o + i*si + j*sj]} addresses each matrix.
     */
    static void rows(float[] a, int ao, int sam, int sak, float[] b, int bo, int sbk, int sbn,
                     float[] c, int co, int scm, int scn, int rowFrom, int rowTo, int n, int k, Scratch sc) {
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                pack(b, bo + pc * sbk + jc * sbn, sbk, sbn, kc, nc, sc.panel);
                boolean first = pc == 0;
                int i = rowFrom;
                for (; i + MR <= rowTo; i += MR) {
                    block4(a, ao + i * sam + pc * sak, sam, sak, sc, c, co + i * scm + jc * scn, scm, scn, kc, nc, first);
                }
                for (; i < rowTo; i++) {
                    block1(a, ao + i * sam + pc * sak, sak, sc, c, co + i * scm + jc * scn, scn, kc, nc, first);
                }
            }
        }
    }

    private static void pack(float[] b, int bo, int sbk, int sbn, int kc, int nc, float[][] panel) {
        for (int kk = 0; kk < kc; kk++) {
            float[] row = panel[kk];
            int s = bo + kk * sbk;
            if (sbn == 1) {
                System.arraycopy(b, s, row, 0, nc);
            } else {
                for (int j = 0; j < nc; j++, s += sbn) {
                    row[j] = b[s];
                }
            }
        }
    }

    private static void load(float[] c, int co, int scn, float[] t, int nc, boolean zero) {
        if (zero) {
            java.util.Arrays.fill(t, 0, nc, 0);
        } else if (scn == 1) {
            System.arraycopy(c, co, t, 0, nc);
        } else {
            for (int j = 0; j < nc; j++, co += scn) {
                t[j] = c[co];
            }
        }
    }

    private static void store(float[] t, float[] c, int co, int scn, int nc) {
        if (scn == 1) {
            System.arraycopy(t, 0, c, co, nc);
        } else {
            for (int j = 0; j < nc; j++, co += scn) {
                c[co] = t[j];
            }
        }
    }

    /** Four rows of C over {@code nc} columns: adds {@code kc} products to them, or starts from 0 if {@code first}. */
    private static void block4(float[] a, int ao, int sam, int sak, Scratch sc, float[] c, int co, int scm, int scn,
                               int kc, int nc, boolean first) {
        float[] t0 = sc.t0;
        float[] t1 = sc.t1;
        float[] t2 = sc.t2;
        float[] t3 = sc.t3;
        load(c, co, scn, t0, nc, first);
        load(c, co + scm, scn, t1, nc, first);
        load(c, co + 2 * scm, scn, t2, nc, first);
        load(c, co + 3 * scm, scn, t3, nc, first);
        float[][] panel = sc.panel;
        int from = CpuVectors.ENABLED ? VectorMatmulF32.block4(a, ao, sam, sak, panel, t0, t1, t2, t3, kc, nc) : 0;
        for (int kk = 0; from < nc && kk < kc; kk++) {
            int ak = ao + kk * sak;
            float a0 = a[ak];
            float a1 = a[ak + sam];
            float a2 = a[ak + 2 * sam];
            float a3 = a[ak + 3 * sam];
            float[] p = panel[kk];
            for (int j = from; j < nc; j++) {
                float bv = p[j];
                t0[j] = Math.fma(a0, bv, t0[j]);
                t1[j] = Math.fma(a1, bv, t1[j]);
                t2[j] = Math.fma(a2, bv, t2[j]);
                t3[j] = Math.fma(a3, bv, t3[j]);
            }
        }
        store(t0, c, co, scn, nc);
        store(t1, c, co + scm, scn, nc);
        store(t2, c, co + 2 * scm, scn, nc);
        store(t3, c, co + 3 * scm, scn, nc);
    }

    private static void block1(float[] a, int ao, int sak, Scratch sc, float[] c, int co, int scn,
                               int kc, int nc, boolean first) {
        float[] t0 = sc.t0;
        load(c, co, scn, t0, nc, first);
        float[][] panel = sc.panel;
        int from = CpuVectors.ENABLED ? VectorMatmulF32.block1(a, ao, sak, panel, t0, kc, nc) : 0;
        for (int kk = 0; from < nc && kk < kc; kk++) {
            float a0 = a[ao + kk * sak];
            float[] p = panel[kk];
            for (int j = from; j < nc; j++) {
                t0[j] = Math.fma(a0, p[j], t0[j]);
            }
        }
        store(t0, c, co, scn, nc);
    }
}
