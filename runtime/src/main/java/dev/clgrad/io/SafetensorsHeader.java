package dev.clgrad.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.clgrad.DType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON header of a safetensors file: parsing with every check, and writing. */
final class SafetensorsHeader {
    static final String METADATA = "__metadata__";
    /** Python's safetensors refuses headers past 100 MB; so does this reader. */
    private static final long MAX_HEADER = 100_000_000L;
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * One tensor of the header.
     *
     * @param begin first byte, relative to the data section
     * @param end one past the last byte
     */
    record Entry(String name, String dtype, long[] shape, long begin, long end) {
    }

    private final List<Entry> entries;
    private final Map<String, String> metadata;
    private final long dataStart;

    private SafetensorsHeader(List<Entry> entries, Map<String, String> metadata, long dataStart) {
        this.entries = entries;
        this.metadata = metadata;
        this.dataStart = dataStart;
    }

    List<Entry> entries() {
        return entries;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    /** Where the data section starts in the file. */
    long dataStart() {
        return dataStart;
    }

    /** The safetensors dtype code of a clgrad dtype. */
    static String code(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case INT64 -> "I64";
            case UINT8 -> "U8";
            case BOOL -> "BOOL";
        };
    }

    /** Bytes per element of a dtype code clgrad reads. */
    static int byteSize(String code) {
        return switch (code) {
            case "F64", "I64" -> 8;
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            case "U8", "BOOL" -> 1;
            default -> throw new IllegalStateException("unreachable: " + code);
        };
    }

    /** Reads and checks the header of {@code file}; nothing about it is trusted. */
    static SafetensorsHeader read(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw bad(file, "it has " + size + " bytes, fewer than the 8 of the header length");
        }
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, len, 0);
        long n = len.flip().getLong();
        if (n < 2 || n > MAX_HEADER || n > size - 8) {
            throw bad(file, "its header length " + Long.toUnsignedString(n) + " runs past the end of the file ("
                    + size + " bytes) or the 100 MB limit");
        }
        ByteBuffer json = ByteBuffer.allocate((int) n);
        readFully(ch, json, 8);
        long dataStart = 8 + n;
        long dataBytes = size - dataStart;
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json.array())) {
            expect(file, p.nextToken(), JsonToken.START_OBJECT, "the header is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (name.equals(METADATA)) {
                    readMetadata(file, p, metadata);
                } else {
                    entries.add(readEntry(file, p, name));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw bad(file, "the header has data after its JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw bad(file, "its header is not valid JSON: " + e.getOriginalMessage());
        }
        checkLayout(file, entries, dataBytes);
        return new SafetensorsHeader(entries, metadata, dataStart);
    }

    private static void readMetadata(Path file, JsonParser p, Map<String, String> metadata) throws IOException {
        expect(file, p.nextToken(), JsonToken.START_OBJECT, METADATA + " is not an object");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            expect(file, p.nextToken(), JsonToken.VALUE_STRING, METADATA + " value of '" + key + "' is not a string");
            metadata.put(key, p.getText());
        }
    }

    private static Entry readEntry(Path file, JsonParser p, String name) throws IOException {
        expect(file, p.nextToken(), JsonToken.START_OBJECT, "tensor '" + name + "' is not an object");
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    expect(file, v, JsonToken.VALUE_STRING, "tensor '" + name + "' has a dtype that is not a string");
                    dtype = p.getText();
                }
                case "shape" -> shape = readLongs(file, p, v, "tensor '" + name + "' shape");
                case "data_offsets" -> offsets = readLongs(file, p, v, "tensor '" + name + "' data_offsets");
                default -> p.skipChildren();
            }
        }
        if (dtype == null || shape == null || offsets == null || offsets.length != 2) {
            throw bad(file, "tensor '" + name + "' needs dtype, shape and data_offsets [begin, end]");
        }
        switch (dtype) {
            case "F32", "F64", "F16", "BF16", "I64", "U8", "BOOL" -> {
            }
            default -> throw bad(file, "tensor '" + name + "' has dtype '" + dtype + "', which clgrad does not read "
                    + "(it reads F32, F64, F16, BF16, I64, U8 and BOOL)");
        }
        long numel = 1;
        for (long s : shape) {
            if (s < 0) {
                throw bad(file, "tensor '" + name + "' has a negative size in shape " + Arrays.toString(shape));
            }
            try {
                numel = Math.multiplyExact(numel, s);
            } catch (ArithmeticException e) {
                throw bad(file, "tensor '" + name + "' shape " + Arrays.toString(shape) + " overflows a count");
            }
        }
        long begin = offsets[0];
        long end = offsets[1];
        long expected;
        try {
            expected = Math.multiplyExact(numel, byteSize(dtype));
        } catch (ArithmeticException e) {
            throw bad(file, "tensor '" + name + "' shape " + Arrays.toString(shape) + " overflows a byte count");
        }
        if (begin < 0 || end < begin || end - begin != expected) {
            throw bad(file, "tensor '" + name + "' (" + dtype + " " + Arrays.toString(shape) + ", " + expected
                    + " bytes) has data_offsets [" + begin + ", " + end + "], which do not hold its bytes");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** Offsets must tile the data section exactly: no byte outside it, shared or unused. */
    private static void checkLayout(Path file, List<Entry> entries, long dataBytes) {
        List<Entry> byStart = new ArrayList<>(entries);
        byStart.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        for (Entry e : byStart) {
            if (e.begin() < at) {
                throw bad(file, "tensor '" + e.name() + "' data_offsets [" + e.begin() + ", " + e.end()
                        + "] overlap another tensor's");
            }
            if (e.begin() > at) {
                throw bad(file, "bytes [" + at + ", " + e.begin() + ") of the data belong to no tensor (before '"
                        + e.name() + "')");
            }
            at = e.end();
        }
        if (at != dataBytes) {
            throw bad(file, "the tensors' data_offsets end at byte " + at + " but the data section has " + dataBytes
                    + " bytes" + (at > dataBytes ? " (the file is truncated)" : ""));
        }
    }

    /** The header JSON for {@code entries} and {@code metadata}, padded with spaces to 8 bytes. */
    static byte[] write(List<Entry> entries, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(METADATA);
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    g.writeStringField(m.getKey(), m.getValue());
                }
                g.writeEndObject();
            }
            for (Entry e : entries) {
                g.writeObjectFieldStart(e.name());
                g.writeStringField("dtype", e.dtype());
                g.writeArrayFieldStart("shape");
                for (long s : e.shape()) {
                    g.writeNumber(s);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(e.begin());
                g.writeNumber(e.end());
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int pad = (8 - out.size() % 8) % 8;
        for (int i = 0; i < pad; i++) {
            out.write(' ');
        }
        return out.toByteArray();
    }

    private static long[] readLongs(Path file, JsonParser p, JsonToken start, String what) throws IOException {
        expect(file, start, JsonToken.START_ARRAY, what + " is not an array");
        List<Long> values = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw bad(file, what + " holds something other than integers");
            }
            values.add(p.getLongValue());
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static void expect(Path file, JsonToken got, JsonToken wanted, String problem) {
        if (got != wanted) {
            throw bad(file, problem);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static IllegalArgumentException bad(Path file, String problem) {
        return new IllegalArgumentException("Safetensors.load: " + file + " is not a valid safetensors file: "
                + problem + "; nothing was loaded");
    }
}
