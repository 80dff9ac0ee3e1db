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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** W4: {@code a.matmul(b)} of two square float32 matrices, a fresh result each call, waited for. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class MatmulBenchmark {
    @Param({"cpu", "opencl:0"})
    public String device;

    /** Lazy evaluation and kernel fusion: {@code -p fusion=on,off} compares both in one run. */
    @Param({"on"})
    public String fusion;

    @Param({"1024", "2048"})
    public long size;

    private Device dev;
    private Tensor a;
    private Tensor b;

    @Setup
    public void setUp() {
        dev = Device.of(device);
        dev.setFusing(fusion.equals("on"));
        Device.setDefault(dev);
        Tensor.manualSeed(0);
        a = Tensor.rand(size, size);
        b = Tensor.rand(size, size);
        dev.synchronize();
    }

    @TearDown
    public void tearDown() {
        a.close();
        b.close();
    }

    /** One product. */
    @Benchmark
    public void matmul() {
        try (Tensor c = a.matmul(b)) {
            dev.synchronize();
        }
    }
}
