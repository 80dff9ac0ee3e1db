#!/usr/bin/python3
"""Python twins of the seed notebooks (shared/seeds/000..004), in PyTorch 1.13 syntax.

Each twin runs every code cell of its notebook and prints what the cell displays,
in modern PyTorch format; the captured stdout becomes
examples/src/test/resources/seeds/seedNNN.txt, which the Java twins must reproduce
exactly.

Conventions (shared with the Java twins):

* before each code cell's output a line ``--- In [<n>]`` with the notebook's cell number;
* every twin starts with ``clgrad_manual_seed(0)``; each torch.rand / torch.randn of
  the notebook is replaced by a float32 tensor from clgrad's Philox spec
  (tools/golden/philox.py) drawn from the global generator, in notebook order;
* a displayed expression (``Out[..]``) prints ``repr(value)``; tuples print as Python
  tuples of reprs; grad_fn objects print as ``<Name>`` (the `` object at 0x...`` part
  is stripped);
* old API becomes modern: ``Variable(t, requires_grad=r)`` -> ``t.requires_grad_(r)``,
  ``torch.FloatTensor(...)`` / ``torch.Tensor(...)`` -> float32 ``torch.tensor``,
  ``torch.arange(0, 4)`` -> float32 arange, ``x.volatile`` dropped,
  ``g.numpy()`` -> ``g.numpy().tolist()``.

Run with:  /usr/bin/python3 tools/golden/seed_twins.py
"""

import contextlib
import io
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402

import philox  # noqa: E402
from philox import clgrad_manual_seed  # noqa: E402

torch.set_num_threads(1)

ROOT = os.path.dirname(os.path.dirname(HERE))
OUT_DIR = os.path.join(ROOT, "examples", "src", "test", "resources", "seeds")

_OBJ_ADDR = re.compile(r" object at 0x[0-9a-fA-F]+")


def _clean(s):
    return _OBJ_ADDR.sub("", s)


def cell(n):
    """Marks the start of notebook code cell ``In [n]``."""
    print("--- In [%d]" % n)


def show(value):
    """What a cell displays for its last expression (Out[..]): repr(value)."""
    print(_clean(repr(value)))


def p(*args):
    """print(...) as the notebook does, with grad_fn addresses stripped."""
    print(_clean(" ".join(str(a) for a in args)))


def rand(*size):
    """torch.rand(*size) of the notebook -> clgrad Philox uniform float32."""
    return philox.rand(*size)


def randn(*size):
    """torch.randn(*size) of the notebook -> clgrad Philox normal float32."""
    return philox.randn(*size)


# ---------------------------------------------------------------------------
# seed 000 -- "PyTorch Practice 02-Variables & Gradients"
# ---------------------------------------------------------------------------

def seed000():
    # Cells (In [n]: what it does -> what it shows):
    #  1: import torch                                   -> nothing
    #  2: torch.ones(2, 2)                               -> repr
    #  3: from torch.autograd import Variable            -> nothing
    #  4: a = ones(2,2).requires_grad_(True); print(a)
    #  5: b = ones(2,2).requires_grad_(True); print(a + b)
    #  6: print(a * b)
    #  7: x = arange(0., 4.).requires_grad_(True); print(x)
    #  8: y = 5 * (x + 1) ** 2; y                        -> repr(y)
    #  9: z = y.mean(); z                                -> repr(z)
    # 10: z.backward(); x.grad                           -> repr(x.grad)
    clgrad_manual_seed(0)
    cell(1)
    cell(2)
    show(torch.ones(2, 2))
    cell(3)
    cell(4)
    a = torch.ones(2, 2).requires_grad_(True)
    p(a)
    cell(5)
    b = torch.ones(2, 2).requires_grad_(True)
    p(a + b)
    cell(6)
    p(a * b)
    cell(7)
    # torch.arange(0, 4) was a FloatTensor in the notebook's PyTorch
    x = torch.arange(0, 4, dtype=torch.float32).requires_grad_(True)
    p(x)
    cell(8)
    y = 5 * (x + 1) ** 2
    show(y)
    cell(9)
    z = y.mean()
    show(z)
    cell(10)
    z.backward()
    show(x.grad)


# ---------------------------------------------------------------------------
# seed 001 -- "02_Variable_Autograd"
# ---------------------------------------------------------------------------

def seed001():
    # Cells (In [n]: what it does -> what it shows):
    #   3: imports                                        -> nothing
    #  37: tensor = [[1,2],[3,4]] float32; x = tensor.requires_grad_(True)
    #      (Variable shares the tensor, so `tensor` is the same object as x);
    #      print(tensor); print(x)
    #  42: x.sum(), x.sqrt(), x**2                        -> tuple repr
    #  32: x.data                                         -> repr
    #  34: x.requires_grad, x.grad, x.grad_fn             -> tuple repr (x.volatile dropped)
    # 123: x = tensor([3.]).requires_grad_(True); y = 2*x + 3;
    #      x.requires_grad, y.requires_grad               -> tuple repr
    #  77: y.grad_fn.next_functions[0][0]                 -> <MulBackward0>
    # 124: y.backward(retain_graph=True)                  -> nothing (see note)
    # 125: x.grad                                         -> repr
    # 126: x.grad.data.zero_()                            -> repr
    # 127: y.backward(tensor([3.]))                       -> nothing
    # 128: x.grad                                         -> repr
    # 167: x1 = ones(2).requires_grad_(True); x2 = ones(2).requires_grad_(False)
    # 168: y = x1*2 + x2; y                               -> repr
    # 169: y.backward(tensor([1., 1.]))                   -> nothing
    # 170: x1.grad, x2.grad                               -> tuple repr
    # 171: x1.grad.data.numpy().tolist()                  -> repr of list
    # (the notebook's trailing empty cell `In [ ]` is skipped)
    clgrad_manual_seed(0)
    cell(3)
    cell(37)
    tensor = torch.tensor([[1., 2.], [3., 4.]], dtype=torch.float32)
    x = tensor.requires_grad_(True)  # Variable(tensor, requires_grad=True): same tensor
    p(tensor)
    p(x)
    cell(42)
    show((x.sum(), x.sqrt(), x ** 2))
    cell(32)
    show(x.data)
    cell(34)
    # x.volatile no longer exists in PyTorch 1.13: dropped from the tuple
    show((x.requires_grad, x.grad, x.grad_fn))
    cell(123)
    x = torch.tensor([3.], dtype=torch.float32).requires_grad_(True)
    y = 2 * x + 3
    show((x.requires_grad, y.requires_grad))
    cell(77)
    show(y.grad_fn.next_functions[0][0])
    cell(124)
    # The notebook calls y.backward() here and backward again in cell 127; PyTorch 1.13
    # frees the graph's saved tensors after the first backward (2*x saves its scalar
    # operand), so the second one would raise.  retain_graph=True keeps the semantics.
    y.backward(retain_graph=True)
    cell(125)
    show(x.grad)
    cell(126)
    show(x.grad.data.zero_())
    cell(127)
    y.backward(torch.tensor([3.0], dtype=torch.float32))
    cell(128)
    show(x.grad)
    cell(167)
    x1 = torch.ones(2).requires_grad_(True)
    x2 = torch.ones(2).requires_grad_(False)
    cell(168)
    y = x1 * 2 + x2
    show(y)
    cell(169)
    y.backward(torch.tensor([1., 1.], dtype=torch.float32))
    cell(170)
    show((x1.grad, x2.grad))
    cell(171)
    show(x1.grad.data.numpy().tolist())


# ---------------------------------------------------------------------------
# seed 002 -- "Pytorch Fundamentals: 2. Variables and Gradients"
# ---------------------------------------------------------------------------

def seed002():
    # Cells (In [n]: what it does -> what it shows):
    #  1: imports                                         -> nothing
    #  2: a = ones(2,2).requires_grad_(True)              -> nothing
    #  3: print(type(a)); a                               -> "<class 'torch.Tensor'>", repr(a)
    #  4: torch.ones(2, 2)                                -> repr
    #  5: b = ones(2,2).requires_grad_(True); print(a+b); print(torch.add(a, b))
    #  6: torch.ones(2, 2) + torch.ones(2, 2)             -> repr
    #  7: print(a * b); print(torch.mul(a, b))
    #  8: x = ones(2).requires_grad_(True)                -> nothing
    #  9: x                                               -> repr
    # 10: y = 5 * (x + 1) ** 2; y                         -> repr
    # 11: o = (1/2) * torch.sum(y); o                     -> repr
    # 12: o.backward(retain_graph=True)                   -> nothing
    # 13: o                                               -> repr
    # 14: x.grad                                          -> repr
    # 15: o.backward(torch.tensor(1.)); x.grad            -> repr (accumulated; see note)
    clgrad_manual_seed(0)
    cell(1)
    cell(2)
    a = torch.ones(2, 2).requires_grad_(True)
    cell(3)
    p(type(a))
    show(a)
    cell(4)
    show(torch.ones(2, 2))
    cell(5)
    b = torch.ones(2, 2).requires_grad_(True)
    p(a + b)
    p(torch.add(a, b))
    cell(6)
    show(torch.ones(2, 2) + torch.ones(2, 2))
    cell(7)
    p(a * b)
    p(torch.mul(a, b))
    cell(8)
    x = torch.ones(2).requires_grad_(True)
    cell(9)
    show(x)
    cell(10)
    y = 5 * (x + 1) ** 2
    show(y)
    cell(11)
    o = (1 / 2) * torch.sum(y)
    show(o)
    cell(12)
    o.backward(retain_graph=True)
    cell(13)
    show(o)
    cell(14)
    show(x.grad)
    cell(15)
    # The notebook passes torch.FloatTensor([1.0, 1.0]) here; o is 0-dim in PyTorch 1.13 and
    # a gradient of shape (2,) raises "Mismatch in shape", so the modern twin passes the
    # 0-dim ones gradient.  The second backward accumulates into x.grad (10 + 10 = 20).
    o.backward(torch.tensor(1.0, dtype=torch.float32))
    show(x.grad)


# ---------------------------------------------------------------------------
# seed 003 -- "Gradient calculation examples in PyTorch"
# ---------------------------------------------------------------------------

def seed003():
    # Cells (In [n]: what it does -> what it shows).  rand(...) = clgrad Philox uniform
    # float32 from the global generator (draw order: cells 2, 5, 8, 11, 15, 19, 23, 29, 36).
    #  1: imports                                         -> nothing
    #  2: x = rand(1).requires_grad_(True); x             -> repr
    #  3: y = 3*x**2; y.backward(); x.grad                -> repr
    #  4: x*6                                             -> repr
    #  5: x = rand(1).requires_grad_(True); x             -> repr
    #  6: y = 3*x**2; y.backward(gradient=ones(1)); x.grad -> repr
    #  7: x*6                                             -> repr
    #  8: x = rand(1).requires_grad_(True); x             -> repr
    #  9: y = 3*x**2; y.backward(gradient=100*ones(1)); x.grad -> repr
    # 10: 100*x*6                                         -> repr
    # 11: x = rand(2, 1).requires_grad_(True); x          -> repr
    # 12: y = x[0]**3 + 2*x[1]**2; y.backward()           -> nothing
    # 13: x.grad                                          -> repr
    # 14: 3*x[0]**2, 4*x[1]                               -> tuple repr
    # 15: x = rand(2, 1).requires_grad_(True); x          -> repr
    # 16: y = x[0]**3 + 2*x[1]**2; y.backward(gradient=ones(1)) -> nothing
    # 17: x.grad                                          -> repr
    # 18: 3*x[0]**2, 4*x[1]                               -> tuple repr
    # 19: x = rand(2, 1).requires_grad_(True); x          -> repr
    # 20: y = x[0]**3 + 2*x[1]**2; y.backward(gradient=100*ones(1)) -> nothing
    # 21: x.grad                                          -> repr
    # 22: 3*x[0]**2, 4*x[1]                               -> tuple repr
    # 23: x = rand(1).requires_grad_(True); x             -> repr
    # 24: y = zeros(2, 1).requires_grad_(False)           -> nothing
    # 25: y[0] = x**3; y[1] = 2*x**2; y                   -> repr (grad_fn=<CopySlices>)
    # 26: y.backward(gradient=ones(y.size()))             -> nothing
    # 27: x.grad                                          -> repr
    # 28: 3*x**2 + 4*x                                    -> repr
    # 29: x = rand(2, 1).requires_grad_(True); x          -> repr
    # 30: y = zeros(3, 1).requires_grad_(False)           -> nothing
    # 31: y[0] = x[0]**2; y[1] = x[1]**3; y[2] = x[1]**4  -> nothing
    # 32: y.backward(gradient=ones(y.size()))             -> nothing
    # 33: x.grad                                          -> repr
    # 34: 2*x[0], 3*x[1]**2, 4*x[1]**3                    -> tuple repr
    # 35: 2*x[0], 3*x[1]**2 + 4*x[1]**3                   -> tuple repr
    # 36: x = rand(2, 1).requires_grad_(True); x          -> repr
    # 37: y = zeros(3, 1).requires_grad_(False)           -> nothing
    # 38: y[0] = x[0]**2; y[1] = x[1]**3; y[2] = x[1]**4  -> nothing
    # 39: y.backward(gradient=100*ones(y.size()))         -> nothing
    # 40: x.grad                                          -> repr
    # 41: 2*x[0], 3*x[1]**2, 4*x[1]**3                    -> tuple repr
    # 42: 2*x[0], 3*x[1]**2 + 4*x[1]**3                   -> tuple repr
    clgrad_manual_seed(0)
    cell(1)

    # input is scalar; output is scalar
    cell(2)
    x = rand(1).requires_grad_(True)
    show(x)
    cell(3)
    y = 3 * x ** 2
    y.backward()
    show(x.grad)
    cell(4)
    show(x * 6)
    cell(5)
    x = rand(1).requires_grad_(True)
    show(x)
    cell(6)
    y = 3 * x ** 2
    y.backward(gradient=torch.ones(1))
    show(x.grad)
    cell(7)
    show(x * 6)
    cell(8)
    x = rand(1).requires_grad_(True)
    show(x)
    cell(9)
    y = 3 * x ** 2
    y.backward(gradient=100 * torch.ones(1))
    show(x.grad)
    cell(10)
    show(100 * x * 6)

    # input is vector; output is scalar
    cell(11)
    x = rand(2, 1).requires_grad_(True)
    show(x)
    cell(12)
    y = x[0] ** 3 + 2 * x[1] ** 2
    y.backward()
    cell(13)
    show(x.grad)
    cell(14)
    show((3 * x[0] ** 2, 4 * x[1]))
    cell(15)
    x = rand(2, 1).requires_grad_(True)
    show(x)
    cell(16)
    y = x[0] ** 3 + 2 * x[1] ** 2
    y.backward(gradient=torch.ones(1))
    cell(17)
    show(x.grad)
    cell(18)
    show((3 * x[0] ** 2, 4 * x[1]))
    cell(19)
    x = rand(2, 1).requires_grad_(True)
    show(x)
    cell(20)
    y = x[0] ** 3 + 2 * x[1] ** 2
    y.backward(gradient=100 * torch.ones(1))
    cell(21)
    show(x.grad)
    cell(22)
    show((3 * x[0] ** 2, 4 * x[1]))

    # input is scalar; output is vector
    cell(23)
    x = rand(1).requires_grad_(True)
    show(x)
    cell(24)
    y = torch.zeros(2, 1).requires_grad_(False)
    cell(25)
    y[0] = x ** 3
    y[1] = 2 * x ** 2
    show(y)
    cell(26)
    y.backward(gradient=torch.ones(y.size()))
    cell(27)
    show(x.grad)
    cell(28)
    show(3 * x ** 2 + 4 * x)

    # input is vector; output is vector
    cell(29)
    x = rand(2, 1).requires_grad_(True)
    show(x)
    cell(30)
    y = torch.zeros(3, 1).requires_grad_(False)
    cell(31)
    y[0] = x[0] ** 2
    y[1] = x[1] ** 3
    y[2] = x[1] ** 4
    cell(32)
    y.backward(gradient=torch.ones(y.size()))
    cell(33)
    show(x.grad)
    cell(34)
    show((2 * x[0], 3 * x[1] ** 2, 4 * x[1] ** 3))
    cell(35)
    show((2 * x[0], 3 * x[1] ** 2 + 4 * x[1] ** 3))
    cell(36)
    x = rand(2, 1).requires_grad_(True)
    show(x)
    cell(37)
    y = torch.zeros(3, 1).requires_grad_(False)
    cell(38)
    y[0] = x[0] ** 2
    y[1] = x[1] ** 3
    y[2] = x[1] ** 4
    cell(39)
    y.backward(gradient=100 * torch.ones(y.size()))
    cell(40)
    show(x.grad)
    cell(41)
    show((2 * x[0], 3 * x[1] ** 2, 4 * x[1] ** 3))
    cell(42)
    show((2 * x[0], 3 * x[1] ** 2 + 4 * x[1] ** 3))


# ---------------------------------------------------------------------------
# seed 004 -- "Tensor / Gradients" (PyTorch 60-minute blitz autograd part)
# ---------------------------------------------------------------------------

def seed004():
    # Cells (In [n]: what it does -> what it prints).  randn(...) = clgrad Philox normal
    # float32 from the global generator (draw order: cell 51 (2x2), cell 65 (3)).
    #  1: import torch                                    -> nothing
    # 46: x = ones(2, 2, requires_grad=True); print(x)
    # 47: y = x + 2; print(y)
    # 48: print(y.grad_fn)                                -> <AddBackward0>
    # 49: z = y * y * 3; print(z)
    # 50: out = z.mean(); print(z, out)
    # 51: a = randn(2, 2); a = ((a * 3) / (a - 1)); print(a.requires_grad)
    # 52: a.requires_grad_(True); print(a.requires_grad)
    # 53: b = (a * a).sum(); print(b.grad_fn)             -> <SumBackward0>
    # 54: out = z.mean(); print(out)
    # 55: out.backward(); print(out)
    # 56: print(x.grad)
    # 65: x = randn(3).requires_grad_(True); print(x); print(x.grad)
    # 71: y = x * 2; print(y); while y.data.norm() < 1000: y = y * 2; print(y)
    # 72: gradients = tensor([0.1, 1.0, 0.0001]); print(gradients); y.backward(gradients); print(y)
    # 73: print(x); print(x.grad)
    # 74: print(x.requires_grad); print((x ** 2).requires_grad);
    #     with torch.no_grad(): print((x ** 2).requires_grad)
    clgrad_manual_seed(0)
    cell(1)
    cell(46)
    x = torch.ones(2, 2, requires_grad=True)
    p(x)
    cell(47)
    y = x + 2
    p(y)
    cell(48)
    p(y.grad_fn)
    cell(49)
    z = y * y * 3
    p(z)
    cell(50)
    out = z.mean()
    p(z, out)
    cell(51)
    a = randn(2, 2)
    a = ((a * 3) / (a - 1))
    p(a.requires_grad)
    cell(52)
    a.requires_grad_(True)
    p(a.requires_grad)
    cell(53)
    b = (a * a).sum()
    p(b.grad_fn)
    cell(54)
    out = z.mean()
    p(out)
    cell(55)
    out.backward()
    p(out)
    cell(56)
    p(x.grad)
    cell(65)
    x = randn(3).requires_grad_(True)  # torch.randn(3, requires_grad=True)
    p(x)
    p(x.grad)
    cell(71)
    y = x * 2
    p(y)
    while y.data.norm() < 1000:
        y = y * 2
        p(y)
    cell(72)
    gradients = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
    p(gradients)
    y.backward(gradients)
    p(y)
    cell(73)
    p(x)
    p(x.grad)
    cell(74)
    p(x.requires_grad)
    p((x ** 2).requires_grad)
    with torch.no_grad():
        p((x ** 2).requires_grad)


TWINS = [("seed000.txt", seed000), ("seed001.txt", seed001), ("seed002.txt", seed002),
         ("seed003.txt", seed003), ("seed004.txt", seed004)]


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for name, fn in TWINS:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            fn()
        path = os.path.join(OUT_DIR, name)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(buf.getvalue())
        print("%s: %d lines" % (path, buf.getvalue().count("\n")))


if __name__ == "__main__":
    main()
