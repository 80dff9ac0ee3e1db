package dev.clgrad;

import dev.clgrad.autograd.GradFn;
import dev.clgrad.format.TensorFormatter;
import dev.clgrad.spi.HostTransfers;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;

/** Copies between tensors and host arrays, and between devices. */
final class HostAccess {
    private HostAccess() {
    }

    static float[] toFloats(Tensor t) {
        t.checkOpen("toFloatArray");
        int n = hostLength("toFloatArray", t);
        if (!t.dtype().isFloatingPoint()) {
            long[] l = toLongs(t);
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = l[i];
            }
            return f;
        }
        if (t.dtype() != DType.FLOAT32) {
            double[] d = toDoubles(t);
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
        float[] out = new float[n];
        if (n > 0) {
            try (Tensor c = dense(t)) {
                HostTransfers.read(t.backend(), c.buffer(), c.layout().offset(), out);
            }
        }
        return out;
    }

    static double[] toDoubles(Tensor t) {
        t.checkOpen("toDoubleArray");
        int n = hostLength("toDoubleArray", t);
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        if (t.dtype() == DType.FLOAT64) {
            try (Tensor c = dense(t)) {
                HostTransfers.read(t.backend(), c.buffer(), c.layout().offset(), out);
            }
            return out;
        }
        if (!t.dtype().isFloatingPoint()) {
            long[] l = toLongs(t);
            for (int i = 0; i < n; i++) {
                out[i] = l[i];
            }
            return out;
        }
        float[] f = toFloats(t);
        for (int i = 0; i < n; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /** The elements as longs: integers as they are, bools as 0 or 1, floats truncated toward zero. */
    static long[] toLongs(Tensor t) {
        t.checkOpen("toLongArray");
        int n = hostLength("toLongArray", t);
        long[] out = new long[n];
        if (n == 0) {
            return out;
        }
        switch (t.dtype()) {
            case INT64 -> {
                try (Tensor c = dense(t)) {
                    HostTransfers.read(t.backend(), c.buffer(), c.layout().offset(), out);
                }
            }
            case UINT8, BOOL -> {
                byte[] b = bytes(t);
                for (int i = 0; i < n; i++) {
                    out[i] = b[i] & 0xff;
                }
            }
            default -> {
                double[] d = toDoubles(t);
                for (int i = 0; i < n; i++) {
                    out[i] = (long) d[i];
                }
            }
        }
        return out;
    }

    /** The elements as booleans: nonzero (NaN included) is true. */
    static boolean[] toBooleans(Tensor t) {
        t.checkOpen("toBooleanArray");
        int n = hostLength("toBooleanArray", t);
        boolean[] out = new boolean[n];
        if (t.dtype() == DType.BOOL || t.dtype() == DType.UINT8) {
            byte[] b = n == 0 ? new byte[0] : bytes(t);
            for (int i = 0; i < n; i++) {
                out[i] = b[i] != 0;
            }
        } else if (t.dtype().isFloatingPoint()) {
            double[] d = toDoubles(t);
            for (int i = 0; i < n; i++) {
                out[i] = d[i] != 0;
            }
        } else {
            long[] l = toLongs(t);
            for (int i = 0; i < n; i++) {
                out[i] = l[i] != 0;
            }
        }
        return out;
    }

    /** The raw bytes of a UINT8 or BOOL tensor in row-major order. */
    private static byte[] bytes(Tensor t) {
        byte[] out = new byte[hostLength("read", t)];
        try (Tensor c = dense(t)) {
            HostTransfers.read(t.backend(), c.buffer(), c.layout().offset(), out);
        }
        return out;
    }

    static double item(Tensor t) {
        t.checkOpen("item");
        if (t.numel() != 1) {
            throw new IllegalStateException("item(): a Tensor with " + t.numel() + " elements cannot be converted "
                    + "to Scalar (shape " + Shapes.str(t.layout().shape()) + "); select one element first");
        }
        return toDoubles(t)[0];
    }

    /** PyTorch's {@code str(tensor)} with clgrad's dtype and device suffixes. */
    static String str(Tensor t) {
        if (t.isClosed()) {
            return "tensor(<closed>, shape=" + Shapes.str(t.layout().shape()) + ")";
        }
        GradFn fn = t.gradFn();
        String autograd = fn != null ? "grad_fn=" + fn : t.requiresGrad() ? "requires_grad=True" : null;
        String device = t.device().isCpu() ? null : t.device().name();
        if (TensorFormatter.summarizes(t.numel())) {
            try (Tensor edges = edges(t)) {
                return TensorFormatter.formatSummary(toDoubles(edges), t.layout().shape(), t.dtype(), device, autograd);
            }
        }
        return TensorFormatter.format(toDoubles(t), t.layout().shape(), t.dtype(), device, autograd);
    }

    /**
     * The elements a summary prints ({@link TensorFormatter#edgeShape}), gathered on the device by
     * one copy per combination of first and last edges of the long dimensions, so that printing
     * never reads more than a few hundred elements, whatever the tensor's size.
     */
    private static Tensor edges(Tensor t) {
        Layout l = t.layout();
        long[] shape = l.shape();
        long[] edgeShape = TensorFormatter.edgeShape(shape);
        Tensor out = Creation.empty(t.device(), t.dtype(), edgeShape);
        int rank = shape.length;
        int[] longDims = java.util.stream.IntStream.range(0, rank).filter(d -> shape[d] > edgeShape[d]).toArray();
        for (int mask = 0; mask < 1 << longDims.length; mask++) {
            long[] part = edgeShape.clone();
            long srcOffset = l.offset();
            long dstOffset = 0;
            for (int k = 0; k < longDims.length; k++) {
                int d = longDims[k];
                long half = edgeShape[d] / 2;
                part[d] = half;
                if ((mask & (1 << k)) != 0) {
                    srcOffset += (shape[d] - half) * l.strides()[d];
                    dstOffset += half * out.layout().strides()[d];
                }
            }
            t.backend().copy(new View(t.buffer(), new Layout(part, l.strides(), srcOffset)),
                    new View(out.buffer(), new Layout(part, out.layout().strides(), dstOffset)));
        }
        return out;
    }

    /** {@code t}'s values on {@code target}, through the host. */
    static Tensor copyTo(Tensor t, Device target) {
        long[] shape = t.layout().dim() == 0 ? new long[0] : t.layout().shape().clone();
        if (t.dtype() == DType.INT64) {
            return Creation.fromLongs(toLongs(t), shape, target);
        }
        if (t.dtype() == DType.UINT8 || t.dtype() == DType.BOOL) {
            return Creation.fromBytes(t.numel() == 0 ? new byte[0] : bytes(t), t.dtype(), shape, target);
        }
        if (t.dtype() == DType.FLOAT64) {
            return Creation.fromDoubles(toDoubles(t), t.dtype(), shape, target);
        }
        return Creation.fromFloats(toFloats(t), shape, target);
    }

    private static int hostLength(String op, Tensor t) {
        long n = t.numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(op + ": " + n + " elements do not fit in one Java array");
        }
        return (int) n;
    }

    /** A contiguous alias of {@code t}'s elements (a private copy when not contiguous). */
    private static Tensor dense(Tensor t) {
        if (t.layout().isContiguous()) {
            return t.shareStorage(t.layout(), false);
        }
        Tensor c = Creation.empty(t.device(), t.dtype(), t.layout().shape());
        t.backend().copy(t.view(), c.view());
        return c;
    }
}
