package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.io.Safetensors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The safetensors format byte for byte (files built here from the specification), round trips
 * on every device, and the files that must be refused whole.
 */
@ExtendWith(OnDevice.class)
class SafetensorsTest {
    private static final String DEVICES = "dev.clgrad.it.OnDevice#devices";

    /** A safetensors file from a header JSON and little-endian data, as the specification lays it out. */
    static byte[] file(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).put(data).array();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static byte[] shorts(int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int s : v) {
            b.putShort((short) s);
        }
        return b.array();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void tensors_round_trip_with_their_dtype_shape_values_and_metadata(Device d, @TempDir Path dir) throws IOException {
        OnDevice.use(d);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("fc1.weight", Tensor.arange(6).reshape(2, 3).t());
        tensors.put("fc1.bias", Tensor.of(0.5, -1.5));
        tensors.put("scalar", Tensor.scalar(3.25));
        tensors.put("empty", Tensor.zeros(0, 4));
        tensors.put("labels", Tensor.of(new long[] {3, -1, Long.MAX_VALUE}));
        tensors.put("mask", Tensor.of(new boolean[] {true, false, true, true}, 2, 2));
        tensors.put("pixels", Tensor.of(new byte[] {0, (byte) 255, 17}, DType.UINT8));
        if (d.info().supportsFloat64()) {
            tensors.put("double", Tensor.of(new double[] {Math.PI, -1e-300}, DType.FLOAT64, 2));
        }
        Path f = dir.resolve("model.safetensors");
        Safetensors.save(tensors, Map.of("format", "pt"), f);
        Map<String, Tensor> back = Safetensors.load(f, d);
        assertEquals(tensors.keySet(), back.keySet());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = back.get(e.getKey());
            assertSame(d, t.device());
            assertEquals(e.getValue().dtype(), t.dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), t.shape(), e.getKey());
            assertArrayEquals(e.getValue().toDoubleArray(), t.toDoubleArray(), e.getKey());
            assertArrayEquals(e.getValue().toLongArray(), t.toLongArray(), e.getKey());
        }
        assertEquals(Map.of("format", "pt"), Safetensors.metadata(f));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void the_writer_lays_out_bytes_as_the_specification_says(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.safetensors");
        Safetensors.save(Map.of("x", Tensor.of(new float[] {1.5f, -2f}, Device.cpu(), 2)), f);
        String header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        String padded = header + " ".repeat((8 - header.length() % 8) % 8);
        assertArrayEquals(file(padded, floats(1.5f, -2f)), Files.readAllBytes(f));
    }

    @Test
    void integer_and_bool_tensors_are_written_as_the_specification_says(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("i.safetensors");
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("b", Tensor.of(new boolean[] {true, false}, Device.cpu(), 2));
        m.put("i", Tensor.of(new long[] {-2}, Device.cpu(), 1));
        m.put("u", Tensor.of(new byte[] {(byte) 200}, DType.UINT8, Device.cpu(), 1));
        Safetensors.save(m, f);
        // Python's order: wider dtypes first (alignment), then by name
        String header = "{\"i\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[8,10]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[10,11]}}";
        String padded = header + " ".repeat((8 - header.length() % 8) % 8);
        ByteBuffer data = ByteBuffer.allocate(11).order(ByteOrder.LITTLE_ENDIAN);
        data.putLong(-2).put((byte) 1).put((byte) 0).put((byte) 200);
        assertArrayEquals(file(padded, data.array()), Files.readAllBytes(f));
        Files.write(f, file("{\"b\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[0,1]}}",
                new byte[] {2}));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Safetensors.load(f, Device.cpu()));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("not a bool"), e.getMessage());
    }

    @Test
    void half_and_bfloat16_load_as_float32(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("half.safetensors");
        Files.write(f, file("{\"h\":{\"dtype\":\"F16\",\"shape\":[5],\"data_offsets\":[0,10]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[10,14]}}",
                concat(shorts(0x3C00, 0xC000, 0x7C00, 0x0001, 0x3555), shorts(0x3F80, 0xC120))));
        Map<String, Tensor> t = Safetensors.load(f, Device.cpu());
        assertEquals(DType.FLOAT32, t.get("h").dtype());
        assertArrayEquals(new float[] {1, -2, Float.POSITIVE_INFINITY, 0x1p-24f, 0.33325195f}, t.get("h").toFloatArray());
        assertArrayEquals(new float[] {1, -10}, t.get("b").toFloatArray());
    }

    @Test
    void a_bad_file_is_refused_whole_with_the_file_and_the_tensor_named(@TempDir Path dir) throws IOException {
        String ok = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("truncated", file("{" + ok + "}", floats(1)));
        bad.put("header past the end", ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(1000)
                .putInt(0).array());
        bad.put("overlap", file("{" + ok + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                floats(1, 2)));
        bad.put("hole", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", floats(1, 2)));
        bad.put("shape and bytes disagree", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                floats(1, 2)));
        bad.put("unknown dtype", file("{\"a\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", floats(1, 2)));
        bad.put("not json", file("{\"a\": nope}", new byte[0]));
        bad.put("too short", new byte[3]);
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            Path f = dir.resolve(e.getKey().replace(' ', '_') + ".safetensors");
            Files.write(f, e.getValue());
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> Safetensors.load(f, Device.cpu()), e.getKey());
            assertTrue(ex.getMessage().contains(f.toString()) && ex.getMessage().contains("nothing was loaded"),
                    e.getKey() + ": " + ex.getMessage());
        }
        Path f = dir.resolve("named.safetensors");
        Files.write(f, file("{" + ok + ",\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[8,16]}}",
                floats(1, 2, 3, 4)));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(f));
        assertTrue(ex.getMessage().contains("'b'"), ex.getMessage());
    }

    @Test
    void a_float64_file_on_a_device_without_float64_is_a_clear_error(@TempDir Path dir) {
        Device no64 = TestDevices.all().stream().filter(x -> !x.info().supportsFloat64()).findFirst().orElse(null);
        Assumptions.assumeTrue(no64 != null, "every device here has float64");
        Path f = dir.resolve("d.safetensors");
        Safetensors.save(Map.of("d", Tensor.of(new double[] {1}, DType.FLOAT64, Device.cpu(), 1)), f);
        assertThrows(UnsupportedOperationException.class, () -> Safetensors.load(f, no64));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
