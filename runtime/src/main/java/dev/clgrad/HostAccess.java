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
        float[] f = toFloats(t);
        for (int i = 0; i < n; i++) {
            out[i] = f[i];
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
