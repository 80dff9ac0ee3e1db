package dev.clgrad.data;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte.gz}),
 * plain or gzip-compressed.
 *
 * <p>An IDX file is two zero bytes, a type byte, a rank byte, one big-endian int32 size per
 * dimension, then the elements big-endian in row-major order. Types map to the closest
 * clgrad dtype: {@code 0x08} unsigned byte to UINT8 (Fashion-MNIST's images {@code [N, 28, 28]}
 * and labels {@code [N]}), {@code 0x09} signed byte, {@code 0x0B} int16 and {@code 0x0C} int32 to
 * INT64, {@code 0x0D} float32 to FLOAT32 and {@code 0x0E} float64 to FLOAT64.
 *
 * <p>Gzip is recognised by its magic bytes {@code 1f 8b}, whatever the file's name. A file
 * that is neither, has an unknown type, or whose data is shorter or longer than its sizes say,
 * is refused with an {@link IllegalArgumentException} naming the file and what is wrong; a file
 * that cannot be read (or whose gzip stream is corrupt) with an {@link UncheckedIOException}.
 */
public final class Idx {
    private static final int GZIP_MAGIC = 0x1f8b;

    private Idx() {
    }

    /** The tensor in {@code file}, on the default device. */
    public static Tensor read(Path file) {
        return read(file, Device.getDefault());
    }

    /** The tensor in {@code file}, on {@code device}. */
    public static Tensor read(Path file, Device device) {
        Objects.requireNonNull(file, "Idx.read: argument 'file' is null");
        Objects.requireNonNull(device, "Idx.read: argument 'device' is null");
        try (InputStream in = open(file)) {
            return read(file, new DataInputStream(in), device);
        } catch (IOException e) {
            throw new UncheckedIOException("Idx.read: cannot read " + file + ": " + e, e);
        }
    }

    /** The file's bytes, decompressed when they start with gzip's magic. */
    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 >= 0 && b1 >= 0 && (b0 << 8 | b1) == GZIP_MAGIC) {
                return new GZIPInputStream(in, 1 << 16);
            }
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static Tensor read(Path file, DataInputStream in, Device device) throws IOException {
        byte[] magic = readFully(file, in, 4, "the 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0) {
            throw bad(file, String.format("it starts with bytes %02x %02x, but an IDX file starts with 00 00 (and a "
                    + "gzip file with 1f 8b)", magic[0] & 0xFF, magic[1] & 0xFF));
        }
        int type = magic[2] & 0xFF;
        int rank = magic[3] & 0xFF;
        int width = elementBytes(file, type);
        ByteBuffer sizes = ByteBuffer.wrap(readFully(file, in, 4 * rank, rank + " dimension sizes"));
        long[] shape = new long[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            shape[d] = sizes.getInt() & 0xFFFFFFFFL;
            if (shape[d] > Integer.MAX_VALUE) {
                throw bad(file, "dimension " + d + " has a negative size, " + (int) shape[d]);
            }
            count *= shape[d];
            if (count * width > Integer.MAX_VALUE - 8) {
                throw bad(file, "its sizes " + Arrays.toString(Arrays.copyOf(shape, d + 1)) + "... give more "
                        + "data than one host array holds");
            }
        }
        int n = (int) count;
        ByteBuffer data = ByteBuffer.wrap(readFully(file, in, n * width, "data for sizes " + Arrays.toString(shape)
                + " (" + n + " elements of " + width + " bytes)")).order(ByteOrder.BIG_ENDIAN);
        if (in.read() >= 0) {
            throw bad(file, "it has more bytes than its sizes " + Arrays.toString(shape) + " give (" + n + " elements of "
                    + width + " bytes); the sizes disagree with the file's length");
        }
        return decode(type, n, data, shape, device);
    }

    private static Tensor decode(int type, int n, ByteBuffer data, long[] shape, Device device) {
        switch (type) {
            case 0x08 -> {
                return HostRows.upload(data.array(), DType.UINT8, shape, device);
            }
            case 0x0D -> {
                float[] v = new float[n];
                data.asFloatBuffer().get(v);
                return HostRows.upload(v, DType.FLOAT32, shape, device);
            }
            case 0x0E -> {
                double[] v = new double[n];
                data.asDoubleBuffer().get(v);
                return HostRows.upload(v, DType.FLOAT64, shape, device);
            }
            default -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = switch (type) {
                        case 0x09 -> data.get();
                        case 0x0B -> data.getShort();
                        default -> data.getInt();
                    };
                }
                return HostRows.upload(v, DType.INT64, shape, device);
            }
        }
    }

    private static int elementBytes(Path file, int type) {
        return switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> throw bad(file, String.format("its element type 0x%02x, is not an IDX type (0x08 "
                    + "unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64)", type));
        };
    }

    /** Exactly {@code length} bytes, or an error saying the file ends before {@code what}. */
    private static byte[] readFully(Path file, InputStream in, int length, String what) throws IOException {
        byte[] out = new byte[length];
        int got = 0;
        while (got < length) {
            int r;
            try {
                r = in.read(out, got, length - got);
            } catch (EOFException e) {
                break; // a gzip stream cut short ends this way; reported below as truncation
            }
            if (r < 0) {
                break;
            }
            got += r;
        }
        if (got < length) {
            throw bad(file, "it is truncated: it ends after " + got + " of the " + length + " bytes of " + what);
        }
        return out;
    }

    private static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException("Idx.read: " + file + " is not a valid IDX file: " + what);
    }
}
