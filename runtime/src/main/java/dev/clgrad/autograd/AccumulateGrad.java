package dev.clgrad.autograd;

import dev.clgrad.Tensor;

/**
 * The node at a leaf that requires grad: adds the incoming gradient into the leaf's
 * {@code grad()}. The first gradient is copied into a new tensor; later ones are added in
 * place into that same tensor, so {@code grad()} keeps its identity (and its device buffer)
 * until the user zeroes or replaces it. With {@code createGraph} the sum is out of place and
 * differentiable, as in PyTorch.
 */
public final class AccumulateGrad extends GradFn {
    private static final Edge[] NO_EDGES = new Edge[0];
    private final Tensor variable;
    private final InputMeta meta;

    /** The accumulator of {@code leaf}; a leaf keeps one, so graphs share it. */
    public AccumulateGrad(Tensor leaf) {
        super(NO_EDGES);
        this.variable = leaf;
        this.meta = new InputMeta(leaf.shape(), leaf.dtype(), leaf.device());
    }

    /** The leaf this node accumulates into. */
    public Tensor variable() {
        return variable;
    }

    @Override
    public String name() {
        return "AccumulateGrad";
    }

    /** Shape, dtype and device of the leaf, which the incoming gradient is checked against. */
    InputMeta leafMeta() {
        return meta;
    }

    @Override
    InputMeta meta(int i) {
        throw new IndexOutOfBoundsException("AccumulateGrad has no inputs");
    }

    @Override
    Tensor[] apply(Tensor grad) {
        Tensor old = variable.grad();
        if (old == null) {
            variable.setGrad(grad.clone());
        } else if (!GradMode.isEnabled()) {
            old.add_(grad);
        } else {
            variable.setGrad(old.add(grad));
        }
        return new Tensor[0];
    }
}
