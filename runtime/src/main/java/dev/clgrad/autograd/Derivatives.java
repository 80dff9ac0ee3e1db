package dev.clgrad.autograd;

import dev.clgrad.Tensor;
import dev.clgrad.Torch;

import static dev.clgrad.autograd.Formula.of;
import static dev.clgrad.autograd.Formula.saving;

/**
 * Every backward rule of clgrad, each in exactly one place and written with tensor ops (so it
 * runs on the forward tensors' device and is itself differentiable under {@code createGraph}),
 * with PyTorch 1.13's node names. Rules return one gradient per input, null where the input
 * needs none; the engine sums gradients back over broadcast dimensions, so rules return them
 * in the broadcast shape.
 */
public final class Derivatives {
    private Derivatives() {
    }

    private static final int X = 1;      // mask bit of input 0
    private static final int Y = 2;      // mask bit of input 1
    private static final int NONE = 0;

    private static Tensor[] grads(Tensor... g) {
        return g;
    }

    private static int[] inputs(int... savedFor) {
        return savedFor;
    }

    // ---- unary -------------------------------------------------------------------------
    public static final Formula NEG = of("NegBackward0", (c, g) -> grads(g.neg()));
    public static final Formula EXP = saving("ExpBackward0", inputs(), X, (c, g) -> grads(g.mul(c.result())));
    public static final Formula LOG = saving("LogBackward0", inputs(X), NONE, (c, g) -> grads(g.div(c.input(0))));
    public static final Formula SQRT = saving("SqrtBackward0", inputs(), X,
            (c, g) -> grads(g.div(c.result().mul(2))));
    public static final Formula ABS = saving("AbsBackward0", inputs(X), NONE,
            (c, g) -> grads(g.mul(c.input(0).sign())));
    public static final Formula SIN = saving("SinBackward0", inputs(X), NONE,
            (c, g) -> grads(g.mul(c.input(0).cos())));
    public static final Formula COS = saving("CosBackward0", inputs(X), NONE,
            (c, g) -> grads(g.mul(c.input(0).sin().neg())));
    public static final Formula TANH = saving("TanhBackward0", inputs(), X,
            (c, g) -> grads(g.mul(c.result().mul(c.result()).rsub(1))));
    public static final Formula SIGMOID = saving("SigmoidBackward0", inputs(), X,
            (c, g) -> grads(g.mul(c.result().rsub(1)).mul(c.result())));
    /** {@code sign} is flat: its gradient is zero, as PyTorch records it. */
    public static final Formula SIGN = of("SignBackward0", (c, g) -> grads(g.newZeros(g.shape())));

    // ---- with a scalar operand (PyTorch wraps the scalar: its edge is None) ------------
    public static final Formula ADD_SCALAR = of("AddBackward0", (c, g) -> grads(g, null));
    public static final Formula SUB_SCALAR = of("SubBackward0", (c, g) -> grads(g, null));
    public static final Formula MUL_SCALAR = Formula.savingScalar("MulBackward0",
            (c, g) -> grads(g.mul(c.arg(0)), null));
    public static final Formula DIV_SCALAR = Formula.savingScalar("DivBackward0",
            (c, g) -> grads(g.div(c.arg(0)), null));
    /** {@code x * s} called from a composite, as ATen's scalar overload (no None edge). */
    public static final Formula MUL_SCALAR_ATEN = Formula.of("MulBackward1", (c, g) -> grads(g.mul(c.arg(0))));
    /** {@code x / s} called from a composite, as ATen's scalar overload. */
    public static final Formula DIV_SCALAR_ATEN = Formula.of("DivBackward1", (c, g) -> grads(g.div(c.arg(0))));
    public static final Formula RSUB_SCALAR = of("RsubBackward1", (c, g) -> grads(g.neg()));
    public static final Formula POW_SCALAR = saving("PowBackward0", inputs(X), NONE, (c, g) -> {
        double e = c.arg(0);
        if (e == 0) {
            return grads(g.newZeros(g.shape()));
        }
        // x^1 is x: skipping that copy saves a pass over memory in the common square
        Tensor x = c.input(0);
        return grads(g.mul((e == 2 ? x : x.pow(e - 1)).mul(e)));
    });
    /** {@code s ^ x}: PyTorch wraps {@code s} as the base, so input 0 is the (None) scalar. */
    public static final Formula RPOW_SCALAR = saving("PowBackward1", inputs(), Y, (c, g) -> {
        Tensor grad = g.mul(c.result().mul(Math.log(c.arg(0))));
        // 0^x is flat for x >= 0 (result 0 or 1), as PyTorch masks it; x < 0 (result inf) keeps -inf
        return grads(null, c.arg(0) == 0 ? Torch.where(c.result().le(1), 0, grad) : grad);
    });
    public static final Formula RECIPROCAL = saving("ReciprocalBackward0", inputs(), X,
            (c, g) -> grads(g.mul(c.result().mul(c.result()).neg())));

    // ---- binary ------------------------------------------------------------------------
    public static final Formula ADD = of("AddBackward0", (c, g) -> grads(g, g));
    public static final Formula SUB = of("SubBackward0", (c, g) -> grads(g, c.needsGrad(1) ? g.neg() : null));
    public static final Formula MUL = saving("MulBackward0", inputs(Y, X), NONE, (c, g) -> grads(
            c.needsGrad(0) ? g.mul(c.input(1)) : null,
            c.needsGrad(1) ? g.mul(c.input(0)) : null));
    public static final Formula DIV = saving("DivBackward0", inputs(Y, X | Y), NONE, (c, g) -> grads(
            c.needsGrad(0) ? g.div(c.input(1)) : null,
            // PyTorch's -grad * ((a / b) / b): b * b would underflow or overflow first
            c.needsGrad(1) ? g.neg().mul(c.input(0).div(c.input(1)).div(c.input(1))) : null));
    public static final Formula POW = saving("PowBackward1", inputs(X | Y, X | Y), Y, (c, g) -> {
        Tensor base = c.input(0);
        Tensor exponent = c.input(1);
        Tensor gb = null;
        Tensor ge = null;
        if (c.needsGrad(0)) {
            gb = Torch.where(exponent.eq(0), 0, g.mul(exponent.mul(base.pow(exponent.sub(1)))));
        }
        if (c.needsGrad(1)) {
            Tensor zeroBase = base.eq(0).mul(exponent.ge(0));
            ge = g.mul(Torch.where(zeroBase, 0, c.result().mul(base.log())));
        }
        return grads(gb, ge);
    });

    /** Inputs: a, b; extra 0: the condition. */
    public static final Formula WHERE = of("WhereBackward0", (c, g) -> grads(
            c.needsGrad(0) ? Torch.where(c.extra(0), g, 0) : null,
            c.needsGrad(1) ? Torch.where(c.extra(0), 0, g) : null));

    // ---- reductions --------------------------------------------------------------------
    public static final Formula SUM = of("SumBackward0", (c, g) -> grads(g.expand(c.inputShape(0))));
    /** Args: keepDim (0/1) then the reduced dims. */
    public static final Formula SUM_DIM = of("SumBackward1",
            (c, g) -> grads(unreduce(c, g).expand(c.inputShape(0))));
    public static final Formula MEAN = of("MeanBackward0",
            // dividing before expanding gives the same elements and writes no full-size temporary
            (c, g) -> grads(g.div(numel(c.inputShape(0))).expand(c.inputShape(0))));
    /** Args: keepDim (0/1) then the reduced dims. */
    public static final Formula MEAN_DIM = of("MeanBackward1", (c, g) -> {
        long count = 1;
        for (int i = 1; i < c.argCount() && c.inputShape(0).length > 0; i++) {
            count *= c.inputShape(0)[(int) c.arg(i)];
        }
        return grads(unreduce(c, g).expand(c.inputShape(0)).div(count));
    });
    public static final Formula MAX = saving("MaxBackward1", inputs(X), X, Derivatives::evenlyDistribute);
    public static final Formula MIN = saving("MinBackward1", inputs(X), X, Derivatives::evenlyDistribute);
    public static final Formula NORM = saving("NormBackward1", inputs(X), X, (c, g) -> {
        Tensor norm = c.result();
        return grads(c.input(0).mul(Torch.where(norm.eq(0), 0, g.div(norm))));
    });

    /**
     * PyTorch's {@code evenly_distribute_backward}: the gradient is shared by the elements equal to
     * the result, or by the NaN elements when the result is NaN.
     */
    private static Tensor[] evenlyDistribute(Formula.Context c, Tensor g) {
        Tensor x = c.input(0);
        Tensor result = c.result();
        Tensor mask = x.eq(result).add(x.ne(x).mul(result.ne(result)));
        return grads(Torch.where(mask, g.div(mask.sum()), 0));
    }

    private static Tensor unreduce(Formula.Context c, Tensor g) {
        if (c.arg(0) != 0 || c.inputShape(0).length == 0) {
            return g;
        }
        int[] dims = new int[c.argCount() - 1];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = (int) c.arg(i + 1);
        }
        java.util.Arrays.sort(dims);
        for (int d : dims) {
            g = g.unsqueeze(d);
        }
        return g;
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    // ---- linear algebra ----------------------------------------------------------------
    public static final Formula MM = saving("MmBackward0", inputs(Y, X), NONE, (c, g) -> grads(
            c.needsGrad(0) ? g.matmul(c.input(1).t()) : null,
            c.needsGrad(1) ? c.input(0).t().matmul(g) : null));
    public static final Formula BMM = saving("BmmBackward0", inputs(Y, X), NONE, (c, g) -> grads(
            c.needsGrad(0) ? g.matmul(c.input(1).transpose(1, 2)) : null,
            c.needsGrad(1) ? c.input(0).transpose(1, 2).matmul(g) : null));
    public static final Formula DOT = saving("DotBackward0", inputs(Y, X), NONE, (c, g) -> grads(
            c.needsGrad(0) ? g.mul(c.input(1)) : null,
            c.needsGrad(1) ? g.mul(c.input(0)) : null));
    public static final Formula MV = saving("MvBackward0", inputs(Y, X), NONE, (c, g) -> grads(
            c.needsGrad(0) ? g.unsqueeze(1).mul(c.input(1)) : null,
            c.needsGrad(1) ? c.input(0).t().matmul(g) : null));

    // ---- views and copies --------------------------------------------------------------
    public static final Formula VIEW = of("ViewBackward0", (c, g) -> grads(g.reshape(c.inputShape(0))));
    public static final Formula RESHAPE_ALIAS = of("ReshapeAliasBackward0",
            (c, g) -> grads(g.reshape(c.inputShape(0))));
    public static final Formula UNSAFE_VIEW = of("UnsafeViewBackward0",
            (c, g) -> grads(g.reshape(c.inputShape(0))));
    public static final Formula T = of("TBackward0", (c, g) -> grads(g.t()));
    /** Args: dim0, dim1. */
    public static final Formula TRANSPOSE = of("TransposeBackward0",
            (c, g) -> grads(g.transpose((int) c.arg(0), (int) c.arg(1))));
    /** Args: the permutation. */
    public static final Formula PERMUTE = of("PermuteBackward0", (c, g) -> {
        int[] inverse = new int[c.argCount()];
        for (int i = 0; i < inverse.length; i++) {
            inverse[(int) c.arg(i)] = i;
        }
        return grads(g.permute(inverse));
    });
    public static final Formula EXPAND = of("ExpandBackward0", (c, g) -> grads(g));
    /** Args: dim. */
    public static final Formula UNSQUEEZE = of("UnsqueezeBackward0", (c, g) -> grads(g.squeeze((int) c.arg(0))));
    /** Args: dim. */
    public static final Formula SQUEEZE_DIM = of("SqueezeBackward1", (c, g) -> grads(
            g.dim() < c.inputShape(0).length ? g.unsqueeze((int) c.arg(0)) : g));
    /** The in-place {@code squeeze_(0)} PyTorch's 1-D by 2-D matmul ends with. Args: dim. */
    public static final Formula SQUEEZE_INPLACE = of("SqueezeBackward3", (c, g) -> grads(
            g.dim() < c.inputShape(0).length ? g.unsqueeze((int) c.arg(0)) : g));
    /** Args: dim, index. */
    public static final Formula SELECT = of("SelectBackward0", (c, g) -> {
        Tensor gradInput = g.newZeros(c.inputShape(0));
        gradInput.select((int) c.arg(0), (long) c.arg(1)).copy_(g);
        return grads(gradInput);
    });
    /** Args: rank, then the view's sizes, strides, and offset from the input's first element. */
    public static final Formula AS_STRIDED = of("AsStridedBackward0", (c, g) -> {
        int rank = (int) c.arg(0);
        long[] shape = new long[rank];
        long[] strides = new long[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = (long) c.arg(1 + d);
            strides[d] = (long) c.arg(1 + rank + d);
        }
        // a broadcast (stride 0) dimension of the view read one element many times: its
        // gradient is the sum over that dimension, written once
        int[] broadcast = new int[rank];
        int nb = 0;
        for (int d = 0; d < rank; d++) {
            if (strides[d] == 0 && shape[d] > 1) {
                broadcast[nb++] = d;
                shape[d] = 1;
            }
        }
        Tensor summed = nb == 0 ? g : g.sum(java.util.Arrays.copyOf(broadcast, nb), true);
        Tensor gradInput = g.newZeros(c.inputShape(0));
        gradInput.asStrided(shape, strides, (long) c.arg(1 + 2 * rank)).copy_(summed);
        return grads(gradInput);
    });
    public static final Formula CLONE = of("CloneBackward0", (c, g) -> grads(g));
    /** {@code to(DType)} and {@code to(Device)}: the gradient goes back to the input's dtype and device. */
    public static final Formula TO_COPY = of("ToCopyBackward0",
            (c, g) -> grads(g.to(c.inputDType(0)).to(c.inputDevice(0))));

    // ---- in place ----------------------------------------------------------------------
    public static final Formula COPY = of("CopyBackwards", (c, g) -> grads(g.newZeros(g.shape()), g));
    public static final Formula FILL = of("FillBackward2", (c, g) -> grads(g.newZeros(g.shape())));
    public static final Formula ZERO = of("ZeroBackward0", (c, g) -> grads(g.newZeros(g.shape())));
}
