package dev.clgrad.it;

import dev.clgrad.DType;

import java.util.Random;

/** Where a generated input's values are drawn from: an op's domain, per input, in its {@link OpInfo}. */
enum Domain {
    /** Uniform on [-2, 2]. */
    ANY(2),
    /** Uniform on [0.5, 2.5]: log, sqrt, the base of pow. */
    POSITIVE(2.5),
    /** Magnitude uniform on [0.5, 2], random sign: divisors. */
    NONZERO(2),
    /** One of -1, -0.5, 0, 0.5, 1: comparisons and conditions, so that ties occur. */
    STEPS(1),
    /** Uniform on [-1, 1]: upstream gradients. */
    UNIT(1),
    /** Integers 0..4, made an int64 input: class indices and gather indices (every size they index is >= 5). */
    CLASSES(4),
    /** 0 or 1, made a bool input: masks. */
    MASK(1);

    private static final double[] STEP_VALUES = {-1, -0.5, 0, 0.5, 1};

    /** The largest magnitude a value can have. */
    final double bound;

    Domain(double bound) {
        this.bound = bound;
    }

    double draw(Random r) {
        return switch (this) {
            case ANY -> 4 * r.nextDouble() - 2;
            case POSITIVE -> 0.5 + 2 * r.nextDouble();
            case NONZERO -> (r.nextBoolean() ? 1 : -1) * (0.5 + 1.5 * r.nextDouble());
            case STEPS -> STEP_VALUES[r.nextInt(STEP_VALUES.length)];
            case UNIT -> 2 * r.nextDouble() - 1;
            case CLASSES -> r.nextInt(5);
            case MASK -> r.nextInt(2);
        };
    }

    /**
     * {@code n} values drawn from this domain, rounded to {@code dtype}: the float64
     * reference then computes on exactly the values the device under test sees.
     */
    /** The dtype of an input drawn from this domain: the case's, or int64 / bool for indices and masks. */
    DType dtype(DType caseDtype) {
        return this == CLASSES ? DType.INT64 : this == MASK ? DType.BOOL : caseDtype;
    }

    double[] draw(Random r, long n, DType dtype) {
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            double x = draw(r);
            v[i] = dtype == DType.FLOAT32 ? (float) x : x;
        }
        return v;
    }
}
