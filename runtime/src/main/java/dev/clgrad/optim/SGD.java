package dev.clgrad.optim;

import dev.clgrad.Tensor;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * Stochastic gradient descent, optionally with momentum: PyTorch 1.13's
 * {@code torch.optim.SGD} (its single-tensor path), with the same defaults (momentum 0,
 * dampening 0, weight decay 0, no Nesterov) and the same checks and messages.
 *
 * <pre>{@code
 * SGD opt = new SGD(model.parameters(), 0.05).momentum(0.9).nesterov(true);
 * }</pre>
 *
 * For each parameter with a gradient {@code g}: {@code g += weightDecay * p}; with momentum,
 * {@code buf = g} at the first step and {@code buf = momentum * buf + (1 - dampening) * g}
 * after, then {@code g = nesterov ? g + momentum * buf : buf}; finally {@code p -= lr * g}.
 * The state is {@code momentum_buffer} (see {@link Optimizer} for the state dict).
 */
public final class SGD extends Optimizer {
    private static final String MOMENTUM_BUFFER = "momentum_buffer";

    private double momentum;
    private double dampening;
    private double weightDecay;
    private boolean nesterov;
    private boolean maximize;

    /**
     * SGD over {@code params} with learning rate {@code lr}.
     *
     * @throws IllegalArgumentException {@code Invalid learning rate: -0.1} for a negative
     *     {@code lr}, {@code optimizer got an empty parameter list}, or
     *     {@code can't optimize a non-leaf Tensor}
     */
    public SGD(List<Tensor> params, double lr) {
        super(params, lr);
        if (lr < 0.0) {
            throw new IllegalArgumentException("Invalid learning rate: " + repr(lr));
        }
    }

    /**
     * The full form, {@code torch.optim.SGD(params, lr, momentum, dampening, weight_decay,
     * nesterov)}; the arguments are checked in PyTorch's order.
     */
    public SGD(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay,
            boolean nesterov) {
        this(params, lr);
        momentum(momentum);
        weightDecay(weightDecay);
        dampening(dampening);
        nesterov(nesterov);
    }

    /**
     * Sets the momentum factor (default 0). With Nesterov on, it must stay positive.
     *
     * @throws IllegalArgumentException {@code Invalid momentum value: -0.1} when negative
     */
    public SGD momentum(double momentum) {
        if (momentum < 0.0) {
            throw new IllegalArgumentException("Invalid momentum value: " + repr(momentum));
        }
        checkNesterov(nesterov, momentum, dampening);
        this.momentum = momentum;
        return this;
    }

    /** Sets the dampening of momentum (default 0); with Nesterov on, it must stay 0. */
    public SGD dampening(double dampening) {
        checkNesterov(nesterov, momentum, dampening);
        this.dampening = dampening;
        return this;
    }

    /**
     * Sets the L2 penalty added to the gradient (default 0).
     *
     * @throws IllegalArgumentException {@code Invalid weight_decay value: -0.1} when negative
     */
    public SGD weightDecay(double weightDecay) {
        if (weightDecay < 0.0) {
            throw new IllegalArgumentException("Invalid weight_decay value: " + repr(weightDecay));
        }
        this.weightDecay = weightDecay;
        return this;
    }

    /**
     * Turns Nesterov momentum on or off (default off). Set {@link #momentum} first: Nesterov
     * needs a positive momentum and zero dampening.
     *
     * @throws IllegalArgumentException {@code Nesterov momentum requires a momentum and zero
     *     dampening} otherwise
     */
    public SGD nesterov(boolean nesterov) {
        checkNesterov(nesterov, momentum, dampening);
        this.nesterov = nesterov;
        return this;
    }

    /** Maximizes the objective instead of minimizing it (PyTorch's {@code maximize}, default off). */
    public SGD maximize(boolean maximize) {
        this.maximize = maximize;
        return this;
    }

    private static void checkNesterov(boolean nesterov, double momentum, double dampening) {
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
    }

    @Override
    void update(Tensor param, Tensor grad, ParamState s) {
        Tensor d = maximize ? grad.neg() : grad;
        if (weightDecay != 0) {
            d = plusScaled(d, param, weightDecay);
        }
        if (momentum != 0) {
            Tensor buf = s.buffer(MOMENTUM_BUFFER);
            if (buf == null) {
                buf = s.put(MOMENTUM_BUFFER, d.clone());
            } else {
                accumulateMomentum(buf, d, momentum, 1 - dampening);
            }
            d = nesterov ? plusScaled(d, buf, momentum) : buf;
        }
        addScaled(param, d, -lr());
    }

    /** {@code a + alpha * b}, a new tensor ({@code a.add(b, alpha=alpha)}). */
    private static Tensor plusScaled(Tensor a, Tensor b, double alpha) {
        return a.add(b.mul(alpha));
    }

    /** {@code buf.mul_(momentum).add_(d, alpha=scale)}. */
    private static void accumulateMomentum(Tensor buf, Tensor d, double momentum, double scale) {
        buf.mul_(momentum).add_(d.mul(scale));
    }

    /** {@code param.add_(d, alpha=alpha)}. */
    private static void addScaled(Tensor param, Tensor d, double alpha) {
        param.add_(d.mul(alpha));
    }

    @Override
    LinkedHashMap<String, Double> hyperparameters() {
        LinkedHashMap<String, Double> h = new LinkedHashMap<>();
        h.put("momentum", momentum);
        h.put("dampening", dampening);
        h.put("weight_decay", weightDecay);
        h.put("nesterov", nesterov ? 1.0 : 0.0);
        h.put("maximize", maximize ? 1.0 : 0.0);
        return h;
    }

    @Override
    void restoreHyperparameter(String name, double value) {
        switch (name) {
            case "momentum" -> momentum = value;
            case "dampening" -> dampening = value;
            case "weight_decay" -> weightDecay = value;
            case "nesterov" -> nesterov = value != 0;
            case "maximize" -> maximize = value != 0;
            default -> throw new IllegalArgumentException("SGD has no hyperparameter " + name);
        }
    }

    @Override
    List<String> bufferNames() {
        return List.of(MOMENTUM_BUFFER);
    }
}
