package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the golden fixtures recorded from PyTorch by {@code tools/golden/record_golden.py}
 * (format in {@code tools/golden/README.md}): records of {@code key rest} lines between
 * {@code case <id>} and {@code end}.
 */
final class Fixtures {
    private Fixtures() {
    }

    /** One {@code case ... end} record: its lines by key, in order (keys may repeat). */
    record Record(String id, List<String[]> lines) {
        /** The rest of the first line with {@code key}, or null. */
        String get(String key) {
            for (String[] l : lines) {
                if (l[0].equals(key)) {
                    return l[1];
                }
            }
            return null;
        }

        /** The rests of every line with {@code key}. */
        List<String> all(String key) {
            List<String> out = new ArrayList<>();
            for (String[] l : lines) {
                if (l[0].equals(key)) {
                    out.add(l[1]);
                }
            }
            return out;
        }

        /** {@code param k=v} lines as a map. */
        Map<String, String> params() {
            Map<String, String> out = new LinkedHashMap<>();
            for (String p : all("param")) {
                int eq = p.indexOf('=');
                out.put(p.substring(0, eq), p.substring(eq + 1));
            }
            return out;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** A tensor value: {@code <dtype> shape=<d0,...> data=<v0,...>} plus trailing flags. */
    record TensorSpec(DType dtype, long[] shape, double[] data, List<String> flags) {
        /** A tensor with these values on {@code device} (ignoring flags). */
        Tensor create(Device device) {
            return Tensor.of(data, dtype, device, shape);
        }

        boolean has(String flag) {
            return flags.contains(flag);
        }
    }

    static List<Record> load(String resource) {
        InputStream in = Fixtures.class.getResourceAsStream("/golden/" + resource);
        if (in == null) {
            throw new IllegalStateException("missing fixture /golden/" + resource
                    + "; re-record with /usr/bin/python3 tools/golden/record_golden.py");
        }
        List<Record> records = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String id = null;
            List<String[]> lines = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int sp = line.indexOf(' ');
                String key = sp < 0 ? line : line.substring(0, sp);
                String rest = sp < 0 ? "" : line.substring(sp + 1);
                if (key.equals("case")) {
                    id = rest;
                    lines = new ArrayList<>();
                } else if (key.equals("end")) {
                    records.add(new Record(id, lines));
                    id = null;
                } else {
                    lines.add(new String[] {key, rest});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    static TensorSpec tensor(String text) {
        String[] parts = text.split(" ");
        DType dtype = switch (parts[0]) {
            case "float64" -> DType.FLOAT64;
            case "int64" -> DType.INT64;
            case "bool" -> DType.BOOL;
            case "uint8" -> DType.UINT8;
            default -> DType.FLOAT32;
        };
        long[] shape = longs(parts[1].substring("shape=".length()));
        double[] data = doubles(parts[2].substring("data=".length()));
        List<String> flags = new ArrayList<>();
        for (int i = 3; i < parts.length; i++) {
            flags.add(parts[i]);
        }
        return new TensorSpec(dtype, shape, data, flags);
    }

    static long[] longs(String csv) {
        if (csv.isEmpty()) {
            return new long[0];
        }
        String[] p = csv.split(",");
        long[] out = new long[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Long.parseLong(p[i].trim());
        }
        return out;
    }

    static int[] ints(String csv) {
        long[] l = longs(csv);
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = (int) l[i];
        }
        return out;
    }

    static double[] doubles(String csv) {
        if (csv.isEmpty()) {
            return new double[0];
        }
        String[] p = csv.split(",");
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = switch (p[i]) {
                case "nan" -> Double.NaN;
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(p[i]);
            };
        }
        return out;
    }

    /** Undoes the fixture escaping of {@code \n} and {@code \\}. */
    static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(n == 'n' ? '\n' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
