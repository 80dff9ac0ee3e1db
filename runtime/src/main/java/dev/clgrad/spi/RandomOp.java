package dev.clgrad.spi;

/**
 * Random distributions drawn from the Philox4x32-10 stream. The mapping from stream words to
 * values is specified by {@link Philox}, so every backend yields bit-identical values.
 */
public enum RandomOp {
    /** Uniform on [0, 1). */
    UNIFORM,
    /** Standard normal (Box-Muller). */
    NORMAL
}
