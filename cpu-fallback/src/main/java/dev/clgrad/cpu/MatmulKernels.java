package dev.clgrad.cpu;

import dev.clgrad.DType;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;

/**
 * The batched matmul primitive: splits {@code [B, M, N]} outputs into row ranges across threads
 * and hands them to {@link MatmulF32} or {@link MatmulF64}. Each output element is computed by
 * one thread in a fixed order, so results do not depend on the split.
 */
final class MatmulKernels {
    private MatmulKernels() {
    }

    /** Runs the primitive; the backend has checked shapes, dtypes and bounds. */
    static void run(CpuParallel par, View a, View b, View out) {
        Layout al = a.layout();
        Layout bl = b.layout();
        Layout cl = out.layout();
        long[] cs = cl.shape();
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
        // units of work: MR rows of one batch; a thread takes a run of consecutive units
        int blocksPerBatch = (m + MatmulF32.MR - 1) / MatmulF32.MR;
        long units = (long) batches * blocksPerBatch;
        int tasks = par.worthSplitting(work / 8) ? (int) Math.min(par.threads(), units) : 1;
        par.run(tasks, t -> {
            long from = units * t / tasks;
            long to = units * (t + 1) / tasks;
            boolean f32 = cb.dtype == DType.FLOAT32;
            float[] s32 = f32 ? MatmulF32.scratch(k, n, bs[2] != 1) : null;
            double[] s64 = f32 ? null : MatmulF64.scratch(k, n, bs[2] != 1);
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
