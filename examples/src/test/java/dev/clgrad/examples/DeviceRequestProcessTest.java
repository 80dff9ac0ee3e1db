package dev.clgrad.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM that asks for an OpenCL device it cannot have gets an error that says why, not just
 * which devices exist: without the JVM's signal chaining (no {@code LD_PRELOAD} of
 * {@code libjsig.so}) PoCL is not opened, and the error gives the preload line; without an
 * OpenCL library it says that.
 */
class DeviceRequestProcessTest {

    @Test
    void asking_for_opencl_without_signal_chaining_names_the_cause_and_the_remedy()
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-Dclgrad.device=opencl", "-cp",
                System.getProperty("java.class.path"), Devices.class.getName()));
        pb.environment().remove("LD_PRELOAD");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the process did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() == 0) {
            // a driver that does not replace the JVM's signal handlers opens without chaining
            assertTrue(text.contains("opencl:0") && !text.contains("Portable Computing Language"), text);
            return;
        }
        assertTrue(text.contains("no device named 'opencl'") && text.contains("No OpenCL device is available because"),
                text);
        assertTrue(text.contains("LD_PRELOAD=") || text.contains("could not be loaded")
                || text.contains("no OpenCL platform"), "the reason: " + text);
    }
}
