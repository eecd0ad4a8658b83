"""Dask engine: scattering transforms mapped over the chunks of a Dask array, on the local
machine or on a Dask cluster, reading from and writing to Zarr stores (docs/DASK.md).

* :func:`scatter` ``(S, x, *, out=None, ...)``: ``x`` of shape (n, *input shape) — a Dask array,
  a Zarr array or store path, or a NumPy array — chunked along its first axis; each chunk goes
  through ``S`` on a worker (the transform's output axes appended). Returns a Dask array; with
  ``out=`` a Zarr store, written atomically (into a hidden sibling renamed at the end).
* :func:`connect` ``(address, timeout=10)``: a ``distributed.Client`` of the scheduler at
  ``address``, or a clear ``ConnectionError`` within ``timeout`` seconds.
* :func:`grid_search`: scikit-learn's ``GridSearchCV`` with its fits spread over a cluster
  (joblib's Dask backend).

Transforms travel as their parameters (wst transforms pickle that way); each worker rebuilds a
transform (its FFT plans) once and keeps it for the following chunks. The numbers are the local
transform's, bit for bit. ``import wst`` does not import Dask; ``import wst.dask`` needs Debian's
python3-dask, python3-distributed and python3-zarr.
"""
import numbers
import os
import shutil
import threading
import uuid
from collections import OrderedDict, Counter

import numpy as np

from . import _checks

try:
    import dask
    import dask.array as da
except ImportError as e:  # pragma: no cover - exercised where python3-dask is missing
    raise ImportError("wst.dask needs Dask: on Debian, apt-get install python3-dask "
                      "python3-distributed python3-zarr (the rest of wst works without it) "
                      f"[{e}]") from e

__all__ = ['scatter', 'connect', 'grid_search']

_CHUNK_BYTES = 32 * 2**20      # default input bytes per chunk for NumPy input
_CACHE_SIZE = 16               # transforms kept per worker process
_TRANSFORMS = OrderedDict()    # payload bytes -> transform, in this (worker) process
_BUILDS = Counter()            # payload bytes -> times built here (tests: once per worker)
_LOCK = threading.Lock()
_CLIENTS = {}                  # address -> Client made by connect() through scatter()


def _import(name, what):
    """Import an optional module (distributed, zarr) with the Debian package in the error."""
    try:
        return __import__(name)
    except ImportError as e:  # pragma: no cover - exercised where the package is missing
        raise ImportError(f"{what} needs {name}: on Debian, apt-get install python3-{name} "
                          f"[{e}]") from e


# ---- the transform on the workers ---------------------------------------------------------------

def _payload(S, threads):
    """The bytes that ship ``S`` to the workers: its class and parameters, ``threads`` set.
    cloudpickle (Dask's serializer) pickles classes defined in a function by value."""
    import cloudpickle
    state = S.__getstate__()
    if not isinstance(state, dict) or 'threads' not in state:
        raise TypeError(f"S is a {type(S).__name__}: expected a wst transform (wst.Scattering1D, "
                        "Scattering2D, TimeFrequencyScattering or HarmonicScattering3D)")
    return cloudpickle.dumps((type(S), dict(state, threads=threads)))


def _transform(payload):
    """The transform that ``payload`` describes, built once per process and then reused."""
    with _LOCK:
        S = _TRANSFORMS.get(payload)
        if S is not None:
            _TRANSFORMS.move_to_end(payload)
            return S
    import cloudpickle
    cls, state = cloudpickle.loads(payload)
    S = cls.__new__(cls)
    S.__setstate__(state)  # what unpickling does: the constructor with the parameters
    with _LOCK:
        if payload not in _TRANSFORMS:
            _TRANSFORMS[payload] = S
            _BUILDS[payload] += 1
            while len(_TRANSFORMS) > _CACHE_SIZE:
                _TRANSFORMS.popitem(last=False)
        return _TRANSFORMS[payload]


def _scatter_block(block, payload, block_info=None):
    """One chunk through the transform; an error keeps its type and message, and a note says
    which rows of x the chunk holds."""
    try:
        return _transform(payload)(block)
    except Exception as e:
        where = (block_info or {}).get(0, {}).get('array-location')
        if where:
            e.add_note(f"wst.dask.scatter: in the chunk of rows {where[0][0]}:{where[0][1]} of x")
        raise


# ---- inputs ---------------------------------------------------------------------------------------

def _as_dask(x, chunk_size):
    """x as a Dask array chunked along axis 0 only (a Zarr path or array is read lazily)."""
    if isinstance(x, (str, os.PathLike)):
        zarr = _import('zarr', 'wst.dask.scatter (a Zarr path as x)')
        x = zarr.open_array(os.path.abspath(os.fspath(x)), mode='r')
    if not isinstance(x, da.Array):
        if type(x).__module__.startswith('zarr'):
            x = da.from_zarr(x)
        else:
            a = np.asarray(x)
            if a.ndim == 0:
                raise ValueError("x is a scalar (shape ()): expected an array (n, *shape)")
            rows = chunk_size or max(1, _CHUNK_BYTES // max(1, a[:1].nbytes))
            # name=False: a random name instead of hashing the whole array
            return da.from_array(a, chunks=(rows,) + a.shape[1:], name=False)
    if x.ndim == 0:
        raise ValueError("x is a scalar (shape ()): expected an array (n, *shape)")
    whole = {axis: -1 for axis in range(1, x.ndim) if len(x.chunks[axis]) > 1}
    if chunk_size:
        whole[0] = chunk_size
    return x.rechunk(whole) if whole else x


def _regular(x):
    """x with equal chunks along axis 0 (the last one smaller), as Zarr stores them."""
    rows = x.chunks[0]
    if len(rows) > 1 and (len(set(rows[:-1])) > 1 or rows[-1] > rows[0]):
        return x.rechunk({0: max(rows)})
    return x


def _probe(S, x):
    """S on one row of zeros shaped and typed as x: the local transform's errors for a wrong
    shape, type or out_type, and the output's shape per row and dtype."""
    if getattr(S, 'out_type', 'array') != 'array':
        raise ValueError(f"S.out_type={S.out_type!r} is not supported by wst.dask.scatter: "
                         "use out_type='array'")
    try:
        y = np.asarray(S(np.zeros((1,) + x.shape[1:], dtype=x.dtype)))
    except Exception:
        # The same check on a view of x's full shape words the error for x, as S(x) would.
        S(np.broadcast_to(np.zeros((), dtype=x.dtype), x.shape))
        raise
    return y.shape[1:], y.dtype


# ---- scatter ------------------------------------------------------------------------------------

def scatter(S, x, *, out=None, scheduler=None, chunk_size=None, threads=None, overwrite=False,
            timeout=10):
    """The transform ``S`` applied to the rows of ``x``, chunk by chunk, with Dask.

    Parameters
    ----------
    S : a wst transform (``wst.Scattering2D``, ``Scattering1D``, ...) with out_type='array'.
    x : Dask array, Zarr array, Zarr store path, or NumPy array of shape (n, *input shape)
        Chunks split the first axis (other axes are rechunked whole). A NumPy array is cut into
        chunks of ``chunk_size`` rows (default: about 32 MiB each).
    out : str or os.PathLike, optional
        A Zarr store (directory) to write: the result goes to a hidden sibling first and is
        renamed to ``out`` when every chunk is written, so a failure leaves nothing at ``out``.
    scheduler : None, a ``distributed.Client``, or an address ('tcp://HOST:8786')
        Where to compute; None uses Dask's current scheduler (a default Client, else threads).
        An address is connected with :func:`connect` (``timeout`` seconds); that Client becomes
        the default, so ``.compute()`` of the result runs there too.
    chunk_size : int, optional
        Rows per chunk (rechunks a Dask or Zarr input).
    threads : int, optional
        Threads of each chunk's transform (default 1: Dask runs one chunk per worker thread).
    overwrite : bool, default False
        Replace an existing ``out`` (only after the new store is complete).

    Returns a Dask array (n, *output shape), S's dtype; lazy without ``out``, reading ``out``
    with it. Errors of the transform (NaN, ...) have the local transform's type and message.
    """
    threads = 1 if threads is None else _positive_int(threads, 'threads')
    chunk_size = None if chunk_size is None else _positive_int(chunk_size, 'chunk_size')
    client = None if scheduler is None else _client(scheduler, timeout)
    payload = _payload(S, threads)
    x = _as_dask(x, chunk_size)
    if out is not None:
        x = _regular(x)
    shape, dtype = _probe(S, x)
    y = da.map_blocks(_scatter_block, x, payload, dtype=dtype,
                      chunks=(x.chunks[0],) + tuple((s,) for s in shape),
                      drop_axis=list(range(1, x.ndim)), new_axis=list(range(1, 1 + len(shape))),
                      meta=np.empty((0,) * (1 + len(shape)), dtype=dtype),
                      name='wst-scatter-' + dask.base.tokenize(x.name, payload))
    if out is None:
        return y
    return _write_zarr(y, out, client, overwrite, repr(S))


def _write_zarr(y, out, client, overwrite, description):
    """y written to the Zarr store ``out`` through a hidden sibling renamed at the end."""
    _import('zarr', "wst.dask.scatter's out=")
    if not isinstance(out, (str, os.PathLike)):
        raise TypeError(f"out is a {type(out).__name__}: expected a path (str or os.PathLike) "
                        "of a Zarr directory store")
    path = os.path.abspath(os.fspath(out))
    if os.path.lexists(path) and not overwrite:
        raise FileExistsError(f"out={os.fspath(out)!r} exists: pass overwrite=True to replace it")
    parent, name = os.path.split(path)
    tmp = os.path.join(parent, f".{name}.wst-partial-{uuid.uuid4().hex[:8]}")
    try:
        store = da.to_zarr(y, tmp, compute=False)
        dask.compute(store, scheduler=client)
        import zarr
        zarr.open_array(tmp, mode='r+').attrs['wst.dask.scatter'] = description
        _replace(tmp, path)
    except BaseException as e:
        shutil.rmtree(tmp, ignore_errors=True)
        e.add_note(f"wst.dask.scatter: nothing was written to out={os.fspath(out)!r}")
        raise
    return da.from_zarr(path)


def _replace(tmp, path):
    """Rename ``tmp`` to ``path``; an existing ``path`` is moved aside first, then removed."""
    if not os.path.lexists(path):
        os.rename(tmp, path)
        return
    old = f"{tmp}-old"
    os.rename(path, old)
    os.rename(tmp, path)
    shutil.rmtree(old, ignore_errors=True)


def _positive_int(value, name):
    return _checks.integer(value, name, 1)


# ---- clusters -----------------------------------------------------------------------------------

def connect(address, timeout=10):
    """A ``distributed.Client`` of the Dask scheduler at ``address`` ('tcp://HOST:8786'),
    set as Dask's default scheduler. A scheduler that does not answer within ``timeout``
    seconds raises ConnectionError naming the address (no hang)."""
    distributed = _import('distributed', 'wst.dask.connect')
    if not isinstance(address, str) or not address:
        raise TypeError(f"address={address!r}: expected a scheduler address such as "
                        "'tcp://HOST:8786'")
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real) or not timeout > 0:
        raise ValueError(f"timeout={timeout!r}: must be a number of seconds > 0")
    try:
        return distributed.Client(address, timeout=timeout)
    except (OSError, TimeoutError) as e:
        raise ConnectionError(f"scheduler={address!r}: no Dask scheduler answered within "
                              f"{timeout:g} s ({type(e).__name__}: {e}); start one with `dask "
                              "scheduler` on that host and check the address, the port (8786 "
                              "by default) and the firewall") from None


def _client(scheduler, timeout):
    """The Client for ``scheduler``: itself if it is one, else one per address (reused)."""
    distributed = _import('distributed', 'wst.dask (scheduler=)')
    if isinstance(scheduler, distributed.Client):
        return scheduler
    client = _CLIENTS.get(scheduler)
    if client is None or client.status != 'running':
        client = _CLIENTS[scheduler] = connect(scheduler, timeout)
    return client


def grid_search(estimator, param_grid, X, y=None, *, scheduler=None, timeout=10, **kwargs):
    """``sklearn.model_selection.GridSearchCV(estimator, param_grid, **kwargs).fit(X, y)`` with
    the fits run on the Dask cluster of ``scheduler`` (a Client or an address; None: the
    default Client) through joblib's Dask backend. The cross-validation splits and the scores
    are those of the local search; the final refit runs here. Returns the fitted search."""
    distributed = _import('distributed', 'wst.dask.grid_search')
    import joblib
    from sklearn.model_selection import GridSearchCV
    if scheduler is None:
        try:
            client = distributed.get_client()
        except ValueError:
            raise ValueError("scheduler=None and no Dask Client is running: pass "
                             "scheduler='tcp://HOST:8786' or a distributed.Client") from None
    else:
        client = _client(scheduler, timeout)
    search = GridSearchCV(estimator, param_grid, n_jobs=kwargs.pop('n_jobs', -1), **kwargs)
    with joblib.parallel_backend('dask', client=client):
        return search.fit(X, y)
