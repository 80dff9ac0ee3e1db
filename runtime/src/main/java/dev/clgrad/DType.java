package dev.clgrad;

/** Element type of a tensor. */
public enum DType {
    /** 32-bit IEEE 754 floating point; the default dtype. */
    FLOAT32(4, "float32"),
    /** 64-bit IEEE 754 floating point. */
    FLOAT64(8, "float64");

    private final int byteSize;
    private final String pyName;

    DType(int byteSize, String pyName) {
        this.byteSize = byteSize;
        this.pyName = pyName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The name PyTorch uses without the {@code torch.} prefix, e.g. {@code float32}. */
    public String pyName() {
        return pyName;
    }

    /** The device interface's element type of this dtype. */
    public dev.clgrad.spi.ElementType elementType() {
        return this == FLOAT32 ? dev.clgrad.spi.ElementType.FLOAT32 : dev.clgrad.spi.ElementType.FLOAT64;
    }

    /** The dtype both operands of a binary op are computed in (PyTorch's {@code result_type}). */
    public static DType promote(DType a, DType b) {
        return a.byteSize >= b.byteSize ? a : b;
    }
}
