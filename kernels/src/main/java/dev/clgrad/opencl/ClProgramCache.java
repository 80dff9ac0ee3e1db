package dev.clgrad.opencl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds each program once per (device, source hash, build options) and keeps it, and its
 * kernels, for the life of the backend. Built binaries also go to an on-disk cache keyed by the
 * same triple plus the driver version, so a later JVM loads them instead of compiling.
 *
 * <p>The disk cache lives in {@code -Dclgrad.cacheDir}, else {@code $CLGRAD_CACHE_DIR}, else
 * {@code $XDG_CACHE_HOME/clgrad/opencl}, else {@code ~/.cache/clgrad/opencl}; the value
 * {@code none} turns it off. Files are written to a temporary name and renamed atomically, so
 * two JVMs building at once each leave a whole file; an unreadable or stale binary is rebuilt
 * from source.
 */
final class ClProgramCache {
    private static final Logger LOG = LoggerFactory.getLogger(ClProgramCache.class);
    private static final String RESOURCE_DIR = "/dev/clgrad/opencl/";
    private static final String GENERATED_LABEL = "fused";
    /** Generated programs kept in memory. */
    static final int MAX_GENERATED = 256;
    /** Generated program binaries kept on disk; the least recently used go first. */
    static final int MAX_GENERATED_ON_DISK = 1024;

    private final cl_context context;
    private final cl_device_id device;
    private final String deviceLabel;
    private final String deviceKey;
    private final Path diskDir;
    private final Map<String, cl_program> programs = new ConcurrentHashMap<>();
    private final Map<String, cl_kernel> kernels = new ConcurrentHashMap<>();
    private final AtomicInteger sourceBuilds = new AtomicInteger();
    /** Generated kernels by options and source, least recently used first. */
    private final LinkedHashMap<String, cl_kernel> generated = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, cl_program> generatedPrograms = new HashMap<>();
    private long generatedBuilt;
    private long generatedHits;
    private final AtomicInteger diskLoads = new AtomicInteger();

    /**
     * @param deviceLabel how messages name the device
     * @param deviceKey what identifies the device and driver in the disk cache
     */
    ClProgramCache(cl_context context, cl_device_id device, String deviceLabel, String deviceKey, Path diskDir) {
        this.context = context;
        this.device = device;
        this.deviceLabel = deviceLabel;
        this.deviceKey = deviceKey;
        this.diskDir = diskDir;
    }

    /** The disk cache folder the system property or environment asks for, or null when turned off. */
    static Path defaultDiskDir() {
        String dir = System.getProperty("clgrad.cacheDir", System.getenv("CLGRAD_CACHE_DIR"));
        if (dir != null && !dir.isBlank()) {
            return dir.trim().equals("none") ? null : Path.of(dir.trim());
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("clgrad").resolve("opencl");
    }

    /** Kernel {@code name} of the program built from resource {@code file} with {@code options}. */
    cl_kernel kernel(String file, String options, String name) {
        String programKey = file + " " + options;
        return kernels.computeIfAbsent(programKey + "#" + name, k -> {
            cl_program program = programs.computeIfAbsent(programKey, pk -> build(file, source(file), options));
            int[] err = new int[1];
            cl_kernel kernel = CL.clCreateKernel(program, name, err);
            return ClStatus.checked(kernel, err, "clCreateKernel", name + " of " + file + " (" + options + ") on "
                    + deviceLabel);
        });
    }

    /** Programs compiled from source so far. */
    int sourceBuilds() {
        return sourceBuilds.get();
    }

    /** Programs loaded from the disk cache so far. */
    int diskLoads() {
        return diskLoads.get();
    }

    /** Deletes the oldest files named {@code prefix*.bin} in {@code dir} beyond the first {@code keep}. */
    private static void prune(Path dir, String prefix, int keep) {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(".bin")).collect(java.util.stream.Collectors.toList());
            if (all.size() <= keep) {
                return;
            }
            all.sort(Comparator.comparing(ClProgramCache::modified).reversed());
            for (Path old : all.subList(keep, all.size())) {
                Files.deleteIfExists(old);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("clgrad: could not prune the OpenCL binary cache in {}: {}", dir, e.toString());
        }
    }

    /** Marks a cache file as used now, so that pruning takes the least recently used first. */
    private static void touch(Path p) {
        try {
            Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            LOG.debug("clgrad: could not touch {}: {}", p, e.toString());
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Releases every kernel and program. */
    synchronized void close() {
        generated.values().forEach(CL::clReleaseKernel);
        generated.clear();
        generatedPrograms.values().forEach(CL::clReleaseProgram);
        generatedPrograms.clear();
        kernels.values().forEach(CL::clReleaseKernel);
        kernels.clear();
        programs.values().forEach(CL::clReleaseProgram);
        programs.clear();
    }

    /**
     * Kernel {@code name} of a generated program, found by {@code key} (which must determine the
     * source and options): built from {@code source} once and kept while it
     * is among the {@link #MAX_GENERATED} most recently used (in memory; the disk cache keeps
     * {@link #MAX_GENERATED_ON_DISK}). Throws {@link ClException} when the program does not build.
     */
    synchronized cl_kernel generated(String key, java.util.function.Supplier<String> source, String options,
                                     String name) {
        cl_kernel k = generated.get(key);
        if (k != null) {
            generatedHits++;
            return k;
        }
        cl_program p = build(GENERATED_LABEL, source.get(), options);
        int[] err = new int[1];
        cl_kernel kernel = CL.clCreateKernel(p, name, err);
        if (err[0] != CL.CL_SUCCESS) {
            CL.clReleaseProgram(p);
        }
        ClStatus.checked(kernel, err, "clCreateKernel", name + " of a generated program on " + deviceLabel);
        generated.put(key, kernel);
        generatedPrograms.put(key, p);
        generatedBuilt++;
        if (generated.size() > MAX_GENERATED) {
            String eldest = generated.keySet().iterator().next();
            CL.clReleaseKernel(generated.remove(eldest));
            CL.clReleaseProgram(generatedPrograms.remove(eldest));
        }
        return kernel;
    }

    /** Whether the generated kernel for {@code key} is in memory. */
    synchronized boolean hasGenerated(String key) {
        return generated.containsKey(key);
    }

    /** Generated programs built (from source or the disk cache) and served from memory so far. */
    synchronized long[] generatedCounts() {
        return new long[] {generatedBuilt, generatedHits};
    }

    private cl_program build(String label, String source, String options) {
        String hash = sha256(deviceKey + "\n" + options + "\n" + source);
        Path cached = diskDir == null ? null : diskDir.resolve(label.replace(".cl", "") + "-" + hash + ".bin");
        if (cached != null && Files.isReadable(cached)) {
            cl_program p = fromBinary(cached, options);
            if (p != null) {
                diskLoads.incrementAndGet();
                touch(cached);
                return p;
            }
        }
        int[] err = new int[1];
        cl_program p = CL.clCreateProgramWithSource(context, 1, new String[] {source},
                new long[] {source.length()}, err);
        ClStatus.checked(p, err, "clCreateProgramWithSource", label + " on " + deviceLabel);
        int status = CL.clBuildProgram(p, 1, new cl_device_id[] {device}, options, null, null);
        if (status != CL.CL_SUCCESS) {
            String log = buildLog(p);
            CL.clReleaseProgram(p);
            throw new ClException(status, "clBuildProgram", label + " with options '" + options + "' on "
                    + deviceLabel + "; build log:\n" + log);
        }
        sourceBuilds.incrementAndGet();
        if (cached != null) {
            store(p, cached);
            if (label.equals(GENERATED_LABEL)) {
                prune(cached.getParent(), GENERATED_LABEL + "-", MAX_GENERATED_ON_DISK);
            }
        }
        return p;
    }

    private cl_program fromBinary(Path file, String options) {
        try {
            byte[] binary = Files.readAllBytes(file);
            int[] err = new int[1];
            int[] binaryStatus = new int[1];
            cl_program p = CL.clCreateProgramWithBinary(context, 1, new cl_device_id[] {device},
                    new long[] {binary.length}, new byte[][] {binary}, binaryStatus, err);
            if (err[0] != CL.CL_SUCCESS || binaryStatus[0] != CL.CL_SUCCESS) {
                return null;
            }
            if (CL.clBuildProgram(p, 1, new cl_device_id[] {device}, options, null, null) != CL.CL_SUCCESS) {
                CL.clReleaseProgram(p);
                return null;
            }
            return p;
        } catch (IOException | RuntimeException e) {
            LOG.debug("clgrad: ignoring unreadable OpenCL binary cache entry {}: {}", file, e.toString());
            return null;
        }
    }

    private void store(cl_program p, Path target) {
        try {
            long[] size = new long[1];
            ClStatus.check(CL.clGetProgramInfo(p, CL.CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null),
                    "clGetProgramInfo", "CL_PROGRAM_BINARY_SIZES on " + deviceLabel);
            if (size[0] == 0) {
                return;
            }
            byte[] binary = new byte[(int) size[0]];
            ClStatus.check(CL.clGetProgramInfo(p, CL.CL_PROGRAM_BINARIES, Sizeof.POINTER,
                    Pointer.to(new Pointer[] {Pointer.to(binary)}), null), "clGetProgramInfo",
                    "CL_PROGRAM_BINARIES on " + deviceLabel);
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            try {
                Files.write(tmp, binary);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("clgrad: could not write the OpenCL binary cache entry {} ({}); programs will be rebuilt in "
                    + "the next JVM. Set -Dclgrad.cacheDir to a writable folder, or to none", target, e.toString());
        }
    }

    private String buildLog(cl_program p) {
        long[] size = new long[1];
        CL.clGetProgramBuildInfo(p, device, CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
        if (size[0] <= 1) {
            return "(empty)";
        }
        byte[] log = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(p, device, CL.CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
        return new String(log, 0, log.length - 1, StandardCharsets.UTF_8).trim();
    }

    /**
     * The text of resource {@code file}, with each {@code #include "name.cl"} line replaced by that
     * resource's text (programs are built from strings, so the driver has no folder to include from).
     */
    static String source(String file) {
        StringBuilder out = new StringBuilder();
        for (String line : resource(file).split("\n", -1)) {
            String t = line.trim();
            if (t.startsWith("#include \"") && t.endsWith("\"")) {
                out.append(source(t.substring(10, t.length() - 1))).append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String resource(String file) {
        try (InputStream in = ClProgramCache.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("OpenCL kernel source " + RESOURCE_DIR + file
                        + " is missing from the classpath (a broken clgrad-kernels jar?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading OpenCL kernel source " + file, e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
