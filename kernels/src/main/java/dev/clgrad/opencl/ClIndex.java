package dev.clgrad.opencl;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;

/** The gather and scatter-add primitives ({@code index.cl}). */
final class ClIndex {
    private static final String FILE = "index.cl";

    private ClIndex() {
    }

    static void gather(ClBackend be, View src, int dim, View index, View out) {
        Layout ol = out.layout();
        long n = ol.numel();
        if (n == 0) {
            return;
        }
        checkRank("gather", ol);
        ElementType type = ((ClBuffer) out.buffer()).dtype;
        Layout sl = src.layout();
        long sdim = sl.dim() == 0 ? 0 : sl.strides()[dim];
        be.launch(be.kernel(FILE, type, "gather_" + ClBackend.suffix(type)), "gather", new long[] {n},
                be.strategy().groupFor(n), out.buffer(), ol.offset(), pad(ol.strides()), index.buffer(),
                index.layout().offset(), pad(index.layout().strides()), src.buffer(), sl.offset(),
                pad(withoutDim(sl.strides(), dim)), sdim, pad(ol.shape()), ol.dim(), n);
    }

    static void scatterAdd(ClBackend be, View out, int dim, View index, View src) {
        Layout il = index.layout();
        if (il.numel() == 0) {
            return;
        }
        checkRank("scatterAdd", il);
        ElementType type = ((ClBuffer) out.buffer()).dtype;
        Layout ol = out.layout();
        long[] lineShape = il.shape().clone();
        long count = il.dim() == 0 ? 1 : lineShape[dim];
        if (il.dim() > 0) {
            lineShape[dim] = 1;
        }
        long lines = il.numel() / count;
        long istep = il.dim() == 0 ? 0 : il.strides()[dim];
        long sstep = il.dim() == 0 ? 0 : src.layout().strides()[dim];
        long odim = ol.dim() == 0 ? 0 : ol.strides()[dim];
        be.launch(be.kernel(FILE, type, "scatter_add_" + ClBackend.suffix(type)), "scatterAdd", new long[] {lines},
                be.strategy().groupFor(lines), out.buffer(), ol.offset(), pad(withoutDim(ol.strides(), dim)),
                index.buffer(), il.offset(), pad(il.strides()), src.buffer(), src.layout().offset(),
                pad(src.layout().strides()), odim, pad(lineShape), il.dim(), lines, count, istep, sstep);
    }

    private static void checkRank(String what, Layout l) {
        if (l.dim() > ClShape.MAX_RANK) {
            throw new IllegalArgumentException(what + ": " + l.dim() + " dimensions; the OpenCL backend takes at most "
                    + ClShape.MAX_RANK + " here (reshape the tensor first)");
        }
    }

    private static long[] withoutDim(long[] strides, int dim) {
        long[] st = strides.clone();
        if (st.length > 0) {
            st[dim] = 0;
        }
        return st;
    }

    /** {@code v} padded with 1s (shape) or 0s (strides, harmless past the rank) to 8 entries. */
    private static long[] pad(long[] v) {
        long[] out = new long[ClShape.MAX_RANK];
        System.arraycopy(v, 0, out, 0, v.length);
        return out;
    }
}
