package dev.clgrad.cpu;

/**
 * FLOAT32 matrix-product blocks. {@code MatmulF64} is this file with {@code float} replaced by
 * {@code double}; keep the two in step.
 *
 * <p>Blocking: the columns of {@code C} are taken {@link #NC} at a time and the depth {@link #KC}
 * at a time; the matching block of {@code B} is packed row-major into a panel (or used in place
 * when its rows are already unit-stride), and {@link #MR} rows of {@code C} are computed at once
 * in a small tile whose inner loop over columns the JIT vectorises: each loaded {@code B} value
 * feeds {@link #MR} multiply-adds.
 */
final class MatmulF32 {
    static final int MR = 4;
    static final int NC = 256;
    static final int KC = 256;

    private MatmulF32() {
    }

    /** Scratch one thread needs for a {@code k}-deep, {@code n}-wide product: a tile and, if {@code packs}, a panel. */
    static float[] scratch(int k, int n, boolean packs) {
        return new float[tileOffset(k, n, packs) + MR * Math.min(NC, n)];
    }

    private static int tileOffset(int k, int n, boolean packs) {
        return packs ? Math.min(KC, k) * Math.min(NC, n) : 0;
    }

    /**
     * {@code C[i, :] = A[i, :] @ B} for rows {@code [rowFrom, rowTo)} of one batch; {@code x[o + i*si + j*sj]}
     * addresses each matrix.
     */
    static void rows(float[] a, int ao, int sam, int sak, float[] b, int bo, int sbk, int sbn,
                     float[] c, int co, int scm, int scn, int rowFrom, int rowTo, int n, int k, float[] scratch) {
        int tile = tileOffset(k, n, sbn != 1);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] p;
                int po;
                int ldp;
                if (sbn == 1) {
                    p = b;
                    po = bo + pc * sbk + jc;
                    ldp = sbk;
                } else {
                    pack(b, bo + pc * sbk + jc * sbn, sbk, sbn, kc, nc, scratch);
                    p = scratch;
                    po = 0;
                    ldp = nc;
                }
                int i = rowFrom;
                for (; i + MR <= rowTo; i += MR) {
                    block4(a, ao + i * sam + pc * sak, sam, sak, p, po, ldp,
                            c, co + i * scm + jc * scn, scm, scn, kc, nc, pc == 0, scratch, tile);
                }
                for (; i < rowTo; i++) {
                    block1(a, ao + i * sam + pc * sak, sak, p, po, ldp,
                            c, co + i * scm + jc * scn, scn, kc, nc, pc == 0, scratch, tile);
                }
            }
        }
    }

    private static void pack(float[] b, int bo, int sbk, int sbn, int kc, int nc, float[] panel) {
        for (int kk = 0, d = 0; kk < kc; kk++) {
            for (int j = 0, s = bo + kk * sbk; j < nc; j++, s += sbn) {
                panel[d++] = b[s];
            }
        }
    }

    /** Four rows of C over {@code nc} columns, adding {@code kc} products to them unless {@code first}. */
    private static void block4(float[] a, int ao, int sam, int sak, float[] p, int po, int ldp,
                               float[] c, int co, int scm, int scn, int kc, int nc, boolean first,
                               float[] t, int to) {
        int t0 = to;
        int t1 = to + nc;
        int t2 = to + 2 * nc;
        int t3 = to + 3 * nc;
        if (first) {
            java.util.Arrays.fill(t, to, to + MR * nc, 0);
        } else {
            for (int r = 0; r < MR; r++) {
                for (int j = 0, s = co + r * scm; j < nc; j++, s += scn) {
                    t[to + r * nc + j] = c[s];
                }
            }
        }
        for (int kk = 0; kk < kc; kk++) {
            int ak = ao + kk * sak;
            float a0 = a[ak];
            float a1 = a[ak + sam];
            float a2 = a[ak + 2 * sam];
            float a3 = a[ak + 3 * sam];
            int pk = po + kk * ldp;
            for (int j = 0; j < nc; j++) {
                float bv = p[pk + j];
                t[t0 + j] += a0 * bv;
                t[t1 + j] += a1 * bv;
                t[t2 + j] += a2 * bv;
                t[t3 + j] += a3 * bv;
            }
        }
        for (int r = 0; r < MR; r++) {
            for (int j = 0, s = co + r * scm; j < nc; j++, s += scn) {
                c[s] = t[to + r * nc + j];
            }
        }
    }

    private static void block1(float[] a, int ao, int sak, float[] p, int po, int ldp,
                               float[] c, int co, int scn, int kc, int nc, boolean first, float[] t, int to) {
        if (first) {
            java.util.Arrays.fill(t, to, to + nc, 0);
        } else {
            for (int j = 0, s = co; j < nc; j++, s += scn) {
                t[to + j] = c[s];
            }
        }
        for (int kk = 0; kk < kc; kk++) {
            float a0 = a[ao + kk * sak];
            int pk = po + kk * ldp;
            for (int j = 0; j < nc; j++) {
                t[to + j] += a0 * p[pk + j];
            }
        }
        for (int j = 0, s = co; j < nc; j++, s += scn) {
            c[s] = t[to + j];
        }
    }
}
