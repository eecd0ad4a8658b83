// `wst compare-tf`: the walk of Mallat (2016, §2) from the Fourier transform (which frequencies,
// not when) through the windowed Fourier transform (one fixed time-frequency resolution, bounded
// by the uncertainty principle) to the wavelet transform (resolution adapted to each scale), on
// one signal, as one picture: the signal, |x̂|, the spectrogram and the scalogram.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <numbers>

#include "commands.hpp"
#include "wst/plot/plot.hpp"
#include "signal_io.hpp"
#include "tf_common.hpp"
#include "wst/core/cwt.hpp"
#include "wst/support/error.hpp"
#include "wst/core/heisenberg.hpp"
#include "wst/support/memory_budget.hpp"
#include "wst/core/stft.hpp"

namespace wst::cli {
namespace {

struct CompareState {
  CompareTfSettings tf;
  std::string out;
};

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

}  // namespace

plot::Figure compare_tf_figure(const CompareTfSettings& s) {
  if (!(s.db_range > 0) || !std::isfinite(s.db_range))
    throw UsageError("--db-range " + num(s.db_range) + ": must be > 0 dB");
  if (s.sample_rate < 0 || !std::isfinite(s.sample_rate))
    throw UsageError("--sample-rate " + num(s.sample_rate) + ": must be > 0 Hz");
  const StftParams sp = stft_params(s.window);
  const InputFile in = read_input_file(s.in);
  const RealArray r = real_input(in, "compare-tf", 1);
  const Units u{effective_rate(s.sample_rate, in)};
  const Array<double> x = std::visit(
      [](const auto& a) {
        Array<double> d(a.shape);
        std::ranges::copy(a.data, d.data.begin());
        return d;
      },
      r);
  if (x.ndim() != 1)
    throw InputError(in.path + ": compare-tf draws one signal of shape (N,); found shape " +
                     shape_string(x.shape));
  const std::size_t N = x.shape[0];
  const Stft stft(N, sp, s.exec);
  const auto Z = naming_input(in.path, [&] { return stft(x); });
  const CwtParams cp = cwt_params(s.cwt, N, u.rate);
  ExecOptions exec = s.exec;
  exec.progress = terminal_progress("wst compare-tf");
  const Cwt cwt(N, cp, exec);
  const auto W = naming_input(in.path, [&] { return cwt(x); });

  // Heisenberg boxes of the window and of the highest- and lowest-frequency wavelets.
  const std::size_t grid = std::max<std::size_t>(4096, 2 * sp.window.size());
  std::vector<double> w(grid, 0.0);
  std::copy(sp.window.begin(), sp.window.end(), w.begin() + std::ptrdiff_t(grid / 2 - sp.window.size() / 2));
  const HeisenbergBox window_box = heisenberg_box(w);
  auto wavelet_box = [&](std::size_t k) {
    // A grid holding ±20 time spreads 1/(2πσ_k) of the wavelet.
    const std::size_t n = checked_size(40.0 / (2 * std::numbers::pi * cwt.sigmas()[k]), grid,
                                       std::size_t{1} << 26, "the lowest CWT frequency", true);
    return heisenberg_box(wavelet_on_grid(cp.wavelet, n, cwt.frequencies()[k], cwt.sigmas()[k]));
  };
  std::size_t hi = 0, lo = 0;
  for (std::size_t k = 0; k < cwt.scales(); ++k) {
    if (cwt.frequencies()[k] > cwt.frequencies()[hi]) hi = k;
    if (cwt.frequencies()[k] < cwt.frequencies()[lo]) lo = k;
  }

  plot::Figure fig;
  fig.title = "From Fourier to wavelets: " + std::filesystem::path(in.path).filename().string();
  fig.columns = 1;
  fig.panel_height = 330;
  fig.panels.push_back(signal_panel(x.data, u, "Signal x"));
  const double range = s.linear ? 0.0 : s.db_range;
  fig.panels.push_back(fourier_panel(x.data, u, range));
  fig.panels.push_back(spectrogram_panel(
      Z.data.data(), stft.bins(), stft.frames(), stft.frequencies(), stft.times(), u, range,
      "Windowed Fourier |Sx|: one resolution everywhere (" + std::string(window_kind_name(parse_window_kind(s.window.window))) +
          " L = " + std::to_string(sp.window.size()) + ", " + spreads(window_box, u) + ")"));
  fig.panels.push_back(scalogram_panel(
      W.data.data(), cwt.scales(), N, cwt.frequencies(), u, range,
      "Wavelets |Wx|: resolution follows scale (" + std::string(wavelet_kind_name(cp.wavelet)) +
          ", Q = " + std::to_string(s.cwt.Q) + "; from " + spreads(wavelet_box(hi), u) + " to " +
          spreads(wavelet_box(lo), u) + ")"));
  return fig;
}

namespace {

void run_compare(const CompareState& s) {
  check_distinct_paths({{"IN", s.tf.in}}, {{"OUT", s.out}});
  check_writable(s.out);
  if (!is_png_path(s.out)) throw UsageError(s.out + ": the picture must be a .png file");
  plot::render_png(compare_tf_figure(s.tf), s.out);
}

}  // namespace

Command add_compare_tf(CLI::App& parent) {
  auto s = std::make_shared<CompareState>();
  CLI::App* app = parent.add_subcommand(
      "compare-tf",
      "One picture: a signal, its Fourier transform, spectrogram and scalogram (Mallat 2016 §2)");
  app->footer(
      "IN: one signal, .npy of shape (N,) or a WAV file. OUT: PNG.\n"
      "Example:\n"
      "  wst signal chirp chirp.wav --samples 32768 --sample-rate 16000 --f0 50 --f1 7000\n"
      "  wst compare-tf chirp.wav compare.png");
  app->add_option("IN", s->tf.in, "Input .npy or .wav")->required();
  app->add_option("OUT", s->out, "Output .png")->required();
  add_window_options(*app, s->tf.window);
  add_cwt_options(*app, s->tf.cwt, false);
  app->add_option("--sample-rate", s->tf.sample_rate, "Sample rate in Hz (default: the WAV file's)")
      ->check(positive_real());
  app->add_option("--db-range", s->tf.db_range, "Dynamic range of the colour scales in dB")
      ->capture_default_str();
  app->add_flag("--linear", s->tf.linear, "Draw linear magnitudes instead of decibels");
  add_exec_options(*app, s->tf.exec, Planning::estimate);
  return {app, [s] { run_compare(*s); }};
}

}  // namespace wst::cli
