#!/usr/bin/python3
"""Peer for GemmBench: OpenBLAS sgemm through numpy.matmul on float32, square n x n.

Run with Debian's /usr/bin/python3 and its python3-numpy, which calls the system OpenBLAS
(libopenblas0) through libblas.so.3. OpenBLAS reads OPENBLAS_NUM_THREADS and OPENBLAS_CORETYPE
when it loads, so each (threads) configuration runs in its own child process.

    /usr/bin/python3 bench/openblas_gemm.py --sizes 256,512,1024 --threads 1,2 --coretype SkylakeX

--coretype NAME sets OPENBLAS_CORETYPE=NAME and unsets OPENBLAS_L2_SIZE for the children;
--coretype env keeps the environment as it is. Output: one CSV line per configuration,
'openblas,<coretype actually used>,<size>,<threads>,<median GFLOP/s>,<runs>,<CPU-time GFLOP/s>',
after a '# config' comment line per child saying which OpenBLAS build and core type ran.
GFLOP/s = 2 n^3 / time of one matmul; the median is over several timed runs after warm-up. The
last field uses the calling thread's CPU time instead of wall time (1 thread only, else '-').
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def openblas_info():
    """(version/config string, core type) of the OpenBLAS numpy actually loaded."""
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            if pool.get("internal_api") == "openblas":
                return "OpenBLAS " + str(pool.get("version")), str(pool.get("architecture"))
    except ImportError:
        pass
    import ctypes
    with open("/proc/self/maps") as maps:
        libs = sorted({line.split()[-1] for line in maps
                       if "libopenblas" in line or "libblas.so" in line})
    for path in libs:
        lib = ctypes.CDLL(path)
        if hasattr(lib, "openblas_get_corename"):
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            return lib.openblas_get_config().decode(), lib.openblas_get_corename().decode()
    return "no OpenBLAS found (" + ", ".join(libs) + ")", "unknown"


def measure(sizes):
    import numpy as np
    rng = np.random.default_rng(1)
    warm = rng.random((64, 64), dtype=np.float32)
    np.matmul(warm, warm)  # loads the BLAS library before we ask which one it is
    config, core = openblas_info()
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "?")
    print(f"# config threads={threads} coretype={core} l2={os.environ.get('OPENBLAS_L2_SIZE', 'unset')}: {config}",
          flush=True)
    for n in sizes:
        a = rng.random((n, n), dtype=np.float32) * 2 - 1
        b = rng.random((n, n), dtype=np.float32) * 2 - 1
        out = np.empty((n, n), dtype=np.float32)
        for _ in range(3):
            np.matmul(a, b, out=out)
        times, cpu_times = [], []
        start = time.perf_counter()
        while len(times) < 7 or (time.perf_counter() - start < 1.0 and len(times) < 200):
            t0, c0 = time.perf_counter(), time.thread_time()
            np.matmul(a, b, out=out)
            cpu_times.append(time.thread_time() - c0)
            times.append(time.perf_counter() - t0)
        gflops = 2.0 * n ** 3 / statistics.median(times) / 1e9
        # With one thread OpenBLAS computes on the calling thread, whose CPU clock then ignores
        # time spent preempted; with more, the work runs on other threads and this means nothing.
        cpu = f"{2.0 * n ** 3 / statistics.median(cpu_times) / 1e9:.1f}" if threads == "1" else "-"
        print(f"openblas,{core},{n},{threads},{gflops:.1f},{len(times)},{cpu}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="256,512,1024")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--coretype", default="SkylakeX",
                        help="OPENBLAS_CORETYPE for the runs, or 'env' to keep the environment")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        measure(sizes)
        return
    for t in args.threads.split(","):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=t)
        if args.coretype != "env":
            env["OPENBLAS_CORETYPE"] = args.coretype
            env.pop("OPENBLAS_L2_SIZE", None)
        subprocess.run([sys.executable, os.path.abspath(__file__), "--child", "--sizes", args.sizes],
                       env=env, check=True)


if __name__ == "__main__":
    main()
