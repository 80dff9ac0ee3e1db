package dev.clgrad.bench;

import org.openjdk.jmh.annotations.Mode;

import java.util.List;
import java.util.Map;

/**
 * One row kind of the performance table: which JMH benchmark (and parameter) measures it, how
 * its time converts to a rate, the PyTorch peer's name for it, the machine limit it is bound by,
 * and issue 4's targets for this 2-core machine.
 *
 * @param id short name (W1 ... W6)
 * @param title what the workload is
 * @param benchmark the JMH benchmark method, {@code Class.method}
 * @param params JMH parameters besides {@code device} that select this workload
 * @param work units of work per call: bytes for memory-bound workloads, FLOPs for compute-bound
 *     ones, 1 for latency
 * @param rateUnit {@code GB/s}, {@code GFLOP/s} or {@code iter/s}
 * @param torchName the workload's name in {@code bench_torch.py}'s RESULT lines
 * @param limitName the probe LIMIT line that bounds it ({@code null}: none, it is latency)
 * @param cpuTargetMs target median on the CPU backend, in ms
 * @param oclTargetMs target median on OpenCL running on this machine's CPU (PoCL), in ms
 */
record Workload(String id, String title, String benchmark, Map<String, String> params, double work,
                String rateUnit, String torchName, String limitName, double cpuTargetMs, double oclTargetMs) {

    private static final long N24 = 1L << 24;
    private static final long N22 = 1L << 22;
    /** The PyTorch peer's convention for the MLP step: three times the forward matmul FLOPs. */
    private static final double MLP_FLOP = 3.0 * 2 * 128 * (784 * 256 + 256 * 10);

    /** JMH mode every workload benchmark uses: sampled, so that a median exists. */
    static final Mode MODE = Mode.SampleTime;

    /** Issue 4's workloads in table order. */
    static List<Workload> all() {
        return List.of(
                new Workload("W1", "add 2^24, fresh result", "BandwidthBenchmark.addFresh", Map.of(),
                        12.0 * N24, "GB/s", "W1 add 2^24 (alloc)", "stream-w1add", 10, 10),
                new Workload("W2", "seed fwd+bwd 2^22", "SeedBenchmark.seedForwardBackward", Map.of("n", "4194304"),
                        8.0 * N22, "GB/s", "W2 seed fwd+bwd 2^22", "stream-w2fused", 15, 12),
                new Workload("W3", "sum 2^24", "BandwidthBenchmark.sum", Map.of(),
                        4.0 * N24, "GB/s", "W3 sum 2^24", "stream-w3sum", 3, 3),
                new Workload("W4", "matmul 1024", "MatmulBenchmark.matmul", Map.of("size", "1024"),
                        2.0 * 1024 * 1024 * 1024, "GFLOP/s", "W4 matmul 1024", "fma-peak", 35, 45),
                new Workload("W4", "matmul 2048", "MatmulBenchmark.matmul", Map.of("size", "2048"),
                        2.0 * 2048 * 2048 * 2048, "GFLOP/s", "W4 matmul 2048", "fma-peak", Double.NaN, Double.NaN),
                new Workload("W5", "MLP step 128x784-256-10", "MlpStepBenchmark.step", Map.of(),
                        MLP_FLOP, "GFLOP/s", "W5 MLP step (MSE)", "fma-peak", 2.5, 4),
                new Workload("W6", "seed fwd+bwd n=4", "SeedBenchmark.seedForwardBackward", Map.of("n", "4"),
                        1, "iter/s", "W6 seed n=4 fwd+bwd", null, 0.010, 0.060));
    }

    /** The rate at a median of {@code ms} milliseconds, in {@link #rateUnit}. */
    double rate(double ms) {
        double perSecond = work / (ms / 1e3);
        return rateUnit.equals("iter/s") ? perSecond : perSecond / 1e9;
    }

}
