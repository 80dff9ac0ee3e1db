package dev.clgrad;

import dev.clgrad.autograd.AutogradException;
import dev.clgrad.autograd.Engine;
import dev.clgrad.autograd.GradFn;
import dev.clgrad.autograd.GradFn.Edge;
import dev.clgrad.autograd.GradMode;

import java.util.Arrays;
import java.util.List;

/** Grad mode and functional gradients ({@code torch.no_grad}, {@code torch.autograd.grad}). */
public final class Autograd {
    private Autograd() {
    }

    /** A scope that restores the previous grad mode when closed. */
    public static final class GradModeScope implements AutoCloseable {
        private final boolean previous;
        private boolean closed;

        private GradModeScope(boolean enabled) {
            this.previous = GradMode.set(enabled);
        }

        /** Restores the grad mode that was in effect when the scope was opened. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                GradMode.set(previous);
            }
        }
    }

    /**
     * Disables recording on this thread until the returned scope is closed:
     * {@code try (var g = Autograd.noGrad()) { ... }}.
     */
    public static GradModeScope noGrad() {
        return new GradModeScope(false);
    }

    /** Enables recording on this thread until the returned scope is closed. */
    public static GradModeScope enableGrad() {
        return new GradModeScope(true);
    }

    /** Whether ops on this thread are recorded for backward. */
    public static boolean isGradEnabled() {
        return GradMode.isEnabled();
    }

    /**
     * The gradients of {@code outputs} with respect to {@code inputs}, without touching any
     * {@code grad()}. Every input must be used in the graph.
     *
     * @param gradOutputs one gradient per output, or null for ones (one-element outputs only)
     * @param retainGraph keep the graph's saved tensors for another backward
     * @param createGraph record the gradient computation, for higher-order derivatives
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                    boolean retainGraph, boolean createGraph) {
        return grad(outputs, inputs, gradOutputs, retainGraph, createGraph, false);
    }

    /** As {@link #grad(List, List, List, boolean, boolean)}; with {@code allowUnused}, unused inputs get null. */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                    boolean retainGraph, boolean createGraph, boolean allowUnused) {
        Checks.noNulls(outputs, "grad", "outputs");
        Checks.noNulls(inputs, "grad", "inputs");
        if (gradOutputs != null && gradOutputs.size() != outputs.size()) {
            throw new IllegalArgumentException("grad: got " + gradOutputs.size() + " gradOutputs for "
                    + outputs.size() + " outputs");
        }
        Edge[] roots = new Edge[outputs.size()];
        Tensor[] rootGrads = new Tensor[outputs.size()];
        for (int i = 0; i < roots.length; i++) {
            Tensor out = outputs.get(i);
            out.checkOpen("grad");
            rootGrads[i] = rootGradient("grad", out, gradOutputs == null ? null : gradOutputs.get(i), i);
            roots[i] = AutogradMeta.gradientEdge(out);
        }
        Edge[] captures = new Edge[inputs.size()];
        for (int i = 0; i < captures.length; i++) {
            Tensor in = inputs.get(i);
            if (!in.requiresGrad()) {
                throw new AutogradException("grad: one of the differentiated Tensors (input " + i + ") does not "
                        + "require grad; call requiresGrad_() on it before the forward pass");
            }
            captures[i] = AutogradMeta.gradientEdge(in);
        }
        Tensor[] result = Engine.run(roots, rootGrads, retainGraph || createGraph, createGraph, captures);
        for (int i = 0; i < result.length; i++) {
            if (result[i] == null && !allowUnused) {
                throw new AutogradException("grad: one of the differentiated Tensors (input " + i + ") appears to "
                        + "not have been used in the graph. Set allowUnused=true if this is the desired behavior.");
            }
            if (result[i] != null && !Arrays.equals(result[i].shape(), inputs.get(i).shape())) {
                result[i] = Engine.sumTo(result[i], inputs.get(i).shape());
            }
        }
        return Arrays.asList(result);
    }

    /** {@code output.backward(gradient, retainGraph, createGraph)}. */
    static void backward(Tensor output, Tensor gradient, boolean retainGraph, boolean createGraph) {
        output.checkOpen("backward");
        Tensor g = rootGradient("backward", output, gradient, 0);
        Engine.run(new Edge[] {AutogradMeta.gradientEdge(output)}, new Tensor[] {g}, retainGraph || createGraph,
                createGraph, null);
    }

    /** The validated gradient that starts backward from {@code output}. */
    static Tensor rootGradient(String op, Tensor output, Tensor gradient, int index) {
        if (!output.requiresGrad()) {
            throw new AutogradException(op + ": element " + index + " of tensors does not require grad and does not "
                    + "have a grad_fn; call requiresGrad_() on the inputs before computing it");
        }
        if (gradient == null) {
            if (output.numel() != 1) {
                throw new AutogradException(op + ": grad can be implicitly created only for scalar outputs (output "
                        + index + " has shape " + Shapes.str(output.shape()) + "); pass a gradient of that shape, "
                        + "e.g. backward(Tensor.ones(...))");
            }
            return output.newOnes(output.shape());
        }
        gradient.checkOpen(op);
        if (!Arrays.equals(gradient.shape(), output.shape())) {
            throw new AutogradException(op + ": Mismatch in shape: grad_output[" + index + "] has a shape of "
                    + Shapes.str(gradient.shape()) + " and output[" + index + "] has a shape of "
                    + Shapes.str(output.shape()) + "; pass a gradient with the output's shape");
        }
        Tensor.checkSameDevice(op, output, gradient);
        return gradient.dtype() == output.dtype() ? gradient : gradient.to(output.dtype());
    }

    /** The node that computed {@code t}, or null for a leaf (same as {@code t.gradFn()}). */
    public static GradFn gradFn(Tensor t) {
        Checks.notNull(t, "gradFn", "t");
        return t.gradFn();
    }
}
