package dev.clgrad.optim;

import dev.clgrad.Tensor;

import java.util.List;

/**
 * Adam, PyTorch 1.13's {@code torch.optim.Adam} (its single-tensor path), with the same defaults
 * (lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0, no AMSGrad) and the same checks and
 * messages. Weight decay is an L2 penalty added to the gradient.
 *
 * <pre>{@code
 * Adam opt = new Adam(model.parameters(), 1e-3).betas(0.9, 0.99).amsgrad(true);
 * }</pre>
 *
 * For each parameter with a gradient {@code g}, with {@code t} the parameter's step count:
 * {@code m = beta1 * m + (1 - beta1) * g}, {@code v = beta2 * v + (1 - beta2) * g * g} (with
 * AMSGrad, {@code vmax = max(vmax, v)} is used in place of {@code v}), then
 * {@code p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)}. The state is
 * {@code step}, {@code exp_avg}, {@code exp_avg_sq} and, with AMSGrad, {@code max_exp_avg_sq}
 * (see {@link Optimizer} for the state dict).
 */
public final class Adam extends AdamBase {
    /** Adam over {@code params} with PyTorch's default learning rate, 1e-3. */
    public Adam(List<Tensor> params) {
        this(params, 1e-3);
    }

    /**
     * Adam over {@code params} with learning rate {@code lr}. The default weight decay is 0.
     *
     * @throws IllegalArgumentException {@code Invalid learning rate: -0.1} for a negative or NaN
     *     {@code lr}, {@code optimizer got an empty parameter list}, or
     *     {@code can't optimize a non-leaf Tensor}
     */
    public Adam(List<Tensor> params, double lr) {
        super(params, lr, 0);
    }

    /**
     * The full form, {@code torch.optim.Adam(params, lr, betas, eps, weight_decay, amsgrad)};
     * the arguments are checked in PyTorch's order.
     */
    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
            boolean amsgrad) {
        this(params, lr);
        eps(eps);
        betas(beta1, beta2);
        weightDecay(weightDecay);
        amsgrad(amsgrad);
    }

    /**
     * Sets the decay rates of the first and second moment estimates (default 0.9 and 0.999).
     *
     * @throws IllegalArgumentException {@code Invalid beta parameter at index 0: 1.0} unless
     *     {@code 0 <= beta < 1}
     */
    public Adam betas(double beta1, double beta2) {
        setBetas(beta1, beta2);
        return this;
    }

    /**
     * Sets the term added to the denominator (default 1e-8).
     *
     * @throws IllegalArgumentException {@code Invalid epsilon value: -1e-08} when negative or NaN
     */
    public Adam eps(double eps) {
        setEps(eps);
        return this;
    }

    /**
     * Sets the weight decay. The default weight decay is 0.
     *
     * @throws IllegalArgumentException {@code Invalid weight_decay value: -0.1} when negative or NaN
     */
    public Adam weightDecay(double weightDecay) {
        setWeightDecay(weightDecay);
        return this;
    }

    /** Uses the AMSGrad variant, the running maximum of the second moment (default off). */
    public Adam amsgrad(boolean amsgrad) {
        this.amsgrad = amsgrad;
        return this;
    }

    /** Maximizes the objective instead of minimizing it (PyTorch's {@code maximize}, default off). */
    public Adam maximize(boolean maximize) {
        this.maximize = maximize;
        return this;
    }

    @Override
    Tensor applyWeightDecay(Tensor param, Tensor grad) {
        // L2 penalty: grad.add(param, alpha=weight_decay)
        return weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
    }
}
