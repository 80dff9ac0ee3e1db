package dev.clgrad.examples;

import dev.clgrad.Tensor;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.StringJoiner;

/**
 * Python-style printing for the seed-notebook twins, so that a Java twin reads like its
 * notebook and prints what the notebook's cells display.
 *
 * <ul>
 *   <li>{@link #cell(int)} prints the {@code --- In [n]} marker before a notebook cell;</li>
 *   <li>{@link #show(Object)} prints what a cell's last expression displays ({@code Out[n]}),
 *       that is Python's {@code repr(value)};</li>
 *   <li>{@link #print(Object...)} is Python's {@code print(a, b, ...)}: {@code str} of each
 *       argument, joined by one space;</li>
 *   <li>{@link #tuple(Object...)} builds the tuple of a cell such as {@code x.sum(), x.sqrt()},
 *       and {@link #tolist(float[])} the Python list of {@code t.numpy().tolist()}.</li>
 * </ul>
 *
 * <p>Values map to Python as follows: {@code null} is {@code None}, {@link Boolean} is
 * {@code True}/{@code False}, {@link Double} and {@link Float} are Python floats
 * ({@code 2.0}, {@code 0.1}, {@code 1e-05}), a {@link List} is a Python list, a
 * {@link Tuple} a Python tuple, and everything else ({@link Tensor}, grad_fn objects) prints
 * its {@code toString()}, which clgrad already writes as PyTorch does.
 */
public final class Py {
    private Py() {
    }

    /** A Python tuple of values; build it with {@link #tuple(Object...)}. */
    public static final class Tuple {
        private final List<Object> items;

        private Tuple(Object[] items) {
            this.items = Collections.unmodifiableList(new ArrayList<>(Arrays.asList(items)));
        }

        /** The tuple's items, in order ({@code null} items stand for {@code None}). */
        public List<Object> items() {
            return items;
        }

        /** Python's {@code repr} of the tuple: {@code (a, b)}, or {@code (a,)} for one item. */
        @Override
        public String toString() {
            StringJoiner j = new StringJoiner(", ", "(", items.size() == 1 ? ",)" : ")");
            for (Object item : items) {
                j.add(repr(item));
            }
            return j.toString();
        }
    }

    /** Prints the marker {@code --- In [n]} that precedes notebook cell {@code In [n]}. */
    public static void cell(int n) {
        System.out.println("--- In [" + n + "]");
    }

    /** What a notebook cell displays for its last expression: prints {@code repr(value)}. */
    public static void show(Object value) {
        System.out.println(repr(value));
    }

    /** Python's {@code print(*values)}: {@code str} of each value, separated by one space. */
    public static void print(Object... values) {
        StringJoiner j = new StringJoiner(" ");
        for (Object v : values) {
            j.add(str(v));
        }
        System.out.println(j);
    }

    /** Python's tuple {@code (values[0], values[1], ...)}. */
    public static Tuple tuple(Object... values) {
        return new Tuple(values);
    }

    /**
     * Python's {@code array.tolist()} of a float32 array: each element widened to a Python
     * float (a double), so {@code repr} prints {@code [2.0, 2.0]}.
     */
    public static List<Double> tolist(float[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add((double) v);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Python's {@code type(value)} as {@code print} shows it. A clgrad {@link Tensor} is
     * PyTorch's {@code torch.Tensor}, so it prints {@code <class 'torch.Tensor'>} as the
     * notebooks' output does; any other value prints its Java class name.
     */
    public static String type(Object value) {
        if (value == null) {
            return "<class 'NoneType'>";
        }
        String name = value instanceof Tensor ? "torch.Tensor" : value.getClass().getName();
        return "<class '" + name + "'>";
    }

    /** Python's {@code repr(value)} (see the class comment for how values map to Python). */
    public static String repr(Object value) {
        if (value instanceof String s) {
            String escaped = s.replace("\\", "\\\\").replace("\n", "\\n");
            if (s.contains("'") && !s.contains("\"")) {
                return "\"" + escaped + "\"";
            }
            return "'" + escaped.replace("'", "\\'") + "'";
        }
        if (value instanceof List<?> list) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (Object item : list) {
                j.add(repr(item));
            }
            return j.toString();
        }
        return str(value);
    }

    /** Python's {@code str(value)}: like {@link #repr(Object)} except that strings print bare. */
    public static String str(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Double d) {
            return floatRepr(d);
        }
        if (value instanceof Float f) {
            return floatRepr(f.doubleValue());
        }
        if (value instanceof List<?>) {
            return repr(value);
        }
        return value.toString();
    }

    /**
     * Python's {@code repr(float)}: the shortest decimal that reads back as the same double,
     * in fixed notation when its exponent is in [-4, 16), else as {@code 1.5e-05}.
     */
    public static String floatRepr(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(v);
        BigDecimal shortest = exact;
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == v) {
                shortest = candidate;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = shortest.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = shortest.unscaledValue().abs().toString();
        StringBuilder sb = new StringBuilder();
        if (shortest.signum() < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int abs = Math.abs(exponent);
        if (abs < 10) {
            sb.append('0');
        }
        return sb.append(abs).toString();
    }
}
