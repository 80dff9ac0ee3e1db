#!/usr/bin/python3
"""Record PyTorch 1.13's answers at the edges of its semantics: NaN and infinity through the
ops and their gradients, pow's special cases, saturated tanh, reductions over an empty dim list.

Writes integration-tests/src/test/resources/golden/edges.txt in the record format of ops.txt
(tools/golden/README.md); GoldenEdgesTest replays every record on every device.

Run with:  /usr/bin/python3 tools/golden/record_edges.py
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402

from record_golden import F32, F64, Inp, Maker, SKIPPED, run_case, write_file  # noqa: E402

NAN = float("nan")
INF = float("inf")
RECORDS = []


def t(*values, dtype=F32):
    return torch.tensor(values, dtype=dtype)


def case(op, sample, inputs, fn, params=()):
    rec = run_case("%s/%s" % (op, sample), op, list(params), inputs, fn)
    if rec is not None:
        RECORDS.append(rec)


def record():
    for dt, sfx in ((F32, ""), (F64, "_f64")):
        case("pow", "special_values" + sfx,
             [Inp(t(1, 1, 1, -1, -1, 0, 0, 2, 1, -1, dtype=dt)),
              Inp(t(NAN, INF, -INF, INF, -INF, 0, -1, NAN, 0, 0.5, dtype=dt))],
             lambda a, b: torch.pow(a, b))
        case("max", "nan" + sfx, [Inp(t(NAN, 1, 5, dtype=dt))], lambda x: x.max())
        case("max", "two_nans" + sfx, [Inp(t(NAN, 1, NAN, dtype=dt))], lambda x: x.max())
        case("min", "nan" + sfx, [Inp(t(3, NAN, -5, dtype=dt))], lambda x: x.min())
        case("max", "ties" + sfx, [Inp(t(2, 7, 7, 1, dtype=dt))], lambda x: x.max())
        case("relu", "nan_and_infinities" + sfx, [Inp(t(NAN, -1, 0, 2, INF, -INF, dtype=dt))],
             lambda x: torch.relu(x))
        case("abs", "nan_and_zero" + sfx, [Inp(t(NAN, -2, 0, 3, -INF, dtype=dt))], lambda x: x.abs())
        case("sign", "nan_zeros_infinities" + sfx, [Inp(t(NAN, -0.0, 0, -3, 7, -INF, INF, dtype=dt))],
             lambda x: x.sign())
        case("rpow_scalar", "zero_base" + sfx, [Inp(t(-1, 0, 1, 2.5, NAN, -INF, INF, dtype=dt))],
             lambda x: 0.0 ** x, params=[("base", 0.0)])
        case("rpow_scalar", "one_base" + sfx, [Inp(t(NAN, INF, -INF, 3, dtype=dt))],
             lambda x: 1.0 ** x, params=[("base", 1.0)])
        case("tanh", "saturated" + sfx, [Inp(t(100, INF, -INF, 9.5, -20, 0.5, 19.5, -30, dtype=dt))],
             lambda x: x.tanh())
        case("div", "tiny_and_huge_divisors" + sfx,
             [Inp(t(0, INF, 1, -3, dtype=dt)), Inp(t(1e-45, 3.4e38, 2, 1e-30, dtype=dt))],
             lambda a, b: a / b)
        case("sum_dims", "empty_list" + sfx, [Inp(Maker("sum_dims/empty" + sfx).normal((2, 3), dt))],
             lambda x: x.sum([]), params=[("dims", []), ("keepdim", False)])
        case("sum_dims", "empty_list_keepdim" + sfx, [Inp(Maker("sum_dims/keep" + sfx).normal((2, 3), dt))],
             lambda x: x.sum([], True), params=[("dims", []), ("keepdim", True)])
        case("mean_dims", "empty_list" + sfx, [Inp(Maker("mean_dims/empty" + sfx).normal((2, 3), dt))],
             lambda x: x.mean([]), params=[("dims", []), ("keepdim", False)])
        case("mean_dims", "empty_list_keepdim" + sfx, [Inp(Maker("mean_dims/keep" + sfx).normal((2, 3), dt))],
             lambda x: x.mean([], True), params=[("dims", []), ("keepdim", True)])


def main():
    record()
    path = write_file("edges.txt", RECORDS)
    print("%s: %d records" % (path, len(RECORDS)))
    for cid, why in SKIPPED:
        print("skipped %s: %s" % (cid, why))


if __name__ == "__main__":
    main()
