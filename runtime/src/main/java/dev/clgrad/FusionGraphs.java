package dev.clgrad;

import dev.clgrad.spi.FusedGraph;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Builds the {@link FusedGraph} a {@link FusionPlanner.Group} hands its backend. */
final class FusionGraphs {
    private FusionGraphs() {
    }

    private record LeafKey(LazyBuffer buffer, Layout layout) {
    }

    /**
     * The group as a graph over device buffers; {@code real} maps a view of a {@link LazyBuffer}
     * to the same view of its device buffer, allocating it if need be.
     */
    static FusedGraph build(FusionPlanner.Group g, UnaryOperator<View> real) {
        long[] shape = g.iterationShape();
        List<View> leaves = new ArrayList<>();
        Map<LeafKey, Integer> leafIndex = new HashMap<>();
        List<FusedGraph.Step> steps = new ArrayList<>(g.members.size());
        for (int m = 0; m < g.members.size(); m++) {
            PendingCall c = g.members.get(m);
            int[] links = g.links.get(m);
            int[] operands = new int[links.length];
            for (int k = 0; k < links.length; k++) {
                if (links[k] >= 0) {
                    operands[k] = links[k];
                } else {
                    View v = c.inputs[k];
                    Integer at = leafIndex.computeIfAbsent(new LeafKey((LazyBuffer) v.buffer(), v.layout()), key -> {
                        leaves.add(real.apply(v));
                        return leaves.size() - 1;
                    });
                    operands[k] = FusedGraph.Step.leaf(at);
                }
            }
            long[] stepShape = c.out.layout().shape();
            boolean single = !Arrays.equals(stepShape, shape);
            View store = g.stores.get(m) ? real.apply(c.out) : null;
            steps.add(new FusedGraph.Step(c.op, c.scalar, operands, single, stepShape, store));
        }
        FusedGraph.Tail tail = g.tail == null ? null
                : new FusedGraph.Tail(g.tail.reduceOp, g.tailStep, real.apply(g.tail.out));
        return new FusedGraph(shape, g.type, leaves, steps, tail);
    }
}
