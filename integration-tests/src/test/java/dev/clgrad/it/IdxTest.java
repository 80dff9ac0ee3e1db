package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.data.Idx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IDX files (the MNIST format) built here byte by byte from the format's description, plain
 * and gzip, in each element type, and the malformed files that must be refused.
 */
@ExtendWith(OnDevice.class)
class IdxTest {
    private static final String DEVICES = "dev.clgrad.it.OnDevice#devices";

    /** An IDX file: 00 00, type, rank, big-endian sizes, then {@code data} (already big-endian). */
    static byte[] idx(int type, int[] sizes, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * sizes.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) sizes.length);
        for (int s : sizes) {
            b.putInt(s);
        }
        return b.put(data).array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    /** Three 2x2 "images" with values across the unsigned byte range. */
    static byte[] pixels() {
        byte[] p = new byte[12];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 23);
        }
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void unsigned_byte_images_and_labels_read_as_uint8_plain_and_gzip(Device d, @TempDir Path dir) throws IOException {
        OnDevice.use(d);
        byte[] images = idx(0x08, new int[] {3, 2, 2}, pixels());
        byte[] labels = idx(0x08, new int[] {3}, new byte[] {9, 0, (byte) 255});
        long[] expectedPixels = new long[12];
        for (int i = 0; i < 12; i++) {
            expectedPixels[i] = (i * 23) & 0xFF;
        }
        for (Path f : new Path[] {write(dir, "train-images-idx3-ubyte", images),
            write(dir, "train-images-idx3-ubyte.gz", gzip(images))}) {
            Tensor t = Idx.read(f);
            assertEquals(DType.UINT8, t.dtype(), f.toString());
            assertArrayEquals(new long[] {3, 2, 2}, t.shape());
            assertSame(d, t.device());
            assertArrayEquals(expectedPixels, t.toLongArray(), f.toString());
        }
        for (Path f : new Path[] {write(dir, "train-labels-idx1-ubyte", labels),
            write(dir, "train-labels-idx1-ubyte.gz", gzip(labels))}) {
            Tensor t = Idx.read(f);
            assertEquals(DType.UINT8, t.dtype());
            assertArrayEquals(new long[] {3}, t.shape());
            assertArrayEquals(new long[] {9, 0, 255}, t.toLongArray());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void gzip_is_recognised_by_its_magic_whatever_the_name(Device d, @TempDir Path dir) throws IOException {
        OnDevice.use(d);
        byte[] images = idx(0x08, new int[] {3, 2, 2}, pixels());
        Tensor gz = Idx.read(write(dir, "images.idx", gzip(images)));
        Tensor plainNamedGz = Idx.read(write(dir, "plain.gz", images));
        assertArrayEquals(gz.toLongArray(), plainNamedGz.toLongArray());
        assertArrayEquals(new long[] {3, 2, 2}, gz.shape());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void float_and_signed_integer_types_map_to_the_closest_dtype(Device d, @TempDir Path dir) throws IOException {
        OnDevice.use(d);
        ByteBuffer floats = ByteBuffer.allocate(16).putFloat(1.5f).putFloat(-2.25f).putFloat(Float.MAX_VALUE)
                .putFloat(1e-30f);
        Tensor f32 = Idx.read(write(dir, "f.idx.gz", gzip(idx(0x0D, new int[] {2, 2}, floats.array()))));
        assertEquals(DType.FLOAT32, f32.dtype());
        assertArrayEquals(new long[] {2, 2}, f32.shape());
        assertArrayEquals(new float[] {1.5f, -2.25f, Float.MAX_VALUE, 1e-30f}, f32.toFloatArray());

        if (d.info().supportsFloat64()) {
            ByteBuffer doubles = ByteBuffer.allocate(16).putDouble(Math.PI).putDouble(-1e-300);
            Tensor f64 = Idx.read(write(dir, "d.idx", idx(0x0E, new int[] {2}, doubles.array())));
            assertEquals(DType.FLOAT64, f64.dtype());
            assertArrayEquals(new double[] {Math.PI, -1e-300}, f64.toDoubleArray());
        }

        Tensor i8 = Idx.read(write(dir, "b.idx", idx(0x09, new int[] {3}, new byte[] {-128, 0, 127})));
        assertEquals(DType.INT64, i8.dtype());
        assertArrayEquals(new long[] {-128, 0, 127}, i8.toLongArray());

        ByteBuffer shorts = ByteBuffer.allocate(6).putShort((short) -32768).putShort((short) 1).putShort((short) 32767);
        Tensor i16 = Idx.read(write(dir, "s.idx", idx(0x0B, new int[] {1, 3}, shorts.array())));
        assertEquals(DType.INT64, i16.dtype());
        assertArrayEquals(new long[] {1, 3}, i16.shape());
        assertArrayEquals(new long[] {-32768, 1, 32767}, i16.toLongArray());

        ByteBuffer ints = ByteBuffer.allocate(8).putInt(Integer.MIN_VALUE).putInt(Integer.MAX_VALUE);
        Tensor i32 = Idx.read(write(dir, "i.idx", idx(0x0C, new int[] {2}, ints.array())));
        assertEquals(DType.INT64, i32.dtype());
        assertArrayEquals(new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE}, i32.toLongArray());
    }

    @Test
    void the_device_overload_puts_the_tensor_there(@TempDir Path dir) throws IOException {
        Path f = write(dir, "images.gz", gzip(idx(0x08, new int[] {3, 2, 2}, pixels())));
        for (Device d : TestDevices.all()) {
            Tensor t = Idx.read(f, d);
            assertSame(d, t.device());
            assertEquals(DType.UINT8, t.dtype());
            assertEquals(12, t.toLongArray().length);
        }
    }

    @Test
    void empty_and_zero_sized_files_read(@TempDir Path dir) throws IOException {
        Tensor none = Idx.read(write(dir, "none.idx", idx(0x08, new int[] {0, 28, 28}, new byte[0])));
        assertArrayEquals(new long[] {0, 28, 28}, none.shape());
        assertEquals(DType.UINT8, none.dtype());
    }

    private static IllegalArgumentException refused(Path f) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains(f.toString()), "the message names the file: " + e.getMessage());
        return e;
    }

    @Test
    void malformed_files_are_refused_naming_the_file_and_the_fault(@TempDir Path dir) throws IOException {
        byte[] good = idx(0x08, new int[] {3, 2, 2}, pixels());

        byte[] badMagic = good.clone();
        badMagic[1] = 0x01;
        assertTrue(refused(write(dir, "magic.idx", badMagic)).getMessage().contains("00 01"));

        byte[] badType = good.clone();
        badType[2] = 0x0A;
        assertTrue(refused(write(dir, "type.idx", badType)).getMessage().contains("0x0a"));

        byte[] truncatedData = Arrays.copyOf(good, good.length - 3);
        String truncated = refused(write(dir, "short.idx", truncatedData)).getMessage();
        assertTrue(truncated.contains("truncated") && truncated.contains("9 of the 12 bytes"), truncated);

        String truncatedGzip = refused(write(dir, "short.idx.gz", gzip(truncatedData))).getMessage();
        assertTrue(truncatedGzip.contains("truncated"), truncatedGzip);

        byte[] gz = gzip(good);
        Path cutGzip = write(dir, "cut.gz", Arrays.copyOf(gz, gz.length - 12));
        Exception cut = assertThrows(RuntimeException.class, () -> Idx.read(cutGzip));
        assertTrue(cut instanceof IllegalArgumentException || cut instanceof UncheckedIOException, cut.toString());
        assertTrue(cut.getMessage().contains(cutGzip.toString()), cut.getMessage());

        String header = refused(write(dir, "header.idx", Arrays.copyOf(good, 6))).getMessage();
        assertTrue(header.contains("truncated") && header.contains("dimension sizes"), header);

        assertTrue(refused(write(dir, "tiny.idx", new byte[] {0, 0})).getMessage().contains("magic"));

        byte[] longer = Arrays.copyOf(good, good.length + 1);
        String trailing = refused(write(dir, "long.idx", longer)).getMessage();
        assertTrue(trailing.contains("more bytes") && trailing.contains("[3, 2, 2]"), trailing);

        byte[] negative = idx(0x08, new int[] {-1}, new byte[0]);
        assertTrue(refused(write(dir, "negative.idx", negative)).getMessage().contains("dimension 0"));

        Path missing = dir.resolve("missing.idx");
        UncheckedIOException io = assertThrows(UncheckedIOException.class, () -> Idx.read(missing));
        assertTrue(io.getMessage().contains(missing.toString()), io.getMessage());
    }
}
