package dev.clgrad;

import dev.clgrad.autograd.Formula;
import dev.clgrad.spi.ElementwiseOp;

/**
 * Pointwise functions of the training layer, each with its PyTorch node: {@code log1p},
 * {@code expm1}, {@code erf}, {@code gelu} (exact erf form), {@code silu}, {@code leakyRelu},
 * the clamps, {@code maximum}/{@code minimum} and {@code maskedFill}.
 */
final class Activations {
    private Activations() {
    }

    private static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    /** PyTorch's {@code threshold_backward}: {@code result <= 0 ? 0 : grad}, so NaN passes the gradient. */
    static final Formula RELU = Formula.saving("ReluBackward0", new int[0], 1,
            (c, g) -> new Tensor[] {thresholdBackward(g, c.result())});
    /** Inputs: the gradient and ReLU's result; the result is flat (its gradient is zero). */
    static final Formula THRESHOLD_BACKWARD = Formula.saving("ThresholdBackwardBackward0", new int[] {0, 1}, 0,
            (c, g) -> new Tensor[] {c.needsGrad(0) ? thresholdBackward(g, c.input(1)) : null,
                c.needsGrad(1) ? g.newZeros(c.inputShape(1)) : null});
    static final Formula LOG1P = Formula.saving("Log1PBackward0", new int[] {1}, 0,
            (c, g) -> new Tensor[] {g.div(c.input(0).add(1))});
    static final Formula EXPM1 = Formula.saving("Expm1Backward0", new int[0], 1,
            (c, g) -> new Tensor[] {g.mul(c.result().add(1))});
    static final Formula ERF = Formula.saving("ErfBackward0", new int[] {1}, 0,
            (c, g) -> new Tensor[] {g.mul(c.input(0).pow(2).neg().exp().mul(TWO_OVER_SQRT_PI))});
    /** {@code g * (Phi(x) + x phi(x))}, one pass of the GELU_BACKWARD primitive. */
    static final Formula GELU = Formula.saving("GeluBackward0", new int[] {1}, 0, (c, g) ->
            new Tensor[] {geluBackward(g, c.input(0))});
    /**
     * Inputs: the gradient and x. {@code d/dgrad} is GELU's backward again; {@code d/dx} is
     * {@code gg * grad * phi(x) (2 - x^2)}, GELU's second derivative.
     */
    static final Formula GELU_BACKWARD = Formula.saving("GeluBackwardBackward0", new int[] {2, 3}, 0, (c, g) -> {
        Tensor x = c.input(1);
        Tensor gradGrad = c.needsGrad(0) ? geluBackward(g, x) : null;
        Tensor xGrad = null;
        if (c.needsGrad(1)) {
            Tensor pdf = x.pow(2).mul(-0.5).exp().mul(INV_SQRT_2PI);
            xGrad = g.mul(c.input(0)).mul(pdf.mul(x.pow(2).rsub(2)));
        }
        return new Tensor[] {gradGrad, xGrad};
    });

    private static Tensor geluBackward(Tensor g, Tensor x) {
        return Pointwise.binary("gelu_backward", g, x, ElementwiseOp.GELU_BACKWARD, GELU_BACKWARD);
    }
    /** {@code g * s (1 + x (1 - s))} with {@code s = sigmoid(x)}. */
    static final Formula SILU = Formula.saving("SiluBackward0", new int[] {1}, 0, (c, g) -> {
        Tensor x = c.input(0);
        Tensor s = x.sigmoid();
        return new Tensor[] {g.mul(s.mul(x.mul(s.rsub(1)).add(1)))};
    });
    /** Args: slope. */
    static final Formula LEAKY_RELU = Formula.saving("LeakyReluBackward0", new int[] {1}, 0,
            (c, g) -> new Tensor[] {Torch.where(c.input(0).gt(0), g, g.mul(c.arg(0)))});
    /** Args: min, max (NaN where absent): the gradient passes where min <= x <= max. */
    static final Formula CLAMP = Formula.saving("ClampBackward1", new int[] {1}, 0,
            (c, g) -> new Tensor[] {Torch.where(inRange(c.input(0), c.arg(0), c.arg(1)), g, 0)});
    static final Formula CLAMP_MIN = Formula.saving("ClampMinBackward0", new int[] {1}, 0,
            (c, g) -> new Tensor[] {Torch.where(inRange(c.input(0), c.arg(0), Double.NaN), g, 0)});
    static final Formula CLAMP_MAX = Formula.saving("ClampMaxBackward0", new int[] {1}, 0,
            (c, g) -> new Tensor[] {Torch.where(inRange(c.input(0), Double.NaN, c.arg(0)), g, 0)});
    /**
     * The in-place clamps read the result (the input is overwritten): the gradient passes where
     * the result lies strictly inside the bound, or where the bound was not active.
     */
    static final Formula CLAMP_MIN_INPLACE = Formula.saving("ClampMinBackward0", new int[0], 1,
            (c, g) -> new Tensor[] {Torch.where(c.result().gt(c.arg(0)), g, 0)});
    static final Formula CLAMP_MAX_INPLACE = Formula.saving("ClampMaxBackward0", new int[0], 1,
            (c, g) -> new Tensor[] {Torch.where(c.result().lt(c.arg(0)), g, 0)});
    /** PyTorch's rule: a tie splits the gradient in halves. */
    static final Formula MAXIMUM = Formula.saving("MaximumBackward0", new int[] {3, 3}, 0,
            (c, g) -> extremeGrads(c, g, true));
    static final Formula MINIMUM = Formula.saving("MinimumBackward0", new int[] {3, 3}, 0,
            (c, g) -> extremeGrads(c, g, false));
    /** Input: x; extra 0: the mask. */
    static final Formula MASKED_FILL = Formula.of("MaskedFillBackward0",
            (c, g) -> new Tensor[] {Torch.where(c.extra(0), 0, g)});

    private static Tensor inRange(Tensor x, double min, double max) {
        Tensor lo = Double.isNaN(min) ? null : x.ge(min);
        Tensor hi = Double.isNaN(max) ? null : x.le(max);
        return lo == null ? hi : hi == null ? lo : lo.mul(hi);
    }

    private static Tensor[] extremeGrads(Formula.Context c, Tensor g, boolean max) {
        Tensor a = c.input(0);
        Tensor b = c.input(1);
        Tensor shared = Torch.where(a.eq(b), g.div(2), g);
        return new Tensor[] {
            c.needsGrad(0) ? Torch.where(max ? a.lt(b) : a.gt(b), 0, shared) : null,
            c.needsGrad(1) ? Torch.where(max ? b.lt(a) : b.gt(a), 0, shared) : null};
    }

    static Tensor relu(Tensor x) {
        return Pointwise.unary("relu", x, ElementwiseOp.RELU, RELU);
    }

    /** ReLU's backward in one pass, differentiable in the gradient. */
    private static Tensor thresholdBackward(Tensor grad, Tensor result) {
        return Pointwise.binary("threshold_backward", grad, result, ElementwiseOp.THRESHOLD_BACKWARD,
                THRESHOLD_BACKWARD);
    }

    static Tensor log1p(Tensor x) {
        return Pointwise.unary("log1p", x, ElementwiseOp.LOG1P, LOG1P);
    }

    static Tensor expm1(Tensor x) {
        return Pointwise.unary("expm1", x, ElementwiseOp.EXPM1, EXPM1);
    }

    static Tensor erf(Tensor x) {
        return Pointwise.unary("erf", x, ElementwiseOp.ERF, ERF);
    }

    /** {@code x/2 (1 + erf(x / sqrt 2))}, PyTorch's default (exact) GELU. */
    static Tensor gelu(Tensor x) {
        x.checkOpen("gelu");
        requireFloating("gelu", x);
        return Pointwise.unary("gelu", x, ElementwiseOp.GELU, GELU);
    }

    static Tensor silu(Tensor x) {
        x.checkOpen("silu");
        requireFloating("silu", x);
        return Composite.record(SILU, new Tensor[] {x}, new double[0], () -> x.mul(x.sigmoid()));
    }

    static Tensor leakyRelu(Tensor x, double slope) {
        requireFloating("leaky_relu", x);
        return Pointwise.scalar("leaky_relu", x, slope, ElementwiseOp.LEAKY_RELU, LEAKY_RELU, false);
    }

    /** {@code min(max(x, lo), hi)}; NaN bounds are absent ones; NaN elements stay NaN. */
    static Tensor clamp(Tensor x, double min, double max) {
        x.checkOpen("clamp");
        if (Double.isNaN(min) && Double.isNaN(max)) {
            throw new IllegalArgumentException("clamp: At least one of 'min' or 'max' must not be None");
        }
        return Composite.record(CLAMP, new Tensor[] {x}, new double[] {min, max}, () -> {
            Tensor lo = Double.isNaN(min) ? x : Pointwise.scalar("clamp", x, min, isFloatBound(x, min),
                    ElementwiseOp.CLAMP_MIN, null, false);
            return Double.isNaN(max) ? lo : Pointwise.scalar("clamp", lo, max, isFloatBound(lo, max),
                    ElementwiseOp.CLAMP_MAX, null, false);
        });
    }

    static Tensor clampMin(Tensor x, double min) {
        return Pointwise.scalar("clamp_min", x, min, isFloatBound(x, min), ElementwiseOp.CLAMP_MIN, CLAMP_MIN, false);
    }

    static Tensor clampMax(Tensor x, double max) {
        return Pointwise.scalar("clamp_max", x, max, isFloatBound(x, max), ElementwiseOp.CLAMP_MAX, CLAMP_MAX, false);
    }

    /**
     * Whether a bound counts as a float scalar: Java has one {@code double} signature, so an
     * integral bound on an integer tensor is read as PyTorch reads {@code clamp(0, 9)}: an int.
     */
    private static boolean isFloatBound(Tensor x, double bound) {
        return x.dtype().isFloatingPoint() || bound != Math.rint(bound) || Double.isInfinite(bound);
    }

    /** {@code clamp_}: each present bound in place, as its own node. */
    static Tensor clampInPlace(Tensor x, double min, double max) {
        if (Double.isNaN(min) && Double.isNaN(max)) {
            throw new IllegalArgumentException("clamp_: At least one of 'min' or 'max' must not be None");
        }
        if (!Double.isNaN(min)) {
            InPlace.scalar("clamp_", x, min, isFloatBound(x, min), ElementwiseOp.CLAMP_MIN, CLAMP_MIN_INPLACE, false);
        }
        if (!Double.isNaN(max)) {
            InPlace.scalar("clamp_", x, max, isFloatBound(x, max), ElementwiseOp.CLAMP_MAX, CLAMP_MAX_INPLACE, false);
        }
        return x;
    }

    static Tensor maximum(Tensor a, Tensor b) {
        return Pointwise.binary("maximum", a, b, ElementwiseOp.MAXIMUM, MAXIMUM);
    }

    static Tensor minimum(Tensor a, Tensor b) {
        return Pointwise.binary("minimum", a, b, ElementwiseOp.MINIMUM, MINIMUM);
    }

    /** {@code value} where the bool {@code mask} (broadcast to x) is true, else x. */
    static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        x.checkOpen("masked_fill");
        mask.checkOpen("masked_fill");
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("masked_fill: only supports boolean masks, but got mask with dtype "
                    + mask.dtype().pyName() + "; make one with a comparison (x.gt(0))");
        }
        long[] shape = Shapes.broadcast("masked_fill", x.layout().shape(), mask.layout().shape());
        if (!java.util.Arrays.equals(shape, x.layout().shape())) {
            throw new IllegalArgumentException("masked_fill: the mask " + Shapes.str(mask.shape())
                    + " must broadcast to the tensor's shape " + Shapes.str(x.shape()));
        }
        return Composite.record(MASKED_FILL, new Tensor[] {x}, new Tensor[] {mask}, new double[] {value},
                () -> Pointwise.where(mask, Creation.full(value, x.dtype(), new long[0], x.device()), x));
    }

    /** Ops defined on floating types only, with PyTorch's "not implemented for" wording. */
    static void requireFloating(String op, Tensor x) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": \"" + op + "\" not implemented for '" + x.dtype().pyName()
                    + "'; convert with to(DType.FLOAT32) first");
        }
    }
}
