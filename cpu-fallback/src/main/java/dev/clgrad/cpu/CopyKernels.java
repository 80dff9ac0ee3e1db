package dev.clgrad.cpu;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.Philox;
import dev.clgrad.spi.RandomOp;
import dev.clgrad.spi.View;

/** The copy, fill and random primitives. */
final class CopyKernels {
    /** Values generated per batch by {@link #random}; a multiple of 4 so batches start on a group. */
    private static final int RANDOM_BATCH = 1024;

    private CopyKernels() {
    }

    /** {@code dst[i] = src[i]} in row-major order, converted as {@link CpuElements#convert} does. */
    static void copy(CpuParallel par, View src, View dst) {
        Layout sl = src.layout();
        Layout dl = dst.layout();
        long n = dl.numel();
        if (n == 0) {
            return;
        }
        CpuBuffer sb = (CpuBuffer) src.buffer();
        CpuBuffer db = (CpuBuffer) dst.buffer();
        if (sl.isContiguous() && dl.isContiguous()) {
            int so = (int) sl.offset();
            int d0 = (int) dl.offset();
            if (!par.worthSplitting(n, CpuParallel.COST_STREAM)) {
                copyRow(sb, so, 1, db, d0, 1, (int) n);
            } else {
                par.forRange(n, 1024, (from, to) -> copyRow(sb, so + (int) from, 1, db, d0 + (int) from, 1,
                        (int) (to - from)));
            }
            return;
        }
        StridedCursor cursor = StridedCursor.of(dl.shape(), new long[][] {sl.strides(), dl.strides()},
                new long[] {sl.offset(), dl.offset()});
        if (!par.worthSplitting(n, CpuParallel.COST_STREAM)) {
            copyStrided(sb, db, cursor, 0, n);
        } else {
            par.forRange(n, 1, (from, to) -> copyStrided(sb, db, cursor.copy(), from, to));
        }
    }

    private static void copyStrided(CpuBuffer sb, CpuBuffer db, StridedCursor cur, long from, long to) {
        int ss = cur.innerStride(0);
        int ds = cur.innerStride(1);
        cur.seek(from);
        for (long pos = from; pos < to; ) {
            int len = (int) Math.min(to - pos, cur.rowLength());
            copyRow(sb, cur.offset(0), ss, db, cur.offset(1), ds, len);
            pos += len;
            cur.advance(len);
        }
    }

    private static void copyRow(CpuBuffer sb, int so, int ss, CpuBuffer db, int d0, int ds, int n) {
        if (ss == 1 && ds == 1 && sb.dtype == db.dtype) {
            System.arraycopy(sb.array(), so, db.array(), d0, n);
            return;
        }
        if (!sb.dtype.isFloating() || !db.dtype.isFloating()) {
            for (int i = 0; i < n; i++, so += ss, d0 += ds) {
                CpuElements.convert(sb, so, db, d0);
            }
            return;
        }
        if (db.dtype == ElementType.FLOAT32) {
            float[] d = db.f32;
            if (sb.dtype == ElementType.FLOAT32) {
                float[] s = sb.f32;
                for (int i = 0; i < n; i++, so += ss, d0 += ds) {
                    d[d0] = s[so];
                }
            } else {
                double[] s = sb.f64;
                for (int i = 0; i < n; i++, so += ss, d0 += ds) {
                    d[d0] = (float) s[so];
                }
            }
        } else {
            double[] d = db.f64;
            if (sb.dtype == ElementType.FLOAT32) {
                float[] s = sb.f32;
                for (int i = 0; i < n; i++, so += ss, d0 += ds) {
                    d[d0] = s[so];
                }
            } else {
                double[] s = sb.f64;
                for (int i = 0; i < n; i++, so += ss, d0 += ds) {
                    d[d0] = s[so];
                }
            }
        }
    }

    /** Sets every element of {@code dst} to {@code value} rounded to its dtype. */
    static void fill(CpuParallel par, View dst, double value) {
        Layout l = dst.layout();
        long n = l.numel();
        if (n == 0) {
            return;
        }
        CpuBuffer b = (CpuBuffer) dst.buffer();
        if (l.isContiguous()) {
            int off = (int) l.offset();
            if (!par.worthSplitting(n, CpuParallel.COST_STREAM)) {
                fillRow(b, off, 1, (int) n, value);
            } else {
                par.forRange(n, 1024, (from, to) -> fillRow(b, off + (int) from, 1, (int) (to - from), value));
            }
            return;
        }
        StridedCursor cur = StridedCursor.of(l.shape(), new long[][] {l.strides()}, new long[] {l.offset()});
        int step = cur.innerStride(0);
        for (long pos = 0; pos < n; ) {
            int len = cur.rowLength();
            fillRow(b, cur.offset(0), step, len, value);
            pos += len;
            cur.advance(len);
        }
    }

    private static void fillRow(CpuBuffer b, int off, int step, int n, double value) {
        if (!b.dtype.isFloating()) {
            for (int i = 0; i < n; i++, off += step) {
                CpuElements.setDouble(b, off, value);
            }
            return;
        }
        if (step == 1) {
            if (b.dtype == ElementType.FLOAT32) {
                java.util.Arrays.fill(b.f32, off, off + n, (float) value);
            } else {
                java.util.Arrays.fill(b.f64, off, off + n, value);
            }
            return;
        }
        for (int i = 0; i < n; i++, off += step) {
            if (b.dtype == ElementType.FLOAT32) {
                b.f32[off] = (float) value;
            } else {
                b.f64[off] = value;
            }
        }
    }

    /**
     * Writes element {@code i} (row-major) of the Philox draw {@code (seed, offset)} to element
     * {@code i} of {@code dst}, generating {@link #RANDOM_BATCH} values at a time through
     * {@link Philox#fill} so the stream is the reference one by construction.
     */
    static void random(CpuParallel par, RandomOp op, long seed, long offset, View dst) {
        Layout l = dst.layout();
        long n = l.numel();
        if (n == 0) {
            return;
        }
        CpuBuffer b = (CpuBuffer) dst.buffer();
        StridedCursor cursor = StridedCursor.of(l.shape(), new long[][] {l.strides()}, new long[] {l.offset()});
        if (!par.worthSplitting(n, op == RandomOp.NORMAL ? CpuParallel.COST_NORMAL : CpuParallel.COST_UNIFORM)) {
            randomRange(op, seed, offset, b, cursor, 0, n);
        } else {
            par.forRange(n, RANDOM_BATCH, (from, to) -> randomRange(op, seed, offset, b, cursor.copy(), from, to));
        }
    }

    private static void randomRange(RandomOp op, long seed, long offset, CpuBuffer b, StridedCursor cur,
                                    long from, long to) {
        double[] batch = new double[(int) Math.min(RANDOM_BATCH, to - from)];
        int step = cur.innerStride(0);
        cur.seek(from);
        for (long start = from; start < to; start += batch.length) {
            int count = (int) Math.min(batch.length, to - start);
            double[] values = count == batch.length ? batch : new double[count];
            Philox.fill(op, b.dtype, seed, offset, start, values);
            for (int done = 0; done < count; ) {
                int len = Math.min(count - done, cur.rowLength());
                int at = cur.offset(0);
                if (b.dtype == ElementType.FLOAT32) {
                    for (int i = 0; i < len; i++, at += step) {
                        b.f32[at] = (float) values[done + i];
                    }
                } else {
                    for (int i = 0; i < len; i++, at += step) {
                        b.f64[at] = values[done + i];
                    }
                }
                done += len;
                cur.advance(len);
            }
        }
    }
}
