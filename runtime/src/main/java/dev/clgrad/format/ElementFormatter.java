package dev.clgrad.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats the elements of one floating-point tensor the way PyTorch 1.13's {@code _Formatter} does.
 *
 * <p>The mode (integer, fixed or scientific) and the common width are chosen once from the values
 * that will be displayed; {@link #format(double)} then renders each element right-aligned to that
 * width. Only finite nonzero values take part in choosing the mode and the width, so zeros, NaN
 * and infinities may end up wider than the others (PyTorch prints them unpadded then).
 *
 * <p>Numbers are rounded like Python's {@code format()}: the exact binary value is rounded
 * half-to-even, which matters for values such as {@code 0.15625 -> "0.1562"}.
 */
final class ElementFormatter {
    /** Digits after the decimal point (PyTorch's default print precision). */
    static final int PRECISION = 4;

    private final boolean intMode;
    private final boolean sciMode;
    private final int width;
    /** Integer dtypes: plain digits, no trailing '.'; booleans: True and False. */
    private final boolean integerDtype;
    private final boolean booleanDtype;

    private ElementFormatter(boolean booleanDtype, int width) {
        this.intMode = true;
        this.sciMode = false;
        this.integerDtype = true;
        this.booleanDtype = booleanDtype;
        this.width = width;
    }

    /**
     * The formatter of an integer or boolean tensor: PyTorch prints {@code str(value)} of each,
     * right-aligned to the widest ({@code tensor([ True, False])}, {@code tensor([ 1, -2])}).
     */
    static ElementFormatter integral(double[] displayed, boolean booleans) {
        int w = 1;
        for (double v : displayed) {
            w = Math.max(w, integralText(v, booleans).length());
        }
        return new ElementFormatter(booleans, w);
    }

    private static String integralText(double v, boolean booleans) {
        return booleans ? (v != 0 ? "True" : "False") : Long.toString((long) v);
    }

    /** Chooses the mode and width from the displayed values, as {@code _Formatter.__init__} does. */
    ElementFormatter(double[] displayed) {
        integerDtype = false;
        booleanDtype = false;
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        boolean integral = true;
        int count = 0;
        for (double v : displayed) {
            if (Double.isFinite(v) && v != 0) {
                count++;
                min = Math.min(min, Math.abs(v));
                max = Math.max(max, Math.abs(v));
                integral &= v == Math.ceil(v);
            }
        }
        if (count == 0) {
            // Nothing to measure: PyTorch keeps its defaults (integer mode, width 1).
            intMode = true;
            sciMode = false;
            width = 1;
            return;
        }
        boolean wideRange = max / min > 1000.0 || max > 1.0e8;
        intMode = integral;
        sciMode = integral ? wideRange : wideRange || min < 1.0e-4;
        int w = 1;
        for (double v : displayed) {
            if (Double.isFinite(v) && v != 0) {
                w = Math.max(w, measure(v));
            }
        }
        width = w;
    }

    private int measure(double v) {
        if (sciMode) {
            return scientific(v, PRECISION).length();
        }
        if (intMode) {
            return fixed(v, 0).length() + 1; // room for the trailing '.'
        }
        return fixed(v, PRECISION).length();
    }

    /** The width every element is padded to (PyTorch's {@code max_width}). */
    int width() {
        return width;
    }

    /** One element, left-padded with spaces to {@link #width()} (never truncated). */
    String format(double v) {
        String s;
        if (integerDtype) {
            s = integralText(v, booleanDtype);
        } else if (sciMode) {
            s = scientific(v, PRECISION);
        } else if (intMode) {
            s = fixed(v, 0);
            if (Double.isFinite(v)) {
                s += ".";
            }
        } else {
            s = fixed(v, PRECISION);
        }
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /** Python's {@code '{:.Nf}'.format(v)} with {@code N = digits}. */
    static String fixed(double v, int digits) {
        String special = nonFinite(v);
        if (special != null) {
            return special;
        }
        BigDecimal rounded = new BigDecimal(Math.abs(v)).setScale(digits, RoundingMode.HALF_EVEN);
        return sign(v) + rounded.toPlainString();
    }

    /** Python's {@code '{:.Ne}'.format(v)} with {@code N = digits}, e.g. {@code 1.0000e-05}. */
    static String scientific(double v, int digits) {
        String special = nonFinite(v);
        if (special != null) {
            return special;
        }
        int exponent = 0;
        BigDecimal mantissa = BigDecimal.ZERO;
        if (v != 0) {
            BigDecimal rounded = new BigDecimal(Math.abs(v))
                    .round(new MathContext(digits + 1, RoundingMode.HALF_EVEN));
            exponent = rounded.precision() - rounded.scale() - 1;
            mantissa = rounded.scaleByPowerOfTen(-exponent);
        }
        String digitsText = mantissa.setScale(digits, RoundingMode.UNNECESSARY).toPlainString();
        String exponentText = String.format("%02d", Math.abs(exponent));
        return sign(v) + digitsText + "e" + (exponent < 0 ? "-" : "+") + exponentText;
    }

    /** Python's spelling of NaN and the infinities, or null for finite values. */
    private static String nonFinite(double v) {
        if (Double.isNaN(v)) {
            return "nan"; // Python never prints a sign on NaN
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return null;
    }

    /** "-" for negative values including -0.0, as Python prints them. */
    private static String sign(double v) {
        return Math.copySign(1.0, v) < 0 ? "-" : "";
    }
}
