package dev.clgrad.spi;

/** Reduction primitives (see {@link Backend#reduce}). */
public enum ReduceOp {
    /** Sum; 0 over no elements. */
    SUM,
    /** Largest element; NaN if any element is NaN. Never called over no elements. */
    MAX,
    /** Smallest element; NaN if any element is NaN. Never called over no elements. */
    MIN
}
