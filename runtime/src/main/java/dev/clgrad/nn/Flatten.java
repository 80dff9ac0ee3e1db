package dev.clgrad.nn;

import dev.clgrad.Tensor;

/**
 * Flattens dims {@code startDim..endDim} into one, as {@code torch.nn.Flatten} (by default all
 * but the batch dim: {@code [N, C, H, W] -> [N, C*H*W]}). It reshapes, so a contiguous input
 * gives a view; when the range is one dim the input itself is returned, as PyTorch does.
 */
public class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    /** {@code Flatten(1, -1)}. */
    public Flatten() {
        this(1, -1);
    }

    /** Flattens dims {@code startDim} to {@code endDim} inclusive (negative dims count from the end). */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        Functional.notNull(input, "Flatten.forward", "input");
        int rank = input.dim();
        int start = wrap(startDim, rank);
        int end = wrap(endDim, rank);
        if (start > end) {
            throw new IllegalArgumentException("Flatten: flatten() has invalid args: start_dim cannot come after "
                    + "end_dim (start_dim=" + startDim + ", end_dim=" + endDim + " for an input of shape "
                    + PyText.list(input.shape()) + ")");
        }
        if (rank == 0) {
            return input.reshape(1);
        }
        if (start == end) {
            return input;
        }
        long[] shape = input.shape();
        long[] out = new long[rank - (end - start)];
        long merged = 1;
        for (int d = start; d <= end; d++) {
            merged *= shape[d];
        }
        System.arraycopy(shape, 0, out, 0, start);
        out[start] = merged;
        System.arraycopy(shape, end + 1, out, start + 1, rank - end - 1);
        return input.reshape(out);
    }

    /** PyTorch's {@code maybe_wrap_dim}: a 0-dim tensor counts as having one dim. */
    private static int wrap(int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException("Flatten: Dimension out of range (expected to be in range of [" + -r
                    + ", " + (r - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
