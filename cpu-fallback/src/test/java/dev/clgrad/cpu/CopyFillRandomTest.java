package dev.clgrad.cpu;

import static dev.clgrad.cpu.Tensors.assertSameBits;
import static dev.clgrad.cpu.Tensors.contiguous;
import static dev.clgrad.cpu.Tensors.expand;
import static dev.clgrad.cpu.Tensors.strided;
import static dev.clgrad.cpu.Tensors.transposed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.Philox;
import dev.clgrad.spi.RandomOp;
import dev.clgrad.spi.View;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class CopyFillRandomTest {
    private final Tensors serial = new Tensors(new CpuBackend(1, Long.MAX_VALUE));
    private final Tensors split = new Tensors(new CpuBackend(4, 1));

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"FLOAT32, FLOAT32", "FLOAT32, FLOAT64", "FLOAT64, FLOAT32", "FLOAT64, FLOAT64"})
    void copies_between_strided_layouts_with_a_dtype_cast(ElementType from, ElementType to) {
        double[] x = Tensors.round(from, Tensors.random(60, 1));
        for (Tensors t : List.of(serial, split)) {
            View src = t.make(from, transposed(2, 3, 4, 5), x);
            View dst = t.empty(to, strided(1, 3, 4, 5));
            t.backend.copy(src, dst);
            assertArrayEquals(Tensors.round(to, x), t.get(dst));
            t.assertUntouchedOutside(dst);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"FLOAT32", "FLOAT64"})
    void copies_contiguous_to_contiguous_with_offsets(ElementType dt) {
        double[] x = Tensors.round(dt, Tensors.random(1000, 2));
        View src = serial.make(dt, contiguous(7, 10, 100), x);
        View dst = serial.empty(dt, contiguous(3, 10, 100));
        serial.backend.copy(src, dst);
        assertArrayEquals(x, serial.get(dst));
        serial.assertUntouchedOutside(dst);
    }

    @Test
    void copies_float64_to_float32_by_rounding_to_nearest() {
        View src = serial.make(ElementType.FLOAT64, contiguous(0, 3), new double[] {0.1, 1e40, 1 + 0x1p-30});
        View dst = serial.empty(ElementType.FLOAT32, contiguous(0, 3));
        serial.backend.copy(src, dst);
        assertArrayEquals(new double[] {(float) 0.1, Double.POSITIVE_INFINITY, 1}, serial.get(dst));
    }

    @Test
    void expands_a_broadcast_source_into_a_contiguous_tensor() {
        View src = serial.make(ElementType.FLOAT32, expand(contiguous(0, 1, 3), 2, 3), new double[] {1, 2, 3, 1, 2, 3});
        View dst = serial.empty(ElementType.FLOAT32, contiguous(0, 2, 3));
        serial.backend.copy(src, dst);
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3}, serial.get(dst));
    }

    @Test
    void copies_a_large_transposed_tensor_the_same_on_one_thread_or_many() {
        double[] x = Tensors.random(300 * 700, 3);
        double[][] r = new double[2][];
        int i = 0;
        for (Tensors t : List.of(serial, split)) {
            View src = t.make(ElementType.FLOAT32, transposed(0, 300, 700), x);
            View dst = t.empty(ElementType.FLOAT64, contiguous(0, 300, 700));
            t.backend.copy(src, dst);
            r[i++] = t.get(dst);
        }
        assertArrayEquals(Tensors.round(ElementType.FLOAT32, x), r[0]);
        assertArrayEquals(r[0], r[1]);
    }

    @Test
    void copy_rejects_different_shapes() {
        View src = serial.make(ElementType.FLOAT32, contiguous(0, 2, 3), new double[6]);
        View dst = serial.empty(ElementType.FLOAT32, contiguous(0, 3, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> serial.backend.copy(src, dst));
        assertTrue(e.getMessage().contains("copy") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void copy_and_fill_of_zero_size_tensors_do_nothing() {
        View src = serial.make(ElementType.FLOAT32, contiguous(0, 0, 3), new double[0]);
        View dst = serial.make(ElementType.FLOAT64, strided(0, 0, 3), new double[0]);
        serial.backend.copy(src, dst);
        serial.backend.fill(dst, 1);
        serial.backend.random(RandomOp.NORMAL, 1, 0, dst);
        serial.assertUntouchedOutside(dst);
    }

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"FLOAT32", "FLOAT64"})
    void fills_a_strided_view_and_leaves_the_gaps(ElementType dt) {
        for (Tensors t : List.of(serial, split)) {
            View v = t.empty(dt, strided(3, 4, 5));
            t.backend.fill(v, 2.5);
            assertArrayEquals(Tensors.filled(20, 2.5), t.get(v));
            t.assertUntouchedOutside(v);
        }
    }

    @Test
    void fills_a_contiguous_slice_rounding_to_float32() {
        View v = serial.empty(ElementType.FLOAT32, contiguous(2, 1000));
        serial.backend.fill(v, 0.1);
        assertArrayEquals(Tensors.filled(1000, (float) 0.1), serial.get(v));
        serial.assertUntouchedOutside(v);
    }

    static Stream<Arguments> draws() {
        List<Arguments> all = new ArrayList<>();
        for (RandomOp op : RandomOp.values()) {
            for (ElementType dt : new ElementType[] {ElementType.FLOAT32, ElementType.FLOAT64}) {
                for (int n : new int[] {1, 3, 5, 7, 1023, 1025, 4099}) {
                    for (long offset : new long[] {0, 13}) {
                        all.add(Arguments.of(op, dt, n, offset));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} n={2} offset={3}")
    @MethodSource("draws")
    void random_draws_equal_the_philox_reference_bit_for_bit(RandomOp op, ElementType dt, int n, long offset) {
        long seed = 0x1234_5678_9ABCL + n;
        double[] expected = new double[n];
        Philox.fill(op, dt, seed, offset, 0, expected);
        for (Tensors t : List.of(serial, split)) {
            View v = t.empty(dt, contiguous(1, n));
            t.backend.random(op, seed, offset, v);
            assertSameBits(expected, t.get(v), op + " " + dt);
            t.assertUntouchedOutside(v);
        }
    }

    @ParameterizedTest
    @EnumSource(RandomOp.class)
    void random_fills_a_strided_view_in_row_major_order(RandomOp op) {
        long[] shape = {37, 3, 41};
        double[] expected = new double[37 * 3 * 41];
        Philox.fill(op, ElementType.FLOAT32, -7, 99, 0, expected);
        for (Tensors t : List.of(serial, split)) {
            View v = t.empty(ElementType.FLOAT32, transposed(2, shape));
            t.backend.random(op, -7, 99, v);
            assertSameBits(expected, t.get(v), op.toString());
            t.assertUntouchedOutside(v);
        }
    }

    @Test
    void uniform_draws_lie_in_zero_one() {
        View v = serial.empty(ElementType.FLOAT64, contiguous(0, 10000));
        serial.backend.random(RandomOp.UNIFORM, 42, 0, v);
        for (double x : serial.get(v)) {
            assertTrue(x >= 0 && x < 1, "uniform value " + x);
        }
    }

    @Test
    void random_rejects_a_negative_offset() {
        View v = serial.empty(ElementType.FLOAT32, contiguous(0, 4));
        assertThrows(IllegalArgumentException.class, () -> serial.backend.random(RandomOp.UNIFORM, 1, -1, v));
    }

    @Test
    void fill_rejects_a_view_outside_its_buffer() {
        View v = serial.empty(ElementType.FLOAT32, contiguous(0, 4));
        View bad = new View(v.buffer(), Layout.contiguous(100));
        var e = assertThrows(IllegalArgumentException.class, () -> serial.backend.fill(bad, 0));
        assertTrue(e.getMessage().contains("fill"), e.getMessage());
    }
}
