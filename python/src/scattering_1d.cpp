// Binding of BasicScattering1D as wst._wst.Scattering1DCore (scattering_common.hpp).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "scattering_common.hpp"
#include "wst/core/scattering_1d.hpp"

namespace wst::python {

namespace {

class Core1D {
 public:
  Core1D(int J, std::size_t N, int Q1, int Q2, std::size_t T, int max_order, int threads,
         const std::string& planning)
      : J_(J), N_(N), Q_{Q1, Q2}, T_(T), max_order_(max_order), exec_(make_exec(threads, planning)) {
    py::gil_scoped_release release;  // building the filters takes a while
    f64_.emplace(J_, N_, Q_, T_, max_order_, exec_);
  }

  const BasicScattering1D<double>& f64() const { return *f64_; }
  const BasicScattering1D<float>& f32() {
    py::gil_scoped_release release;
    const std::lock_guard<std::mutex> lock(f32_mutex_);
    if (!f32_) f32_.emplace(J_, N_, Q_, T_, max_order_, exec_);
    return *f32_;
  }

  std::size_t channels() const { return f64_->channels(); }
  std::size_t output_length() const { return f64_->output_length(); }
  std::size_t T() const { return f64_->filters().T; }

  py::array call(const py::array& x) {
    return dispatch(*this, x, [&](const auto& s, auto real) {
      using Real = decltype(real);
      return run<Real>(s, x, {N_}, {channels(), output_length()}, form(), exec_.threads);
    });
  }
  double bench_seconds(const py::array& x, int repeats) {
    return dispatch(*this, x, [&](const auto& s, auto real) {
      using Real = decltype(real);
      return bench<Real>(s, x, repeats, {N_}, channels() * output_length(), form());
    });
  }

  // Kymatio's meta(): order (C,) int64; n, j, xi, sigma (C, max_order) float64, NaN where unused;
  // key: the n tuple of each channel.
  py::dict meta() const {
    const auto& paths = f64_->meta();
    const auto C = py::ssize_t(paths.size()), K = py::ssize_t(max_order_);
    py::array_t<std::int64_t> order(C);
    py::array_t<double> n({C, K}), j({C, K}), xi({C, K}), sigma({C, K});
    auto o = order.mutable_unchecked<1>();
    auto nn = n.mutable_unchecked<2>(), jj = j.mutable_unchecked<2>();
    auto xx = xi.mutable_unchecked<2>(), ss = sigma.mutable_unchecked<2>();
    py::list key;
    for (py::ssize_t c = 0; c < C; ++c) {
      const PathMeta1D& p = paths[std::size_t(c)];
      o(c) = p.order;
      py::tuple k(p.order);
      for (py::ssize_t d = 0; d < K; ++d) {
        const bool used = d < p.order;
        nn(c, d) = used ? p.n[d] : kNaN;
        jj(c, d) = used ? p.j[d] : kNaN;
        xx(c, d) = used ? p.xi[d] : kNaN;
        ss(c, d) = used ? p.sigma[d] : kNaN;
        if (used) k[d] = py::int_(p.n[d]);
      }
      key.append(k);
    }
    py::dict d;
    d["order"] = order;
    d["n"] = n;
    d["j"] = j;
    d["xi"] = xi;
    d["sigma"] = sigma;
    d["key"] = key;
    return d;
  }

  // Fourier-domain filters at the padded length, decreasing centre frequency.
  py::dict filters() const {
    const FilterBank1D& b = f64_->filters();
    const auto Np = py::ssize_t(b.N);
    auto bank = [&](const std::vector<Filter1D>& fs) {
      py::array_t<double> a({py::ssize_t(fs.size()), Np});
      double* p = a.mutable_data();
      for (const auto& f : fs) p = std::copy(f.fourier.begin(), f.fourier.end(), p);
      return a;
    };
    py::dict d;
    d["phi"] = to_numpy(b.phi, {Np});
    d["psi1"] = bank(b.psi1);
    d["psi2"] = bank(b.psi2);
    return d;
  }

  std::size_t padded_length() const { return f64_->filters().N; }

 private:
  std::string form() const { return "(..., " + std::to_string(N_) + ")"; }

  int J_;
  std::size_t N_;
  Q1D Q_;
  std::size_t T_;
  int max_order_;
  ExecOptions exec_;
  std::optional<BasicScattering1D<double>> f64_;
  std::optional<BasicScattering1D<float>> f32_;
  std::mutex f32_mutex_;  // built on first use, without the GIL
};

}  // namespace

void bind_scattering_1d(py::module_& m) {
  py::class_<Core1D>(m, "Scattering1DCore",
                     "C++ 1D scattering transform (both precisions); see wst.Scattering1D")
      .def(py::init<int, std::size_t, int, int, std::size_t, int, int, const std::string&>(),
           py::arg("J"), py::arg("N"), py::arg("Q1"), py::arg("Q2"), py::arg("T"),
           py::arg("max_order"), py::arg("threads"), py::arg("planning"))
      .def("__call__", &Core1D::call, py::arg("x"),
           "x: C-contiguous float32/float64 (..., N) → (..., C, N_out), GIL released")
      .def("bench_seconds", &Core1D::bench_seconds, py::arg("x"), py::arg("repeats"))
      .def("meta", &Core1D::meta)
      .def("filters", &Core1D::filters)
      .def_property_readonly("channels", &Core1D::channels)
      .def_property_readonly("output_length", &Core1D::output_length)
      .def_property_readonly("T", &Core1D::T)
      .def_property_readonly("padded_length", &Core1D::padded_length);
}

}  // namespace wst::python
