package dev.clgrad.opencl;

import dev.clgrad.DType;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;

/**
 * The batched matmul primitive over strided operands: register-blocked 4x8 work-items on
 * CPU-type devices, 64x64 local-memory tiles on GPUs ({@code matmul.cl}). A batch of size 1 in
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
        DType dtype = ((ClBuffer) out.buffer()).dtype;
        String sfx = dtype == DType.FLOAT64 ? "f64" : "f32";
        long abs = al.shape()[0] == 1 ? 0 : al.strides()[0];
        long bbs = bl.shape()[0] == 1 ? 0 : bl.strides()[0];
        Object[] args = {
            a.buffer(), al.offset(), abs, al.strides()[1], al.strides()[2],
            b.buffer(), bl.offset(), bbs, bl.strides()[1], bl.strides()[2],
            out.buffer(), cl.offset(), cl.strides()[0], cl.strides()[1], cl.strides()[2],
            m, n, k,
        };
        if (be.strategy() == ClStrategy.GPU) {
            long[] global = {(n + 63) / 64 * 16, (m + 63) / 64 * 16, batch};
            be.launch(be.kernel("matmul.cl", dtype, "matmul_tiled_" + sfx), "matmul", global,
                    new long[] {16, 16, 1}, args);
        } else {
            long[] global = {(n + 7) / 8, (m + 3) / 4, batch};
            be.launch(be.kernel("matmul.cl", dtype, "matmul_rb_" + sfx), "matmul", global, null, args);
        }
    }
}
