package dev.clgrad.it;

import dev.clgrad.Autograd;
import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Autograd across devices and dtypes, retained gradients after in-place ops, and scopes that
 * keep a parameter with its gradient: each case reproduces a report and checks PyTorch's answer.
 */
@ExtendWith(OnDevice.class)
class ReliabilityTest {
    private static final String DEVICES = "dev.clgrad.it.OnDevice#devices";

    @Test
    void backward_through_to_device_brings_the_gradient_back_to_each_inputs_device() {
        List<Device> openCL = TestDevices.openCL();
        Assumptions.assumeFalse(openCL.isEmpty(), TestDevices::noOpenCLMessage);
        for (Device gpu : openCL) {
            Tensor p = Tensor.of(new double[] {1, 2, 3}, DType.FLOAT32, Device.cpu()).requiresGrad_();
            p.to(gpu).mul(3).sum().backward();
            assertSame(Device.cpu(), p.grad().device());
            assertArrayEquals(new double[] {3, 3, 3}, p.grad().toDoubleArray());

            // a model split across devices: first layer on the CPU, second on the device, and back
            Tensor w1 = Tensor.of(new double[] {0.5, -1}, DType.FLOAT32, Device.cpu(), 2, 1).requiresGrad_();
            Tensor w2 = Tensor.of(new double[] {2, 4}, DType.FLOAT32, gpu, 1, 2).requiresGrad_();
            Tensor x = Tensor.of(new double[] {1, 2, 3}, DType.FLOAT32, Device.cpu(), 3, 1);
            Tensor out = x.matmul(w1.t()).to(gpu).matmul(w2.t()).to(Device.cpu());
            out.sum().backward();
            assertSame(Device.cpu(), w1.grad().device());
            assertSame(gpu, w2.grad().device());
            // d/dw1 of sum(x w1^T w2^T) = (sum x) * w2^T; d/dw2 = (sum x) * w1^T
            assertArrayEquals(new double[] {12, 24}, w1.grad().toDoubleArray(), 1e-6);
            assertArrayEquals(new double[] {3, -6}, w2.grad().toDoubleArray(), 1e-6);

            // second order through the device boundary
            Tensor q = Tensor.of(new double[] {2}, DType.FLOAT32, Device.cpu()).requiresGrad_();
            Tensor y = q.to(gpu).pow(3).sum();
            Tensor dq = Autograd.grad(List.of(y), List.of(q), null, true, true).get(0);
            assertSame(Device.cpu(), dq.device());
            assertEquals(12, dq.item(), 1e-5);
            dq.backward();
            assertEquals(12, q.grad().item(), 1e-5, "d2/dq2 q^3 = 6 q");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void backward_through_to_dtype_gives_the_gradient_in_the_inputs_dtype(Device d) {
        OnDevice.use(d);
        Assumptions.assumeTrue(d.info().supportsFloat64(), d + " has no float64");
        Tensor p = Tensor.of(new double[] {1, 2}, DType.FLOAT64).requiresGrad_();
        p.to(DType.FLOAT32).mul(2).sum().backward();
        assertEquals(DType.FLOAT64, p.grad().dtype());
        assertArrayEquals(new double[] {2, 2}, p.grad().toDoubleArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_retained_gradient_after_an_in_place_op_is_that_of_the_latest_version(Device d) {
        OnDevice.use(d);
        // PyTorch 1.13: w.grad 6 and x.grad 12 after add_(1); 12 and 72 after mul_(3)
        Tensor x = Tensor.of(1.0).requiresGrad_();
        Tensor w = x.mul(2).retainGrad();
        w.add_(1);
        w.pow(2).sum().backward();
        assertEquals(6, w.grad().item());
        assertEquals(12, x.grad().item());

        Tensor x2 = Tensor.of(1.0).requiresGrad_();
        Tensor w2 = x2.mul(2).retainGrad();
        w2.mul_(3);
        w2.pow(2).sum().backward();
        assertEquals(12, w2.grad().item());
        assertEquals(72, x2.grad().item());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void keeping_a_tensor_keeps_its_gradient(Device d) {
        OnDevice.use(d);
        Tensor w;
        try (TensorScope scope = TensorScope.open()) {
            w = Tensor.of(1, 2).requiresGrad_();
            w.mul(3).sum().backward();
            scope.keep(w);
        }
        assertFalse(w.grad().isClosed());
        w.mul(3).sum().backward();
        assertArrayEquals(new double[] {6, 6}, w.grad().toDoubleArray());

        Tensor v;
        try (TensorScope outer = TensorScope.open()) {
            try (TensorScope inner = TensorScope.open()) {
                v = Tensor.of(1, 2).requiresGrad_();
                v.sum().backward();
                inner.keep(v);
            }
            assertFalse(v.grad().isClosed(), "kept into the enclosing scope, with its gradient");
        }
        assertEquals(true, v.isClosed(), "the enclosing scope closes what it was handed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void an_in_place_write_into_a_broadcast_view_is_refused_as_pytorch_does(Device d) {
        OnDevice.use(d);
        Tensor base = Tensor.zeros(1, 1000);
        Tensor wide = base.expand(1000, 1000);
        for (Runnable write : List.<Runnable>of(() -> wide.add_(1), () -> wide.mul_(2),
                () -> wide.add_(Tensor.ones(1000)), () -> wide.copy_(Tensor.ones(1000, 1000)))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, write::run);
            assertTrue(e.getMessage().contains("more than one element of the written-to tensor refers to a single "
                    + "memory location") && e.getMessage().contains("clone()"), e.getMessage());
        }
        assertEquals(0, base.sum().item(), "nothing was written");
        assertEquals(0, base.version(), "and the version did not move");
        wide.fill_(2);
        assertEquals(2000, base.sum().item(), "fill_ writes one value, which PyTorch allows");
        wide.zero_();
        assertEquals(0, base.sum().item());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void an_in_place_op_whose_input_partly_overlaps_its_output_is_refused(Device d) {
        OnDevice.use(d);
        Tensor a = Tensor.arange(9).reshape(3, 3);
        for (Runnable op : List.<Runnable>of(() -> a.add_(a.t()), () -> a.copy_(a.t()),
                () -> a.view(9).asStrided(new long[] {8}, new long[] {1}, 1).add_(a.view(9).asStrided(new long[] {8},
                        new long[] {1}, 0)),
                () -> a.get(0).add_(a.get(0, 1)))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op::run);
            assertTrue(e.getMessage().contains("some elements of the input tensor and the written-to tensor refer to "
                    + "a single memory location"), e.getMessage());
        }
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, a.toDoubleArray(), "nothing was written");
        a.add_(a);
        assertArrayEquals(new double[] {0, 2, 4, 6, 8, 10, 12, 14, 16}, a.toDoubleArray(), "the same view is fine");
        Tensor flat = a.view(9);
        flat.asStrided(new long[] {4}, new long[] {1}, 5).add_(flat.asStrided(new long[] {4}, new long[] {1}, 0));
        assertArrayEquals(new double[] {0, 2, 4, 6, 8, 10, 14, 18, 22}, a.toDoubleArray(), "disjoint is fine");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_broadcast_view_whose_base_changed_in_place_sums_its_gradient_over_the_broadcast(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(1, 2).requiresGrad_();
        Tensor y = x.mul(1);
        Tensor e = y.expand(3, 2);
        y.add_(1);
        assertEquals("AsStridedBackward0", e.gradFn().name());
        e.mul(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, DType.FLOAT32, 3, 2)).sum().backward();
        assertArrayEquals(new double[] {9, 12}, x.grad().toDoubleArray());
    }
}
