"""wst.dask on a real LocalCluster of 2 worker processes on the loopback interface: the
distributed results are bit-identical to the local transform's, Zarr in and out, a worker killed
mid-run is recovered, an interrupted Zarr write resumes with only its missing chunks, an
unreachable scheduler fails within its timeout, and bad input raises the local errors with
nothing left at ``out`` (docs/DASK.md)."""
import inspect
import os
import re
import socket
import time

import numpy as np
import pytest

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
zarr = pytest.importorskip("zarr")

import wst  # noqa: E402
import wst.dask as wd  # noqa: E402

from conftest import local_cluster_fixtures, mnist_digits  # noqa: E402

RNG = np.random.default_rng(20)


client, cluster = local_cluster_fixtures()


def _images(n, dtype, shape=(28, 28)):
    return RNG.standard_normal((n,) + shape).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_2d_bit_identical_to_local(cluster, dtype):
    S = wst.Scattering2D(J=2, shape=(28, 28))
    x = _images(40, dtype)
    # Irregular chunks along axis 0 and a split image axis (rechunked whole).
    xd = dask.array.from_array(x, chunks=((5, 15, 20), (14, 14), (28,)))
    y = wd.scatter(S, xd, scheduler=cluster)
    assert y.shape == (40, 81, 7, 7) and y.dtype == dtype and y.chunks[0] == (5, 15, 20)
    got = y.compute()
    assert got.dtype == dtype and np.array_equal(got, S(x))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_1d_bit_identical_to_local(cluster, dtype):
    S = wst.Scattering1D(J=5, shape=512, Q=8)
    x = RNG.standard_normal((30, 512)).astype(dtype)
    got = wd.scatter(S, x, chunk_size=7, scheduler=cluster).compute()
    assert got.dtype == dtype and np.array_equal(got, S(x))


def test_transform_built_once_per_worker(cluster):
    S = wst.Scattering2D(J=1, shape=(16, 16), L=4)
    x = _images(48, np.float32, (16, 16))
    assert np.array_equal(wd.scatter(S, x, chunk_size=2, scheduler=cluster).compute(), S(x))
    builds = cluster.run(lambda: list(__import__("wst.dask").dask._BUILDS.values()))
    assert builds and all(counts and set(counts) == {1} for counts in builds.values()), builds


def test_zarr_in_zarr_out(cluster, tmp_path):
    S = wst.Scattering2D(J=2, shape=(28, 28), L=4)
    x = _images(30, np.float32)
    zarr.open_array(str(tmp_path / "x.zarr"), mode="w", shape=x.shape, chunks=(8, 28, 28),
                    dtype=x.dtype)[:] = x
    out = tmp_path / "y.zarr"
    y = wd.scatter(S, str(tmp_path / "x.zarr"), out=out, scheduler=cluster)
    stored = zarr.open_array(str(out), mode="r")
    assert stored.chunks == (8, S.output_size(), 7, 7)
    assert sorted(k for k in os.listdir(out) if not k.startswith(".")) == \
        [f"{i}.0.0.0" for i in range(4)]
    assert np.array_equal(stored[:], S(x)) and np.array_equal(y.compute(), S(x))
    assert "Scattering2D" in stored.attrs["wst.dask.scatter"]
    with pytest.raises(FileExistsError, match="overwrite=True"):
        wd.scatter(S, x, out=out, scheduler=cluster)
    wd.scatter(S, 2 * x, out=out, scheduler=cluster, overwrite=True)
    assert np.array_equal(zarr.open_array(str(out), mode="r")[:], S(2 * x))
    assert sorted(os.listdir(tmp_path)) == ["x.zarr", "y.zarr"]  # no partial stores left


def _killing(cls, marker, once=True):
    """A subclass of ``cls`` whose call, on a Dask worker, ends the worker process while
    ``marker`` exists (removing it first when ``once``). Defined in a function, so that Dask's
    cloudpickle ships the class by value."""
    class Killing(cls):
        def __call__(self, x):
            try:
                distributed.get_worker()
            except ValueError:  # not on a worker (the local probe of scatter)
                return super().__call__(x)
            try:
                if once:
                    os.remove(marker)
                elif not os.path.exists(marker):
                    raise FileNotFoundError(marker)
            except FileNotFoundError:
                return super().__call__(x)
            os._exit(1)
    return Killing


def test_killed_worker_is_recovered(cluster, tmp_path):
    marker = tmp_path / "kill-once"
    marker.touch()
    S = _killing(wst.Scattering2D, str(marker))(J=2, shape=(28, 28), L=4)
    x = _images(40, np.float32)
    before = set(cluster.scheduler_info()["workers"])
    out = tmp_path / "y.zarr"
    y = wd.scatter(S, x, chunk_size=5, out=out, scheduler=cluster)
    assert not marker.exists(), "no worker was killed"
    cluster.wait_for_workers(2, timeout=60)
    assert set(cluster.scheduler_info()["workers"]) != before  # the nanny started a new one
    # Every chunk is there exactly once, with the local transform's numbers.
    assert sorted(k for k in os.listdir(out) if not k.startswith(".")) == \
        sorted(f"{i}.0.0.0" for i in range(8))
    assert np.array_equal(y.compute(), wst.Scattering2D(J=2, shape=(28, 28), L=4)(x))


def test_dying_workers_leave_a_resumable_partial(cluster, tmp_path):
    marker = tmp_path / "kill-always"
    marker.touch()
    S = _killing(wst.Scattering2D, str(marker), once=False)(J=2, shape=(28, 28), L=4)
    x = _images(10, np.float32)
    out = tmp_path / "y.zarr"
    with pytest.raises(distributed.scheduler.KilledWorker) as info:
        wd.scatter(S, x, chunk_size=5, out=out, scheduler=cluster)
    assert any("nothing was written" in note and "resumes" in note
               for note in info.value.__notes__)
    assert not out.exists() and len(_partials(out)) == 1
    marker.unlink()  # the transform stops killing: the same call now completes
    _settle(cluster)
    y = wd.scatter(S, x, chunk_size=5, out=out, scheduler=cluster)
    assert np.array_equal(y.compute(), wst.Scattering2D(J=2, shape=(28, 28), L=4)(x))
    assert sorted(os.listdir(tmp_path)) == ["y.zarr"]


def _settle(cluster):
    """Wait for both workers and for the scheduler to forget the tasks of a failed run."""
    cluster.wait_for_workers(2, timeout=60)
    deadline = time.monotonic() + 30
    while cluster.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)):
        assert time.monotonic() < deadline, "the scheduler still holds tasks"
        time.sleep(0.05)


# ---- resuming an interrupted Zarr write ---------------------------------------------------------

def _interrupting(cls, budget):
    """A subclass of ``cls`` whose call on a chunk (more than one row) counts down the number in
    the file ``budget`` and raises KeyboardInterrupt, as Ctrl-C would, when it finds 0 there
    (removing the file); without the file it is ``cls``. Defined in a function, so that Dask's
    cloudpickle ships the class by value."""
    class Interrupting(cls):
        budget_file = budget

        def __call__(self, x):
            if len(x) > 1 and os.path.exists(budget):
                with open(budget) as f:
                    left = int(f.read())
                if left == 0:
                    os.remove(budget)
                    raise KeyboardInterrupt
                with open(budget, "w") as f:
                    f.write(str(left - 1))
            return super().__call__(x)
    return Interrupting


def _interrupted(S, x, out, after):
    """``scatter(S, x, chunk_size=4, out=out)`` in this process (Dask's synchronous scheduler:
    one chunk after the other) interrupted after ``after`` chunks; returns the partial store."""
    with open(S.budget_file, "w") as f:
        f.write(str(after))
    with dask.config.set(scheduler="synchronous"), pytest.raises(KeyboardInterrupt) as info:
        wd.scatter(S, x, chunk_size=4, out=out)
    assert any(f"keeps its {after} finished chunks" in note for note in info.value.__notes__)
    assert not out.exists()
    partial, = _partials(out)
    assert len(os.listdir(partial / ".wst-done")) == after
    return partial


def _partials(out):
    return list(out.parent.glob(f".{out.name}.wst-partial-*"))


def _computed(cluster):
    """Chunks transformed by the workers since the last call."""
    counts = cluster.run(lambda: sum(__import__("wst.dask").dask._COMPUTED.values()))
    cluster.run(lambda: __import__("wst.dask").dask._COMPUTED.clear())
    return sum(counts.values())


def _files(store):
    return {name: (store / name).read_bytes() for name in sorted(os.listdir(store))}


def _transform(tmp_path, cls=wst.Scattering2D, **params):
    """An interrupting ``cls`` (default: Scattering2D, J=2, L=4) counting down tmp_path/budget."""
    params = params or dict(J=2, shape=(28, 28), L=4)
    return _interrupting(cls, str(tmp_path / "budget"))(**params)


def _zarr_input(path, x):
    zarr.open_array(str(path), mode="w", shape=x.shape, chunks=(8,) + x.shape[1:],
                    dtype=x.dtype)[:] = x
    return str(path)


@pytest.mark.parametrize("source", ["numpy", "zarr"])
def test_interrupted_write_resumes(cluster, tmp_path, source):
    S = _transform(tmp_path)
    x = _images(40, np.float32)  # 10 chunks of 4 rows
    src = x if source == "numpy" else _zarr_input(tmp_path / "x.zarr", x)
    out = tmp_path / "y.zarr"
    partial = _interrupted(S, src, out, 3)
    _computed(cluster)
    y = wd.scatter(S, src, chunk_size=4, out=out, scheduler=cluster)
    assert _computed(cluster) == 7  # the 3 finished chunks are kept, not computed again
    assert not partial.exists() and not _partials(out)
    fresh = tmp_path / "fresh.zarr"
    wd.scatter(S, src, chunk_size=4, out=fresh, scheduler=cluster)
    assert _computed(cluster) == 10
    assert _files(out) == _files(fresh)  # every byte, .zarray and .zattrs included
    assert [n for n in _files(out) if n.startswith(".")] == [".zarray", ".zattrs"]
    assert np.array_equal(y.compute(), wst.Scattering2D(J=2, shape=(28, 28), L=4)(x))


@pytest.mark.parametrize("change", ["parameter", "input", "zarr input", "resume=False"])
def test_partial_of_another_job_is_discarded(cluster, tmp_path, change):
    S = _transform(tmp_path)
    x = _images(40, np.float32)
    if change == "parameter":  # sigma_0: other numbers, the same shape
        params = dict(J=2, shape=(8, 8, 8), L=2)
        S = _transform(tmp_path, wst.HarmonicScattering3D, **params, sigma_0=1.0)
        x = _images(40, np.float32, (8, 8, 8))
    src = _zarr_input(tmp_path / "x.zarr", x) if change == "zarr input" else x
    out = tmp_path / "y.zarr"
    partial = _interrupted(S, src, out, 3)
    kwargs = {"resume": False} if change == "resume=False" else {}
    if change == "parameter":
        S = _transform(tmp_path, wst.HarmonicScattering3D, **params, sigma_0=1.5)
    elif change == "input":
        x = src = x + 1
    elif change == "zarr input":
        zarr.open_array(src, mode="r+")[39] = x[39] = 0  # one chunk file rewritten
    _computed(cluster)
    y = wd.scatter(S, src, chunk_size=4, out=out, scheduler=cluster, **kwargs)
    assert _computed(cluster) == 10  # started over
    assert not partial.exists() and not _partials(out)
    assert np.array_equal(y.compute(), S(x))


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_fails_fast():
    assert inspect.signature(wd.connect).parameters["timeout"].default == 10
    address = f"tcp://127.0.0.1:{_closed_port()}"
    start = time.monotonic()
    with pytest.raises(ConnectionError, match=f"scheduler='{address}'.*within 2 s"):
        wd.connect(address, timeout=2)
    with pytest.raises(ConnectionError, match="dask scheduler"):
        wd.scatter(wst.Scattering1D(J=3, shape=64), np.zeros((2, 64)), scheduler=address,
                   timeout=1)
    assert time.monotonic() - start < 8
    with pytest.raises(ValueError, match="timeout"):
        wd.connect(address, timeout=0)


def test_bad_input_raises_local_errors(cluster, tmp_path):
    S = wst.Scattering2D(J=2, shape=(28, 28), L=4)
    out = tmp_path / "y.zarr"
    wrong = _images(4, np.float32, (28, 27))
    with pytest.raises(type(_error(S, wrong))) as info:
        wd.scatter(S, wrong, out=out, scheduler=cluster)
    assert str(info.value) == str(_error(S, wrong))
    x = _images(20, np.float32)
    x[13, 3, 4] = np.nan
    with pytest.raises(ValueError, match="input holds NaN") as info:
        wd.scatter(S, x, chunk_size=5, out=out, scheduler=cluster)
    assert any("rows 10:15 of x" in note for note in info.value.__notes__)
    assert os.listdir(tmp_path) == []  # nothing at out, no partial store
    for bad in ("yes", None, 1):
        with pytest.raises(TypeError, match=re.escape(f"resume={bad!r}: expected True or False")):
            wd.scatter(S, x, out=out, resume=bad)
    with pytest.raises(ValueError, match="threads: must be an integer >= 1"):
        wd.scatter(S, x, threads=0)
    with pytest.raises(ValueError, match="out_type='list'"):
        wd.scatter(wst.Scattering2D(J=2, shape=(28, 28), out_type="list"), x)
    with pytest.raises(TypeError, match="expected a wst transform"):
        wd.scatter(np.sum, x)


def _error(S, x):
    try:
        S(x)
    except Exception as e:  # noqa: BLE001 - the local error, whatever its type
        return e
    raise AssertionError("the local transform accepted the input")


def test_grid_search_equals_local(cluster):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    import wst.sklearn

    images, labels = mnist_digits(6)
    X = images.reshape(len(images), -1)
    model = make_pipeline(wst.sklearn.Scattering2D(J=1, shape=(28, 28), L=4, threads=1),
                          LogisticRegression(max_iter=300))
    grid = {"scattering2d__J": [1, 2], "logisticregression__C": [0.1, 10.0]}
    local = GridSearchCV(model, grid, cv=3, n_jobs=1).fit(X, labels)
    with distributed.get_task_stream(cluster) as tasks:
        remote = wd.grid_search(model, grid, X, labels, cv=3, scheduler=cluster)
    assert len(tasks.data) > 0  # the fits ran on the cluster
    assert remote.best_params_ == local.best_params_
    for key in ("mean_test_score", "split0_test_score", "split2_test_score"):
        assert np.array_equal(remote.cv_results_[key], local.cv_results_[key]), key
    assert np.array_equal(remote.predict(X), local.predict(X))
