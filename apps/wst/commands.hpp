// The subcommands of the `wst` command line and the helpers they share.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>

#include "wst/array.hpp"
#include "wst/options.hpp"

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

// Adds --threads and --plan, bound to `exec` (whose defaults become the number of cores and
// "measure").
void add_exec_options(CLI::App& app, ExecOptions& exec);

template <class T>
constexpr const char* dtype_name() {
  if constexpr (std::is_same_v<T, float>)
    return "float32";
  else if constexpr (std::is_same_v<T, double>)
    return "float64";
  else {
    static_assert(std::is_same_v<T, std::int64_t>);
    return "int64";
  }
}

}  // namespace wst::cli
