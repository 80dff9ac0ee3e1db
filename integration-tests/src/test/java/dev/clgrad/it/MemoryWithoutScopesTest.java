package dev.clgrad.it;

import dev.clgrad.Autograd;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.spi.MemoryStats;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Code that never closes a tensor (the PyTorch habit) stays bounded: tensors the garbage
 * collector finds unreachable go back to their device and leave its live count, on every device
 * (heap-backed CPU buffers too), and a training loop without scopes stays under the high-water
 * mark. The long version of the loop is the soak test ({@code dev.clgrad.bench.MemorySoak}).
 */
@ExtendWith(OnDevice.class)
class MemoryWithoutScopesTest {
    private static final String DEVICES = "dev.clgrad.it.OnDevice#devices";

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void tensors_the_collector_reclaims_go_back_to_their_device_and_are_counted(Device d) throws InterruptedException {
        OnDevice.use(d);
        long before = TestDevices.settledLiveBytes(d);
        long reclaimedBefore = Tensor.gcReclaimedCount();
        for (int i = 0; i < 200; i++) {
            Tensor.ones(1000).mul(i);
        }
        d.synchronize();
        assertTrue(d.memoryStats().liveBytes() > before, "the dropped tensors were live until collected");
        assertEquals(before, TestDevices.settledLiveBytes(d), "every dropped tensor's buffer went back to " + d);
        assertTrue(Tensor.gcReclaimedCount() - reclaimedBefore >= 400,
                "200 products and 200 factors reclaimed: " + (Tensor.gcReclaimedCount() - reclaimedBefore));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_training_loop_without_scopes_stays_bounded_and_returns_to_the_models_size(Device d)
            throws InterruptedException {
        OnDevice.use(d);
        // a request no device can hold fails clearly and leaves the high-water mark as it was
        RuntimeException tooBig = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> Tensor.zeros(1L << 40));
        assertTrue(tooBig.getMessage().contains("1099511627776"), tooBig.getMessage());
        long before = TestDevices.settledLiveBytes(d);
        Tensor.manualSeed(0);
        Tensor x = Tensor.rand(64, 784);
        Tensor target = Tensor.rand(64, 10);
        List<Tensor> params = List.of(Tensor.rand(784, 256).sub(0.5).mul(0.05).requiresGrad_(),
                Tensor.zeros(256).requiresGrad_(), Tensor.rand(256, 10).sub(0.5).mul(0.1).requiresGrad_(),
                Tensor.zeros(10).requiresGrad_());
        step(params, x, target);
        long model = TestDevices.settledLiveBytes(d) - before;
        long maxHeld = 0;
        int steps = d.isCpu() ? 800 : 2500;
        for (int s = 0; s < steps; s++) {
            step(params, x, target);
            if (s % 50 == 0) {
                d.synchronize();
                MemoryStats m = d.memoryStats();
                maxHeld = Math.max(maxHeld, m.liveBytes() + m.cachedBytes());
            }
        }
        assertTrue(maxHeld < 1L << 30, "live + cached bytes reached " + maxHeld + " on " + d);
        assertEquals(model, TestDevices.settledLiveBytes(d) - before, "after a collection " + d + " holds what the model holds");
    }

    private static void step(List<Tensor> params, Tensor x, Tensor target) {
        for (Tensor p : params) {
            if (p.grad() != null) {
                p.grad().zero_();
            }
        }
        Tensor h = x.matmul(params.get(0)).add(params.get(1)).relu();
        h.matmul(params.get(2)).add(params.get(3)).sub(target).pow(2).mean().backward();
        try (var g = Autograd.noGrad()) {
            for (Tensor p : params) {
                p.add_(p.grad().mul(-0.01));
            }
        }
    }
}
