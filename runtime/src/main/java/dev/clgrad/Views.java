package dev.clgrad;

import dev.clgrad.autograd.Derivatives;
import dev.clgrad.autograd.Formula;
import dev.clgrad.spi.Layout;

import java.util.Arrays;

/** Ops that return a view sharing storage (and the version counter) with their input. */
final class Views {
    private Views() {
    }

    /** A view of {@code x} with {@code layout}, recorded with {@code formula}. */
    static Tensor make(Tensor x, Layout layout, Formula formula, double... args) {
        Tensor v = x.aliasWithLayout(layout);
        return Recorder.record(v, formula, x, args);
    }

    static Tensor view(Tensor x, long[] shape) {
        x.checkOpen("view");
        long[] size = Shapes.inferSize("view", shape, x.numel());
        long[] strides = Shapes.viewStrides(x.layout().shape(), x.layout().strides(), size);
        if (strides == null) {
            throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride (at "
                    + "least one dimension spans across two contiguous subspaces): cannot view "
                    + Shapes.str(x.shape()) + " with strides " + Arrays.toString(x.layout().strides()) + " as "
                    + Shapes.str(size) + ". Use .reshape(...) instead.");
        }
        return make(x, new Layout(size, strides, x.layout().offset()), Derivatives.VIEW);
    }

    static Tensor reshape(Tensor x, long[] shape) {
        x.checkOpen("reshape");
        long[] size = Shapes.inferSize("reshape", shape, x.numel());
        long[] strides = Shapes.viewStrides(x.layout().shape(), x.layout().strides(), size);
        if (strides != null) {
            return make(x, new Layout(size, strides, x.layout().offset()), Derivatives.RESHAPE_ALIAS);
        }
        Tensor copy = clone(x);
        return Recorder.record(copy.shareStorage(Layout.contiguous(size), false), Derivatives.UNSAFE_VIEW, copy);
    }

    /** A contiguous copy with its own storage ({@code CloneBackward0}). */
    static Tensor clone(Tensor x) {
        x.checkOpen("clone");
        Tensor out = Creation.empty(x.device(), x.dtype(), x.layout().shape());
        if (out.numel() > 0) {
            x.backend().copy(x.view(), out.view());
        }
        return Recorder.record(out, Derivatives.CLONE, x);
    }

    static Tensor contiguous(Tensor x) {
        x.checkOpen("contiguous");
        return x.layout().isContiguous() ? x : clone(x);
    }

    static Tensor transpose(Tensor x, int dim0, int dim1) {
        x.checkOpen("transpose");
        int d0 = Shapes.wrapDim("transpose", dim0, x.dim());
        int d1 = Shapes.wrapDim("transpose", dim1, x.dim());
        Layout l = x.layout();
        long[] shape = l.shape().clone();
        long[] strides = l.strides().clone();
        if (x.dim() > 0) {
            swap(shape, d0, d1);
            swap(strides, d0, d1);
        }
        return make(x, new Layout(shape, strides, l.offset()), Derivatives.TRANSPOSE, d0, d1);
    }

    static Tensor t(Tensor x) {
        x.checkOpen("t");
        if (x.dim() > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + x.dim()
                    + "D (shape " + Shapes.str(x.shape()) + "); use transpose(dim0, dim1) or permute(...)");
        }
        Layout l = x.layout();
        long[] shape = l.shape().clone();
        long[] strides = l.strides().clone();
        if (x.dim() == 2) {
            swap(shape, 0, 1);
            swap(strides, 0, 1);
        }
        return make(x, new Layout(shape, strides, l.offset()), Derivatives.T);
    }

    static Tensor permute(Tensor x, int[] dims) {
        x.checkOpen("permute");
        if (dims.length != x.dim()) {
            throw new IllegalArgumentException("permute(sparse_coo): number of dimensions in the tensor input does "
                    + "not match the length of the desired ordering of dimensions i.e. input.dim() = " + x.dim()
                    + " is not equal to len(dims) = " + dims.length);
        }
        int[] wrapped = Reductions.wrapDims("permute", dims, x.dim());
        Layout l = x.layout();
        long[] shape = new long[dims.length];
        long[] strides = new long[dims.length];
        double[] args = new double[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = l.shape()[wrapped[i]];
            strides[i] = l.strides()[wrapped[i]];
            args[i] = wrapped[i];
        }
        return make(x, new Layout(shape, strides, l.offset()), Derivatives.PERMUTE, args);
    }

    static Tensor expand(Tensor x, long[] sizes) {
        x.checkOpen("expand");
        if (sizes.length < x.dim()) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + sizes.length + ") must be "
                    + "greater or equal to the number of dimensions in the tensor (" + x.dim() + ")");
        }
        Layout l = x.layout();
        int lead = sizes.length - x.dim();
        long[] shape = new long[sizes.length];
        long[] strides = new long[sizes.length];
        for (int d = 0; d < sizes.length; d++) {
            int src = d - lead;
            long target = sizes[d];
            if (src < 0) {
                if (target < 0) {
                    throw new IllegalArgumentException("expand: the expanded size of the tensor (" + target + ") isn't "
                            + "allowed in a leading, non-existing dimension " + d);
                }
                shape[d] = target;
                strides[d] = 0;
                continue;
            }
            long have = l.shape()[src];
            if (target == -1) {
                target = have;
            }
            if (have == target) {
                shape[d] = have;
                strides[d] = l.strides()[src];
            } else if (have == 1) {
                shape[d] = target;
                strides[d] = 0;
            } else {
                throw new IllegalArgumentException("The expanded size of the tensor (" + target + ") must match the "
                        + "existing size (" + have + ") at non-singleton dimension " + d + ".  Target sizes: "
                        + Arrays.toString(sizes) + ".  Tensor sizes: " + Shapes.str(x.shape()));
            }
        }
        Shapes.checkedNumel("expand", shape);
        return make(x, new Layout(shape, strides, l.offset()), Derivatives.EXPAND);
    }

    static Tensor unsqueeze(Tensor x, int dim) {
        x.checkOpen("unsqueeze");
        int d = Shapes.wrapDim("unsqueeze", dim, x.dim() + 1);
        Layout l = x.layout();
        long[] shape = new long[x.dim() + 1];
        long[] strides = new long[x.dim() + 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i == d) {
                shape[i] = 1;
                strides[i] = j < x.dim() ? l.shape()[j] * l.strides()[j] : 1;
            } else {
                shape[i] = l.shape()[j];
                strides[i] = l.strides()[j];
                j++;
            }
        }
        return make(x, new Layout(shape, strides, l.offset()), Derivatives.UNSQUEEZE, d);
    }

    static Tensor squeeze(Tensor x, int dim) {
        return squeeze(x, dim, Derivatives.SQUEEZE_DIM);
    }

    static Tensor squeeze(Tensor x, int dim, Formula formula) {
        x.checkOpen("squeeze");
        int d = Shapes.wrapDim("squeeze", dim, x.dim());
        Layout l = x.layout();
        if (x.dim() == 0 || l.shape()[d] != 1) {
            return make(x, l, formula, d);
        }
        return make(x, withoutDim(l, d, l.offset()), formula, d);
    }

    /** The slice at {@code index}; {@code indexing} words errors as {@code x[i]} does, else as select(). */
    static Tensor select(Tensor x, int dim, long index, boolean indexing) {
        x.checkOpen("select");
        if (x.dim() == 0) {
            throw new IndexOutOfBoundsException("select() cannot be applied to a 0-dim tensor; use item() to read "
                    + "its value");
        }
        int d = Shapes.wrapDim("select", dim, x.dim());
        long size = x.layout().shape()[d];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException(indexing
                    ? "get: index " + index + " is out of bounds for dimension " + d + " with size " + size
                    + " (tensor of size " + Shapes.str(x.shape()) + ")"
                    : "select(): index " + index + " out of range for tensor of size " + Shapes.str(x.shape())
                    + " at dimension " + d + ", which has size " + size);
        }
        long i = index < 0 ? index + size : index;
        Layout l = x.layout();
        return make(x, withoutDim(l, d, l.offset() + i * l.strides()[d]), Derivatives.SELECT, d, i);
    }

    static Tensor asStrided(Tensor x, long[] shape, long[] strides, long storageOffset) {
        x.checkOpen("asStrided");
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("asStrided: mismatch in length of strides and shape ("
                    + strides.length + " vs " + shape.length + ")");
        }
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0 || strides[d] < 0) {
                throw new IllegalArgumentException("asStrided: negative " + (shape[d] < 0 ? "sizes" : "strides")
                        + " are not supported: shape " + Arrays.toString(shape) + ", strides " + Arrays.toString(strides));
            }
        }
        Shapes.checkedNumel("asStrided", shape);
        Layout layout = new Layout(shape.clone(), strides.clone(), storageOffset);
        if (layout.numel() > 0 && (storageOffset < 0 || layout.extent() > x.buffer().capacity())) {
            throw new IndexOutOfBoundsException("asStrided: shape " + Arrays.toString(shape) + ", strides "
                    + Arrays.toString(strides) + " and offset " + storageOffset + " reach outside the storage of "
                    + x.buffer().capacity() + " elements");
        }
        return make(x, layout, Derivatives.AS_STRIDED, asStridedArgs(layout, x.layout()));
    }

    /** The arguments of {@code AsStridedBackward0} for a view with {@code view} over {@code input}. */
    static double[] asStridedArgs(Layout view, Layout input) {
        int rank = view.dim();
        double[] args = new double[2 + 2 * rank];
        args[0] = rank;
        for (int d = 0; d < rank; d++) {
            args[1 + d] = view.shape()[d];
            args[1 + rank + d] = view.strides()[d];
        }
        args[1 + 2 * rank] = view.offset() - input.offset();
        return args;
    }

    /** {@code l} without dimension {@code d}, starting at {@code offset}. */
    private static Layout withoutDim(Layout l, int d, long offset) {
        long[] shape = new long[l.dim() - 1];
        long[] strides = new long[l.dim() - 1];
        for (int k = 0, j = 0; k < l.dim(); k++) {
            if (k != d) {
                shape[j] = l.shape()[k];
                strides[j] = l.strides()[k];
                j++;
            }
        }
        return new Layout(shape, strides, offset);
    }

    private static void swap(long[] a, int i, int j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
