#!/usr/bin/python3
"""Record golden reference values from PyTorch for clgrad's Java tests.

Writes, under integration-tests/src/test/resources/golden/:

* ops.txt      -- forward value, grad_fn, next_functions, str() and gradients of
                  every (op, sample) pair;
* printing.txt -- str(tensor) for many value / shape / dtype combinations;
* graphs.txt   -- canonical dumps of autograd graphs;
* philox.txt   -- values of clgrad's Philox-based random spec (tools/golden/philox.py).

Inputs are deterministic (each case seeds its own torch.Generator from a CRC of its
id), so re-running this script reproduces byte-identical files.

Run with:  /usr/bin/python3 tools/golden/record_golden.py
"""

import math
import os
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402

import philox  # noqa: E402

torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)

ROOT = os.path.dirname(os.path.dirname(HERE))
OUT_DIR = os.path.join(ROOT, "integration-tests", "src", "test", "resources", "golden")

F32 = torch.float32
F64 = torch.float64

# ---------------------------------------------------------------------------
# Formatting helpers (the fixture format shared by all files)
# ---------------------------------------------------------------------------

DTYPE_NAMES = {F32: "float32", F64: "float64"}


def header():
    return "# recorded by tools/golden/record_golden.py with torch %s\n" % torch.__version__


def fmt_float(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(v)


def fmt_tensor(t):
    t = t.detach()
    shape = ",".join(str(d) for d in t.shape)
    data = ",".join(fmt_float(v) for v in t.double().reshape(-1).tolist())
    return "%s shape=%s data=%s" % (DTYPE_NAMES[t.dtype], shape, data)


def fmt_values(dtype, values):
    data = ",".join(fmt_float(v) for v in values)
    return "%s shape=%d data=%s" % (dtype, len(values), data)


def escape(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n")


def fmt_param(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return fmt_float(v)
    if isinstance(v, (list, tuple)):
        return ",".join(str(int(d)) for d in v)
    raise TypeError("unsupported param %r" % (v,))


def fn_name(fn):
    return "None" if fn is None else type(fn).__name__


def write_file(name, records):
    path = os.path.join(OUT_DIR, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(header())
        for rec in records:
            f.write("\n")
            for line in rec:
                f.write(line + "\n")
    return path


# ---------------------------------------------------------------------------
# Deterministic inputs
# ---------------------------------------------------------------------------

def gen_for(case_id, salt=""):
    return torch.Generator().manual_seed(zlib.crc32((case_id + salt).encode("utf-8")))


class Inp:
    """An op input: logical value, whether it requires grad, whether it is a transposed view."""

    def __init__(self, value, grad=True, transposed=False):
        self.value = value
        self.grad = grad
        self.transposed = transposed
        if transposed:
            assert value.dim() >= 2, "transposed needs >= 2 dims"


class Maker:
    """Per-case value factory over a seeded generator."""

    def __init__(self, case_id):
        self.g = gen_for(case_id)

    def normal(self, shape, dtype=F32):
        return torch.randn(tuple(shape), generator=self.g, dtype=F64).to(dtype)

    def away(self, shape, dtype=F32, gap=0.25):
        """Normal values pushed at least ``gap`` away from 0 (no kinks for abs/relu)."""
        x = torch.randn(tuple(shape), generator=self.g, dtype=F64)
        s = torch.where(x >= 0, torch.ones_like(x), -torch.ones_like(x))
        return (s * (x.abs() + gap)).to(dtype)

    def positive(self, shape, dtype=F32, lo=0.5, hi=2.0):
        x = torch.rand(tuple(shape), generator=self.g, dtype=F64)
        return (lo + (hi - lo) * x).to(dtype)

    def uniform(self, shape, dtype=F32, lo=-1.0, hi=1.0):
        x = torch.rand(tuple(shape), generator=self.g, dtype=F64)
        return (lo + (hi - lo) * x).to(dtype)


# ---------------------------------------------------------------------------
# ops.txt
# ---------------------------------------------------------------------------

SKIPPED = []


def run_case(case_id, op, params, inputs, fn):
    """Run one (op, sample) and return its record lines, or None when PyTorch raises."""
    leaves = []
    args = []
    for inp in inputs:
        if inp.transposed:
            base = inp.value.transpose(-2, -1).contiguous().clone()
            base.requires_grad_(inp.grad)
            a = base.transpose(-2, -1)
            if inp.grad:
                a.retain_grad()
            leaves.append(a)
            args.append(a)
        else:
            leaf = inp.value.clone().requires_grad_(inp.grad)
            leaves.append(leaf)
            args.append(leaf)
    try:
        out = fn(*args)
    except RuntimeError as e:
        SKIPPED.append((case_id, str(e).splitlines()[0]))
        return None

    lines = ["case " + case_id, "op " + op]
    for k, v in params:
        lines.append("param %s=%s" % (k, fmt_param(v)))
    for inp, a in zip(inputs, args):
        flags = ""
        if inp.grad:
            flags += " grad"
        if inp.transposed:
            flags += " transposed"
        lines.append("input " + fmt_tensor(a) + flags)
    lines.append("output " + fmt_tensor(out))
    gf = out.grad_fn
    lines.append("grad_fn " + fn_name(gf))
    if gf is not None:
        lines.append("next " + ",".join(fn_name(f) for f, _ in gf.next_functions))
    lines.append("str " + escape(str(out)))

    if any(inp.grad for inp in inputs):
        g = gen_for(case_id, "/gradout")
        gradout = torch.randn(tuple(out.shape), generator=g, dtype=F64).to(out.dtype)
        try:
            out.backward(gradout)
        except RuntimeError as e:
            SKIPPED.append((case_id + " (backward; forward recorded)", str(e).splitlines()[0]))
        else:
            lines.append("gradout " + fmt_tensor(gradout))
            for i, (inp, a) in enumerate(zip(inputs, args)):
                if inp.grad:
                    assert a.grad is not None, case_id
                    lines.append("grad %d %s" % (i, fmt_tensor(a.grad)))
    lines.append("end")
    return lines


OPS_RECORDS = []
OPS_INDEX = []  # (op, sample)


def case(op, sample, inputs, fn, params=()):
    case_id = "%s/%s" % (op, sample)
    rec = run_case(case_id, op, list(params), inputs, fn)
    if rec is not None:
        OPS_RECORDS.append(rec)
        OPS_INDEX.append((op, sample))


def mk(op, sample):
    return Maker("%s/%s" % (op, sample))


UNARY = {
    "neg": (lambda x: x.neg(), "normal"),
    "exp": (lambda x: x.exp(), "normal"),
    "log": (lambda x: x.log(), "positive"),
    "sqrt": (lambda x: x.sqrt(), "positive"),
    "abs": (lambda x: x.abs(), "away"),
    "sin": (lambda x: x.sin(), "normal"),
    "cos": (lambda x: x.cos(), "normal"),
    "tanh": (lambda x: x.tanh(), "normal"),
    "sigmoid": (lambda x: torch.sigmoid(x), "normal"),
    "relu": (lambda x: torch.relu(x), "away"),
    "reciprocal": (lambda x: x.reciprocal(), "away"),
    "sign": (lambda x: x.sign(), "away"),
}


def values(m, kind, shape, dtype=F32):
    return getattr(m, kind)(shape, dtype)


def record_unary():
    for op, (fn, kind) in UNARY.items():
        samples = [
            ("basic", (2, 3), F32, False),
            ("scalar", (), F32, False),
            ("one", (1,), F32, False),
            ("transposed", (3, 2), F32, True),
            ("empty", (0, 3), F32, False),
            ("float64", (2, 3), F64, False),
        ]
        for sample, shape, dtype, tr in samples:
            m = mk(op, sample)
            case(op, sample, [Inp(values(m, kind, shape, dtype), transposed=tr)], fn)
    # extra kinks-free 3-D sample for a couple of ops
    m = mk("exp", "3d")
    case("exp", "3d", [Inp(m.normal((2, 2, 3)))], UNARY["exp"][0])
    m = mk("relu", "3d")
    case("relu", "3d", [Inp(m.away((2, 2, 3)))], UNARY["relu"][0])


SCALAR_OPS = {
    "add_scalar": lambda x, s: x + s,
    "sub_scalar": lambda x, s: x - s,
    "mul_scalar": lambda x, s: x * s,
    "div_scalar": lambda x, s: x / s,
    "rsub_scalar": lambda x, s: s - x,
    "rmul_scalar": lambda x, s: s * x,
    "rdiv_scalar": lambda x, s: s / x,
}


def record_scalar():
    for op, f in SCALAR_OPS.items():
        kind = "away" if op == "rdiv_scalar" else "normal"
        samples = [
            ("basic", (2, 3), F32, False, 2.5),
            ("int_scalar", (2, 3), F32, False, 3),
            ("zerodim", (), F32, False, -1.5),
            ("transposed", (3, 2), F32, True, 0.75),
            ("empty", (0, 3), F32, False, 2.0),
            ("float64", (2, 3), F64, False, 1.25),
        ]
        for sample, shape, dtype, tr, s in samples:
            if sample == "int_scalar" and op not in ("add_scalar", "mul_scalar", "rdiv_scalar"):
                continue
            m = mk(op, sample)
            x = values(m, kind, shape, dtype)
            case(op, sample, [Inp(x, transposed=tr)], (lambda xx, s=s, f=f: f(xx, s)), [("s", s)])

    op = "pow_scalar"
    samples = [
        ("square", (2, 3), F32, False, 2, "normal"),
        ("cube", (2, 3), F32, False, 3, "normal"),
        ("sqrt", (2, 3), F32, False, 0.5, "positive"),
        ("negative_frac", (2, 3), F32, False, -1.5, "positive"),
        ("zero", (2, 3), F32, False, 0, "normal"),
        ("one", (2, 3), F32, False, 1, "normal"),
        ("zerodim", (), F32, False, 2, "normal"),
        ("transposed", (3, 2), F32, True, 3, "normal"),
        ("empty", (0, 3), F32, False, 2, "normal"),
        ("float64", (2, 3), F64, False, 2.5, "positive"),
    ]
    for sample, shape, dtype, tr, e, kind in samples:
        m = mk(op, sample)
        x = values(m, kind, shape, dtype)
        case(op, sample, [Inp(x, transposed=tr)], (lambda xx, e=e: xx ** e), [("exponent", e)])

    op = "rpow_scalar"
    samples = [
        ("basic", (2, 3), F32, False, 1.5),
        ("int_base", (2, 3), F32, False, 2),
        ("fraction", (2, 3), F32, False, 0.5),
        ("zerodim", (), F32, False, 2.5),
        ("transposed", (3, 2), F32, True, 1.5),
        ("empty", (0, 3), F32, False, 1.5),
        ("float64", (2, 3), F64, False, 3.0),
    ]
    for sample, shape, dtype, tr, base in samples:
        m = mk(op, sample)
        x = values(m, "normal", shape, dtype)
        case(op, sample, [Inp(x, transposed=tr)], (lambda xx, base=base: base ** xx), [("base", base)])


BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a ** b,
}


# the samples every binary op gets; add and mul get the full list
BINARY_CORE = ("basic", "broadcast_row", "broadcast_outer", "broadcast_zerodim", "zerodim_both",
               "one", "transposed_lhs", "empty", "float64", "mixed_f32_f64")


def record_binary():
    for op, f in BINARY.items():
        akind = "positive" if op == "pow" else "normal"
        bkind = "away" if op == "div" else "normal"
        # sample, a-shape, b-shape, a-dtype, b-dtype, a-transposed, b-transposed, a-grad, b-grad
        samples = [
            ("basic", (2, 3), (2, 3), F32, F32, False, False, True, True),
            ("broadcast_row", (2, 3), (3,), F32, F32, False, False, True, True),
            ("broadcast_outer", (2, 1), (1, 3), F32, F32, False, False, True, True),
            ("broadcast_zerodim", (3,), (), F32, F32, False, False, True, True),
            ("zerodim_lhs", (), (2, 3), F32, F32, False, False, True, True),
            ("zerodim_both", (), (), F32, F32, False, False, True, True),
            ("one", (1,), (1,), F32, F32, False, False, True, True),
            ("broadcast_3d", (2, 1, 3), (4, 1), F32, F32, False, False, True, True),
            ("transposed_lhs", (2, 3), (2, 3), F32, F32, True, False, True, True),
            ("transposed_both", (3, 2), (3, 2), F32, F32, True, True, True, True),
            ("empty", (0, 3), (0, 3), F32, F32, False, False, True, True),
            ("empty_broadcast", (0, 3), (3,), F32, F32, False, False, True, True),
            ("float64", (2, 3), (2, 3), F64, F64, False, False, True, True),
            ("mixed_f32_f64", (2, 3), (2, 3), F32, F64, False, False, True, True),
            ("mixed_f64_f32_broadcast", (3,), (2, 3), F64, F32, False, False, True, True),
            ("lhs_grad_only", (2, 3), (2, 3), F32, F32, False, False, True, False),
            ("no_grad", (2, 3), (2, 3), F32, F32, False, False, False, False),
        ]
        for (sample, sa, sb, da, db, ta, tb, ga, gb) in samples:
            if op not in ("add", "mul") and sample not in BINARY_CORE:
                continue
            m = mk(op, sample)
            a = values(m, akind, sa, da)
            b = values(m, bkind, sb, db)
            case(op, sample, [Inp(a, grad=ga, transposed=ta), Inp(b, grad=gb, transposed=tb)], f)


def record_where():
    """where(cond, a, b) with a float 0/1 condition (clgrad's; PyTorch's is bool: cond != 0)."""
    op = "where"
    f = lambda c, a, b: torch.where(c != 0, a, b)  # noqa: E731
    # sample, cond-shape, a-shape, b-shape, dtype, a-transposed
    samples = [
        ("basic", (2, 3), (2, 3), (2, 3), F32, False),
        ("broadcast", (2, 1), (2, 3), (3,), F32, False),
        ("zerodim_other", (2, 3), (2, 3), (), F32, False),
        ("transposed", (2, 3), (2, 3), (2, 3), F32, True),
        ("empty", (0, 3), (0, 3), (3,), F32, False),
        ("float64", (2, 3), (2, 3), (2, 3), F64, False),
    ]
    for sample, sc, sa, sb, dt, ta in samples:
        m = mk(op, sample)
        c = (m.uniform(sc, dt) > 0).to(dt)
        case(op, sample, [Inp(c, grad=False), Inp(m.normal(sa, dt), transposed=ta), Inp(m.normal(sb, dt))], f)


def record_matmul():
    op = "matmul"
    f = lambda a, b: torch.matmul(a, b)  # noqa: E731
    samples = [
        ("1d_1d", (3,), (3,), F32, False, False),
        ("2d_1d", (2, 3), (3,), F32, False, False),
        ("1d_2d", (3,), (3, 4), F32, False, False),
        ("2d_2d", (2, 3), (3, 4), F32, False, False),
        ("2d_2d_17x33_33x5", (17, 33), (33, 5), F32, False, False),
        ("1x1", (1, 1), (1, 1), F32, False, False),
        ("3d_2d", (2, 3, 4), (4, 5), F32, False, False),
        ("2d_3d", (3, 4), (2, 4, 5), F32, False, False),
        ("3d_1d", (2, 3, 4), (4,), F32, False, False),
        ("1d_3d", (4,), (2, 4, 3), F32, False, False),
        ("3d_3d", (2, 3, 4), (2, 4, 5), F32, False, False),
        ("broadcast_batch", (2, 1, 3, 4), (5, 4, 2), F32, False, False),
        ("broadcast_batch_one", (1, 3, 4), (2, 4, 2), F32, False, False),
        ("transposed_lhs", (2, 3), (3, 4), F32, True, False),
        ("transposed_both", (2, 3), (3, 4), F32, True, True),
        ("transposed_3d", (2, 3, 4), (2, 4, 5), F32, True, True),
        ("float64", (2, 3), (3, 4), F64, False, False),
        ("float64_3d_2d", (2, 3, 4), (4, 5), F64, False, False),
        ("empty_rows", (0, 3), (3, 4), F32, False, False),
        ("empty_inner", (2, 0), (0, 3), F32, False, False),
        ("empty_batch", (0, 2, 3), (3, 4), F32, False, False),
    ]
    for sample, sa, sb, dt, ta, tb in samples:
        m = mk(op, sample)
        case(op, sample, [Inp(m.normal(sa, dt), transposed=ta), Inp(m.normal(sb, dt), transposed=tb)], f)


def record_reductions():
    # full reductions
    for op, f in (("sum", lambda x: x.sum()), ("mean", lambda x: x.mean())):
        samples = [
            ("basic", (2, 3), F32, False),
            ("scalar", (), F32, False),
            ("one", (1,), F32, False),
            ("3d", (2, 3, 4), F32, False),
            ("transposed", (3, 2), F32, True),
            ("empty", (0, 3), F32, False),
            ("float64", (2, 3), F64, False),
        ]
        for sample, shape, dt, tr in samples:
            m = mk(op, sample)
            case(op, sample, [Inp(m.normal(shape, dt), transposed=tr)], f)

    # dim reductions
    for op, meth in (("sum_dim", "sum"), ("mean_dim", "mean")):
        samples = [
            ("dim0", (2, 3), 0, False, F32, False),
            ("dim0_keepdim", (2, 3), 0, True, F32, False),
            ("dim1", (2, 3), 1, False, F32, False),
            ("dim1_keepdim", (2, 3), 1, True, F32, False),
            ("neg_dim", (2, 3), -1, False, F32, False),
            ("neg_dim_keepdim_3d", (2, 3, 4), -2, True, F32, False),
            ("3d_dim0", (2, 3, 4), 0, False, F32, False),
            ("scalar", (), 0, False, F32, False),
            ("one", (1,), 0, True, F32, False),
            ("transposed", (3, 2), 1, False, F32, True),
            ("empty_reduced", (0, 3), 0, False, F32, False),
            ("empty_kept", (0, 3), 1, True, F32, False),
            ("float64", (2, 3), 1, False, F64, False),
        ]
        for sample, shape, dim, keep, dt, tr in samples:
            m = mk(op, sample)
            fn = (lambda x, meth=meth, dim=dim, keep=keep: getattr(x, meth)(dim=dim, keepdim=keep))
            case(op, sample, [Inp(m.normal(shape, dt), transposed=tr)], fn,
                 [("dim", dim), ("keepdim", keep)])

    # over a list of dims
    for op, meth in (("sum_dims", "sum"), ("mean_dims", "mean")):
        samples = [
            ("all", (2, 3), [0, 1], False, F32, False),
            ("two_of_three_keepdim", (2, 3, 4), [0, 2], True, F32, False),
            ("reversed", (2, 3, 4), [2, 0], False, F32, False),
            ("neg_dim", (2, 3), [-1], False, F32, False),
            ("transposed", (3, 2), [1], True, F32, True),
            ("empty_kept", (0, 3), [1], False, F32, False),
            ("float64", (2, 3, 4), [1, 2], False, F64, False),
        ]
        for sample, shape, dims, keep, dt, tr in samples:
            m = mk(op, sample)
            fn = (lambda x, meth=meth, dims=dims, keep=keep: getattr(x, meth)(dims, keepdim=keep))
            case(op, sample, [Inp(m.normal(shape, dt), transposed=tr)], fn,
                 [("dims", dims), ("keepdim", keep)])

    # max / min
    for op, f in (("max", lambda x: x.max()), ("min", lambda x: x.min())):
        samples = [
            ("basic", None, (2, 3), F32, False),
            ("scalar", None, (), F32, False),
            ("one", None, (1,), F32, False),
            ("3d", None, (2, 3, 4), F32, False),
            ("transposed", None, (3, 2), F32, True),
            ("float64", None, (2, 3), F64, False),
            ("ties", [[1.5, -2.0, 1.5], [0.25, 1.5, -2.0]], None, F32, False),
            ("empty", None, (0, 3), F32, False),  # PyTorch raises -> skipped
        ]
        for sample, vals, shape, dt, tr in samples:
            m = mk(op, sample)
            x = torch.tensor(vals, dtype=dt) if vals is not None else m.normal(shape, dt)
            case(op, sample, [Inp(x, transposed=tr)], f)

    # norm
    op = "norm"
    f = lambda x: x.norm()  # noqa: E731
    samples = [
        ("basic", (2, 3), F32, False),
        ("scalar", (), F32, False),
        ("one", (1,), F32, False),
        ("3d", (2, 3, 4), F32, False),
        ("transposed", (3, 2), F32, True),
        ("empty", (0, 3), F32, False),
        ("float64", (2, 3), F64, False),
    ]
    for sample, shape, dt, tr in samples:
        m = mk(op, sample)
        case(op, sample, [Inp(m.normal(shape, dt), transposed=tr)], f)
    case(op, "zeros", [Inp(torch.zeros(2, 3))], f)


def record_views():
    def vcase(op, sample, shape, fn, params=(), dt=F32, tr=False):
        m = mk(op, sample)
        case(op, sample, [Inp(m.normal(shape, dt), transposed=tr)], fn, params)

    # reshape
    for sample, shape, new, dt, tr in [
        ("basic", (2, 3), [3, 2], F32, False),
        ("infer", (2, 3), [-1], F32, False),
        ("infer_3d", (2, 3, 4), [4, -1], F32, False),
        ("to_zerodim", (1,), [], F32, False),
        ("from_zerodim", (), [1, 1], F32, False),
        ("transposed_copy", (2, 3), [6], F32, True),
        ("transposed_same", (2, 3), [2, 3], F32, True),
        ("empty", (0, 3), [3, 0], F32, False),
        ("empty_infer", (0, 3), [0, -1], F32, False),
        ("float64", (2, 3), [3, 2], F64, False),
    ]:
        vcase("reshape", sample, shape, (lambda x, new=new: x.reshape(new)), [("shape", new)], dt, tr)

    # view
    for sample, shape, new, dt, tr in [
        ("basic", (2, 3), [3, 2], F32, False),
        ("infer", (2, 3), [-1], F32, False),
        ("3d", (2, 3, 4), [6, 4], F32, False),
        ("from_zerodim", (), [1], F32, False),
        ("to_zerodim", (1, 1), [], F32, False),
        ("transposed_compatible", (2, 3), [2, 1, 3], F32, True),
        ("transposed_incompatible", (2, 3), [6], F32, True),  # PyTorch raises -> skipped
        ("empty", (0, 3), [3, 0], F32, False),
        ("float64", (2, 3), [6], F64, False),
    ]:
        vcase("view", sample, shape, (lambda x, new=new: x.view(new)), [("shape", new)], dt, tr)

    # t
    for sample, shape, dt, tr in [
        ("basic", (2, 3), F32, False),
        ("1d", (3,), F32, False),
        ("zerodim", (), F32, False),
        ("transposed", (2, 3), F32, True),
        ("empty", (0, 3), F32, False),
        ("float64", (2, 3), F64, False),
    ]:
        vcase("t", sample, shape, (lambda x: x.t()), (), dt, tr)

    # transpose
    for sample, shape, d0, d1, dt, tr in [
        ("basic", (2, 3), 0, 1, F32, False),
        ("3d", (2, 3, 4), 0, 2, F32, False),
        ("neg_dims", (2, 3, 4), -1, -3, F32, False),
        ("same_dim", (2, 3), 1, 1, F32, False),
        ("transposed", (2, 3), 0, 1, F32, True),
        ("empty", (2, 0, 3), 0, 2, F32, False),
        ("float64", (2, 3), 1, 0, F64, False),
    ]:
        vcase("transpose", sample, shape, (lambda x, d0=d0, d1=d1: x.transpose(d0, d1)),
              [("dim0", d0), ("dim1", d1)], dt, tr)

    # permute
    for sample, shape, dims, dt, tr in [
        ("basic", (2, 3), [1, 0], F32, False),
        ("3d", (2, 3, 4), [2, 0, 1], F32, False),
        ("neg_dims", (2, 3, 4), [-1, 0, -2], F32, False),
        ("identity", (2, 3), [0, 1], F32, False),
        ("zerodim", (), [], F32, False),
        ("transposed", (2, 3, 4), [1, 2, 0], F32, True),
        ("empty", (2, 0, 3), [2, 1, 0], F32, False),
        ("float64", (2, 3, 4), [1, 0, 2], F64, False),
    ]:
        vcase("permute", sample, shape, (lambda x, dims=dims: x.permute(dims)), [("dims", dims)], dt, tr)

    # expand
    for sample, shape, new, dt, tr in [
        ("row", (3,), [2, 3], F32, False),
        ("column", (2, 1), [2, 4], F32, False),
        ("minus_one", (2, 1), [-1, 4], F32, False),
        ("new_dims", (3,), [2, 2, 3], F32, False),
        ("zerodim", (), [2, 3], F32, False),
        ("one", (1,), [5], F32, False),
        ("same", (2, 3), [2, 3], F32, False),
        ("transposed", (1, 3), [2, 3], F32, True),
        ("empty", (0, 1), [0, 3], F32, False),
        ("to_empty", (1, 3), [0, 3], F32, False),
        ("float64", (2, 1), [2, 3], F64, False),
    ]:
        vcase("expand", sample, shape, (lambda x, new=new: x.expand(new)), [("shape", new)], dt, tr)

    # unsqueeze
    for sample, shape, dim, dt, tr in [
        ("dim0", (2, 3), 0, F32, False),
        ("dim1", (2, 3), 1, F32, False),
        ("last", (2, 3), 2, F32, False),
        ("neg_dim", (2, 3), -1, F32, False),
        ("zerodim", (), 0, F32, False),
        ("transposed", (2, 3), 1, F32, True),
        ("empty", (0, 3), 1, F32, False),
        ("float64", (3,), 0, F64, False),
    ]:
        vcase("unsqueeze", sample, shape, (lambda x, dim=dim: x.unsqueeze(dim)), [("dim", dim)], dt, tr)

    # squeeze
    for sample, shape, dim, dt, tr in [
        ("middle", (2, 1, 3), 1, F32, False),
        ("neg_dim", (2, 1, 3), -2, F32, False),
        ("not_one", (2, 1, 3), 0, F32, False),
        ("to_zerodim", (1,), 0, F32, False),
        ("zerodim", (), 0, F32, False),
        ("transposed", (3, 1), 1, F32, True),
        ("empty", (0, 1), 1, F32, False),
        ("float64", (1, 3), 0, F64, False),
    ]:
        vcase("squeeze", sample, shape, (lambda x, dim=dim: x.squeeze(dim)), [("dim", dim)], dt, tr)

    # contiguous
    for sample, shape, dt, tr in [
        ("already", (2, 3), F32, False),
        ("transposed", (2, 3), F32, True),
        ("transposed_3d", (2, 3, 4), F32, True),
        ("empty_transposed", (0, 3), F32, True),
        ("float64_transposed", (2, 3), F64, True),
    ]:
        vcase("contiguous", sample, shape, (lambda x: x.contiguous()), (), dt, tr)

    # get: x[i][j]... one select(0, i) at a time
    def getter(idx):
        def f(x):
            for i in idx:
                x = x[i]
            return x
        return f

    for sample, shape, idx, dt, tr in [
        ("row", (2, 3), [1], F32, False),
        ("element", (2, 3), [1, 2], F32, False),
        ("negative", (2, 3), [-1], F32, False),
        ("1d", (4,), [2], F32, False),
        ("3d", (2, 3, 4), [1, 0], F32, False),
        ("3d_element", (2, 3, 4), [0, 1, 2], F32, False),
        ("transposed", (2, 3), [0], F32, True),
        ("transposed_element", (2, 3), [1, 0], F32, True),
        ("empty_row", (2, 0), [1], F32, False),
        ("float64", (2, 3), [0, 1], F64, False),
    ]:
        vcase("get", sample, shape, getter(idx), [("indices", idx)], dt, tr)


def record_ops():
    record_unary()
    record_scalar()
    record_binary()
    # record_where() waits for the runtime: clgrad's WhereBackward0 lists the condition in
    # next_functions, PyTorch 1.13 lists only a and b (see where's OpInfo row)
    record_matmul()
    record_reductions()
    record_views()
    return write_file("ops.txt", OPS_RECORDS)


# ---------------------------------------------------------------------------
# printing.txt
# ---------------------------------------------------------------------------

def record_printing():
    nan, inf = float("nan"), float("inf")
    g = torch.Generator().manual_seed(20240601)

    def rnd(*shape, scale=1.0, dtype=F32):
        return (torch.randn(shape, generator=g, dtype=F64) * scale).to(dtype)

    def dec(*shape, scale=10.0):
        # values with 4 significant decimals, both signs
        return (torch.randint(-100000, 100000, shape, generator=g, dtype=torch.int64)
                .double() / 10000.0 * scale / 10.0).float()

    T = lambda v, dt=F32: torch.tensor(v, dtype=dt)  # noqa: E731
    cases = [
        ("int_1d", T([1., 2., 3.]), False),
        ("int_2d", T([[1., 2.], [3., 4.]]), False),
        ("int_negative", T([-1., 2., -30.]), False),
        ("zeros", torch.zeros(2, 3), False),
        ("ones_2x2", torch.ones(2, 2), False),
        ("decimals", T([0.1, 0.25, 1.5]), False),
        ("decimals_2d", T([[1.0, 1.4142], [1.7321, 2.0]]), False),
        ("negative_decimals", T([-1.5, -2.25, -0.125]), False),
        ("mixed_signs", T([-1.0617, 1.1143, 0.9]), False),
        ("mixed_int_decimal", T([1.0, 2.5, -3.0]), False),
        ("tiny", T([1e-5, 2e-5, 3e-5]), False),
        ("tiny_and_one", T([1e-5, 1.0]), False),
        ("huge", T([1e9, 2.0]), False),
        ("huge_only", T([1e9, 3e9]), False),
        ("ratio_over_1000", T([0.01, 20.5]), False),
        ("ratio_exactly_1000", T([0.01, 10.0]), False),
        ("gradients_example", T([0.1, 1.0, 0.0001]), False),
        ("nan_inf_mixed", T([nan, 1.5, inf, -inf, -2.25]), False),
        ("nan_with_ints", T([nan, 1.0, 2.0]), False),
        ("inf_with_ints", T([inf, -3.0, 2.0]), False),
        ("only_nan", T([nan, nan]), False),
        ("only_inf", T([inf, -inf]), False),
        ("inf_with_tiny", T([inf, 1e-5, 1.0]), False),
        ("neg_zero", T([-0.0, 1.0]), False),
        ("neg_zero_decimal", T([-0.0, 1.5]), False),
        ("neg_zero_scalar", T(-0.0), False),
        ("scalar_int", T(2.0), False),
        ("scalar_decimal", T(37.5), False),
        ("scalar_tiny", T(1e-5), False),
        ("scalar_huge", T(1e9), False),
        ("scalar_nan", T(nan), False),
        ("scalar_neg_inf", T(-inf), False),
        ("empty_0", torch.zeros(0), False),
        ("empty_0x3", torch.zeros(0, 3), False),
        ("empty_2x0x3", torch.zeros(2, 0, 3), False),
        ("one_element", T([0.7073]), False),
        ("column_2x1", T([[0.9647], [0.8132]]), False),
        ("3d", dec(2, 3, 4), False),
        ("4d", dec(2, 2, 2, 3), False),
        ("wrap_1d_30_decimals", dec(30), False),
        ("wrap_1d_40_ints", torch.arange(-20., 20.), False),
        ("wrap_2d_3x20", dec(3, 20), False),
        ("wrap_3d_2x2x15", dec(2, 2, 15), False),
        ("not_summarised_1000", dec(1000), False),
        ("summarised_1d_1001", dec(1001), False),
        ("summarised_1d_2000", torch.arange(2000.), False),
        ("summarised_2d_40x40", dec(40, 40), False),
        ("summarised_3d_11x11x11", dec(11, 11, 11), False),
        ("summarised_sci", rnd(1200, scale=1e6), False),
        ("float64_decimals", T([1.5, 2.0, -0.3333], F64), False),
        ("float64_ints", T([1., 2.], F64), False),
        ("float64_scalar", T(2.5, F64), False),
        ("float64_empty", torch.zeros(0, dtype=F64), False),
        ("float64_sci", T([1e-7, 1.0, 5e10], F64), False),
        ("float64_2d", rnd(2, 3, dtype=F64), False),
        ("requires_grad_1d", T([1., 1.]), True),
        ("requires_grad_2d", T([[1., 2.], [3., 4.]]), True),
        ("requires_grad_scalar", T(3.0), True),
        ("requires_grad_float64", T([0.5, -1.0], F64), True),
        ("requires_grad_float64_empty", torch.zeros(0, 2, dtype=F64), True),
        ("huge_int_1e8", T([1e8, 2.0]), False),
        ("huge_int_123456789", T([123456789., 1.]), False),
        ("huge_int_1e10", T([1e10, 1.]), False),
        ("int_99999999", T([99999999., 1.]), False),
        ("int_large_no_sci", T([99999992., 100000.]), False),
        ("int_ratio_1000", T([1., 1000.]), False),
        ("int_ratio_over_1000", T([1., 1001.]), False),
        ("float64_boundary_1e-4_and_one", T([1e-4, 1.0], F64), False),
        ("float64_boundary_1e-4_fixed", T([1e-4, 0.05], F64), False),
        ("float32_boundary_1e-4_vs_0.05", T([1e-4, 0.05]), False),
        ("nan_with_sci", T([nan, 1e-6, 3.0]), False),
        ("tiny_5e-5", T([0.00005]), False),
        ("near_one_0.99995", T([0.99995]), False),
        ("tiny_and_near_one", T([0.00005, 0.99995]), False),
        ("decimal_123456.789", T([123456.789]), False),
        ("decimal_123456.789_and_small", T([123456.789, 0.5]), False),
        ("boundary_1e-4", T([1e-4]), False),
        ("boundary_1e-4_and_one", T([1e-4, 1.0]), False),
        ("boundary_9.9e-5_and_one", T([9.9e-5, 1.0]), False),
        ("tie_0.15625", T([0.15625]), False),
        ("tie_0.15625_and_one", T([0.15625, 1.0]), False),
        ("tie_2.5e-5", T([2.5e-5]), False),
        ("tie_2.5e-5_and_one", T([2.5e-5, 1.0]), False),
        ("tie_0.00015", T([1.5e-4, 2.5e-4, 1.0]), False),
        ("large_decimals", T([12345.678, 0.5, -999.25]), False),
        ("random_2d", rnd(3, 4), False),
        ("random_scaled_2d", rnd(3, 3, scale=1000.0), False),
    ]
    records = []
    for name, t, rg in cases:
        if rg:
            t = t.clone().requires_grad_(True)
        records.append([
            "case print/" + name,
            "tensor " + fmt_tensor(t),
            "requires_grad " + ("true" if rg else "false"),
            "str " + escape(str(t)),
            "end",
        ])
    return write_file("printing.txt", records), len(records)


# ---------------------------------------------------------------------------
# graphs.txt
# ---------------------------------------------------------------------------

def dump(fn):
    if fn is None:
        return "None"
    name = type(fn).__name__
    kids = fn.next_functions
    if not kids:
        return name
    return name + "(" + ", ".join(dump(k) for k, _ in kids) + ")"


def record_graphs():
    g = torch.Generator().manual_seed(7)

    def leaf(*shape, dtype=F32):
        return torch.rand(shape, generator=g, dtype=F64).to(dtype).requires_grad_(True)

    def rnd(*shape, dtype=F32):
        return torch.randn(shape, generator=g, dtype=F64).to(dtype)

    recs = []

    def add(name, expr, tensor):
        recs.append(["case graph/" + name, "expr " + escape(expr), "dump " + dump(tensor.grad_fn), "end"])

    # seed notebook graphs
    x = torch.arange(4.).requires_grad_(True)
    y = 5 * (x + 1) ** 2
    add("seed_y", "x = torch.arange(4.).requires_grad_(); y = 5 * (x + 1) ** 2", y)
    add("seed_z", "z = y.mean()", y.mean())
    x = torch.ones(2).requires_grad_(True)
    add("seed_o", "x = torch.ones(2).requires_grad_(); o = (1/2) * torch.sum(5 * (x + 1) ** 2)",
        (1 / 2) * torch.sum(5 * (x + 1) ** 2))
    x = torch.tensor([3.]).requires_grad_(True)
    add("lin", "x = torch.tensor([3.]).requires_grad_(); y = 2*x + 3", 2 * x + 3)

    x = leaf(1)
    y = torch.zeros(2, 1)
    y[0] = x ** 3
    y[1] = 2 * x ** 2
    add("copyslices1", "x = torch.rand(1).requires_grad_(); y = torch.zeros(2, 1); y[0] = x**3; y[1] = 2*x**2", y)

    x = leaf(2, 1)
    y = torch.zeros(3, 1)
    y[0] = x[0] ** 2
    y[1] = x[1] ** 3
    y[2] = x[1] ** 4
    add("copyslices2", "x = torch.rand(2, 1).requires_grad_(); y = torch.zeros(3, 1); "
        "y[0] = x[0]**2; y[1] = x[1]**3; y[2] = x[1]**4", y)

    x = leaf(2, 1)
    add("select", "x = torch.rand(2, 1).requires_grad_(); y = x[0]**3 + 2*x[1]**2", x[0] ** 3 + 2 * x[1] ** 2)

    x = leaf(3)
    add("chain_mul", "x*2*2*2", x * 2 * 2 * 2)

    x = leaf(3)
    a = x * 1
    a.add_(x)
    add("inplace_add", "a = x*1; a.add_(x)", a)
    x = leaf(3)
    a = x * 1
    a.mul_(2.0)
    add("inplace_mul", "a = x*1; a.mul_(2.0)", a)
    x = leaf(3)
    a = x * 1
    a.fill_(3.0)
    add("fill", "a = x*1; a.fill_(3.0)", a)
    x = leaf(3)
    a = x * 1
    a.zero_()
    add("zero", "a = x*1; a.zero_()", a)
    x, x2 = leaf(3), leaf(3)
    a = x * 1
    a.copy_(x2)
    add("copy", "a = x*1; a.copy_(x2)  # x2 another leaf", a)

    x = leaf(2, 3)
    add("view_chain",
        "x(2,3).t().reshape(6).view(3, 2).unsqueeze(0).squeeze(0).permute(1, 0).expand(2, 2, 3)",
        x.t().reshape(6).view(3, 2).unsqueeze(0).squeeze(0).permute(1, 0).expand(2, 2, 3))
    x = leaf(2, 3)
    add("reshape_viewable", "x(2,3).reshape(3, 2)", x.reshape(3, 2))
    x = leaf(2, 3)
    add("reshape_copy", "x(2,3).t().reshape(6)", x.t().reshape(6))
    x = leaf(2, 3)
    add("view", "x(2,3).view(6)", x.view(6))
    x = leaf(2, 3)
    add("contiguous", "x(2,3).t().contiguous()", x.t().contiguous())
    x = leaf(2, 3)
    add("contiguous_noop", "x(2,3).contiguous() * 2", x.contiguous() * 2)
    x = leaf(2, 3)
    add("transpose", "x(2,3).transpose(0, 1)", x.transpose(0, 1))
    x = leaf(2, 3)
    add("get_element", "x(2,3)[1][2]", x[1][2])

    for name, sa, sb in [
        ("matmul_1d_1d", (3,), (3,)),
        ("matmul_2d_1d", (2, 3), (3,)),
        ("matmul_1d_2d", (3,), (3, 4)),
        ("matmul_2d_2d", (2, 3), (3, 4)),
        ("matmul_3d_2d", (2, 3, 4), (4, 5)),
        ("matmul_3d_3d", (2, 3, 4), (2, 4, 5)),
        ("matmul_4d_3d_broadcast", (2, 1, 3, 4), (5, 4, 2)),
        ("matmul_2d_3d", (3, 4), (2, 4, 5)),
        ("matmul_3d_1d", (2, 3, 4), (4,)),
    ]:
        a, b = leaf(*sa), leaf(*sb)
        add(name, "torch.matmul(a%s, b%s)" % (str(sa).replace(" ", ""), str(sb).replace(" ", "")),
            torch.matmul(a, b))

    x = leaf(2, 3)
    add("sum_all", "x(2,3).sum()", x.sum())
    add("sum_dim", "x(2,3).sum(1)", x.sum(1))
    add("sum_dim_keepdim", "x(2,3).sum(0, keepdim=True)", x.sum(0, keepdim=True))
    add("mean_all", "x(2,3).mean()", x.mean())
    add("mean_dim", "x(2,3).mean(1)", x.mean(1))
    add("max", "x(2,3).max()", x.max())
    add("min", "x(2,3).min()", x.min())
    add("norm", "x(2,3).norm()", x.norm())
    add("sigmoid", "torch.sigmoid(x)", torch.sigmoid(x))
    add("relu", "torch.relu(x)", torch.relu(x))
    add("tanh", "x.tanh()", x.tanh())
    add("neg", "x.neg()", x.neg())
    add("exp", "x.exp()", x.exp())
    add("log", "x.log()", x.log())
    add("sqrt", "x.sqrt()", x.sqrt())
    add("abs", "x.abs()", x.abs())
    add("sin", "x.sin()", x.sin())
    add("cos", "x.cos()", x.cos())

    x = leaf(3)
    y = (x * 2).detach() * 3
    add("detach", "y = (x*2).detach() * 3", y)
    x = leaf(3)
    add("nograd_part", "x*2 + (x*3).detach()", x * 2 + (x * 3).detach())
    x = leaf(3)
    c = rnd(3)
    add("const_operand", "x * c  # c a tensor without grad", x * c)
    x, w = leaf(3), leaf(3, dtype=F64)
    add("mixed_dtype", "x + w  # x float32 leaf, w float64 leaf", x + w)
    x, w = leaf(2, 3), leaf(3)
    add("broadcast_add", "x(2,3) + w(3)", x + w)

    for name, expr, f in [
        ("scalar_add", "x + 1", lambda t: t + 1),
        ("scalar_sub", "x - 1", lambda t: t - 1),
        ("scalar_rsub", "1 - x", lambda t: 1 - t),
        ("scalar_mul", "x * 2", lambda t: t * 2),
        ("scalar_rmul", "2 * x", lambda t: 2 * t),
        ("scalar_div", "x / 2", lambda t: t / 2),
        ("scalar_rdiv", "2 / x", lambda t: 2 / t),
        ("scalar_pow", "x ** 2", lambda t: t ** 2),
        ("scalar_rpow", "2 ** x", lambda t: 2 ** t),
    ]:
        x = leaf(3)
        add(name, expr, f(x))

    return write_file("graphs.txt", recs), len(recs)


# ---------------------------------------------------------------------------
# philox.txt
# ---------------------------------------------------------------------------

def record_philox():
    U, N = philox.UNIFORM, philox.NORMAL
    specs = [
        ("uniform_f32_seed0", U, "float32", 0, 0, 10),
        ("uniform_f32_seed2018", U, "float32", 2018, 0, 7),
        ("uniform_f32_seed42_offset5", U, "float32", 42, 5, 9),
        ("uniform_f64_seed0", U, "float64", 0, 0, 5),
        ("normal_f32_seed0", N, "float32", 0, 0, 10),
        ("normal_f64_seed7_offset3", N, "float64", 7, 3, 6),
        ("uniform_f32_bigseed", U, "float32", (1 << 40) + 3, 2, 6),
    ]
    recs = []
    for name, op, dt, seed, offset, n in specs:
        vals = philox.draw(op, dt, seed, offset, n)
        recs.append(["case philox/" + name, "seed %d" % seed, "offset %d" % offset,
                     "op " + op, "values " + fmt_values(dt, vals), "end"])
    kat = ["case philox/kat"]
    for ctr, key, expected in philox.KAT:
        got = philox.block(ctr, key)
        assert tuple(got) == expected
        kat.append("block %s %s -> %s" % (" ".join("%08x" % v for v in ctr),
                                         " ".join("%08x" % v for v in key),
                                         " ".join("%08x" % v for v in got)))
    kat.append("end")
    recs.append(kat)
    return write_file("philox.txt", recs), len(recs)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    path = record_ops()
    print("%s: %d records" % (path, len(OPS_RECORDS)))
    for fn in (record_printing, record_graphs, record_philox):
        path, n = fn()
        print("%s: %d records" % (path, n))
    for cid, why in SKIPPED:
        print("skipped %s: %s" % (cid, why))


if __name__ == "__main__":
    main()
