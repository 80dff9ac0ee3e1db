package dev.clgrad;

import dev.clgrad.autograd.Formula;
import dev.clgrad.autograd.GradMode;

import java.util.function.Supplier;

/**
 * An op written with other tensor ops that appears in the graph as one node with its own
 * PyTorch name ({@code LogSoftmaxBackward0}, {@code NllLossBackward0}): the forward runs with
 * recording off, its temporaries are closed at once, and the result is recorded as one call
 * of a {@link Formula} whose rule is the op's backward. A composite is thus defined in one
 * place: its forward and its formula side by side.
 *
 * <pre>{@code
 * static final Formula LOG_SOFTMAX = Formula.saving("LogSoftmaxBackward0", new int[0], 1,
 *         (c, g) -> new Tensor[] {g.sub(c.result().exp().mul(g.sum((int) c.arg(0), true)))});
 *
 * static Tensor logSoftmax(Tensor x, int dim) {
 *     return Composite.record(LOG_SOFTMAX, new Tensor[] {x}, new double[] {dim},
 *             () -> x.sub(x.logsumexp(dim, true)));
 * }
 * }</pre>
 */
public final class Composite {
    private Composite() {
    }

    /**
     * {@code x * s} recorded as PyTorch's C++ composites record it ({@code MulBackward1}, the
     * scalar overload), for composites whose graph mirrors one written in ATen.
     */
    public static Tensor scaled(Tensor x, double s) {
        Checks.notNull(x, "Composite.scaled", "x");
        return Pointwise.scalar("mul", x, s, dev.clgrad.spi.ElementwiseOp.MUL_SCALAR,
                dev.clgrad.autograd.Derivatives.MUL_SCALAR_ATEN, false);
    }

    /** {@code x / s} recorded as PyTorch's C++ composites record it ({@code DivBackward1}). */
    public static Tensor divided(Tensor x, double s) {
        Checks.notNull(x, "Composite.divided", "x");
        return Pointwise.scalar("div", x, s, dev.clgrad.spi.ElementwiseOp.DIV_SCALAR,
                dev.clgrad.autograd.Derivatives.DIV_SCALAR_ATEN, false);
    }

    /**
     * Runs {@code forward} with recording off and records its result as the output of one
     * {@code formula} node over {@code inputs} (null entries are PyTorch's None edges for
     * wrapped scalars) with scalar {@code args}, when an input requires grad.
     *
     * @param forward computes the result from the inputs; it must return a new tensor, not an
     *     input or a view of one
     */
    public static Tensor record(Formula formula, Tensor[] inputs, double[] args, Supplier<Tensor> forward) {
        return record(formula, inputs, new Tensor[0], args, forward);
    }

    /**
     * As {@link #record(Formula, Tensor[], double[], Supplier)}, also saving {@code extras} (an
     * index, a target, a mask) for the rule to read with {@code Context.extra(i)}: they take no
     * part in the graph's edges, as PyTorch's saved non-differentiable arguments.
     */
    public static Tensor record(Formula formula, Tensor[] inputs, Tensor[] extras, double[] args,
                                Supplier<Tensor> forward) {
        Checks.notNull(formula, "Composite.record", "formula");
        Checks.notNull(forward, "Composite.record", "forward");
        for (Tensor t : inputs) {
            if (t != null) {
                t.checkOpen(formula.name());
            }
        }
        Tensor out;
        boolean previous = GradMode.set(false);
        try (TensorScope scope = TensorScope.open()) {
            out = scope.keep(forward.get());
        } finally {
            GradMode.set(previous);
        }
        for (Tensor t : inputs) {
            if (out == t) {
                throw new IllegalStateException(formula.name() + ": a composite's forward returned its input");
            }
        }
        if (out.isNoGradView()) {
            // a view made with recording off (a final squeeze or reshape) cannot take a node:
            // the result is the same elements, seen by a tensor that is no view for autograd
            Tensor alias = out.shareStorage(out.layout(), false);
            out.close();
            out = alias;
        }
        return Recorder.record(out, formula, inputs, extras, args);
    }
}
