#!/usr/bin/python3
"""Record PyTorch 1.13's optimizers and learning-rate schedulers for clgrad's Java tests.

Writes integration-tests/src/test/resources/golden/optim.txt in the record format of
README.md:

* ``case optim/<config>``: a small float64 model (W [4,3], b [4]; fixed X [6,3], Y [6,4];
  loss = ((X @ W.T + b).tanh() - Y).pow(2).mean()) trained for STEPS steps with one
  optimizer config (single-tensor path, foreach=False). Lines: ``optimizer``, ``param k=v``
  (the hyperparameters), ``input W|b|X|Y <tensor>``, then per step ``W <tensor>`` and
  ``b <tensor>``, and at the end ``state <key> <tensor>`` for each tensor in
  state_dict()['state'], flattened as clgrad's Optimizer.stateDict() names them.
* ``case sched/<config>``: ``scheduler``, ``param k=v``, then ``lr <float>`` for
  get_last_lr()[0] after the constructor and after each of the scheduler steps.

Inputs are fixed numbers, so re-running reproduces a byte-identical file.
Run with:  /usr/bin/python3 tools/golden/record_optim.py
"""

import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402

from record_golden import OUT_DIR, fmt_float, fmt_param, fmt_tensor  # noqa: E402

torch.set_num_threads(1)
F64 = torch.float64
STEPS = 20

OPTIMIZERS = [
    # id, class, kwargs (PyTorch names)
    ("sgd_plain", "SGD", dict(lr=0.1)),
    ("sgd_momentum_dampening_weight_decay", "SGD", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("sgd_nesterov", "SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.001)),
    ("sgd_momentum_maximize", "SGD", dict(lr=0.02, momentum=0.5, maximize=True)),
    ("adam", "Adam", dict(lr=0.01)),
    ("adam_amsgrad_weight_decay", "Adam",
     dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05, amsgrad=True)),
    ("adamw", "AdamW", dict(lr=0.01)),
    ("adamw_amsgrad", "AdamW", dict(lr=0.03, betas=(0.85, 0.95), eps=1e-7, weight_decay=0.1, amsgrad=True)),
    ("adam_maximize", "Adam", dict(lr=0.005, maximize=True)),
]

SCHEDULERS = [
    # id, class, kwargs, base lr, steps
    ("steplr_3_0.5", "StepLR", dict(step_size=3, gamma=0.5), 0.1, 30),
    ("steplr_default_gamma", "StepLR", dict(step_size=4), 0.05, 30),
    ("cosine_10_0.001", "CosineAnnealingLR", dict(T_max=10, eta_min=0.001), 0.1, 30),
    ("cosine_10_0", "CosineAnnealingLR", dict(T_max=10, eta_min=0.0), 0.05, 30),
    ("cosine_7_0.01", "CosineAnnealingLR", dict(T_max=7, eta_min=0.01), 0.3, 50),
    ("cosine_1_0", "CosineAnnealingLR", dict(T_max=1, eta_min=0.0), 0.1, 10),
]


def model_inputs():
    """Fixed, well-scaled values with no structure the optimizers could exploit."""
    def grid(rows, cols, a, b):
        return torch.tensor([[((i * 7 + j * 3 + a) % 11 - 5) / b for j in range(cols)] for i in range(rows)],
                            dtype=F64)
    W = grid(4, 3, 1, 6.0)
    b = torch.tensor([0.1, -0.2, 0.05, 0.3], dtype=F64)
    X = grid(6, 3, 4, 4.0)
    Y = grid(6, 4, 2, 7.0)
    return W, b, X, Y


def flat_state(sd):
    """state_dict()['state'] as clgrad's flat keys: state.<i>.<name>."""
    out = []
    for i, st in sorted(sd["state"].items()):
        for name, v in st.items():
            if v is not None:
                out.append(("state.%d.%s" % (i, name), v))
    return out


def record_optimizer(cid, cls, kwargs):
    W0, b0, X, Y = model_inputs()
    W = W0.clone().requires_grad_()
    b = b0.clone().requires_grad_()
    opt = getattr(torch.optim, cls)([W, b], foreach=False, **kwargs)
    rec = ["case optim/%s" % cid, "optimizer %s" % cls]
    for k, v in kwargs.items():
        if isinstance(v, tuple):
            for j, x in enumerate(v):
                rec.append("param %s.%d=%s" % (k, j, fmt_param(x)))
        else:
            rec.append("param %s=%s" % (k, fmt_param(v)))
    for name, t in (("W", W0), ("b", b0), ("X", X), ("Y", Y)):
        rec.append("input %s %s" % (name, fmt_tensor(t)))
    for _ in range(STEPS):
        opt.zero_grad()
        loss = ((X @ W.T + b).tanh() - Y).pow(2).mean()
        loss.backward()
        opt.step()
        rec.append("W %s" % fmt_tensor(W))
        rec.append("b %s" % fmt_tensor(b))
    for key, v in flat_state(opt.state_dict()):
        rec.append("state %s %s" % (key, fmt_tensor(v)))
    rec.append("end")
    return rec


def record_scheduler(cid, cls, kwargs, base_lr, steps):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=base_lr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # stepping the scheduler without optimizer steps is fine here
        sched = getattr(torch.optim.lr_scheduler, cls)(opt, **kwargs)
        rec = ["case sched/%s" % cid, "scheduler %s" % cls, "param base_lr=%s" % fmt_float(base_lr)]
        for k, v in kwargs.items():
            rec.append("param %s=%s" % (k, fmt_param(v)))
        rec.append("lr %s" % fmt_float(sched.get_last_lr()[0]))
        for _ in range(steps):
            sched.step()
            rec.append("lr %s" % fmt_float(sched.get_last_lr()[0]))
    rec.append("end")
    return rec


def record_chained():
    """StepLR and CosineAnnealingLR stepping one optimizer: the chainable forms compose."""
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        step = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
        cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=0.001)
        rec = ["case sched/chained_steplr_cosine", "scheduler chained", "param base_lr=0.1",
               "lr %s" % fmt_float(opt.param_groups[0]["lr"])]
        for _ in range(30):
            step.step()
            cos.step()
            rec.append("lr %s" % fmt_float(opt.param_groups[0]["lr"]))
    rec.append("end")
    return rec


def main():
    records = [record_optimizer(*c) for c in OPTIMIZERS]
    records += [record_scheduler(*c) for c in SCHEDULERS]
    records.append(record_chained())
    path = os.path.join(OUT_DIR, "optim.txt")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# recorded by tools/golden/record_optim.py with torch %s\n" % torch.__version__)
        for rec in records:
            f.write("\n")
            for line in rec:
                f.write(line + "\n")
    print("%s: %d records" % (path, len(records)))


if __name__ == "__main__":
    main()
