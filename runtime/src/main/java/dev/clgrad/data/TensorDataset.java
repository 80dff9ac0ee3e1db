package dev.clgrad.data;

import dev.clgrad.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A dataset of samples laid out along the first dimension of one or more tensors
 * ({@code torch.utils.data.TensorDataset}): sample {@code i} is {@code (t0[i], t1[i], ...)}, so
 * every tensor must have the same size in dimension 0.
 *
 * <p>The dataset holds the tensors it was given; it neither copies nor closes them. A
 * {@link DataLoader} reads them to host memory once (at the first epoch) and keeps that copy
 * for later epochs; an in-place change to a tensor (which bumps its {@link Tensor#version()})
 * makes the next epoch read it again.
 */
public final class TensorDataset {
    private final List<Tensor> tensors;
    private final int size;
    /** The host copy of each tensor and the versions it was read at; null until a loader asks. */
    private List<HostRows> hostRows;
    private int[] hostVersions;

    /**
     * A dataset over {@code tensors}, whose first dimensions must agree.
     *
     * @throws IllegalArgumentException with PyTorch's "Size mismatch between tensors" when the
     *     first dimensions differ, and when there is no tensor or one has no dimensions
     */
    public TensorDataset(Tensor... tensors) {
        Objects.requireNonNull(tensors, "TensorDataset: argument 'tensors' is null");
        if (tensors.length == 0) {
            throw new IllegalArgumentException("TensorDataset: needs at least one tensor (the first dimension of each "
                    + "is the sample)");
        }
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = Objects.requireNonNull(tensors[i], "TensorDataset: tensor " + i + " is null");
            if (t.dim() == 0) {
                throw new IllegalArgumentException("TensorDataset: tensor " + i + " is 0-dim, but the first dimension "
                        + "is the sample: dimension specified as 0 but tensor has no dimensions; reshape it to [1]");
            }
        }
        long first = tensors[0].size(0);
        for (int i = 1; i < tensors.length; i++) {
            if (tensors[i].size(0) != first) {
                throw new IllegalArgumentException("Size mismatch between tensors: tensor 0 has " + first
                        + " samples (shape " + Arrays.toString(tensors[0].shape()) + ") but tensor " + i + " has "
                        + tensors[i].size(0) + " (shape " + Arrays.toString(tensors[i].shape())
                        + "); every tensor needs the same size in dimension 0");
            }
        }
        if (first > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("TensorDataset: " + first + " samples are more than an int counts");
        }
        this.tensors = List.of(tensors);
        this.size = (int) first;
    }

    /** The number of samples ({@code len(dataset)}): the size of every tensor's first dimension. */
    public int size() {
        return size;
    }

    /** The tensors, in the order given. */
    public List<Tensor> tensors() {
        return tensors;
    }

    /**
     * Sample {@code index} ({@code dataset[index]}): each tensor's slice at {@code index} along
     * dimension 0, a view sharing its storage. Negative indices count from the end.
     */
    public List<Tensor> get(long index) {
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("TensorDataset.get: index " + index + " is out of bounds for a "
                    + "dataset of " + size + " samples");
        }
        long i = index < 0 ? index + size : index;
        List<Tensor> sample = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            sample.add(t.select(0, i));
        }
        return sample;
    }

    /**
     * The host copy of every tensor, read now when there is none yet or a tensor changed in
     * place since. Reads run on the calling thread.
     */
    synchronized List<HostRows> hostRows() {
        int[] versions = new int[tensors.size()];
        for (int i = 0; i < versions.length; i++) {
            versions[i] = tensors.get(i).version();
        }
        if (hostRows == null || !Arrays.equals(versions, hostVersions)) {
            List<HostRows> rows = new ArrayList<>(tensors.size());
            for (int i = 0; i < tensors.size(); i++) {
                rows.add(HostRows.read(tensors.get(i), i));
            }
            hostRows = List.copyOf(rows);
            hostVersions = versions;
        }
        return hostRows;
    }
}
