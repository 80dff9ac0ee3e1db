package dev.clgrad.cpu;

import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.HostTransfers;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.RandomOp;
import dev.clgrad.spi.ReduceOp;
import dev.clgrad.spi.View;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Timing probes behind the numbers quoted in {@link CpuParallel} and {@link MatmulKernels}; not a
 * test. Run after {@code mvn -pl cpu-fallback test-compile}, from {@code cpu-fallback/}:
 * <pre>
 * java -cp target/classes:target/test-classes:$RUNTIME_JAR dev.clgrad.cpu.CpuTimings \
 *     [small] [threshold] [big] [matmul [n]]
 * </pre>
 * {@code small}: per-call cost on 4 elements; {@code threshold}: serial against split for
 * add, sum, exp and random draws from 2^10 to 2^22 elements; {@code big}: add and sum of 2^24
 * floats; {@code matmul}: GFLOP/s of an n^3 float32 product (n = 1024 by default). Every
 * figure is a median of timed repetitions after a warm-up. On a shared host, check that two
 * busy threads really run in parallel before trusting a split-versus-serial comparison.
 */
public final class CpuTimings {
    private CpuTimings() {
    }

    /** Runs the probes named on the command line (all when none). */
    public static void main(String[] args) {
        List<String> which = args.length == 0 ? List.of("small", "threshold", "big", "matmul") : List.of(args);
        for (int i = 0; i < which.size(); i++) {
            switch (which.get(i)) {
                case "small" -> small();
                case "threshold" -> threshold();
                case "big" -> big();
                case "matmul" -> {
                    boolean sized = i + 1 < which.size() && which.get(i + 1).matches("\\d+");
                    matmul(sized ? Integer.parseInt(which.get(++i)) : 1024);
                }
                default -> throw new IllegalArgumentException("unknown probe " + which.get(i));
            }
        }
    }

    private interface Body {
        void run();
    }

    /** Median nanoseconds of one {@code body} call, timing {@code reps} calls {@code rounds} times. */
    private static double median(Body body, int reps, int rounds) {
        double[] t = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                body.run();
            }
            t[r] = (System.nanoTime() - start) / (double) reps;
        }
        Arrays.sort(t);
        return t[rounds / 2];
    }

    private static View vec(CpuBackend be, int n) {
        Buffer b = be.allocate(ElementType.FLOAT32, n);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(i);
        }
        HostTransfers.write(be, b, x);
        return new View(b, Layout.contiguous(n));
    }

    /** Per-call cost of primitives on 4 elements: the runtime's small-graph budget. */
    static void small() {
        CpuBackend be = new CpuBackend();
        View a = vec(be, 4);
        View b = vec(be, 4);
        View o = vec(be, 4);
        View s = new View(vec(be, 1).buffer(), Layout.contiguous(1));
        View row = new View(vec(be, 4).buffer(), new Layout(new long[] {2, 2}, new long[] {0, 1}, 0));
        View m = new View(o.buffer(), Layout.contiguous(2, 2));
        View m2 = new View(a.buffer(), new Layout(new long[] {2, 2}, new long[] {1, 2}, 0));
        View mm = new View(b.buffer(), Layout.contiguous(1, 2, 2));
        View mo = new View(o.buffer(), Layout.contiguous(1, 2, 2));
        for (int warm = 0; warm < 3; warm++) {
            report("small add 4", median(() -> be.elementwise(ElementwiseOp.ADD, 0, o, a, b), 200_000, 9));
            report("small exp 4", median(() -> be.elementwise(ElementwiseOp.EXP, 0, o, a), 200_000, 9));
            report("small mul_scalar 4", median(() -> be.elementwise(ElementwiseOp.MUL_SCALAR, 2, o, a), 200_000, 9));
            report("small add broadcast row 2x2", median(() -> be.elementwise(ElementwiseOp.ADD, 0, m, m2, row), 200_000, 9));
            report("small sum 4", median(() -> be.reduce(ReduceOp.SUM, a, s), 200_000, 9));
            report("small matmul 2x2", median(() -> be.matmul(mm, mm, mo), 200_000, 9));
            report("small copy 4", median(() -> be.copy(a, o), 200_000, 9));
        }
    }

    /**
     * Serial against split for add, sum and exp over growing sizes: each round times both
     * backends back to back (so drift in the machine hits both), and the figures are medians
     * of the rounds.
     */
    static void threshold() {
        int threads = Runtime.getRuntime().availableProcessors();
        CpuBackend serial = new CpuBackend(1, Long.MAX_VALUE);
        CpuBackend split = new CpuBackend(threads, 1);
        System.out.println("n, add serial us, add split us, sum serial us, sum split us, exp serial us, exp split us,"
                + " uniform serial us, uniform split us, normal serial us, normal split us");
        for (int pass = 0; pass < 2; pass++) {
            for (int log = 10; log <= 22; log++) {
                int n = 1 << log;
                View[][] v = new View[2][];
                CpuBackend[] bes = {serial, split};
                for (int k = 0; k < 2; k++) {
                    v[k] = new View[] {vec(bes[k], n), vec(bes[k], n), vec(bes[k], n), vec(bes[k], 1)};
                }
                int reps = Math.max(3, (1 << 20) / n);
                int rounds = pass == 0 ? 3 : 21;
                double[][] t = new double[10][rounds];
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < 2; k++) {
                        CpuBackend be = bes[k];
                        View[] x = v[k];
                        t[k][r] = median(() -> be.elementwise(ElementwiseOp.ADD, 0, x[2], x[0], x[1]), reps, 1) / 1e3;
                        t[2 + k][r] = median(() -> be.reduce(ReduceOp.SUM, x[0], x[3]), reps, 1) / 1e3;
                        t[4 + k][r] = median(() -> be.elementwise(ElementwiseOp.EXP, 0, x[2], x[0]), Math.max(1, reps / 16), 1) / 1e3;
                        t[6 + k][r] = median(() -> be.random(RandomOp.UNIFORM, 1, 0, x[2]), Math.max(1, reps / 16), 1) / 1e3;
                        t[8 + k][r] = median(() -> be.random(RandomOp.NORMAL, 1, 0, x[2]), Math.max(1, reps / 16), 1) / 1e3;
                    }
                }
                if (pass == 1) {
                    for (double[] row : t) {
                        Arrays.sort(row);
                    }
                    StringBuilder line = new StringBuilder("2^" + log);
                    for (double[] row : t) {
                        line.append(String.format(Locale.ROOT, ", %.2f", row[rounds / 2]));
                    }
                    System.out.println(line);
                }
            }
        }
    }

    /** add and sum over 2^24 floats, with the default backend and on one thread. */
    static void big() {
        int n = 1 << 24;
        String[] labels = {"", " (1 thread)"};
        CpuBackend[] backends = {new CpuBackend(), new CpuBackend(1, Long.MAX_VALUE)};
        for (int k = 0; k < 2; k++) {
            CpuBackend be = backends[k];
            View a = vec(be, n);
            View b = vec(be, n);
            View o = vec(be, n);
            View s = vec(be, 1);
            median(() -> be.elementwise(ElementwiseOp.ADD, 0, o, a, b), 5, 3);
            median(() -> be.reduce(ReduceOp.SUM, a, s), 5, 3);
            report("add 2^24 f32 ms" + labels[k], median(() -> be.elementwise(ElementwiseOp.ADD, 0, o, a, b), 5, 11) / 1e6);
            report("sum 2^24 f32 ms" + labels[k], median(() -> be.reduce(ReduceOp.SUM, a, s), 5, 11) / 1e6);
            be.release(a.buffer());
            be.release(b.buffer());
            be.release(o.buffer());
        }
    }

    /** GFLOP/s of an n x n x n float32 product, with the default backend and on one thread. */
    static void matmul(int n) {
        String[] labels = {"", " (1 thread)"};
        CpuBackend[] backends = {new CpuBackend(), new CpuBackend(1, Long.MAX_VALUE)};
        double flops = 2.0 * n * n * n;
        int reps = (int) Math.max(1, 2e8 / flops);
        for (int k = 0; k < 2; k++) {
            CpuBackend be = backends[k];
            View a = new View(vec(be, n * n).buffer(), Layout.contiguous(1, n, n));
            View b = new View(vec(be, n * n).buffer(), Layout.contiguous(1, n, n));
            View c = new View(vec(be, n * n).buffer(), Layout.contiguous(1, n, n));
            median(() -> be.matmul(a, b, c), reps, 5);
            double ns = median(() -> be.matmul(a, b, c), reps, 7);
            System.out.printf(Locale.ROOT, "matmul %d f32%s: %.3f ms, %.1f GFLOP/s%n", n, labels[k], ns / 1e6, flops / ns);
        }
    }

    private static void report(String what, double value) {
        System.out.printf(Locale.ROOT, "%-32s %10.3f%n", what, value);
    }
}
