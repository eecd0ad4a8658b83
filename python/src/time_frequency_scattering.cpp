// Binding of BasicTimeFrequencyScattering as wst._wst.TimeFrequencyScatteringCore
// (scattering_common.hpp): the 'time' and 'joint' arrays of docs/jtfs-formulas.md §J6 and the
// meta() rows of §J7, from which python/wst/_jtfs.py builds Kymatio's meta(), 'list' and 'dict'.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "scattering_common.hpp"
#include "wst/core/time_frequency_scattering.hpp"

namespace wst::python {

namespace {

// 'local' | 'global' | 'none' (Kymatio's T or F ≥ 1 or None, 'global', 0).
Averaging1D parse_mode(const std::string& a, const char* name) {
  if (a == "local") return Averaging1D::local;
  if (a == "global") return Averaging1D::global;
  if (a == "none") return Averaging1D::none;
  throw UsageError(std::string(name) + "='" + a +
                   "' is not supported: choose 'local', 'global' or 'none'");
}

JtfsFormat parse_format(const std::string& f) {
  if (f == "time") return JtfsFormat::time;
  if (f == "joint") return JtfsFormat::joint;
  throw UsageError("format must be 'time' or 'joint'. Got: " + f);
}

class CoreJTFS {
 public:
  CoreJTFS(int J, int J_fr, std::size_t N, int Q1, int Q2, int Q_fr, const std::string& averaging,
           double T, std::size_t stride, const std::string& averaging_fr, double F,
           std::size_t stride_fr, const std::string& format, int threads,
           const std::string& planning)
      : J_(J), J_fr_(J_fr), N_(N), exec_(make_exec(threads, planning)) {
    opt_ = {.averaging = parse_mode(averaging, "averaging"), .T = T, .stride = stride,
            .Q = {Q1, Q2}, .averaging_fr = parse_mode(averaging_fr, "averaging_fr"), .F = F,
            .stride_fr = stride_fr, .Q_fr = Q_fr, .format = parse_format(format)};
    py::gil_scoped_release release;  // building the filters takes a while
    f64_.emplace(J_, J_fr_, N_, opt_, exec_);
  }

  const BasicTimeFrequencyScattering<double>& f64() const { return *f64_; }
  const BasicTimeFrequencyScattering<float>& f32() {
    py::gil_scoped_release release;
    const std::lock_guard<std::mutex> lock(f32_mutex_);
    if (!f32_) f32_.emplace(J_, J_fr_, N_, opt_, exec_);
    return *f32_;
  }

  // (C, N_out) for 'time', (P, R, N_out) for 'joint'.
  std::vector<std::size_t> tail() const {
    if (opt_.format == JtfsFormat::time) return {f64_->channels(), f64_->output_length()};
    return {f64_->channels(), f64_->rows(), f64_->output_length()};
  }

  py::array call(const py::array& x) {
    return dispatch(*this, x, [&](const auto& s, auto real) {
      using Real = decltype(real);
      return run<Real>(s, x, {N_}, tail(), form(), exec_.threads);
    });
  }
  double bench_seconds(const py::array& x, int repeats) {
    return dispatch(*this, x, [&](const auto& s, auto real) {
      using Real = decltype(real);
      return bench<Real>(s, x, repeats, {N_}, f64_->output_size(), form());
    });
  }

  // The meta() rows of the core in Kymatio's order (§J7): integer columns int64 (−1 unused),
  // float columns float64 (NaN unused); j, xi, sigma are (rows, 2).
  py::dict meta_rows() const {
    const auto& rows = f64_->meta();
    const auto C = py::ssize_t(rows.size());
    py::dict d;
    auto ints = [&](const char* name, auto get) {
      py::array_t<std::int64_t> a(C);
      for (py::ssize_t c = 0; c < C; ++c) a.mutable_at(c) = get(rows[std::size_t(c)]);
      d[name] = a;
    };
    auto reals = [&](const char* name, auto get) {
      py::array_t<double> a(C);
      for (py::ssize_t c = 0; c < C; ++c) a.mutable_at(c) = get(rows[std::size_t(c)]);
      d[name] = a;
    };
    auto pairs = [&](const char* name, auto get) {
      py::array_t<double> a({C, py::ssize_t(2)});
      for (py::ssize_t c = 0; c < C; ++c)
        for (int k = 0; k < 2; ++k) a.mutable_at(c, k) = get(rows[std::size_t(c)])[k];
      d[name] = a;
    };
    ints("order", [](const PathMetaJTFS& m) { return m.order; });
    ints("n1", [](const PathMetaJTFS& m) { return m.n1; });
    ints("n2", [](const PathMetaJTFS& m) { return m.n2; });
    ints("n_fr", [](const PathMetaJTFS& m) { return m.n_fr; });
    ints("n1_max", [](const PathMetaJTFS& m) { return m.n1_max; });
    ints("n1_stride", [](const PathMetaJTFS& m) { return m.n1_stride; });
    ints("channel", [](const PathMetaJTFS& m) { return std::int64_t(m.channel); });
    pairs("j", [](const PathMetaJTFS& m) { return m.j; });
    pairs("xi", [](const PathMetaJTFS& m) { return m.xi; });
    pairs("sigma", [](const PathMetaJTFS& m) { return m.sigma; });
    reals("j_fr", [](const PathMetaJTFS& m) { return m.j_fr; });
    reals("xi_fr", [](const PathMetaJTFS& m) { return m.xi_fr; });
    reals("sigma_fr", [](const PathMetaJTFS& m) { return m.sigma_fr; });
    reals("spin", [](const PathMetaJTFS& m) { return m.spin; });
    return d;
  }

  const BasicTimeFrequencyScattering<double>& core() const { return *f64_; }

 private:
  std::string form() const { return "(..., " + std::to_string(N_) + ")"; }

  int J_, J_fr_;
  std::size_t N_;
  TimeFrequencyScatteringOptions opt_;
  ExecOptions exec_;
  std::optional<BasicTimeFrequencyScattering<double>> f64_;
  std::optional<BasicTimeFrequencyScattering<float>> f32_;
  std::mutex f32_mutex_;  // built on first use, without the GIL
};

}  // namespace

void bind_time_frequency_scattering(py::module_& m) {
  py::class_<CoreJTFS>(m, "TimeFrequencyScatteringCore",
                       "C++ joint time-frequency scattering (both precisions); see "
                       "wst.TimeFrequencyScattering")
      .def(py::init<int, int, std::size_t, int, int, int, const std::string&, double, std::size_t,
                    const std::string&, double, std::size_t, const std::string&, int,
                    const std::string&>(),
           py::arg("J"), py::arg("J_fr"), py::arg("N"), py::arg("Q1"), py::arg("Q2"),
           py::arg("Q_fr"), py::arg("averaging"), py::arg("T"), py::arg("stride"),
           py::arg("averaging_fr"), py::arg("F"), py::arg("stride_fr"), py::arg("format"),
           py::arg("threads"), py::arg("planning"))
      .def("__call__", &CoreJTFS::call, py::arg("x"),
           "x: C-contiguous float32/float64 (..., N) → (..., C, N_out) ('time') or "
           "(..., P, R, N_out) ('joint'), GIL released")
      .def("bench_seconds", &CoreJTFS::bench_seconds, py::arg("x"), py::arg("repeats"))
      .def("meta_rows", &CoreJTFS::meta_rows)
      .def_property_readonly("channels", [](const CoreJTFS& c) { return c.core().channels(); })
      .def_property_readonly("rows", [](const CoreJTFS& c) { return c.core().rows(); })
      .def_property_readonly("output_length",
                             [](const CoreJTFS& c) { return c.core().output_length(); })
      .def_property_readonly("T", [](const CoreJTFS& c) { return c.core().filters().T; })
      .def_property_readonly("log2_T", [](const CoreJTFS& c) { return c.core().filters().log2_T; })
      .def_property_readonly("stride", [](const CoreJTFS& c) { return c.core().options().stride; })
      .def_property_readonly("F", [](const CoreJTFS& c) { return c.core().frequential_filters().F; })
      .def_property_readonly("log2_F",
                             [](const CoreJTFS& c) { return c.core().frequential_filters().log2_F; })
      .def_property_readonly("stride_fr",
                             [](const CoreJTFS& c) { return c.core().options().stride_fr; })
      .def_property_readonly("N_fr",
                             [](const CoreJTFS& c) { return c.core().frequential_filters().N_fr; })
      .def_property_readonly("padded_length", [](const CoreJTFS& c) { return c.core().filters().N; })
      .def_property_readonly("pad_left", [](const CoreJTFS& c) { return c.core().filters().pad_left; })
      .def_property_readonly("pad_right",
                             [](const CoreJTFS& c) { return c.core().filters().pad_right; });
}

}  // namespace wst::python
