// Bindings of the time-frequency tools: STFT and its inverse (BasicStft), the continuous wavelet
// transform (BasicCwt), frequency grids and Heisenberg boxes. scipy-style argument handling (window
// names, nperseg/noverlap, boundary) lives in python/wst/_time_frequency.py; these functions take
// the library's own parameters. Real-input transforms run zero-copy on the raw-pointer operator()
// into a fresh NumPy array, with the GIL released, in blocks (Ctrl-C is honoured between them).
#include <pybind11/complex.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <complex>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "wst/core/cwt.hpp"
#include "wst/core/heisenberg.hpp"
#include "wst/core/stft.hpp"

namespace wst::python {

namespace {

StftScaling parse_scaling(const std::string& s) {
  if (s == "spectrum") return StftScaling::spectrum;
  if (s == "none") return StftScaling::none;
  throw UsageError("scaling='" + s + "' is not supported: choose 'spectrum' or 'none'");
}

StftBoundary parse_stft_boundary(const std::string& s) {
  if (s == "zeros") return StftBoundary::zeros;
  if (s == "none") return StftBoundary::none;
  throw UsageError("boundary='" + s + "' is not supported: choose 'zeros' or 'none'");
}

CwtBoundary parse_cwt_boundary(const std::string& s) {
  if (s == "zeros") return CwtBoundary::zeros;
  if (s == "periodic") return CwtBoundary::periodic;
  throw UsageError("boundary='" + s + "' is not supported: choose 'zeros' or 'periodic'");
}

StftParams stft_params(std::vector<double> window, std::size_t hop, std::size_t nfft,
                       const std::string& scaling, const std::string& boundary) {
  StftParams p;
  p.window = std::move(window);
  p.hop = hop;
  p.nfft = nfft;
  p.scaling = parse_scaling(scaling);
  p.boundary = parse_stft_boundary(boundary);
  return p;
}

// x (..., N): real float32/float64 → one-sided (..., F/2 + 1, frames); complex64/complex128 →
// two-sided (..., F, frames). Returns (Z, frames).
template <class T>
py::tuple stft_typed(const py::array& x, StftParams params, const ExecOptions& exec,
                     bool complex_input) {
  const std::size_t N = x.ndim() ? std::size_t(x.shape(x.ndim() - 1)) : 0;
  const auto made =
      built_released([&] { return std::make_unique<BasicStft<T>>(N, std::move(params), exec); });
  const BasicStft<T>& stft = *made;
  const std::size_t batch = batch_of(x, {N}, "(..., N)");
  const std::size_t bins = stft.bins(!complex_input), out_size = bins * stft.frames();
  py::array_t<std::complex<T>> out(out_shape(x, 1, {bins, stft.frames()}));
  std::complex<T>* op = out.mutable_data();
  if (complex_input) {  // blocks of signals through the Array call (there is no pointer call)
    const auto* xp = static_cast<const std::complex<T>*>(x.data());
    check_finite_input(xp, batch * N, "the STFT");
    run_blocks(batch, exec.threads, [&](std::size_t first, std::size_t count) {
      const Array<std::complex<T>> Z =
          stft(Array<std::complex<T>>({count, N}, std::vector<std::complex<T>>(
                                                     xp + first * N, xp + (first + count) * N)));
      std::copy(Z.data.begin(), Z.data.end(), op + first * out_size);
    });
    return py::make_tuple(out, stft.frames());
  }
  const T* xp = static_cast<const T*>(x.data());
  check_finite_input(xp, batch * N, "the STFT");
  run_blocks(batch, exec.threads, [&](std::size_t first, std::size_t count) {
    stft(xp + first * N, count, op + first * out_size);
  });
  return py::make_tuple(out, stft.frames());
}

py::tuple stft(const py::array& x, std::vector<double> window, std::size_t hop, std::size_t nfft,
               const std::string& scaling, const std::string& boundary, int threads) {
  const ExecOptions exec = make_exec(threads, "estimate");
  StftParams p = stft_params(std::move(window), hop, nfft, scaling, boundary);
  if (is_plain<double>(x)) return stft_typed<double>(x, std::move(p), exec, false);
  if (is_plain<float>(x)) return stft_typed<float>(x, std::move(p), exec, false);
  if (is_plain<std::complex<double>>(x)) return stft_typed<double>(x, std::move(p), exec, true);
  if (is_plain<std::complex<float>>(x)) return stft_typed<float>(x, std::move(p), exec, true);
  throw py::type_error("stft: expected a C-contiguous float32, float64, complex64 or complex128 "
                       "array, got dtype " + std::string(py::str(x.dtype())));
}

// Z (..., bins, frames) → x (..., N): one-sided → real, two-sided → complex.
template <class T>
py::array istft_typed(const py::array& Z, StftParams params, std::size_t N, bool onesided,
                      const ExecOptions& exec) {
  const auto made =
      built_released([&] { return std::make_unique<BasicStft<T>>(N, std::move(params), exec); });
  const BasicStft<T>& stft = *made;
  if (Z.ndim() < 2)
    throw InputError("istft: Z of shape " + shape_str(shape_of(Z)) +
                     " does not fit: expected (..., bins, frames)");
  const std::size_t bins = stft.bins(onesided), frames = stft.frames();
  const std::string form = "(..., " + std::to_string(bins) + ", " + std::to_string(frames) + ")";
  const std::size_t batch = batch_of(Z, {bins, frames}, form);
  const auto* zp = static_cast<const std::complex<T>*>(Z.data());
  check_finite_input(zp, batch * bins * frames, "the inverse STFT");
  if (!onesided) {  // blocks of spectrograms through the Array call (there is no pointer call)
    py::array_t<std::complex<T>> out(out_shape(Z, 2, {N}));
    std::complex<T>* op = out.mutable_data();
    run_blocks(batch, exec.threads, [&](std::size_t first, std::size_t count) {
      const std::size_t size = bins * frames;
      const Array<std::complex<T>> x = stft.inverse_complex(Array<std::complex<T>>(
          {count, bins, frames},
          std::vector<std::complex<T>>(zp + first * size, zp + (first + count) * size)));
      std::copy(x.data.begin(), x.data.end(), op + first * N);
    });
    return out;
  }
  py::array_t<T> out(out_shape(Z, 2, {N}));
  T* op = out.mutable_data();
  run_blocks(batch, exec.threads, [&](std::size_t first, std::size_t count) {
    stft.inverse(zp + first * bins * frames, count, op + first * N);
  });
  return out;
}

py::array istft(const py::array& Z, std::vector<double> window, std::size_t hop, std::size_t nfft,
                const std::string& scaling, const std::string& boundary, std::size_t N,
                bool onesided, int threads) {
  const ExecOptions exec = make_exec(threads, "estimate");
  StftParams p = stft_params(std::move(window), hop, nfft, scaling, boundary);
  if (is_plain<std::complex<double>>(Z)) return istft_typed<double>(Z, std::move(p), N, onesided, exec);
  if (is_plain<std::complex<float>>(Z)) return istft_typed<float>(Z, std::move(p), N, onesided, exec);
  throw py::type_error("istft: expected a C-contiguous complex64 or complex128 array, got dtype " +
                       std::string(py::str(Z.dtype())));
}

// x (..., N) real → W (..., K, N) complex.
template <class T>
py::array cwt_typed(const py::array& x, CwtParams params, const ExecOptions& exec) {
  if (x.ndim() < 1) throw InputError("cwt: x must have at least one axis");
  const std::size_t N = std::size_t(x.shape(x.ndim() - 1));
  const auto made =
      built_released([&] { return std::make_unique<BasicCwt<T>>(N, std::move(params), exec); });
  const BasicCwt<T>& cwt = *made;
  const std::size_t batch = batch_of(x, {N}, "(..., N)");
  py::array_t<std::complex<T>> out(out_shape(x, 1, {cwt.scales(), N}));
  const T* xp = static_cast<const T*>(x.data());
  check_finite_input(xp, batch * N, "the CWT");
  std::complex<T>* op = out.mutable_data();
  run_blocks(batch, exec.threads, [&](std::size_t first, std::size_t count) {
    cwt(xp + first * N, count, op + first * cwt.scales() * N);
  });
  return out;
}

py::array cwt(const py::array& x, std::vector<double> frequencies, const std::string& wavelet,
              double sigma_ratio, double Q, const std::string& boundary, int threads) {
  CwtParams p;
  p.wavelet = parse_wavelet_kind(wavelet);
  p.frequencies = std::move(frequencies);
  p.sigma_ratio = sigma_ratio;
  p.Q = Q;
  p.boundary = parse_cwt_boundary(boundary);
  const ExecOptions exec = make_exec(threads, "estimate");
  if (is_plain<double>(x)) return cwt_typed<double>(x, std::move(p), exec);
  if (is_plain<float>(x)) return cwt_typed<float>(x, std::move(p), exec);
  throw py::type_error("cwt: expected a C-contiguous float32 or float64 array, got dtype " +
                       std::string(py::str(x.dtype())));
}

py::dict box_dict(const HeisenbergBox& b) {
  py::dict d;
  d["mu_t"] = b.mu_t;
  d["sigma_t"] = b.sigma_t;
  d["mu_omega"] = b.mu_omega;
  d["sigma_omega"] = b.sigma_omega;
  d["product"] = b.product();
  d["sigma_f"] = b.sigma_f();
  return d;
}

}  // namespace

void bind_time_frequency(py::module_& m) {
  m.def("stft", &stft, py::arg("x"), py::arg("window"), py::arg("hop"), py::arg("nfft"),
        py::arg("scaling"), py::arg("boundary"), py::arg("threads"),
        "C++ STFT of x (..., N): returns (Z, frames); see wst.stft");
  m.def("istft", &istft, py::arg("Z"), py::arg("window"), py::arg("hop"), py::arg("nfft"),
        py::arg("scaling"), py::arg("boundary"), py::arg("N"), py::arg("onesided"),
        py::arg("threads"), "C++ inverse STFT to N samples; see wst.istft");
  m.def("cwt", &cwt, py::arg("x"), py::arg("frequencies"), py::arg("wavelet"),
        py::arg("sigma_ratio"), py::arg("Q"), py::arg("boundary"), py::arg("threads"),
        "C++ continuous wavelet transform; see wst.cwt");
  m.def("octave_frequencies",
        [](double xi_max, int octaves, int Q) {
          const auto f = octave_frequencies(xi_max, octaves, Q);
          return to_numpy(f, {py::ssize_t(f.size())});
        },
        py::arg("xi_max"), py::arg("octaves"), py::arg("Q"));
  m.def("log_frequencies",
        [](double f_lo, double f_hi, std::size_t count) {
          const auto f = log_frequencies(f_lo, f_hi, count);
          return to_numpy(f, {py::ssize_t(f.size())});
        },
        py::arg("f_lo"), py::arg("f_hi"), py::arg("count"));
  m.def("heisenberg_real",
        [](const std::vector<double>& g) { return box_dict(heisenberg_box(g)); }, py::arg("g"));
  m.def("heisenberg_complex",
        [](const std::vector<std::complex<double>>& g) { return box_dict(heisenberg_box(g)); },
        py::arg("g"));
}

}  // namespace wst::python
