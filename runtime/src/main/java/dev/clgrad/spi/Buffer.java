package dev.clgrad.spi;

import dev.clgrad.DType;

/**
 * A block of device memory holding {@link #capacity()} elements of one dtype, owned by the
 * backend that allocated it. Tensors reach buffers through reference-counted storage; a
 * backend gets each buffer back exactly once through {@link Backend#release(Buffer)}.
 */
public interface Buffer {
    /** Element type of the buffer. */
    DType dtype();

    /** Number of elements the buffer holds. */
    long capacity();
}
