// `wst scatter2d` and `wst scatter1d`: .npy in, scattering coefficients (.npy) and optional
// JSON channel metadata out. Both share one driver, run_scatter(), and differ only in a small
// description of their transform (Scatter2D, Scatter1D below).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>
#include <variant>

#include "commands.hpp"
#include "signal_io.hpp"
#include "wst/support/error.hpp"
#include "wst/io/npy.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/support/atomic_file.hpp"

namespace wst::cli {

using json = nlohmann::ordered_json;

namespace {

namespace fs = std::filesystem;

// Where a scatter command reads and writes.
struct Files {
  std::string in, out, meta;  // meta is empty when --meta is not given
};

json null_if_unused(int v) { return v < 0 ? json(nullptr) : json(v); }

json channel_json(const PathMeta2D& m) {
  return {{"order", m.order},
          {"j1", null_if_unused(m.j1)},
          {"theta1", null_if_unused(m.theta1)},
          {"j2", null_if_unused(m.j2)},
          {"theta2", null_if_unused(m.theta2)}};
}

json channel_json(const PathMeta1D& m) {
  json n = json::array(), j = json::array(), xi = json::array(), sigma = json::array();
  for (int k = 0; k < m.order; ++k) {
    n.push_back(m.n[k]);
    j.push_back(m.j[k]);
    xi.push_back(m.xi[k]);
    sigma.push_back(m.sigma[k]);
  }
  return {{"order", m.order}, {"n", n}, {"j", j}, {"xi", xi}, {"sigma", sigma}};
}

// ---- the two transforms -----------------------------------------------------------------------

struct Scatter2D {
  static constexpr const char* name = "scatter2d";
  static constexpr std::size_t min_rank = 2;
  static constexpr const char* form = "(..., M, N)";
  int J = 0, L = 8, max_order = 2;

  template <class Real>
  BasicScattering2D<Real> make(const Shape& shape, ExecOptions exec) const {
    return BasicScattering2D<Real>(J, shape[shape.size() - 2], shape.back(), L, max_order, exec);
  }
  template <class S>
  json parameters(const S&) const {
    return {{"J", J}, {"L", L}, {"max_order", max_order}};
  }
};

struct Scatter1D {
  static constexpr const char* name = "scatter1d";
  static constexpr std::size_t min_rank = 1;
  static constexpr const char* form = "(..., N)";
  int J = 0, Q = 1, Q2 = 1, max_order = 2;
  std::size_t T = 0;

  template <class Real>
  BasicScattering1D<Real> make(const Shape& shape, ExecOptions exec) const {
    return BasicScattering1D<Real>(J, shape.back(), Q1D{Q, Q2}, T, max_order, exec);
  }
  template <class S>
  json parameters(const S& s) const {
    return {{"J", J}, {"Q", {Q, Q2}}, {"T", s.filters().T}, {"max_order", max_order}};
  }
};

// Check outputs, read IN, transform, write OUT, then the metadata (removing OUT if that fails,
// so that an error never leaves one without the other).
template <class Transform>
void run_scatter(const Transform& t, const ExecOptions& exec, const Files& files) {
  check_distinct_paths({{"IN", files.in}}, {{"OUT", files.out}, {"--meta", files.meta}});
  check_writable(files.out);
  if (!files.meta.empty()) check_writable(files.meta);
  // IN: .npy, a PNG (float64 luminance in [0, 1]) or an audio file (one float64 signal).
  const RealArray input = take_real_input(read_input_file(files.in), t.name, t.min_rank, t.form);

  std::visit(
      [&]<class T>(const Array<T>& x) {
        ExecOptions options = exec;
        options.progress = terminal_progress(std::string("wst ") + t.name);
        const auto scattering = t.template make<T>(x.shape, options);
        const Array<T> y = naming_input(files.in, [&] { return scattering(x); });
        write_npy(files.out, y);
        if (files.meta.empty()) return;

        json meta = {{"transform", t.name}};
        meta.update(t.parameters(scattering));
        meta["dtype"] = dtype_name<T>();
        meta["input_shape"] = x.shape;
        meta["output_shape"] = y.shape;
        json& channels = meta["channels"] = json::array();
        for (const auto& m : scattering.meta()) channels.push_back(channel_json(m));
        try {
          write_file_atomic(files.meta, meta.dump(2) + "\n");
        } catch (...) {
          std::error_code ec;
          fs::remove(files.out, ec);
          throw;
        }
      },
      input);
}

// A scatter subcommand with its positional arguments IN and OUT.
CLI::App* add_scatter_command(CLI::App& parent, const char* name, const std::string& summary,
                              const std::string& details, Files& files) {
  CLI::App* app = parent.add_subcommand(name, summary);
  app->footer(details);
  app->add_option("IN", files.in,
                  "Input .npy (float32 or float64), or a PNG image (luminance in [0, 1]) or audio "
                  "file (.wav, .flac, .aiff, .ogg), read as float64")
      ->required()
      ->type_name("IN");
  app->add_option("OUT", files.out, "Output .npy (same dtype as IN); written only on success")
      ->required()
      ->type_name("OUT.npy");
  return app;
}

// The options that follow the transform's own: --max-order, --threads, --plan, --meta.
void add_scatter_options(CLI::App& app, int max_order_limit, int& max_order, ExecOptions& exec,
                         Files& files) {
  app.add_option("--max-order", max_order,
                 "Highest scattering order, 1 to " + std::to_string(max_order_limit))
      ->check(CLI::Range(1, max_order_limit))
      ->capture_default_str();
  add_exec_options(app, exec);
  app.add_option("--meta", files.meta, "Also write the channel metadata to this JSON file")
      ->type_name("FILE.json");
}

// Shared state of a parsed scatter command: lives as long as the CLI::App that fills it.
template <class Transform>
struct ScatterState {
  Transform transform;
  ExecOptions exec;
  Files files;
};

}  // namespace

Command add_scatter2d(CLI::App& parent) {
  auto s = std::make_shared<ScatterState<Scatter2D>>();
  CLI::App* app = add_scatter_command(
      parent, Scatter2D::name,
      "2D scattering transform (Kymatio's Scattering2D) of images in a .npy file",
      "IN has shape (..., M, N) (any number of leading batch dimensions).\n"
      "OUT has shape (..., C, M/2^J, N/2^J) (rounded down) and the dtype of IN, with\n"
      "C = 1 + J*L + L^2*J*(J-1)/2 channels at max order 2 (1 + J*L at max order 1),\n"
      "ordered by order, then (j1, theta1), then (j2, theta2) with j2 > j1.",
      s->files);
  app->add_option("-J,--J", s->transform.J, "Number of scales: J >= 1 and 2^J <= min(M, N)")
      ->required();
  app->add_option("-L,--L", s->transform.L, "Orientations per scale, 1 to 64")
      ->capture_default_str();
  add_scatter_options(*app, 2, s->transform.max_order, s->exec, s->files);
  return {app, [s] { run_scatter(s->transform, s->exec, s->files); }};
}

Command add_scatter1d(CLI::App& parent) {
  auto s = std::make_shared<ScatterState<Scatter1D>>();
  CLI::App* app = add_scatter_command(
      parent, Scatter1D::name,
      "1D scattering transform (Kymatio's Scattering1D) of signals in a .npy file",
      "IN has shape (..., N) (any number of leading batch dimensions).\n"
      "OUT has shape (..., C, N/2^floor(log2 T)) (rounded down) and the dtype of IN.\n"
      "Channels are ordered by order, then filter indices (n1, n2, ...) with decreasing\n"
      "centre frequency, keeping paths with j2 > j1.",
      s->files);
  app->add_option("-J,--J", s->transform.J,
                  "Maximum log2 scale of the wavelets: J >= 1 and 2^J <= N")
      ->required();
  app->add_option("-Q,--Q", s->transform.Q, "Wavelets per octave at order 1, 1 to 128")
      ->capture_default_str();
  app->add_option("--Q2", s->transform.Q2, "Wavelets per octave at orders 2 and 3, 1 to 128")
      ->capture_default_str();
  app->add_option("-T,--T", s->transform.T, "Averaging scale in samples, 1 to N; 0 means 2^J")
      ->check(at_least(0))
      ->capture_default_str();
  add_scatter_options(*app, 3, s->transform.max_order, s->exec, s->files);
  return {app, [s] { run_scatter(s->transform, s->exec, s->files); }};
}

}  // namespace wst::cli
