// The picture of `wst compare-tf` and of the report's §1: the walk of Mallat (2016, §2) from the
// Fourier transform (which frequencies, not when) through the windowed Fourier transform (one
// resolution, bounded by the uncertainty principle) to wavelets (resolution adapted to scale).
#pragma once
#include <string>
#include <vector>

#include "wst/core/options.hpp"
#include "wst/plot/plot.hpp"
#include "wst/plot/tf_settings.hpp"

namespace wst::plot {

struct CompareTfSettings {
  double sample_rate = 0;  // Hz given on the command line; 0: the file's (or none)
  double db_range = 80;
  bool linear = false;
  WindowOptions window;
  CwtOptions cwt;
  ExecOptions exec;  // exec.progress, if set, reports the CWT's progress
};

// Throws UsageError naming --db-range, --sample-rate or a window option: the checks made before
// the signal is read.
void check_compare_tf(const CompareTfSettings& s);

// Four panels: the signal x (sampled at `rate` Hz, 0: unknown), |x̂|, the spectrogram and the
// scalogram, with the Heisenberg spreads of the window and of the extreme wavelets in the
// titles. `name` (the file) titles the figure and prefixes data errors (InputError: NaN).
Figure compare_tf_figure(const std::vector<double>& x, double rate, const std::string& name,
                         const CompareTfSettings& s);

}  // namespace wst::plot
