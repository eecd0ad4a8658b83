// `wst charges` end to end (lab/charges.hpp): the four files, the JSON's learning curve and
// invariance figures, and bad options (exit 2, one line naming the option, nothing left behind).
// Small sizes: grid 32, J = 1, 30 configurations.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

using wst::test::run_cli;

const std::string kSmall = "charges --grid 32 --J 1 --train-sizes 10,20 --test-size 10 --threads 2 ";

TEST(ChargesCli, WritesTheFourFilesAndTheFigures) {
  const std::string dir = wst::test::temp_dir();
  const auto r = run_cli(kSmall + "--out " + dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(wst::test::list_dir(dir + "/charges"),
            (std::vector<std::string>{"charges-moduli.png", "charges.json", "charges.md", "charges.png"}));
  const auto j = nlohmann::json::parse(wst::test::read_file(dir + "/charges/charges.json"));
  ASSERT_EQ(j["learning_curve"].size(), 2u);
  EXPECT_EQ(j["learning_curve"][1]["train"], 20);
  ASSERT_EQ(j["invariance"].size(), 4u);
  EXPECT_EQ(j["invariance"][1]["model"], "scattering order 1, p = 2");
  const double quadratic = j["invariance"][1]["max_relative_prediction_change"];
  const double voxels = j["invariance"][2]["max_relative_prediction_change"];
  EXPECT_LT(quadratic, 1e-2);  // 32³ with the default radius: the periodic images are near
  EXPECT_LT(quadratic, voxels / 100);
  EXPECT_GT(voxels, 1e-2);
  EXPECT_NE(r.out.find("| 20 |"), std::string::npos) << r.out;
}

class ChargesBadOptions : public ::testing::TestWithParam<wst::test::BadCase> {};

TEST_P(ChargesBadOptions, ExitTwoOneLineNothingLeft) {
  const std::string dir = wst::test::temp_dir();
  wst::test::expect_rejected(GetParam(), dir, [&](const std::string& text) {
    return wst::test::expand_placeholders(text, dir, dir + "/out.npy", dir + "/m.json",
                                          [](const std::string&) { return std::string(); });
  });
}

using wst::test::BadCase;

INSTANTIATE_TEST_SUITE_P(
    Table, ChargesBadOptions,
    ::testing::Values(
        BadCase{"GridTooSmall", "charges --grid 8 --out {dir}", 2, {"--grid 8 is out of range", "[16, 64]"}},
        BadCase{"SizesNotIncreasing", "charges --train-sizes 20,10 --out {dir}", 2, {"--train-sizes", "increasing"}},
        BadCase{"JTooLarge", "charges --grid 32 --J 4 --out {dir}", 2, {"--J 4 is out of range", "grid/4"}},
        BadCase{"LTooLarge", "charges --L 5 --out {dir}", 2, {"--L 5 is out of range"}},
        BadCase{"TestTooSmall", "charges --test-size 3 --out {dir}", 2, {"--test-size 3 is out of range"}}),
    [](const auto& info) { return info.param.name; });

}  // namespace
