package dev.clgrad.nn;

import dev.clgrad.Autograd;
import dev.clgrad.Composite;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;
import dev.clgrad.autograd.Formula;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stateless layer functions, as PyTorch's {@code torch.nn.functional}: each records the graph
 * PyTorch 1.13 records ({@code linear} of a matrix is one {@code AddmmBackward0}, {@code mseLoss}
 * one {@code MseLossBackward0}, {@code l1Loss} its {@code abs} of a difference), so node names and
 * {@code nextFunctions} match. Ops that PyTorch runs as one kernel are {@link Composite}s here,
 * their backward rules written with tensor ops beside their forwards, so second derivatives work.
 */
public final class Functional {
    private Functional() {
    }

    // ---- linear ------------------------------------------------------------------------

    /**
     * {@code addmm(bias, x, wt)}, PyTorch's fused {@code bias + x @ wt}. Inputs bias, mat1, mat2
     * (bits 1, 2, 4): mat1 is saved for mat2's gradient and mat2 for mat1's; the bias gradient is
     * {@code grad} itself, summed to the bias's shape by the engine.
     */
    static final Formula ADDMM = Formula.saving("AddmmBackward0", new int[] {0, 4, 2}, 0, (c, g) -> new Tensor[] {
        c.needsGrad(0) ? g : null,
        c.needsGrad(1) ? g.matmul(c.input(2).t()) : null,
        c.needsGrad(2) ? c.input(1).t().matmul(g) : null});

    /**
     * {@code x @ weight.t() + bias}, as {@code torch.nn.functional.linear}: a matrix input with a
     * bias is one {@code AddmmBackward0}; a contiguous 3-D input with a bias is viewed as a matrix
     * around it ({@code ViewBackward0(AddmmBackward0(...))}); other inputs go through
     * {@code matmul} and an {@code add}.
     *
     * @param x input of shape {@code [*, in_features]}
     * @param weight {@code [out_features, in_features]}
     * @param bias {@code [out_features]}, or null for none
     * @return {@code [*, out_features]}
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        notNull(x, "linear", "x");
        notNull(weight, "linear", "weight");
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("linear: weight must be 2-D [out_features, in_features], but got shape "
                    + PyText.list(weight.shape()));
        }
        if (x.dim() == 0) {
            throw new IllegalArgumentException("linear: both arguments to matmul need to be at least 1D, but they are "
                    + "0D and 2D (input shape [], weight shape " + PyText.list(weight.shape())
                    + "); give the input a feature dimension with reshape(1)");
        }
        long in = x.size(-1 + x.dim());
        if (in != weight.size(1)) {
            long rows = x.numel() == 0 || in == 0 ? product(Arrays.copyOf(x.shape(), x.dim() - 1)) : x.numel() / in;
            throw new IllegalArgumentException("linear: mat1 and mat2 shapes cannot be multiplied (" + rows + "x" + in
                    + " and " + weight.size(1) + "x" + weight.size(0) + "); the input's last dimension (" + in
                    + ") must equal the weight's in_features (" + weight.size(1) + ")");
        }
        Tensor wt = weight.t();
        if (bias != null && x.dim() == 2) {
            return addmm(bias, x, wt);
        }
        if (bias != null && x.dim() == 3 && x.isContiguous()) {
            long[] s = x.shape();
            return addmm(bias, x.view(s[0] * s[1], s[2]), wt).view(s[0], s[1], weight.size(0));
        }
        Tensor out = x.matmul(wt);
        return bias == null ? out : out.add(bias);
    }

    private static Tensor addmm(Tensor bias, Tensor mat1, Tensor mat2) {
        return Composite.record(ADDMM, new Tensor[] {bias, mat1, mat2}, new double[0],
                () -> mat1.matmul(mat2).add(bias));
    }

    // ---- dropout -----------------------------------------------------------------------

    /**
     * Zeroes each element with probability {@code p} and scales the rest by {@code 1/(1-p)} when
     * {@code training}, as {@code torch.nn.functional.dropout} on the CPU: the result is
     * {@code x * noise} ({@code MulBackward0} with a None edge for the noise). The noise comes
     * from {@link Tensor#rand} on {@code x}'s device, so one seed gives the same mask on every
     * device. Returns {@code x} itself when not training, when {@code p == 0} or when {@code x} is
     * empty.
     *
     * @throws IllegalArgumentException when {@code p} is outside [0, 1]
     */
    public static Tensor dropout(Tensor x, double p, boolean training) {
        notNull(x, "dropout", "x");
        checkDropoutProbability("dropout", p);
        if (p == 0 || !training || x.numel() == 0) {
            return x;
        }
        if (p == 1) {
            // the zero is saved by the product's node: it must outlive this call
            return x.mul(Tensor.full(0, x.dtype(), x.device()));
        }
        Tensor noise;
        try (var scope = TensorScope.open(); var noGrad = Autograd.noGrad()) {
            Tensor kept = Tensor.rand(x.dtype(), x.device(), x.shape()).lt(1 - p).to(x.dtype());
            noise = scope.keep(kept.div(1 - p));
        }
        return x.mul(noise);
    }

    static void checkDropoutProbability(String op, double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException(op + ": dropout probability has to be between 0 and 1, but got "
                    + PyText.floatRepr(p));
        }
    }

    // ---- normalisation -----------------------------------------------------------------

    /**
     * Layer normalisation over the last {@code args[1]} dims. Inputs x, weight, bias (bits 1, 2,
     * 4; weight and bias may be None); args eps, the number of normalised dims. x is saved for
     * the x and weight gradients, the weight for x's.
     */
    static final Formula LAYER_NORM = Formula.saving("NativeLayerNormBackward0", new int[] {1 | 2, 1}, 0, (c, g) -> {
        Tensor x = c.input(0);
        int[] dims = lastDims(x.dim(), (int) c.arg(1));
        Tensor mean = x.mean(dims, true);
        Tensor centered = x.sub(mean);
        Tensor rstd = centered.mul(centered).mean(dims, true).add(c.arg(0)).sqrt().reciprocal();
        Tensor normalized = centered.mul(rstd);
        Tensor gx = null;
        if (c.needsGrad(0)) {
            Tensor gn = c.argCount() > 2 && c.arg(2) != 0 ? g.mul(c.input(1)) : g;
            gx = gn.sub(gn.mean(dims, true)).sub(normalized.mul(gn.mul(normalized).mean(dims, true))).mul(rstd);
        }
        return new Tensor[] {gx, c.needsGrad(1) ? g.mul(normalized) : null, c.needsGrad(2) ? g : null};
    });

    /**
     * {@code torch.nn.functional.layer_norm}: normalises over the last dims (those of
     * {@code normalizedShape}) to mean 0 and biased variance 1, then scales by {@code weight} and
     * shifts by {@code bias} (each null for none); one {@code NativeLayerNormBackward0} node.
     *
     * @throws IllegalArgumentException when the input's shape does not end with {@code normalizedShape}
     */
    public static Tensor layerNorm(Tensor x, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        notNull(x, "layerNorm", "x");
        notNull(normalizedShape, "layerNorm", "normalizedShape");
        int k = normalizedShape.length;
        long[] shape = x.shape();
        if (k == 0 || shape.length < k
                || !Arrays.equals(Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape)) {
            String starred = PyText.list(normalizedShape).replaceFirst("\\[", k == 0 ? "[*" : "[*, ");
            throw new IllegalArgumentException("layerNorm: Given normalized_shape=" + PyText.list(normalizedShape)
                    + ", expected input with shape " + starred + ", but got input of size" + PyText.list(shape));
        }
        checkAffine("weight", weight, normalizedShape);
        checkAffine("bias", bias, normalizedShape);
        int[] dims = lastDims(shape.length, k);
        return Composite.record(LAYER_NORM, new Tensor[] {x, weight, bias}, new double[] {eps, k, weight != null ? 1 : 0},
                () -> {
                    Tensor centered = x.sub(x.mean(dims, true));
                    Tensor rstd = centered.mul(centered).mean(dims, true).add(eps).sqrt().reciprocal();
                    Tensor y = centered.mul(rstd);
                    if (weight != null) {
                        y = y.mul(weight);
                    }
                    return bias != null ? y.add(bias) : y;
                });
    }

    private static void checkAffine(String name, Tensor t, long[] normalizedShape) {
        if (t != null && !Arrays.equals(t.shape(), normalizedShape)) {
            throw new IllegalArgumentException("layerNorm: Expected " + name + " to be of same shape as normalized_shape, "
                    + "but got " + name + " of shape " + PyText.list(t.shape()) + " and normalized_shape = "
                    + PyText.list(normalizedShape));
        }
    }

    private static int[] lastDims(int rank, int count) {
        int[] dims = new int[count];
        for (int i = 0; i < count; i++) {
            dims[i] = rank - count + i;
        }
        return dims;
    }

    // ---- losses ------------------------------------------------------------------------

    /** {@code mse_loss}: inputs input, target (each saved for both gradients); arg the reduction's ordinal. */
    static final Formula MSE_LOSS = Formula.saving("MseLossBackward0", new int[] {1 | 2, 1 | 2}, 0, (c, g) -> {
        double norm = (int) c.arg(0) == Reduction.MEAN.ordinal() ? 2.0 / product(c.inputShape(0)) : 2.0;
        return new Tensor[] {
            c.needsGrad(0) ? c.input(0).sub(c.input(1)).mul(norm).mul(g) : null,
            c.needsGrad(1) ? c.input(1).sub(c.input(0)).mul(norm).mul(g) : null};
    });

    /** {@code mseLoss(input, target, Reduction.MEAN)}. */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        return mseLoss(input, target, Reduction.MEAN);
    }

    /**
     * The squared error {@code (input - target)^2}, reduced, as {@code torch.nn.functional.mse_loss}
     * (one {@code MseLossBackward0} node); {@code input} and {@code target} broadcast (PyTorch warns
     * when their sizes differ; clgrad allows it silently).
     */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        notNull(input, "mseLoss", "input");
        notNull(target, "mseLoss", "target");
        notNull(reduction, "mseLoss", "reduction");
        Tensor[] pair = broadcastTensors("mseLoss", input, target);
        Tensor a = pair[0];
        Tensor b = pair[1];
        return Composite.record(MSE_LOSS, pair, new double[] {reduction.ordinal()}, () -> {
            Tensor diff = a.sub(b);
            return reduce(diff.mul(diff), reduction);
        });
    }

    /** {@code l1Loss(input, target, Reduction.MEAN)}. */
    public static Tensor l1Loss(Tensor input, Tensor target) {
        return l1Loss(input, target, Reduction.MEAN);
    }

    /**
     * The absolute error {@code |input - target|}, reduced, as {@code torch.nn.functional.l1_loss}
     * in 1.13, which composes it from {@code sub}, {@code abs} and {@code mean}/{@code sum} (so the
     * graph is {@code MeanBackward0(AbsBackward0(SubBackward0(...)))}).
     */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        notNull(input, "l1Loss", "input");
        notNull(target, "l1Loss", "target");
        notNull(reduction, "l1Loss", "reduction");
        Tensor[] pair = broadcastTensors("l1Loss", input, target);
        return reduce(pair[0].sub(pair[1]).abs(), reduction);
    }

    /** Per-element losses reduced as {@code reduction} says (shared by every loss here and in {@link Losses}). */
    static Tensor reduce(Tensor loss, Reduction reduction) {
        switch (reduction) {
            case MEAN:
                return loss.mean();
            case SUM:
                return loss.sum();
            default:
                return loss;
        }
    }

    /** {@code torch.broadcast_tensors} of two: each expanded to the common shape, unless it has it. */
    private static Tensor[] broadcastTensors(String op, Tensor a, Tensor b) {
        long[] sa = a.shape();
        long[] sb = b.shape();
        int rank = Math.max(sa.length, sb.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - sa.length ? 1 : sa[i - (rank - sa.length)];
            long db = i < rank - sb.length ? 1 : sb[i - (rank - sb.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": The size of tensor a (" + da + ") must match the size of tensor b ("
                        + db + ") at non-singleton dimension " + i + " (input shape " + PyText.list(sa)
                        + ", target shape " + PyText.list(sb) + "); give the target the input's shape");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Tensor[] {
            Arrays.equals(sa, out) ? a : a.expand(out),
            Arrays.equals(sb, out) ? b : b.expand(out)};
    }

    // ---- gradient clipping -------------------------------------------------------------

    /**
     * Scales the gradients of {@code params} in place so that their total 2-norm (the norm of all
     * gradients as one vector) is at most {@code maxNorm}, as {@code torch.nn.utils.clip_grad_norm_}
     * in 1.13: each gradient is multiplied by {@code maxNorm / (total + 1e-6)} when that is below 1.
     * Parameters without a gradient are skipped. The norms are computed on the gradients' devices;
     * only the total is read back.
     *
     * @return the total norm before clipping (0 when no parameter has a gradient)
     */
    public static double clipGradNorm_(List<Tensor> params, double maxNorm) {
        notNull(params, "clipGradNorm_", "params");
        List<Tensor> grads = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p == null) {
                throw new NullPointerException("clipGradNorm_: element " + i + " of argument 'params' is null");
            }
            if (p.grad() != null) {
                grads.add(p.grad());
            }
        }
        if (grads.isEmpty()) {
            return 0.0;
        }
        Device device = grads.get(0).device();
        double total;
        try (var scope = TensorScope.open(); var noGrad = Autograd.noGrad()) {
            Tensor sumOfSquares = null;
            for (Tensor g : grads) {
                Tensor norm = g.norm().to(device);
                Tensor square = norm.mul(norm);
                sumOfSquares = sumOfSquares == null ? square : sumOfSquares.add(square);
            }
            total = sumOfSquares.sqrt().item();
            double coefficient = maxNorm / (total + 1e-6);
            // PyTorch multiplies by the coefficient clamped to 1: NaN passes the clamp
            if (!(coefficient >= 1)) {
                for (Tensor g : grads) {
                    g.mul_(coefficient);
                }
            }
        }
        return total;
    }

    // ---- helpers -----------------------------------------------------------------------

    static <T> T notNull(T value, String op, String arg) {
        if (value == null) {
            throw new NullPointerException(op + ": argument '" + arg + "' is null");
        }
        return value;
    }

    private static long product(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    // ---- classification losses and lookups (see Losses) ---------------------------------

    /** {@code nll_loss(input, target)}: mean negative log-likelihood of int64 class indices. */
    public static Tensor nllLoss(Tensor input, Tensor target) {
        return Losses.nllLoss(input, target, Reduction.MEAN, -100);
    }

    /** {@code nll_loss} with a reduction and an ignored class index (PyTorch's default -100). */
    public static Tensor nllLoss(Tensor input, Tensor target, Reduction reduction, long ignoreIndex) {
        return Losses.nllLoss(input, target, reduction, ignoreIndex);
    }

    /** {@code cross_entropy(input, target)}: int64 class indices, or class probabilities of input's shape. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target, Reduction.MEAN, -100, 0);
    }

    /** {@code cross_entropy} with reduction, ignored index (-100 by default) and label smoothing in [0, 1]. */
    public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction, long ignoreIndex,
                                      double labelSmoothing) {
        return Losses.crossEntropy(input, target, reduction, ignoreIndex, labelSmoothing);
    }

    /** {@code binary_cross_entropy_with_logits(input, target)}, stable for logits of any size. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return Losses.bceWithLogits(input, target, Reduction.MEAN, null);
    }

    /** {@code binary_cross_entropy_with_logits} with a reduction and a positive-class weight (null: none). */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction,
                                                      Tensor posWeight) {
        return Losses.bceWithLogits(input, target, reduction, posWeight);
    }

    /** Rows of {@code weight} for int64 {@code indices} of any shape ({@code EmbeddingBackward0}). */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        notNull(indices, "embedding", "indices");
        notNull(weight, "embedding", "weight");
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("embedding: 'weight' must be 2-D, got " + weight.dim() + "-D");
        }
        long[] outShape = java.util.Arrays.copyOf(indices.shape(), indices.dim() + 1);
        outShape[indices.dim()] = weight.shape()[1];
        Tensor flat = indices.reshape(-1);
        return dev.clgrad.Composite.record(EMBEDDING, new Tensor[] {weight}, new Tensor[] {flat}, new double[0],
                () -> weight.indexSelect(0, flat).reshape(outShape));
    }

    /** Input: the weight; extra 0: the flat indices. */
    private static final dev.clgrad.autograd.Formula EMBEDDING = dev.clgrad.autograd.Formula.of("EmbeddingBackward0",
            (c, g) -> {
                long[] w = c.inputShape(0);
                Tensor rows = g.reshape(-1, w[1]);
                Tensor index = c.extra(0).unsqueeze(1).expand(rows.shape());
                return new Tensor[] {g.newZeros(w).scatterAdd(0, index, rows)};
            });
}
