package dev.clgrad.it;

import dev.clgrad.Tensor;
import dev.clgrad.Torch;
import dev.clgrad.it.OpInfo.Builder;
import dev.clgrad.it.OpInfo.Family;
import dev.clgrad.it.SampleInputs.Input;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.clgrad.it.Domain.ANY;
import static dev.clgrad.it.Domain.STEPS;
import static dev.clgrad.it.OpInfo.op;
import static dev.clgrad.it.OpInfo.params;
import static dev.clgrad.it.SampleInputs.BIG;
import static dev.clgrad.it.SampleInputs.expandedOf;
import static dev.clgrad.it.SampleInputs.numel;
import static dev.clgrad.it.SampleInputs.permutedOf;
import static dev.clgrad.it.SampleInputs.shape;
import static dev.clgrad.it.SampleInputs.transposeOf;
import static dev.clgrad.it.Tolerance.EXACT;
import static dev.clgrad.it.Tolerance.POINTWISE;
import static dev.clgrad.it.Tolerance.SUMMING_VS_PYTORCH;

/**
 * The {@link OpInfo} rows of ops that sum or pick: matmul and the reductions. Their parity
 * tolerances grow with the number of terms each output sums.
 */
final class ReductionOpInfos {
    private ReductionOpInfos() {
    }

    private static final String TIES = "values in {-1, -0.5, 0, 0.5, 1}, with ties";

    static List<Builder> rows() {
        return List.of(matmul(),
                full("sum", Tensor::sum, n -> Tolerance.summing(n, ANY.bound), EXACT)
                        .gradFn("SumBackward0").gradgrad(),
                full("mean", Tensor::mean, n -> Tolerance.averaging(n, ANY.bound), POINTWISE)
                        .gradFn("MeanBackward0").gradgrad(),
                // the 2-norm sums squares up to 4
                full("norm", Tensor::norm, n -> Tolerance.summing(n, 4), POINTWISE)
                        .gradFn("NormBackward1").gradgrad()
                        .kink("zeros", "norm at the origin: PyTorch's gradient there is 0"),
                // ties: the gradient is split evenly among them (g / count rounds)
                picking("max", Tensor::max).gradFn("MaxBackward1")
                        .sample(Map.of(), EXACT, POINTWISE, shape(4097).in(STEPS).valued(TIES))
                        .kink("ties", "three elements tie for the max: PyTorch splits the gradient evenly"),
                picking("min", Tensor::min).gradFn("MinBackward1")
                        .sample(Map.of(), EXACT, POINTWISE, transposeOf(17, 33).in(STEPS).valued(TIES))
                        .kink("ties", "two elements tie for the min: the gradient is split evenly, as for max"),
                overDim("sum_dim", (x, p) -> x.sum(p.i("dim"), p.b("keepdim")), false).gradFn("SumBackward1"),
                overDim("mean_dim", (x, p) -> x.mean(p.i("dim"), p.b("keepdim")), true).gradFn("MeanBackward1"),
                overDims("sum_dims", (x, p) -> x.sum(p.ints("dims"), p.b("keepdim")), false).gradFn("SumBackward1"),
                overDims("mean_dims", (x, p) -> x.mean(p.ints("dims"), p.b("keepdim")), true).gradFn("MeanBackward1"));
    }

    /** The tolerance of a full reduction of {@code n} terms. */
    private interface BySize {
        Tolerance of(long n);
    }

    /** A full reduction: every size and layout, and empty inputs (exact: the sum of nothing is 0). */
    private static Builder full(String name, UnaryOperator<Tensor> f, BySize forward, Tolerance backward) {
        Builder b = op(name, Family.REDUCTION, (in, p) -> f.apply(in.get(0))).golden(SUMMING_VS_PYTORCH);
        for (Input x : SampleInputs.reduced()) {
            b.sample(Map.of(), forward.of(numel(x.shape())), backward, x);
        }
        SampleInputs.reducedEmpty().forEach(x -> b.sample(Map.of(), EXACT, EXACT, x));
        return b;
    }

    /** max or min: exact; of nothing PyTorch raises, so no empty inputs. */
    private static Builder picking(String name, UnaryOperator<Tensor> f) {
        return op(name, Family.REDUCTION, (in, p) -> f.apply(in.get(0)))
                .onEach(SampleInputs.reduced(), Map.of(), EXACT);
    }

    /** How to call a reduction with dim params. */
    private interface DimCall {
        Tensor apply(Tensor x, OpInfo.Params p);
    }

    /** sum or mean over each dim of several inputs, with and without keepdim. */
    private static Builder overDim(String name, DimCall f, boolean averages) {
        Builder b = op(name, Family.REDUCTION, (in, p) -> f.apply(in.get(0), p)).golden(SUMMING_VS_PYTORCH);
        dims(b, averages, shape(17, 33), 0, 1, -1);
        dims(b, averages, transposeOf(17, 33), 0, 1);
        dims(b, averages, permutedOf(4, 5, 6), 0, 1, 2);
        dims(b, averages, shape(4097), 0);
        dims(b, averages, shape(), 0);
        dims(b, averages, shape(2, 0), 0, 1);
        dims(b, averages, shape(BIG, BIG), 0, 1);
        dims(b, averages, expandedOf(33, 17), 0);
        return b;
    }

    private static void dims(Builder b, boolean averages, Input x, int... dims) {
        long[] seen = x.shape();
        for (int dim : dims) {
            long terms = seen.length == 0 ? 1 : seen[Math.floorMod(dim, seen.length)];
            for (String keep : new String[] {"true", "false"}) {
                b.sample(params("dim", String.valueOf(dim), "keepdim", keep), reducing(terms, averages),
                        averages ? POINTWISE : EXACT, x);
            }
        }
    }

    /** sum or mean over a list of dims: all of them, and two of three. */
    private static Builder overDims(String name, DimCall f, boolean averages) {
        Builder b = op(name, Family.REDUCTION, (in, p) -> f.apply(in.get(0), p));
        Tolerance bwd = averages ? POINTWISE : EXACT;
        b.sample(params("dims", "0,1,2", "keepdim", "false"), reducing(4 * 5 * 6, averages), bwd, permutedOf(4, 5, 6));
        b.sample(params("dims", "0,1", "keepdim", "false"), reducing(BIG * BIG, averages), bwd, shape(BIG, BIG));
        b.sample(params("dims", "0,2", "keepdim", "true"), reducing(6 * 5, averages), bwd, permutedOf(4, 5, 6));
        return b;
    }

    private static Tolerance reducing(long terms, boolean averages) {
        return averages ? Tolerance.averaging(terms, ANY.bound) : Tolerance.summing(terms, ANY.bound);
    }

    /**
     * {@code [.., m, k] @ [.., k, n]}: outputs sum {@code k} products of magnitude up to 4,
     * gradients sum up to {@code max(m * batch, n)} products, where {@code batch} is how many
     * matrices of the left operand meet one matrix of the right. PyTorch picks the node by the
     * operands' dims (dot, mv, mm, or mm of a folded batch under a view).
     */
    private static Builder matmul() {
        Builder b = op("matmul", Family.MATMUL, (in, p) -> Torch.matmul(in.get(0), in.get(1)))
                .golden(SUMMING_VS_PYTORCH).gradgrad()
                .gradFn("DotBackward0", "MvBackward0", "MmBackward0", "UnsafeViewBackward0", "SqueezeBackward3",
                        "CloneBackward0");
        mm(b, 1, 1, 1, 1, shape(1, 1), shape(1, 1));
        mm(b, 17, 33, 5, 1, shape(17, 33), shape(33, 5));
        mm(b, 128, 128, 128, 1, shape(128, 128), shape(128, 128));
        mm(b, 17, 33, 5, 3, shape(3, 17, 33), shape(33, 5));
        mm(b, 17, 33, 5, 1, shape(3, 17, 33), shape(3, 33, 5));
        mm(b, 17, 33, 5, 2, shape(2, 1, 17, 33), shape(3, 33, 5));
        mm(b, 17, 33, 5, 1, transposeOf(33, 17), shape(33, 5));
        mm(b, 17, 33, 5, 1, shape(17, 33), transposeOf(5, 33));
        mm(b, 17, 33, 5, 3, transposeOf(3, 33, 17), shape(33, 5));
        mm(b, 1, 33, 1, 1, shape(33), shape(33));
        mm(b, 17, 33, 1, 1, shape(17, 33), shape(33));
        mm(b, 1, 33, 5, 1, shape(33), shape(33, 5));
        mm(b, 2, 0, 3, 1, shape(2, 0), shape(0, 3));
        return b;
    }

    private static void mm(Builder b, long m, long k, long n, long batch, Input left, Input right) {
        b.sample(Map.of(), Tolerance.summing(k, 4), Tolerance.summing(Math.max(m * batch, n), 2), left, right);
    }
}
