package dev.clgrad.spi;

import java.util.Arrays;

/**
 * The shape rules of the {@link Backend} primitives, checked the same way by every backend
 * after it has checked each view ({@link LayoutBounds}): a mistake in the runtime or in a
 * decorator becomes an {@link IllegalArgumentException} naming the primitive and the shapes,
 * never a read outside a buffer.
 */
public final class PrimitiveShapes {
    private PrimitiveShapes() {
    }

    /** {@code inputs.length == op.arity()}. */
    public static void arity(ElementwiseOp op, View[] inputs) {
        if (inputs.length != op.arity()) {
            throw new IllegalArgumentException("elementwise " + op + ": takes " + op.arity() + " input(s), got "
                    + inputs.length);
        }
    }

    /** Every input has the output's shape. */
    public static void elementwise(ElementwiseOp op, View out, View[] inputs) {
        long[] shape = out.layout().shape();
        for (int k = 0; k < inputs.length; k++) {
            if (!Arrays.equals(inputs[k].layout().shape(), shape)) {
                throw new IllegalArgumentException("elementwise " + op + ": input " + k + " has shape "
                        + Arrays.toString(inputs[k].layout().shape()) + " but out has shape " + Arrays.toString(shape)
                        + " (the runtime expands broadcast inputs to the output shape with zero strides)");
            }
        }
    }

    /** {@code out} keeps {@code in}'s rank with size 1 on reduced axes; MAX and MIN reduce no empty axis. */
    public static void reduce(ReduceOp op, View in, View out) {
        long[] is = in.layout().shape();
        long[] os = out.layout().shape();
        boolean ok = is.length == os.length;
        for (int d = 0; ok && d < is.length; d++) {
            ok = os[d] == is[d] || os[d] == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException("reduce " + op + ": out shape " + Arrays.toString(os)
                    + " does not fit in shape " + Arrays.toString(is) + " (out keeps in's rank, with size 1 on reduced axes)");
        }
        if (op != ReduceOp.SUM && in.layout().numel() == 0 && out.layout().numel() != 0) {
            throw new IllegalArgumentException("reduce " + op + ": cannot reduce shape " + Arrays.toString(is) + " to "
                    + Arrays.toString(os) + ": an axis being reduced is empty and " + op + " has no identity");
        }
    }

    /** {@code [B, M, K] @ [B, K, N] -> [B, M, N]}, where a batch of 1 in {@code a} or {@code b} broadcasts. */
    public static void matmul(View a, View b, View out, ElementType dtype) {
        long[] as = a.layout().shape();
        long[] bs = b.layout().shape();
        long[] cs = out.layout().shape();
        if (as.length != 3 || bs.length != 3 || cs.length != 3
                || (as[0] != cs[0] && as[0] != 1) || (bs[0] != cs[0] && bs[0] != 1)
                || as[1] != cs[1] || bs[2] != cs[2] || as[2] != bs[1]) {
            throw new IllegalArgumentException("matmul: shapes a " + Arrays.toString(as) + " @ b " + Arrays.toString(bs)
                    + " -> out " + Arrays.toString(cs) + " do not fit [B, M, K] @ [B, K, N] -> [B, M, N] ("
                    + dtype.pyName() + ")");
        }
    }

    /** {@code src} and {@code dst} have one shape. */
    public static void copy(View src, View dst) {
        if (!Arrays.equals(src.layout().shape(), dst.layout().shape())) {
            throw new IllegalArgumentException("copy: src shape " + Arrays.toString(src.layout().shape())
                    + " differs from dst shape " + Arrays.toString(dst.layout().shape()));
        }
    }

    /** Reductions run on FLOAT32, FLOAT64 and INT64 (the runtime casts BOOL and UINT8 to INT64 first). */
    public static void reduceType(ReduceOp op, ElementType type, String backend) {
        if (!type.isFloating() && type != ElementType.INT64) {
            throw new IllegalArgumentException("reduce " + op + " on " + backend + ": " + type.pyName()
                    + " is not reduced directly; the runtime casts bool and uint8 to int64 first");
        }
    }

    /** Primitives defined on floating point types only (matmul, random). */
    public static void floating(String primitive, ElementType type, String backend) {
        if (!type.isFloating()) {
            throw new IllegalArgumentException(primitive + " on " + backend + ": " + type.pyName()
                    + " is not supported; it runs on float32 and float64");
        }
    }

    /**
     * The shapes of {@link Backend#gather} ({@code positions} is out) and {@link Backend#scatterAdd}
     * ({@code positions} is index and src): {@code index} has the positions' shape and is INT64,
     * {@code data} (src of a gather, out of a scatter) has their rank, sizes at least theirs
     * outside {@code dim}.
     */
    public static void indexed(String primitive, View data, int dim, View index, View positions,
                               ElementType indexType) {
        long[] ds = data.layout().shape();
        long[] is = index.layout().shape();
        long[] ps = positions.layout().shape();
        boolean ok = indexType == ElementType.INT64 && Arrays.equals(is, ps) && ds.length == ps.length
                && (ds.length == 0 ? dim == 0 : dim >= 0 && dim < ds.length);
        for (int d = 0; ok && d < ds.length; d++) {
            ok = d == dim || ps[d] <= ds[d];
        }
        if (!ok) {
            throw new IllegalArgumentException(primitive + ": index " + Arrays.toString(is) + " (" + indexType.pyName()
                    + "), positions " + Arrays.toString(ps) + " and data " + Arrays.toString(ds) + " along dim " + dim
                    + " do not fit (index is int64 with the positions' shape; data has their rank and sizes at least "
                    + "theirs outside dim)");
        }
    }
}
