package dev.clgrad.opencl;

import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.FusedGraph;
import dev.clgrad.spi.View;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The source of a generated kernel for a {@link FusedGraph}: {@code ops.cl} followed by one
 * kernel that composes its {@code OP_<op>} macros. Only structure goes into the text (ops, wiring,
 * view kinds, mode); every number is an argument. See {@link ClFused} for the argument order.
 */
final class ClFusedSource {
    /** Ops whose meaning uses the scalar {@code s}. */
    private static final Set<ElementwiseOp> SCALAR_OPS = EnumSet.of(ElementwiseOp.ADD_SCALAR, ElementwiseOp.MUL_SCALAR,
            ElementwiseOp.RSUB_SCALAR, ElementwiseOp.DIV_SCALAR, ElementwiseOp.RDIV_SCALAR, ElementwiseOp.POW_SCALAR,
            ElementwiseOp.RPOW_SCALAR, ElementwiseOp.CLAMP_MIN, ElementwiseOp.CLAMP_MAX, ElementwiseOp.LEAKY_RELU,
            ElementwiseOp.ADDCMUL, ElementwiseOp.ADDCDIV);
    private static final String HEADER_END = "// ---- generated\n";
    /**
     * Appended to a row kernel's name in {@link #generate}: the geometry is strided2 and its rows are
     * the reduction's rows, so row {@code o}'s element {@code j} is (o, j), without a division.
     */
    static final String ROWS_ALIGNED = "@aligned";

    private ClFusedSource() {
    }

    /** Whether step {@code s} takes a scalar argument: a constant, or an op that uses {@code s}. */
    static boolean usesScalar(FusedGraph.Step s) {
        return s.op() == null || SCALAR_OPS.contains(s.op());
    }

    /** The generated part of a source (for the debug log). */
    static String body(String source) {
        return source.substring(source.indexOf(HEADER_END) + HEADER_END.length());
    }

    /**
     * The whole program text for {@code g} in {@code mode} ("dense", "strided1", "strided2" or
     * "strided"), with {@code inner} giving each full view's innermost stride kind ('1', '0', 'x').
     */
    static String generate(FusedGraph g, String mode, String inner) {
        return generate(g, mode, inner, null);
    }

    /**
     * As {@link #generate(FusedGraph, String, String)}; with a tail, {@code tailKernel} names the
     * reduce kernel of {@code fused_tail.cl} to enable ("fused_chunks", "fused_rows", "fused_tree"
     * or "fused_rows_tree", the fused forms of reduce.cl's kernels), which folds the generated
     * {@code fused_value(..., i)}, the reduced step's value at element {@code i}; a row kernel's
     * name may end in {@link #ROWS_ALIGNED}.
     */
    static String generate(FusedGraph g, String mode, String inner, String tailKernel) {
        StringBuilder params = new StringBuilder();
        StringBuilder addr = new StringBuilder();
        StringBuilder code = new StringBuilder();
        int full = 0;
        int leafCount = g.leaves().size();
        String[] leafName = new String[leafCount];
        // full leaves, then full stores: the geometry's views, in ClFused's order
        for (int k = 0; k < leafCount; k++) {
            View v = g.leaves().get(k);
            if (v.layout().numel() != 1) {
                String ty = elementType(v);
                param(params, "__global const " + ty + "* f" + full, full, mode);
                addressOf(addr, full, mode, inner.charAt(full));
                code.append("    ").append(ty).append(" l").append(k).append(" = f").append(full).append("[a").append(full)
                        .append("];\n");
                leafName[k] = "l" + k;
                full++;
            }
        }
        int firstStore = full;
        for (FusedGraph.Step s : g.steps()) {
            if (s.store() != null && !s.single()) {
                param(params, "__global T* f" + full, full, mode);
                addressOf(addr, full, mode, inner.charAt(full));
                full++;
            }
        }
        int single = 0;
        for (int k = 0; k < leafCount; k++) {
            View v = g.leaves().get(k);
            if (v.layout().numel() == 1) {
                String ty = elementType(v);
                params.append(",\n        __global const ").append(ty).append("* q").append(single).append(", long qo")
                        .append(single);
                code.append("    ").append(ty).append(" l").append(k).append(" = q").append(single).append("[qo")
                        .append(single).append("];\n");
                leafName[k] = "l" + k;
                single++;
            }
        }
        int singleStores = 0;
        for (FusedGraph.Step s : g.steps()) {
            if (s.store() != null && s.single()) {
                params.append(",\n        __global T* r").append(singleStores).append(", long ro").append(singleStores);
                singleStores++;
            }
        }
        for (int k = 0; k < g.steps().size(); k++) {
            if (usesScalar(g.steps().get(k))) {
                params.append(",\n        T s").append(k);
            }
        }
        if (mode.equals("strided")) {
            params.append(",\n        long8 shape, int rank");
        }
        params.append(mode.equals("strided2") ? ",\n        long n0, long n1" : ",\n        long n");
        int fullStore = firstStore;
        int singleStore = 0;
        for (int k = 0; k < g.steps().size(); k++) {
            FusedGraph.Step s = g.steps().get(k);
            code.append("    T v").append(k).append(" = ");
            if (s.op() == null) {
                code.append("(T)s").append(k);
            } else {
                code.append("OP_").append(s.op().name().toLowerCase(Locale.ROOT)).append('(');
                for (int a = 0; a < 3; a++) {
                    code.append(a == 0 ? "" : ", ");
                    if (a < s.operands().length) {
                        int o = s.operands()[a];
                        code.append(o >= 0 ? "v" + o : leafName[-o - 1]);
                    } else {
                        code.append("ZERO");
                    }
                }
                code.append(", ").append(usesScalar(s) ? "s" + k : "ZERO").append(')');
            }
            code.append(";\n");
            if (s.store() != null) {
                if (s.single()) {
                    code.append("    if (i == 0) {\n        r").append(singleStore).append("[ro").append(singleStore)
                            .append("] = v").append(k).append(";\n    }\n");
                    singleStore++;
                } else {
                    code.append("    f").append(fullStore).append("[a").append(fullStore).append("] = v").append(k)
                            .append(";\n");
                    fullStore++;
                }
            }
        }
        if (g.tail() != null) {
            return ClProgramCache.source("ops.cl") + ClProgramCache.source("reduce_ops.cl") + HEADER_END
                    + tail(g, mode, params.substring(1).trim(), addressing(addr, full, mode), code, tailKernel);
        }
        // the body sits inside the bounds test rather than after an early return: PoCL's work-group
        // vectoriser handles the block form, as in elementwise.cl
        String index = mode.equals("strided2")
                ? "    long i1 = get_global_id(0);\n    long i0 = get_global_id(1);\n"
                        + "    if (i0 < n0 && i1 < n1) {\n    long i = i0 * n1 + i1;\n"
                : "    long i = get_global_id(0);\n    if (i < n) {\n";
        String kernel = "__kernel void fused(" + params.substring(1).trim() + ") {\n"
                + index
                + addressing(addr, full, mode)
                + code
                + "    }\n}\n";
        return ClProgramCache.source("ops.cl") + HEADER_END + kernel;
    }

    /** The value function and the reduce kernel of a graph with a tail. */
    private static String tail(FusedGraph g, String mode, String params, String addressing, StringBuilder code,
                               String kernel) {
        // a strided2 geometry whose rows are the reduction's rows: row o, element j is (o, j)
        boolean rowsAreGeometryRows = kernel.endsWith(ROWS_ALIGNED);
        kernel = kernel.replace(ROWS_ALIGNED, "");
        StringBuilder args = new StringBuilder();
        for (String p : params.split(",")) {
            String[] words = p.trim().split("\\s+");
            args.append(args.length() == 0 ? "" : ", ").append(words[words.length - 1]);
        }
        String op = g.tail().op().name();
        String init = switch (g.tail().op()) {
            case SUM -> "0";
            case MAX -> "LOWEST";
            case MIN -> "HIGHEST";
        };
        StringBuilder sb = new StringBuilder();
        // element i of the reduced step (row-major over the graph's shape), storing what the graph stores
        if (mode.equals("strided2")) {
            // by its two coordinates, so that a row kernel whose rows are the geometry's rows divides nothing
            sb.append("inline T fused_value2(").append(params).append(", long i0, long i1) {\n")
                    .append("    long i = i0 * n1 + i1;\n");
        } else {
            sb.append("inline T fused_value(").append(params).append(", long i) {\n");
        }
        sb.append(addressing).append(code).append("    return v").append(g.tail().step()).append(";\n}\n");
        sb.append("#define FUSED_ARGS ").append(args).append('\n');
        if (mode.equals("strided2")) {
            sb.append("inline T fused_value(").append(params).append(", long i) {\n")
                    .append("    long i0 = i / n1;\n    return fused_value2(FUSED_ARGS, i0, i - i0 * n1);\n}\n");
        }
        sb.append("#define FUSED_PARAMS ").append(params.replace("\n", " ")).append('\n')
                .append("#define TAIL_INIT ").append(init).append('\n')
                .append("#define TAIL_C ").append(op).append("_C\n")
                .append("#define TAIL_V ").append(op).append("_V\n")
                .append("#define ").append(kernel.toUpperCase(Locale.ROOT)).append('\n');
        if (rowsAreGeometryRows) {
            sb.append("#define ROWS_ARE_GEOMETRY_ROWS\n");
        }
        sb.append(ClProgramCache.source("fused_tail.cl"));
        return sb.toString();
    }

    private static String elementType(View v) {
        return v.buffer().elementType() == ElementType.BOOL ? "uchar" : "T";
    }

    private static void param(StringBuilder params, String pointer, int v, String mode) {
        params.append(",\n        ").append(pointer).append(", long fo").append(v);
        if (mode.equals("strided1")) {
            params.append(", long fs").append(v);
        } else if (mode.equals("strided2")) {
            params.append(", long fs").append(v).append("a, long fs").append(v).append('b');
        } else if (mode.equals("strided")) {
            params.append(", long8 fs").append(v);
        }
    }

    /**
     * The address of view {@code v}'s element. {@code inner} is its innermost stride's kind in the
     * strided modes: '1' and '0' are written as such, so that the compiler sees unit-stride and
     * broadcast loads (vector loads on CPUs, coalesced ones on GPUs), 'x' is the argument.
     */
    private static void addressOf(StringBuilder addr, int v, String mode, char inner) {
        String last = inner == '1' ? "" : inner == '0' ? null : " * fs" + v + (mode.equals("strided2") ? "b" : "");
        switch (mode) {
            case "dense" -> addr.append("    long a").append(v).append(" = fo").append(v).append(" + i;\n");
            case "strided1" -> addr.append("    long a").append(v).append(" = fo").append(v)
                    .append(last == null ? "" : " + i" + last).append(";\n");
            case "strided2" -> addr.append("    long a").append(v).append(" = fo").append(v).append(" + i0 * fs").append(v)
                    .append('a').append(last == null ? "" : " + i1" + last).append(";\n");
            default -> addr.append("    long a").append(v).append(" = fo").append(v).append(";\n")
                    .append("    long st").append(v).append("[8];\n    vstore8(fs").append(v).append(", 0, st").append(v)
                    .append(");\n");
        }
    }

    /** The address computations; the strided mode walks the coordinates from the innermost out. */
    private static String addressing(StringBuilder addr, int views, String mode) {
        if (!mode.equals("strided")) {
            return addr.toString();
        }
        StringBuilder sb = new StringBuilder(addr);
        sb.append("    long sh[8];\n    vstore8(shape, 0, sh);\n    long rest = i;\n")
                .append("    for (int d = rank - 1; d > 0; d--) {\n        long c = rest % sh[d];\n        rest /= sh[d];\n");
        for (int v = 0; v < views; v++) {
            sb.append("        a").append(v).append(" += c * st").append(v).append("[d];\n");
        }
        sb.append("    }\n    if (rank > 0) {\n");
        for (int v = 0; v < views; v++) {
            sb.append("        a").append(v).append(" += rest * st").append(v).append("[0];\n");
        }
        return sb.append("    }\n").toString();
    }
}
