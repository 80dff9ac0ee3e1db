package dev.clgrad;

import dev.clgrad.autograd.AccumulateGrad;
import dev.clgrad.autograd.AutogradException;
import dev.clgrad.autograd.Derivatives;
import dev.clgrad.autograd.GradFn;
import dev.clgrad.autograd.GradFn.Edge;
import dev.clgrad.autograd.Node;

/**
 * A tensor's autograd state, allocated only for tensors that take part in autograd (as in
 * PyTorch): whether a leaf requires grad, the node that computed it, its gradient and its
 * gradient accumulator.
 */
final class AutogradMeta {
    boolean leafRequiresGrad;
    GradFn gradFn;
    /** The version counter's value when {@link #gradFn} was set; a view's node is stale after that. */
    int gradFnVersion;
    Tensor grad;
    private AccumulateGrad accumulator;

    /** The node that computed {@code owner}; a view whose base changed gets a fresh one. */
    static GradFn gradFn(Tensor owner) {
        AutogradMeta m = owner.meta;
        Tensor base = owner.viewBase();
        if (base != null && base.requiresGrad() && (m == null || m.gradFn == null
                || m.gradFnVersion != owner.version())) {
            regenerateViewGradFn(owner);
            m = owner.meta;
        }
        return m == null ? null : m.gradFn;
    }

    static void setGradFn(Tensor owner, GradFn fn) {
        if (owner.isNoGradView() && fn != null) {
            throw new AutogradException("A view was created in no_grad mode and is being modified inplace with grad "
                    + "mode enabled. This use is ambiguous and therefore forbidden: create the view and modify it "
                    + "both inside Autograd.noGrad() (not tracked) or both outside it (tracked).");
        }
        AutogradMeta m = owner.meta();
        GradFn old = m.gradFn;
        m.gradFn = fn;
        m.gradFnVersion = owner.version();
        if (old != null && old.retainedOutputIs(owner)) {
            // as in PyTorch, grad() follows the latest version: the old node stops retaining
            old.retainGradOf(null);
            if (fn != null) {
                fn.retainGradOf(owner);
            }
        }
    }

    /** {@code requires_grad_}: only leaves can change it; a non-leaf may only confirm true. */
    static void setRequiresGrad(Tensor owner, boolean requiresGrad) {
        if (gradFn(owner) != null) {
            if (!requiresGrad) {
                throw new AutogradException("requiresGrad_: you can only change requires_grad flags of leaf "
                        + "variables. If you want to use a computed variable in a subgraph that doesn't require "
                        + "differentiation use varNoGrad = var.detach().");
            }
            return;
        }
        if (requiresGrad || owner.meta != null) {
            owner.meta().leafRequiresGrad = requiresGrad;
        }
    }

    /** The edge gradients of {@code owner} flow along. */
    static Edge gradientEdge(Tensor owner) {
        GradFn fn = gradFn(owner);
        if (fn != null) {
            return new Edge(fn, 0);
        }
        AutogradMeta m = owner.meta;
        if (m == null || !m.leafRequiresGrad) {
            return Edge.NONE;
        }
        if (m.accumulator == null) {
            m.accumulator = new AccumulateGrad(owner);
        }
        return new Edge(m.accumulator, 0);
    }

    /**
     * Forgets the accumulator after {@code setData} changed the leaf's shape, dtype or device (as
     * PyTorch's {@code set_data}), so the next graph checks gradients against the new metadata.
     */
    private static final java.util.concurrent.atomic.AtomicBoolean NON_LEAF_GRAD_WARNED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** PyTorch's warning, once per process, on reading {@code grad} of a non-leaf that keeps none. */
    static void warnNonLeafGradOnce() {
        if (NON_LEAF_GRAD_WARNED.compareAndSet(false, true)) {
            org.slf4j.LoggerFactory.getLogger(Tensor.class).warn("The .grad attribute of a Tensor that is not a leaf "
                    + "Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). "
                    + "If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retainGrad() on "
                    + "the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf "
                    + "Tensor instead.");
        }
    }

    void dropAccumulator() {
        accumulator = null;
    }

    /** Gives a view whose base has new history an {@code AsStridedBackward0} from the base's history. */
    static void regenerateViewGradFn(Tensor view) {
        Tensor base = view.viewBase();
        Node node = Recorder.node(Derivatives.AS_STRIDED, new Tensor[] {base},
                Views.asStridedArgs(view.layout(), base.layout()));
        AutogradMeta m = view.meta();
        m.gradFn = node;
        m.gradFnVersion = view.version();
    }
}
