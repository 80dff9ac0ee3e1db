#!/usr/bin/python3
"""PyTorch's side of benchmark W7: one epoch of the Fashion-MNIST demo's recipe, written as
examples/src/main/python/fashion_mnist.py writes it (DataLoader over a TensorDataset, batch 128,
shuffled; 784-1024-10 MLP with GELU; cross entropy; Adam 1e-3 with cosine annealing over 3
epochs; the batch loss read every step, as the Java trainer's progress bar does).
Usage: /usr/bin/python3 fashion_epoch_torch.py THREADS DATA_DIR [EPOCHS]
Sets OPENBLAS_NUM_THREADS and OMP_NUM_THREADS (OpenBLAS has its own pool) and
torch.set_num_threads to THREADS, warms up on 30 batches, then times EPOCHS epochs (default 1),
each from a freshly seeded model. Prints, tab-separated:
RESULT  pytorch  W7 epoch  THREADS  seconds  mean_loss
LOADER  pytorch  THREADS  seconds     (one epoch of only iterating the DataLoader)
"""
import gzip, os, sys, time

THREADS = int(sys.argv[1])
DATA = sys.argv[2]
EPOCHS = int(sys.argv[3]) if len(sys.argv) > 3 else 1
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(THREADS))
os.environ.setdefault("OMP_NUM_THREADS", str(THREADS))
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

torch.set_num_threads(THREADS)


def idx(path):
    data = gzip.open(path).read()
    rank = data[3]
    shape = np.frombuffer(data, ">i4", rank, 4)
    return torch.from_numpy(np.frombuffer(data, np.uint8, offset=4 + 4 * rank).reshape(shape).copy())


x = idx(f"{DATA}/train-images-idx3-ubyte.gz").float().div(255).sub(0.2860).div(0.3530).flatten(1)
train = TensorDataset(x, idx(f"{DATA}/train-labels-idx1-ubyte.gz").long())


def epoch(max_batches=None):
    torch.manual_seed(0)
    loader = DataLoader(train, 128, shuffle=True)
    model = nn.Sequential(nn.Linear(784, 1024), nn.GELU(), nn.Linear(1024, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, 3 * len(loader))
    total, n = 0.0, 0
    for xb, yb in loader:
        loss = nn.functional.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        total += loss.item()
        n += 1
        if max_batches is not None and n >= max_batches:
            break
    return total / n


print(f"# torch {torch.__version__} threads={torch.get_num_threads()} "
      f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}", flush=True)
epoch(30)
for _ in range(EPOCHS):
    t0 = time.perf_counter()
    loss = epoch()
    print(f"RESULT\tpytorch\tW7 epoch\t{THREADS}\t{time.perf_counter() - t0:.3f}\t{loss:.6f}", flush=True)
t0 = time.perf_counter()
for _ in DataLoader(train, 128, shuffle=True):
    pass
print(f"LOADER\tpytorch\t{THREADS}\t{time.perf_counter() - t0:.3f}", flush=True)
