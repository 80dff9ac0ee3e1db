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
 * <p>Sizes and positions are {@code long}: a broadcast view (stride 0) may have far more than
 * 2^31 elements although its buffer is one Java array. Offsets and strides fit in {@code int}
 * once a stride is non-zero, because the backend has checked that every view lies inside its
 * buffer; {@link #rowLength} is capped at {@link #MAX_ROW} so callers can count a row in an
 * {@code int}.
 */
final class StridedCursor {
    /** The longest row {@link #rowLength} reports; a longer row is walked in several pieces. */
    static final int MAX_ROW = 1 << 30;

    private final int rank;
    private final long[] shape;
    /** {@code strides[k * rank + d]}: operand k, dimension d. */
    private final long[] strides;
    private final long[] base;
    private final int operands;
    private final long[] index;
    private final long[] offset;

    private StridedCursor(int rank, long[] shape, long[] strides, long[] base) {
        this.rank = rank;
        this.shape = shape;
        this.strides = strides;
        this.base = base;
        this.operands = base.length;
        this.index = new long[rank];
        this.offset = base.clone();
    }

    /**
     * A cursor over {@code shape} for operands with the given strides and offsets, positioned
     * at element 0. The shape must have no zero size.
     */
    static StridedCursor of(long[] shape, long[][] strides, long[] offsets) {
        int n = offsets.length;
        int full = shape.length;
        int cap = Math.max(full, 1);
        long[] sh = new long[cap];
        long[] st = new long[n * cap];
        int r = 0;
        for (int d = 0; d < full; d++) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = r > 0;
            for (int k = 0; k < n && merge; k++) {
                merge = strides[k][d] * shape[d] == st[k * cap + r - 1];
            }
            if (merge) {
                sh[r - 1] = Math.multiplyExact(sh[r - 1], shape[d]);
                for (int k = 0; k < n; k++) {
                    st[k * cap + r - 1] = strides[k][d];
                }
            } else {
                sh[r] = shape[d];
                for (int k = 0; k < n; k++) {
                    st[k * cap + r] = strides[k][d];
                }
                r++;
            }
        }
        if (r == 0) {
            sh[0] = 1;
            r = 1;
        }
        long[] compactStrides = new long[n * r];
        for (int k = 0; k < n; k++) {
            System.arraycopy(st, k * cap, compactStrides, k * r, r);
        }
        long[] compactShape = new long[r];
        System.arraycopy(sh, 0, compactShape, 0, r);
        return new StridedCursor(r, compactShape, compactStrides, offsets.clone());
    }

    /** A fresh cursor over the same geometry, positioned at element 0 (for another thread). */
    StridedCursor copy() {
        return new StridedCursor(rank, shape, strides, base);
    }

    /** Number of dimensions left after dropping and merging. */
    int rank() {
        return rank;
    }

    /** Elements left in the current row from the current position, at most {@link #MAX_ROW}. */
    int rowLength() {
        return (int) Math.min(MAX_ROW, shape[rank - 1] - index[rank - 1]);
    }

    /** Element offset of operand {@code k} at the current position. */
    int offset(int k) {
        return (int) offset[k];
    }

    /** Step of operand {@code k} along a row. */
    int innerStride(int k) {
        return (int) strides[k * rank + rank - 1];
    }

    /** Moves to row-major element number {@code linear}. */
    void seek(long linear) {
        System.arraycopy(base, 0, offset, 0, operands);
        long rest = linear;
        for (int d = rank - 1; d >= 0; d--) {
            long i = rest % shape[d];
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
