package dev.clgrad;

import dev.clgrad.spi.ElementType;

/**
 * Element type of a tensor, with PyTorch's names and promotion rules ({@code torch.result_type}).
 * Floating types take part in autograd; integer and boolean tensors never require grad.
 */
public enum DType {
    /** 32-bit IEEE 754 floating point; the default dtype. */
    FLOAT32(ElementType.FLOAT32, "float32", Kind.FLOATING),
    /** 64-bit IEEE 754 floating point. */
    FLOAT64(ElementType.FLOAT64, "float64", Kind.FLOATING),
    /** 64-bit signed integer ({@code torch.int64}, {@code torch.long}): class indices, counts. */
    INT64(ElementType.INT64, "int64", Kind.INTEGRAL),
    /** 8-bit unsigned integer ({@code torch.uint8}): raw image bytes. */
    UINT8(ElementType.UINT8, "uint8", Kind.INTEGRAL),
    /** Boolean ({@code torch.bool}): results of comparisons, masks. */
    BOOL(ElementType.BOOL, "bool", Kind.BOOLEAN);

    /** PyTorch's type categories, in promotion order: a higher kind wins over a lower one. */
    enum Kind {
        BOOLEAN, INTEGRAL, FLOATING
    }

    private final ElementType elementType;
    private final String pyName;
    private final Kind kind;

    DType(ElementType elementType, String pyName, Kind kind) {
        this.elementType = elementType;
        this.pyName = pyName;
        this.kind = kind;
    }

    /** Bytes per element. */
    public int byteSize() {
        return elementType.byteSize();
    }

    /** The name PyTorch uses without the {@code torch.} prefix, e.g. {@code float32}. */
    public String pyName() {
        return pyName;
    }

    /** Whether this is a floating point type (one that can require grad). */
    public boolean isFloatingPoint() {
        return kind == Kind.FLOATING;
    }

    /** Whether this is {@link #BOOL}. */
    public boolean isBoolean() {
        return kind == Kind.BOOLEAN;
    }

    Kind kind() {
        return kind;
    }

    /** The device interface's element type of this dtype. */
    public ElementType elementType() {
        return elementType;
    }

    /** The dtype of {@code type}. */
    public static DType of(ElementType type) {
        for (DType d : values()) {
            if (d.elementType == type) {
                return d;
            }
        }
        throw new IllegalArgumentException("no dtype for element type " + type);
    }

    /**
     * The dtype two tensor operands of the same category priority meet in (PyTorch's
     * {@code promote_types}): the higher kind wins; within floating types the wider; uint8 and
     * int64 meet in int64.
     */
    public static DType promote(DType a, DType b) {
        if (a == b) {
            return a;
        }
        if (a.kind != b.kind) {
            return a.kind.compareTo(b.kind) > 0 ? a : b;
        }
        if (a.kind == Kind.FLOATING) {
            return a.byteSize() >= b.byteSize() ? a : b;
        }
        return a.byteSize() >= b.byteSize() ? a : b;
    }
}
