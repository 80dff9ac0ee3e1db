package dev.clgrad.opencl;

import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.ElementType;
import org.jocl.cl_mem;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A block of device memory of an OpenCL backend. {@link #mem} is null for a buffer of no
 * elements (OpenCL has no empty buffers). The allocator hands out whole size classes, so
 * {@link #classBytes} may exceed what {@link #capacity} needs.
 */
final class ClBuffer implements Buffer {
    final ClBackend owner;
    final ElementType dtype;
    final long capacity;
    final cl_mem mem;
    final long classBytes;
    private final AtomicBoolean released = new AtomicBoolean();

    ClBuffer(ClBackend owner, ElementType dtype, long capacity, cl_mem mem, long classBytes) {
        this.owner = owner;
        this.dtype = dtype;
        this.capacity = capacity;
        this.mem = mem;
        this.classBytes = classBytes;
    }

    @Override
    public ElementType elementType() {
        return dtype;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    /** Marks the buffer released; false when it already was. */
    boolean markReleased() {
        return released.compareAndSet(false, true);
    }

    boolean isReleased() {
        return released.get();
    }

    @Override
    public String toString() {
        return "ClBuffer(" + capacity + " x " + dtype.pyName() + " on " + owner.name() + ")";
    }
}
