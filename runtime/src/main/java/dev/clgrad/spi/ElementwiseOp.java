package dev.clgrad.spi;

/**
 * Elementwise primitives. Every input of an elementwise call has the output's shape (the
 * runtime expands broadcast inputs with zero strides). Element types ({@link #checkTypes}):
 * <ul>
 *   <li>comparisons ({@link #isComparison()}) write {@link ElementType#BOOL} outputs from inputs of
 *       one element type, any of them;</li>
 *   <li>{@link #WHERE}'s condition (input 0) is BOOL, its other inputs have the output's type;</li>
 *   <li>every other op has one element type for all views: floating point for the ops marked
 *       "floating", any type for the others ({@link #acceptsIntegers()}). Integer results wrap
 *       as two's complement in their type; a BOOL result is {@code v != 0}, so on booleans
 *       {@code ADD} is "or" and {@code MUL} is "and".</li>
 * </ul>
 * Float32 results of the transcendental functions need only float32 accuracy (a few ulp), as
 * OpenCL's do; float64 results are as accurate as the platform's double functions.
 * Ops marked "scalar" use the {@code scalar} argument of {@link Backend#elementwise}, written
 * {@code s} below; backends round {@code s} to the compute type before use, as PyTorch does (so
 * {@code x + 0.1} on float32 adds {@code 0.1f}, and an integer type truncates it). Floating
 * results are computed as if in double precision and rounded to the type once.
 */
public enum ElementwiseOp {
    // unary: out = f(x)
    /** {@code -x}. */ NEG(1, Kind.ANY),
    /** {@code e^x}; floating. */ EXP(1, Kind.FLOATING),
    /** {@code ln x}; floating. */ LOG(1, Kind.FLOATING),
    /** {@code sqrt(x)}; floating. */ SQRT(1, Kind.FLOATING),
    /** {@code |x|}. */ ABS(1, Kind.ANY),
    /** {@code sin x}; floating. */ SIN(1, Kind.FLOATING),
    /** {@code cos x}; floating. */ COS(1, Kind.FLOATING),
    /** {@code tanh x}; floating. */ TANH(1, Kind.FLOATING),
    /** {@code 1 / (1 + e^-x)}; floating. */ SIGMOID(1, Kind.FLOATING),
    /** {@code max(x, 0)}; NaN stays NaN. */ RELU(1, Kind.ANY),
    /** {@code -1, 0 or 1} by the sign of x; 0 for NaN, as PyTorch's {@code sign}. */ SIGN(1, Kind.ANY),
    /** {@code ln(1 + x)}, accurate near 0; floating. */ LOG1P(1, Kind.FLOATING),
    /** {@code e^x - 1}, accurate near 0; floating. */ EXPM1(1, Kind.FLOATING),
    /** The error function {@code erf x}; floating. */ ERF(1, Kind.FLOATING),
    /** {@code x/2 (1 + erf(x / sqrt 2))}, GELU's exact form; floating. */ GELU(1, Kind.FLOATING),
    // unary with a scalar s
    /** {@code x + s}. */ ADD_SCALAR(1, Kind.ANY),
    /** {@code x * s}. */ MUL_SCALAR(1, Kind.ANY),
    /** {@code s - x}. */ RSUB_SCALAR(1, Kind.ANY),
    /** {@code x / s}; floating. */ DIV_SCALAR(1, Kind.FLOATING),
    /** {@code s / x}; floating. */ RDIV_SCALAR(1, Kind.FLOATING),
    /** {@code x ^ s}, with C's special cases ({@code 1^NaN = 1}); floating. */ POW_SCALAR(1, Kind.FLOATING),
    /** {@code s ^ x}, with C's special cases; floating. */ RPOW_SCALAR(1, Kind.FLOATING),
    /** {@code max(x, s)}, NaN for NaN x ({@code clamp_min}). */ CLAMP_MIN(1, Kind.ANY),
    /** {@code min(x, s)}, NaN for NaN x ({@code clamp_max}). */ CLAMP_MAX(1, Kind.ANY),
    /** {@code x > 0 ? x : x * s}; NaN stays NaN; floating. */ LEAKY_RELU(1, Kind.FLOATING),
    /** {@code x > s}. */ GT_SCALAR(1, Kind.COMPARISON),
    /** {@code x >= s}. */ GE_SCALAR(1, Kind.COMPARISON),
    /** {@code x < s}. */ LT_SCALAR(1, Kind.COMPARISON),
    /** {@code x <= s}. */ LE_SCALAR(1, Kind.COMPARISON),
    /** {@code x == s}. */ EQ_SCALAR(1, Kind.COMPARISON),
    /** {@code x != s} (true for NaN). */ NE_SCALAR(1, Kind.COMPARISON),
    // binary: out = f(a, b)
    /** {@code a + b}. */ ADD(2, Kind.ANY),
    /** {@code a - b}. */ SUB(2, Kind.ANY),
    /** {@code a * b}. */ MUL(2, Kind.ANY),
    /** {@code a / b}; floating. */ DIV(2, Kind.FLOATING),
    /** {@code a ^ b}, with C's special cases ({@code (-1)^inf = 1}); floating. */ POW(2, Kind.FLOATING),
    /** {@code max(a, b)}, NaN if either is NaN. */ MAXIMUM(2, Kind.ANY),
    /** {@code min(a, b)}, NaN if either is NaN. */ MINIMUM(2, Kind.ANY),
    /** {@code grad (Phi(x) + x phi(x))} for inputs {@code (grad, x)}: GELU's backward; floating. */
    GELU_BACKWARD(2, Kind.FLOATING),
    /** {@code result <= 0 ? 0 : grad} for inputs {@code (grad, result)}: ReLU's backward. */
    THRESHOLD_BACKWARD(2, Kind.FLOATING),
    /** {@code a == b}. */ EQ(2, Kind.COMPARISON),
    /** {@code a != b} (true where either is NaN). */ NE(2, Kind.COMPARISON),
    /** {@code a > b}. */ GT(2, Kind.COMPARISON),
    /** {@code a >= b}. */ GE(2, Kind.COMPARISON),
    // ternary
    /** {@code c ? a : b} for inputs {@code (c, a, b)}, {@code c} BOOL. */ WHERE(3, Kind.ANY),
    /** {@code a + (s * b) * c} for inputs {@code (a, b, c)}: {@code addcmul}; floating. */ ADDCMUL(3, Kind.FLOATING),
    /** {@code a + (s * b) / c} for inputs {@code (a, b, c)}: {@code addcdiv}; floating. */ ADDCDIV(3, Kind.FLOATING);

    /** Which element types an op takes. */
    private enum Kind {
        FLOATING, ANY, COMPARISON
    }

    private final int arity;
    private final Kind kind;

    ElementwiseOp(int arity, Kind kind) {
        this.arity = arity;
        this.kind = kind;
    }

    /** Number of tensor inputs. */
    public int arity() {
        return arity;
    }

    /** Whether the op compares: BOOL output, inputs of any one type. */
    public boolean isComparison() {
        return kind == Kind.COMPARISON;
    }

    /** Whether the op is defined on integer and boolean types too (comparisons are). */
    public boolean acceptsIntegers() {
        return kind != Kind.FLOATING;
    }

    /**
     * The element type the op computes in: its inputs' type for a comparison, else the
     * output's.
     */
    public ElementType computeType(ElementType out, ElementType[] inputs) {
        return isComparison() ? inputs[0] : out;
    }

    /**
     * Checks the element types of one call against the rules above; {@code where} names the
     * backend for the message.
     */
    public void checkTypes(ElementType out, ElementType[] inputs, String where) {
        ElementType compute = isComparison() ? inputs[0] : out;
        if (isComparison() && out != ElementType.BOOL) {
            throw typeError(where, "writes bool but out is " + out.pyName(), out, inputs);
        }
        for (int k = 0; k < inputs.length; k++) {
            ElementType expected = this == WHERE && k == 0 ? ElementType.BOOL : compute;
            if (inputs[k] != expected) {
                throw typeError(where, "input " + k + " must be " + expected.pyName(), out, inputs);
            }
        }
        if (!acceptsIntegers() && !compute.isFloating()) {
            throw typeError(where, "is defined on float32 and float64 only", out, inputs);
        }
    }

    private IllegalArgumentException typeError(String where, String what, ElementType out, ElementType[] inputs) {
        StringBuilder types = new StringBuilder();
        for (ElementType t : inputs) {
            types.append(types.length() == 0 ? "" : ", ").append(t.pyName());
        }
        return new IllegalArgumentException("elementwise " + this + " on " + where + ": " + what + " (out "
                + out.pyName() + ", inputs " + types + "); the runtime casts operands to one type first");
    }
}
