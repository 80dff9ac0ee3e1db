package dev.clgrad.opencl;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.DeviceInfo;
import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.FusedGraph;
import dev.clgrad.spi.FusionStats;
import dev.clgrad.spi.HostTransferChecks;
import dev.clgrad.spi.LayoutBounds;
import dev.clgrad.spi.MemorySettings;
import dev.clgrad.spi.MemoryStats;
import dev.clgrad.spi.PrimitiveShapes;
import dev.clgrad.spi.RandomOp;
import dev.clgrad.spi.ReduceOp;
import dev.clgrad.spi.View;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_event;
import org.jocl.cl_kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One OpenCL device: its context, one in-order command queue, a caching allocator and the
 * kernels built for it. Every primitive is enqueued and returns at once; nothing waits for the
 * device until the host reads data ({@link #read}) or calls {@link #synchronize}.
 *
 * <p>Setting a shared kernel's arguments and enqueueing it is one critical section, so several
 * Java threads may use the device at once. Arguments are checked as the CPU backend checks them
 * (buffers of this device, dtypes, shapes, views inside their buffers) before anything reaches
 * the driver, and float64 on a device without fp64 is an error naming the device.
 *
 * <p>Kernels are chosen per device type: CPU-type devices (PoCL) get per-work-item chunked
 * reductions and register-blocked matmul, GPUs local-memory trees and tiles.
 */
public final class ClBackend implements Backend, AutoCloseable {
    private static final String[] INPUT_ROLES = {"input 0", "input 1", "input 2"};
    /** Host data queued for upload but not yet known to be copied; past this, writes wait. */
    private static final long MAX_PENDING_UPLOAD_BYTES = 256L << 20;

    private final String name;
    private final DeviceInfo info;
    private final ClStrategy strategy;
    private final cl_device_id device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final ClAllocator allocator;
    private final ClProgramCache programs;
    private final ClFused fusedKernels;
    /** Whether anything was enqueued since the last wait; guarded by enqueueLock. */
    private boolean dirty;
    /** Work-items enqueued since the last wait (a write counts as much work); guarded by enqueueLock. */
    private long workSinceFinish;
    /** Below this much queued work a wait polls before it blocks ({@link #spinUntilIdleLocked}). */
    private static final long SPIN_BELOW_WORK_ITEMS = 1 << 16;
    /** The longest a wait polls. */
    private static final long SPIN_NANOS = 100_000;
    /** Build options of the families built once per element type, by {@link ElementType#ordinal()}. */
    private final String[] typeOptions = new String[ElementType.values().length];
    private final String deviceOptions;
    private final ReentrantLock enqueueLock = new ReentrantLock();
    /** Guarded by {@link #enqueueLock}. */
    private final ClKernelArgs kernelArgs = new ClKernelArgs();

    private final List<ByteBuffer> pendingUploads = new ArrayList<>();
    private long pendingUploadBytes;
    private final AtomicLong deviceToHost = new AtomicLong();
    private final AtomicLong hostToDevice = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Opens a device (the provider calls this).
     *
     * @param name the device's clgrad name, {@code opencl:N}
     * @param strategy which kernel family to use; null chooses by the device type
     * @param cacheDir the on-disk program cache, or null for none
     */
    ClBackend(String name, cl_device_id device, ClDeviceQuery q, ClStrategy strategy, Path cacheDir) {
        this.name = name;
        this.device = device;
        this.info = q.info();
        this.strategy = strategy != null ? strategy
                : info.type() == DeviceInfo.Type.CPU ? ClStrategy.CPU : ClStrategy.GPU;
        int[] err = new int[1];
        this.context = ClStatus.checked(CL.clCreateContext(null, 1, new cl_device_id[] {device}, null, null, err),
                err, "clCreateContext", label());
        @SuppressWarnings("deprecation") // clCreateCommandQueueWithProperties needs OpenCL 2.0; many drivers are 1.2
        cl_command_queue qu = CL.clCreateCommandQueue(context, device, 0, err);
        this.queue = ClStatus.checked(qu, err, "clCreateCommandQueue", label());
        this.allocator = new ClAllocator(context, label(), info.globalMemoryBytes(), q.maxAllocBytes(),
                MemorySettings.cacheCapBytes(info.globalMemoryBytes()));
        this.programs = new ClProgramCache(context, device, label(),
                info.name() + "|" + info.vendor() + "|" + info.driverVersion() + "|" + q.platformVersion(), cacheDir);
        this.fusedKernels = new ClFused(this, programs, q.maxParameterBytes());
        String base = q.correctlyRoundedDivideSqrt() ? "-cl-fp32-correctly-rounded-divide-sqrt" : "";
        String fp64 = info.supportsFloat64() ? " -DUSE_FP64" : "";
        this.deviceOptions = (base + fp64).trim();
        typeOptions[ElementType.FLOAT32.ordinal()] = (base + " -DT=float -DSFX=f32 -DACC="
                + (info.supportsFloat64() ? "double" : "float") + fp64).trim();
        typeOptions[ElementType.FLOAT64.ordinal()] = (base + " -DT=double -DSFX=f64 -DACC=double" + fp64).trim();
        typeOptions[ElementType.INT64.ordinal()] = (base + " -DT=long -DSFX=i64 -DACC=long -DINTEGRAL").trim();
        typeOptions[ElementType.UINT8.ordinal()] = (base + " -DT=uchar -DSFX=u8 -DACC=long -DINTEGRAL").trim();
        typeOptions[ElementType.BOOL.ordinal()] = (base + " -DT=uchar -DSFX=b8 -DACC=long -DINTEGRAL -DBOOLEAN")
                .trim();
    }

    /** The clgrad name of the device, {@code opencl:N}. */
    public String name() {
        return name;
    }

    /** The kernel family this backend uses. */
    public ClStrategy strategy() {
        return strategy;
    }

    /** Reads from device to host so far ({@link #read} calls); the autograd engine makes none. */
    public long deviceToHostTransfers() {
        return deviceToHost.get();
    }

    /** Writes from host to device so far. */
    public long hostToDeviceTransfers() {
        return hostToDevice.get();
    }

    /** Programs compiled from source by this backend so far (the rest came from memory or disk). */
    public int programsBuiltFromSource() {
        return programs.sourceBuilds();
    }

    /** Programs this backend loaded from the on-disk binary cache. */
    public int programsLoadedFromDisk() {
        return programs.diskLoads();
    }

    /** Returns every cached, unused device buffer to the driver ({@code torch.cuda.empty_cache()}). */
    @Override
    public void emptyCache() {
        allocator.freeCache();
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    String label() {
        return name + " (" + info.name() + ")";
    }

    // ---- memory ----------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException for float64 on a device without fp64, or a negative size
     * @throws ClOutOfMemoryException when the device cannot hold the buffer even after its cache is freed
     */
    @Override
    public Buffer allocate(ElementType dtype, long capacity) {
        checkAllocation(dtype, capacity);
        if (capacity == 0) {
            return new ClBuffer(this, dtype, 0, null, 0);
        }
        long bytes = Math.multiplyExact(capacity, (long) dtype.byteSize());
        long cls = ClAllocator.sizeClass(bytes);
        return new ClBuffer(this, dtype, capacity, allocator.obtain(cls, describe(dtype, capacity)), cls);
    }

    @Override
    public void checkAllocation(ElementType dtype, long capacity) {
        Objects.requireNonNull(dtype, "allocate: dtype");
        checkOpen("allocate");
        if (capacity < 0) {
            throw new IllegalArgumentException("allocate: negative capacity " + capacity + " on " + label());
        }
        requireDtype("allocate", dtype);
        if (capacity > 0) {
            allocator.checkFits(ClAllocator.sizeClass(Math.multiplyExact(capacity, (long) dtype.byteSize())),
                    describe(dtype, capacity));
        }
    }

    private static String describe(ElementType dtype, long capacity) {
        return "allocate " + capacity + " elements of " + dtype.pyName() + " (" + capacity * dtype.byteSize() + " bytes)";
    }

    @Override
    public void release(Buffer buffer) {
        ClBuffer b = own("release", "buffer", buffer);
        if (!b.markReleased()) {
            throw new IllegalStateException("release: " + b + " was already released");
        }
        if (b.mem != null && !closed.get()) {
            allocator.recycle(b.mem, b.classBytes);
        }
    }

    /** {@inheritDoc} Runs as one generated kernel ({@link ClFused}). */
    @Override
    public void fused(FusedGraph graph) {
        Objects.requireNonNull(graph, "fused: graph");
        checkOpen("fused");
        PrimitiveShapes.floating("fused", graph.type(), label());
        for (View v : graph.leaves()) {
            checkView("fused", "leaf", v, null);
        }
        for (FusedGraph.Step s : graph.steps()) {
            if (s.store() != null) {
                checkView("fused", "store", s.store(), graph.type());
            }
        }
        if (graph.tail() != null) {
            checkView("fused", "tail", graph.tail().out(), graph.type());
        }
        fusedKernels.run(graph, typeOptions[graph.type().ordinal()]);
    }

    @Override
    public FusionStats fusionStats() {
        long[] c = programs.generatedCounts();
        return new FusionStats(c[0], c[1], fusedKernels.fallbacks());
    }

    @Override
    public MemoryStats memoryStats() {
        return new MemoryStats(allocator.liveBytes(), allocator.cachedBytes(), allocator.peakBytes());
    }

    // ---- host transfers ----------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>The upload is enqueued without waiting: a direct {@code src} stays referenced until the
     * queue has drained past it; a heap one is first copied to a direct staging buffer.
     */
    @Override
    public void write(Buffer dst, long byteOffset, ByteBuffer src) {
        ClBuffer b = transfer("write", dst, byteOffset, src.remaining());
        if (src.remaining() == 0) {
            return;
        }
        ByteBuffer staging = src.slice();
        if (!staging.isDirect()) {
            staging = ByteBuffer.allocateDirect(src.remaining()).put(src.duplicate()).flip();
        }
        hostToDevice.incrementAndGet();
        enqueueLock.lock();
        try {
            dirty = true;
            workSinceFinish += SPIN_BELOW_WORK_ITEMS;
            ClStatus.check(CL.clEnqueueWriteBuffer(queue, b.mem, false, byteOffset, staging.remaining(),
                    Pointer.to(staging), 0, null, null), "clEnqueueWriteBuffer", staging.remaining() + " bytes at byte "
                    + byteOffset + " of " + b);
            pendingUploads.add(staging);
            pendingUploadBytes += staging.remaining();
            if (pendingUploadBytes > MAX_PENDING_UPLOAD_BYTES) {
                finishLocked();
            }
        } finally {
            enqueueLock.unlock();
        }
    }

    @Override
    public void read(Buffer src, long byteOffset, ByteBuffer dst) {
        ClBuffer b = transfer("read", src, byteOffset, dst.remaining());
        if (dst.remaining() == 0) {
            return;
        }
        deviceToHost.incrementAndGet();
        download(b, byteOffset, dst.remaining(), Pointer.to(dst.slice()));
    }

    private void download(ClBuffer b, long byteOffset, long bytes, Pointer dst) {
        enqueueLock.lock();
        try {
            // a blocking read on an in-order queue also finishes everything queued before it
            spinUntilIdleLocked();
            ClStatus.check(CL.clEnqueueReadBuffer(queue, b.mem, true, byteOffset, bytes, dst, 0, null, null),
                    "clEnqueueReadBuffer", bytes + " bytes at byte " + byteOffset + " of " + b);
            pendingUploads.clear();
            pendingUploadBytes = 0;
            dirty = false;
            workSinceFinish = 0;
        } finally {
            enqueueLock.unlock();
        }
    }

    @Override
    public void synchronize() {
        checkOpen("synchronize");
        enqueueLock.lock();
        try {
            finishLocked();
        } finally {
            enqueueLock.unlock();
        }
    }

    private void finishLocked() {
        if (!dirty) {
            return;
        }
        spinUntilIdleLocked();
        ClStatus.check(CL.clFinish(queue), "clFinish", label());
        pendingUploads.clear();
        pendingUploadBytes = 0;
        dirty = false;
        workSinceFinish = 0;
    }

    /**
     * When little work is queued, polls a marker for up to {@link #SPIN_NANOS} before the caller
     * blocks: a blocking wait costs a thread wake-up on each side (about 20 us on PoCL), far more
     * than a small kernel takes. Large work blocks at once, leaving the cores to the kernels.
     */
    private void spinUntilIdleLocked() {
        if (workSinceFinish >= SPIN_BELOW_WORK_ITEMS) {
            return;
        }
        cl_event marker = new cl_event();
        if (CL.clEnqueueMarkerWithWaitList(queue, 0, null, marker) != CL.CL_SUCCESS) {
            return;
        }
        try {
            CL.clFlush(queue);
            long deadline = System.nanoTime() + SPIN_NANOS;
            int[] status = {1};
            Pointer at = Pointer.to(status);
            while (System.nanoTime() < deadline) {
                if (CL.clGetEventInfo(marker, CL.CL_EVENT_COMMAND_EXECUTION_STATUS, Sizeof.cl_int, at, null)
                        != CL.CL_SUCCESS || status[0] <= CL.CL_COMPLETE) {
                    return;
                }
                Thread.onSpinWait();
            }
        } finally {
            CL.clReleaseEvent(marker);
        }
    }

    // ---- primitives ------------------------------------------------------------------------

    @Override
    public void elementwise(ElementwiseOp op, double scalar, View out, View... inputs) {
        Objects.requireNonNull(op, "elementwise: op");
        Objects.requireNonNull(inputs, "elementwise: inputs");
        PrimitiveShapes.arity(op, inputs);
        ClBuffer ob = checkView("elementwise " + op, "out", out, null);
        ElementType[] types = new ElementType[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            types[k] = checkView("elementwise " + op, INPUT_ROLES[k], inputs[k], null).dtype;
        }
        op.checkTypes(ob.dtype, types, label());
        PrimitiveShapes.elementwise(op, out, inputs);
        ClElementwise.run(this, op, scalar, out, inputs);
    }

    @Override
    public void reduce(ReduceOp op, View in, View out) {
        Objects.requireNonNull(op, "reduce: op");
        ClBuffer ib = checkView("reduce " + op, "in", in, null);
        checkView("reduce " + op, "out", out, ib.dtype);
        PrimitiveShapes.reduce(op, in, out);
        PrimitiveShapes.reduceType(op, ib.dtype, label());
        ClReduce.run(this, op, in, out);
    }

    @Override
    public void matmul(View a, View b, View out) {
        ClBuffer ab = checkView("matmul", "a", a, null);
        checkView("matmul", "b", b, ab.dtype);
        checkView("matmul", "out", out, ab.dtype);
        PrimitiveShapes.matmul(a, b, out, ab.dtype);
        PrimitiveShapes.floating("matmul", ab.dtype, label());
        ClMatmul.run(this, a, b, out);
    }

    @Override
    public void gather(View src, int dim, View index, View out) {
        ClBuffer sb = checkView("gather", "src", src, null);
        ClBuffer ib = checkView("gather", "index", index, null);
        checkView("gather", "out", out, sb.dtype);
        PrimitiveShapes.indexed("gather", src, dim, index, out, ib.dtype);
        ClIndex.gather(this, src, dim, index, out);
    }

    @Override
    public void scatterAdd(View out, int dim, View index, View src) {
        ClBuffer ob = checkView("scatterAdd", "out", out, null);
        ClBuffer ib = checkView("scatterAdd", "index", index, null);
        checkView("scatterAdd", "src", src, ob.dtype);
        PrimitiveShapes.indexed("scatterAdd", out, dim, index, src, ib.dtype);
        PrimitiveShapes.floating("scatterAdd", ob.dtype, label());
        ClIndex.scatterAdd(this, out, dim, index, src);
    }

    @Override
    public void copy(View src, View dst) {
        checkView("copy", "src", src, null);
        checkView("copy", "dst", dst, null);
        PrimitiveShapes.copy(src, dst);
        ClCopy.copy(this, src, dst);
    }

    @Override
    public void fill(View dst, double value) {
        checkView("fill", "dst", dst, null);
        ClCopy.fill(this, dst, value);
    }

    @Override
    public void random(RandomOp op, long seed, long offset, View dst) {
        Objects.requireNonNull(op, "random: op");
        PrimitiveShapes.floating("random " + op, checkView("random " + op, "dst", dst, null).dtype, label());
        if (offset < 0) {
            throw new IllegalArgumentException("random " + op + ": counter offset " + offset + " is negative");
        }
        ClCopy.random(this, op, seed, offset, dst);
    }

    // ---- kernels -----------------------------------------------------------------------------

    /** Kernel {@code name} of a family built for one dtype ({@code elementwise.cl}, {@code reduce.cl}, {@code matmul.cl}). */
    cl_kernel kernel(String file, ElementType dtype, String name) {
        return programs.kernel(file, typeOptions[dtype.ordinal()], name);
    }

    /** Kernel {@code name} of a family built once per device ({@code copy.cl}, {@code random.cl}). */
    cl_kernel kernel(String file, String name) {
        return programs.kernel(file, deviceOptions, name);
    }

    /** A {@code __local} kernel argument of this many bytes. */
    record LocalBytes(long bytes) {
    }

    /**
     * Sets {@code args} on {@code kernel} and enqueues it over {@code global} work-items (rounded up
     * to whole work-groups of {@code local}, or the driver's choice when {@code local} is null). Arguments
     * are {@link ClBuffer}, {@link Long} ({@code long}), {@link Integer} ({@code int}), {@link Float},
     * {@link Double}, {@code long[8]} ({@code long8}) or {@link LocalBytes}.
     */
    void launch(cl_kernel kernel, String what, long[] global, long[] local, Object... args) {
        checkOpen(what);
        long[] g = global.clone();
        if (local != null) {
            for (int d = 0; d < g.length; d++) {
                g[d] = (g[d] + local[d] - 1) / local[d] * local[d];
            }
        }
        enqueueLock.lock();
        try {
            kernelArgs.set(kernel, what, args);
            dirty = true;
            long items = 1;
            for (long d : g) {
                items *= d;
            }
            workSinceFinish += items;
            ClStatus.check(CL.clEnqueueNDRangeKernel(queue, kernel, g.length, null, g, local, 0, null, null),
                    "clEnqueueNDRangeKernel", what + " over " + Arrays.toString(g) + " work-items in groups of "
                            + Arrays.toString(local) + " on " + label());
        } finally {
            enqueueLock.unlock();
        }
    }

    /** The kernel argument for a scalar of {@code dtype}: rounded to it, as the device interface says. */
    static Object scalarArg(ElementType dtype, double value) {
        return switch (dtype) {
            case FLOAT64 -> value;
            case FLOAT32 -> (float) value;
            case INT64 -> (long) value;
            case UINT8 -> (byte) (long) value;
            case BOOL -> (byte) (value != 0 ? 1 : 0);
        };
    }

    /** The suffix of a kernel built for {@code dtype}: {@code f32 f64 i64 u8 b8}. */
    static String suffix(ElementType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT64 -> "i64";
            case UINT8 -> "u8";
            case BOOL -> "b8";
        };
    }

    /** A temporary buffer for multi-pass kernels, released by the caller (the queue keeps it alive while used). */
    ClBuffer scratch(ElementType dtype, long capacity) {
        return (ClBuffer) allocate(dtype, Math.max(capacity, 1));
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    /**
     * Waits for queued work and releases the device's buffers cache, kernels, queue and context.
     * Idempotent; the backend cannot be used afterwards. Buffers still held by tensors are
     * released with the context.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        enqueueLock.lock();
        try {
            CL.clFinish(queue);
            allocator.freeCache();
            programs.close();
            CL.clReleaseCommandQueue(queue);
            CL.clReleaseContext(context);
        } finally {
            enqueueLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ClBackend(" + label() + ", " + strategy + " kernels)";
    }

    // ---- argument checks ---------------------------------------------------------------------

    private void checkOpen(String what) {
        if (closed.get()) {
            throw new IllegalStateException(what + ": the OpenCL backend of " + label() + " was closed");
        }
    }

    private void requireDtype(String what, ElementType dtype) {
        if (dtype == ElementType.FLOAT64 && !info.supportsFloat64()) {
            throw new IllegalArgumentException(what + ": " + label() + " does not support float64 (it reports no "
                    + "cl_khr_fp64); use float32 tensors on it, or the cpu device for float64");
        }
    }

    private ClBuffer own(String what, String role, Buffer buffer) {
        if (buffer instanceof ClBuffer b && b.owner == this) {
            return b;
        }
        throw new IllegalArgumentException(what + ": " + role + " " + buffer + " is not a buffer of " + label()
                + " (move tensors to one device with to(Device))");
    }

    private ClBuffer live(String what, String role, Buffer buffer) {
        ClBuffer b = own(what, role, buffer);
        if (b.isReleased()) {
            throw new IllegalStateException(what + ": " + role + " " + b + " was used after release");
        }
        return b;
    }

    private ClBuffer transfer(String what, Buffer buffer, long byteOffset, int bytes) {
        checkOpen(what);
        ClBuffer b = live(what, "buffer", buffer);
        HostTransferChecks.check(what, b, byteOffset, bytes, b.capacity * b.dtype.byteSize());
        return b;
    }

    private ClBuffer checkView(String what, String role, View v, ElementType dtype) {
        if (v == null || v.buffer() == null || v.layout() == null) {
            throw new IllegalArgumentException(what + ": " + role + " view, its buffer and its layout must not be null");
        }
        ClBuffer b = live(what, role, v.buffer());
        if (dtype != null && b.dtype != dtype) {
            throw new IllegalArgumentException(what + ": " + role + " is " + b.dtype.pyName() + " but expected "
                    + dtype.pyName() + " (every view of this call has one dtype)");
        }
        LayoutBounds.check(what, role, v.layout(), b.capacity);
        return b;
    }
}
