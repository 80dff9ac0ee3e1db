package dev.clgrad;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tensor's one reference to its storage, released exactly once: by {@code close()}, or, when
 * the tensor becomes unreachable without being closed, by the garbage collector. That safety
 * net is a phantom reference per tensor: a daemon thread releases what the collector found, and
 * {@link #drainReclaimed} lets an allocating thread do it itself right after a collection, so
 * device memory and its accounting follow the collector closely.
 *
 * <p>Every tensor has one, whatever its device: a CPU buffer's array is freed by the collector
 * anyway, but its bytes must leave the backend's live count (and its array may be reused).
 */
final class TensorResource extends PhantomReference<Object> {
    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    static final AtomicLong GC_RECLAIMED = new AtomicLong();
    /** Registered, unreleased resources, linked so that they stay reachable until released. */
    private static final Object LIST_LOCK = new Object();
    private static final TensorResource HEAD = new TensorResource();

    static {
        Thread reaper = new Thread(TensorResource::reap, "clgrad-tensor-reaper");
        reaper.setDaemon(true);
        reaper.start();
    }

    private volatile Storage storage;
    private TensorResource prev;
    private TensorResource next;

    private TensorResource() {
        super(null, null);
        prev = this;
        next = this;
    }

    private TensorResource(Object owner, Storage storage) {
        super(owner, QUEUE);
        this.storage = storage;
    }

    /** The resource of {@code owner}, released when {@code owner} is closed or becomes unreachable. */
    static TensorResource register(Object owner, Storage storage) {
        TensorResource r = new TensorResource(owner, storage);
        synchronized (LIST_LOCK) {
            r.next = HEAD.next;
            r.prev = HEAD;
            HEAD.next.prev = r;
            HEAD.next = r;
        }
        return r;
    }

    /** Releases the reference now; idempotent. */
    void close() {
        clear();
        release(false);
    }

    boolean isReleased() {
        return storage == null;
    }

    private void release(boolean byCollector) {
        Storage s;
        synchronized (this) {
            s = storage;
            storage = null;
        }
        if (s == null) {
            return;
        }
        synchronized (LIST_LOCK) {
            prev.next = next;
            next.prev = prev;
            prev = this;
            next = this;
        }
        if (byCollector) {
            GC_RECLAIMED.incrementAndGet();
        }
        s.release();
    }

    private static void reap() {
        while (true) {
            try {
                releaseQueued(QUEUE.remove());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a backend that fails to take a buffer back must not stop the reaper
                org.slf4j.LoggerFactory.getLogger(TensorResource.class)
                        .warn("clgrad: releasing the storage of an unreachable tensor failed", e);
            }
        }
    }

    private static void releaseQueued(Reference<?> ref) {
        ((TensorResource) ref).release(true);
    }

    /**
     * Releases, on this thread, the tensors the collector has found unreachable, waiting until
     * none has arrived for {@code quietMillis} (the collector hands them over on its own thread
     * shortly after a collection).
     *
     * @return how many this thread released
     */
    static int drainReclaimed(long quietMillis) {
        int released = 0;
        try {
            Reference<?> ref;
            while ((ref = QUEUE.remove(quietMillis)) != null) {
                releaseQueued(ref);
                released++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return released;
    }
}
