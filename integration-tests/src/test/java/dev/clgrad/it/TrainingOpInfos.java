package dev.clgrad.it;

import dev.clgrad.Tensor;
import dev.clgrad.nn.Functional;
import dev.clgrad.nn.Reduction;
import dev.clgrad.it.OpInfo.Builder;
import dev.clgrad.it.OpInfo.Family;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.clgrad.it.Domain.ANY;
import static dev.clgrad.it.Domain.POSITIVE;
import static dev.clgrad.it.OpInfo.op;
import dev.clgrad.it.SampleInputs.Input;
import static dev.clgrad.it.Tolerance.EXACT;
import static dev.clgrad.it.Tolerance.POINTWISE;

/**
 * The {@link OpInfo} rows of the training layer's ops, replayed from
 * {@code golden/training_ops.txt} (tools/golden/record_training_ops.py); the unary ones also
 * get the parity suite's pointwise samples and join the fuzzer's steps.
 */
final class TrainingOpInfos {
    private TrainingOpInfos() {
    }

    /** Sums of a few terms of magnitude up to 1e4: float32 rounds them at ~1e-3 absolute. */
    private static final Tolerance SOFTMAX = new Tolerance(1e-5, 1e-5, 1e-10, 1e-12);

    static List<Builder> rows() {
        return List.of(
                unary("log1p", Tensor::log1p, POSITIVE).gradFn("Log1PBackward0").gradgrad(),
                unary("expm1", Tensor::expm1, ANY).gradFn("Expm1Backward0").gradgrad(),
                unary("erf", Tensor::erf, ANY).gradFn("ErfBackward0").gradgrad(),
                unary("gelu", Tensor::gelu, ANY).gradFn("GeluBackward0").gradgrad(),
                unary("silu", Tensor::silu, ANY).gradFn("SiluBackward0").gradgrad(),
                unary("leaky_relu", x -> x.leakyRelu(0.1), ANY).gradFn("LeakyReluBackward0").gradgrad(),
                paritied(golden("softmax", in -> in.get(0).softmax(1), "SoftmaxBackward0").golden(SOFTMAX).gradgrad(), "softmax", Tolerance.summing(64, 10), each(MATRICES)),
                paritied(golden("log_softmax", in -> in.get(0).logSoftmax(1), "LogSoftmaxBackward0").golden(SOFTMAX).gradgrad(), "log_softmax", Tolerance.summing(64, 10), each(MATRICES)),
                paritied(golden("log_softmax_dim0", in -> in.get(0).logSoftmax(0), "LogSoftmaxBackward0"), "log_softmax_dim0", Tolerance.summing(64, 10), each(MATRICES)),
                paritied(golden("logsumexp", in -> in.get(0).logsumexp(1, false), "LogsumexpBackward0").golden(SOFTMAX)
                        .gradgrad(), "logsumexp", Tolerance.summing(64, 10), each(MATRICES)),
                paritied(golden("logsumexp_keepdim", in -> in.get(0).logsumexp(1, true), "LogsumexpBackward0").golden(SOFTMAX), "logsumexp_keepdim", Tolerance.summing(64, 10), each(MATRICES)),
                paritied(golden("clamp", in -> in.get(0).clamp(-0.5, 0.7), "ClampBackward1"), "clamp", POINTWISE, each(SampleInputs.pointwise())),
                paritied(golden("clamp_min", in -> in.get(0).clampMin(0.2), "ClampMinBackward0"), "clamp_min", POINTWISE, each(SampleInputs.pointwise())),
                paritied(golden("clamp_max", in -> in.get(0).clampMax(-0.1), "ClampMaxBackward0"), "clamp_max", POINTWISE, each(SampleInputs.pointwise())),
                paritied(golden("maximum", in -> in.get(0).maximum(in.get(1)), "MaximumBackward0")
                        .kink("ties", "equal elements share the gradient"), "maximum", EXACT, SampleInputs.binary()),
                paritied(golden("minimum", in -> in.get(0).minimum(in.get(1)), "MinimumBackward0")
                        .kink("ties", "equal elements share the gradient"), "minimum", EXACT, SampleInputs.binary()),
                paritied(golden("var", in -> in.get(0).var(1, false), "VarBackward0").gradgrad(), "var", Tolerance.summing(64, 4), each(MATRICES)),
                paritied(golden("std", in -> in.get(0).std(1, false), "StdBackward0").gradgrad(), "std", Tolerance.summing(64, 4), each(MATRICES)),
                paritied(golden("var_all_corr0", in -> in.get(0).var(new int[] {0, 1}, 0, true), "VarBackward0"), "var_all_corr0", Tolerance.summing(64, 4), each(MATRICES)),
                paritied(golden("std_keepdim", in -> in.get(0).std(0, true), "StdBackward0"), "std_keepdim", Tolerance.summing(64, 4), each(MATRICES)),
                paritied(golden("gather", in -> in.get(0).gather(1, in.get(1)), "GatherBackward0").golden(EXACT).gradgrad(), "gather", Tolerance.summing(16, 2), List.<Input[]>of(new Input[] {SampleInputs.shape(17, 33), SampleInputs.shape(17, 7).in(Domain.CLASSES).constant()}, new Input[] {SampleInputs.transposeOf(33, 17), SampleInputs.shape(17, 7).in(Domain.CLASSES).constant()})),
                paritied(golden("gather_dim0", in -> in.get(0).gather(0, in.get(1)), "GatherBackward0").golden(EXACT), "gather_dim0", Tolerance.summing(16, 2), List.<Input[]>of(new Input[] {SampleInputs.shape(17, 33), SampleInputs.shape(4, 33).in(Domain.CLASSES).constant()})),
                paritied(golden("index_select", in -> in.get(0).indexSelect(0, in.get(1)), "IndexSelectBackward0")
                        .golden(EXACT), "index_select", Tolerance.summing(16, 2), List.<Input[]>of(new Input[] {SampleInputs.shape(17, 33), SampleInputs.shape(9).in(Domain.CLASSES).constant()}, new Input[] {SampleInputs.transposeOf(33, 17), SampleInputs.shape(9).in(Domain.CLASSES).constant()})),
                paritied(golden("index_select_dim1", in -> in.get(0).indexSelect(1, in.get(1)), "IndexSelectBackward0")
                        .golden(EXACT), "index_select_dim1", Tolerance.summing(16, 2), List.<Input[]>of(new Input[] {SampleInputs.shape(17, 33), SampleInputs.shape(6).in(Domain.CLASSES).constant()})),
                paritied(golden("scatter_add", in -> in.get(0).scatterAdd(1, in.get(1), in.get(2)), "ScatterAddBackward0")
                        .gradgrad(), "scatter_add", Tolerance.summing(8, 4), List.<Input[]>of(new Input[] {SampleInputs.shape(17, 33), SampleInputs.shape(17, 7).in(Domain.CLASSES).constant(), SampleInputs.shape(17, 7)})),
                paritied(golden("amax", in -> in.get(0).amax(new int[] {1}, false), "AmaxBackward0").golden(EXACT)
                        .kink("ties", "tied maxima share the gradient"), "amax", EXACT, each(MATRICES)),
                paritied(golden("amin", in -> in.get(0).amin(new int[] {0}, true), "AminBackward0").golden(EXACT)
                        .kink("ties", "tied minima share the gradient"), "amin", EXACT, each(MATRICES)),
                paritied(golden("max_dim", in -> in.get(0).max(1, false).values(), "MaxBackward0").golden(EXACT)
                        .kink("ties", "the first maximum takes the gradient"), "max_dim", EXACT, each(MATRICES)),
                paritied(golden("min_dim_keepdim", in -> in.get(0).min(0, true).values(), "MinBackward0").golden(EXACT)
                        .kink("ties", "the first minimum takes the gradient"), "min_dim_keepdim", EXACT, each(MATRICES)),
                paritied(golden("narrow", in -> in.get(0).narrow(1, 1, 2), "SliceBackward0").golden(EXACT), "narrow", EXACT, each(MATRICES)),
                paritied(golden("slice_step", in -> in.get(0).slice(1, 1, Long.MAX_VALUE, 2), "SliceBackward0").golden(EXACT), "slice_step", EXACT, each(MATRICES)),
                paritied(golden("slice_dim0", in -> in.get(0).slice(0, 1, 3, 1), "SliceBackward0").golden(EXACT), "slice_dim0", EXACT, each(MATRICES)),
                paritied(golden("cat", in -> Tensor.cat(List.of(in.get(0), in.get(1)), 0), "CatBackward0").golden(EXACT), "cat", EXACT, List.<Input[]>of(new Input[] {SampleInputs.shape(17, 33), SampleInputs.shape(5, 33)}, new Input[] {SampleInputs.transposeOf(33, 17), SampleInputs.shape(1, 33)})),
                paritied(golden("cat_dim1", in -> Tensor.cat(List.of(in.get(0), in.get(1)), 1), "CatBackward0").golden(EXACT), "cat_dim1", EXACT, List.<Input[]>of(new Input[] {SampleInputs.shape(17, 33), SampleInputs.shape(17, 4)})),
                paritied(golden("stack", in -> Tensor.stack(List.of(in.get(0), in.get(1)), 1), "StackBackward0").golden(EXACT), "stack", EXACT, List.<Input[]>of(new Input[] {SampleInputs.shape(17, 33), SampleInputs.transposeOf(33, 17)})),
                paritied(golden("masked_fill", in -> in.get(0).maskedFill(in.get(1), -2.5), "MaskedFillBackward0")
                        .golden(EXACT), "masked_fill", EXACT, List.<Input[]>of(new Input[] {SampleInputs.shape(17, 33), SampleInputs.shape(17, 33).in(Domain.MASK).constant()}, new Input[] {SampleInputs.transposeOf(33, 17), SampleInputs.shape(33).in(Domain.MASK).constant()})),
                paritied(golden("cross_entropy", in -> Functional.crossEntropy(in.get(0), in.get(1)), "NllLossBackward0")
                        .golden(SOFTMAX).gradgrad(), "cross_entropy", Tolerance.summing(64, 10), List.<Input[]>of(new Input[] {SampleInputs.shape(17, 5), SampleInputs.shape(17).in(Domain.CLASSES).constant()})),
                paritied(golden("cross_entropy_sum", in -> Functional.crossEntropy(in.get(0), in.get(1), Reduction.SUM, -100, 0),
                        "NllLossBackward0").golden(SOFTMAX), "cross_entropy_sum", Tolerance.summing(64, 10), List.<Input[]>of(new Input[] {SampleInputs.shape(17, 5), SampleInputs.shape(17).in(Domain.CLASSES).constant()})),
                paritied(golden("cross_entropy_none", in -> Functional.crossEntropy(in.get(0), in.get(1), Reduction.NONE, -100,
                        0), "NllLossBackward0").golden(SOFTMAX), "cross_entropy_none", Tolerance.summing(64, 10), List.<Input[]>of(new Input[] {SampleInputs.shape(17, 5), SampleInputs.shape(17).in(Domain.CLASSES).constant()})),
                paritied(golden("cross_entropy_ignore", in -> Functional.crossEntropy(in.get(0), in.get(1), Reduction.MEAN, 4,
                        0), "NllLossBackward0").golden(SOFTMAX), "cross_entropy_ignore", Tolerance.summing(64, 10), List.<Input[]>of(new Input[] {SampleInputs.shape(17, 5), SampleInputs.shape(17).in(Domain.CLASSES).constant()})),
                paritied(golden("cross_entropy_smooth", in -> Functional.crossEntropy(in.get(0), in.get(1), Reduction.MEAN,
                        -100, 0.1), "AddBackward0").golden(SOFTMAX), "cross_entropy_smooth", Tolerance.summing(64, 10), List.<Input[]>of(new Input[] {SampleInputs.shape(17, 5), SampleInputs.shape(17).in(Domain.CLASSES).constant()})),
                paritied(golden("nll_loss", in -> Functional.nllLoss(in.get(0), in.get(1)), "NllLossBackward0").golden(SOFTMAX), "nll_loss", Tolerance.summing(64, 10), List.<Input[]>of(new Input[] {SampleInputs.shape(17, 5), SampleInputs.shape(17).in(Domain.CLASSES).constant()})),
                paritied(golden("cross_entropy_probs", in -> Functional.crossEntropy(in.get(0), in.get(1)), "DivBackward0",
                        "DivBackward1").golden(SOFTMAX), "cross_entropy_probs", Tolerance.summing(64, 10), List.<Input[]>of(new Input[] {SampleInputs.shape(17, 5), SampleInputs.shape(17, 5).constant()})),
                paritied(golden("bce_with_logits", in -> Functional.binaryCrossEntropyWithLogits(in.get(0), in.get(1)),
                        "BinaryCrossEntropyWithLogitsBackward0").golden(SOFTMAX), "bce_with_logits", Tolerance.summing(64, 10), List.<Input[]>of(new Input[] {SampleInputs.shape(17, 33), SampleInputs.shape(17, 33)})),
                paritied(golden("bce_with_logits_sum", in -> Functional.binaryCrossEntropyWithLogits(in.get(0), in.get(1),
                        Reduction.SUM, null), "BinaryCrossEntropyWithLogitsBackward0").golden(SOFTMAX), "bce_with_logits_sum",
                        Tolerance.summing(64, 10), List.<Input[]>of(new Input[] {SampleInputs.shape(17, 33),
                            SampleInputs.shape(17, 33)})));
    }

    /** Float inputs of ops along dim 0 or 1: a matrix, its transpose, a permuted 3-D tensor. */
    private static final List<Input> MATRICES = List.of(SampleInputs.shape(17, 33), SampleInputs.transposeOf(33, 17),
            SampleInputs.permutedOf(4, 5, 6));

    /**
     * Gives a golden row its generated parity samples, one per input list (indices and masks
     * drawn as int64 and bool through {@link Domain#CLASSES} and {@link Domain#MASK}).
     */
    private static Builder paritied(Builder row, String name, Tolerance tol, List<Input[]> samples) {
        samples.forEach(in -> row.sample(Map.of(), tol, tol, in));
        return row;
    }

    private static List<Input[]> each(List<Input> inputs) {
        return inputs.stream().map(x -> new Input[] {x}).toList();
    }

    private static Builder unary(String name, UnaryOperator<Tensor> f, Domain domain) {
        return op(name, Family.UNARY, (in, p) -> f.apply(in.get(0))).domains(domain)
                .onEach(SampleInputs.pointwise(), Map.of(), POINTWISE);
    }

    /** An op replayed from its golden records (its parity samples are added by {@link #paritied}). */
    private static Builder golden(String name, java.util.function.Function<List<Tensor>, Tensor> f,
                                  String... gradFns) {
        return op(name, Family.REDUCTION, (in, p) -> f.apply(in)).gradFn(gradFns);
    }
}
