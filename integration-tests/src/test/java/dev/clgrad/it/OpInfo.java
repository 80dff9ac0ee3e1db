package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Tensor;
import dev.clgrad.it.SampleInputs.Input;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the test suites know about one op, in one record (PyTorch's {@code OpInfo} is the
 * model). {@link DeviceParityTest} runs its {@link #samples()} on every device against the
 * float64 CPU; {@link GoldenOpsTest} and {@link GoldenEdgesTest} replay the PyTorch records
 * with its {@link #name()}, calling it with {@link #call()} within {@link #golden()};
 * {@link GradCheckTest} checks those records' gradients by finite differences where
 * {@link #gradcheck()} and {@link #gradgradcheck()} say so. The rows live in
 * {@link OpInfos}.
 *
 * @param name the name the golden fixtures use ({@code op <name>} in {@code ops.txt})
 * @param call how to call it on its inputs, with the fixture's or the sample's params
 * @param family what kind of op it is (which standard samples it gets, which steps the fuzzer may take)
 * @param domains per input, where generated values lie for the op to be defined and smooth
 * @param dtypes the dtypes the parity suite runs it in
 * @param golden how far it may be from PyTorch's recorded values
 * @param gradFns the {@code grad_fn} names its output may have when an input requires grad
 *     (several where PyTorch picks a node by shape, as matmul does); empty for an op that
 *     records no node (a comparison), whose gradients are then not compared
 * @param whyNoGradcheck null where first derivatives are checked by central differences
 *     ({@link #gradcheck()}); otherwise why not, reported as a skipped test
 * @param gradgradcheck whether second derivatives are checked too
 * @param kinks golden samples (by sample name, the part of the record id after {@code op/})
 *     at points where the op is not differentiable, and why: gradcheck only checks that the
 *     gradient lies between the one-sided derivatives there, and skips second order
 * @param samples the generated samples of the parity suite
 */
record OpInfo(String name, Call call, Family family, List<Domain> domains, List<DType> dtypes, Tolerance golden,
              Set<String> gradFns, String whyNoGradcheck, boolean gradgradcheck, Map<String, String> kinks,
              List<Sample> samples) {

    /** How to call an op on inputs with params. */
    @FunctionalInterface
    interface Call {
        Tensor apply(List<Tensor> in, Params p);
    }

    /** What kind of op: the standard samples it gets and the steps the differential fuzzer may take. */
    enum Family {
        /** One tensor in, same shape out, elementwise. */
        UNARY,
        /** A tensor and a scalar param. */
        SCALAR,
        /** Two tensors, broadcast. */
        BINARY,
        /** Two tensors, broadcast, a 0/1 result that records no node. */
        COMPARISON,
        /** {@code where(cond, a, b)}. */
        CONDITIONAL,
        MATMUL,
        REDUCTION,
        /** Views, copies and indexing: values move, none change. */
        VIEW
    }

    /**
     * One generated sample of the parity suite.
     *
     * @param params the op's params (dims, scalars), in the fixture format
     * @param inputs the op's inputs
     * @param forward tolerance of the output
     * @param backward tolerance of every input's gradient (loosened automatically where a
     *     broadcast input's gradient sums many upstream elements)
     */
    record Sample(Map<String, String> params, List<Input> inputs, Tolerance forward, Tolerance backward) {
    }

    /** Params (from a fixture or a sample) with typed accessors. */
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

    /** Whether first derivatives are checked by central differences (every differentiable op, unless said why not). */
    boolean gradcheck() {
        return differentiable() && whyNoGradcheck == null;
    }

    /** Whether the op records a node, so that the parity suite compares gradients. */
    boolean differentiable() {
        return !gradFns.isEmpty();
    }

    /** The domain of input {@code i} (the last one for ops with a varying number of inputs). */
    Domain domain(int i) {
        return domains.get(Math.min(i, domains.size() - 1));
    }

    /** {@code k1, v1, k2, v2...} as an ordered map. */
    static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Builder op(String name, Family family, Call call) {
        return new Builder(name, family, call);
    }

    /**
     * Builds a row. Defaults: inputs anywhere in [-2, 2], float32 and float64, the pointwise
     * tolerance against PyTorch, no {@code grad_fn} (call {@link #gradFn}), first derivatives
     * checked where there is one, no second derivatives (call {@link #gradgrad}).
     */
    static final class Builder {
        private final String name;
        private final Family family;
        private final Call call;
        private List<Domain> domains = List.of(Domain.ANY);
        private final List<DType> dtypes = List.of(DType.FLOAT32, DType.FLOAT64);
        private Tolerance golden = Tolerance.POINTWISE;
        private final Set<String> gradFns = new LinkedHashSet<>();
        private boolean gradgrad;
        private String whyNoGradcheck;
        private final Map<String, String> kinks = new LinkedHashMap<>();
        private final List<Sample> samples = new ArrayList<>();

        private Builder(String name, Family family, Call call) {
            this.name = name;
            this.family = family;
            this.call = call;
        }

        /** Where each input's generated values lie; applies to the samples added after. */
        Builder domains(Domain... perInput) {
            domains = List.of(perInput);
            return this;
        }

        /** The {@code grad_fn} names the op may record: makes it differentiable. */
        Builder gradFn(String... names) {
            gradFns.addAll(Arrays.asList(names));
            return this;
        }

        /** Second derivatives are checked too. */
        Builder gradgrad() {
            gradgrad = true;
            return this;
        }

        /** First derivatives are not checked by central differences, because {@code why}. */
        Builder noGradcheck(String why) {
            whyNoGradcheck = why;
            gradgrad = false;
            return this;
        }

        Builder golden(Tolerance t) {
            golden = t;
            return this;
        }

        /** Golden sample {@code sample} sits where the op has a kink, because {@code why}. */
        Builder kink(String sample, String why) {
            kinks.put(sample, why);
            return this;
        }

        /** A sample on {@code inputs} exactly as given (their own domains). */
        Builder sample(Map<String, String> params, Tolerance forward, Tolerance backward, Input... inputs) {
            samples.add(new Sample(params, List.of(inputs), forward, backward));
            return this;
        }

        /** A sample on {@code inputs}, each drawn from the op's domain. */
        Builder on(Map<String, String> params, Tolerance tol, Input... inputs) {
            Input[] in = new Input[inputs.length];
            for (int i = 0; i < in.length; i++) {
                in[i] = inputs[i].in(domains.get(Math.min(i, domains.size() - 1)));
            }
            return sample(params, tol, tol, in);
        }

        /** One sample per input of {@code list}, in the op's domain. */
        Builder onEach(List<Input> list, Map<String, String> params, Tolerance tol) {
            list.forEach(x -> on(params, tol, x));
            return this;
        }

        /** One sample per pair of {@code pairs}, in the op's domains. */
        Builder onEachPair(List<Input[]> pairs, Tolerance tol) {
            pairs.forEach(p -> on(Map.of(), tol, p));
            return this;
        }

        OpInfo build() {
            return new OpInfo(name, call, family, domains, dtypes, golden, Set.copyOf(gradFns),
                    whyNoGradcheck, gradgrad, Map.copyOf(kinks), List.copyOf(samples));
        }
    }
}
