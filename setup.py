"""Builds the extension wst._wst with the project's CMake (see pyproject.toml for how to install).

The CMake build folder is $WST_BUILD_DIR if set (e.g. build/, to reuse what `make` built), else
build/pip. A new folder is configured without tests, benchmarks or libtorch; any folder is pointed
at the interpreter running this script; only the target _wst is built.
"""
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = Path(os.environ.get("WST_BUILD_DIR") or ROOT / "build" / "pip").resolve()
        # Configured the first time with the project's options; every time for this interpreter
        # (a folder first configured from another venv would otherwise point at its Python).
        options = [] if (build_dir / "CMakeCache.txt").exists() else [
            "-DCMAKE_BUILD_TYPE=Release", "-DWST_BUILD_TESTS=OFF", "-DWST_BUILD_BENCH=OFF",
            "-DWST_WITH_TORCH=OFF", "-DWST_PYTHON=ON"]
        self._run(["cmake", "-S", str(ROOT), "-B", str(build_dir), *options,
                   "-DPYBIND11_FINDPYTHON=ON", f"-DPython_EXECUTABLE={sys.executable}"])
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
        self._run(["cmake", "--build", str(build_dir), "--target", "_wst", "-j", jobs])
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        built = build_dir / "python" / "wst" / f"_wst{suffix}"
        if not built.exists():
            raise RuntimeError(f"{built} was not built: is {build_dir} configured for another "
                               f"Python, or without pybind11-dev (WST_PYTHON)?")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)

    @staticmethod
    def _run(cmd):
        print("setup.py:", " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True)


# setuptools' own scratch files go under build/setuptools, beside CMake's, not into the sources.
(ROOT / "build" / "setuptools").mkdir(parents=True, exist_ok=True)
setup(
    ext_modules=[CMakeExtension("wst._wst")],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": "build/setuptools"},
             "egg_info": {"egg_base": "build/setuptools"}},
)
