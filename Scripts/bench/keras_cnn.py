"""The demo CNN (Conv2D 32 → MaxPool → Conv2D 64 → MaxPool → Dense 128 → Dense 10) in
real Keras 3 on Fashion-MNIST; one line of JSON with its epoch times.

Usage: KERAS_BACKEND=tensorflow|jax python keras_cnn.py [epochs] [batch_size] [seed]
           [schedule] [learning_rate]
schedule: constant (Adam at learning_rate, 1e-3 by default) or cosine (CosineDecay from
learning_rate to 0 over all the steps, as `swiftkeras-demo --schedule cosine`).
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
batch_size = int(sys.argv[2]) if len(sys.argv) > 2 else 32
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
schedule = sys.argv[4] if len(sys.argv) > 4 else "constant"
learning_rate = float(sys.argv[5]) if len(sys.argv) > 5 else 1e-3
(x_train, y_train), (x_test, y_test) = fashion_mnist.load()
x_train = x_train.reshape(-1, 28, 28, 1)
x_test = x_test.reshape(-1, 28, 28, 1)
rss_data = fashion_mnist.rss_mb()
keras.utils.set_random_seed(seed)
model = keras.Sequential(
    [
        keras.Input((28, 28, 1)),
        L.Conv2D(32, 3, activation="relu"),
        L.MaxPooling2D(2),
        L.Conv2D(64, 3, activation="relu"),
        L.MaxPooling2D(2),
        L.Flatten(),
        L.Dense(128, activation="relu"),
        L.Dense(10, activation="softmax"),
    ]
)
if schedule == "cosine":
    steps = epochs * -(-len(x_train) // batch_size)
    learning_rate = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=steps)
elif schedule != "constant":
    sys.exit(f"unknown schedule {schedule!r}; available: constant, cosine")
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)


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
