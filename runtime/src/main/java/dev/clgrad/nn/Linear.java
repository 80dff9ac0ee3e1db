package dev.clgrad.nn;

import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;

/**
 * {@code y = x @ weight.t() + bias}, as {@code torch.nn.Linear}. The weight is
 * {@code [out_features, in_features]}; both it and the bias start uniform in
 * {@code ±1/sqrt(in_features)} (PyTorch's {@code kaiming_uniform_(a=sqrt(5))} and bias init),
 * drawn from the global generator ({@link Tensor#manualSeed}) on the default device in float32.
 */
public class Linear extends Module {
    private final long inFeatures;
    private final long outFeatures;

    /** A layer with a bias. */
    public Linear(long inFeatures, long outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    /** A layer with a bias when {@code bias} is true; without one, {@link #bias()} is null. */
    public Linear(long inFeatures, long outFeatures, boolean bias) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: Trying to create tensor with negative dimension "
                    + (outFeatures < 0 ? outFeatures : inFeatures) + ": [" + outFeatures + ", " + inFeatures
                    + "]; in_features and out_features must be at least 0");
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
        registerParameter("weight", uniform(bound, outFeatures, inFeatures));
        registerParameter("bias", bias ? uniform(bound, outFeatures) : null);
    }

    /** A float32 tensor on the default device, uniform in {@code [-bound, bound)}, as {@code uniform_(-bound, bound)}. */
    static Tensor uniform(double bound, long... shape) {
        try (var scope = TensorScope.open()) {
            return scope.keep(Tensor.rand(shape).mul(2 * bound).add(-bound));
        }
    }

    /** {@link Functional#linear} with this layer's weight and bias. */
    @Override
    public Tensor forward(Tensor input) {
        return Functional.linear(input, weight(), bias());
    }

    /** The weight, {@code [out_features, in_features]}. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, {@code [out_features]}, or null for a layer without one. */
    public Tensor bias() {
        return parameter("bias");
    }

    /** The size of each input sample. */
    public long inFeatures() {
        return inFeatures;
    }

    /** The size of each output sample. */
    public long outFeatures() {
        return outFeatures;
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + PyText.bool(bias() != null);
    }
}
