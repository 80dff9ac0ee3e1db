package dev.clgrad;

import dev.clgrad.autograd.Derivatives;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;

import java.util.Arrays;

/**
 * Matrix products, dispatched by rank as PyTorch's {@code matmul} does (dot, mv, mm, folded
 * mm, broadcast bmm), so the recorded graph has PyTorch's nodes.
 */
final class Linalg {
    private Linalg() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        a.checkOpen("matmul");
        b.checkOpen("matmul");
        Tensor.checkSameDevice("matmul", a, b);
        int da = a.dim();
        int db = b.dim();
        if (da == 0 || db == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, but got "
                    + da + "D and " + db + "D tensors (shapes " + Shapes.str(a.shape()) + " and "
                    + Shapes.str(b.shape()) + "); use mul for scalars");
        }
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("matmul: expected both arguments to have the same dtype, but got "
                    + a.dtype().pyName() + " and " + b.dtype().pyName() + "; convert one with to(DType)");
        }
        if (da == 1 && db == 1) {
            checkInner("dot", a.shape()[0], b.shape()[0], a, b);
            Tensor out = product(a, row(a), b, column(b), new long[0]);
            return Recorder.record2(out, Derivatives.DOT, a, b);
        }
        if (da == 2 && db == 1) {
            checkInner("mv", a.shape()[1], b.shape()[0], a, b);
            Tensor out = product(a, matrix(a), b, column(b), new long[] {a.shape()[0]});
            return Recorder.record2(out, Derivatives.MV, a, b);
        }
        if (da == 1 && db == 2) {
            return Views.squeeze(mm(a.unsqueeze(0), b), 0, Derivatives.SQUEEZE_INPLACE);
        }
        if (da == 2 && db == 2) {
            return mm(a, b);
        }
        if (shouldFold(a, b) || shouldFold(b, a)) {
            return folded(a, b);
        }
        return batched(a, b);
    }

    /**
     * PyTorch folds the batch of a 3-D+ operand times a vector or matrix into one mm/mv,
     * except for a 3-D operand whose last two dims are transposed.
     */
    private static boolean shouldFold(Tensor t1, Tensor t2) {
        if (t1.dim() < 3 || t2.dim() > 2) {
            return false;
        }
        long[] sizes = t1.shape();
        long[] strides = t1.layout().strides();
        return !(t1.dim() == 3 && t2.dim() == 2 && strides[2] != 1 && strides[0] == sizes[1] * sizes[2]);
    }

    private static Tensor folded(Tensor a, Tensor b) {
        boolean transpose = b.dim() > a.dim();
        Tensor t1 = transpose ? b.transpose(-2, -1) : a;
        Tensor t2 = !transpose ? b : a.dim() == 2 ? a.t() : a;
        long[] sizes1 = t1.shape();
        long[] outShape = Arrays.copyOf(sizes1, sizes1.length - 1);
        long rows = Shapes.numel(outShape);
        Tensor t1Folded = t1.reshape(rows, sizes1[sizes1.length - 1]);
        if (t2.dim() == 2) {
            outShape = Arrays.copyOf(outShape, outShape.length + 1);
            outShape[outShape.length - 1] = t2.shape()[1];
            Tensor out = unsafeView(mm(t1Folded, t2), outShape);
            return transpose ? out.transpose(-2, -1).contiguous() : out;
        }
        return unsafeView(matmul(t1Folded, t2), outShape);
    }

    private static Tensor mm(Tensor a, Tensor b) {
        checkInner("mm", a.shape()[1], b.shape()[0], a, b);
        Tensor out = product(a, matrix(a), b, matrix(b), new long[] {a.shape()[0], b.shape()[1]});
        return Recorder.record2(out, Derivatives.MM, a, b);
    }

    /** Both at least 1-D, one of them at least 3-D: broadcast the batch dims and use bmm. */
    private static Tensor batched(Tensor a, Tensor b) {
        int da = a.dim();
        int db = b.dim();
        Tensor a2 = da == 1 ? a.unsqueeze(0) : a;
        Tensor b2 = db == 1 ? b.unsqueeze(-1) : b;
        long n = a2.shape()[a2.dim() - 2];
        long k = a2.shape()[a2.dim() - 1];
        long k2 = b2.shape()[b2.dim() - 2];
        long m = b2.shape()[b2.dim() - 1];
        checkInner("matmul", k, k2, a, b);
        long[] batchA = Arrays.copyOf(a2.shape(), a2.dim() - 2);
        long[] batchB = Arrays.copyOf(b2.shape(), b2.dim() - 2);
        long[] batch = Shapes.broadcast("matmul", batchA, batchB);
        long batchSize = Shapes.numel(batch);
        Tensor a3 = a2.expand(concat(batch, n, k)).reshape(batchSize, n, k);
        Tensor b3 = b2.expand(concat(batch, k, m)).reshape(batchSize, k, m);
        Tensor out = product(a3, a3.layout(), b3, b3.layout(), new long[] {batchSize, n, m});
        out = Recorder.record2(out, Derivatives.BMM, a3, b3);
        long[] outShape = concat(batch, n, m);
        if (da == 1) {
            outShape = dropAt(outShape, outShape.length - 2);
        }
        if (db == 1) {
            outShape = dropAt(outShape, outShape.length - 1);
        }
        return unsafeView(out, outShape);
    }

    private static Tensor unsafeView(Tensor x, long[] shape) {
        Tensor c = x.contiguous();
        return Recorder.record(c.shareStorage(Layout.contiguous(shape), false), Derivatives.UNSAFE_VIEW, x);
    }

    /**
     * The backend product of {@code a} and {@code b} seen through 3-D layouts
     * {@code [B,M,K] x [B,K,N]}, into a new tensor of {@code shape}.
     */
    private static Tensor product(Tensor a, Layout a3, Tensor b, Layout b3, long[] shape) {
        long[] s3 = {a3.shape()[0], a3.shape()[1], b3.shape()[2]};
        Tensor out = Creation.empty(a.device(), a.dtype(), shape);
        if (out.numel() > 0) {
            if (a3.shape()[2] == 0) {
                out.backend().fill(out.view(), 0);
            } else {
                a.backend().matmul(new View(a.buffer(), a3), new View(b.buffer(), b3),
                        new View(out.buffer(), Layout.contiguous(s3)));
            }
        }
        return out;
    }

    /** A 1-D tensor as a {@code [1, 1, K]} row. */
    private static Layout row(Tensor v) {
        Layout l = v.layout();
        return new Layout(new long[] {1, 1, l.shape()[0]}, new long[] {0, 0, l.strides()[0]}, l.offset());
    }

    /** A 1-D tensor as a {@code [1, K, 1]} column. */
    private static Layout column(Tensor v) {
        Layout l = v.layout();
        return new Layout(new long[] {1, l.shape()[0], 1}, new long[] {0, l.strides()[0], 0}, l.offset());
    }

    /** A 2-D tensor as a batch of one matrix. */
    private static Layout matrix(Tensor m) {
        Layout l = m.layout();
        return new Layout(new long[] {1, l.shape()[0], l.shape()[1]},
                new long[] {0, l.strides()[0], l.strides()[1]}, l.offset());
    }

    private static void checkInner(String op, long k1, long k2, Tensor a, Tensor b) {
        if (k1 != k2) {
            throw new IllegalArgumentException(op + ": mat1 and mat2 shapes cannot be multiplied ("
                    + describe(a.shape()) + " and " + describe(b.shape()) + "): the last dim of the first ("
                    + k1 + ") must equal the " + (b.dim() == 1 ? "size" : "second-to-last dim")
                    + " of the second (" + k2 + ")");
        }
    }

    private static String describe(long[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : "x").append(shape[i]);
        }
        return sb.toString();
    }

    private static long[] concat(long[] batch, long r, long c) {
        long[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = r;
        out[batch.length + 1] = c;
        return out;
    }

    private static long[] dropAt(long[] shape, int i) {
        long[] out = new long[shape.length - 1];
        for (int s = 0, d = 0; s < shape.length; s++) {
            if (s != i) {
                out[d++] = shape[s];
            }
        }
        return out;
    }
}
