package dev.clgrad.it;

import dev.clgrad.Autograd;
import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.nn.Functional;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Behaviour of the training layer's ops beyond the golden records, on every device: in-place
 * updates and their version counters, arg-reductions with ties and NaN, random creation,
 * stability at large magnitudes, and the errors bad indices and targets get (expected values
 * from PyTorch 1.13 for the same expressions).
 */
@ExtendWith(OnDevice.class)
class TrainingOpsTest {

    @ParameterizedTest
    @MethodSource("dev.clgrad.it.OnDevice#devices")
    void in_place_updates_compute_pytorchs_values_and_bump_versions(Device d) {
        OnDevice.use(d);
        Tensor p = Tensor.of(new float[] {1, 2, 3}, 3);
        Tensor a = Tensor.of(new float[] {2, 4, 8}, 3);
        Tensor b = Tensor.of(new float[] {4, 2, 1}, 3);
        int v = p.version();
        assertArrayEquals(new float[] {5, 6, 7}, p.addcmul_(a, b, 0.5).toFloatArray());
        assertArrayEquals(new float[] {5.25f, 7, 11}, p.addcdiv_(a, b, 0.5).toFloatArray());
        assertArrayEquals(new float[] {21, 14, 11}, p.mul_(b).toFloatArray());
        assertArrayEquals(new float[] {10.5f, 3.5f, 1.375f}, p.div_(Tensor.of(new float[] {2, 4, 8}, 3))
                .toFloatArray());
        assertArrayEquals(new float[] {5.25f, 1.75f, 0.6875f}, p.div_(2).toFloatArray());
        assertArrayEquals(new float[] {3.25f, -2.25f, -7.3125f}, p.sub_(a).toFloatArray());
        assertArrayEquals(new float[] {2.5f, -1, -1}, p.clamp_(-1, 2.5).clamp_(-2, Double.NaN).toFloatArray());
        Tensor q = Tensor.of(new float[] {4, 9}, 2).sqrt_();
        assertArrayEquals(new float[] {2, 3}, q.toFloatArray());
        Tensor r = Tensor.of(new float[] {0, 10}, 2).lerp_(Tensor.of(new float[] {10, 0}, 2), 0.25);
        assertArrayEquals(new float[] {2.5f, 7.5f}, r.toFloatArray());
        assertArrayEquals(new float[] {10, 0}, Tensor.of(new float[] {0, 10}, 2)
                .lerp_(Tensor.of(new float[] {10, 0}, 2), 1).toFloatArray());
        assertEquals(v + 9, p.version());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new long[] {1, 2}).add_(Tensor.of(1f, 2f)));
        assertTrue(e.getMessage().contains("can't be cast to the desired output type int64"), e.getMessage());
        Tensor leaf = Tensor.ones(2).requiresGrad_();
        assertThrows(RuntimeException.class, () -> leaf.mul_(Tensor.ones(2)));
        try (var g = Autograd.noGrad()) {
            leaf.addcmul_(Tensor.ones(2), Tensor.ones(2), -1);
        }
        assertArrayEquals(new float[] {0, 0}, leaf.toFloatArray());
    }

    @ParameterizedTest
    @MethodSource("dev.clgrad.it.OnDevice#devices")
    void in_place_ops_record_pytorchs_nodes_and_gradients(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(new float[] {1, 4}, 2).requiresGrad_();
        Tensor t1 = Tensor.of(new float[] {2, 3}, 2).requiresGrad_();
        Tensor y = x.mul(1).addcmul_(t1, Tensor.of(new float[] {5, 7}, 2), 2);
        assertEquals("AddcmulBackward0", y.gradFn().name());
        y.sum().backward();
        assertArrayEquals(new float[] {1, 1}, x.grad().toFloatArray());
        assertArrayEquals(new float[] {10, 14}, t1.grad().toFloatArray());
        Tensor z = x.mul(1).sqrt_();
        assertEquals("SqrtBackward0", z.gradFn().name());
        x.grad().zero_();
        z.sum().backward();
        assertArrayEquals(new float[] {0.5f, 0.25f}, x.grad().toFloatArray());
    }

    @ParameterizedTest
    @MethodSource("dev.clgrad.it.OnDevice#devices")
    void arg_reductions_pick_the_first_extreme_and_nan(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(new float[] {1, 3, 3, 0, 5, 5, -1, Float.NaN, 2}, 3, 3);
        assertArrayEquals(new long[] {1, 1, 1}, x.argmax(1, false).toLongArray());
        assertArrayEquals(new long[] {0, 0, 1}, x.argmin(1, false).toLongArray());
        assertEquals(7, x.argmax().item());
        assertEquals(DType.INT64, x.argmax().dtype());
        assertArrayEquals(new long[] {1, 3}, x.argmax(0, true).shape());
        Tensor.ValuesIndices m = x.max(1, false);
        assertArrayEquals(new long[] {1, 1, 1}, m.indices().toLongArray());
        assertTrue(Float.isNaN(m.values().toFloatArray()[2]));
        Tensor w = Tensor.of(new float[] {1, 7, 7, 2}, 2, 2).requiresGrad_();
        w.max(1, true).values().sum().backward();
        assertArrayEquals(new float[] {0, 1, 1, 0}, w.grad().toFloatArray());
        Tensor u = Tensor.of(new float[] {7, 7, 1}, 3).requiresGrad_();
        u.amax(new int[0], false).backward();
        assertArrayEquals(new float[] {0.5f, 0.5f, 0}, u.grad().toFloatArray());
        assertArrayEquals(new long[] {1, 2}, Tensor.of(new long[] {3, 9, 4, 1, 2, 8}, 2, 3).argmax(1, false)
                .toLongArray());
    }

    @ParameterizedTest
    @MethodSource("dev.clgrad.it.OnDevice#devices")
    void random_creation_has_the_right_range_dtype_and_distribution(Device d) {
        OnDevice.use(d);
        Tensor.manualSeed(3);
        Tensor r = Tensor.randint(-2, 5, 1000);
        assertEquals(DType.INT64, r.dtype());
        long[] v = r.toLongArray();
        assertEquals(-2, Arrays.stream(v).min().getAsLong());
        assertEquals(4, Arrays.stream(v).max().getAsLong());
        long[] p = Tensor.randperm(100).toLongArray();
        long[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, sorted[i]);
        }
        Tensor.manualSeed(3);
        Tensor.randint(-2, 5, 1000);
        assertArrayEquals(p, Tensor.randperm(100).toLongArray(), "seeded");
        Tensor u = Tensor.zeros(20000).uniform_(2, 4);
        assertEquals(3, u.mean().item(), 0.05);
        assertTrue(u.min().item() >= 2 && u.max().item() < 4);
        Tensor n = Tensor.zeros(20000).normal_(1, 2);
        assertEquals(1, n.mean().item(), 0.06);
        assertEquals(2, n.std(new int[0], 1, false).item(), 0.06);
        assertArrayEquals(new long[] {2, 3}, Tensor.randLike(Tensor.zeros(2, 3)).shape());
        assertEquals(DType.FLOAT64, Tensor.randnLike(Tensor.zeros(2).to(DType.FLOAT64)).dtype());
        assertArrayEquals(new long[] {0, 0, 1, 0, 0, 1, 0, 0}, Tensor.oneHot(Tensor.of(new long[] {2, 1}), 4)
                .toLongArray());
        assertArrayEquals(new long[] {0, 0, 1, 1, 0, 0}, Tensor.oneHot(Tensor.of(new long[] {2, 0}), -1)
                .toLongArray());
    }

    @ParameterizedTest
    @MethodSource("dev.clgrad.it.OnDevice#devices")
    void softmax_family_is_stable_at_large_magnitudes(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(new float[] {1e4f, -1e4f, 0, 1e4f - 1}, 1, 4);
        float[] lsm = x.logSoftmax(1).toFloatArray();
        assertEquals(-0.3132617f, lsm[0], 1e-5);
        assertEquals(-1.3132617f, lsm[3], 1e-5);
        assertEquals(-2e4f, lsm[1], 1);
        float[] sm = x.softmax(1).toFloatArray();
        assertEquals(0.7310586f, sm[0], 1e-6);
        assertEquals(1e4f + 0.3132617f, x.logsumexp(1, false).toFloatArray()[0], 1e-2);
        Tensor inf = Tensor.of(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 1, 2);
        assertEquals(Float.NEGATIVE_INFINITY, inf.logsumexp(1, false).item());
    }

    @ParameterizedTest
    @MethodSource("dev.clgrad.it.OnDevice#devices")
    void joins_and_splits(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.arange(0, 10, 1, DType.INT64);
        List<Tensor> parts = x.split(4, 0);
        assertEquals(3, parts.size());
        assertArrayEquals(new long[] {8, 9}, parts.get(2).toLongArray());
        assertEquals(4, x.chunk(4, 0).size()); // ceil(10 / 4) = 3 per chunk: 3, 3, 3, 1
        assertEquals(3, x.chunk(3, 0).size()); // 4, 4, 2
        assertArrayEquals(new long[] {1, 3, 5}, x.slice(0, 1, 6, 2).toLongArray());
        assertArrayEquals(new long[] {7, 8, 9}, x.slice(0, -3, Long.MAX_VALUE, 1).toLongArray());
        Tensor c = Tensor.cat(List.of(Tensor.ones(2, 2), Tensor.zeros(1, 2).to(DType.FLOAT64)), 0);
        assertEquals(DType.FLOAT64, c.dtype());
        assertArrayEquals(new long[] {3, 2}, c.shape());
        Tensor s = Tensor.stack(List.of(Tensor.ones(3), Tensor.zeros(3)), 1);
        assertArrayEquals(new float[] {1, 0, 1, 0, 1, 0}, s.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Tensor.cat(List.of(Tensor.ones(2, 2), Tensor.ones(2, 3)), 0));
        assertThrows(IllegalArgumentException.class, () -> x.narrow(0, 8, 3));
        assertArrayEquals(new long[] {2, 12}, Tensor.zeros(2, 3, 4).flatten(1, 2).shape());
    }

    @ParameterizedTest
    @MethodSource("dev.clgrad.it.OnDevice#devices")
    void the_device_counts_every_call_the_runtime_makes(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.ones(1000);
        Device.Counters before = d.counters();
        Tensor y = x.add(1).mul(2);
        Device.Counters afterOps = d.counters();
        assertEquals(before.primitives() + 2, afterOps.primitives(), "two elementwise calls");
        assertEquals(before.hostReads(), afterOps.hostReads());
        y.toFloatArray();
        Device.Counters afterRead = d.counters();
        assertEquals(afterOps.hostReads() + 1, afterRead.hostReads(), "one read");
        assertEquals(afterOps.hostReadBytes() + 4000, afterRead.hostReadBytes());
        Tensor.of(new float[] {1, 2}, 2);
        assertEquals(afterRead.hostWrites() + 1, d.counters().hostWrites(), "one write");
    }

    @ParameterizedTest
    @MethodSource("dev.clgrad.it.OnDevice#devices")
    void bad_indices_and_targets_fail_clearly_before_any_kernel_reads_them(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.ones(3, 4);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> x.gather(1, Tensor.of(new long[] {0, 4, 1}, 3, 1)));
        assertTrue(e.getMessage().contains("index 4 is out of bounds for dimension 1 with size 4"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> x.indexSelect(0, Tensor.of(new long[] {-1})));
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class,
                () -> x.gather(1, Tensor.zeros(3, 1)));
        assertTrue(dtype.getMessage().contains("Expected dtype int64 for index"), dtype.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class,
                () -> Functional.crossEntropy(Tensor.zeros(2, 3), Tensor.of(new long[] {0, 3})));
        assertTrue(e.getMessage().contains("Target 3 is out of bounds"), e.getMessage());
        IllegalArgumentException target = assertThrows(IllegalArgumentException.class,
                () -> Functional.crossEntropy(Tensor.zeros(2, 3), Tensor.of(new long[] {0, 1, 2})));
        assertTrue(target.getMessage().contains("batch_size"), target.getMessage());
        // an infinite logit off the target leaves the loss finite, as PyTorch's picked entry does
        assertEquals(0, Functional.crossEntropy(Tensor.of(new float[] {0, Float.NEGATIVE_INFINITY}, 1, 2),
                Tensor.of(new long[] {0}, 1)).item(), 1e-7);
        // ignored targets may lie outside the classes
        Tensor loss = Functional.crossEntropy(Tensor.zeros(2, 3), Tensor.of(new long[] {-100, 1}));
        assertEquals(Math.log(3), loss.item(), 1e-6);
        assertNull(Tensor.of(new long[] {1}).gradFn());
    }
}
