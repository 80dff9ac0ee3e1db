package dev.clgrad.cpu;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.ReduceOp;
import dev.clgrad.spi.View;

/**
 * The reduce primitive: SUM, MAX and MIN over the axes where the output has size 1.
 *
 * <p>Paths: a full reduction of an input that covers a dense block of memory (contiguous, or a
 * permutation of it such as a transpose) reads memory in order; a contiguous input reduced over
 * trailing axes into a contiguous output reduces rows; anything else accumulates into a double
 * array shaped like the output while walking the input in row-major order.
 *
 * <p>Determinism: a dense run is cut into pieces of {@link #PIECE} elements whatever the thread
 * count, each piece is summed with eight accumulators in a fixed pattern (with or without the
 * Vector API, see {@link VectorKernels}), and piece results are
 * folded left to right, so one thread and many give bit-identical sums. The other paths give each
 * output element to exactly one thread. FLOAT32 sums accumulate in double.
 */
final class ReduceKernels {
    /** Elements per partial result of a dense run. */
    static final int PIECE = 1 << 14;

    private ReduceKernels() {
    }

    /** Runs the primitive; the backend has checked ranks, shapes, dtypes and bounds. */
    static void run(CpuParallel par, ReduceOp op, View in, View out) {
        Layout il = in.layout();
        Layout ol = out.layout();
        long outN = ol.numel();
        if (outN == 0) {
            return;
        }
        long inN = il.numel();
        if (inN == 0) {
            CopyKernels.fill(par, out, 0.0);
            return;
        }
        CpuBuffer ib = (CpuBuffer) in.buffer();
        CpuBuffer ob = (CpuBuffer) out.buffer();
        if (ib.dtype == ElementType.INT64) {
            ReduceLong.run(op, ib, il, ob, ol);
            return;
        }
        long[] oshape = ol.shape();
        // A reduced dimension that broadcasts (stride 0) repeats each value it reads: read it once,
        // and a sum multiplies by its size, so a reduction costs the elements that really exist.
        double repeats = 1;
        long[] ishape = il.shape().clone();
        for (int d = 0; d < ishape.length; d++) {
            if (il.strides()[d] == 0 && ishape[d] > 1 && oshape[d] == 1) {
                repeats *= ishape[d];
                ishape[d] = 1;
            }
        }
        if (repeats != 1) {
            il = new Layout(ishape, il.strides(), il.offset());
            general(par, op, ib, il, ob, ol, op == ReduceOp.SUM ? repeats : 1);
            return;
        }
        boolean anyReduced = false;
        boolean keptAfterReduced = false;
        for (int d = 0; d < ishape.length; d++) {
            boolean reduced = oshape[d] == 1 && ishape[d] != 1;
            keptAfterReduced |= anyReduced && !reduced && ishape[d] != 1;
            anyReduced |= reduced;
        }
        if (!anyReduced) {
            CopyKernels.copy(par, in, out);
            return;
        }
        if (outN == 1) {
            long start = il.isContiguous() ? il.offset() : denseStart(il);
            if (start >= 0) {
                store(ob, (int) ol.offset(), dense(par, op, ib, (int) start, (int) inN));
                return;
            }
        }
        if (!keptAfterReduced && il.isContiguous() && ol.isContiguous()) {
            rows(par, op, ib, (int) il.offset(), ob, (int) ol.offset(), (int) outN, (int) (inN / outN));
            return;
        }
        general(par, op, ib, il, ob, ol, 1);
    }

    /**
     * Where the block starts when {@code l} visits each element of a dense block of memory exactly
     * once in some order (a permuted contiguous layout), else -1.
     */
    private static long denseStart(Layout l) {
        long[] shape = l.shape();
        long[] strides = l.strides();
        long start = l.offset();
        int r = 0;
        long[] s = new long[shape.length];
        long[] n = new long[shape.length];
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] != 1) {
                if (strides[d] < 0) {
                    start += (shape[d] - 1) * strides[d];
                }
                s[r] = Math.abs(strides[d]);
                n[r++] = shape[d];
            }
        }
        long expected = 1;
        for (int placed = 0; placed < r; placed++) {
            int found = -1;
            for (int d = 0; d < r && found < 0; d++) {
                if (s[d] == expected && n[d] > 0) {
                    found = d;
                }
            }
            if (found < 0) {
                return -1;
            }
            expected *= n[found];
            n[found] = 0;
        }
        return start;
    }

    /** Reduces {@code len > 0} consecutive elements, split over threads when large. */
    private static double dense(CpuParallel par, ReduceOp op, CpuBuffer b, int off, int len) {
        int pieces = (len + PIECE - 1) / PIECE;
        if (pieces == 1 || !par.worthSplitting(len, CpuParallel.COST_REDUCE)) {
            return denseSequential(op, b, off, len);
        }
        double[] partial = new double[pieces];
        par.forRange(pieces, 1, (from, to) -> {
            for (int p = (int) from; p < to; p++) {
                int o = off + p * PIECE;
                partial[p] = piece(op, b, o, Math.min(PIECE, off + len - o));
            }
        });
        double acc = partial[0];
        for (int p = 1; p < pieces; p++) {
            acc = combine(op, acc, partial[p]);
        }
        return acc;
    }

    /** Same pieces and fold order as the split path of {@link #dense}. */
    private static double denseSequential(ReduceOp op, CpuBuffer b, int off, int len) {
        double acc = piece(op, b, off, Math.min(PIECE, len));
        for (int o = off + PIECE; o < off + len; o += PIECE) {
            acc = combine(op, acc, piece(op, b, o, Math.min(PIECE, off + len - o)));
        }
        return acc;
    }

    static double combine(ReduceOp op, double acc, double x) {
        return switch (op) {
            case SUM -> acc + x;
            case MAX -> Math.max(acc, x);
            case MIN -> Math.min(acc, x);
        };
    }

    private static double piece(ReduceOp op, CpuBuffer b, int off, int len) {
        return b.dtype == ElementType.FLOAT32 ? piece(op, b.f32, off, len) : piece(op, b.f64, off, len);
    }

    /** One piece of a float32 run, as {@link #piece(ReduceOp, CpuBuffer, int, int)} reduces it. */
    static double piece(ReduceOp op, float[] a, int off, int len) {
        return switch (op) {
            case SUM -> sum(a, off, len);
            case MAX -> CpuVectors.ENABLED ? VectorKernels.max(a, off, len) : max(a, off, len);
            case MIN -> CpuVectors.ENABLED ? VectorKernels.min(a, off, len) : min(a, off, len);
        };
    }

    /** One piece of a float64 run, as {@link #piece(ReduceOp, CpuBuffer, int, int)} reduces it. */
    static double piece(ReduceOp op, double[] a, int off, int len) {
        return switch (op) {
            case SUM -> sum(a, off, len);
            case MAX -> CpuVectors.ENABLED ? VectorKernels.max(a, off, len) : max(a, off, len);
            case MIN -> CpuVectors.ENABLED ? VectorKernels.min(a, off, len) : min(a, off, len);
        };
    }

    /**
     * The sum of a run in double: element {@code off + 8m + j} into accumulator {@code j}, the
     * last elements into accumulator 0, then {@link #fold}; the Vector API kernel
     * ({@link VectorKernels}) computes the same when it is enabled. Independent accumulators let
     * the additions overlap instead of waiting on one chain.
     */
    private static double sum(float[] a, int off, int len) {
        return CpuVectors.ENABLED ? VectorKernels.sum(a, off, len) : scalarSum(a, off, len);
    }

    private static double sum(double[] a, int off, int len) {
        return CpuVectors.ENABLED ? VectorKernels.sum(a, off, len) : scalarSum(a, off, len);
    }

    /** {@link #sum(float[], int, int)} without the Vector API: eight accumulators, as described there. */
    static double scalarSum(float[] a, int off, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int end = off + len;
        int i = off;
        for (; i + 8 <= end; i += 8) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
            s4 += a[i + 4];
            s5 += a[i + 5];
            s6 += a[i + 6];
            s7 += a[i + 7];
        }
        for (; i < end; i++) {
            s0 += a[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** {@link #sum(double[], int, int)} without the Vector API. */
    static double scalarSum(double[] a, int off, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int end = off + len;
        int i = off;
        for (; i + 8 <= end; i += 8) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
            s4 += a[i + 4];
            s5 += a[i + 5];
            s6 += a[i + 6];
            s7 += a[i + 7];
        }
        for (; i < end; i++) {
            s0 += a[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Eight lanes folded as {@code ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))}. */
    static double fold(double[] l) {
        return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
    }

    /** The largest of a run, NaN if any is (as {@link Math#max}). */
    static double max(float[] a, int off, int len) {
        float m0 = a[off], m1 = m0, m2 = m0, m3 = m0;
        int end = off + len;
        int i = off;
        for (; i + 4 <= end; i += 4) {
            m0 = Math.max(m0, a[i]);
            m1 = Math.max(m1, a[i + 1]);
            m2 = Math.max(m2, a[i + 2]);
            m3 = Math.max(m3, a[i + 3]);
        }
        for (; i < end; i++) {
            m0 = Math.max(m0, a[i]);
        }
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /** The largest of a run, NaN if any is (as {@link Math#max}). */
    static double max(double[] a, int off, int len) {
        double m0 = a[off], m1 = m0, m2 = m0, m3 = m0;
        int end = off + len;
        int i = off;
        for (; i + 4 <= end; i += 4) {
            m0 = Math.max(m0, a[i]);
            m1 = Math.max(m1, a[i + 1]);
            m2 = Math.max(m2, a[i + 2]);
            m3 = Math.max(m3, a[i + 3]);
        }
        for (; i < end; i++) {
            m0 = Math.max(m0, a[i]);
        }
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /** The smallest of a run, NaN if any is (as {@link Math#min}). */
    static double min(float[] a, int off, int len) {
        float m0 = a[off], m1 = m0, m2 = m0, m3 = m0;
        int end = off + len;
        int i = off;
        for (; i + 4 <= end; i += 4) {
            m0 = Math.min(m0, a[i]);
            m1 = Math.min(m1, a[i + 1]);
            m2 = Math.min(m2, a[i + 2]);
            m3 = Math.min(m3, a[i + 3]);
        }
        for (; i < end; i++) {
            m0 = Math.min(m0, a[i]);
        }
        return Math.min(Math.min(m0, m1), Math.min(m2, m3));
    }

    /** The smallest of a run, NaN if any is (as {@link Math#min}). */
    static double min(double[] a, int off, int len) {
        double m0 = a[off], m1 = m0, m2 = m0, m3 = m0;
        int end = off + len;
        int i = off;
        for (; i + 4 <= end; i += 4) {
            m0 = Math.min(m0, a[i]);
            m1 = Math.min(m1, a[i + 1]);
            m2 = Math.min(m2, a[i + 2]);
            m3 = Math.min(m3, a[i + 3]);
        }
        for (; i < end; i++) {
            m0 = Math.min(m0, a[i]);
        }
        return Math.min(Math.min(m0, m1), Math.min(m2, m3));
    }

    static void store(CpuBuffer b, int at, double v) {
        if (b.dtype == ElementType.FLOAT32) {
            b.f32[at] = (float) v;
        } else {
            b.f64[at] = v;
        }
    }

    /** {@code rows} outputs, each reducing {@code len} consecutive inputs. */
    private static void rows(CpuParallel par, ReduceOp op, CpuBuffer ib, int io, CpuBuffer ob, int oo,
                             int rows, int len) {
        if (rows == 1 || !par.worthSplitting((long) rows * len, CpuParallel.COST_REDUCE)) {
            rowRange(op, ib, io, ob, oo, len, 0, rows);
        } else {
            par.forRange(rows, 1, (from, to) -> rowRange(op, ib, io, ob, oo, len, (int) from, (int) to));
        }
    }

    private static void rowRange(ReduceOp op, CpuBuffer ib, int io, CpuBuffer ob, int oo, int len,
                                 int from, int to) {
        for (int r = from; r < to; r++) {
            store(ob, oo + r, denseSequential(op, ib, io + r * len, len));
        }
    }

    /**
     * The strided path: splits the longest kept axis across threads (each output element stays
     * with one thread), then accumulates every input element into its output's slot.
     */
    private static void general(CpuParallel par, ReduceOp op, CpuBuffer ib, Layout il, CpuBuffer ob, Layout ol,
                                double scale) {
        long[] ishape = il.shape();
        long[] oshape = ol.shape();
        int split = -1;
        for (int d = 0; d < ishape.length; d++) {
            if (oshape[d] == ishape[d] && ishape[d] > 1 && (split < 0 || ishape[d] > ishape[split])) {
                split = d;
            }
        }
        if (split < 0 || !par.worthSplitting(il.numel(), CpuParallel.COST_REDUCE)) {
            generalPart(op, ib, il, ob, ol, scale);
            return;
        }
        int axis = split;
        par.forRange(ishape[axis], 1, (from, to) -> generalPart(op, ib, slice(il, axis, from, to), ob,
                slice(ol, axis, from, to), scale));
    }

    private static Layout slice(Layout l, int axis, long from, long to) {
        long[] shape = l.shape().clone();
        shape[axis] = to - from;
        return new Layout(shape, l.strides(), l.offset() + from * l.strides()[axis]);
    }

    /** Accumulates in double, multiplies by {@code scale} (a sum's broadcast repeats) and stores once. */
    private static void generalPart(ReduceOp op, CpuBuffer ib, Layout il, CpuBuffer ob, Layout ol, double scale) {
        long[] oshape = ol.shape();
        int outN = (int) ol.numel();
        double[] acc = new double[outN];
        if (op != ReduceOp.SUM) {
            java.util.Arrays.fill(acc, op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        long[] accStrides = Layout.contiguousStrides(oshape);
        long[] toAcc = accStrides.clone();
        for (int d = 0; d < oshape.length; d++) {
            if (oshape[d] == 1) {
                toAcc[d] = 0;
            }
        }
        StridedCursor in = StridedCursor.of(il.shape(), new long[][] {il.strides(), toAcc},
                new long[] {il.offset(), 0});
        int is = in.innerStride(0);
        int as = in.innerStride(1);
        for (long pos = 0, n = il.numel(); pos < n; ) {
            int len = in.rowLength();
            accumulateRow(op, ib, in.offset(0), is, acc, in.offset(1), as, len);
            pos += len;
            in.advance(len);
        }
        StridedCursor out = StridedCursor.of(oshape, new long[][] {ol.strides(), accStrides},
                new long[] {ol.offset(), 0});
        int os = out.innerStride(0);
        int cs = out.innerStride(1);
        for (long pos = 0; pos < outN; ) {
            int len = out.rowLength();
            for (int i = 0, o = out.offset(0), c = out.offset(1); i < len; i++, o += os, c += cs) {
                store(ob, o, acc[c] * scale);
            }
            pos += len;
            out.advance(len);
        }
    }

    private static void accumulateRow(ReduceOp op, CpuBuffer ib, int io, int is, double[] acc, int ao, int as,
                                      int len) {
        float[] f = ib.f32;
        double[] d = ib.f64;
        boolean f32 = f != null;
        switch (op) {
            case SUM -> {
                for (int i = 0; i < len; i++, io += is, ao += as) {
                    acc[ao] += f32 ? f[io] : d[io];
                }
            }
            case MAX -> {
                for (int i = 0; i < len; i++, io += is, ao += as) {
                    acc[ao] = Math.max(acc[ao], f32 ? f[io] : d[io]);
                }
            }
            case MIN -> {
                for (int i = 0; i < len; i++, io += is, ao += as) {
                    acc[ao] = Math.min(acc[ao], f32 ? f[io] : d[io]);
                }
            }
        }
    }
}
