package dev.clgrad.spi;

import java.util.Locale;

/**
 * The element types a backend stores, the device interface's own twin of the public
 * {@code dev.clgrad.DType} (which the interface does not import, so a backend depends on the
 * interface alone). Host transfers move elements in the platform's native byte order (see
 * {@link HostTransfers}). {@link #BOOL} stores one byte per element, 0 or 1.
 */
public enum ElementType {
    /** 32-bit IEEE 754 floating point. */
    FLOAT32(4),
    /** 64-bit IEEE 754 floating point. */
    FLOAT64(8),
    /** 64-bit two's complement integer. */
    INT64(8),
    /** 8-bit unsigned integer. */
    UINT8(1),
    /** Boolean, one byte per element holding 0 or 1. */
    BOOL(1);

    private final int byteSize;

    ElementType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether this is FLOAT32 or FLOAT64. */
    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** PyTorch's name without the {@code torch.} prefix, e.g. {@code float32}, for messages. */
    public String pyName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
