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
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.ReduceOp;
import dev.clgrad.spi.View;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ReduceTest {
    private final Tensors serial = new Tensors(new CpuBackend(1, Long.MAX_VALUE));
    private final Tensors split = new Tensors(new CpuBackend(4, 1));

    /** Reference: for each output element, fold its inputs in row-major order in double. */
    static double[] reference(ReduceOp op, long[] inShape, long[] outShape, double[] in) {
        int outN = (int) Layout.contiguous(outShape).numel();
        double[] out = new double[outN];
        java.util.Arrays.fill(out, op == ReduceOp.SUM ? 0 : op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY
                : Double.POSITIVE_INFINITY);
        long[] outStrides = Layout.contiguousStrides(outShape);
        int[] pos = Tensors.positions(Layout.contiguous(inShape));
        long[] idx = new long[inShape.length];
        for (int i = 0; i < pos.length; i++) {
            int o = 0;
            for (int d = 0; d < inShape.length; d++) {
                o += (outShape[d] == 1 ? 0 : idx[d]) * outStrides[d];
            }
            double x = in[i];
            out[o] = switch (op) {
                case SUM -> out[o] + x;
                case MAX -> Double.isNaN(x) || Double.isNaN(out[o]) ? Double.NaN : Math.max(out[o], x);
                case MIN -> Double.isNaN(x) || Double.isNaN(out[o]) ? Double.NaN : Math.min(out[o], x);
            };
            for (int d = inShape.length - 1; d >= 0; d--) {
                if (++idx[d] < inShape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }

    enum InLayout { CONTIGUOUS, STRIDED, TRANSPOSED }

    static Stream<Arguments> cases() {
        long[][] outShapes = {{1, 1, 1}, {4, 1, 1}, {1, 5, 1}, {1, 1, 6}, {4, 5, 1}, {4, 1, 6}, {1, 5, 6}, {4, 5, 6}};
        List<Arguments> all = new ArrayList<>();
        for (ReduceOp op : ReduceOp.values()) {
            for (ElementType dt : new ElementType[] {ElementType.FLOAT32, ElementType.FLOAT64}) {
                for (long[] os : outShapes) {
                    for (InLayout l : InLayout.values()) {
                        all.add(Arguments.of(op, dt, os, l));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} to {2} from {3}")
    @MethodSource("cases")
    void reduces_any_set_of_axes_of_any_layout_like_the_reference(ReduceOp op, ElementType dt, long[] outShape, InLayout il) {
        long[] shape = {4, 5, 6};
        double[] x = Tensors.round(dt, Tensors.random(120, op.ordinal() + 7L * outShape[0]));
        double[] expected = Tensors.round(dt, reference(op, shape, outShape, x));
        Layout inLayout = switch (il) {
            case CONTIGUOUS -> contiguous(3, shape);
            case STRIDED -> strided(1, shape);
            case TRANSPOSED -> transposed(0, shape);
        };
        for (Tensors t : List.of(serial, split)) {
            View in = t.make(dt, inLayout, x);
            View out = t.empty(dt, il == InLayout.STRIDED ? strided(2, outShape) : contiguous(1, outShape));
            t.backend.reduce(op, in, out);
            if (op == ReduceOp.SUM) {
                // summation order differs between paths: bound the error by the magnitudes summed
                double[] got = t.get(out);
                double tol = (dt == ElementType.FLOAT32 ? 1e-6 : 1e-14) * 120 * 10;
                for (int i = 0; i < got.length; i++) {
                    assertEquals(expected[i], got[i], tol, op + " " + il + " element " + i);
                }
            } else {
                assertClose(dt, expected, t.get(out), 0, op + " " + il);
            }
            t.assertUntouchedOutside(out);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"FLOAT32", "FLOAT64"})
    void sums_all_elements_of_a_vector(ElementType dt) {
        View in = serial.make(dt, contiguous(0, 10), Tensors.iota(10));
        View out = serial.empty(dt, contiguous(0, 1));
        serial.backend.reduce(ReduceOp.SUM, in, out);
        assertArrayEquals(new double[] {45}, serial.get(out));
    }

    @Test
    void sums_the_rows_of_a_matrix() {
        View in = serial.make(ElementType.FLOAT32, contiguous(0, 2, 3), new double[] {1, 2, 3, 4, 5, 6});
        View out = serial.empty(ElementType.FLOAT32, contiguous(0, 2, 1));
        serial.backend.reduce(ReduceOp.SUM, in, out);
        assertArrayEquals(new double[] {6, 15}, serial.get(out));
    }

    @Test
    void takes_the_max_of_each_column_of_a_transposed_matrix() {
        View in = serial.make(ElementType.FLOAT64, transposed(0, 2, 3), new double[] {1, 9, 3, 4, 5, 6});
        View out = serial.empty(ElementType.FLOAT64, contiguous(0, 1, 3));
        serial.backend.reduce(ReduceOp.MAX, in, out);
        assertArrayEquals(new double[] {4, 9, 6}, serial.get(out));
    }

    @Test
    void sums_a_broadcast_input() {
        View in = serial.make(ElementType.FLOAT32, expand(contiguous(0, 1, 3), 4, 3), new double[] {1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3});
        View all = serial.empty(ElementType.FLOAT32, contiguous(0, 1, 1));
        serial.backend.reduce(ReduceOp.SUM, in, all);
        assertArrayEquals(new double[] {24}, serial.get(all));
        View cols = serial.empty(ElementType.FLOAT32, contiguous(0, 1, 3));
        serial.backend.reduce(ReduceOp.SUM, in, cols);
        assertArrayEquals(new double[] {4, 8, 12}, serial.get(cols));
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void every_reduction_propagates_nan_on_every_path(ReduceOp op) {
        double[] x = Tensors.iota(24);
        x[13] = Double.NaN;
        for (Layout l : List.of(contiguous(0, 4, 6), transposed(0, 4, 6), strided(0, 4, 6))) {
            for (long[] os : List.of(new long[] {1, 1}, new long[] {4, 1}, new long[] {1, 6})) {
                View in = serial.make(ElementType.FLOAT32, l, x);
                View out = serial.empty(ElementType.FLOAT32, contiguous(0, os));
                serial.backend.reduce(op, in, out);
                double[] r = serial.get(out);
                int hit = os[0] == 4 ? 2 : os[1] == 6 ? 1 : 0;
                assertTrue(Double.isNaN(r[hit]), op + " " + l + " -> " + java.util.Arrays.toString(r));
                if (r.length > 1) {
                    assertTrue(!Double.isNaN(r[hit == 0 ? 1 : 0]), "NaN leaked into another output");
                }
            }
        }
    }

    @Test
    void sum_over_an_empty_axis_gives_zero() {
        for (Tensors t : List.of(serial, split)) {
            View in = t.make(ElementType.FLOAT32, contiguous(0, 3, 0), new double[0]);
            View out = t.empty(ElementType.FLOAT32, strided(0, 3, 1));
            t.backend.reduce(ReduceOp.SUM, in, out);
            assertArrayEquals(new double[] {0, 0, 0}, t.get(out));
            t.assertUntouchedOutside(out);
        }
    }

    @Test
    void reducing_to_an_empty_output_is_a_no_op() {
        View in = serial.make(ElementType.FLOAT64, contiguous(0, 0, 4), new double[0]);
        View out = serial.make(ElementType.FLOAT64, contiguous(0, 0, 1), new double[0]);
        serial.backend.reduce(ReduceOp.MAX, in, out);
        serial.assertUntouchedOutside(out);
    }

    @Test
    void max_over_an_empty_axis_is_rejected_with_the_shapes() {
        View in = serial.make(ElementType.FLOAT32, contiguous(0, 2, 0), new double[0]);
        View out = serial.empty(ElementType.FLOAT32, contiguous(0, 2, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> serial.backend.reduce(ReduceOp.MAX, in, out));
        assertTrue(e.getMessage().contains("[2, 0]") && e.getMessage().contains("MAX"), e.getMessage());
    }

    @Test
    void reducing_over_no_axis_copies() {
        View in = serial.make(ElementType.FLOAT64, transposed(0, 2, 3), Tensors.iota(6));
        View out = serial.empty(ElementType.FLOAT64, contiguous(0, 2, 3));
        serial.backend.reduce(ReduceOp.SUM, in, out);
        assertArrayEquals(Tensors.iota(6), serial.get(out));
    }

    @Test
    void float32_sums_accumulate_in_double() {
        double[] x = Tensors.filled(1001, 1);
        x[0] = 1 << 24; // in float, 2^24 + 1 == 2^24: a float accumulator would lose every 1
        for (Layout l : List.of(contiguous(0, 1001), strided(0, 1001))) {
            View in = serial.make(ElementType.FLOAT32, l, x);
            View out = serial.empty(ElementType.FLOAT32, contiguous(0, 1));
            serial.backend.reduce(ReduceOp.SUM, in, out);
            assertEquals((float) ((1 << 24) + 1000), (float) serial.get(out)[0], l.toString());
        }
    }

    @Test
    void sums_two_to_the_twenty_elements_accurately() {
        int n = 1 << 20;
        double[] x = new double[n];
        double exact = 0;
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((i % 1000) * 0.001 - 0.3);
            exact += x[i];
        }
        for (Tensors t : List.of(serial, split)) {
            View in = t.make(ElementType.FLOAT32, contiguous(0, n), x);
            View out = t.empty(ElementType.FLOAT32, contiguous(0, 1));
            t.backend.reduce(ReduceOp.SUM, in, out);
            assertEquals((float) exact, (float) t.get(out)[0]);
            t.backend.reduce(ReduceOp.MAX, in, out);
            assertEquals((float) (999 * 0.001 - 0.3), (float) t.get(out)[0]);
        }
    }

    @Test
    void sums_above_the_threading_threshold_are_bit_identical_across_runs_and_thread_counts() {
        int n = 3 * (1 << 18) + 17;
        double[] x = Tensors.random(n, 11);
        Tensors shared = new Tensors(new CpuBackend());
        List<double[]> results = new ArrayList<>();
        for (Tensors t : List.of(shared, shared, shared, serial, split, new Tensors(new CpuBackend(3, 1000)))) {
            View in = t.make(ElementType.FLOAT32, contiguous(0, n), x);
            View out = t.empty(ElementType.FLOAT32, contiguous(0, 1));
            t.backend.reduce(ReduceOp.SUM, in, out);
            View inT = t.make(ElementType.FLOAT32, transposed(0, 3, n / 3), java.util.Arrays.copyOf(x, n / 3 * 3));
            View rows = t.empty(ElementType.FLOAT32, contiguous(0, 3, 1));
            t.backend.reduce(ReduceOp.SUM, inT, rows);
            View inR = t.make(ElementType.FLOAT64, contiguous(0, 257, n / 257), java.util.Arrays.copyOf(x, n / 257 * 257));
            View rowSums = t.empty(ElementType.FLOAT64, contiguous(0, 257, 1));
            t.backend.reduce(ReduceOp.SUM, inR, rowSums);
            double[] all = new double[1 + 3 + 257];
            all[0] = t.get(out)[0];
            System.arraycopy(t.get(rows), 0, all, 1, 3);
            System.arraycopy(t.get(rowSums), 0, all, 4, 257);
            results.add(all);
        }
        for (double[] r : results) {
            assertSameBits(results.get(0), r, "repeated or re-split sum");
        }
    }

    @Test
    void full_sum_of_a_transposed_tensor_reads_memory_in_order() {
        double[] x = Tensors.random(40000, 5);
        View c = serial.make(ElementType.FLOAT32, contiguous(0, 200, 200), x);
        // the transpose of the same memory: its logical order differs, its memory is identical
        View t = new View(c.buffer(), transposed(0, 200, 200));
        View a = serial.empty(ElementType.FLOAT32, contiguous(0, 1, 1));
        View b = serial.empty(ElementType.FLOAT32, contiguous(0, 1, 1));
        serial.backend.reduce(ReduceOp.SUM, c, a);
        serial.backend.reduce(ReduceOp.SUM, t, b);
        assertSameBits(serial.get(a), serial.get(b), "sum of a tensor and of its transpose");
    }

    @Test
    void rejects_an_output_that_does_not_fit_the_input() {
        View in = serial.make(ElementType.FLOAT32, contiguous(0, 2, 3), new double[6]);
        View out = serial.empty(ElementType.FLOAT32, contiguous(0, 2, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> serial.backend.reduce(ReduceOp.SUM, in, out));
        assertTrue(e.getMessage().contains("[2, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        View flat = serial.empty(ElementType.FLOAT32, contiguous(0, 1));
        assertThrows(IllegalArgumentException.class, () -> serial.backend.reduce(ReduceOp.SUM, in, flat));
    }
}
