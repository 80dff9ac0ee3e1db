package dev.clgrad.bench;

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

import java.util.concurrent.TimeUnit;

/**
 * W2 and W6: the first seed notebook's expression, {@code y = 5 (x + 1)^2}, {@code z = mean(y)},
 * {@code z.backward()}, forward and backward per call, at {@code n} elements. At 2^22 (W2) it is
 * bound by memory traffic; at 4 (W6) every op is pure dispatch overhead: tensor and node
 * creation, the engine's sweep, the kernel launch.
 *
 * <p>Each call runs in a {@link TensorScope}, so its intermediates go back to the device's
 * buffer cache as a training loop's would, and waits for the device before it returns. The
 * gradient accumulates in place into {@code x.grad()}, which the scope leaves alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SeedBenchmark {
    @Param({"cpu", "opencl:0"})
    public String device;

    /** Lazy evaluation and kernel fusion: {@code -p fusion=on,off} compares both in one run. */
    @Param({"on"})
    public String fusion;

    @Param({"4", "4194304"})
    public long n;

    private Device dev;
    private Tensor x;

    @Setup
    public void setUp() {
        dev = Device.of(device);
        dev.setFusing(fusion.equals("on"));
        Device.setDefault(dev);
        Tensor.manualSeed(0);
        x = n == 4 ? Tensor.arange(4).requiresGrad_() : Tensor.rand(n).requiresGrad_();
        seedForwardBackward();
        dev.synchronize();
    }

    @TearDown
    public void tearDown() {
        x.close();
    }

    /** Forward and backward of the seed expression. */
    @Benchmark
    public void seedForwardBackward() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor z = x.add(1).pow(2).mul(5).mean();
            z.backward();
        }
        dev.synchronize();
    }
}
