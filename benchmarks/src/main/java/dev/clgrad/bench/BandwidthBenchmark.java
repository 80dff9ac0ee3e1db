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
 * W1 and W3, the memory-bound workloads: {@code c = a.add(b)} with a fresh result each call
 * (12 bytes moved per element) and {@code a.sum()} (4 bytes per element), 2^24 float32
 * elements. Each call waits for the device ({@code synchronize}) and closes its result, as a
 * loop that lets each result go would; compare the times with the machine's memory bandwidth
 * ({@code ../shared/peers/stream.c}) measured in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class BandwidthBenchmark {
    @Param({"cpu", "opencl:0"})
    public String device;

    /** Lazy evaluation and kernel fusion: {@code -p fusion=on,off} compares both in one run. */
    @Param({"on"})
    public String fusion;

    @Param({"16777216"})
    public long n;

    private Device dev;
    private Tensor a;
    private Tensor b;

    @Setup
    public void setUp() {
        dev = Device.of(device);
        dev.setFusing(fusion.equals("on"));
        Device.setDefault(dev);
        Tensor.manualSeed(0);
        a = Tensor.rand(n);
        b = Tensor.rand(n);
        dev.synchronize();
    }

    @TearDown
    public void tearDown() {
        a.close();
        b.close();
    }

    /** W1: a fresh result per call. */
    @Benchmark
    public void addFresh() {
        try (Tensor c = a.add(b)) {
            dev.synchronize();
        }
    }

    /**
     * A chain that ends in its reduction, {@code (a * b + 1).sum()}: fused, one pass reads
     * {@code a} and {@code b} (8 bytes per element) and nothing is written; unfused, two
     * intermediates are written and read back.
     */
    @Benchmark
    public double chainSum() {
        Tensor s;
        try (TensorScope scope = TensorScope.open()) {
            s = scope.keep(a.mul(b).add(1).sum());
        }
        try (s) {
            return s.item();
        }
    }

    /** Softmax over rows of 4096: a row max, then {@code exp(x - max)} with its row sum, then a division. */
    @Benchmark
    public void softmaxRows() {
        Tensor y;
        try (TensorScope scope = TensorScope.open()) {
            y = scope.keep(a.reshape(n / 4096, 4096).softmax(1));
        }
        try (y) {
            dev.synchronize();
        }
    }

    /** The largest element (W3's traffic, a maximum instead of a sum), read back to the host. */
    @Benchmark
    public double max() {
        try (Tensor m = a.max()) {
            return m.item();
        }
    }

    /** W3: the sum of every element, read back to the host as a user's {@code item()} would. */
    @Benchmark
    public double sum() {
        try (Tensor s = a.sum()) {
            return s.item();
        }
    }
}
