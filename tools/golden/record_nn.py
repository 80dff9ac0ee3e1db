#!/usr/bin/python3
"""Record golden values of torch.nn modules and functions for clgrad's dev.clgrad.nn tests.

Writes, under integration-tests/src/test/resources/golden/:

* nn.txt                  -- records in the ops.txt format (see README.md):
  model/<name>/<dtype>    a model with fixed weights: its state-dict keys, str(model),
                          input, target, output, graph dump, each loss (mse and l1 with
                          every reduction) and, per loss, the gradients of every
                          parameter and of the input;
  linear/<sample>         F.linear on 1-D to 4-D and transposed inputs: value, graph,
                          gradients;
  loss/<sample>           mse_loss and l1_loss with broadcasting, a target that
                          requires grad, every reduction;
  layer_norm/<sample>     F.layer_norm with and without weight and bias;
  second/<sample>         second derivatives through linear, mse_loss and layer_norm;
  clip/<sample>           torch.nn.utils.clip_grad_norm_: the total norm and the
                          clipped gradients;
  print/<name>            str() of modules;
* nn_<model>_<dtype>.safetensors -- each model's state_dict, written by hand in the
                          safetensors layout (the safetensors package is not needed).

Values come from a torch.Generator seeded from the CRC32 of the record's id, so a re-run
writes byte-identical files.

Run with:  /usr/bin/python3 tools/golden/record_nn.py
"""

import json
import os
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

# the fixture format is record_golden.py's (it also sets one thread and float32 as default)
from record_golden import DTYPE_NAMES, OUT_DIR, dump, escape, fmt_float, fmt_tensor  # noqa: E402,F401

F32 = torch.float32
F64 = torch.float64
ST_DTYPES = {F32: ("F32", "<f"), F64: ("F64", "<d")}
REDUCTIONS = ["mean", "sum", "none"]


def generator(case_id):
    return torch.Generator().manual_seed(zlib.crc32(case_id.encode()))


def randn(g, dtype, *shape):
    return torch.randn(tuple(shape), generator=g, dtype=F64).to(dtype)


def write_safetensors(path, tensors):
    """The safetensors layout: u64 LE header length, JSON header, then the raw LE data."""
    header = {"__metadata__": {"format": "pt"}}
    data = bytearray()
    for name, t in tensors.items():
        code, fmt = ST_DTYPES[t.dtype]
        values = t.detach().contiguous().reshape(-1).tolist()
        raw = struct.pack("<%d%s" % (len(values), fmt[1]), *values)
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # the reference writer pads the header to 8 bytes
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.write(bytes(data))


# ---------------------------------------------------------------------------
# models with fixed weights
# ---------------------------------------------------------------------------

def mlp():
    return nn.Sequential(nn.Linear(5, 7), nn.ReLU(), nn.Linear(7, 3))


def norm_net():
    # a 3-D input: the first Linear takes the view/addmm path, LayerNorm normalises one dim and
    # then two, Flatten joins them for the last Linear
    return nn.Sequential(nn.Linear(4, 6), nn.LayerNorm(6), nn.Sigmoid(), nn.LayerNorm([3, 6]), nn.Tanh(),
                         nn.Flatten(), nn.Linear(18, 3, bias=False))


MODELS = {
    "mlp": (mlp, (4, 5), (4, 3)),
    "norm": (norm_net, (2, 3, 4), (2, 3)),
}


def model_records(name, dtype):
    case_id = "model/%s/%s" % (name, DTYPE_NAMES[dtype])
    build, in_shape, out_shape = MODELS[name]
    g = generator(case_id)
    model = build().to(dtype)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(randn(g, dtype, *p.shape))
    file_name = "nn_%s_%s.safetensors" % (name, DTYPE_NAMES[dtype])
    write_safetensors(os.path.join(OUT_DIR, file_name), model.state_dict())
    x = randn(g, dtype, *in_shape).requires_grad_()
    target = randn(g, dtype, *out_shape)
    out = model(x)
    rec = ["case " + case_id, "weights " + file_name,
           "keys " + ",".join(model.state_dict().keys()), "str " + escape(str(model)),
           "input " + fmt_tensor(x), "target " + fmt_tensor(target), "output " + fmt_tensor(out),
           "grad_fn " + dump(out.grad_fn)]
    for kind, fn in (("mse", F.mse_loss), ("l1", F.l1_loss)):
        for reduction in REDUCTIONS:
            label = "%s/%s" % (kind, reduction)
            model.zero_grad()
            x.grad = None
            loss = fn(model(x), target, reduction=reduction)
            rec.append("loss %s %s" % (label, fmt_tensor(loss)))
            rec.append("loss_fn %s %s" % (label, dump(loss.grad_fn)))
            # a fixed output gradient for 'none' so every element's path is checked
            gradient = None if reduction != "none" else randn(generator(case_id + label), dtype, *loss.shape)
            if gradient is not None:
                rec.append("gradout %s %s" % (label, fmt_tensor(gradient)))
            loss.backward(gradient)
            for pname, p in model.named_parameters():
                rec.append("grad %s %s %s" % (label, pname, fmt_tensor(p.grad)))
            rec.append("grad %s input %s" % (label, fmt_tensor(x.grad)))
    rec.append("end")
    return rec


# ---------------------------------------------------------------------------
# functions
# ---------------------------------------------------------------------------

def function_record(case_id, inputs, fn, params=()):
    """inputs: list of (tensor, requires_grad); fn(*tensors) -> output."""
    g = generator(case_id + "/gradout")
    leaves = [t.clone().requires_grad_(rg) for t, rg in inputs]
    out = fn(*leaves)
    rec = ["case " + case_id]
    rec += ["param " + p for p in params]
    for t, (_, rg) in zip(leaves, inputs):
        rec.append("input " + fmt_tensor(t) + (" grad" if rg else ""))
    rec += ["output " + fmt_tensor(out), "grad_fn " + dump(out.grad_fn)]
    if out.requires_grad:
        gradient = randn(g, out.dtype, *out.shape)
        rec.append("gradout " + fmt_tensor(gradient))
        out.backward(gradient)
        for i, (t, (_, rg)) in enumerate(zip(leaves, inputs)):
            if rg:
                rec.append("grad %d %s" % (i, fmt_tensor(t.grad)))
    rec.append("end")
    return rec


def linear_records():
    recs = []
    samples = {
        "1d": (4,), "2d": (3, 4), "3d": (2, 3, 4), "4d": (2, 2, 3, 4), "empty": (0, 4),
    }
    for dtype in (F32, F64):
        for name, shape in samples.items():
            for bias in (True, False):
                case_id = "linear/%s%s/%s" % (name, "" if bias else "_nobias", DTYPE_NAMES[dtype])
                g = generator(case_id)
                inputs = [(randn(g, dtype, *shape), True), (randn(g, dtype, 5, 4), True)]
                if bias:
                    inputs.append((randn(g, dtype, 5), True))
                recs.append(function_record(case_id, inputs, lambda *t: F.linear(*t)))
        # the input is not a leaf that needs grad: addmm's mat1 edge is None
        case_id = "linear/2d_frozen_input/" + DTYPE_NAMES[dtype]
        g = generator(case_id)
        recs.append(function_record(case_id, [(randn(g, dtype, 3, 4), False), (randn(g, dtype, 5, 4), True),
                                              (randn(g, dtype, 5), True)], lambda *t: F.linear(*t)))
        # transposed (non-contiguous) inputs
        case_id = "linear/2d_transposed/" + DTYPE_NAMES[dtype]
        g = generator(case_id)
        recs.append(function_record(case_id, [(randn(g, dtype, 4, 3), True), (randn(g, dtype, 5, 4), True),
                                              (randn(g, dtype, 5), True)],
                                    lambda x, w, b: F.linear(x.t(), w, b), ["transpose_input=true"]))
        case_id = "linear/3d_transposed/" + DTYPE_NAMES[dtype]
        g = generator(case_id)
        recs.append(function_record(case_id, [(randn(g, dtype, 3, 2, 4), True), (randn(g, dtype, 5, 4), True),
                                              (randn(g, dtype, 5), True)],
                                    lambda x, w, b: F.linear(x.transpose(0, 1), w, b), ["transpose_input=true"]))
    return recs


def loss_records():
    recs = []
    shapes = {
        "same": ((3, 4), (3, 4)),
        "broadcast_target": ((3, 4), (4,)),
        "broadcast_input": ((4,), (3, 4)),
        "scalar": ((), ()),
    }
    for dtype in (F32, F64):
        for kind, fn in (("mse", F.mse_loss), ("l1", F.l1_loss)):
            for name, (si, st) in shapes.items():
                for reduction in REDUCTIONS:
                    for target_grad in (False, True):
                        if target_grad and name != "same":
                            continue
                        case_id = "loss/%s_%s_%s%s/%s" % (kind, name, reduction, "_target_grad" if target_grad else "",
                                                          DTYPE_NAMES[dtype])
                        g = generator(case_id)
                        x, t = randn(g, dtype, *si), randn(g, dtype, *st)
                        if kind == "l1":
                            # keep |x - t| away from 0, where l1's gradient jumps
                            t = t + 0.1 * torch.sign(t - x)
                        recs.append(function_record(
                            case_id, [(x, True), (t, target_grad)],
                            lambda a, b, fn=fn, r=reduction: fn(a, b, reduction=r), ["reduction=" + reduction]))
    return recs


def layer_norm_records():
    recs = []
    for dtype in (F32, F64):
        for name, shape, norm_shape, affine in (("last", (3, 5), (5,), True), ("two", (2, 3, 4), (3, 4), True),
                                                ("plain", (2, 3, 4), (4,), False), ("1d", (6,), (6,), True)):
            case_id = "layer_norm/%s/%s" % (name, DTYPE_NAMES[dtype])
            g = generator(case_id)
            inputs = [(randn(g, dtype, *shape), True)]
            if affine:
                inputs += [(randn(g, dtype, *norm_shape), True), (randn(g, dtype, *norm_shape), True)]
            params = ["normalized_shape=" + ",".join(str(s) for s in norm_shape), "eps=1e-05"]
            recs.append(function_record(case_id, inputs,
                                        lambda x, *wb, ns=norm_shape: F.layer_norm(x, ns, *wb, eps=1e-5), params))
    return recs


def second_records():
    """d/d(inputs) of sum(grad_x(f)^2): second derivatives through each composite's backward."""
    recs = []
    for dtype in (F32, F64):
        cases = {
            "linear": (lambda x, w, b: F.linear(x, w, b).pow(2).sum(), [(3, 4), (5, 4), (5,)]),
            "mse": (lambda x, t: F.mse_loss(x.tanh(), t), [(3, 4), (3, 4)]),
            "layer_norm": (lambda x, w, b: F.layer_norm(x, (4,), w, b).pow(3).sum(), [(3, 4), (4,), (4,)]),
        }
        for name, (fn, shapes) in cases.items():
            case_id = "second/%s/%s" % (name, DTYPE_NAMES[dtype])
            g = generator(case_id)
            leaves = [randn(g, dtype, *s).requires_grad_() for s in shapes]
            first = torch.autograd.grad(fn(*leaves), leaves[0], create_graph=True)[0]
            first.pow(2).sum().backward()
            rec = ["case " + case_id]
            rec += ["input " + fmt_tensor(t) + " grad" for t in leaves]
            rec.append("first " + fmt_tensor(first))
            rec += ["grad %d %s" % (i, fmt_tensor(t.grad)) for i, t in enumerate(leaves)]
            rec.append("end")
            recs.append(rec)
    return recs


def clip_records():
    recs = []
    for dtype in (F32, F64):
        for name, max_norm in (("clipped", 1.0), ("unclipped", 100.0)):
            case_id = "clip/%s/%s" % (name, DTYPE_NAMES[dtype])
            g = generator(case_id)
            params = [torch.zeros(s, dtype=dtype, requires_grad=True) for s in ((3, 4), (5,), (2,))]
            for p in params[:2]:  # the last has no grad: skipped
                p.grad = randn(g, dtype, *p.shape)
            rec = ["case " + case_id, "param max_norm=" + fmt_float(max_norm)]
            rec += ["input " + fmt_tensor(p.grad) for p in params[:2]]
            total = torch.nn.utils.clip_grad_norm_(params, max_norm)
            rec.append("output " + fmt_tensor(total))
            rec += ["grad %d %s" % (i, fmt_tensor(p.grad)) for i, p in enumerate(params[:2])]
            rec.append("end")
            recs.append(rec)
    return recs


def print_records():
    modules = {
        "linear": nn.Linear(4, 3),
        "linear_nobias": nn.Linear(4, 3, bias=False),
        "sequential": nn.Sequential(nn.Linear(4, 3), nn.ReLU()),
        "nested": nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Sequential(nn.Tanh(), nn.Linear(3, 2, bias=False)),
                                nn.Dropout(0.25), nn.Flatten(), nn.LayerNorm(2), nn.LayerNorm([2, 3]), nn.Sigmoid()),
        "empty_sequential": nn.Sequential(),
        "dropout_default": nn.Dropout(),
        "dropout_small": nn.Dropout(1e-05),
        "dropout_one": nn.Dropout(1.0),
        "layer_norm_plain": nn.LayerNorm(4, eps=1e-6, elementwise_affine=False),
        "flatten": nn.Flatten(0, 2),
        "relu": nn.ReLU(),
        "tanh": nn.Tanh(),
        "sigmoid": nn.Sigmoid(),
    }
    return [["case print/" + name, "str " + escape(str(m)), "end"] for name, m in modules.items()]


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    recs = []
    for name in MODELS:
        for dtype in (F32, F64):
            recs.append(model_records(name, dtype))
    recs += linear_records() + loss_records() + layer_norm_records() + second_records() + clip_records()
    recs += print_records()
    with open(os.path.join(OUT_DIR, "nn.txt"), "w", encoding="utf-8") as f:
        f.write("# recorded by tools/golden/record_nn.py with torch %s\n" % torch.__version__)
        for rec in recs:
            f.write("\n".join(rec) + "\n")
    print("wrote %d records" % len(recs))


if __name__ == "__main__":
    main()
