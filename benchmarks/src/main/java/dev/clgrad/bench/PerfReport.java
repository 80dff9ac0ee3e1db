package dev.clgrad.bench;

import dev.clgrad.Device;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every workload (W1 ... W6) on every available device and prints one table beside PyTorch
 * and the machine's limits, all measured in this run: the memory-bandwidth and FMA probes before
 * the benchmarks and again after them, PyTorch right after the first probes.
 *
 * <p>Arguments: {@code --quick} for short JMH iterations (a smoke run, not for quoting);
 * {@code --out FILE} also writes the report as Markdown; {@code --devices cpu,opencl:0}
 * restricts the devices; {@code --fusion on,off} measures each device with kernel fusion on and off
 * (default on only). JMH's own output goes to {@code target/perf-report-jmh.log}.
 */
public final class PerfReport {
    private PerfReport() {
    }

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException, RunnerException {
        boolean quick = false;
        Path out = null;
        List<String> devices = null;
        List<String> fusion = List.of("on");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--devices" -> devices = List.of(args[++i].split(","));
                case "--fusion" -> fusion = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("PerfReport: unknown argument '" + args[i]
                        + "'; use --quick, --out FILE, --devices cpu,opencl:0, --fusion on,off");
            }
        }
        if (devices == null) {
            devices = Device.available().stream().map(Device::toString).toList();
        }
        Map<String, String> kinds = new HashMap<>();
        for (String d : devices) {
            var info = Device.of(d).info();
            kinds.put(d, info.type() + ": " + info.name());
        }
        int threads = Runtime.getRuntime().availableProcessors();
        Peers peers = new Peers(Peers.findPeersDir(), threads);
        progress("probing memory bandwidth and FMA throughput");
        Map<String, Double> before = new HashMap<>(peers.memoryBandwidth());
        before.putAll(peers.computePeak());
        progress("running PyTorch (bench_torch.py)");
        Map<String, Double> torch = peers.torch();
        progress("running the JMH benchmarks on " + devices + (quick ? " (quick)" : ""));
        Collection<RunResult> results = runJmh(devices, fusion, quick);
        progress("probing again");
        Map<String, Double> after = new HashMap<>(peers.memoryBandwidth());
        after.putAll(peers.computePeak());

        List<Row> rows = new ArrayList<>();
        for (Workload w : Workload.all()) {
            for (String d : devices) {
                for (String f : fusion) {
                    Double ms = median(results, w, d, f);
                    if (ms != null) {
                        rows.add(new Row(w, fusion.size() > 1 ? d + ", fusion " + f : d, kinds.get(d), ms,
                                torch.get(w.torchName()), limit(before, after, w.limitName())));
                    }
                }
            }
        }
        String report = ReportTable.markdown(LocalDate.now(), machine(), kinds, rows, before, after, peers.notes,
                quick);
        System.out.println(report);
        if (out != null) {
            Files.writeString(out, report, StandardCharsets.UTF_8);
            progress("wrote " + out.toAbsolutePath());
        }
    }

    /** One measured workload on one device with its same-run references. */
    record Row(Workload workload, String device, String kind, double ms, Double torchMs, Double limit) {
    }

    private static Collection<RunResult> runJmh(List<String> devices, List<String> fusion, boolean quick)
            throws RunnerException {
        Path log = Path.of("target", "perf-report-jmh.log");
        try {
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            log = Path.of(System.getProperty("java.io.tmpdir"), "perf-report-jmh.log");
        }
        ChainedOptionsBuilder opt = new OptionsBuilder()
                .include("dev\\.clgrad\\.bench\\.(BandwidthBenchmark\\.(addFresh|sum)$|(SeedBenchmark|MatmulBenchmark"
                        + "|MlpStepBenchmark)\\.)")
                .param("device", devices.toArray(new String[0]))
                .param("fusion", fusion.toArray(new String[0]))
                .mode(Workload.MODE)
                .shouldFailOnError(true)
                .output(log.toString());
        if (quick) {
            opt.warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
        }
        return new Runner(opt.build()).run();
    }

    /** The median of the benchmark run that measures {@code w} on {@code device}, in ms; null if none ran. */
    private static Double median(Collection<RunResult> results, Workload w, String device, String fusion) {
        for (RunResult r : results) {
            var p = r.getParams();
            if (!p.getBenchmark().endsWith("." + w.benchmark()) || !device.equals(p.getParam("device"))
                    || !fusion.equals(p.getParam("fusion"))) {
                continue;
            }
            boolean match = w.params().entrySet().stream().allMatch(e -> e.getValue().equals(p.getParam(e.getKey())));
            if (match) {
                Result<?> pr = r.getPrimaryResult();
                double v = pr.getStatistics().getPercentile(50);
                return switch (pr.getScoreUnit()) {
                    case "us/op" -> v / 1e3;
                    case "ms/op" -> v;
                    case "s/op" -> v * 1e3;
                    default -> throw new IllegalStateException("PerfReport: unexpected unit " + pr.getScoreUnit());
                };
            }
        }
        return null;
    }

    /** The mean of a probe's medians before and after the benchmarks; null when neither ran. */
    private static Double limit(Map<String, Double> before, Map<String, Double> after, String name) {
        if (name == null) {
            return null;
        }
        Double b = before.get(name);
        Double a = after.get(name);
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return (a + b) / 2;
    }

    private static String machine() {
        String model = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            model = System.getProperty("os.arch");
        }
        // the JMH forks inherit this JVM's options, so they have the Vector API module when it has it
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !"off".equalsIgnoreCase(System.getProperty("clgrad.vector", "").trim());
        return String.format(Locale.ROOT, "%s, %d processors, %s %s, Java %s (%s, %s), CPU backend Vector API %s",
                model, Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.version"), Runtime.version(), System.getProperty("java.vm.vendor"),
                System.getProperty("java.home"), vector ? "on" : "off (scalar kernels)");
    }

    private static void progress(String what) {
        System.err.println("[perf-report] " + what);
    }
}
