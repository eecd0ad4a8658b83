// `wst compare-tf`: the walk of Mallat (2016, §2) from the Fourier transform (which frequencies,
// not when) through the windowed Fourier transform (one fixed time-frequency resolution, bounded
// by the uncertainty principle) to the wavelet transform (resolution adapted to each scale), on
// one signal, as one picture: the signal, |x̂|, the spectrogram and the scalogram.
#include <algorithm>
#include <memory>
#include <variant>

#include "commands.hpp"
#include "signal_io.hpp"
#include "tf_common.hpp"
#include "wst/plot/compare_tf.hpp"
#include "wst/plot/plot.hpp"
#include "wst/support/error.hpp"

namespace wst::cli {
namespace {

struct CompareState {
  plot::CompareTfSettings tf;
  std::string in, out;
};

// The picture of IN: the option checks, then the signal (one of shape (N,)), then the figure.
plot::Figure compare_figure(const CompareState& s) {
  plot::check_compare_tf(s.tf);
  const InputFile in = read_input_file(s.in);
  const RealArray r = real_input(in, "compare-tf", 1);
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
  plot::CompareTfSettings tf = s.tf;
  tf.exec.progress = terminal_progress("wst compare-tf");
  return plot::compare_tf_figure(x.data, effective_rate(s.tf.sample_rate, in), in.path, tf);
}

void run_compare(const CompareState& s) {
  check_distinct_paths({{"IN", s.in}}, {{"OUT", s.out}});
  check_writable(s.out);
  if (!is_png_path(s.out)) throw UsageError(s.out + ": the picture must be a .png file");
  plot::render_png(compare_figure(s), s.out);
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
  app->add_option("IN", s->in, "Input .npy or .wav")->required();
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
