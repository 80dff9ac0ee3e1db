package dev.clgrad.opencl;

import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;

/**
 * The batched matmul primitive over strided operands: on CPU-type devices B is packed into
 * 16-column strips and each work-item computes an 8x16 block in registers; on GPUs 64x64
 * local-memory tiles ({@code matmul.cl}). A batch of size 1 in
 * {@code a} or {@code b} broadcasts (stride 0), and {@code K == 0} gives zeros.
 */
final class ClMatmul {
    private ClMatmul() {
    }

    static void run(ClBackend be, View a, View b, View out) {
        Layout al = a.layout();
        Layout bl = b.layout();
        Layout cl = out.layout();
        long batch = cl.shape()[0];
        long m = cl.shape()[1];
        long n = cl.shape()[2];
        long k = al.shape()[2];
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            ClCopy.fill(be, out, 0);
            return;
        }
        ElementType dtype = ((ClBuffer) out.buffer()).dtype;
        String sfx = dtype == ElementType.FLOAT64 ? "f64" : "f32";
        long abs = al.shape()[0] == 1 ? 0 : al.strides()[0];
        long bbs = bl.shape()[0] == 1 ? 0 : bl.strides()[0];
        if (be.strategy() == ClStrategy.GPU) {
            Object[] args = {
                a.buffer(), al.offset(), abs, al.strides()[1], al.strides()[2],
                b.buffer(), bl.offset(), bbs, bl.strides()[1], bl.strides()[2],
                out.buffer(), cl.offset(), cl.strides()[0], cl.strides()[1], cl.strides()[2],
                m, n, k,
            };
            long[] global = {(n + 63) / 64 * 16, (m + 63) / 64 * 16, batch};
            be.launch(be.kernel("matmul.cl", dtype, "matmul_tiled_" + sfx), "matmul", global,
                    new long[] {16, 16, 1}, args);
            return;
        }
        long strips = (n + 15) / 16;
        long packedBatches = bbs == 0 ? 1 : batch;
        long perBatch = strips * k * 16;
        // released right after the launches: the in-order queue runs any later user of the
        // recycled buffer after the product has read it
        Buffer packed = be.allocate(dtype, packedBatches * perBatch);
        try {
            be.launch(be.kernel("matmul.cl", dtype, "pack_b16_" + sfx), "matmul (packing b)",
                    new long[] {k, strips, packedBatches}, null,
                    b.buffer(), bl.offset(), bbs, bl.strides()[1], bl.strides()[2], packed, k, n);
            Object[] args = {
                a.buffer(), al.offset(), abs, al.strides()[1], al.strides()[2],
                packed, bbs == 0 ? 0L : perBatch,
                out.buffer(), cl.offset(), cl.strides()[0], cl.strides()[1], cl.strides()[2],
                m, n, k,
            };
            // eight row blocks per work-group share one strip of B while it is in cache
            long[] global = {strips, (m + 7) / 8, batch};
            long[] local = global[1] >= 8 ? new long[] {1, 8, 1} : null;
            be.launch(be.kernel("matmul.cl", dtype, "matmul_rbp_" + sfx), "matmul", global, local, args);
        } finally {
            be.release(packed);
        }
    }
}
