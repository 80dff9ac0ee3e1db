package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential fuzzing: random op graphs over random shapes, layouts (contiguous, transposed,
 * broadcast, strided) and broadcasts, run forward and backward on the CPU backend in float32
 * and float64 and on every OpenCL device, compared against CPU float64. jqwik shrinks a failing
 * graph to a minimal one. The default run tries 300 graphs ({@code junit-platform.properties});
 * a long run sets {@code -DargLine=-Djqwik.tries.default=20000}.
 */
class DifferentialFuzzTest {
    /**
     * The ops a step can apply; a step's {@code arg} picks dims and scalars. {@code UNARY_OPINFO}
     * applies the unary {@link OpInfo} row number {@code arg} (modulo their count) to its input
     * squashed into the row's domain, so every new unary op is fuzzed without an edit here.
     */
    enum Op { NEG, TANH, SIGMOID, SIN, COS, RELU, ABS, EXP_TANH, SQUARE, ADD, SUB, MUL, SAFE_DIV, MUL_SCALAR,
        ADD_SCALAR, SUM_DIM, MEAN_DIM, TRANSPOSE, BROADCAST_DIM, FLATTEN, MATMUL, WHERE_GT, MAXIMUM_VIA_WHERE,
        UNARY_OPINFO, SOFTMAX, LOG_SOFTMAX, LOGSUMEXP, AMAX, MAX_DIM, MAXIMUM, CLAMP, VAR, GATHER_ARGMAX, CAT_SELF,
        NARROW, MASKED_FILL, INT_ROUND_TRIP, BOOL_MASK_MUL, CROSS_ENTROPY }

    private static final List<OpInfo> UNARY = OpInfos.of(OpInfo.Family.UNARY);

    /** How a leaf is laid out in memory. */
    enum Layout { CONTIGUOUS, TRANSPOSED, EXPANDED, STRIDED }

    record Step(Op op, int arg) {
    }

    record Program(long[] shape, Layout layout, int yMask, List<Step> steps, long seed) {
        @Override
        public String toString() {
            return "shape " + Arrays.toString(shape) + " " + layout + " yMask " + yMask + " steps " + steps + " seed "
                    + seed;
        }
    }

    /** What a run produced: the output, the loss and the gradients of both leaves. */
    record Result(long[] shape, double[] out, double loss, double[] gx, double[] gy) {
    }

    @Provide
    Arbitrary<Program> programs() {
        Arbitrary<long[]> shapes = Arbitraries.longs().between(1, 4).array(long[].class).ofMinSize(1).ofMaxSize(3);
        Arbitrary<Step> steps = Combinators.combine(Arbitraries.of(Op.class), Arbitraries.integers().between(0, 63))
                .as(Step::new);
        return Combinators.combine(shapes, Arbitraries.of(Layout.class), Arbitraries.integers().between(0, 7),
                steps.list().ofMinSize(1).ofMaxSize(7), Arbitraries.longs()).as(Program::new);
    }

    @Property
    void random_graphs_agree_across_devices_and_dtypes(@ForAll("programs") Program p) {
        Result ref = run(p, Device.cpu(), DType.FLOAT64);
        compare(p, "cpu float32", ref, run(p, Device.cpu(), DType.FLOAT32), 2e-4);
        for (Device d : TestDevices.openCL()) {
            compare(p, d + " float32", ref, run(p, d, DType.FLOAT32), 2e-4);
            if (d.info().supportsFloat64()) {
                compare(p, d + " float64", ref, run(p, d, DType.FLOAT64), 1e-9);
            }
        }
    }

    static Result run(Program p, Device d, DType dtype) {
        long[] shape = p.shape();
        Random rnd = new Random(p.seed());
        Tensor xBase = leaf(baseShape(shape, p.layout()), rnd, d, dtype);
        long[] yShape = shape.clone();
        for (int k = 0; k < yShape.length; k++) {
            if ((p.yMask() & (1 << k)) != 0) {
                yShape[k] = 1;
            }
        }
        Tensor yBase = leaf(yShape, rnd, d, dtype);
        Tensor x = view(xBase, shape, p.layout());
        Tensor t = x;
        for (Step s : p.steps()) {
            t = apply(s, t, yBase, d, dtype);
        }
        Tensor loss = t.sum();
        loss.backward();
        return new Result(t.shape(), t.toDoubleArray(), loss.item(), grad(xBase), grad(yBase));
    }

    private static double[] grad(Tensor leaf) {
        return leaf.grad() == null ? new double[0] : leaf.grad().toDoubleArray();
    }

    private static Tensor leaf(long[] shape, Random rnd, Device d, DType dtype) {
        int n = 1;
        for (long s : shape) {
            n *= (int) s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextDouble() * 4 - 2;
        }
        return Tensor.of(v, dtype, d, shape).requiresGrad_();
    }

    /** The shape of the leaf whose view of {@code layout} has {@code shape}. */
    private static long[] baseShape(long[] shape, Layout layout) {
        long[] b = shape.clone();
        switch (layout) {
            case TRANSPOSED -> {
                if (b.length >= 2) {
                    long tmp = b[0];
                    b[0] = b[b.length - 1];
                    b[b.length - 1] = tmp;
                }
            }
            case EXPANDED -> b[0] = 1;
            case STRIDED -> b[b.length - 1] = 2 * b[b.length - 1];
            default -> {
            }
        }
        return b;
    }

    private static Tensor view(Tensor base, long[] shape, Layout layout) {
        return switch (layout) {
            case CONTIGUOUS -> base;
            case TRANSPOSED -> shape.length >= 2 ? base.transpose(0, shape.length - 1) : base;
            case EXPANDED -> base.expand(shape);
            case STRIDED -> {
                long[] strides = base.stride();
                strides[strides.length - 1] *= 2;
                yield base.asStrided(shape, strides, 1);
            }
        };
    }

    private static Tensor apply(Step s, Tensor t, Tensor y, Device d, DType dtype) {
        int a = s.arg();
        Tensor other = broadcasts(y.shape(), t.shape()) ? y : y.sum();
        return switch (s.op()) {
            case NEG -> t.neg();
            case TANH -> t.tanh();
            case SIGMOID -> t.sigmoid();
            // periodic ops get a bounded argument: sin of a large value turns float32 rounding into
            // O(1) differences, which says nothing about the backends
            case SIN -> t.tanh().mul(3).sin();
            case COS -> t.tanh().mul(3).cos();
            case RELU -> t.relu();
            case ABS -> t.abs();
            case EXP_TANH -> t.tanh().exp();
            case SQUARE -> t.pow(2);
            case ADD -> t.add(other);
            case SUB -> other.sub(t);
            case MUL -> t.mul(other);
            case SAFE_DIV -> t.div(other.mul(other).add(1));
            case MUL_SCALAR -> t.mul((a % 7 - 3) * 0.5);
            case ADD_SCALAR -> t.add((a % 5) - 2.5);
            case SUM_DIM -> t.dim() == 0 ? t : t.sum(a % t.dim(), (a & 8) != 0);
            case MEAN_DIM -> t.dim() == 0 ? t : t.mean(a % t.dim(), (a & 8) != 0);
            case TRANSPOSE -> t.dim() < 2 ? t : t.transpose(a % t.dim(), (a / 4) % t.dim());
            case BROADCAST_DIM -> {
                if (t.dim() >= 4) {
                    yield t;
                }
                long[] sizes = new long[t.dim() + 1];
                Arrays.fill(sizes, -1);
                int at = a % (t.dim() + 1);
                sizes[at] = 2;
                yield t.unsqueeze(at).expand(sizes);
            }
            case FLATTEN -> t.reshape(-1);
            case MATMUL -> {
                if (t.dim() == 0) {
                    yield t;
                }
                long k = t.size(-1);
                Tensor w = Tensor.of(weights(k * 2), dtype, d, k, 2);
                yield t.matmul(w);
            }
            // compared against other + 1/16: maximum(x, y) and a mean of it can equal y exactly, and
            // such a tie is broken by each dtype's rounding differently (found by jqwik seed
            // 4741577831087292476, sample seed 12)
            case WHERE_GT -> dev.clgrad.Torch.where(t.gt(other.add(0.0625)), t, other.mul(0.5));
            case MAXIMUM_VIA_WHERE -> dev.clgrad.Torch.where(t.ge(0.25), t.mul(2), t);
            case SOFTMAX -> t.dim() == 0 ? t : t.softmax(a % t.dim());
            case LOG_SOFTMAX -> t.dim() == 0 ? t : t.logSoftmax(a % t.dim());
            case LOGSUMEXP -> t.dim() == 0 ? t : t.logsumexp(a % t.dim(), (a & 8) != 0);
            case AMAX -> t.dim() == 0 ? t : t.amax(new int[] {a % t.dim()}, (a & 8) != 0);
            case MAX_DIM -> t.dim() == 0 ? t : t.max(a % t.dim(), (a & 8) != 0).values();
            case MAXIMUM -> t.maximum(other);
            case CLAMP -> t.clamp(-0.5, 0.75);
            case VAR -> t.dim() == 0 || t.shape()[a % t.dim()] < 2 ? t : t.var(a % t.dim(), true);
            case GATHER_ARGMAX -> {
                // the value at each row's argmax, picked by gather: int64 indices in the graph
                if (t.dim() == 0) {
                    yield t;
                }
                int dim = a % t.dim();
                yield t.gather(dim, t.argmax(dim, true));
            }
            case CAT_SELF -> t.dim() == 0 ? t : Tensor.cat(java.util.List.of(t, t.mul(0.5)), a % t.dim());
            case NARROW -> t.dim() == 0 || t.shape()[a % t.dim()] < 2 ? t
                    : t.narrow(a % t.dim(), 1, t.shape()[a % t.dim()] - 1);
            case MASKED_FILL -> t.maskedFill(t.gt(0.5), -0.25);
            // a detour through integers: the values round to int64 and back; no gradient flows there
            case INT_ROUND_TRIP -> t.add(t.mul(4).to(DType.INT64).to(t.dtype()).mul(0.01).detach());
            case BOOL_MASK_MUL -> t.mul(t.lt(0).logicalNot());
            case CROSS_ENTROPY -> {
                if (t.dim() != 2) {
                    yield t;
                }
                Tensor labels = t.detach().argmin(1, false);
                yield dev.clgrad.nn.Functional.crossEntropy(t, labels, dev.clgrad.nn.Reduction.NONE, -100, 0);
            }
            case UNARY_OPINFO -> {
                OpInfo op = UNARY.get(a % UNARY.size());
                yield op.call().apply(List.of(into(op.domain(0), t)), new OpInfo.Params(Map.of()));
            }
        };
    }

    /** {@code t} squashed smoothly into {@code domain} (values stay bounded, as for sin and cos above). */
    private static Tensor into(Domain domain, Tensor t) {
        return switch (domain) {
            case POSITIVE -> t.tanh().add(1.5);
            case NONZERO -> t.tanh().pow(2).add(0.5);
            case ANY, STEPS, UNIT -> t.tanh().mul(2);
            case CLASSES, MASK -> throw new IllegalArgumentException("unary rows take float inputs, not " + domain);
        };
    }

    private static double[] weights(long n) {
        double[] w = new double[(int) n];
        for (int i = 0; i < n; i++) {
            w[i] = ((i * 37) % 11 - 5) * 0.1;
        }
        return w;
    }

    private static boolean broadcasts(long[] from, long[] to) {
        if (from.length > to.length) {
            return false;
        }
        int lead = to.length - from.length;
        for (int k = 0; k < from.length; k++) {
            if (from[k] != 1 && from[k] != to[lead + k]) {
                return false;
            }
        }
        return true;
    }

    private static void compare(Program p, String what, Result ref, Result got, double tol) {
        List<String> problems = new ArrayList<>();
        if (!Arrays.equals(ref.shape(), got.shape())) {
            problems.add("shape " + Arrays.toString(got.shape()) + " vs " + Arrays.toString(ref.shape()));
        } else {
            close("output", ref.out(), got.out(), tol, problems);
            close("loss", new double[] {ref.loss()}, new double[] {got.loss()}, tol, problems);
            close("grad x", ref.gx(), got.gx(), tol, problems);
            close("grad y", ref.gy(), got.gy(), tol, problems);
        }
        if (!problems.isEmpty()) {
            fail(what + " differs from cpu float64 for " + p + ": " + String.join("; ", problems));
        }
    }

    /** Element-wise within {@code tol} relative to the larger of 1 and the reference's largest magnitude. */
    private static void close(String name, double[] ref, double[] got, double tol, List<String> problems) {
        if (ref.length != got.length) {
            problems.add(name + ": " + got.length + " values vs " + ref.length);
            return;
        }
        double scale = 1;
        for (double v : ref) {
            if (Double.isFinite(v)) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < ref.length; i++) {
            double e = ref[i];
            double g = got[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(g) : Double.isInfinite(e) ? e == g
                    : Math.abs(g - e) <= tol * scale;
            if (!ok) {
                problems.add(name + "[" + i + "]: " + g + " vs " + e);
                return;
            }
        }
    }
}
