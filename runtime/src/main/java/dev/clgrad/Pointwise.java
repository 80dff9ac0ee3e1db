package dev.clgrad;

import dev.clgrad.autograd.Derivatives;
import dev.clgrad.autograd.Formula;
import dev.clgrad.spi.Backend;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;

/**
 * Elementwise ops: dtype promotion, broadcasting, the backend call and autograd recording.
 * A double operand is a PyTorch "wrapped number": it never promotes the tensor's dtype.
 */
final class Pointwise {
    private Pointwise() {
    }

    /** {@code op(x)} recorded with {@code formula} (null: not differentiable). */
    static Tensor unary(String name, Tensor x, ElementwiseOp op, Formula formula) {
        x.checkOpen(name);
        Tensor out = Creation.empty(x.device(), x.dtype(), x.layout().shape());
        if (out.numel() > 0) {
            x.backend().elementwise(op, 0, out.view(), x.view());
        }
        return formula == null ? out : Recorder.record(out, formula, x);
    }

    /**
     * {@code op(x, s)} for a scalar {@code s}. With {@code wrapped}, the node gets PyTorch's
     * second (None) edge for the scalar operand.
     */
    static Tensor scalar(String name, Tensor x, double s, ElementwiseOp op, Formula formula, boolean wrapped) {
        x.checkOpen(name);
        Tensor out = Creation.empty(x.device(), x.dtype(), x.layout().shape());
        if (out.numel() > 0) {
            x.backend().elementwise(op, s, out.view(), x.view());
        }
        if (formula == null) {
            return out;
        }
        Tensor[] inputs = wrapped ? new Tensor[] {x, null} : new Tensor[] {x};
        return Recorder.record(out, formula, inputs, s);
    }

    /**
     * {@code x ^ e}. The exponents PyTorch special-cases are computed as PyTorch computes them,
     * which gives its results bit for bit and avoids the general {@code pow}, tens of times
     * slower on some OpenCL devices: 0 fills ones, 1 copies, 2 is {@code x * x}, 3 is
     * {@code x * x * x}, 0.5 is {@code sqrt(x)}, -0.5 is {@code 1 / sqrt(x)}, -1 is {@code 1 / x}
     * and -2 is {@code 1 / (x * x)}.
     */
    static Tensor pow(Tensor x, double e) {
        x.checkOpen("pow");
        Tensor out = Creation.empty(x.device(), x.dtype(), x.layout().shape());
        if (out.numel() > 0) {
            powInto(x.backend(), e, out.view(), x.view());
        }
        return Recorder.record(out, Derivatives.POW_SCALAR, new Tensor[] {x}, e);
    }

    private static void powInto(Backend be, double e, View out, View x) {
        if (e == 0) {
            be.fill(out, 1);
        } else if (e == 1) {
            be.copy(x, out);
        } else if (e == 2 || e == 3 || e == -2) {
            be.elementwise(ElementwiseOp.MUL, 0, out, x, x);
            if (e == 3) {
                be.elementwise(ElementwiseOp.MUL, 0, out, out, x);
            } else if (e == -2) {
                be.elementwise(ElementwiseOp.RDIV_SCALAR, 1, out, out);
            }
        } else if (e == 0.5 || e == -0.5) {
            be.elementwise(ElementwiseOp.SQRT, 0, out, x);
            if (e == -0.5) {
                be.elementwise(ElementwiseOp.RDIV_SCALAR, 1, out, out);
            }
        } else if (e == -1) {
            be.elementwise(ElementwiseOp.RDIV_SCALAR, 1, out, x);
        } else {
            be.elementwise(ElementwiseOp.POW_SCALAR, e, out, x);
        }
    }

    /** {@code base ^ x}, recorded as PyTorch does with the wrapped scalar as input 0. */
    static Tensor rpow(Tensor x, double base) {
        Tensor out = scalar("pow", x, base, ElementwiseOp.RPOW_SCALAR, null, false);
        return Recorder.record(out, Derivatives.RPOW_SCALAR, new Tensor[] {null, x}, base);
    }

    /** {@code op(a, b)} with broadcasting and dtype promotion. */
    static Tensor binary(String name, Tensor a, Tensor b, ElementwiseOp op, Formula formula) {
        a.checkOpen(name);
        b.checkOpen(name);
        Tensor.checkSameDevice(name, a, b);
        DType dtype = resultType(a, b);
        long[] shape = Shapes.broadcast(name, a.layout().shape(), b.layout().shape());
        Tensor out = Creation.empty(a.device(), dtype, shape);
        if (out.numel() > 0) {
            try (Tensor ca = castIfNeeded(a, dtype); Tensor cb = castIfNeeded(b, dtype)) {
                a.backend().elementwise(op, 0, out.view(), broadcastView(ca == null ? a : ca, shape),
                        broadcastView(cb == null ? b : cb, shape));
            }
        }
        return formula == null ? out : Recorder.record2(out, formula, a, b);
    }

    /** {@code cond != 0 ? a : b}, differentiable in {@code a} and {@code b}. */
    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        String name = "where";
        cond.checkOpen(name);
        a.checkOpen(name);
        b.checkOpen(name);
        Tensor.checkSameDevice(name, cond, a);
        Tensor.checkSameDevice(name, a, b);
        DType dtype = resultType(a, b);
        long[] shape = Shapes.broadcast(name, Shapes.broadcast(name, cond.layout().shape(), a.layout().shape()),
                b.layout().shape());
        Tensor out = Creation.empty(a.device(), dtype, shape);
        if (out.numel() > 0) {
            try (Tensor cc = castIfNeeded(cond, dtype); Tensor ca = castIfNeeded(a, dtype);
                 Tensor cb = castIfNeeded(b, dtype)) {
                a.backend().elementwise(ElementwiseOp.WHERE, 0, out.view(),
                        broadcastView(cc == null ? cond : cc, shape), broadcastView(ca == null ? a : ca, shape),
                        broadcastView(cb == null ? b : cb, shape));
            }
        }
        return Recorder.record(out, Derivatives.WHERE, new Tensor[] {cond, a, b});
    }

    /**
     * PyTorch's {@code result_type} for two floating tensors: a 0-dim operand does not promote a
     * dimensioned one ({@code ones(3) + tensor(0.5, float64)} stays float32).
     */
    static DType resultType(Tensor a, Tensor b) {
        boolean aScalar = a.dim() == 0;
        boolean bScalar = b.dim() == 0;
        if (aScalar != bScalar) {
            return aScalar ? b.dtype() : a.dtype();
        }
        return DType.promote(a.dtype(), b.dtype());
    }

    /** A copy of {@code t} in {@code dtype}, or null when it already has that dtype. */
    static Tensor castIfNeeded(Tensor t, DType dtype) {
        if (t.dtype() == dtype) {
            return null;
        }
        Tensor out = Creation.empty(t.device(), dtype, t.layout().shape());
        if (out.numel() > 0) {
            t.backend().copy(t.view(), out.view());
        }
        return out;
    }

    /** {@code t}'s elements seen with {@code shape}: missing leading dims and size-1 dims get stride 0. */
    static View broadcastView(Tensor t, long[] shape) {
        Layout l = t.layout();
        if (java.util.Arrays.equals(l.shape(), shape)) {
            return t.view();
        }
        return new View(t.buffer(), broadcastLayout(l, shape));
    }

    static Layout broadcastLayout(Layout l, long[] shape) {
        long[] strides = new long[shape.length];
        int lead = shape.length - l.dim();
        for (int d = 0; d < shape.length; d++) {
            int src = d - lead;
            strides[d] = src < 0 || l.shape()[src] != shape[d] ? 0 : l.strides()[src];
        }
        return new Layout(shape, strides, l.offset());
    }
}
