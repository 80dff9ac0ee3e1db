package dev.clgrad.cpu;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;

/**
 * The batched matmul primitive: splits {@code [B, M, N]} outputs into row ranges across threads
 * and hands them to {@link MatmulF32} or {@link MatmulF64}. Each output element is computed by
 * one thread in a fixed order, so results do not depend on the split.
 */
final class MatmulKernels {
    /**
     * Products of at most this many multiply-adds per batch skip packing. The plain loop makes
     * the same fused multiply-adds in the same order, starting from 0 in the output dtype, as the
     * blocked kernels do, so the choice of path never changes a bit of the result.
     */
    private static final long SMALL = 4096;

    /** Outputs with fewer columns than this (and more rows) are computed transposed. */
    private static final int NARROW = 32;

    private MatmulKernels() {
    }

    /** Runs the primitive; the backend has checked shapes, dtypes and bounds. */
    static void run(CpuParallel par, View a, View b, View out) {
        Layout al = a.layout();
        Layout bl = b.layout();
        Layout cl = out.layout();
        long[] cs = cl.shape();
        if (al.shape()[2] > CpuBackend.MAX_ELEMENTS) {
            // only a broadcast (stride 0) operand can be this long: its buffer is one Java array
            throw new IllegalArgumentException("matmul: inner dimension " + al.shape()[2] + " is longer than the CPU "
                    + "backend's limit of " + CpuBackend.MAX_ELEMENTS + " elements; materialise a shorter operand");
        }
        int batches = (int) cs[0];
        int m = (int) cs[1];
        int n = (int) cs[2];
        int k = (int) al.shape()[2];
        if (cl.numel() == 0) {
            return;
        }
        if (k == 0) {
            CopyKernels.fill(par, out, 0.0);
            return;
        }
        int[] as = strides(al);
        int[] bs = strides(bl);
        int[] ct = strides(cl);
        CpuBuffer ab = (CpuBuffer) a.buffer();
        CpuBuffer bb = (CpuBuffer) b.buffer();
        CpuBuffer cb = (CpuBuffer) out.buffer();
        int ao = (int) al.offset();
        int bo = (int) bl.offset();
        int co = (int) cl.offset();
        long work = (long) batches * m * n * k;
        if ((long) m * n * k <= SMALL && work <= SMALL * 16) {
            for (int batch = 0; batch < batches; batch++) {
                small(ab, ao + batch * as[0], as[1], as[2], bb, bo + batch * bs[0], bs[1], bs[2],
                        cb, co + batch * ct[0], ct[1], ct[2], m, n, k);
            }
            return;
        }
        if (n < NARROW && m > n) {
            // C^T = B^T A^T: the vectorised inner loop runs along C's rows, not its few columns;
            // each element still sums the same products in the same order
            blocked(par, bb, bo, swapInner(bs), ab, ao, swapInner(as), cb, co, swapInner(ct), batches, n, m, k);
        } else {
            blocked(par, ab, ao, as, bb, bo, bs, cb, co, ct, batches, m, n, k);
        }
    }

    /** The strides of the transposed matrices: batch stride kept, row and column strides exchanged. */
    private static int[] swapInner(int[] s) {
        return new int[] {s[0], s[2], s[1]};
    }

    private static void blocked(CpuParallel par, CpuBuffer ab, int ao, int[] as, CpuBuffer bb, int bo, int[] bs,
                                CpuBuffer cb, int co, int[] ct, int batches, int m, int n, int k) {
        long work = (long) batches * m * n * k;
        // units of work: MR rows of one batch; a thread takes a run of consecutive units
        int blocksPerBatch = (m + MatmulF32.MR - 1) / MatmulF32.MR;
        long units = (long) batches * blocksPerBatch;
        // four multiply-adds count as one unit of work, so splitting starts at 2^22 (about 160^3):
        // measured serial/split, 128^3: 0.24 vs 0.23-0.28 ms; 192^3: 0.76-1.1 vs 0.61-0.80 ms
        int tasks = par.worthSplitting(work / 4, 1) ? (int) Math.min(par.threads(), units) : 1;
        par.run(tasks, t -> {
            long from = units * t / tasks;
            long to = units * (t + 1) / tasks;
            boolean f32 = cb.dtype == ElementType.FLOAT32;
            MatmulF32.Scratch s32 = f32 ? new MatmulF32.Scratch(k, n) : null;
            MatmulF64.Scratch s64 = f32 ? null : new MatmulF64.Scratch(k, n);
            for (long u = from; u < to; ) {
                int batch = (int) (u / blocksPerBatch);
                int firstBlock = (int) (u % blocksPerBatch);
                int lastBlock = (int) Math.min(blocksPerBatch, firstBlock + (to - u));
                int rowFrom = firstBlock * MatmulF32.MR;
                int rowTo = Math.min(m, lastBlock * MatmulF32.MR);
                int a0 = ao + batch * as[0];
                int b0 = bo + batch * bs[0];
                int c0 = co + batch * ct[0];
                if (f32) {
                    MatmulF32.rows(ab.f32, a0, as[1], as[2], bb.f32, b0, bs[1], bs[2],
                            cb.f32, c0, ct[1], ct[2], rowFrom, rowTo, n, k, s32);
                } else {
                    MatmulF64.rows(ab.f64, a0, as[1], as[2], bb.f64, b0, bs[1], bs[2],
                            cb.f64, c0, ct[1], ct[2], rowFrom, rowTo, n, k, s64);
                }
                u += lastBlock - firstBlock;
            }
        });
    }

    private static void small(CpuBuffer ab, int ao, int sam, int sak, CpuBuffer bb, int bo, int sbk, int sbn,
                              CpuBuffer cb, int co, int scm, int scn, int m, int n, int k) {
        if (cb.dtype == ElementType.FLOAT32) {
            float[] a = ab.f32;
            float[] b = bb.f32;
            float[] c = cb.f32;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float acc = 0;
                    for (int p = 0, x = ao + i * sam, y = bo + j * sbn; p < k; p++, x += sak, y += sbk) {
                        acc = Math.fma(a[x], b[y], acc);
                    }
                    c[co + i * scm + j * scn] = acc;
                }
            }
        } else {
            double[] a = ab.f64;
            double[] b = bb.f64;
            double[] c = cb.f64;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0, x = ao + i * sam, y = bo + j * sbn; p < k; p++, x += sak, y += sbk) {
                        acc = Math.fma(a[x], b[y], acc);
                    }
                    c[co + i * scm + j * scn] = acc;
                }
            }
        }
    }

    /** Strides as ints, 0 for size-1 dimensions (whose stride may be anything). */
    private static int[] strides(Layout l) {
        long[] shape = l.shape();
        long[] strides = l.strides();
        int[] s = new int[3];
        for (int d = 0; d < 3; d++) {
            s[d] = shape[d] == 1 ? 0 : (int) strides[d];
        }
        return s;
    }
}
