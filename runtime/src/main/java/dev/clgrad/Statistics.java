package dev.clgrad;

import dev.clgrad.autograd.Formula;

/** Variance and standard deviation over dims with Bessel's correction, as {@code torch.var}/{@code torch.std}. */
final class Statistics {
    private Statistics() {
    }

    /** Saves the input; args: correction, keepDim, then dims. */
    static final Formula VAR = Formula.saving("VarBackward0", new int[] {1}, 0, (c, g) ->
            new Tensor[] {kept(c, g).mul(centered(c)).mul(2.0 / denominator(c))});
    /** Saves input and result; args as VAR. */
    static final Formula STD = Formula.saving("StdBackward0", new int[] {1}, 1, (c, g) ->
            new Tensor[] {kept(c, g).mul(centered(c)).div(kept(c, c.result()).mul(denominator(c)))});

    private static int[] dims(Formula.Context c) {
        int[] dims = new int[c.argCount() - 2];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = (int) c.arg(i + 2);
        }
        return dims;
    }

    private static Tensor centered(Formula.Context c) {
        Tensor x = c.input(0);
        return x.sub(x.mean(dims(c), true));
    }

    private static double denominator(Formula.Context c) {
        long n = 1;
        for (int d : dims(c)) {
            n *= c.inputShape(0).length == 0 ? 1 : c.inputShape(0)[d];
        }
        return n - c.arg(0);
    }

    /** {@code t} with the reduced dims restored as size 1 (when the forward dropped them). */
    private static Tensor kept(Formula.Context c, Tensor t) {
        if (c.arg(1) != 0 || c.inputShape(0).length == 0) {
            return t;
        }
        int[] sorted = dims(c).clone();
        java.util.Arrays.sort(sorted);
        for (int d : sorted) {
            t = t.unsqueeze(d);
        }
        return t;
    }

    static Tensor var(Tensor x, int[] dims, int correction, boolean keepDim) {
        return moment("var", x, dims, correction, keepDim, false);
    }

    static Tensor std(Tensor x, int[] dims, int correction, boolean keepDim) {
        return moment("std", x, dims, correction, keepDim, true);
    }

    private static Tensor moment(String op, Tensor x, int[] dims, int correction, boolean keepDim, boolean root) {
        x.checkOpen(op);
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": std and var only support floating point and complex dtypes "
                    + "(got " + x.dtype().pyName() + ")");
        }
        int[] all = dims.length > 0 ? dims : java.util.stream.IntStream.range(0, x.dim()).toArray();
        int[] wrapped = Reductions.wrapDims(op, all, x.dim());
        double[] args = new double[wrapped.length + 2];
        args[0] = correction;
        args[1] = keepDim ? 1 : 0;
        for (int i = 0; i < wrapped.length; i++) {
            args[i + 2] = wrapped[i];
        }
        long n = 1;
        for (int d : wrapped) {
            n *= x.dim() == 0 ? 1 : x.layout().shape()[d];
        }
        long count = n;
        return Composite.record(root ? STD : VAR, new Tensor[] {x}, args, () -> {
            Tensor centered = x.sub(x.mean(wrapped, true));
            Tensor v = centered.mul(centered).sum(wrapped, keepDim).div((double) (count - correction));
            return root ? v.sqrt() : v;
        });
    }
}
