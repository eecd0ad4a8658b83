// Binding of BasicScattering1D as wst._wst.Scattering1DCore (scattering_common.hpp): the
// averaging modes, the stride and per-path outputs of docs/scattering-options.md §1, and what the
// Python front end needs for Kymatio's attributes (§1.10).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "scattering_common.hpp"
#include "wst/core/scattering_1d.hpp"

namespace wst::python {

namespace {

// 'local' | 'global' | 'none' (Kymatio's T ≥ 1 or None, 'global', 0).
Averaging1D parse_averaging(const std::string& a) {
  if (a == "local") return Averaging1D::local;
  if (a == "global") return Averaging1D::global;
  if (a == "none") return Averaging1D::none;
  throw UsageError("averaging='" + a + "' is not supported: choose 'local', 'global' or 'none'");
}

// Tapes of the forward pass for autograd (Scattering1DTape). The storage of a released tape is
// kept for the next one, so that each training step does not page in a fresh tape (tens of MiB
// per signal) again; the pool lives as long as the transform or the last tape.
template <class Real>
class TapePool {
 public:
  using Tape = Scattering1DTape<Real>;
  static std::shared_ptr<Tape> take(const std::shared_ptr<TapePool>& pool) {
    std::unique_ptr<Tape> t;
    {
      const std::lock_guard<std::mutex> lock(pool->mutex_);
      t = std::move(pool->spare_);
    }
    if (!t) t = std::make_unique<Tape>();
    std::weak_ptr<TapePool> home = pool;
    return std::shared_ptr<Tape>(t.release(), [home](Tape* p) {
      std::unique_ptr<Tape> owned(p);
      if (auto pool = home.lock()) {
        const std::lock_guard<std::mutex> lock(pool->mutex_);
        if (!pool->spare_) pool->spare_ = std::move(owned);
      }
    });
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<Tape> spare_;
};

class Core1D {
 public:
  Core1D(int J, std::size_t N, int Q1, int Q2, const std::string& averaging, double T,
         std::size_t stride, int max_order, int threads, const std::string& planning,
         bool float32_filters)
      : J_(J), N_(N), exec_(make_exec(threads, planning)) {
    opt_ = {.averaging = parse_averaging(averaging), .T = T, .stride = stride, .Q = {Q1, Q2},
            .max_order = max_order, .float32_filters = float32_filters};
    py::gil_scoped_release release;  // building the filters takes a while
    f64_.emplace(J_, N_, opt_, exec_);
  }

  const BasicScattering1D<double>& f64() const { return *f64_; }
  template <class Real>
  const std::shared_ptr<TapePool<Real>>& pool() const {
    if constexpr (std::is_same_v<Real, float>) return pool32_; else return pool64_;
  }
  const BasicScattering1D<float>& f32() {
    py::gil_scoped_release release;
    const std::lock_guard<std::mutex> lock(f32_mutex_);
    if (!f32_) f32_.emplace(J_, N_, opt_, exec_);
    return *f32_;
  }

  std::size_t channels() const { return f64_->channels(); }
  bool uniform() const { return opt_.averaging != Averaging1D::none; }
  // (..., C, L) when every path has the same length L, else (..., Σ lengths) (channel c at
  // output_offsets[c], output_lengths[c] samples long).
  std::vector<std::size_t> tail() const {
    if (uniform()) return {channels(), f64_->output_length()};
    return {f64_->output_size()};
  }

  py::array call(const py::array& x) {
    return dispatch(*this, x, [&](const auto& s, auto real) {
      using Real = decltype(real);
      return run<Real>(s, x, {N_}, tail(), form(), exec_.threads);
    });
  }
  // (S(x), tape): call(x) that also records the tape of backward_taped (autograd's forward).
  py::tuple forward_taped(const py::array& x) {
    return dispatch(*this, x, [&](const auto& s, auto real) {
      using Real = decltype(real);
      const std::size_t batch = batch_of(x, {N_}, form());
      py::array_t<Real> out(out_shape(x, 1, tail()));
      const Real* xp = static_cast<const Real*>(x.data());
      check_finite_input(xp, batch * N_, "scattering");
      auto tape = TapePool<Real>::take(pool<Real>());
      {
        py::gil_scoped_release release;
        s.forward(xp, batch, out.mutable_data(), *tape);
      }
      return py::make_tuple(out, py::cast(tape));
    });
  }
  // backward(x, g) from forward_taped(x)'s tape (the same bits, without recomputing the forward).
  template <class Real>
  py::array backward_taped(const Scattering1DTape<Real>& tape, const py::array& g) {
    const BasicScattering1D<Real>& s = [&]() -> const BasicScattering1D<Real>& {
      if constexpr (std::is_same_v<Real, float>) return f32(); else return f64();
    }();
    std::vector<py::ssize_t> want{py::ssize_t(tape.batch())};
    for (std::size_t d : tail()) want.push_back(py::ssize_t(d));
    if (g.ndim() < 1 || product(shape_of(g)) != product(std::vector<std::size_t>(want.begin(), want.end())) ||
        g.shape(g.ndim() - 1) != want.back())
      throw InputError("grad_output of shape " + shape_str(shape_of(g)) +
                       " does not fit the tape's output: expected " +
                       shape_str(std::vector<std::size_t>(want.begin(), want.end())));
    if (!is_plain<Real>(g))
      throw py::type_error("grad_output must be a C-contiguous array of the input's dtype");
    const Real* gp = static_cast<const Real*>(g.data());
    check_finite_input(gp, product(shape_of(g)), "grad_output");
    py::array_t<Real> grad(std::vector<py::ssize_t>{py::ssize_t(tape.batch()), py::ssize_t(N_)});
    {
      py::gil_scoped_release release;
      s.backward(tape, gp, grad.mutable_data());
    }
    return grad;
  }

  // ∂/∂x Σ g·S(x) for g shaped like call(x)'s result.
  py::array backward(const py::array& x, const py::array& g) {
    return dispatch(*this, x, [&](const auto& s, auto real) {
      using Real = decltype(real);
      return run_backward<Real>(s, x, g, {N_}, tail(), form(), exec_.threads);
    });
  }
  double bench_seconds(const py::array& x, int repeats) {
    return dispatch(*this, x, [&](const auto& s, auto real) {
      using Real = decltype(real);
      return bench<Real>(s, x, repeats, {N_}, f64_->output_size(), form());
    });
  }

  std::vector<std::size_t> output_lengths() const {
    std::vector<std::size_t> v;
    for (std::size_t c = 0; c < channels(); ++c) v.push_back(f64_->output_length(c));
    return v;
  }
  std::vector<std::size_t> output_offsets() const {
    std::vector<std::size_t> v;
    for (std::size_t c = 0; c < channels(); ++c) v.push_back(f64_->output_offset(c));
    return v;
  }

  // Kymatio's meta(): order (C,) int64; n, j, xi, sigma (C, max_order) float64, NaN where unused;
  // key: the n tuple of each channel.
  py::dict meta() const {
    const auto& paths = f64_->meta();
    const auto C = py::ssize_t(paths.size()), K = py::ssize_t(opt_.max_order);
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

  // Kymatio's phi_f, psi1_f, psi2_f (docs/scattering-options.md §1.10): dicts whose 'levels' are the
  // levels Kymatio stores (formulas §1.7): ψ1 level 0; ψ2 with index j2 levels
  // 0 … max(1, min(j1max, j2, 1 + log2_T)) − 1; φ levels 0 … max(jmax, 1 + log2_T) − 1.
  py::dict phi_f() const {
    const FilterBank1D& b = f64_->filters();
    int jmax = 0;
    for (const auto* bank : {&b.psi1, &b.psi2})
      for (const auto& f : *bank) jmax = std::max(jmax, f.j);
    py::dict d;
    d["levels"] = levels(b.phi, std::max(jmax, 1 + b.log2_T));
    d["xi"] = 0.0;
    d["sigma"] = b.phi_sigma;
    d["j"] = b.log2_T;
    d["N"] = b.N;
    return d;
  }
  py::list psi1_f() const {
    py::list l;
    for (const auto& f : f64_->filters().psi1) l.append(wavelet(f, 1));
    return l;
  }
  py::list psi2_f() const {
    const FilterBank1D& b = f64_->filters();
    int j1max = 0;
    for (const auto& f : b.psi1) j1max = std::max(j1max, f.j);
    py::list l;
    for (const auto& f : b.psi2)
      l.append(wavelet(f, std::max(1, std::min({j1max, f.j, 1 + b.log2_T}))));
    return l;
  }

  const FilterBank1D& bank() const { return f64_->filters(); }
  // (ξ, σ, j) of each wavelet of a bank, in index order.
  static py::list wavelet_params(const std::vector<Filter1D>& bank) {
    py::list l;
    for (const auto& f : bank) l.append(py::make_tuple(f.xi, f.sigma, f.j));
    return l;
  }
  // Kymatio's ind_start / ind_end: {r: i0(r)} and {r: i1(r)}, r = 0 … max(log2_T, J)
  // (formulas §1.11).
  py::dict ind_start() const { return by_level(f64_->unpad_begin()); }
  py::dict ind_end() const { return by_level(f64_->unpad_end()); }

 private:
  std::string form() const { return "(..., " + std::to_string(N_) + ")"; }

  // Levels 0 … count − 1 of a full-length filter (the sums of its aliases, formulas §1.7).
  static py::list levels(const std::vector<double>& f, int count) {
    py::list out;
    for (int r = 0; r < count; ++r) {
      const std::vector<double> p = periodize_1d(f, r);
      out.append(to_numpy(p, {py::ssize_t(p.size())}));
    }
    return out;
  }
  static py::dict wavelet(const Filter1D& f, int count) {
    py::dict d;
    d["levels"] = levels(f.fourier, count);
    d["xi"] = f.xi;
    d["sigma"] = f.sigma;
    d["j"] = f.j;
    return d;
  }
  static py::dict by_level(const std::vector<std::size_t>& v) {
    py::dict d;
    for (std::size_t r = 0; r < v.size(); ++r) d[py::int_(r)] = v[r];
    return d;
  }

  int J_;
  std::size_t N_;
  Scattering1DOptions opt_;
  ExecOptions exec_;
  std::optional<BasicScattering1D<double>> f64_;
  std::optional<BasicScattering1D<float>> f32_;
  std::shared_ptr<TapePool<float>> pool32_ = std::make_shared<TapePool<float>>();
  std::shared_ptr<TapePool<double>> pool64_ = std::make_shared<TapePool<double>>();
  std::mutex f32_mutex_;  // built on first use, without the GIL
};

}  // namespace

template <class Real>
void bind_tape(py::module_& m, const char* name) {
  py::class_<Scattering1DTape<Real>, std::shared_ptr<Scattering1DTape<Real>>>(
      m, name, "What the 1D reverse pass needs of one forward pass (opaque)")
      .def_property_readonly("batch", &Scattering1DTape<Real>::batch)
      .def_property_readonly("nbytes", &Scattering1DTape<Real>::bytes);
}

void bind_scattering_1d(py::module_& m) {
  bind_tape<float>(m, "Scattering1DTapeF32");
  bind_tape<double>(m, "Scattering1DTapeF64");
  py::class_<Core1D>(m, "Scattering1DCore",
                     "C++ 1D scattering transform (both precisions); see wst.Scattering1D")
      .def(py::init<int, std::size_t, int, int, const std::string&, double, std::size_t, int, int,
                    const std::string&, bool>(),
           py::arg("J"), py::arg("N"), py::arg("Q1"), py::arg("Q2"), py::arg("averaging"),
           py::arg("T"), py::arg("stride"), py::arg("max_order"), py::arg("threads"),
           py::arg("planning"), py::arg("float32_filters") = false)
      .def("__call__", &Core1D::call, py::arg("x"),
           "x: C-contiguous float32/float64 (..., N) → (..., C, N_out) ('local', 'global') or "
           "(..., Σ lengths) ('none'), GIL released")
      .def("backward", &Core1D::backward, py::arg("x"), py::arg("grad_output"),
           "∂/∂x Σ grad_output·S(x), shaped like x (same dtype, C-contiguous), GIL released")
      .def("forward_taped", &Core1D::forward_taped, py::arg("x"),
           "(S(x), tape): __call__ that also records what backward_taped needs (autograd)")
      .def("backward_taped", &Core1D::backward_taped<float>, py::arg("tape"),
           py::arg("grad_output"))
      .def("backward_taped", &Core1D::backward_taped<double>, py::arg("tape"),
           py::arg("grad_output"),
           "backward(x, grad_output) from forward_taped(x)'s tape, shaped (batch, N)")
      .def("bench_seconds", &Core1D::bench_seconds, py::arg("x"), py::arg("repeats"))
      .def("meta", &Core1D::meta)
      .def("filters", &Core1D::filters)
      .def("phi_f", &Core1D::phi_f)
      .def("psi1_f", &Core1D::psi1_f)
      .def("psi2_f", &Core1D::psi2_f)
      .def_property_readonly("channels", &Core1D::channels)
      .def_property_readonly("uniform", &Core1D::uniform)
      .def_property_readonly("output_lengths", &Core1D::output_lengths)
      .def_property_readonly("output_offsets", &Core1D::output_offsets)
      .def_property_readonly("T", [](const Core1D& c) { return c.bank().T; })
      .def_property_readonly("log2_T", [](const Core1D& c) { return c.bank().log2_T; })
      .def_property_readonly("padded_length", &Core1D::padded_length)
      .def_property_readonly("pad_left", [](const Core1D& c) { return c.bank().pad_left; })
      .def_property_readonly("pad_right", [](const Core1D& c) { return c.bank().pad_right; })
      .def_property_readonly("psi1_params",
                             [](const Core1D& c) { return Core1D::wavelet_params(c.bank().psi1); })
      .def_property_readonly("psi2_params",
                             [](const Core1D& c) { return Core1D::wavelet_params(c.bank().psi2); })
      .def_property_readonly("ind_start", &Core1D::ind_start)
      .def_property_readonly("ind_end", &Core1D::ind_end);
}

}  // namespace wst::python
