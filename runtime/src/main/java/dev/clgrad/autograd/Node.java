package dev.clgrad.autograd;

import dev.clgrad.Tensor;

/**
 * The node of one differentiable function call: a {@link Formula} plus what that call saved.
 * Internal: created by the runtime's op recording.
 */
public final class Node extends GradFn implements Formula.Context {
    private final Formula formula;
    private final InputMeta[] inputs;
    private final SavedTensor[] saved;
    private SavedTensor result;
    private SavedTensor[] extras = new SavedTensor[0];
    private final double[] args;
    private boolean released;

    /**
     * A node for one call of {@code formula}.
     *
     * @param next one edge per input
     * @param inputs metadata of each input
     * @param saved saved inputs (entries null where not saved)
     * @param args scalar arguments of the call
     */
    public Node(Formula formula, Edge[] next, InputMeta[] inputs, SavedTensor[] saved, double[] args) {
        super(next);
        this.formula = formula;
        this.inputs = inputs;
        this.saved = saved;
        this.args = args;
    }

    /** Saves the output of the call (for rules such as exp's that reuse it). */
    public void saveResult(Tensor output) {
        this.result = new SavedTensor(output);
    }

    /** Saves tensors the rule reads beside the inputs (an index, a mask): they are no edges of the graph. */
    public void saveExtras(Tensor... tensors) {
        SavedTensor[] s = new SavedTensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            s[i] = new SavedTensor(tensors[i]);
        }
        this.extras = s;
    }

    /** The formula this node applies. */
    public Formula formula() {
        return formula;
    }

    @Override
    public String name() {
        return formula.name();
    }

    @Override
    Tensor[] apply(Tensor gradOutput) {
        return formula.rule().backward(this, gradOutput);
    }

    @Override
    public long[] inputShape(int i) {
        return inputs[i] == null ? null : inputs[i].shape();
    }

    @Override
    public dev.clgrad.DType inputDType(int i) {
        return inputs[i] == null ? null : inputs[i].dtype();
    }

    @Override
    public dev.clgrad.Device inputDevice(int i) {
        return inputs[i] == null ? null : inputs[i].device();
    }

    @Override
    InputMeta meta(int i) {
        return inputs[i];
    }

    @Override
    void release() {
        released = true;
        for (SavedTensor s : saved) {
            if (s != null) {
                s.release();
            }
        }
        if (result != null) {
            result.release();
        }
        for (SavedTensor s : extras) {
            s.release();
        }
    }

    @Override
    public Tensor input(int i) {
        SavedTensor s = i < saved.length ? saved[i] : null;
        if (s == null) {
            throw new IllegalStateException(name() + " did not save input " + i + " (a backward rule reads an "
                    + "input its Formula's save masks do not keep)");
        }
        return s.unpack(this);
    }

    @Override
    public Tensor extra(int i) {
        if (i >= extras.length) {
            throw new IllegalStateException(name() + " saved " + extras.length + " extra tensors; its rule read extra " + i);
        }
        return extras[i].unpack(this);
    }

    @Override
    public Tensor result() {
        if (result == null) {
            throw new IllegalStateException(name() + " did not save its result");
        }
        return result.unpack(this);
    }

    @Override
    public double arg(int i) {
        if (released && formula.scalarSaved()) {
            SavedTensor.throwFreed(this);
        }
        return args[i];
    }

    @Override
    public int argCount() {
        return args.length;
    }

    @Override
    public boolean needsGrad(int i) {
        return next[i].isValid();
    }
}
