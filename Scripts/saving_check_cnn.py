"""Loads a CNN (Conv2D, BatchNormalization, pooling) saved by SwiftKeras in real Keras 3
and compares its predictions with SwiftKeras's.

Usage (repository root):
  mkdir -p /tmp/cnn-export
  SWIFTKERAS_SAVING_EXPORT=/tmp/cnn-export swift test --filter SavingConvTests
  /opt/kerasenv/bin/python Scripts/saving_check_cnn.py /tmp/cnn-export
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
import numpy as np  # noqa: E402

directory = sys.argv[1]
expected = json.load(open(os.path.join(directory, "cnn_swiftkeras.json")))
model = keras.models.load_model(os.path.join(directory, "cnn_swiftkeras.keras"))
x = np.array(expected["x"], dtype="float32").reshape((-1,) + tuple(model.input_shape[1:]))
want = np.array(expected["predictions"], dtype="float32").reshape(-1, model.output_shape[-1])
difference = float(np.max(np.abs(model.predict(x, verbose=0) - want)))
print(f"layers: {[l.__class__.__name__ for l in model.layers]}")
print(f"max |keras - swiftkeras| = {difference:.3g}")
sys.exit(0 if difference <= 1e-5 else 1)
