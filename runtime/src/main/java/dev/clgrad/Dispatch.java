package dev.clgrad;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.DeviceInfo;
import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.MemoryStats;
import dev.clgrad.spi.RandomOp;
import dev.clgrad.spi.ReduceOp;
import dev.clgrad.spi.View;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one door between the runtime and a device's backend: every call the runtime makes to a
 * backend (allocation, host transfers, primitives) goes through this decorator, which counts
 * them for {@link Device#counters()}. Laziness and fusion will live here too; a backend is never
 * called around it (tensors' storages hold this, not the backend).
 */
final class Dispatch implements Backend {
    private final Backend target;
    private final LongAdder primitives = new LongAdder();
    private final LongAdder hostWrites = new LongAdder();
    private final LongAdder hostReads = new LongAdder();
    private final LongAdder hostWriteBytes = new LongAdder();
    private final LongAdder hostReadBytes = new LongAdder();

    Dispatch(Backend target) {
        this.target = target;
    }

    /** The calls counted so far. */
    Device.Counters counters() {
        return new Device.Counters(primitives.sum(), hostWrites.sum(), hostReads.sum(), hostWriteBytes.sum(),
                hostReadBytes.sum());
    }

    @Override
    public DeviceInfo info() {
        return target.info();
    }

    @Override
    public Buffer allocate(ElementType type, long capacity) {
        return target.allocate(type, capacity);
    }

    @Override
    public void release(Buffer buffer) {
        target.release(buffer);
    }

    @Override
    public void write(Buffer dst, long byteOffset, ByteBuffer src) {
        hostWrites.increment();
        hostWriteBytes.add(src.remaining());
        target.write(dst, byteOffset, src);
    }

    @Override
    public void read(Buffer src, long byteOffset, ByteBuffer dst) {
        hostReads.increment();
        hostReadBytes.add(dst.remaining());
        target.read(src, byteOffset, dst);
    }

    @Override
    public void synchronize() {
        target.synchronize();
    }

    @Override
    public void elementwise(ElementwiseOp op, double scalar, View out, View... inputs) {
        primitives.increment();
        target.elementwise(op, scalar, out, inputs);
    }

    @Override
    public void reduce(ReduceOp op, View in, View out) {
        primitives.increment();
        target.reduce(op, in, out);
    }

    @Override
    public void matmul(View a, View b, View out) {
        primitives.increment();
        target.matmul(a, b, out);
    }

    @Override
    public void gather(View src, int dim, View index, View out) {
        primitives.increment();
        target.gather(src, dim, index, out);
    }

    @Override
    public void scatterAdd(View out, int dim, View index, View src) {
        primitives.increment();
        target.scatterAdd(out, dim, index, src);
    }

    @Override
    public void copy(View src, View dst) {
        primitives.increment();
        target.copy(src, dst);
    }

    @Override
    public void fill(View dst, double value) {
        primitives.increment();
        target.fill(dst, value);
    }

    @Override
    public void random(RandomOp op, long seed, long offset, View dst) {
        primitives.increment();
        target.random(op, seed, offset, dst);
    }

    @Override
    public MemoryStats memoryStats() {
        return target.memoryStats();
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
