"""The demo CNN in PyTorch (NCHW), trained as Keras does (Adam 1e-3 with eps 1e-7,
shuffled batches, accuracy tracked per batch); one line of JSON with epoch times.

Usage: python torch_cnn.py [epochs] [batch_size]   (needs `pip install torch`)"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import fashion_mnist  # noqa: E402
import torch_training  # noqa: E402

import torch  # noqa: E402

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 2
batch_size = int(sys.argv[2]) if len(sys.argv) > 2 else 32
(x_train, y_train), (x_test, y_test) = fashion_mnist.load()
x_train = torch.from_numpy(x_train).reshape(-1, 1, 28, 28)
x_test = torch.from_numpy(x_test).reshape(-1, 1, 28, 28)
y_train, y_test = torch.from_numpy(y_train), torch.from_numpy(y_test)
rss_data = fashion_mnist.rss_mb()
torch.manual_seed(42)
model = torch.nn.Sequential(
    torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Flatten(), torch.nn.Linear(1600, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10),
)
torch_training.train_and_report(model, x_train, y_train, x_test, y_test, epochs, batch_size, rss_data)
