"""The row LSTM in PyTorch: nn.LSTM(28, 128) over Fashion-MNIST's 28 rows as 28 time
steps, its last output into Linear(128, 10), trained as Keras does (Adam 1e-3 with eps
1e-7, shuffled batches, accuracy tracked per batch) on 2 threads; one line of JSON.

Usage: python torch_lstm.py [epochs] [batch_size]   (needs `pip install torch`)"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import fashion_mnist  # noqa: E402
import torch_training  # noqa: E402

import torch  # noqa: E402

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 2
batch_size = int(sys.argv[2]) if len(sys.argv) > 2 else 64
torch.set_num_threads(2)
(x_train, y_train), (x_test, y_test) = fashion_mnist.load()
x_train = torch.from_numpy(x_train).reshape(-1, 28, 28)
x_test = torch.from_numpy(x_test).reshape(-1, 28, 28)
y_train, y_test = torch.from_numpy(y_train), torch.from_numpy(y_test)
rss_data = fashion_mnist.rss_mb()
torch.manual_seed(42)


class RowLSTM(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(28, 128, batch_first=True)
        self.dense = torch.nn.Linear(128, 10)

    def forward(self, x):
        output, _ = self.lstm(x)
        return self.dense(output[:, -1])


torch_training.train_and_report(
    RowLSTM(), x_train, y_train, x_test, y_test, epochs, batch_size, rss_data
)
