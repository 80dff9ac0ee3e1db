package dev.clgrad.cpu;

import dev.clgrad.spi.ElementType;

/**
 * Element access of any type, for the paths that are not hot enough for per-type loops
 * (integer and boolean tensors, comparisons, conversions). Conversions follow PyTorch's casts:
 * to BOOL is {@code v != 0} (NaN is true), floating to integer truncates toward zero, and
 * integer results wrap in their type.
 */
final class CpuElements {
    private CpuElements() {
    }

    static double getDouble(CpuBuffer b, int i) {
        return switch (b.dtype) {
            case FLOAT32 -> b.f32[i];
            case FLOAT64 -> b.f64[i];
            case INT64 -> b.i64[i];
            case UINT8, BOOL -> b.u8[i] & 0xff;
        };
    }

    static long getLong(CpuBuffer b, int i) {
        return switch (b.dtype) {
            case FLOAT32 -> toLong(b.f32[i]);
            case FLOAT64 -> toLong(b.f64[i]);
            case INT64 -> b.i64[i];
            case UINT8, BOOL -> b.u8[i] & 0xff;
        };
    }

    /** Whether element {@code i} is nonzero (NaN is). */
    static boolean isTrue(CpuBuffer b, int i) {
        return switch (b.dtype) {
            case FLOAT32 -> b.f32[i] != 0;
            case FLOAT64 -> b.f64[i] != 0;
            case INT64 -> b.i64[i] != 0;
            case UINT8, BOOL -> b.u8[i] != 0;
        };
    }

    /** Stores an integer value, wrapped to the buffer's type (BOOL: nonzero is 1). */
    static void setLong(CpuBuffer b, int i, long v) {
        switch (b.dtype) {
            case FLOAT32 -> b.f32[i] = (float) v;
            case FLOAT64 -> b.f64[i] = v;
            case INT64 -> b.i64[i] = v;
            case UINT8 -> b.u8[i] = (byte) v;
            case BOOL -> b.u8[i] = (byte) (v != 0 ? 1 : 0);
        }
    }

    /** Stores a floating value converted to the buffer's type. */
    static void setDouble(CpuBuffer b, int i, double v) {
        switch (b.dtype) {
            case FLOAT32 -> b.f32[i] = (float) v;
            case FLOAT64 -> b.f64[i] = v;
            case INT64 -> b.i64[i] = toLong(v);
            case UINT8 -> b.u8[i] = (byte) toLong(v);
            case BOOL -> b.u8[i] = (byte) (v != 0 ? 1 : 0);
        }
    }

    /**
     * A float truncated to a long as x86's conversion does, which PyTorch's casts give: NaN and
     * values outside the long range become {@code Long.MIN_VALUE} (Java would saturate, and give 0 for NaN).
     */
    static long toLong(double v) {
        return Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63 ? Long.MIN_VALUE : (long) v;
    }

    /** {@code dst[j] = src[i]} converted to dst's type. */
    static void convert(CpuBuffer src, int i, CpuBuffer dst, int j) {
        if (dst.dtype == ElementType.BOOL) {
            dst.u8[j] = (byte) (isTrue(src, i) ? 1 : 0);
        } else if (src.dtype.isFloating()) {
            setDouble(dst, j, getDouble(src, i));
        } else {
            setLong(dst, j, getLong(src, i));
        }
    }
}
