package dev.clgrad;

import dev.clgrad.autograd.Formula;
import dev.clgrad.autograd.GradFn.Edge;
import dev.clgrad.autograd.GradMode;
import dev.clgrad.autograd.InputMeta;
import dev.clgrad.autograd.Node;
import dev.clgrad.autograd.SavedTensor;

/** Records differentiable calls into the backward graph. */
final class Recorder {
    private Recorder() {
    }

    /** Whether a call on these inputs must be recorded (null inputs are wrapped scalars). */
    static boolean needed(Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** Makes {@code out} the result of a recorded call of {@code formula} when any input requires grad. */
    static Tensor record(Tensor out, Formula formula, Tensor[] inputs, double... args) {
        int mask = GradMode.isEnabled() ? requiresMask(inputs) : 0;
        if (mask == 0) {
            return out;
        }
        Node node = node(formula, inputs, args, mask);
        AutogradMeta.setGradFn(out, node);
        if ((formula.resultSavedFor() & mask) != 0) {
            node.saveResult(out);
        }
        return out;
    }

    /** As {@link #record(Tensor, Formula, Tensor[], double...)}, saving {@code extras} for the rule. */
    static Tensor record(Tensor out, Formula formula, Tensor[] inputs, Tensor[] extras, double... args) {
        int mask = GradMode.isEnabled() ? requiresMask(inputs) : 0;
        if (mask == 0) {
            return out;
        }
        Node node = node(formula, inputs, args, mask);
        node.saveExtras(extras);
        AutogradMeta.setGradFn(out, node);
        if ((formula.resultSavedFor() & mask) != 0) {
            node.saveResult(out);
        }
        return out;
    }

    static Tensor record(Tensor out, Formula formula, Tensor input, double... args) {
        return record(out, formula, new Tensor[] {input}, args);
    }

    static Tensor record2(Tensor out, Formula formula, Tensor a, Tensor b, double... args) {
        return record(out, formula, new Tensor[] {a, b}, args);
    }

    /** A node for a call of {@code formula} on {@code inputs}, saving what its masks ask for. */
    static Node node(Formula formula, Tensor[] inputs, double[] args) {
        return node(formula, inputs, args, requiresMask(inputs));
    }

    /** As {@link #node(Formula, Tensor[], double[])} with the inputs' requires-grad mask already known. */
    private static Node node(Formula formula, Tensor[] inputs, double[] args, int mask) {
        Edge[] edges = new Edge[inputs.length];
        InputMeta[] metas = new InputMeta[inputs.length];
        SavedTensor[] saved = new SavedTensor[inputs.length];
        int[] savedFor = formula.inputSavedFor();
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            edges[i] = t != null && (mask & (1 << i)) != 0 ? AutogradMeta.gradientEdge(t) : Edge.NONE;
            metas[i] = t == null ? null : meta(t);
            if (t != null && i < savedFor.length && (savedFor[i] & mask) != 0) {
                saved[i] = new SavedTensor(t);
            }
        }
        return new Node(formula, edges, metas, saved, args);
    }

    static InputMeta meta(Tensor t) {
        return new InputMeta(t.layout().shape(), t.dtype(), t.device());
    }

    private static int requiresMask(Tensor[] inputs) {
        int mask = 0;
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null && inputs[i].requiresGrad()) {
                mask |= 1 << i;
            }
        }
        return mask;
    }
}
