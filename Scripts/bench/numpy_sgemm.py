#!/usr/bin/env python3
"""numpy float32 matmul GFLOP/s for square sizes, the reference for SwiftKeras's matmul,
and numpy's element-wise GB/s for the same operations as the Swift benchmark.

Run by `swiftkeras-bench core` (which unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for
this process only), or by hand:

    python3 Scripts/bench/numpy_sgemm.py --elements 1048576 --samples 10 256 512 1024 2048

Prints one JSON object: numpy's version, the BLAS kernel it runs (threadpoolctl when
installed, else the bundled OpenBLAS asked through ctypes), GFLOP/s by size, each the
best of several timed calls of `a @ b` (allocation of the result included, as in the
Swift measurement), and GB/s (bytes read + written) of copy, add, mul, maximum and exp.
"""

import argparse
import ctypes
import glob
import json
import os
import time

import numpy as np


# The clock: perf_counter (wall) or process_time (this process's CPU time); see --clock.
now = time.perf_counter


def best_seconds_per_call(body, samples=10, sample_time=0.05):
    """Warms up once, then returns the best time per call over `samples` batches."""
    start = now()
    body()
    first = max(now() - start, 1e-9)
    calls = max(1, int(sample_time / first))
    best = float("inf")
    for _ in range(samples):
        begin = now()
        for _ in range(calls):
            body()
        best = min(best, (now() - begin) / calls)
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


def elementwise_gbps(count, rng, samples):
    """GB/s (bytes read + written) of numpy's element-wise operations on `count` floats."""
    x = rng.uniform(-1, 1, count).astype(np.float32)
    y = rng.uniform(-1, 1, count).astype(np.float32)
    destination = np.empty_like(x)
    cases = {
        "copy": (8, lambda: np.copyto(destination, x)),
        "add": (12, lambda: x + y),
        "mul": (12, lambda: x * y),
        "maximum": (8, lambda: np.maximum(x, np.float32(0))),
        "exp": (8, lambda: np.exp(x)),
    }
    return {
        name: bytes_per_element * count / best_seconds_per_call(body, samples) / 1e9
        for name, (bytes_per_element, body) in cases.items()
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", default=[256, 512, 1024, 2048])
    parser.add_argument("--elements", type=int, default=1 << 20)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = parser.parse_args()
    global now
    now = time.perf_counter if args.clock == "wall" else time.process_time
    sizes = args.sizes
    rng = np.random.default_rng(42)
    gflops = {}
    for n in sizes:
        a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        seconds = best_seconds_per_call(lambda: a @ b, args.samples)
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
                "clock": args.clock,
                "gflops": gflops,
                "elementwise_gbps": elementwise_gbps(args.elements, rng, args.samples),
            }
        )
    )


if __name__ == "__main__":
    main()
