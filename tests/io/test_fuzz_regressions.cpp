// Replays the committed fuzz inputs through the same entry points as the libFuzzer harnesses
// (fuzz/targets.hpp): every seed in fuzz/corpus/<name>/ and every crash reproducer in
// fuzz/regressions/<name>/. Each must end in success or a documented typed error, never another
// exception (a crash or sanitizer report would kill the test). File names carry the expectation:
// ok_* must succeed, bad_* must be refused with a wst error; other names (fuzzer-found inputs)
// may do either.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "../../fuzz/targets.hpp"

namespace fs = std::filesystem;

namespace wst::fuzz {
// The harness name in gtest's messages (instead of the struct's bytes).
inline void PrintTo(const NamedTarget& t, std::ostream* os) { *os << t.name; }
}  // namespace wst::fuzz

namespace {

fs::path fuzz_dir() {
#ifdef WST_FUZZ_DIR
  return fs::path(WST_FUZZ_DIR);
#else
  return fs::path(__FILE__).parent_path().parent_path() / "fuzz";
#endif
}

std::vector<std::uint8_t> read_bytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> inputs(const std::string& name) {
  std::vector<fs::path> files;
  for (const char* sub : {"corpus", "regressions"}) {
    const fs::path d = fuzz_dir() / sub / name;
    if (!fs::is_directory(d)) continue;
    for (const auto& e : fs::directory_iterator(d))
      if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class FuzzRegressions : public ::testing::TestWithParam<wst::fuzz::NamedTarget> {};

TEST_P(FuzzRegressions, EveryInputEndsCleanly) {
  const auto [name, fn] = GetParam();
  const std::vector<fs::path> files = inputs(name);
  ASSERT_FALSE(files.empty()) << "no inputs under " << (fuzz_dir() / "corpus" / name);
  int ok = 0, refused = 0;
  for (const fs::path& p : files) {
    SCOPED_TRACE(p.string());
    const std::vector<std::uint8_t> bytes = read_bytes(p);
    wst::fuzz::Outcome o{};
    try {
      o = fn(bytes.data(), bytes.size());
    } catch (const wst::fuzz::UnexpectedOutcome& e) {
      ADD_FAILURE() << e.what();
      continue;
    }
    const std::string file = p.filename().string();
    if (file.rfind("ok_", 0) == 0) {
      EXPECT_EQ(o, wst::fuzz::Outcome::ok) << "refused with " << wst::fuzz::outcome_name(o);
    } else if (file.rfind("bad_", 0) == 0) {
      EXPECT_NE(o, wst::fuzz::Outcome::ok) << "accepted an input meant to be refused";
    }
    (o == wst::fuzz::Outcome::ok ? ok : refused) += 1;
  }
  std::printf("fuzz/%s: %zu inputs, %d parsed, %d refused with a typed error\n", name, files.size(),
              ok, refused);
}

INSTANTIATE_TEST_SUITE_P(Readers, FuzzRegressions, ::testing::ValuesIn(wst::fuzz::kTargets),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
