#!/usr/bin/env python3
"""Writes the small Fashion-MNIST subset the examples ship for machines without Debian's
dataset-fashion-mnist package: the first 2,000 training and the first 500 test images with their
labels, as gzip IDX files named as the full set's, into
examples/src/main/resources/dev/clgrad/examples/fashion-mnist-subset/.

The first N samples of each file keep the ten classes nearly balanced (this prints the counts).
Gzip headers carry no time stamp, so the bytes depend only on the input.
Fashion-MNIST is (c) Zalando SE, under the MIT licence (github.com/zalandoresearch/fashion-mnist).
Run: python3 tools/data/make_fashion_mnist_subset.py [SOURCE_DIR]   (needs only Python 3)
"""
import gzip
import pathlib
import struct
import sys
from collections import Counter

SOURCE = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist")
TARGET = pathlib.Path(__file__).resolve().parents[2] / "examples/src/main/resources/dev/clgrad/examples/fashion-mnist-subset"
COUNTS = {"train": 2000, "t10k": 500}


def read_idx(path):
    data = gzip.open(path).read()
    rank = data[3]
    shape = struct.unpack(">" + "i" * rank, data[4:4 + 4 * rank])
    return data[:4], shape, data[4 + 4 * rank:]


def write_idx(path, magic, shape, body):
    header = magic + struct.pack(">" + "i" * len(shape), *shape)
    with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as gz:
        gz.write(header + body)


TARGET.mkdir(parents=True, exist_ok=True)
for kind, n in COUNTS.items():
    for part in ("images-idx3", "labels-idx1"):
        name = f"{kind}-{part}-ubyte.gz"
        magic, shape, body = read_idx(SOURCE / name)
        row = 1
        for s in shape[1:]:
            row *= s
        write_idx(TARGET / name, magic, (n,) + tuple(shape[1:]), body[:n * row])
        if part == "labels-idx1":
            print(kind, "class counts:", dict(sorted(Counter(body[:n]).items())))
    print(kind, n, "samples")
total = sum(p.stat().st_size for p in TARGET.glob("*.gz"))
print(f"wrote {TARGET} ({total / 1e6:.2f} MB)")
