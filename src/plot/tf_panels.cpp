// Time-frequency panels (wst/plot/tf_panels.hpp).
#include "wst/plot/tf_panels.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "wst/core/fourier.hpp"

namespace wst::plot {

// ψ = fftshift(IDFT(ψ̂)): the wavelet centred on the grid.
std::vector<std::complex<double>> wavelet_on_grid(WaveletKind kind, std::size_t N, double xi,
                                                  double sigma) {
  const std::vector<double> f = wavelet_fourier(kind, N, xi, sigma);
  const auto psi = ifft(Array<std::complex<double>>({N}, {f.begin(), f.end()}));
  std::vector<std::complex<double>> g(N);
  for (std::size_t n = 0; n < N; ++n) g[(n + N / 2) % N] = psi.data[n];  // fftshift
  return g;
}

LinePanel signal_panel(const std::vector<double>& x, const Units& u, std::string title) {
  LinePanel p;
  p.title = std::move(title);
  p.xlabel = u.time_label();
  p.ylabel = "amplitude";
  Line line;
  line.x.resize(x.size());
  for (std::size_t n = 0; n < x.size(); ++n) line.x[n] = u.time(double(n));
  line.y = x;
  p.lines.push_back(std::move(line));
  return p;
}

LinePanel fourier_panel(const std::vector<double>& x, const Units& u, double db_range) {
  const Array<double> power = power_spectrum(Array<double>({x.size()}, x));
  const std::vector<double> f = rfft_frequencies(x.size());
  const double peak = *std::ranges::max_element(power.data);
  LinePanel p;
  p.title = "Fourier transform |x̂(ω)|: which frequencies, but not when";
  p.xlabel = u.freq_label();
  p.ylabel = db_range > 0 ? "|x̂| (dB)" : "|x̂|";
  Line line;
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
Heatmap spectrogram_panel(const std::complex<T>* Z, std::size_t bins, std::size_t frames,
                                const std::vector<double>& freqs, const std::vector<double>& times,
                                const Units& u, double db_range, std::string title) {
  Heatmap h;
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
Heatmap scalogram_panel(const std::complex<T>* W, std::size_t scales, std::size_t N,
                              const std::vector<double>& freqs, const Units& u, double db_range,
                              std::string title) {
  // Rows by increasing frequency (row 0 at the bottom).
  std::vector<std::size_t> order(scales);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::ranges::sort(order, [&](std::size_t a, std::size_t b) { return freqs[a] < freqs[b]; });
  Heatmap h;
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

template Heatmap spectrogram_panel<float>(const std::complex<float>*, std::size_t,
                                                std::size_t, const std::vector<double>&,
                                                const std::vector<double>&, const Units&, double,
                                                std::string);
template Heatmap spectrogram_panel<double>(const std::complex<double>*, std::size_t,
                                                 std::size_t, const std::vector<double>&,
                                                 const std::vector<double>&, const Units&, double,
                                                 std::string);
template Heatmap scalogram_panel<float>(const std::complex<float>*, std::size_t, std::size_t,
                                              const std::vector<double>&, const Units&, double,
                                              std::string);
template Heatmap scalogram_panel<double>(const std::complex<double>*, std::size_t,
                                               std::size_t, const std::vector<double>&,
                                               const Units&, double, std::string);

}  // namespace wst::plot
