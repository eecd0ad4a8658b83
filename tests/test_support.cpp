#include "test_support.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace fs = std::filesystem;

namespace wst::test {

std::string shared_dir() {
  const fs::path p = fs::path(WST_SHARED_DIR);
  if (!fs::is_directory(p / "reference" / "kymatio")) {
    ADD_FAILURE() << "reference data not found at " << p
                  << ": the tests need ../shared beside the repository root";
    throw std::runtime_error("missing ../shared");
  }
  return fs::canonical(p).string();
}

std::string kymatio_ref(const std::string& relative) {
  return shared_dir() + "/reference/kymatio/" + relative;
}

std::string cli_path() { return WST_CLI; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string temp_dir() {
  static std::vector<std::string> made;
  static struct Cleaner {
    ~Cleaner() {
      for (auto& d : made) {
        std::error_code ec;
        fs::remove_all(d, ec);
      }
    }
  } cleaner;
  std::string tmpl = (fs::temp_directory_path() / "wst-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  made.push_back(tmpl);
  return tmpl;
}

const std::string& cli_capture_dir() {
  static const std::string dir = temp_dir();
  return dir;
}

CliResult run_cli(const std::string& args) {
  const std::string& capture = cli_capture_dir();
  const std::string out = capture + "/stdout", err = capture + "/stderr";
  const int status = std::system(
      ("WST_WISDOM_DIR=" + capture + " " + cli_path() + " " + args + " >" + out + " 2>" + err)
          .c_str());
  const int code =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return {code, read_file(out), read_file(err)};
}

std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    names.push_back(entry.path().filename().string());
  std::ranges::sort(names);
  return names;
}

void expect_rejected(const BadCase& c, const std::string& dir,
                     const std::function<std::string(const std::string&)>& expand) {
  const CliResult r = run_cli(expand(c.args));
  EXPECT_EQ(r.code, c.code) << r.err;
  EXPECT_TRUE(r.err.starts_with("wst: error: ")) << r.err;
  EXPECT_TRUE(r.err.ends_with("\n") && r.err.find('\n') == r.err.size() - 1)
      << "not one line: " << r.err;
  EXPECT_EQ(r.out, "");
  for (const auto& word : c.words)
    EXPECT_NE(r.err.find(expand(word)), std::string::npos) << expand(word) << " not in " << r.err;
  EXPECT_EQ(list_dir(dir), std::vector<std::string>{}) << "left output behind";
}

}  // namespace wst::test
