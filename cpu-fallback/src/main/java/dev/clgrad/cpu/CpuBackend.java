package dev.clgrad.cpu;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.DeviceInfo;
import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.FusedGraph;
import dev.clgrad.spi.FusionStats;
import dev.clgrad.spi.HostTransferChecks;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.LayoutBounds;
import dev.clgrad.spi.MemorySettings;
import dev.clgrad.spi.MemoryStats;
import dev.clgrad.spi.PrimitiveShapes;
import dev.clgrad.spi.RandomOp;
import dev.clgrad.spi.ReduceOp;
import dev.clgrad.spi.View;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pure-Java backend: buffers are Java arrays on the heap and every primitive runs
 * synchronously on the calling thread, split across a shared pool of daemon threads when the
 * tensor is large enough to pay for it.
 *
 * <p>Every primitive checks its arguments (buffers of this backend, dtypes, shapes, views inside
 * their buffers) and throws {@link IllegalArgumentException} naming the primitive, the op, the
 * shapes and the dtypes when they are inconsistent, or {@link IllegalStateException} for a
 * released buffer. Results never depend on how work was split across threads. The backend is
 * safe to call from several threads at once; calls on distinct outputs do not interfere.
 */
public final class CpuBackend implements Backend {
    /** Largest buffer, in elements: the largest Java array the JVMs in use can allocate. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final String[] INPUT_ROLES = {"input 0", "input 1", "input 2"};

    private final CpuParallel parallel;
    private final DeviceInfo info;
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong peakBytes = new AtomicLong();
    /** A quarter of the heap at most, so that reuse never crowds out live tensors for long. */
    /** Capped by {@code -Dclgrad.memory.cacheCap}, by default a sixteenth of the max heap. */
    private final CpuArrayCache cache = new CpuArrayCache(MemorySettings.cacheCapBytes(Runtime.getRuntime().maxMemory()));

    /** A backend using every available processor. */
    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors(), CpuParallel.DEFAULT_MIN_PARALLEL_WORK);
    }

    /**
     * A backend with its own splitting policy, for tests and measurements.
     *
     * @param threads most threads one primitive uses (1 keeps everything on the caller)
     * @param minParallelWork work below which a primitive stays on the calling thread, in elements
     *     of a streaming op (see {@link CpuParallel#DEFAULT_MIN_PARALLEL_WORK})
     */
    CpuBackend(int threads, long minParallelWork) {
        this.parallel = new CpuParallel(threads, minParallelWork);
        int cpus = Runtime.getRuntime().availableProcessors();
        this.info = new DeviceInfo(
                "Java CPU (" + System.getProperty("os.arch") + ", " + cpus + " processors)",
                System.getProperty("java.vm.vendor", "unknown"),
                "Java " + Runtime.version(),
                DeviceInfo.Type.CPU,
                Runtime.getRuntime().maxMemory(),
                true,
                cpus);
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The array of a released buffer of the same dtype and length is reused when the cache
     * holds one (its contents are whatever it last held); otherwise the array is new.
     *
     * @throws IllegalArgumentException if {@code capacity} is negative or above {@link #MAX_ELEMENTS}
     * @throws OutOfMemoryError if the Java heap cannot hold it, with the sizes in the message
     */
    @Override
    public Buffer allocate(ElementType dtype, long capacity) {
        checkAllocation(dtype, capacity);
        int length = (int) capacity;
        Object array = cache.take(dtype, length);
        if (array == null) {
            array = newArray(dtype, length);
        }
        CpuBuffer b = new CpuBuffer(this, dtype, length, array);
        long live = liveBytes.addAndGet(b.bytes());
        peakBytes.accumulateAndGet(live, Math::max);
        return b;
    }

    /** A new array; when the heap is full, drops the cache and tries once more before failing. */
    private Object newArray(ElementType dtype, int length) {
        try {
            return CpuBuffer.newArray(dtype, length);
        } catch (OutOfMemoryError first) {
            cache.clear();
        }
        try {
            return CpuBuffer.newArray(dtype, length);
        } catch (OutOfMemoryError e) {
            OutOfMemoryError named = new OutOfMemoryError("allocate: no Java heap for " + length + " elements of "
                    + dtype.pyName() + " (" + (long) length * dtype.byteSize() + " bytes) with " + liveBytes.get()
                    + " bytes live in CPU buffers and a max heap of " + Runtime.getRuntime().maxMemory()
                    + " bytes; release tensors or raise -Xmx");
            named.initCause(e);
            throw named;
        }
    }

    @Override
    public void release(Buffer buffer) {
        CpuBuffer b = own("release", "buffer", buffer);
        if (b.released) {
            throw new IllegalStateException("release: " + b + " was already released");
        }
        b.released = true;
        liveBytes.addAndGet(-b.bytes());
        cache.put(b.dtype, (int) b.capacity(), b.array());
    }

    /** Drops the arrays kept for reuse, leaving them to the garbage collector. */
    @Override
    public void emptyCache() {
        cache.clear();
    }

    @Override
    public void write(Buffer dst, long byteOffset, ByteBuffer src) {
        CpuBuffer b = hostTransfer("write", dst, byteOffset, src.remaining());
        int from = (int) (byteOffset / b.dtype.byteSize());
        ByteBuffer in = src.duplicate().order(ByteOrder.nativeOrder());
        int n = src.remaining() / b.dtype.byteSize();
        switch (b.dtype) {
            case FLOAT32 -> in.asFloatBuffer().get(b.f32, from, n);
            case FLOAT64 -> in.asDoubleBuffer().get(b.f64, from, n);
            case INT64 -> in.asLongBuffer().get(b.i64, from, n);
            case UINT8, BOOL -> in.get(b.u8, from, n);
        }
    }

    @Override
    public void read(Buffer src, long byteOffset, ByteBuffer dst) {
        CpuBuffer b = hostTransfer("read", src, byteOffset, dst.remaining());
        int from = (int) (byteOffset / b.dtype.byteSize());
        ByteBuffer out = dst.duplicate().order(ByteOrder.nativeOrder());
        int n = dst.remaining() / b.dtype.byteSize();
        switch (b.dtype) {
            case FLOAT32 -> out.asFloatBuffer().put(b.f32, from, n);
            case FLOAT64 -> out.asDoubleBuffer().put(b.f64, from, n);
            case INT64 -> out.asLongBuffer().put(b.i64, from, n);
            case UINT8, BOOL -> out.put(b.u8, from, n);
        }
    }

    /** Nothing to wait for: every primitive has finished when it returns. */
    @Override
    public void synchronize() {
    }

    @Override
    public void elementwise(ElementwiseOp op, double scalar, View out, View... inputs) {
        Objects.requireNonNull(op, "elementwise: op");
        Objects.requireNonNull(inputs, "elementwise: inputs");
        PrimitiveShapes.arity(op, inputs);
        CpuBuffer ob = checkView("elementwise", op, "out", out, null);
        ElementType[] types = new ElementType[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            types[k] = checkView("elementwise", op, INPUT_ROLES[k], inputs[k], null).dtype;
        }
        op.checkTypes(ob.dtype, types, "cpu");
        PrimitiveShapes.elementwise(op, out, inputs);
        ElementwiseKernels.run(parallel, op, scalar, out, inputs);
    }

    @Override
    public void reduce(ReduceOp op, View in, View out) {
        Objects.requireNonNull(op, "reduce: op");
        CpuBuffer ib = checkView("reduce", op, "in", in, null);
        checkView("reduce", op, "out", out, ib.dtype);
        PrimitiveShapes.reduce(op, in, out);
        PrimitiveShapes.reduceType(op, ib.dtype, "cpu");
        ReduceKernels.run(parallel, op, in, out);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A batch size of 1 in {@code a} or {@code b} also broadcasts over the batch.
     */
    @Override
    public void matmul(View a, View b, View out) {
        CpuBuffer ab = checkView("matmul", null, "a", a, null);
        checkView("matmul", null, "b", b, ab.dtype);
        checkView("matmul", null, "out", out, ab.dtype);
        PrimitiveShapes.matmul(a, b, out, ab.dtype);
        PrimitiveShapes.floating("matmul", ab.dtype, "cpu");
        MatmulKernels.run(parallel, a, b, out);
    }

    @Override
    public void gather(View src, int dim, View index, View out) {
        CpuBuffer sb = checkView("gather", null, "src", src, null);
        CpuBuffer ib = checkView("gather", null, "index", index, null);
        checkView("gather", null, "out", out, sb.dtype);
        PrimitiveShapes.indexed("gather", src, dim, index, out, ib.dtype);
        IndexKernels.gather(src, dim, index, out);
    }

    @Override
    public void scatterAdd(View out, int dim, View index, View src) {
        CpuBuffer ob = checkView("scatterAdd", null, "out", out, null);
        CpuBuffer ib = checkView("scatterAdd", null, "index", index, null);
        checkView("scatterAdd", null, "src", src, ob.dtype);
        PrimitiveShapes.indexed("scatterAdd", out, dim, index, src, ib.dtype);
        PrimitiveShapes.floating("scatterAdd", ob.dtype, "cpu");
        IndexKernels.scatterAdd(out, dim, index, src);
    }

    @Override
    public void copy(View src, View dst) {
        checkView("copy", null, "src", src, null);
        checkView("copy", null, "dst", dst, null);
        PrimitiveShapes.copy(src, dst);
        CopyKernels.copy(parallel, src, dst);
    }

    @Override
    public void fill(View dst, double value) {
        checkView("fill", null, "dst", dst, null);
        CopyKernels.fill(parallel, dst, value);
    }

    @Override
    public void random(RandomOp op, long seed, long offset, View dst) {
        Objects.requireNonNull(op, "random: op");
        PrimitiveShapes.floating("random " + op, checkView("random", op, "dst", dst, null).dtype, "cpu");
        if (offset < 0) {
            throw new IllegalArgumentException("random " + op + ": counter offset " + offset + " is negative");
        }
        CopyKernels.random(parallel, op, seed, offset, dst);
    }

    /** Live and peak bytes of this backend's buffers, and the bytes of released arrays kept for reuse. */
    @Override
    public MemoryStats memoryStats() {
        return new MemoryStats(liveBytes.get(), cache.cachedBytes(), peakBytes.get());
    }

    @Override
    public void checkAllocation(ElementType dtype, long capacity) {
        Objects.requireNonNull(dtype, "allocate: dtype");
        if (capacity < 0 || capacity > MAX_ELEMENTS) {
            throw new IllegalArgumentException("allocate: " + capacity + " elements of " + dtype.pyName()
                    + " is outside the CPU backend's buffer size range [0, " + MAX_ELEMENTS
                    + "] (one Java array); split the tensor or use a device with larger buffers");
        }
    }

    /** {@inheritDoc} Evaluated block by block in cache ({@link CpuFused}) where it can be. */
    @Override
    public void fused(FusedGraph graph) {
        Objects.requireNonNull(graph, "fused: graph");
        PrimitiveShapes.floating("fused", graph.type(), "cpu");
        for (View v : graph.leaves()) {
            checkView("fused", null, "leaf", v, null);
        }
        for (FusedGraph.Step s : graph.steps()) {
            if (s.store() != null) {
                checkView("fused", null, "store", s.store(), graph.type());
            }
        }
        if (graph.tail() != null) {
            checkView("fused", null, "tail", graph.tail().out(), graph.type());
        }
        if (CpuFused.takes(graph)) {
            CpuFused.run(parallel, graph);
        } else {
            FusedGraph.runUnfused(this, graph);
        }
    }

    /**
     * {@inheritDoc} Here the loops generated for fused graphs ({@link FusedLoops}), counted for the
     * process: every CPU device shares them.
     */
    @Override
    public FusionStats fusionStats() {
        return FusedLoops.stats();
    }

    /**
     * A call here costs nanoseconds, not a kernel launch: below this many elements deferring it
     * costs more than fusing saves (the whole working set of a call is in L2 anyway).
     */
    @Override
    public long lazyThreshold() {
        return 32768;
    }

    /** Buffers are Java arrays: the garbage collector reclaims them without a cleaner. */
    @Override
    public boolean heapManaged() {
        return true;
    }

    @Override
    public String toString() {
        return "CpuBackend(" + info.name() + ")";
    }

    private static String what(String primitive, Enum<?> op) {
        return op == null ? primitive : primitive + " " + op;
    }

    private CpuBuffer own(String what, String role, Buffer buffer) {
        if (buffer instanceof CpuBuffer b && b.owner == this) {
            return b;
        }
        throw new IllegalArgumentException(what + ": " + role + " " + buffer + " is not a buffer of this CPU backend");
    }

    private CpuBuffer hostTransfer(String what, Buffer buffer, long byteOffset, int bytes) {
        CpuBuffer b = live(what, "buffer", buffer);
        HostTransferChecks.check(what, b, byteOffset, bytes, b.bytes());
        return b;
    }

    private CpuBuffer live(String what, String role, Buffer buffer) {
        CpuBuffer b = own(what, role, buffer);
        if (b.released) {
            throw new IllegalStateException(what + ": " + role + " " + b + " was used after release");
        }
        return b;
    }

    /**
     * Checks that {@code v} is a view of a live buffer of this backend with dtype {@code dtype} (if not
     * null) and lies inside it. The message parts are joined only on failure: this runs on every call.
     */
    private CpuBuffer checkView(String primitive, Enum<?> op, String role, View v, ElementType dtype) {
        if (v == null || v.buffer() == null || v.layout() == null) {
            throw new IllegalArgumentException(what(primitive, op) + ": " + role
                    + " view, its buffer and its layout must not be null");
        }
        CpuBuffer b = v.buffer() instanceof CpuBuffer cb && cb.owner == this ? cb : null;
        if (b == null || b.released) {
            live(what(primitive, op), role, v.buffer());
        }
        Layout l = v.layout();
        if (dtype != null && b.dtype != dtype) {
            throw new IllegalArgumentException(what(primitive, op) + ": " + role + " is " + b.dtype.pyName()
                    + " but expected " + dtype.pyName() + " (every view of this call has one dtype)");
        }
        LayoutBounds.check(what(primitive, op), role, l, b.capacity());
        return b;
    }
}
