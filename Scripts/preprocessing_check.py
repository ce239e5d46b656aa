"""Loads preprocessing models written by SwiftKeras in real Keras 3 and compares predictions.

Runs the Swift test PreprocessingExportTests (which adapts Normalization layers on a
tensor and on a batched Dataset and a Discretization layer on a tensor, builds models
with adapted and given Normalization, Discretization and CategoryEncoding layers, saves each as `.keras` and `.weights.h5`, and writes `expected.json` with inputs
and SwiftKeras's predictions; adapted IntegerLookup vocabularies go in the archive's
`assets/`, as Keras keeps them; `string_lookups.json` holds StringLookup configs with
inputs and SwiftKeras's outputs; `text_vectorizations.json` holds TextVectorization
configs, adapted ones with their `vocabulary.txt` asset as SwiftKeras writes it) into a temporary directory, then for each model:

  * checks that every Normalization `count` weight in the weights file is an int64
    scalar, as Keras writes it,
  * `keras.models.load_model(<key>.keras)` and predicts,
  * loads `<key>.weights.h5` into that model again and predicts,
  * saves the model again from Keras (`<key>.keras_again.keras`) for the reverse
    direction, which the Swift side loads in its own tests from Keras-written fixtures,

and rebuilds each StringLookup and TextVectorization with `from_config` (adapted ones
then read our `vocabulary.txt` through Keras's own `load_assets`), and checks Keras's predictions and
outputs against SwiftKeras's (max abs difference <= 1e-5).
Exits non-zero on any failure.

Usage (repository root): /opt/kerasenv/bin/python Scripts/preprocessing_check.py [--skip-swift DIR]
"""

import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
TOLERANCE = 1e-5


def count_dtypes(path):
    found = []
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and name.endswith("vars/2") and "normalization" in name:
                found.append((name, str(obj.dtype), obj.shape))
        f.visititems(visit)
    return found


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--skip-swift":
        directory = sys.argv[2]
    else:
        directory = tempfile.mkdtemp(prefix="swiftkeras-preprocessing-")
        env = dict(os.environ, SWIFTKERAS_PREPROCESSING_EXPORT=directory)
        subprocess.run(
            ["swift", "test", "--disable-swift-testing", "--filter",
             "PreprocessingExportTests"], cwd=ROOT, env=env, check=True,
            stdout=subprocess.DEVNULL)
    with open(os.path.join(directory, "expected.json")) as f:
        expected = json.load(f)
    failures = 0
    for key, record in sorted(expected.items()):
        x = np.array(record["x"], dtype="float32").reshape(record["x_shape"])
        reference = np.array(record["predictions"], dtype="float32")
        weights_path = os.path.join(directory, key + ".weights.h5")
        counts = count_dtypes(weights_path)
        counts_ok = all(d == "int64" and s == () for _, d, s in counts)
        model = keras.models.load_model(os.path.join(directory, key + ".keras"))
        ours = model.predict(x, verbose=0).reshape(-1)
        diff = float(np.max(np.abs(ours - reference)))
        model.load_weights(weights_path)
        again = model.predict(x, verbose=0).reshape(-1)
        diff_weights = float(np.max(np.abs(again - reference)))
        kinds = sorted({type(layer).__name__ for layer in model.layers
                        if type(layer).__name__ not in ("Dense", "Flatten")})
        ok = diff <= TOLERANCE and diff_weights <= TOLERANCE and counts_ok
        failures += 0 if ok else 1
        print(f"{key}: .keras max abs diff {diff:.3g}, .weights.h5 {diff_weights:.3g}, "
              f"count weights {[(n.split('/')[-3], d) for n, d, _ in counts]}, "
              f"layers {kinds} {'OK' if ok else 'FAIL'}")
    with open(os.path.join(directory, "string_lookups.json")) as f:
        lookups = json.load(f)
    for record in lookups:
        config = record["config"]
        layer = keras.layers.StringLookup.from_config(config)
        words = np.array(record["input"]).reshape(record["input_shape"])
        ours = np.array(record["output"], dtype="float32")
        theirs = np.asarray(layer(words), dtype="float32").reshape(-1)
        diff = float(np.max(np.abs(theirs - ours)))
        ok = diff <= TOLERANCE
        failures += 0 if ok else 1
        print(f"{config['name']} (StringLookup config, {config['output_mode']}): from_config "
              f"output max abs diff {diff:.3g} {'OK' if ok else 'FAIL'}")
    with open(os.path.join(directory, "text_vectorizations.json")) as f:
        vectorizers = json.load(f)
    for record in vectorizers:
        config = record["config"]
        layer = keras.layers.TextVectorization.from_config(config)
        if record["assets"]:
            layer.load_assets(record["assets"])  # Keras reads our vocabulary.txt itself
        ours = np.array(record["output"], dtype="float32")
        theirs = np.asarray(layer(np.array(record["input"])), dtype="float32").reshape(-1)
        diff = float(np.max(np.abs(theirs - ours))) if theirs.shape == ours.shape else float("inf")
        ok = diff <= TOLERANCE
        failures += 0 if ok else 1
        print(f"{config['name']} (TextVectorization {config['output_mode']}, "
              f"{'vocabulary.txt asset' if record['assets'] else 'vocabulary in config'}): "
              f"from_config output max abs diff {diff:.3g} {'OK' if ok else 'FAIL'}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
