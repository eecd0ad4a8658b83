// Options and pictures shared by the time-frequency commands (stft, istft, cwt, compare-tf).
#pragma once
#include <CLI/CLI.hpp>
#include <complex>
#include <cstddef>
#include <string>
#include <vector>

#include "wst/plot/plot.hpp"
#include "wst/core/cwt.hpp"
#include "wst/core/stft.hpp"

namespace wst::cli {

// --window --length --sigma --symmetric --hop --nfft --boundary --scaling
struct WindowOptions {
  std::string window = "hann";
  std::size_t length = 256;
  double sigma = 0;        // gauss: 0 means length/8
  bool symmetric = false;  // hann
  std::size_t hop = 0;     // 0 means length/4
  std::size_t nfft = 0;    // 0 means length
  std::string boundary = "zeros";
  std::string scaling = "spectrum";
};
void add_window_options(CLI::App& app, WindowOptions& w);
WindowSpec window_spec(const WindowOptions& w);
StftParams stft_params(const WindowOptions& w);

// --wavelet --Q --octaves --fmax --fmin --scales --frequencies --sigma-ratio --boundary
struct CwtOptions {
  std::string wavelet = "morlet";
  int Q = 8;
  int octaves = 0;          // 0: as many as fit (lowest period ≤ N/16), at most 16
  double fmax = 0, fmin = 0;  // in Hz with a sample rate, else cycles/sample; fmax 0 means 0.45·fs
  std::size_t scales = 0;   // with --fmin: number of log-spaced frequencies (0: Q per octave)
  std::vector<double> frequencies;
  double sigma_ratio = 0;
  std::string boundary = "zeros";
};
// with_boundary false: no --boundary (compare-tf, where the STFT's --boundary is taken).
void add_cwt_options(CLI::App& app, CwtOptions& c, bool with_boundary = true);
// The CWT parameters for signals of N samples at `rate` Hz (0: unknown, frequencies in
// cycles/sample). Throws UsageError naming the option for out-of-range values.
CwtParams cwt_params(const CwtOptions& c, std::size_t N, double rate);

// ψ[n] = fftshift(IDFT_N(ψ̂))[n]: the wavelet centred at n = N/2 on a grid of N samples.
std::vector<std::complex<double>> wavelet_on_grid(WaveletKind kind, std::size_t N, double xi,
                                                  double sigma);

// Axis helpers: sample index → seconds (or samples), cycles/sample → Hz (or cycles/sample).
struct Units {
  double rate = 0;
  double time(double samples) const { return rate > 0 ? samples / rate : samples; }
  double freq(double cycles) const { return rate > 0 ? cycles * rate : cycles; }
  std::string time_label() const { return rate > 0 ? "time (s)" : "time (samples)"; }
  std::string freq_label() const { return rate > 0 ? "frequency (Hz)" : "frequency (cycles/sample)"; }
};

// Pictures of the first signal of a batch. Magnitudes in dB over `db_range` below the peak, or
// linear when db_range is 0.
plot::LinePanel signal_panel(const std::vector<double>& x, const Units& u, std::string title);
plot::LinePanel fourier_panel(const std::vector<double>& x, const Units& u, double db_range);
// |Z| of a one-sided STFT (bins × frames).
template <class T>
plot::Heatmap spectrogram_panel(const std::complex<T>* Z, std::size_t bins, std::size_t frames,
                                const std::vector<double>& freqs, const std::vector<double>& times,
                                const Units& u, double db_range, std::string title);
// |W| of a CWT (scales × N) with its centre frequencies (any order).
template <class T>
plot::Heatmap scalogram_panel(const std::complex<T>* W, std::size_t scales, std::size_t N,
                              const std::vector<double>& freqs, const Units& u, double db_range,
                              std::string title);

}  // namespace wst::cli
