package dev.clgrad.spi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Host arrays to and from backend buffers through the byte-level {@link Backend#write} and
 * {@link Backend#read}: elements go in the platform's native byte order, in pieces of at most
 * {@link #CHUNK_BYTES} (a {@link ByteBuffer} holds less than 2^31 bytes, and bounded pieces keep
 * the staging memory small).
 */
public final class HostTransfers {
    /** The largest piece one call moves. */
    public static final int CHUNK_BYTES = 64 << 20;

    private HostTransfers() {
    }

    /** Copies {@code src} into elements {@code [0, src.length)} of a FLOAT32 buffer. */
    public static void write(Backend backend, Buffer dst, float[] src) {
        requireType("write", dst, ElementType.FLOAT32);
        inPieces(src.length, 4, (at, n, staging) -> {
            staging.asFloatBuffer().put(src, (int) at, n);
            backend.write(dst, at * 4, staging);
        });
    }

    /** Copies {@code src} into elements {@code [0, src.length)} of a FLOAT64 buffer. */
    public static void write(Backend backend, Buffer dst, double[] src) {
        requireType("write", dst, ElementType.FLOAT64);
        inPieces(src.length, 8, (at, n, staging) -> {
            staging.asDoubleBuffer().put(src, (int) at, n);
            backend.write(dst, at * 8, staging);
        });
    }

    /** Copies {@code src} into elements {@code [0, src.length)} of an INT64 buffer. */
    public static void write(Backend backend, Buffer dst, long[] src) {
        requireType("write", dst, ElementType.INT64);
        inPieces(src.length, 8, (at, n, staging) -> {
            staging.asLongBuffer().put(src, (int) at, n);
            backend.write(dst, at * 8, staging);
        });
    }

    /** Copies {@code src} into elements {@code [0, src.length)} of a UINT8 or BOOL buffer. */
    public static void write(Backend backend, Buffer dst, byte[] src) {
        requireBytes("write", dst);
        inPieces(src.length, 1, (at, n, staging) -> {
            staging.put(src, (int) at, n).flip();
            backend.write(dst, at, staging);
        });
    }

    /** Copies {@code dst.length} elements from element {@code offset} of an INT64 buffer. */
    public static void read(Backend backend, Buffer src, long offset, long[] dst) {
        requireType("read", src, ElementType.INT64);
        inPieces(dst.length, 8, (at, n, staging) -> {
            backend.read(src, (offset + at) * 8, staging);
            staging.asLongBuffer().get(dst, (int) at, n);
        });
    }

    /** Copies {@code dst.length} elements from element {@code offset} of a UINT8 or BOOL buffer. */
    public static void read(Backend backend, Buffer src, long offset, byte[] dst) {
        requireBytes("read", src);
        inPieces(dst.length, 1, (at, n, staging) -> {
            backend.read(src, offset + at, staging);
            staging.get(dst, (int) at, n);
        });
    }

    /** Copies {@code dst.length} elements from element {@code offset} of a FLOAT32 buffer. */
    public static void read(Backend backend, Buffer src, long offset, float[] dst) {
        requireType("read", src, ElementType.FLOAT32);
        inPieces(dst.length, 4, (at, n, staging) -> {
            backend.read(src, (offset + at) * 4, staging);
            staging.asFloatBuffer().get(dst, (int) at, n);
        });
    }

    /** Copies {@code dst.length} elements from element {@code offset} of a FLOAT64 buffer. */
    public static void read(Backend backend, Buffer src, long offset, double[] dst) {
        requireType("read", src, ElementType.FLOAT64);
        inPieces(dst.length, 8, (at, n, staging) -> {
            backend.read(src, (offset + at) * 8, staging);
            staging.asDoubleBuffer().get(dst, (int) at, n);
        });
    }

    /** Moves {@code n} elements from element {@code at} of the host array through {@code staging}. */
    @FunctionalInterface
    private interface Piece {
        void move(long at, int n, ByteBuffer staging);
    }

    /** Cuts {@code length} elements of {@code elementBytes} each into pieces of at most {@link #CHUNK_BYTES}. */
    private static void inPieces(int length, int elementBytes, Piece piece) {
        int perPiece = CHUNK_BYTES / elementBytes;
        for (long at = 0; at < length; at += perPiece) {
            int n = (int) Math.min(perPiece, length - at);
            piece.move(at, n, staging((long) n * elementBytes));
        }
    }

    private static void requireType(String what, Buffer buffer, ElementType type) {
        if (buffer.elementType() != type) {
            throw new IllegalArgumentException(what + ": " + buffer + " holds " + buffer.elementType().pyName()
                    + ", the host array is " + type.pyName());
        }
    }

    private static void requireBytes(String what, Buffer buffer) {
        if (buffer.elementType() != ElementType.UINT8 && buffer.elementType() != ElementType.BOOL) {
            throw new IllegalArgumentException(what + ": " + buffer + " holds " + buffer.elementType().pyName()
                    + ", the host array is bytes (uint8 or bool)");
        }
    }

    private static ByteBuffer staging(long bytes) {
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }
}
