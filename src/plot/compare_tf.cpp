// The picture of `wst compare-tf` (wst/plot/compare_tf.hpp; Mallat 2016, §2).
#include "wst/plot/compare_tf.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numbers>

#include "wst/core/cwt.hpp"
#include "wst/core/heisenberg.hpp"
#include "wst/core/stft.hpp"
#include "wst/plot/tf_panels.hpp"
#include "wst/support/error.hpp"
#include "wst/support/format.hpp"
#include "wst/support/memory_budget.hpp"

namespace wst::plot {
namespace {

std::string spreads(const HeisenbergBox& b, const Units& u) {
  char buf[128];
  if (u.rate > 0)
    std::snprintf(buf, sizeof buf, "σt = %.3g ms, σf = %.3g Hz", 1e3 * b.sigma_t / u.rate,
                  b.sigma_f() * u.rate);
  else
    std::snprintf(buf, sizeof buf, "σt = %.3g samples, σf = %.3g cycles/sample", b.sigma_t,
                  b.sigma_f());
  return buf;
}

// Names the input in data errors (NaN) that do not already.
template <class F>
auto naming(const std::string& name, F f) {
  try {
    return f();
  } catch (const InputError& e) {
    const std::string what = e.what();
    throw InputError(what.starts_with(name + ": ") ? what : name + ": " + what);
  }
}

// The Heisenberg spreads of the window (centred on a grid of at least 4096 samples).
HeisenbergBox window_box(const std::vector<double>& window) {
  const std::size_t grid = std::max<std::size_t>(4096, 2 * window.size());
  std::vector<double> w(grid, 0.0);
  std::copy(window.begin(), window.end(), w.begin() + std::ptrdiff_t(grid / 2 - window.size() / 2));
  return heisenberg_box(w);
}

// The Heisenberg spreads of the CWT's wavelet k, on a grid holding ±20 time spreads 1/(2πσ_k).
HeisenbergBox wavelet_box(const Cwt& cwt, WaveletKind kind, std::size_t k, std::size_t grid) {
  const std::size_t n = checked_size(40.0 / (2 * std::numbers::pi * cwt.sigmas()[k]), grid,
                                     std::size_t{1} << 26, "the lowest CWT frequency", true);
  return heisenberg_box(wavelet_on_grid(kind, n, cwt.frequencies()[k], cwt.sigmas()[k]));
}

}  // namespace

void check_compare_tf(const CompareTfSettings& s) {
  if (!(s.db_range > 0) || !std::isfinite(s.db_range))
    throw UsageError("--db-range " + num(s.db_range) + ": must be > 0 dB");
  if (s.sample_rate < 0 || !std::isfinite(s.sample_rate))
    throw UsageError("--sample-rate " + num(s.sample_rate) + ": must be > 0 Hz");
  (void)stft_params(s.window);
}

Figure compare_tf_figure(const std::vector<double>& signal, double rate, const std::string& name,
                         const CompareTfSettings& s) {
  check_compare_tf(s);
  const StftParams sp = stft_params(s.window);
  const Units u{rate};
  const Array<double> x({signal.size()}, signal);
  const std::size_t N = signal.size();
  ExecOptions plain = s.exec;  // the progress is the CWT's
  plain.progress = {};
  const Stft stft(N, sp, plain);
  const auto Z = naming(name, [&] { return stft(x); });
  const CwtParams cp = cwt_params(s.cwt, N, u.rate);
  const Cwt cwt(N, cp, s.exec);
  const auto W = naming(name, [&] { return cwt(x); });
  const std::size_t grid = std::max<std::size_t>(4096, 2 * sp.window.size());
  std::size_t hi = 0, lo = 0;
  for (std::size_t k = 0; k < cwt.scales(); ++k) {
    if (cwt.frequencies()[k] > cwt.frequencies()[hi]) hi = k;
    if (cwt.frequencies()[k] < cwt.frequencies()[lo]) lo = k;
  }

  Figure fig;
  fig.title = "From Fourier to wavelets: " + std::filesystem::path(name).filename().string();
  fig.columns = 1;
  fig.panel_height = 330;
  fig.panels.push_back(signal_panel(x.data, u, "Signal x"));
  const double range = s.linear ? 0.0 : s.db_range;
  fig.panels.push_back(fourier_panel(x.data, u, range));
  fig.panels.push_back(spectrogram_panel(
      Z.data.data(), stft.bins(), stft.frames(), stft.frequencies(), stft.times(), u, range,
      "Windowed Fourier |Sx|: one resolution everywhere (" +
          std::string(window_kind_name(parse_window_kind(s.window.window))) +
          " L = " + std::to_string(sp.window.size()) + ", " + spreads(window_box(sp.window), u) +
          ")"));
  fig.panels.push_back(scalogram_panel(
      W.data.data(), cwt.scales(), N, cwt.frequencies(), u, range,
      "Wavelets |Wx|: resolution follows scale (" + std::string(wavelet_kind_name(cp.wavelet)) +
          ", Q = " + std::to_string(s.cwt.Q) + "; from " +
          spreads(wavelet_box(cwt, cp.wavelet, hi, grid), u) + " to " +
          spreads(wavelet_box(cwt, cp.wavelet, lo, grid), u) + ")"));
  return fig;
}

}  // namespace wst::plot
