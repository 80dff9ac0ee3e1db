package dev.clgrad.nn;

import dev.clgrad.Tensor;

/**
 * In training mode, zeroes each element with probability {@code p} and scales the others by
 * {@code 1/(1-p)}; in evaluation mode, returns its input. As {@code torch.nn.Dropout}; see
 * {@link Functional#dropout} for the mask.
 */
public class Dropout extends Module {
    private final double p;

    /** {@code Dropout(0.5)}. */
    public Dropout() {
        this(0.5);
    }

    /**
     * @param p the probability of zeroing an element
     * @throws IllegalArgumentException when {@code p} is outside [0, 1]
     */
    public Dropout(double p) {
        Functional.checkDropoutProbability("Dropout", p);
        this.p = p;
    }

    /** The probability of zeroing an element. */
    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.dropout(input, p, isTraining());
    }

    @Override
    protected String extraRepr() {
        return "p=" + PyText.floatRepr(p) + ", inplace=False";
    }
}
