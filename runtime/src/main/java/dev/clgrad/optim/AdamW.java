package dev.clgrad.optim;

import dev.clgrad.Tensor;

import java.util.List;

/**
 * AdamW, PyTorch 1.13's {@code torch.optim.AdamW} (its single-tensor path), with the same defaults
 * (lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-2, no AMSGrad) and the same checks and
 * messages. Weight decay is decoupled: each step first multiplies the parameter by
 * {@code 1 - lr * weightDecay}.
 *
 * <pre>{@code
 * AdamW opt = new AdamW(model.parameters(), 1e-3).betas(0.9, 0.99).amsgrad(true);
 * }</pre>
 *
 * For each parameter with a gradient {@code g}, with {@code t} the parameter's step count:
 * {@code m = beta1 * m + (1 - beta1) * g}, {@code v = beta2 * v + (1 - beta2) * g * g} (with
 * AMSGrad, {@code vmax = max(vmax, v)} is used in place of {@code v}), then
 * {@code p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)}. The state is
 * {@code step}, {@code exp_avg}, {@code exp_avg_sq} and, with AMSGrad, {@code max_exp_avg_sq}
 * (see {@link Optimizer} for the state dict).
 */
public final class AdamW extends AdamBase {
    /** AdamW over {@code params} with PyTorch's default learning rate, 1e-3. */
    public AdamW(List<Tensor> params) {
        this(params, 1e-3);
    }

    /**
     * AdamW over {@code params} with learning rate {@code lr}. The default weight decay is 1e-2.
     *
     * @throws IllegalArgumentException {@code Invalid learning rate: -0.1} for a negative or NaN
     *     {@code lr}, {@code optimizer got an empty parameter list}, or
     *     {@code can't optimize a non-leaf Tensor}
     */
    public AdamW(List<Tensor> params, double lr) {
        super(params, lr, 1e-2);
    }

    /**
     * The full form, {@code torch.optim.AdamW(params, lr, betas, eps, weight_decay, amsgrad)};
     * the arguments are checked in PyTorch's order.
     */
    public AdamW(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
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
    public AdamW betas(double beta1, double beta2) {
        setBetas(beta1, beta2);
        return this;
    }

    /**
     * Sets the term added to the denominator (default 1e-8).
     *
     * @throws IllegalArgumentException {@code Invalid epsilon value: -1e-08} when negative or NaN
     */
    public AdamW eps(double eps) {
        setEps(eps);
        return this;
    }

    /**
     * Sets the weight decay. The default weight decay is 1e-2.
     *
     * @throws IllegalArgumentException {@code Invalid weight_decay value: -0.1} when negative or NaN
     */
    public AdamW weightDecay(double weightDecay) {
        setWeightDecay(weightDecay);
        return this;
    }

    /** Uses the AMSGrad variant, the running maximum of the second moment (default off). */
    public AdamW amsgrad(boolean amsgrad) {
        this.amsgrad = amsgrad;
        return this;
    }

    /** Maximizes the objective instead of minimizing it (PyTorch's {@code maximize}, default off). */
    public AdamW maximize(boolean maximize) {
        this.maximize = maximize;
        return this;
    }

    @Override
    Tensor applyWeightDecay(Tensor param, Tensor grad) {
        // decoupled: param.mul_(1 - lr * weight_decay); multiplying by 1 would change nothing
        if (weightDecay != 0) {
            shrink(param, 1 - lr() * weightDecay);
        }
        return grad;
    }

    /** {@code param.mul_(factor)}. */
    private static void shrink(Tensor param, double factor) {
        param.mul_(factor);
    }
}
