package dev.clgrad;

/** Functional forms of tensor ops, as in {@code torch.*}. */
public final class Torch {
    private Torch() {
    }

    /** {@code a + b}. */
    public static Tensor add(Tensor a, Tensor b) {
        Checks.notNull(a, "add", "a");
        Checks.notNull(b, "add", "b");
        return a.add(b);
    }

    /** {@code a - b}. */
    public static Tensor sub(Tensor a, Tensor b) {
        Checks.notNull(a, "sub", "a");
        Checks.notNull(b, "sub", "b");
        return a.sub(b);
    }

    /** {@code a * b}. */
    public static Tensor mul(Tensor a, Tensor b) {
        Checks.notNull(a, "mul", "a");
        Checks.notNull(b, "mul", "b");
        return a.mul(b);
    }

    /** {@code a / b}. */
    public static Tensor div(Tensor a, Tensor b) {
        Checks.notNull(a, "div", "a");
        Checks.notNull(b, "div", "b");
        return a.div(b);
    }

    /** {@code a @ b}. */
    public static Tensor matmul(Tensor a, Tensor b) {
        Checks.notNull(a, "matmul", "a");
        Checks.notNull(b, "matmul", "b");
        return a.matmul(b);
    }

    /** Sum of all elements. */
    public static Tensor sum(Tensor t) {
        Checks.notNull(t, "sum", "t");
        return t.sum();
    }

    /** Mean of all elements. */
    public static Tensor mean(Tensor t) {
        Checks.notNull(t, "mean", "t");
        return t.mean();
    }

    /** {@code base ^ exponent} for a scalar base ({@code torch.pow(2, x)}). */
    public static Tensor pow(double base, Tensor exponent) {
        Checks.notNull(exponent, "pow", "exponent");
        return exponent.rpow(base);
    }

    /** {@code cond != 0 ? a : b}, broadcast; differentiable in {@code a} and {@code b}. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Checks.notNull(cond, "where", "cond");
        Checks.notNull(a, "where", "a");
        Checks.notNull(b, "where", "b");
        return Pointwise.where(cond, a, b);
    }

    /** {@code cond != 0 ? a : b} with a scalar {@code b}. */
    public static Tensor where(Tensor cond, Tensor a, double b) {
        Checks.notNull(cond, "where", "cond");
        Checks.notNull(a, "where", "a");
        return Pointwise.where(cond, a, Creation.full(b, a.dtype(), new long[0], a.device()));
    }

    /** {@code cond != 0 ? a : b} with a scalar {@code a}. */
    public static Tensor where(Tensor cond, double a, Tensor b) {
        Checks.notNull(cond, "where", "cond");
        Checks.notNull(b, "where", "b");
        return Pointwise.where(cond, Creation.full(a, b.dtype(), new long[0], b.device()), b);
    }

    /** Zeros with {@code t}'s shape, dtype and device. */
    public static Tensor zerosLike(Tensor t) {
        Checks.notNull(t, "zerosLike", "t");
        return t.newZeros(t.shape());
    }

    /** Ones with {@code t}'s shape, dtype and device. */
    public static Tensor onesLike(Tensor t) {
        Checks.notNull(t, "onesLike", "t");
        return t.newOnes(t.shape());
    }
}
