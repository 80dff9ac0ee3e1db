package dev.clgrad.it;

import dev.clgrad.Tensor;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * PyTorch 1.13 at the edges of its semantics, recorded by {@code tools/golden/record_edges.py}:
 * NaN and infinity through ops and their gradients (max/min share the gradient among NaNs, relu
 * passes it at NaN, sign is 0 at NaN and records {@code SignBackward0}), C's pow special cases,
 * saturated tanh, divisors whose square under- or overflows, and reductions over an empty dim
 * list. Every record runs on every device, forward and backward.
 */
class GoldenEdgesTest {
    private static final List<Fixtures.Record> RECORDS = Fixtures.load("edges.txt");

    /** Ops only these fixtures use, beside the op table's. */
    private static final Map<String, OpTable.Op> EDGE_OPS = Map.of(
            "sign", edgeOp("sign", (in, p) -> in.get(0).sign()),
            "rpow_scalar", edgeOp("rpow_scalar", (in, p) -> in.get(0).rpow(p.d("base"))),
            "sum_dims", edgeOp("sum_dims", (in, p) -> in.get(0).sum(p.ints("dims"), p.b("keepdim"))),
            "mean_dims", edgeOp("mean_dims", (in, p) -> in.get(0).mean(p.ints("dims"), p.b("keepdim"))));

    private static OpTable.Op edgeOp(String name, OpTable.Call call) {
        return new OpTable.Op(name, call, true, 1e-5, 1e-6, false);
    }

    @TestFactory
    Stream<DynamicContainer> every_edge_case_matches_pytorch_on_every_device() {
        return TestDevices.all().stream().map(device -> DynamicContainer.dynamicContainer(device.name(),
                RECORDS.stream().map(r -> DynamicTest.dynamicTest(r.id() + "[" + device + "]", () -> {
                    String name = r.get("op");
                    GoldenOpsTest.check(r, device, EDGE_OPS.containsKey(name) ? EDGE_OPS.get(name) : OpTable.get(name));
                }))));
    }

    @org.junit.jupiter.api.Test
    void arange_with_a_nan_step_is_an_error_as_in_pytorch() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Tensor.arange(0, 10, Double.NaN));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("step must be nonzero"), e.getMessage());
    }
}
