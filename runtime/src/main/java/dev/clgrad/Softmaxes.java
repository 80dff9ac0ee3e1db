package dev.clgrad;

import dev.clgrad.autograd.Formula;

/**
 * {@code softmax}, {@code logSoftmax} and {@code logsumexp}, stable for inputs of any magnitude:
 * the maximum along the dim is subtracted before {@code exp} (an infinite maximum is replaced by
 * 0, as PyTorch does, so a row of {@code -inf} gives {@code -inf}, not NaN).
 */
final class Softmaxes {
    private Softmaxes() {
    }

    /** Saves the result; args: dim. */
    static final Formula SOFTMAX = Formula.saving("SoftmaxBackward0", new int[0], 1, (c, g) -> {
        Tensor y = c.result();
        return new Tensor[] {y.mul(g.sub(g.mul(y).sum((int) c.arg(0), true)))};
    });
    static final Formula LOG_SOFTMAX = Formula.saving("LogSoftmaxBackward0", new int[0], 1, (c, g) ->
            new Tensor[] {g.sub(c.result().exp().mul(g.sum((int) c.arg(0), true)))});
    /** Saves input and result; args: dim, keepDim. */
    static final Formula LOGSUMEXP = Formula.saving("LogsumexpBackward0", new int[] {1}, 1, (c, g) -> {
        int dim = (int) c.arg(0);
        boolean keep = c.arg(1) != 0 || c.inputShape(0).length == 0;
        Tensor result = keep ? c.result() : c.result().unsqueeze(dim);
        Tensor gk = keep ? g : g.unsqueeze(dim);
        return new Tensor[] {gk.mul(c.input(0).sub(result).exp())};
    });

    /**
     * The maximum along {@code dim} (kept), clamped to the finite range: PyTorch replaces an
     * infinite maximum by 0, and a clamped one gives the same results (the infinite entries
     * stay infinite, the others underflow the same way) in one pass instead of four.
     */
    private static Tensor stableShift(Tensor x, int dim) {
        double big = x.dtype() == DType.FLOAT32 ? Float.MAX_VALUE : Double.MAX_VALUE;
        return x.amax(new int[] {dim}, true).clamp(-big, big);
    }

    static Tensor logsumexp(Tensor x, int dim, boolean keepDim) {
        x.checkOpen("logsumexp");
        Activations.requireFloating("logsumexp", x);
        int d = Shapes.wrapDim("logsumexp", dim, Math.max(x.dim(), 1));
        return Composite.record(LOGSUMEXP, new Tensor[] {x}, new double[] {d, keepDim ? 1 : 0}, () -> {
            if (x.dim() == 0) {
                return x.clone();
            }
            Tensor m = stableShift(x, d);
            Tensor out = x.sub(m).exp().sum(d, true).log().add(m);
            return keepDim ? out : out.squeeze(d);
        });
    }

    static Tensor softmax(Tensor x, int dim) {
        x.checkOpen("softmax");
        Activations.requireFloating("softmax", x);
        int d = Shapes.wrapDim("softmax", dim, Math.max(x.dim(), 1));
        return Composite.record(SOFTMAX, new Tensor[] {x}, new double[] {d}, () -> {
            if (x.dim() == 0) {
                return x.mul(0).add(1);
            }
            Tensor e = x.sub(stableShift(x, d)).exp();
            return e.div(e.sum(d, true));
        });
    }

    static Tensor logSoftmax(Tensor x, int dim) {
        x.checkOpen("log_softmax");
        Activations.requireFloating("log_softmax", x);
        int d = Shapes.wrapDim("log_softmax", dim, Math.max(x.dim(), 1));
        return Composite.record(LOG_SOFTMAX, new Tensor[] {x}, new double[] {d}, () -> {
            if (x.dim() == 0) {
                return x.mul(0);
            }
            Tensor shifted = x.sub(stableShift(x, d));
            return shifted.sub(shifted.exp().sum(d, true).log());
        });
    }
}
