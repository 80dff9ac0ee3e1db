package dev.clgrad.it;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every {@link OpInfo} row, by name: the single table the parity, golden and gradcheck suites
 * (and the differential fuzzer's pointwise steps) read. The rows are split by family into
 * {@link PointwiseOpInfos}, {@link ReductionOpInfos} and {@link ViewOpInfos}.
 */
final class OpInfos {
    private OpInfos() {
    }

    static final Map<String, OpInfo> ALL = build();

    private static Map<String, OpInfo> build() {
        List<OpInfo.Builder> rows = new ArrayList<>();
        rows.addAll(PointwiseOpInfos.rows());
        rows.addAll(ReductionOpInfos.rows());
        rows.addAll(ViewOpInfos.rows());
        rows.addAll(TrainingOpInfos.rows());
        Map<String, OpInfo> all = new LinkedHashMap<>();
        for (OpInfo.Builder row : rows) {
            OpInfo op = row.build();
            if (all.put(op.name(), op) != null) {
                throw new IllegalStateException("two OpInfo rows are named '" + op.name() + "'");
            }
        }
        return Collections.unmodifiableMap(all);
    }

    /** The row named {@code name}: a fixture's {@code op}. */
    static OpInfo get(String name) {
        OpInfo op = ALL.get(name);
        if (op == null) {
            throw new IllegalArgumentException("no OpInfo row named '" + name + "'; add one to "
                    + "PointwiseOpInfos, ReductionOpInfos or ViewOpInfos");
        }
        return op;
    }

    /** The rows of one family, in table order. */
    static List<OpInfo> of(OpInfo.Family family) {
        return ALL.values().stream().filter(op -> op.family() == family).toList();
    }
}
