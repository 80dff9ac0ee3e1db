package dev.clgrad.bench;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Formats {@link PerfReport}'s measurements as one Markdown report. */
final class ReportTable {
    private ReportTable() {
    }

    static String markdown(LocalDate date, String machine, Map<String, String> kinds, List<PerfReport.Row> rows,
                           Map<String, Double> before, Map<String, Double> after, List<String> notes, boolean quick) {
        StringBuilder sb = new StringBuilder();
        sb.append("Run of ").append(date).append(quick ? " (quick: short iterations, not for quoting)" : "")
                .append("\n\nMachine: ").append(machine).append('\n');
        for (Map.Entry<String, String> k : new TreeMap<>(kinds).entrySet()) {
            sb.append("- `").append(k.getKey()).append("`: ").append(k.getValue()).append('\n');
        }
        sb.append("\n| workload | device | median | rate | PyTorch median | PyTorch / ours | machine limit "
                + "| of limit | target | met |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (PerfReport.Row r : rows) {
            Workload w = r.workload();
            double target = target(r);
            sb.append("| ").append(w.id()).append(' ').append(w.title())
                    .append(" | ").append(r.device())
                    .append(" | ").append(time(r.ms()))
                    .append(" | ").append(fmt(w.rate(r.ms()))).append(' ').append(w.rateUnit())
                    .append(" | ").append(r.torchMs() == null ? "-" : time(r.torchMs()))
                    .append(" | ").append(r.torchMs() == null ? "-" : fmt(r.torchMs() / r.ms()) + "x")
                    .append(" | ").append(r.limit() == null ? "-" : fmt(r.limit()) + " " + w.rateUnit())
                    .append(" | ").append(r.limit() == null ? "-" : percent(w.rate(r.ms()) / r.limit()))
                    .append(" | ").append(Double.isNaN(target) ? "-" : "<= " + time(target))
                    .append(" | ").append(Double.isNaN(target) ? "-" : met(r.ms(), target))
                    .append(" |\n");
        }
        sb.append("\nMedians are JMH sample-mode medians; PyTorch / ours above 1 means ours is faster. Rates: W1 "
                + "12 bytes per element, W2 8 bytes per element (the least traffic any implementation needs: read x, "
                + "write the gradient), W3 4 bytes per element, W4 2n^3 FLOPs, W5 three times the forward matmul "
                + "FLOPs (PyTorch peer's convention), W6 iterations per second. Limits: STREAM-like probe at the "
                + "workload's size (w1add, w2fused, w3sum) and the FMA probe (fma-peak), each the mean of the medians "
                + "measured before and after the benchmarks.\n\nProbe medians before / after:");
        for (String name : new TreeMap<>(before).keySet()) {
            sb.append(String.format(Locale.ROOT, " %s %s / %s;", name, fmt(before.get(name)),
                    after.containsKey(name) ? fmt(after.get(name)) : "-"));
        }
        sb.append('\n');
        for (String n : notes) {
            sb.append("\n- ").append(n);
        }
        return sb.append('\n').toString();
    }

    /** Issue 4's target for the row, or NaN where none applies (a GPU, W4 2048). */
    private static double target(PerfReport.Row r) {
        if (r.device().equals("cpu") || r.device().startsWith("cpu,")) {
            return r.workload().cpuTargetMs();
        }
        return r.kind() != null && r.kind().startsWith("CPU") ? r.workload().oclTargetMs() : Double.NaN;
    }

    private static String met(double ms, double target) {
        return ms <= target ? "yes" : "no (+" + percent(ms / target - 1) + ")";
    }

    private static String time(double ms) {
        return ms < 1 ? fmt(ms * 1e3) + " us" : fmt(ms) + " ms";
    }

    private static String percent(double f) {
        return String.format(Locale.ROOT, "%.0f%%", f * 100);
    }

    /** Three significant digits, without exponent notation. */
    static String fmt(double v) {
        double a = Math.abs(v);
        String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }
}
