package dev.clgrad.cpu;

import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;

/**
 * Gather and scatter-add along one dimension. Both walk the positions' shape with a
 * {@link StridedCursor} over three operands, the data operand seen with stride 0 along
 * {@code dim} (its base for the position), to which the index times the data's stride along
 * {@code dim} is added. One thread: these serve labels, embeddings and their gradients, and a
 * single walk keeps scatter-add's sums in a fixed order.
 */
final class IndexKernels {
    private IndexKernels() {
    }

    static void gather(View src, int dim, View index, View out) {
        Layout ol = out.layout();
        if (ol.numel() == 0) {
            return;
        }
        CpuBuffer sb = (CpuBuffer) src.buffer();
        CpuBuffer ib = (CpuBuffer) index.buffer();
        CpuBuffer ob = (CpuBuffer) out.buffer();
        Layout sl = src.layout();
        long[] srcStrides = withoutDim(sl, dim);
        long step = sl.dim() == 0 ? 0 : sl.strides()[dim];
        StridedCursor cur = StridedCursor.of(ol.shape(), new long[][] {ol.strides(), index.layout().strides(),
                srcStrides}, new long[] {ol.offset(), index.layout().offset(), sl.offset()});
        int os = cur.innerStride(0);
        int is = cur.innerStride(1);
        int ss = cur.innerStride(2);
        for (long pos = 0, n = ol.numel(); pos < n; ) {
            int len = cur.rowLength();
            int o = cur.offset(0);
            int i = cur.offset(1);
            int s = cur.offset(2);
            for (int k = 0; k < len; k++, o += os, i += is, s += ss) {
                int from = (int) (s + ib.i64[i] * step);
                switch (ob.dtype) {
                    case FLOAT32 -> ob.f32[o] = sb.f32[from];
                    case FLOAT64 -> ob.f64[o] = sb.f64[from];
                    case INT64 -> ob.i64[o] = sb.i64[from];
                    case UINT8, BOOL -> ob.u8[o] = sb.u8[from];
                }
            }
            pos += len;
            cur.advance(len);
        }
    }

    static void scatterAdd(View out, int dim, View index, View src) {
        Layout il = index.layout();
        if (il.numel() == 0) {
            return;
        }
        CpuBuffer ob = (CpuBuffer) out.buffer();
        CpuBuffer ib = (CpuBuffer) index.buffer();
        CpuBuffer sb = (CpuBuffer) src.buffer();
        Layout ol = out.layout();
        long[] outStrides = withoutDim(ol, dim);
        long step = ol.dim() == 0 ? 0 : ol.strides()[dim];
        StridedCursor cur = StridedCursor.of(il.shape(), new long[][] {il.strides(), src.layout().strides(),
                outStrides}, new long[] {il.offset(), src.layout().offset(), ol.offset()});
        int is = cur.innerStride(0);
        int ss = cur.innerStride(1);
        int os = cur.innerStride(2);
        boolean f32 = ob.f32 != null;
        for (long pos = 0, n = il.numel(); pos < n; ) {
            int len = cur.rowLength();
            int i = cur.offset(0);
            int s = cur.offset(1);
            int o = cur.offset(2);
            for (int k = 0; k < len; k++, i += is, s += ss, o += os) {
                int to = (int) (o + ib.i64[i] * step);
                if (f32) {
                    ob.f32[to] += sb.f32[s];
                } else {
                    ob.f64[to] += sb.f64[s];
                }
            }
            pos += len;
            cur.advance(len);
        }
    }

    /** {@code l}'s strides with 0 along {@code dim}: the data's base for each position. */
    private static long[] withoutDim(Layout l, int dim) {
        long[] st = l.strides().clone();
        if (st.length > 0) {
            st[dim] = 0;
        }
        return st;
    }
}
