package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random elementwise graphs give the same bits with fusion on and off: each graph is built twice
 * from one seed, once with {@link Device#setFusing} on and once off, and every value the
 * program keeps is compared element by element (NaNs of any payload are equal).
 *
 * <p>A graph: two to four leaves (some transposed) whose shapes broadcast to one shape of rank 1 to 3, then up to
 * 12 ops drawn from the fusable unary, scalar, binary and ternary ops, in-place updates and a few
 * that are not fusable (comparisons, copies), and reductions (full, along the last axis, softmax)
 * that may end a fused chain, on any earlier value; some intermediates
 * are then closed unread, the rest read. Float32 and float64. On the CPU device the shapes hold at
 * least 32768 elements, where its calls start to be deferred.
 *
 * <p>{@code -Dclgrad.fusion.graphs=N} sets the graphs per device and dtype (default 60 on OpenCL,
 * where each new structure compiles a program, and 150 on the CPU), {@code .cpu} or {@code .opencl}
 * appended for one kind of device only; {@code -Dclgrad.fusion.seed} the first seed.
 */
@ExtendWith(OnDevice.class)
class FusionPropertyTest {
    private static final Logger LOG = LoggerFactory.getLogger(FusionPropertyTest.class);
    private static final String DEVICES = "dev.clgrad.it.OnDevice#devices";

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void random_elementwise_graphs_give_the_same_bits_fused_and_unfused(Device d) {
        OnDevice.use(d);
        int graphs = Integer.getInteger("clgrad.fusion.graphs." + (d.isCpu() ? "cpu" : "opencl"),
                Integer.getInteger("clgrad.fusion.graphs", d.isCpu() ? 150 : 60));
        compare(d, graphs, Long.getLong("clgrad.fusion.seed", 20261203L), false);
    }

    /**
     * Graphs of plain arithmetic only (scalar and binary IEEE ops, negation, sqrt, abs, relu,
     * maxima, minima, in-place updates), mostly on whole-shape leaves with zeros among their values:
     * on the CPU these run as generated loops ({@code FusedLoops}), which must give the rows' bits.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void random_arithmetic_graphs_give_the_same_bits_fused_and_unfused(Device d) {
        OnDevice.use(d);
        long builtBefore = d.counters().kernelsBuilt();
        int graphs = Integer.getInteger("clgrad.fusion.arithmeticGraphs", d.isCpu() ? 100 : 30);
        compare(d, graphs, Long.getLong("clgrad.fusion.seed", 20261204L), true);
        assertTrue(d.counters().kernelsBuilt() > builtBefore, "kernels were generated on " + d);
    }

    private static void compare(Device d, int graphs, long seed0, boolean arithmetic) {
        boolean was = d.fusing();
        Device.Counters before = d.counters();
        long fusedBefore = before.fusedKernels();
        int compared = 0;
        // build every structure at once: by default a kernel is built the second time its graph runs
        System.setProperty("clgrad.fusion.compileAfter", "1");
        try {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int g = 0; g < graphs; g++) {
                    long seed = graphs == 1 ? seed0 : seed0 + g * 7919L + dtype.ordinal();
                    d.setFusing(true);
                    List<double[]> fused = run(d, dtype, seed, arithmetic);
                    d.setFusing(false);
                    List<double[]> unfused = run(d, dtype, seed, arithmetic);
                    assertEquals(unfused.size(), fused.size());
                    for (int v = 0; v < fused.size(); v++) {
                        assertSameBits(unfused.get(v), fused.get(v), dtype, "graph seed " + seed
                                + (arithmetic ? " (arithmetic)" : "") + " on " + d + ", kept value " + v
                                + "; rerun with -Dclgrad.fusion.seed and -Dclgrad.fusion.debug=true");
                        compared++;
                    }
                }
            }
        } finally {
            d.setFusing(was);
            System.clearProperty("clgrad.fusion.compileAfter");
        }
        long fusedKernels = d.counters().fusedKernels() - fusedBefore;
        Device.Counters after = d.counters();
        LOG.info("{}: {} {}graphs per dtype, {} kept values compared, {} fused kernels run ({} built, {} cache hits)",
                d, graphs, arithmetic ? "arithmetic " : "", compared, fusedKernels,
                after.kernelsBuilt() - before.kernelsBuilt(), after.kernelCacheHits() - before.kernelCacheHits());
        assertTrue(fusedKernels >= graphs, "the graphs fused: " + fusedKernels + " fused kernels on " + d);
    }

    /** Builds graph {@code seed} and returns every value it keeps, as doubles. */
    static List<double[]> run(Device d, DType dtype, long seed, boolean arithmetic) {
        Random r = new Random(seed);
        long[] shape = shape(r, d.isCpu());
        List<double[]> out = new ArrayList<>();
        try (TensorScope scope = TensorScope.open()) {
            Tensor.manualSeed(seed);
            List<Tensor> pool = new ArrayList<>();
            int leaves = 2 + r.nextInt(3);
            for (int k = 0; k < leaves; k++) {
                long[] s = arithmetic && r.nextInt(4) > 0 ? shape.clone() : broadcastOf(r, shape);
                if (arithmetic && r.nextBoolean()) {
                    // zeros (and, negated, signed zeros; divided, infinities and NaNs) among the values
                    pool.add(Tensor.randn(s).to(dtype).mul(2).relu());
                    continue;
                }
                if (s.length >= 2 && r.nextInt(4) == 0) {
                    // a transposed leaf: strided, not dense
                    long[] t = s.clone();
                    t[s.length - 2] = s[s.length - 1];
                    t[s.length - 1] = s[s.length - 2];
                    pool.add(Tensor.randn(t).to(dtype).mul(2).transpose(s.length - 2, s.length - 1));
                } else {
                    pool.add(Tensor.randn(s).to(dtype).mul(2));
                }
            }
            List<Tensor> made = new ArrayList<>();
            int depth = 1 + r.nextInt(12);
            for (int s = 0; s < depth; s++) {
                Tensor t = arithmetic ? arithmeticStep(r, pool) : step(r, pool);
                pool.add(t);
                made.add(t);
            }
            // drop some intermediates unread: fused, they are never stored
            for (Tensor t : made.subList(0, made.size() - 1)) {
                if (r.nextInt(3) == 0 && !t.isClosed()) {
                    t.close();
                }
            }
            for (Tensor t : pool) {
                if (!t.isClosed()) {
                    out.add(t.toDoubleArray());
                }
            }
        }
        return out;
    }

    private static Tensor step(Random r, List<Tensor> pool) {
        return step(r, pool, -1);
    }

    /** Step {@code kind} of the cases below, or a random one when it is negative. */
    private static Tensor step(Random r, List<Tensor> pool, int kind) {
        Tensor a = pick(r, pool);
        Tensor b = pick(r, pool);
        Tensor c = pick(r, pool);
        double s = Math.round((r.nextDouble() * 6 - 3) * 8) / 8.0;
        return switch (kind < 0 ? r.nextInt(41) : kind) {
            case 0 -> a.neg();
            case 1 -> a.exp();
            case 2 -> a.abs().add(0.5).log();
            case 3 -> a.abs().sqrt();
            case 4 -> a.sin();
            case 5 -> a.cos();
            case 6 -> a.tanh();
            case 7 -> a.sigmoid();
            case 8 -> a.relu();
            case 9 -> a.sign();
            case 10 -> a.abs().log1p();
            case 11 -> a.expm1();
            case 12 -> a.erf();
            case 13 -> a.gelu();
            case 14 -> a.add(s);
            case 15 -> a.mul(s);
            case 16 -> a.rsub(s);
            case 17 -> a.div(s == 0 ? 0.75 : s);
            case 18 -> a.rdiv(s);
            case 19 -> a.abs().pow(s);
            case 20 -> a.clampMin(s);
            case 21 -> a.clamp(-Math.abs(s) - 0.5, Math.abs(s) + 0.5);
            case 22 -> a.leakyRelu(0.125);
            case 23 -> a.add(b);
            case 24 -> a.sub(b);
            case 25 -> a.mul(b);
            case 26 -> a.div(b);
            case 27 -> a.abs().pow(b);
            case 28 -> a.maximum(b);
            case 29 -> a.minimum(b);
            case 30 -> Tensor.where(a.gt(b), b, c);
            case 31 -> inPlace(r, a, b, c, s);
            case 32 -> a.add(b.sum());
            // reductions that can end a fused chain: full, along the last axis, max, min, mean
            case 33 -> a.add(b.mul(c).sum(-1, true));
            case 34 -> a.sub(b.add(s).amax(new int[] {-1}, true));
            case 35 -> a.mul(b.sub(c).mean());
            case 36 -> b.mul(s).softmax(-1);
            case 37 -> a.add(b.exp().sum(-1, true).log());
            case 38 -> a.add(b.abs().max()).sub(c.neg().min());
            case 39 -> a.add(b.mul(0.5).amin(new int[] {-1}, true)).add(c.sum(-1, true).mean());
            default -> a.mul(b.contiguous()).sub(c);
        };
    }

    /** The cases of {@link #step} that are plain arithmetic. */
    private static final int[] ARITHMETIC = {0, 3, 8, 14, 15, 16, 17, 18, 23, 24, 25, 26, 28, 29, 31, 32, 35, 40};

    private static Tensor arithmeticStep(Random r, List<Tensor> pool) {
        return step(r, pool, ARITHMETIC[r.nextInt(ARITHMETIC.length)]);
    }

    /** An in-place update of a fresh copy, as an optimizer makes: addcmul_, addcdiv_, mul_, add_. */
    private static Tensor inPlace(Random r, Tensor a, Tensor b, Tensor c, double s) {
        Tensor t = a.mul(1.0);
        if (!java.util.Arrays.equals(t.shape(), b.shape()) || !java.util.Arrays.equals(t.shape(), c.shape())) {
            return t.mul_(s).add_(b.mul(0.5).sum());
        }
        return switch (r.nextInt(3)) {
            case 0 -> t.addcmul_(b, c, s);
            case 1 -> t.addcdiv_(b, c.abs().add(1), s);
            default -> t.mul_(s).add_(b);
        };
    }

    private static Tensor pick(Random r, List<Tensor> pool) {
        // later values more often, so that chains grow deep
        int n = pool.size();
        int i = r.nextBoolean() ? n - 1 - r.nextInt(Math.min(n, 3)) : r.nextInt(n);
        return pool.get(i);
    }

    private static long[] shape(Random r, boolean large) {
        int rank = 1 + r.nextInt(3);
        long[] s = new long[rank];
        long n = 1;
        for (int k = 0; k < rank; k++) {
            s[k] = large ? 16 + r.nextInt(48) : 1 + r.nextInt(7);
            n *= s[k];
        }
        if (large && n < 32768) {
            s[rank - 1] = (32768 + n / s[rank - 1] - 1) / (n / s[rank - 1]);
        }
        return s;
    }

    /** {@code shape} with some sizes set to 1 (or dropped in front), so that it broadcasts. */
    private static long[] broadcastOf(Random r, long[] shape) {
        if (r.nextInt(3) == 0) {
            return shape.clone();
        }
        int drop = r.nextInt(shape.length);
        long[] s = java.util.Arrays.copyOfRange(shape, drop, shape.length);
        for (int k = 0; k < s.length; k++) {
            if (r.nextInt(3) == 0) {
                s[k] = 1;
            }
        }
        return s;
    }

    private static void assertSameBits(double[] expected, double[] actual, DType dtype, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            boolean same = dtype == DType.FLOAT32
                    ? Float.floatToIntBits((float) expected[i]) == Float.floatToIntBits((float) actual[i])
                    : Double.doubleToLongBits(expected[i]) == Double.doubleToLongBits(actual[i]);
            if (!same) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + " fused but " + expected[i]
                        + " unfused");
            }
        }
    }
}
