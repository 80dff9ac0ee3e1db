package dev.clgrad.cpu;

/**
 * The error function, which {@link Math} lacks, to about 1e-15 relative: below 3 a series of
 * positive terms (no cancellation), {@code erf x = 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (2n+1)!!};
 * from 3 the continued fraction of {@code erfc}, which converges fast there; from 6 on, erf is
 * 1 in double.
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double SQRT_PI = 1.7724538509055159;
    private static final double SQRT1_2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    private Erf() {
    }

    /**
     * erf to float32 accuracy (absolute error below 2e-7, relative below 5e-8 under 0.5), ten
     * times cheaper than {@link #erf}: below 0.5 the Taylor series to x^13, above it Abramowitz
     * and Stegun's 7.1.26 (one exp).
     */
    static double erfFloat(double x) {
        double ax = Math.abs(x);
        double r;
        if (Double.isNaN(x)) {
            return x;
        } else if (ax < 0.5) {
            double x2 = x * x;
            return TWO_OVER_SQRT_PI * x * (1 + x2 * (-1.0 / 3 + x2 * (1.0 / 10 + x2 * (-1.0 / 42 + x2 * (1.0 / 216
                    + x2 * (-1.0 / 1320 + x2 * (1.0 / 9360)))))));
        } else if (ax >= 6) {
            r = 1;
        } else {
            double t = 1 / (1 + 0.3275911 * ax);
            double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                    + t * 1.061405429))));
            r = 1 - poly * Math.exp(-ax * ax);
        }
        return x < 0 ? -r : r;
    }

    /** GELU's exact form from an erf: {@code x/2 (1 + erf(x / sqrt 2))}. */
    static double gelu(double x, boolean floatAccuracy) {
        double e = floatAccuracy ? erfFloat(x * SQRT1_2) : erf(x * SQRT1_2);
        return 0.5 * x * (1 + e);
    }

    /** GELU's derivative times {@code g}: {@code g (Phi(x) + x phi(x))}. */
    static double geluBackward(double g, double x, boolean floatAccuracy) {
        double cdf = 0.5 * (1 + (floatAccuracy ? erfFloat(x * SQRT1_2) : erf(x * SQRT1_2)));
        double pdf = Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
        return g * (cdf + x * pdf);
    }

    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        double r;
        if (ax >= 6) {
            r = 1;
        } else if (ax < 3) {
            double x2 = ax * ax;
            double term = ax;
            double sum = ax;
            for (int n = 1; term > sum * 1e-17; n++) {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
            }
            r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
        } else {
            r = 1 - erfcContinuedFraction(ax);
        }
        return x < 0 ? -r : r;
    }

    /** {@code erfc x} for {@code x >= 3}: {@code e^(-x^2) / (sqrt(pi) (x + (1/2) / (x + 1 / (x + (3/2) / ...))))}. */
    private static double erfcContinuedFraction(double x) {
        // modified Lentz evaluation of x + a1/(x + a2/(x + ...)) with a_n = n/2
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double a = n / 2.0;
            d = 1 / (x + a * d);
            c = x + a / c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / (SQRT_PI * f);
    }
}
