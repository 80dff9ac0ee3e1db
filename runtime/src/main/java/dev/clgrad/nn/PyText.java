package dev.clgrad.nn;

import java.math.BigDecimal;
import java.util.StringJoiner;

/** Python's text for the values modules print ({@code repr(float)}, tuples, {@code torch.Size}). */
final class PyText {
    private PyText() {
    }

    /**
     * Python's {@code repr(v)}: the shortest digits that read back as {@code v}, positional from
     * 1e-4 to below 1e16 ({@code 0.25}, {@code 100.0}), otherwise scientific with at least two
     * exponent digits ({@code 1e-05}, {@code 1.5e+16}).
     */
    static String floatRepr(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0.0" : "0.0";
        }
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale();
        String sign = v < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = String.valueOf(Math.abs(exponent));
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        String plain = d.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /** A Python tuple of ints: {@code (4,)}, {@code (2, 3)}, {@code ()}. */
    static String tuple(long[] values) {
        if (values.length == 1) {
            return "(" + values[0] + ",)";
        }
        StringJoiner j = new StringJoiner(", ", "(", ")");
        for (long v : values) {
            j.add(String.valueOf(v));
        }
        return j.toString();
    }

    /** A Python list of ints: {@code [3, 4]}. */
    static String list(long[] values) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (long v : values) {
            j.add(String.valueOf(v));
        }
        return j.toString();
    }

    /** {@code torch.Size([3, 4])}, as PyTorch prints a shape. */
    static String size(long[] shape) {
        return "torch.Size(" + list(shape) + ")";
    }

    /** Python's {@code True}/{@code False}. */
    static String bool(boolean b) {
        return b ? "True" : "False";
    }
}
