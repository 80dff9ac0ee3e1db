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
    /** Elements below which a kernel stays on the calling thread. MEASUREMENT PENDING. */
    static final long DEFAULT_MIN_PARALLEL_ELEMENTS = 1L << 16;

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
    private final long minParallelElements;

    CpuParallel(int threads, long minParallelElements) {
        this.threads = Math.max(1, threads);
        this.minParallelElements = minParallelElements;
    }

    /** Worker count a split should aim for. */
    int threads() {
        return threads;
    }

    /** Whether a job touching {@code elements} elements is worth splitting. */
    boolean worthSplitting(long elements) {
        return threads > 1 && elements >= minParallelElements;
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
