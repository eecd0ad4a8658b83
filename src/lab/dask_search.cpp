#include "wst/lab/dask_search.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "wst/io/npy.hpp"
#include "wst/support/atomic_file.hpp"
#include "wst/support/error.hpp"
#include "wst/support/process.hpp"
#include "wst/support/temporary.hpp"

// Set for this file by CMakeLists.txt: the build's Python package and its interpreter.
#ifndef WST_PYTHON_DIR
#define WST_PYTHON_DIR ""
#endif
#ifndef WST_PYTHON_EXECUTABLE
#define WST_PYTHON_EXECUTABLE ""
#endif

namespace wst::lab {

namespace {

using json = nlohmann::json;
using std::chrono::milliseconds;

constexpr const char* kPrefix = "wst.dask_search: ";  // its lines meant for us

// $WST_PYTHON (a path, or a name on $PATH), else the build's interpreter, else python3 on $PATH.
std::string python_interpreter() {
  if (const char* env = std::getenv("WST_PYTHON"); env && *env) {
    const std::string p = env;
    return p.find('/') != std::string::npos ? (is_executable_file(p) ? p : "") : find_on_path(p);
  }
  if (is_executable_file(WST_PYTHON_EXECUTABLE)) return WST_PYTHON_EXECUTABLE;
  return find_on_path("python3");
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The last line wst.dask_search wrote for its caller (without the prefix), else the last line.
std::string message_in(const std::string& log) {
  std::istringstream in(log);
  std::string line, last, ours;
  while (std::getline(in, line)) {
    if (line.rfind(kPrefix, 0) == 0) ours = line.substr(std::char_traits<char>::length(kPrefix));
    if (line.find_first_not_of(" \t") != std::string::npos) last = line;
  }
  if (!ours.empty()) return ours;
  return last.empty() ? "no message" : last;
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

// Runs wst.dask_search with `args`, its output in `log`; IoError naming --scheduler unless it
// succeeds (0 ms: no time limit).
void run_tool(const std::string& address, const std::vector<std::string>& args,
              const std::string& log, milliseconds limit) {
  std::vector<std::string> argv = dask_search_command();
  argv.insert(argv.end(), args.begin(), args.end());
  const ProcessResult r = run_process(argv, log, log, limit);
  if (r.ok()) return;
  const std::string what = "--scheduler " + address + ": ";
  if (r.timed_out)
    throw IoError(what + "wst.dask_search did not finish within " +
                  seconds(double(limit.count()) / 1000) + " s (killed)");
  if (r.signal)
    throw IoError(what + "wst.dask_search was killed by signal " + std::to_string(r.signal));
  std::string message = message_in(read_text(log));
  if (message.find("No module named 'wst") != std::string::npos)
    message += " (build the Python module: cmake --build build --target wst-python, or set "
               "$WST_PYTHON / $PYTHONPATH)";
  throw IoError(what + message);
}

json request_options(const learn::KernelSvmOptions& o) {
  return {{"C_grid", o.C_grid},     {"gamma_scales", o.gamma_scales}, {"folds", o.folds},
          {"cv_max_rows", o.cv_max_rows}, {"epsilon", o.epsilon},   {"tolerance", o.tolerance},
          {"cache_mb", o.cache_mb}, {"seed", o.seed}};
}

// One search: the request in a temporary folder, the tool, the scores (removed afterwards).
learn::SvmGridScores remote_scores(const std::string& address, double timeout_s,
                                   const learn::FeatureMatrix& X, const std::vector<double>& y,
                                   bool classification, const learn::KernelSvmOptions& o) {
  TempFolder dir(temp_folder_pattern("wst-dask-search"));
  const std::string d = dir.path();
  const std::size_t rows = std::size_t(X.rows()), cols = std::size_t(X.cols());
  write_npy(d + "/X.npy", Array<float>({rows, cols}, std::vector<float>(X.data(), X.data() + X.size())));
  write_npy(d + "/y.npy", Array<double>({y.size()}, y));
  const json request = {{"scheduler", address},
                        {"timeout", timeout_s},
                        {"classification", classification},
                        {"options", request_options(o)}};
  write_file_atomic(d + "/request.json", request.dump(2) + "\n");
  run_tool(address, {"search", d}, d + "/search.log", milliseconds(0));
  try {
    return json::parse(read_text(d + "/scores.json")).at("scores").get<learn::SvmGridScores>();
  } catch (const json::exception& e) {
    throw IoError("--scheduler " + address + ": unreadable scores from wst.dask_search (" +
                  e.what() + ")");
  }
}

}  // namespace

std::vector<std::string> dask_search_command() {
  const std::string python = python_interpreter();
  if (python.empty())
    throw IoError("--scheduler: no Python interpreter found (set $WST_PYTHON to python3 with "
                  "python3-distributed)");
  std::string path = WST_PYTHON_DIR;
  if (const char* env = std::getenv("PYTHONPATH"); env && *env)
    path += (path.empty() ? "" : ":") + std::string(env);
  std::string env = find_on_path("env");
  if (is_executable_file("/usr/bin/env")) env = "/usr/bin/env";
  if (env.empty()) throw IoError("--scheduler: the program env is not found");
  return {env, "PYTHONPATH=" + path, python, "-m", "wst.dask_search"};
}

void check_dask_scheduler(const std::string& address, double timeout_s) {
  const double started =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  TempFolder dir(temp_folder_pattern("wst-dask-search"));
  char when[32];
  std::snprintf(when, sizeof when, "%.3f", started);
  // The tool stops itself at the deadline; the limit only catches a Python that hangs.
  run_tool(address, {"check", address, "--timeout", seconds(timeout_s), "--started", when},
           dir.path() + "/check.log", milliseconds(long(1000 * (timeout_s + 20))));
}

learn::SvmGridRunner dask_grid_runner(const std::string& address, double timeout_s) {
  remove_stale_temporaries(temp_folder_parent(), "wst-dask-search");
  return [address, timeout_s](const learn::FeatureMatrix& X, const std::vector<double>& y,
                              bool classification, const learn::KernelSvmOptions& o) {
    return remote_scores(address, timeout_s, X, y, classification, o);
  };
}

}  // namespace wst::lab
