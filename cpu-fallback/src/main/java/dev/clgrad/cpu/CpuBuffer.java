package dev.clgrad.cpu;

import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.ElementType;

/**
 * A CPU buffer: one Java array, {@code float[]} for FLOAT32 and {@code double[]} for FLOAT64
 * (the other field is null). Kernels read the arrays directly.
 */
final class CpuBuffer implements Buffer {
    final CpuBackend owner;
    final ElementType dtype;
    final float[] f32;
    final double[] f64;
    private final int capacity;
    /** Set once by {@link CpuBackend#release}; checked, not synchronised, to catch misuse early. */
    volatile boolean released;

    /** A buffer over {@code array}, a {@code float[]} or {@code double[]} of {@code capacity} elements. */
    CpuBuffer(CpuBackend owner, ElementType dtype, int capacity, Object array) {
        this.owner = owner;
        this.dtype = dtype;
        this.capacity = capacity;
        this.f32 = dtype == ElementType.FLOAT32 ? (float[]) array : null;
        this.f64 = dtype == ElementType.FLOAT64 ? (double[]) array : null;
    }

    /** A new zeroed array for a buffer of {@code capacity} elements of {@code dtype}. */
    static Object newArray(ElementType dtype, int capacity) {
        return dtype == ElementType.FLOAT32 ? new float[capacity] : new double[capacity];
    }

    /** The array this buffer wraps. */
    Object array() {
        return f32 != null ? f32 : f64;
    }

    @Override
    public ElementType elementType() {
        return dtype;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    /** Bytes this buffer holds. */
    long bytes() {
        return (long) capacity * dtype.byteSize();
    }

    @Override
    public String toString() {
        return "CpuBuffer(" + dtype.pyName() + "[" + capacity + "]" + (released ? ", released" : "") + ")";
    }
}
