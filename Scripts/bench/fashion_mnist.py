"""Loads Debian's Fashion-MNIST (.gz IDX files) into float32 numpy arrays, as the Swift
benchmark does: pixels / 255, flattened to 784, labels as integers."""
import gzip
import os

import numpy as np

DIRECTORY = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")


def _read(name):
    with gzip.open(os.path.join(DIRECTORY, name), "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load():
    x_train = _read("train-images-idx3-ubyte.gz").reshape(-1, 784).astype("float32") / 255.0
    y_train = _read("train-labels-idx1-ubyte.gz").astype("int64")
    x_test = _read("t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype("float32") / 255.0
    y_test = _read("t10k-labels-idx1-ubyte.gz").astype("int64")
    return (x_train, y_train), (x_test, y_test)


def peak_rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")
