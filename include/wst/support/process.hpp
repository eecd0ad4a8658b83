// Running helper programs (gnuplot, a headless browser): no shell, stdin from /dev/null, output
// to files, in a process group of their own that an interrupt of wst kills (temporary.hpp).
#pragma once
#include <chrono>
#include <string>
#include <vector>

namespace wst {

// Whether `path` is a regular file the user may execute.
bool is_executable_file(const std::string& path);

// The first executable `program` in the folders of $PATH (default /usr/local/bin:/usr/bin:/bin),
// or "".
std::string find_on_path(const std::string& program);

struct ProcessResult {
  int exit_code = -1;      // when it exited
  int signal = 0;          // when a signal killed it
  bool timed_out = false;  // killed (with its group) after the timeout
  bool ok() const { return !timed_out && signal == 0 && exit_code == 0; }
};

// Runs argv (argv[0] a path) with stdout to `out_path` and stderr to `err_path` (the same path:
// both into one file) and waits for it, at most `timeout` (0: no limit); then kills what is left
// of its process group. Throws IoError if it cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& out_path,
                          const std::string& err_path,
                          std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

}  // namespace wst
