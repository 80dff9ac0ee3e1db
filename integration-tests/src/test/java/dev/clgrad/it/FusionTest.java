package dev.clgrad.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.clgrad.Autograd;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;
import dev.clgrad.spi.MemoryStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Laziness and fusion as a user sees them: what runs (launches, fused kernels, cache hits),
 * what is never allocated, that errors stay at the call that caused them, that results equal
 * unfused ones bit for bit, and that a kernel that does not build falls back with a warning.
 * Shapes hold 65536 elements, so that the CPU device defers them too.
 */
@ExtendWith(OnDevice.class)
class FusionTest {
    private static final String DEVICES = "dev.clgrad.it.OnDevice#devices";
    private static final int N = 1 << 16;

    /** Every test starts with fusion on (the default; the fusion-off run of the suite turns it off). */
    @BeforeEach
    void fusionOn() {
        Device.available().forEach(d -> d.setFusing(true));
    }

    @AfterEach
    void fusionAsConfigured() {
        boolean on = !"off".equals(System.getProperty("clgrad.fusion", "on").trim());
        Device.available().forEach(d -> d.setFusing(on));
    }

    /** The seed expression's step, W2's body: forward, backward, gradient accumulated in place. */
    private static void seedStep(Tensor x) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor z = x.add(1).pow(2).mul(5).mean();
            z.backward();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void the_seed_step_runs_as_one_fused_kernel_and_the_forward_nobody_reads_not_at_all(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.rand(N).requiresGrad_();
        // the first step clones the gradient in, later ones add to it; a loop's kernel is built
        // the second time its graph runs (one-off graphs are not worth a compilation)
        for (int step = 0; step < 3; step++) {
            seedStep(x);
            d.synchronize();
        }
        Device.Counters before = d.counters();
        seedStep(x);
        d.synchronize();
        Device.Counters after = d.counters();
        assertEquals(1, after.launches() - before.launches(), "one launch per step: " + before + " -> " + after);
        assertEquals(1, after.fusedKernels() - before.fusedKernels());
        assertTrue(after.elided() - before.elided() >= 4, "add, pow, mul and the mean are never run forward");
        assertEquals(11, after.primitives() - before.primitives(), "the runtime still asks for every op");
        assertEquals(0, after.kernelsBuilt() - before.kernelsBuilt(), "the kernel was built by an earlier step");
        if (!d.isCpu()) {
            assertEquals(1, after.kernelCacheHits() - before.kernelCacheHits(), "and is found again");
        }
        float[] fused = x.grad().toFloatArray();
        x.grad().zero_();
        d.setFusing(false);
        try {
            for (int step = 0; step < 4; step++) {
                seedStep(x);
            }
            assertArrayEquals(x.grad().toFloatArray(), fused, 0f, "the same bits unfused");
        } finally {
            d.setFusing(true);
            x.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void an_intermediate_closed_unread_is_never_allocated(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.rand(N + 17);
        Tensor warmed;
        try (TensorScope warm = TensorScope.open()) {
            // a graph's kernel is built the second time it runs; the first run is unfused
            warmed = warm.keep(x.add(1).mul(2).exp().sub(x).sigmoid());
        }
        warmed.toFloatArray();
        warmed.close();
        d.synchronize();
        d.emptyCache();
        long live = d.memoryStats().liveBytes();
        Tensor kept;
        try (TensorScope scope = TensorScope.open()) {
            kept = scope.keep(x.add(1).mul(2).exp().sub(x).sigmoid());
        }
        MemoryStats after = d.memoryStats();
        assertEquals(0, after.cachedBytes(), "no intermediate was allocated and given back: " + after);
        assertTrue(after.liveBytes() - live <= 6L * (N + 17), "only the kept result is new (in a buffer rounded up "
                + "to its size class), not four more intermediates: " + after + ", " + live + " live before");
        float[] xs = x.toFloatArray();
        float[] ks = kept.toFloatArray();
        d.setFusing(false);
        try (TensorScope scope = TensorScope.open()) {
            assertArrayEquals(x.add(1).mul(2).exp().sub(x).sigmoid().toFloatArray(), ks, 0f);
        } finally {
            d.setFusing(true);
        }
        assertEquals(xs.length, ks.length);
        kept.close();
        x.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void shape_and_dtype_errors_stay_at_the_call_that_caused_them(Device d) {
        OnDevice.use(d);
        try (TensorScope scope = TensorScope.open()) {
            Tensor a = Tensor.rand(N).add(1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> a.mul(Tensor.rand(N + 1)));
            assertTrue(e.getMessage().contains(String.valueOf(N + 1)), e.getMessage());
            // the pending work before the error is intact
            assertEquals(a.sub(1).sum().item(), Tensor.rand(0).sum().item() + a.sub(1).sum().item(), 1e-3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void in_place_chains_fuse_and_respect_what_was_read_before(Device d) {
        OnDevice.use(d);
        Supplier<List<float[]>> program = () -> {
            Tensor.manualSeed(3);
            List<float[]> out = new ArrayList<>();
            try (TensorScope scope = TensorScope.open()) {
                Tensor p = Tensor.randn(N);
                Tensor m = Tensor.zeros(N);
                Tensor v = Tensor.zeros(N);
                for (int step = 0; step < 3; step++) {
                    Tensor g = p.mul(2);
                    Tensor before = p.mul(1.5); // read before the update below
                    m.mul_(0.9).add_(g.mul(0.1));
                    v.mul_(0.999).addcmul_(g, g, 0.001);
                    p.addcdiv_(m, v.sqrt().add(1e-8), -0.01);
                    out.add(before.toFloatArray());
                }
                out.add(p.toFloatArray());
                out.add(m.toFloatArray());
                out.add(v.toFloatArray());
            }
            return out;
        };
        List<float[]> fused = program.get();
        d.setFusing(false);
        List<float[]> unfused;
        try {
            unfused = program.get();
        } finally {
            d.setFusing(true);
        }
        for (int k = 0; k < fused.size(); k++) {
            assertArrayEquals(unfused.get(k), fused.get(k), 0f, "value " + k);
        }
    }

    /** A chain and the reductions that end it, closed unread but for the reductions. */
    private static Tensor[] reduceEndings(Tensor x) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor rows = x.reshape(256, N / 256);
            return new Tensor[] {
                scope.keep(x.mul(0.5).exp().sub(1).sum()),
                scope.keep(rows.mul(rows).add(1).log().amax(new int[] {1}, true)),
                scope.keep(rows.neg().exp().sum(1, false)),
                scope.keep(x.abs().sqrt().mean())
            };
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_reduction_ends_the_fused_chain_before_it_and_what_it_reduces_is_never_stored(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.rand(N).mul(4).sub(2);
        x.toFloatArray();
        for (int warm = 0; warm < 2; warm++) {
            // kernels are built the second time a graph runs
            for (Tensor t : reduceEndings(x)) {
                t.toFloatArray();
                t.close();
            }
        }
        d.synchronize();
        d.emptyCache();
        long live = d.memoryStats().liveBytes();
        Device.Counters before = d.counters();
        Tensor[] results = reduceEndings(x);
        d.synchronize();
        Device.Counters after = d.counters();
        MemoryStats memory = d.memoryStats();
        // four chains, each ending in its reduction: one fused kernel each, plus the mean's division
        assertEquals(4, after.fusedKernels() - before.fusedKernels(), before + " -> " + after);
        assertEquals(5, after.launches() - before.launches(), before + " -> " + after);
        assertEquals(0, after.kernelsBuilt() - before.kernelsBuilt(), "built by the earlier rounds");
        // a full reduction's partial results (a few hundred bytes on OpenCL) are all that was given back
        assertTrue(memory.cachedBytes() < 4L * N, "no intermediate was allocated and given back: " + memory);
        assertTrue(memory.liveBytes() - live < 4L * N, "nothing of the chains' size was kept: " + memory
                + ", " + live + " live before");
        List<float[]> fused = new ArrayList<>();
        for (Tensor t : results) {
            fused.add(t.toFloatArray());
            t.close();
        }
        d.setFusing(false);
        try {
            Tensor[] unfused = reduceEndings(x);
            for (int k = 0; k < unfused.length; k++) {
                assertArrayEquals(unfused[k].toFloatArray(), fused.get(k), 0f, "reduction " + k + ", the same bits");
                unfused[k].close();
            }
        } finally {
            d.setFusing(true);
        }
        double expected = 0;
        for (float v : x.toFloatArray()) {
            expected += Math.exp(0.5 * v) - 1;
        }
        assertEquals(expected, fused.get(0)[0], 1e-4 * Math.abs(expected));
        x.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_one_element_graph_whose_steps_differ_in_shape_keeps_their_order(Device d) {
        OnDevice.use(d);
        // found by the property test's long mode: steps of shape [1] and [1, 1] in one graph, where a
        // [1, 1] step (evaluated "once") reads a [1] step; a large call queued first keeps the CPU
        // device from running the small ones at once
        Supplier<float[]> program = () -> {
            try (TensorScope scope = TensorScope.open()) {
                Tensor big = Tensor.ones(N).sum(); // ends its own group: the rest is one element only
                Tensor x = Tensor.of(new float[] {0.75f}, 1);
                Tensor w = Tensor.of(new float[] {-2.5f}, 1, 1);
                Tensor p = x.exp().mul(3);
                Tensor q = p.reshape(1, 1).sub(w).abs().log1p();
                Tensor r = q.mul(p).sub(w);
                return new float[] {r.item() == 0 ? 0 : (float) r.item(), (float) big.sum().item()};
            }
        };
        float[] fused = program.get();
        d.setFusing(false);
        float[] unfused;
        try {
            unfused = program.get();
        } finally {
            d.setFusing(true);
        }
        assertArrayEquals(unfused, fused, 0f);
        double p = 3 * Math.exp(0.75);
        assertEquals((float) (Math.log1p(Math.abs(p + 2.5)) * p + 2.5), fused[0], 1e-4f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void double_backward_runs_through_fused_backward_kernels(Device d) {
        OnDevice.use(d);
        Supplier<float[][]> program = () -> {
            try (TensorScope scope = TensorScope.open()) {
                Tensor x = Tensor.arange(N).div(N).requiresGrad_();
                Tensor y = x.add(1).pow(3).mul(5).sum();
                Tensor g = Autograd.grad(List.of(y), List.of(x), null, true, true).get(0);
                Tensor gg = Autograd.grad(List.of(g.sum()), List.of(x), null, false, false).get(0);
                return new float[][] {g.toFloatArray(), gg.toFloatArray()};
            }
        };
        float[][] fused = program.get();
        d.setFusing(false);
        float[][] unfused;
        try {
            unfused = program.get();
        } finally {
            d.setFusing(true);
        }
        assertArrayEquals(unfused[0], fused[0], 0f);
        assertArrayEquals(unfused[1], fused[1], 0f);
        assertEquals(30f * (1 + 0.5f), fused[1][N / 2], 1e-3f, "d2/dx2 5(x+1)^3 = 30(x+1)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void threads_sharing_pending_values_see_the_values(Device d) throws Exception {
        OnDevice.use(d);
        Tensor shared = Tensor.arange(N).mul(0.5).add(1); // pending until someone needs it
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Double>> sums = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int k = t;
                sums.add(pool.submit(() -> {
                    try (TensorScope scope = TensorScope.open()) {
                        return shared.mul(k).add(k).sum().item();
                    }
                }));
            }
            double base = 0.5 * N * (N - 1) / 2 + N;
            for (int t = 0; t < 8; t++) {
                assertEquals(t * base + (double) t * N, sums.get(t).get(), 1e-5 * (t * base + 1) + 1);
            }
        } finally {
            pool.shutdown();
            shared.close();
        }
    }

    @Test
    void a_fused_kernel_that_does_not_build_runs_unfused_with_one_warning() {
        List<Device> openCL = TestDevices.openCL();
        if (openCL.isEmpty()) {
            assertTrue(!TestDevices.openCLRequired(), TestDevices.noOpenCLMessage());
            org.junit.jupiter.api.Assumptions.abort(TestDevices.noOpenCLMessage());
        }
        Device d = OnDevice.use(openCL.get(0));
        Logger log = (Logger) LoggerFactory.getLogger("dev.clgrad.opencl.ClFused");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        log.addAppender(seen);
        String old = System.setProperty("clgrad.fusion.buildOptions", "-cl-no-such-option-for-clgrad-tests");
        System.setProperty("clgrad.fusion.compileAfter", "1");
        long fallbacks = d.backend().fusionStats().fallbacks();
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.arange(64).div(7);
            x.toFloatArray();
            seen.list.clear();
            fallbacks = d.backend().fusionStats().fallbacks();
            float[] first = x.tanh().mul(3).add(x).toFloatArray();
            float[] again = x.tanh().mul(3).add(x).toFloatArray();
            d.setFusing(false);
            float[] unfused = x.tanh().mul(3).add(x).toFloatArray();
            assertArrayEquals(unfused, first, 0f);
            assertArrayEquals(unfused, again, 0f);
        } finally {
            d.setFusing(true);
            System.clearProperty("clgrad.fusion.compileAfter");
            if (old == null) {
                System.clearProperty("clgrad.fusion.buildOptions");
            } else {
                System.setProperty("clgrad.fusion.buildOptions", old);
            }
            log.detachAppender(seen);
        }
        long warnings = seen.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
        assertEquals(1, warnings, "one WARN for the structure, not one per run: " + seen.list);
        String message = seen.list.get(0).getFormattedMessage();
        assertTrue(message.contains("tanh") && message.contains("mul_scalar") && message.contains("run unfused"),
                message);
        assertEquals(2, d.backend().fusionStats().fallbacks() - fallbacks);
    }
}
