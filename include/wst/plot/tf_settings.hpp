// The settings of the time-frequency pictures (stft, cwt, compare-tf, the report's §1): a window
// and STFT hop (scipy.signal.stft's parameters) and a CWT's wavelet and frequencies, as given on
// the command line, and the core parameters they make.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "wst/core/cwt.hpp"
#include "wst/core/stft.hpp"
#include "wst/core/windows.hpp"

namespace wst::plot {

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
// Throw UsageError naming the option (--length, --sigma) for out-of-range values.
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
// The CWT parameters for signals of N samples at `rate` Hz (0: unknown, frequencies in
// cycles/sample). Throws UsageError naming the option for out-of-range values.
CwtParams cwt_params(const CwtOptions& c, std::size_t N, double rate);

}  // namespace wst::plot
