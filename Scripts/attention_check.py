"""Loads attention models written by SwiftKeras in real Keras 3 and compares predictions.

Runs the Swift test AttentionSavingTests/testExportAttentionModels (which builds a
Transformer encoder block with a causal MultiHeadAttention, a two-input cross attention
returning its attention scores as a second output, and a model with Attention,
AdditiveAttention and GroupedQueryAttention side by side, saves each as `.keras` and
`.weights.h5`, and writes `expected.json` with inputs and SwiftKeras's predictions) into
a temporary directory, then for each model:

  * `keras.models.load_model(<key>.keras)` and predicts (every output),
  * loads `<key>.weights.h5` into that model again and predicts,

and checks Keras's predictions against SwiftKeras's (max abs difference <= 1e-5).
Exits non-zero on any failure.

Usage (repository root): /opt/kerasenv/bin/python Scripts/attention_check.py [--skip-swift DIR]
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


def flat(predictions):
    if not isinstance(predictions, (list, tuple)):
        predictions = [predictions]
    return [np.asarray(p, dtype="float32").reshape(-1) for p in predictions]


def max_diff(ours, reference):
    return max(float(np.max(np.abs(a - np.asarray(b, dtype="float32"))))
               for a, b in zip(ours, reference))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--skip-swift":
        directory = sys.argv[2]
    else:
        directory = tempfile.mkdtemp(prefix="swiftkeras-attention-")
        env = dict(os.environ, SWIFTKERAS_ATTENTION_EXPORT=directory)
        subprocess.run(
            ["swift", "test", "--disable-swift-testing", "--filter",
             "AttentionSavingTests/testExportAttentionModels"], cwd=ROOT, env=env, check=True,
            stdout=subprocess.DEVNULL)
    with open(os.path.join(directory, "expected.json")) as f:
        expected = json.load(f)
    failures = 0
    for key, record in sorted(expected.items()):
        xs = [np.array(x, dtype="float32").reshape(s)
              for x, s in zip(record["x"], record["x_shapes"])]
        inputs = xs[0] if len(xs) == 1 else xs
        model = keras.models.load_model(os.path.join(directory, key + ".keras"))
        diff = max_diff(flat(model.predict(inputs, verbose=0)), record["predictions"])
        model.load_weights(os.path.join(directory, key + ".weights.h5"))
        diff_weights = max_diff(flat(model.predict(inputs, verbose=0)), record["predictions"])
        ok = diff <= TOLERANCE and diff_weights <= TOLERANCE and len(record["predictions"]) == len(model.outputs)
        failures += 0 if ok else 1
        print(f"{key}: .keras max abs diff {diff:.3g}, .weights.h5 {diff_weights:.3g} "
              f"{'OK' if ok else 'FAIL'}")
    print("all models match" if failures == 0 else f"{failures} model(s) differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
