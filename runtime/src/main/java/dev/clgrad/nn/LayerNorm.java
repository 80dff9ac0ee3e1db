package dev.clgrad.nn;

import dev.clgrad.Tensor;

/**
 * Normalises over the last dims (those of {@code normalizedShape}) to mean 0 and variance 1, then
 * applies a learned elementwise scale ({@code weight}, ones at first) and shift ({@code bias},
 * zeros), as {@code torch.nn.LayerNorm}; see {@link Functional#layerNorm}.
 */
public class LayerNorm extends Module {
    private final long[] normalizedShape;
    private final double eps;
    private final boolean elementwiseAffine;

    /** With {@code eps = 1e-5} and a weight and bias. */
    public LayerNorm(long... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    /**
     * @param normalizedShape the trailing dims to normalise over
     * @param eps added to the variance, for numerical stability
     * @param elementwiseAffine whether there is a weight and a bias
     */
    public LayerNorm(long[] normalizedShape, double eps, boolean elementwiseAffine) {
        Functional.notNull(normalizedShape, "LayerNorm", "normalizedShape");
        for (long s : normalizedShape) {
            if (s < 0) {
                throw new IllegalArgumentException("LayerNorm: Trying to create tensor with negative dimension " + s
                        + ": " + PyText.list(normalizedShape));
            }
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        registerParameter("weight", elementwiseAffine ? Tensor.ones(normalizedShape) : null);
        registerParameter("bias", elementwiseAffine ? Tensor.zeros(normalizedShape) : null);
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.layerNorm(input, normalizedShape, weight(), bias(), eps);
    }

    /** The scale, of {@code normalizedShape}, or null without the affine transform. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** The shift, of {@code normalizedShape}, or null without the affine transform. */
    public Tensor bias() {
        return parameter("bias");
    }

    /** The trailing dims normalised over. */
    public long[] normalizedShape() {
        return normalizedShape.clone();
    }

    /** The value added to the variance. */
    public double eps() {
        return eps;
    }

    @Override
    protected String extraRepr() {
        return PyText.tuple(normalizedShape) + ", eps=" + PyText.floatRepr(eps) + ", elementwise_affine="
                + PyText.bool(elementwiseAffine);
    }
}
