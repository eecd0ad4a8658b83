// Bindings of BasicScattering1D / BasicScattering2D. One core object per Python transform: the
// float64 transform is built at construction (it validates the parameters and provides meta() and
// filters()), the float32 one on first float32 input. Transforms run zero-copy: the input array's
// buffer goes to the raw-pointer operator() and the output is written into a fresh NumPy array,
// with the GIL released (also while building filters).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"

namespace wst::python {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::size_t product(const std::vector<std::size_t>& v) {
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
  run_blocks(batch, std::size_t(threads), [&](std::size_t first, std::size_t count) {
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

// ---- 1D -----------------------------------------------------------------------------------------

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

// ---- 2D -----------------------------------------------------------------------------------------

class Core2D {
 public:
  Core2D(int J, std::size_t M, std::size_t N, int L, int max_order, int threads,
         const std::string& planning)
      : J_(J), M_(M), N_(N), L_(L), max_order_(max_order), exec_(make_exec(threads, planning)) {
    py::gil_scoped_release release;  // building the filters takes a while
    f64_.emplace(J_, M_, N_, L_, max_order_, exec_);
  }

  const BasicScattering2D<double>& f64() const { return *f64_; }
  const BasicScattering2D<float>& f32() {
    py::gil_scoped_release release;
    const std::lock_guard<std::mutex> lock(f32_mutex_);
    if (!f32_) f32_.emplace(J_, M_, N_, L_, max_order_, exec_);
    return *f32_;
  }

  std::size_t channels() const { return f64_->channels(); }
  std::size_t output_rows() const { return f64_->output_rows(); }
  std::size_t output_cols() const { return f64_->output_cols(); }

  py::array call(const py::array& x) {
    return dispatch(*this, x, [&](const auto& s, auto real) {
      using Real = decltype(real);
      return run<Real>(s, x, {M_, N_}, {channels(), output_rows(), output_cols()}, form(),
                       exec_.threads);
    });
  }
  double bench_seconds(const py::array& x, int repeats) {
    return dispatch(*this, x, [&](const auto& s, auto real) {
      using Real = decltype(real);
      return bench<Real>(s, x, repeats, {M_, N_}, channels() * output_rows() * output_cols(),
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

  py::tuple padded_shape() const {
    return py::make_tuple(f64_->filters().Mp, f64_->filters().Np);
  }

 private:
  std::string form() const {
    return "(..., " + std::to_string(M_) + ", " + std::to_string(N_) + ")";
  }

  int J_;
  std::size_t M_, N_;
  int L_;
  int max_order_;
  ExecOptions exec_;
  std::optional<BasicScattering2D<double>> f64_;
  std::optional<BasicScattering2D<float>> f32_;
  std::mutex f32_mutex_;  // built on first use, without the GIL
};

}  // namespace

void bind_scattering(py::module_& m) {
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

  py::class_<Core2D>(m, "Scattering2DCore",
                     "C++ 2D scattering transform (both precisions); see wst.Scattering2D")
      .def(py::init<int, std::size_t, std::size_t, int, int, int, const std::string&>(),
           py::arg("J"), py::arg("M"), py::arg("N"), py::arg("L"), py::arg("max_order"),
           py::arg("threads"), py::arg("planning"))
      .def("__call__", &Core2D::call, py::arg("x"),
           "x: C-contiguous float32/float64 (..., M, N) → (..., C, M1, N1), GIL released")
      .def("bench_seconds", &Core2D::bench_seconds, py::arg("x"), py::arg("repeats"))
      .def("meta", &Core2D::meta)
      .def("filters", &Core2D::filters)
      .def_property_readonly("channels", &Core2D::channels)
      .def_property_readonly("output_rows", &Core2D::output_rows)
      .def_property_readonly("output_cols", &Core2D::output_cols)
      .def_property_readonly("padded_shape", &Core2D::padded_shape);
}

}  // namespace wst::python
