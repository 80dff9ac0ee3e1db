package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.autograd.GradFn;
import dev.clgrad.format.TensorFormatter;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays every op recorded from PyTorch 1.13 on every device: forward values, the
 * {@code grad_fn} name (which its {@link OpInfo} row must name too) and its
 * {@code next_functions}, the printed string, and the gradient of every input for a
 * non-trivial upstream gradient, within the row's {@link OpInfo#golden()} tolerance.
 */
class GoldenOpsTest {
    private static final List<Fixtures.Record> RECORDS = java.util.stream.Stream.concat(
            Fixtures.load("ops.txt").stream(), Fixtures.load("training_ops.txt").stream()).toList();

    @TestFactory
    Stream<DynamicContainer> every_recorded_op_matches_pytorch_on_every_device() {
        return TestDevices.all().stream().map(device -> DynamicContainer.dynamicContainer(device.name(),
                RECORDS.stream().map(r -> DynamicTest.dynamicTest(r.id() + "[" + device + "]",
                        () -> check(r, device)))));
    }

    /** Replays record {@code r} on {@code device} with its {@link OpInfo} row's call and tolerances. */
    static void check(Fixtures.Record r, Device device) {
        OpInfo op = OpInfos.get(r.get("op"));
        List<Tensor> inputs = new ArrayList<>();
        DType precision = DType.FLOAT64;
        for (String line : r.all("input")) {
            Fixtures.TensorSpec spec = Fixtures.tensor(line);
            inputs.add(input(spec, device));
            if (spec.dtype() == DType.FLOAT32) {
                precision = DType.FLOAT32; // float32 intermediates limit a mixed computation
            }
        }
        Tensor out = op.call().apply(inputs, new OpInfo.Params(r.params()));

        Fixtures.TensorSpec expected = Fixtures.tensor(r.get("output"));
        Assertions2.assertClose(expected, out, op.golden().rtol(precision), op.golden().atol(precision),
                r.id() + " output");
        GradFn fn = out.gradFn();
        assertEquals(r.get("grad_fn"), fn == null ? "None" : fn.name(), r.id() + " grad_fn");
        if (fn != null && inputs.stream().noneMatch(in -> in == out)) {
            assertTrue(op.gradFns().contains(fn.name()), r.id() + ": PyTorch records " + fn.name()
                    + ", which the OpInfo row's gradFn " + op.gradFns() + " lacks");
        }
        if (fn != null) {
            String next = fn.nextFunctions().stream()
                    .map(e -> e.function() == null ? "None" : e.function().name())
                    .collect(Collectors.joining(","));
            assertEquals(r.get("next"), next, r.id() + " next_functions");
        }
        String torchStr = printed(Fixtures.unescape(r.get("str")));
        if (Arrays.equals(expected.data(), out.toDoubleArray())) {
            if (device.isCpu()) {
                assertEquals(torchStr, printed(out.toString()), r.id() + " str");
            }
        } else {
            // Values within tolerance but not bit-identical (e.g. float32 sums in another order)
            // may round differently in the 4th decimal: check the printing of PyTorch's values.
            String suffix = fn != null ? "grad_fn=" + fn : out.requiresGrad() ? "requires_grad=True" : null;
            assertEquals(torchStr, printed(TensorFormatter.format(expected.data(), expected.shape(),
                    expected.dtype(), null, suffix)), r.id() + " str of PyTorch's values");
        }
        String gradout = r.get("gradout");
        if (gradout == null) {
            return;
        }
        out.backward(Fixtures.tensor(gradout).create(device));
        for (String line : r.all("grad")) {
            int sp = line.indexOf(' ');
            int i = Integer.parseInt(line.substring(0, sp));
            Fixtures.TensorSpec g = Fixtures.tensor(line.substring(sp + 1));
            Tensor actual = inputs.get(i).grad();
            assertNotNull(actual, r.id() + " grad of input " + i);
            Assertions2.assertClose(g, actual, op.golden().rtol(precision), op.golden().atol(precision),
                    r.id() + " grad of input " + i);
        }
    }

    /**
     * A printed tensor with suffix line breaks removed and PyTorch's {@code dtype=torch.float64}
     * written as clgrad's shorter {@code dtype=float64}: the shorter suffix wraps differently
     * (the formatter's own tests check wrapping with clgrad's suffixes).
     */
    static String printed(String s) {
        return s.replace("dtype=torch.", "dtype=").replaceAll(",\\s*\\n\\s*(?=(dtype|grad_fn|requires_grad))", ", ");
    }

    /**
     * The op input a fixture line describes; a {@code transposed} input is the transpose of a
     * contiguous leaf, so it is non-contiguous (its gradient is kept with retainGrad).
     */
    static Tensor input(Fixtures.TensorSpec spec, Device device) {
        boolean grad = spec.has("grad");
        if (!spec.has("transposed")) {
            Tensor t = spec.create(device);
            return grad ? t.requiresGrad_() : t;
        }
        Tensor base = spec.create(device).transpose(-2, -1).contiguous();
        if (grad) {
            base.requiresGrad_();
        }
        Tensor view = base.transpose(-2, -1);
        return grad ? view.retainGrad() : view;
    }
}
