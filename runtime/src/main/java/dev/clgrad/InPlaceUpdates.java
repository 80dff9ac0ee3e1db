package dev.clgrad;

import dev.clgrad.autograd.Formula;
import dev.clgrad.spi.ElementwiseOp;

/**
 * The in-place updates optimizers are written with: {@code addcmul_} and {@code addcdiv_} (one
 * ternary pass each) and {@code lerp_}, through the in-place path (version bump, history
 * rewriting), recording PyTorch's node.
 */
final class InPlaceUpdates {
    private InPlaceUpdates() {
    }

    /** Inputs: self, t1, t2 (t1 and t2 saved); args: value. */
    static final Formula ADDCMUL = Formula.saving("AddcmulBackward0", new int[] {0, 4, 2}, 0, (c, g) ->
            new Tensor[] {
                c.needsGrad(0) ? g : null,
                c.needsGrad(1) ? g.mul(c.input(2)).mul(c.arg(0)) : null,
                c.needsGrad(2) ? g.mul(c.input(1)).mul(c.arg(0)) : null});
    static final Formula ADDCDIV = Formula.saving("AddcdivBackward0", new int[] {0, 4, 6}, 0, (c, g) ->
            new Tensor[] {
                c.needsGrad(0) ? g : null,
                c.needsGrad(1) ? g.mul(c.arg(0)).div(c.input(2)) : null,
                c.needsGrad(2) ? g.neg().mul(c.arg(0)).mul(c.input(1)).div(c.input(2).mul(c.input(2))) : null});
    /** Inputs: self, end; args: weight. */
    static final Formula LERP = Formula.of("LerpBackward0", (c, g) -> new Tensor[] {
        c.needsGrad(0) ? g.mul(1 - c.arg(0)) : null,
        c.needsGrad(1) ? g.mul(c.arg(0)) : null});

    /** {@code self += (value * t1) * t2}, PyTorch's order, in one pass. */
    static Tensor addcmul(Tensor self, Tensor t1, Tensor t2, double value) {
        return fused("addcmul_", self, t1, t2, value, ElementwiseOp.ADDCMUL, ADDCMUL);
    }

    /** {@code self += (value * t1) / t2}, PyTorch's order, in one pass. */
    static Tensor addcdiv(Tensor self, Tensor t1, Tensor t2, double value) {
        return fused("addcdiv_", self, t1, t2, value, ElementwiseOp.ADDCDIV, ADDCDIV);
    }

    private static Tensor fused(String op, Tensor self, Tensor t1, Tensor t2, double value, ElementwiseOp kernel,
                                Formula formula) {
        checkUpdate(op, self, t1, t2);
        return InPlace.apply(op, self, formula, new Tensor[] {t1, t2}, new double[] {value},
                () -> Pointwise.into(self, kernel, value, self, t1, t2));
    }

    /**
     * {@code self + weight * (end - self)}, computed as PyTorch's kernel does: from self below a
     * weight of 0.5, from end above, so that weight 1 gives end exactly. The value is computed
     * with recording off and written over self through the in-place path.
     */
    static Tensor lerp(Tensor self, Tensor end, double weight) {
        String op = "lerp_";
        checkUpdate(op, self, end);
        Tensor computed;
        try (var g = Autograd.noGrad(); TensorScope scope = TensorScope.open()) {
            computed = scope.keep(weight < 0.5 ? self.add(end.sub(self).mul(weight))
                    : end.sub(end.sub(self).mul(1 - weight)));
        }
        try (computed) {
            return InPlace.apply(op, self, LERP, new Tensor[] {end}, new double[] {weight}, () -> {
                if (self.numel() > 0) {
                    self.backend().copy(Pointwise.broadcastView(computed, self.shape()), self.view());
                }
            });
        }
    }

    /**
     * What every update checks before it runs: open tensors on self's device, no overlap PyTorch
     * refuses, a floating self, and operands that broadcast to self's shape.
     */
    private static void checkUpdate(String op, Tensor self, Tensor... others) {
        self.checkOpen(op);
        long[] shape = self.layout().shape();
        for (Tensor t : others) {
            t.checkOpen(op);
            Tensor.checkSameDevice(op, self, t);
            MemoryOverlap.checkNoPartialOverlap(op, self, t);
            shape = Shapes.broadcast(op, shape, t.layout().shape());
        }
        MemoryOverlap.checkNoInternalOverlap(op, self);
        if (!self.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": result type float can't be cast to the desired output type "
                    + self.dtype().pyName());
        }
        if (!java.util.Arrays.equals(shape, self.layout().shape())) {
            throw new IllegalArgumentException(op + ": output with shape " + Shapes.str(self.shape()) + " doesn't "
                    + "match the broadcast shape " + Shapes.str(shape));
        }
    }
}
