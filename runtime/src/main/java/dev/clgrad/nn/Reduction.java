package dev.clgrad.nn;

/**
 * How a loss reduces its per-element values, as PyTorch's {@code reduction=} argument:
 * {@code 'mean'}, {@code 'sum'} or {@code 'none'}.
 */
public enum Reduction {
    /** The mean over every element (PyTorch's default). */
    MEAN,
    /** The sum over every element. */
    SUM,
    /** No reduction: the loss has the (broadcast) input's shape. */
    NONE
}
