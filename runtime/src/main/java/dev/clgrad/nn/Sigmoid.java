package dev.clgrad.nn;

import dev.clgrad.Tensor;

/** Elementwise {@code 1 / (1 + exp(-x))}, as {@code torch.nn.Sigmoid}. */
public class Sigmoid extends Module {
    /** The activation; it has no parameters. */
    public Sigmoid() {
    }

    /** {@code input.sigmoid()}. */
    @Override
    public Tensor forward(Tensor input) {
        Functional.notNull(input, "Sigmoid.forward", "input");
        return input.sigmoid();
    }
}
