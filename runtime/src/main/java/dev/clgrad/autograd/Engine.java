package dev.clgrad.autograd;

import dev.clgrad.Tensor;
import dev.clgrad.autograd.GradFn.Edge;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs the backward graph: a topological sweep from the roots, never recursive (a graph of
 * any depth fits in heap, not stack). Every node runs once, after all gradients for it have
 * been summed. This is also the one place where gradients are validated against their
 * input's shape, dtype and device, and summed back over broadcast dimensions.
 */
public final class Engine {
    private Engine() {
    }

    /**
     * Backpropagates {@code rootGrads} from {@code roots}.
     *
     * @param roots the edge of each output
     * @param rootGrads the gradient of each output, already validated
     * @param keepGraph keep saved tensors so the graph can run again
     * @param createGraph record the backward computation so it can itself be differentiated
     * @param captures null to accumulate into leaves ({@code backward()}); otherwise the edges
     *                 whose incoming gradients are returned instead ({@code Autograd.grad}),
     *                 and no leaf's {@code grad()} is touched
     * @return the captured gradients (null entries for captures no gradient reached), or null
     */
    public static Tensor[] run(Edge[] roots, Tensor[] rootGrads, boolean keepGraph, boolean createGraph,
                               Edge[] captures) {
        Map<GradFn, int[]> dependencies = countDependencies(roots);
        Map<GradFn, Tensor> buffers = new IdentityHashMap<>();
        Map<GradFn, List<Integer>> captureIndex = null;
        Map<GradFn, Boolean> needed = null;
        Tensor[] captured = null;
        if (captures != null) {
            captured = new Tensor[captures.length];
            captureIndex = new IdentityHashMap<>();
            for (int i = 0; i < captures.length; i++) {
                captureIndex.computeIfAbsent(captures[i].function(), k -> new ArrayList<>()).add(i);
            }
            needed = markNeeded(roots, dependencies, captureIndex);
        }
        PriorityQueue<GradFn> ready = new PriorityQueue<>(
                (a, b) -> Long.compare(b.sequenceNr(), a.sequenceNr()));
        for (int i = 0; i < roots.length; i++) {
            GradFn fn = roots[i].function();
            buffers.merge(fn, rootGrads[i], Tensor::add);
            if (dependencies.get(fn)[0] == 0 && !ready.contains(fn)) {
                ready.add(fn);
            }
        }
        boolean previous = GradMode.set(createGraph);
        try {
            while (!ready.isEmpty()) {
                GradFn fn = ready.poll();
                Tensor grad = buffers.remove(fn);
                Tensor[] grads = null;
                if (grad != null) {
                    if (captureIndex != null && captureIndex.containsKey(fn)) {
                        for (int i : captureIndex.get(fn)) {
                            captured[i] = grad;
                        }
                    }
                    if (fn.retainedOutput() != null) {
                        retainGrad(fn.retainedOutput(), grad);
                    }
                    boolean runIt = needed == null
                            ? true
                            : needed.getOrDefault(fn, false) && !(fn instanceof AccumulateGrad);
                    if (runIt) {
                        grads = fn.apply(fn instanceof AccumulateGrad ? validateLeaf((AccumulateGrad) fn, grad) : grad);
                        if (!keepGraph) {
                            fn.release();
                        }
                    }
                }
                for (int i = 0; i < fn.next.length; i++) {
                    GradFn nextFn = fn.next[i].function();
                    if (nextFn == null) {
                        continue;
                    }
                    if (grads != null && i < grads.length && grads[i] != null) {
                        Tensor g = validate(fn, i, grads[i]);
                        buffers.merge(nextFn, g, Tensor::add);
                    }
                    int[] deps = dependencies.get(nextFn);
                    if (--deps[0] == 0) {
                        ready.add(nextFn);
                    }
                }
            }
        } finally {
            GradMode.set(previous);
        }
        return captured;
    }

    /** For every node reachable from the roots, how many edges lead into it (in a mutable cell). */
    private static Map<GradFn, int[]> countDependencies(Edge[] roots) {
        Map<GradFn, int[]> deps = new IdentityHashMap<>();
        ArrayDeque<GradFn> stack = new ArrayDeque<>();
        for (Edge root : roots) {
            if (deps.putIfAbsent(root.function(), new int[1]) == null) {
                stack.push(root.function());
            }
        }
        while (!stack.isEmpty()) {
            GradFn fn = stack.pop();
            for (Edge e : fn.next) {
                GradFn n = e.function();
                if (n == null) {
                    continue;
                }
                int[] d = deps.get(n);
                if (d == null) {
                    d = new int[1];
                    deps.put(n, d);
                    stack.push(n);
                }
                d[0]++;
            }
        }
        return deps;
    }

    /** Nodes that lead to a capture: only these run under {@code Autograd.grad}. */
    private static Map<GradFn, Boolean> markNeeded(Edge[] roots, Map<GradFn, int[]> deps,
                                                   Map<GradFn, List<Integer>> captureIndex) {
        // Kahn order without running anything, then a reverse sweep.
        Map<GradFn, Integer> remaining = new IdentityHashMap<>();
        deps.forEach((fn, d) -> remaining.put(fn, d[0]));
        List<GradFn> order = new ArrayList<>();
        ArrayDeque<GradFn> queue = new ArrayDeque<>();
        for (Edge root : roots) {
            if (remaining.get(root.function()) == 0 && !queue.contains(root.function())) {
                queue.add(root.function());
            }
        }
        while (!queue.isEmpty()) {
            GradFn fn = queue.poll();
            order.add(fn);
            for (Edge e : fn.next) {
                if (e.function() != null && remaining.merge(e.function(), -1, Integer::sum) == 0) {
                    queue.add(e.function());
                }
            }
        }
        Map<GradFn, Boolean> needed = new IdentityHashMap<>();
        for (int k = order.size() - 1; k >= 0; k--) {
            GradFn fn = order.get(k);
            boolean need = captureIndex.containsKey(fn);
            for (Edge e : fn.next) {
                need |= e.function() != null && needed.getOrDefault(e.function(), false);
            }
            needed.put(fn, need);
        }
        return needed;
    }

    private static void retainGrad(Tensor output, Tensor grad) {
        Tensor old = output.grad();
        if (old == null) {
            output.setGrad(grad.clone());
        } else {
            output.setGrad(old.add(grad));
        }
    }

    private static Tensor validateLeaf(AccumulateGrad fn, Tensor grad) {
        return conform(grad, fn.leafMeta(), fn.name(), 0);
    }

    private static Tensor validate(GradFn fn, int i, Tensor grad) {
        InputMeta meta = fn.meta(i);
        return meta == null ? grad : conform(grad, meta, fn.name(), i);
    }

    private static Tensor conform(Tensor grad, InputMeta meta, String fnName, int i) {
        if (!Arrays.equals(grad.shape(), meta.shape())) {
            if (!reducibleTo(grad.shape(), meta.shape())) {
                throw new AutogradException("Function " + fnName + " returned an invalid gradient at index " + i
                        + " - got " + Arrays.toString(grad.shape()) + " but expected shape compatible with "
                        + Arrays.toString(meta.shape()));
            }
            grad = sumTo(grad, meta.shape());
        }
        if (grad.dtype() != meta.dtype()) {
            grad = grad.to(meta.dtype());
        }
        if (!grad.device().equals(meta.device())) {
            throw new AutogradException("Function " + fnName + " returned a gradient on " + grad.device()
                    + " for an input on " + meta.device());
        }
        return grad;
    }

    private static boolean reducibleTo(long[] from, long[] to) {
        if (to.length > from.length) {
            return false;
        }
        int lead = from.length - to.length;
        for (int d = 0; d < to.length; d++) {
            if (to[d] != 1 && to[d] != from[lead + d]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sums {@code grad} over the dimensions broadcasting added to reach its shape from
     * {@code shape} (leading dimensions, and dimensions where {@code shape} has size 1).
     */
    public static Tensor sumTo(Tensor grad, long[] shape) {
        long[] from = grad.shape();
        if (Arrays.equals(from, shape)) {
            return grad;
        }
        int lead = from.length - shape.length;
        int[] dims = new int[from.length];
        int n = 0;
        for (int d = 0; d < from.length; d++) {
            if (d < lead || (shape[d - lead] == 1 && from[d] != 1)) {
                dims[n++] = d;
            }
        }
        Tensor summed = n == 0 ? grad : grad.sum(Arrays.copyOf(dims, n), true);
        return summed.reshape(shape);
    }
}
