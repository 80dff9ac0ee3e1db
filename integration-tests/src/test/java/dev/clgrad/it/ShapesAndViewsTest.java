package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.clgrad.it.TestTensors.range;

/**
 * Shapes, strides, views, broadcasting, dtype promotion and factories behave as in PyTorch, on
 * every device.
 */
@ExtendWith(OnDevice.class)
class ShapesAndViewsTest {
    private static final String DEVICES = "dev.clgrad.it.OnDevice#devices";

    private static void assertValues(Tensor t, double... expected) {
        assertArrayEquals(expected, t.toDoubleArray(), 1e-6, t.toString());
    }

    private static void assertShape(Tensor t, long... expected) {
        assertArrayEquals(expected, t.shape(), "shape of " + t);
    }

    // ---- views share storage -----------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void writing_through_a_view_is_visible_in_its_base(Device d) {
        OnDevice.use(d);
        Tensor base = Tensor.zeros(2, 3);
        Tensor row = base.get(1);
        row.set(0, 5.0);
        assertValues(base, 0, 0, 0, 5, 0, 0);
        base.t().set(2, Tensor.of(7, 8));
        assertValues(base, 0, 0, 7, 5, 0, 8);
        base.view(6).get(1).fill_(-1);
        assertValues(base, 0, -1, 7, 5, 0, 8);
        base.reshape(3, 2).get(2).fill_(4);
        assertValues(base, 0, -1, 7, 5, 4, 4);
        base.unsqueeze(0).squeeze(0).get(0).get(0).fill_(3);
        assertValues(base, 3, -1, 7, 5, 4, 4);
        base.permute(1, 0).get(1).add_(Tensor.of(10, 20));
        assertValues(base, 3, 9, 7, 5, 24, 4);
        base.transpose(0, 1).get(0).copy_(Tensor.of(0.5, 0.25));
        assertValues(base, 0.5, 9, 7, 0.25, 24, 4);
        assertValues(row, 0.25, 24, 4);
        assertEquals(base.version(), row.version(), "a view shares its base's version counter");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void writing_to_a_base_is_visible_in_its_views(Device d) {
        OnDevice.use(d);
        Tensor base = range(2, 3);
        Tensor t = base.t();
        Tensor col = t.get(2);
        Tensor flat = base.view(-1);
        base.set(1, 9.0);
        assertValues(t, 0, 9, 1, 9, 2, 9);
        assertValues(col, 2, 9);
        assertValues(flat, 0, 1, 2, 9, 9, 9);
        base.fill_(1);
        assertValues(col, 1, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void view_of_a_non_contiguous_tensor_fails_but_reshape_copies(Device d) {
        OnDevice.use(d);
        Tensor base = range(2, 3);
        Tensor t = base.t();
        assertFalse(t.isContiguous());
        assertThrows(IllegalArgumentException.class, () -> t.view(6));
        Tensor copied = t.reshape(6);
        assertValues(copied, 0, 3, 1, 4, 2, 5);
        base.fill_(-1);
        assertValues(copied, 0, 3, 1, 4, 2, 5);
        assertTrue(copied.isContiguous());

        Tensor viewed = base.reshape(3, 2);
        base.set(0, 8.0);
        assertValues(viewed, 8, 8, 8, -1, -1, -1);
        // a view that keeps the non-contiguous dims apart is allowed
        Tensor v = t.view(3, 1, 2);
        assertShape(v, 3, 1, 2);
        assertValues(v, 8, -1, 8, -1, 8, -1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void contiguous_returns_the_same_tensor_when_already_contiguous(Device d) {
        OnDevice.use(d);
        Tensor x = range(2, 3);
        assertTrue(x.isContiguous());
        assertSame(x, x.contiguous());
        Tensor t = x.t();
        Tensor c = t.contiguous();
        assertNotSame(t, c);
        assertTrue(c.isContiguous());
        assertArrayEquals(new long[] {2, 1}, c.stride());
        assertValues(c, 0, 3, 1, 4, 2, 5);
        assertSame(c, c.contiguous());
        x.fill_(0);
        assertValues(c, 0, 3, 1, 4, 2, 5);
    }

    // ---- negative dims -----------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void negative_dims_count_from_the_end_everywhere(Device d) {
        OnDevice.use(d);
        Tensor x = range(2, 3);
        assertEquals(3, x.size(-1));
        assertEquals(2, x.size(-2));
        assertValues(x.sum(-1, false), 3, 12);
        assertShape(x.sum(-1, true), 2, 1);
        assertValues(x.sum(-2, false), 3, 5, 7);
        assertValues(x.mean(-1, false), 1, 4);
        Tensor tr = x.transpose(-1, -2);
        assertShape(tr, 3, 2);
        assertValues(tr, 0, 3, 1, 4, 2, 5);
        assertShape(x.unsqueeze(-1), 2, 3, 1);
        assertShape(x.unsqueeze(-2), 2, 1, 3);
        assertShape(x.unsqueeze(-3), 1, 2, 3);
        assertShape(x.unsqueeze(-1).squeeze(-1), 2, 3);
        assertShape(x.squeeze(-1), 2, 3);
        assertShape(x.permute(-1, 0), 3, 2);
        assertValues(x.select(-1, -1), 2, 5);
        assertValues(x.get(-1), 3, 4, 5);
        assertEquals(4.0, x.get(-1, -2).item());
        Tensor three = range(2, 3, 4);
        assertShape(three.transpose(-1, 0), 4, 3, 2);
        assertShape(three.sum(-2, false), 2, 4);
        assertValues(three.sum(-3, false).get(0), 12, 14, 16, 18);
    }

    // ---- expand and strides ------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void expand_of_size_one_dims_has_stride_zero(Device d) {
        OnDevice.use(d);
        Tensor row = Tensor.of(1, 2, 3).reshape(1, 3);
        Tensor e = row.expand(4, 3);
        assertShape(e, 4, 3);
        assertArrayEquals(new long[] {0, 1}, e.stride());
        assertValues(e, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3);
        Tensor col = Tensor.of(1, 2).reshape(2, 1);
        Tensor c = col.expand(-1, 3);
        assertShape(c, 2, 3);
        assertArrayEquals(new long[] {1, 0}, c.stride());
        assertValues(c, 1, 1, 1, 2, 2, 2);
        Tensor lead = Tensor.of(1, 2, 3).expand(2, 2, 3);
        assertArrayEquals(new long[] {0, 0, 1}, lead.stride());
        assertFalse(lead.isContiguous());
        assertValues(lead.sum(), 24);
        assertArrayEquals(new long[] {3, 1}, range(2, 3).stride());
        assertArrayEquals(new long[] {1, 3}, range(2, 3).t().stride());
        // expanded views share storage: a write to the base shows in every repeated row
        row.get(0).set(1, 20.0);
        assertValues(e.select(1, 1), 20, 20, 20, 20);
    }

    // ---- creation ----------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void tensor_of_floats_infers_a_minus_one_size_and_makes_one_value_zero_dim(Device d) {
        OnDevice.use(d);
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, -1, 2);
        assertShape(a, 3, 2);
        assertValues(a, 1, 2, 3, 4, 5, 6);
        assertShape(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, -1), 2, 3);
        Tensor s = Tensor.of(new float[] {5});
        assertEquals(0, s.dim());
        assertShape(s);
        assertEquals(1, s.numel());
        assertEquals(5.0, s.item());
        assertEquals("tensor(5.)", s.toString().replace(", device='" + d + "'", ""));
        Tensor one = Tensor.of(new float[] {5}, 1);
        assertShape(one, 1);
        Tensor several = Tensor.of(new float[] {1, 2, 3});
        assertShape(several, 3);
        assertShape(Tensor.of(5.0), 1);
        assertShape(Tensor.scalar(5));
        assertShape(Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}}), 2, 3);
        assertEquals(DType.FLOAT32, a.dtype());
        assertEquals(d, a.device());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void arange_matches_pytorch_for_each_form(Device d) {
        OnDevice.use(d);
        Tensor a = Tensor.arange(5);
        assertShape(a, 5);
        assertValues(a, 0, 1, 2, 3, 4);
        assertEquals(DType.FLOAT32, a.dtype());
        assertValues(Tensor.arange(1, 4), 1, 2, 3);
        assertValues(Tensor.arange(0, 1, 0.25), 0, 0.25, 0.5, 0.75);
        assertValues(Tensor.arange(3, 0, -1), 3, 2, 1);
        assertValues(Tensor.arange(0, 1, 0.3), 0, 0.3, 0.6, 0.9);
        assertShape(Tensor.arange(0), 0);
        assertShape(Tensor.arange(2, 2), 0);
        assertValues(Tensor.arange(2.5), 0, 1, 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void full_zeros_and_ones_fill_their_shape(Device d) {
        OnDevice.use(d);
        Tensor f = Tensor.full(2.5, 2, 2);
        assertShape(f, 2, 2);
        assertValues(f, 2.5, 2.5, 2.5, 2.5);
        assertEquals(DType.FLOAT32, f.dtype());
        assertEquals(d, f.device());
        assertValues(Tensor.zeros(3), 0, 0, 0);
        assertValues(Tensor.ones(2, 1), 1, 1);
        assertShape(Tensor.zeros(2, 0, 3), 2, 0, 3);
        assertEquals(0, Tensor.ones(0).numel());
        Tensor scalar = Tensor.zeros();
        assertEquals(0, scalar.dim());
        assertEquals(0.0, scalar.item());
        Tensor f64 = Tensor.full(0.1, DType.FLOAT64, d, 2);
        assertEquals(DType.FLOAT64, f64.dtype());
        assertArrayEquals(new double[] {0.1, 0.1}, f64.toDoubleArray(), 0.0, "float64 keeps 0.1 exactly");
        assertFalse(f.requiresGrad());
    }

    // ---- broadcasting ------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void broadcasting_2x1x3_with_4x1_gives_2x4x3(Device d) {
        OnDevice.use(d);
        Tensor a = range(2, 1, 3);        // a[i][0][k] = 3i + k
        Tensor b = range(4, 1).mul(10);  // b[j][0] = 10j
        Tensor sum = a.add(b);
        assertShape(sum, 2, 4, 3);
        double[] expected = new double[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 3; k++) {
                    expected[(i * 4 + j) * 3 + k] = 3 * i + k + 10 * j;
                }
            }
        }
        assertValues(sum, expected);
        assertShape(b.add(a), 2, 4, 3);
        assertValues(b.add(a), expected);
        Tensor product = a.mul(b);
        assertShape(product, 2, 4, 3);
        assertEquals((3 * 1 + 2) * 30.0, product.get(1, 3, 2).item());
        assertShape(Tensor.ones(3).sub(Tensor.scalar(1)), 3);
        assertShape(Tensor.scalar(2).div(Tensor.ones(2, 2)), 2, 2);
    }

    // ---- empty tensors -----------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void empty_tensors_go_through_add_sum_and_mean(Device d) {
        OnDevice.use(d);
        Tensor e = Tensor.zeros(0, 3);
        assertEquals(0, e.numel());
        Tensor added = e.add(Tensor.ones(0, 3));
        assertShape(added, 0, 3);
        assertShape(e.add(Tensor.of(1, 2, 3)), 0, 3);
        assertShape(e.mul(2), 0, 3);
        assertShape(e.exp(), 0, 3);
        Tensor sum = e.sum();
        assertShape(sum);
        assertEquals(0.0, sum.item(), "the sum of no elements is 0");
        Tensor mean = e.mean();
        assertShape(mean);
        assertTrue(Double.isNaN(mean.item()), "the mean of no elements is NaN, as in PyTorch: " + mean);
        assertValues(e.sum(0, false), 0, 0, 0);
        assertShape(e.sum(1, false), 0);
        double[] meanRows = e.mean(0, false).toDoubleArray();
        assertEquals(3, meanRows.length);
        for (double m : meanRows) {
            assertTrue(Double.isNaN(m), Arrays.toString(meanRows));
        }
        assertShape(e.t(), 3, 0);
        assertShape(e.reshape(3, 0, 5), 3, 0, 5);
        assertShape(e.view(3, -1), 3, 0);
        assertEquals(0.0, e.norm().item());
        assertEquals(0, e.toDoubleArray().length);
        assertShape(Tensor.ones(2, 0).matmul(Tensor.ones(0, 3)), 2, 3);
        assertValues(Tensor.ones(2, 0).matmul(Tensor.ones(0, 3)), 0, 0, 0, 0, 0, 0);
    }

    // ---- dtypes ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void float64_arithmetic_stays_float64(Device d) {
        OnDevice.use(d);
        org.junit.jupiter.api.Assumptions.assumeTrue(d.info().supportsFloat64(), d + " has no float64");
        Tensor a = Tensor.of(new double[] {1, 2, 3}, DType.FLOAT64, 3);
        Tensor b = Tensor.of(new double[] {1e-10, 2e-10, 3e-10}, DType.FLOAT64, 3);
        Tensor s = a.add(b);
        assertEquals(DType.FLOAT64, s.dtype());
        assertArrayEquals(new double[] {1 + 1e-10, 2 + 2e-10, 3 + 3e-10}, s.toDoubleArray(), 1e-15,
                "float64 keeps digits float32 would lose");
        for (Tensor t : new Tensor[] {a.mul(b), a.div(b), a.sub(1), a.mul(2.5), a.pow(2), a.exp(), a.sqrt(),
                a.sigmoid(), a.sum(), a.mean(), a.norm(), a.max(), a.reshape(3, 1).matmul(a.reshape(1, 3)),
                a.neg().abs(), a.unsqueeze(0).expand(2, 3).contiguous(), a.sum(0, true)}) {
            assertEquals(DType.FLOAT64, t.dtype(), t.toString());
        }
        assertEquals(Math.exp(1), a.exp().toDoubleArray()[0], 1e-15);
        assertEquals(0.1 + 0.2, Tensor.of(new double[] {0.1}, DType.FLOAT64, 1).add(0.2).item(), 0.0);
        assertTrue(s.toString().contains("dtype=float64"), s.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void float32_with_float64_promotes_to_float64(Device d) {
        OnDevice.use(d);
        org.junit.jupiter.api.Assumptions.assumeTrue(d.info().supportsFloat64(), d + " has no float64");
        Tensor f32 = Tensor.of(1, 2, 3);
        Tensor f64 = Tensor.of(new double[] {0.1, 0.2, 0.3}, DType.FLOAT64, 3);
        Tensor[] mixed = {f32.add(f64), f64.add(f32), f32.mul(f64), f64.sub(f32), f32.div(f64),
            f32.reshape(3, 1).add(f64), Tensor.scalar(1).add(f64)};
        for (Tensor t : mixed) {
            assertEquals(DType.FLOAT64, t.dtype(), t.toString());
        }
        assertArrayEquals(new double[] {1.1, 2.2, 3.3}, mixed[0].toDoubleArray(), 1e-15,
                "the float32 operand is converted exactly, the sum is computed in float64");
        assertEquals(DType.FLOAT32, f32.add(0.1).dtype(), "a double scalar does not promote a float32 tensor");
        assertEquals(DType.FLOAT32, f32.mul(1e-300).dtype());
        assertEquals(DType.FLOAT64, f64.mul(2).dtype());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_zero_dim_float64_tensor_does_not_promote_a_dimensioned_float32_tensor(Device d) {
        OnDevice.use(d);
        org.junit.jupiter.api.Assumptions.assumeTrue(d.info().supportsFloat64(), d + " has no float64");
        // PyTorch's result_type: zero-dim tensors of the same category as a dimensioned operand
        // act like scalars, so torch.ones(3) + torch.tensor(0.5, dtype=torch.float64) is float32.
        Tensor f32 = Tensor.of(1, 2, 3);
        Tensor zeroDim64 = Tensor.of(new double[] {0.5}, DType.FLOAT64);
        assertEquals(0, zeroDim64.dim());
        assertEquals(DType.FLOAT64, Tensor.scalar(1).add(zeroDim64).dtype(),
                "two zero-dim operands promote as usual");
        Tensor sum = f32.add(zeroDim64);
        assertEquals(DType.FLOAT32, sum.dtype(), "torch.ones(3) + torch.tensor(0.5, dtype=torch.float64) is "
                + "float32 in PyTorch");
        assertValues(sum, 1.5, 2.5, 3.5);
        assertEquals(DType.FLOAT32, zeroDim64.mul(f32).dtype());
    }

    // ---- random ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void rand_is_uniform_on_zero_to_one_and_randn_is_standard_normal(Device d) {
        OnDevice.use(d);
        Tensor.manualSeed(1234);
        int n = 100_000;
        double[] u = Tensor.rand(n).toDoubleArray();
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        double sum = 0;
        for (double x : u) {
            min = Math.min(min, x);
            max = Math.max(max, x);
            sum += x;
        }
        assertTrue(min >= 0, "rand must not go below 0: " + min);
        assertTrue(max < 1, "rand must stay below 1: " + max);
        assertEquals(0.5, sum / n, 0.01, "mean of uniform samples");
        assertTrue(min < 0.001 && max > 0.999, "uniform samples cover [0, 1): " + min + ".." + max);

        double[] z = Tensor.randn(n).toDoubleArray();
        double mean = 0;
        for (double x : z) {
            mean += x;
        }
        mean /= n;
        double var = 0;
        int beyondTwo = 0;
        for (double x : z) {
            var += (x - mean) * (x - mean);
            beyondTwo += Math.abs(x) > 2 ? 1 : 0;
        }
        double std = Math.sqrt(var / (n - 1));
        assertEquals(0, mean, 0.02, "mean of normal samples");
        assertEquals(1, std, 0.02, "std of normal samples");
        assertEquals(0.0455, beyondTwo / (double) n, 0.005, "share of normal samples beyond two sigma");
        assertShape(Tensor.rand(2, 3), 2, 3);
        assertEquals(DType.FLOAT32, Tensor.randn(2).dtype());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void manual_seed_makes_draws_reproducible_and_consecutive_draws_differ(Device d) {
        OnDevice.use(d);
        Tensor.manualSeed(42);
        double[] first = Tensor.rand(1000).toDoubleArray();
        double[] second = Tensor.rand(1000).toDoubleArray();
        double[] normal = Tensor.randn(3, 5).toDoubleArray();
        Tensor.manualSeed(42);
        assertArrayEquals(first, Tensor.rand(1000).toDoubleArray(), 0.0, "same seed, same numbers");
        assertArrayEquals(second, Tensor.rand(1000).toDoubleArray(), 0.0, "and the same sequence of draws");
        assertArrayEquals(normal, Tensor.randn(3, 5).toDoubleArray(), 0.0);
        assertFalse(Arrays.equals(first, second), "consecutive draws differ");
        Tensor.manualSeed(43);
        assertFalse(Arrays.equals(first, Tensor.rand(1000).toDoubleArray()), "another seed, other numbers");
        // the same seed gives the same numbers on every device
        Tensor.manualSeed(42);
        double[] onCpu = Tensor.rand(DType.FLOAT32, Device.cpu(), 1000).toDoubleArray();
        assertArrayEquals(first, onCpu, 0.0, "rand on " + d + " and on cpu differ for one seed");
    }
}
