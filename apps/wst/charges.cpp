// `wst charges`: what solid-harmonic 3D scattering predicts (lab/charges.hpp; Eickenberg et al.
// 2018): ridge regression of the electrostatic energy of random point charges on the 3D harmonic
// scattering invariants, against voxels and the Fourier modulus; learning curves and the change
// of each prediction under rotations and translations. Writes OUT/charges/charges.{json,md,png}
// and charges-moduli.png, and prints the table.
#include <climits>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "commands.hpp"
#include "wst/lab/charges.hpp"
#include "wst/plot/charges.hpp"
#include "wst/support/error.hpp"

namespace wst::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kName = "charges";

struct ChargesOptions {
  lab::ChargesConfig lab;
  std::string out = "out", train_sizes;
  bool quick = false;
};

// "--train-sizes 25,50,100": integers separated by commas (one argument).
std::vector<std::size_t> sizes_of(const std::string& text) {
  std::vector<std::size_t> v;
  for (std::size_t begin = 0; begin <= text.size();) {
    std::size_t end = text.find(',', begin);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(begin, end - begin);
    char* stop = nullptr;
    const unsigned long long n = std::strtoull(item.c_str(), &stop, 10);
    if (item.empty() || *stop != '\0' || item[0] == '-' || n > 100000)
      throw UsageError("--train-sizes '" + text + "' is out of range: must be increasing integers "
                       "separated by commas, each in [10, 100000]");
    v.push_back(std::size_t(n));
    begin = end + 1;
  }
  return v;
}

// lab::validate's message with the field replaced by the option that sets it.
void validate_options(const lab::ChargesConfig& c) {
  try {
    lab::validate(c);
  } catch (const UsageError& e) {
    const std::string m = e.what();
    const std::pair<const char*, const char*> names[] = {
        {"grid", "--grid"}, {"train_sizes", "--train-sizes"}, {"test_size", "--test-size"},
        {"J", "--J"},       {"L", "--L"},                     {"sigma_0", "--sigma0"},
        {"exec.threads", "--threads"}};
    for (const auto& [field, option] : names) {
      const std::size_t n = std::strlen(field);
      if (m.compare(0, n, field) == 0 && n < m.size() && (m[n] == ' ' || m[n] == '='))
        throw UsageError(option + (m[n] == '=' ? " " + m.substr(n + 1) : m.substr(n)));
    }
    throw;
  }
}

void run_charges(ChargesOptions o) {
  if (o.quick) o.lab.train_sizes = {25, 50, 100}, o.lab.test_size = 50;
  if (!o.train_sizes.empty()) o.lab.train_sizes = sizes_of(o.train_sizes);
  validate_options(o.lab);  // bad options before any file is checked
  const fs::path folder = fs::path(o.out) / "charges";
  const std::string moduli = (folder / "charges-moduli.png").string();
  std::vector<NamedPath> outputs = experiment_outputs(folder.string(), kName);
  outputs.push_back({"--out", moduli});
  check_distinct_paths({}, outputs);
  check_writable_folder(folder.string());
  const lab::ChargesResult r = lab::charges(o.lab);
  fs::create_directories(folder);
  plot::render_grid_png(plot::charges_moduli_grid(r), moduli);
  try {
    write_experiment(folder.string(), kName, lab::to_json(r).dump(2) + "\n", lab::to_markdown(r),
                     plot::charges_figure(r));
  } catch (...) {
    std::error_code ec;
    fs::remove(moduli, ec);
    throw;
  }
  std::printf("%s\n%s", moduli.c_str(), lab::to_markdown(r).c_str());
}

}  // namespace

Command add_charges(CLI::App& parent) {
  auto o = std::make_shared<ChargesOptions>();
  lab::ChargesConfig* c = &o->lab;
  c->exec.planning = Planning::estimate;
  CLI::App* app = parent.add_subcommand(
      kName,
      "What 3D harmonic scattering predicts: ridge regression of the Coulomb energy of random "
      "point charges on its invariants vs voxels and the Fourier modulus, learning curves and "
      "invariance to rotations and translations; writes OUT/charges/charges.{json,md,png} and "
      "charges-moduli.png");
  app->footer(
      "Examples:\n"
      "  wst charges --quick\n"
      "  wst charges --train-sizes 50,100,200,400,800 --test-size 400 --out results");
  app->add_flag("--quick", o->quick, "Training sizes 25, 50, 100 and 50 test configurations");
  app->add_option("--grid", c->grid, "Voxels per side, 16 ... 64")->capture_default_str();
  app->add_option("--train-sizes", o->train_sizes, "Training sizes, increasing, each >= 10 "
                  "(default 25,50,100,200,400)")
      ->type_name("N1,N2,...");
  app->add_option("--test-size", c->test_size, "Test configurations, >= 10")->capture_default_str();
  app->add_option("--J", c->J, "Scales j = 0 ... J of the transform, 2^J <= grid/4")->capture_default_str();
  app->add_option("--L", c->L, "Largest degree of the solid harmonics, 0 ... 4")->capture_default_str();
  app->add_option("--sigma0", c->sigma_0, "Width of the mother wavelet (voxels), in (0, 4]")
      ->check(positive_real())
      ->capture_default_str();
  app->add_option("--seed", c->seed, "Seed of the configurations and the moves")
      ->check(seed_range(UINT_MAX))
      ->capture_default_str();
  app->add_option("--out", o->out, "Results go to OUT/charges/")->capture_default_str();
  add_exec_options(*app, c->exec);
  return {app, [o] { run_charges(*o); }};
}

}  // namespace wst::cli
