"""Python-call overhead of the wst module, and wst against Kymatio's NumPy frontend if importable.

Run from the repository root after building the target wst-python:

    PYTHONPATH=build/python /usr/bin/python3 bench/bench_python.py [--repeats N] [--quick]

Cases: Scattering2D of one image and of an MNIST-sized batch (1 and 1000 × 28 × 28 float32, J=2,
L=8), and Kymatio's 1D test case (J=6, Q=16, N=512, batch 256, float32), each with 1 and 2
threads. For each: the best of N wall-clock times of ``S(x)`` from Python (time.perf_counter), the
C++ time of the same transform on preallocated buffers (``S._bench_cpp_seconds(x, repeats)``, GIL
released, best of N), and their ratio (the Python overhead: argument checks, the output
allocation, the copy-free wrapping).
Calls shorter than 20 ms are timed in loops (the mean of a loop, best of N loops). A single image
(1 × 28 × 28) shows the fixed cost of a call.
"""
import argparse
import os
import platform
import time

import numpy as np

import wst


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def inner_count(fn, target=0.02):
    """Calls per timed run so that a run lasts about `target` seconds (1 for slow calls)."""
    t0 = time.perf_counter()
    fn()
    once = time.perf_counter() - t0
    return max(1, min(10000, int(target / max(once, 1e-9))))


def best_of(fn, repeats, inner=1):
    """Best over `repeats` runs of the mean wall-clock seconds of `inner` calls of fn()."""
    fn()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        best = min(best, (time.perf_counter() - t0) / inner)
    return best


def kymatio_frontend():
    try:
        import kymatio.numpy as kn  # noqa: F401
    except Exception as e:  # ImportError, or a broken install
        return None, f"{type(e).__name__}: {e}"
    return kn, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per case (best is kept)")
    parser.add_argument("--quick", action="store_true", help="smaller batches (a smoke test)")
    args = parser.parse_args()
    repeats = max(1, args.repeats)

    rng = np.random.default_rng(0)
    b2, b1 = (100, 32) if args.quick else (1000, 256)
    x2 = rng.random((b2, 28, 28), dtype=np.float32)  # MNIST-like pixels in [0, 1)
    x1 = rng.standard_normal((b1, 512)).astype(np.float32)
    cases = [
        ("2D J=2 L=8 1x28x28 f32", lambda t: wst.Scattering2D(J=2, shape=(28, 28), threads=t),
         lambda t: kn.Scattering2D(J=2, shape=(28, 28)), x2[:1]),
        (f"2D J=2 L=8 {b2}x28x28 f32", lambda t: wst.Scattering2D(J=2, shape=(28, 28), threads=t),
         lambda t: kn.Scattering2D(J=2, shape=(28, 28)), x2),
        (f"1D J=6 Q=16 N=512 x{b1} f32",
         lambda t: wst.Scattering1D(J=6, shape=512, Q=16, threads=t),
         lambda t: kn.Scattering1D(J=6, shape=512, Q=16), x1),
    ]

    kn, why = kymatio_frontend()
    print(f"machine: {cpu_model()}, {os.cpu_count()} logical cores; "
          f"python {platform.python_version()}, numpy {np.__version__}, wst {wst.__version__}")
    print(f"timings: best of {repeats} runs (after a warm-up), wall clock, per call of S(x)")
    header = f"{'case':<30} {'threads':>7} {'python S(x)':>12} {'C++ only':>10} {'overhead':>9}"
    if kn is not None:
        header += f" {'kymatio':>10} {'speed-up':>9}"
    print(header)
    print("-" * len(header))

    kymatio_times = {}
    for name, make, make_kymatio, x in cases:
        for threads in (1, 2):
            S = make(threads)
            out = S(x)
            assert out.dtype == x.dtype and np.all(np.isfinite(out))
            inner = inner_count(lambda: S(x))
            # Python and C++ runs alternate, so that other load on the machine hits both alike.
            py = cpp = float("inf")
            for _ in range(repeats):
                py = min(py, best_of(lambda: S(x), 1, inner))
                cpp = min(cpp, S._bench_cpp_seconds(x, inner))
            row = (f"{name:<30} {threads:>7} {py * 1e3:>9.2f} ms {cpp * 1e3:>7.2f} ms "
                   f"{py / cpp:>8.3f}x")
            if kn is not None:
                if name not in kymatio_times:  # Kymatio's NumPy backend has no thread setting
                    K = make_kymatio(threads)
                    kymatio_times[name] = best_of(lambda: K(x), max(1, min(repeats, 3)),
                                                  inner_count(lambda: K(x), 0.2))
                k = kymatio_times[name]
                row += f" {k * 1e3:>7.1f} ms {k / py:>8.1f}x"
            print(row)
    if kn is None:
        print(f"kymatio: not importable, wst alone ({why})")
    else:
        print("kymatio: its NumPy frontend (numpy/scipy FFTs, threads as its libraries choose)")
    print("overhead = python S(x) / C++ only (1.0 means no cost for the Python call)")


if __name__ == "__main__":
    main()
