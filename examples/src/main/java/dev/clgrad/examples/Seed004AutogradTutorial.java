package dev.clgrad.examples;

import static dev.clgrad.examples.Py.cell;
import static dev.clgrad.examples.Py.print;

import dev.clgrad.Autograd;
import dev.clgrad.Tensor;

/**
 * Java twin of seed notebook 004, "Tensor / Gradients" (the autograd part of PyTorch's
 * 60-minute blitz): grad_fn of results, {@code requires_grad_}, the gradient of
 * {@code out = mean(3 (x + 2)^2)}, a vector-Jacobian product, and {@code no_grad}.
 *
 * <p>Prints exactly what the notebook's PyTorch 1.13 twin ({@code seed004} in
 * {@code tools/golden/seed_twins.py}) prints: {@code --- In [n]} before each cell, then what
 * the cell prints. Each {@code torch.randn} of the notebook draws from clgrad's global
 * Philox generator, seeded with 0, in notebook order.
 */
public final class Seed004AutogradTutorial {
    private Seed004AutogradTutorial() {
    }

    /** Runs the notebook's cells in order; no arguments. */
    public static void main(String[] args) {
        Tensor.manualSeed(0);

        cell(1); // import torch

        // # Tensor
        cell(46);
        Tensor x = Tensor.ones(2, 2).requiresGrad_(); // torch.ones(2, 2, requires_grad=True)
        print(x);

        cell(47);
        Tensor y = x.add(2);
        print(y);

        cell(48);
        print(y.gradFn());

        cell(49);
        Tensor z = y.mul(y).mul(3); // z = y * y * 3
        print(z);

        cell(50);
        Tensor out = z.mean();
        print(z, out);

        cell(51);
        Tensor a = Tensor.randn(2, 2);
        a = a.mul(3).div(a.sub(1)); // a = ((a * 3) / (a - 1))
        print(a.requiresGrad());

        cell(52);
        a.requiresGrad_(true);
        print(a.requiresGrad());

        cell(53);
        Tensor b = a.mul(a).sum();
        print(b.gradFn());

        // # Gradients
        cell(54);
        out = z.mean();
        print(out);

        cell(55);
        out.backward();
        print(out);

        // Because out contains a single scalar, out.backward() is equivalent to
        // out.backward(torch.tensor(1)).
        cell(56);
        print(x.grad());

        // o = 1/4 sum_i z_i,  z_i = 3 (x_i + 2)^2, so z_i = 27 at x_i = 1;
        // do/dx_i = 3/2 (x_i + 2), which is 9/2 = 4.5 at x_i = 1
        cell(65);
        x = Tensor.randn(3).requiresGrad_(true); // torch.randn(3, requires_grad=True)
        print(x);
        print(x.grad());

        cell(71);
        y = x.mul(2);
        print(y);
        while (y.data().norm().item() < 1000) {
            y = y.mul(2);
            print(y);
        }

        cell(72);
        Tensor gradients = Tensor.of(0.1, 1.0, 0.0001);
        print(gradients);
        y.backward(gradients);
        print(y);

        cell(73);
        print(x);
        print(x.grad());

        cell(74);
        print(x.requiresGrad());
        print(x.pow(2).requiresGrad());
        try (var noGrad = Autograd.noGrad()) {
            print(x.pow(2).requiresGrad());
        }
    }
}
