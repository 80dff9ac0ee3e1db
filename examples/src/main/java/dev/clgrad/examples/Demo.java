package dev.clgrad.examples;

import dev.clgrad.Autograd;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;

/**
 * The seed tour: the first seed notebook's gradient example, then a small model trained by
 * gradient descent, on the default device (the first OpenCL device when one is present,
 * else the pure-Java CPU backend). The README's main demo is {@link FashionMnist}; this one runs
 * with {@code -Dexec.mainClass=dev.clgrad.examples.Demo}.
 */
public final class Demo {
    private Demo() {
    }

    /** Runs the demo; no arguments. */
    public static void main(String[] args) {
        Device device = Device.getDefault();
        System.out.println("clgrad demo on " + device + " (" + device.info().name() + ")");

        System.out.println("\n# y = 5 (x + 1)^2, z = mean(y), dz/dx = 2.5 (x + 1)");
        Tensor x = Tensor.arange(0, 4).requiresGrad_();
        Tensor y = x.add(1).pow(2).mul(5);
        Tensor z = y.mean();
        System.out.println("x = " + x);
        System.out.println("y = " + y);
        System.out.println("z = " + z);
        z.backward();
        System.out.println("x.grad = " + x.grad());

        System.out.println("\n# fit y = 3 x - 2 from 256 noisy samples with gradient descent");
        Tensor.manualSeed(0);
        Tensor inputs = Tensor.randn(256, 1);
        Tensor targets = inputs.mul(3).sub(2).add(Tensor.randn(256, 1).mul(0.1));
        Tensor w = Tensor.zeros(1, 1).requiresGrad_();
        Tensor b = Tensor.zeros(1).requiresGrad_();
        double lr = 0.1;
        for (int step = 0; step <= 100; step++) {
            try (TensorScope scope = TensorScope.open()) {
                Tensor loss = inputs.matmul(w).add(b).sub(targets).pow(2).mean();
                loss.backward();
                try (var g = Autograd.noGrad()) {
                    w.add_(w.grad().mul(-lr));
                    b.add_(b.grad().mul(-lr));
                    w.grad().zero_();
                    b.grad().zero_();
                }
                if (step % 25 == 0) {
                    System.out.printf("step %3d  loss %.6f%n", step, loss.item());
                }
            }
        }
        System.out.printf("learned w = %.4f, b = %.4f%n", w.item(), b.item());
    }
}
