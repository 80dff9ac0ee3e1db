package dev.clgrad.examples;

import dev.clgrad.*;
import dev.clgrad.data.*;
import dev.clgrad.io.Safetensors;
import dev.clgrad.nn.*;
import dev.clgrad.optim.*;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's Fashion-MNIST program side by side with its PyTorch twin
 * ({@code examples/src/main/python/fashion_mnist.py}): load, model, loss, Adam, loop,
 * evaluate, save, written as a new user writes them. {@link FashionMnist} is the full trainer
 * (options, progress bar, plot). Argument: the data folder (default Debian's).
 */
public final class FashionMnistCompact {
    static TensorDataset load(String dir, String kind) {
        Tensor x = Idx.read(Path.of(dir, kind + "-images-idx3-ubyte.gz")).to(DType.FLOAT32).div(255).sub(0.2860).div(0.3530).flatten(1, -1);
        return new TensorDataset(x, Idx.read(Path.of(dir, kind + "-labels-idx1-ubyte.gz")).to(DType.INT64));
    }

    public static void main(String[] args) {
        String dir = args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist";
        int epochs = 3;
        Tensor.manualSeed(0);
        DataLoader train = new DataLoader(load(dir, "train"), 128).shuffle(true);
        DataLoader test = new DataLoader(load(dir, "t10k"), 1000);
        Sequential model = new Sequential(new Linear(784, 1024), new GELU(), new Linear(1024, 10));
        Adam opt = new Adam(model.parameters(), 1e-3);
        CosineAnnealingLR sched = new CosineAnnealingLR(opt, epochs * train.size());
        for (int epoch = 0; epoch < epochs; epoch++) {
            model.train();
            Tensor loss = null;
            for (List<Tensor> batch : train) {
                loss = Functional.crossEntropy(model.forward(batch.get(0)), batch.get(1));
                opt.zeroGrad();
                loss.backward();
                opt.step();
                sched.step();
            }
            model.eval();
            long correct = 0;
            try (var noGrad = Autograd.noGrad()) {
                for (List<Tensor> batch : test) {
                    correct += (long) model.forward(batch.get(0)).argmax(1, false).eq(batch.get(1)).sum().item();
                }
            }
            System.out.printf("epoch %d: loss %.4f, test accuracy %.2f%%%n", epoch + 1, loss.item(), 100.0 * correct / test.dataset().size());
        }
        Safetensors.save(model.stateDict(), Path.of("fashion_mnist.safetensors"));
    }
}
