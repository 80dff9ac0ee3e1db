package dev.clgrad.data;

import dev.clgrad.Device;
import dev.clgrad.Tensor;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Batches of a {@link TensorDataset} ({@code torch.utils.data.DataLoader} with
 * {@code num_workers=0}, plus a prefetch thread): each {@link #iterator()} is one epoch, and
 * each batch is a list with one tensor per dataset tensor, in the dataset's order, holding
 * {@code batchSize} consecutive samples of the epoch's order (the last batch holds the rest,
 * or is dropped with {@link #dropLast}).
 *
 * <pre>{@code
 * DataLoader loader = new DataLoader(new TensorDataset(images, labels), 64).shuffle(true).seed(0);
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     try (TensorScope scope = TensorScope.open()) {
 *         for (List<Tensor> batch : loader) {
 *             Tensor x = batch.get(0), y = batch.get(1);
 *             ...
 *         }
 *     }   // closes every batch of the epoch
 * }
 * }</pre>
 *
 * <p><b>Order.</b> Without {@link #shuffle} the samples come in dataset order. With it, each
 * epoch draws a permutation: with {@link #seed} it is a function of the seed and the epoch
 * number only (the first {@code iterator()} after {@code seed} is epoch 0), so loaders with the
 * same seed give the same batches on every device; without a seed, each epoch draws its own
 * seed from clgrad's default generator (as PyTorch's {@code RandomSampler} does), which
 * {@link Tensor#manualSeed} makes reproducible. The permutation sorts the sample indices by
 * Philox keys drawn on the host; see {@code Shuffle} for the exact rule.
 *
 * <p><b>Where batches are made.</b> The dataset is read to host memory once (on the thread
 * that starts the first epoch; again after an in-place change to a dataset tensor); each batch
 * is gathered from that copy and uploaded to {@link #device} (by default the default device
 * when the epoch starts) on a background thread, while the caller works on the previous batch.
 * Batches are new tensors that never require grad. {@link BatchIterator} says who closes them.
 *
 * <p>Settings apply to epochs started after they are set. A loader may run several epochs at
 * once (each iterator is independent), but is not itself thread-safe.
 */
public final class DataLoader implements Iterable<List<Tensor>> {
    private final TensorDataset dataset;
    private final int batchSize;
    private boolean shuffle;
    private boolean dropLast;
    private boolean seeded;
    private long seed;
    /** Epochs started since {@link #seed} was set (or since creation): the next epoch's number. */
    private long epoch;
    private Device device;
    private UnaryOperator<List<Tensor>> transform;

    /**
     * A loader of {@code dataset} in batches of {@code batchSize} samples, in order, keeping a
     * last partial batch.
     *
     * @throws IllegalArgumentException when {@code batchSize <= 0}, with PyTorch's message
     */
    public DataLoader(TensorDataset dataset, int batchSize) {
        this.dataset = Objects.requireNonNull(dataset, "DataLoader: argument 'dataset' is null");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size="
                    + batchSize);
        }
        this.batchSize = batchSize;
    }

    /**
     * Whether each epoch visits the samples in a new random order (default false).
     *
     * @throws IllegalArgumentException when {@code shuffle} is true and the dataset is empty,
     *     with PyTorch's message
     */
    public DataLoader shuffle(boolean shuffle) {
        if (shuffle && dataset.size() == 0) {
            throw new IllegalArgumentException("num_samples should be a positive integer value, but got num_samples=0");
        }
        this.shuffle = shuffle;
        return this;
    }

    /**
     * Makes shuffled orders a function of {@code seed} and the epoch number (PyTorch's
     * {@code generator=torch.Generator().manual_seed(seed)}); the next epoch is epoch 0 again.
     * Has no effect without {@link #shuffle}.
     */
    public DataLoader seed(long seed) {
        this.seeded = true;
        this.seed = seed;
        this.epoch = 0;
        return this;
    }

    /** Whether to drop a last batch smaller than {@code batchSize} (default false). */
    public DataLoader dropLast(boolean dropLast) {
        this.dropLast = dropLast;
        return this;
    }

    /** The device batches are put on (default: the default device when each epoch starts). */
    public DataLoader device(Device device) {
        this.device = Objects.requireNonNull(device, "DataLoader.device: argument 'device' is null");
        return this;
    }

    /**
     * A function applied to each batch on the prefetch thread after upload (a batch-level
     * {@code collate_fn}), so that work such as {@code images.to(DType.FLOAT32).div(255)} overlaps
     * the caller's step. It receives the batch's tensors and returns the tensors to hand over:
     * new tensors or some of those it received (others are closed); tensors it creates and does
     * not return are closed when it returns. {@code null} removes it.
     */
    public DataLoader transform(UnaryOperator<List<Tensor>> transform) {
        this.transform = transform;
        return this;
    }

    /** The dataset this loader batches. */
    public TensorDataset dataset() {
        return dataset;
    }

    /** The number of samples per batch. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Batches per epoch ({@code len(loader)}): {@code ceil(n / batchSize)}, or
     * {@code floor(n / batchSize)} with {@link #dropLast}.
     */
    public int size() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (int) ((n + (long) batchSize - 1) / batchSize);
    }

    /**
     * Starts an epoch: reads the dataset to the host if needed, draws the epoch's order, and
     * starts preparing its first batches in the background.
     */
    @Override
    public BatchIterator iterator() {
        Device target = device != null ? device : Device.getDefault();
        List<HostRows> rows = dataset.hostRows();
        int n = dataset.size();
        long thisEpoch = epoch++;
        int[] order = null;
        if (shuffle) {
            order = seeded ? Shuffle.permutation(n, seed, thisEpoch)
                    : Shuffle.permutation(n, Shuffle.seedFromDefaultGenerator(), 0);
        }
        return new BatchIterator(rows, order, n, batchSize, size(), target, transform);
    }
}
