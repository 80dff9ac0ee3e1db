package dev.clgrad.bench;

import dev.clgrad.Device;
import dev.clgrad.Tensor;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * W6: the first seed notebook's graph at n = 4 ({@code y = 5 (x + 1)^2}, {@code z = mean(y)},
 * {@code z.backward()}), forward and backward per call. At this size every op is pure
 * dispatch overhead: tensor and node creation, the engine's sweep, the kernel call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SmallGraphBenchmark {
    @Param({"cpu"})
    public String device;

    private Tensor x;

    @Setup
    public void setUp() {
        Device.setDefault(Device.of(device));
        x = Tensor.arange(4).requiresGrad_();
    }

    /** Forward and backward of the seed expression; the gradient accumulates in place into x.grad(). */
    @Benchmark
    public Tensor seedForwardBackward() {
        Tensor z = x.add(1).pow(2).mul(5).mean();
        z.backward();
        return x.grad();
    }
}
