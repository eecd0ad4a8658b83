"""`pip install .` as README documents it: into a fresh virtual environment (with Debian's NumPy
and scikit-learn visible), no network, CMake configured by setup.py in its own folder. The installed
module is then imported from elsewhere and must give the build tree's numbers bit for bit."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import wst

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys, numpy as np, wst
S = wst.Scattering2D(J=2, shape=(16, 16), threads=1)
x = np.random.default_rng(0).standard_normal((2, 16, 16)).astype(np.float32)
np.save(sys.argv[1], S(x))
print(wst.__file__)
"""


def test_pip_install_into_a_venv_and_import_from_elsewhere(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, timeout=120)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # setup.py configures CMake itself there (from scratch in a clean clone, as for a new user);
    # kept in the build tree so that a second `make test` only re-checks it.
    cmake_dir = Path(os.environ.get("WST_BUILD_DIR") or tmp_path) / "pip-test"
    env["WST_BUILD_DIR"] = str(cmake_dir)
    env.setdefault("CMAKE_BUILD_PARALLEL_LEVEL", "2")
    r = subprocess.run([str(python), "-m", "pip", "install", "--no-build-isolation", "--no-deps",
                        "--no-index", "--no-cache-dir", str(ROOT)],
                       env=env, capture_output=True, text=True, timeout=1500)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    assert (cmake_dir / "CMakeCache.txt").exists()  # setup.py configured CMake

    out = tmp_path / "S.npy"
    r = subprocess.run([str(python), "-c", SCRIPT, str(out)], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    installed_at = Path(r.stdout.strip().splitlines()[-1]).resolve()
    assert venv.resolve() in installed_at.parents, installed_at  # not the build tree

    S = wst.Scattering2D(J=2, shape=(16, 16), threads=1)
    x = np.random.default_rng(0).standard_normal((2, 16, 16)).astype(np.float32)
    expected = S(x)
    got = np.load(out)
    assert got.shape == (2, 81, 4, 4) and got.dtype == np.float32
    np.testing.assert_array_equal(got, expected)
