package dev.clgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.clgrad.Device;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each seed-notebook twin prints, on the CPU device, exactly what its Python twin printed
 * with real PyTorch 1.13 ({@code tools/golden/seed_twins.py}, recorded in
 * {@code src/test/resources/seeds/seedNNN.txt}).
 */
class SeedExamplesTest {
    private Device previousDevice;

    @BeforeEach
    void useTheCpuDevice() {
        // on the CPU device tensors print without a device='...' suffix, as PyTorch's do
        previousDevice = Device.getDefault();
        Device.setDefault(Device.cpu());
    }

    @AfterEach
    void restoreTheDefaultDevice() {
        Device.setDefault(previousDevice);
    }

    @Test
    void seed_000_prints_what_pytorch_prints() {
        assertPrintsRecordedOutput(Seed000VariablesAndGradients::main, "seed000.txt");
    }

    @Test
    void seed_001_prints_what_pytorch_prints() {
        assertPrintsRecordedOutput(Seed001VariableAutograd::main, "seed001.txt");
    }

    @Test
    void seed_002_prints_what_pytorch_prints() {
        assertPrintsRecordedOutput(Seed002VariablesAndGradients::main, "seed002.txt");
    }

    @Test
    void seed_003_prints_what_pytorch_prints() {
        assertPrintsRecordedOutput(Seed003GradientExamples::main, "seed003.txt");
    }

    @Test
    void seed_004_prints_what_pytorch_prints() {
        assertPrintsRecordedOutput(Seed004AutogradTutorial::main, "seed004.txt");
    }

    private static void assertPrintsRecordedOutput(Consumer<String[]> main, String resource) {
        String expected = readResource("/seeds/" + resource);
        String actual = captureStdout(main);
        assertEquals(expected, actual, () -> firstDifference(resource, expected, actual));
    }

    /** Runs {@code main} with System.out captured; System.out is restored even if it throws. */
    private static String captureStdout(Consumer<String[]> main) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            main.accept(new String[0]);
        } finally {
            System.setOut(original);
        }
        // the recorded files use '\n' whatever the platform
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    private static String readResource(String path) {
        try (InputStream in = SeedExamplesTest.class.getResourceAsStream(path)) {
            assertNotNull(in, () -> "missing test resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test resource " + path, e);
        }
    }

    /** Names the first line where the printed output leaves the recorded one. */
    private static String firstDifference(String resource, String expected, String actual) {
        String[] want = expected.split("\n", -1);
        String[] got = actual.split("\n", -1);
        int n = Math.min(want.length, got.length);
        for (int i = 0; i < n; i++) {
            if (!want[i].equals(got[i])) {
                return String.format("%s: first difference at line %d%n  expected: %s%n  actual:   %s%n",
                        resource, i + 1, want[i], got[i]);
            }
        }
        return String.format("%s: output has %d lines, the recording %d (first extra line %d: %s)%n",
                resource, got.length, want.length, n + 1,
                got.length > n ? got[n] : want[n]);
    }
}
