package dev.clgrad.opencl;

import org.jocl.CL;
import org.jocl.cl_context;
import org.jocl.cl_mem;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * A caching allocator: released buffers go back to a cache keyed by size class and are handed
 * out again, so a loop that makes a fresh result each iteration pays neither
 * {@code clCreateBuffer} nor page faults after its first pass.
 *
 * <p>Size classes are multiples of 512 bytes below 4 KiB and quarter steps between powers of
 * two above, so a cached buffer wastes at most a quarter of its size. The in-order queue makes
 * reuse safe: work already enqueued on a recycled buffer runs before the work of its next owner.
 * When the device is full the allocator frees its cache, then asks the garbage collector to
 * reclaim unreachable tensors, and only then reports out-of-memory with the sizes involved.
 *
 * <p>The cache holds at most {@code cacheCapBytes} ({@code -Dclgrad.memory.cacheCap}): a
 * buffer that would pass the cap evicts cached buffers of the largest classes first (the
 * fewest driver calls for the most memory), or goes straight back to the driver when it is
 * larger than the cap itself.
 */
final class ClAllocator {
    private static final long MIN_CLASS = 512;

    private final cl_context context;
    private final String deviceName;
    private final long deviceBytes;
    private final long maxAllocBytes;
    private final long cacheCapBytes;
    /** Cached buffers by size class, largest class first. */
    private final TreeMap<Long, ArrayDeque<cl_mem>> cache = new TreeMap<>(java.util.Comparator.reverseOrder());
    private long liveBytes;
    private long cachedBytes;
    private long peakBytes;

    ClAllocator(cl_context context, String deviceName, long deviceBytes, long maxAllocBytes, long cacheCapBytes) {
        this.context = context;
        this.deviceName = deviceName;
        this.deviceBytes = deviceBytes;
        this.maxAllocBytes = maxAllocBytes;
        this.cacheCapBytes = cacheCapBytes;
    }

    /** The size class holding {@code bytes}. */
    static long sizeClass(long bytes) {
        if (bytes <= 4096) {
            return Math.max(MIN_CLASS, (bytes + MIN_CLASS - 1) / MIN_CLASS * MIN_CLASS);
        }
        long step = Long.highestOneBit(bytes) / 4;
        return (bytes + step - 1) / step * step;
    }

    /** Throws when no buffer of {@code classBytes} can ever be allocated on this device. */
    void checkFits(long classBytes, String what) {
        if (classBytes > maxAllocBytes) {
            throw new ClOutOfMemoryException(what + " needs " + classBytes + " bytes in one buffer, above the largest "
                    + "buffer " + deviceName + " allows (CL_DEVICE_MAX_MEM_ALLOC_SIZE = " + maxAllocBytes
                    + " bytes); split the tensor or use another device");
        }
    }

    /** A buffer of size class {@code classBytes}, from the cache when one is there. */
    cl_mem obtain(long classBytes, String what) {
        checkFits(classBytes, what);
        for (int attempt = 0; ; attempt++) {
            synchronized (this) {
                ArrayDeque<cl_mem> q = cache.get(classBytes);
                if (q != null && !q.isEmpty()) {
                    cachedBytes -= classBytes;
                    return track(q.pop(), classBytes);
                }
                if (liveBytes + cachedBytes + classBytes > deviceBytes) {
                    freeCache();
                }
                if (liveBytes + classBytes <= deviceBytes) {
                    int[] err = new int[1];
                    cl_mem mem = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, classBytes, null, err);
                    if (err[0] == CL.CL_SUCCESS) {
                        return track(mem, classBytes);
                    }
                    if (!ClStatus.isOutOfMemory(err[0])) {
                        ClStatus.check(err[0], "clCreateBuffer", what + ", " + classBytes + " bytes on " + deviceName);
                    }
                    freeCache();
                }
            }
            if (attempt == 2) {
                synchronized (this) {
                    throw new ClOutOfMemoryException(what + ": out of memory on " + deviceName + " allocating "
                            + classBytes + " bytes with " + liveBytes + " bytes live in tensors of a device total of "
                            + deviceBytes + " bytes; close tensors you no longer need (Tensor.close() or "
                            + "TensorScope) or use smaller batches");
                }
            }
            reclaimUnreachable();
        }
    }

    private cl_mem track(cl_mem mem, long classBytes) {
        liveBytes += classBytes;
        peakBytes = Math.max(peakBytes, liveBytes);
        return mem;
    }

    /** Takes back a buffer of size class {@code classBytes} into the cache. */
    synchronized void recycle(cl_mem mem, long classBytes) {
        liveBytes -= classBytes;
        if (classBytes > cacheCapBytes) {
            CL.clReleaseMemObject(mem);
            return;
        }
        while (cachedBytes + classBytes > cacheCapBytes) {
            Map.Entry<Long, ArrayDeque<cl_mem>> largest = cache.firstEntry();
            CL.clReleaseMemObject(largest.getValue().pop());
            cachedBytes -= largest.getKey();
            if (largest.getValue().isEmpty()) {
                cache.remove(largest.getKey());
            }
        }
        cachedBytes += classBytes;
        cache.computeIfAbsent(classBytes, k -> new ArrayDeque<>()).push(mem);
    }

    /** The most bytes the cache keeps. */
    long cacheCapBytes() {
        return cacheCapBytes;
    }

    /** Releases every cached buffer to the driver. */
    synchronized void freeCache() {
        for (ArrayDeque<cl_mem> q : cache.values()) {
            for (cl_mem m : q) {
                CL.clReleaseMemObject(m);
            }
        }
        cache.clear();
        cachedBytes = 0;
    }

    synchronized long liveBytes() {
        return liveBytes;
    }

    synchronized long cachedBytes() {
        return cachedBytes;
    }

    synchronized long peakBytes() {
        return peakBytes;
    }

    /** Lets the garbage collector find unreachable tensors, whose cleaners recycle their buffers. */
    private static void reclaimUnreachable() {
        System.gc();
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
