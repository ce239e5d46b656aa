#!/usr/bin/env python3
"""numpy float32 matmul GFLOP/s for square sizes, the reference for SwiftKeras's matmul.

Run by `swiftkeras-bench core` (which unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for
this process only), or by hand:

    python3 Scripts/bench/numpy_sgemm.py 256 512 1024 2048

Prints one JSON object: numpy's version, the BLAS kernel it runs (threadpoolctl when
installed, else the bundled OpenBLAS asked through ctypes), and GFLOP/s by size, each
the best of several timed calls of `a @ b` (allocation of the result included, as in
the Swift measurement).
"""

import ctypes
import glob
import json
import os
import sys
import time

import numpy as np


def best_seconds_per_call(body, samples=7, sample_time=0.05):
    """Warms up once, then returns the best time per call over `samples` batches."""
    start = time.perf_counter()
    body()
    first = max(time.perf_counter() - start, 1e-9)
    calls = max(1, int(sample_time / first))
    best = float("inf")
    for _ in range(samples):
        begin = time.perf_counter()
        for _ in range(calls):
            body()
        best = min(best, (time.perf_counter() - begin) / calls)
    return best


def blas_info():
    """The BLAS library numpy runs, its kernel (core type) and thread count."""
    try:
        from threadpoolctl import threadpool_info

        for pool in threadpool_info():
            if pool.get("user_api") == "blas":
                return {
                    "source": "threadpoolctl",
                    "library": pool.get("internal_api"),
                    "version": pool.get("version"),
                    "kernel": pool.get("architecture"),
                    "threads": pool.get("num_threads"),
                }
    except ImportError:
        pass
    # numpy wheels bundle scipy-openblas with prefixed symbols; ask it directly.
    libs = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
    for path in glob.glob(os.path.join(libs, "*openblas*")):
        lib = ctypes.CDLL(path)
        for prefix, suffix in (("scipy_", "64_"), ("scipy_", ""), ("", "64_"), ("", "")):
            try:
                corename = getattr(lib, f"{prefix}openblas_get_corename{suffix}")
                threads = getattr(lib, f"{prefix}openblas_get_num_threads{suffix}")
            except AttributeError:
                continue
            corename.restype = ctypes.c_char_p
            return {
                "source": "ctypes",
                "library": os.path.basename(path),
                "kernel": corename().decode(),
                "threads": threads(),
            }
    return {"source": "unknown"}


def main():
    sizes = [int(arg) for arg in sys.argv[1:]] or [256, 512, 1024, 2048]
    rng = np.random.default_rng(42)
    gflops = {}
    for n in sizes:
        a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        seconds = best_seconds_per_call(lambda: a @ b)
        gflops[str(n)] = 2 * n**3 / seconds / 1e9
    print(
        json.dumps(
            {
                "numpy": np.__version__,
                "blas": blas_info(),
                "env": {
                    key: os.environ.get(key)
                    for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS")
                },
                "gflops": gflops,
            }
        )
    )


if __name__ == "__main__":
    main()
