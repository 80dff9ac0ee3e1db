package dev.clgrad.cpu;

import dev.clgrad.spi.ElementType;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Arrays of released buffers kept for reuse, keyed by dtype and exact length, so that a loop
 * producing a fresh result of the same shape each step (as {@code c = a.add(b)} does) reuses
 * the previous step's array instead of paying for a new one: a large Java array costs a
 * zeroing pass over its memory and, on a heap that has not touched that memory yet, a page
 * fault per page.
 *
 * <p>The cache holds at most {@link #limitBytes} bytes; past that, released arrays are left to
 * the garbage collector. {@link #clear} drops everything, which the backend does before it
 * reports that the heap is full.
 */
final class CpuArrayCache {
    private record Key(ElementType dtype, int length) {
    }

    private final long limitBytes;
    private final Map<Key, ArrayDeque<Object>> free = new HashMap<>();
    private long cachedBytes;

    /** A cache of at most {@code limitBytes} bytes. */
    CpuArrayCache(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /** A cached {@code float[]} or {@code double[]} of exactly {@code length} elements, or null. */
    synchronized Object take(ElementType dtype, int length) {
        ArrayDeque<Object> q = free.get(new Key(dtype, length));
        Object a = q == null ? null : q.pollLast();
        if (a != null) {
            cachedBytes -= (long) length * dtype.byteSize();
        }
        return a;
    }

    /** Keeps {@code array} for reuse if there is room. */
    synchronized void put(ElementType dtype, int length, Object array) {
        long bytes = (long) length * dtype.byteSize();
        if (length == 0 || cachedBytes + bytes > limitBytes) {
            return;
        }
        free.computeIfAbsent(new Key(dtype, length), k -> new ArrayDeque<>()).addLast(array);
        cachedBytes += bytes;
    }

    /** Drops every cached array. */
    synchronized void clear() {
        free.clear();
        cachedBytes = 0;
    }

    /** Bytes held for reuse. */
    synchronized long cachedBytes() {
        return cachedBytes;
    }
}
