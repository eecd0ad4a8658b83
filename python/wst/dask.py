"""Dask engine: scattering transforms mapped over the chunks of a Dask array, on the local
machine or on a Dask cluster, reading from and writing to Zarr stores (docs/DASK.md).

* :func:`scatter` ``(S, x, *, out=None, ...)``: ``x`` of shape (n, *input shape) — a Dask array,
  a Zarr array or store path, or a NumPy array — chunked along its first axis; each chunk goes
  through ``S`` on a worker (the transform's output axes appended). Returns a Dask array; with
  ``out=`` a Zarr store, written atomically (into a hidden sibling renamed at the end) and
  resumable: an interrupted write keeps its finished chunks, and the same call computes only
  the others (``resume=False`` starts over).
* :func:`connect` ``(address, timeout=10)``: a ``distributed.Client`` of the scheduler at
  ``address``, or a clear ``ConnectionError`` within ``timeout`` seconds.
* :func:`grid_search`: scikit-learn's ``GridSearchCV`` with its fits spread over a cluster
  (joblib's Dask backend).

Transforms travel as their parameters (wst transforms pickle that way); each worker rebuilds a
transform (its FFT plans) once and keeps it for the following chunks. The numbers are the local
transform's, bit for bit. ``import wst`` does not import Dask; ``import wst.dask`` needs Debian's
python3-dask, python3-distributed and python3-zarr.
"""
import hashlib
import json
import numbers
import os
import re
import shutil
import threading
import uuid
from collections import OrderedDict, Counter

import numpy as np

from . import _checks, __version__

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
_COMPUTED = Counter()          # payload bytes -> chunks transformed here (tests: resuming)
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
    """One chunk through the transform (map_blocks: the rows come from ``block_info``)."""
    where = (block_info or {}).get(0, {}).get('array-location')
    return _apply(block, payload, where[0] if where else None)


def _apply(block, payload, rows):
    """The transform of one chunk; an error keeps its type and message, and a note says which
    rows of x the chunk holds."""
    if isinstance(block, np.ndarray) and not block.flags.aligned:
        block = block.copy()  # a chunk unpickled from a message may be unaligned
    try:
        y = _transform(payload)(block)
    except Exception as e:
        if rows:
            e.add_note(f"wst.dask.scatter: in the chunk of rows {rows[0]}:{rows[1]} of x")
        raise
    with _LOCK:
        _COMPUTED[payload] += 1
    return y


# ---- inputs ---------------------------------------------------------------------------------------

def _source(x):
    """x as a Dask array, a zarr.Array (a path is opened read-only) or a NumPy array."""
    if isinstance(x, (str, os.PathLike)):
        zarr = _import('zarr', 'wst.dask.scatter (a Zarr path as x)')
        return zarr.open_array(os.path.abspath(os.fspath(x)), mode='r')
    if isinstance(x, da.Array) or type(x).__module__.startswith('zarr'):
        return x
    return np.asarray(x)


def _as_dask(x, chunk_size):
    """The source x as a Dask array chunked along axis 0 only (a Zarr array is read lazily)."""
    if x.ndim == 0:
        raise ValueError("x is a scalar (shape ()): expected an array (n, *shape)")
    if isinstance(x, np.ndarray):
        rows = chunk_size or max(1, _CHUNK_BYTES // max(1, x[:1].nbytes))
        # name=False: a random name instead of hashing the whole array
        return da.from_array(x, chunks=(rows,) + x.shape[1:], name=False)
    if not isinstance(x, da.Array):
        x = da.from_zarr(x)
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


def _identity(x):
    """What identifies the values of the source x cheaply, or None: a NumPy array's hash, a
    Zarr directory store's path, layout and its files' names, sizes and modification times.
    A Dask array has none (hashing it would compute it)."""
    if isinstance(x, np.ndarray):
        data = np.ascontiguousarray(x).reshape(-1).view(np.uint8)
        return {'numpy': hashlib.sha256(data).hexdigest(),
                'shape': x.shape, 'dtype': x.dtype.str}
    if isinstance(x, da.Array):
        return None
    import zarr
    if not isinstance(x.store, zarr.storage.DirectoryStore):
        return None
    root = os.path.normpath(os.path.join(x.store.path, x.path))
    return {'zarr': root, 'shape': x.shape, 'chunks': x.chunks, 'dtype': x.dtype.str,
            'files': _files_digest(root)}


def _files_digest(root):
    """A hash of the relative names, sizes and modification times of the files under root."""
    h = hashlib.blake2b(digest_size=16)
    for top, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            st = os.stat(os.path.join(top, name))
            rel = os.path.relpath(os.path.join(top, name), root)
            h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _job(S, source, y):
    """The record of what makes the output y (JSON-ready), or None when the input has no
    cheap identity. ``threads`` is left out: it does not change the numbers."""
    identity = _identity(source)
    if identity is None:
        return None
    params = {k: v for k, v in S.__getstate__().items() if k != 'threads'}
    job = {'wst': __version__, 'transform': f"{type(S).__module__}.{type(S).__qualname__}",
           'parameters': params, 'input': identity,
           'output': {'shape': y.shape, 'chunks': y.chunksize, 'dtype': y.dtype.str}}
    return json.loads(json.dumps(job, sort_keys=True, default=_plain))


def _plain(value):
    """JSON for the odd values of a job record (NumPy scalars and arrays, anything else)."""
    return value.tolist() if hasattr(value, 'tolist') else repr(value)


# ---- scatter ------------------------------------------------------------------------------------

def scatter(S, x, *, out=None, scheduler=None, chunk_size=None, threads=None, overwrite=False,
            resume=True, timeout=10):
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
    resume : bool, default True
        With ``out``: an interrupted write of the same job (transform, parameters, input,
        chunking) keeps its finished chunks, and this call computes only the others. False
        discards them and starts over. A Dask array ``x`` is never resumed (docs/DASK.md).

    Returns a Dask array (n, *output shape), S's dtype; lazy without ``out``, reading ``out``
    with it. Errors of the transform (NaN, ...) have the local transform's type and message.
    """
    threads = 1 if threads is None else _positive_int(threads, 'threads')
    chunk_size = None if chunk_size is None else _positive_int(chunk_size, 'chunk_size')
    resume = _flag(resume, 'resume')
    client = None if scheduler is None else _client(scheduler, timeout)
    payload = _payload(S, threads)
    source = _source(x)
    x = _as_dask(source, chunk_size)
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
    path = _out_path(out, overwrite)
    _write_zarr(x, payload, y, path, _job(S, source, y), resume, client, repr(S))
    return da.from_zarr(path)


# ---- Zarr output: a partial store, resumable, renamed at the end --------------------------------

_JOB = '.wst-job.json'    # in a partial store: the job it belongs to (absent: not resumable)
_DONE = '.wst-done'       # in a partial store: an empty file per finished chunk, named its index


def _out_path(out, overwrite):
    """The absolute path of ``out``, checked: a path, and free unless ``overwrite``."""
    _import('zarr', "wst.dask.scatter's out=")
    if not isinstance(out, (str, os.PathLike)):
        raise TypeError(f"out is a {type(out).__name__}: expected a path (str or os.PathLike) "
                        "of a Zarr directory store")
    path = os.path.abspath(os.fspath(out))
    if os.path.lexists(path) and not overwrite:
        raise FileExistsError(f"out={os.fspath(out)!r} exists: pass overwrite=True to replace it")
    return path


def _write_zarr(x, payload, y, path, job, resume, client, description):
    """The chunks of x through the transform into the partial store of ``path`` (those not
    finished yet), then renamed to ``path``. A failure removes the partial store, unless the
    job is resumable and the failure is an interruption rather than bad input (ValueError,
    TypeError)."""
    tmp = _partial_path(path, job)
    try:
        done = _open_partial(path, tmp, y, job, resume)
        _run_writes(_chunk_writes(x, payload, tmp, done), client)
        _finish(tmp, path, description)
    except BaseException as e:
        note = f"wst.dask.scatter: nothing was written to out={path!r}"
        if job is not None and not isinstance(e, (ValueError, TypeError)) \
                and os.path.exists(os.path.join(tmp, _JOB)):
            k = len(_done(tmp))
            note += (f"; the partial store {tmp!r} keeps its {k} finished chunk"
                     f"{'' if k == 1 else 's'}: the same call resumes from them")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
        e.add_note(note)
        raise


def _run_writes(tasks, client):
    """Runs the write tasks; on a cluster, a failure is raised only once every other task has
    finished too, so that no worker still writes into the partial store when it is removed."""
    if client is None:
        dask.compute(tasks)
        return
    import distributed
    futures = client.compute(tasks)
    try:
        distributed.wait(futures)
        client.gather(futures)
    finally:  # the scheduler forgets the tasks even while the error (and its frames) live on
        for f in futures:
            f.release()


def _partial_path(path, job):
    """The hidden sibling of ``path`` that receives the chunks: named after the job, so that
    the same call finds it again, or random for an input that cannot be resumed."""
    parent, name = os.path.split(path)
    if job is None:
        key = uuid.uuid4().hex[:16]
    else:
        key = hashlib.sha256(json.dumps(job, sort_keys=True).encode()).hexdigest()[:16]
    return os.path.join(parent, f".{name}.wst-partial-{key}")


def _open_partial(path, tmp, y, job, resume):
    """The finished chunks of the partial store ``tmp`` (indices along axis 0): those it holds
    when it records this job and ``resume``, else none in a new store. Other partial stores of
    ``path`` (other jobs, killed runs) are removed."""
    parent, name = os.path.split(path)
    stale = re.compile(re.escape(f".{name}.wst-partial-") + r"[0-9a-f]{8,16}(-old)?")
    for entry in os.listdir(parent):
        if stale.fullmatch(entry) and os.path.join(parent, entry) != tmp:
            _remove(os.path.join(parent, entry))
    if resume and job is not None and _read_json(os.path.join(tmp, _JOB)) == job:
        return _done(tmp)
    _remove(tmp)
    import zarr
    zarr.create(store=tmp, shape=y.shape, chunks=(max(1, y.chunksize[0]),) + y.chunksize[1:],
                dtype=y.dtype)
    os.mkdir(os.path.join(tmp, _DONE))
    if job is not None:
        _write_json(os.path.join(tmp, _JOB), job)  # last: the store can now be resumed
    return set()


def _chunk_writes(x, payload, tmp, done):
    """The tasks that transform and write the chunks of x not in ``done``; each reads its chunk
    of x itself (as map_blocks does), so no chunk of x travels between workers."""
    w = da.map_blocks(_write_block, x, payload, tmp, dtype=np.uint8, chunks=(x.chunks[0],),
                      drop_axis=list(range(1, x.ndim)), meta=np.empty((0,), dtype=np.uint8),
                      name='wst-write-' + uuid.uuid4().hex[:16])
    return [task for i, task in enumerate(w.to_delayed().ravel()) if i not in done]


def _write_block(block, payload, tmp, block_info=None):
    """On a worker: one chunk transformed and written to the partial store ``tmp``, flushed to
    disk, and only then marked finished."""
    import zarr
    index, rows = block_info[0]['chunk-location'][0], block_info[0]['array-location'][0]
    y = _apply(block, payload, rows)
    if len(y):
        zarr.open_array(tmp, mode='r+', write_empty_chunks=True)[rows[0]:rows[1]] = y
        _fsync(os.path.join(tmp, '.'.join([str(index)] + ['0'] * (y.ndim - 1))))
        _fsync(tmp, directory=True)
    with open(os.path.join(tmp, _DONE, str(index)), 'w'):
        pass
    return np.zeros(len(block), dtype=np.uint8)


def _finish(tmp, path, description):
    """The complete partial store ``tmp`` labelled, cleared of the resume records and of
    zarr's temporaries of interrupted writes, and renamed to ``path``."""
    import zarr
    zarr.open_array(tmp, mode='r+').attrs['wst.dask.scatter'] = description
    _remove(os.path.join(tmp, _JOB))  # first: from here on the store is not resumed
    for name in os.listdir(tmp):
        if name.startswith('.wst-') or name.endswith('.partial'):
            _remove(os.path.join(tmp, name))
    _replace(tmp, path)


def _done(tmp):
    """The indices of the chunks marked finished in the partial store ``tmp``."""
    try:
        return {int(n) for n in os.listdir(os.path.join(tmp, _DONE)) if n.isdigit()}
    except FileNotFoundError:
        return set()


def _read_json(path):
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _write_json(path, value):
    """``value`` written to ``path`` atomically (a temporary file renamed)."""
    with open(path + '.tmp', 'w', encoding='utf-8') as f:
        json.dump(value, f, sort_keys=True, indent=1)
    os.replace(path + '.tmp', path)


def _fsync(path, directory=False):
    """Flush ``path`` to disk (a directory: where the file system allows it)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        if not directory:
            raise
    finally:
        os.close(fd)


def _remove(path):
    """Remove a file or a directory tree, if there is one."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.remove(path)


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


def _flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}={value!r}: expected True or False")
    return bool(value)


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
