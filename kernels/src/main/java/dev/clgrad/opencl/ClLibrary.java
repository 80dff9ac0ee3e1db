package dev.clgrad.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the ICD loader {@code libOpenCL.so} before JOCL is touched.
 *
 * <p>JOCL's native part reports a failed {@code dlopen("libOpenCL.so")} by printing
 * {@code Could not load libOpenCL.so, ...} on the process's standard output, where no Java
 * logger can catch it. So on Linux clgrad first looks where the dynamic loader would look
 * ({@code LD_LIBRARY_PATH}, the {@code ld.so} cache, the default library folders) and leaves
 * JOCL alone when no loadable file is there. Elsewhere it lets JOCL try.
 */
final class ClLibrary {
    static final String NAME = "libOpenCL.so";
    private static final Pattern CACHED_PATH = Pattern.compile("(/[^\\x00]*/" + Pattern.quote(NAME) + ")\\x00");
    private static final List<String> DEFAULT_DIRS = List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64",
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu", "/usr/local/lib");

    private ClLibrary() {
    }

    /** Whether this is a system where {@link #locate()} knows the loader's search rules. */
    static boolean searchable() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    /** The file the dynamic loader would load for {@code libOpenCL.so}, if there is a loadable one. */
    static Optional<Path> locate() {
        List<Path> candidates = new ArrayList<>();
        String ldPath = System.getenv("LD_LIBRARY_PATH");
        if (ldPath != null) {
            for (String dir : ldPath.split(":")) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir, NAME));
                }
            }
        }
        candidates.addAll(fromLoaderCache(Path.of("/etc/ld.so.cache")));
        for (String dir : DEFAULT_DIRS) {
            candidates.add(Path.of(dir, NAME));
        }
        return candidates.stream().filter(ClLibrary::isSharedObject).findFirst();
    }

    /** The paths the {@code ld.so} cache lists for {@code libOpenCL.so} (its strings end in NUL). */
    static List<Path> fromLoaderCache(Path cache) {
        List<Path> found = new ArrayList<>();
        try {
            String text = new String(Files.readAllBytes(cache), StandardCharsets.ISO_8859_1);
            Matcher m = CACHED_PATH.matcher(text);
            while (m.find()) {
                found.add(Path.of(m.group(1)));
            }
        } catch (IOException | RuntimeException e) {
            return found;
        }
        return found;
    }

    /**
     * A readable regular file (after links) that starts as an ELF object does: what {@code dlopen}
     * can load. An empty file or {@code /dev/null} put in the library's place is not.
     */
    static boolean isSharedObject(Path p) {
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }
}
