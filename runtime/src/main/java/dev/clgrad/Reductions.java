package dev.clgrad;

import dev.clgrad.autograd.Derivatives;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.ReduceOp;
import dev.clgrad.spi.View;

import java.util.Arrays;

/** Sum, mean, max, min and norm, over all elements or chosen dims. */
final class Reductions {
    private Reductions() {
    }

    static Tensor sum(Tensor x) {
        return Recorder.record(reduceAll("sum", x, ReduceOp.SUM), Derivatives.SUM, x);
    }

    static Tensor mean(Tensor x) {
        requireFloating("mean", x);
        Tensor out = reduceAll("mean", x, ReduceOp.SUM);
        scaleInPlace(out, x.numel());
        return Recorder.record(out, Derivatives.MEAN, x);
    }

    /** PyTorch 1.13 reads an empty dim list as every dim. */
    private static int[] allIfEmpty(int[] dims, int rank) {
        if (dims.length > 0) {
            return dims;
        }
        int[] all = new int[rank];
        for (int d = 0; d < rank; d++) {
            all[d] = d;
        }
        return all;
    }

    static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        Checks.notNull(dims, "sum", "dims");
        int[] wrapped = wrapDims("sum", allIfEmpty(dims, x.dim()), x.dim());
        return Recorder.record(reduceDims("sum", x, ReduceOp.SUM, wrapped, keepDim), Derivatives.SUM_DIM, x,
                dimArgs(wrapped, keepDim));
    }

    static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        Checks.notNull(dims, "mean", "dims");
        requireFloating("mean", x);
        int[] wrapped = wrapDims("mean", allIfEmpty(dims, x.dim()), x.dim());
        Tensor out = reduceDims("mean", x, ReduceOp.SUM, wrapped, keepDim);
        long count = 1;
        for (int d : wrapped) {
            count *= x.dim() == 0 ? 1 : x.shape()[d];
        }
        scaleInPlace(out, count);
        return Recorder.record(out, Derivatives.MEAN_DIM, x, dimArgs(wrapped, keepDim));
    }

    static Tensor max(Tensor x) {
        requireElements("max", x);
        return Recorder.record(reduceAll("max", x, ReduceOp.MAX), Derivatives.MAX, x);
    }

    static Tensor min(Tensor x) {
        requireElements("min", x);
        return Recorder.record(reduceAll("min", x, ReduceOp.MIN), Derivatives.MIN, x);
    }

    /** The 2-norm of all elements, {@code sqrt(sum(x * x))}. */
    static Tensor norm(Tensor x) {
        x.checkOpen("norm");
        requireFloating("norm", x);
        Tensor out;
        try (Tensor squares = Creation.empty(x.device(), x.dtype(), x.layout().shape())) {
            if (x.numel() > 0) {
                x.backend().elementwise(ElementwiseOp.MUL, 0, squares.view(), x.view(), x.view());
            }
            out = reduceAll("norm", squares, ReduceOp.SUM);
        }
        x.backend().elementwise(ElementwiseOp.SQRT, 0, out.view(), out.view());
        return Recorder.record(out, Derivatives.NORM, x);
    }

    private static void requireElements(String op, Tensor x) {
        if (x.numel() == 0) {
            throw new IllegalArgumentException(op + "(): expected a non-empty tensor, but the input has shape "
                    + Shapes.str(x.shape()) + " (0 elements); reduce over a dim with sum() or check the input");
        }
    }

    /** PyTorch cannot infer a mean's (or norm's) dtype from an integer or bool tensor. */
    private static void requireFloating(String op, Tensor x) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + "(): could not infer output dtype. Input dtype must be either a "
                    + "floating point or complex dtype. Got: " + x.dtype().pyName() + "; convert with "
                    + "to(DType.FLOAT32) first");
        }
    }

    /**
     * The type a reduction runs in: floating types as they are; otherwise int64 (a sum of bools
     * or bytes counts in int64, as PyTorch's does; max and min convert back afterwards).
     */
    private static DType reduceType(Tensor x) {
        return x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
    }

    /** The result's dtype: a sum of integers or bools is int64, max and min keep the input's. */
    private static DType resultType(Tensor x, ReduceOp reduce) {
        return reduce == ReduceOp.SUM ? reduceType(x) : x.dtype();
    }

    /** Runs {@code reduce} of {@code x} into {@code kept}-shaped {@code out}, casting non-float inputs. */
    private static Tensor reduceInto(Tensor x, ReduceOp reduce, long[] outShape, long[] kept) {
        DType type = reduceType(x);
        Tensor out = Creation.empty(x.device(), type, outShape);
        try (Tensor cx = Pointwise.castIfNeeded(x, type)) {
            x.backend().reduce(reduce, (cx == null ? x : cx).view(), new View(out.buffer(), Layout.contiguous(kept)));
        }
        DType result = resultType(x, reduce);
        if (result == type) {
            return out;
        }
        try (out) {
            return Pointwise.castIfNeeded(out, result);
        }
    }

    private static void scaleInPlace(Tensor out, long count) {
        out.backend().elementwise(ElementwiseOp.DIV_SCALAR, count, out.view(), out.view());
    }

    private static Tensor reduceAll(String op, Tensor x, ReduceOp reduce) {
        x.checkOpen(op);
        long[] ones = new long[x.dim()];
        Arrays.fill(ones, 1);
        return reduceInto(x, reduce, new long[0], ones);
    }

    static Tensor reduceDims(String op, Tensor x, ReduceOp reduce, int[] dims, boolean keepDim) {
        x.checkOpen(op);
        long[] kept = x.layout().shape().clone();
        for (int d : dims) {
            if (x.dim() > 0) {
                kept[d] = 1;
            }
        }
        long[] outShape = keepDim ? kept : dropDims(x.layout().shape(), dims);
        return reduceInto(x, reduce, outShape, kept);
    }

    static int[] wrapDims(String op, int[] dims, int rank) {
        boolean[] seen = new boolean[Math.max(rank, 1)];
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Shapes.wrapDim(op, dims[i], rank);
            if (seen[d]) {
                throw new IllegalArgumentException(op + ": dim " + d + " appears multiple times in the list of dims "
                        + Arrays.toString(dims));
            }
            seen[d] = true;
            out[i] = d;
        }
        return out;
    }

    private static long[] dropDims(long[] shape, int[] dims) {
        if (shape.length == 0) {
            return shape;
        }
        boolean[] drop = new boolean[shape.length];
        for (int d : dims) {
            drop[d] = true;
        }
        long[] out = new long[shape.length - dims.length];
        int k = 0;
        for (int d = 0; d < shape.length; d++) {
            if (!drop[d]) {
                out[k++] = shape[d];
            }
        }
        return out;
    }

    private static double[] dimArgs(int[] dims, boolean keepDim) {
        double[] args = new double[dims.length + 1];
        args[0] = keepDim ? 1 : 0;
        for (int i = 0; i < dims.length; i++) {
            args[i + 1] = dims[i];
        }
        return args;
    }
}
