package dev.clgrad.cpu;

import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.ElementType;

/**
 * A CPU buffer: one Java array, {@code float[]} for FLOAT32, {@code double[]} for FLOAT64,
 * {@code long[]} for INT64 and {@code byte[]} for UINT8 and BOOL (the other fields are null).
 * Kernels read the arrays directly.
 */
final class CpuBuffer implements Buffer {
    final CpuBackend owner;
    final ElementType dtype;
    final float[] f32;
    final double[] f64;
    final long[] i64;
    /** UINT8 (read as {@code b & 0xff}) or BOOL (0 or 1). */
    final byte[] u8;
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
        this.i64 = dtype == ElementType.INT64 ? (long[]) array : null;
        this.u8 = dtype == ElementType.UINT8 || dtype == ElementType.BOOL ? (byte[]) array : null;
    }

    /** A new zeroed array for a buffer of {@code capacity} elements of {@code dtype}. */
    static Object newArray(ElementType dtype, int capacity) {
        return switch (dtype) {
            case FLOAT32 -> new float[capacity];
            case FLOAT64 -> new double[capacity];
            case INT64 -> new long[capacity];
            case UINT8, BOOL -> new byte[capacity];
        };
    }

    /** The array this buffer wraps. */
    Object array() {
        return f32 != null ? f32 : f64 != null ? f64 : i64 != null ? i64 : u8;
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
