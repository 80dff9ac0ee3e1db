package dev.clgrad.examples;

import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.io.Safetensors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Fashion-MNIST trainer for a few batches on every device: on the subset shipped with the
 * examples (what a machine without Debian's package trains on) and on the full set when
 * {@code dataset-fashion-mnist} is installed (CI installs it). The loss falls, the two devices
 * agree, and the weights and the plot are written.
 */
class FashionMnistTest {
    /** Batches per epoch: enough for the loss to fall clearly, few enough to take seconds. */
    private static final int BATCHES = 6;

    @Test
    void without_debian_data_it_trains_on_the_shipped_subset_and_says_how_to_get_the_full_set(@TempDir Path tmp)
            throws IOException {
        FashionMnistData data = FashionMnistData.locate(null, tmp.resolve("no-such-folder"));
        assertTrue(data.subset());
        List<List<Double>> losses = new ArrayList<>();
        for (Device device : devices()) {
            Output run = train(device, data, tmp.resolve(device.toString().replace(':', '-')));
            assertTrue(run.text().contains("(2000 training, 500 test images)"), run.text());
            assertTrue(run.text().contains(FashionMnistData.FULL_SET_HINT), run.text());
            losses.add(run.result().epochLosses());
        }
        assertDevicesAgree(losses);
    }

    @Test
    void with_debian_data_it_trains_on_the_full_set(@TempDir Path tmp) throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnistData.DEBIAN_DIR),
                "Debian's dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)");
        FashionMnistData data = FashionMnistData.locate(null);
        assertFalse(data.subset());
        List<List<Double>> losses = new ArrayList<>();
        for (Device device : devices()) {
            Output run = train(device, data, tmp.resolve(device.toString().replace(':', '-')));
            assertTrue(run.text().contains("(60000 training, 10000 test images)"), run.text());
            assertFalse(run.text().contains(FashionMnistData.FULL_SET_HINT), run.text());
            losses.add(run.result().epochLosses());
        }
        assertDevicesAgree(losses);
    }

    @Test
    void a_missing_data_file_is_refused_with_the_file_and_the_remedy(@TempDir Path tmp) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> FashionMnistData.locate(tmp));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && e.getMessage().contains("apt-get install"),
                e.getMessage());
    }

    @Test
    void unknown_and_malformed_options_are_refused_with_the_usage() {
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.Options.parse(new String[] {"--epoch", "2"}));
        assertTrue(unknown.getMessage().contains("'--epoch'") && unknown.getMessage().contains("usage"),
                unknown.getMessage());
        var zero = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.Options.parse(new String[] {"--epochs", "0"}));
        assertTrue(zero.getMessage().contains("--epochs"), zero.getMessage());
        var missing = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.Options.parse(new String[] {"--data"}));
        assertTrue(missing.getMessage().contains("needs a value"), missing.getMessage());
    }

    private record Output(FashionMnist.Result result, String text) {
    }

    /** Two short epochs on {@code device}, with the checks every run must pass. */
    private static Output train(Device device, FashionMnistData data, Path out) throws IOException {
        var options = new FashionMnist.Options(null, 2, device, out, BATCHES);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FashionMnist.Result result;
        try (PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            result = FashionMnist.train(options, data, print);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("clgrad Fashion-MNIST MLP on " + device), text);
        List<Double> losses = result.epochLosses();
        assertEquals(2, losses.size());
        // a fresh model's cross entropy over 10 classes is near ln 10 = 2.30; Adam brings it well down in 12 steps
        assertTrue(losses.get(0) < 2.0 && losses.get(1) < losses.get(0) * 0.8, "epoch losses " + losses + "\n" + text);
        assertTrue(result.accuracies().get(1) > 0.5, "accuracy " + result.accuracies() + "\n" + text);
        assertTrue(text.contains("epoch 2/2: train loss"), text);
        // the progress bar printed plain lines (a test has no console), each with the rate and the loss
        assertTrue(text.lines().anyMatch(l -> l.startsWith("epoch 1/2 100%") && l.contains("batches/s")
                && l.contains("loss")), text);

        assertTrue(text.contains("weights: " + result.weights()), text);
        Map<String, Tensor> saved = Safetensors.load(result.weights(), Device.cpu());
        assertEquals(Set.of("0.weight", "0.bias", "2.weight", "2.bias"), saved.keySet());
        assertArrayEquals(new long[] {1024, 784}, saved.get("0.weight").shape());
        assertArrayEquals(new long[] {10}, saved.get("2.bias").shape());
        saved.values().forEach(Tensor::close);

        assertTrue(text.contains("loss curve: " + result.plot()), text);
        byte[] png = Files.readAllBytes(result.plot());
        assertTrue(png.length > 10_000, "a PNG of " + png.length + " bytes");
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        return new Output(result, text);
    }

    /** Every device's epoch losses within a relative 1e-3 of the first device's. */
    private static void assertDevicesAgree(List<List<Double>> losses) {
        for (List<Double> other : losses.subList(1, losses.size())) {
            for (int e = 0; e < other.size(); e++) {
                double a = losses.get(0).get(e);
                double b = other.get(e);
                assertTrue(Math.abs(a - b) <= 1e-3 * Math.abs(a), "epoch " + (e + 1) + " losses " + losses);
            }
        }
    }

    /** Every device; with {@code -Dclgrad.requireOpenCL=true} (CI) an OpenCL one must be among them. */
    private static List<Device> devices() {
        List<Device> devices = Device.available();
        if (Boolean.getBoolean("clgrad.requireOpenCL")) {
            assertTrue(devices.stream().anyMatch(d -> !d.equals(Device.cpu())),
                    "clgrad.requireOpenCL is set but only " + devices + " are available");
        }
        return devices;
    }
}
