package dev.clgrad.autograd;

/**
 * A misuse of autograd: backward through freed buffers, an in-place change to a tensor saved
 * for backward, an implicit gradient for a non-scalar output, and the like.
 */
public class AutogradException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** An exception with PyTorch-style {@code message} naming the op and the remedy. */
    public AutogradException(String message) {
        super(message);
    }
}
