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

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one door between the runtime and a device's backend: every call the runtime makes to a
 * backend goes through this decorator, which counts them ({@link Device#counters()}) and, with
 * fusion on (the default; {@code -Dclgrad.fusion=off} or {@link Device#setFusing} turns it off),
 * defers them. Buffers are {@link LazyBuffer}s either way: with fusion off every call runs at
 * once and allocates what it touches.
 *
 * <p><b>Laziness.</b> Primitive calls are queued ({@link PendingWork}, one queue per thread), not
 * run: their results are pending values in {@link LazyBuffer}s with no device memory behind them
 * yet. A queue runs ("flushes") when something needs its values: a host read or write of a buffer
 * pending in it, a matmul (the device starts on it while the host goes on), a call of another
 * thread touching one of its buffers, or {@link PendingWork#MAX_PENDING} calls; every queue runs
 * on {@link #synchronize()} and {@link #memoryStats()}. The end of a {@link TensorScope} runs
 * nothing: it releases what the scope tracked, so those values, if unread, are dead and never
 * computed. A flush first drops the calls nothing needs (their buffers were released and no
 * needed call reads them), then runs chains of elementwise calls as one fused graph
 * ({@link FusionPlanner}, {@link Backend#fused}) and the rest as they are. So a value saved
 * for backward and released before the flush is recomputed inside the backward's fused kernel
 * from its inputs, and an intermediate closed unread is never allocated.
 *
 * <p>Errors of shape and dtype stay eager: each call is checked when it is queued. A failure
 * while the queue runs (device memory exhausted while materialising) names the pending calls.
 * Calls smaller than the backend's {@link Backend#lazyThreshold()} run at once when nothing is
 * pending, where deferring them would cost more than it saves. All methods are thread safe.
 */
final class Dispatch implements Backend {
    private final Backend target;
    private final String device;
    private final PendingWork work;
    private final LongAdder primitives = new LongAdder();
    private final LongAdder hostWrites = new LongAdder();
    private final LongAdder hostReads = new LongAdder();
    private final LongAdder hostWriteBytes = new LongAdder();
    private final LongAdder hostReadBytes = new LongAdder();

    Dispatch(String device, Backend target) {
        this.target = target;
        this.device = device;
        String min = System.getProperty("clgrad.fusion.minElements");
        this.work = new PendingWork(target, device, fusionEnabled(),
                min != null ? Long.parseLong(min.trim()) : target.lazyThreshold());
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
        return work.fusing();
    }

    /** Turns deferring and fusing on or off from now on; what is pending runs first. */
    void setFusing(boolean on) {
        work.setFusing(on);
    }

    /** The calls counted so far. */
    Device.Counters counters() {
        FusionStats fs = target.fusionStats();
        return new Device.Counters(primitives.sum(), work.launches.sum(), work.fusedKernels.sum(), work.elided.sum(),
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
        work.release((LazyBuffer) buffer);
    }

    @Override
    public void write(Buffer dst, long byteOffset, ByteBuffer src) {
        hostWrites.increment();
        hostWriteBytes.add(src.remaining());
        work.write((LazyBuffer) dst, byteOffset, src);
    }

    @Override
    public void read(Buffer src, long byteOffset, ByteBuffer dst) {
        hostReads.increment();
        hostReadBytes.add(dst.remaining());
        work.read((LazyBuffer) src, byteOffset, dst);
    }

    @Override
    public void synchronize() {
        flush();
        target.synchronize();
    }

    /** Runs every pending call now. */
    void flush() {
        work.flushAll();
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
            work.submit(PendingCall.elementwise(op, scalar, out, inputs));
        } else {
            work.submit(PendingCall.other("elementwise " + op, inputs, new View[] {out},
                    () -> target.elementwise(op, scalar, work.real(out), work.real(inputs))));
        }
    }

    @Override
    public void reduce(ReduceOp op, View in, View out) {
        primitives.increment();
        PrimitiveShapes.reduce(op, in, out);
        PrimitiveShapes.reduceType(op, in.buffer().elementType(), device);
        work.submit(PendingCall.reduce(op, in, out, () -> target.reduce(op, work.real(in), work.real(out))));
    }

    @Override
    public void matmul(View a, View b, View out) {
        primitives.increment();
        PrimitiveShapes.matmul(a, b, out, a.buffer().elementType());
        work.submit(PendingCall.other("matmul", new View[] {a, b}, new View[] {out},
                () -> target.matmul(work.real(a), work.real(b), work.real(out))));
        // a product is compute the device can start on while the host records what follows (a
        // training step's backward): run what is queued now, the product included
        work.startThisThread();
    }

    @Override
    public void gather(View src, int dim, View index, View out) {
        primitives.increment();
        PrimitiveShapes.indexed("gather", src, dim, index, out, index.buffer().elementType());
        work.submit(PendingCall.other("gather", new View[] {src, index}, new View[] {out},
                () -> target.gather(work.real(src), dim, work.real(index), work.real(out))));
    }

    @Override
    public void scatterAdd(View out, int dim, View index, View src) {
        primitives.increment();
        PrimitiveShapes.indexed("scatterAdd", out, dim, index, src, index.buffer().elementType());
        work.submit(PendingCall.other("scatterAdd", new View[] {out, index, src}, new View[] {out},
                () -> target.scatterAdd(work.real(out), dim, work.real(index), work.real(src))));
    }

    @Override
    public void copy(View src, View dst) {
        primitives.increment();
        PrimitiveShapes.copy(src, dst);
        work.submit(PendingCall.other("copy", new View[] {src}, new View[] {dst}, () -> target.copy(work.real(src), work.real(dst))));
    }

    @Override
    public void fill(View dst, double value) {
        primitives.increment();
        if (dst.buffer().elementType().isFloating()) {
            work.submit(PendingCall.fill(dst, value));
        } else {
            work.submit(PendingCall.other("fill", new View[0], new View[] {dst}, () -> target.fill(work.real(dst), value)));
        }
    }

    @Override
    public void random(RandomOp op, long seed, long offset, View dst) {
        primitives.increment();
        work.submit(PendingCall.other("random " + op, new View[0], new View[] {dst},
                () -> target.random(op, seed, offset, work.real(dst))));
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

}
