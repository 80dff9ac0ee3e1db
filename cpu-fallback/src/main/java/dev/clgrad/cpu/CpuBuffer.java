package dev.clgrad.cpu;

import dev.clgrad.DType;
import dev.clgrad.spi.Buffer;

/**
 * A CPU buffer: one Java array, {@code float[]} for FLOAT32 and {@code double[]} for FLOAT64
 * (the other field is null). Kernels read the arrays directly.
 */
final class CpuBuffer implements Buffer {
    final CpuBackend owner;
    final DType dtype;
    final float[] f32;
    final double[] f64;
    private final int capacity;
    /** Set once by {@link CpuBackend#release}; checked, not synchronised, to catch misuse early. */
    volatile boolean released;

    CpuBuffer(CpuBackend owner, DType dtype, int capacity) {
        this.owner = owner;
        this.dtype = dtype;
        this.capacity = capacity;
        this.f32 = dtype == DType.FLOAT32 ? new float[capacity] : null;
        this.f64 = dtype == DType.FLOAT64 ? new double[capacity] : null;
    }

    @Override
    public DType dtype() {
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
