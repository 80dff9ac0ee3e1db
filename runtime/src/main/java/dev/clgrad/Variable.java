package dev.clgrad;

/** The legacy {@code torch.autograd.Variable} of the seed notebooks: now just a tensor. */
public final class Variable {
    private Variable() {
    }

    /** {@code Variable(t, requires_grad=r)}: returns {@code t} itself with {@code requiresGrad_(r)} applied. */
    public static Tensor of(Tensor t, boolean requiresGrad) {
        Checks.notNull(t, "Variable.of", "t");
        return t.requiresGrad_(requiresGrad);
    }

    /** {@code Variable(t)}: returns {@code t}. */
    public static Tensor of(Tensor t) {
        Checks.notNull(t, "Variable.of", "t");
        return t;
    }
}
