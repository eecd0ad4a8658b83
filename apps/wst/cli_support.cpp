// Helpers shared by the subcommands (declared in commands.hpp).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "wst/error.hpp"
#include "wst/npy.hpp"

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

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
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
         "FFTW planning: 'measure' (slower set-up, faster transform; plans are cached between "
         "runs) or 'estimate' (instant set-up)")
      ->check(CLI::IsMember({"measure", "estimate"}))
      ->type_name("MODE")
      ->default_str(planning == Planning::measure ? "measure" : "estimate");
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
