// `wst compare-jtfs`: time scattering against joint time–frequency scattering (Andén, Lostanlen &
// Mallat 2019) through the CLI: its files, its numbers, and bad options refused with one line
// naming the option and nothing written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;
using wst::test::run_cli;

TEST(CompareJtfsCli, WritesTheFilesAndPrintsTheDistances) {
  const std::string dir = wst::test::temp_dir();
  const auto r = run_cli("compare-jtfs --N 4096 --J 9 --threads 2 --out " + dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(wst::test::list_dir(dir + "/jtfs"),
            (std::vector<std::string>{"compare-jtfs-scale-rate.png", "compare-jtfs.json",
                                      "compare-jtfs.md", "compare-jtfs.png"}));
  std::ifstream in(dir + "/jtfs/compare-jtfs.json");
  const json j = json::parse(in);
  EXPECT_EQ(j["experiment"], "compare-jtfs");
  EXPECT_EQ(j["config"]["N"], 4096);
  EXPECT_EQ(j["config"]["J"], 9);
  ASSERT_EQ(j["pairs"].size(), 2u);
  for (const auto& p : j["pairs"]) {
    EXPECT_LT(double(p["time_scattering"]), 0.06) << p;
    EXPECT_GT(double(p["jtfs"]), 4 * double(p["time_scattering"])) << p;
  }
  EXPECT_GT(double(j["scale_rate"]["up"]["spin_plus_share"]), 0.55);
  EXPECT_LT(double(j["scale_rate"]["down"]["spin_plus_share"]), 0.45);
  EXPECT_NE(r.out.find("up-chirp vs down-chirp: time scattering "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("aligned bands vs delayed bands: time scattering "), std::string::npos);
  EXPECT_NE(r.out.find(dir + "/jtfs/compare-jtfs-scale-rate.png"), std::string::npos);
  EXPECT_NE(wst::test::read_file(dir + "/jtfs/compare-jtfs.md").find("| JTFS |"),
            std::string::npos);
}

class CompareJtfsCliRejects : public ::testing::TestWithParam<wst::test::BadCase> {};

TEST_P(CompareJtfsCliRejects, WithOneLineMessageAndNoOutput) {
  const std::string dir = wst::test::temp_dir();
  wst::test::expect_rejected(GetParam(), dir, [&](const std::string& t) {
    return wst::test::expand_placeholders(t, dir, dir + "/out", dir + "/meta.json",
                                          [](const std::string& k) { return "{" + k + "}"; });
  });
}

INSTANTIATE_TEST_SUITE_P(
    BadInput, CompareJtfsCliRejects,
    ::testing::Values(
        wst::test::BadCase{"NNotAPowerOfTwo", "compare-jtfs --N 5000 --out {out}", 2,
                           {"--N 5000", "power of two"}},
        wst::test::BadCase{"NZero", "compare-jtfs --N 0 --out {out}", 2, {"--N"}},
        wst::test::BadCase{"JTooSmall", "compare-jtfs --J 6 --out {out}", 2, {"--J 6", "7 … 13"}},
        wst::test::BadCase{"JAboveLog2N", "compare-jtfs --N 1024 --J 11 --out {out}", 2,
                           {"--J 11", "7 … 10"}},
        wst::test::BadCase{"QTooSmall", "compare-jtfs --Q 2 --out {out}", 2, {"--Q 2", "4 … 16"}},
        wst::test::BadCase{"Q2AboveQ", "compare-jtfs --Q 4 --Q2 5 --out {out}", 2,
                           {"--Q2 5", "1 … 4"}},
        wst::test::BadCase{"JfrZero", "compare-jtfs --J-fr 0 --out {out}", 2, {"--J-fr 0"}},
        wst::test::BadCase{"JfrTooLarge", "compare-jtfs --J-fr 7 --out {out}", 2,
                           {"--J-fr 7", "1 … 6"}},
        wst::test::BadCase{"QfrTooLarge", "compare-jtfs --Q-fr 5 --out {out}", 2,
                           {"--Q-fr 5", "1 … 4"}},
        wst::test::BadCase{"SampleRateZero", "compare-jtfs --sample-rate 0 --out {out}", 2,
                           {"--sample-rate"}},
        wst::test::BadCase{"NegativeSeed", "compare-jtfs --seed -1 --out {out}", 2, {"--seed"}},
        wst::test::BadCase{"ZeroThreads", "compare-jtfs --threads 0 --out {out}", 2,
                           {"--threads"}},
        wst::test::BadCase{"UnknownOption", "compare-jtfs --L 8 --out {out}", 2, {"--L"}},
        wst::test::BadCase{"OutIsAFile", "compare-jtfs --N 1024 --J 7 --out /dev/null", 1,
                           {"/dev/null"}}),
    [](const auto& info) { return info.param.name; });

}  // namespace
