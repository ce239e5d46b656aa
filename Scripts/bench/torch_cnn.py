"""The demo CNN in PyTorch (NCHW), trained as Keras does (Adam 1e-3 with eps 1e-7,
shuffled batches, accuracy tracked per batch); one line of JSON with epoch times.

Usage: python torch_cnn.py [epochs] [batch_size]   (needs `pip install torch`)"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import fashion_mnist  # noqa: E402

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
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
loss_fn = torch.nn.CrossEntropyLoss()
times = []
n = x_train.shape[0]
for epoch in range(epochs):
    start = time.perf_counter()
    model.train()
    order = torch.randperm(n)
    correct = 0
    total_loss = 0.0
    for i in range(0, n, batch_size):
        idx = order[i : i + batch_size]
        xb, yb = x_train[idx], y_train[idx]
        logits = model(xb)
        loss = loss_fn(logits, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(idx)
        correct += (logits.argmax(1) == yb).sum().item()
    times.append(time.perf_counter() - start)
model.eval()
with torch.no_grad():
    accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
print(
    json.dumps(
        {
            "peer": "pytorch",
            "epoch_seconds": times,
            "test_accuracy": accuracy,
            "peak_rss_mb": fashion_mnist.peak_rss_mb(),
            "rss_after_data_mb": rss_data,
            "threads": torch.get_num_threads(),
        }
    )
)
