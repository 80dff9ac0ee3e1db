package dev.clgrad;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.DeviceInfo;
import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.FusedGraph;
import dev.clgrad.spi.FusionStats;
import dev.clgrad.spi.MemoryStats;
import dev.clgrad.spi.PrimitiveShapes;
import dev.clgrad.spi.RandomOp;
import dev.clgrad.spi.ReduceOp;
import dev.clgrad.spi.View;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one door between the runtime and a device's backend: every call the runtime makes to a
 * backend goes through this decorator, which counts them ({@link Device#counters()}) and, with
 * fusion on (the default; {@code -Dclgrad.fusion=off} or {@link Device#setFusing} turns it off),
 * defers them. Buffers are {@link LazyBuffer}s either way: with fusion off every call runs at
 * once and allocates what it touches.
 *
 * <p><b>Laziness.</b> Primitive calls are queued, not run: their results are pending values in
 * {@link LazyBuffer}s with no device memory behind them yet. The queue runs ("flushes") when
 * something needs values: a host read, a host write into a buffer a pending call uses,
 * {@link #synchronize()}, {@link #memoryStats()}, a matmul (the device starts on it while the host
 * goes on), or a queue of {@link #MAX_PENDING} calls. The end
 * of a {@link TensorScope} runs nothing: it releases what the scope tracked, so those values, if
 * unread, are dead and never computed. A flush first drops the calls nothing needs (their buffers were
 * released and no needed call reads them), then runs chains of elementwise calls as one fused
 * graph ({@link FusionPlanner}, {@link Backend#fused}) and the rest as they are. So a value saved
 * for backward and released before the flush is recomputed inside the backward's fused kernel
 * from its inputs, and an intermediate closed unread is never allocated.
 *
 * <p>Errors of shape and dtype stay eager: each call is checked when it is queued. A failure
 * while the queue runs (device memory exhausted while materialising) names the pending calls.
 * Calls smaller than the backend's {@link Backend#lazyThreshold()} run at once when nothing is
 * pending, where deferring them would cost more than it saves. All methods are thread safe.
 */
final class Dispatch implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatch.class);
    /** {@code -Dclgrad.fusion.debug=true}: log each flush's plan (and, on OpenCL, each generated kernel). */
    private static final boolean DEBUG = Boolean.getBoolean("clgrad.fusion.debug");
    /** Pending calls after which the queue runs whatever happens ("the size limit"). */
    static final int MAX_PENDING = 1024;

    private final Backend target;
    private final String device;
    private volatile boolean fusion;
    private final long lazyThreshold;
    private final ReentrantLock lock = new ReentrantLock();
    /** Each thread's pending calls; a buffer is pending in at most one ({@link LazyBuffer#pendingIn}). */
    private final Map<Thread, PendingQueue> queues = new HashMap<>();
    private final LongAdder primitives = new LongAdder();
    private final LongAdder launches = new LongAdder();
    private final LongAdder fusedKernels = new LongAdder();
    private final LongAdder elided = new LongAdder();
    private final LongAdder hostWrites = new LongAdder();
    private final LongAdder hostReads = new LongAdder();
    private final LongAdder hostWriteBytes = new LongAdder();
    private final LongAdder hostReadBytes = new LongAdder();

    Dispatch(String device, Backend target) {
        this.target = target;
        this.device = device;
        this.fusion = fusionEnabled();
        String min = System.getProperty("clgrad.fusion.minElements");
        this.lazyThreshold = min != null ? Long.parseLong(min.trim()) : target.lazyThreshold();
    }

    /** Whether {@code -Dclgrad.fusion} (default {@code on}) asks for laziness and fusion. */
    static boolean fusionEnabled() {
        String v = System.getProperty("clgrad.fusion", "on").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "on", "true", "" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException("-Dclgrad.fusion=" + v + " is not understood; use on or off");
        };
    }

    /** Whether this door defers and fuses calls. */
    boolean fusing() {
        return fusion;
    }

    /** Turns deferring and fusing on or off from now on; what is pending runs first. */
    void setFusing(boolean on) {
        lock.lock();
        try {
            flushLocked();
            fusion = on;
        } finally {
            lock.unlock();
        }
    }

    /** The calls counted so far. */
    Device.Counters counters() {
        FusionStats fs = target.fusionStats();
        return new Device.Counters(primitives.sum(), launches.sum(), fusedKernels.sum(), elided.sum(),
                fs.kernelsBuilt(), fs.cacheHits(), hostWrites.sum(), hostReads.sum(), hostWriteBytes.sum(),
                hostReadBytes.sum());
    }

    @Override
    public DeviceInfo info() {
        return target.info();
    }

    @Override
    public Buffer allocate(ElementType type, long capacity) {
        target.checkAllocation(type, capacity);
        return new LazyBuffer(type, capacity);
    }

    @Override
    public void release(Buffer buffer) {
        LazyBuffer b = (LazyBuffer) buffer;
        lock.lock();
        try {
            if (b.released) {
                throw new IllegalStateException("release: buffer " + b + " on " + device + " was already released");
            }
            b.released = true;
            if (b.pendingRefs == 0) {
                b.free(target);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(Buffer dst, long byteOffset, ByteBuffer src) {
        hostWrites.increment();
        hostWriteBytes.add(src.remaining());
        LazyBuffer b = (LazyBuffer) dst;
        lock.lock();
        try {
            if (b.pendingIn != null) {
                flushQueue(b.pendingIn);
            }
            target.write(b.real(target), byteOffset, src);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void read(Buffer src, long byteOffset, ByteBuffer dst) {
        hostReads.increment();
        hostReadBytes.add(dst.remaining());
        Buffer real;
        lock.lock();
        try {
            LazyBuffer b = (LazyBuffer) src;
            if (b.pendingIn != null) {
                // the queue holding it depends on no other (calls that would have run it first)
                flushQueue(b.pendingIn);
            }
            real = b.real(target);
        } finally {
            lock.unlock();
        }
        // the wait for the device happens outside the lock: other threads may queue work meanwhile
        target.read(real, byteOffset, dst);
    }

    @Override
    public void synchronize() {
        flush();
        target.synchronize();
    }

    /** Runs this thread's queue now. */
    private void startQueue() {
        lock.lock();
        try {
            PendingQueue q = queues.get(Thread.currentThread());
            if (q != null) {
                flushQueue(q);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs every pending call now. */
    void flush() {
        lock.lock();
        try {
            flushLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void elementwise(ElementwiseOp op, double scalar, View out, View... inputs) {
        primitives.increment();
        PrimitiveShapes.arity(op, inputs);
        PrimitiveShapes.elementwise(op, out, inputs);
        ElementType[] types = new ElementType[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            types[k] = inputs[k].buffer().elementType();
        }
        op.checkTypes(out.buffer().elementType(), types, device);
        if (PendingCall.fusableTypes(op, out, inputs)) {
            submit(PendingCall.elementwise(op, scalar, out, inputs));
        } else {
            submit(PendingCall.other("elementwise " + op, inputs, new View[] {out},
                    () -> target.elementwise(op, scalar, real(out), real(inputs))));
        }
    }

    @Override
    public void reduce(ReduceOp op, View in, View out) {
        primitives.increment();
        PrimitiveShapes.reduce(op, in, out);
        PrimitiveShapes.reduceType(op, in.buffer().elementType(), device);
        submit(PendingCall.other("reduce " + op, new View[] {in}, new View[] {out},
                () -> target.reduce(op, real(in), real(out))));
    }

    @Override
    public void matmul(View a, View b, View out) {
        primitives.increment();
        PrimitiveShapes.matmul(a, b, out, a.buffer().elementType());
        submit(PendingCall.other("matmul", new View[] {a, b}, new View[] {out},
                () -> target.matmul(real(a), real(b), real(out))));
        // a product is compute the device can start on while the host records what follows (a
        // training step's backward): run what is queued now, the product included
        startQueue();
    }

    @Override
    public void gather(View src, int dim, View index, View out) {
        primitives.increment();
        PrimitiveShapes.indexed("gather", src, dim, index, out, index.buffer().elementType());
        submit(PendingCall.other("gather", new View[] {src, index}, new View[] {out},
                () -> target.gather(real(src), dim, real(index), real(out))));
    }

    @Override
    public void scatterAdd(View out, int dim, View index, View src) {
        primitives.increment();
        PrimitiveShapes.indexed("scatterAdd", out, dim, index, src, index.buffer().elementType());
        submit(PendingCall.other("scatterAdd", new View[] {out, index, src}, new View[] {out},
                () -> target.scatterAdd(real(out), dim, real(index), real(src))));
    }

    @Override
    public void copy(View src, View dst) {
        primitives.increment();
        PrimitiveShapes.copy(src, dst);
        submit(PendingCall.other("copy", new View[] {src}, new View[] {dst}, () -> target.copy(real(src), real(dst))));
    }

    @Override
    public void fill(View dst, double value) {
        primitives.increment();
        if (dst.buffer().elementType().isFloating()) {
            submit(PendingCall.fill(dst, value));
        } else {
            submit(PendingCall.other("fill", new View[0], new View[] {dst}, () -> target.fill(real(dst), value)));
        }
    }

    @Override
    public void random(RandomOp op, long seed, long offset, View dst) {
        primitives.increment();
        submit(PendingCall.other("random " + op, new View[0], new View[] {dst},
                () -> target.random(op, seed, offset, real(dst))));
    }

    @Override
    public void fused(FusedGraph graph) {
        throw new UnsupportedOperationException("fused graphs are built by the dispatch itself, not passed to it");
    }

    @Override
    public MemoryStats memoryStats() {
        flush();
        return target.memoryStats();
    }

    @Override
    public FusionStats fusionStats() {
        return target.fusionStats();
    }

    @Override
    public boolean heapManaged() {
        return target.heapManaged();
    }

    @Override
    public void emptyCache() {
        target.emptyCache();
    }

    @Override
    public String toString() {
        return target.toString();
    }

    /**
     * Queues {@code call} on this thread's queue, or runs it at once when fusion is off or it is
     * small and nothing is pending here. A buffer pending in another thread's queue runs that
     * queue first, so no queue ever depends on another: threads' calls do not interleave in
     * one queue (a loader's thread would cut a training step's chains at random places).
     */
    private void submit(PendingCall call) {
        lock.lock();
        try {
            PendingQueue q = queues.get(Thread.currentThread());
            for (View[] views : new View[][] {call.reads, call.writes}) {
                for (View v : views) {
                    LazyBuffer b = (LazyBuffer) v.buffer();
                    if (b.released) {
                        throw new IllegalStateException(call + " on " + device + ": a buffer it uses was already "
                                + "released (a closed tensor?)");
                    }
                    if (b.pendingIn != null && b.pendingIn != q) {
                        flushQueue(b.pendingIn);
                    }
                }
            }
            if (!fusion || ((q == null || q.calls.isEmpty()) && call.numel() < lazyThreshold)) {
                runAlone(call);
                return;
            }
            if (q == null) {
                q = new PendingQueue(Thread.currentThread());
                queues.put(q.owner, q);
            }
            for (View[] views : new View[][] {call.reads, call.writes}) {
                for (View v : views) {
                    LazyBuffer b = (LazyBuffer) v.buffer();
                    b.pendingRefs++;
                    b.pendingIn = q;
                }
            }
            q.calls.add(call);
            if (q.calls.size() >= MAX_PENDING) {
                flushQueue(q);
            }
        } finally {
            lock.unlock();
        }
    }

    /** One thread's pending calls. */
    static final class PendingQueue {
        final Thread owner;
        final List<PendingCall> calls = new ArrayList<>();

        PendingQueue(Thread owner) {
            this.owner = owner;
        }
    }

    /** Runs every queue; the lock is held. */
    private void flushLocked() {
        for (PendingQueue q : new ArrayList<>(queues.values())) {
            flushQueue(q);
        }
    }

    /** Runs and empties one queue; the lock is held. */
    private void flushQueue(PendingQueue q) {
        queues.remove(q.owner);
        if (q.calls.isEmpty()) {
            return;
        }
        List<PendingCall> calls = new ArrayList<>(q.calls);
        q.calls.clear();
        try {
            List<Object> plan = FusionPlanner.plan(calls);
            if (DEBUG) {
                LOG.info("clgrad {}: {} pending calls run as {}", device, calls.size(), describe(plan));
            }
            int run = 0;
            for (Object item : plan) {
                if (item instanceof PendingCall c) {
                    runAlone(c);
                    run++;
                } else {
                    run += runGroup((FusionPlanner.Group) item);
                }
            }
            elided.add(calls.size() - run);
        } catch (RuntimeException e) {
            throw new IllegalStateException("clgrad " + device + ": running " + calls.size() + " pending calls failed ("
                    + e.getMessage() + "); the pending calls were " + summary(calls)
                    + ". Their results are lost; the tensors written by them hold undefined values", e);
        } finally {
            for (PendingCall c : calls) {
                for (View v : c.reads) {
                    unref((LazyBuffer) v.buffer());
                }
                for (View v : c.writes) {
                    unref((LazyBuffer) v.buffer());
                }
            }
        }
    }

    private void unref(LazyBuffer b) {
        if (--b.pendingRefs == 0) {
            b.pendingIn = null;
            if (b.released) {
                b.free(target);
            }
        }
    }

    private void runAlone(PendingCall c) {
        launches.increment();
        switch (c.kind) {
            case ELEMENTWISE -> target.elementwise(c.op, c.scalar, real(c.out), real(c.inputs));
            case FILL -> target.fill(real(c.out), c.scalar);
            case OTHER -> c.action.run();
        }
    }

    /** Runs a group as one graph (or its one call alone); returns how many calls it ran. */
    private int runGroup(FusionPlanner.Group g) {
        if (g.stores.isEmpty()) {
            return 0;
        }
        if (g.members.size() == 1) {
            runAlone(g.members.get(0));
            return 1;
        }
        FusedGraph graph = FusionGraphs.build(g, this::real);
        launches.increment();
        fusedKernels.increment();
        target.fused(graph);
        return g.members.size();
    }

    /** {@code v} over the device buffer behind it, allocated now if need be. */
    private View real(View v) {
        return new View(((LazyBuffer) v.buffer()).real(target), v.layout());
    }

    private View[] real(View[] vs) {
        View[] r = new View[vs.length];
        for (int k = 0; k < vs.length; k++) {
            r[k] = real(vs[k]);
        }
        return r;
    }

    private static String describe(List<Object> plan) {
        StringBuilder sb = new StringBuilder();
        for (Object item : plan) {
            sb.append(sb.length() == 0 ? "" : ", ");
            if (item instanceof FusionPlanner.Group g) {
                sb.append(g.members.size() == 1 ? "" : "fused").append(g.members).append(" storing ").append(g.stores);
            } else {
                sb.append(item);
            }
        }
        return "[" + sb + "]";
    }

    private static String summary(List<PendingCall> calls) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < calls.size() && i < 24; i++) {
            sb.append(i == 0 ? "" : ", ").append(calls.get(i));
        }
        return sb.append(calls.size() > 24 ? ", ... (" + (calls.size() - 24) + " more)]" : "]").toString();
    }
}
