// What the bindings of BasicScattering1D and BasicScattering2D share: one core object per Python
// transform: the float64 transform is built at construction (it validates the parameters and
// provides meta() and filters()), the float32 one on first float32 input. Transforms run
// zero-copy: the input array's buffer goes to the raw-pointer operator() and the output is
// written into a fresh NumPy array, with the GIL released (also while building filters).
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "bindings.hpp"

namespace wst::python {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

inline std::size_t product(const std::vector<std::size_t>& v) {
  std::size_t p = 1;
  for (std::size_t d : v) p *= d;
  return p;
}

// Runs `s` on x (..., core) into a new array (..., tail) of the same dtype, GIL released, in
// blocks of samples that start at `threads` (Ctrl-C is honoured between blocks).
template <class Real, class S>
py::array run(const S& s, const py::array& x, const std::vector<std::size_t>& core,
              const std::vector<std::size_t>& tail, const std::string& form, int threads) {
  const std::size_t batch = batch_of(x, core, form);
  py::array_t<Real> out(out_shape(x, core.size(), tail));
  const Real* xp = static_cast<const Real*>(x.data());
  Real* op = out.mutable_data();
  const std::size_t in_size = product(core), out_size = product(tail);
  check_finite_input(xp, batch * in_size, "scattering");
  // Steps of whole 8-image blocks per thread (the 2D transforms' lane blocks): a smaller first
  // step would leave lanes and threads idle.
  run_blocks(batch, 8 * std::size_t(threads), [&](std::size_t first, std::size_t count) {
    s(xp + first * in_size, count, op + first * out_size);
  });
  return out;
}

// Mean seconds of `repeats` calls of the raw operator() on preallocated buffers, GIL released.
template <class Real, class S>
double bench(const S& s, const py::array& x, int repeats, const std::vector<std::size_t>& core,
             std::size_t out_per_input, const std::string& form) {
  if (repeats < 1)
    throw UsageError("repeats=" + std::to_string(repeats) + " is out of range: must be at least 1");
  const std::size_t batch = batch_of(x, core, form);
  std::vector<Real> out(batch * out_per_input);
  const Real* xp = static_cast<const Real*>(x.data());
  py::gil_scoped_release release;
  const auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < repeats; ++r) s(xp, batch, out.data());
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  return elapsed.count() / repeats;
}

// Dispatches on the dtype of x: float32 or float64, C-contiguous and aligned (the Python layer
// converts everything else before calling).
template <class Core, class F>
auto dispatch(Core& core, const py::array& x, F&& f) {
  if (is_plain<double>(x)) return f(core.f64(), double{});
  if (is_plain<float>(x)) return f(core.f32(), float{});
  throw py::type_error("expected a C-contiguous float32 or float64 array, got dtype " +
                       std::string(py::str(x.dtype())));
}

// The vector–Jacobian product ∂/∂x Σ g·S(x) (docs/scattering-gradients.md) of `s` at x
// (..., core) for the cotangent g (..., tail) of the same dtype: a new array shaped like x,
// GIL released, in blocks (Ctrl-C between blocks). g's shape must be x's batch shape + tail.
template <class Real, class S>
py::array run_backward(const S& s, const py::array& x, const py::array& g,
                       const std::vector<std::size_t>& core, const std::vector<std::size_t>& tail,
                       const std::string& form, int threads) {
  const std::size_t batch = batch_of(x, core, form);
  const std::vector<py::ssize_t> want = out_shape(x, core.size(), tail);
  if (g.ndim() != py::ssize_t(want.size()) ||
      !std::equal(want.begin(), want.end(), g.shape()))
    throw InputError("grad_output of shape " + shape_str(shape_of(g)) +
                     " does not fit: expected the output's shape " +
                     shape_str(std::vector<std::size_t>(want.begin(), want.end())));
  if (!is_plain<Real>(g))
    throw py::type_error("grad_output must be a C-contiguous array of the input's dtype");
  py::array_t<Real> grad(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
  const Real* xp = static_cast<const Real*>(x.data());
  const Real* gp = static_cast<const Real*>(g.data());
  Real* op = grad.mutable_data();
  const std::size_t in_size = product(core), out_size = product(tail);
  check_finite_input(gp, batch * out_size, "grad_output");
  run_blocks(batch, 8 * std::size_t(threads), [&](std::size_t first, std::size_t count) {
    s.backward(xp + first * in_size, gp + first * out_size, count, op + first * in_size);
  });
  return grad;
}

}  // namespace wst::python
