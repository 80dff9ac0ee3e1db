package dev.clgrad.opencl;

import dev.clgrad.spi.BackendProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding {@code libOpenCL.so} without native code, so a machine without it gets clgrad's own
 * WARN and no line from JOCL's native part. {@code .ci/run} runs the tests once with the
 * library hidden and {@code -Dclgrad.expectNoOpenCL=true}, which makes the last test here a
 * requirement rather than a skip.
 */
class ClLibraryTest {

    @Test
    void an_empty_file_or_a_device_node_in_the_librarys_place_is_not_loadable(@TempDir Path dir) throws IOException {
        Path empty = Files.createFile(dir.resolve("libOpenCL.so"));
        assertFalse(ClLibrary.isSharedObject(empty));
        assertFalse(ClLibrary.isSharedObject(Path.of("/dev/null")));
        assertFalse(ClLibrary.isSharedObject(dir.resolve("missing.so")));
    }

    @Test
    void an_elf_shared_object_is_loadable() {
        Path jvm = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");
        Assumptions.assumeTrue(Files.exists(jvm), "no libjvm.so at " + jvm + " (not a Linux JDK)");
        assertTrue(ClLibrary.isSharedObject(jvm));
    }

    @Test
    void the_loader_cache_is_read_for_full_paths_of_the_unversioned_name(@TempDir Path dir) throws IOException {
        byte[] cache = ("glibc-ld.so.cache1.1\0libOpenCL.so.1\0/usr/lib/x/libOpenCL.so.1\0libOpenCL.so\0"
                + "/usr/lib/x/libOpenCL.so\0libm.so.6\0/lib/libm.so.6\0").getBytes(StandardCharsets.ISO_8859_1);
        Path file = Files.write(dir.resolve("ld.so.cache"), cache);
        assertEquals(List.of(Path.of("/usr/lib/x/libOpenCL.so")), ClLibrary.fromLoaderCache(file));
        assertEquals(List.of(), ClLibrary.fromLoaderCache(dir.resolve("absent")));
    }

    @Test
    void without_the_library_discovery_says_so_and_names_the_remedy() {
        boolean expected = Boolean.getBoolean("clgrad.expectNoOpenCL");
        if (!expected) {
            Assumptions.assumeTrue(ClLibrary.searchable() && ClLibrary.locate().isEmpty(),
                    "libOpenCL.so is installed here; .ci/run hides it for one pass with -Dclgrad.expectNoOpenCL=true");
        }
        assertTrue(ClLibrary.locate().isEmpty(), "-Dclgrad.expectNoOpenCL=true but found " + ClLibrary.locate());
        BackendProvider.Discovery d = ClBackendProvider.discover(null, null);
        assertTrue(d.backends().isEmpty());
        String reason = d.unavailableReason();
        assertTrue(reason.contains("could not be loaded") && reason.contains("libOpenCL.so")
                && reason.contains("pocl-opencl-icd"), reason);
    }
}
