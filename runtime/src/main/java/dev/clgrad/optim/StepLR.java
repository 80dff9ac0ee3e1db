package dev.clgrad.optim;

/**
 * Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs: PyTorch 1.13's
 * {@code torch.optim.lr_scheduler.StepLR}.
 *
 * <pre>{@code
 * var sched = new StepLR(opt, 30, 0.1);   // lr 0.05 for epochs 0-29, 0.005 for 30-59, ...
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(opt);
 *     sched.step();
 * }
 * }</pre>
 */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** StepLR with PyTorch's default {@code gamma}, 0.1. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    /**
     * Decays by {@code gamma} every {@code stepSize} epochs; performs the first step.
     *
     * @throws IllegalArgumentException when {@code stepSize} is not positive (PyTorch fails at
     *     the second step with a division by zero)
     */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        this(optimizer, stepSize, gamma, -1);
    }

    /**
     * The full form, with PyTorch's {@code last_epoch}: other than -1 resumes a schedule, from
     * the {@code initial_lr} a scheduler recorded in the optimizer.
     */
    public StepLR(Optimizer optimizer, int stepSize, double gamma, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (stepSize <= 0) {
            throw new IllegalArgumentException("StepLR: stepSize must be positive, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    double computeLr() {
        double lr = optimizer.lr();
        if (lastEpoch == 0 || Math.floorMod(lastEpoch, stepSize) != 0) {
            return lr;
        }
        return lr * gamma;
    }
}
