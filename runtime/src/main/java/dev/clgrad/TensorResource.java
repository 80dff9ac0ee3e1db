package dev.clgrad;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tensor's one reference to its storage, released exactly once: by {@code close()}, or by
 * the garbage collector's {@link Cleaner} as a safety net, which counts what it reclaimed.
 * Heap-backed storage needs no cleaner (the collector frees it anyway).
 */
final class TensorResource implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create();
    static final AtomicLong GC_RECLAIMED = new AtomicLong();

    private Storage storage;
    private boolean closedExplicitly;
    private Cleaner.Cleanable cleanable;

    private TensorResource(Storage storage) {
        this.storage = storage;
    }

    /** The resource of {@code owner}, registered with the cleaner when its memory is off-heap. */
    static TensorResource register(Object owner, Storage storage) {
        TensorResource r = new TensorResource(storage);
        if (!storage.backend.heapManaged()) {
            r.cleanable = CLEANER.register(owner, r);
        }
        return r;
    }

    @Override
    public synchronized void run() {
        if (storage != null) {
            if (!closedExplicitly) {
                GC_RECLAIMED.incrementAndGet();
            }
            storage.release();
            storage = null;
        }
    }

    /** Releases the reference now; idempotent. */
    void close() {
        synchronized (this) {
            closedExplicitly = true;
        }
        if (cleanable != null) {
            cleanable.clean();
        } else {
            run();
        }
    }

    synchronized boolean isReleased() {
        return storage == null;
    }
}
