package dev.clgrad.autograd;

import dev.clgrad.Tensor;

import java.util.Arrays;

/**
 * A tensor kept for backward together with its version at the time it was saved, so that an
 * in-place change made afterwards is caught instead of silently giving wrong gradients.
 */
public final class SavedTensor {
    private Tensor tensor;
    private final int version;
    private final String producer;

    /** Saves {@code tensor} as it is now. */
    public SavedTensor(Tensor tensor) {
        this.tensor = tensor;
        this.version = tensor.version();
        GradFn fn = tensor.gradFn();
        this.producer = fn == null ? null : fn.name();
    }

    /** The saved tensor, after checking that it was neither freed nor modified in place. */
    Tensor unpack(GradFn owner) {
        Tensor t = tensor;
        if (t == null) {
            throwFreed(owner);
        }
        if (t.isClosed()) {
            throw new AutogradException("a tensor saved for backward by " + owner.name() + " was closed before "
                    + "backward() ran; keep it open (for example, call backward() inside the TensorScope that "
                    + "created it) until backward() has run");
        }
        int now = t.version();
        if (now != version) {
            String what = producer == null ? "a leaf or a tensor without history" : "output 0 of " + producer;
            throw new AutogradException("one of the variables needed for gradient computation has been modified by "
                    + "an inplace operation: [" + t.dtype().pyName() + " " + Arrays.toString(t.shape())
                    + "], which is " + what + " and was saved by " + owner.name() + ", is at version " + now
                    + "; expected version " + version + " instead. Hint: do not modify this tensor in place "
                    + "between the forward pass and backward(), or clone() it before modifying it.");
        }
        return t;
    }

    /** The error for reading what a node saved after backward freed it. */
    static void throwFreed(GradFn owner) {
        throw new AutogradException("Trying to backward through the graph a second time (or directly access "
                + "saved tensors after they have already been freed) in " + owner.name() + ". Saved intermediate "
                + "values of the graph are freed when you call backward() or Autograd.grad(). Specify "
                + "retainGraph=true if you need to backward through the graph a second time or if you need to "
                + "access saved tensors after calling backward.");
    }

    /** Drops the reference so the tensor can be reclaimed. */
    void release() {
        tensor = null;
    }
}
