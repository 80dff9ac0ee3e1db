package dev.clgrad.examples;

import static dev.clgrad.examples.Py.cell;
import static dev.clgrad.examples.Py.print;
import static dev.clgrad.examples.Py.show;
import static dev.clgrad.examples.Py.tolist;
import static dev.clgrad.examples.Py.tuple;

import dev.clgrad.Tensor;
import dev.clgrad.Variable;

/**
 * Java twin of seed notebook 001, "02_Variable_Autograd": tensor vs variable, the
 * attributes of a variable, a small graph with {@code y = 2x + 3}, gradient accumulation and
 * zeroing, and a vector output with an explicit gradient.
 *
 * <p>Prints exactly what the notebook's PyTorch 1.13 twin ({@code seed001} in
 * {@code tools/golden/seed_twins.py}) prints: {@code --- In [n]} before each cell (the
 * notebook's own, out-of-order cell numbers), then what the cell displays.
 */
public final class Seed001VariableAutograd {
    private Seed001VariableAutograd() {
    }

    /** Runs the notebook's cells in order; no arguments. */
    public static void main(String[] args) {
        Tensor.manualSeed(0);

        cell(3); // import torch; from torch.autograd import Variable

        // Tensor vs Variable
        cell(37);
        Tensor tensor = Tensor.of(new double[][] {{1, 2}, {3, 4}}); // build a tensor
        // build a variable, usually for compute gradients; Variable shares the tensor, so
        // `tensor` and `x` are the same object
        Tensor x = Variable.of(tensor, true);
        print(tensor);
        print(x);

        cell(42);
        show(tuple(x.sum(), x.sqrt(), x.pow(2)));

        // Variables of a Variable
        cell(32);
        show(x.data());

        cell(34);
        // x.volatile no longer exists in PyTorch 1.13: dropped from the tuple
        show(tuple(x.requiresGrad(), x.grad(), x.gradFn()));

        // Auto Graph & Gradient
        cell(123);
        // create graph
        x = Variable.of(Tensor.of(3), true);
        Tensor y = x.mul(2).add(3); // y = 2*x + 3
        show(tuple(x.requiresGrad(), y.requiresGrad()));

        cell(77);
        show(y.gradFn().nextFunctions().get(0).function());

        cell(124);
        // calculate dy / dx == y.backward(torch.Tensor([1.0])). The notebook calls backward
        // again in cell 127, so the graph is retained here (as the modern twin does).
        y.backward(null, true);

        cell(125);
        show(x.grad()); // dy / dx is stored and accumulated

        cell(126);
        show(x.grad().data().zero_()); // empty gradient storage

        cell(127);
        y.backward(Tensor.of(3.0)); // calculate dy / dx

        cell(128);
        show(x.grad());

        // multivariate output and gradient
        cell(167);
        Tensor x1 = Variable.of(Tensor.ones(2), true);
        Tensor x2 = Variable.of(Tensor.ones(2), false);

        cell(168);
        y = x1.mul(2).add(x2); // y = x1*2 + x2
        show(y);

        cell(169);
        y.backward(Tensor.of(1, 1));

        cell(170);
        show(tuple(x1.grad(), x2.grad()));

        cell(171);
        show(tolist(x1.grad().data().toFloatArray())); // x1.grad.data.numpy().tolist()
    }
}
