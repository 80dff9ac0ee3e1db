package dev.clgrad.autograd;

import dev.clgrad.Tensor;

/**
 * The backward rule of one differentiable function, as data: PyTorch's node name, which
 * inputs and whether the result must be saved, and the rule itself.
 *
 * <p>{@code inputSavedFor[i]} is a bit mask of the inputs whose gradient needs input
 * {@code i}: input {@code i} is saved only if one of them requires grad (so {@code a * b}
 * with only {@code a} requiring grad saves {@code b} alone, as PyTorch does).
 * {@code resultSavedFor} is the same mask for the output.
 *
 * @param name PyTorch's node name, e.g. {@code MulBackward0}
 * @param rule computes input gradients from the output gradient
 * @param inputSavedFor per input, the mask of input gradients that need it
 * @param resultSavedFor mask of input gradients that need the output
 * @param scalarSaved whether the scalar operand counts as saved (PyTorch saves a wrapped
 *                    number of {@code x * 2} or {@code x / 2} as a tensor, so a second backward
 *                    through the freed graph fails)
 */
public record Formula(String name, Rule rule, int[] inputSavedFor, int resultSavedFor, boolean scalarSaved) {

    /** A backward rule written with tensor ops, so it runs on the tensors' device. */
    @FunctionalInterface
    public interface Rule {
        /** Gradients for each input (null where not needed) given the output gradient. */
        Tensor[] backward(Context ctx, Tensor grad);
    }

    /** What a rule may read: saved tensors, scalar arguments, input shapes. */
    public interface Context {
        /** Saved input {@code i}. */
        Tensor input(int i);

        /** Tensor {@code i} the forward saved beside its inputs (an index, a mask; no edge of the graph). */
        Tensor extra(int i);

        /** The saved output. */
        Tensor result();

        /** Scalar argument {@code i} of the forward call (exponent, dim, index, ...). */
        double arg(int i);

        /** Number of scalar arguments. */
        int argCount();

        /** Shape input {@code i} had. */
        long[] inputShape(int i);

        /** Dtype input {@code i} had. */
        dev.clgrad.DType inputDType(int i);

        /** Device input {@code i} was on. */
        dev.clgrad.Device inputDevice(int i);

        /** Whether input {@code i} needs a gradient. */
        boolean needsGrad(int i);
    }

    /** A rule that saves nothing. */
    public static Formula of(String name, Rule rule) {
        return new Formula(name, rule, new int[0], 0, false);
    }

    /** A rule whose scalar operand PyTorch saves, as a wrapped-number tensor. */
    public static Formula savingScalar(String name, Rule rule) {
        return new Formula(name, rule, new int[0], 0, true);
    }

    /** A rule that saves inputs and/or the result as the masks say. */
    public static Formula saving(String name, int[] inputSavedFor, int resultSavedFor, Rule rule) {
        return new Formula(name, rule, inputSavedFor, resultSavedFor, false);
    }
}
