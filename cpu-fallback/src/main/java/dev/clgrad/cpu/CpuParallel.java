package dev.clgrad.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.IntConsumer;

/**
 * When and how a kernel splits its work across the shared pool of daemon threads.
 *
 * <p>How work is split never changes a result: kernels cut their work into pieces whose
 * boundaries depend only on the problem size and combine partial results in piece order, so
 * the same call gives bit-identical output on one thread or many.
 */
final class CpuParallel {
    /**
     * Work below which a kernel stays on the calling thread, in units of one element of a
     * streaming op such as {@code add}; kernels scale their element count by the costs below.
     *
     * <p>Measured with {@code CpuTimings threshold} on the 2-core development VM (AMD EPYC,
     * JDK 17; medians of 21 rounds, serial and 2-thread split timed back to back, serial/split):
     * one round trip through the pool costs about 19 us (float32 add of 2^11 elements: 0.4 vs
     * 19.7 us). Float32 {@code add} breaks even at 2^19 (352 vs 334 us) and wins at 2^20 (774 vs
     * 576 us): one core nearly saturates memory bandwidth. Contiguous {@code sum} loses at 2^17
     * (58 vs 65 us) and wins at 2^18 (127 vs 97 us). {@code exp} wins from 2^13 (105 vs 93 us),
     * uniform draws from 2^13 (100 vs 89 us), normal draws from 2^11 (120 vs 96 us). The costs
     * below put each family's threshold at its measured break-even. Other tenants of the host
     * move these figures by up to 2x between runs, so they are right to within about that.
     */
    static final long DEFAULT_MIN_PARALLEL_WORK = 1L << 20;
    /** Work per element of add, copy, fill and the other streaming ops: splits from 2^20. */
    static final int COST_STREAM = 1;
    /** Work per input element of a reduction: splits from 2^18. */
    static final int COST_REDUCE = 4;
    /** Work per element of exp, log, sin, cos, tanh, sigmoid and pow: splits from 2^13. */
    static final int COST_TRANSCENDENTAL = 128;
    /** Work per element of a uniform draw: splits from 2^13. */
    static final int COST_UNIFORM = 128;
    /** Work per element of a normal draw: splits from 2^11. */
    static final int COST_NORMAL = 512;

    private static final class SharedPool {
        static final ForkJoinPool POOL = new ForkJoinPool(
                Runtime.getRuntime().availableProcessors(),
                pool -> {
                    ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                    t.setName("clgrad-cpu-" + t.getPoolIndex());
                    t.setDaemon(true);
                    return t;
                },
                null, false);
    }

    private final int threads;
    private final long minParallelWork;

    CpuParallel(int threads, long minParallelWork) {
        this.threads = Math.max(1, threads);
        this.minParallelWork = minParallelWork;
    }

    /** Worker count a split should aim for. */
    int threads() {
        return threads;
    }

    /** Whether a job of {@code elements} elements at {@code cost} work each is worth splitting. */
    boolean worthSplitting(long elements, int cost) {
        return threads > 1 && elements * cost >= minParallelWork;
    }

    /**
     * Runs {@code task.accept(t)} for every {@code t} in {@code [0, tasks)}: task 0 on the
     * calling thread, the others on the pool. Returns when all have finished and rethrows the
     * first failure.
     */
    void run(int tasks, IntConsumer task) {
        if (tasks <= 1) {
            if (tasks == 1) {
                task.accept(0);
            }
            return;
        }
        ForkJoinPool pool = SharedPool.POOL;
        ForkJoinTask<?>[] forked = new ForkJoinTask<?>[tasks - 1];
        for (int t = 1; t < tasks; t++) {
            int id = t;
            forked[t - 1] = pool.submit(() -> task.accept(id));
        }
        RuntimeException failure = null;
        try {
            task.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (ForkJoinTask<?> f : forked) {
            try {
                f.join();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Splits {@code [0, n)} into {@link #threads} ranges whose inner boundaries are multiples of
     * {@code align}, and runs {@code body.range(from, to)} for each non-empty one.
     */
    void forRange(long n, long align, RangeBody body) {
        long per = (n + threads - 1) / threads;
        long step = Math.max(align, (per + align - 1) / align * align);
        int tasks = (int) ((n + step - 1) / step);
        run(tasks, t -> body.range(t * step, Math.min(n, (t + 1) * step)));
    }

    /** A piece of a split loop. */
    @FunctionalInterface
    interface RangeBody {
        /** Processes elements {@code [from, to)}. */
        void range(long from, long to);
    }
}
