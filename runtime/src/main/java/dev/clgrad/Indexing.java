package dev.clgrad;

import dev.clgrad.autograd.Formula;
import dev.clgrad.spi.ReduceOp;

/**
 * Ops that pick elements by index: {@code gather}, {@code scatterAdd}, {@code indexSelect},
 * {@code oneHot}, and the arg-reductions ({@code argmax}, {@code max(dim)}, {@code amax}).
 * Index tensors are int64 and range-checked on the host before a kernel reads them (one small
 * read of their minimum and maximum), so a bad index is an exception, never a wild read.
 */
final class Indexing {
    private Indexing() {
    }

    /** Input: x; extra 0: the index; args: dim. */
    static final Formula GATHER = Formula.of("GatherBackward0", Indexing::scatteredBack);

    /** Inputs: self, src; extra 0: the index; args: dim. */
    static final Formula SCATTER_ADD = Formula.of("ScatterAddBackward0", (c, g) -> new Tensor[] {
        c.needsGrad(0) ? g : null,
        c.needsGrad(1) ? g.gather((int) c.arg(0), c.extra(0)) : null});

    /** Input: x; extra 0: the index expanded to the output's shape; args: dim. */
    static final Formula INDEX_SELECT = Formula.of("IndexSelectBackward0", Indexing::scatteredBack);

    /** Input: x; extra 0: the indices (keepdim shape); args: dim, keepDim. */
    static final Formula MAX_DIM = Formula.of("MaxBackward0", Indexing::valueSelectingBackward);
    static final Formula MIN_DIM = Formula.of("MinBackward0", Indexing::valueSelectingBackward);

    /** Input: x (saved) and the result; args: keepDim, then dims. */
    static final Formula AMAX = Formula.saving("AmaxBackward0", new int[] {1}, 1, Indexing::evenlyShared);
    static final Formula AMIN = Formula.saving("AminBackward0", new int[] {1}, 1, Indexing::evenlyShared);

    /** The gradient of a pick by index: the upstream gradient added back at the picked positions. */
    private static Tensor[] scatteredBack(Formula.Context c, Tensor g) {
        return new Tensor[] {g.newZeros(c.inputShape(0)).scatterAdd((int) c.arg(0), c.extra(0), g)};
    }

    private static Tensor[] valueSelectingBackward(Formula.Context c, Tensor g) {
        int dim = (int) c.arg(0);
        Tensor gk = c.arg(1) != 0 || c.inputShape(0).length == 0 ? g : g.unsqueeze(dim);
        return new Tensor[] {g.newZeros(c.inputShape(0)).scatterAdd(dim, c.extra(0), gk)};
    }

    /** PyTorch's amax/amin backward: the gradient is shared evenly by the elements equal to the result. */
    private static Tensor[] evenlyShared(Formula.Context c, Tensor g) {
        int[] dims = new int[c.argCount() - 1];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = (int) c.arg(i + 1);
        }
        Tensor result = c.result();
        Tensor gk = g;
        if (c.arg(0) == 0 && c.inputShape(0).length > 0) {
            int[] sorted = dims.clone();
            java.util.Arrays.sort(sorted);
            for (int d : sorted) {
                gk = gk.unsqueeze(d);
                result = result.unsqueeze(d);
            }
        }
        Tensor mask = c.input(0).eq(result).to(g.dtype());
        return new Tensor[] {gk.mul(mask).div(mask.sum(dims, true))};
    }

    // ---- gather and scatter ------------------------------------------------------------

    static Tensor gather(Tensor x, int dim, Tensor index) {
        x.checkOpen("gather");
        index.checkOpen("gather");
        Tensor.checkSameDevice("gather", x, index);
        int d = Shapes.wrapDim("gather", dim, Math.max(x.dim(), 1));
        checkIndexShape("gather", x, d, index, index.layout().shape(), "input");
        checkRange("gather", index, x.dim() == 0 ? 1 : x.layout().shape()[d], d);
        Tensor out = Creation.empty(x.device(), x.dtype(), index.layout().shape());
        if (out.numel() > 0) {
            x.backend().gather(x.view(), d, index.view(), out.view());
        }
        return Recorder.record(out, GATHER, new Tensor[] {x}, new Tensor[] {index}, d);
    }

    /** {@code self} with {@code src} added at the indexed positions, out of place. */
    static Tensor scatterAdd(Tensor self, int dim, Tensor index, Tensor src) {
        self.checkOpen("scatter_add");
        index.checkOpen("scatter_add");
        src.checkOpen("scatter_add");
        Tensor.checkSameDevice("scatter_add", self, index);
        Tensor.checkSameDevice("scatter_add", self, src);
        int d = Shapes.wrapDim("scatter_add", dim, Math.max(self.dim(), 1));
        if (src.dtype() != self.dtype()) {
            throw new IllegalArgumentException("scatter_add(): Expected self.dtype to be equal to src.dtype ("
                    + self.dtype().pyName() + " vs " + src.dtype().pyName() + ")");
        }
        if (!self.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("scatter_add: " + self.dtype().pyName() + " is not supported; clgrad "
                    + "scatters float32 and float64");
        }
        checkIndexShape("scatter_add", self, d, index, index.layout().shape(), "self");
        if (!java.util.Arrays.equals(index.layout().shape(), src.layout().shape())) {
            throw new IllegalArgumentException("scatter_add: index " + Shapes.str(index.shape()) + " and src "
                    + Shapes.str(src.shape()) + " must have one shape");
        }
        checkRange("scatter_add", index, self.dim() == 0 ? 1 : self.layout().shape()[d], d);
        Tensor out = Creation.empty(self.device(), self.dtype(), self.layout().shape());
        if (out.numel() > 0) {
            self.backend().copy(self.view(), out.view());
            if (index.numel() > 0) {
                self.backend().scatterAdd(out.view(), d, index.view(), src.view());
            }
        }
        return Recorder.record(out, SCATTER_ADD, new Tensor[] {self, src}, new Tensor[] {index}, d);
    }

    /** The entries of {@code x} at {@code index} (1-D int64) along {@code dim}. */
    static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        x.checkOpen("index_select");
        index.checkOpen("index_select");
        Tensor.checkSameDevice("index_select", x, index);
        if (index.dim() > 1) {
            throw new IllegalArgumentException("index_select(): Index is supposed to be a vector (got shape "
                    + Shapes.str(index.shape()) + ")");
        }
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException("index_select(): Expected dtype int64 for index (got "
                    + index.dtype().pyName() + ")");
        }
        if (x.dim() == 0) {
            Shapes.wrapDim("index_select", dim, 1);
            return indexSelect(x.reshape(1), 0, index).reshape(index.dim() == 0 ? new long[0] : index.shape());
        }
        int d = Shapes.wrapDim("index_select", dim, x.dim());
        long size = x.layout().shape()[d];
        checkRange("index_select", index, size, d);
        long n = index.numel();
        long[] outShape = x.layout().shape().clone();
        long[] indexShape = new long[x.dim()];
        java.util.Arrays.fill(indexShape, 1);
        indexShape[d] = n;
        outShape[d] = n;
        // the index seen with the output's shape, repeated (stride 0) along every other dim
        Tensor expanded = index.reshape(indexShape).expand(outShape);
        Tensor out = Creation.empty(x.device(), x.dtype(), outShape);
        if (out.numel() > 0) {
            x.backend().gather(x.view(), d, expanded.view(), out.view());
        }
        return Recorder.record(out, INDEX_SELECT, new Tensor[] {x}, new Tensor[] {expanded}, d);
    }

    private static void checkIndexShape(String op, Tensor x, int d, Tensor index, long[] positions, String name) {
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + "(): Expected dtype int64 for index (got "
                    + index.dtype().pyName() + ")");
        }
        long[] xs = x.layout().shape();
        if (Math.max(xs.length, 1) != Math.max(positions.length, 1)) {
            throw new IllegalArgumentException(op + "(): Index tensor must have the same number of dimensions as "
                    + name + " tensor (index " + Shapes.str(positions) + ", " + name + " " + Shapes.str(xs) + ")");
        }
        for (int k = 0; k < positions.length && xs.length > 0; k++) {
            if (k != d && positions[k] > xs[k]) {
                throw new IllegalArgumentException(op + "(): Size does not match at dimension " + k
                        + " expected index " + Shapes.str(positions) + " to be smaller than " + name + " "
                        + Shapes.str(xs) + " apart from dimension " + d);
            }
        }
    }

    /** Every index in {@code [0, size)}: one read of the index's minimum and maximum. */
    static void checkRange(String op, Tensor index, long size, int dim) {
        if (index.numel() == 0) {
            return;
        }
        long min;
        long max;
        try (var g = Autograd.noGrad(); TensorScope scope = TensorScope.open()) {
            // both ends in one read: one wait for the device
            long[] range = Joins.stack(java.util.List.of(index.min(), index.max()), 0).toLongArray();
            min = range[0];
            max = range[1];
        }
        if (min < 0 || max >= size) {
            long bad = min < 0 ? min : max;
            throw new IndexOutOfBoundsException(op + "(): index " + bad + " is out of bounds for dimension " + dim
                    + " with size " + size);
        }
    }

    /** {@code indices} as one-hot rows of {@code classes} (-1: the largest index plus one), int64. */
    static Tensor oneHot(Tensor indices, long classes) {
        indices.checkOpen("one_hot");
        if (indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("one_hot is only applicable to index tensor (int64), got "
                    + indices.dtype().pyName());
        }
        long n = classes;
        if (indices.numel() > 0) {
            long min = (long) indices.min().item();
            long max = (long) indices.max().item();
            if (min < 0) {
                throw new IllegalArgumentException("one_hot: Class values must be non-negative (got " + min + ")");
            }
            if (n < 0) {
                n = max + 1;
            } else if (max >= n) {
                throw new IllegalArgumentException("one_hot: Class values must be smaller than num_classes (got "
                        + max + " with num_classes " + n + ")");
            }
        } else if (n < 0) {
            throw new IllegalArgumentException("one_hot: Can not infer total number of classes from empty tensor.");
        }
        try (var g = Autograd.noGrad()) {
            Tensor range = Creation.arange(0, n, 1, DType.INT64, indices.device());
            return indices.unsqueeze(-1).eq(range).to(DType.INT64);
        }
    }

    // ---- arg-reductions ----------------------------------------------------------------

    /**
     * The index of the first largest (or smallest) element along {@code dim}, NaN counting as
     * largest and smallest as PyTorch's; {@code dim} null: of the flattened tensor.
     */
    static Tensor argExtreme(Tensor x, Integer dim, boolean keepDim, boolean max) {
        String op = max ? "argmax" : "argmin";
        x.checkOpen(op);
        try (var g = Autograd.noGrad()) {
            Tensor flat = dim == null ? x.reshape(-1) : x;
            if (flat.numel() == 0 && (dim == null || flat.dim() == 0 || flat.layout().shape()[
                    Shapes.wrapDim(op, dim, Math.max(flat.dim(), 1))] == 0)) {
                throw new IllegalArgumentException(op + "(): Expected reduction dim to be specified for input.numel() "
                        + "== 0, or the reduced dimension to be non-empty (shape " + Shapes.str(x.shape()) + ")");
            }
            if (flat.dim() == 0) {
                return Creation.full(0, DType.INT64, new long[0], x.device());
            }
            int d = dim == null ? 0 : Shapes.wrapDim(op, dim, flat.dim());
            Tensor extreme = Reductions.reduceDims(op, flat, max ? ReduceOp.MAX : ReduceOp.MIN, new int[] {d}, true);
            Tensor hit = flat.dtype().isFloatingPoint()
                    ? flat.eq(extreme).add(flat.ne(flat).mul(extreme.ne(extreme)))
                    : flat.eq(extreme);
            long size = flat.layout().shape()[d];
            long[] positionsShape = new long[flat.dim()];
            java.util.Arrays.fill(positionsShape, 1);
            positionsShape[d] = size;
            Tensor positions = Creation.arange(0, size, 1, DType.INT64, x.device()).reshape(positionsShape);
            Tensor candidates = Pointwise.where(hit, positions, Creation.full(size, DType.INT64, new long[0],
                    x.device()));
            Tensor first = Reductions.reduceDims(op, candidates, ReduceOp.MIN, new int[] {d}, keepDim && dim != null);
            return dim == null && keepDim ? first.reshape(ones(x.dim())) : first;
        }
    }

    private static long[] ones(int rank) {
        long[] s = new long[rank];
        java.util.Arrays.fill(s, 1);
        return s;
    }

    /** {@code max(dim)} / {@code min(dim)}: values (differentiable) and their first indices. */
    static Tensor.ValuesIndices extremeDim(Tensor x, int dim, boolean keepDim, boolean max) {
        String op = max ? "max" : "min";
        x.checkOpen(op);
        int d = Shapes.wrapDim(op, dim, Math.max(x.dim(), 1));
        if (x.dim() > 0 && x.layout().shape()[d] == 0) {
            throw new IllegalArgumentException(op + "(): Expected reduction dim " + d + " to have non-zero size.");
        }
        Tensor indicesKept = argExtreme(x, d, true, max);
        Tensor values;
        try (var g = Autograd.noGrad()) {
            values = x.dim() == 0 ? x.clone()
                    : Reductions.reduceDims(op, x, max ? ReduceOp.MAX : ReduceOp.MIN, new int[] {d}, keepDim);
        }
        Tensor indices = keepDim || x.dim() == 0 ? indicesKept : indicesKept.squeeze(d);
        values = Recorder.record(values, max ? MAX_DIM : MIN_DIM, new Tensor[] {x}, new Tensor[] {indicesKept}, d,
                keepDim ? 1 : 0);
        return new Tensor.ValuesIndices(values, indices);
    }

    /** {@code amax}/{@code amin} over {@code dims} (all when empty). */
    static Tensor amaxAmin(Tensor x, int[] dims, boolean keepDim, boolean max) {
        String op = max ? "amax" : "amin";
        x.checkOpen(op);
        int[] all = dims.length > 0 ? dims : java.util.stream.IntStream.range(0, x.dim()).toArray();
        int[] wrapped = Reductions.wrapDims(op, all, x.dim());
        for (int d : wrapped) {
            if (x.dim() > 0 && x.layout().shape()[d] == 0) {
                throw new IllegalArgumentException(op + "(): Expected reduction dim " + d + " to have non-zero size.");
            }
        }
        Tensor out;
        try (var g = Autograd.noGrad()) {
            out = Reductions.reduceDims(op, x, max ? ReduceOp.MAX : ReduceOp.MIN, wrapped, keepDim);
        }
        double[] args = new double[wrapped.length + 1];
        args[0] = keepDim ? 1 : 0;
        for (int i = 0; i < wrapped.length; i++) {
            args[i + 1] = wrapped[i];
        }
        return Recorder.record(out, max ? AMAX : AMIN, new Tensor[] {x}, args);
    }
}
