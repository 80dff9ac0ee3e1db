package dev.clgrad;

import dev.clgrad.autograd.Formula;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;

import java.util.ArrayList;
import java.util.List;

/** Slicing views and joins: {@code slice}, {@code narrow}, {@code split}, {@code chunk}, {@code cat}, {@code stack}. */
final class Joins {
    private Joins() {
    }

    /** Args: dim, start, end, step (end clipped to the size). */
    static final Formula SLICE = Formula.of("SliceBackward0", (c, g) -> {
        Tensor gradInput = g.newZeros(c.inputShape(0));
        slice(gradInput, (int) c.arg(0), (long) c.arg(1), (long) c.arg(2), (long) c.arg(3)).copy_(g);
        return new Tensor[] {gradInput};
    });

    /** Args: dim, then each input's size along it. */
    static final Formula CAT = Formula.of("CatBackward0", (c, g) -> {
        int dim = (int) c.arg(0);
        Tensor[] grads = new Tensor[c.argCount() - 1];
        long at = 0;
        for (int i = 0; i < grads.length; i++) {
            long size = (long) c.arg(i + 1);
            grads[i] = c.needsGrad(i) ? g.narrow(dim, at, size) : null;
            at += size;
        }
        return grads;
    });

    /** Args: dim, count. */
    static final Formula STACK = Formula.of("StackBackward0", (c, g) -> {
        int dim = (int) c.arg(0);
        Tensor[] grads = new Tensor[(int) c.arg(1)];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = c.needsGrad(i) ? g.select(dim, i) : null;
        }
        return grads;
    });

    /** {@code x[..., start:end:step, ...]} along {@code dim}, a view; start and end clip as Python's slices do. */
    static Tensor slice(Tensor x, int dim, long start, long end, long step) {
        x.checkOpen("slice");
        if (x.dim() == 0) {
            throw new IllegalArgumentException("slice() cannot be applied to a 0-dim tensor");
        }
        if (step <= 0) {
            throw new IllegalArgumentException("slice: slice step must be positive (got " + step + ")");
        }
        int d = Shapes.wrapDim("slice", dim, x.dim());
        long size = x.layout().shape()[d];
        long s = clip(start < 0 ? start + size : start, size);
        long e = clip(end < 0 ? end + size : end, size);
        long length = e > s ? (e - s + step - 1) / step : 0;
        Layout l = x.layout();
        long[] shape = l.shape().clone();
        long[] strides = l.strides().clone();
        shape[d] = length;
        strides[d] = l.strides()[d] * step;
        Layout view = new Layout(shape, strides, l.offset() + s * l.strides()[d]);
        return Views.make(x, view, SLICE, d, s, Math.max(e, s), step);
    }

    private static long clip(long v, long size) {
        return Math.max(0, Math.min(v, size));
    }

    /** {@code length} elements from {@code start} along {@code dim}, a view ({@code torch.narrow}). */
    static Tensor narrow(Tensor x, int dim, long start, long length) {
        x.checkOpen("narrow");
        if (x.dim() == 0) {
            throw new IllegalArgumentException("narrow() cannot be applied to a 0-dim tensor.");
        }
        int d = Shapes.wrapDim("narrow", dim, x.dim());
        long size = x.layout().shape()[d];
        if (start < -size || start > size) {
            throw new IndexOutOfBoundsException("narrow: start (" + start + ") out of range for dimension " + d
                    + " of size " + size);
        }
        long s = start < 0 ? start + size : start;
        if (length < 0 || s + length > size) {
            throw new IllegalArgumentException("narrow: start (" + s + ") + length (" + length + ") exceeds dimension "
                    + "size (" + size + ").");
        }
        return slice(x, d, s, s + length, 1);
    }

    /** Dims {@code startDim..endDim} of {@code x} merged into one ({@code torch.flatten}). */
    static Tensor flatten(Tensor x, int startDim, int endDim) {
        x.checkOpen("flatten");
        if (x.dim() == 0) {
            return x.reshape(1);
        }
        int s = Shapes.wrapDim("flatten", startDim, x.dim());
        int e = Shapes.wrapDim("flatten", endDim, x.dim());
        if (s > e) {
            throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        }
        if (s == e) {
            return x;
        }
        long[] shape = x.layout().shape();
        long[] out = new long[shape.length - (e - s)];
        long merged = 1;
        for (int d = s; d <= e; d++) {
            merged *= shape[d];
        }
        for (int d = 0, k = 0; d < shape.length; d++) {
            if (d < s || d > e) {
                out[k++] = shape[d];
            } else if (d == s) {
                out[k++] = merged;
            }
        }
        return x.reshape(out);
    }

    /** Pieces of {@code size} along {@code dim} (the last may be smaller), as views. */
    static List<Tensor> split(Tensor x, long size, int dim) {
        x.checkOpen("split");
        if (size <= 0 && !(size == 0 && x.dim() > 0 && x.layout().shape()[Shapes.wrapDim("split", dim, x.dim())] == 0)) {
            throw new IllegalArgumentException("split: split_size can only be 0 if dimension size is 0, but got "
                    + "split_size " + size);
        }
        int d = Shapes.wrapDim("split", dim, x.dim());
        long total = x.layout().shape()[d];
        List<Tensor> out = new ArrayList<>();
        if (total == 0) {
            out.add(narrow(x, d, 0, 0));
            return out;
        }
        for (long at = 0; at < total; at += size) {
            out.add(narrow(x, d, at, Math.min(size, total - at)));
        }
        return out;
    }

    /** {@code chunks} pieces (fewer when the size does not allow), as {@code torch.chunk}. */
    static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        x.checkOpen("chunk");
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        }
        int d = Shapes.wrapDim("chunk", dim, x.dim());
        long total = x.layout().shape()[d];
        return split(x, Math.max(1, (total + chunks - 1) / chunks), d);
    }

    /** The inputs joined along {@code dim} ({@code torch.cat}); 1-D empty inputs are skipped, as in PyTorch. */
    static Tensor cat(List<Tensor> tensors, int dim) {
        Checks.notNull(tensors, "cat", "tensors");
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("cat: expected a non-empty list of Tensors");
        }
        Tensor first = null;
        DType dtype = null;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            Checks.notNull(t, "cat", "tensors[" + i + "]");
            t.checkOpen("cat");
            if (isSkipped(t)) {
                continue;
            }
            if (first == null) {
                first = t;
                dtype = t.dtype();
            } else {
                Tensor.checkSameDevice("cat", first, t);
                dtype = DType.promote(dtype, t.dtype());
            }
        }
        if (first == null) {
            return tensors.get(0).clone();
        }
        if (first.dim() == 0) {
            throw new IllegalArgumentException("cat: zero-dimensional tensor (at position 0) cannot be concatenated");
        }
        int d = Shapes.wrapDim("cat", dim, first.dim());
        long[] shape = first.layout().shape().clone();
        long total = 0;
        double[] args = new double[tensors.size() + 1];
        args[0] = d;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (isSkipped(t)) {
                continue;
            }
            long[] ts = t.layout().shape();
            boolean fits = ts.length == shape.length;
            for (int k = 0; fits && k < ts.length; k++) {
                fits = k == d || ts[k] == shape[k];
            }
            if (!fits) {
                throw new IllegalArgumentException("cat: Sizes of tensors must match except in dimension " + d
                        + ". Expected " + Shapes.str(shape) + " but got " + Shapes.str(ts) + " for tensor number " + i
                        + " in the list.");
            }
            args[i + 1] = ts[d];
            total += ts[d];
        }
        shape[d] = total;
        Tensor out = Creation.empty(first.device(), dtype, shape);
        long at = 0;
        for (Tensor t : tensors) {
            if (isSkipped(t) || t.numel() == 0) {
                at += isSkipped(t) ? 0 : t.layout().shape()[d];
                continue;
            }
            long size = t.layout().shape()[d];
            first.backend().copy(t.view(), new View(out.buffer(), narrowed(out.layout(), d, at, size)));
            at += size;
        }
        return Recorder.record(out, CAT, tensors.toArray(new Tensor[0]), args);
    }

    /** PyTorch's cat ignores 1-D tensors of size 0 whatever the others' shapes (legacy behaviour). */
    private static boolean isSkipped(Tensor t) {
        return t.dim() == 1 && t.numel() == 0;
    }

    private static Layout narrowed(Layout l, int dim, long start, long length) {
        long[] shape = l.shape().clone();
        shape[dim] = length;
        return new Layout(shape, l.strides(), l.offset() + start * l.strides()[dim]);
    }

    /** The inputs stacked along a new dim ({@code torch.stack}); all must have one shape. */
    static Tensor stack(List<Tensor> tensors, int dim) {
        Checks.notNull(tensors, "stack", "tensors");
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack expects a non-empty TensorList");
        }
        Tensor first = tensors.get(0);
        Checks.notNull(first, "stack", "tensors[0]");
        first.checkOpen("stack");
        long[] shape = first.layout().shape();
        DType dtype = first.dtype();
        for (int i = 1; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            Checks.notNull(t, "stack", "tensors[" + i + "]");
            t.checkOpen("stack");
            Tensor.checkSameDevice("stack", first, t);
            if (!java.util.Arrays.equals(shape, t.layout().shape())) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got "
                        + Shapes.str(shape) + " at entry 0 and " + Shapes.str(t.layout().shape()) + " at entry " + i);
            }
            dtype = DType.promote(dtype, t.dtype());
        }
        int d = Shapes.wrapDim("stack", dim, shape.length + 1);
        long[] outShape = new long[shape.length + 1];
        for (int k = 0, j = 0; k < outShape.length; k++) {
            outShape[k] = k == d ? tensors.size() : shape[j++];
        }
        Tensor out = Creation.empty(first.device(), dtype, outShape);
        Layout ol = out.layout();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.numel() > 0) {
                long[] strides = new long[shape.length];
                for (int k = 0, j = 0; k < outShape.length; k++) {
                    if (k != d) {
                        strides[j++] = ol.strides()[k];
                    }
                }
                first.backend().copy(t.view(), new View(out.buffer(), new Layout(shape, strides,
                        ol.offset() + i * ol.strides()[d])));
            }
        }
        return Recorder.record(out, STACK, tensors.toArray(new Tensor[0]), d, tensors.size());
    }
}
