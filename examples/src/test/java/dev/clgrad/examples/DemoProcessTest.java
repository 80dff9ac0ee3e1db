package dev.clgrad.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's demo in a JVM of its own, as a user runs it: it finishes, learns the line, and
 * prints nothing of JOCL's native part (which writes to the process's standard output, out of
 * reach of an in-process test) whether or not {@code libOpenCL.so} is installed.
 */
class DemoProcessTest {

    @Test
    void the_demo_runs_in_its_own_jvm_and_prints_no_native_library_noise() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                Demo.class.getName()));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the demo did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("learned w = 3.00"), text);
        assertFalse(text.contains("Could not load"), text);
        assertFalse(text.contains("Exception"), text);
    }
}
