// Helpers shared by the tests: where the reference data are, and relative errors.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <functional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace wst::test {

// ../shared beside the repository root (as CI lays it out). Fails the test loudly if missing.
std::string shared_dir();
// Path of a file under ../shared/reference/kymatio.
std::string kymatio_ref(const std::string& relative);
// Path of the built CLI.
std::string cli_path();
// A fresh empty temporary folder (removed at exit).
std::string temp_dir();

// Sets WST_MEMORY_LIMIT for a scope, restoring the previous value (or its absence) after.
class ScopedMemoryLimit {
 public:
  explicit ScopedMemoryLimit(const char* value) {
    if (const char* old = std::getenv("WST_MEMORY_LIMIT")) saved_ = old, had_ = true;
    ::setenv("WST_MEMORY_LIMIT", value, 1);
  }
  ~ScopedMemoryLimit() {
    if (had_)
      ::setenv("WST_MEMORY_LIMIT", saved_.c_str(), 1);
    else
      ::unsetenv("WST_MEMORY_LIMIT");
  }
  ScopedMemoryLimit(const ScopedMemoryLimit&) = delete;
  ScopedMemoryLimit& operator=(const ScopedMemoryLimit&) = delete;

 private:
  std::string saved_;
  bool had_ = false;
};

// The contents of a file ("" if it cannot be read).
std::string read_file(const std::string& path);

// ---- running the CLI ----

struct CliResult {
  int code;  // exit status, or 128 + signal number
  std::string out, err;
};

// Where run_cli captures output and points $WST_WISDOM_DIR (not the user's ~/.cache).
const std::string& cli_capture_dir();

// Runs `wst <args>` through the shell, capturing stdout and stderr.
CliResult run_cli(const std::string& args);

// The names in a folder, sorted.
std::vector<std::string> list_dir(const std::string& dir);

// One row of a bad-input table: the arguments, the exit code and words the one-line message
// must hold (both with the placeholders of expand_placeholders).
struct BadCase {
  std::string name;
  std::string args;
  int code;
  std::vector<std::string> words;
};
inline std::ostream& operator<<(std::ostream& os, const BadCase& c) { return os << c.name; }

// Runs the CLI with c.args (expanded) and expects exit code c.code, nothing on stdout, one line
// "wst: error: …" on stderr holding c.words (expanded), and an empty output folder `dir`.
void expect_rejected(const BadCase& c, const std::string& dir,
                     const std::function<std::string(const std::string&)>& expand);

// `text` with {dir}, {out} and {meta} replaced by those paths and any other {name} by
// input(name): the placeholders of the bad-input tables.
template <class Input>
std::string expand_placeholders(const std::string& text, const std::string& dir,
                                const std::string& out, const std::string& meta, Input input) {
  std::string result;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t close = text.find('}', i);
    if (text[i] != '{' || close == std::string::npos) {
      result += text[i++];
      continue;
    }
    const std::string key = text.substr(i + 1, close - i - 1);
    result += key == "dir" ? dir : key == "out" ? out : key == "meta" ? meta : input(key);
    i = close + 1;
  }
  return result;
}

// n standard-normal samples from a fixed seed (never all zeros).
template <class T = double>
std::vector<T> random_normal(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> d(0.0, 1.0);
  std::vector<T> v(n);
  for (auto& x : v) x = T(d(gen));
  return v;
}

// what() of the E that f() throws; "<other exception>" or "<no exception>" otherwise.
template <class E, class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (...) {
    return "<other exception>";
  }
  return "<no exception>";
}

// max |a − b| / max |b| over the arrays (b is the reference; must not be all zeros).
template <class A, class B>
double rel_error(const A& a, const B& b, std::size_t n) {
  double num = 0, den = 0;
  for (std::size_t i = 0; i < n; ++i) {
    num = std::max(num, std::abs(double(a[i]) - double(b[i])));
    den = std::max(den, std::abs(double(b[i])));
  }
  return den > 0 ? num / den : INFINITY;
}

template <class VA, class VB>
double rel_error(const VA& a, const VB& b) {
  return a.size() == b.size() ? rel_error(a.data(), b.data(), a.size()) : INFINITY;
}

}  // namespace wst::test
