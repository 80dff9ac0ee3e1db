package dev.clgrad.optim;

/**
 * The base of the learning-rate schedulers, PyTorch 1.13's {@code _LRScheduler}: each
 * {@link #step()} advances the epoch count and sets the optimizer's learning rate from the
 * scheduler's recursive ("chainable") formula, which reads the optimizer's current rate, so
 * the rates are exactly, bit for bit, those PyTorch computes (not its closed forms, which
 * round differently). Constructing a scheduler performs the first step, as PyTorch's does;
 * call {@code step()} after each {@code optimizer.step()}.
 *
 * <p>The first scheduler records the optimizer's rate as its {@code initial_lr}; the base rate
 * of every scheduler is that value.
 */
public abstract class LRScheduler {
    final Optimizer optimizer;
    final double baseLr;
    int lastEpoch;
    int stepCount;
    private double lastLr;

    LRScheduler(Optimizer optimizer, int lastEpoch) {
        if (optimizer == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": the optimizer is null");
        }
        if (lastEpoch == -1) {
            if (optimizer.initialLr() == null) {
                optimizer.setInitialLr(optimizer.lr());
            }
        } else if (optimizer.initialLr() == null) {
            throw new IllegalArgumentException("param 'initial_lr' is not specified in param_groups[0] when resuming "
                    + "an optimizer; a scheduler made with lastEpoch " + lastEpoch + " needs an optimizer that a "
                    + "scheduler has run on (or one restored by loadStateDict), or lastEpoch -1");
        }
        this.optimizer = optimizer;
        this.baseLr = optimizer.initialLr();
        this.lastEpoch = lastEpoch;
    }

    /** PyTorch's {@code _initial_step}; each subclass calls it last in its constructor, once its fields are set. */
    final void initialStep() {
        stepCount = 0;
        step();
    }

    /** Advances one epoch and sets the optimizer's learning rate for it. */
    public void step() {
        stepCount++;
        lastEpoch++;
        double lr = computeLr();
        optimizer.setLr(lr);
        lastLr = lr;
    }

    /** The learning rate for {@link #lastEpoch}, from the optimizer's current one (PyTorch's {@code get_lr}). */
    abstract double computeLr();

    /** The learning rate the last {@link #step()} set (PyTorch's {@code get_last_lr()[0]}). */
    public double lastLr() {
        return lastLr;
    }

    /** The epochs stepped so far, counting the constructor's step as epoch 0 (PyTorch's {@code last_epoch}). */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The optimizer whose learning rate this scheduler sets. */
    public Optimizer optimizer() {
        return optimizer;
    }
}
