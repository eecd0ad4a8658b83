#include "tf_common.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "commands.hpp"
#include "wst/support/error.hpp"
#include "wst/core/fourier.hpp"
#include "wst/core/windows.hpp"

namespace wst::cli {

constexpr std::size_t kMaxWindow = std::size_t{1} << 26;

void add_window_options(CLI::App& app, WindowOptions& w) {
  app.add_option("--window", w.window, "Window: hann, gauss or rect")
      ->check(CLI::IsMember({"hann", "gauss", "gaussian", "rect", "boxcar"}))
      ->capture_default_str();
  app.add_option("--length", w.length, "Window length L in samples, 1 to 2^26")
      ->check(at_least(1))
      ->capture_default_str();
  app.add_option("--sigma", w.sigma, "Gaussian window's standard deviation in samples, > 0 (default L/8)")
      ->check(positive_real());
  app.add_flag("--symmetric", w.symmetric,
               "Symmetric Hann window (default: periodic, as scipy's STFT uses)");
  app.add_option("--hop", w.hop, "Hop between frames in samples, 1 to L (default L/4)")
      ->check(at_least(1));
  app.add_option("--nfft", w.nfft, "FFT length per frame, >= L (default L)")->check(at_least(1));
  app.add_option("--boundary", w.boundary,
                 "zeros: pad L/2 zeros at both ends so every sample is covered (scipy's default); "
                 "none: only frames inside the signal")
      ->check(CLI::IsMember({"zeros", "none"}))
      ->capture_default_str();
  app.add_option("--scaling", w.scaling,
                 "spectrum: divide by the window's sum (scipy's default); none: plain windowed DFT")
      ->check(CLI::IsMember({"spectrum", "none"}))
      ->capture_default_str();
}

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

void add_cwt_options(CLI::App& app, CwtOptions& c, bool with_boundary) {
  app.add_option("--wavelet", c.wavelet, "Wavelet: morlet, gabor or mexican_hat")
      ->check(CLI::IsMember({"morlet", "gabor", "mexican_hat", "mexh", "ricker"}))
      ->capture_default_str();
  app.add_option("-Q,--Q", c.Q, "Voices (wavelets) per octave, 1 to 128")->capture_default_str();
  app.add_option("--octaves", c.octaves,
                 "Octaves below --fmax, 1 to 30 (default: as many as fit, lowest period <= N/16, "
                 "at most 16)")
      ->check(at_least(1));
  app.add_option("--fmax", c.fmax,
                 "Highest centre frequency, in Hz when the sample rate is known (WAV input or "
                 "--sample-rate), else in cycles/sample (default 0.45 cycles/sample)")
      ->check(positive_real());
  app.add_option("--fmin", c.fmin,
                 "Lowest centre frequency (same units as --fmax): log-spaced frequencies from "
                 "--fmax down to --fmin, Q per octave or --scales of them")
      ->check(positive_real());
  app.add_option("--scales", c.scales, "With --fmin: the number of log-spaced frequencies, >= 1")
      ->check(at_least(1));
  app.add_option("--frequencies", c.frequencies,
                 "Explicit centre frequencies (same units as --fmax), comma-separated")
      ->delimiter(',')
      ->allow_extra_args(false);  // one comma-separated list: the positionals stay positionals
  if (!with_boundary) return;
  app.add_option("--sigma-ratio", c.sigma_ratio,
                 "Bandwidth over centre frequency of every wavelet (default: the constant-Q "
                 "value for Q, neighbours crossing at 1/sqrt(2) of their peak)")
      ->check(positive_real());
  app.add_option("--boundary", c.boundary,
                 "zeros: zero-pad so the ends do not wrap around; periodic: the signal is one "
                 "period")
      ->check(CLI::IsMember({"zeros", "periodic"}))
      ->capture_default_str();
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

// ψ = fftshift(IDFT(ψ̂)): the wavelet centred on the grid.
std::vector<std::complex<double>> wavelet_on_grid(WaveletKind kind, std::size_t N, double xi,
                                                  double sigma) {
  const std::vector<double> f = wavelet_fourier(kind, N, xi, sigma);
  const auto psi = ifft(Array<std::complex<double>>({N}, {f.begin(), f.end()}));
  std::vector<std::complex<double>> g(N);
  for (std::size_t n = 0; n < N; ++n) g[(n + N / 2) % N] = psi.data[n];  // fftshift
  return g;
}

plot::LinePanel signal_panel(const std::vector<double>& x, const Units& u, std::string title) {
  plot::LinePanel p;
  p.title = std::move(title);
  p.xlabel = u.time_label();
  p.ylabel = "amplitude";
  plot::Line line;
  line.x.resize(x.size());
  for (std::size_t n = 0; n < x.size(); ++n) line.x[n] = u.time(double(n));
  line.y = x;
  p.lines.push_back(std::move(line));
  return p;
}

plot::LinePanel fourier_panel(const std::vector<double>& x, const Units& u, double db_range) {
  const Array<double> power = power_spectrum(Array<double>({x.size()}, x));
  const std::vector<double> f = rfft_frequencies(x.size());
  const double peak = *std::ranges::max_element(power.data);
  plot::LinePanel p;
  p.title = "Fourier transform |x̂(ω)|: which frequencies, but not when";
  p.xlabel = u.freq_label();
  p.ylabel = db_range > 0 ? "|x̂| (dB)" : "|x̂|";
  plot::Line line;
  for (std::size_t k = 0; k < f.size(); ++k) {
    line.x.push_back(u.freq(f[k]));
    if (db_range == 0) {
      line.y.push_back(std::sqrt(power.data[k]));
      continue;
    }
    const double db = peak > 0 ? 10.0 * std::log10(std::max(power.data[k] / peak, 1e-300)) : 0.0;
    line.y.push_back(std::max(db, -db_range));
  }
  p.lines.push_back(std::move(line));
  return p;
}

template <class T>
plot::Heatmap spectrogram_panel(const std::complex<T>* Z, std::size_t bins, std::size_t frames,
                                const std::vector<double>& freqs, const std::vector<double>& times,
                                const Units& u, double db_range, std::string title) {
  plot::Heatmap h;
  h.title = std::move(title);
  h.rows = bins;
  h.cols = frames;
  h.values.resize(bins * frames);
  for (std::size_t i = 0; i < bins * frames; ++i) h.values[i] = std::abs(Z[i]);
  h.x.label = u.time_label();
  for (double t : times) h.x.centres.push_back(u.time(t));
  h.y.label = u.freq_label();
  for (double f : freqs) h.y.centres.push_back(u.freq(f));
  h.colorbar_label = db_range > 0 ? "|Z| (dB)" : "|Z|";
  h.decibels = db_range > 0;
  h.dynamic_range_db = db_range;
  return h;
}

template <class T>
plot::Heatmap scalogram_panel(const std::complex<T>* W, std::size_t scales, std::size_t N,
                              const std::vector<double>& freqs, const Units& u, double db_range,
                              std::string title) {
  // Rows by increasing frequency (row 0 at the bottom).
  std::vector<std::size_t> order(scales);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::ranges::sort(order, [&](std::size_t a, std::size_t b) { return freqs[a] < freqs[b]; });
  plot::Heatmap h;
  h.title = std::move(title);
  h.rows = scales;
  h.cols = N;
  h.values.resize(scales * N);
  for (std::size_t r = 0; r < scales; ++r) {
    const std::complex<T>* row = W + order[r] * N;
    for (std::size_t n = 0; n < N; ++n) h.values[r * N + n] = std::abs(row[n]);
    h.y.centres.push_back(u.freq(freqs[order[r]]));
  }
  h.x.label = u.time_label();
  for (std::size_t n = 0; n < N; ++n) h.x.centres.push_back(u.time(double(n)));
  h.y.label = u.freq_label();
  h.y.log = true;
  h.colorbar_label = db_range > 0 ? "|Wx| (dB)" : "|Wx|";
  h.decibels = db_range > 0;
  h.dynamic_range_db = db_range;
  return h;
}

template plot::Heatmap spectrogram_panel<float>(const std::complex<float>*, std::size_t,
                                                std::size_t, const std::vector<double>&,
                                                const std::vector<double>&, const Units&, double,
                                                std::string);
template plot::Heatmap spectrogram_panel<double>(const std::complex<double>*, std::size_t,
                                                 std::size_t, const std::vector<double>&,
                                                 const std::vector<double>&, const Units&, double,
                                                 std::string);
template plot::Heatmap scalogram_panel<float>(const std::complex<float>*, std::size_t, std::size_t,
                                              const std::vector<double>&, const Units&, double,
                                              std::string);
template plot::Heatmap scalogram_panel<double>(const std::complex<double>*, std::size_t,
                                               std::size_t, const std::vector<double>&,
                                               const Units&, double, std::string);

}  // namespace wst::cli
