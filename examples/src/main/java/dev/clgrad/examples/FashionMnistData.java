package dev.clgrad.examples;

import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.data.Idx;
import dev.clgrad.data.TensorDataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Where the trainer's Fashion-MNIST files come from: a folder the user names, Debian's
 * {@code dataset-fashion-mnist} package, or the small subset shipped in this module's resources
 * (2,000 training and 500 test images, written by {@code tools/data/make_fashion_mnist_subset.py}).
 *
 * @param dir the folder holding the four IDX files
 * @param subset whether it is the shipped subset rather than the full set
 */
public record FashionMnistData(Path dir, boolean subset) {
    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The one line printed when the trainer falls back to the shipped subset. */
    public static final String FULL_SET_HINT = "full data set: apt-get install dataset-fashion-mnist, or --data DIR";
    private static final String SUBSET_RESOURCE = "fashion-mnist-subset/";
    private static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /**
     * The data in {@code dir} when it is not null (an error when a file is missing there), else
     * Debian's folder when it holds all four files, else the shipped subset unpacked to a
     * temporary folder.
     */
    public static FashionMnistData locate(Path dir) {
        return locate(dir, DEBIAN_DIR);
    }

    /** {@link #locate(Path)} with Debian's folder at {@code debianDir} (tests name one that is empty). */
    static FashionMnistData locate(Path dir, Path debianDir) {
        if (dir != null) {
            for (String name : FILES) {
                find(dir, name);
            }
            return new FashionMnistData(dir, false);
        }
        if (FILES.stream().allMatch(name -> exists(debianDir, name))) {
            return new FashionMnistData(debianDir, false);
        }
        return new FashionMnistData(unpackSubset(), true);
    }

    /** The training images {@code [N, 28, 28]} and labels {@code [N]} (UINT8), on the CPU backend. */
    public TensorDataset train() {
        return read("train");
    }

    /** The test images and labels, as {@link #train()}. */
    public TensorDataset test() {
        return read("t10k");
    }

    /** A line saying what data this is, for the trainer's output. */
    public String describe() {
        return subset ? "the small subset shipped with clgrad (unpacked to " + dir + ")" : dir.toString();
    }

    private TensorDataset read(String kind) {
        // read on the CPU backend: the loader keeps a host copy and uploads each batch itself
        Tensor images = Idx.read(find(dir, kind + "-images-idx3-ubyte"), Device.cpu());
        Tensor labels = Idx.read(find(dir, kind + "-labels-idx1-ubyte"), Device.cpu());
        return new TensorDataset(images, labels);
    }

    private static boolean exists(Path dir, String name) {
        return Files.isRegularFile(dir.resolve(name + ".gz")) || Files.isRegularFile(dir.resolve(name));
    }

    /** {@code name.gz}, or {@code name} unpacked (as some downloads leave it). */
    private static Path find(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new IllegalArgumentException("Fashion-MNIST: " + dir + " has no " + name + ".gz (nor " + name
                + "); --data DIR needs the four IDX files train-{images-idx3,labels-idx1}-ubyte.gz and "
                + "t10k-{images-idx3,labels-idx1}-ubyte.gz, as apt-get install dataset-fashion-mnist puts in "
                + DEBIAN_DIR);
    }

    private static Path unpackSubset() {
        try {
            Path dir = Files.createTempDirectory("clgrad-fashion-mnist-subset");
            dir.toFile().deleteOnExit();
            for (String name : FILES) {
                String resource = SUBSET_RESOURCE + name + ".gz";
                try (InputStream in = FashionMnistData.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalStateException("Fashion-MNIST: the shipped subset's " + resource
                                + " is missing from the classpath; rebuild the examples module");
                    }
                    Path file = dir.resolve(name + ".gz");
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    file.toFile().deleteOnExit();
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Fashion-MNIST: cannot unpack the shipped subset: " + e.getMessage(), e);
        }
    }
}
