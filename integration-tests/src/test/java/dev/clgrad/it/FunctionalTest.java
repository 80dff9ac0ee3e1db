package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.nn.Dropout;
import dev.clgrad.nn.Functional;
import dev.clgrad.nn.Reduction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dev.clgrad.nn.Functional beyond the golden values of {@link NnGoldenTest}: dropout's mask (the
 * same on every device for a seed), its identities and its checks; loss and linear errors; gradient
 * clipping's edge cases; on every device.
 */
@ExtendWith(OnDevice.class)
class FunctionalTest {
    private static final String DEVICES = "dev.clgrad.it.OnDevice#devices";

    @Test
    void dropout_gives_the_same_mask_on_every_device_for_the_same_seed() {
        List<float[]> outputs = new ArrayList<>();
        List<float[]> grads = new ArrayList<>();
        for (Device d : TestDevices.all()) {
            OnDevice.use(d);
            Tensor x = Tensor.ones(1000).requiresGrad_();
            Tensor.manualSeed(1234);
            Tensor y = new Dropout(0.3).forward(x);
            y.sum().backward();
            outputs.add(y.toFloatArray());
            grads.add(x.grad().toFloatArray());
        }
        for (int i = 1; i < outputs.size(); i++) {
            assertArrayEquals(outputs.get(0), outputs.get(i), TestDevices.all().get(i) + " vs " + TestDevices.all().get(0));
            assertArrayEquals(grads.get(0), grads.get(i));
        }
        assertTrue(outputs.size() >= 2 || !TestDevices.openCLRequired(), TestDevices.noOpenCLMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void dropout_zeroes_about_p_of_the_elements_and_scales_the_rest(Device d) {
        OnDevice.use(d);
        Tensor.manualSeed(7);
        Tensor x = Tensor.ones(20000).requiresGrad_();
        Tensor y = Functional.dropout(x, 0.25, true);
        assertEquals("MulBackward0(AccumulateGrad, None)", GoldenGraphsTest.dump(y.gradFn()));
        int zeros = 0;
        for (float v : y.toFloatArray()) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / 0.75f, v, 1e-6f);
            }
        }
        assertEquals(0.25, zeros / 20000.0, 0.015);
        y.sum().backward();
        assertArrayEquals(y.toFloatArray(), x.grad().toFloatArray(), "the gradient is the same mask");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void dropout_returns_its_input_when_not_training_with_p_zero_or_when_empty_and_zeroes_with_p_one(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.ones(3, 2).requiresGrad_();
        assertSame(x, Functional.dropout(x, 0.5, false));
        assertSame(x, Functional.dropout(x, 0.0, true));
        Tensor empty = Tensor.zeros(0, 3);
        assertSame(empty, Functional.dropout(empty, 0.5, true));
        Tensor zeroed = Functional.dropout(x, 1.0, true);
        assertArrayEquals(new float[6], zeroed.toFloatArray());
        assertEquals("MulBackward0(AccumulateGrad, None)", GoldenGraphsTest.dump(zeroed.gradFn()));
    }

    @Test
    void dropout_probability_outside_zero_to_one_is_refused_with_pytorchs_message() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
        assertTrue(e.getMessage().contains("dropout probability has to be between 0 and 1, but got 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.dropout(Tensor.ones(2), -0.1, true));
        assertTrue(e.getMessage().contains("dropout probability has to be between 0 and 1, but got -0.1"), e.getMessage());
        assertEquals("Dropout(p=1e-05, inplace=False)", new Dropout(1e-5).toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void losses_refuse_shapes_that_do_not_broadcast(Device d) {
        OnDevice.use(d);
        for (Reduction r : Reduction.values()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Functional.mseLoss(Tensor.zeros(3), Tensor.zeros(4), r));
            assertTrue(e.getMessage().contains(
                    "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0"),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Functional.l1Loss(Tensor.zeros(3), Tensor.zeros(4), r));
        }
        assertEquals(0.25 * 4 / 4, Functional.mseLoss(Tensor.zeros(2, 2), Tensor.full(0.5, 2, 2)).item(), 1e-7);
        assertEquals(2.0, Functional.l1Loss(Tensor.zeros(2, 2), Tensor.full(0.5, 2, 2), Reduction.SUM).item(), 1e-7);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void null_arguments_name_the_function_and_the_argument(Device d) {
        OnDevice.use(d);
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> Functional.linear(null, Tensor.zeros(2, 2), null));
        assertEquals("linear: argument 'x' is null", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> Functional.mseLoss(Tensor.zeros(2), null));
        assertEquals("mseLoss: argument 'target' is null", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> Functional.clipGradNorm_(null, 1));
        assertEquals("clipGradNorm_: argument 'params' is null", e.getMessage());
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> Functional.linear(Tensor.zeros(2), Tensor.zeros(2), null));
        assertTrue(w.getMessage().contains("weight must be 2-D"), w.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void clip_grad_norm_skips_params_without_grad_and_returns_zero_when_none_has_one(Device d) {
        OnDevice.use(d);
        Tensor p = Tensor.zeros(3).requiresGrad_();
        assertEquals(0.0, Functional.clipGradNorm_(List.of(p), 1.0));
        p.setGrad(Tensor.of(3.0, 4.0, 0.0));
        Tensor grad = p.grad();
        assertEquals(5.0, Functional.clipGradNorm_(List.of(p, Tensor.zeros(2).requiresGrad_()), 10.0), 1e-6);
        assertArrayEquals(new float[] {3, 4, 0}, grad.toFloatArray(), "a coefficient of 1 or more changes nothing");
        assertEquals(5.0, Functional.clipGradNorm_(List.of(p), 1.0), 1e-6);
        assertSame(grad, p.grad(), "scaled in place");
        assertArrayEquals(new float[] {0.6f, 0.8f, 0}, grad.toFloatArray(), 1e-6f);
        p.setGrad(Tensor.of(Double.NaN, 1.0, 0.0));
        assertTrue(Double.isNaN(Functional.clipGradNorm_(List.of(p), 1.0)));
        for (float v : p.grad().toFloatArray()) {
            assertTrue(Float.isNaN(v), "a NaN norm passes PyTorch's clamp and reaches every gradient");
        }
    }

    @Test
    void clip_grad_norm_sums_gradients_that_live_on_different_devices() {
        List<Tensor> params = new ArrayList<>();
        for (Device d : TestDevices.all()) {
            Tensor p = Tensor.full(0, DType.FLOAT32, d, 2);
            p.requiresGrad_();
            p.setGrad(Tensor.of(new double[] {3, 4}, DType.FLOAT32, d, 2));
            params.add(p);
        }
        double total = Functional.clipGradNorm_(params, 1.0);
        assertEquals(5.0 * Math.sqrt(params.size()), total, 1e-5);
        for (Tensor p : params) {
            assertEquals(1.0 / Math.sqrt(params.size()), p.grad().norm().item(), 1e-5, p.device().toString());
        }
    }
}
