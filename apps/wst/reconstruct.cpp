// `wst reconstruct`: a signal or an image whose scattering matches a target's, by gradient
// descent from white noise (lab::reconstruct, Bruna & Mallat 2013, §3.1); writes the
// reconstruction (.npy, .wav or .png), and on request the history (JSON) and the convergence
// picture (plot::reconstruction_figure).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "commands.hpp"
#include "signal_io.hpp"
#include "wst/io/image.hpp"
#include "wst/lab/reconstruction.hpp"
#include "wst/plot/plot.hpp"
#include "wst/plot/reconstruction.hpp"
#include "wst/support/atomic_file.hpp"
#include "wst/support/error.hpp"

namespace wst::cli {

namespace fs = std::filesystem;

namespace {

struct ReconstructState {
  std::string in, out, history, picture, method = "lbfgs";
  double sample_rate = 0;
  lab::ReconstructionConfig lab;
};

bool has_extension(const std::string& path, const std::string& ext) {
  std::string e = fs::path(path).extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return e == ext;
}

void check_paths(const ReconstructState& s) {
  check_distinct_paths({{"IN", s.in}}, {{"OUT", s.out}, {"--history", s.history}, {"--picture", s.picture}});
  for (const std::string& p : {s.out, s.history, s.picture})
    if (!p.empty()) check_writable(p);
  if (!has_extension(s.out, ".npy") && !has_extension(s.out, ".wav") && !is_png_path(s.out))
    throw UsageError("OUT " + s.out + ": must end in .npy, .wav or .png");
  if (!s.picture.empty() && !is_png_path(s.picture))
    throw UsageError("--picture " + s.picture + ": the picture must be a .png file");
  if (!s.history.empty() && !has_extension(s.history, ".json"))
    throw UsageError("--history " + s.history + ": the history must be a .json file");
}

// The reconstruction as OUT says: .png (values clipped to [0, 1], grey), .wav or .npy.
void write_reconstruction(const ReconstructState& s, const Array<double>& x, double rate) {
  if (is_png_path(s.out)) {
    if (x.ndim() != 2)
      throw UsageError("OUT " + s.out + ": a .png needs an image target (M, N); this one has shape " +
                       shape_string(x.shape));
    std::vector<std::uint8_t> rgb(3 * x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
      rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] =
          std::uint8_t(std::lround(255 * std::clamp(x.data[i], 0.0, 1.0)));
    write_png_rgb(s.out, x.shape[1], x.shape[0], rgb);
  } else {
    write_signal(s.out, x, rate);
  }
}

// A line per iteration on stderr (overwritten in place) with the errors and the ETA, if a terminal.
std::function<void(const lab::ReconstructionStep&)> progress_line(int iterations) {
  if (!::isatty(STDERR_FILENO)) return {};
  return [iterations](const lab::ReconstructionStep& st) {
    const double eta = st.iteration ? st.seconds * double(iterations - st.iteration) / st.iteration : 0;
    std::fprintf(stderr,
                 "\rwst reconstruct: iteration %d/%d, scattering error %.3g, signal error %.3g, "
                 "ETA %.0f s\033[K",
                 st.iteration, iterations, st.scattering_error, st.signal_error, eta);
  };
}

void run_reconstruct(ReconstructState s) {
  s.lab.optimizer = lab::parse_optimizer(s.method);
  check_paths(s);
  InputFile in = read_input_file(s.in);
  const double rate = effective_rate(s.sample_rate, in);
  if (has_extension(s.out, ".wav") && !(rate > 0))
    throw UsageError("OUT " + s.out + ": a .wav needs a sample rate: give --sample-rate or a WAV input");
  const RealArray real = real_input(in, "reconstruct", 1);
  Array<double> target = std::visit([](const auto& a) {
    return Array<double>(a.shape, std::vector<double>(a.data.begin(), a.data.end()));
  }, real);
  const auto result = naming_input(in.path, [&] {
    return lab::reconstruct(target, s.lab, progress_line(s.lab.iterations));
  });
  if (::isatty(STDERR_FILENO)) std::fprintf(stderr, "\r\033[K");
  std::vector<std::string> written;
  try {
    write_reconstruction(s, result.signal, rate);
    written.push_back(s.out);
    if (!s.history.empty()) {
      write_file_atomic(s.history, lab::to_json(result).dump(2) + "\n");
      written.push_back(s.history);
    }
    if (!s.picture.empty()) plot::render_png(plot::reconstruction_figure(result), s.picture);
  } catch (...) {
    for (const auto& p : written) {
      std::error_code ec;
      fs::remove(p, ec);
    }
    throw;
  }
  const lab::ReconstructionStep& b = lab::best_step(result);
  std::printf("%s: iteration %d of %s (%s, %d restart%s), %d evaluations, %.2f s: scattering "
              "error %.3g, signal error %.3g\n",
              s.out.c_str(), b.iteration, lab::optimizer_name(s.lab.optimizer).c_str(),
              result.stopped.c_str(), result.restarts, result.restarts == 1 ? "" : "s",
              result.history.back().evaluations, result.seconds, b.scattering_error,
              b.signal_error);
}

}  // namespace

Command add_reconstruct(CLI::App& parent) {
  auto s = std::make_shared<ReconstructState>();
  CLI::App* app = parent.add_subcommand(
      "reconstruct", "A signal or image whose scattering matches the target's (gradient descent)");
  app->footer(
      "IN: a signal (.npy (N,) or a mono WAV) or an image (.npy (M, N) or a PNG).\n"
      "OUT: the reconstruction, .npy, .wav (signals) or .png (images, clipped to [0, 1]).\n"
      "Minimises ||S x - S y||^2 / ||S y||^2 from white noise with the target's mean and std;\n"
      "signals use Scattering1D(J, Q), images Scattering2D(J, L). Prints the errors of the best\n"
      "iterate; the signal error ignores what S cannot see (the sign; a signal's global phase).\n"
      "Example: wst reconstruct digit.png x.png --J 2 --order 2 --picture convergence.png");
  app->add_option("IN", s->in, "Target: .npy, .wav or .png")->required()->type_name("IN");
  app->add_option("OUT", s->out, "Reconstruction: .npy, .wav or .png")->required()->type_name("OUT");
  app->add_option("--J", s->lab.J, "Scale 2^J of the scattering")->capture_default_str();
  app->add_option("--order", s->lab.order, "Highest order matched: 1 or 2")->capture_default_str();
  app->add_option("--L", s->lab.L, "Orientations (images)")->capture_default_str();
  app->add_option("--Q", s->lab.Q, "Wavelets per octave at order 1 (signals)")->capture_default_str();
  app->add_option("--method", s->method, "lbfgs (L-BFGS, More-Thuente line search) or adam")
      ->capture_default_str();
  app->add_option("--iterations", s->lab.iterations, "At most this many iterations")->capture_default_str();
  app->add_option("--tolerance", s->lab.tolerance, "Stop once the scattering error is at most this")
      ->capture_default_str();
  app->add_option("--learning-rate", s->lab.learning_rate, "Adam's step, in units of the target's std")
      ->capture_default_str();
  app->add_option("--seed", s->lab.seed, "Seed of the random start")->check(seed_range(UINT64_MAX))
      ->capture_default_str();
  app->add_option("--patience", s->lab.patience,
                  "Restart from fresh noise after this many iterations without a 1 % gain (0: never)")
      ->capture_default_str();
  app->add_option("--sample-rate", s->sample_rate, "Sample rate in Hz of a .wav OUT (default: IN's)")
      ->check(positive_real());
  app->add_option("--history", s->history, "Also write the errors per iteration to this JSON file")
      ->type_name("FILE.json");
  app->add_option("--picture", s->picture, "Also draw the convergence and the signals to this PNG")
      ->type_name("FILE.png");
  add_exec_options(*app, s->lab.exec, Planning::estimate);
  return {app, [s] { run_reconstruct(*s); }};
}

}  // namespace wst::cli
