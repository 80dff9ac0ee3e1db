package dev.clgrad.nn;

import dev.clgrad.Tensor;

/** {@code x/2 (1 + erf(x / sqrt 2))}, as {@code torch.nn.GELU()} (the exact form). */
public class GELU extends Module {
    /** The activation; it has no parameters. */
    public GELU() {
    }

    /** {@code input.gelu()}. */
    @Override
    public Tensor forward(Tensor input) {
        Functional.notNull(input, "GELU.forward", "input");
        return input.gelu();
    }

    @Override
    protected String extraRepr() {
        return "approximate='none'";
    }
}
