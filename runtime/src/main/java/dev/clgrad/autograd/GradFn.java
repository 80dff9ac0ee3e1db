package dev.clgrad.autograd;

import dev.clgrad.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node of the backward graph: the function that turns the gradient of one tensor's value
 * into gradients for the inputs it was computed from (PyTorch's {@code grad_fn}).
 *
 * <p>{@link #name()} is PyTorch's class name for the same node ({@code MulBackward0},
 * {@code AccumulateGrad}, ...), and {@link #nextFunctions()} mirrors {@code next_functions}.
 */
public abstract class GradFn {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /**
     * One input of a node: the node its gradient flows to and which of that node's inputs it
     * feeds (always 0 in clgrad, whose nodes have one output).
     *
     * @param function the next node, or null for an input that needs no gradient, as PyTorch's {@code (None, 0)}
     * @param inputNr which input of {@code function}
     */
    public record Edge(GradFn function, int inputNr) {
        /** The edge of an input that needs no gradient. */
        public static final Edge NONE = new Edge(null, 0);

        /** Whether gradient flows along this edge. */
        public boolean isValid() {
            return function != null;
        }
    }

    private final long sequenceNr = SEQUENCE.getAndIncrement();
    final Edge[] next;
    private Tensor retainedOutput;

    GradFn(Edge[] next) {
        this.next = next;
    }

    /** PyTorch's name for this node, e.g. {@code MulBackward0}. */
    public abstract String name();

    /** The nodes the gradients of this node's inputs flow to, in input order. */
    public List<Edge> nextFunctions() {
        return Collections.unmodifiableList(Arrays.asList(next));
    }

    /** {@code <MulBackward0>}. */
    @Override
    public String toString() {
        return "<" + name() + ">";
    }

    /** Creation order; the engine runs later nodes first, as PyTorch does. */
    final long sequenceNr() {
        return sequenceNr;
    }

    /**
     * Gradients for each input (same order as {@link #next}; null where none) given the
     * gradient of this node's output.
     */
    abstract Tensor[] apply(Tensor gradOutput);

    /** Shape, dtype and device the gradient of input {@code i} must have. */
    abstract InputMeta meta(int i);

    /** Frees what was saved for backward; a later {@link #apply} that needs it fails. */
    void release() {
    }

    /** Whether {@code t} retains the gradient flowing into this node. */
    public final boolean retainedOutputIs(Tensor t) {
        return retainedOutput == t;
    }

    /** The non-leaf tensor whose {@code grad()} receives this node's incoming gradient. */
    final Tensor retainedOutput() {
        return retainedOutput;
    }

    /**
     * Makes the gradient flowing into this node be stored in {@code output.grad()}
     * ({@code retain_grad()}). Internal: called by the tensor that owns this node.
     */
    public final void retainGradOf(Tensor output) {
        this.retainedOutput = output;
    }
}
