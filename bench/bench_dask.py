#!/usr/bin/python3
"""The Dask engine's overhead: feature extraction of 60 000 28×28 float32 images through
Scattering2D(J=2, shape=(28, 28)) on a LocalCluster of 2 worker processes (1 thread each,
loopback), against the same work with threads=2 in this process. Runs are interleaved (local,
Dask, Dask with the data on the workers, then again) so that machine noise hits every column;
the table gives the best and the median of each. docs/PERFORMANCE.md, "Dask".

    PYTHONPATH=build/python /usr/bin/python3 bench/bench_dask.py [--images 60000] [--repeats 3]

Columns: "local" is S(x) with threads=2 (NumPy in, NumPy out); "dask" is
wst.dask.scatter(S, x).compute() from the same NumPy array (the chunks travel to the workers
and the features come back: 0.19 GB in, 0.95 GB out); "dask, data on workers" starts from an
array already persisted on the workers and keeps the result there (the engine without the
transfers). Images are random (fixed seed); the numbers do not depend on them.
"""
import argparse
import os
import platform
import statistics
import time

import numpy as np


def _cpu():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown CPU'


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--images', type=int, default=60000)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--chunk', type=int, default=2000, help='images per Dask chunk')
    args = parser.parse_args()

    import dask
    import distributed
    import wst
    import wst.dask

    x = np.random.default_rng(0).random((args.images, 28, 28), dtype=np.float32)
    print(f"machine: {_cpu()}, {os.cpu_count()} logical cores; load {os.getloadavg()[0]:.2f}; "
          f"python {platform.python_version()}, numpy {np.__version__}, dask {dask.__version__}, "
          f"distributed {distributed.__version__}, wst {wst.__version__}")
    print(f"work: {args.images} x 28x28 float32 -> Scattering2D(J=2, L=8), chunks of "
          f"{args.chunk} images; {args.repeats} interleaved runs per column, wall clock")

    local = wst.Scattering2D(J=2, shape=(28, 28), threads=2)
    S = wst.Scattering2D(J=2, shape=(28, 28))  # shipped with threads=1 per task
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host='127.0.0.1', dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        times = _run(args, x, local, S, client)
    finally:
        client.close()
        cluster.close()
    _table(times)


def _run(args, x, local, S, client):
    """Interleaved timings of the three columns; checks once that the numbers agree."""
    import dask.array as da
    import distributed
    import wst.dask

    wst.dask.scatter(S, x[:16], chunk_size=8, scheduler=client).compute()  # plans on workers
    local(x[:16])
    xd = client.persist(da.from_array(x, chunks=(args.chunk, 28, 28), name='bench-input'))
    distributed.wait(xd)
    times = {'local, threads=2': [], 'dask, 2 workers': [], 'dask, data on workers': []}
    for r in range(args.repeats):
        t, ref = _timed(lambda: local(x))
        times['local, threads=2'].append(t)
        t, got = _timed(lambda: wst.dask.scatter(S, x, chunk_size=args.chunk,
                                                 scheduler=client).compute())
        times['dask, 2 workers'].append(t)
        if r == 0:
            assert np.array_equal(got, ref), "Dask and local features differ"
        del got, ref

        def persisted():
            y = wst.dask.scatter(S, xd, scheduler=client).persist()
            distributed.wait(y)
        t, _ = _timed(persisted)  # y is released on return: nothing stays cached
        times['dask, data on workers'].append(t)
        print(f"run {r + 1}: " + ', '.join(f"{k} {v[-1]:.2f} s" for k, v in times.items()),
              flush=True)
    return times


def _table(times):
    base = min(times['local, threads=2'])
    base_median = statistics.median(times['local, threads=2'])
    print(f"\n{'column':<24}{'best':>9}{'median':>9}{'best/local':>12}{'median/local':>14}")
    print('-' * 68)
    for name, values in times.items():
        best, median = min(values), statistics.median(values)
        print(f"{name:<24}{best:>8.2f}s{median:>8.2f}s{best / base:>11.3f}x"
              f"{median / base_median:>13.3f}x")
    ratio = min(times['dask, 2 workers']) / base
    print(f"\nDask / local (best of each): {ratio:.3f}x (the issue's bound: 1.3x)")


if __name__ == '__main__':
    main()
