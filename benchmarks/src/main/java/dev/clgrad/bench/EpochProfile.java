package dev.clgrad.bench;

import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;
import dev.clgrad.data.BatchIterator;
import dev.clgrad.data.DataLoader;
import dev.clgrad.data.TensorDataset;
import dev.clgrad.examples.FashionMnistRecipe;
import dev.clgrad.nn.Functional;
import dev.clgrad.nn.GELU;
import dev.clgrad.nn.Linear;
import dev.clgrad.nn.Sequential;
import dev.clgrad.optim.Adam;
import dev.clgrad.optim.CosineAnnealingLR;

import java.util.List;
import java.util.Locale;

/**
 * Where one epoch of W7 spends its time: the recipe's step cut into phases (waiting for the
 * loader's batch, forward, loss, zeroing and backward, Adam's step, the schedule and reading the
 * loss), with the device synchronised after each phase so that each is charged its own work.
 * The steps are the recipe's ({@link FashionMnistRecipe}), written out here to be timed.
 */
final class EpochProfile {
    private static final String[] PHASES = {"next batch", "forward", "cross entropy", "zeroGrad + backward",
        "Adam step", "schedule + loss.item()"};

    private EpochProfile() {
    }

    /** One profiled epoch on {@code device}, as a Markdown table. */
    static String run(Device device, TensorDataset train) {
        Device previous = Device.getDefault();
        Device.setDefault(device);
        try {
            Tensor.manualSeed(FashionMnistRecipe.SEED);
            Sequential model = new Sequential(new Linear(784, FashionMnistRecipe.WIDTH), new GELU(),
                    new Linear(FashionMnistRecipe.WIDTH, 10));
            DataLoader loader = new DataLoader(train, FashionMnistRecipe.BATCH_SIZE).shuffle(true)
                    .seed(FashionMnistRecipe.SEED).transform(FashionMnistRecipe::normalise);
            long[] nanos = new long[PHASES.length];
            int steps = 0;
            try (Adam adam = new Adam(model.parameters(), FashionMnistRecipe.LEARNING_RATE);
                 BatchIterator batches = loader.iterator()) {
                CosineAnnealingLR schedule = new CosineAnnealingLR(adam, 3 * loader.size());
                long start = System.nanoTime();
                while (batches.hasNext()) {
                    try (TensorScope step = TensorScope.open()) {
                        long t0 = System.nanoTime();
                        List<Tensor> batch = batches.next();
                        long t1 = System.nanoTime();
                        Tensor logits = model.forward(batch.get(0));
                        device.synchronize();
                        long t2 = System.nanoTime();
                        Tensor loss = Functional.crossEntropy(logits, batch.get(1));
                        device.synchronize();
                        long t3 = System.nanoTime();
                        adam.zeroGrad();
                        loss.backward();
                        device.synchronize();
                        long t4 = System.nanoTime();
                        adam.step();
                        device.synchronize();
                        long t5 = System.nanoTime();
                        schedule.step();
                        loss.item();
                        long t6 = System.nanoTime();
                        long[] marks = {t0, t1, t2, t3, t4, t5, t6};
                        for (int p = 0; p < PHASES.length; p++) {
                            nanos[p] += marks[p + 1] - marks[p];
                        }
                        steps++;
                    }
                }
                double total = (System.nanoTime() - start) / 1e9;
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                        "`%s`: %d steps, %.2f s profiled%n%n| phase | s per epoch | ms per step | share |%n|---|---|---|---|%n",
                        device, steps, total));
                for (int p = 0; p < PHASES.length; p++) {
                    double s = nanos[p] / 1e9;
                    sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.0f%% |%n", PHASES[p], s,
                            1e3 * s / steps, 100 * s / total));
                }
                return sb.toString();
            }
        } finally {
            Device.setDefault(previous);
        }
    }
}
