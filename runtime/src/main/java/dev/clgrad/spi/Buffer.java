package dev.clgrad.spi;

/**
 * A block of device memory holding {@link #capacity()} elements of one dtype, owned by the
 * backend that allocated it. Tensors reach buffers through reference-counted storage; a
 * backend gets each buffer back exactly once through {@link Backend#release(Buffer)}.
 */
public interface Buffer {
    /** Element type of the buffer. */
    ElementType elementType();

    /** Number of elements the buffer holds. */
    long capacity();
}
