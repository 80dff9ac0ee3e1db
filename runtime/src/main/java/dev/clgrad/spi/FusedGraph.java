package dev.clgrad.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Elementwise calls evaluated as one pass over an iteration shape: what the runtime hands
 * {@link Backend#fused} when it fuses a chain or tree of {@link Backend#elementwise} and
 * {@link Backend#fill} calls. The result must be bit for bit what {@link #runUnfused} gives:
 * each step rounds to {@link #type()} as its own call would, in the same order.
 *
 * <p>Steps are in evaluation order. A "full" step computes one value per element of
 * {@link #shape()}; a "single" step ({@link Step#single()}) computes one value that full steps
 * read as a broadcast (a scalar's gradient, a mean's divisor). A step reads leaves (views in
 * memory) and earlier steps, and stores its values to {@link Step#store()} when that is not
 * null; the other steps' values are never written anywhere. A full leaf has {@link #shape()}
 * (broadcasting is a zero stride); a leaf of one element is read once. Views the graph stores
 * to are read, if at all, only through the very view stored, and no leaf overlaps a store
 * unless it is that very view (an in-place chain such as an optimizer's update).
 *
 * <p>A graph may end in a {@link Tail}: a reduction of one full step's values, which then need not
 * be stored anywhere (a loss's {@code sum()}, a softmax row's sum).
 *
 * @param shape the iteration shape of the full steps
 * @param type the element type of every step (FLOAT32 or FLOAT64)
 * @param leaves views read from memory; a WHERE condition is BOOL, the others have {@code type}
 * @param steps the ops, in evaluation order
 * @param tail the reduction that ends the graph, or null
 */
public record FusedGraph(long[] shape, ElementType type, List<View> leaves, List<Step> steps, Tail tail) {

    /** A graph without a reduction at its end. */
    public FusedGraph(long[] shape, ElementType type, List<View> leaves, List<Step> steps) {
        this(shape, type, leaves, steps, null);
    }

    /**
     * The reduction that ends a graph: {@link Backend#reduce} of full step {@code step}'s values,
     * seen as a contiguous tensor of the graph's {@link #shape()}, into {@code out}. The reduced axes
     * are trailing ones ({@code out}'s leading sizes equal the shape's, its trailing sizes are 1,
     * and at least one of those is more than 1 in the shape), and {@code out} is contiguous: so
     * output element {@code o} reduces the graph's elements {@code [o * inner, (o + 1) * inner)}
     * in row-major order, {@code inner} being {@link #innerSize()}. The result must be bit for bit
     * that of the reduce primitive over the stored values.
     *
     * @param op the reduction
     * @param step the full step reduced
     * @param out where the reduction goes; it overlaps no view the graph reads or stores
     */
    public record Tail(ReduceOp op, int step, View out) {
    }

    /** Elements each output of the {@link #tail()} reduces (the product of the reduced sizes). */
    public long innerSize() {
        return numel() / tail.out.layout().numel();
    }

    /**
     * One op of the graph.
     *
     * @param op the op, or null for a constant ({@link Backend#fill}'s value {@code scalar})
     * @param scalar the op's {@code s}, or the constant
     * @param operands one per input of {@code op}: {@code k >= 0} is step {@code k}'s value,
     *     {@code k < 0} is leaf {@code -k - 1}
     * @param single whether the step computes one value rather than one per element
     * @param stepShape the shape the step had as its own call ({@link #shape()} for a full step)
     * @param store where its values go, or null when nothing outside the graph reads them
     */
    public record Step(ElementwiseOp op, double scalar, int[] operands, boolean single, long[] stepShape,
                       View store) {
        /** The operand code of leaf {@code k}. */
        public static int leaf(int k) {
            return -k - 1;
        }
    }

    /** Element count of the iteration shape. */
    public long numel() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /**
     * A key that is equal for graphs a generated kernel can serve alike: ops, wiring, which
     * steps store, the element type, the rank and which leaves are single elements; not the
     * scalars, offsets, sizes or strides (a backend adds its own addressing mode).
     */
    public String structure() {
        StringBuilder sb = new StringBuilder(type.name()).append(':').append(shape.length);
        for (View v : leaves) {
            sb.append(v.layout().numel() == 1 ? 's' : 'f')
                    .append(v.buffer().elementType().ordinal());
        }
        for (Step s : steps) {
            sb.append('|').append(s.op == null ? "fill" : s.op.name()).append(s.single ? "1" : "")
                    .append(Arrays.toString(s.operands)).append(s.store == null ? "" : "!");
        }
        if (tail != null) {
            sb.append("|reduce_").append(tail.op.name()).append('[').append(tail.step)
                    .append(tail.out.layout().numel() == 1 ? "]all" : "]rows");
        }
        return sb.toString();
    }

    /** The graph in words, for messages and the debug log: one step per line. */
    public String describe() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s over %s, %d leaves:",
                type.pyName(), Arrays.toString(shape), leaves.size()));
        for (int k = 0; k < steps.size(); k++) {
            Step s = steps.get(k);
            List<String> args = new ArrayList<>();
            for (int o : s.operands) {
                args.add(o >= 0 ? "v" + o : "leaf" + (-o - 1));
            }
            sb.append("\n  v").append(k).append(" = ").append(s.op == null ? "fill" : s.op.name().toLowerCase(Locale.ROOT))
                    .append('(').append(String.join(", ", args));
            if (s.op == null || s.op.name().endsWith("SCALAR") || s.op == ElementwiseOp.ADDCMUL
                    || s.op == ElementwiseOp.ADDCDIV || s.op == ElementwiseOp.CLAMP_MIN
                    || s.op == ElementwiseOp.CLAMP_MAX || s.op == ElementwiseOp.LEAKY_RELU) {
                sb.append(args.isEmpty() ? "" : ", ").append("s=").append(s.scalar);
            }
            sb.append(')').append(s.single ? " once" : "").append(s.store != null ? " -> stored" : "");
        }
        if (tail != null) {
            sb.append("\n  then ").append(tail.op.name().toLowerCase(Locale.ROOT)).append("(v").append(tail.step)
                    .append(") -> ").append(Arrays.toString(tail.out.layout().shape()));
        }
        return sb.toString();
    }

    /**
     * Evaluates the graph one primitive call per step, with temporaries for the steps that do
     * not store (and for the step a tail reduces, when it does not store): the meaning of
     * {@link Backend#fused}, and its default.
     */
    public static void runUnfused(Backend backend, FusedGraph g) {
        Tail tail = g.tail;
        int n = g.steps.size();
        View[] at = new View[n];
        List<Buffer> temporaries = new ArrayList<>();
        try {
            for (int k = 0; k < n; k++) {
                Step s = g.steps.get(k);
                long[] shape = s.stepShape;
                if (s.store != null) {
                    at[k] = s.store;
                } else {
                    long count = 1;
                    for (long d : shape) {
                        count *= d;
                    }
                    Buffer b = backend.allocate(g.type, Math.max(1, count));
                    temporaries.add(b);
                    at[k] = new View(b, Layout.contiguous(shape));
                }
                if (s.op == null) {
                    backend.fill(at[k], s.scalar);
                    continue;
                }
                View[] in = new View[s.operands.length];
                for (int a = 0; a < in.length; a++) {
                    int o = s.operands[a];
                    in[a] = o < 0 ? g.leaves.get(-o - 1) : shaped(at[o], g.steps.get(o), shape);
                }
                backend.elementwise(s.op, s.scalar, at[k], in);
            }
            if (tail != null) {
                backend.reduce(tail.op, at[tail.step], tail.out);
            }
        } finally {
            temporaries.forEach(backend::release);
        }
    }

    /**
     * Runs the graph without its tail through {@link Backend#fused}, storing the reduced step (to
     * a temporary when it does not store), then the tail as a reduce call: what a backend does with
     * a tail its fused kernels do not take.
     */
    public static void runTailApart(Backend backend, FusedGraph g) {
        Step reduced = g.steps.get(g.tail.step);
        Buffer temporary = null;
        View values = reduced.store;
        if (values == null) {
            temporary = backend.allocate(g.type, g.numel());
            values = new View(temporary, Layout.contiguous(g.shape));
        }
        try {
            List<Step> steps = new ArrayList<>(g.steps);
            steps.set(g.tail.step, new Step(reduced.op, reduced.scalar, reduced.operands, false, reduced.stepShape,
                    values));
            FusedGraph head = new FusedGraph(g.shape, g.type, g.leaves, steps);
            if (steps.size() == 1) {
                runUnfused(backend, head); // one op: its own call
            } else {
                backend.fused(head);
            }
            backend.reduce(g.tail.op, values, g.tail.out);
        } finally {
            if (temporary != null) {
                backend.release(temporary);
            }
        }
    }

    /** Step {@code from}'s values seen with {@code shape}: itself, or its one value broadcast. */
    private static View shaped(View v, Step from, long[] shape) {
        if (Arrays.equals(from.stepShape, shape)) {
            return v;
        }
        return new View(v.buffer(), new Layout(shape, new long[shape.length], v.layout().offset()));
    }
}
