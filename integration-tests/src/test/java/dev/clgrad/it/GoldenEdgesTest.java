package dev.clgrad.it;

import dev.clgrad.Tensor;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

/**
 * PyTorch 1.13 at the edges of its semantics, recorded by {@code tools/golden/record_edges.py}:
 * NaN and infinity through ops and their gradients (max/min share the gradient among NaNs, relu
 * passes it at NaN, sign is 0 at NaN and records {@code SignBackward0}), C's pow special cases,
 * saturated tanh, divisors whose square under- or overflows, and reductions over an empty dim
 * list. Every record runs on every device, forward and backward, with its {@link OpInfo} row.
 */
class GoldenEdgesTest {
    private static final List<Fixtures.Record> RECORDS = Fixtures.load("edges.txt");

    @TestFactory
    Stream<DynamicContainer> every_edge_case_matches_pytorch_on_every_device() {
        return TestDevices.all().stream().map(device -> DynamicContainer.dynamicContainer(device.name(),
                RECORDS.stream().map(r -> DynamicTest.dynamicTest(r.id() + "[" + device + "]",
                        () -> GoldenOpsTest.check(r, device)))));
    }

    @org.junit.jupiter.api.Test
    void arange_with_a_nan_step_is_an_error_as_in_pytorch() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Tensor.arange(0, 10, Double.NaN));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("step must be nonzero"), e.getMessage());
    }
}
