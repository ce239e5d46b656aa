"""The seed MLP in PyTorch, trained as Keras does (Adam 1e-3 with eps 1e-7, batch 32,
shuffled, dropout 0.2, accuracy tracked per batch); one line of JSON with epoch times.

Usage: python torch_mlp.py [epochs]   (needs `pip install torch`)"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import fashion_mnist  # noqa: E402
import torch_training  # noqa: E402

import torch  # noqa: E402

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 2
(x_train, y_train), (x_test, y_test) = fashion_mnist.load()
x_train, y_train = torch.from_numpy(x_train), torch.from_numpy(y_train)
x_test, y_test = torch.from_numpy(x_test), torch.from_numpy(y_test)
rss_data = fashion_mnist.rss_mb()
torch.manual_seed(42)
model = torch.nn.Sequential(
    torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Dropout(0.2), torch.nn.Linear(128, 10)
)
torch_training.train_and_report(model, x_train, y_train, x_test, y_test, epochs, 32, rss_data)
