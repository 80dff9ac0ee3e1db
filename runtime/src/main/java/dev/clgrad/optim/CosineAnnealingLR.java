package dev.clgrad.optim;

/**
 * Anneals the learning rate along a cosine from its base value to {@code etaMin} over
 * {@code tMax} epochs and back up over the next {@code tMax}, and so on: PyTorch 1.13's
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR}, with its recursive formula
 * {@code lr = (1 + cos(pi * e / tMax)) / (1 + cos(pi * (e - 1) / tMax)) * (lr - etaMin) + etaMin}
 * (and {@code lr + (base - etaMin) * (1 - cos(pi / tMax)) / 2} at the epochs just past each
 * minimum), not the closed form, so that the rates are PyTorch's bit for bit.
 *
 * <p>The cosine is Java's {@link Math#cos}; PyTorch's is the C library's, and neither is
 * correctly rounded. Against glibc 2.36 they agree on every argument {@code k * pi / tMax}
 * with {@code tMax <= 12} over the first three half-periods ({@code k <= 3 * tMax + 1}); for
 * {@code tMax} up to 300 about one such argument in 500 differs in its last bit, and the rate
 * at that epoch with it.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** Anneals to 0 over {@code tMax} epochs (PyTorch's default {@code eta_min}). */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0.0);
    }

    /**
     * Anneals to {@code etaMin} over {@code tMax} epochs; performs the first step.
     *
     * @throws IllegalArgumentException when {@code tMax} is not positive (PyTorch fails at the
     *     second step with a division by zero)
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        this(optimizer, tMax, etaMin, -1);
    }

    /**
     * The full form, with PyTorch's {@code last_epoch}: other than -1 resumes a schedule (its
     * first step then uses the closed form, as PyTorch's does).
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (tMax <= 0) {
            throw new IllegalArgumentException("CosineAnnealingLR: tMax must be positive, got " + tMax);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    double computeLr() {
        double lr = optimizer.lr();
        if (lastEpoch == 0) {
            return lr;
        } else if (stepCount == 1 && lastEpoch > 0) {
            return etaMin + (baseLr - etaMin) * (1 + Math.cos(lastEpoch * Math.PI / tMax)) / 2;
        } else if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            return lr + (baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
        }
        return (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                * (lr - etaMin) + etaMin;
    }
}
