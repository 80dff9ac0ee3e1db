package dev.clgrad.it;

import dev.clgrad.Tensor;
import dev.clgrad.Torch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The op table that drives the parity suite: each op by the name the golden fixtures use, how
 * to call it, whether it is differentiable, and its tolerances.
 */
final class OpTable {
    private OpTable() {
    }

    /** How to call an op on inputs with the fixture's params. */
    @FunctionalInterface
    interface Call {
        Tensor apply(List<Tensor> in, Params p);
    }

    /** Fixture params with typed accessors. */
    record Params(Map<String, String> raw) {
        double d(String k) {
            return Double.parseDouble(raw.get(k));
        }

        int i(String k) {
            return Integer.parseInt(raw.get(k));
        }

        boolean b(String k) {
            return Boolean.parseBoolean(raw.get(k));
        }

        long[] longs(String k) {
            return Fixtures.longs(raw.get(k));
        }

        int[] ints(String k) {
            return Fixtures.ints(raw.get(k));
        }
    }

    /**
     * One op.
     *
     * @param name fixture name
     * @param call how to call it
     * @param differentiable whether backward is checked
     * @param rtol relative tolerance for float32 against PyTorch
     * @param atol absolute tolerance for float32 against PyTorch
     * @param positiveDomain inputs must be positive (log, sqrt, pow's base) for generated samples
     */
    record Op(String name, Call call, boolean differentiable, double rtol, double atol, boolean positiveDomain) {
    }

    static final Map<String, Op> OPS = new LinkedHashMap<>();

    private static void op(String name, Call call) {
        OPS.put(name, new Op(name, call, true, 1e-5, 1e-6, false));
    }

    private static void positive(String name, Call call) {
        OPS.put(name, new Op(name, call, true, 1e-5, 1e-6, true));
    }

    private static void loose(String name, Call call) {
        OPS.put(name, new Op(name, call, true, 1e-4, 1e-5, false));
    }

    /** A comparison: exact, and not differentiable (its result is a 0/1 mask). */
    private static void comparison(String name, Call call) {
        OPS.put(name, new Op(name, call, false, 0, 0, false));
    }

    private static void unary(String name, Function<Tensor, Tensor> f) {
        op(name, (in, p) -> f.apply(in.get(0)));
    }

    static {
        unary("neg", Tensor::neg);
        unary("exp", Tensor::exp);
        positive("log", (in, p) -> in.get(0).log());
        positive("sqrt", (in, p) -> in.get(0).sqrt());
        unary("abs", Tensor::abs);
        unary("sin", Tensor::sin);
        unary("cos", Tensor::cos);
        unary("tanh", Tensor::tanh);
        unary("sigmoid", Tensor::sigmoid);
        unary("relu", Tensor::relu);
        op("add_scalar", (in, p) -> in.get(0).add(p.d("s")));
        op("sub_scalar", (in, p) -> in.get(0).sub(p.d("s")));
        op("mul_scalar", (in, p) -> in.get(0).mul(p.d("s")));
        op("div_scalar", (in, p) -> in.get(0).div(p.d("s")));
        positive("pow_scalar", (in, p) -> in.get(0).pow(p.d("exponent")));
        op("rsub_scalar", (in, p) -> in.get(0).rsub(p.d("s")));
        op("rmul_scalar", (in, p) -> in.get(0).mul(p.d("s")));
        op("rdiv_scalar", (in, p) -> in.get(0).rdiv(p.d("s")));
        op("add", (in, p) -> in.get(0).add(in.get(1)));
        op("sub", (in, p) -> in.get(0).sub(in.get(1)));
        op("mul", (in, p) -> in.get(0).mul(in.get(1)));
        op("div", (in, p) -> in.get(0).div(in.get(1)));
        positive("pow", (in, p) -> in.get(0).pow(in.get(1)));
        comparison("eq", (in, p) -> in.get(0).eq(in.get(1)));
        comparison("gt", (in, p) -> in.get(0).gt(in.get(1)));
        comparison("ge", (in, p) -> in.get(0).ge(in.get(1)));
        loose("matmul", (in, p) -> Torch.matmul(in.get(0), in.get(1)));
        loose("sum", (in, p) -> in.get(0).sum());
        loose("sum_dim", (in, p) -> in.get(0).sum(p.i("dim"), p.b("keepdim")));
        loose("mean", (in, p) -> in.get(0).mean());
        loose("mean_dim", (in, p) -> in.get(0).mean(p.i("dim"), p.b("keepdim")));
        op("max", (in, p) -> in.get(0).max());
        op("min", (in, p) -> in.get(0).min());
        loose("norm", (in, p) -> in.get(0).norm());
        op("reshape", (in, p) -> in.get(0).reshape(p.longs("shape")));
        op("view", (in, p) -> in.get(0).view(p.longs("shape")));
        op("t", (in, p) -> in.get(0).t());
        op("transpose", (in, p) -> in.get(0).transpose(p.i("dim0"), p.i("dim1")));
        op("permute", (in, p) -> in.get(0).permute(p.ints("dims")));
        op("expand", (in, p) -> in.get(0).expand(p.longs("shape")));
        op("unsqueeze", (in, p) -> in.get(0).unsqueeze(p.i("dim")));
        op("squeeze", (in, p) -> in.get(0).squeeze(p.i("dim")));
        op("contiguous", (in, p) -> in.get(0).contiguous());
        op("get", (in, p) -> in.get(0).get(p.longs("indices")));
    }

    static Op get(String name) {
        Op op = OPS.get(name);
        if (op == null) {
            throw new IllegalArgumentException("no op '" + name + "' in the op table; add a row to OpTable");
        }
        return op;
    }
}
