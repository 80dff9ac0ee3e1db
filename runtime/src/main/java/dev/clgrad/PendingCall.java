package dev.clgrad;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.ReduceOp;
import dev.clgrad.spi.View;

import java.util.Arrays;
import java.util.Locale;

/**
 * A backend call the {@link Dispatch} has accepted but not yet run. Fusable calls (floating
 * elementwise ops and fills) keep their op and views so that a plan can merge them into one
 * graph; every other call keeps only what it reads and writes, and how to run it.
 */
final class PendingCall {
    /** What a call is, for planning. */
    enum Kind {
        /** A floating elementwise op: {@link #op}, {@link #scalar}, {@link #inputs}, {@link #out}. */
        ELEMENTWISE,
        /** A floating fill of {@link #out} with {@link #scalar}. */
        FILL,
        /**
         * A reduce of {@code inputs[0]} into {@link #out} by {@link #reduceOp}, run by {@link #action}
         * unless a plan makes it the tail of the graph that computes its input.
         */
        REDUCE,
        /** Anything else: run as it is by {@link #action}. */
        OTHER
    }

    final Kind kind;
    final String name;
    final ElementwiseOp op;
    final double scalar;
    final View out;
    final View[] inputs;
    final View[] reads;
    final View[] writes;
    final Runnable action;
    final ReduceOp reduceOp;

    private PendingCall(Kind kind, String name, ElementwiseOp op, double scalar, View out, View[] inputs,
                        View[] reads, View[] writes, Runnable action) {
        this(kind, name, op, scalar, out, inputs, reads, writes, action, null);
    }

    private PendingCall(Kind kind, String name, ElementwiseOp op, double scalar, View out, View[] inputs,
                        View[] reads, View[] writes, Runnable action, ReduceOp reduceOp) {
        this.reduceOp = reduceOp;
        this.kind = kind;
        this.name = name;
        this.op = op;
        this.scalar = scalar;
        this.out = out;
        this.inputs = inputs;
        this.reads = reads;
        this.writes = writes;
        this.action = action;
    }

    static PendingCall elementwise(ElementwiseOp op, double scalar, View out, View[] inputs) {
        return new PendingCall(Kind.ELEMENTWISE, op.name().toLowerCase(Locale.ROOT), op, scalar, out, inputs,
                inputs, new View[] {out}, null);
    }

    static PendingCall fill(View out, double value) {
        return new PendingCall(Kind.FILL, "fill", null, value, out, new View[0], new View[0], new View[] {out}, null);
    }

    static PendingCall reduce(ReduceOp op, View in, View out, Runnable action) {
        View[] input = {in};
        return new PendingCall(Kind.REDUCE, "reduce " + op, null, 0, out, input, input, new View[] {out}, action, op);
    }

    static PendingCall other(String name, View[] reads, View[] writes, Runnable action) {
        return new PendingCall(Kind.OTHER, name, null, 0, null, null, reads, writes, action);
    }

    /** Whether a plan may put this call into a fused graph. */
    boolean fusable() {
        return kind == Kind.ELEMENTWISE || kind == Kind.FILL;
    }

    /** The element type a fusable call computes in. */
    ElementType type() {
        return out.buffer().elementType();
    }

    /** Element count of the written view. */
    long numel() {
        return writes[0].layout().numel();
    }

    /** Whether an elementwise call of {@code op} on these views can join a fused graph. */
    static boolean fusableTypes(ElementwiseOp op, View out, View[] inputs) {
        ElementType t = out.buffer().elementType();
        if (!t.isFloating() || op.isComparison()) {
            return false;
        }
        for (int k = 0; k < inputs.length; k++) {
            ElementType it = inputs[k].buffer().elementType();
            if (it != (op == ElementwiseOp.WHERE && k == 0 ? ElementType.BOOL : t)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return name + (out != null ? Arrays.toString(out.layout().shape()) : "");
    }
}
