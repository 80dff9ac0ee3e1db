package dev.clgrad.opencl;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.ReduceOp;
import dev.clgrad.spi.View;

import java.util.Locale;

/**
 * The reduce primitive. The kept axes and the reduced axes are each merged into one
 * dimension where the layout allows (any contiguous input, any transpose of a reduced block);
 * otherwise the input is first copied, kept axes first, into a contiguous scratch buffer. The
 * kernels then see output row {@code o}, reduced index {@code r} at {@code off + o*os + r*rs}.
 *
 * <p>Determinism: every partition depends only on the sizes and on the device (its compute
 * units and the strategy), so the same inputs on the same device give bit-identical results.
 */
final class ClReduce {
    private static final String FILE = "reduce.cl";
    /** Work-group size of the GPU tree kernels (a power of two). */
    static final int TREE = 256;
    /** Most work-groups a GPU full reduction uses; their partials are summed by one more group. */
    private static final int MAX_TREE_GROUPS = 1024;
    /** Smallest run one CPU work-item sums in a full reduction. */
    private static final long MIN_CHUNK = 1 << 14;

    private ClReduce() {
    }

    static void run(ClBackend be, ReduceOp op, View in, View out) {
        Layout il = in.layout();
        Layout ol = out.layout();
        if (ol.numel() == 0) {
            return;
        }
        if (il.numel() == 0) {
            ClCopy.fill(be, out, 0);
            return;
        }
        long[] is = il.shape();
        long[] os = ol.shape();
        int rank = is.length;
        int nk = 0;
        int nr = 0;
        long[] keptShape = new long[rank], keptIn = new long[rank], keptOut = new long[rank];
        long[] redShape = new long[rank], redIn = new long[rank];
        for (int d = 0; d < rank; d++) {
            if (is[d] == 1) {
                continue;
            }
            if (os[d] == 1) {
                redShape[nr] = is[d];
                redIn[nr++] = il.strides()[d];
            } else {
                keptShape[nk] = is[d];
                keptIn[nk] = il.strides()[d];
                keptOut[nk++] = ol.strides()[d];
            }
        }
        if (nr == 0) {
            ClCopy.copy(be, in, out);
            return;
        }
        long[] ks = java.util.Arrays.copyOf(keptShape, nk);
        long[] rs = java.util.Arrays.copyOf(redShape, nr);
        Layout outKept = new Layout(ks, java.util.Arrays.copyOf(keptOut, nk), ol.offset());
        ClShape kept = ClShape.of(new Layout(ks, java.util.Arrays.copyOf(keptIn, nk), il.offset()), outKept);
        ClShape red = ClShape.of(new Layout(rs, java.util.Arrays.copyOf(redIn, nr), 0));
        ElementType dtype = ((ClBuffer) in.buffer()).dtype;
        if (kept.rank() <= 1 && red.rank() == 1) {
            long outer = kept.rank() == 0 ? 1 : kept.shape()[0];
            long inStride = kept.rank() == 0 ? 0 : kept.strides()[0][0];
            long outStride = kept.rank() == 0 ? 0 : kept.strides()[1][0];
            rows(be, op, dtype, in.buffer(), il.offset(), outer, inStride, red.shape()[0], red.strides()[0][0],
                    (ClBuffer) out.buffer(), ol.offset(), outStride);
            return;
        }
        // Gather the input kept axes first into [outer, inner], then reduce rows of it.
        long outer = ClShape.product(ks);
        long inner = il.numel() / outer;
        long[] permShape = concat(ks, rs);
        long[] permStrides = concat(java.util.Arrays.copyOf(keptIn, nk), java.util.Arrays.copyOf(redIn, nr));
        ClBuffer gathered = be.scratch(dtype, il.numel());
        try {
            ClCopy.copy(be, new View(in.buffer(), new Layout(permShape, permStrides, il.offset())),
                    new View(gathered, Layout.contiguous(permShape)));
            ClShape outGeo = ClShape.of(outKept);
            if (outGeo.rank() <= 1) {
                rows(be, op, dtype, gathered, 0, outer, inner, inner, 1, (ClBuffer) out.buffer(), ol.offset(),
                        outGeo.rank() == 0 ? 0 : outGeo.strides()[0][0]);
                return;
            }
            ClBuffer result = be.scratch(dtype, outer);
            try {
                rows(be, op, dtype, gathered, 0, outer, inner, inner, 1, result, 0, 1);
                ClCopy.copy(be, new View(result, Layout.contiguous(ks)), new View(out.buffer(), outKept));
            } finally {
                be.release(result);
            }
        } finally {
            be.release(gathered);
        }
    }

    private static long[] concat(long[] a, long[] b) {
        long[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Reduces {@code outer} runs of {@code inner} elements into {@code out[oo + o*ost]}. */
    private static void rows(ClBackend be, ReduceOp op, ElementType dtype, Object in, long off, long outer, long os,
                             long inner, long rs, ClBuffer out, long oo, long ost) {
        String[] names = names(op, dtype);
        String p = names[0];
        String sfx = names[1];
        String what = "reduce " + op;
        if (outer == 1) {
            full(be, p, sfx, what, dtype, in, off, inner, rs, out, oo);
        } else if (treeRows(be, inner, rs)) {
            be.launch(be.kernel(FILE, dtype, p + "rows_tree" + sfx), what, new long[] {outer * TREE},
                    new long[] {TREE}, in, off, outer, os, inner, rs, out, oo, ost, local(be));
        } else {
            be.launch(be.kernel(FILE, dtype, p + "rows" + sfx), what, new long[] {outer},
                    new long[] {rowsGroup(be)}, in, off, outer, os, inner, rs, out, oo, ost);
        }
    }

    /** A full reduction in two passes: partials per chunk or work-group, then one finishing pass. */
    private static void full(ClBackend be, String p, String sfx, String what, ElementType dtype, Object in, long off,
                             long n, long rs, ClBuffer out, long oo) {
        ClBuffer part = be.scratch(accumulator(be, dtype), parts(be, n));
        try {
            if (be.strategy() == ClStrategy.GPU) {
                long groups = parts(be, n);
                be.launch(be.kernel(FILE, dtype, p + "tree" + sfx), what, new long[] {groups * TREE},
                        new long[] {TREE}, in, off, n, rs, part, local(be));
            } else {
                // one work-item per work-group: the driver spreads groups over its threads, while a
                // group of all np work-items would run on one of them
                be.launch(be.kernel(FILE, dtype, p + "chunks" + sfx), what, new long[] {parts(be, n)},
                        new long[] {1}, in, off, n, rs, chunk(be, n), part);
            }
            finish(be, p, sfx, what, dtype, part, parts(be, n), out, oo);
        } finally {
            be.release(part);
        }
    }

    /** Whether rows of {@code inner} elements {@code rs} apart reduce through GPU work-group trees. */
    static boolean treeRows(ClBackend be, long inner, long rs) {
        return be.strategy() == ClStrategy.GPU && rs == 1 && inner >= 64;
    }

    /** The work-group size of the one-row-per-work-item kernels. */
    static long rowsGroup(ClBackend be) {
        return be.strategy() == ClStrategy.GPU ? TREE : 64;
    }

    /** The type partial results accumulate in: double for floating types where the device has it. */
    static ElementType accumulator(ClBackend be, ElementType dtype) {
        return dtype == ElementType.INT64 ? ElementType.INT64
                : be.info().supportsFloat64() ? ElementType.FLOAT64 : ElementType.FLOAT32;
    }

    /**
     * Elements one CPU work-item of a full reduction of {@code n} folds: about four runs per compute
     * unit, at least {@link #MIN_CHUNK}, a multiple of 8.
     */
    static long chunk(ClBackend be, long n) {
        long pieces = Math.max(1, be.info().computeUnits()) * 4L;
        long chunk = Math.max(MIN_CHUNK, (n + pieces - 1) / pieces);
        return (chunk + 7) / 8 * 8;
    }

    /** Partial results of a full reduction of {@code n}: CPU chunks, or GPU work-groups. */
    static long parts(ClBackend be, long n) {
        if (be.strategy() == ClStrategy.GPU) {
            return Math.min(MAX_TREE_GROUPS, (n + TREE - 1) / TREE);
        }
        long chunk = chunk(be, n);
        return (n + chunk - 1) / chunk;
    }

    /** The finishing pass of a full reduction: {@code np} partials into {@code out[oo]}. */
    static void finish(ClBackend be, String p, String sfx, String what, ElementType dtype, ClBuffer part, long np,
                       ClBuffer out, long oo) {
        if (be.strategy() == ClStrategy.GPU) {
            be.launch(be.kernel(FILE, dtype, p + "finish_tree" + sfx), what, new long[] {TREE},
                    new long[] {TREE}, part, np, out, oo, local(be));
        } else {
            be.launch(be.kernel(FILE, dtype, p + "finish" + sfx), what, new long[] {1}, null, part, np, out, oo);
        }
    }

    /** The kernel name prefix and suffix of {@code op} over {@code dtype}: {@code sum_}, {@code _f32}. */
    static String[] names(ReduceOp op, ElementType dtype) {
        return new String[] {op.name().toLowerCase(Locale.ROOT) + "_", "_" + ClBackend.suffix(dtype)};
    }

    static ClBackend.LocalBytes local(ClBackend be) {
        // room for the widest accumulator (double or long) whatever this call's type
        return new ClBackend.LocalBytes((long) TREE * 8);
    }
}
