package dev.clgrad.data;

import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * One epoch of a {@link DataLoader}: the batches in order, each prepared ahead of time on a
 * background thread.
 *
 * <p><b>Prefetch.</b> A single daemon thread per iterator gathers each batch's rows from the
 * dataset's host copy, uploads them to the loader's device (and applies the loader's
 * {@linkplain DataLoader#transform transform}), and queues the batch; it runs at most
 * {@value #QUEUED} queued batches (plus the one it is preparing) ahead of the caller, so
 * uploading the next batch overlaps the caller's work on this one. An exception while
 * preparing a batch is thrown, as it was thrown, by the {@link #next()} that would have
 * returned that batch, and ends the epoch. The thread ends when the epoch's last batch is
 * queued, when {@link #close()} is called, or, for an iterator abandoned half way, soon after
 * the garbage collector finds the iterator unreachable; prepared batches nobody took are
 * closed then.
 *
 * <p><b>Who closes batches.</b> {@link #next()} hands each batch over on the caller's thread
 * as new tensors, exactly as if the caller had created them: the caller's innermost open
 * {@link TensorScope} tracks them, and without one the caller closes them (or the garbage
 * collector reclaims them). A scope around a whole epoch releases every batch of the epoch
 * when it closes; to release each batch after its step, open the scope before {@code next()}:
 * <pre>{@code
 * Iterator<List<Tensor>> it = loader.iterator();
 * while (it.hasNext()) {
 *     try (TensorScope step = TensorScope.open()) {
 *         List<Tensor> batch = it.next();   // closed when the step's scope closes
 *         ...
 *     }
 * }
 * }</pre>
 */
public final class BatchIterator implements Iterator<List<Tensor>>, AutoCloseable {
    /** Batches prepared and waiting, besides the one the thread is preparing. */
    static final int QUEUED = 2;
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "clgrad-data-cleaner");
        t.setDaemon(true);
        return t;
    });
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Prefetcher prefetcher;
    private final Cleaner.Cleanable cleanable;
    private final int batches;
    private int returned;
    private boolean failed;

    BatchIterator(List<HostRows> rows, int[] order, int samples, int batchSize, int batches, Device device,
                  UnaryOperator<List<Tensor>> transform) {
        this.batches = batches;
        this.prefetcher = new Prefetcher(rows, order, samples, batchSize, batches, device, transform);
        // the action refers to the prefetcher only, never to this iterator, so it can become unreachable
        this.cleanable = CLEANER.register(this, prefetcher::stop);
        if (batches > 0) {
            Thread thread = new Thread(prefetcher, "clgrad-data-prefetch-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            prefetcher.thread = thread;
            thread.start();
        }
    }

    /** Whether another batch remains in this epoch (false after a failure or {@link #close()}). */
    @Override
    public boolean hasNext() {
        return !failed && !prefetcher.stopped && returned < batches;
    }

    /**
     * The next batch: one tensor per dataset tensor, in the dataset's order, with
     * {@code batchSize} samples (fewer in a last partial batch), on the loader's device.
     *
     * @throws NoSuchElementException when the epoch is over
     * @throws RuntimeException whatever preparing this batch threw on the prefetch thread
     */
    @Override
    public List<Tensor> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("DataLoader: the epoch is over (" + returned + " of " + batches
                    + " batches returned" + (failed ? ", preparing one failed" : "")
                    + "); call loader.iterator() for the next epoch");
        }
        Prefetcher.Item item = prefetcher.take();
        if (item.failure != null) {
            failed = true;
            close();
            throw rethrowable(item.failure);
        }
        returned++;
        List<Tensor> batch = new ArrayList<>(item.batch.size());
        for (Tensor prepared : item.batch) {
            // a new tensor over the same storage, created here so the caller's scope tracks it
            batch.add(prepared.detach());
            prepared.close();
        }
        return Collections.unmodifiableList(batch);
    }

    /** Stops prefetching and closes the prepared batches nobody took; idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    private static RuntimeException rethrowable(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("DataLoader: preparing a batch failed: " + t, t);
    }

    /** The prefetch thread's work and its hand-off queue; shared by the iterator and its cleaner. */
    private static final class Prefetcher implements Runnable {
        /** How often a blocked producer looks whether it was stopped. */
        private static final long POLL_MILLIS = 50;

        /** A prepared batch, or what preparing it threw. */
        record Item(List<Tensor> batch, Throwable failure) {
        }

        private final List<HostRows> rows;
        private final int[] order;
        private final int samples;
        private final int batchSize;
        private final int batches;
        private final Device device;
        private final UnaryOperator<List<Tensor>> transform;
        private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUED);
        volatile boolean stopped;
        volatile Thread thread;

        Prefetcher(List<HostRows> rows, int[] order, int samples, int batchSize, int batches, Device device,
                   UnaryOperator<List<Tensor>> transform) {
            this.rows = rows;
            this.order = order;
            this.samples = samples;
            this.batchSize = batchSize;
            this.batches = batches;
            this.device = device;
            this.transform = transform;
        }

        @Override
        public void run() {
            try {
                for (int b = 0; b < batches && !stopped; b++) {
                    Item item;
                    try {
                        item = new Item(prepare(b), null);
                    } catch (Throwable t) {
                        offer(new Item(null, t));
                        return;
                    }
                    if (!offer(item)) {
                        closeAll(item.batch);
                        return;
                    }
                }
            } finally {
                if (stopped) {
                    drain();
                }
            }
        }

        /** Batch {@code b}: gathered on the host, uploaded, transformed. */
        private List<Tensor> prepare(int b) {
            int from = b * batchSize;
            int count = Math.min(batchSize, samples - from);
            List<Tensor> batch = new ArrayList<>(rows.size());
            try {
                for (HostRows r : rows) {
                    batch.add(TensorScope.persist(r.gather(order, from, count, device)));
                }
            } catch (RuntimeException | Error e) {
                closeAll(batch);
                throw e;
            }
            return transform == null ? batch : transformed(batch);
        }

        /**
         * The transform's result, run in a scope of this thread that closes its intermediates;
         * inputs it does not return are closed too.
         */
        private List<Tensor> transformed(List<Tensor> batch) {
            List<Tensor> out;
            try (TensorScope scope = TensorScope.open()) {
                out = transform.apply(Collections.unmodifiableList(batch));
                if (out == null) {
                    throw new NullPointerException("DataLoader.transform: the transform returned null for a batch; "
                            + "return a list of tensors");
                }
                out = new ArrayList<>(out);
                for (int i = 0; i < out.size(); i++) {
                    if (out.get(i) == null) {
                        throw new NullPointerException("DataLoader.transform: element " + i + " of the transform's "
                                + "result is null");
                    }
                    TensorScope.persist(out.get(i));
                }
            } catch (RuntimeException | Error e) {
                closeAll(batch);
                throw e;
            }
            Set<Tensor> kept = Collections.newSetFromMap(new IdentityHashMap<>());
            kept.addAll(out);
            for (Tensor t : batch) {
                if (!kept.contains(t)) {
                    t.close();
                }
            }
            return out;
        }

        /** Queues {@code item}, waiting while the queue is full; false when stopped meanwhile. */
        private boolean offer(Item item) {
            try {
                while (!stopped) {
                    if (queue.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        /** The next item, waiting for it; an error when the prefetch thread died without one. */
        Item take() {
            try {
                while (true) {
                    Item item = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (item != null) {
                        return item;
                    }
                    Thread t = thread;
                    if (t != null && !t.isAlive() && queue.isEmpty()) {
                        return new Item(null, new IllegalStateException("DataLoader: the prefetch thread "
                                + t.getName() + " ended without preparing the next batch"));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("DataLoader: interrupted while waiting for the next batch", e);
            }
        }

        /** Ends prefetching and closes what is queued (the thread closes what it still holds). */
        void stop() {
            stopped = true;
            drain();
        }

        private void drain() {
            for (Item item; (item = queue.poll()) != null; ) {
                if (item.batch != null) {
                    closeAll(item.batch);
                }
            }
        }

        private static void closeAll(List<Tensor> batch) {
            for (Tensor t : batch) {
                t.close();
            }
        }
    }
}
