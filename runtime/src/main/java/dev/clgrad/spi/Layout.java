package dev.clgrad.spi;

import java.util.Arrays;

/**
 * Where the elements of a strided view live in a buffer: element {@code (i0, i1, ...)} is at
 * {@code offset + i0 * strides[0] + i1 * strides[1] + ...} (in elements, not bytes).
 *
 * <p>A stride of 0 repeats one element along its dimension (broadcasting). An immutable value:
 * the arrays are owned by the layout once passed in, and callers must not mutate them or what
 * {@link #shape()} and {@link #strides()} return. They are not copied because layouts are made
 * on every op; for the same reason the element count and contiguity are computed once.
 */
public final class Layout {
    private final long[] shape;
    private final long[] strides;
    private final long offset;
    private final long numel;
    private final boolean contiguous;

    /**
     * @param shape size of each dimension
     * @param strides element stride of each dimension
     * @param offset index of the first element
     */
    public Layout(long[] shape, long[] strides, long offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("Layout: " + shape.length + " sizes but " + strides.length
                    + " strides");
        }
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        long n = 1;
        for (long s : shape) {
            try {
                n = Math.multiplyExact(n, s);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("Layout: shape " + Arrays.toString(shape)
                        + " has more elements than a 64-bit count holds (numel: integer multiplication overflow)");
            }
        }
        this.numel = n;
        this.contiguous = computeContiguous(shape, strides, n);
    }

    /** The row-major contiguous layout of {@code shape}, starting at element 0. */
    public static Layout contiguous(long... shape) {
        return new Layout(shape, contiguousStrides(shape), 0);
    }

    /** Row-major strides for {@code shape}. */
    public static long[] contiguousStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return strides;
    }

    private static boolean computeContiguous(long[] shape, long[] strides, long numel) {
        if (numel == 0) {
            return true;
        }
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** Size of each dimension (not a copy: do not modify). */
    public long[] shape() {
        return shape;
    }

    /** Element stride of each dimension (not a copy: do not modify). */
    public long[] strides() {
        return strides;
    }

    /** Index of the first element in the buffer. */
    public long offset() {
        return offset;
    }

    /** Number of dimensions. */
    public int dim() {
        return shape.length;
    }

    /** Number of elements (1 for a 0-dim layout, 0 when any size is 0). */
    public long numel() {
        return numel;
    }

    /** True when the elements are packed in row-major order (sizes of 1 may have any stride). */
    public boolean isContiguous() {
        return contiguous;
    }

    /**
     * Whether the elements fill a block of memory exactly once in some order: a permutation of a
     * contiguous layout, ignoring dimensions of size 0 or 1 (PyTorch's
     * {@code is_non_overlapping_and_dense}).
     */
    public boolean isNonOverlappingAndDense() {
        if (contiguous) {
            return true;
        }
        int rank = shape.length;
        if (rank == 1) {
            return shape[0] < 2 || strides[0] == 1;
        }
        Integer[] perm = new Integer[rank];
        for (int d = 0; d < rank; d++) {
            perm[d] = d;
        }
        // by stride, with dims of size 0 and 1 last (stable, as PyTorch's order does not matter for them)
        Arrays.sort(perm, (a, b) -> {
            boolean smallA = shape[a] < 2;
            boolean smallB = shape[b] < 2;
            if (smallA || smallB) {
                return Boolean.compare(smallA, smallB);
            }
            return Long.compare(strides[a], strides[b]);
        });
        long required = 1;
        for (int d : perm) {
            if (shape[d] < 2) {
                return true;
            }
            if (strides[d] != required) {
                return false;
            }
            required *= shape[d];
        }
        return true;
    }

    /**
     * One past the largest element index this layout touches (its {@code offset} when empty), for
     * non-negative strides; {@link Long#MAX_VALUE} when that index does not fit in a long.
     */
    public long extent() {
        if (numel == 0) {
            return offset;
        }
        try {
            long last = offset;
            for (int d = 0; d < shape.length; d++) {
                last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, strides[d]));
            }
            return Math.addExact(last, 1);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layout l && offset == l.offset
                && Arrays.equals(shape, l.shape) && Arrays.equals(strides, l.strides);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(strides)) + Long.hashCode(offset);
    }

    @Override
    public String toString() {
        return "Layout(shape=" + Arrays.toString(shape) + ", strides=" + Arrays.toString(strides)
                + ", offset=" + offset + ")";
    }
}
