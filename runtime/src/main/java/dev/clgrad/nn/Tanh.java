package dev.clgrad.nn;

import dev.clgrad.Tensor;

/** Elementwise the hyperbolic tangent, as {@code torch.nn.Tanh}. */
public class Tanh extends Module {
    /** The activation; it has no parameters. */
    public Tanh() {
    }

    /** {@code input.tanh()}. */
    @Override
    public Tensor forward(Tensor input) {
        Functional.notNull(input, "Tanh.forward", "input");
        return input.tanh();
    }
}
