package dev.clgrad;

import java.util.Arrays;

/** Shape arithmetic: broadcasting, dim wrapping and size inference, with PyTorch's messages. */
final class Shapes {
    private Shapes() {
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /**
     * The element count of {@code shape}, or PyTorch's error when it overflows a long
     * (multiplied left to right as PyTorch does, so a later size of 0 does not excuse it).
     */
    static long checkedNumel(String op, long[] shape) {
        long n = 1;
        for (long s : shape) {
            n = checkedProduct(op, shape, n, s);
        }
        return n;
    }

    static String str(long[] shape) {
        return Arrays.toString(shape);
    }

    /** The shape two shapes broadcast to, or a PyTorch-style error naming the op. */
    static long[] broadcast(String op, long[] a, long[] b) {
        if (Arrays.equals(a, b)) {
            return a;
        }
        int n = Math.max(a.length, b.length);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            int ia = a.length - n + i;
            int ib = b.length - n + i;
            long sa = ia >= 0 ? a[ia] : 1;
            long sb = ib >= 0 ? b[ib] : 1;
            if (sa != sb && sa != 1 && sb != 1) {
                throw new IllegalArgumentException(op + ": the size of tensor a (" + sa + ") must match the size of "
                        + "tensor b (" + sb + ") at non-singleton dimension " + i + " (shapes " + str(a) + " and "
                        + str(b) + " cannot be broadcast; reshape or expand one of them)");
            }
            out[i] = sa == 1 ? sb : sa;
        }
        checkedNumel(op, out);
        return out;
    }

    /** Wraps a possibly negative dim into {@code [0, rank)}; 0-dim tensors accept -1 and 0. */
    static int wrapDim(String op, int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException(op + ": dimension out of range (expected to be in range of [" + (-r)
                    + ", " + (r - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    private static long checkedProduct(String op, long[] shape, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(op + ": numel: integer multiplication overflow: shape " + str(shape)
                    + " has more elements than a 64-bit count holds; use smaller sizes");
        }
    }

    /** Replaces one -1 in {@code shape} by the size that makes the element counts agree. */
    static long[] inferSize(String op, long[] shape, long numel) {
        long[] out = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": only one dimension can be inferred (shape "
                            + str(shape) + ")");
                }
                infer = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid shape dimension " + out[i] + " in " + str(shape));
            } else {
                known = checkedProduct(op, shape, known, out[i]);
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(op + ": shape '" + str(shape) + "' is invalid for input of size "
                        + numel);
            }
            out[infer] = numel / known;
        } else if (known != numel) {
            throw new IllegalArgumentException(op + ": shape '" + str(shape) + "' is invalid for input of size "
                    + numel);
        }
        return out;
    }

    /**
     * Strides that view a tensor of {@code oldShape}/{@code oldStrides} as {@code newShape}
     * without copying, or null when no such strides exist (PyTorch's {@code computeStride}).
     */
    static long[] viewStrides(long[] oldShape, long[] oldStrides, long[] newShape) {
        long[] newStrides = new long[newShape.length];
        if (numel(oldShape) == 0 || oldShape.length == 0) {
            return dev.clgrad.spi.Layout.contiguousStrides(newShape);
        }
        int viewD = newShape.length - 1;
        long chunkBase = oldStrides.length == 0 ? 1 : oldStrides[oldStrides.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int d = oldShape.length - 1; d >= 0; d--) {
            tensorNumel *= oldShape[d];
            if (d == 0 || (oldShape[d - 1] != 1 && oldStrides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = viewNumel * chunkBase;
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (d > 0) {
                    chunkBase = oldStrides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) {
            return null;
        }
        return newStrides;
    }
}
