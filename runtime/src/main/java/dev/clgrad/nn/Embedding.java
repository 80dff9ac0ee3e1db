package dev.clgrad.nn;

import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;

/**
 * A lookup table of {@code count} vectors of size {@code dim}, as {@code torch.nn.Embedding}:
 * the weight is drawn from the standard normal distribution (PyTorch's init), and
 * {@link #forward} maps int64 indices of any shape to their rows.
 */
public class Embedding extends Module {
    private final long count;
    private final long dim;

    /** A table of {@code count} rows of size {@code dim}. */
    public Embedding(long count, long dim) {
        if (count < 0 || dim < 0) {
            throw new IllegalArgumentException("Embedding: Trying to create tensor with negative dimension: ["
                    + count + ", " + dim + "]");
        }
        this.count = count;
        this.dim = dim;
        try (var scope = TensorScope.open()) {
            registerParameter("weight", scope.keep(Tensor.randn(count, dim)));
        }
    }

    /** The table, {@code [count, dim]}. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** The rows of {@code input}'s indices: shape {@code input.shape() + [dim]}. */
    @Override
    public Tensor forward(Tensor input) {
        return Functional.embedding(input, weight());
    }

    @Override
    protected String extraRepr() {
        return count + ", " + dim;
    }
}
