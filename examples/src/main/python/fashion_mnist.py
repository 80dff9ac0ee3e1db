# The PyTorch twin of FashionMnistCompact.java: the same program, line for line, in PyTorch 1.13.
# Run: /usr/bin/python3 examples/src/main/python/fashion_mnist.py [DATA_DIR]
import gzip, sys
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def idx(path):  # an IDX file of unsigned bytes: 4-byte magic, one int32 per dimension, data
    data = gzip.open(path).read()
    rank = data[3]
    shape = np.frombuffer(data, ">i4", rank, 4)
    return torch.from_numpy(np.frombuffer(data, np.uint8, offset=4 + 4 * rank).reshape(shape).copy())


def load(d, kind):
    x = idx(f"{d}/{kind}-images-idx3-ubyte.gz").float().div(255).sub(0.2860).div(0.3530).flatten(1)
    return TensorDataset(x, idx(f"{d}/{kind}-labels-idx1-ubyte.gz").long())


d = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
epochs = 3
torch.manual_seed(0)
train = DataLoader(load(d, "train"), 128, shuffle=True)
test = DataLoader(load(d, "t10k"), 1000)
model = nn.Sequential(nn.Linear(784, 1024), nn.GELU(), nn.Linear(1024, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs * len(train))
for epoch in range(epochs):
    model.train()
    for x, y in train:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(x).argmax(1) == y).sum().item() for x, y in test)
    print(f"epoch {epoch + 1}: loss {loss.item():.4f}, test accuracy {100 * correct / len(test.dataset):.2f}%")
torch.save(model.state_dict(), "fashion_mnist.pt")
