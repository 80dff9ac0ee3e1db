package dev.clgrad.spi;

/**
 * Elementwise primitives. Every input of an elementwise call has the output's shape (the
 * runtime expands broadcast inputs with zero strides) and the output's dtype; comparison ops
 * yield 1 or 0 in that dtype. Ops marked "scalar" use the {@code scalar} argument of
 * {@link Backend#elementwise}, written {@code s} below; backends round {@code s} to the
 * output's dtype before use, as PyTorch does (so {@code x + 0.1} on float32 adds {@code 0.1f}).
 * Results are computed as if in double precision and rounded to the dtype once.
 */
public enum ElementwiseOp {
    // unary: out = f(x)
    /** {@code -x}. */ NEG(1),
    /** {@code e^x}. */ EXP(1),
    /** {@code ln x}. */ LOG(1),
    /** {@code sqrt(x)}. */ SQRT(1),
    /** {@code |x|}. */ ABS(1),
    /** {@code sin x}. */ SIN(1),
    /** {@code cos x}. */ COS(1),
    /** {@code tanh x}. */ TANH(1),
    /** {@code 1 / (1 + e^-x)}. */ SIGMOID(1),
    /** {@code max(x, 0)}; NaN stays NaN. */ RELU(1),
    /** {@code -1, 0 or 1} by the sign of x; 0 for NaN, as PyTorch's {@code sign}. */ SIGN(1),
    // unary with a scalar s
    /** {@code x + s}. */ ADD_SCALAR(1),
    /** {@code x * s}. */ MUL_SCALAR(1),
    /** {@code s - x}. */ RSUB_SCALAR(1),
    /** {@code x / s}. */ DIV_SCALAR(1),
    /** {@code s / x}. */ RDIV_SCALAR(1),
    /** {@code x ^ s}, with C's special cases ({@code 1^NaN = 1}). */ POW_SCALAR(1),
    /** {@code s ^ x}, with C's special cases. */ RPOW_SCALAR(1),
    /** {@code x > s}. */ GT_SCALAR(1),
    /** {@code x == s}. */ EQ_SCALAR(1),
    // binary: out = f(a, b)
    /** {@code a + b}. */ ADD(2),
    /** {@code a - b}. */ SUB(2),
    /** {@code a * b}. */ MUL(2),
    /** {@code a / b}. */ DIV(2),
    /** {@code a ^ b}, with C's special cases ({@code (-1)^inf = 1}). */ POW(2),
    /** {@code max(a, b)}, NaN if either is NaN. */ MAXIMUM(2),
    /** {@code min(a, b)}, NaN if either is NaN. */ MINIMUM(2),
    /** {@code a == b}. */ EQ(2),
    /** {@code a > b}. */ GT(2),
    /** {@code a >= b}. */ GE(2),
    // ternary
    /** {@code c != 0 ? a : b} for inputs {@code (c, a, b)}. */ WHERE(3);

    private final int arity;

    ElementwiseOp(int arity) {
        this.arity = arity;
    }

    /** Number of tensor inputs. */
    public int arity() {
        return arity;
    }
}
