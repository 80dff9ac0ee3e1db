package dev.clgrad.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reference measurements the performance table sets our figures beside, each taken by an
 * outside program in the same run: the machine's memory bandwidth ({@code stream.c} from the
 * shared peers folder), its float32 FMA throughput ({@code fma_peak.c}, ours), and PyTorch on
 * the same workloads ({@code bench_torch.py}). A probe that cannot run (no gcc, no peers folder,
 * no torch) leaves its figures out and says why in {@link #notes}.
 */
final class Peers {
    private static final String PYTHON = "/usr/bin/python3";
    private static final long PROBE_TIMEOUT_S = 600;

    private final Path peersDir;
    private final int threads;
    private final Path work;
    /** Why a probe's figures are missing, for the report. */
    final List<String> notes = new ArrayList<>();

    /**
     * @param peersDir the folder with {@code stream.c} and {@code bench_torch.py}, or null when none was found
     * @param threads threads every probe may use (the JVM's processor count)
     */
    Peers(Path peersDir, int threads) throws IOException {
        this.peersDir = peersDir;
        this.threads = threads;
        this.work = Files.createTempDirectory("clgrad-peers");
        if (peersDir == null) {
            notes.add("no peers folder (shared/peers) was found: pass -Dclgrad.peers=DIR; memory bandwidth and "
                    + "PyTorch columns are empty");
        }
    }

    /** The peers folder: {@code -Dclgrad.peers}, else {@code shared/peers} beside the checkout or above it. */
    static Path findPeersDir() {
        String prop = System.getProperty("clgrad.peers");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            Path p = dir.resolve("shared").resolve("peers");
            if (Files.isRegularFile(p.resolve("bench_torch.py"))) {
                return p;
            }
        }
        return null;
    }

    /** STREAM's LIMIT lines (name to median GB/s): copy, add, sum and the workload-sized w1add, w3sum, w2fused. */
    Map<String, Double> memoryBandwidth() {
        if (peersDir == null) {
            return Map.of();
        }
        Path exe = compile(peersDir.resolve("stream.c"), "stream");
        return exe == null ? Map.of() : limits(run(List.of(exe.toString()), "stream"));
    }

    /** The FMA probe's LIMIT line: {@code fma-peak} to median GFLOP/s. */
    Map<String, Double> computePeak() {
        Path src = work.resolve("fma_peak.c");
        try (InputStream in = Peers.class.getResourceAsStream("fma_peak.c")) {
            Files.copy(in, src, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            notes.add("fma_peak.c could not be unpacked: " + e.getMessage());
            return Map.of();
        }
        Path exe = compile(src, "fma_peak");
        return exe == null ? Map.of() : limits(run(List.of(exe.toString()), "fma_peak"));
    }

    /** PyTorch's medians in ms by workload name, from {@code bench_torch.py THREADS 11}. */
    Map<String, Double> torch() {
        if (peersDir == null) {
            return Map.of();
        }
        if (!Files.isExecutable(Path.of(PYTHON))) {
            notes.add(PYTHON + " is missing: no PyTorch column (apt-get install -y python3-torch libopenblas0-pthread)");
            return Map.of();
        }
        List<String> out = run(List.of(PYTHON, peersDir.resolve("bench_torch.py").toString(),
                Integer.toString(threads), "11"), "bench_torch.py");
        Map<String, Double> ms = new LinkedHashMap<>();
        for (String line : out) {
            String[] f = line.split("\t");
            if (f.length >= 6 && f[0].equals("RESULT")) {
                double t = Double.parseDouble(f[4]);
                ms.put(f[2], f[5].equals("us") ? t / 1e3 : t);
            } else if (line.startsWith("#")) {
                notes.add("PyTorch: " + line.substring(1).trim());
            }
        }
        if (ms.isEmpty()) {
            notes.add("bench_torch.py printed no results (is torch installed for " + PYTHON + "?): "
                    + String.join(" | ", out.subList(Math.max(0, out.size() - 3), out.size())));
        }
        return ms;
    }

    /**
     * Runs the Python script {@code resource} (next to this class) with {@code args} under
     * {@code /usr/bin/python3}, with {@code threads} threads for OpenMP and OpenBLAS; its output
     * lines, or none (with a note) when it cannot run.
     */
    List<String> python(String resource, List<String> args, int threads) {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            notes.add(PYTHON + " is missing: no PyTorch column (apt-get install -y python3-torch libopenblas0-pthread)");
            return List.of();
        }
        Path script = work.resolve(resource);
        try (InputStream in = Peers.class.getResourceAsStream(resource)) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            notes.add(resource + " could not be unpacked: " + e.getMessage());
            return List.of();
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        command.addAll(args);
        return run(command, resource, threads);
    }

    private Path compile(Path source, String name) {
        Path exe = work.resolve(name);
        List<String> out = run(List.of("gcc", "-O3", "-march=native", "-fopenmp", source.toString(), "-o",
                exe.toString()), "gcc " + source.getFileName());
        if (!Files.isExecutable(exe)) {
            notes.add("could not build " + source.getFileName() + " with gcc: " + String.join(" | ", out));
            return null;
        }
        return exe;
    }

    private static Map<String, Double> limits(List<String> lines) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split("\t");
            if (f.length >= 5 && f[0].equals("LIMIT")) {
                m.put(f[1], Double.parseDouble(f[4]));
            }
        }
        return m;
    }

    /** Runs a probe with every thread allowed; its output lines, or none (with a note) on failure. */
    private List<String> run(List<String> command, String what) {
        return run(command, what, threads);
    }

    private List<String> run(List<String> command, String what, int threads) {
        // output goes to a file, so that waiting with a timeout does not sit behind a blocking read
        Path log = work.resolve("probe-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        String t = Integer.toString(threads);
        pb.environment().put("OMP_NUM_THREADS", t);
        pb.environment().put("OPENBLAS_NUM_THREADS", t);
        pb.environment().remove("LD_PRELOAD");
        try {
            Process p = pb.start();
            if (!p.waitFor(PROBE_TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                notes.add(what + " ran past " + PROBE_TIMEOUT_S + " s and was stopped");
                return List.of();
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                notes.add(what + " exited with " + p.exitValue() + ": "
                        + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
            }
            return lines;
        } catch (IOException e) {
            notes.add(what + " could not run: " + e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
