package dev.clgrad.opencl;

import dev.clgrad.spi.Layout;

import java.util.Arrays;

/**
 * The geometry a strided kernel sees: several views of one shape reduced to as few dimensions
 * as possible. Sizes of 1 are dropped and neighbouring dimensions merged wherever every view
 * steps through them as through one, so a contiguous or a broadcast view usually needs one or
 * two dimensions. Kernels take at most {@link #MAX_RANK}; {@link #split} cuts a deeper
 * geometry into launches over the trailing dimensions.
 *
 * @param shape sizes of the remaining dimensions
 * @param strides {@code strides[v]} are view v's strides over them
 * @param offsets {@code offsets[v]} is view v's first element
 */
record ClShape(long[] shape, long[][] strides, long[] offsets) {
    /** Dimensions one strided kernel launch handles (its shape and strides are {@code long8}). */
    static final int MAX_RANK = 8;

    /** The geometry of views of one shape. */
    static ClShape of(Layout... views) {
        long[] shape = views[0].shape();
        int nv = views.length;
        long[] outShape = new long[shape.length];
        long[][] outStrides = new long[nv][shape.length];
        long[] offsets = new long[nv];
        for (int v = 0; v < nv; v++) {
            offsets[v] = views[v].offset();
        }
        int rank = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = rank > 0;
            for (int v = 0; v < nv && merge; v++) {
                merge = outStrides[v][rank - 1] == views[v].strides()[d] * shape[d];
            }
            if (merge) {
                outShape[rank - 1] *= shape[d];
                for (int v = 0; v < nv; v++) {
                    outStrides[v][rank - 1] = views[v].strides()[d];
                }
            } else {
                outShape[rank] = shape[d];
                for (int v = 0; v < nv; v++) {
                    outStrides[v][rank] = views[v].strides()[d];
                }
                rank++;
            }
        }
        long[][] strides = new long[nv][];
        for (int v = 0; v < nv; v++) {
            strides[v] = Arrays.copyOf(outStrides[v], rank);
        }
        return new ClShape(Arrays.copyOf(outShape, rank), strides, offsets);
    }

    int rank() {
        return shape.length;
    }

    /** Number of elements. */
    long numel() {
        return product(shape);
    }

    /** The product of {@code sizes} (1 for none). */
    static long product(long[] sizes) {
        long n = 1;
        for (long s : sizes) {
            n *= s;
        }
        return n;
    }

    /** True when view {@code v} walks memory in order: one dimension of stride 1, or none. */
    boolean isDense(int v) {
        return rank() == 0 || (rank() == 1 && strides[v][0] == 1);
    }

    /** A kernel's {@code long8} of this geometry's sizes, padded with 1. */
    long[] shape8() {
        long[] s = new long[MAX_RANK];
        Arrays.fill(s, 1);
        System.arraycopy(shape, 0, s, 0, shape.length);
        return s;
    }

    /** A kernel's {@code long8} of view {@code v}'s strides, padded with 0. */
    long[] strides8(int v) {
        return Arrays.copyOf(strides[v], MAX_RANK);
    }

    /** Launch geometries of at most {@link #MAX_RANK} dimensions covering this one. */
    void split(java.util.function.Consumer<ClShape> launch) {
        if (rank() <= MAX_RANK) {
            launch.accept(this);
            return;
        }
        int outer = rank() - MAX_RANK;
        long[] index = new long[outer];
        while (true) {
            long[] offs = offsets.clone();
            for (int v = 0; v < offs.length; v++) {
                for (int d = 0; d < outer; d++) {
                    offs[v] += index[d] * strides[v][d];
                }
            }
            long[][] inner = new long[strides.length][];
            for (int v = 0; v < strides.length; v++) {
                inner[v] = Arrays.copyOfRange(strides[v], outer, rank());
            }
            launch.accept(new ClShape(Arrays.copyOfRange(shape, outer, rank()), inner, offs));
            int d = outer - 1;
            while (d >= 0 && ++index[d] == shape[d]) {
                index[d--] = 0;
            }
            if (d < 0) {
                return;
            }
        }
    }
}
