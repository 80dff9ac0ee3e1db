package dev.clgrad.examples;

import static dev.clgrad.examples.Py.cell;
import static dev.clgrad.examples.Py.print;
import static dev.clgrad.examples.Py.show;
import static dev.clgrad.examples.Py.type;

import dev.clgrad.Tensor;
import dev.clgrad.Torch;
import dev.clgrad.Variable;

/**
 * Java twin of seed notebook 002, "Pytorch Fundamentals: 2. Variables and Gradients":
 * a variable wraps a tensor and accumulates gradients; {@code o = 1/2 sum_i 5 (x_i + 1)^2}
 * has {@code do/dx_i = 5 (x_i + 1) = 10} at {@code x = 1}, and a second backward adds to it.
 *
 * <p>Prints exactly what the notebook's PyTorch 1.13 twin ({@code seed002} in
 * {@code tools/golden/seed_twins.py}) prints: {@code --- In [n]} before each cell, then what
 * the cell displays.
 */
public final class Seed002VariablesAndGradients {
    private Seed002VariablesAndGradients() {
    }

    /** Runs the notebook's cells in order; no arguments. */
    public static void main(String[] args) {
        Tensor.manualSeed(0);

        // 2.1 Variables: a variable wraps a Tensor and allows accumulation of gradients
        cell(1); // import torch; from torch.autograd import Variable

        cell(2);
        Tensor a = Variable.of(Tensor.ones(2, 2), true);

        cell(3);
        print(type(a));
        show(a);

        cell(4);
        show(Tensor.ones(2, 2));

        cell(5);
        Tensor b = Variable.of(Tensor.ones(2, 2), true);
        print(a.add(b));
        print(Torch.add(a, b));

        cell(6);
        show(Tensor.ones(2, 2).add(Tensor.ones(2, 2)));

        cell(7);
        print(a.mul(b));
        print(Torch.mul(a, b));

        // 2.2 Gradients. What exactly is requires_grad? It allows calculation of gradients
        // w.r.t. the variable:  y_i = 5 (x_i + 1)^2
        cell(8);
        Tensor x = Variable.of(Tensor.ones(2), true);

        cell(9);
        show(x);

        // y_i at x_i = 1: 5 (1 + 1)^2 = 5 (2)^2 = 5 (4) = 20
        cell(10);
        Tensor y = x.add(1).pow(2).mul(5); // y = 5 * (x + 1) ** 2
        show(y);

        // Backward should be called only on a scalar (i.e. 1-element tensor) or with a
        // gradient w.r.t. the variable. Let's reduce y to a scalar then: o = 1/2 sum_i y_i
        cell(11);
        Tensor o = Torch.sum(y).mul(1.0 / 2); // o = (1/2) * torch.sum(y)
        show(o);

        // do/dx_i = 1/2 [10 (x_i + 1)], which is 1/2 [10 (1 + 1)] = 10 at x_i = 1
        cell(12);
        o.backward(null, true); // o.backward(retain_graph=True)

        cell(13);
        show(o);

        cell(14);
        show(x.grad());

        cell(15);
        // The notebook passes torch.FloatTensor([1.0, 1.0]); o is 0-dim in PyTorch 1.13, so the
        // modern twin passes the 0-dim ones gradient. The second backward accumulates into
        // x.grad (10 + 10 = 20).
        o.backward(Tensor.scalar(1.0));
        show(x.grad());
    }
}
