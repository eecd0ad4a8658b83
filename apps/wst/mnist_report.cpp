// `wst mnist`: the run of lab::run_mnist with a progress board on stderr, and its outputs
// (Markdown on stdout and in OUT/mnist.md, JSON in OUT/mnist.json, both written atomically).
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "mnist_job.hpp"
#include "progress_board.hpp"
#include "wst/lab/dask_search.hpp"
#include "wst/lab/mnist_benchmark.hpp"
#include "wst/support/atomic_file.hpp"
#include "wst/support/error.hpp"

namespace wst::cli {

namespace {

// The benchmark's progress on the terminal board.
class BoardProgress final : public lab::BenchmarkProgress {
 public:
  int add_track(const std::string& name, double total) override {
    return board_.add_track(name, total);
  }
  void update(int track, double done) override { board_.update(track, done); }
  void log(const std::string& line) override { board_.log(line); }
  void finish() override { board_.clear(); }

 private:
  ProgressBoard board_;
};

// Fails before the long computation if the outputs cannot be written. Returns the folders it
// created, deepest first, so that a failed run can remove them again.
std::vector<std::filesystem::path> check_output_folder(const std::string& out_dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> created;
  std::error_code ec;
  for (fs::path p = fs::absolute(out_dir, ec); !p.empty() && !fs::exists(p, ec);
       p = p.parent_path())
    created.push_back(p);
  fs::create_directories(out_dir, ec);
  if (ec || ::access(out_dir.c_str(), W_OK | X_OK) != 0)
    throw IoError(out_dir + ": cannot create or write the output folder" +
                  (ec ? ": " + ec.message() : ": " + std::string(std::strerror(errno))));
  return created;
}

// Removes the folders a failed run created, as long as they are still empty.
void remove_if_empty(const std::vector<std::filesystem::path>& folders) {
  std::error_code ec;
  for (const auto& f : folders)
    if (std::filesystem::is_empty(f, ec) && !ec) std::filesystem::remove(f, ec);
}

}  // namespace

void run_mnist_job(const lab::MnistConfig& config, const std::string& out_dir) {
  if (!config.scheduler.empty()) lab::check_dask_scheduler(config.scheduler);  // before any file
  const auto created = check_output_folder(out_dir);
  lab::MnistReport report;
  try {
    BoardProgress progress;
    report = lab::run_mnist(config, progress);
  } catch (...) {
    remove_if_empty(created);
    throw;
  }
  const std::string md = lab::mnist_markdown(report);
  write_file_atomic(out_dir + "/mnist.json", lab::mnist_json(report));
  write_file_atomic(out_dir + "/mnist.md", md);
  std::fputs(md.c_str(), stdout);
  std::printf("\nWrote %s/mnist.md and %s/mnist.json\n", out_dir.c_str(), out_dir.c_str());
}

}  // namespace wst::cli
