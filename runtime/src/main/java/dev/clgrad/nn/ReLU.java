package dev.clgrad.nn;

import dev.clgrad.Tensor;

/** Elementwise {@code max(x, 0)}, as {@code torch.nn.ReLU}. */
public class ReLU extends Module {
    /** The activation; it has no parameters. */
    public ReLU() {
    }

    /** {@code input.relu()}. */
    @Override
    public Tensor forward(Tensor input) {
        Functional.notNull(input, "ReLU.forward", "input");
        return input.relu();
    }
}
