package dev.clgrad.cpu;

import static dev.clgrad.cpu.Tensors.assertSameBits;
import static dev.clgrad.cpu.Tensors.contiguous;
import static dev.clgrad.cpu.Tensors.strided;
import static dev.clgrad.cpu.Tensors.transposed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class MatmulTest {
    private final Tensors serial = new Tensors(new CpuBackend(1, Long.MAX_VALUE));
    private final Tensors split = new Tensors(new CpuBackend(4, 1));

    /** Which layout a test gives an operand. */
    enum Kind { CONTIGUOUS, TRANSPOSED, STRIDED }

    private static Layout layout(Kind k, long offset, long b, long r, long c) {
        return switch (k) {
            case CONTIGUOUS -> contiguous(offset, b, r, c);
            // each matrix transposed in place, batches contiguous
            case TRANSPOSED -> new Layout(new long[] {b, r, c}, new long[] {r * c, 1, r}, offset);
            case STRIDED -> strided(offset, b, r, c);
        };
    }

    /** {@code out[b] = a[b] @ x[b]} in double, with batch size 1 broadcast. */
    static double[] reference(double[] a, double[] x, int ba, int bx, int m, int k, int n) {
        int batches = Math.max(ba, bx);
        double[] out = new double[batches * m * n];
        for (int b = 0; b < batches; b++) {
            int ao = ba == 1 ? 0 : b * m * k;
            int xo = bx == 1 ? 0 : b * k * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a[ao + i * k + p] * x[xo + p * n + j];
                    }
                    out[(b * m + i) * n + j] = s;
                }
            }
        }
        return out;
    }

    private double[][] check(ElementType dt, int ba, int bx, int m, int k, int n, Kind ka, Kind kb, Kind kc) {
        int batches = Math.max(ba, bx);
        double[] a = Tensors.round(dt, Tensors.random(ba * m * k, m * 7L + k));
        double[] x = Tensors.round(dt, Tensors.random(bx * k * n, n * 13L + k));
        double[] expected = reference(a, x, ba, bx, m, k, n);
        double[][] results = new double[2][];
        int r = 0;
        for (Tensors t : List.of(serial, split)) {
            View va = t.make(dt, layout(ka, 1, ba, m, k), a);
            View vb = t.make(dt, layout(kb, 2, bx, k, n), x);
            View out = t.empty(dt, layout(kc, 3, batches, m, n));
            t.backend.matmul(va, vb, out);
            double[] got = t.get(out);
            double tol = (dt == ElementType.FLOAT32 ? 2e-6 : 1e-14) * Math.max(k, 1) * 10;
            for (int i = 0; i < got.length; i++) {
                assertEquals(expected[i], got[i], tol, "element " + i);
            }
            t.assertUntouchedOutside(out);
            results[r++] = got;
        }
        assertSameBits(results[0], results[1], "serial vs split");
        return results;
    }

    /**
     * Every element is one fused multiply-add per depth step, in depth order, whether the Vector
     * API tiles (the tests' JVMs have the module; CI's first pass runs without it) or the scalar
     * loop computed it: the bits of a sequential {@link Math#fma} chain, for shapes whose columns,
     * rows and depth leave remainders around the tiles and the blocks.
     */
    @ParameterizedTest(name = "{0} {1}x{2} by {2}x{3}")
    @CsvSource({
        "FLOAT32, 9, 300, 77", "FLOAT64, 9, 300, 77", "FLOAT32, 64, 64, 64", "FLOAT32, 5, 3, 300",
        "FLOAT64, 130, 17, 33", "FLOAT32, 1, 513, 260",
    })
    void every_element_is_a_sequential_chain_of_fused_multiply_adds(ElementType dt, int m, int k, int n) {
        double[] a = Tensors.round(dt, Tensors.random(m * k, 31L * m + k));
        double[] x = Tensors.round(dt, Tensors.random(k * n, 17L * n + k));
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (dt == ElementType.FLOAT32) {
                    float acc = 0;
                    for (int p = 0; p < k; p++) {
                        acc = Math.fma((float) a[i * k + p], (float) x[p * n + j], acc);
                    }
                    expected[i * n + j] = acc;
                } else {
                    double acc = 0;
                    for (int p = 0; p < k; p++) {
                        acc = Math.fma(a[i * k + p], x[p * n + j], acc);
                    }
                    expected[i * n + j] = acc;
                }
            }
        }
        for (Tensors t : List.of(serial, split)) {
            View out = t.empty(dt, contiguous(0, 1, m, n));
            t.backend.matmul(t.make(dt, contiguous(0, 1, m, k), a), t.make(dt, contiguous(0, 1, k, n), x), out);
            assertSameBits(expected, t.get(out), "matmul against sequential fma, vector kernels "
                    + (CpuVectors.ENABLED ? "on" : "off"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"FLOAT32", "FLOAT64"})
    void multiplies_one_by_one_matrices(ElementType dt) {
        View a = serial.make(dt, contiguous(0, 1, 1, 1), new double[] {3});
        View b = serial.make(dt, contiguous(0, 1, 1, 1), new double[] {-4});
        View out = serial.empty(dt, contiguous(0, 1, 1, 1));
        serial.backend.matmul(a, b, out);
        assertArrayEquals(new double[] {-12}, serial.get(out));
    }

    @Test
    void multiplies_a_small_known_product() {
        View a = serial.make(ElementType.FLOAT32, contiguous(0, 1, 2, 3), new double[] {1, 2, 3, 4, 5, 6});
        View b = serial.make(ElementType.FLOAT32, contiguous(0, 1, 3, 2), new double[] {7, 8, 9, 10, 11, 12});
        View out = serial.empty(ElementType.FLOAT32, contiguous(0, 1, 2, 2));
        serial.backend.matmul(a, b, out);
        assertArrayEquals(new double[] {58, 64, 139, 154}, serial.get(out));
    }

    @ParameterizedTest(name = "{0} a {1} b {2} out {3}")
    @CsvSource({
        "FLOAT32, CONTIGUOUS, CONTIGUOUS, CONTIGUOUS",
        "FLOAT64, CONTIGUOUS, CONTIGUOUS, CONTIGUOUS",
        "FLOAT32, TRANSPOSED, CONTIGUOUS, CONTIGUOUS",
        "FLOAT32, CONTIGUOUS, TRANSPOSED, CONTIGUOUS",
        "FLOAT64, TRANSPOSED, TRANSPOSED, STRIDED",
        "FLOAT32, STRIDED, STRIDED, TRANSPOSED",
    })
    void multiplies_17x33_by_33x5_in_any_layout(ElementType dt, Kind ka, Kind kb, Kind kc) {
        check(dt, 1, 1, 17, 33, 5, ka, kb, kc);
    }

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"FLOAT32", "FLOAT64"})
    void multiplies_128x128_matrices(ElementType dt) {
        check(dt, 1, 1, 128, 128, 128, Kind.CONTIGUOUS, Kind.CONTIGUOUS, Kind.CONTIGUOUS);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void multiplies_matrices_larger_than_one_block(Kind kb) {
        // crosses the NC and KC block edges and leaves a partial row block
        check(ElementType.FLOAT32, 1, 1, 37, 300, 270, Kind.CONTIGUOUS, kb, Kind.CONTIGUOUS);
    }

    @Test
    void multiplies_batches() {
        check(ElementType.FLOAT64, 3, 3, 5, 7, 9, Kind.CONTIGUOUS, Kind.TRANSPOSED, Kind.CONTIGUOUS);
    }

    @Test
    void broadcasts_a_batch_of_one_over_the_other_operand() {
        check(ElementType.FLOAT32, 1, 4, 6, 5, 3, Kind.CONTIGUOUS, Kind.CONTIGUOUS, Kind.CONTIGUOUS);
        check(ElementType.FLOAT32, 4, 1, 6, 5, 3, Kind.TRANSPOSED, Kind.CONTIGUOUS, Kind.STRIDED);
    }

    @Test
    void broadcasts_a_matrix_over_the_batch_with_stride_zero() {
        double[] w = {1, 2, 3, 4};
        double[] x = Tensors.iota(3 * 2 * 2);
        View a = serial.make(ElementType.FLOAT32, contiguous(0, 3, 2, 2), x);
        View b = serial.make(ElementType.FLOAT32, new Layout(new long[] {3, 2, 2}, new long[] {0, 2, 1}, 0), repeat(w, 3));
        View out = serial.empty(ElementType.FLOAT32, contiguous(0, 3, 2, 2));
        serial.backend.matmul(a, b, out);
        assertArrayEquals(reference(x, w, 3, 1, 2, 2, 2), serial.get(out));
    }

    @Test
    void an_empty_inner_dimension_gives_zeros() {
        View a = serial.make(ElementType.FLOAT64, contiguous(0, 2, 3, 0), new double[0]);
        View b = serial.make(ElementType.FLOAT64, contiguous(0, 2, 0, 4), new double[0]);
        View out = serial.empty(ElementType.FLOAT64, contiguous(0, 2, 3, 4));
        serial.backend.matmul(a, b, out);
        assertArrayEquals(new double[24], serial.get(out));
    }

    @Test
    void an_empty_output_is_a_no_op() {
        View a = serial.make(ElementType.FLOAT32, contiguous(0, 1, 0, 3), new double[0]);
        View b = serial.make(ElementType.FLOAT32, contiguous(0, 1, 3, 4), new double[12]);
        View out = serial.make(ElementType.FLOAT32, contiguous(0, 1, 0, 4), new double[0]);
        serial.backend.matmul(a, b, out);
        serial.assertUntouchedOutside(out);
    }

    @Test
    void large_products_give_the_same_bits_on_one_thread_or_many() {
        check(ElementType.FLOAT32, 2, 2, 131, 257, 119, Kind.TRANSPOSED, Kind.CONTIGUOUS, Kind.CONTIGUOUS);
    }

    @Test
    void the_plain_path_for_small_products_and_the_blocked_path_agree_bit_for_bit() {
        // 16x16x16 per batch takes the plain loop alone, and the blocked kernels in a batch of 17
        int m = 16;
        double[] a = Tensors.random(m * m, 21);
        double[] x = Tensors.random(m * m, 22);
        View va = serial.make(ElementType.FLOAT32, transposed(0, 1, m, m), a);
        View vb = serial.make(ElementType.FLOAT32, contiguous(0, 1, m, m), x);
        View one = serial.empty(ElementType.FLOAT32, contiguous(0, 1, m, m));
        serial.backend.matmul(va, vb, one);
        View ba = new View(va.buffer(), new Layout(new long[] {17, m, m}, new long[] {0, 1, m}, 0));
        View bb = new View(vb.buffer(), new Layout(new long[] {17, m, m}, new long[] {0, m, 1}, 0));
        View many = serial.empty(ElementType.FLOAT32, contiguous(0, 17, m, m));
        serial.backend.matmul(ba, bb, many);
        double[] first = java.util.Arrays.copyOf(serial.get(many), m * m);
        assertSameBits(serial.get(one), first, "plain vs blocked");
    }

    @Test
    void rejects_mismatched_inner_dimensions_naming_the_shapes() {
        View a = serial.make(ElementType.FLOAT32, contiguous(0, 1, 2, 3), new double[6]);
        View b = serial.make(ElementType.FLOAT32, contiguous(0, 1, 4, 2), new double[8]);
        View out = serial.empty(ElementType.FLOAT32, contiguous(0, 1, 2, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> serial.backend.matmul(a, b, out));
        assertTrue(e.getMessage().contains("[1, 2, 3]") && e.getMessage().contains("[1, 4, 2]"), e.getMessage());
    }

    @Test
    void rejects_operands_that_are_not_rank_three() {
        View a = serial.make(ElementType.FLOAT32, contiguous(0, 2, 3), new double[6]);
        View b = serial.make(ElementType.FLOAT32, contiguous(0, 3, 2), new double[6]);
        View out = serial.empty(ElementType.FLOAT32, contiguous(0, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> serial.backend.matmul(a, b, out));
    }

    private static double[] repeat(double[] x, int times) {
        double[] out = new double[x.length * times];
        for (int t = 0; t < times; t++) {
            System.arraycopy(x, 0, out, t * x.length, x.length);
        }
        return out;
    }
}
