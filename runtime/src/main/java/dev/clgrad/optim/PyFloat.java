package dev.clgrad.optim;

import java.math.BigDecimal;

/** Python's {@code repr(float)}, so that error messages read as PyTorch's ({@code 1e-05}, not {@code 1.0E-5}). */
final class PyFloat {
    private PyFloat() {
    }

    static String repr(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        // value = 0.<digits> * 10^decpt, as CPython's format_float_short counts it
        int decpt = digits.length() - exact.scale();
        StringBuilder sb = new StringBuilder(v < 0 ? "-" : "");
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                sb.append("0.").append("0".repeat(-decpt)).append(digits);
            } else if (decpt >= digits.length()) {
                sb.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
            } else {
                sb.append(digits, 0, decpt).append('.').append(digits.substring(decpt));
            }
            return sb.toString();
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits.substring(1));
        }
        int exp = decpt - 1;
        sb.append(exp < 0 ? "e-" : "e+");
        String e = Integer.toString(Math.abs(exp));
        return sb.append(e.length() < 2 ? "0" + e : e).toString();
    }
}
