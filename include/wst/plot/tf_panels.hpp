// Panels of time-frequency pictures (Mallat 2016, §2): a signal, its Fourier modulus, a
// spectrogram |Z| and a scalogram |Wx|, with axes in seconds and Hz when the sample rate is known.
#pragma once
#include <complex>
#include <cstddef>
#include <string>
#include <vector>

#include "wst/core/cwt.hpp"
#include "wst/plot/plot.hpp"

namespace wst::plot {

// ψ[n] = fftshift(IDFT_N(ψ̂))[n]: the wavelet centred at n = N/2 on a grid of N samples (for
// its Heisenberg box, wst/core/heisenberg.hpp).
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
LinePanel signal_panel(const std::vector<double>& x, const Units& u, std::string title);
LinePanel fourier_panel(const std::vector<double>& x, const Units& u, double db_range);
// |Z| of a one-sided STFT (bins × frames).
template <class T>
Heatmap spectrogram_panel(const std::complex<T>* Z, std::size_t bins, std::size_t frames,
                          const std::vector<double>& freqs, const std::vector<double>& times,
                          const Units& u, double db_range, std::string title);
// |W| of a CWT (scales × N) with its centre frequencies (any order).
template <class T>
Heatmap scalogram_panel(const std::complex<T>* W, std::size_t scales, std::size_t N,
                        const std::vector<double>& freqs, const Units& u, double db_range,
                        std::string title);

}  // namespace wst::plot
