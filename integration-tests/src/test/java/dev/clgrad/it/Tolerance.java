package dev.clgrad.it;

import dev.clgrad.DType;

/**
 * How far a result may be from its oracle (PyTorch's recorded value, or the float64 CPU
 * reference): {@code |a - e| <= atol + rtol |e|}, with bounds for float32 and for float64.
 */
record Tolerance(double rtol32, double atol32, double rtol64, double atol64) {
    /** Ops that only move, negate, select or compare values: any difference is a bug. */
    static final Tolerance EXACT = new Tolerance(0, 0, 0, 0);

    /**
     * One rounded operation per element: float32 gets ~160 ulp of slack (OpenCL allows up to
     * 16 ulp for {@code pow} and composites such as sigmoid add a few), float64 a few ulp.
     */
    static final Tolerance POINTWISE = new Tolerance(1e-5, 1e-6, 1e-10, 1e-12);

    /**
     * Against PyTorch, for ops that sum (matmul, reductions): PyTorch sums float32 in another
     * order, so float32 gets ten times the pointwise slack; float64 stays at a few ulp.
     */
    static final Tolerance SUMMING_VS_PYTORCH = new Tolerance(1e-4, 1e-5, 1e-10, 1e-12);

    /**
     * Values that each sum {@code terms} terms of magnitude up to {@code termBound}: rounding
     * errors of a tree or blocked sum grow like {@code sqrt(terms)}, so the absolute slack is
     * {@code 1e-6 sqrt(terms) termBound} in float32 (about 8 float32 ulps of the largest
     * term, times {@code sqrt(terms)}), far below the size of one dropped or repeated term.
     */
    static Tolerance summing(long terms, double termBound) {
        double scale = Math.sqrt(Math.max(terms, 1)) * termBound;
        return new Tolerance(1e-5, 1e-6 * scale, 1e-10, 1e-12 * scale);
    }

    /** Means of {@code terms} terms: the error of the sum, divided by the count. */
    static Tolerance averaging(long terms, double termBound) {
        return summing(terms, termBound / Math.max(terms, 1));
    }

    /** The looser of the two, bound by bound. */
    Tolerance max(Tolerance o) {
        return new Tolerance(Math.max(rtol32, o.rtol32), Math.max(atol32, o.atol32),
                Math.max(rtol64, o.rtol64), Math.max(atol64, o.atol64));
    }

    double rtol(DType dtype) {
        return dtype == DType.FLOAT64 ? rtol64 : rtol32;
    }

    double atol(DType dtype) {
        return dtype == DType.FLOAT64 ? atol64 : atol32;
    }
}
