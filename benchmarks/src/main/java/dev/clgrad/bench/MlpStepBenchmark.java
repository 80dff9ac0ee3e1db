package dev.clgrad.bench;

import dev.clgrad.Autograd;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * W5: one training step of a two-layer perceptron, batch 128, 784 -> 256 -> ReLU -> 10, mean
 * squared error against one-hot targets: forward, backward, and a plain SGD update written as a
 * user would, in place under {@link Autograd#noGrad()}. The step's intermediates live in a
 * {@link TensorScope}; the gradients stay in {@code grad()} and are zeroed each step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class MlpStepBenchmark {
    private static final int BATCH = 128;
    private static final int IN = 784;
    private static final int HIDDEN = 256;
    private static final int OUT = 10;
    private static final double LR = 0.01;

    @Param({"cpu", "opencl:0"})
    public String device;

    /** Lazy evaluation and kernel fusion: {@code -p fusion=on,off} compares both in one run. */
    @Param({"on"})
    public String fusion;

    private Device dev;
    private Tensor x;
    private Tensor target;
    private List<Tensor> params;

    @Setup
    public void setUp() {
        dev = Device.of(device);
        dev.setFusing(fusion.equals("on"));
        Device.setDefault(dev);
        Tensor.manualSeed(0);
        x = Tensor.rand(BATCH, IN);
        float[] oneHot = new float[BATCH * OUT];
        for (int i = 0; i < BATCH; i++) {
            oneHot[i * OUT + (i * 7) % OUT] = 1f;
        }
        target = Tensor.of(oneHot, BATCH, OUT).to(dev);
        double s1 = 1 / Math.sqrt(IN);
        double s2 = 1 / Math.sqrt(HIDDEN);
        params = List.of(
                uniform(s1, IN, HIDDEN), uniform(s1, HIDDEN),
                uniform(s2, HIDDEN, OUT), uniform(s2, OUT));
        step();
        dev.synchronize();
    }

    /** U(-bound, bound) leaf that requires grad, as nn.Linear initialises. */
    private static Tensor uniform(double bound, long... shape) {
        try (Tensor r = Tensor.rand(shape)) {
            Tensor p = r.mul(2 * bound).sub(bound);
            return p.requiresGrad_();
        }
    }

    @TearDown
    public void tearDown() {
        x.close();
        target.close();
        params.forEach(Tensor::close);
    }

    /** Forward, backward and SGD update; returns after the device has finished. */
    @Benchmark
    public void step() {
        try (TensorScope scope = TensorScope.open()) {
            for (Tensor p : params) {
                if (p.grad() != null) {
                    p.grad().zero_();
                }
            }
            Tensor h = x.matmul(params.get(0)).add(params.get(1)).relu();
            Tensor out = h.matmul(params.get(2)).add(params.get(3));
            Tensor loss = out.sub(target).pow(2).mean();
            loss.backward();
            try (var g = Autograd.noGrad()) {
                for (Tensor p : params) {
                    p.add_(p.grad().mul(-LR));
                }
            }
        }
        dev.synchronize();
    }
}
