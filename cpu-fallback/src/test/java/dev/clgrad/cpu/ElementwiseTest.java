package dev.clgrad.cpu;

import static dev.clgrad.cpu.Tensors.assertClose;
import static dev.clgrad.cpu.Tensors.assertSameBits;
import static dev.clgrad.cpu.Tensors.contiguous;
import static dev.clgrad.cpu.Tensors.expand;
import static dev.clgrad.cpu.Tensors.strided;
import static dev.clgrad.cpu.Tensors.transposed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ElementwiseTest {
    private static final double S = 0.7; // not a float: checks that the scalar is rounded to the dtype first
    private static final Set<ElementwiseOp> INEXACT = EnumSet.of(ElementwiseOp.EXP, ElementwiseOp.LOG,
            ElementwiseOp.SIN, ElementwiseOp.COS, ElementwiseOp.TANH, ElementwiseOp.SIGMOID, ElementwiseOp.POW,
            ElementwiseOp.POW_SCALAR, ElementwiseOp.RPOW_SCALAR, ElementwiseOp.LOG1P, ElementwiseOp.EXPM1,
            ElementwiseOp.GELU, ElementwiseOp.GELU_BACKWARD);

    /** Float32 results computed to float32 accuracy only (a cheaper erf): the pointwise tolerance, 1e-6 + 1e-5 relative. */
    private static final Set<ElementwiseOp> FLOAT_ACCURACY = EnumSet.of(ElementwiseOp.ERF, ElementwiseOp.GELU,
            ElementwiseOp.GELU_BACKWARD);

    private static void assertWithin(double[] expected, double[] actual, double atol, double rtol, String what) {
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            boolean same = Double.isNaN(e) ? Double.isNaN(a) : e == a || Math.abs(e - a) <= atol + rtol * Math.abs(e);
            org.junit.jupiter.api.Assertions.assertTrue(same, what + " element " + i + ": expected " + e + " got " + a);
        }
    }

    private final Tensors serial = new Tensors(new CpuBackend(1, Long.MAX_VALUE));
    private final Tensors split = new Tensors(new CpuBackend(4, 1));

    /** The reference: each op written out plainly, with StrictMath. */
    static double reference(ElementwiseOp op, double s, double[] x) {
        double a = x[0];
        double b = x.length > 1 ? x[1] : 0;
        return switch (op) {
            case NEG -> -a;
            case EXP -> StrictMath.exp(a);
            case LOG -> StrictMath.log(a);
            case SQRT -> StrictMath.sqrt(a);
            case ABS -> a < 0 ? -a : a == 0 ? 0 : a;
            case SIN -> StrictMath.sin(a);
            case COS -> StrictMath.cos(a);
            case TANH -> StrictMath.tanh(a);
            case SIGMOID -> 1 / (1 + StrictMath.exp(-a));
            case RELU -> Double.isNaN(a) ? a : a > 0 ? a : 0;
            case SIGN -> a > 0 ? 1 : a < 0 ? -1 : 0;
            case ADD_SCALAR -> a + s;
            case MUL_SCALAR -> a * s;
            case RSUB_SCALAR -> s - a;
            case DIV_SCALAR -> a / s;
            case RDIV_SCALAR -> s / a;
            case POW_SCALAR -> cPow(a, s);
            case RPOW_SCALAR -> cPow(s, a);
            case LOG1P -> StrictMath.log1p(a);
            case EXPM1 -> StrictMath.expm1(a);
            case ERF -> Erf.erf(a);
            case GELU -> 0.5 * a * (1 + Erf.erf(a / Math.sqrt(2)));
            case CLAMP_MIN -> Double.isNaN(a) ? a : Math.max(a, s);
            case CLAMP_MAX -> Double.isNaN(a) ? a : Math.min(a, s);
            case LEAKY_RELU -> a > 0 ? a : a * s;
            case GT_SCALAR -> a > s ? 1 : 0;
            case GE_SCALAR -> a >= s ? 1 : 0;
            case LT_SCALAR -> a < s ? 1 : 0;
            case LE_SCALAR -> a <= s ? 1 : 0;
            case EQ_SCALAR -> a == s ? 1 : 0;
            case NE_SCALAR -> a != s ? 1 : 0;
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> cPow(a, b);
            case MAXIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : a > b ? a : b;
            case MINIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : a < b ? a : b;
            case THRESHOLD_BACKWARD -> b <= 0 ? 0 : a;
            case GELU_BACKWARD -> a * (0.5 * (1 + Erf.erf(b / Math.sqrt(2))) + b * StrictMath.exp(-b * b / 2)
                    / Math.sqrt(2 * Math.PI));
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case WHERE -> a != 0 ? x[1] : x[2];
            case ADDCMUL -> a + s * x[1] * x[2];
            case ADDCDIV -> a + s * x[1] / x[2];
        };
    }

    /** Inputs of one op: random values plus the awkward ones (NaN, zeros, infinities, s itself). */
    static double[][] inputs(ElementwiseOp op, int n, long seed) {
        Random r = new Random(seed);
        double[] special = {Double.NaN, 0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, S, 1, -2};
        double[][] in = new double[op.arity()][n];
        for (int k = 0; k < in.length; k++) {
            for (int i = 0; i < n; i++) {
                double v = r.nextGaussian() * 3;
                if (op == ElementwiseOp.WHERE && k == 0) {
                    v = r.nextInt(3) == 0 ? 0 : v;
                }
                if ((op == ElementwiseOp.EQ || op == ElementwiseOp.NE) && k == 1 && r.nextBoolean()) {
                    v = in[0][i];
                }
                in[k][i] = (i + k) % 5 == 0 ? special[(i / 5 + k) % special.length] : v;
            }
        }
        return in;
    }

    enum Case { CONTIGUOUS, SAME_OFFSETS, OFFSET_STRIDED, TRANSPOSED, BROADCAST, ONE_ELEMENT_BROADCAST, LONG_CONTIGUOUS }

    static Stream<Arguments> everyOp() {
        List<Arguments> all = new ArrayList<>();
        for (ElementwiseOp op : ElementwiseOp.values()) {
            for (ElementType dt : new ElementType[] {ElementType.FLOAT32, ElementType.FLOAT64}) {
                for (Case c : Case.values()) {
                    all.add(Arguments.of(op, dt, c));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everyOp")
    void every_op_matches_its_reference_on_serial_and_split_backends(ElementwiseOp op, ElementType dt, Case c) {
        long[] shape = switch (c) {
            case LONG_CONTIGUOUS -> new long[] {1037};
            case SAME_OFFSETS -> new long[] {1501};
            default -> new long[] {3, 4, 5};
        };
        int n = (int) Layout.contiguous(shape).numel();
        double[][] in = inputs(op, n, op.ordinal() * 31L + c.ordinal());
        Layout[] inLayouts = new Layout[op.arity()];
        for (int k = 0; k < inLayouts.length; k++) {
            inLayouts[k] = switch (c) {
                case CONTIGUOUS, LONG_CONTIGUOUS -> contiguous(k, shape);
                case SAME_OFFSETS -> contiguous(2, shape);
                case OFFSET_STRIDED -> strided(3 + k, shape);
                case TRANSPOSED -> transposed(1, shape);
                case BROADCAST -> k % 2 == 0 ? expand(contiguous(2, 3, 1, 5), shape) : expand(contiguous(0, 1, 4, 1), shape);
                case ONE_ELEMENT_BROADCAST -> k == 0 ? contiguous(0, shape) : expand(contiguous(1, 1, 1, 1), shape);
            };
            in[k] = broadcastValues(inLayouts[k], in[k]);
        }
        Layout outLayout = c == Case.OFFSET_STRIDED ? strided(5, shape) : contiguous(2, shape);
        double s = dt == ElementType.FLOAT32 ? (float) S : S;
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            double[] x = new double[in.length];
            for (int k = 0; k < x.length; k++) {
                x[k] = Tensors.round(dt, new double[] {in[k][i]})[0];
            }
            expected[i] = Tensors.round(dt, new double[] {reference(op, s, x)})[0];
        }
        for (Tensors t : List.of(serial, split)) {
            View[] views = new View[in.length];
            for (int k = 0; k < views.length; k++) {
                // where's condition is bool: its values are the nonzero test of the drawn ones
                views[k] = t.make(op == ElementwiseOp.WHERE && k == 0 ? ElementType.BOOL : dt, inLayouts[k], in[k]);
            }
            View out = t.empty(op.isComparison() ? ElementType.BOOL : dt, outLayout);
            t.backend.elementwise(op, S, out, views);
            if (FLOAT_ACCURACY.contains(op)) {
                // float64: erf's error grows through the cancellation in 1 + erf(x) for negative x
                assertWithin(expected, t.get(out), dt == ElementType.FLOAT32 ? 1e-6 : 1e-15,
                        dt == ElementType.FLOAT32 ? 1e-5 : 1e-9, op + " " + dt + " " + c);
            } else {
                assertClose(dt, expected, t.get(out), INEXACT.contains(op) ? 2 : 0, op + " " + dt + " " + c);
            }
            t.assertUntouchedOutside(out);
        }
    }

    /** The values a broadcast view really shows: every element repeats the first one at its position. */
    private static double[] broadcastValues(Layout l, double[] values) {
        int[] pos = Tensors.positions(l);
        double[] out = new double[values.length];
        for (int i = 0; i < pos.length; i++) {
            out[i] = values[firstWith(pos, pos[i])];
        }
        return out;
    }

    private static int firstWith(int[] pos, int p) {
        for (int i = 0; ; i++) {
            if (pos[i] == p) {
                return i;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"FLOAT32", "FLOAT64"})
    void adds_broadcast_row_to_matrix(ElementType dt) {
        View m = serial.make(dt, contiguous(0, 2, 3), new double[] {1, 2, 3, 4, 5, 6});
        View row = serial.make(dt, expand(contiguous(1, 1, 3), 2, 3), new double[] {10, 20, 30, 10, 20, 30});
        View out = serial.empty(dt, contiguous(0, 2, 3));
        serial.backend.elementwise(ElementwiseOp.ADD, 0, out, m, row);
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, serial.get(out));
    }

    @Test
    void adds_broadcast_column_to_transposed_matrix() {
        View m = serial.make(ElementType.FLOAT32, transposed(0, 3, 2), new double[] {1, 2, 3, 4, 5, 6});
        View col = serial.make(ElementType.FLOAT32, expand(contiguous(0, 3, 1), 3, 2), new double[] {10, 10, 20, 20, 30, 30});
        View out = serial.empty(ElementType.FLOAT32, strided(1, 3, 2));
        serial.backend.elementwise(ElementwiseOp.SUB, 0, out, m, col);
        assertArrayEquals(new double[] {-9, -8, -17, -16, -25, -24}, serial.get(out));
    }

    @Test
    void subtracts_a_tensor_from_a_broadcast_scalar() {
        View s = serial.make(ElementType.FLOAT64, expand(contiguous(4, 1, 1), 2, 2), new double[] {5, 5, 5, 5});
        View x = serial.make(ElementType.FLOAT64, contiguous(0, 2, 2), new double[] {1, 2, 3, 4});
        View out = serial.empty(ElementType.FLOAT64, contiguous(0, 2, 2));
        serial.backend.elementwise(ElementwiseOp.SUB, 0, out, s, x);
        assertArrayEquals(new double[] {4, 3, 2, 1}, serial.get(out));
        serial.backend.elementwise(ElementwiseOp.DIV, 0, out, s, x);
        assertArrayEquals(new double[] {5, 2.5, 5.0 / 3, 1.25}, serial.get(out));
    }

    @Test
    void adds_in_place_through_the_same_view() {
        View x = serial.make(ElementType.FLOAT32, strided(2, 4, 3), Tensors.iota(12));
        serial.backend.elementwise(ElementwiseOp.ADD, 0, x, x, x);
        double[] expected = new double[12];
        for (int i = 0; i < 12; i++) {
            expected[i] = 2 * i;
        }
        assertArrayEquals(expected, serial.get(x));
        serial.assertUntouchedOutside(x);
    }

    @Test
    void relu_keeps_nan_and_zeroes_negatives() {
        assertArrayEquals(new double[] {Double.NaN, 0, 0, 2, Double.POSITIVE_INFINITY, 0},
                unary(ElementwiseOp.RELU, 0, Double.NaN, -1, -0.0, 2, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
    }

    @Test
    void sign_of_nan_and_of_zero_is_zero_as_in_pytorch() {
        double[] r = unary(ElementwiseOp.SIGN, 0, Double.NaN, 0.0, -0.0, -3, 7, Double.NEGATIVE_INFINITY);
        assertArrayEquals(new double[] {0, 0, 0, -1, 1, -1}, r);
    }

    /** C's pow (PyTorch's and OpenCL's): 1^y and (-1)^(+-inf) are 1 for every y, NaN included. */
    private static double cPow(double x, double y) {
        return x == 1 || (x == -1 && Double.isInfinite(y)) ? 1 : StrictMath.pow(x, y);
    }

    @Test
    void maximum_and_minimum_propagate_nan_from_either_side() {
        double[] a = {Double.NaN, 1, 2, -0.0};
        double[] b = {1, Double.NaN, 3, 0.0};
        double[] max = binary(ElementType.FLOAT32, ElementwiseOp.MAXIMUM, a, b);
        double[] min = binary(ElementType.FLOAT32, ElementwiseOp.MINIMUM, a, b);
        assertTrue(Double.isNaN(max[0]) && Double.isNaN(max[1]) && Double.isNaN(min[0]) && Double.isNaN(min[1]));
        assertEquals(3, max[2]);
        assertEquals(2, min[2]);
    }

    @Test
    void division_by_zero_follows_ieee() {
        double[] r = binary(ElementType.FLOAT32, ElementwiseOp.DIV, new double[] {1, -1, 0, Double.NaN}, new double[] {0, 0, 0, 0});
        assertEquals(Double.POSITIVE_INFINITY, r[0]);
        assertEquals(Double.NEGATIVE_INFINITY, r[1]);
        assertTrue(Double.isNaN(r[2]) && Double.isNaN(r[3]));
        double[] neg = binary(ElementType.FLOAT64, ElementwiseOp.DIV, new double[] {1}, new double[] {-0.0});
        assertEquals(Double.NEGATIVE_INFINITY, neg[0]);
    }

    @Test
    void comparisons_yield_one_or_zero_and_nan_compares_false() {
        double[] a = {1, 2, 3, Double.NaN};
        double[] b = {2, 2, 2, Double.NaN};
        assertArrayEquals(new double[] {0, 1, 0, 0}, binary(ElementType.FLOAT32, ElementwiseOp.EQ, a, b));
        assertArrayEquals(new double[] {0, 0, 1, 0}, binary(ElementType.FLOAT32, ElementwiseOp.GT, a, b));
        assertArrayEquals(new double[] {0, 1, 1, 0}, binary(ElementType.FLOAT64, ElementwiseOp.GE, a, b));
        assertArrayEquals(new double[] {0, 0, 1, 0}, unary(ElementwiseOp.GT_SCALAR, 2, a));
    }

    @Test
    void where_picks_a_where_the_bool_condition_is_true() {
        View c = serial.make(ElementType.BOOL, contiguous(0, 4), new double[] {0, 1, 1, 0});
        View a = serial.make(ElementType.FLOAT32, contiguous(0, 4), new double[] {1, 2, 3, 4});
        View b = serial.make(ElementType.FLOAT32, expand(contiguous(0, 1), 4), new double[] {9, 9, 9, 9});
        View out = serial.empty(ElementType.FLOAT32, contiguous(0, 4));
        serial.backend.elementwise(ElementwiseOp.WHERE, 0, out, c, a, b);
        assertArrayEquals(new double[] {9, 2, 3, 9}, serial.get(out));
    }

    @Test
    void pow_follows_c_pow_special_cases() {
        double[] a = {2, -8, -8, 0, Double.NaN, 1, 4, 1, 1, -1, -1};
        double[] b = {10, 1.0 / 3, 3, -1, 0, Double.NaN, 0.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] expected = {1024, Double.NaN, -512, Double.POSITIVE_INFINITY, 1, 1, 2, 1, 1, 1, 1};
        assertArrayEquals(expected, binary(ElementType.FLOAT64, ElementwiseOp.POW, a, b));
    }

    @Test
    void float32_scalar_ops_round_the_scalar_to_float_first() {
        float x = 1.1f;
        double[] r = unaryF32(ElementwiseOp.ADD_SCALAR, 0.1, x);
        assertEquals(x + 0.1f, (float) r[0]);
        assertArrayEquals(new double[] {1}, unaryF32(ElementwiseOp.EQ_SCALAR, 0.1, 0.1f));
    }

    @Test
    void float32_transcendentals_are_the_double_result_rounded() {
        Random rnd = new Random(7);
        int n = 4096;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((rnd.nextDouble() - 0.5) * 40);
        }
        for (ElementwiseOp op : List.of(ElementwiseOp.EXP, ElementwiseOp.LOG, ElementwiseOp.SIN, ElementwiseOp.COS,
                ElementwiseOp.TANH, ElementwiseOp.SQRT)) {
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) {
                expected[i] = (float) reference(op, 0, new double[] {x[i]});
            }
            View in = serial.make(ElementType.FLOAT32, contiguous(0, n), x);
            View out = serial.empty(ElementType.FLOAT32, contiguous(0, n));
            serial.backend.elementwise(op, 0, out, in);
            assertClose(ElementType.FLOAT32, expected, serial.get(out), op == ElementwiseOp.SQRT ? 0 : 1, op.toString());
        }
    }

    @Test
    void works_on_zero_dim_tensors() {
        View a = serial.make(ElementType.FLOAT64, contiguous(0), new double[] {3});
        View out = serial.empty(ElementType.FLOAT64, contiguous(1));
        serial.backend.elementwise(ElementwiseOp.MUL_SCALAR, 2, out, a);
        assertArrayEquals(new double[] {6}, serial.get(out));
    }

    @Test
    void zero_size_tensors_are_a_no_op() {
        for (Tensors t : List.of(serial, split)) {
            View a = t.make(ElementType.FLOAT32, contiguous(0, 3, 0), new double[0]);
            View out = t.make(ElementType.FLOAT32, strided(0, 3, 0), new double[0]);
            t.backend.elementwise(ElementwiseOp.ADD, 0, out, a, a);
            t.backend.elementwise(ElementwiseOp.EXP, 0, out, a);
            t.assertUntouchedOutside(out);
        }
    }

    @Test
    void large_strided_and_broadcast_ops_give_the_same_bits_split_or_serial() {
        long[] shape = {257, 1031};
        int n = 257 * 1031;
        double[] x = Tensors.random(n, 3);
        double[] y = Tensors.random(1031, 4);
        double[][] results = new double[2][];
        int r = 0;
        for (Tensors t : List.of(serial, split)) {
            View a = t.make(ElementType.FLOAT32, transposed(0, shape), x);
            View b = t.make(ElementType.FLOAT32, expand(contiguous(0, 1, 1031), shape), repeatRows(y, 257));
            View out = t.empty(ElementType.FLOAT32, contiguous(0, shape));
            t.backend.elementwise(ElementwiseOp.MUL, 0, out, a, b);
            t.backend.elementwise(ElementwiseOp.TANH, 0, out, out);
            results[r++] = t.get(out);
        }
        assertSameBits(results[0], results[1], "split vs serial");
        float product = (float) x[1031 * 3 + 7] * (float) y[7];
        assertEquals((float) Math.tanh(product), (float) results[0][1031 * 3 + 7]);
    }

    @Test
    void rejects_the_wrong_number_of_inputs() {
        View a = serial.make(ElementType.FLOAT32, contiguous(0, 2), new double[] {1, 2});
        var e = assertThrows(IllegalArgumentException.class,
                () -> serial.backend.elementwise(ElementwiseOp.ADD, 0, a, a));
        assertTrue(e.getMessage().contains("ADD") && e.getMessage().contains("2"), e.getMessage());
    }

    @Test
    void rejects_inputs_whose_shape_differs_from_the_output() {
        View a = serial.make(ElementType.FLOAT32, contiguous(0, 2, 3), new double[6]);
        View out = serial.empty(ElementType.FLOAT32, contiguous(0, 3, 2));
        var e = assertThrows(IllegalArgumentException.class,
                () -> serial.backend.elementwise(ElementwiseOp.NEG, 0, out, a));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"), e.getMessage());
    }

    @Test
    void rejects_mixed_dtypes() {
        View a = serial.make(ElementType.FLOAT64, contiguous(0, 2), new double[2]);
        View out = serial.empty(ElementType.FLOAT32, contiguous(0, 2));
        var e = assertThrows(IllegalArgumentException.class,
                () -> serial.backend.elementwise(ElementwiseOp.EXP, 0, out, a));
        assertTrue(e.getMessage().contains("float64") && e.getMessage().contains("float32"), e.getMessage());
    }

    @Test
    void rejects_a_view_reaching_outside_its_buffer() {
        View a = serial.make(ElementType.FLOAT32, contiguous(0, 4), new double[4]);
        View bad = new View(a.buffer(), new Layout(new long[] {4}, new long[] {2}, 0));
        var e = assertThrows(IllegalArgumentException.class,
                () -> serial.backend.elementwise(ElementwiseOp.NEG, 0, a, bad));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void rejects_buffers_of_another_backend_and_released_buffers() {
        View mine = serial.make(ElementType.FLOAT32, contiguous(0, 2), new double[2]);
        View theirs = split.make(ElementType.FLOAT32, contiguous(0, 2), new double[2]);
        assertThrows(IllegalArgumentException.class, () -> serial.backend.elementwise(ElementwiseOp.NEG, 0, mine, theirs));
        serial.backend.release(mine.buffer());
        assertThrows(IllegalStateException.class, () -> serial.backend.elementwise(ElementwiseOp.NEG, 0, mine, mine));
    }

    private static double[] repeatRows(double[] row, int rows) {
        double[] out = new double[row.length * rows];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(row, 0, out, r * row.length, row.length);
        }
        return out;
    }

    private double[] unary(ElementwiseOp op, double s, double... x) {
        View in = serial.make(ElementType.FLOAT64, strided(1, x.length), x);
        View out = serial.empty(op.isComparison() ? ElementType.BOOL : ElementType.FLOAT64, contiguous(0, x.length));
        serial.backend.elementwise(op, s, out, in);
        double[] strided = serial.get(out);
        View cin = serial.make(ElementType.FLOAT64, contiguous(0, x.length), x);
        serial.backend.elementwise(op, s, out, cin);
        assertSameBits(strided, serial.get(out), op + ": strided vs contiguous path");
        return strided;
    }

    private double[] unaryF32(ElementwiseOp op, double s, float x) {
        View in = serial.make(ElementType.FLOAT32, contiguous(0, 1), new double[] {x});
        View out = serial.empty(op.isComparison() ? ElementType.BOOL : ElementType.FLOAT32, contiguous(0, 1));
        serial.backend.elementwise(op, s, out, in);
        return serial.get(out);
    }

    private double[] binary(ElementType dt, ElementwiseOp op, double[] a, double[] b) {
        View va = serial.make(dt, contiguous(0, a.length), a);
        View vb = serial.make(dt, contiguous(0, b.length), b);
        View out = serial.empty(op.isComparison() ? ElementType.BOOL : dt, contiguous(0, a.length));
        serial.backend.elementwise(op, 0, out, va, vb);
        double[] flat = serial.get(out);
        View sa = serial.make(dt, strided(2, a.length), a);
        View sb = serial.make(dt, transposed(1, b.length), b);
        serial.backend.elementwise(op, 0, out, sa, sb);
        assertSameBits(flat, serial.get(out), op + ": strided vs contiguous path");
        return flat;
    }
}
