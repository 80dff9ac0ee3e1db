package dev.clgrad.spi;

import java.nio.ByteBuffer;

/**
 * The device interface: the primitives every backend implements, and nothing else.
 *
 * <p>Each primitive is described entirely by its arguments (an op code, views and plain
 * values), so a decorator can record, fuse or forward calls. Shapes, broadcasting, dtype
 * promotion and autograd are resolved by the runtime before a call arrives: every view of
 * one call has the dtype and shape the method documents, and output views never overlap
 * their inputs unless the runtime passes the very same view (in-place ops). Backends pick
 * their own fast paths (contiguous, same layout, row reductions) from the layouts.
 *
 * <p>Calls may be asynchronous: a backend may return before the work finishes, as long as
 * work on one backend runs in call order and {@link #read} returns finished values. Several
 * Java threads may call one backend at once.
 */
public interface Backend {

    /** What this device is. */
    DeviceInfo info();

    /**
     * A new buffer of {@code capacity} elements whose contents are unspecified. Fails with a
     * clear exception naming the size when the device cannot hold it.
     */
    Buffer allocate(ElementType type, long capacity);

    /**
     * Throws what {@link #allocate} would throw for a request no state of the device can satisfy
     * (a size beyond its limits), without allocating: a decorator that allocates lazily calls it
     * so that such a request still fails at once.
     */
    default void checkAllocation(ElementType type, long capacity) {
    }

    /** Returns a buffer to the backend; called exactly once per buffer. */
    void release(Buffer buffer);

    /**
     * Copies the remaining bytes of {@code src} (elements in the platform's native byte order)
     * into {@code dst} from byte {@code byteOffset}; {@code src}'s position is left unchanged.
     * The backend may return before the copy finishes but must not let later work see old
     * bytes, and keeps a reference to {@code src} until it is done with it.
     * {@link HostTransfers} moves host arrays of any length through this.
     */
    void write(Buffer dst, long byteOffset, ByteBuffer src);

    /**
     * Fills the remaining bytes of {@code dst} from byte {@code byteOffset} of {@code src} once
     * all work queued before has finished; {@code dst}'s position is left unchanged.
     */
    void read(Buffer src, long byteOffset, ByteBuffer dst);

    /** Waits until all work queued on this backend has finished. */
    void synchronize();

    /**
     * {@code out[i] = op(inputs[0][i], ...)} for every index {@code i} of {@code out}'s shape.
     * Inputs have {@code out}'s shape and dtype; {@code inputs.length == op.arity()}.
     *
     * @param scalar the {@code s} of scalar ops, ignored by the others
     */
    void elementwise(ElementwiseOp op, double scalar, View out, View... inputs);

    /**
     * Reduces {@code in} over every axis where {@code out} has size 1 and {@code in} does not.
     * {@code out} has {@code in}'s rank and dtype; its other sizes equal {@code in}'s.
     * Results must be deterministic: the same inputs give bit-identical outputs on every run.
     */
    void reduce(ReduceOp op, View in, View out);

    /**
     * Batched matrix product {@code out[b] = a[b] @ b[b]} for {@code a: [B, M, K]},
     * {@code b: [B, K, N]}, {@code out: [B, M, N]}, one dtype. A batch stride of 0
     * broadcasts a matrix over the batch.
     */
    void matmul(View a, View b, View out);

    /**
     * {@code out[i] = src[i with coordinate dim replaced by index[i]]} for every index {@code i} of
     * {@code out}'s shape ({@code torch.gather}). {@code index} is INT64 with {@code out}'s shape;
     * {@code src} has {@code out}'s rank and element type, and sizes at least {@code out}'s outside
     * {@code dim}. Every index lies in {@code [0, src.size(dim))}: the runtime checks.
     */
    void gather(View src, int dim, View index, View out);

    /**
     * {@code out[i with coordinate dim replaced by index[i]] += src[i]} for every index {@code i}
     * of {@code index}'s shape ({@code torch.Tensor.scatter_add_}), floating types only.
     * {@code index} (INT64) and {@code src} have one shape; {@code out} has its rank and sizes at
     * least its outside {@code dim}; indices are in range. Deterministic: the terms added into
     * one element are added in the order of their position along {@code dim}.
     */
    void scatterAdd(View out, int dim, View index, View src);

    /** Copies {@code src} into {@code dst} element by element: same shape, dtypes may differ. */
    void copy(View src, View dst);

    /** Sets every element of {@code dst} to {@code value} (rounded to its dtype). */
    void fill(View dst, double value);

    /**
     * Fills {@code dst} with draws from the Philox4x32-10 stream keyed by {@code seed},
     * starting at counter {@code offset}, exactly as {@link Philox} specifies: element
     * {@code i} is the {@code i}-th element of {@code dst} in row-major order.
     */
    void random(RandomOp op, long seed, long offset, View dst);

    /**
     * Evaluates a fused graph of elementwise steps in one pass where the backend can; the result
     * must be bit for bit that of {@link FusedGraph#runUnfused}, which is the default.
     */
    default void fused(FusedGraph graph) {
        FusedGraph.runUnfused(this, graph);
    }

    /** What the backend's fused-kernel cache has done; {@link FusionStats#NONE} for a backend without one. */
    default FusionStats fusionStats() {
        return FusionStats.NONE;
    }

    /**
     * Elementwise calls on fewer elements than this run at once when nothing is pending, because
     * a call costs this backend less than deferring it: 0 (defer every call) by default, for
     * devices where each call is a kernel launch.
     */
    default long lazyThreshold() {
        return 0;
    }

    /** Device memory accounting. */
    MemoryStats memoryStats();

    /**
     * True when buffers are ordinary Java heap objects, so the heap's own collections keep them
     * in check; the runtime's high-water mark ({@link MemorySettings#highWaterBytes}) then does
     * not apply to this backend.
     */
    default boolean heapManaged() {
        return false;
    }

    /**
     * Returns the buffers the backend keeps cached for reuse to the system (PyTorch's
     * {@code torch.cuda.empty_cache()}); live buffers are untouched. The runtime calls it under
     * memory pressure.
     */
    default void emptyCache() {
    }
}
