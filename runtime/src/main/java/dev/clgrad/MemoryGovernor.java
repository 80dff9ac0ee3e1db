package dev.clgrad;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.MemorySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps device memory bounded for code that never closes tensors (the PyTorch habit). The
 * garbage collector does not see device memory: a loop whose tensors hold kilobytes of heap and
 * megabytes of device memory would fill the device long before the heap asks for a collection.
 * So before an allocation would take the device's live bytes past a high-water mark, the
 * runtime collects, releases on this thread what the collector found unreachable, and empties
 * the allocator's cache. The mark then adapts to what the program really holds (twice the live
 * bytes after the collection, never below the configured mark), so a program whose model alone
 * is larger than the mark collects only when its garbage has grown as large as its model.
 *
 * <p>Not used for heap-backed devices ({@link Backend#heapManaged()}): the heap's own
 * collections govern those.
 */
final class MemoryGovernor {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryGovernor.class);
    /** How long a collection's unreachable tensors may take to arrive before the drain stops. */
    private static final long QUIET_MILLIS = 5;

    private final String device;
    private final Backend backend;
    private final long configuredMark;
    private volatile long mark;
    private long collections;

    MemoryGovernor(String device, Backend backend) {
        this.device = device;
        this.backend = backend;
        this.configuredMark = backend.heapManaged() ? Long.MAX_VALUE
                : MemorySettings.highWaterBytes(backend.info().globalMemoryBytes());
        this.mark = configuredMark;
    }

    /**
     * Called before allocating {@code bytes}: collects first when they would pass the mark. A
     * request counts for at most half the mark, so one tensor larger than the mark allocates
     * without a collection when little else is live (the mark is not a cap), and a request that
     * then fails for want of memory leaves the mark as it was.
     */
    void beforeAllocate(long bytes) {
        long counted = Math.min(bytes, mark / 2);
        if (backend.memoryStats().liveBytes() + counted <= mark) {
            return;
        }
        synchronized (this) {
            long live = backend.memoryStats().liveBytes();
            if (live + Math.min(bytes, mark / 2) <= mark) {
                return;
            }
            long start = System.nanoTime();
            int released = collect();
            long after = backend.memoryStats().liveBytes();
            mark = Math.max(configuredMark, 2 * after);
            collections++;
            LOG.debug("clgrad {}: {} live bytes + {} requested passed the high-water mark; a collection released {} "
                    + "tensors in {} ms, leaving {} live bytes; mark now {} bytes", device, live, bytes, released,
                    (System.nanoTime() - start) / 1_000_000, after, mark);
        }
    }

    /** Collects, releases what became unreachable and empties the allocator's cache. */
    int collect() {
        System.gc();
        int released = TensorResource.drainReclaimed(QUIET_MILLIS);
        backend.emptyCache();
        return released;
    }

    /** The current high-water mark in bytes. */
    long mark() {
        return mark;
    }

    /** Collections this governor has triggered. */
    synchronized long collections() {
        return collections;
    }
}
