"""The Gaussian SVM's hyper-parameter search on a Dask cluster (``wst mnist --scheduler``;
docs/LEARNING.md, "Hyper-parameter search on a Dask cluster").

The cross-validation grid of ``wst::learn::KernelSVC`` / ``KernelSVR`` (C × γ scales × folds on
the first min(n, cv_max_rows) rows) is split into one task per γ scale, sent to the cluster
through joblib's Dask backend; each task is the C++ ``svm_grid_scores`` of that γ on one
thread, so the table is the local one bit for bit.

* :func:`grid_scores` ``(X, y, classification, options, *, scheduler, timeout=10)``: the table
  (γ scales × C) as a float64 array.
* ``python3 -m wst.dask_search check ADDRESS [--timeout S] [--started T]``: exit 0 when a
  Dask scheduler answers at ADDRESS within S seconds (counted from the Unix time T), else one
  line on stderr and exit 1.
* ``python3 -m wst.dask_search search FOLDER``: the request written by ``wst mnist`` —
  ``request.json`` (scheduler, timeout, classification, options), ``X.npy`` (float32, rows ×
  features), ``y.npy`` (float64) — answered in ``FOLDER/scores.json`` ({"scores": table}),
  written under a temporary name and renamed. Errors: one line on stderr, exit 1.

Messages meant for the caller start with ``wst.dask_search: `` (Dask's own logs do not).
"""
import argparse
import json
import os
import sys
import threading
import time

import numpy as np

from . import _wst

__all__ = ['grid_scores', 'check', 'search', 'main']

PREFIX = 'wst.dask_search: '
OPTIONS = ('C_grid', 'gamma_scales', 'folds', 'cv_max_rows', 'epsilon', 'tolerance', 'cache_mb',
           'seed')


def _distributed():
    try:
        import distributed
        import joblib  # noqa: F401 - the backend needs it
    except ImportError as e:
        raise ImportError("the search on a Dask cluster needs Dask and joblib: on Debian, "
                          f"apt-get install python3-distributed python3-joblib [{e}]") from e
    return distributed


def _connect(address, timeout, budget=None):
    """A Client of the scheduler at ``address``; ConnectionError naming it after ``budget``
    seconds (default ``timeout``), which the message reports as ``timeout``."""
    distributed = _distributed()
    wait = timeout if budget is None else round(max(budget, 0.5), 1)
    try:
        return distributed.Client(address, timeout=wait, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise ConnectionError(f"no Dask scheduler answered within {timeout:g} s "
                              f"({type(e).__name__}: {e}); start one with `dask scheduler` on "
                              "that host and check the address, the port (8786 by default) "
                              "and the firewall") from None


def _options(options):
    """The grid options as ``_wst.svm_grid_scores`` takes them (unknown keys refused)."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise ValueError(f"options: unknown keys {unknown} (known: {list(OPTIONS)})")
    return dict(options)


def _gamma_scores(data, classification, options, g):
    """One task: the scores of γ scale ``g`` for every C, on one thread."""
    X, y = data
    return _wst.svm_grid_scores(X, y, classification, gammas=[g], threads=1, **options)[0]


class _NoWorkers:
    """Closes ``client`` once its cluster has had no worker for ``limit`` seconds (Dask would
    wait for one forever), which ends the search; ``fired`` says it did."""

    def __init__(self, client, limit):
        self.client, self.limit, self.fired = client, limit, False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self):
        since = None
        while not self._stop.wait(1.0):
            try:
                workers = len(self.client.scheduler_info()['workers'])
            except Exception:  # noqa: BLE001 - a lost scheduler is the client's to report
                return
            since = None if workers else since or time.monotonic()
            if since is not None and time.monotonic() - since > self.limit:
                self.fired = True
                self.client.close()
                return

    def stop(self):
        self._stop.set()
        self._thread.join(5)


def grid_scores(X, y, classification, options, *, scheduler, timeout=10, no_workers_timeout=60):
    """The cross-validation scores (γ scales × C; misclassified rows or sums of squared
    errors over the folds) of the Gaussian SVM on the first min(n, cv_max_rows) rows of
    ``X``, computed on the cluster of ``scheduler`` (a ``distributed.Client`` or an address,
    connected within ``timeout`` seconds): equal, bit for bit, to
    ``wst._wst.svm_grid_scores(X, y, classification, **options)``. A task whose worker dies is
    run again on another (Dask's ``allowed-failures``); past that, Dask's error is raised.
    With an address, a cluster left without any worker for ``no_workers_timeout`` seconds
    (30 at the start) ends the search with RuntimeError; a Client of the caller waits, as
    Dask does."""
    distributed = _distributed()
    import joblib
    options = _options(options)
    m = min(len(X), int(options.get('cv_max_rows', 2000)))
    data = (np.ascontiguousarray(np.asarray(X)[:m], dtype=np.float32),
            np.ascontiguousarray(np.asarray(y)[:m], dtype=np.float64))
    own = not isinstance(scheduler, distributed.Client)
    client = _connect(scheduler, timeout) if own else scheduler
    watch = _NoWorkers(client, no_workers_timeout) if own else None
    try:
        # `data` is a tuple, which joblib does not scatter: it travels inside each task, so a
        # task whose worker dies is rerun elsewhere with its data.
        with joblib.parallel_backend('dask', client=client, wait_for_workers_timeout=30):
            rows = joblib.Parallel(n_jobs=-1, batch_size=1)(
                joblib.delayed(_gamma_scores)(data, classification, options, g)
                for g in range(len(options.get('gamma_scales', (0.5, 1.0, 2.0)))))
    except distributed.scheduler.KilledWorker as e:
        raise RuntimeError("the workers running a task of the search died too often (Dask's "
                           "distributed.scheduler.allowed-failures); see the workers' logs "
                           f"[{e}]") from e
    except Exception:
        if watch and watch.fired:
            raise RuntimeError(f"the cluster had no worker for {no_workers_timeout:g} s: "
                               "the search stopped (start workers with `dask worker "
                               "ADDRESS`)") from None
        if client.status != 'running':
            raise RuntimeError("the connection to the Dask scheduler was lost during the "
                               f"search (client status: {client.status})") from None
        raise
    finally:
        if own:
            watch.stop()
            client.close()
    return np.array(rows, dtype=np.float64)


def check(address, timeout=10, started=None):
    """Connects to the scheduler at ``address`` (ConnectionError after ``timeout`` seconds,
    counted from the Unix time ``started``) and returns its number of workers."""
    # Half a second is kept for the exit, so that the caller hears within `timeout`.
    budget = timeout if started is None else timeout - (time.time() - started) - 0.5
    client = _connect(address, timeout, budget)
    try:
        return len(client.scheduler_info()['workers'])
    finally:
        client.close()


def search(folder):
    """Answers the request in ``folder`` (see the module's help) with ``folder/scores.json``."""
    with open(os.path.join(folder, 'request.json'), encoding='utf-8') as f:
        request = json.load(f)
    X = np.load(os.path.join(folder, 'X.npy'))
    y = np.load(os.path.join(folder, 'y.npy'))
    scores = grid_scores(X, y, bool(request['classification']), request['options'],
                         scheduler=request['scheduler'], timeout=request.get('timeout', 10))
    path = os.path.join(folder, 'scores.json')
    tmp = path + '.tmp'
    try:
        with open(tmp, 'w', encoding='utf-8') as f:
            json.dump({'scores': scores.tolist()}, f)  # repr of floats: exact round trip
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python3 -m wst.dask_search',
                                     description=__doc__.split('\n\n')[0])
    sub = parser.add_subparsers(dest='command', required=True)
    c = sub.add_parser('check', help='exit 0 when a Dask scheduler answers at ADDRESS')
    c.add_argument('address')
    c.add_argument('--timeout', type=float, default=10.0)
    c.add_argument('--started', type=float, default=None, help='Unix time the timeout counts from')
    s = sub.add_parser('search', help='answer the request in FOLDER with FOLDER/scores.json')
    s.add_argument('folder')
    args = parser.parse_args(argv)
    try:
        if args.command == 'check':
            workers = check(args.address, args.timeout, args.started)
            print(f"{PREFIX}a Dask scheduler answers at {args.address} ({workers} workers)")
        else:
            search(args.folder)
    except Exception as e:  # noqa: BLE001 - every failure becomes one line and exit 1
        text = ' '.join(f"{e}".split()) or type(e).__name__
        kind = '' if isinstance(e, ConnectionError) else f"{type(e).__name__}: "
        print(f"{PREFIX}{kind}{text}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
