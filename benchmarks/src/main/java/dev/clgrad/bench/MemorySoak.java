package dev.clgrad.bench;

import dev.clgrad.Autograd;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;
import dev.clgrad.spi.MemoryStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The memory soak test, kept out of the unit tests for its length: trains a 784-256-10 MLP
 * (batch 64, MSE against one-hot targets, SGD) for many steps on each device, once with a
 * {@link TensorScope} per step and once the PyTorch way, never closing anything, and checks that
 * live and cached device bytes and the heap stay flat, and that after a collection the device
 * holds what the model holds, as exactly as with scopes.
 *
 * <pre>
 * mvn -q -B -pl benchmarks -am package -DskipTests exec:exec -Dbench.main=dev.clgrad.bench.MemorySoak -Dbench="100000"
 * </pre>
 *
 * Arguments: steps (default 100000), then device names (default: every device). Fails (a
 * non-zero exit) when a check fails, after printing every figure.
 */
public final class MemorySoak {
    private static final int BATCH = 64;
    private static final int IN = 784;
    private static final int HIDDEN = 256;
    private static final int OUT = 10;
    private static final int SAMPLES = 20;

    private MemorySoak() {
    }

    /** One sample of the memory figures. */
    private record Sample(long step, long live, long cached, long heap) {
    }

    /** Runs the soak; see the class comment for the arguments. */
    public static void main(String[] args) throws InterruptedException {
        long steps = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
        List<Device> devices = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            devices.add(Device.of(args[i]));
        }
        if (devices.isEmpty()) {
            devices.addAll(Device.available());
        }
        boolean ok = true;
        System.out.println("| device | style | steps | s/1000 steps | max live+cached MiB (1st half) | max live+cached MiB "
                + "(2nd half) | max heap MiB (1st half) | max heap MiB (2nd half) | live after GC = model | GC-reclaimed |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Device d : devices) {
            for (boolean scoped : new boolean[] {true, false}) {
                ok &= run(d, scoped, steps);
            }
        }
        if (!ok) {
            throw new IllegalStateException("the soak test failed: see the FAILED lines above");
        }
    }

    private static boolean run(Device d, boolean scoped, long steps) throws InterruptedException {
        Device.setDefault(d);
        settle(d);
        long before = d.memoryStats().liveBytes();
        Tensor.manualSeed(0);
        Tensor x = Tensor.rand(BATCH, IN);
        float[] oneHot = new float[BATCH * OUT];
        for (int i = 0; i < BATCH; i++) {
            oneHot[i * OUT + (i * 7) % OUT] = 1f;
        }
        Tensor target = Tensor.of(oneHot, BATCH, OUT);
        List<Tensor> params = List.of(Tensor.rand(IN, HIDDEN).sub(0.5).mul(0.05).requiresGrad_(),
                Tensor.zeros(HIDDEN).requiresGrad_(), Tensor.rand(HIDDEN, OUT).sub(0.5).mul(0.1).requiresGrad_(),
                Tensor.zeros(OUT).requiresGrad_());
        step(params, x, target, true);
        settle(d);
        long model = d.memoryStats().liveBytes() - before;
        long reclaimedBefore = Tensor.gcReclaimedCount();
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        for (long s = 1; s <= steps; s++) {
            step(params, x, target, scoped);
            if (s % Math.max(1, steps / (2 * SAMPLES)) == 0) {
                d.synchronize();
                MemoryStats m = d.memoryStats();
                Runtime rt = Runtime.getRuntime();
                samples.add(new Sample(s, m.liveBytes(), m.cachedBytes(), rt.totalMemory() - rt.freeMemory()));
                if (System.getProperty("soak.trace") != null) {
                    System.out.println(s + " live " + m.liveBytes() + " cached " + m.cachedBytes());
                }
            }
        }
        d.synchronize();
        double secondsPer1000 = (System.nanoTime() - start) / 1e9 / steps * 1000;
        settle(d);
        long after = d.memoryStats().liveBytes() - before;
        long reclaimed = Tensor.gcReclaimedCount() - reclaimedBefore;
        long[] first = maxima(samples.subList(0, samples.size() / 2));
        long[] second = maxima(samples.subList(samples.size() / 2, samples.size()));
        // flat: the second half never needs more than the first half plus a little slack
        boolean flatDevice = second[0] <= first[0] + Math.max(first[0] / 4, 8L << 20);
        boolean flatHeap = second[1] <= first[1] + Math.max(first[1] / 2, 64L << 20);
        boolean backToModel = after == model;
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %.2f | %.1f | %.1f | %.1f | %.1f | %s | %d |%n", d,
                scoped ? "TensorScope" : "no scopes", steps, secondsPer1000, mib(first[0]), mib(second[0]),
                mib(first[1]), mib(second[1]), backToModel ? "yes (" + model + " B)" : "NO: " + after + " vs " + model,
                reclaimed);
        x.close();
        target.close();
        params.forEach(p -> {
            p.grad().close();
            p.close();
        });
        if (!flatDevice || !flatHeap || !backToModel) {
            System.out.println("FAILED: " + (flatDevice ? "" : "device bytes grew; ") + (flatHeap ? "" : "heap grew; ")
                    + (backToModel ? "" : "live bytes after a collection differ from the model's"));
            return false;
        }
        return true;
    }

    private static void step(List<Tensor> params, Tensor x, Tensor target, boolean scoped) {
        TensorScope scope = scoped ? TensorScope.open() : null;
        try {
            for (Tensor p : params) {
                if (p.grad() != null) {
                    p.grad().zero_();
                }
            }
            Tensor h = x.matmul(params.get(0)).add(params.get(1)).relu();
            Tensor loss = h.matmul(params.get(2)).add(params.get(3)).sub(target).pow(2).mean();
            loss.backward();
            try (var g = Autograd.noGrad()) {
                for (Tensor p : params) {
                    p.add_(p.grad().mul(-0.01));
                }
            }
        } finally {
            if (scope != null) {
                scope.close();
            }
        }
    }

    /** Collects until the device's live bytes stop changing (the collector's releases are asynchronous). */
    private static void settle(Device d) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 50; i++) {
            System.gc();
            Thread.sleep(20);
            d.synchronize();
            long live = d.memoryStats().liveBytes();
            if (live == last) {
                return;
            }
            last = live;
        }
    }

    private static long[] maxima(List<Sample> samples) {
        long device = 0;
        long heap = 0;
        for (Sample s : samples) {
            device = Math.max(device, s.live() + s.cached());
            heap = Math.max(heap, s.heap());
        }
        return new long[] {device, heap};
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }
}
