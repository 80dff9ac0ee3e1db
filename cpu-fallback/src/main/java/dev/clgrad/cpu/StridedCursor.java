package dev.clgrad.cpu;

/**
 * An odometer over one shape that walks several strided operands at once, row by row.
 *
 * <p>Dimensions of size 1 are dropped and neighbours that are contiguous for every operand are
 * merged first, so a contiguous tensor walks as one long row. A row is a run along the last
 * (merged) dimension: callers process {@link #rowLength} elements starting at {@link #offset}
 * with step {@link #innerStride} for each operand, then {@link #advance}. Offsets move
 * incrementally; only {@link #seek} divides.
 *
 * <p>Offsets are {@code int}: the backend has checked that every view lies inside a buffer of
 * at most {@code Integer.MAX_VALUE - 8} elements, so every position and every stride of a
 * dimension longer than 1 fits.
 */
final class StridedCursor {
    private final int rank;
    private final int[] shape;
    /** {@code strides[k * rank + d]}: operand k, dimension d. */
    private final int[] strides;
    private final int[] base;
    private final int operands;
    private final int[] index;
    private final int[] offset;

    private StridedCursor(int rank, int[] shape, int[] strides, int[] base) {
        this.rank = rank;
        this.shape = shape;
        this.strides = strides;
        this.base = base;
        this.operands = base.length;
        this.index = new int[rank];
        this.offset = base.clone();
    }

    /**
     * A cursor over {@code shape} for operands with the given strides and offsets, positioned
     * at element 0. The shape must have no zero size.
     */
    static StridedCursor of(long[] shape, long[][] strides, long[] offsets) {
        int n = offsets.length;
        int full = shape.length;
        int[] sh = new int[Math.max(full, 1)];
        int[] st = new int[n * Math.max(full, 1)];
        int r = 0;
        for (int d = 0; d < full; d++) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = r > 0;
            for (int k = 0; k < n && merge; k++) {
                merge = strides[k][d] * shape[d] == st[k * sh.length + r - 1];
            }
            if (merge) {
                sh[r - 1] *= (int) shape[d];
                for (int k = 0; k < n; k++) {
                    st[k * sh.length + r - 1] = (int) strides[k][d];
                }
            } else {
                sh[r] = (int) shape[d];
                for (int k = 0; k < n; k++) {
                    st[k * sh.length + r] = (int) strides[k][d];
                }
                r++;
            }
        }
        if (r == 0) {
            sh[0] = 1;
            r = 1;
        }
        int[] compactStrides = new int[n * r];
        for (int k = 0; k < n; k++) {
            System.arraycopy(st, k * sh.length, compactStrides, k * r, r);
        }
        int[] compactShape = new int[r];
        System.arraycopy(sh, 0, compactShape, 0, r);
        int[] b = new int[n];
        for (int k = 0; k < n; k++) {
            b[k] = (int) offsets[k];
        }
        return new StridedCursor(r, compactShape, compactStrides, b);
    }

    /** A fresh cursor over the same geometry, positioned at element 0 (for another thread). */
    StridedCursor copy() {
        return new StridedCursor(rank, shape, strides, base);
    }

    /** Number of dimensions left after dropping and merging. */
    int rank() {
        return rank;
    }

    /** Elements in one full row (the last merged dimension). */
    int rowSize() {
        return shape[rank - 1];
    }

    /** Elements left in the current row from the current position. */
    int rowLength() {
        return shape[rank - 1] - index[rank - 1];
    }

    /** Element offset of operand {@code k} at the current position. */
    int offset(int k) {
        return offset[k];
    }

    /** Step of operand {@code k} along a row. */
    int innerStride(int k) {
        return strides[k * rank + rank - 1];
    }

    /** Moves to row-major element number {@code linear}. */
    void seek(long linear) {
        System.arraycopy(base, 0, offset, 0, operands);
        long rest = linear;
        for (int d = rank - 1; d >= 0; d--) {
            int i = (int) (rest % shape[d]);
            rest /= shape[d];
            index[d] = i;
            for (int k = 0; k < operands; k++) {
                offset[k] += i * strides[k * rank + d];
            }
        }
    }

    /** Moves {@code count} elements forward; {@code count} must not exceed {@link #rowLength}. */
    void advance(int count) {
        int last = rank - 1;
        index[last] += count;
        for (int k = 0; k < operands; k++) {
            offset[k] += count * strides[k * rank + last];
        }
        int d = last;
        while (index[d] == shape[d] && d > 0) {
            for (int k = 0; k < operands; k++) {
                offset[k] += strides[k * rank + d - 1] - shape[d] * strides[k * rank + d];
            }
            index[d] = 0;
            d--;
            index[d]++;
        }
    }
}
