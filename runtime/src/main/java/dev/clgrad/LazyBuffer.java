package dev.clgrad;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.ElementType;

/**
 * A buffer as the runtime sees it when fusion is on: the device buffer behind it is allocated
 * only when something must be written to memory (a stored result, a host write, a primitive
 * that is not fused). A result that is closed before anything needed it is never allocated.
 * Guarded by its {@link Dispatch}'s lock.
 */
final class LazyBuffer implements Buffer {
    private final ElementType type;
    private final long capacity;
    private Buffer real;
    /** Set when the runtime lets go of it; the device buffer goes back once no pending call refers to it. */
    boolean released;
    /** Pending calls that read or write this buffer. */
    int pendingRefs;
    /** The queue those calls are in, or null when none is pending. */
    PendingWork.PendingQueue pendingIn;

    LazyBuffer(ElementType type, long capacity) {
        this.type = type;
        this.capacity = capacity;
    }

    /** The device buffer, allocated on first use. */
    Buffer real(Backend target) {
        if (real == null) {
            real = target.allocate(type, capacity);
        }
        return real;
    }

    /** Whether a device buffer has been allocated. */
    boolean allocated() {
        return real != null;
    }

    /** Returns the device buffer, if any, to {@code target}. */
    void free(Backend target) {
        if (real != null) {
            Buffer b = real;
            real = null;
            target.release(b);
        }
    }

    @Override
    public ElementType elementType() {
        return type;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public String toString() {
        return "LazyBuffer(" + type.pyName() + "[" + capacity + "]" + (real == null ? ", pending" : "")
                + (released ? ", released" : "") + ")";
    }
}
