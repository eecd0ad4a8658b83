// `wst scatter3d` end to end (docs/HARMONIC3D.md, docs/harmonic3d-formulas.md §6, §14): OUT
// against the library and Kymatio 0.4's reference (../shared/reference/kymatio/v04-more/h3d_*),
// float32, rotation_covariant=False, --meta, and bad input (exit 2 for options, 1 for data and
// memory; one line naming the option; nothing left behind).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "test_support.hpp"
#include "wst/core/harmonic_scattering_3d.hpp"
#include "wst/io/npy.hpp"

namespace {

using wst::test::run_cli;
using Result = wst::test::CliResult;

std::string ref_path(const std::string& name) {
  return wst::test::kymatio_ref("v04-more/h3d_J2_L2_32_" + name + ".npy");
}

double per_value_error(const std::vector<double>& got, const std::vector<double>& ref) {
  double worst = got.size() == ref.size() ? 0 : INFINITY;
  for (std::size_t i = 0; i < ref.size() && i < got.size(); ++i)
    worst = std::max(worst, std::abs(got[i] - ref[i]) / std::abs(ref[i]));
  return worst;
}

class Scatter3DCli : public ::testing::Test {
 protected:
  std::string dir = wst::test::temp_dir();
  Result scatter(const std::string& options, const std::string& out) {
    return run_cli("scatter3d --J 2 --L 2 --plan estimate --threads 2 " + options + " " +
                   ref_path("x") + " " + dir + "/" + out);
  }
};

TEST_F(Scatter3DCli, EqualsTheLibraryAndKymatio) {
  for (const bool covariant : {true, false}) {
    const Result r = scatter(covariant ? "" : "--no-rotation-covariant", "S.npy");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    const auto y = std::get<wst::Array<double>>(wst::read_npy(dir + "/S.npy"));
    const auto ref = wst::read_npy_as<double>(ref_path(covariant ? "S" : "noncov_S"));
    EXPECT_EQ(y.shape, ref.shape);
    const wst::HarmonicScattering3D lib(2, 32, 32, 32, {.L = 2, .rotation_covariant = covariant},
                                        {1, wst::Planning::estimate});
    EXPECT_EQ(y.data, lib(wst::read_npy_as<double>(ref_path("x"))).data) << "not bit-identical";
    const double err = per_value_error(y.data, ref.data);
    std::printf("[parity] wst scatter3d h3d %s float64: %.2e\n", covariant ? "S" : "noncov_S", err);
    EXPECT_LT(err, 1e-6);
  }
}

TEST_F(Scatter3DCli, Float32AndMeta) {
  const Result r = scatter("--float32 --meta " + dir + "/m.json", "S32.npy");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto out = wst::read_npy(dir + "/S32.npy");
  ASSERT_TRUE(std::holds_alternative<wst::Array<float>>(out));
  const auto& y = std::get<wst::Array<float>>(out);
  const auto ref = wst::read_npy_as<double>(ref_path("S"));
  const double err = per_value_error(std::vector<double>(y.data.begin(), y.data.end()), ref.data);
  std::printf("[parity] wst scatter3d h3d S --float32: %.2e\n", err);
  EXPECT_LT(err, 1e-4);
  const auto meta = nlohmann::json::parse(wst::test::read_file(dir + "/m.json"));
  EXPECT_EQ(meta["output_shape"], nlohmann::json({2, 6, 3, 3}));
  EXPECT_EQ(meta["dtype"], "float32");
  EXPECT_EQ(meta["paths"][4]["j1"], 0);
  EXPECT_EQ(meta["paths"][4]["j2"], 2);
  EXPECT_TRUE(meta["paths"][0]["j2"].is_null());
}

class Scatter3DBadInput : public ::testing::TestWithParam<wst::test::BadCase> {
 public:
  static void SetUpTestSuite() {
    dir_ = wst::test::temp_dir();
    wst::Array<double> nan({4, 4, 4}), flat({8, 8});
    for (std::size_t i = 0; i < nan.size(); ++i) nan.data[i] = std::cos(0.3 * double(i));
    nan.data[5] = NAN;
    for (std::size_t i = 0; i < flat.size(); ++i) flat.data[i] = 1.0 + double(i);
    wst::write_npy(dir_ + "/nan.npy", nan);
    wst::write_npy(dir_ + "/flat.npy", flat);
  }
  static std::string dir_;
};
std::string Scatter3DBadInput::dir_;

TEST_P(Scatter3DBadInput, RejectedWithOneLineNothingLeft) {
  const std::string dir = wst::test::temp_dir();
  wst::test::expect_rejected(GetParam(), dir, [&](const std::string& text) {
    return wst::test::expand_placeholders(text, dir, dir + "/out.npy", dir + "/m.json",
                                          [&](const std::string& name) {
                                            return name == "x" ? ref_path("x") : dir_ + "/" + name + ".npy";
                                          });
  });
}

std::string args(const std::string& options) {
  return "scatter3d " + options + " {x} {out} --meta {meta}";
}

using wst::test::BadCase;

INSTANTIATE_TEST_SUITE_P(
    Table, Scatter3DBadInput,
    ::testing::Values(
        BadCase{"JMissing", args("--L 2"), 2, {"--J is required"}},
        BadCase{"JTooLarge", args("--J 6"), 2, {"--J 6 is out of range", "[0, 5]", "32"}},
        BadCase{"JNegative", args("--J -1"), 2, {"--J -1 is out of range"}},
        BadCase{"LNegative", args("--J 1 --L -1"), 2, {"--L -1 is out of range", "[0, 16]"}},
        BadCase{"SigmaZero", args("--J 1 --sigma0 0"), 2, {"--sigma0"}},
        BadCase{"MaxOrderThree", args("--J 1 --max-order 3"), 2, {"--max-order 3", "1 or 2"}},
        BadCase{"UnknownMethod", args("--J 1 --method sum"), 2, {"--method 'sum'", "'integral'"}},
        BadCase{"BadPowers", args("--J 1 --integral-powers 1,x"), 2, {"--integral-powers '1,x'"}},
        BadCase{"NaNVolume", "scatter3d --J 1 {nan} {out} --meta {meta}", 1, {"holds NaN", "nan.npy"}},
        BadCase{"TwoDimensional", "scatter3d --J 1 {flat} {out} --meta {meta}", 1, {"(..., M, N, O)"}},
        BadCase{"ThreadsZero", args("--J 1 --threads 0"), 2, {"--threads"}}),
    [](const auto& info) { return info.param.name; });

// A transform beyond the memory limit fails at once (the filters are checked before any
// allocation), exit 1, nothing written. (256³ here to keep the input file small; the library test
// does 512³.)
TEST(Scatter3DMemory, LargeRequestFailsFast) {
  const std::string dir = wst::test::temp_dir();
  wst::Array<float> big({256, 256, 256});
  big.data.assign(big.size(), 1.0f);
  wst::write_npy(dir + "/big.npy", big);
  big = {};
  const wst::test::ScopedMemoryLimit limit("512M");
  const Result r = run_cli("scatter3d --J 2 --L 2 --plan estimate " + dir + "/big.npy " + dir + "/out.npy");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("3-D harmonic scattering of 256 x 256 x 256"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("limit"), std::string::npos) << r.err;
  EXPECT_EQ(wst::test::list_dir(dir), std::vector<std::string>{"big.npy"});
}

}  // namespace
