// Binding of BasicScattering2D as wst._wst.Scattering2DCore (scattering_common.hpp).
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
#include "wst/core/scattering_2d.hpp"

namespace wst::python {

namespace {

class Core2D {
 public:
  Core2D(int J, std::size_t M, std::size_t N, int L, int max_order, int threads,
         const std::string& planning, bool pre_pad)
      : J_(J), M_(M), N_(N), L_(L), max_order_(max_order), pre_pad_(pre_pad),
        exec_(make_exec(threads, planning)) {
    py::gil_scoped_release release;  // building the filters takes a while
    f64_.emplace(J_, M_, N_, L_, max_order_, exec_, pre_pad_);
    Mi_ = f64_->input_rows();
    Ni_ = f64_->input_cols();
  }

  const BasicScattering2D<double>& f64() const { return *f64_; }
  const BasicScattering2D<float>& f32() {
    py::gil_scoped_release release;
    const std::lock_guard<std::mutex> lock(f32_mutex_);
    if (!f32_) f32_.emplace(J_, M_, N_, L_, max_order_, exec_, pre_pad_);
    return *f32_;
  }

  std::size_t channels() const { return f64_->channels(); }
  std::size_t output_rows() const { return f64_->output_rows(); }
  std::size_t output_cols() const { return f64_->output_cols(); }

  py::array call(const py::array& x) {
    return dispatch(*this, x, [&](const auto& s, auto real) {
      using Real = decltype(real);
      return run<Real>(s, x, {Mi_, Ni_}, {channels(), output_rows(), output_cols()}, form(),
                       exec_.threads);
    });
  }
  // ∂/∂x Σ g·S(x) for g shaped like call(x)'s result.
  py::array backward(const py::array& x, const py::array& g) {
    return dispatch(*this, x, [&](const auto& s, auto real) {
      using Real = decltype(real);
      return run_backward<Real>(s, x, g, {Mi_, Ni_}, {channels(), output_rows(), output_cols()},
                                form(), exec_.threads);
    });
  }
  double bench_seconds(const py::array& x, int repeats) {
    return dispatch(*this, x, [&](const auto& s, auto real) {
      using Real = decltype(real);
      return bench<Real>(s, x, repeats, {Mi_, Ni_}, channels() * output_rows() * output_cols(),
                         form());
    });
  }

  // order (C,) int64; j, theta, n = j·L + θ (C, 2) float64, NaN where unused; key: n tuples.
  py::dict meta() const {
    const auto& paths = f64_->meta();
    const auto C = py::ssize_t(paths.size());
    py::array_t<std::int64_t> order(C);
    py::array_t<double> j({C, py::ssize_t(2)}), theta({C, py::ssize_t(2)}), n({C, py::ssize_t(2)});
    auto o = order.mutable_unchecked<1>();
    auto jj = j.mutable_unchecked<2>(), tt = theta.mutable_unchecked<2>(), nn = n.mutable_unchecked<2>();
    py::list key;
    for (py::ssize_t c = 0; c < C; ++c) {
      const PathMeta2D& p = paths[std::size_t(c)];
      o(c) = p.order;
      const int js[2] = {p.j1, p.j2}, ts[2] = {p.theta1, p.theta2};
      py::tuple k(p.order);
      for (int d = 0; d < 2; ++d) {
        const bool used = d < p.order;
        jj(c, d) = used ? js[d] : kNaN;
        tt(c, d) = used ? ts[d] : kNaN;
        nn(c, d) = used ? js[d] * L_ + ts[d] : kNaN;
        if (used) k[d] = py::int_(js[d] * L_ + ts[d]);
      }
      key.append(k);
    }
    py::dict d;
    d["order"] = order;
    d["j"] = j;
    d["theta"] = theta;
    d["n"] = n;
    d["key"] = key;
    return d;
  }

  // Fourier-domain filters at the padded size; psi index n = j·L + θ.
  py::dict filters() const {
    const FilterBank2D& b = f64_->filters();
    const auto Mp = py::ssize_t(b.Mp), Np = py::ssize_t(b.Np);
    py::array_t<double> psi({py::ssize_t(b.psi.size()), Mp, Np});
    double* p = psi.mutable_data();
    for (const auto& f : b.psi) p = std::copy(f.fourier.begin(), f.fourier.end(), p);
    py::dict d;
    d["phi"] = to_numpy(b.phi, {Mp, Np});
    d["psi"] = psi;
    return d;
  }

  // Kymatio's phi and psi attributes (docs/scattering-options.md §2): each filter at the levels
  // Kymatio stores, as float32 (the bank's values are float32 already, and a crop is exact):
  // φ at r = 0 … J−1, ψ_j at r = 0 … min(j + 1, max(J − 1, 1)) − 1 (spec §2.7).
  py::dict filter_levels() const {
    const FilterBank2D& b = f64_->filters();
    auto levels = [&](const std::vector<double>& f, int count) {
      py::list out;
      for (int r = 0; r < count; ++r) {
        const std::vector<double> c = crop_2d(f, b.Mp, b.Np, r);
        py::array_t<float> a({py::ssize_t(b.Mp >> r), py::ssize_t(b.Np >> r)});
        std::transform(c.begin(), c.end(), a.mutable_data(), [](double v) { return float(v); });
        out.append(a);
      }
      return out;
    };
    py::list psi;
    for (const auto& f : b.psi) psi.append(levels(f.fourier, std::min(f.j + 1, std::max(b.J - 1, 1))));
    py::dict d;
    d["phi"] = levels(b.phi, b.J);
    d["psi"] = psi;
    return d;
  }

  py::tuple padded_shape() const {
    return py::make_tuple(f64_->filters().Mp, f64_->filters().Np);
  }
  // [top, bottom, left, right] of the reflect padding (§2.2).
  py::list pad_size() const {
    const FilterBank2D& b = f64_->filters();
    py::list l;
    for (std::size_t v : {b.pad_top, b.Mp - b.M - b.pad_top, b.pad_left, b.Np - b.N - b.pad_left})
      l.append(v);
    return l;
  }
  py::tuple input_shape() const { return py::make_tuple(Mi_, Ni_); }

 private:
  std::string form() const {
    return "(..., " + std::to_string(Mi_) + ", " + std::to_string(Ni_) + ")";
  }

  int J_;
  std::size_t M_, N_, Mi_ = 0, Ni_ = 0;
  int L_;
  int max_order_;
  bool pre_pad_;
  ExecOptions exec_;
  std::optional<BasicScattering2D<double>> f64_;
  std::optional<BasicScattering2D<float>> f32_;
  std::mutex f32_mutex_;  // built on first use, without the GIL
};

}  // namespace

void bind_scattering_2d(py::module_& m) {
  py::class_<Core2D>(m, "Scattering2DCore",
                     "C++ 2D scattering transform (both precisions); see wst.Scattering2D")
      .def(py::init<int, std::size_t, std::size_t, int, int, int, const std::string&, bool>(),
           py::arg("J"), py::arg("M"), py::arg("N"), py::arg("L"), py::arg("max_order"),
           py::arg("threads"), py::arg("planning"), py::arg("pre_pad") = false)
      .def("__call__", &Core2D::call, py::arg("x"),
           "x: C-contiguous float32/float64 (..., M, N) (pre_pad: (..., Mp, Np)) → (..., C, M1, N1), "
           "GIL released")
      .def("backward", &Core2D::backward, py::arg("x"), py::arg("grad_output"),
           "∂/∂x Σ grad_output·S(x), shaped like x (same dtype, C-contiguous), GIL released")
      .def("bench_seconds", &Core2D::bench_seconds, py::arg("x"), py::arg("repeats"))
      .def("meta", &Core2D::meta)
      .def("filters", &Core2D::filters)
      .def("filter_levels", &Core2D::filter_levels)
      .def_property_readonly("channels", &Core2D::channels)
      .def_property_readonly("output_rows", &Core2D::output_rows)
      .def_property_readonly("output_cols", &Core2D::output_cols)
      .def_property_readonly("padded_shape", &Core2D::padded_shape)
      .def_property_readonly("pad_size", &Core2D::pad_size)
      .def_property_readonly("input_shape", &Core2D::input_shape);
}

}  // namespace wst::python
