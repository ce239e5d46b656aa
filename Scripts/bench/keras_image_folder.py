"""Keras's image_dataset_from_directory + tf.data (AUTOTUNE prefetch) reading a folder of
Fashion-MNIST PNG files into batches of 32 at 28×28 grey; one line of JSON with the
images per second of each timed pass.

Writes the folder first if it is missing: Fashion-MNIST's 10,000 test images as PNG files
(tf.io.encode_png) in one sub-folder per class, named by index.

Usage: python keras_image_folder.py FOLDER [passes]   (needs `pip install tensorflow-cpu`)"""
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(__file__))
import fashion_mnist  # noqa: E402

import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

folder = sys.argv[1]
passes = int(sys.argv[2]) if len(sys.argv) > 2 else 3
if not os.path.isdir(folder):
    images = fashion_mnist._read("t10k-images-idx3-ubyte.gz")
    labels = fashion_mnist._read("t10k-labels-idx1-ubyte.gz")
    for label in range(10):
        os.makedirs(os.path.join(folder, str(label)), exist_ok=True)
    for i, (image, label) in enumerate(zip(images, labels)):
        png = tf.io.encode_png(image.reshape(28, 28, 1)).numpy()
        with open(os.path.join(folder, str(label), f"{i:05d}.png"), "wb") as f:
            f.write(png)

dataset = keras.utils.image_dataset_from_directory(
    folder, color_mode="grayscale", image_size=(28, 28), batch_size=32, shuffle=True, seed=1,
    verbose=False).prefetch(tf.data.AUTOTUNE)
rates = []
for _ in range(passes):
    start = time.perf_counter()
    count = 0
    for x, _ in dataset:
        count += int(x.shape[0])
    rates.append(count / (time.perf_counter() - start))
print(json.dumps({"peer": "keras-tensorflow", "images_per_second": rates,
                  "peak_rss_mb": fashion_mnist.peak_rss_mb()}))
