#!/usr/bin/env python3
"""Interleaved A/B of the two OpenBLAS builds on this machine, in one process.

A: the system OpenBLAS that SwiftKeras links (Debian's libopenblas, called through
   ctypes with cblas_sgemm, exactly as `matmul(_:_:)` calls it);
B: numpy's bundled OpenBLAS (`a @ b`).

Both run in the same process, alternating call by call, so a burst of load from other
processes hits both alike; on a shared machine this is the fairer multi-threaded
comparison than two separate runs. Usage:

    python3 Scripts/bench/blas_ab.py [--threads N] [--rounds R] [sizes...]

Run it with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (`env -u OPENBLAS_CORETYPE
-u OPENBLAS_L2_SIZE python3 ...`) to let numpy's newer OpenBLAS pick its own kernel.
"""

import argparse
import ctypes
import ctypes.util
import time

import numpy as np

SYSTEM_LIBRARY = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"
CBLAS_ROW_MAJOR, CBLAS_NO_TRANS = 101, 111


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", default=[256, 512, 1024, 2048])
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--library", default=SYSTEM_LIBRARY)
    args = parser.parse_args()

    system = ctypes.CDLL(args.library)
    system.openblas_get_corename.restype = ctypes.c_char_p
    if args.threads:
        system.openblas_set_num_threads(args.threads)
        try:
            from threadpoolctl import threadpool_limits

            threadpool_limits(args.threads, user_api="blas")
        except ImportError:
            pass  # numpy follows OPENBLAS_NUM_THREADS from the environment instead
    print(
        f"system OpenBLAS: kernel {system.openblas_get_corename().decode()}, "
        f"{system.openblas_get_num_threads()} threads; numpy {np.__version__}"
    )
    print(f"{'size':>6}  {'system':>8}  {'numpy':>8}  {'ratio':>6}   (GFLOP/s, best of {args.rounds})")
    rng = np.random.default_rng(42)
    pointer = ctypes.POINTER(ctypes.c_float)
    for n in args.sizes:
        a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, n)).astype(np.float32)

        def system_call():
            c = np.empty((n, n), np.float32)  # allocate, as matmul(_:_:) does
            system.cblas_sgemm(
                CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, CBLAS_NO_TRANS, n, n, n, ctypes.c_float(1),
                a.ctypes.data_as(pointer), n, b.ctypes.data_as(pointer), n, ctypes.c_float(0),
                c.ctypes.data_as(pointer), n)

        def numpy_call():
            a @ b

        best = {system_call: float("inf"), numpy_call: float("inf")}
        for body in best:
            body()  # warm up
        calls = max(1, int(0.05 / (2 * n**3 / 50e9)))
        for _ in range(args.rounds):
            for body in best:
                start = time.perf_counter()
                for _ in range(calls):
                    body()
                best[body] = min(best[body], (time.perf_counter() - start) / calls)
        system_gflops = 2 * n**3 / best[system_call] / 1e9
        numpy_gflops = 2 * n**3 / best[numpy_call] / 1e9
        print(f"{n:>6}  {system_gflops:>8.1f}  {numpy_gflops:>8.1f}  {system_gflops / numpy_gflops:>6.2f}")


if __name__ == "__main__":
    main()
