package dev.clgrad.examples;

import static dev.clgrad.examples.Py.cell;
import static dev.clgrad.examples.Py.show;
import static dev.clgrad.examples.Py.tuple;

import dev.clgrad.Tensor;
import dev.clgrad.Variable;

/**
 * Java twin of seed notebook 003, "Gradient calculation examples in PyTorch": scalar and
 * vector inputs and outputs, with ones and non-ones gradients, checked against the
 * derivatives written out by hand.
 *
 * <p>Prints exactly what the notebook's PyTorch 1.13 twin ({@code seed003} in
 * {@code tools/golden/seed_twins.py}) prints: {@code --- In [n]} before each cell, then what
 * the cell displays. Each {@code torch.rand} of the notebook draws from clgrad's global
 * Philox generator, seeded with 0, in notebook order.
 */
public final class Seed003GradientExamples {
    private Seed003GradientExamples() {
    }

    /** Runs the notebook's cells in order; no arguments. */
    public static void main(String[] args) {
        Tensor.manualSeed(0);

        cell(1); // import torch; from torch.autograd import Variable

        // ## input is scalar; output is scalar
        cell(2);
        Tensor x = Variable.of(Tensor.rand(1), true);
        show(x);

        cell(3);
        Tensor y = x.pow(2).mul(3); // y = 3*x**2
        y.backward();
        show(x.grad());

        cell(4);
        show(x.mul(6));

        // Equivalently:
        cell(5);
        x = Variable.of(Tensor.rand(1), true);
        show(x);

        cell(6);
        y = x.pow(2).mul(3);
        y.backward(Tensor.ones(1));
        show(x.grad());

        cell(7);
        show(x.mul(6));

        // Set a non-ones gradient:
        cell(8);
        x = Variable.of(Tensor.rand(1), true);
        show(x);

        cell(9);
        y = x.pow(2).mul(3);
        y.backward(Tensor.ones(1).mul(100)); // gradient=100*torch.ones(1)
        show(x.grad());

        cell(10);
        show(x.mul(100).mul(6)); // 100*x*6

        // ## input is vector; output is scalar
        cell(11);
        x = Variable.of(Tensor.rand(2, 1), true);
        show(x);

        cell(12);
        y = x.get(0).pow(3).add(x.get(1).pow(2).mul(2)); // y = x[0]**3 + 2*x[1]**2
        y.backward();

        cell(13);
        show(x.grad());

        cell(14);
        show(tuple(x.get(0).pow(2).mul(3), x.get(1).mul(4))); // 3*x[0]**2, 4*x[1]

        // Equivalently:
        cell(15);
        x = Variable.of(Tensor.rand(2, 1), true);
        show(x);

        cell(16);
        y = x.get(0).pow(3).add(x.get(1).pow(2).mul(2));
        y.backward(Tensor.ones(1));

        cell(17);
        show(x.grad());

        cell(18);
        show(tuple(x.get(0).pow(2).mul(3), x.get(1).mul(4)));

        // Set a non-ones gradient:
        cell(19);
        x = Variable.of(Tensor.rand(2, 1), true);
        show(x);

        cell(20);
        y = x.get(0).pow(3).add(x.get(1).pow(2).mul(2));
        y.backward(Tensor.ones(1).mul(100));

        cell(21);
        show(x.grad());

        cell(22);
        show(tuple(x.get(0).pow(2).mul(3), x.get(1).mul(4)));

        // ## input is scalar; output is vector
        cell(23);
        x = Variable.of(Tensor.rand(1), true);
        show(x);

        cell(24);
        y = Variable.of(Tensor.zeros(2, 1), false);

        cell(25);
        y.set(0, x.pow(3)); // y[0] = x**3
        y.set(1, x.pow(2).mul(2)); // y[1] = 2*x**2
        show(y);

        cell(26);
        y.backward(Tensor.ones(y.size()));

        cell(27);
        show(x.grad());

        // why?
        cell(28);
        show(x.pow(2).mul(3).add(x.mul(4))); // 3*x**2 + 4*x

        // ## input is vector; output is vector
        cell(29);
        x = Variable.of(Tensor.rand(2, 1), true);
        show(x);

        cell(30);
        y = Variable.of(Tensor.zeros(3, 1), false);

        cell(31);
        y.set(0, x.get(0).pow(2)); // y[0] = x[0]**2
        y.set(1, x.get(1).pow(3)); // y[1] = x[1]**3
        y.set(2, x.get(1).pow(4)); // y[2] = x[1]**4

        cell(32);
        y.backward(Tensor.ones(y.size()));

        // Cumulative grad of x[0] and x[1] respectively.
        cell(33);
        show(x.grad());

        cell(34);
        // 2*x[0], 3*x[1]**2, 4*x[1]**3
        show(tuple(x.get(0).mul(2), x.get(1).pow(2).mul(3), x.get(1).pow(3).mul(4)));

        cell(35);
        // 2*x[0], 3*x[1]**2 + 4*x[1]**3
        show(tuple(x.get(0).mul(2), x.get(1).pow(2).mul(3).add(x.get(1).pow(3).mul(4))));

        // Set a non-ones gradient:
        cell(36);
        x = Variable.of(Tensor.rand(2, 1), true);
        show(x);

        cell(37);
        y = Variable.of(Tensor.zeros(3, 1), false);

        cell(38);
        y.set(0, x.get(0).pow(2));
        y.set(1, x.get(1).pow(3));
        y.set(2, x.get(1).pow(4));

        cell(39);
        y.backward(Tensor.ones(y.size()).mul(100)); // gradient=100*torch.ones(y.size())

        // Cumulative grad of x[0] and x[1] respectively.
        cell(40);
        show(x.grad());

        cell(41);
        show(tuple(x.get(0).mul(2), x.get(1).pow(2).mul(3), x.get(1).pow(3).mul(4)));

        cell(42);
        show(tuple(x.get(0).mul(2), x.get(1).pow(2).mul(3).add(x.get(1).pow(3).mul(4))));
    }
}
