package dev.clgrad.data;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.spi.ElementType;
import dev.clgrad.spi.Philox;
import dev.clgrad.spi.RandomOp;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The sample order of a shuffled epoch, a function of a 64-bit seed and the epoch number only.
 *
 * <p>Epoch {@code e} of {@code n} samples draws {@code n} keys with the Philox reference
 * ({@link Philox#fill}, UNIFORM FLOAT64: 53-bit keys) under {@code seed}, from counter group
 * {@code e * groups(n)}, so epochs use disjoint counters; the permutation lists the sample
 * indices by ascending key, equal keys by ascending index (a stable sort). The keys come from
 * the host reference, never a device, so every device sees the same order.
 */
final class Shuffle {
    private Shuffle() {
    }

    /** The order of samples {@code 0..n-1} in epoch {@code epoch} under {@code seed}. */
    static int[] permutation(int n, long seed, long epoch) {
        long groups = Philox.groups(RandomOp.UNIFORM, ElementType.FLOAT64, n);
        double[] keys = new double[n];
        Philox.fill(RandomOp.UNIFORM, ElementType.FLOAT64, seed, epoch * groups, 0, keys);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Arrays.sort on objects is a stable merge sort: ties keep ascending index order
        Arrays.sort(order, Comparator.comparingDouble(i -> keys[i]));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /**
     * A seed drawn from clgrad's default generator (so {@link Tensor#manualSeed} makes it
     * reproducible), as PyTorch's {@code RandomSampler} draws one per epoch: two float64
     * uniforms, 53 random bits each, folded into 64 bits. Drawn on the CPU device, whose
     * Philox stream every device shares.
     */
    static long seedFromDefaultGenerator() {
        try (Tensor u = Tensor.rand(DType.FLOAT64, Device.cpu(), 2)) {
            double[] v = u.toDoubleArray();
            long hi = (long) (v[0] * 0x1p53);
            long lo = (long) (v[1] * 0x1p53);
            return (hi << 11) ^ lo;
        }
    }
}
