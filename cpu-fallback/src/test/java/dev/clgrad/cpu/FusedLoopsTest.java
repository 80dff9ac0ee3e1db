package dev.clgrad.cpu;

import static dev.clgrad.cpu.Tensors.contiguous;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.FusedGraph;
import dev.clgrad.spi.FusionStats;
import dev.clgrad.spi.View;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated loops ({@link FusedLoops}) against the same graphs run one call per step: every
 * arithmetic op, with full and one-value operands on either side, over values that include NaN,
 * infinities, signed zeros and subnormals, compared bit for bit. A NaN is compared as a NaN: Java
 * arithmetic does not say which NaN an op returns, and C2 may commute an addition's operands, so
 * the sign and payload of a NaN are not fixed even for one loop run twice.
 */
class FusedLoopsTest {
    private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        1.0, -1.0, 0.5, 3.0, -2.75, 1e-40, -1e-310, Float.MIN_VALUE, 1e30, -7e-3, 65504.0, 1.0 / 3.0};

    /** Splits from 1 element on 2 threads, so that each loop runs as two ranges. */
    private final CpuBackend backend = new CpuBackend(2, 1);
    private final Tensors t = new Tensors(backend);

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (ElementType dt : new ElementType[] {ElementType.FLOAT32, ElementType.FLOAT64}) {
            for (ElementwiseOp op : ElementwiseOp.values()) {
                if (!FusedLoops.arithmetic(op)) {
                    continue;
                }
                for (int offset : new int[] {0, 5}) {
                    if (op.arity() == 1) {
                        out.add(Arguments.of(dt, op, "full", offset));
                    } else {
                        out.add(Arguments.of(dt, op, "full", offset));
                        if (ElementwiseKernels.withScalarLeft(op) != null) {
                            out.add(Arguments.of(dt, op, "one-value left", offset));
                        }
                        if (ElementwiseKernels.withScalarRight(op) != null) {
                            out.add(Arguments.of(dt, op, "one-value right", offset));
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} at offset {3}")
    @MethodSource("cases")
    void a_generated_loop_gives_the_bits_of_one_call_per_step(ElementType dt, ElementwiseOp op, String form,
                                                             int offset) {
        int m = SPECIAL.length;
        int n = m * m;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = SPECIAL[i % m];
            b[i] = SPECIAL[i / m];
        }
        double[] ones = form.equals("full") ? new double[] {0} : SPECIAL;
        for (double one : ones) {
            FusionStats before = FusedLoops.stats();
            double[][] fused = run(dt, op, form, offset, a, b, one, true);
            FusionStats after = FusedLoops.stats();
            assertEquals(before.kernelsBuilt() + before.cacheHits() + 1, after.kernelsBuilt() + after.cacheHits(),
                    "the graph ran as a generated loop");
            double[][] unfused = run(dt, op, form, offset, a, b, one, false);
            for (int v = 0; v < fused.length; v++) {
                for (int i = 0; i < n; i++) {
                    long e = bits(dt, unfused[v][i]);
                    long g = bits(dt, fused[v][i]);
                    if (e != g) {
                        fail(dt + " " + op + " " + form + " (one value " + one + "), stored value " + v + ", element "
                                + i + " (a = " + a[i] + ", b = " + b[i] + "): " + fused[v][i] + " from the loop, "
                                + unfused[v][i] + " unfused");
                    }
                }
            }
        }
    }

    /**
     * {@code v = op(...)} stored, then {@code w = v * 0.5 + a} stored through a chain, and an in-place
     * style final step into {@code a}'s own view; fused through the backend or one call per step.
     */
    private double[][] run(ElementType dt, ElementwiseOp op, String form, int offset, double[] a, double[] b, double one,
                           boolean fused) {
        int n = a.length;
        View va = t.make(dt, contiguous(offset, n), a);
        View vb = t.make(dt, contiguous(offset, n), b);
        View out1 = t.empty(dt, contiguous(offset, n));
        View out2 = t.empty(dt, contiguous(offset, n));
        long[] shape = {n};
        List<FusedGraph.Step> steps = new ArrayList<>();
        steps.add(new FusedGraph.Step(null, one, new int[0], true, new long[0], null)); // v0: the one value
        int[] operands = switch (form) {
            case "full" -> op.arity() == 1 ? new int[] {FusedGraph.Step.leaf(0)}
                    : new int[] {FusedGraph.Step.leaf(0), FusedGraph.Step.leaf(1)};
            case "one-value left" -> new int[] {0, FusedGraph.Step.leaf(1)};
            default -> new int[] {FusedGraph.Step.leaf(0), 0};
        };
        steps.add(new FusedGraph.Step(op, 1.75, operands, false, shape, out1)); // v1
        steps.add(new FusedGraph.Step(ElementwiseOp.MUL_SCALAR, 0.5, new int[] {1}, false, shape, null)); // v2
        steps.add(new FusedGraph.Step(ElementwiseOp.ADD, 0, new int[] {2, FusedGraph.Step.leaf(0)}, false, shape,
                out2)); // v3
        steps.add(new FusedGraph.Step(ElementwiseOp.SUB, 0, new int[] {FusedGraph.Step.leaf(0), 3}, false, shape,
                va)); // v4: written over leaf a, which the steps before read
        FusedGraph g = new FusedGraph(shape, dt, List.of(va, vb), steps);
        assertTrue(FusedLoops.eligible(g));
        if (fused) {
            backend.fused(g);
        } else {
            FusedGraph.runUnfused(backend, g);
        }
        return new double[][] {t.get(out1), t.get(out2), t.get(va)};
    }

    private static long bits(ElementType dt, double v) {
        return dt == ElementType.FLOAT32 ? Float.floatToIntBits((float) v) : Double.doubleToLongBits(v);
    }

    @Test
    void transcendental_and_ternary_ops_keep_the_rows() {
        long[] shape = {64};
        View a = t.make(ElementType.FLOAT32, contiguous(0, 64), Tensors.iota(64));
        View out = t.empty(ElementType.FLOAT32, contiguous(0, 64));
        FusedGraph exp = new FusedGraph(shape, ElementType.FLOAT32, List.of(a), List.of(
                new FusedGraph.Step(ElementwiseOp.EXP, 0, new int[] {-1}, false, shape, null),
                new FusedGraph.Step(ElementwiseOp.ADD_SCALAR, 1, new int[] {0}, false, shape, out)));
        assertFalse(FusedLoops.eligible(exp));
    }
}
