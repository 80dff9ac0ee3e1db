package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;
import dev.clgrad.opencl.ClBackend;
import dev.clgrad.opencl.ClStrategy;
import dev.clgrad.spi.DeviceInfo;
import dev.clgrad.spi.MemoryStats;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How work runs on an OpenCL device: backward entirely on the device (no transfer to the host),
 * gradients accumulated in place, buffers reused by the caching allocator, several Java threads
 * on one device, and clear errors for tensors of two devices. Runs on every OpenCL device;
 * {@link RequireOpenCLTest} makes their absence loud.
 */
@ExtendWith(OnDevice.class)
class OpenCLExecutionTest {
    /**
     * The OpenCL devices, or one null named "no OpenCL device", which {@link #present} turns into
     * a visible skip of each test (a failure in CI through {@link RequireOpenCLTest}).
     */
    static Stream<Named<Device>> openCLDevices() {
        List<Device> devices = TestDevices.openCL();
        if (devices.isEmpty()) {
            return Stream.of(Named.of("no OpenCL device", null));
        }
        return devices.stream().map(d -> Named.of(d.name(), d));
    }

    private static Device present(Device d) {
        Assumptions.assumeTrue(d != null, TestDevices::noOpenCLMessage);
        return d;
    }

    private static ClBackend backend(Device d) {
        return (ClBackend) d.backend();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openCLDevices")
    void kernels_follow_the_device_type_unless_the_run_asks_for_others(Device d) {
        present(d);
        String asked = System.getProperty("clgrad.opencl.strategy");
        ClStrategy expected = asked != null ? ClStrategy.valueOf(asked.toUpperCase(Locale.ROOT))
                : d.info().type() == DeviceInfo.Type.CPU ? ClStrategy.CPU : ClStrategy.GPU;
        assertEquals(expected, backend(d).strategy(), backend(d).toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openCLDevices")
    void backward_runs_on_the_device_without_a_single_transfer_to_the_host(Device d) {
        present(d);
        OnDevice.use(d);
        Tensor x = Tensor.rand(257, 33).requiresGrad_();
        Tensor w = Tensor.randn(33, 5).requiresGrad_();
        Tensor b = Tensor.zeros(5).requiresGrad_();
        Tensor loss = x.matmul(w).add(b).relu().sub(0.5).pow(2).mean().add(w.pow(2).sum().mul(1e-3));
        long before = d.counters().hostReads();
        loss.backward();
        d.synchronize();
        assertEquals(before, d.counters().hostReads(), "device-to-host reads during backward()");
        for (Tensor t : List.of(x, w, b)) {
            assertSame(d, t.grad().device(), "grad() lives where its tensor does");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openCLDevices")
    void a_second_backward_adds_into_the_same_grad_tensor_on_the_device(Device d) {
        present(d);
        OnDevice.use(d);
        Tensor x = Tensor.arange(4).requiresGrad_();
        x.add(1).pow(2).mul(5).mean().backward();
        Tensor grad = x.grad();
        long before = d.counters().hostReads();
        x.add(1).pow(2).mul(5).mean().backward();
        assertEquals(before, d.counters().hostReads(), "device-to-host reads during the second backward()");
        assertSame(grad, x.grad(), "AccumulateGrad adds in place into the existing grad()");
        assertSame(d, grad.device());
        assertArrayEquals(new double[] {5, 10, 15, 20}, grad.toDoubleArray(), 1e-6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openCLDevices")
    void fresh_results_in_a_loop_reuse_cached_buffers(Device d) throws InterruptedException {
        present(d);
        OnDevice.use(d);
        Tensor a = Tensor.rand(1 << 16);
        Tensor b = Tensor.rand(1 << 16);
        try (Tensor warm = a.add(b)) {
            d.synchronize();
        }
        TestDevices.settledLiveBytes(d); // no garbage of earlier tests left to be released mid-test
        MemoryStats start = d.memoryStats();
        for (int i = 0; i < 100; i++) {
            try (TensorScope s = TensorScope.open()) {
                a.add(b).mul(2).exp();
            }
        }
        d.synchronize();
        MemoryStats end = d.memoryStats();
        assertEquals(start.liveBytes(), end.liveBytes(), "every result was closed");
        assertTrue(end.cachedBytes() <= start.cachedBytes() + 3 * 4L * (1 << 16) * 5 / 4,
                "the cache holds a pass's buffers, not a hundred passes': " + start + " -> " + end);
        assertTrue(end.peakBytes() >= end.liveBytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openCLDevices")
    void several_threads_share_one_device_and_each_gets_its_own_answer(Device d) throws Exception {
        present(d);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int k = t;
                results.add(pool.submit(() -> {
                    double[] sums = new double[20];
                    for (int i = 0; i < sums.length; i++) {
                        Tensor x = Tensor.full(k + 1, DType.FLOAT32, d, 4097).requiresGrad_();
                        Tensor y = x.mul(x).sum();
                        y.backward();
                        sums[i] = y.item() + x.grad().sum().item();
                    }
                    return sums;
                }));
            }
            for (int t = 0; t < results.size(); t++) {
                double v = t + 1;
                double expected = 4097 * v * v + 4097 * 2 * v;
                for (double s : results.get(t).get()) {
                    assertEquals(expected, s, expected * 1e-6, "thread " + t);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openCLDevices")
    void to_moves_values_between_devices_and_mixing_devices_is_an_error_that_says_how_to_fix_it(Device d) {
        present(d);
        Tensor onCpu = Tensor.of(new double[] {1, 2, 3}, DType.FLOAT32, Device.cpu(), 3);
        Tensor onDevice = onCpu.to(d);
        assertSame(d, onDevice.device());
        assertArrayEquals(new double[] {1, 2, 3}, onDevice.toDoubleArray());
        assertArrayEquals(new double[] {2, 4, 6}, onDevice.mul(2).to(Device.cpu()).toDoubleArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> onCpu.add(onDevice));
        assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains(d.name())
                && e.getMessage().contains("to(Device)"), e.getMessage());
    }
}
