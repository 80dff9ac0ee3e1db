package dev.clgrad.opencl;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.FusedGraph;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.View;
import org.jocl.cl_kernel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a {@link FusedGraph} as one generated kernel. The generated source only composes: it
 * includes {@code ops.cl}, loads each leaf once, calls one {@code OP_<op>} macro per step into a
 * variable of the element type (which rounds it exactly as the op's own kernel rounds its store)
 * and stores the steps the graph stores. Scalars, offsets, strides and sizes are kernel
 * arguments, so the source, and the built program, depend only on the graph's structure and
 * addressing mode: a training loop builds its kernels once.
 *
 * <p>Modes, as for the single-op kernels: "dense" when every full view walks memory in order,
 * "strided1" when the views' merged geometry has one dimension, "strided2" for two (a broadcast
 * row: a 2-D range, no division), else "strided" (up to {@link ClShape#MAX_RANK} dimensions,
 * coordinates from one division per dimension).
 *
 * <p>A structure is compiled the {@link #compileAfter()}-th time it runs; before that, and when its
 * program fails to build, it runs unfused ({@link FusedGraph#runUnfused}), with the same results.
 * A program that fails to build is logged once at WARN with its graph, and graphs of that
 * structure then run unfused ({@link FusedGraph#runUnfused}). {@code -Dclgrad.fusion.debug=true}
 * logs each generated kernel at INFO with the graph it came from;
 * {@code -Dclgrad.fusion.buildOptions} adds build options to generated programs.
 */
final class ClFused {
    private static final Logger LOG = LoggerFactory.getLogger(ClFused.class);
    private static final String KERNEL = "fused";
    private static final boolean DEBUG = Boolean.getBoolean("clgrad.fusion.debug");

    private final ClBackend backend;
    private final ClProgramCache programs;
    /** Structures whose program failed to build, with the options tried. */
    private final Set<String> broken = ConcurrentHashMap.newKeySet();
    private final AtomicLong fallbacks = new AtomicLong();
    /** How often each structure not built yet has been run, so that one-off graphs are not compiled. */
    private final Map<String, Integer> sightings = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                    return size() > 4096;
                }
            });

    private final long maxParameterBytes;

    ClFused(ClBackend backend, ClProgramCache programs, long maxParameterBytes) {
        this.backend = backend;
        this.programs = programs;
        this.maxParameterBytes = maxParameterBytes;
    }

    /** Bytes {@code args} take as kernel parameters, each aligned to its size as OpenCL C aligns them. */
    static long parameterBytes(List<Object> args) {
        long at = 0;
        for (Object a : args) {
            long size = a instanceof long[] ? 64 : a instanceof Integer || a instanceof Float ? 4 : 8;
            at = (at + size - 1) / size * size + size;
        }
        return at;
    }

    /**
     * The run of a structure that builds its kernel ({@code -Dclgrad.fusion.compileAfter}, default 2):
     * a loop builds its kernels in its second iteration, while a graph seen once (a test, a one-off
     * expression) runs unfused instead of paying a compilation (about 0.3 s on PoCL).
     */
    static int compileAfter() {
        return Math.max(1, Integer.getInteger("clgrad.fusion.compileAfter", 2));
    }

    long fallbacks() {
        return fallbacks.get();
    }

    void run(FusedGraph g, String typeOptions) {
        if (g.tail() != null && backend.strategy() != ClStrategy.GPU && storesFullSteps(g)) {
            // a CPU device runs a reduction as a loop per work-item, which does not vectorise across
            // stores (they may alias the loads): storing the values from the vectorised elementwise
            // kernel and reducing them apart measured faster (softmax rows: 97 against 70 ms)
            FusedGraph.runTailApart(backend, g);
            return;
        }
        long n = g.numel();
        if (n == 0) {
            return;
        }
        // every full view (leaves of more than one element, stores of full steps) in one geometry
        List<Layout> full = new ArrayList<>();
        List<View> fullViews = new ArrayList<>();
        for (View v : g.leaves()) {
            if (v.layout().numel() != 1) {
                full.add(v.layout());
                fullViews.add(v);
            }
        }
        for (FusedGraph.Step s : g.steps()) {
            if (s.store() != null && !s.single()) {
                full.add(s.store().layout());
                fullViews.add(s.store());
            }
        }
        ClShape geo = full.isEmpty() ? new ClShape(new long[0], new long[0][], new long[0])
                : ClShape.of(full.toArray(new Layout[0]));
        if (geo.rank() > ClShape.MAX_RANK) {
            FusedGraph.runUnfused(backend, g);
            return;
        }
        boolean dense = true;
        for (int v = 0; v < full.size() && dense; v++) {
            dense = geo.isDense(v);
        }
        String mode = dense ? "dense" : geo.rank() == 1 ? "strided1" : geo.rank() == 2 ? "strided2" : "strided";
        String extra = System.getProperty("clgrad.fusion.buildOptions", "").trim();
        String options = (typeOptions + " " + extra).trim();
        StringBuilder inner = new StringBuilder();
        for (int v = 0; v < full.size(); v++) {
            long last = geo.rank() == 0 ? 1 : geo.strides()[v][geo.rank() - 1];
            inner.append(mode.equals("strided1") || mode.equals("strided2") ? last == 1 ? '1' : last == 0 ? '0' : 'x' : 'x');
        }
        String innerKinds = inner.toString();
        String tailKernel = g.tail() == null ? null : tailKernel(g);
        String tailSource = tailKernel == null || !tailKernel.contains("rows") || !mode.equals("strided2")
                || geo.shape()[1] != g.innerSize() ? tailKernel : tailKernel + ClFusedSource.ROWS_ALIGNED;
        String structure = mode + "/" + innerKinds + "/" + options + "/" + g.structure()
                + (tailKernel == null ? "" : "/" + tailSource);
        if (broken.contains(structure)) {
            fallbacks.incrementAndGet();
            FusedGraph.runUnfused(backend, g);
            return;
        }
        if (!programs.hasGenerated(structure) && sightings.merge(structure, 1, Integer::sum) < compileAfter()) {
            // seen too rarely to pay for a compilation yet: the same results, one kernel per op
            FusedGraph.runUnfused(backend, g);
            return;
        }
        List<Object> args = arguments(g, fullViews, geo, mode, n);
        ClBuffer partials = null;
        if (tailKernel != null) {
            partials = tailArguments(g, tailKernel, args);
        }
        try {
            launch(g, structure, mode, innerKinds, tailKernel, tailSource, options, geo, args, partials);
        } finally {
            if (partials != null) {
                backend.release(partials);
            }
        }
    }

    /** Builds (or finds) the kernel and launches it; a graph it cannot serve runs unfused. */
    private void launch(FusedGraph g, String structure, String mode, String innerKinds, String tailKernel,
                        String tailSource, String options, ClShape geo, List<Object> args, ClBuffer partials) {
        if (parameterBytes(args) > maxParameterBytes) {
            // more views than one kernel's arguments can hold on this device
            FusedGraph.runUnfused(backend, g);
            return;
        }
        cl_kernel kernel;
        try {
            kernel = programs.generated(structure, () -> ClFusedSource.generate(g, mode, innerKinds, tailSource), options,
                    tailKernel == null ? KERNEL : tailKernel);
        } catch (ClException e) {
            broken.add(structure);
            fallbacks.incrementAndGet();
            LOG.warn("clgrad {}: a fused kernel failed to build ({}); this graph and any of its structure run "
                    + "unfused, one kernel per op, with the same results. The graph: {}", backend.name(),
                    e.getMessage(), g.describe());
            FusedGraph.runUnfused(backend, g);
            return;
        }
        if (DEBUG) {
            LOG.info("clgrad {}: fused kernel for {}\n{}", backend.name(), g.describe(),
                    ClFusedSource.body(ClFusedSource.generate(g, mode, innerKinds, tailSource)));
        }
        String what = "fused " + g.steps().size() + " ops";
        if (tailKernel != null) {
            launchTail(g, tailKernel, kernel, what, args, partials);
            return;
        }
        if (mode.equals("strided2")) {
            long n0 = geo.shape()[0];
            long n1 = geo.shape()[1];
            backend.launch(kernel, what, new long[] {n1, n0},
                    new long[] {backend.strategy().groupFor(n1)[0], 1}, args.toArray());
            return;
        }
        long n = g.numel();
        backend.launch(kernel, what, new long[] {n}, backend.strategy().groupFor(n), args.toArray());
    }

    private static boolean storesFullSteps(FusedGraph g) {
        for (FusedGraph.Step s : g.steps()) {
            if (s.store() != null && !s.single()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Which fused form of reduce.cl's kernels a tail takes: the kernel {@link ClReduce} would run
     * over the stored values, so that the same partition folds the same values in the same order.
     */
    private String tailKernel(FusedGraph g) {
        long outer = g.tail().out().layout().numel();
        if (outer == 1) {
            return backend.strategy() == ClStrategy.GPU ? "fused_tree" : "fused_chunks";
        }
        return ClReduce.treeRows(backend, g.innerSize(), 1) ? "fused_rows_tree" : "fused_rows";
    }

    /** Appends the tail kernel's own arguments; returns the partials buffer of a full reduction. */
    private ClBuffer tailArguments(FusedGraph g, String tailKernel, List<Object> args) {
        long n = g.numel();
        View out = g.tail().out();
        switch (tailKernel) {
            case "fused_chunks", "fused_tree" -> {
                ClBuffer part = backend.scratch(ClReduce.accumulator(backend, g.type()), ClReduce.parts(backend, n));
                args.add(n);
                if (tailKernel.equals("fused_chunks")) {
                    args.add(ClReduce.chunk(backend, n));
                    args.add(part);
                } else {
                    args.add(part);
                    args.add(ClReduce.local(backend));
                }
                return part;
            }
            default -> {
                args.add(out.layout().numel());
                args.add(g.innerSize());
                args.add(out.buffer());
                args.add(out.layout().offset());
                if (tailKernel.equals("fused_rows_tree")) {
                    args.add(ClReduce.local(backend));
                }
                return null;
            }
        }
    }

    /** Launches a tail kernel as {@link ClReduce} launches the kernel it stands for, then any finishing pass. */
    private void launchTail(FusedGraph g, String tailKernel, cl_kernel kernel, String what, List<Object> args,
                            ClBuffer partials) {
        long n = g.numel();
        long outer = g.tail().out().layout().numel();
        switch (tailKernel) {
            case "fused_chunks" -> backend.launch(kernel, what, new long[] {ClReduce.parts(backend, n)}, new long[] {1},
                    args.toArray());
            case "fused_tree" -> backend.launch(kernel, what, new long[] {ClReduce.parts(backend, n) * ClReduce.TREE},
                    new long[] {ClReduce.TREE}, args.toArray());
            case "fused_rows_tree" -> backend.launch(kernel, what, new long[] {outer * ClReduce.TREE},
                    new long[] {ClReduce.TREE}, args.toArray());
            // a row per work-item, as reduce.cl's rows kernel; on CPU devices one per work-group, since a
            // driver that vectorises across the work-items of a group would gather and scatter across
            // rows (a group's size does not change what each work-item folds)
            default -> backend.launch(kernel, what, new long[] {outer}, new long[] {
                    backend.strategy() == ClStrategy.GPU ? ClReduce.rowsGroup(backend) : 1}, args.toArray());
        }
        if (partials != null) {
            String[] names = ClReduce.names(g.tail().op(), g.type());
            View out = g.tail().out();
            ClReduce.finish(backend, names[0], names[1], "reduce " + g.tail().op(), g.type(), partials,
                    ClReduce.parts(backend, n), (ClBuffer) out.buffer(), out.layout().offset());
        }
    }

    /** The kernel's arguments, in {@link ClFusedSource}'s order. */
    private static List<Object> arguments(FusedGraph g, List<View> fullViews, ClShape geo, String mode, long n) {
        List<Object> args = new ArrayList<>();
        for (int v = 0; v < fullViews.size(); v++) {
            args.add(fullViews.get(v).buffer());
            args.add(geo.rank() == 0 ? fullViews.get(v).layout().offset() : geo.offsets()[v]);
            if (mode.equals("strided1")) {
                args.add(geo.strides()[v][0]);
            } else if (mode.equals("strided2")) {
                args.add(geo.strides()[v][0]);
                args.add(geo.strides()[v][1]);
            } else if (mode.equals("strided")) {
                args.add(geo.strides8(v));
            }
        }
        for (View v : g.leaves()) {
            if (v.layout().numel() == 1) {
                args.add(v.buffer());
                args.add(v.layout().offset());
            }
        }
        for (FusedGraph.Step s : g.steps()) {
            if (s.store() != null && s.single()) {
                args.add(s.store().buffer());
                args.add(s.store().layout().offset());
            }
        }
        for (FusedGraph.Step s : g.steps()) {
            if (ClFusedSource.usesScalar(s)) {
                args.add(ClBackend.scalarArg(g.type(), s.scalar()));
            }
        }
        if (mode.equals("strided")) {
            args.add(geo.shape8());
            args.add(geo.rank());
        }
        if (mode.equals("strided2")) {
            args.add(geo.shape()[0]);
            args.add(geo.shape()[1]);
        } else {
            args.add(n);
        }
        return args;
    }
}
