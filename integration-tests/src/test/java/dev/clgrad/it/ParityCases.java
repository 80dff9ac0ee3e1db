package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Tensor;
import dev.clgrad.Torch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The table that drives {@link DeviceParityTest}: each case is an op (a row of {@link OpTable}
 * where it has one), the inputs it is called on (shapes at work-group edges, 0-dim, empty,
 * broadcast, non-contiguous), whether its gradients are checked, and how far a device may
 * drift from the float64 CPU reference in each dtype.
 *
 * <p>Inputs are drawn on the host from a {@link Random} seeded by the case's name, so every
 * run and every device sees the same values, and adding a case does not change the others.
 */
final class ParityCases {
    private ParityCases() {
    }

    /** Large enough that a reduction spans many work-groups: 2^20 elements as [1024, 1024]. */
    static final long BIG = 1024;

    /**
     * The largest single term a broadcast gradient sums (upstream in [-1, 1] times a local
     * derivative: {@code exp(2) ~ 7.4}, {@code d/dx x^2.5 ~ 9.9} at 2.5).
     */
    static final double GRAD_TERM_BOUND = 10;

    // ---- values ------------------------------------------------------------------------

    /** Where an input's values are drawn from. */
    enum Domain {
        /** Uniform on [-2, 2]. */
        ANY(2),
        /** Uniform on [0.5, 2.5]: log, sqrt, the base of pow. */
        POSITIVE(2.5),
        /** Magnitude uniform on [0.5, 2], random sign: divisors. */
        NONZERO(2),
        /** One of -1, -0.5, 0, 0.5, 1: comparisons and conditions, so that ties occur. */
        STEPS(1),
        /** Uniform on [-1, 1]: upstream gradients. */
        UNIT(1);

        private static final double[] STEP_VALUES = {-1, -0.5, 0, 0.5, 1};

        /** The largest magnitude a value can have. */
        final double bound;

        Domain(double bound) {
            this.bound = bound;
        }

        double draw(Random r) {
            return switch (this) {
                case ANY -> 4 * r.nextDouble() - 2;
                case POSITIVE -> 0.5 + 2 * r.nextDouble();
                case NONZERO -> (r.nextBoolean() ? 1 : -1) * (0.5 + 1.5 * r.nextDouble());
                case STEPS -> STEP_VALUES[r.nextInt(STEP_VALUES.length)];
                case UNIT -> 2 * r.nextDouble() - 1;
            };
        }
    }

    /**
     * {@code n} values drawn from {@code domain}, rounded to {@code dtype}: the float64
     * reference then computes on exactly the values the device under test sees.
     */
    static double[] draw(Random r, Domain domain, long n, DType dtype) {
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            double x = domain.draw(r);
            v[i] = dtype == DType.FLOAT32 ? (float) x : x;
        }
        return v;
    }

    // ---- inputs ------------------------------------------------------------------------

    /**
     * One input of a case: a contiguous leaf of {@code leafShape} and the view of it the op
     * is called on (the leaf itself for a contiguous input). Gradients are compared on the leaf.
     *
     * @param description what the op sees, e.g. {@code [33, 17] (transpose of [17, 33])}
     * @param shape the shape of the view the op sees
     * @param differentiable whether the case differentiates this input
     */
    record Input(String description, long[] leafShape, long[] shape, Domain domain, UnaryOperator<Tensor> view,
                 boolean differentiable) {
        Input in(Domain d) {
            return new Input(description, leafShape, shape, d, view, differentiable);
        }

        /** This input with its values named, for samples that differ from another only in values. */
        Input valued(String what) {
            return new Input(description + " (" + what + ")", leafShape, shape, domain, view, differentiable);
        }

        /** This input, not differentiated (a condition, say). */
        Input constant() {
            return new Input(description, leafShape, shape, domain, view, false);
        }
    }

    /** A contiguous input. */
    static Input shape(long... shape) {
        String what = Arrays.toString(shape) + (shape.length == 0 ? " (0-dim)" : numel(shape) == 0 ? " (empty)" : "");
        return new Input(what, shape, shape, Domain.ANY, UnaryOperator.identity(), true);
    }

    /** The transpose of the last two dims of a contiguous {@code leaf} (non-contiguous). */
    static Input transposeOf(long... leaf) {
        long[] seen = leaf.clone();
        seen[leaf.length - 1] = leaf[leaf.length - 2];
        seen[leaf.length - 2] = leaf[leaf.length - 1];
        return new Input(Arrays.toString(seen) + " (transpose of " + Arrays.toString(leaf) + ")", leaf, seen,
                Domain.ANY, t -> t.transpose(-2, -1), true);
    }

    /** {@code permute(2, 0, 1)} of a contiguous 3-D leaf. */
    static Input permutedOf(long a, long b, long c) {
        long[] seen = {c, a, b};
        return new Input(Arrays.toString(seen) + " (permute(2, 0, 1) of [" + a + ", " + b + ", " + c + "])",
                new long[] {a, b, c}, seen, Domain.ANY, t -> t.permute(2, 0, 1), true);
    }

    /** Every second element of a contiguous {@code [2n + 1]} leaf from element 1 ({@code x[1::2]}). */
    static Input everySecondOf(long n) {
        long len = 2 * n + 1;
        return new Input("[" + n + "] (x[1::2] of [" + len + "], stride 2, offset 1)", new long[] {len},
                new long[] {n}, Domain.ANY, t -> t.asStrided(new long[] {n}, new long[] {2}, 1), true);
    }

    /** Column {@code j} of a contiguous {@code [rows, cols]} leaf (stride {@code cols}). */
    static Input columnOf(long rows, long cols, long j) {
        return new Input("[" + rows + "] (column " + j + " of [" + rows + ", " + cols + "], stride " + cols + ")",
                new long[] {rows, cols}, new long[] {rows}, Domain.ANY, t -> t.select(1, j), true);
    }

    /** A contiguous {@code [cols]} leaf expanded to {@code [rows, cols]} (stride 0). */
    static Input expandedOf(long rows, long cols) {
        return new Input("[" + rows + ", " + cols + "] (expand of [" + cols + "], stride 0)", new long[] {cols},
                new long[] {rows, cols}, Domain.ANY, t -> t.expand(rows, cols), true);
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    // ---- tolerances --------------------------------------------------------------------

    /**
     * How far a result may be from the float64 CPU reference: {@code |a - e| <= atol + rtol |e|}.
     */
    record Tolerance(double rtol32, double atol32, double rtol64, double atol64) {
        /** Ops that only move, negate, select or compare values: any difference is a bug. */
        static final Tolerance EXACT = new Tolerance(0, 0, 0, 0);

        /**
         * One rounded operation per element: float32 gets ~160 ulp of slack (OpenCL allows up to
         * 16 ulp for {@code pow} and composites such as sigmoid add a few), float64 a few ulp.
         */
        static final Tolerance POINTWISE = new Tolerance(1e-5, 1e-6, 1e-10, 1e-12);

        /**
         * Values that each sum {@code terms} terms of magnitude up to {@code termBound}: rounding
         * errors of a tree or blocked sum grow like {@code sqrt(terms)}, so the absolute slack is
         * {@code 1e-6 sqrt(terms) termBound} in float32 (about 8 float32 ulps of the largest
         * term, times {@code sqrt(terms)}), far below the size of one dropped or repeated term.
         */
        static Tolerance summing(long terms, double termBound) {
            double scale = Math.sqrt(Math.max(terms, 1)) * termBound;
            return new Tolerance(1e-5, 1e-6 * scale, 1e-10, 1e-12 * scale);
        }

        /** Means of {@code terms} terms: the error of the sum, divided by the count. */
        static Tolerance averaging(long terms, double termBound) {
            return summing(terms, termBound / Math.max(terms, 1));
        }

        /** The looser of the two, bound by bound. */
        Tolerance max(Tolerance o) {
            return new Tolerance(Math.max(rtol32, o.rtol32), Math.max(atol32, o.atol32),
                    Math.max(rtol64, o.rtol64), Math.max(atol64, o.atol64));
        }

        double rtol(DType dtype) {
            return dtype == DType.FLOAT64 ? rtol64 : rtol32;
        }

        double atol(DType dtype) {
            return dtype == DType.FLOAT64 ? atol64 : atol32;
        }
    }

    // ---- cases -------------------------------------------------------------------------

    /**
     * One parity case.
     *
     * @param op the op's name ({@link OpTable} row or a name for an op outside it)
     * @param params the op's parameters (dims, scalars), in the op table's format
     * @param inputs the op's inputs
     * @param call how to call it
     * @param differentiable whether gradients are compared
     * @param forward tolerance of the output
     * @param backward tolerance of every input's gradient (loosened automatically where a
     *     broadcast input's gradient sums many upstream elements)
     */
    record Case(String op, Map<String, String> params, List<Input> inputs, OpTable.Call call, boolean differentiable,
                Tolerance forward, Tolerance backward) {
        /** The op and its parameters: {@code sum_dim(dim=1, keepdim=true)}. */
        String label() {
            if (params.isEmpty()) {
                return op;
            }
            return op + params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", ", "(", ")"));
        }

        /** What the inputs are: {@code [33, 17] and [17]}. */
        String sample() {
            return inputs.stream().map(Input::description).collect(Collectors.joining(" and "));
        }

        /** Unique among the cases; seeds the case's values. */
        String id() {
            return label() + " on " + sample();
        }

        OpTable.Params opParams() {
            return new OpTable.Params(params);
        }

        /** A generator of the case's values, the same on every run. */
        Random random() {
            return new Random(id().hashCode());
        }
    }

    /** Every case, in the order the suite runs them. */
    static final List<Case> ALL = build();

    private static final class Builder {
        private final List<Case> cases = new ArrayList<>();

        /** A case for op-table row {@code op}, with its differentiability, on {@code inputs}. */
        void add(String op, Map<String, String> params, Tolerance fwd, Tolerance bwd, Input... inputs) {
            OpTable.Op row = OpTable.get(op);
            cases.add(new Case(op, params, List.of(inputs), row.call(), row.differentiable(), fwd, bwd));
        }

        void add(String op, Tolerance tol, Input... inputs) {
            add(op, Map.of(), tol, tol, inputs);
        }

        /** A differentiable case for an op outside the op table. */
        void custom(String op, OpTable.Call call, Tolerance tol, Input... inputs) {
            cases.add(new Case(op, Map.of(), List.of(inputs), call, true, tol, tol));
        }

        /** A forward-only case for an op outside the op table. */
        void customForward(String op, OpTable.Call call, Tolerance tol, Input... inputs) {
            cases.add(new Case(op, Map.of(), List.of(inputs), call, false, tol, tol));
        }
    }

    /** Inputs of a pointwise op on one tensor: every size and layout the suite covers. */
    private static List<Input> pointwiseSamples() {
        return List.of(shape(), shape(1), shape(3), shape(255), shape(257), shape(4097), shape(0), shape(2, 0),
                transposeOf(17, 33), permutedOf(4, 5, 6), everySecondOf(257), columnOf(17, 33, 5), expandedOf(33, 17));
    }

    /** Pairs of inputs of a binary pointwise op: equal shapes, broadcasts and non-contiguous operands. */
    private static List<Input[]> binarySamples() {
        List<Input[]> out = new ArrayList<>();
        for (long[] s : new long[][] {{}, {1}, {3}, {255}, {257}, {4097}, {0}, {2, 0}}) {
            out.add(new Input[] {shape(s), shape(s)});
        }
        out.add(new Input[] {shape(4097), shape(1)});
        out.add(new Input[] {shape(33, 17), shape(17)});
        out.add(new Input[] {shape(33, 1), shape(1, 17)});
        out.add(new Input[] {shape(), shape(257)});
        out.add(new Input[] {shape(2, 0), shape(1)});
        out.add(new Input[] {transposeOf(17, 33), shape(33, 17)});
        out.add(new Input[] {shape(6, 4, 5), permutedOf(4, 5, 6)});
        out.add(new Input[] {columnOf(17, 33, 5), everySecondOf(17)});
        out.add(new Input[] {expandedOf(33, 17), transposeOf(17, 33)});
        return out;
    }

    private static Input[] in(Domain d, Input... inputs) {
        Input[] out = new Input[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = inputs[i].in(d);
        }
        return out;
    }

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<Case> build() {
        Builder b = new Builder();
        Tolerance pw = Tolerance.POINTWISE;
        Tolerance exact = Tolerance.EXACT;

        // unary pointwise ops
        Map<String, Domain> unary = new LinkedHashMap<>();
        unary.put("neg", Domain.ANY);
        unary.put("exp", Domain.ANY);
        unary.put("log", Domain.POSITIVE);
        unary.put("sqrt", Domain.POSITIVE);
        unary.put("abs", Domain.ANY);
        unary.put("sin", Domain.ANY);
        unary.put("cos", Domain.ANY);
        unary.put("tanh", Domain.ANY);
        unary.put("sigmoid", Domain.ANY);
        unary.put("relu", Domain.ANY);
        for (Map.Entry<String, Domain> u : unary.entrySet()) {
            boolean moves = u.getKey().equals("neg") || u.getKey().equals("abs") || u.getKey().equals("relu");
            for (Input x : pointwiseSamples()) {
                b.add(u.getKey(), moves ? exact : pw, x.in(u.getValue()));
            }
        }
        // unary ops of Tensor that the golden op table has no row for
        for (Input x : pointwiseSamples()) {
            b.custom("reciprocal", (in, p) -> in.get(0).reciprocal(), pw, x.in(Domain.NONZERO));
            // sign is not differentiable (its gradient is zero almost everywhere): forward only
            b.customForward("sign", (in, p) -> in.get(0).sign(), exact, x.in(Domain.STEPS));
        }

        // ops with a scalar
        List<Input> scalarSamples = List.of(shape(), shape(3), shape(257), shape(4097), shape(2, 0),
                transposeOf(17, 33), everySecondOf(257), expandedOf(33, 17));
        for (Input x : scalarSamples) {
            b.add("add_scalar", params("s", "1.25"), pw, pw, x);
            b.add("sub_scalar", params("s", "0.75"), pw, pw, x);
            b.add("mul_scalar", params("s", "-1.5"), pw, pw, x);
            b.add("rmul_scalar", params("s", "3"), pw, pw, x);
            b.add("div_scalar", params("s", "3"), pw, pw, x);
            b.add("pow_scalar", params("exponent", "2.5"), pw, pw, x.in(Domain.POSITIVE));
            // an integral exponent is defined for negative bases: exp(y log x) is not enough
            b.add("pow_scalar", params("exponent", "2"), pw, pw, x);
            b.add("pow_scalar", params("exponent", "-0.5"), pw, pw, x.in(Domain.POSITIVE));
            b.add("rsub_scalar", params("s", "2"), pw, pw, x);
            b.add("rdiv_scalar", params("s", "1.5"), pw, pw, x.in(Domain.NONZERO));
            b.custom("rpow", (in, p) -> Torch.pow(1.5, in.get(0)), pw, x);
        }

        // binary pointwise ops and comparisons
        for (Input[] pair : binarySamples()) {
            b.add("add", pw, pair);
            b.add("sub", pw, pair);
            b.add("mul", pw, pair);
            b.add("div", pw, pair[0], pair[1].in(Domain.NONZERO));
            b.add("pow", pw, pair[0].in(Domain.POSITIVE), pair[1]);
            b.add("eq", exact, in(Domain.STEPS, pair));
            b.add("gt", exact, in(Domain.STEPS, pair));
            b.add("ge", exact, in(Domain.STEPS, pair));
        }
        OpTable.Call where = (in, p) -> Torch.where(in.get(0).ne(0), in.get(1), in.get(2));
        b.custom("where", where, exact, shape(257).in(Domain.STEPS).constant(), shape(257), shape(257));
        b.custom("where", where, exact, shape(33, 1).in(Domain.STEPS).constant(), shape(33, 17), shape(17));
        b.custom("where", where, exact, transposeOf(17, 33).in(Domain.STEPS).constant(), shape(33, 17), shape());
        b.custom("where", where, exact, shape(0).in(Domain.STEPS).constant(), shape(0), shape(1));

        // matmul: tolerance for dot products of K terms of magnitude up to 2 * 2, and gradients
        // that sum over the other two dims (and the batch)
        matmul(b, 1, 1, 1, 1, shape(1, 1), shape(1, 1));
        matmul(b, 17, 33, 5, 1, shape(17, 33), shape(33, 5));
        matmul(b, 128, 128, 128, 1, shape(128, 128), shape(128, 128));
        matmul(b, 17, 33, 5, 3, shape(3, 17, 33), shape(33, 5));
        matmul(b, 17, 33, 5, 1, shape(3, 17, 33), shape(3, 33, 5));
        matmul(b, 17, 33, 5, 2, shape(2, 1, 17, 33), shape(3, 33, 5));
        matmul(b, 17, 33, 5, 1, transposeOf(33, 17), shape(33, 5));
        matmul(b, 17, 33, 5, 1, shape(17, 33), transposeOf(5, 33));
        matmul(b, 17, 33, 5, 3, transposeOf(3, 33, 17), shape(33, 5));
        matmul(b, 1, 33, 1, 1, shape(33), shape(33));
        matmul(b, 17, 33, 1, 1, shape(17, 33), shape(33));
        matmul(b, 1, 33, 5, 1, shape(33), shape(33, 5));
        matmul(b, 2, 0, 3, 1, shape(2, 0), shape(0, 3));

        // full reductions
        List<Input> reduced = List.of(shape(), shape(1), shape(3), shape(255), shape(257), shape(4097),
                transposeOf(17, 33), permutedOf(4, 5, 6), everySecondOf(257), expandedOf(33, 17), shape(BIG, BIG));
        for (Input x : reduced) {
            long n = numel(x.shape());
            b.add("sum", Map.of(), Tolerance.summing(n, Domain.ANY.bound), exact, x);
            b.add("mean", Map.of(), Tolerance.averaging(n, Domain.ANY.bound), pw, x);
            b.add("max", exact, x);
            b.add("min", exact, x);
            b.add("norm", Map.of(), Tolerance.summing(n, 4), pw, x); // sums squares up to 4
        }
        for (Input x : List.of(shape(0), shape(2, 0))) {
            b.add("sum", exact, x);
            b.add("mean", exact, x);
            b.add("norm", exact, x);
        }
        // reductions with ties: the gradient is split evenly among them (g / count rounds)
        String ties = "values in {-1, -0.5, 0, 0.5, 1}, with ties";
        b.add("max", Map.of(), exact, pw, shape(4097).in(Domain.STEPS).valued(ties));
        b.add("min", Map.of(), exact, pw, transposeOf(17, 33).in(Domain.STEPS).valued(ties));

        // reductions over dims
        dims(b, shape(17, 33), 0, 1, -1);
        dims(b, transposeOf(17, 33), 0, 1);
        dims(b, permutedOf(4, 5, 6), 0, 1, 2);
        dims(b, shape(4097), 0);
        dims(b, shape(), 0);
        dims(b, shape(2, 0), 0, 1);
        dims(b, shape(BIG, BIG), 0, 1);
        dims(b, expandedOf(33, 17), 0);
        for (Input x : List.of(permutedOf(4, 5, 6), shape(BIG, BIG))) {
            long terms = numel(x.shape());
            b.custom("sum_over_all_dims", (in, p) -> in.get(0).sum(range(in.get(0).dim()), false),
                    Tolerance.summing(terms, Domain.ANY.bound), x);
        }
        b.custom("sum_over_dims_0_2", (in, p) -> in.get(0).sum(new int[] {0, 2}, true),
                Tolerance.summing(6 * 5, Domain.ANY.bound), permutedOf(4, 5, 6));

        // copies and views
        for (Input x : List.of(transposeOf(17, 33), permutedOf(4, 5, 6), everySecondOf(257), columnOf(17, 33, 5),
                expandedOf(33, 17), transposeOf(2, 0), transposeOf(BIG, BIG))) {
            b.add("contiguous", exact, x);
        }
        b.add("reshape", params("shape", "33,17"), exact, exact, shape(17, 33));
        b.add("reshape", params("shape", "-1"), exact, exact, transposeOf(17, 33));
        b.add("view", params("shape", "20,6"), exact, exact, shape(4, 5, 6));
        b.add("t", exact, shape(17, 33));
        b.add("transpose", params("dim0", "0", "dim1", "2"), exact, exact, permutedOf(4, 5, 6));
        b.add("permute", params("dims", "1,2,0"), exact, exact, shape(4, 5, 6));
        b.add("expand", params("shape", "33,17"), exact, exact, shape(33, 1));
        b.add("expand", params("shape", "4,33,17"), exact, exact, shape(17));
        b.add("unsqueeze", params("dim", "0"), exact, exact, shape(4097));
        b.add("unsqueeze", params("dim", "1"), exact, exact, transposeOf(17, 33));
        b.add("squeeze", params("dim", "1"), exact, exact, shape(33, 1));
        b.add("get", params("indices", "3"), exact, exact, shape(17, 33));
        b.add("get", params("indices", "-1,2"), exact, exact, permutedOf(4, 5, 6));
        return List.copyOf(b.cases);
    }

    /**
     * A matmul case {@code [.., m, k] @ [.., k, n]}: outputs sum {@code k} products of
     * magnitude up to 4, gradients sum up to {@code max(m * batch, n)} products, where
     * {@code batch} is how many matrices of the left operand meet one matrix of the right.
     */
    private static void matmul(Builder b, long m, long k, long n, long batch, Input left, Input right) {
        Tolerance fwd = Tolerance.summing(k, 4);
        Tolerance bwd = Tolerance.summing(Math.max(m * batch, n), 2);
        b.add("matmul", Map.of(), fwd, bwd, left, right);
    }

    /** {@code sum} and {@code mean} over each of {@code dims}, with and without keepdim. */
    private static void dims(Builder b, Input x, int... dims) {
        long[] seen = x.shape();
        for (int dim : dims) {
            long terms = seen.length == 0 ? 1 : seen[Math.floorMod(dim, seen.length)];
            for (String keep : new String[] {"true", "false"}) {
                Map<String, String> p = params("dim", String.valueOf(dim), "keepdim", keep);
                b.add("sum_dim", p, Tolerance.summing(terms, Domain.ANY.bound), Tolerance.EXACT, x);
                b.add("mean_dim", p, Tolerance.averaging(terms, Domain.ANY.bound), Tolerance.POINTWISE, x);
            }
        }
    }

    private static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }
}
