"""The row LSTM (LSTM(128) over Fashion-MNIST's 28 rows as 28 time steps → Dense(10,
softmax)) in real Keras 3; one line of JSON with its epoch times.

Usage: KERAS_BACKEND=tensorflow|jax python keras_lstm.py [epochs] [batch_size]
Needs `pip install tensorflow-cpu` (and `jax` for the JAX backend)."""
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(__file__))
import fashion_mnist  # noqa: E402

import keras  # noqa: E402
from keras import layers as L  # noqa: E402

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 2
batch_size = int(sys.argv[2]) if len(sys.argv) > 2 else 64
(x_train, y_train), (x_test, y_test) = fashion_mnist.load()
x_train = x_train.reshape(-1, 28, 28)
x_test = x_test.reshape(-1, 28, 28)
rss_data = fashion_mnist.rss_mb()
keras.utils.set_random_seed(42)
model = keras.Sequential(
    [keras.Input((28, 28)), L.LSTM(128), L.Dense(10, activation="softmax")]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])


class Timer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        times.append(time.perf_counter() - self.start)


times = []
model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, verbose=0, callbacks=[Timer()])
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(
    json.dumps(
        {
            "peer": "keras-" + keras.backend.backend(),
            "epoch_seconds": times,
            "test_accuracy": float(accuracy),
            "test_loss": float(loss),
            "peak_rss_mb": fashion_mnist.peak_rss_mb(),
            "rss_after_data_mb": rss_data,
        }
    )
)
