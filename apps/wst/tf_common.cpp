// The command-line options of the time-frequency commands (tf_common.hpp).
#include "tf_common.hpp"

#include "commands.hpp"

namespace wst::cli {

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

}  // namespace wst::cli
