package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;
import dev.clgrad.data.BatchIterator;
import dev.clgrad.data.DataLoader;
import dev.clgrad.data.TensorDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code DataLoader} and {@code TensorDataset} as PyTorch's (batch contents, order, sizes,
 * {@code len}, messages), their seeded and unseeded shuffles, the prefetch thread (runs ahead,
 * passes its exceptions on, ends when abandoned) and who releases the batches.
 */
@ExtendWith(OnDevice.class)
class DataLoaderTest {
    private static final String DEVICES = "dev.clgrad.it.OnDevice#devices";

    /** Samples {@code 0..n-1}: features {@code [i, 10 i]} (float32) and label {@code i} (int64). */
    private static TensorDataset numbered(int n) {
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 * i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    /** The labels (sample indices) of every batch of one epoch, closing the batches. */
    private static List<long[]> labels(DataLoader loader) {
        List<long[]> out = new ArrayList<>();
        try (TensorScope scope = TensorScope.open()) {
            for (List<Tensor> batch : loader) {
                out.add(batch.get(1).toLongArray());
            }
        }
        return out;
    }

    private static long[] flat(List<long[]> batches) {
        return batches.stream().flatMapToLong(Arrays::stream).toArray();
    }

    private static List<Thread> prefetchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("clgrad-data-prefetch-") && t.isAlive())
                .collect(Collectors.toList());
    }

    private static long live(Device d) {
        d.synchronize();
        return d.memoryStats().liveBytes();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void batches_come_in_dataset_order_with_a_last_partial_batch(Device d) {
        OnDevice.use(d);
        DataLoader loader = new DataLoader(numbered(10), 4);
        assertEquals(3, loader.size());
        List<List<Tensor>> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(3, batches.size());
        long[][] expectedLabels = {{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}};
        for (int b = 0; b < 3; b++) {
            List<Tensor> batch = batches.get(b);
            assertEquals(2, batch.size(), "one tensor per dataset tensor");
            Tensor x = batch.get(0);
            Tensor y = batch.get(1);
            int rows = expectedLabels[b].length;
            assertArrayEquals(new long[] {rows, 2}, x.shape());
            assertArrayEquals(new long[] {rows}, y.shape());
            assertEquals(DType.FLOAT32, x.dtype());
            assertEquals(DType.INT64, y.dtype());
            assertSame(d, x.device());
            assertSame(d, y.device());
            assertFalse(x.requiresGrad());
            assertArrayEquals(expectedLabels[b], y.toLongArray());
            float[] expectedX = new float[2 * rows];
            for (int r = 0; r < rows; r++) {
                expectedX[2 * r] = expectedLabels[b][r];
                expectedX[2 * r + 1] = 10 * expectedLabels[b][r];
            }
            assertArrayEquals(expectedX, x.toFloatArray());
            batch.forEach(Tensor::close);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void drop_last_drops_the_partial_batch(Device d) {
        OnDevice.use(d);
        DataLoader loader = new DataLoader(numbered(10), 4).dropLast(true);
        assertEquals(2, loader.size());
        List<long[]> batches = labels(loader);
        assertEquals(2, batches.size());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7}, flat(batches));
        assertEquals(2, labels(loader.shuffle(true).seed(3)).size(), "shuffled epochs drop the last batch too");
    }

    @Test
    void size_is_len_of_the_pytorch_data_loader() {
        // len(DataLoader(TensorDataset(torch.zeros(n)), batch_size=b, drop_last=dl)) in PyTorch 1.13
        int[][] cases = {{10, 4, 0, 3}, {10, 4, 1, 2}, {8, 4, 0, 2}, {8, 4, 1, 2}, {3, 5, 0, 1}, {3, 5, 1, 0},
            {0, 2, 0, 0}, {0, 2, 1, 0}, {1, 1, 0, 1}, {7, 1, 1, 7}};
        for (int[] c : cases) {
            DataLoader loader = new DataLoader(new TensorDataset(Tensor.zeros(c[0])), c[1]).dropLast(c[2] == 1);
            assertEquals(c[3], loader.size(), "n=" + c[0] + ", batch_size=" + c[1] + ", drop_last=" + (c[2] == 1));
            int count = 0;
            for (List<Tensor> batch : loader) {
                count++;
                batch.forEach(Tensor::close);
            }
            assertEquals(c[3], count, "batches an epoch gives");
        }
    }

    @Test
    void an_empty_dataset_gives_no_batches_and_cannot_shuffle() {
        DataLoader loader = new DataLoader(new TensorDataset(Tensor.zeros(0, 3)), 2);
        Iterator<List<Tensor>> it = loader.iterator();
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader.shuffle(true));
        assertEquals("num_samples should be a positive integer value, but got num_samples=0", e.getMessage());
    }

    @Test
    void batch_size_must_be_positive_with_pytorchs_message() {
        TensorDataset ds = numbered(4);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new DataLoader(ds, 0));
        assertEquals("batch_size should be a positive integer value, but got batch_size=0", zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new DataLoader(ds, -3));
        assertEquals("batch_size should be a positive integer value, but got batch_size=-3", negative.getMessage());
        assertThrows(NullPointerException.class, () -> new DataLoader(null, 2));
        assertThrows(NullPointerException.class, () -> new DataLoader(ds, 2).device(null));
    }

    @Test
    void tensors_of_a_dataset_must_agree_on_their_first_dimension() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.zeros(4, 2), Tensor.zeros(3)));
        assertTrue(e.getMessage().startsWith("Size mismatch between tensors"), e.getMessage());
        assertTrue(e.getMessage().contains("[4, 2]") && e.getMessage().contains("[3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, TensorDataset::new);
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.scalar(1)));
        TensorDataset ok = new TensorDataset(Tensor.zeros(4, 2), Tensor.zeros(4));
        assertEquals(4, ok.size());
        assertEquals(2, ok.tensors().size());
    }

    @Test
    void a_dataset_item_is_each_tensors_row() {
        TensorDataset ds = numbered(5);
        List<Tensor> sample = ds.get(3);
        assertArrayEquals(new float[] {3, 30}, sample.get(0).toFloatArray());
        assertEquals(3, sample.get(1).item());
        assertEquals(4, ds.get(-1).get(1).item(), "negative indices count from the end");
        assertThrows(IndexOutOfBoundsException.class, () -> ds.get(5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void shuffle_visits_every_sample_once_per_epoch_and_epochs_differ(Device d) {
        OnDevice.use(d);
        int n = 50;
        DataLoader loader = new DataLoader(numbered(n), 8).shuffle(true);
        long[] sorted = new long[n];
        Arrays.setAll(sorted, i -> i);
        List<long[]> epochs = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            List<long[]> batches = labels(loader);
            assertEquals(7, batches.size());
            assertEquals(2, batches.get(6).length, "the last batch holds the rest");
            long[] order = flat(batches);
            long[] check = order.clone();
            Arrays.sort(check);
            assertArrayEquals(sorted, check, "every sample exactly once in epoch " + e);
            epochs.add(order);
        }
        assertFalse(Arrays.equals(sorted, epochs.get(0)), "the order is shuffled");
        assertFalse(Arrays.equals(epochs.get(0), epochs.get(1)), "each epoch draws a new order");
        assertFalse(Arrays.equals(epochs.get(1), epochs.get(2)), "each epoch draws a new order");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void features_follow_their_labels_through_a_shuffle(Device d) {
        OnDevice.use(d);
        for (List<Tensor> batch : new DataLoader(numbered(23), 5).shuffle(true).seed(11)) {
            long[] y = batch.get(1).toLongArray();
            float[] x = batch.get(0).toFloatArray();
            for (int r = 0; r < y.length; r++) {
                assertEquals(y[r], x[2 * r]);
                assertEquals(10 * y[r], x[2 * r + 1]);
            }
            batch.forEach(Tensor::close);
        }
    }

    @Test
    void the_same_seed_gives_the_same_batches_on_every_device() {
        TensorDataset ds = numbered(37);
        List<List<long[]>> reference = null;
        for (Device d : TestDevices.all()) {
            DataLoader loader = new DataLoader(ds, 6).shuffle(true).seed(1234).device(d);
            List<List<long[]>> epochs = new ArrayList<>();
            for (int e = 0; e < 3; e++) {
                epochs.add(labels(loader));
            }
            if (reference == null) {
                reference = epochs;
            } else {
                for (int e = 0; e < 3; e++) {
                    assertArrayEquals(flat(reference.get(e)), flat(epochs.get(e)), "epoch " + e + " on " + d);
                }
            }
        }
        DataLoader other = new DataLoader(ds, 6).shuffle(true).seed(1234);
        assertArrayEquals(flat(reference.get(0)), flat(labels(other)), "a second loader with the seed");
        assertArrayEquals(flat(reference.get(1)), flat(labels(other)), "and its second epoch");
        other.seed(1234);
        assertArrayEquals(flat(reference.get(0)), flat(labels(other)), "seed() starts again at epoch 0");
        DataLoader different = new DataLoader(ds, 6).shuffle(true).seed(1235);
        assertNotEquals(Arrays.toString(flat(reference.get(0))), Arrays.toString(flat(labels(different))),
                "another seed, another order");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void unseeded_shuffles_are_reproducible_under_manual_seed(Device d) {
        OnDevice.use(d);
        TensorDataset ds = numbered(40);
        Tensor.manualSeed(7);
        DataLoader first = new DataLoader(ds, 16).shuffle(true);
        long[] a0 = flat(labels(first));
        long[] a1 = flat(labels(first));
        Tensor.manualSeed(7);
        DataLoader second = new DataLoader(ds, 16).shuffle(true);
        assertArrayEquals(a0, flat(labels(second)));
        assertArrayEquals(a1, flat(labels(second)));
        assertFalse(Arrays.equals(a0, a1), "epochs differ");
        Tensor.manualSeed(8);
        assertFalse(Arrays.equals(a0, flat(labels(new DataLoader(ds, 16).shuffle(true)))), "another seed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void every_dtype_round_trips_through_shuffled_batches(Device d) {
        OnDevice.use(d);
        int n = 9;
        long[] index = new long[n];
        long[] big = new long[n];
        byte[] pixels = new byte[n * 2 * 3];
        boolean[] flags = new boolean[n];
        double[] doubles = new double[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
            big[i] = (1L << 60) + 2 * i + 1; // not representable in a double: must stay exact
            flags[i] = i % 3 == 0;
            doubles[i] = Math.PI * i + 1e-12;
        }
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (byte) (k * 37 + 200);
        }
        List<Tensor> tensors = new ArrayList<>(List.of(Tensor.of(index, n), Tensor.of(big, n),
                Tensor.of(pixels, DType.UINT8, n, 2, 3), Tensor.of(flags, n)));
        if (d.info().supportsFloat64()) {
            tensors.add(Tensor.of(doubles, DType.FLOAT64, n));
        }
        TensorDataset ds = new TensorDataset(tensors.toArray(new Tensor[0]));
        int seen = 0;
        for (List<Tensor> batch : new DataLoader(ds, 4).shuffle(true).seed(5)) {
            long[] idx = batch.get(0).toLongArray();
            long[] b = batch.get(1).toLongArray();
            Tensor img = batch.get(2);
            assertEquals(DType.UINT8, img.dtype());
            assertArrayEquals(new long[] {idx.length, 2, 3}, img.shape());
            long[] px = img.toLongArray();
            assertEquals(DType.BOOL, batch.get(3).dtype());
            boolean[] f = batch.get(3).toBooleanArray();
            for (int r = 0; r < idx.length; r++) {
                int i = (int) idx[r];
                assertEquals(big[i], b[r], "int64 exact");
                for (int k = 0; k < 6; k++) {
                    assertEquals(pixels[i * 6 + k] & 0xFF, px[r * 6 + k], "uint8 pixel " + k + " of sample " + i);
                }
                assertEquals(flags[i], f[r]);
            }
            if (d.info().supportsFloat64()) {
                assertEquals(DType.FLOAT64, batch.get(4).dtype());
                double[] v = batch.get(4).toDoubleArray();
                for (int r = 0; r < idx.length; r++) {
                    assertEquals(doubles[(int) idx[r]], v[r], 0.0, "float64 exact");
                }
            }
            seen += idx.length;
            batch.forEach(Tensor::close);
        }
        assertEquals(n, seen);
    }

    @Test
    void batches_go_to_the_chosen_device_wherever_the_dataset_lives() {
        for (Device from : TestDevices.all()) {
            for (Device to : TestDevices.all()) {
                Device.setDefault(from);
                TensorDataset ds = numbered(6);
                Tensor images = Tensor.of(new byte[] {1, 2, 3, 4, 5, 6}, DType.UINT8, 6);
                TensorDataset withBytes = new TensorDataset(ds.tensors().get(0), ds.tensors().get(1), images);
                for (Device defaultWhileIterating : TestDevices.all()) {
                    Device.setDefault(defaultWhileIterating);
                    for (List<Tensor> batch : new DataLoader(withBytes, 4).device(to)) {
                        for (Tensor t : batch) {
                            assertSame(to, t.device(), "from " + from + " to " + to + " with default "
                                    + defaultWhileIterating);
                        }
                        assertArrayEquals(batch.get(1).toLongArray(),
                                Arrays.stream(batch.get(2).toLongArray()).map(v -> v - 1).toArray());
                        batch.forEach(Tensor::close);
                    }
                }
                Device.setDefault(to);
                for (List<Tensor> batch : new DataLoader(withBytes, 4)) {
                    assertSame(to, batch.get(0).device(), "without device(), the default device");
                    batch.forEach(Tensor::close);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void an_in_place_change_to_the_dataset_shows_in_the_next_epoch(Device d) {
        OnDevice.use(d);
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3}, 4);
        DataLoader loader = new DataLoader(new TensorDataset(x), 4);
        for (List<Tensor> batch : loader) {
            assertArrayEquals(new float[] {0, 1, 2, 3}, batch.get(0).toFloatArray());
        }
        x.add_(100);
        for (List<Tensor> batch : loader) {
            assertArrayEquals(new float[] {100, 101, 102, 103}, batch.get(0).toFloatArray());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void the_next_batch_is_prepared_on_another_thread_while_the_caller_works(Device d) throws InterruptedException {
        OnDevice.use(d);
        AtomicInteger prepared = new AtomicInteger();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        DataLoader loader = new DataLoader(numbered(40), 4).transform(batch -> {
            threads.add(Thread.currentThread());
            prepared.incrementAndGet();
            return batch;
        });
        try (BatchIterator it = loader.iterator()) {
            it.next().forEach(Tensor::close);
            // the caller "computes" on batch 0; batch 1 must get ready meanwhile, without a next()
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (prepared.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(prepared.get() >= 2, "the next batch was prepared while the caller worked: " + prepared.get());
            Thread.sleep(300);
            int ahead = prepared.get() - 1;
            assertTrue(ahead <= 3, "the prefetch is bounded (2 queued + 1 in hand), but " + ahead + " were prepared "
                    + "ahead of the caller");
            assertFalse(threads.contains(Thread.currentThread()), "batches are prepared on a background thread");
            assertTrue(threads.stream().allMatch(Thread::isDaemon), "the prefetch thread is a daemon");
            int rest = 0;
            while (it.hasNext()) {
                it.next().forEach(Tensor::close);
                rest++;
            }
            assertEquals(9, rest);
        }
        assertEquals(10, prepared.get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void an_exception_while_preparing_a_batch_is_thrown_by_the_next_that_returns_it(Device d) {
        OnDevice.use(d);
        IllegalStateException boom = new IllegalStateException("cannot prepare the batch holding sample 8");
        DataLoader loader = new DataLoader(numbered(20), 4).transform(batch -> {
            if (batch.get(1).toLongArray()[0] == 8) {
                throw boom;
            }
            return batch;
        });
        BatchIterator it = loader.iterator();
        assertArrayEquals(new long[] {0, 1, 2, 3}, it.next().get(1).toLongArray());
        assertArrayEquals(new long[] {4, 5, 6, 7}, it.next().get(1).toLongArray());
        assertTrue(it.hasNext());
        IllegalStateException thrown = assertThrows(IllegalStateException.class, it::next);
        assertSame(boom, thrown, "the very exception the preparation threw");
        assertFalse(it.hasNext(), "a failure ends the epoch");
        assertThrows(NoSuchElementException.class, it::next);
        assertEquals(5, labels(loader.transform(null)).size(), "the next epoch starts afresh");
    }

    @Test
    void a_closed_or_abandoned_iterator_stops_its_prefetch_thread_and_closes_its_batches()
            throws InterruptedException {
        List<Tensor> preparedTensors = new CopyOnWriteArrayList<>();
        DataLoader loader = new DataLoader(numbered(100), 2).transform(batch -> {
            preparedTensors.addAll(batch);
            return batch;
        });
        List<Thread> before = prefetchThreads();
        BatchIterator closed = loader.iterator();
        closed.next().forEach(Tensor::close);
        closed.close();
        assertFalse(closed.hasNext());
        awaitPrefetchThreadsEnd(before, "after close()");
        assertTrue(preparedTensors.stream().allMatch(Tensor::isClosed), "close() releases the prepared batches");

        preparedTensors.clear();
        startAndAbandonAnEpoch(loader);
        awaitPrefetchThreadsEnd(before, "after the iterator became unreachable");
        assertTrue(preparedTensors.stream().allMatch(Tensor::isClosed), "an abandoned epoch's batches are released");
    }

    private static void startAndAbandonAnEpoch(DataLoader loader) {
        Iterator<List<Tensor>> it = loader.iterator();
        it.next().forEach(Tensor::close);
        assertTrue(it.hasNext());
    }

    private static void awaitPrefetchThreadsEnd(List<Thread> before, String when) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<Thread> started;
        do {
            System.gc();
            Thread.sleep(50);
            started = new ArrayList<>(prefetchThreads());
            started.removeAll(before);
        } while (!started.isEmpty() && System.nanoTime() < deadline);
        assertTrue(started.isEmpty(), "prefetch threads still running " + when + ": " + started);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void batches_belong_to_the_callers_scope_though_prepared_on_another_thread(Device d) {
        OnDevice.use(d);
        DataLoader loader = new DataLoader(numbered(12), 4);
        List<Tensor> handed = new ArrayList<>();
        try (TensorScope scope = TensorScope.open()) {
            for (List<Tensor> batch : loader) {
                handed.addAll(batch);
            }
            assertTrue(handed.stream().noneMatch(Tensor::isClosed));
        }
        assertEquals(6, handed.size());
        assertTrue(handed.stream().allMatch(Tensor::isClosed), "the caller's scope closed every batch");

        List<Tensor> kept = new ArrayList<>();
        try (TensorScope scope = TensorScope.open()) {
            for (List<Tensor> batch : loader) {
                kept.add(scope.keep(batch.get(0)));
            }
        }
        assertTrue(kept.stream().noneMatch(Tensor::isClosed), "scope.keep works on batches");
        assertEquals(66.0 + 660.0, kept.stream().mapToDouble(t -> t.sum().item()).sum(), "kept batches stay readable");

        Iterator<List<Tensor>> it = loader.iterator();
        List<Tensor> unscoped = it.next();
        it.forEachRemaining(b -> b.forEach(Tensor::close));
        assertTrue(unscoped.stream().noneMatch(Tensor::isClosed), "without a scope the caller owns the batch");
        unscoped.forEach(Tensor::close);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void live_bytes_do_not_grow_across_epochs_in_a_users_scope(Device d) throws InterruptedException {
        OnDevice.use(d);
        int n = 640;
        int batchSize = 16;
        long batchBytes = (long) batchSize * 64 * 4 + batchSize * 8L;
        TensorDataset ds = new TensorDataset(Tensor.rand(n, 64), Tensor.of(new long[n], n));
        DataLoader loader = new DataLoader(ds, batchSize).shuffle(true).seed(0);
        long before = TestDevices.settledLiveBytes(d);
        long reclaimed = Tensor.gcReclaimedCount();
        double total = 0;
        for (int epoch = 0; epoch < 3; epoch++) {
            try (TensorScope scope = TensorScope.open()) {
                for (List<Tensor> batch : loader) {
                    total += batch.get(0).mul(2).sum().item();
                }
            }
            assertEquals(before, TestDevices.settledLiveBytes(d), "live bytes after epoch " + epoch);
        }
        assertTrue(total > 0);

        // a scope per step, opened before next(): at most the prefetched batches are live besides the step's
        long peak = 0;
        for (int epoch = 0; epoch < 2; epoch++) {
            Iterator<List<Tensor>> it = loader.iterator();
            while (it.hasNext()) {
                try (TensorScope step = TensorScope.open()) {
                    List<Tensor> batch = it.next();
                    batch.get(0).mul(2).sum().item();
                    peak = Math.max(peak, live(d) - before);
                }
            }
            assertEquals(before, TestDevices.settledLiveBytes(d), "live bytes after per-step epoch " + epoch);
        }
        assertEquals(reclaimed, Tensor.gcReclaimedCount(), "every batch and prefetched tensor was closed, none "
                + "left to the garbage collector");
        assertTrue(peak <= 8 * batchBytes + 65536, "per-step scopes keep only a few batches live, but the peak "
                + "was " + peak + " bytes above the start (a batch is " + batchBytes + " bytes, an epoch "
                + n / batchSize * batchBytes + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(DEVICES)
    void a_transform_runs_on_each_batch_and_its_intermediates_are_released(Device d) throws InterruptedException {
        OnDevice.use(d);
        byte[] pixels = new byte[8 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 8);
        }
        TensorDataset ds = new TensorDataset(Tensor.of(pixels, DType.UINT8, 8, 4), Tensor.of(new long[8], 8));
        DataLoader loader = new DataLoader(ds, 3)
                .transform(b -> List.of(b.get(0).to(DType.FLOAT32).div(255).sub(0.5).mul(2), b.get(1)));
        long before = TestDevices.settledLiveBytes(d);
        long reclaimed = Tensor.gcReclaimedCount();
        List<Float> seen = new ArrayList<>();
        try (TensorScope scope = TensorScope.open()) {
            for (List<Tensor> batch : loader) {
                assertEquals(DType.FLOAT32, batch.get(0).dtype());
                assertEquals(DType.INT64, batch.get(1).dtype());
                for (float v : batch.get(0).toFloatArray()) {
                    seen.add(v);
                }
            }
        }
        assertEquals(32, seen.size());
        for (int i = 0; i < 32; i++) {
            assertEquals(((i * 8) & 0xFF) / 255f * 2 - 1, seen.get(i), 1e-6);
        }
        assertEquals(before, TestDevices.settledLiveBytes(d), "live bytes after the epoch");
        assertEquals(reclaimed, Tensor.gcReclaimedCount(), "the transform's intermediates and unused inputs were "
                + "closed, not left to the garbage collector");
    }
}
