package dev.clgrad.bench;

import dev.clgrad.Device;
import dev.clgrad.data.TensorDataset;
import dev.clgrad.examples.FashionMnistData;
import dev.clgrad.examples.FashionMnistRecipe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Workload W7: one epoch (60,000 images, 469 batches) of the Fashion-MNIST demo's recipe
 * ({@link FashionMnistRecipe}) on every device, beside PyTorch running the same recipe
 * ({@code fashion_epoch_torch.py}) with 1 and with 2 threads, all in this run. Each round times
 * one epoch of every system in turn, so that the machine's noise falls on all of them alike;
 * the table gives each system's median over the rounds.
 *
 * <p>Targets on the 2-core CI-kind machine: OpenCL (PoCL) no slower than PyTorch at its best
 * thread count, the CPU backend within 1.5x of it.
 *
 * <p>Arguments: {@code --rounds N} (default 5), {@code --devices cpu,opencl:0},
 * {@code --threads 1,2} (PyTorch's), {@code --data DIR} (default: Debian's folder),
 * {@code --out FILE} (also write the Markdown), {@code --profile} (after the rounds, one epoch
 * per device with the time of each phase, see {@link EpochProfile}), {@code --fusion on,off} (time
 * each device with kernel fusion on and off, side by side; default on only).
 */
public final class FashionEpochReport {
    private static final double OPENCL_TARGET = 1.0;
    private static final double CPU_TARGET = 1.5;

    private FashionEpochReport() {
    }

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        int rounds = 5;
        List<String> devices = null;
        List<Integer> threads = List.of(1, 2);
        Path dataDir = null;
        Path out = null;
        boolean profile = false;
        List<Boolean> fusion = List.of(true);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--devices" -> devices = List.of(args[++i].split(","));
                case "--threads" -> threads = List.of(args[++i].split(",")).stream().map(Integer::valueOf).toList();
                case "--data" -> dataDir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--profile" -> profile = true;
                case "--fusion" -> fusion = List.of(args[++i].split(",")).stream().map(f -> switch (f.trim()) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("FashionEpochReport: --fusion takes on, off or on,off");
                }).toList();
                default -> throw new IllegalArgumentException("FashionEpochReport: unknown argument '" + args[i]
                        + "'; use --rounds N, --devices cpu,opencl:0, --threads 1,2, --data DIR, --out FILE, --profile, "
                        + "--fusion on,off");
            }
        }
        if (devices == null) {
            devices = Device.available().stream().map(Device::toString).toList();
        }
        FashionMnistData data = FashionMnistData.locate(dataDir);
        if (data.subset()) {
            throw new IllegalStateException("W7 times an epoch of the full training set, but only the shipped subset "
                    + "was found; " + FashionMnistData.FULL_SET_HINT);
        }
        TensorDataset train = data.train();
        TensorDataset test = data.test();
        Peers peers = new Peers(null, Runtime.getRuntime().availableProcessors());
        peers.notes.clear();   // W7's script ships with the benchmarks: no peers folder is needed

        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Map<String, List<Double>> losses = new LinkedHashMap<>();
        Map<String, String> loader = new LinkedHashMap<>();
        Map<String, String> calls = new LinkedHashMap<>();
        Map<String, String> built = new LinkedHashMap<>();
        for (String d : devices) {
            for (boolean f : fusion) {
                progress("warming up " + d + (f ? "" : " without fusion"));
                Device.of(d).setFusing(f);
                epoch(Device.of(d), train, test, 30);
            }
        }
        for (int round = 1; round <= rounds; round++) {
            for (String d : devices) {
                for (boolean f : fusion) {
                    String system = "clgrad " + d + (fusion.size() > 1 ? ", fusion " + (f ? "on" : "off") : "");
                    progress("round " + round + "/" + rounds + ": " + system);
                    Device dev = Device.of(d);
                    dev.setFusing(f);
                    Device.Counters before = dev.counters();
                    long start = System.nanoTime();
                    double loss = epoch(dev, train, test, Integer.MAX_VALUE);
                    add(seconds, losses, system, (System.nanoTime() - start) / 1e9, loss);
                    Device.Counters after = dev.counters();
                    calls.put(system, String.format(Locale.ROOT, "%.1f primitive calls, %.1f launches (%.1f of them "
                            + "fused kernels), %.2f host reads", (after.primitives() - before.primitives()) / 469.0,
                            (after.launches() - before.launches()) / 469.0,
                            (after.fusedKernels() - before.fusedKernels()) / 469.0,
                            (after.hostReads() - before.hostReads()) / 469.0));
                    built.merge(system, (round == 1 ? "" : ", ") + (after.kernelsBuilt() - before.kernelsBuilt()),
                            String::concat);
                }
                Device.of(d).setFusing(true);
            }
            for (int t : threads) {
                progress("round " + round + "/" + rounds + ": PyTorch, " + t + " thread(s)");
                for (String line : peers.python("fashion_epoch_torch.py", List.of(Integer.toString(t),
                        data.dir().toString()), t)) {
                    String[] f = line.split("\t");
                    if (f[0].equals("RESULT") && f.length >= 6) {
                        add(seconds, losses, "PyTorch " + t + " thread" + (t > 1 ? "s" : ""),
                                Double.parseDouble(f[4]), Double.parseDouble(f[5]));
                    } else if (f[0].equals("LOADER") && f.length >= 4) {
                        loader.merge(t + " thread" + (t > 1 ? "s" : ""), f[3], (a, b) -> a + ", " + b);
                    } else if (line.startsWith("#") && round == 1) {
                        peers.notes.add("PyTorch: " + line.substring(1).trim());
                    }
                }
            }
        }
        calls.forEach((system, c) -> peers.notes.add(system + ", per training batch (epoch totals / 469): " + c
                + "; fused kernels built in each round: " + built.get(system)));
        String report = markdown(devices, threads, seconds, losses, loader, peers.notes, rounds);
        if (profile) {
            StringBuilder sb = new StringBuilder(report).append("\nPer-phase profile of one epoch (device synchronised "
                    + "after each phase, so phases do not overlap; the total is above an unprofiled epoch's):\n\n");
            for (String d : devices) {
                progress("profiling an epoch on " + d);
                sb.append(EpochProfile.run(Device.of(d), train)).append('\n');
            }
            report = sb.toString();
        }
        System.out.println(report);
        if (out != null) {
            Files.writeString(out, report, StandardCharsets.UTF_8);
            progress("wrote " + out.toAbsolutePath());
        }
    }

    /** One epoch (or {@code maxBatches}) of the recipe from a fresh seeded model on {@code device}; its mean loss. */
    private static double epoch(Device device, TensorDataset train, TensorDataset test, int maxBatches) {
        Device previous = Device.getDefault();
        Device.setDefault(device);
        try (FashionMnistRecipe recipe = new FashionMnistRecipe(train, test, 3, maxBatches)) {
            return recipe.trainEpoch(loss -> { });
        } finally {
            Device.setDefault(previous);
        }
    }

    private static void add(Map<String, List<Double>> seconds, Map<String, List<Double>> losses, String system,
                            double s, double loss) {
        seconds.computeIfAbsent(system, k -> new ArrayList<>()).add(s);
        losses.computeIfAbsent(system, k -> new ArrayList<>()).add(loss);
    }

    private static String markdown(List<String> devices, List<Integer> threads, Map<String, List<Double>> seconds,
                                   Map<String, List<Double>> losses, Map<String, String> loader, List<String> notes,
                                   int rounds) {
        Double best = null;
        String bestName = null;
        for (int t : threads) {
            String name = "PyTorch " + t + " thread" + (t > 1 ? "s" : "");
            if (seconds.containsKey(name) && (best == null || median(seconds.get(name)) < best)) {
                best = median(seconds.get(name));
                bestName = name;
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "W7 run of %s: one epoch of the Fashion-MNIST demo's recipe (60,000 "
                + "images, 469 batches of 128, 784-1024-10 MLP with GELU, Adam, cosine annealing), %d rounds%n%n",
                LocalDate.now(), rounds));
        sb.append("| system | median epoch | images/s | each round (s) | epoch loss | vs PyTorch best | target | met |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (var e : seconds.entrySet()) {
            String system = e.getKey();
            double m = median(e.getValue());
            String ratio = best == null ? "-" : String.format(Locale.ROOT, "%.2fx", m / best);
            String target = "-";
            String met = "-";
            if (best != null && system.startsWith("clgrad ")) {
                double limit = system.startsWith("clgrad cpu") ? CPU_TARGET : OPENCL_TARGET;
                target = String.format(Locale.ROOT, "<= %.1fx", limit);
                met = m <= limit * best ? "yes" : String.format(Locale.ROOT, "no (+%.0f%%)", 100 * (m / (limit * best) - 1));
            } else if (system.equals(bestName)) {
                ratio = "best";
            }
            List<String> each = e.getValue().stream().map(s -> String.format(Locale.ROOT, "%.1f", s)).toList();
            sb.append(String.format(Locale.ROOT, "| %s | %.2f s | %.0f | %s | %.6f | %s | %s | %s |%n", system, m,
                    60000 / m, String.join(", ", each), losses.get(system).get(0), ratio, target, met));
        }
        sb.append('\n');
        loader.forEach((t, s) -> sb.append("- PyTorch, ").append(t).append(": iterating its DataLoader alone takes ")
                .append(s).append(" s per epoch (included above, as a user's program pays it)\n"));
        notes.forEach(n -> sb.append("- ").append(n).append('\n'));
        return sb.toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void progress(String what) {
        System.err.println("[w7] " + what);
    }
}
