package dev.clgrad.it;

import dev.clgrad.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The inputs of generated samples ({@link OpInfo#samples()}): shapes at work-group edges,
 * 0-dim, empty, broadcast and non-contiguous views, and the standard lists each family of ops
 * is run on.
 */
final class SampleInputs {
    private SampleInputs() {
    }

    /** Large enough that a reduction spans many work-groups: 2^20 elements as [1024, 1024]. */
    static final long BIG = 1024;

    /**
     * One input of a sample: a contiguous leaf of {@code leafShape} and the view of it the op
     * is called on (the leaf itself for a contiguous input). Gradients are compared on the leaf.
     *
     * @param description what the op sees, e.g. {@code [33, 17] (transpose of [17, 33])}
     * @param shape the shape of the view the op sees
     * @param differentiable whether the sample differentiates this input
     */
    record Input(String description, long[] leafShape, long[] shape, Domain domain, UnaryOperator<Tensor> view,
                 boolean differentiable) {
        Input in(Domain d) {
            return new Input(description, leafShape, shape, d, view, differentiable);
        }

        /** This input with its values named, for samples that differ from another only in values. */
        Input valued(String what) {
            return new Input(description + " (" + what + ")", leafShape, shape, domain, view, differentiable);
        }

        /** This input, not differentiated (a condition, say). */
        Input constant() {
            return new Input(description, leafShape, shape, domain, view, false);
        }
    }

    /** A contiguous input. */
    static Input shape(long... shape) {
        String what = Arrays.toString(shape) + (shape.length == 0 ? " (0-dim)" : numel(shape) == 0 ? " (empty)" : "");
        return new Input(what, shape, shape, Domain.ANY, UnaryOperator.identity(), true);
    }

    /** The transpose of the last two dims of a contiguous {@code leaf} (non-contiguous). */
    static Input transposeOf(long... leaf) {
        long[] seen = leaf.clone();
        seen[leaf.length - 1] = leaf[leaf.length - 2];
        seen[leaf.length - 2] = leaf[leaf.length - 1];
        return new Input(Arrays.toString(seen) + " (transpose of " + Arrays.toString(leaf) + ")", leaf, seen,
                Domain.ANY, t -> t.transpose(-2, -1), true);
    }

    /** {@code permute(2, 0, 1)} of a contiguous 3-D leaf. */
    static Input permutedOf(long a, long b, long c) {
        long[] seen = {c, a, b};
        return new Input(Arrays.toString(seen) + " (permute(2, 0, 1) of [" + a + ", " + b + ", " + c + "])",
                new long[] {a, b, c}, seen, Domain.ANY, t -> t.permute(2, 0, 1), true);
    }

    /** Every second element of a contiguous {@code [2n + 1]} leaf from element 1 ({@code x[1::2]}). */
    static Input everySecondOf(long n) {
        long len = 2 * n + 1;
        return new Input("[" + n + "] (x[1::2] of [" + len + "], stride 2, offset 1)", new long[] {len},
                new long[] {n}, Domain.ANY, t -> t.asStrided(new long[] {n}, new long[] {2}, 1), true);
    }

    /** Column {@code j} of a contiguous {@code [rows, cols]} leaf (stride {@code cols}). */
    static Input columnOf(long rows, long cols, long j) {
        return new Input("[" + rows + "] (column " + j + " of [" + rows + ", " + cols + "], stride " + cols + ")",
                new long[] {rows, cols}, new long[] {rows}, Domain.ANY, t -> t.select(1, j), true);
    }

    /** A contiguous {@code [cols]} leaf expanded to {@code [rows, cols]} (stride 0). */
    static Input expandedOf(long rows, long cols) {
        return new Input("[" + rows + ", " + cols + "] (expand of [" + cols + "], stride 0)", new long[] {cols},
                new long[] {rows, cols}, Domain.ANY, t -> t.expand(rows, cols), true);
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    // ---- the lists each family runs on -------------------------------------------------

    /** Inputs of a pointwise op on one tensor: every size and layout the suite covers. */
    static List<Input> pointwise() {
        return List.of(shape(), shape(1), shape(3), shape(255), shape(257), shape(4097), shape(0), shape(2, 0),
                transposeOf(17, 33), permutedOf(4, 5, 6), everySecondOf(257), columnOf(17, 33, 5), expandedOf(33, 17));
    }

    /** Inputs of an op with a scalar operand. */
    static List<Input> withScalar() {
        return List.of(shape(), shape(3), shape(257), shape(4097), shape(2, 0),
                transposeOf(17, 33), everySecondOf(257), expandedOf(33, 17));
    }

    /** Pairs of inputs of a binary pointwise op: equal shapes, broadcasts and non-contiguous operands. */
    static List<Input[]> binary() {
        List<Input[]> out = new ArrayList<>();
        for (long[] s : new long[][] {{}, {1}, {3}, {255}, {257}, {4097}, {0}, {2, 0}}) {
            out.add(new Input[] {shape(s), shape(s)});
        }
        out.add(new Input[] {shape(4097), shape(1)});
        out.add(new Input[] {shape(33, 17), shape(17)});
        out.add(new Input[] {shape(33, 1), shape(1, 17)});
        out.add(new Input[] {shape(), shape(257)});
        out.add(new Input[] {shape(2, 0), shape(1)});
        out.add(new Input[] {transposeOf(17, 33), shape(33, 17)});
        out.add(new Input[] {shape(6, 4, 5), permutedOf(4, 5, 6)});
        out.add(new Input[] {columnOf(17, 33, 5), everySecondOf(17)});
        out.add(new Input[] {expandedOf(33, 17), transposeOf(17, 33)});
        return out;
    }

    /** Inputs of a full reduction (non-empty: max and min of nothing raise). */
    static List<Input> reduced() {
        return List.of(shape(), shape(1), shape(3), shape(255), shape(257), shape(4097),
                transposeOf(17, 33), permutedOf(4, 5, 6), everySecondOf(257), expandedOf(33, 17), shape(BIG, BIG));
    }

    /** Empty inputs of a full reduction. */
    static List<Input> reducedEmpty() {
        return List.of(shape(0), shape(2, 0));
    }
}
