package dev.clgrad.it;

import dev.clgrad.Device;
import dev.clgrad.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Extents past 2^31 and element counts past a long: broadcast views far larger than any buffer
 * reduce to the exact value on every device, sizes whose element or byte count overflows are
 * an error at creation (as in PyTorch), and a 2 GiB host array reaches an OpenCL device.
 */
@ExtendWith(OnDevice.class)
class LargeExtentsTest {
    private static final String DEVICES = "dev.clgrad.it.OnDevice#devices";

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void a_reduction_over_a_broadcast_view_of_more_than_2_31_elements_finishes_with_the_exact_value(Device d) {
        OnDevice.use(d);
        long n = (1L << 31) + 16;
        Tensor big = Tensor.ones(1).expand(n);
        assertEquals(n, big.numel());
        assertEquals((float) n, big.sum().item());
        assertEquals(1.0, big.max().item());
        Tensor square = Tensor.ones(1, 1).expand(65536, 65537);
        assertEquals((float) (65536L * 65537L), square.sum().item());
        assertEquals(1.0, square.mean().item());
        assertEquals(1.0, square.min().item());
        if (d.isCpu()) {
            // a broadcast dimension is read once, so these take no longer than their real elements
            Tensor rows = square.sum(0, false);
            assertEquals(65537, rows.numel());
            assertEquals(65536, rows.get(65536).item());
            Tensor both = Tensor.of(1, 2, 3).unsqueeze(1).expand(3, 1L << 31).sum(new int[] {1}, true);
            assertEquals(List.of(2147483648.0, 4294967296.0, 6442450944.0),
                    java.util.Arrays.stream(both.toDoubleArray()).boxed().toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void the_gradient_of_a_broadcast_leaf_sums_back_over_more_than_2_31_elements(Device d) {
        OnDevice.use(d);
        Tensor w = Tensor.of(0.5).requiresGrad_();
        w.expand((1L << 31) + 16).sum().backward();
        assertEquals((float) ((1L << 31) + 16), w.grad().item());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void shapes_whose_element_count_overflows_a_long_are_an_error_at_creation(Device d) {
        OnDevice.use(d);
        IllegalArgumentException zeros = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(1L << 32, 1L << 32));
        assertTrue(zeros.getMessage().contains("zeros") && zeros.getMessage().contains("overflow")
                && zeros.getMessage().contains("[4294967296, 4294967296]"), zeros.getMessage());
        IllegalArgumentException expand = assertThrows(IllegalArgumentException.class,
                () -> Tensor.ones(2).expand(1L << 32, 1L << 32, 2));
        assertTrue(expand.getMessage().contains("expand") && expand.getMessage().contains("overflow"),
                expand.getMessage());
        Tensor rows = Tensor.ones(1, 1).expand(1L << 32, 1);
        Tensor cols = Tensor.ones(1, 1).expand(1, 1L << 32);
        IllegalArgumentException add = assertThrows(IllegalArgumentException.class, () -> rows.add(cols));
        assertTrue(add.getMessage().contains("add") && add.getMessage().contains("overflow"), add.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.ones(2).view(-1, 1L << 62, 1L << 62));
        assertThrows(IllegalArgumentException.class, () -> Tensor.ones(4).asStrided(new long[] {1L << 62, 8},
                new long[] {0, 0}, 0));
        assertEquals(0, Tensor.zeros(1L << 31, 1L << 31, 0).numel(), "an empty shape whose count fits is fine");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void shapes_whose_byte_size_overflows_a_long_are_an_error_at_creation(Device d) {
        OnDevice.use(d);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(1L << 61, 2));
        assertTrue(e.getMessage().contains("Storage size calculation overflowed"), e.getMessage());
        IllegalArgumentException strided = assertThrows(IllegalArgumentException.class,
                () -> Tensor.ones(1).newEmptyStrided(new long[] {3, 3}, new long[] {Long.MAX_VALUE / 2, 1}));
        assertTrue(strided.getMessage().contains("overflowed"), strided.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void a_host_array_of_2_gib_reaches_the_device_and_comes_back(Device d) {
        Assumptions.assumeFalse(d.isCpu(), "4 GiB of heap for a CPU copy; HostTransfers chunks both devices alike");
        OnDevice.use(d);
        int n = 1 << 29;
        float[] data = new float[n];
        data[0] = 1;
        data[(1 << 24) - 1] = 2;
        data[1 << 24] = 3;
        data[n - 1] = 4;
        try (Tensor t = Tensor.of(data)) {
            data = null;
            assertEquals(1, t.get(0).item());
            assertEquals(2, t.get((1 << 24) - 1).item());
            assertEquals(3, t.get(1 << 24).item());
            assertEquals(4, t.get(n - 1).item());
            assertEquals(10, t.sum().item());
            float[] tail = t.asStrided(new long[] {4}, new long[] {1}, n - 4).toFloatArray();
            assertEquals(4, tail[3]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_huge_broadcast_view_prints_as_pytorch_summarises_it(Device d) {
        OnDevice.use(d);
        String suffix = d.isCpu() ? "" : ", device='" + d + "'";
        // the strings PyTorch 1.13 prints for the same tensors
        assertEquals("tensor([1., 1., 1.,  ..., 1., 1., 1.]" + suffix + ")", Tensor.ones(1).expand(1L << 31).toString());
        assertEquals("tensor([[1., 1., 1.,  ..., 1., 1., 1.],\n        [1., 1., 1.,  ..., 1., 1., 1.],\n"
                + "        [1., 1., 1.,  ..., 1., 1., 1.],\n        ...,\n        [1., 1., 1.,  ..., 1., 1., 1.],\n"
                + "        [1., 1., 1.,  ..., 1., 1., 1.],\n        [1., 1., 1.,  ..., 1., 1., 1.]]" + suffix + ")",
                Tensor.ones(1, 1).expand(65536, 65537).toString());
        if (d.isCpu()) {
            String row = "        [0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
                    + "         1.9990e+03]";
            assertEquals("tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
                    + "         1.9990e+03],\n" + row + ",\n" + row + ",\n        ...,\n" + row + ",\n" + row + ",\n"
                    + row + "])", Tensor.arange(2000).reshape(1, 2000).expand(7, 2000).mul(1).toString());
            Tensor x = Tensor.arange(6).reshape(2, 3).requiresGrad_();
            String block = "[[ 0.,  2.,  4.],\n         [ 6.,  8., 10.]]";
            assertEquals("tensor([" + block + ",\n\n        " + block + ",\n\n        " + block + ",\n\n        ...,"
                    + "\n\n        " + block + ",\n\n        " + block + ",\n\n        " + block
                    + "], grad_fn=<MulBackward0>)", x.unsqueeze(0).expand(400, 2, 3).mul(2).toString());
        }
    }
}
