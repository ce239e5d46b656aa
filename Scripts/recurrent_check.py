"""Loads recurrent models written by SwiftKeras in real Keras 3 and compares predictions.

Runs the Swift test RecurrentExportTests (which builds an LSTM classifier over a
maskZero Embedding, a two-level Bidirectional GRU/LSTM model and a stacked-cells RNN
with TimeDistributed and a backwards SimpleRNN, two ConvLSTM2D and a ConvLSTM1D
model, saves each as `.keras` and
`.weights.h5`, and writes `expected.json` with inputs and SwiftKeras's predictions) into
a temporary directory, then for each model:

  * `keras.models.load_model(<key>.keras)` and predicts,
  * loads `<key>.weights.h5` into that model again and predicts,

and checks Keras's predictions against SwiftKeras's (max abs difference <= 1e-5).
Exits non-zero on any failure.

Usage (repository root): /opt/kerasenv/bin/python Scripts/recurrent_check.py [--skip-swift DIR]
"""

import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
TOLERANCE = 1e-5


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--skip-swift":
        directory = sys.argv[2]
    else:
        directory = tempfile.mkdtemp(prefix="swiftkeras-recurrent-")
        env = dict(os.environ, SWIFTKERAS_RECURRENT_EXPORT=directory)
        subprocess.run(
            ["swift", "test", "--disable-swift-testing", "--filter",
             "RecurrentExportTests"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(directory, "expected.json")) as f:
        expected = json.load(f)
    failures = 0
    for key, record in sorted(expected.items()):
        x = np.array(record["x"], dtype="float32").reshape(record["x_shape"])
        if key == "lstm_classifier":
            x = x.astype("int32")
        reference = np.array(record["predictions"], dtype="float32")
        model = keras.models.load_model(os.path.join(directory, key + ".keras"))
        ours = model.predict(x, verbose=0).reshape(-1)
        diff = float(np.max(np.abs(ours - reference)))
        model.load_weights(os.path.join(directory, key + ".weights.h5"))
        again = model.predict(x, verbose=0).reshape(-1)
        diff_weights = float(np.max(np.abs(again - reference)))
        ok = diff <= TOLERANCE and diff_weights <= TOLERANCE
        failures += 0 if ok else 1
        print(f"{key}: .keras max abs diff {diff:.3g}, .weights.h5 {diff_weights:.3g} "
              f"{'OK' if ok else 'FAIL'}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
