// The core parameters of the time-frequency settings (wst/plot/tf_settings.hpp).
#include "wst/plot/tf_settings.hpp"

#include <algorithm>
#include <cmath>

#include "wst/support/error.hpp"
#include "wst/support/format.hpp"

namespace wst::plot {

constexpr std::size_t kMaxWindow = std::size_t{1} << 26;

WindowSpec window_spec(const WindowOptions& w) {
  if (w.length > kMaxWindow)
    throw UsageError("--length " + std::to_string(w.length) +
                     ": the window must be at most 2^26 = 67108864 samples");
  WindowSpec spec;
  spec.kind = parse_window_kind(w.window);
  spec.length = w.length;
  spec.sigma = w.sigma > 0 ? w.sigma : double(w.length) / 8.0;
  if (w.sigma < 0 || !std::isfinite(w.sigma))
    throw UsageError("--sigma " + num(w.sigma) + ": must be > 0 samples");
  spec.periodic = !w.symmetric;
  return spec;
}

StftParams stft_params(const WindowOptions& w) {
  StftParams p;
  p.window = make_window(window_spec(w));
  p.hop = w.hop ? w.hop : std::max<std::size_t>(1, w.length / 4);
  p.nfft = w.nfft;
  p.boundary = w.boundary == "none" ? StftBoundary::none : StftBoundary::zeros;
  p.scaling = w.scaling == "none" ? StftScaling::none : StftScaling::spectrum;
  return p;
}

CwtParams cwt_params(const CwtOptions& c, std::size_t N, double rate) {
  const double fs = rate > 0 ? rate : 1.0;
  const std::string unit = rate > 0 ? " Hz" : " cycles/sample";
  auto in_range = [&](double f, const char* option) {
    if (!(std::isfinite(f) && f > 0 && f <= 0.5 * fs))
      throw UsageError(std::string(option) + " " + num(f) + ": must be in (0, " +
                       num(0.5 * fs) + "]" + unit + " (up to the Nyquist frequency)");
    return f / fs;
  };
  if (c.Q < 1 || c.Q > 128)
    throw UsageError("--Q " + std::to_string(c.Q) + ": voices per octave must be in [1, 128]");
  CwtParams p;
  p.wavelet = parse_wavelet_kind(c.wavelet);
  p.Q = c.Q;
  p.sigma_ratio = c.sigma_ratio;
  if (c.sigma_ratio < 0 || !std::isfinite(c.sigma_ratio))
    throw UsageError("--sigma-ratio " + num(c.sigma_ratio) + ": must be > 0");
  p.boundary = c.boundary == "periodic" ? CwtBoundary::periodic : CwtBoundary::zeros;
  if (!c.frequencies.empty() && (c.fmax != 0 || c.fmin != 0 || c.octaves != 0 || c.scales != 0))
    throw UsageError("--frequencies lists every frequency: it cannot be combined with --fmax, "
                     "--fmin, --octaves or --scales");
  if (c.scales != 0 && c.fmin == 0)
    throw UsageError("--scales sets how many frequencies lie between --fmin and --fmax: give --fmin");
  if (c.fmin != 0 && c.octaves != 0)
    throw UsageError("--octaves and --fmin both set the lowest frequency: give one of them");
  if (!c.frequencies.empty()) {
    for (double f : c.frequencies) p.frequencies.push_back(in_range(f, "--frequencies"));
    return p;
  }
  const double hi = c.fmax > 0 || c.fmax < 0 ? in_range(c.fmax, "--fmax") : 0.45;
  if (c.fmin != 0) {
    const double lo = in_range(c.fmin, "--fmin");
    if (lo > hi)
      throw UsageError("--fmin " + num(c.fmin) + ": must not exceed --fmax " +
                       num(hi * fs));
    const std::size_t count =
        c.scales ? c.scales
                 : std::size_t(std::llround(std::log2(hi / lo) * double(c.Q))) + 1;
    p.frequencies = log_frequencies(lo, hi, count);
    return p;
  }
  int octaves = c.octaves;
  if (octaves == 0)
    octaves = std::clamp(int(std::floor(std::log2(hi * double(N) / 16.0))), 1, 16);
  if (octaves < 1 || octaves > 30)
    throw UsageError("--octaves " + std::to_string(octaves) + ": must be in [1, 30]");
  p.frequencies = octave_frequencies(hi, octaves, c.Q);
  return p;
}

}  // namespace wst::plot
