// Binding of BasicHarmonicScattering3D as wst._wst.HarmonicScattering3DCore
// (docs/harmonic3d-formulas.md; the Python front end is python/wst/_harmonic3d.py).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <complex>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "scattering_common.hpp"
#include "wst/core/harmonic_scattering_3d.hpp"

namespace wst::python {

namespace {

class Core3D {
 public:
  Core3D(int J, std::size_t M, std::size_t N, std::size_t O, int L, double sigma_0, int max_order,
         bool rotation_covariant, std::vector<double> powers, int threads, const std::string& planning)
      : J_(J), M_(M), N_(N), O_(O),
        opt_{.L = L, .sigma_0 = sigma_0, .max_order = max_order,
             .rotation_covariant = rotation_covariant, .integral_powers = std::move(powers)},
        exec_(make_exec(threads, planning)) {
    py::gil_scoped_release release;  // building the filters takes a while
    f64_.emplace(J_, M_, N_, O_, opt_, exec_);
  }

  const BasicHarmonicScattering3D<double>& f64() const { return *f64_; }
  const BasicHarmonicScattering3D<float>& f32() {
    py::gil_scoped_release release;
    const std::lock_guard<std::mutex> lock(f32_mutex_);
    if (!f32_) f32_.emplace(J_, M_, N_, O_, opt_, exec_);
    return *f32_;
  }

  std::vector<std::size_t> tail() const {
    return {f64_->paths(), std::size_t(opt_.L + 1), opt_.integral_powers.size()};
  }

  // x (..., M, N, O) → (..., P, L+1, Q) in x's dtype.
  py::array call(const py::array& x) {
    return dispatch(*this, x, [&](const auto& s, auto real) {
      using Real = decltype(real);
      return run<Real>(s, x, {M_, N_, O_}, tail(), form(), exec_.threads);
    });
  }
  double bench_seconds(const py::array& x, int repeats) {
    return dispatch(*this, x, [&](const auto& s, auto real) {
      using Real = decltype(real);
      return bench<Real>(s, x, repeats, {M_, N_, O_}, f64_->output_size(), form());
    });
  }

  // Per path: order, j1, j2 (−1 for order 1).
  py::dict meta() const {
    const auto& paths = f64_->meta();
    const auto P = py::ssize_t(paths.size());
    py::array_t<std::int64_t> order(P), j1(P), j2(P);
    for (py::ssize_t p = 0; p < P; ++p) {
      order.mutable_at(p) = paths[std::size_t(p)].order;
      j1.mutable_at(p) = paths[std::size_t(p)].j1;
      j2.mutable_at(p) = paths[std::size_t(p)].j2;
    }
    py::dict d;
    d["order"] = order;
    d["j1"] = j1;
    d["j2"] = j2;
    return d;
  }

  std::size_t paths() const { return f64_->paths(); }
  std::size_t bytes_per_volume() const { return f64_->bytes_per_volume(); }
  std::size_t filter_bytes() const { return f64_->filter_bytes(); }

 private:
  std::string form() const {
    return "(..., " + std::to_string(M_) + ", " + std::to_string(N_) + ", " + std::to_string(O_) + ")";
  }

  int J_;
  std::size_t M_, N_, O_;
  HarmonicScattering3DOptions opt_;
  ExecOptions exec_;
  std::optional<BasicHarmonicScattering3D<double>> f64_;
  std::optional<BasicHarmonicScattering3D<float>> f32_;
  std::mutex f32_mutex_;  // built on first use, without the GIL
};

// Kymatio's ψ̂_{j,l,m} (§4) as a complex128 (M, N, O) array.
py::array_t<std::complex<double>> wavelet(int j, int l, int m, std::size_t M, std::size_t N,
                                          std::size_t O, double sigma_0) {
  const auto f = solid_harmonic_wavelet_3d(j, l, m, M, N, O, sigma_0);
  py::array_t<std::complex<double>> a({py::ssize_t(M), py::ssize_t(N), py::ssize_t(O)});
  std::copy(f.begin(), f.end(), a.mutable_data());
  return a;
}

}  // namespace

void bind_harmonic_scattering_3d(py::module_& m) {
  py::class_<Core3D>(m, "HarmonicScattering3DCore",
                     "C++ solid-harmonic 3D scattering (both precisions); see wst.HarmonicScattering3D")
      .def(py::init<int, std::size_t, std::size_t, std::size_t, int, double, int, bool,
                    std::vector<double>, int, const std::string&>(),
           py::arg("J"), py::arg("M"), py::arg("N"), py::arg("O"), py::arg("L"), py::arg("sigma_0"),
           py::arg("max_order"), py::arg("rotation_covariant"), py::arg("integral_powers"),
           py::arg("threads"), py::arg("planning"))
      .def("__call__", &Core3D::call, py::arg("x"),
           "x: C-contiguous float32/float64 (..., M, N, O) → (..., P, L+1, Q), GIL released")
      .def("bench_seconds", &Core3D::bench_seconds, py::arg("x"), py::arg("repeats"))
      .def("meta", &Core3D::meta)
      .def_property_readonly("paths", &Core3D::paths)
      .def_property_readonly("bytes_per_volume", &Core3D::bytes_per_volume)
      .def_property_readonly("filter_bytes", &Core3D::filter_bytes);
  m.def("solid_harmonic_wavelet_3d", &wavelet, py::arg("j"), py::arg("l"), py::arg("m"),
        py::arg("M"), py::arg("N"), py::arg("O"), py::arg("sigma_0") = 1.0,
        "Kymatio's wavelet psi_hat_{j,l,m} on the (M, N, O) DFT grid, complex128");
}

}  // namespace wst::python
