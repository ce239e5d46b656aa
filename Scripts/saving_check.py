"""Loads files written by SwiftKeras in real Keras 3 and compares predictions.

Runs the Swift test SavingExportTests (which saves every reference model of
Tests/ModelsTests/ReferenceModels.swift as `.weights.h5` and `.json`, and two
compiled, trained ones as `.keras`, plus `expected.json` with inputs and
SwiftKeras's predictions) into a temporary directory, then for each model:

  * `keras_model.load_weights(<key>.weights.h5)` into the Keras twin built by
    Scripts/fixtures/models.py,
  * `keras.models.model_from_json(<key>.json)` + `load_weights`,
  * `keras.models.load_model(<key>.keras)` where present (checks the optimizer's
    iteration count too),

and checks Keras's predictions against SwiftKeras's (max abs difference <= 1e-5).
Exits non-zero on any failure.

Usage (repository root): /opt/kerasenv/bin/python Scripts/saving_check.py [--skip-swift DIR]
"""

import importlib.util
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
TOLERANCE = 1e-5


def load_models_module():
    path = os.path.join(ROOT, "Scripts", "fixtures", "models.py")
    spec = importlib.util.spec_from_file_location("models_fixture", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def arrays(entries):
    return [np.asarray(e["values"], dtype="float32").reshape(e["shape"]) for e in entries]


def predict(model, inputs):
    out = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
    return [np.asarray(o) for o in keras.tree.flatten(out)]


def difference(a, b):
    return max(float(np.max(np.abs(x - y))) for x, y in zip(a, b))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--skip-swift":
        directory = sys.argv[2]
    else:
        directory = tempfile.mkdtemp(prefix="swiftkeras-saving-check-")
        env = dict(os.environ, SWIFTKERAS_SAVING_EXPORT=directory)
        subprocess.run(
            ["swift", "test", "--disable-swift-testing", "--filter", "SavingExportTests"],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(directory, "expected.json"), encoding="utf-8") as f:
        expected = json.load(f)
    builders = {key: build for key, build, _ in load_models_module().MODELS}
    failures = 0
    for key in sorted(expected):
        record = expected[key]
        inputs = arrays(record["inputs"])
        want = arrays(record["predictions"])
        checks = []
        model = builders[key]()
        model.load_weights(os.path.join(directory, f"{key}.weights.h5"))
        checks.append(("load_weights", difference(predict(model, inputs), want)))
        with open(os.path.join(directory, f"{key}.json"), encoding="utf-8") as f:
            rebuilt = keras.models.model_from_json(f.read())
        rebuilt.load_weights(os.path.join(directory, f"{key}.weights.h5"))
        checks.append(("model_from_json", difference(predict(rebuilt, inputs), want)))
        archive = os.path.join(directory, f"{key}.keras")
        if os.path.exists(archive):
            loaded = keras.models.load_model(archive)
            checks.append(("load_model", difference(predict(loaded, inputs), want)))
            iterations = int(np.asarray(loaded.optimizer.iterations))
            if iterations != record["iterations"]:
                print(f"FAIL {key}: optimizer iterations {iterations}, expected {record['iterations']}")
                failures += 1
        for name, diff in checks:
            status = "ok  " if diff <= TOLERANCE else "FAIL"
            failures += diff > TOLERANCE
            print(f"{status} {key:22s} {name:16s} max |diff| = {diff:.3g}")
    print("all SwiftKeras-written files load in Keras" if failures == 0 else f"{failures} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
