"""python/examples: Kymatio's NumPy and sklearn examples (filters, synthetic signal, scattering
disk, sklearn pipeline) in wst's own versions, each written for Kymatio with only its import line
changed. Each runs as a script (matplotlib's Agg backend, a temporary folder) and must finish,
print what it measured and write its picture."""
import os
import pathlib
import re
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = sorted(p.name for p in EXAMPLES.glob("*.py"))


def run(name, tmp_path, *args):
    import wst  # the module under test, found again by the script whatever its folder
    path = os.pathsep.join([str(pathlib.Path(wst.__file__).resolve().parents[1]),
                            os.environ.get("PYTHONPATH", "")])
    env = dict(os.environ, MPLBACKEND="Agg", MPLCONFIGDIR=str(tmp_path / "mpl"), PYTHONPATH=path)
    done = subprocess.run([sys.executable, str(EXAMPLES / name), *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_four_examples_are_there():
    assert SCRIPTS == ["plot_filters.py", "plot_scattering_disk.py", "plot_sklearn.py",
                       "plot_synthetic.py"]


@pytest.mark.parametrize("name", SCRIPTS)
def test_only_the_import_differs_from_kymatio(name):
    # Every wst import is the Kymatio import it replaces, named in a comment on its line.
    text = (EXAMPLES / name).read_text()
    lines = [line for line in text.splitlines() if re.match(r"\s*(from|import)\s+wst\b", line)]
    assert len(lines) == 1, lines
    assert "# was: from kymatio" in lines[0]
    assert "kymatio" not in text.replace(lines[0], "").replace("Kymatio", "")


def test_plot_sklearn_classifies_the_digits(tmp_path):
    out = run("plot_sklearn.py", tmp_path)
    accuracy = float(re.search(r"test accuracy: ([0-9.]+)", out).group(1))
    assert accuracy >= 0.95, out  # measured 0.9911 on the 450 held-out digits


def test_plot_scattering_disk_draws_the_disks(tmp_path):
    out = run("plot_scattering_disk.py", tmp_path, "disk.png")
    assert "127 paths" in out  # 1 + J·L + L²·J(J−1)/2 for J = 3, L = 6
    assert (tmp_path / "disk.png").stat().st_size > 1000


def test_plot_filters_reads_the_filter_attributes(tmp_path):
    out = run("plot_filters.py", tmp_path, "filters.png")
    first, second = map(int, re.search(r"(\d+) first-order and (\d+) second-order", out).groups())
    assert (first, second) == (38, 7)  # J = 6, Q = 8 (docs/scattering-formulas.md §1.2)
    low, high = map(float, re.search(r"min ([0-9.]+), max ([0-9.]+)", out).groups())
    assert 0.9 < low <= high < 1.2, out  # measured 1.003 and 1.128
    assert (tmp_path / "filters.png").stat().st_size > 1000


def test_plot_synthetic_separates_the_orders(tmp_path):
    out = run("plot_synthetic.py", tmp_path, "synthetic.png")
    assert re.search(r"Sx \(\d+, 128\) float32: 1 \+ \d+ \+ \d+ paths", out), out
    assert (tmp_path / "synthetic.png").stat().st_size > 1000
