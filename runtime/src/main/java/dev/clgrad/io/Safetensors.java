package dev.clgrad.io;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes the safetensors format, so that weights move between clgrad, PyTorch and
 * Python's {@code safetensors}: an 8-byte little-endian header length, a JSON header naming each
 * tensor's {@code dtype}, {@code shape} and {@code data_offsets} (plus optional string
 * {@code __metadata__}), then the tensors' raw little-endian bytes.
 *
 * <p>Reading memory-maps the file and checks the whole header before it creates any tensor: a
 * file whose header runs past its end, whose offsets leave the data, overlap or leave holes, or
 * whose dtype and shape disagree with a tensor's byte count is rejected with an exception naming
 * the file and the tensor, and nothing is loaded. {@code F16} and {@code BF16} load as
 * float32. Writing is atomic: a temporary file in the same folder, then a rename.
 *
 * <p>clgrad's float32 and float64 tensors read and write; {@code I64}, {@code BOOL} and
 * {@code U8} entries are refused with a message until clgrad has those dtypes.
 */
public final class Safetensors {
    private Safetensors() {
    }

    /** Writes {@code tensors} (in a name order that keeps each dtype aligned) to {@code file}. */
    public static void save(Map<String, Tensor> tensors, Path file) {
        save(tensors, Map.of(), file);
    }

    /** Writes {@code tensors} and the string {@code metadata} ({@code __metadata__}) to {@code file}. */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) {
        Objects.requireNonNull(tensors, "Safetensors.save: argument 'tensors' is null");
        Objects.requireNonNull(metadata, "Safetensors.save: argument 'metadata' is null");
        Objects.requireNonNull(file, "Safetensors.save: argument 'file' is null");
        List<SafetensorsHeader.Entry> entries = new ArrayList<>();
        List<Tensor> order = new ArrayList<>();
        List<Map.Entry<String, Tensor>> sorted = new ArrayList<>(tensors.entrySet());
        for (Map.Entry<String, Tensor> e : sorted) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new NullPointerException("Safetensors.save: a null name or tensor in the map for " + file);
            }
            if (e.getKey().equals(SafetensorsHeader.METADATA)) {
                throw new IllegalArgumentException("Safetensors.save: '" + SafetensorsHeader.METADATA
                        + "' is reserved for metadata and cannot name a tensor (" + file + ")");
            }
        }
        // largest elements first, then by name, as Python's safetensors lays tensors out
        sorted.sort(Comparator.<Map.Entry<String, Tensor>>comparingInt(e -> -e.getValue().dtype().byteSize())
                .thenComparing(Map.Entry::getKey));
        long offset = 0;
        for (Map.Entry<String, Tensor> e : sorted) {
            Tensor t = e.getValue();
            String dtype = SafetensorsHeader.code(t.dtype());
            long bytes = t.numel() * t.dtype().byteSize();
            entries.add(new SafetensorsHeader.Entry(e.getKey(), dtype, t.shape(), offset, offset + bytes));
            order.add(t);
            offset += bytes;
        }
        byte[] header = SafetensorsHeader.write(entries, metadata);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
                writeFully(ch, len);
                writeFully(ch, ByteBuffer.wrap(header));
                for (Tensor t : order) {
                    writeFully(ch, littleEndianBytes(t));
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("Safetensors.save: cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is left behind; the target was not touched
                }
            }
        }
    }

    /** The tensors of {@code file}, in header order, on the default device. */
    public static LinkedHashMap<String, Tensor> load(Path file) {
        return load(file, Device.getDefault());
    }

    /** The tensors of {@code file}, in header order, on {@code device}. */
    public static LinkedHashMap<String, Tensor> load(Path file, Device device) {
        Objects.requireNonNull(file, "Safetensors.load: argument 'file' is null");
        Objects.requireNonNull(device, "Safetensors.load: argument 'device' is null");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsHeader header = SafetensorsHeader.read(file, ch);
            LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
            try {
                for (SafetensorsHeader.Entry e : header.entries()) {
                    long bytes = e.end() - e.begin();
                    if (bytes > Integer.MAX_VALUE - 8) {
                        throw new IllegalArgumentException("Safetensors.load: tensor '" + e.name() + "' of " + file
                                + " has " + bytes + " bytes, more than one host array holds");
                    }
                    ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, header.dataStart() + e.begin(), bytes)
                            .order(ByteOrder.LITTLE_ENDIAN);
                    out.put(e.name(), decode(e, data, device));
                }
            } catch (RuntimeException ex) {
                out.values().forEach(Tensor::close);
                throw ex;
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Safetensors.load: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The metadata ({@code __metadata__}) of {@code file}, empty when it has none. */
    public static Map<String, String> metadata(Path file) {
        Objects.requireNonNull(file, "Safetensors.metadata: argument 'file' is null");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return SafetensorsHeader.read(file, ch).metadata();
        } catch (IOException e) {
            throw new UncheckedIOException("Safetensors.metadata: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Tensor decode(SafetensorsHeader.Entry e, ByteBuffer data, Device device) {
        long[] shape = e.shape();
        int n = (int) (data.remaining() / SafetensorsHeader.byteSize(e.dtype()));
        switch (e.dtype()) {
            case "F32" -> {
                float[] v = new float[n];
                data.asFloatBuffer().get(v);
                return Tensor.of(v, device, shape);
            }
            case "F64" -> {
                double[] v = new double[n];
                data.asDoubleBuffer().get(v);
                return Tensor.of(v, DType.FLOAT64, device, shape);
            }
            case "I64" -> {
                long[] v = new long[n];
                data.asLongBuffer().get(v);
                return Tensor.of(v, device, shape);
            }
            case "U8", "BOOL" -> {
                byte[] v = new byte[n];
                data.get(data.position(), v);
                if (e.dtype().equals("BOOL")) {
                    for (int i = 0; i < n; i++) {
                        if (v[i] != 0 && v[i] != 1) {
                            throw new IllegalArgumentException("Safetensors: tensor '" + e.name() + "' holds byte "
                                    + (v[i] & 0xff) + " at element " + i + ", not a bool (0 or 1)");
                        }
                    }
                }
                return Tensor.of(v, e.dtype().equals("BOOL") ? DType.BOOL : DType.UINT8, device, shape);
            }
            case "F16", "BF16" -> {
                float[] v = new float[n];
                boolean brain = e.dtype().equals("BF16");
                for (int i = 0; i < n; i++) {
                    short h = data.getShort(2 * i);
                    v[i] = brain ? Float.intBitsToFloat((h & 0xffff) << 16) : HalfFloats.toFloat(h);
                }
                return Tensor.of(v, device, shape);
            }
            default -> throw new IllegalStateException("unreachable: " + e.dtype());
        }
    }

    /** {@code t}'s elements in row-major order as little-endian bytes. */
    private static ByteBuffer littleEndianBytes(Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(t.numel() * t.dtype().byteSize()))
                .order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case FLOAT64 -> b.asDoubleBuffer().put(t.toDoubleArray());
            case FLOAT32 -> b.asFloatBuffer().put(t.toFloatArray());
            case INT64 -> b.asLongBuffer().put(t.toLongArray());
            case UINT8, BOOL -> {
                long[] v = t.toLongArray();
                for (long x : v) {
                    b.put((byte) x);
                }
                b.flip();
            }
        }
        return b;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
