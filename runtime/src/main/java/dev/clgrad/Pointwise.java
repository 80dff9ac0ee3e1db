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

    /**
     * {@code op(x)} recorded with {@code formula} (null: not differentiable). A floating op on an
     * integer or boolean tensor computes in the default float type, as PyTorch's {@code exp} or
     * {@code sqrt} of an int64 tensor does.
     */
    static Tensor unary(String name, Tensor x, ElementwiseOp op, Formula formula) {
        x.checkOpen(name);
        if (op == ElementwiseOp.NEG && x.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(name + ": negation, the `-` operator, on a bool tensor is not "
                    + "supported; to invert a mask, use logicalNot()");
        }
        DType dtype = op.acceptsIntegers() || x.dtype().isFloatingPoint() ? x.dtype() : DType.FLOAT32;
        Tensor out = Creation.empty(x.device(), dtype, x.layout().shape());
        into(out, op, 0, x);
        return formula == null ? out : Recorder.record(out, formula, x);
    }

    /**
     * {@code op(x, s)} for a scalar {@code s}, a PyTorch "wrapped number": a {@code double} is a
     * float scalar ({@code intTensor.add(2.0)} is float32), a {@code long} an integer one (it keeps
     * an integer tensor's type). With {@code wrapped}, the node gets PyTorch's second (None) edge
     * for the scalar operand.
     */
    static Tensor scalar(String name, Tensor x, double s, boolean floatScalar, ElementwiseOp op, Formula formula,
                         boolean wrapped) {
        x.checkOpen(name);
        DType dtype = resultType(x, floatScalar);
        if (!op.acceptsIntegers() && !dtype.isFloatingPoint()) {
            dtype = DType.FLOAT32;
        }
        checkBoolArithmetic(name, op, dtype);
        Tensor out = Creation.empty(x.device(), dtype, x.layout().shape());
        into(out, op, s, x);
        if (formula == null) {
            return out;
        }
        Tensor[] inputs = wrapped ? new Tensor[] {x, null} : new Tensor[] {x};
        return Recorder.record(out, formula, inputs, s);
    }

    /** As {@link #scalar(String, Tensor, double, boolean, ElementwiseOp, Formula, boolean)} with a float scalar. */
    static Tensor scalar(String name, Tensor x, double s, ElementwiseOp op, Formula formula, boolean wrapped) {
        return scalar(name, x, s, true, op, formula, wrapped);
    }

    /** {@code x op s} as a bool tensor, compared in {@code result_type(x, s)}. */
    static Tensor compare(String name, Tensor x, double s, boolean floatScalar, ElementwiseOp op) {
        x.checkOpen(name);
        DType compute = resultType(x, floatScalar);
        Tensor out = Creation.empty(x.device(), DType.BOOL, x.layout().shape());
        into(out, op, s, compute, x);
        return out;
    }

    /**
     * {@code a op b} as a bool tensor, broadcast, compared in {@code result_type(a, b)}; {@code <}
     * and {@code <=} are {@code >} and {@code >=} with the operands swapped.
     */
    static Tensor compare(String name, Tensor a, Tensor b, ElementwiseOp op) {
        a.checkOpen(name);
        b.checkOpen(name);
        Tensor.checkSameDevice(name, a, b);
        DType compute = resultType(a, b);
        long[] shape = Shapes.broadcast(name, a.layout().shape(), b.layout().shape());
        Tensor out = Creation.empty(a.device(), DType.BOOL, shape);
        boolean swap = op == ElementwiseOp.LT_SCALAR || op == ElementwiseOp.LE_SCALAR;
        ElementwiseOp binaryOp = op == ElementwiseOp.LT_SCALAR ? ElementwiseOp.GT
                : op == ElementwiseOp.LE_SCALAR ? ElementwiseOp.GE : op;
        into(out, binaryOp, 0, compute, swap ? b : a, swap ? a : b);
        return out;
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
        if (!x.dtype().isFloatingPoint()) {
            return pow(x.to(DType.FLOAT32), e); // a float exponent: result_type is float32
        }
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

    /**
     * {@code op(a, b)} with broadcasting and dtype promotion ({@code result_type}); a floating
     * op on integers ({@code div}) computes in the default float type.
     */
    static Tensor binary(String name, Tensor a, Tensor b, ElementwiseOp op, Formula formula) {
        a.checkOpen(name);
        b.checkOpen(name);
        Tensor.checkSameDevice(name, a, b);
        DType dtype = resultType(a, b);
        if (!op.acceptsIntegers() && !dtype.isFloatingPoint()) {
            dtype = DType.FLOAT32;
        }
        checkBoolArithmetic(name, op, dtype);
        long[] shape = Shapes.broadcast(name, a.layout().shape(), b.layout().shape());
        Tensor out = Creation.empty(a.device(), dtype, shape);
        into(out, op, 0, a, b);
        return formula == null ? out : Recorder.record2(out, formula, a, b);
    }

    /**
     * The kernel path every elementwise op shares, out of place (a new {@code out}) and in
     * place ({@code out} is the tensor written), computing in the output's dtype.
     */
    static void into(Tensor out, ElementwiseOp op, double scalar, Tensor... inputs) {
        into(out, op, scalar, out.dtype(), inputs);
    }

    /**
     * As {@link #into(Tensor, ElementwiseOp, double, Tensor...)} computing in {@code compute} (a
     * comparison's inputs' {@code result_type}; its output is bool): each input is cast to it
     * where it differs (where's condition stays bool) and seen broadcast to {@code out}'s shape;
     * then one backend call.
     */
    static void into(Tensor out, ElementwiseOp op, double scalar, DType compute, Tensor... inputs) {
        if (out.numel() == 0) {
            return;
        }
        Tensor[] casts = new Tensor[inputs.length];
        View[] views = new View[inputs.length];
        try {
            for (int k = 0; k < inputs.length; k++) {
                DType want = op == ElementwiseOp.WHERE && k == 0 ? DType.BOOL : compute;
                casts[k] = castIfNeeded(inputs[k], want);
                views[k] = broadcastView(casts[k] == null ? inputs[k] : casts[k], out.layout().shape());
            }
            out.backend().elementwise(op, scalar, out.view(), views);
        } finally {
            for (Tensor c : casts) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /** {@code cond ? a : b} for a bool {@code cond}, differentiable in {@code a} and {@code b}. */
    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        String name = "where";
        cond.checkOpen(name);
        a.checkOpen(name);
        b.checkOpen(name);
        if (cond.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("where: expected condition to be a boolean tensor, but got a tensor "
                    + "with dtype " + cond.dtype().pyName() + "; make one with a comparison (x.gt(0)) or to(DType.BOOL)");
        }
        Tensor.checkSameDevice(name, cond, a);
        Tensor.checkSameDevice(name, a, b);
        DType dtype = resultType(a, b);
        long[] shape = Shapes.broadcast(name, Shapes.broadcast(name, cond.layout().shape(), a.layout().shape()),
                b.layout().shape());
        Tensor out = Creation.empty(a.device(), dtype, shape);
        into(out, ElementwiseOp.WHERE, 0, cond, a, b);
        // as PyTorch's, the node's edges are a and b; the condition is saved beside them
        return Recorder.record(out, Derivatives.WHERE, new Tensor[] {a, b}, new Tensor[] {cond});
    }

    /**
     * PyTorch's {@code result_type} of two tensors: dimensioned operands outrank 0-dim ones, which
     * count only when of a higher kind ({@code ones(3) + tensor(0.5, float64)} stays float32, but
     * {@code arange(3, INT64) + tensor(0.5)} is float32).
     */
    static DType resultType(Tensor a, Tensor b) {
        boolean aScalar = a.dim() == 0;
        boolean bScalar = b.dim() == 0;
        if (aScalar != bScalar) {
            return aScalar ? combine(b.dtype(), a.dtype()) : combine(a.dtype(), b.dtype());
        }
        return DType.promote(a.dtype(), b.dtype());
    }

    /**
     * {@code result_type} of a tensor and a wrapped number: a float number is the default dtype
     * (float32), an integer one int64, and either counts only when of a higher kind.
     */
    static DType resultType(Tensor x, boolean floatScalar) {
        return combine(x.dtype(), floatScalar ? DType.FLOAT32 : DType.INT64);
    }

    /** PyTorch's {@code combine_categories}: a lower-priority type counts only when of a higher kind. */
    static DType combine(DType higher, DType lower) {
        if (higher.isFloatingPoint()) {
            return higher;
        }
        if (higher == DType.BOOL || lower.isFloatingPoint()) {
            return DType.promote(higher, lower);
        }
        return higher;
    }

    /** PyTorch refuses subtraction on bools (it is ambiguous: xor or not?). */
    private static void checkBoolArithmetic(String name, ElementwiseOp op, DType dtype) {
        if (dtype == DType.BOOL && (op == ElementwiseOp.SUB || op == ElementwiseOp.RSUB_SCALAR
                || (op == ElementwiseOp.ADD_SCALAR && name.equals("sub")))) {
            throw new IllegalArgumentException(name + ": subtraction, the `-` operator, with a bool tensor is not "
                    + "supported; use logicalXor() or cast with to(DType.INT64) first");
        }
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
