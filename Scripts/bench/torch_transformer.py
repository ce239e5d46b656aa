"""One Transformer encoder block in PyTorch, nn.TransformerEncoderLayer(d_model=128,
nhead=4, dim_feedforward=512, dropout=0.1, batch_first=True) (post-norm, ReLU), trained
on random inputs regressed onto random targets with mean squared error, Adam 1e-3 with
Keras's epsilon 1e-7, shuffled batches, on 2 threads; one line of JSON with epoch times.

Usage: python torch_transformer.py [epochs] [batch_size] [samples]   (needs torch)"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import fashion_mnist  # noqa: E402  (for the memory readings)

import torch  # noqa: E402

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 2
batch_size = int(sys.argv[2]) if len(sys.argv) > 2 else 32
samples = int(sys.argv[3]) if len(sys.argv) > 3 else 1024
steps, width = 128, 128
torch.set_num_threads(2)
torch.manual_seed(42)
x = torch.randn(samples, steps, width)
y = torch.randn(samples, steps, width)
rss_data = fashion_mnist.rss_mb()
model = torch.nn.TransformerEncoderLayer(
    d_model=width, nhead=4, dim_feedforward=512, dropout=0.1, batch_first=True
)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
loss_fn = torch.nn.MSELoss()
times = []
for _ in range(epochs):
    start = time.perf_counter()
    model.train()
    order = torch.randperm(samples)
    total = 0.0
    for i in range(0, samples, batch_size):
        idx = order[i : i + batch_size]
        loss = loss_fn(model(x[idx]), y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(idx)
    times.append(time.perf_counter() - start)
print(
    json.dumps(
        {
            "peer": "pytorch",
            "epoch_seconds": times,
            "test_accuracy": None,
            "final_loss": total / samples,
            "peak_rss_mb": fashion_mnist.peak_rss_mb(),
            "rss_after_data_mb": rss_data,
            "threads": torch.get_num_threads(),
        }
    )
)
