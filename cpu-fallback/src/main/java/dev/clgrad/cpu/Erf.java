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

    private Erf() {
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
