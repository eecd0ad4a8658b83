"""wst.torch against a PyTorch implementation of Kymatio 0.4's torch algorithm: forward + backward.

Run from the repository root after building the target wst-python:

    PYTHONPATH=build/python /usr/bin/python3 bench/bench_torch.py [--repeats N] [--quick] [--no-memory]

Kymatio cannot be installed on the project's machines, so the other side is
bench/torch_reference.py: kymatio.torch 0.4's cascade written in PyTorch with the same tensor
operations (full complex FFTs, pointwise filter products, reshape + mean subsampling, Kymatio's
modulus) and differentiated by torch autograd, as kymatio.torch is; `torch_reference.py --check`
shows it reproduces Kymatio's reference outputs and kymatio.torch's gradients.

Workloads (float32, default options): Scattering2D J=2, L=8 on the MNIST batch 1000 × 28 × 28, and
Scattering1D J=8, Q=8 on 8 × 65536. One process, one thread on both sides
(torch.set_num_threads(1), wst's threads=1). Per repeat the four measurements of a workload run
one after the other, alternating the two implementations (wst F+B, reference F+B, wst F,
reference F); the table keeps the best of the repeats (and shows the median). F+B is
``y = S(x); y.backward(g)`` with x requiring grad and g a fixed random cotangent; F is ``S(x)``
under torch.no_grad().

Memory (unless --no-memory): for each implementation and workload, fresh subprocesses run one
F+B at two batch sizes; the peak resident memory above the state just before the call (VmHWM
reset through /proc/self/clear_refs, minus VmRSS), and the memory held between the forward and
the backward (the autograd tape plus the output), give a per-image slope.
"""
import argparse
import ctypes
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import wst  # noqa: E402
import wst.torch as wt  # noqa: E402
from torch_reference import TorchScattering1D, TorchScattering2D  # noqa: E402


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def workloads(quick):
    """name → (label, batch shape for memory slopes, builders, input maker)."""
    if quick:
        b2, n1, b1, mem2, mem1 = 64, 8192, 2, (8, 64), (1, 4)
    else:
        b2, n1, b1, mem2, mem1 = 1000, 65536, 8, (8, 1000), (1, 8)
    return {
        '2d': dict(label=f"2D {b2}x28x28 J=2 L=8", unit="image", batch=b2, mem_batches=mem2,
                   wst=lambda: wt.Scattering2D(2, (28, 28), threads=1),
                   ref=lambda: TorchScattering2D(2, (28, 28), dtype=torch.float32),
                   x=lambda b, rng: rng.random((b, 28, 28), dtype=np.float32)),
        '1d': dict(label=f"1D {b1}x{n1} J=8 Q=8", unit="signal", batch=b1, mem_batches=mem1,
                   wst=lambda: wt.Scattering1D(8, n1, Q=8, threads=1),
                   ref=lambda: TorchScattering1D(8, n1, Q=8, dtype=torch.float32),
                   x=lambda b, rng: rng.standard_normal((b, n1)).astype(np.float32)),
    }


def inputs(w, batch):
    rng = np.random.default_rng(0)
    x = torch.from_numpy(w['x'](batch, rng))
    return x


def forward_backward(module, x, g):
    x.grad = None
    y = module(x)
    y.backward(g)
    return y


def forward(module, x):
    with torch.no_grad():
        return module(x)


def rel(a, b):
    a, b = a.detach().double(), b.detach().double()
    return float((a - b).abs().max() / b.abs().max())


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def bench_workload(w, repeats):
    """Best and median seconds of wst / reference F+B and F; agreement of outputs and gradients."""
    mods = {'wst': w['wst'](), 'ref': w['ref']()}
    x = inputs(w, w['batch']).requires_grad_(True)
    with torch.no_grad():
        shape = mods['wst'](x[:1]).shape[1:]
    g = torch.from_numpy(np.random.default_rng(1).standard_normal(
        (w['batch'],) + tuple(shape)).astype(np.float32))
    # Warm-up (plans, workspaces, pocketfft caches) and agreement of the two.
    results = {}
    for name, m in mods.items():
        y = forward_backward(m, x, g)
        results[name] = (y.detach(), x.grad.clone())
        forward(m, x)
    agree = (rel(results['ref'][0], results['wst'][0]), rel(results['ref'][1], results['wst'][1]))
    del results, y
    times = {(name, mode): [] for name in mods for mode in ('fb', 'f')}
    for _ in range(repeats):
        for mode in ('fb', 'f'):
            for name, m in mods.items():
                if mode == 'fb':
                    t = timed(lambda: forward_backward(m, x, g))
                else:
                    t = timed(lambda: forward(m, x))
                times[(name, mode)].append(t)
                gc.collect()
    return times, agree


# ---- memory probes (run in fresh subprocesses) --------------------------------------------------

def _status_kb(key):
    with open("/proc/self/status") as f:
        return int(re.search(rf"^{key}:\s+(\d+) kB", f.read(), re.M).group(1))


def probe(case, impl, batch, quick):
    """One F+B of `batch` items in this (fresh) process; prints a JSON line of KiB figures."""
    torch.set_num_threads(1)
    w = workloads(quick)[case]
    m = w[impl]()
    x = inputs(w, batch).requires_grad_(True)
    with torch.no_grad():
        shape = m(x[:1]).shape[1:]
    g = torch.from_numpy(np.random.default_rng(1).standard_normal(
        (batch,) + tuple(shape)).astype(np.float32))
    warm = x[:min(batch, 8)].detach().clone().requires_grad_(True)  # plans, workspaces, caches
    forward_backward(m, warm, g[:warm.shape[0]])
    del warm
    if impl == 'wst':  # a fresh transform, so that no spare tape of the warm-up is reused
        m = w[impl]()
        core = m._np._core
        warm_x = x[:1].detach().numpy()
        core.backward(warm_x, core(warm_x))  # its plans and workspaces
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # return freed heap pages, so that new ones count
    rss0 = _status_kb("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets VmHWM to the current RSS
    y = m(x)
    held = _status_kb("VmRSS") - rss0  # autograd tape + output, between forward and backward
    y.backward(g)
    peak = _status_kb("VmHWM") - rss0
    print(json.dumps({'case': case, 'impl': impl, 'batch': batch, 'held_kb': held,
                      'peak_kb': peak}))


def measure_memory(quick):
    # Allocations of 16 KiB and more get fresh pages from mmap (and give them back when freed), so
    # that RSS follows what the call allocates rather than what glibc's heap had left over.
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="16384", MALLOC_TRIM_THRESHOLD_="0")
    out = {}
    for case, w in workloads(quick).items():
        for impl in ('wst', 'ref'):
            rows = []
            for batch in w['mem_batches']:
                cmd = [sys.executable, os.path.abspath(__file__), '--probe', case, impl, str(batch)]
                if quick:
                    cmd.append('--quick')
                res = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
                rows.append(json.loads(res.stdout.strip().splitlines()[-1]))
            out[(case, impl)] = rows
    return out


# ---- report --------------------------------------------------------------------------------------

def size(kib):
    return f"{kib / 1024:.1f} MiB" if abs(kib) >= 1024 else f"{kib:.1f} KiB"


def ms(t):
    return f"{t * 1e3:.0f} ms" if t >= 0.1 else f"{t * 1e3:.1f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats (best is kept)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke test)")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory probes")
    parser.add_argument("--probe", nargs=3, metavar=("CASE", "IMPL", "BATCH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.probe[0], args.probe[1], int(args.probe[2]), args.quick)
        return 0

    torch.set_num_threads(1)
    t_start = time.perf_counter()
    repeats = max(1, args.repeats)
    print(f"machine: {cpu_model()}, {os.cpu_count()} logical cores; python "
          f"{platform.python_version()}, torch {torch.__version__} "
          f"(threads {torch.get_num_threads()}), numpy {np.__version__}, wst {wst.__version__}")
    print(f"timings: best (median) of {repeats} interleaved repeats, wall clock, 1 thread each, "
          "float32")
    print("reference: bench/torch_reference.py, Kymatio 0.4's torch algorithm in PyTorch + autograd\n")

    rows = []
    for case, w in workloads(args.quick).items():
        times, agree = bench_workload(w, repeats)
        best = {k: min(v) for k, v in times.items()}
        med = {k: statistics.median(v) for k, v in times.items()}
        rows.append((w, best, med, agree))
        print(f"{w['label']}: reference vs wst, max|Δ|/max|wst|: output {agree[0]:.1e}, "
              f"gradient {agree[1]:.1e}", flush=True)

    print("\n| workload | pass | wst.torch | PyTorch reference | reference / wst |")
    print("|---|---|--:|--:|--:|")
    for w, best, med, _ in rows:
        for mode, label in (('fb', 'forward + backward'), ('f', 'forward')):
            a, b = best[('wst', mode)], best[('ref', mode)]
            print(f"| {w['label']} | {label} | {ms(a)} ({ms(med[('wst', mode)])}) | "
                  f"{ms(b)} ({ms(med[('ref', mode)])}) | **{b / a:.2f}×** |")
    print("\nreference / wst > 1: wst is faster; target of the issue: >= 3x for forward + backward")

    if not args.no_memory:
        mem = measure_memory(args.quick)
        print("\nMemory of one forward + backward (fresh process per row; above the state "
              "before the call):\n")
        print("| workload | implementation | batch | held after forward | peak during F+B |")
        print("|---|---|--:|--:|--:|")
        slopes = []
        for case, w in workloads(args.quick).items():
            for impl, label in (('wst', 'wst.torch'), ('ref', 'PyTorch reference')):
                r = mem[(case, impl)]
                for e in r:
                    print(f"| {w['label'].split(' ')[0]} | {label} | {e['batch']} | "
                          f"{size(e['held_kb'])} | {size(e['peak_kb'])} |")
                db = r[-1]['batch'] - r[0]['batch']
                slopes.append((w, label, (r[-1]['held_kb'] - r[0]['held_kb']) / db,
                               (r[-1]['peak_kb'] - r[0]['peak_kb']) / db))
        print("\n| workload | implementation | held per item | peak per item |")
        print("|---|---|--:|--:|")
        for w, label, held, peak in slopes:
            print(f"| {w['label']} | {label} | {size(held)}/{w['unit']} | "
                  f"{size(peak)}/{w['unit']} |")
        print("\nper item = slope between the two batch sizes (fixed costs such as plans and "
              "workspaces cancel); 'held' includes the output S(x), 'peak' also x.grad")
    print(f"\nbench run time: {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
