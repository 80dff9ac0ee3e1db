package dev.clgrad.cpu;

import dev.clgrad.spi.Layout;
import dev.clgrad.spi.ReduceOp;

/**
 * INT64 reductions: exact, so any order gives the same result; one thread walks the input in
 * row-major order and folds each element into its output element (the output seen with zero
 * strides on the reduced axes). Integer tensors are labels and counts, not hot loops.
 */
final class ReduceLong {
    private ReduceLong() {
    }

    static void run(ReduceOp op, CpuBuffer ib, Layout il, CpuBuffer ob, Layout ol) {
        long[] ishape = il.shape();
        long[] oshape = ol.shape();
        long[] ostrides = ol.strides().clone();
        for (int d = 0; d < ishape.length; d++) {
            if (oshape[d] != ishape[d]) {
                ostrides[d] = 0;
            }
        }
        long init = switch (op) {
            case SUM -> 0;
            case MAX -> Long.MIN_VALUE;
            case MIN -> Long.MAX_VALUE;
        };
        StridedCursor outs = StridedCursor.of(oshape, new long[][] {ol.strides()}, new long[] {ol.offset()});
        for (long pos = 0, n = ol.numel(); pos < n; ) {
            int len = outs.rowLength();
            for (int i = 0, at = outs.offset(0); i < len; i++, at += outs.innerStride(0)) {
                ob.i64[at] = init;
            }
            pos += len;
            outs.advance(len);
        }
        StridedCursor cur = StridedCursor.of(ishape, new long[][] {il.strides(), ostrides},
                new long[] {il.offset(), ol.offset()});
        long[] a = ib.i64;
        long[] o = ob.i64;
        int is = cur.innerStride(0);
        int os = cur.innerStride(1);
        for (long pos = 0, n = il.numel(); pos < n; ) {
            int len = cur.rowLength();
            int x = cur.offset(0);
            int y = cur.offset(1);
            for (int i = 0; i < len; i++, x += is, y += os) {
                o[y] = switch (op) {
                    case SUM -> o[y] + a[x];
                    case MAX -> Math.max(o[y], a[x]);
                    case MIN -> Math.min(o[y], a[x]);
                };
            }
            pos += len;
            cur.advance(len);
        }
    }
}
