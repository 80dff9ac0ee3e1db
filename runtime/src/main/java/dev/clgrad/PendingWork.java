package dev.clgrad;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.FusedGraph;
import dev.clgrad.spi.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The calls a {@link Dispatch} has accepted and not yet run, one queue per thread, and running
 * them: what {@link FusionPlanner} plans goes to the backend here, and only here do lazy buffers
 * get device memory. See {@link Dispatch} for when queues run. Thread safe: one lock guards the
 * queues and every {@link LazyBuffer}'s bookkeeping.
 */
final class PendingWork {
    private static final Logger LOG = LoggerFactory.getLogger(PendingWork.class);
    /** {@code -Dclgrad.fusion.debug=true}: log each flush's plan (and, on OpenCL, each generated kernel). */
    private static final boolean DEBUG = Boolean.getBoolean("clgrad.fusion.debug");
    /** Pending calls after which a queue runs whatever happens ("the size limit"). */
    static final int MAX_PENDING = 1024;

    private final Backend target;
    private final String device;
    private final long lazyThreshold;
    private volatile boolean fusion;
    private final ReentrantLock lock = new ReentrantLock();
    /** Each thread's pending calls; a buffer is pending in at most one ({@link LazyBuffer#pendingIn}). */
    private final Map<Thread, PendingQueue> queues = new HashMap<>();
    final LongAdder launches = new LongAdder();
    final LongAdder fusedKernels = new LongAdder();
    final LongAdder elided = new LongAdder();

    PendingWork(Backend target, String device, boolean fusion, long lazyThreshold) {
        this.target = target;
        this.device = device;
        this.fusion = fusion;
        this.lazyThreshold = lazyThreshold;
    }

    boolean fusing() {
        return fusion;
    }

    /** Turns deferring on or off from now on; what is pending runs first. */
    void setFusing(boolean on) {
        lock.lock();
        try {
            flushLocked();
            fusion = on;
        } finally {
            lock.unlock();
        }
    }

    /** The runtime lets go of {@code b}: its device buffer goes back once no pending call uses it. */
    void release(LazyBuffer b) {
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

    /** A host write into {@code b}, after the calls pending on it. */
    void write(LazyBuffer b, long byteOffset, ByteBuffer src) {
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

    /** A host read of {@code b}, after the calls pending on it. */
    void read(LazyBuffer b, long byteOffset, ByteBuffer dst) {
        Buffer real;
        lock.lock();
        try {
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

    /** Runs this thread's queue now. */
    void startThisThread() {
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
    void flushAll() {
        lock.lock();
        try {
            flushLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues {@code call} on this thread's queue, or runs it at once when fusion is off or it is
     * small and nothing is pending here. A buffer pending in another thread's queue runs that
     * queue first, so no queue ever depends on another: threads' calls do not interleave in
     * one queue (a loader's thread would cut a training step's chains at random places).
     */
    void submit(PendingCall call) {
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
            case REDUCE, OTHER -> c.action.run();
        }
    }

    /** Runs a group as one graph (or its one call alone); returns how many calls it ran. */
    private int runGroup(FusionPlanner.Group g) {
        if (g.tail == null) {
            if (g.stores.isEmpty()) {
                return 0;
            }
            if (g.members.size() == 1) {
                runAlone(g.members.get(0));
                return 1;
            }
        }
        FusedGraph graph = FusionGraphs.build(g, this::real);
        launches.increment();
        fusedKernels.increment();
        target.fused(graph);
        return g.members.size() + (g.tail == null ? 0 : 1);
    }

    /** {@code v} over the device buffer behind it, allocated now if need be. */
    View real(View v) {
        return new View(((LazyBuffer) v.buffer()).real(target), v.layout());
    }

    View[] real(View[] vs) {
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
                sb.append(g.members.size() == 1 && g.tail == null ? "" : "fused").append(g.members)
                        .append(g.tail == null ? "" : " then " + g.tail).append(" storing ").append(g.stores);
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
