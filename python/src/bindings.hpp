// Shared helpers of the `wst._wst` extension: argument parsing and zero-copy array plumbing.
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <complex>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "wst/support/error.hpp"
#include "wst/core/options.hpp"

namespace wst::python {

namespace py = pybind11;

void bind_scattering_1d(py::module_& m);
void bind_scattering_2d(py::module_& m);
void bind_time_frequency(py::module_& m);
void bind_time_frequency_scattering(py::module_& m);
void bind_lab(py::module_& m);

// 'estimate' | 'measure' (FFTW_ESTIMATE, FFTW_MEASURE).
inline Planning parse_planning(const std::string& planning) {
  if (planning == "estimate") return Planning::estimate;
  if (planning == "measure") return Planning::measure;
  throw UsageError("planning='" + planning + "' is not supported: choose 'estimate' or 'measure'");
}

inline ExecOptions make_exec(int threads, const std::string& planning) {
  if (threads < 1)
    throw UsageError("threads: must be an integer >= 1, got " + std::to_string(threads));
  ExecOptions exec;
  exec.threads = threads;
  exec.planning = parse_planning(planning);
  return exec;
}

// True when `a` can be handed to C++ as-is: native-endian T, C-contiguous, aligned.
template <class T>
bool is_plain(const py::array& a) {
  return py::isinstance<py::array_t<T, py::array::c_style>>(a) &&
         (a.flags() & py::detail::npy_api::NPY_ARRAY_ALIGNED_);
}

// Runs f(first, count) over [0, batch) in blocks with the GIL released, checking for signals
// (Ctrl-C) between blocks: a pending KeyboardInterrupt is raised once the running block has
// finished, so no worker thread outlives the call. Blocks start at `step` items and double
// while one takes under 50 ms.
template <class F>
void run_blocks(std::size_t batch, std::size_t step, F&& f) {
  step = std::max<std::size_t>(step, 1);
  for (std::size_t first = 0; first < batch;) {
    const std::size_t count = std::min(step, batch - first);
    const auto start = std::chrono::steady_clock::now();
    {
      py::gil_scoped_release release;
      f(first, count);
    }
    first += count;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(50)) step *= 2;
  }
}

// Throws InputError naming the first NaN or Inf of x[0 … n) by its flat index in the whole
// input (the transforms' own checks run per block and would count from the block). GIL released.
template <class V>
void check_finite_input(const V* x, std::size_t n, const std::string& who) {
  std::size_t bad = n;
  {
    py::gil_scoped_release release;
    for (std::size_t i = 0; i < n && bad == n; ++i)
      if (!std::isfinite(std::real(x[i])) || !std::isfinite(std::imag(x[i]))) bad = i;
  }
  if (bad == n) return;
  const auto v = x[bad];
  const bool nan = std::isnan(std::real(v)) || std::isnan(std::imag(v));
  throw InputError(std::string("input holds ") + (nan ? "NaN" : "Inf") + " at flat index " +
                   std::to_string(bad) + ": " + who + " needs finite values");
}

// make() (which builds a transform's filters and plans) with the GIL released; a Ctrl-C that
// arrived meanwhile is raised when it returns.
template <class Make>
auto built_released(Make make) {
  decltype(make()) made;
  {
    py::gil_scoped_release release;
    made = make();
  }
  if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  return made;
}

inline std::vector<std::size_t> shape_of(const py::array& a) {
  return std::vector<std::size_t>(a.shape(), a.shape() + a.ndim());
}

// "(2, 3, 32)" as NumPy prints a shape.
inline std::string shape_str(const std::vector<std::size_t>& s) {
  std::string out = "(";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + (s.size() == 1 ? ",)" : ")");
}

// Checks that the trailing axes of `x` equal `core` and returns the product of the leading ones.
inline std::size_t batch_of(const py::array& x, const std::vector<std::size_t>& core,
                            const std::string& form) {
  const auto s = shape_of(x);
  bool ok = s.size() >= core.size();
  for (std::size_t i = 0; ok && i < core.size(); ++i)
    ok = s[s.size() - core.size() + i] == core[i];
  if (!ok)
    throw InputError("input of shape " + shape_str(s) + " does not fit: expected " + form);
  std::size_t batch = 1;
  for (std::size_t i = 0; i + core.size() < s.size(); ++i) batch *= s[i];
  return batch;
}

// Output shape: the leading (batch) axes of `x` (all but its last `core_ndim`), then `tail`.
inline std::vector<py::ssize_t> out_shape(const py::array& x, std::size_t core_ndim,
                                          const std::vector<std::size_t>& tail) {
  std::vector<py::ssize_t> s(x.shape(), x.shape() + (x.ndim() - py::ssize_t(core_ndim)));
  for (std::size_t t : tail) s.push_back(py::ssize_t(t));
  return s;
}

// A 1-D / n-D float64 NumPy copy of a std::vector.
inline py::array_t<double> to_numpy(const std::vector<double>& v, std::vector<py::ssize_t> shape) {
  py::array_t<double> a(shape);
  std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

}  // namespace wst::python
