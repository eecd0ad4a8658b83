// `wst compare-jtfs`: what joint time–frequency scattering sees that time scattering cannot
// (Andén, Lostanlen & Mallat 2019). Time scattering averages every frequency band over T = 2^J on
// its own, so an up-chirp and its time reverse, or aligned bands and the same bands delayed in
// proportion to their log-frequency (all below T), come out nearly the same; JTFS's 2D wavelets in
// (time, log-frequency) have a spin and tell them apart. Writes OUT/jtfs/compare-jtfs.{json,md,
// png} and compare-jtfs-scale-rate.png, and prints the distances.
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "commands.hpp"
#include "wst/lab/jtfs_comparison.hpp"
#include "wst/plot/jtfs.hpp"
#include "wst/support/error.hpp"

namespace wst::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kName = "compare-jtfs";

struct CompareJtfsOptions {
  lab::JtfsComparisonConfig lab;
  std::string out = "out";
};

// lab::validate's message with the field replaced by the option that sets it.
void validate_options(const lab::JtfsComparisonConfig& c) {
  try {
    lab::validate(c);
  } catch (const UsageError& e) {
    const std::string m = e.what();
    const std::pair<const char*, const char*> names[] = {
        {"J_fr", "--J-fr"}, {"Q_fr", "--Q-fr"}, {"Q2", "--Q2"},          {"sample_rate", "--sample-rate"},
        {"N", "--N"},       {"J", "--J"},       {"Q", "--Q"},            {"exec.threads", "--threads"}};
    for (const auto& [field, option] : names) {
      const std::size_t n = std::strlen(field);
      if (m.compare(0, n, field) == 0 && n < m.size() && (m[n] == ' ' || m[n] == ':'))
        throw UsageError(option + m.substr(n));
    }
    throw;
  }
}

void print_distances(const lab::JtfsComparisonResult& r) {
  for (const lab::JtfsPairDistance& p : r.pairs)
    std::printf("%s vs %s: time scattering %.4f, JTFS %.4f (%.1f times more); signals %.3f apart\n",
                p.x_name.c_str(), p.y_name.c_str(), p.time_scattering, p.jtfs,
                p.jtfs / p.time_scattering, p.signal);
  const auto share = [](const lab::ScaleRateMap& m) {
    return m.total_plus() / (m.total_plus() + m.total_minus());
  };
  std::printf("spin +1 share of the second-order spin energy: up-chirp %.2f, down-chirp %.2f\n",
              share(r.up_map), share(r.down_map));
}

void run_compare_jtfs(const CompareJtfsOptions& o) {
  validate_options(o.lab);  // bad options before any file is checked
  const fs::path folder = fs::path(o.out) / "jtfs";
  const std::string maps = (folder / (std::string(kName) + "-scale-rate.png")).string();
  std::vector<NamedPath> outputs = experiment_outputs(folder.string(), kName);
  outputs.push_back({"--out", maps});
  check_distinct_paths({}, outputs);
  check_writable_folder(folder.string());
  const lab::JtfsComparisonResult r = lab::compare_jtfs(o.lab);
  fs::create_directories(folder);
  plot::render_png(plot::scale_rate_figure(r), maps);
  try {
    write_experiment(folder.string(), kName, lab::to_json(r).dump(2) + "\n", lab::to_markdown(r),
                     plot::jtfs_comparison_figure(r));
  } catch (...) {
    std::error_code ec;
    fs::remove(maps, ec);
    throw;
  }
  std::printf("%s\n", maps.c_str());
  print_distances(r);
}

}  // namespace

Command add_compare_jtfs(CLI::App& parent) {
  auto o = std::make_shared<CompareJtfsOptions>();
  lab::JtfsComparisonConfig* c = &o->lab;
  CLI::App* app = parent.add_subcommand(
      kName,
      "Time scattering vs joint time-frequency scattering on an up/down chirp pair and on "
      "aligned/delayed bands: ||Phi(x) - Phi(y)|| / ||Phi(x)|| and the chirps' scale-rate maps; "
      "writes OUT/jtfs/compare-jtfs.{json,md,png} and compare-jtfs-scale-rate.png");
  app->footer(
      "Examples:\n"
      "  wst compare-jtfs\n"
      "  wst compare-jtfs --N 4096 --J 9 --out results");
  app->add_option("--N", c->N, "Signal length, a power of two in 1024 ... 65536")
      ->check(at_least(1))
      ->capture_default_str();
  app->add_option("--J", c->J, "Averaging scale T = 2^J, 7 <= J <= log2 N")->capture_default_str();
  app->add_option("--Q", c->Q, "First-order wavelets per octave, 4 ... 16")->capture_default_str();
  app->add_option("--Q2", c->Q2, "Second-order wavelets per octave, 1 ... Q")->capture_default_str();
  app->add_option("--J-fr", c->J_fr, "Frequential scale 2^J_fr, 1 <= J_fr <= min(6, log2((J+1) Q))")
      ->capture_default_str();
  app->add_option("--Q-fr", c->Q_fr, "Frequential wavelets per octave, 1 ... 4")->capture_default_str();
  app->add_option("--sample-rate", c->sample_rate, "Sample rate in Hz for the axes and captions")
      ->check(positive_real())
      ->capture_default_str();
  app->add_option("--seed", c->seed, "Seed of the chirps' and atoms' phases")
      ->check(seed_range(UINT_MAX))
      ->capture_default_str();
  app->add_option("--out", o->out, "Results go to OUT/jtfs/")->capture_default_str();
  add_exec_options(*app, c->exec);
  return {app, [o] { run_compare_jtfs(*o); }};
}

}  // namespace wst::cli
