package dev.clgrad;

import java.util.ArrayList;
import java.util.List;

/**
 * Closes, at its end, every tensor created inside it on this thread, except those passed to
 * {@link #keep} and the gradients {@code backward()} stores in {@code grad()} of tensors
 * created outside it. Scopes nest; a kept tensor moves to the enclosing scope, if any.
 *
 * <pre>{@code
 * try (var scope = TensorScope.open()) {
 *     Tensor loss = model.forward(x).sub(y).pow(2).mean();
 *     loss.backward();
 *     result = scope.keep(loss.detach());
 * }
 * }</pre>
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();
    /** Scopes open on any thread; while none is, tensor creation skips the thread-local lookup. */
    private static final java.util.concurrent.atomic.AtomicInteger OPEN = new java.util.concurrent.atomic.AtomicInteger();

    private final TensorScope parent;
    private final List<Tensor> tracked = new ArrayList<>();
    private boolean closed;

    private TensorScope(TensorScope parent) {
        this.parent = parent;
    }

    /** Opens a scope on this thread; close it with try-with-resources. */
    public static TensorScope open() {
        TensorScope s = new TensorScope(CURRENT.get());
        CURRENT.set(s);
        OPEN.incrementAndGet();
        return s;
    }

    /**
     * Exempts {@code t} and its gradient from this scope (they move to the enclosing scope, if
     * any) and returns {@code t}. A gradient {@code backward()} stores later follows {@code t}.
     */
    public Tensor keep(Tensor t) {
        Checks.notNull(t, "keep", "t");
        moveToParent(t);
        Tensor g = t.grad();
        if (g != null) {
            moveToParent(g);
        }
        return t;
    }

    /**
     * Takes {@code t} out of whatever scope tracks it, on any thread, so that no scope closes it
     * and returns it: for tensors owned by long-lived objects (optimizer state, module buffers,
     * prefetched batches) that may be created while a user's scope is open. Their owner closes
     * them, or the garbage collector reclaims them.
     */
    public static Tensor persist(Tensor t) {
        Checks.notNull(t, "persist", "t");
        if (t.scope != null) {
            t.scope.untrack(t);
        }
        return t;
    }

    private void moveToParent(Tensor t) {
        if (t.scope == this) {
            untrack(t);
            if (parent != null) {
                parent.add(t);
            }
        }
    }

    /** Closes every tensor still tracked and makes the enclosing scope current again. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.decrementAndGet();
        if (CURRENT.get() == this) {
            CURRENT.set(parent);
        }
        List<Tensor> toClose = new ArrayList<>(tracked);
        tracked.clear();
        for (Tensor t : toClose) {
            if (t != null && t.scope == this) {
                t.scope = null;
                t.close();
            }
        }
        // no flush here: what the scope closed unread is now dead and will never be computed, and
        // what survives runs when something needs it (a scope on a loader's thread must not cut
        // the training step running on another into pieces)
    }

    static void track(Tensor t) {
        if (OPEN.get() == 0) {
            return;
        }
        TensorScope s = CURRENT.get();
        if (s != null) {
            s.add(t);
        }
    }

    /** A gradient stored into {@code owner} belongs to the scope {@code owner} belongs to. */
    static void adopt(Tensor grad, Tensor owner) {
        if (grad.scope != owner.scope) {
            if (grad.scope != null) {
                grad.scope.untrack(grad);
            }
            if (owner.scope != null) {
                owner.scope.add(grad);
            }
        }
    }

    private void add(Tensor t) {
        t.scope = this;
        tracked.add(t);
    }

    void untrack(Tensor t) {
        if (t.scope == this) {
            t.scope = null;
            // lazily dropped from the list: close() skips tensors that no longer point here
        }
    }
}
