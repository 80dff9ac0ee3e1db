package dev.clgrad;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the pending calls of a {@link Dispatch} into what runs: calls whose results nothing
 * needs are dropped, runs of fusable calls over one shape become {@link Group}s (one graph,
 * one pass), and the rest run as they are, all in an order that gives every call the values
 * it would have seen eagerly.
 *
 * <p>A call is needed when it writes a buffer the runtime still holds at the end, or one a
 * later needed call reads. Within a group, a step reads an earlier step's value from a register
 * when it reads exactly the view that step wrote (or the one element a single step wrote,
 * broadcast); any other use of a buffer the group writes, and any write over a view the group
 * reads differently, ends the group first. A step stores its values only when the buffer
 * survives the flush (and no later step of its group overwrites the same view) or something
 * outside its group reads them.
 *
 * <p>A reduce that reads exactly the contiguous view a full step of the open group wrote, over
 * trailing axes into a contiguous output the group does not touch, becomes the group's tail and
 * closes it: the reduced values then need no memory unless something else reads them.
 */
final class FusionPlanner {
    /** Steps one fused graph holds at most (the "depth limit"). */
    static final int MAX_STEPS = 64;
    /** Leaf reads one graph holds at most: every view is kernel arguments, which devices bound (1 KiB on PoCL). */
    static final int MAX_LEAVES = 12;

    private FusionPlanner() {
    }

    /** Fusable calls run as one graph. */
    static final class Group {
        final List<PendingCall> members = new ArrayList<>();
        /** Per member, per input: the member whose value it reads, or -1 for a leaf. */
        final List<int[]> links = new ArrayList<>();
        final BitSet stores = new BitSet();
        /** The reduce that ends the group, or null; it reads member {@link #tailStep}. */
        PendingCall tail;
        int tailStep = -1;
        long[] shape;
        ElementType type;
        private final Map<LazyBuffer, List<Integer>> writers = new IdentityHashMap<>();
        private final Map<LazyBuffer, List<Layout>> leafReads = new IdentityHashMap<>();
        private int leafCount;

        /** The shape full steps iterate over. */
        long[] iterationShape() {
            return shape != null ? shape : members.get(0).out.layout().shape();
        }

        private Integer lastWriter(LazyBuffer b) {
            List<Integer> w = writers.get(b);
            return w == null ? null : w.get(w.size() - 1);
        }

        /** Whether member {@code m}'s view is written again, identically, by a later member. */
        boolean superseded(int m) {
            View o = members.get(m).out;
            for (int later : writers.get(lazy(o))) {
                if (later > m && members.get(later).out.layout().equals(o.layout())) {
                    return true;
                }
            }
            return false;
        }
    }

    private record Writer(Group group, int member) {
    }

    /** The plan: each item a {@link PendingCall} to run alone or a {@link Group}, in order. */
    static List<Object> plan(List<PendingCall> calls) {
        boolean[] needed = needed(calls);
        List<Object> plan = new ArrayList<>();
        Map<LazyBuffer, List<Writer>> written = new IdentityHashMap<>();
        Group open = null;
        for (int i = 0; i < calls.size(); i++) {
            if (!needed[i]) {
                continue;
            }
            PendingCall c = calls.get(i);
            if (c.fusable()) {
                if (open != null && (!fits(open, c) || readsOwnOutput(c))) {
                    plan.add(open);
                    open = null;
                }
                if (open == null) {
                    open = new Group();
                }
                int[] links = add(open, c);
                for (int k = 0; k < links.length; k++) {
                    if (links[k] < 0) {
                        readOutside(written, lazy(c.inputs[k]), open);
                    }
                }
                written.computeIfAbsent(lazy(c.out), b -> new ArrayList<>())
                        .add(new Writer(open, open.members.size() - 1));
                if (readsOwnOutput(c)) {
                    plan.add(open);
                    open = null;
                }
            } else if (open != null && c.kind == PendingCall.Kind.REDUCE && tailFits(open, c)) {
                // the reduce reads the member's value in the group's pass; nothing else needs storing
                open.tail = c;
                open.tailStep = open.lastWriter(lazy(c.inputs[0]));
                plan.add(open);
                open = null;
            } else {
                if (open != null && conflicts(open, c)) {
                    plan.add(open);
                    open = null;
                }
                for (View r : c.reads) {
                    readOutside(written, lazy(r), null);
                }
                plan.add(c);
            }
        }
        if (open != null) {
            plan.add(open);
        }
        for (Map.Entry<LazyBuffer, List<Writer>> e : written.entrySet()) {
            if (!e.getKey().released) {
                readOutside(written, e.getKey(), null);
            }
        }
        return plan;
    }

    /** Marks which calls' results something needs, walking back from the end. */
    private static boolean[] needed(List<PendingCall> calls) {
        boolean[] needed = new boolean[calls.size()];
        Set<LazyBuffer> readLater = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = calls.size() - 1; i >= 0; i--) {
            PendingCall c = calls.get(i);
            for (View w : c.writes) {
                LazyBuffer b = lazy(w);
                needed[i] |= !b.released || readLater.contains(b);
            }
            if (needed[i]) {
                for (View r : c.reads) {
                    readLater.add(lazy(r));
                }
            }
        }
        return needed;
    }

    /** A read of {@code b} from memory by {@code reader} (null: a call run alone, or the end): its writers store. */
    private static void readOutside(Map<LazyBuffer, List<Writer>> written, LazyBuffer b, Group reader) {
        List<Writer> ws = written.get(b);
        if (ws == null) {
            return;
        }
        for (Writer w : ws) {
            if (w.group != reader && !w.group.superseded(w.member)) {
                w.group.stores.set(w.member);
            }
        }
    }

    /** Whether fusable call {@code c} can join {@code g} without changing what any step sees. */
    private static boolean fits(Group g, PendingCall c) {
        if (g.members.size() >= MAX_STEPS || g.leafCount + c.inputs.length > MAX_LEAVES || c.type() != g.type) {
            return false;
        }
        long[] shape = c.out.layout().shape();
        if (c.numel() != 1 && g.shape != null && !Arrays.equals(g.shape, shape)) {
            return false;
        }
        for (View v : c.inputs) {
            Integer w = g.lastWriter(lazy(v));
            if (w != null && !inlinable(g.members.get(w).out, v)) {
                return false;
            }
        }
        LazyBuffer ob = lazy(c.out);
        if (c.numel() == 1 && g.leafReads.containsKey(ob)) {
            // one work-item stores a single step: the others could still be reading the old value
            return false;
        }
        List<Integer> ws = g.writers.get(ob);
        if (ws != null) {
            for (int w : ws) {
                if (!g.members.get(w).out.layout().equals(c.out.layout())) {
                    return false;
                }
            }
        }
        List<Layout> rs = g.leafReads.get(ob);
        if (rs != null) {
            for (Layout l : rs) {
                if (!l.equals(c.out.layout())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether reduce {@code c} can end {@code g} (see {@link dev.clgrad.spi.FusedGraph.Tail}): it
     * reads the contiguous view a full member last wrote, over trailing axes of which at least one
     * is more than 1, into a contiguous output that no member reads or writes.
     */
    private static boolean tailFits(Group g, PendingCall c) {
        View in = c.inputs[0];
        Integer w = g.lastWriter(lazy(in));
        if (w == null || g.shape == null || !g.members.get(w).out.layout().equals(in.layout())
                || !Arrays.equals(in.layout().shape(), g.shape) || !in.layout().isContiguous()
                || in.layout().numel() == 0) {
            return false;
        }
        Layout out = c.out.layout();
        LazyBuffer ob = lazy(c.out);
        if ((out.numel() != 1 && !out.isContiguous()) || g.writers.containsKey(ob) || g.leafReads.containsKey(ob)) {
            return false;
        }
        long[] is = g.shape;
        long[] os = out.shape();
        boolean reduced = false;
        for (int d = 0; d < is.length; d++) {
            if (is[d] == 1) {
                continue;
            }
            if (os[d] == 1) {
                reduced = true;
            } else if (reduced) {
                return false;
            }
        }
        return reduced;
    }

    /**
     * Whether {@code c} is a single step updating its own buffer in place ({@code sum.div_(n)}): it
     * runs in a group of its own, since the work-item that stores it races the others reading it.
     */
    private static boolean readsOwnOutput(PendingCall c) {
        if (c.numel() != 1) {
            return false;
        }
        for (View v : c.inputs) {
            if (v.buffer() == c.out.buffer()) {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code c} to {@code g}; returns its links (a member index, or -1 for a leaf read). */
    private static int[] add(Group g, PendingCall c) {
        if (g.members.isEmpty()) {
            g.type = c.type();
        }
        if (c.numel() != 1) {
            g.shape = c.out.layout().shape();
        }
        int[] links = new int[c.inputs.length];
        for (int k = 0; k < links.length; k++) {
            LazyBuffer b = lazy(c.inputs[k]);
            Integer w = g.lastWriter(b);
            links[k] = w == null ? -1 : w;
            if (w == null) {
                g.leafReads.computeIfAbsent(b, x -> new ArrayList<>()).add(c.inputs[k].layout());
                g.leafCount++;
            }
        }
        int index = g.members.size();
        g.members.add(c);
        g.links.add(links);
        g.writers.computeIfAbsent(lazy(c.out), x -> new ArrayList<>()).add(index);
        return links;
    }

    /** Whether call {@code c}, run alone now, would see or clobber something {@code g} has not run yet. */
    private static boolean conflicts(Group g, PendingCall c) {
        for (View r : c.reads) {
            if (g.writers.containsKey(lazy(r))) {
                return true;
            }
        }
        for (View w : c.writes) {
            LazyBuffer b = lazy(w);
            if (g.writers.containsKey(b) || g.leafReads.containsKey(b)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a step reading {@code v} can take the value of the step that wrote {@code written}
     * from its register: the same view, or the one element written seen broadcast.
     */
    private static boolean inlinable(View written, View v) {
        Layout w = written.layout();
        Layout r = v.layout();
        if (w.equals(r)) {
            return true;
        }
        if (w.numel() != 1 || r.offset() != w.offset()) {
            return false;
        }
        long[] shape = r.shape();
        long[] strides = r.strides();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] != 1 && strides[d] != 0) {
                return false;
            }
        }
        return true;
    }

    static LazyBuffer lazy(View v) {
        return (LazyBuffer) v.buffer();
    }
}
