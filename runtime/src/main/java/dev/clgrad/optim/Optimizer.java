package dev.clgrad.optim;

import dev.clgrad.Autograd;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of clgrad's optimizers, PyTorch 1.13's {@code torch.optim.Optimizer} with one
 * parameter group.
 *
 * <p>{@link #step()} updates every parameter whose {@code grad()} is not null, in place, on
 * the parameter's device, with autograd recording off and without reading anything back to
 * the host (step counts and bias corrections are host numbers). State (momentum buffers,
 * Adam's moments) is created lazily by the first step that sees a parameter's gradient,
 * belongs to the optimizer (a {@link TensorScope} the caller has open around {@code step()}
 * does not close it), and is keyed by the parameter object: when {@code Module.to(Device)}
 * swaps a parameter's storage ({@link Tensor#setData}), its state follows it to the new
 * device and dtype at the next step.
 *
 * <h2>State dict format</h2>
 * {@link #stateDict()} flattens PyTorch's nested {@code optimizer.state_dict()} into dotted
 * keys, with parameters numbered by their position in the list given to the constructor:
 * <pre>
 * state.0.step              0-dim float32 on the CPU (Adam, AdamW), as 1.13 stores it
 * state.0.exp_avg           the parameter's shape, dtype and device (Adam, AdamW)
 * state.0.exp_avg_sq        (Adam, AdamW)
 * state.0.max_exp_avg_sq    (Adam, AdamW with amsgrad)
 * state.0.momentum_buffer   (SGD with momentum; PyTorch's None is left out)
 * param_groups.0.lr         0-dim float64 on the CPU, as every hyperparameter:
 * param_groups.0.momentum, .dampening, .weight_decay, .nesterov, .maximize          (SGD)
 * param_groups.0.betas.0, .betas.1, .eps, .weight_decay, .amsgrad, .maximize  (Adam, AdamW)
 * param_groups.0.initial_lr once a scheduler has set it
 * param_groups.0.params     1-D float64: the parameters' indices 0, 1, ...
 * </pre>
 * Booleans are 0 or 1. A parameter that has no state yet has no {@code state.i.*} keys.
 *
 * <p>{@link #close()} releases the state's device memory at once; without it the garbage
 * collector reclaims it once the optimizer is unreachable.
 */
public abstract class Optimizer implements AutoCloseable {
    private final List<Tensor> params;
    /** PyTorch keys state by the parameter object; a duplicated parameter shares one state. */
    private final Map<Tensor, ParamState> state = new IdentityHashMap<>();
    private double lr;
    /** PyTorch's {@code group['initial_lr']}, set by the first scheduler; null before. */
    private Double initialLr;
    private boolean closed;

    Optimizer(List<Tensor> params, double lr) {
        if (params == null) {
            throw new IllegalArgumentException("params argument given to the optimizer should be a list of Tensors, "
                    + "but got null");
        }
        if (params.isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list");
        }
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p == null) {
                throw new IllegalArgumentException("optimizer can only optimize Tensors, but parameter " + i
                        + " is null");
            }
            if (!p.isLeaf()) {
                throw new IllegalArgumentException("can't optimize a non-leaf Tensor");
            }
        }
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** Performs one optimization step: updates each parameter that has a gradient, in place. */
    public void step() {
        checkOpen("step");
        try (var g = Autograd.noGrad(); var temporaries = TensorScope.open()) {
            for (Tensor p : params) {
                Tensor grad = p.grad();
                if (grad == null) {
                    continue;
                }
                ParamState s = state.computeIfAbsent(p, k -> new ParamState());
                s.follow(p);
                update(p, grad, s);
            }
        }
    }

    /** Updates one parameter from its gradient and state (PyTorch's single-tensor path). */
    abstract void update(Tensor param, Tensor grad, ParamState s);

    /** The hyperparameters other than {@code lr}, by their PyTorch names, in PyTorch's order. */
    abstract LinkedHashMap<String, Double> hyperparameters();

    /** Restores one hyperparameter that {@link #hyperparameters()} names, from a state dict. */
    abstract void restoreHyperparameter(String name, double value);

    /** The state buffers this optimizer may keep per parameter, by their PyTorch names. */
    abstract List<String> bufferNames();

    /**
     * Zeroes the gradients of all parameters in place (PyTorch 1.13's {@code zero_grad()},
     * {@code set_to_none=False}); parameters without a gradient are left alone, so calling it
     * before the first backward is a no-op.
     */
    public void zeroGrad() {
        zeroGrad(false);
    }

    /**
     * PyTorch's {@code zero_grad(set_to_none)}: with {@code setToNone} the gradients become null
     * (so the next {@link #step()} skips parameters that get none); otherwise they are detached
     * from any graph and zeroed in place.
     */
    public void zeroGrad(boolean setToNone) {
        try (var g = Autograd.noGrad()) {
            for (Tensor p : params) {
                Tensor grad = p.grad();
                if (grad == null) {
                    continue;
                }
                if (setToNone) {
                    p.setGrad(null);
                    continue;
                }
                if (grad.gradFn() != null) {
                    grad = grad.detach(); // PyTorch's detach_(): the gradient made with createGraph drops its history
                    p.setGrad(grad);
                } else if (grad.requiresGrad()) {
                    grad.requiresGrad_(false);
                }
                grad.zero_();
            }
        }
    }

    /**
     * Releases the state tensors (momentum buffers, moments) now instead of leaving them to the
     * garbage collector; idempotent. The parameters and their gradients are the caller's and
     * stay. A closed optimizer refuses {@link #step()}, {@link #stateDict()} and
     * {@link #loadStateDict}.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            replaceState(Map.of());
        }
    }

    private void checkOpen(String op) {
        if (closed) {
            throw new IllegalStateException(getClass().getSimpleName() + "." + op + ": this optimizer was closed "
                    + "and its state released; make a new one (loadStateDict restores a saved state)");
        }
    }

    /** The learning rate ({@code param_groups[0]['lr']}). */
    public double lr() {
        return lr;
    }

    /** Sets the learning rate used by the next {@link #step()}, as assigning {@code group['lr']} does. */
    public void setLr(double lr) {
        this.lr = lr;
    }

    /** The parameters this optimizer updates, in the order they were given. */
    public List<Tensor> parameters() {
        return params;
    }

    Double initialLr() {
        return initialLr;
    }

    void setInitialLr(double initialLr) {
        this.initialLr = initialLr;
    }

    void clearInitialLr() {
        this.initialLr = null;
    }

    /**
     * A snapshot of the optimizer's state and hyperparameters in the format of the class
     * comment. The tensors are copies: they stay as they are while training goes on, and the
     * caller owns them (a scope open around this call closes them).
     */
    public Map<String, Tensor> stateDict() {
        checkOpen("stateDict");
        return StateDicts.save(this);
    }

    /**
     * Restores what {@link #stateDict()} saved, so that training continues exactly as it would
     * have without the interruption: state tensors are copied to each parameter's device and
     * dtype (the step count stays float32), and the hyperparameters, {@code lr} included, take the
     * saved values, as PyTorch's {@code load_state_dict} does. The whole dict is checked before
     * anything changes.
     *
     * @throws IllegalArgumentException for a different number of parameters, a key this
     *     optimizer does not know, or a state tensor whose shape is not its parameter's
     */
    public void loadStateDict(Map<String, Tensor> stateDict) {
        checkOpen("loadStateDict");
        StateDicts.load(this, stateDict);
    }

    // ---- for StateDicts ------------------------------------------------------------------

    /** The index of each distinct parameter's first position, as PyTorch's {@code state_dict} numbers them. */
    List<Tensor> distinctParams() {
        List<Tensor> out = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (Tensor p : params) {
            if (seen.put(p, Boolean.TRUE) == null) {
                out.add(p);
            }
        }
        return out;
    }

    ParamState stateOf(Tensor p) {
        return state.get(p);
    }

    /** Replaces all state at once (closing the old buffers), as {@code load_state_dict} does. */
    void replaceState(Map<Tensor, ParamState> fresh) {
        for (ParamState s : state.values()) {
            s.close();
        }
        state.clear();
        state.putAll(fresh);
    }

    /** Restores {@code lr}, {@code initial_lr} and the subclass's hyperparameters. */
    void restore(String name, double value) {
        switch (name) {
            case "lr" -> lr = value;
            case "initial_lr" -> initialLr = value;
            default -> restoreHyperparameter(name, value);
        }
    }

    static String repr(double v) {
        return PyFloat.repr(v);
    }
}
