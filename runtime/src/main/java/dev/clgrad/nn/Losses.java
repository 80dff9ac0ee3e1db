package dev.clgrad.nn;

import dev.clgrad.Autograd;
import dev.clgrad.Composite;
import dev.clgrad.DType;
import dev.clgrad.Tensor;
import dev.clgrad.Torch;
import dev.clgrad.autograd.Formula;

/**
 * The classification losses behind {@link Functional}: {@code nll_loss}, {@code cross_entropy}
 * (class indices or probabilities, ignore index, label smoothing) and
 * {@code binary_cross_entropy_with_logits}, each one node with PyTorch's name where PyTorch
 * records one. Inputs of more than two dims ({@code [N, C, d1, ...]}) are seen as rows of C.
 */
final class Losses {
    private Losses() {
    }

    /**
     * Input: log-probabilities [N, C]; extra 0: the one-hot mask of the kept targets [N, C]
     * (bool); args: reduction. The picked entries are selected by the mask rather than gathered:
     * the mask has the input's size, and selecting needs no index checks on the device.
     */
    static final Formula NLL_LOSS = Formula.of("NllLossBackward0", (c, g) -> {
        Tensor mask = c.extra(0);
        Reduction r = Reduction.values()[(int) c.arg(0)];
        double count = c.arg(1);
        Tensor coef = switch (r) {
            case MEAN -> Double.isNaN(count) ? g.div(mask.sum().to(g.dtype())).neg() : g.div(-count);
            case SUM -> g.neg();
            case NONE -> g.neg().unsqueeze(1);
        };
        return new Tensor[] {coef.mul(mask)};
    });

    /** Inputs: logits, target (saved); extra 0: pos_weight or absent; args: reduction. */
    static final Formula BCE_WITH_LOGITS = Formula.saving("BinaryCrossEntropyWithLogitsBackward0",
            new int[] {3, 3}, 0, (c, g) -> {
                Tensor x = c.input(0);
                Tensor t = c.input(1);
                Reduction r = Reduction.values()[(int) c.arg(0)];
                Tensor scale = r == Reduction.MEAN ? g.div((double) numel(c.inputShape(0))) : g;
                boolean weighted = c.arg(1) != 0;
                Tensor pw = weighted ? c.extra(0) : null;
                Tensor gx = null;
                Tensor gt = null;
                if (c.needsGrad(0)) {
                    Tensor d = weighted
                            ? pw.mul(t).add(1).sub(t).mul(x.sigmoid()).sub(pw.mul(t))
                            : x.sigmoid().sub(t);
                    gx = d.mul(scale);
                }
                if (c.needsGrad(1)) {
                    Tensor d = weighted ? x.neg().add(pw.sub(1).mul(softplus(x.neg()))) : x.neg();
                    gt = d.mul(scale);
                }
                return new Tensor[] {gx, gt};
            });

    private static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** {@code log(1 + e^x)} without overflow. */
    private static Tensor softplus(Tensor x) {
        return x.clampMin(0).add(x.abs().neg().exp().log1p());
    }

    /** The target with ignored entries replaced by class 0, so gather and scatter stay in range. */
    private static Tensor safeTarget(Tensor target, long ignore) {
        return Torch.where(target.eq(ignore), target.newZeros(target.shape()), target);
    }

    static Tensor nllLoss(Tensor input, Tensor target, Reduction reduction, long ignoreIndex) {
        Functional.notNull(input, "nllLoss", "input");
        Functional.notNull(target, "nllLoss", "target");
        Functional.notNull(reduction, "nllLoss", "reduction");
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException("nll_loss: expected scalar type Long but found "
                    + target.dtype().pyName() + " for the target; class indices are int64 (to(DType.INT64))");
        }
        if (input.dim() == 1) {
            if (target.dim() != 0) {
                throw new IllegalArgumentException("nll_loss: a 1-D input " + shape(input)
                        + " takes a 0-dim target, got " + shape(target));
            }
            Tensor out = nllLoss(input.unsqueeze(0), target.unsqueeze(0), reduction, ignoreIndex);
            return reduction == Reduction.NONE ? out.squeeze(0) : out;
        }
        if (input.dim() > 2) {
            // [N, C, d1, ...] -> rows of C, target [N, d1, ...] -> one class per row
            long classes = input.shape()[1];
            int[] order = new int[input.dim()];
            order[input.dim() - 1] = 1;
            for (int d = 0, k = 0; d < input.dim(); d++) {
                if (d != 1) {
                    order[k++] = d;
                }
            }
            Tensor rows = input.permute(order).reshape(-1, classes);
            Tensor out = nllLoss(rows, target.reshape(-1), reduction, ignoreIndex);
            return reduction == Reduction.NONE ? out.reshape(target.shape()) : out;
        }
        if (input.dim() != 2 || target.dim() != 1 || target.shape()[0] != input.shape()[0]) {
            throw new IllegalArgumentException("nll_loss: expected input [N, C] and target [N], got input "
                    + shape(input) + " and target " + shape(target) + " (Expected input batch_size ("
                    + (input.dim() > 0 ? input.shape()[0] : 0) + ") to match target batch_size ("
                    + (target.dim() > 0 ? target.shape()[0] : 0) + "))");
        }
        long classes = input.shape()[1];
        boolean noneIgnored = checkTargets(target, classes, ignoreIndex);
        Tensor mask;
        try (var g = Autograd.noGrad()) {
            Tensor column = target.unsqueeze(1);
            mask = column.eq(classIndices(target.device(), classes));
            if (!noneIgnored) {
                mask = mask.mul(column.ne(ignoreIndex));
            }
        }
        // the kept count is known on the host when nothing is ignored (NaN: count on the device)
        double count = noneIgnored ? target.numel() : Double.NaN;
        Tensor kept = mask;
        return Composite.record(NLL_LOSS, new Tensor[] {input}, new Tensor[] {mask},
                new double[] {reduction.ordinal(), count}, () -> {
                    // where, not a product: an infinite entry off the target must not make NaN
                    Tensor picked = Torch.where(kept, input, 0);
                    return switch (reduction) {
                        case MEAN -> Double.isNaN(count) ? picked.sum().neg().div(kept.sum().to(input.dtype()))
                                : picked.sum().div(-count);
                        case SUM -> picked.sum().neg();
                        case NONE -> picked.sum(1, false).neg();
                    };
                });
    }

    private record ClassRange(dev.clgrad.Device device, long classes) {
    }

    /** {@code 0..classes-1} as int64 on each device, made once: a loss per step uploads nothing. */
    private static final java.util.Map<ClassRange, Tensor> CLASS_INDICES = new java.util.concurrent.ConcurrentHashMap<>();

    private static Tensor classIndices(dev.clgrad.Device device, long classes) {
        Tensor t = CLASS_INDICES.get(new ClassRange(device, classes));
        if (t == null || t.isClosed()) {
            t = dev.clgrad.TensorScope.persist(Tensor.arange(0, classes, 1, DType.INT64).to(device));
            CLASS_INDICES.put(new ClassRange(device, classes), t);
        }
        return t;
    }

    /** Every target that is not {@code ignore} lies in {@code [0, classes)}: one read of two numbers. */
    private static boolean checkTargets(Tensor target, long classes, long ignore) {
        if (target.numel() == 0) {
            return true;
        }
        try (var g = Autograd.noGrad()) {
            long[] range = Tensor.stack(java.util.List.of(target.min(), target.max()), 0).toLongArray();
            if (range[0] >= 0 && range[1] < classes) {
                // every target is a class: none is ignored unless the ignored index is a class too
                return ignore < 0 || ignore >= classes;
            }
            Tensor safe = safeTarget(target, ignore);
            range = Tensor.stack(java.util.List.of(safe.min(), safe.max()), 0).toLongArray();
            long lo = range[0];
            long hi = range[1];
            if (lo < 0 || hi >= classes) {
                throw new IndexOutOfBoundsException("nll_loss: Target " + (lo < 0 ? lo : hi) + " is out of bounds ("
                        + classes + " classes; targets lie in [0, " + classes + ") or equal ignoreIndex " + ignore + ")");
            }
            return false;
        }
    }

    static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction, long ignoreIndex,
                               double labelSmoothing) {
        Functional.notNull(input, "crossEntropy", "input");
        Functional.notNull(target, "crossEntropy", "target");
        Functional.notNull(reduction, "crossEntropy", "reduction");
        if (labelSmoothing < 0 || labelSmoothing > 1) {
            throw new IllegalArgumentException("cross_entropy: label_smoothing must be between 0.0 and 1.0. Got: "
                    + labelSmoothing);
        }
        int classDim = input.dim() == 1 ? 0 : 1;
        Tensor logp = input.logSoftmax(classDim);
        long classes = input.shape()[classDim];
        if (target.isFloatingPoint()) {
            if (!java.util.Arrays.equals(target.shape(), input.shape())) {
                throw new IllegalArgumentException("cross_entropy: class probabilities " + shape(target)
                        + " must have the input's shape " + shape(input));
            }
            Tensor probs = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target;
            // PyTorch's graph: the sum, then the negation, then the division by the sample count
            Tensor products = logp.mul(probs);
            return switch (reduction) {
                case MEAN -> Composite.divided(products.sum().neg(),
                        (double) (input.dim() == 1 ? 1 : input.numel() / classes));
                case SUM -> products.sum().neg();
                case NONE -> products.sum(classDim, false).neg();
            };
        }
        Tensor nll = nllLoss(logp, target, reduction, ignoreIndex);
        if (labelSmoothing == 0) {
            return nll;
        }
        Tensor kept = target.ne(ignoreIndex);
        Tensor smooth = Torch.where(kept, logp.sum(classDim, false).neg(), 0);
        Tensor smoothReduced = switch (reduction) {
            case MEAN -> smooth.sum().div(kept.sum());
            case SUM -> smooth.sum();
            case NONE -> smooth;
        };
        return Composite.scaled(nll, 1 - labelSmoothing).add(Composite.scaled(smoothReduced, labelSmoothing / classes));
    }

    static Tensor bceWithLogits(Tensor input, Tensor target, Reduction reduction, Tensor posWeight) {
        Functional.notNull(input, "binaryCrossEntropyWithLogits", "input");
        Functional.notNull(target, "binaryCrossEntropyWithLogits", "target");
        Functional.notNull(reduction, "binaryCrossEntropyWithLogits", "reduction");
        if (!java.util.Arrays.equals(target.shape(), input.shape())) {
            throw new IllegalArgumentException("binary_cross_entropy_with_logits: Target size (" + shape(target)
                    + ") must be the same as input size (" + shape(input) + ")");
        }
        Tensor[] extras = posWeight == null ? new Tensor[0] : new Tensor[] {posWeight};
        return Composite.record(BCE_WITH_LOGITS, new Tensor[] {input, target}, extras,
                new double[] {reduction.ordinal(), posWeight == null ? 0 : 1}, () -> {
                    Tensor sp = softplus(input.neg());
                    Tensor losses = posWeight == null
                            ? target.rsub(1).mul(input).add(sp)
                            : target.rsub(1).mul(input).add(posWeight.sub(1).mul(target).add(1).mul(sp));
                    return Functional.reduce(losses, reduction);
                });
    }

    private static String shape(Tensor t) {
        return java.util.Arrays.toString(t.shape());
    }
}
