package dev.clgrad.autograd;

import dev.clgrad.Tensor;

/**
 * The node an in-place op on a view leaves on the view's base: the base's gradient passes
 * through unchanged outside the view, and through the in-place op's own backward inside it
 * (PyTorch's {@code CopySlices}). Its inputs are the base's previous value followed by the
 * in-place op's other inputs.
 */
public final class CopySlices extends GradFn {
    private final InputMeta baseMeta;
    private final long[] baseStrides;
    private final long[] viewShape;
    private final long[] viewStrides;
    private final long viewOffset;
    private final Node fn;

    /**
     * @param baseEdge where the base's previous value came from
     * @param baseMeta the base's shape, dtype and device
     * @param baseStrides the base's strides (the gradient buffer is laid out the same way)
     * @param viewShape the view's shape
     * @param viewStrides the view's strides
     * @param viewOffset the view's offset relative to the base's first element
     * @param fn the in-place op's node; its input 0 is the view's previous value
     */
    public CopySlices(Edge baseEdge, InputMeta baseMeta, long[] baseStrides, long[] viewShape, long[] viewStrides,
                      long viewOffset, Node fn) {
        super(edges(baseEdge, fn));
        this.baseMeta = baseMeta;
        this.baseStrides = baseStrides;
        this.viewShape = viewShape;
        this.viewStrides = viewStrides;
        this.viewOffset = viewOffset;
        this.fn = fn;
    }

    private static Edge[] edges(Edge baseEdge, Node fn) {
        Edge[] e = new Edge[fn.next.length];
        e[0] = baseEdge;
        System.arraycopy(fn.next, 1, e, 1, e.length - 1);
        return e;
    }

    @Override
    public String name() {
        return "CopySlices";
    }

    @Override
    InputMeta meta(int i) {
        return i == 0 ? baseMeta : fn.meta(i);
    }

    @Override
    Tensor[] apply(Tensor grad) {
        Tensor result = grad.newEmptyStrided(baseMeta.shape(), baseStrides).copy_(grad);
        Tensor gradSlice = result.asStrided(viewShape, viewStrides, result.storageOffset() + viewOffset);
        Tensor[] res = fn.apply(gradSlice.clone());
        Tensor[] out = new Tensor[next.length];
        out[0] = result;
        for (int i = 1; i < out.length; i++) {
            out[i] = res[i];
        }
        if (res[0] == null) {
            gradSlice.zero_();
        } else {
            gradSlice.copy_(Engine.sumTo(res[0], viewShape));
        }
        return out;
    }

    @Override
    void release() {
        fn.release();
    }
}
