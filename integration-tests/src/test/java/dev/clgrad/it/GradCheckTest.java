package dev.clgrad.it;

import dev.clgrad.Autograd;
import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Finite-difference gradient checks in float64 ({@code torch.autograd.gradcheck} and
 * {@code gradgradcheck}) for every {@link OpInfo} row marked {@link OpInfo#gradcheck()} (and
 * {@link OpInfo#gradgradcheck()}), on every device, at the sample inputs of the golden
 * fixtures (their recorded outputs are not used here: the oracle is the op's own forward
 * pass). Samples the row lists as {@link OpInfo#kinks()} sit where the op is not
 * differentiable, so central differences are no oracle there; they are checked more weakly:
 * each gradient component must lie between the one-sided derivatives (PyTorch's choice of
 * subgradient).
 *
 * <p>First order: the analytical vector-Jacobian product {@code J^T v} from
 * {@code out.backward(v)} against central differences of {@code sum(f(x) * v)} per input
 * element. Second order: with {@code g(x) = J^T v} from {@code Autograd.grad(..., createGraph
 * = true)}, the analytical gradient of {@code sum(g(x) * w)} against central differences of the
 * first-order analytical {@code g} at {@code x +/- eps}.
 */
class GradCheckTest {
    private static final double EPS = 1e-6;
    private static final double ATOL = 1e-5;
    private static final double RTOL = 1e-3;

    private static final List<Fixtures.Record> RECORDS = java.util.stream.Stream.concat(
            Fixtures.load("ops.txt").stream(), Fixtures.load("training_ops.txt").stream()).toList();

    // ---- the factories -----------------------------------------------------------------

    @TestFactory
    Stream<DynamicContainer> first_derivatives_match_central_differences_in_float64_on_every_device() {
        return TestDevices.all().stream().map(device -> DynamicContainer.dynamicContainer(device.name(),
                samples().map(r -> {
                    String why = kink(r);
                    String name = r.id() + "[" + device + "]"
                            + (why == null ? "" : " (not differentiable: " + why
                            + "; checks the gradient lies between the one-sided derivatives)");
                    return DynamicTest.dynamicTest(name, () -> checkFirstOrder(r, device, why != null));
                })));
    }

    @TestFactory
    Stream<DynamicTest> ops_without_a_gradient_check_are_reported_as_skipped() {
        return OpInfos.ALL.values().stream().filter(op -> op.whyNoGradcheck() != null)
                .map(op -> DynamicTest.dynamicTest("gradcheck " + op.name() + " is not done",
                        () -> assumeTrue(false, op.name() + ": " + op.whyNoGradcheck())));
    }

    @TestFactory
    Stream<DynamicContainer> second_derivatives_match_central_differences_of_first_derivatives() {
        return TestDevices.all().stream().map(device -> DynamicContainer.dynamicContainer(device.name(),
                samples().filter(r -> OpInfos.get(r.get("op")).gradgradcheck())
                        // not twice differentiable at these points
                        .filter(r -> kink(r) == null)
                        .map(r -> DynamicTest.dynamicTest("gradgrad " + r.id() + "[" + device + "]",
                                () -> checkSecondOrder(r, device)))));
    }

    @Test
    void every_op_marked_for_gradcheck_has_gradient_checked_samples() {
        Set<String> sampled = samples().map(r -> r.get("op")).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        for (OpInfo op : OpInfos.ALL.values()) {
            if (op.gradcheck() && !sampled.contains(op.name())) {
                missing.add(op.name());
            }
        }
        assertTrue(missing.isEmpty(), "OpInfo rows marked gradcheck without a golden sample: " + missing
                + "; record samples for them in tools/golden/record_golden.py");
        assertTrue(samples().count() > 200, "expected the golden fixtures to give hundreds of samples");
    }

    @Test
    void every_kink_names_a_recorded_sample() {
        Set<String> ids = RECORDS.stream().map(Fixtures.Record::id).collect(Collectors.toSet());
        for (OpInfo op : OpInfos.ALL.values()) {
            for (String sample : op.kinks().keySet()) {
                assertTrue(ids.contains(op.name() + "/" + sample), op.name() + ": kink '" + sample
                        + "' names no record of ops.txt");
            }
        }
    }

    @Test
    void the_gradient_check_itself_catches_a_wrong_gradient() {
        // A sanity check of the oracle: the numerical gradient of sum(x^3 * v) is 3 x^2 v, and
        // a deliberately wrong analytical gradient (2 x v) is rejected by the comparison.
        Device cpu = Device.cpu();
        double[] x = {0.5, -1.25, 2.0};
        double[] v = {1.0, -0.5, 0.25};
        double[] numerical = new double[3];
        for (int i = 0; i < 3; i++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += EPS;
            minus[i] -= EPS;
            numerical[i] = (dot(cube(plus, cpu), v) - dot(cube(minus, cpu), v)) / (2 * EPS);
        }
        double[] right = new double[3];
        double[] wrong = new double[3];
        for (int i = 0; i < 3; i++) {
            right[i] = 3 * x[i] * x[i] * v[i];
            wrong[i] = 2 * x[i] * v[i];
        }
        assertTrue(mismatch(right, numerical, "ok") == null, mismatch(right, numerical, "ok"));
        assertNotNull(mismatch(wrong, numerical, "wrong"), "a wrong gradient must be caught");
    }

    private static double[] cube(double[] x, Device device) {
        return Tensor.of(x, DType.FLOAT64, device, x.length).pow(3).toDoubleArray();
    }

    // ---- samples -----------------------------------------------------------------------

    /** Fixture records of ops marked gradcheck that have inputs. */
    private static Stream<Fixtures.Record> samples() {
        return RECORDS.stream()
                .filter(r -> OpInfos.get(r.get("op")).gradcheck())
                .filter(r -> !r.all("input").isEmpty());
    }

    /** Why record {@code r} sits where its op is not differentiable, or null. */
    private static String kink(Fixtures.Record r) {
        String op = r.get("op");
        return OpInfos.get(op).kinks().get(r.id().substring(op.length() + 1));
    }

    /** One sample converted to float64: the specs, which inputs are differentiated, and its op. */
    private record Sample(Fixtures.Record record, OpInfo op, OpInfo.Params params,
                          List<Fixtures.TensorSpec> specs, boolean[] differentiated) {
        static Sample of(Fixtures.Record r) {
            List<Fixtures.TensorSpec> specs = new ArrayList<>();
            for (String line : r.all("input")) {
                Fixtures.TensorSpec s = Fixtures.tensor(line);
                // mixed float32/float64 samples become all-float64; indices and masks keep their dtype
                specs.add(new Fixtures.TensorSpec(s.dtype().isFloatingPoint() ? DType.FLOAT64 : s.dtype(), s.shape(),
                        s.data(), s.flags()));
            }
            boolean[] diff = new boolean[specs.size()];
            boolean any = false;
            for (int i = 0; i < diff.length; i++) {
                diff[i] = specs.get(i).has("grad");
                any |= diff[i];
            }
            if (!any) {
                // a sample recorded without grad (e.g. add/no_grad): check every input
                Arrays.fill(diff, true);
            }
            return new Sample(r, OpInfos.get(r.get("op")), new OpInfo.Params(r.params()), specs, diff);
        }

        double[][] data() {
            double[][] out = new double[specs.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = specs.get(i).data().clone();
            }
            return out;
        }

        String id() {
            return record.id();
        }
    }

    /** The op's arguments, plus the leaf behind each (different from the argument for a transposed input). */
    private record Built(List<Tensor> args, List<Tensor> leaves) {
    }

    /**
     * The op's float64 inputs with the given values (row-major in each input's logical shape).
     * A {@code transposed} input is built as GoldenOpsTest does: the transpose of a contiguous
     * leaf, so the op sees a non-contiguous tensor.
     */
    private static Built build(Sample s, double[][] data, Device device, boolean grad) {
        List<Tensor> args = new ArrayList<>();
        List<Tensor> leaves = new ArrayList<>();
        for (int i = 0; i < s.specs().size(); i++) {
            Fixtures.TensorSpec spec = s.specs().get(i);
            boolean requires = grad && s.differentiated()[i];
            Tensor created = Tensor.of(data[i], spec.dtype(), device, spec.shape());
            if (!spec.has("transposed")) {
                if (requires) {
                    created.requiresGrad_();
                }
                args.add(created);
                leaves.add(created);
                continue;
            }
            Tensor base = created.transpose(-2, -1).contiguous();
            if (requires) {
                base.requiresGrad_();
            }
            Tensor view = base.transpose(-2, -1);
            args.add(requires ? view.retainGrad() : view);
            leaves.add(base);
        }
        return new Built(args, leaves);
    }

    /** {@code sum(f(x) * v)} in float64 on the host, without recording anything. */
    private static double objective(Sample s, double[][] data, Device device, double[] v) {
        try (TensorScope scope = TensorScope.open(); Autograd.GradModeScope g = Autograd.noGrad()) {
            Tensor out = s.op().call().apply(build(s, data, device, false).args(), s.params());
            assertEquals(DType.FLOAT64, out.dtype(), s.id() + ": float64 inputs must give a float64 output");
            return dot(out.toDoubleArray(), v);
        }
    }

    // ---- first order -------------------------------------------------------------------

    private static void checkFirstOrder(Fixtures.Record r, Device device, boolean kink) {
        assumeTrue(device.info().supportsFloat64(), device + " has no float64: gradcheck needs it");
        Sample s = Sample.of(r);
        double[][] x = s.data();
        Built in = build(s, x, device, true);
        Tensor out = s.op().call().apply(in.args(), s.params());
        assertEquals(DType.FLOAT64, out.dtype(), s.id() + ": output dtype");
        assertTrue(out.requiresGrad(), s.id() + ": the output of a differentiable op on inputs requiring grad "
                + "must require grad");
        double[] v = pseudoRandom(s.id() + "/v", (int) out.numel());
        out.backward(Tensor.of(v, DType.FLOAT64, device, out.shape()));

        for (int i = 0; i < x.length; i++) {
            if (!s.differentiated()[i]) {
                continue;
            }
            String what = s.id() + " d/d input " + i + " on " + device;
            Tensor grad = in.args().get(i).grad();
            assertNotNull(grad, what + ": no gradient reached the input");
            assertArrayEquals(s.specs().get(i).shape(), grad.shape(), what + ": gradient shape");
            assertEquals(DType.FLOAT64, grad.dtype(), what + ": gradient dtype");
            assertEquals(device, grad.device(), what + ": gradient device");
            double[] analytical = grad.toDoubleArray();
            if (in.leaves().get(i) != in.args().get(i)) {
                // the leaf behind a transposed input receives the transposed gradient
                Tensor leafGrad = in.leaves().get(i).grad();
                assertNotNull(leafGrad, what + ": no gradient reached the leaf behind the transposed input");
                assertArrayEquals(analytical, leafGrad.transpose(-2, -1).toDoubleArray(), 0.0,
                        what + ": the leaf's gradient must be the transpose of its view's");
            }
            if (kink) {
                checkBetweenOneSidedDerivatives(s, x, i, v, device, analytical, what);
                continue;
            }
            double[] numerical = new double[x[i].length];
            for (int e = 0; e < numerical.length; e++) {
                double keep = x[i][e];
                x[i][e] = keep + EPS;
                double plus = objective(s, x, device, v);
                x[i][e] = keep - EPS;
                double minus = objective(s, x, device, v);
                x[i][e] = keep;
                numerical[e] = (plus - minus) / (2 * EPS);
            }
            String m = mismatch(analytical, numerical, what);
            if (m != null) {
                fail(m);
            }
        }
    }

    /** Where the op has a kink, each analytical component must lie between the one-sided slopes. */
    private static void checkBetweenOneSidedDerivatives(Sample s, double[][] x, int i, double[] v, Device device,
                                                        double[] analytical, String what) {
        double at = objective(s, x, device, v);
        for (int e = 0; e < analytical.length; e++) {
            double keep = x[i][e];
            x[i][e] = keep + EPS;
            double right = (objective(s, x, device, v) - at) / EPS;
            x[i][e] = keep - EPS;
            double left = (at - objective(s, x, device, v)) / EPS;
            x[i][e] = keep;
            double lo = Math.min(left, right) - ATOL;
            double hi = Math.max(left, right) + ATOL;
            if (!(analytical[e] >= lo && analytical[e] <= hi)) {
                fail(what + ": element " + e + " has gradient " + analytical[e] + " outside the one-sided "
                        + "derivatives [" + left + ", " + right + "]\nanalytical " + Arrays.toString(analytical));
            }
        }
    }

    // ---- second order ------------------------------------------------------------------

    private static void checkSecondOrder(Fixtures.Record r, Device device) {
        assumeTrue(device.info().supportsFloat64(), device + " has no float64: gradgradcheck needs it");
        Sample s = Sample.of(r);
        double[][] x = s.data();
        List<Integer> diff = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (s.differentiated()[i]) {
                diff.add(i);
            }
        }
        Built in = build(s, x, device, true);
        List<Tensor> inputs = diff.stream().map(in.args()::get).collect(Collectors.toList());
        Tensor out = s.op().call().apply(in.args(), s.params());
        double[] v = pseudoRandom(s.id() + "/v", (int) out.numel());
        List<double[]> w = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            w.add(pseudoRandom(s.id() + "/w" + k, (int) inputs.get(k).numel()));
        }

        List<Tensor> g = Autograd.grad(List.of(out), inputs, List.of(Tensor.of(v, DType.FLOAT64, device,
                out.shape())), true, true);
        Tensor objective = null;
        for (int k = 0; k < inputs.size(); k++) {
            assertNotNull(g.get(k), s.id() + ": first-order gradient of input " + diff.get(k));
            assertArrayEquals(inputs.get(k).shape(), g.get(k).shape(), s.id() + ": first-order gradient shape");
            Tensor term = g.get(k).mul(Tensor.of(w.get(k), DType.FLOAT64, device, inputs.get(k).shape())).sum();
            objective = objective == null ? term : objective.add(term);
        }
        assertNotNull(objective, s.id() + ": no differentiated input");

        // Gradients that do not depend on the inputs (neg, sum, relu's mask...) are constants:
        // their derivative is zero, as gradgradcheck treats unreachable inputs.
        List<double[]> analytical = new ArrayList<>();
        if (objective.requiresGrad()) {
            List<Tensor> h = Autograd.grad(List.of(objective), inputs, null, false, false, true);
            for (int k = 0; k < inputs.size(); k++) {
                Tensor hk = h.get(k);
                if (hk != null) {
                    assertArrayEquals(inputs.get(k).shape(), hk.shape(), s.id() + ": second-order gradient shape");
                }
                analytical.add(hk == null ? new double[(int) inputs.get(k).numel()] : hk.toDoubleArray());
            }
        } else {
            for (Tensor t : inputs) {
                analytical.add(new double[(int) t.numel()]);
            }
        }

        for (int k = 0; k < inputs.size(); k++) {
            int i = diff.get(k);
            double[] numerical = new double[x[i].length];
            for (int e = 0; e < numerical.length; e++) {
                double keep = x[i][e];
                x[i][e] = keep + EPS;
                double plus = firstOrderObjective(s, x, device, v, w);
                x[i][e] = keep - EPS;
                double minus = firstOrderObjective(s, x, device, v, w);
                x[i][e] = keep;
                numerical[e] = (plus - minus) / (2 * EPS);
            }
            String m = mismatch(analytical.get(k), numerical, s.id() + " d/d input " + i + " of sum(g(x) * w) on "
                    + device);
            if (m != null) {
                fail(m);
            }
        }
    }

    /** {@code sum(g(x) * w)} on the host, with {@code g} the first-order analytical {@code J^T v}. */
    private static double firstOrderObjective(Sample s, double[][] data, Device device, double[] v,
                                              List<double[]> w) {
        try (TensorScope scope = TensorScope.open()) {
            Built in = build(s, data, device, true);
            List<Tensor> inputs = new ArrayList<>();
            for (int i = 0; i < data.length; i++) {
                if (s.differentiated()[i]) {
                    inputs.add(in.args().get(i));
                }
            }
            Tensor out = s.op().call().apply(in.args(), s.params());
            List<Tensor> g = Autograd.grad(List.of(out), inputs,
                    List.of(Tensor.of(v, DType.FLOAT64, device, out.shape())), false, false);
            double total = 0;
            for (int k = 0; k < inputs.size(); k++) {
                total += dot(g.get(k).toDoubleArray(), w.get(k));
            }
            return total;
        }
    }

    // ---- helpers -----------------------------------------------------------------------

    /** Reproducible values in [-1, -0.1] and [0.1, 1], seeded by {@code key}. */
    private static double[] pseudoRandom(String key, int n) {
        Random random = new Random(key.hashCode());
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double m = 0.1 + 0.9 * random.nextDouble();
            out[i] = random.nextBoolean() ? m : -m;
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        assertEquals(b.length, a.length, "element count");
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** A failure message when {@code analytical} and {@code numerical} differ beyond the tolerances, else null. */
    private static String mismatch(double[] analytical, double[] numerical, String what) {
        if (analytical.length != numerical.length) {
            return what + ": " + analytical.length + " analytical values for " + numerical.length + " elements";
        }
        for (int e = 0; e < analytical.length; e++) {
            double a = analytical[e];
            double n = numerical[e];
            if (!(Math.abs(a - n) <= ATOL + RTOL * Math.abs(n))) {
                return what + ": Jacobian mismatch at element " + e + ": analytical " + a + ", numerical " + n
                        + " (eps " + EPS + ", atol " + ATOL + ", rtol " + RTOL + ")\nanalytical "
                        + Arrays.toString(analytical) + "\nnumerical  " + Arrays.toString(numerical);
            }
        }
        return null;
    }
}
