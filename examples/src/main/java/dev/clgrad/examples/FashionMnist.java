package dev.clgrad.examples;

import dev.clgrad.Device;
import dev.clgrad.data.TensorDataset;
import dev.clgrad.io.Safetensors;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The README's main demo: trains an MLP classifier on Fashion-MNIST ({@link FashionMnistRecipe})
 * with a progress bar per epoch, prints the test accuracy after each epoch, and saves the
 * weights (safetensors) and the loss curve (PNG).
 *
 * <pre>
 * --data DIR         the four IDX files (default: Debian's /usr/share/datasets/fashion-mnist,
 *                    else the small subset shipped with clgrad)
 * --epochs N         epochs to train (default 3)
 * --device NAME      cpu, opencl:0, ... (default: the default device, see Device.getDefault())
 * --out DIR          where the weights and the plot go (default target/fashion-mnist)
 * --max-batches N    train at most N batches per epoch (a quick run)
 * </pre>
 */
public final class FashionMnist {
    private static final String USAGE = "usage: FashionMnist [--data DIR] [--epochs N] [--device cpu|opencl:N] "
            + "[--out DIR] [--max-batches N]";

    private FashionMnist() {
    }

    /** What a run produced. */
    record Result(List<Double> epochLosses, List<Double> accuracies, Path weights, Path plot) {
    }

    /** Runs the trainer; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        run(args, System.out);
    }

    /** The trainer's options: {@code dataDir} null means the default data. */
    record Options(Path dataDir, int epochs, Device device, Path outDir, int maxBatches) {
        static Options parse(String[] args) {
            Path dataDir = null;
            Path outDir = Path.of("target", "fashion-mnist");
            int epochs = 3;
            int maxBatches = Integer.MAX_VALUE;
            Device device = null;
            for (int i = 0; i < args.length; i += 2) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--data" -> dataDir = Path.of(need(args[i], value));
                    case "--epochs" -> epochs = positive(args[i], need(args[i], value));
                    case "--device" -> device = Device.of(need(args[i], value));
                    case "--out" -> outDir = Path.of(need(args[i], value));
                    case "--max-batches" -> maxBatches = positive(args[i], need(args[i], value));
                    default -> throw new IllegalArgumentException("FashionMnist: unknown argument '" + args[i] + "'; "
                            + USAGE);
                }
            }
            return new Options(dataDir, epochs, device, outDir, maxBatches);
        }
    }

    /** Runs the trainer with {@code args}, printing to {@code out}. */
    static Result run(String[] args, PrintStream out) throws IOException {
        Options options = Options.parse(args);
        return train(options, FashionMnistData.locate(options.dataDir()), out);
    }

    /**
     * Trains on {@code data} as {@code options} say (their data folder is not read again), on
     * their device made the default for the run (and restored after).
     */
    static Result train(Options options, FashionMnistData data, PrintStream out) throws IOException {
        Device previous = Device.getDefault();
        Device.setDefault(options.device() != null ? options.device() : previous);
        try {
            return train(Device.getDefault(), options, data, out);
        } finally {
            Device.setDefault(previous);
        }
    }

    private static Result train(Device device, Options options, FashionMnistData data, PrintStream out)
            throws IOException {
        int epochs = options.epochs();
        Path outDir = options.outDir();
        TensorDataset trainSet = data.train();
        TensorDataset testSet = data.test();
        out.println("clgrad Fashion-MNIST MLP on " + device + " (" + device.info().name() + ")");
        out.printf(Locale.ROOT, "data: %s (%d training, %d test images)%n", data.describe(), trainSet.size(),
                testSet.size());
        if (data.subset()) {
            out.println(FashionMnistData.FULL_SET_HINT);
        }

        List<Double> batchLosses = new ArrayList<>();
        List<Double> epochLosses = new ArrayList<>();
        List<Double> accuracies = new ArrayList<>();
        try (FashionMnistRecipe recipe = new FashionMnistRecipe(trainSet, testSet, epochs, options.maxBatches())) {
            out.printf(Locale.ROOT, "model: %s%nrecipe: inputs (x/255 - %s) / %s, Adam lr %s with cosine annealing "
                            + "over %d steps, batch %d, seed %d%n", recipe.model(),
                    FashionMnistRecipe.MEAN, FashionMnistRecipe.STD, FashionMnistRecipe.LEARNING_RATE,
                    epochs * recipe.batchesPerEpoch(), FashionMnistRecipe.BATCH_SIZE, FashionMnistRecipe.SEED);
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long start = System.nanoTime();
                double loss;
                try (TrainingProgress progress = new TrainingProgress("epoch " + epoch + "/" + epochs,
                        recipe.batchesPerEpoch(), out)) {
                    loss = recipe.trainEpoch(batchLoss -> {
                        batchLosses.add(batchLoss);
                        progress.step(batchLoss);
                    });
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double accuracy = recipe.testAccuracy();
                epochLosses.add(loss);
                accuracies.add(accuracy);
                out.printf(Locale.ROOT, "epoch %d/%d: train loss %.6f, test accuracy %.2f%%, %.1f s (%.1f batches/s)%n",
                        epoch, epochs, loss, 100 * accuracy, seconds, recipe.batchesPerEpoch() / seconds);
            }

            Path weights = outDir.resolve("fashion_mnist_mlp.safetensors").toAbsolutePath();
            Files.createDirectories(weights.getParent());
            Safetensors.save(recipe.model().stateDict(), Map.of(
                    "model", recipe.model().toString(),
                    "test_accuracy", String.format(Locale.ROOT, "%.4f", accuracies.get(accuracies.size() - 1)),
                    "epochs", Integer.toString(epochs)), weights);
            out.println("weights: " + weights);
            Path plot = outDir.resolve("fashion_mnist_loss.png").toAbsolutePath();
            LossPlot.write(batchLosses, epochLosses, recipe.batchesPerEpoch(),
                    "Fashion-MNIST MLP on " + device + ", training loss", plot);
            out.println("loss curve: " + plot);
            return new Result(epochLosses, accuracies, weights, plot);
        }
    }

    private static String need(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException("FashionMnist: " + option + " needs a value; " + USAGE);
        }
        return value;
    }

    private static int positive(String option, String value) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("FashionMnist: " + option + " takes a positive whole number, not '"
                    + value + "'", e);
        }
        if (n <= 0) {
            throw new IllegalArgumentException("FashionMnist: " + option + " takes a positive whole number, not " + n);
        }
        return n;
    }
}
