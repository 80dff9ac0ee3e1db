package dev.clgrad.opencl;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.HostTransfers;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.Philox;
import dev.clgrad.spi.RandomOp;
import dev.clgrad.spi.View;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The OpenCL random kernels ({@code random.cl}) against the Java specification
 * {@link Philox#fill}, bit for bit, on every OpenCL device present: long draws for a few seeds
 * and offsets, and short draws at counter groups whose words reach the rare branches of the
 * fdlibm log, sin and cos that NORMAL uses.
 *
 * <p>A missing device is a skip, or a failure under {@code -Dclgrad.requireOpenCL=true}.
 */
class ClPhiloxTest {
    /** Not a multiple of 4, so the last counter group is partly used. */
    private static final int LONG_DRAW = 1_000_003;
    /** Elements per short draw: one counter group of NORMAL. */
    private static final int SHORT_DRAW = 4;
    private static final RandomOp[] OPS = {RandomOp.UNIFORM, RandomOp.NORMAL};
    private static final ElementType[] DTYPES = {ElementType.FLOAT32, ElementType.FLOAT64};

    /** A draw's key and starting counter group. */
    private record Draw(long seed, long offset) {
    }

    private static final List<Draw> LONG_DRAWS = List.of(
            new Draw(0L, 0L),
            new Draw(42L, 12_345L),
            // both key words set, and the counter's low word wraps inside the draw
            new Draw(0xDEADBEEFCAFEF00DL, (1L << 32) - 100_000L));

    /**
     * A counter group under seed {@link #RARE_SEED} whose word {@code word} is {@code value}
     * (found by searching the stream), which sends a Box-Muller pair down a branch that random
     * draws of test size almost never reach. The test first checks the word, so a wrong fixture
     * fails rather than silently testing nothing.
     */
    private record RareGroup(String branch, long group, int word, int value) {
    }

    private static final long RARE_SEED = 1234L;
    private static final List<RareGroup> RARE_GROUPS = List.of(
            new RareGroup("log of u1 = 1: exactly 0, radius 0", 1_762_090_123L, 2, 0xffffffff),
            new RareGroup("log of u1 = 1/2: f = 0, k = -1", 191_208_830L, 2, 0x7fffffff),
            new RareGroup("log of u1 = 2^-32: the largest radius", 447_259_405L, 0, 0x00000000),
            new RareGroup("log of u1 in [1 - 2^-20, 1): series for tiny f, k = 0", 4_632_324L, 2, 0xfffff277),
            new RareGroup("log of u1 just above 2^-2: series for tiny f, k != 0", 4_209_602L, 0, 0x3ffffeb2),
            new RareGroup("sin/cos of t = 0", 4_789_216_433L, 1, 0x00000000),
            new RareGroup("sin/cos of t < 2^-27: sin t = t, cos t = 1", 112_165_353L, 1, 0x00000002),
            new RareGroup("sin/cos of t within 2^-20 of pi/2: pi/2 in 33 + 33 + 53 bits", 5_779_159L, 1, 0x400000a9),
            new RareGroup("sin/cos of t near pi: second reduction step", 5_009_218L, 3, 0x7ffffed2),
            new RareGroup("sin/cos of t near 3 pi/2: second reduction step", 4_685_465L, 1, 0xc000015e),
            new RareGroup("sin/cos of t just below 2 pi: second reduction step", 1_965_155L, 1, 0xffffffd4),
            new RareGroup("sin/cos of t = fl(pi): third reduction step", 34_041_030L, 1, 0x80000000),
            new RareGroup("sin/cos of t nearest 3 pi/2: third reduction step", 4_194_558_222L, 1, 0xc0000000));

    private static List<Backend> backends;
    private static RuntimeException noDevice;
    private static Error noDeviceRequired;

    /**
     * The devices, opened on first use inside a test factory, so that a missing device shows as
     * a skipped test in the report (an abort in {@code @BeforeAll} would count as no test at all).
     */
    private static synchronized List<Backend> backends() {
        if (noDevice != null) {
            throw noDevice;
        }
        if (noDeviceRequired != null) {
            throw noDeviceRequired;
        }
        if (backends == null) {
            try {
                backends = ClTestDevices.open(null, "random.cl");
            } catch (RuntimeException e) {
                noDevice = e;
                throw e;
            } catch (Error e) {
                noDeviceRequired = e;
                throw e;
            }
        }
        return backends;
    }

    @AfterAll
    static void close_the_devices() throws Exception {
        for (Backend b : backends == null ? List.<Backend>of() : backends) {
            if (b instanceof AutoCloseable c) {
                c.close();
            }
        }
    }

    @TestFactory
    List<DynamicTest> long_draws_are_bit_identical_to_the_java_specification() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Backend backend : backends()) {
            for (Draw s : LONG_DRAWS) {
                for (RandomOp op : OPS) {
                    for (ElementType dtype : DTYPES) {
                        String name = op + " " + dtype + " seed=" + Long.toHexString(s.seed()) + " offset=" + s.offset()
                                + " n=" + LONG_DRAW + " [" + backend.info().name() + "]";
                        tests.add(DynamicTest.dynamicTest(name,
                                () -> assertMatchesSpecification(backend, op, dtype, s, LONG_DRAW)));
                    }
                }
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> normal_draws_are_bit_identical_at_the_rare_branches_of_log_sin_and_cos() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Backend backend : backends()) {
            for (RareGroup g : RARE_GROUPS) {
                for (ElementType dtype : DTYPES) {
                    tests.add(DynamicTest.dynamicTest(g.branch() + " " + dtype + " [" + backend.info().name() + "]", () -> {
                        int[] words = new int[4];
                        Philox.block(new int[] {(int) g.group(), (int) (g.group() >>> 32), 0, 0},
                                (int) RARE_SEED, (int) (RARE_SEED >>> 32), words);
                        assertEquals(g.value(), words[g.word()], "fixture: word " + g.word() + " of group " + g.group());
                        assertMatchesSpecification(backend, RandomOp.NORMAL, dtype, new Draw(RARE_SEED, g.group()),
                                SHORT_DRAW);
                    }));
                }
            }
        }
        return tests;
    }

    private static void assertMatchesSpecification(Backend backend, RandomOp op, ElementType dtype, Draw s, int n) {
        Assumptions.assumeTrue(dtype != ElementType.FLOAT64 || backend.info().supportsFloat64(),
                backend.info().name() + " has no float64");
        double[] expected = new double[n];
        Philox.fill(op, dtype, s.seed(), s.offset(), 0, expected);
        double[] actual = draw(backend, op, dtype, s, n);
        int mismatches = 0;
        int first = -1;
        for (int i = 0; i < n; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                mismatches++;
                first = first < 0 ? i : first;
            }
        }
        if (mismatches > 0) {
            fail(mismatches + " of " + n + " elements differ from Philox.fill; the first is element " + first
                    + ": expected " + expected[first] + " but was " + actual[first]);
        }
    }

    private static double[] draw(Backend backend, RandomOp op, ElementType dtype, Draw s, int n) {
        Buffer buffer = backend.allocate(dtype, n);
        try {
            backend.random(op, s.seed(), s.offset(), new View(buffer, Layout.contiguous(new long[] {n})));
            double[] values = new double[n];
            if (dtype == ElementType.FLOAT64) {
                HostTransfers.read(backend, buffer, 0, values);
            } else {
                float[] f = new float[n];
                HostTransfers.read(backend, buffer, 0, f);
                for (int i = 0; i < n; i++) {
                    values[i] = f[i];
                }
            }
            return values;
        } finally {
            backend.release(buffer);
        }
    }
}
