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

}  // namespace wst::test
