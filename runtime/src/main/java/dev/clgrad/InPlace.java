package dev.clgrad;

import dev.clgrad.autograd.AutogradException;
import dev.clgrad.autograd.CopySlices;
import dev.clgrad.autograd.Derivatives;
import dev.clgrad.autograd.Formula;
import dev.clgrad.autograd.GradFn.Edge;
import dev.clgrad.autograd.GradMode;
import dev.clgrad.autograd.Node;
import dev.clgrad.spi.ElementwiseOp;

/**
 * In-place ops: the safety checks, the version bump, and history rewriting. An in-place op on
 * a tensor makes it the output of the op's node; on a view, its base gets a
 * {@link CopySlices} node, as in PyTorch, so gradients flow into the assigned values.
 */
final class InPlace {
    private InPlace() {
    }

    /** The backend work of an in-place op. */
    @FunctionalInterface
    interface Kernel {
        void run();
    }

    /** {@code self += s}; a float scalar ({@code floatScalar}) cannot go into an integer tensor. */
    static Tensor addScalar(Tensor self, double s, boolean floatScalar) {
        checkWritable("add_", self);
        checkResultFits("add_", self, Pointwise.resultType(self, floatScalar), ElementwiseOp.ADD_SCALAR);
        return apply("add_", self, Derivatives.ADD_SCALAR, new Tensor[] {null}, new double[] {s},
                () -> elementwise(self, ElementwiseOp.ADD_SCALAR, s));
    }

    /** {@code self *= s}; a float scalar cannot go into an integer tensor. */
    static Tensor mulScalar(Tensor self, double s, boolean floatScalar) {
        checkWritable("mul_", self);
        checkResultFits("mul_", self, Pointwise.resultType(self, floatScalar), ElementwiseOp.MUL_SCALAR);
        return apply("mul_", self, Derivatives.MUL_SCALAR, new Tensor[] {null}, new double[] {s},
                () -> elementwise(self, ElementwiseOp.MUL_SCALAR, s));
    }

    static Tensor add(Tensor self, Tensor other) {
        return binary("add_", self, other, ElementwiseOp.ADD, Derivatives.ADD);
    }

    /**
     * {@code self = op(self, other)}, {@code other} broadcast to self's shape: the one path of the
     * in-place binary ops ({@code add_ sub_ mul_ div_}). The result type must fit self's dtype
     * (PyTorch refuses {@code intTensor.add_(floatTensor)}).
     */
    static Tensor binary(String op, Tensor self, Tensor other, ElementwiseOp kernel, Formula formula) {
        other.checkOpen(op);
        Tensor.checkSameDevice(op, self, other);
        checkWritable(op, self);
        MemoryOverlap.checkNoPartialOverlap(op, self, other);
        long[] shape = Shapes.broadcast(op, self.layout().shape(), other.layout().shape());
        if (!java.util.Arrays.equals(shape, self.layout().shape())) {
            throw new IllegalArgumentException(op + ": output with shape " + Shapes.str(self.shape()) + " doesn't "
                    + "match the broadcast shape " + Shapes.str(shape) + " of the operands "
                    + Shapes.str(self.shape()) + " and " + Shapes.str(other.shape()));
        }
        checkResultFits(op, self, Pointwise.resultType(self, other), kernel);
        return apply(op, self, formula, new Tensor[] {other}, new double[0], () -> {
            if (self.numel() == 0) {
                return;
            }
            Tensor from = unaliased(self, other);
            try {
                Pointwise.into(self, kernel, 0, self, from);
            } finally {
                if (from != other) {
                    from.close();
                }
            }
        });
    }

    /** {@code self = op(self, s)} for a scalar op. */
    static Tensor scalar(String op, Tensor self, double s, boolean floatScalar, ElementwiseOp kernel, Formula formula,
                         boolean wrapped) {
        checkWritable(op, self);
        checkResultFits(op, self, Pointwise.resultType(self, floatScalar), kernel);
        return apply(op, self, formula, wrapped ? new Tensor[] {null} : new Tensor[0], new double[] {s},
                () -> elementwise(self, kernel, s));
    }

    /** {@code self = op(self)}. */
    static Tensor unary(String op, Tensor self, ElementwiseOp kernel, Formula formula) {
        checkWritable(op, self);
        checkResultFits(op, self, self.dtype(), kernel);
        return apply(op, self, formula, new Tensor[0], new double[0], () -> elementwise(self, kernel, 0));
    }

    private static void checkResultFits(String op, Tensor self, DType result, ElementwiseOp kernel) {
        DType.Kind resultKind = kernel.acceptsIntegers() ? result.kind() : DType.Kind.FLOATING;
        if (resultKind.compareTo(self.dtype().kind()) > 0) {
            throw new IllegalArgumentException(op + ": result type " + (resultKind == DType.Kind.FLOATING ? "float"
                    : result.pyName()) + " can't be cast to the desired output type " + self.dtype().pyName()
                    + "; use the out-of-place op, or convert with to(DType) first");
        }
    }

    static Tensor copy(Tensor self, Tensor src) {
        src.checkOpen("copy_");
        Tensor.checkSameDevice("copy_", self, src);
        checkWritable("copy_", self);
        MemoryOverlap.checkNoPartialOverlap("copy_", self, src);
        Shapes.broadcast("copy_", self.shape(), src.shape());
        if (src.dim() > self.dim() || !broadcastsTo(src.shape(), self.shape())) {
            throw new IllegalArgumentException("copy_: the source of shape " + Shapes.str(src.shape())
                    + " cannot be broadcast to the destination of shape " + Shapes.str(self.shape()));
        }
        return apply("copy_", self, Derivatives.COPY, new Tensor[] {src}, new double[0], () -> {
            if (self.numel() == 0) {
                return;
            }
            Tensor from = unaliased(self, src);
            self.backend().copy(Pointwise.broadcastView(from, self.shape()), self.view());
            if (from != src) {
                from.close();
            }
        });
    }

    static Tensor fill(Tensor self, double value) {
        return apply("fill_", self, Derivatives.FILL, new Tensor[0], new double[] {value}, () -> {
            if (self.numel() > 0) {
                self.backend().fill(self.view(), value);
            }
        });
    }

    static Tensor zero(Tensor self) {
        return apply("zero_", self, Derivatives.ZERO, new Tensor[0], new double[0], () -> {
            if (self.numel() > 0) {
                self.backend().fill(self.view(), 0);
            }
        });
    }

    /**
     * Checks that {@code self} is open and that each of its elements is its own memory location,
     * for ops whose result depends on the old value or the order of writes. ({@code fill_} and
     * {@code zero_} write one value everywhere, so PyTorch allows them on broadcast views.)
     */
    private static void checkWritable(String op, Tensor self) {
        self.checkOpen(op);
        MemoryOverlap.checkNoInternalOverlap(op, self);
    }

    private static void elementwise(Tensor self, ElementwiseOp op, double s) {
        if (self.numel() > 0) {
            self.backend().elementwise(op, s, self.view(), self.view());
        }
    }

    private static boolean broadcastsTo(long[] from, long[] to) {
        int lead = to.length - from.length;
        for (int d = 0; d < from.length; d++) {
            if (from[d] != 1 && from[d] != to[lead + d]) {
                return false;
            }
        }
        return true;
    }

    /** {@code src}, or a private copy of it when it shares storage with {@code self} (overlap). */
    private static Tensor unaliased(Tensor self, Tensor src) {
        if (src.buffer() != self.buffer() || src.layout().equals(self.layout())) {
            return src;
        }
        Tensor copy = Creation.empty(src.device(), src.dtype(), src.shape());
        src.backend().copy(src.view(), copy.view());
        return copy;
    }

    /**
     * Runs {@code kernel} on {@code self} in place and records it: {@code others} are the op's
     * other inputs (null for a wrapped scalar), {@code args} its scalar arguments.
     */
    static Tensor apply(String op, Tensor self, Formula formula, Tensor[] others, double[] args, Kernel kernel) {
        self.checkOpen(op);
        boolean grad = GradMode.isEnabled();
        if (grad) {
            checkAllowed(op, self);
        }
        Tensor[] inputs = new Tensor[others.length + 1];
        inputs[0] = self;
        System.arraycopy(others, 0, inputs, 1, others.length);
        boolean record = Recorder.needed(inputs);
        Node fn = record ? Recorder.node(formula, inputs, args) : null;
        Edge baseEdge = record && self.viewBase() != null ? AutogradMeta.gradientEdge(self.viewBase()) : null;
        kernel.run();
        self.bumpVersion();
        if (record && (formula.resultSavedFor() & 1) != 0) {
            fn.saveResult(self); // rules such as sqrt's read the result, i.e. self after the op
        }
        if (record) {
            Tensor base = self.viewBase();
            if (base == null) {
                AutogradMeta.setGradFn(self, fn);
            } else {
                AutogradMeta.setGradFn(base, new CopySlices(baseEdge, Recorder.meta(base), base.layout().strides(),
                        self.shape(), self.layout().strides(), self.layout().offset() - base.layout().offset(), fn));
                AutogradMeta.regenerateViewGradFn(self);
            }
        }
        return self;
    }

    private static void checkAllowed(String op, Tensor self) {
        if (self.isLeaf() && self.requiresGrad()) {
            throw new AutogradException(op + ": a leaf Variable that requires grad is being used in an in-place "
                    + "operation. Modify it inside try (var g = Autograd.noGrad()) { ... } (as optimizer steps "
                    + "do), or use the out-of-place op.");
        }
        Tensor base = self.viewBase();
        if (base != null && base.isLeaf() && base.requiresGrad()) {
            throw new AutogradException(op + ": a view of a leaf Variable that requires grad is being used in an "
                    + "in-place operation. Modify the leaf inside Autograd.noGrad(), or clone() the view first.");
        }
    }
}
