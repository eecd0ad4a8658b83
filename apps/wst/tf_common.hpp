// Options and pictures shared by the time-frequency commands (stft, istft, cwt, compare-tf):
// the command-line options here; the settings, their core parameters and the panels in plot
// (wst/plot/tf_settings.hpp, wst/plot/tf_panels.hpp).
#pragma once
#include <CLI/CLI.hpp>

#include "wst/plot/tf_panels.hpp"
#include "wst/plot/tf_settings.hpp"

namespace wst::cli {

using plot::CwtOptions;
using plot::WindowOptions;
using plot::cwt_params;
using plot::stft_params;
using plot::window_spec;

using plot::fourier_panel;
using plot::scalogram_panel;
using plot::signal_panel;
using plot::spectrogram_panel;
using plot::Units;
using plot::wavelet_on_grid;

// --window --length --sigma --symmetric --hop --nfft --boundary --scaling
void add_window_options(CLI::App& app, WindowOptions& w);

// --wavelet --Q --octaves --fmax --fmin --scales --frequencies --sigma-ratio --boundary;
// with_boundary false: no --sigma-ratio nor --boundary (compare-tf, where the STFT's --boundary
// is taken).
void add_cwt_options(CLI::App& app, CwtOptions& c, bool with_boundary = true);

}  // namespace wst::cli
