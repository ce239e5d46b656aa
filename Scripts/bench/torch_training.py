"""The training loop both PyTorch peers run, written as Keras trains: Adam 1e-3 with
Keras's epsilon 1e-7, shuffled batches, cross-entropy, loss and accuracy tracked per
batch; prints one line of JSON with the epoch times, test accuracy and memory."""
import json
import time

import fashion_mnist
import torch


def train_and_report(model, x_train, y_train, x_test, y_test, epochs, batch_size, rss_data):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    times = []
    n = x_train.shape[0]
    for _ in range(epochs):
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
