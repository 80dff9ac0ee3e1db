package dev.clgrad.it;

import dev.clgrad.Tensor;
import dev.clgrad.Torch;
import dev.clgrad.it.OpInfo.Builder;
import dev.clgrad.it.OpInfo.Family;
import dev.clgrad.it.SampleInputs.Input;

import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

import static dev.clgrad.it.Domain.ANY;
import static dev.clgrad.it.Domain.NONZERO;
import static dev.clgrad.it.Domain.POSITIVE;
import static dev.clgrad.it.Domain.STEPS;
import static dev.clgrad.it.OpInfo.op;
import static dev.clgrad.it.OpInfo.params;
import static dev.clgrad.it.SampleInputs.shape;
import static dev.clgrad.it.SampleInputs.transposeOf;
import static dev.clgrad.it.Tolerance.EXACT;
import static dev.clgrad.it.Tolerance.POINTWISE;

/** The {@link OpInfo} rows of elementwise ops: unary, with a scalar, binary, comparisons and where. */
final class PointwiseOpInfos {
    private PointwiseOpInfos() {
    }

    static List<Builder> rows() {
        return List.of(
                // unary: ops that only move or negate values are exact
                unary("neg", Tensor::neg, ANY, EXACT).gradFn("NegBackward0").gradgrad(),
                unary("exp", Tensor::exp, ANY, POINTWISE).gradFn("ExpBackward0").gradgrad(),
                unary("log", Tensor::log, POSITIVE, POINTWISE).gradFn("LogBackward0").gradgrad(),
                unary("sqrt", Tensor::sqrt, POSITIVE, POINTWISE).gradFn("SqrtBackward0").gradgrad(),
                unary("abs", Tensor::abs, ANY, EXACT).gradFn("AbsBackward0").gradgrad(),
                unary("sin", Tensor::sin, ANY, POINTWISE).gradFn("SinBackward0").gradgrad(),
                unary("cos", Tensor::cos, ANY, POINTWISE).gradFn("CosBackward0").gradgrad(),
                unary("tanh", Tensor::tanh, ANY, POINTWISE).gradFn("TanhBackward0").gradgrad(),
                unary("sigmoid", Tensor::sigmoid, ANY, POINTWISE).gradFn("SigmoidBackward0").gradgrad(),
                unary("relu", Tensor::relu, ANY, EXACT).gradFn("ReluBackward0").gradgrad(),
                unary("reciprocal", Tensor::reciprocal, NONZERO, POINTWISE).gradFn("ReciprocalBackward0").gradgrad(),
                // values in {-1, -0.5, 0, 0.5, 1} so that 0 occurs; the gradient is zero everywhere
                unary("sign", Tensor::sign, STEPS, EXACT).gradFn("SignBackward0"),

                // with a scalar
                scalar("add_scalar", "s", "1.25", ANY, (x, p) -> x.add(p.d("s"))).gradFn("AddBackward0"),
                scalar("sub_scalar", "s", "0.75", ANY, (x, p) -> x.sub(p.d("s"))).gradFn("SubBackward0"),
                scalar("mul_scalar", "s", "-1.5", ANY, (x, p) -> x.mul(p.d("s"))).gradFn("MulBackward0"),
                scalar("rmul_scalar", "s", "3", ANY, (x, p) -> x.mul(p.d("s"))).gradFn("MulBackward0"),
                scalar("div_scalar", "s", "3", ANY, (x, p) -> x.div(p.d("s"))).gradFn("DivBackward0"),
                scalar("rsub_scalar", "s", "2", ANY, (x, p) -> x.rsub(p.d("s"))).gradFn("RsubBackward1"),
                // PyTorch computes s / x as x.reciprocal() * s
                scalar("rdiv_scalar", "s", "1.5", NONZERO, (x, p) -> x.rdiv(p.d("s"))).gradFn("MulBackward0"),
                scalar("rpow_scalar", "base", "1.5", ANY, (x, p) -> Torch.pow(p.d("base"), x)).gradFn("PowBackward1"),
                powScalar(),

                // binary
                binary("add", Tensor::add, ANY, ANY).gradFn("AddBackward0"),
                binary("sub", Tensor::sub, ANY, ANY).gradFn("SubBackward0"),
                binary("mul", Tensor::mul, ANY, ANY).gradFn("MulBackward0").gradgrad(),
                binary("div", Tensor::div, ANY, NONZERO).gradFn("DivBackward0").gradgrad(),
                binary("pow", Tensor::pow, POSITIVE, ANY).gradFn("PowBackward1").gradgrad(),

                // comparisons: exact 0/1 masks without a node
                comparison("eq", Tensor::eq),
                comparison("gt", Tensor::gt),
                comparison("ge", Tensor::ge),

                where());
    }

    private static Builder unary(String name, UnaryOperator<Tensor> f, Domain domain, Tolerance tol) {
        return op(name, Family.UNARY, (in, p) -> f.apply(in.get(0))).domains(domain)
                .onEach(SampleInputs.pointwise(), Map.of(), tol);
    }

    /** How to call an op of a tensor and a scalar param. */
    private interface ScalarCall {
        Tensor apply(Tensor x, OpInfo.Params p);
    }

    /** An op of a tensor and the scalar param {@code key}, sampled with {@code key = value}. */
    private static Builder scalar(String name, String key, String value, Domain domain, ScalarCall f) {
        return op(name, Family.SCALAR, (in, p) -> f.apply(in.get(0), p)).domains(domain)
                .onEach(SampleInputs.withScalar(), params(key, value), POINTWISE);
    }

    /** x ** e: a fractional exponent needs a positive base; an integral one is defined for negative bases too. */
    private static Builder powScalar() {
        Builder b = op("pow_scalar", Family.SCALAR, (in, p) -> in.get(0).pow(p.d("exponent")))
                .domains(POSITIVE).gradFn("PowBackward0").gradgrad();
        for (Input x : SampleInputs.withScalar()) {
            b.on(params("exponent", "2.5"), POINTWISE, x);
            // exp(y log x) is not enough: x^2 of a negative x is defined
            b.sample(params("exponent", "2"), POINTWISE, POINTWISE, x.in(ANY));
            b.on(params("exponent", "-0.5"), POINTWISE, x);
        }
        return b;
    }

    private static Builder binary(String name, BinaryOperator<Tensor> f, Domain a, Domain b) {
        return op(name, Family.BINARY, (in, p) -> f.apply(in.get(0), in.get(1))).domains(a, b)
                .onEachPair(SampleInputs.binary(), POINTWISE);
    }

    private static Builder comparison(String name, BinaryOperator<Tensor> f) {
        return op(name, Family.COMPARISON, (in, p) -> f.apply(in.get(0), in.get(1))).domains(STEPS, STEPS)
                .golden(EXACT).onEachPair(SampleInputs.binary(), EXACT);
    }

    /**
     * where(cond, a, b): the condition has ties and zeros and is not differentiated; a float
     * condition is made bool with {@code ne(0)} (PyTorch's where takes bool conditions only).
     * Its golden records are in training_ops.txt.
     */
    private static Builder where() {
        Builder b = op("where", Family.CONDITIONAL, (in, p) -> Torch.where(in.get(0).ne(0), in.get(1), in.get(2)))
                .domains(STEPS, ANY, ANY).gradFn("WhereBackward0").golden(EXACT);
        Map<String, String> none = Map.of();
        b.sample(none, EXACT, EXACT, shape(257).in(STEPS).constant(), shape(257), shape(257));
        b.sample(none, EXACT, EXACT, shape(33, 1).in(STEPS).constant(), shape(33, 17), shape(17));
        b.sample(none, EXACT, EXACT, transposeOf(17, 33).in(STEPS).constant(), shape(33, 17), shape());
        b.sample(none, EXACT, EXACT, shape(0).in(STEPS).constant(), shape(0), shape(1));
        return b;
    }
}
