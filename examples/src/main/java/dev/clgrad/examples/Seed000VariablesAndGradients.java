package dev.clgrad.examples;

import static dev.clgrad.examples.Py.cell;
import static dev.clgrad.examples.Py.print;
import static dev.clgrad.examples.Py.show;

import dev.clgrad.Tensor;
import dev.clgrad.Variable;

/**
 * Java twin of seed notebook 000, "PyTorch Practice 02-Variables &amp; Gradients":
 * variables, elementwise arithmetic, and the gradient of {@code z = mean(5 (x + 1)^2)}.
 *
 * <p>Prints exactly what the notebook's PyTorch 1.13 twin ({@code seed000} in
 * {@code tools/golden/seed_twins.py}) prints: {@code --- In [n]} before each cell, then what
 * the cell displays.
 */
public final class Seed000VariablesAndGradients {
    private Seed000VariablesAndGradients() {
    }

    /** Runs the notebook's cells in order; no arguments. */
    public static void main(String[] args) {
        Tensor.manualSeed(0);

        cell(1); // import torch
        // 2.1 Variables
        cell(2);
        // A matrix with fixed components (NOT a variable)
        show(Tensor.ones(2, 2));

        // This is the method to turn a tensor into Variables.
        cell(3); // from torch.autograd import Variable

        cell(4);
        // Variables
        Tensor a = Variable.of(Tensor.ones(2, 2), true);
        print(a);

        cell(5);
        // Create another Variables
        Tensor b = Variable.of(Tensor.ones(2, 2), true);
        print(a.add(b)); // or torch.add(a, b)

        cell(6);
        print(a.mul(b)); // or torch.mul(a, b)

        // 2.2 Gradients
        // requires_grad allows calculations of gradients w.r.t. the variables:
        //   y_i = 5 (x_i + 1)^2,  z = 1/4 sum_i y_i,  dz/dx_i = 5/2 (x_i + 1)
        //   so for x = [0, 1, 2, 3], dz/dx = [2.5, 5, 7.5, 10]
        cell(7);
        // torch.arange(0, 4) was a FloatTensor in the notebook's PyTorch
        Tensor x = Variable.of(Tensor.arange(0, 4), true);
        print(x);

        cell(8);
        Tensor y = x.add(1).pow(2).mul(5); // y = 5 * (x + 1) ** 2
        show(y);

        cell(9);
        Tensor z = y.mean();
        show(z);

        // Here begins to calculate gradients
        cell(10);
        z.backward();
        show(x.grad());
    }
}
