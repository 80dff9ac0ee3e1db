package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;
import dev.clgrad.autograd.GradFn;
import dev.clgrad.it.ParityCases.Case;
import dev.clgrad.it.SampleInputs.Input;
import dev.clgrad.spi.Backend;
import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.HostTransfers;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.ReduceOp;
import dev.clgrad.spi.View;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The device-parity suite: every device computes what the pure-Java CPU backend computes in
 * float64.
 *
 * <p>Each generated sample of each {@link OpInfo} row ({@link ParityCases}) runs on every
 * device in each of the row's dtypes (the only omission: a float64 case is not generated for a
 * device without float64). Inputs come from a fixed-seed host generator, rounded to the dtype under
 * test, so the reference (the same computation on {@code cpu} in float64) sees exactly the
 * values the device sees. The output and the gradient of every differentiated input, for a
 * pseudo-random upstream gradient, must match the reference within the case's tolerance for
 * the dtype, and the output's {@code grad_fn} must be one the row names. Tests are named
 * {@code exp[opencl:0,float32] on [4097]}.
 *
 * <p>Beside the op table: float32 sums of 2^20 elements are bit-identical from run to run,
 * {@code max}/{@code min} over either dim of a {@code [1024, 1024]} input through the
 * backend's reduce primitive (the Tensor API has no {@code max(dim)}) match the CPU exactly,
 * and seeded {@code rand}/{@code randn} draws equal the CPU's bit for bit.
 */
class DeviceParityTest {
    /** The dtypes of the checks beside the op table. */
    private static final List<DType> DTYPES = List.of(DType.FLOAT32, DType.FLOAT64);

    // ---- the op table ------------------------------------------------------------------

    @TestFactory
    Stream<DynamicContainer> every_op_matches_the_cpu_in_float64_forward_and_backward_on_every_device_and_dtype() {
        Map<String, List<Case>> byOp = new LinkedHashMap<>();
        for (Case c : ParityCases.ALL) {
            byOp.computeIfAbsent(c.op().name(), k -> new ArrayList<>()).add(c);
        }
        return byOp.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(),
                e.getValue().stream().flatMap(c -> c.op().dtypes().stream().flatMap(dtype -> devices(dtype).stream()
                        .map(device -> DynamicTest.dynamicTest(
                                name(c.label(), device, dtype) + " on " + c.description(),
                                () -> check(c, device, dtype)))))));
    }

    @Test
    void every_op_of_the_op_table_has_parity_cases() {
        Set<String> covered = new HashSet<>();
        ParityCases.ALL.forEach(c -> covered.add(c.op().name()));
        Set<String> missing = new TreeSet<>(OpInfos.ALL.keySet());
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "OpInfo rows without a parity sample: " + missing
                + "; give them samples in their OpInfo row");
    }

    @Test
    void every_parity_case_has_a_distinct_name() {
        Set<String> seen = new HashSet<>();
        for (Case c : ParityCases.ALL) {
            assertTrue(seen.add(c.id()), "two parity cases are both named '" + c.id() + "'");
        }
    }

    @Test
    void the_float32_tolerance_of_a_million_element_sum_allows_rounding_but_not_a_dropped_element() {
        // A sanity check of the tolerances: the sum of 2^20 values in [-2, 2] may drift by
        // rounding, but not by as much as a dropped element of magnitude 0.05 (97.5% of them).
        long n = SampleInputs.BIG * SampleInputs.BIG;
        double[] x = Domain.ANY.draw(new Random(1), n, DType.FLOAT32);
        double sum;
        try (Tensor t = Tensor.of(x, DType.FLOAT64, Device.cpu(), n); Tensor s = t.sum()) {
            sum = s.item();
        }
        Tolerance tol = Tolerance.summing(n, Domain.ANY.bound);
        double[] expected = {sum};
        Assertions2.assertValuesClose(expected, new double[] {sum + 1e-3}, tol.rtol32(), tol.atol32(),
                "an error of 1e-3 must pass");
        assertThrows(AssertionError.class, () -> Assertions2.assertValuesClose(expected,
                new double[] {sum + 0.05}, tol.rtol32(), tol.atol32(), "an error of 0.05"));
    }

    /** The devices a case runs on in {@code dtype}: all of them, but float64 only where supported. */
    private static List<Device> devices(DType dtype) {
        return TestDevices.all().stream()
                .filter(d -> dtype != DType.FLOAT64 || d.info().supportsFloat64())
                .toList();
    }

    private static String name(String what, Device device, DType dtype) {
        return what + "[" + device + "," + dtype.pyName() + "]";
    }

    /** What one run of a case gave: the output and, per input, the leaf's gradient (or null). */
    private record Result(long[] shape, double[] values, List<double[]> grads) {
    }

    /** The reference of the last case asked for: devices are the innermost loop. */
    private static String referenceKey;
    private static Result reference;

    private static synchronized Result reference(Case c, DType dtype) {
        String key = c.id() + "/" + dtype;
        if (!key.equals(referenceKey)) {
            reference = run(c, dtype, DType.FLOAT64, Device.cpu());
            referenceKey = key;
        }
        return reference;
    }

    private static void check(Case c, Device device, DType dtype) {
        String what = name(c.label(), device, dtype) + " on " + c.description();
        Result expected;
        Result actual;
        try {
            expected = reference(c, dtype);
            actual = run(c, dtype, dtype, device);
        } catch (RuntimeException e) {
            // surefire reports dynamic tests by method name: say which case threw
            throw new AssertionError(what + " threw " + e, e);
        }
        assertArrayEquals(expected.shape(), actual.shape(), what + ": output shape");
        Assertions2.assertValuesClose(expected.values(), actual.values(), c.sample().forward().rtol(dtype),
                c.sample().forward().atol(dtype), what + ": output");
        if (!c.op().differentiable()) {
            return;
        }
        long outNumel = SampleInputs.numel(actual.shape());
        for (int i = 0; i < c.inputs().size(); i++) {
            Input in = c.inputs().get(i);
            if (!in.differentiable()) {
                continue;
            }
            // each gradient element of a broadcast or expanded input sums this many terms
            long viewNumel = Math.max(1, SampleInputs.numel(in.shape()));
            long fanIn = Math.max(1, viewNumel / Math.max(1, SampleInputs.numel(in.leafShape())))
                    * Math.max(1, outNumel / viewNumel);
            Tolerance tol = fanIn == 1 ? c.sample().backward()
                    : c.sample().backward().max(Tolerance.summing(fanIn, ParityCases.GRAD_TERM_BOUND));
            Assertions2.assertValuesClose(expected.grads().get(i), actual.grads().get(i), tol.rtol(dtype),
                    tol.atol(dtype), what + ": gradient of input " + i);
        }
    }

    /**
     * Runs a case on {@code device} in {@code dtype}, with values rounded to {@code rounding}:
     * forward, then backward with a pseudo-random upstream gradient in [-1, 1].
     */
    private static Result run(Case c, DType rounding, DType dtype, Device device) {
        String where = c.id() + " in " + dtype.pyName() + " on " + device;
        Random random = c.random();
        try (TensorScope scope = TensorScope.open()) {
            List<Tensor> leaves = new ArrayList<>();
            List<Tensor> args = new ArrayList<>();
            for (Input in : c.inputs()) {
                double[] v = in.domain().draw(random, SampleInputs.numel(in.leafShape()), rounding);
                Tensor leaf = Tensor.of(v, in.domain().dtype(dtype), device, in.leafShape());
                // a comparison's inputs require grad too: its output must still record nothing
                if (in.differentiable()) {
                    leaf.requiresGrad_();
                }
                leaves.add(leaf);
                Tensor arg = in.view().apply(leaf);
                assertArrayEquals(in.shape(), arg.shape(), where + ": the shape of input " + in.description());
                args.add(arg);
            }
            Tensor out = c.op().call().apply(args, c.params());
            // comparisons (not differentiable) write bool whatever the inputs' dtype
            assertEquals(!c.op().differentiable() && out.dtype() == DType.BOOL ? DType.BOOL : dtype, out.dtype(),
                    where + ": output dtype");
            assertEquals(device, out.device(), where + ": output device");
            assertGradFn(c, args, out, where);
            Result result = new Result(out.shape(), out.toDoubleArray(), new ArrayList<>());
            if (!c.op().differentiable()) {
                return result;
            }
            double[] upstream = Domain.UNIT.draw(random, out.numel(), rounding);
            out.backward(Tensor.of(upstream, dtype, device, out.shape()));
            for (int i = 0; i < leaves.size(); i++) {
                if (!c.inputs().get(i).differentiable()) {
                    result.grads().add(null);
                    continue;
                }
                Tensor grad = leaves.get(i).grad();
                assertNotNull(grad, where + ": no gradient reached input " + i);
                assertArrayEquals(leaves.get(i).shape(), grad.shape(), where + ": gradient shape of input " + i);
                assertEquals(dtype, grad.dtype(), where + ": gradient dtype of input " + i);
                assertEquals(device, grad.device(), where + ": gradient device of input " + i);
                result.grads().add(grad.toDoubleArray());
            }
            return result;
        }
    }

    /**
     * The output records one of the nodes the op's row names (none for an op without one); an
     * op that returns its input as it is (contiguous of a contiguous tensor) records nothing new.
     */
    private static void assertGradFn(Case c, List<Tensor> args, Tensor out, String where) {
        if (args.stream().anyMatch(a -> a == out)) {
            return;
        }
        GradFn fn = out.gradFn();
        if (!c.op().differentiable()) {
            assertNull(fn, where + ": an op without a grad_fn recorded " + (fn == null ? null : fn.name()));
            assertFalse(out.requiresGrad(), where + ": the output of an op without a grad_fn must not require grad");
            return;
        }
        assertNotNull(fn, where + ": no grad_fn on the output of inputs that require grad");
        assertTrue(c.op().gradFns().contains(fn.name()), where + ": grad_fn " + fn.name() + ", expected one of "
                + c.op().gradFns() + " (the OpInfo row's gradFn)");
    }

    // ---- reductions of a million elements ----------------------------------------------

    @TestFactory
    Stream<DynamicTest> float32_sums_of_a_million_elements_are_bit_identical_from_run_to_run() {
        long n = SampleInputs.BIG * SampleInputs.BIG;
        double[] x = Domain.ANY.draw(new Random(2), n, DType.FLOAT32);
        List<DynamicTest> tests = new ArrayList<>();
        for (Device device : TestDevices.all()) {
            tests.add(DynamicTest.dynamicTest(name("sum()", device, DType.FLOAT32) + " of [" + n + "] twice, and of a "
                    + "copy", () -> assertRepeatable(device, x, new long[] {n}, Tensor::sum)));
            for (int dim : new int[] {1, 0}) {
                tests.add(DynamicTest.dynamicTest(name("sum(dim=" + dim + ")", device, DType.FLOAT32)
                                + " of [1024, 1024] twice, and of a copy",
                        () -> assertRepeatable(device, x, new long[] {SampleInputs.BIG, SampleInputs.BIG},
                                t -> t.sum(dim, false))));
            }
        }
        return tests.stream();
    }

    private static void assertRepeatable(Device device, double[] x, long[] shape,
                                         UnaryOperator<Tensor> reduce) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor t = Tensor.of(x, DType.FLOAT32, device, shape);
            float[] first = reduce.apply(t).toFloatArray();
            float[] again = reduce.apply(t).toFloatArray();
            float[] copy = reduce.apply(Tensor.of(x, DType.FLOAT32, device, shape)).toFloatArray();
            assertBitIdentical(first, again, "the second run on " + device);
            assertBitIdentical(first, copy, "the run on a copy of the input on " + device);
        }
    }

    private static void assertBitIdentical(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": element " + i + " is " + actual[i] + " but the first run gave " + expected[i]
                        + " (a reduction must be deterministic: same inputs, same bits)");
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> max_and_min_over_either_dim_of_a_million_elements_match_the_cpu_exactly() {
        long big = SampleInputs.BIG;
        Layout contiguous = Layout.contiguous(big, big);
        Layout transposed = new Layout(new long[] {big, big}, new long[] {1, big}, 0);
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dtype : DTYPES) {
            double[] x = Domain.ANY.draw(new Random(3), big * big, dtype);
            for (ReduceOp op : new ReduceOp[] {ReduceOp.MAX, ReduceOp.MIN}) {
                for (int dim : new int[] {0, 1}) {
                    for (Layout in : new Layout[] {contiguous, transposed}) {
                        String sample = in == contiguous ? "[1024, 1024]" : "[1024, 1024] (transpose of [1024, 1024])";
                        for (Device device : devices(dtype)) {
                            String what = name(op.name().toLowerCase() + "(dim=" + dim + ")", device, dtype)
                                    + " on " + sample + " through the backend's reduce primitive";
                            tests.add(DynamicTest.dynamicTest(what, () -> assertArrayEquals(
                                    reduce(Device.cpu(), DType.FLOAT64, op, x, in, dim),
                                    reduce(device, dtype, op, x, in, dim), 0.0, what)));
                        }
                    }
                }
            }
        }
        return tests.stream();
    }

    /** {@code op} over {@code dim} of {@code values} seen through {@code layout}, on the backend directly. */
    private static double[] reduce(Device device, DType dtype, ReduceOp op, double[] values, Layout layout, int dim) {
        Backend backend = device.backend();
        long[] outShape = layout.shape().clone();
        outShape[dim] = 1;
        int outN = Math.toIntExact(SampleInputs.numel(outShape));
        Buffer in = backend.allocate(dtype.elementType(), values.length);
        Buffer out = backend.allocate(dtype.elementType(), outN);
        try {
            double[] result = new double[outN];
            if (dtype == DType.FLOAT64) {
                HostTransfers.write(backend, in, values);
                backend.reduce(op, new View(in, layout), new View(out, Layout.contiguous(outShape)));
                HostTransfers.read(backend, out, 0, result);
            } else {
                float[] f = new float[values.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) values[i];
                }
                HostTransfers.write(backend, in, f);
                backend.reduce(op, new View(in, layout), new View(out, Layout.contiguous(outShape)));
                float[] r = new float[outN];
                HostTransfers.read(backend, out, 0, r);
                for (int i = 0; i < outN; i++) {
                    result[i] = r[i];
                }
            }
            return result;
        } finally {
            backend.release(in);
            backend.release(out);
        }
    }

    // ---- random draws ------------------------------------------------------------------

    private enum Draw {
        RAND, RANDN;

        Tensor draw(DType dtype, Device device, long n) {
            return this == RAND ? Tensor.rand(dtype, device, n) : Tensor.randn(dtype, device, n);
        }
    }

    @TestFactory
    Stream<DynamicTest> seeded_rand_and_randn_give_the_cpu_values_bit_for_bit_on_every_device() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Draw draw : Draw.values()) {
            for (DType dtype : DTYPES) {
                for (long n : new long[] {1, 3, 4097}) {
                    for (Device device : devices(dtype)) {
                        long seed = 20240 + n;
                        tests.add(DynamicTest.dynamicTest(name(draw.name().toLowerCase(), device, dtype) + " of " + n
                                + " after manualSeed(" + seed + ")", () -> {
                                    Tensor.manualSeed(seed);
                                    double[] expected = draw.draw(dtype, Device.cpu(), n).toDoubleArray();
                                    Tensor.manualSeed(seed);
                                    double[] actual = draw.draw(dtype, device, n).toDoubleArray();
                                    assertSameDraw(draw, dtype, device, expected, actual);
                                }));
                    }
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> consecutive_draws_continue_the_stream_as_on_the_cpu() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dtype : DTYPES) {
            for (Device device : devices(dtype)) {
                tests.add(DynamicTest.dynamicTest(name("rand(3), randn(4097), rand(257)", device, dtype)
                        + " after one manualSeed", () -> {
                            List<double[]> expected = drawSequence(dtype, Device.cpu());
                            List<double[]> actual = drawSequence(dtype, device);
                            assertSameDraw(Draw.RAND, dtype, device, expected.get(0), actual.get(0));
                            assertSameDraw(Draw.RANDN, dtype, device, expected.get(1), actual.get(1));
                            assertSameDraw(Draw.RAND, dtype, device, expected.get(2), actual.get(2));
                        }));
            }
        }
        return tests.stream();
    }

    private static List<double[]> drawSequence(DType dtype, Device device) {
        Tensor.manualSeed(7);
        return List.of(Draw.RAND.draw(dtype, device, 3).toDoubleArray(),
                Draw.RANDN.draw(dtype, device, 4097).toDoubleArray(),
                Draw.RAND.draw(dtype, device, 257).toDoubleArray());
    }

    /**
     * Bit-identical draws in both dtypes: the OpenCL kernels compute Box-Muller with ports of the
     * fdlibm log, sin and cos that Java's StrictMath uses, not with the device's own functions.
     */
    private static void assertSameDraw(Draw draw, DType dtype, Device device, double[] expected, double[] actual) {
        String what = name(draw.name().toLowerCase(), device, dtype);
        assertEquals(expected.length, actual.length, what + ": number of values");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(actual[i]) != Double.doubleToRawLongBits(expected[i])) {
                fail(what + ": element " + i + " is " + actual[i] + " but the cpu draw is " + expected[i]
                        + " (must be bit-identical)");
            }
        }
    }
}
