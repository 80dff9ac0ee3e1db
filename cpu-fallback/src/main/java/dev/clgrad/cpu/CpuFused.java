package dev.clgrad.cpu;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.FusedGraph;
import dev.clgrad.spi.View;

import java.util.List;

/**
 * A fused graph evaluated in blocks that stay in the cache (numexpr's way): for each block of
 * {@link #BLOCK} elements the leaves are copied in, every step runs over the block with the same
 * row loops its own call would use ({@link ElementwiseF32#row}, {@link ElementwiseF64#row}), and
 * the stored steps are copied out. So each array in memory is read or written once per graph
 * instead of once per op, and every value is computed exactly as unfused. Single steps run
 * once, before the blocks.
 *
 * <p>A graph's tail (a reduction of one step) reduces that step's values segment by segment as the
 * reduce primitive would, so they never go to memory.
 *
 * <p>Takes graphs of float32 or float64 whose full views are contiguous and whose ops the row
 * loops cover (not {@code where}); {@link #takes} says which, and the others run unfused.
 */
final class CpuFused {
    /**
     * Elements per block: a dozen float32 rows of it (16 KiB each) stay in L2, and each row call's
     * fixed cost is spread over enough elements (W2 on the CPU: 3.6 ms with 1024, 3.0 ms with 4096,
     * no better with 16384).
     */
    static final int BLOCK = 4096;

    private CpuFused() {
    }

    /** Whether {@link #run} can evaluate {@code g}. */
    static boolean takes(FusedGraph g) {
        if (!g.type().isFloating() || g.numel() > Integer.MAX_VALUE || (g.tail() != null && g.numel() < 2)) {
            return false;
        }
        for (View v : g.leaves()) {
            if (v.buffer().elementType() != g.type() || (v.layout().numel() != 1 && !v.layout().isContiguous())) {
                return false;
            }
        }
        for (FusedGraph.Step s : g.steps()) {
            if (s.op() != null && ElementwiseGeneric.takes(s.op(), g.type())) {
                return false;
            }
            if (s.store() != null && !s.single() && !s.store().layout().isContiguous()) {
                return false;
            }
        }
        return true;
    }

    static void run(CpuParallel par, FusedGraph g) {
        int n = (int) g.numel();
        if (n == 0) {
            return;
        }
        boolean f32 = g.type() == ElementType.FLOAT32;
        List<FusedGraph.Step> steps = g.steps();
        int ns = steps.size();
        // single steps: one value each, computed once in step order; when the whole graph is one
        // element, every step is (a full step may then feed a single one, so order matters)
        boolean oneElement = n == 1;
        Object singles = f32 ? new float[ns] : new double[ns];
        for (int k = 0; k < ns; k++) {
            FusedGraph.Step s = steps.get(k);
            if (s.single() || oneElement) {
                Object[] arr = new Object[3];
                int[] off = new int[3];
                for (int a = 0; a < s.operands().length; a++) {
                    int o = s.operands()[a];
                    if (o >= 0) {
                        arr[a] = singles;
                        off[a] = o;
                    } else {
                        View leaf = g.leaves().get(-o - 1);
                        arr[a] = ((CpuBuffer) leaf.buffer()).array();
                        off[a] = (int) leaf.layout().offset();
                    }
                }
                // as its own call of one element would: unit steps (a broadcast takes other loops)
                apply(f32, s, 1, singles, k, arr, off, new int[] {1, 1, 1});
                if (s.store() != null) {
                    CpuBuffer b = (CpuBuffer) s.store().buffer();
                    System.arraycopy(singles, k, b.array(), (int) s.store().layout().offset(), 1);
                }
            }
        }
        if (oneElement) {
            return;
        }
        if (g.tail() != null) {
            runTail(par, g, f32, singles);
            return;
        }
        if (FusedLoops.run(par, g, singles)) {
            return;
        }
        int cost = ns * CpuParallel.COST_STREAM;
        if (!par.worthSplitting(n, cost)) {
            new Pass(g, f32, singles, 0).run(0, n);
        } else {
            par.forRange(n, BLOCK, (from, to) -> new Pass(g, f32, singles, 0).run((int) from, (int) to));
        }
    }

    /**
     * The graph and its tail: the reduced step's values are evaluated a segment at a time into a
     * scratch row and reduced there with {@link ReduceKernels}' own loops, cut as
     * {@link ReduceKernels#run} cuts that reduction (pieces of {@link ReduceKernels#PIECE} folded
     * left to right, one output per row), so the result has its bits.
     */
    private static void runTail(CpuParallel par, FusedGraph g, boolean f32, Object singles) {
        FusedGraph.Tail t = g.tail();
        int outer = (int) t.out().layout().numel();
        int inner = (int) g.innerSize();
        CpuBuffer out = (CpuBuffer) t.out().buffer();
        int oo = (int) t.out().layout().offset();
        int piece = ReduceKernels.PIECE;
        boolean split = par.worthSplitting(g.numel(), g.steps().size() * CpuParallel.COST_STREAM);
        if (outer == 1 || inner > piece) {
            // every output folds its pieces; the pieces are evaluated apart, in parallel
            int pieces = (inner + piece - 1) / piece;
            double[] partial = new double[outer * pieces];
            CpuParallel.RangeBody body = (from, to) -> {
                Pass pass = new Pass(g, f32, singles, piece);
                for (int p = (int) from; p < to; p++) {
                    int row = p / pieces;
                    int at = (p % pieces) * piece;
                    int len = Math.min(piece, inner - at);
                    pass.run(row * inner + at, row * inner + at + len);
                    partial[p] = pass.reduced(t.op(), 0, len);
                }
            };
            if (split) {
                par.forRange(partial.length, 1, body);
            } else {
                body.range(0, partial.length);
            }
            for (int row = 0; row < outer; row++) {
                double acc = partial[row * pieces];
                for (int p = 1; p < pieces; p++) {
                    acc = ReduceKernels.combine(t.op(), acc, partial[row * pieces + p]);
                }
                ReduceKernels.store(out, oo + row, acc);
            }
            return;
        }
        // short rows: as many whole rows per segment as a piece holds
        int rowsPer = piece / inner;
        int segments = (outer + rowsPer - 1) / rowsPer;
        CpuParallel.RangeBody body = (from, to) -> {
            Pass pass = new Pass(g, f32, singles, rowsPer * inner);
            for (int c = (int) from; c < to; c++) {
                int r0 = c * rowsPer;
                int r1 = Math.min(outer, r0 + rowsPer);
                pass.run(r0 * inner, r1 * inner);
                for (int r = r0; r < r1; r++) {
                    ReduceKernels.store(out, oo + r, pass.reduced(t.op(), (r - r0) * inner, inner));
                }
            }
        };
        if (split) {
            par.forRange(segments, 1, body);
        } else {
            body.range(0, segments);
        }
    }

    /**
     * One thread's evaluation of the full steps over ranges of elements, block by block, with its
     * own scratch rows; with a tail, the reduced step's values of the last range are kept in a row
     * of {@code tailLength}.
     */
    private static final class Pass {
        private final FusedGraph g;
        private final boolean f32;
        private final Object singles;
        private final Object[] stepRows;
        private final Object[] leafRows;
        private final Object tailRow;
        /** Per step: computed by a Vector API row ({@link CpuVectors}), which reads and writes at any offset. */
        private final boolean[] vector;
        /** Per step: written straight to its store (a vector step that no later step reads). */
        private final boolean[] direct;
        /** Where each full step's values of the current block are: array and offset. */
        private final Object[] valArr;
        private final int[] valOff;
        private final Object[] arr = new Object[3];
        private final int[] off = new int[3];
        private final int[] step = new int[3];

        Pass(FusedGraph g, boolean f32, Object singles, int tailLength) {
            this.g = g;
            this.f32 = f32;
            this.singles = singles;
            List<FusedGraph.Step> steps = g.steps();
            List<View> leaves = g.leaves();
            int ns = steps.size();
            stepRows = new Object[ns];
            leafRows = new Object[leaves.size()];
            vector = new boolean[ns];
            direct = new boolean[ns];
            valArr = new Object[ns];
            valOff = new int[ns];
            boolean[] readByScalar = new boolean[leaves.size()];
            boolean[] readLater = new boolean[ns];
            for (FusedGraph.Step s : steps) {
                for (int o : s.operands()) {
                    if (o >= 0) {
                        readLater[o] = true;
                    }
                }
            }
            for (int k = 0; k < ns; k++) {
                FusedGraph.Step s = steps.get(k);
                // the Vector API rows only where they save a copy (a leaf read in place, a store
                // written in place): between scratch rows the row loops' same-index form, which C2
                // vectorises, is about three times faster on JDK 17 (0.05 against 0.15 ns per element)
                vector[k] = CpuVectors.ENABLED && !s.single() && s.op() != null
                        && (f32 ? VectorElementwiseF32.takes(s.op()) : VectorElementwiseF64.takes(s.op()))
                        && (readsFullLeaf(g, s) || s.store() != null && !readLater[k]);
                for (int o : s.operands()) {
                    if (o < 0 && !vector[k]) {
                        readByScalar[-o - 1] = true;
                    }
                }
            }
            // a row returns to the free list after its step's last full reader, which may then
            // write into it (elementwise at the same index, so reading and writing one row is safe):
            // fewer rows stay in the L1 cache (W2: one row instead of five)
            int[] lastRead = new int[ns];
            java.util.Arrays.fill(lastRead, -1);
            for (int k = 0; k < ns; k++) {
                for (int o : steps.get(k).operands()) {
                    if (o >= 0 && !steps.get(k).single()) {
                        lastRead[o] = k;
                    }
                }
            }
            java.util.ArrayDeque<Object> free = new java.util.ArrayDeque<>();
            for (int k = 0; k < ns; k++) {
                FusedGraph.Step s = steps.get(k);
                if (s.single()) {
                    continue;
                }
                for (int o : s.operands()) {
                    if (o >= 0 && lastRead[o] == k && stepRows[o] != null && !steps.get(o).single()) {
                        free.push(stepRows[o]);
                        lastRead[o] = -2;
                    }
                }
                direct[k] = vector[k] && s.store() != null && !readLater[k];
                if (!direct[k]) {
                    stepRows[k] = free.isEmpty() ? row(BLOCK) : free.pop();
                }
                if (lastRead[k] == -1 && stepRows[k] != null) {
                    free.push(stepRows[k]);
                }
            }
            for (int k = 0; k < leaves.size(); k++) {
                // scalar rows need their inputs at the output's index: only those leaves are copied in
                if (leaves.get(k).layout().numel() != 1 && readByScalar[k]) {
                    leafRows[k] = row(BLOCK);
                }
            }
            tailRow = tailLength > 0 ? row(tailLength) : null;
        }

        private static boolean readsFullLeaf(FusedGraph g, FusedGraph.Step s) {
            for (int o : s.operands()) {
                if (o < 0 && g.leaves().get(-o - 1).layout().numel() != 1) {
                    return true;
                }
            }
            return false;
        }

        private Object row(int length) {
            return f32 ? new float[length] : new double[length];
        }

        /** The tail's reduction of {@code len} kept values from {@code at}. */
        double reduced(dev.clgrad.spi.ReduceOp op, int at, int len) {
            return f32 ? ReduceKernels.piece(op, (float[]) tailRow, at, len)
                    : ReduceKernels.piece(op, (double[]) tailRow, at, len);
        }

        /** Elements {@code [from, to)} of the full steps, block by block. */
        void run(int from, int to) {
            List<FusedGraph.Step> steps = g.steps();
            List<View> leaves = g.leaves();
            int tailStep = g.tail() == null ? -1 : g.tail().step();
            for (int at = from; at < to; at += BLOCK) {
                int len = Math.min(BLOCK, to - at);
                for (int k = 0; k < leaves.size(); k++) {
                    View leaf = leaves.get(k);
                    if (leafRows[k] != null) {
                        System.arraycopy(((CpuBuffer) leaf.buffer()).array(), (int) leaf.layout().offset() + at,
                                leafRows[k], 0, len);
                    }
                }
                for (int k = 0; k < steps.size(); k++) {
                    FusedGraph.Step s = steps.get(k);
                    if (s.single()) {
                        continue;
                    }
                    for (int a = 0; a < s.operands().length; a++) {
                        int o = s.operands()[a];
                        if (o >= 0) {
                            boolean one = steps.get(o).single();
                            arr[a] = one ? singles : valArr[o];
                            off[a] = one ? o : valOff[o];
                            step[a] = one ? 0 : 1;
                        } else if (leafRows[-o - 1] != null) {
                            arr[a] = leafRows[-o - 1];
                            off[a] = 0;
                            step[a] = 1;
                        } else {
                            View leaf = leaves.get(-o - 1);
                            boolean one = leaf.layout().numel() == 1;
                            arr[a] = ((CpuBuffer) leaf.buffer()).array();
                            off[a] = (int) leaf.layout().offset() + (one ? 0 : at);
                            step[a] = one ? 0 : 1;
                        }
                    }
                    if (direct[k]) {
                        valArr[k] = ((CpuBuffer) s.store().buffer()).array();
                        valOff[k] = (int) s.store().layout().offset() + at;
                    } else {
                        valArr[k] = stepRows[k];
                        valOff[k] = 0;
                    }
                    if (vector[k]) {
                        if (f32) {
                            VectorElementwiseF32.row(s.op(), (float) s.scalar(), len, (float[]) valArr[k], valOff[k],
                                    (float[]) arr[0], off[0], step[0], (float[]) arr[1], off[1], step[1]);
                        } else {
                            VectorElementwiseF64.row(s.op(), s.scalar(), len, (double[]) valArr[k], valOff[k],
                                    (double[]) arr[0], off[0], step[0], (double[]) arr[1], off[1], step[1]);
                        }
                    } else {
                        apply(f32, s, len, valArr[k], 0, arr, off, step);
                    }
                    if (s.store() != null && !direct[k]) {
                        System.arraycopy(stepRows[k], 0, ((CpuBuffer) s.store().buffer()).array(),
                                (int) s.store().layout().offset() + at, len);
                    }
                    if (k == tailStep) {
                        System.arraycopy(valArr[k], valOff[k], tailRow, at - from, len);
                    }
                }
            }
        }
    }

    /** One step over {@code n} elements into {@code out[oo...]}, operands {@code arr[a][off[a] + i * step[a]]}. */
    private static void apply(boolean f32, FusedGraph.Step s, int n, Object out, int oo, Object[] arr, int[] off,
                              int[] step) {
        if (s.op() == null) {
            if (f32) {
                java.util.Arrays.fill((float[]) out, oo, oo + n, (float) s.scalar());
            } else {
                java.util.Arrays.fill((double[]) out, oo, oo + n, s.scalar());
            }
            return;
        }
        int arity = s.operands().length;
        if (f32) {
            ElementwiseF32.row(s.op(), (float) s.scalar(), n, (float[]) out, oo, 1,
                    arity > 0 ? (float[]) arr[0] : null, off[0], step[0],
                    arity > 1 ? (float[]) arr[1] : null, off[1], step[1],
                    arity > 2 ? (float[]) arr[2] : null, off[2], step[2]);
        } else {
            ElementwiseF64.row(s.op(), s.scalar(), n, (double[]) out, oo, 1,
                    arity > 0 ? (double[]) arr[0] : null, off[0], step[0],
                    arity > 1 ? (double[]) arr[1] : null, off[1], step[1],
                    arity > 2 ? (double[]) arr[2] : null, off[2], step[2]);
        }
    }
}
