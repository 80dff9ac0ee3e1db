#!/usr/bin/python3
"""Record golden values of the training layer's ops from PyTorch 1.13.

Writes integration-tests/src/test/resources/golden/training_ops.txt in the record format of
ops.txt (see record_golden.py, whose helpers this script reuses): forward value, grad_fn,
next_functions, str() and the gradient of every input for a seeded upstream gradient.
Index inputs are int64 and never require grad. Inputs of magnitude 1e4 check the stable forms
(log-sum-exp with the maximum subtracted).

Run with:  /usr/bin/python3 tools/golden/record_training_ops.py
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import record_golden as rg  # noqa: E402

rg.DTYPE_NAMES[torch.int64] = "int64"
rg.DTYPE_NAMES[torch.bool] = "bool"
rg.DTYPE_NAMES[torch.uint8] = "uint8"

F32 = torch.float32
F64 = torch.float64
I64 = torch.int64
Inp = rg.Inp


def case(op, sample, inputs, fn, params=()):
    rg.case(op, sample, inputs, fn, params)


def unary_cases(op, fn, kind="normal"):
    for sample, shape, dt in [("basic", (2, 3), F32), ("scalar", (), F32), ("empty", (0, 3), F32),
                              ("float64", (3, 4), F64)]:
        m = rg.mk(op, sample)
        x = rg.values(m, kind, shape, dt)
        case(op, sample, [Inp(x)], fn)


def record():
    unary_cases("log1p", torch.log1p, "positive")
    unary_cases("expm1", torch.expm1)
    unary_cases("erf", torch.erf)
    unary_cases("gelu", F.gelu)
    unary_cases("silu", F.silu)
    unary_cases("leaky_relu", lambda x: F.leaky_relu(x, 0.1), "away")
    for op, f in [("softmax", lambda x: x.softmax(1)), ("log_softmax", lambda x: x.log_softmax(1)),
                  ("logsumexp", lambda x: x.logsumexp(1)), ("logsumexp_keepdim", lambda x: x.logsumexp(1, True))]:
        for sample, shape, dt, scale in [("basic", (3, 5), F32, 1.0), ("float64", (2, 4), F64, 1.0),
                                         ("large", (2, 4), F32, 1e4), ("large64", (2, 4), F64, 1e4)]:
            m = rg.mk(op, sample)
            case(op, sample, [Inp(rg.values(m, "normal", shape, dt) * scale)], f)
    m = rg.mk("log_softmax", "dim0")
    case("log_softmax_dim0", "basic", [Inp(rg.values(m, "normal", (3, 4), F32))], lambda x: x.log_softmax(0))
    for op, f in [("clamp", lambda x: x.clamp(-0.5, 0.7)), ("clamp_min", lambda x: x.clamp_min(0.2)),
                  ("clamp_max", lambda x: x.clamp_max(-0.1))]:
        m = rg.mk(op, "basic")
        case(op, "basic", [Inp(rg.values(m, "away", (3, 4), F32))], f)
    for op, f in [("maximum", torch.maximum), ("minimum", torch.minimum)]:
        m = rg.mk(op, "basic")
        case(op, "basic", [Inp(rg.values(m, "normal", (3, 4), F32)), Inp(rg.values(m, "normal", (4,), F32))], f)
        a = torch.tensor([1.0, 2.0, 3.0])
        case(op, "ties", [Inp(a.clone()), Inp(torch.tensor([1.0, 0.0, 3.0]))], f)
    for op, f in [("var", lambda x: x.var(1)), ("std", lambda x: x.std(1)),
                  ("var_all_corr0", lambda x: torch.var(x, dim=(0, 1), unbiased=False, keepdim=True)),
                  ("std_keepdim", lambda x: x.std(0, keepdim=True))]:
        for sample, dt in [("basic", F32), ("float64", F64)]:
            m = rg.mk(op, sample)
            case(op, sample, [Inp(rg.values(m, "normal", (3, 4), dt))], f)
    # index ops: int64 indices never require grad
    g_idx = torch.tensor([[0, 2], [1, 1], [3, 0]])
    m = rg.mk("gather", "basic")
    case("gather", "basic", [Inp(rg.values(m, "normal", (3, 4), F32)), Inp(g_idx, grad=False)],
         lambda x, i: x.gather(1, i))
    m = rg.mk("gather", "dim0")
    case("gather_dim0", "basic", [Inp(rg.values(m, "normal", (4, 3), F64)), Inp(g_idx.t().contiguous(), grad=False)],
         lambda x, i: x.gather(0, i))
    m = rg.mk("index_select", "basic")
    case("index_select", "basic", [Inp(rg.values(m, "normal", (4, 3), F32)),
                                   Inp(torch.tensor([3, 0, 3, 1]), grad=False)], lambda x, i: x.index_select(0, i))
    m = rg.mk("index_select", "dim1")
    case("index_select_dim1", "basic", [Inp(rg.values(m, "normal", (2, 5), F32)),
                                        Inp(torch.tensor([4, 4, 0]), grad=False)], lambda x, i: x.index_select(1, i))
    m = rg.mk("scatter_add", "basic")
    case("scatter_add", "basic", [Inp(rg.values(m, "normal", (3, 4), F32)), Inp(g_idx, grad=False),
                                  Inp(rg.values(m, "normal", (3, 2), F32))], lambda s, i, src: s.scatter_add(1, i, src))
    for op, f in [("amax", lambda x: x.amax(1)), ("amin", lambda x: x.amin(0, keepdim=True)),
                  ("max_dim", lambda x: x.max(1)[0]), ("min_dim_keepdim", lambda x: x.min(0, keepdim=True)[0])]:
        m = rg.mk(op, "basic")
        case(op, "basic", [Inp(rg.values(m, "normal", (3, 4), F32))], f)
        case(op, "ties", [Inp(torch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, -1.0]]))], f)
    for op, f in [("narrow", lambda x: x.narrow(1, 1, 2)), ("slice_step", lambda x: torch.ops.aten.slice(x, 1, 1, 2 ** 63 - 1, 2)),
                  ("slice_dim0", lambda x: x[1:3])]:
        m = rg.mk(op, "basic")
        case(op, "basic", [Inp(rg.values(m, "normal", (3, 5), F32))], f)
    m = rg.mk("cat", "basic")
    case("cat", "basic", [Inp(rg.values(m, "normal", (2, 3), F32)), Inp(rg.values(m, "normal", (1, 3), F32))],
         lambda a, b: torch.cat([a, b], 0))
    case("cat_dim1", "basic", [Inp(rg.values(m, "normal", (2, 3), F32)), Inp(rg.values(m, "normal", (2, 1), F32))],
         lambda a, b: torch.cat([a, b], 1))
    m = rg.mk("stack", "basic")
    case("stack", "basic", [Inp(rg.values(m, "normal", (2, 3), F32)), Inp(rg.values(m, "normal", (2, 3), F32))],
         lambda a, b: torch.stack([a, b], 1))
    m = rg.mk("masked_fill", "basic")
    x = rg.values(m, "normal", (3, 4), F32)
    case("masked_fill", "basic", [Inp(x), Inp(x.detach() > 0.3, grad=False)], lambda x, k: x.masked_fill(k, -2.5))
    m = rg.mk("where", "basic")
    case("where", "bool", [Inp(rg.values(m, "normal", (3, 4), F32) > 0, grad=False),
                                 Inp(rg.values(m, "normal", (3, 4), F32)), Inp(rg.values(m, "normal", (4,), F32))],
         lambda c, a, b: torch.where(c, a, b))
    # losses
    t = torch.tensor([1, 0, 4, 2])
    for op, f in [("cross_entropy", lambda x, t: F.cross_entropy(x, t)),
                  ("cross_entropy_sum", lambda x, t: F.cross_entropy(x, t, reduction="sum")),
                  ("cross_entropy_none", lambda x, t: F.cross_entropy(x, t, reduction="none")),
                  ("cross_entropy_ignore", lambda x, t: F.cross_entropy(x, t, ignore_index=4)),
                  ("cross_entropy_smooth", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1)),
                  ("nll_loss", lambda x, t: F.nll_loss(x, t))]:
        for sample, dt, scale in [("basic", F32, 1.0), ("float64", F64, 1.0), ("large", F32, 1e4)]:
            m = rg.mk(op, sample)
            case(op, sample, [Inp(rg.values(m, "normal", (4, 5), dt) * scale), Inp(t, grad=False)], f)
    m = rg.mk("cross_entropy_probs", "basic")
    probs = torch.rand(4, 5, generator=m.g).softmax(1)
    case("cross_entropy_probs", "basic", [Inp(rg.values(m, "normal", (4, 5), F32)), Inp(probs, grad=False)],
         lambda x, p: F.cross_entropy(x, p))
    for op, f in [("bce_with_logits", lambda x, y: F.binary_cross_entropy_with_logits(x, y)),
                  ("bce_with_logits_sum", lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction="sum"))]:
        m = rg.mk(op, "basic")
        case(op, "basic", [Inp(rg.values(m, "normal", (3, 4), F32) * 3), Inp(torch.rand(3, 4, generator=m.g))], f)


def main():
    rg.OPS_RECORDS.clear()
    record()
    path = rg.write_file("training_ops.txt", rg.OPS_RECORDS)
    print("%s: %d records" % (path, len(rg.OPS_RECORDS)))
    for cid, why in rg.SKIPPED:
        print("skipped %s: %s" % (cid, why))


if __name__ == "__main__":
    main()
