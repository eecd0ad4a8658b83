// `wst jtfs` end to end (docs/JTFS.md, docs/jtfs-formulas.md §J6, §J7, §J10): OUT against the
// library and Kymatio 0.4's reference (../shared/reference/kymatio/v04-more/jtfs_*), both
// formats, float32, the --meta columns, an audio input, and bad options (exit code 2, one line
// naming the option, nothing left behind).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "test_support.hpp"
#include "wst/core/time_frequency_scattering.hpp"
#include "wst/io/npy.hpp"

namespace {

using wst::test::run_cli;
using Result = wst::test::CliResult;

std::string ref_path(const std::string& name) {
  return wst::test::kymatio_ref("v04-more/jtfs_J8_N4096_" + name + ".npy");
}

// The development configuration of §J10.1: J = 8, Q = (8, 2), J_fr = 3, Q_fr = 2.
const std::string kDev = "jtfs --J 8 --J-fr 3 --Q 8,2 --Q-fr 2 --plan estimate ";

class JtfsCli : public ::testing::Test {
 protected:
  std::string dir = wst::test::temp_dir();
  std::string x = ref_path("x");  // (2, 4096) float64

  Result jtfs(const std::string& options, const std::string& out) {
    return run_cli(kDev + options + " " + x + " " + dir + "/" + out);
  }
};

// The library's output on the reference input, 'time' or 'joint'.
wst::Array<double> library(wst::JtfsFormat format) {
  const wst::TimeFrequencyScattering s(8, 3, 4096, {.Q = {8, 2}, .Q_fr = 2, .format = format},
                                       {1, wst::Planning::estimate});
  return s(wst::read_npy_as<double>(ref_path("x")));
}

TEST_F(JtfsCli, BothFormatsEqualTheLibraryAndKymatio) {
  for (const std::string format : {"time", "joint"}) {
    const Result r = jtfs("--format " + format, format + ".npy");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    const auto out = wst::read_npy(dir + "/" + format + ".npy");
    ASSERT_TRUE(std::holds_alternative<wst::Array<double>>(out)) << format;
    const auto& y = std::get<wst::Array<double>>(out);
    const auto ref = wst::read_npy_as<double>(ref_path(format + "_S"));
    const auto lib = library(format == "joint" ? wst::JtfsFormat::joint : wst::JtfsFormat::time);
    EXPECT_EQ(y.shape, ref.shape) << format;
    EXPECT_EQ(y.shape, lib.shape) << format;
    EXPECT_EQ(y.data, lib.data) << format << ": not bit-identical to the library";
    const double err = wst::test::rel_error(y.data, ref.data);
    std::printf("[parity] wst jtfs --format %-5s vs Kymatio %.2e\n", format.c_str(), err);
    EXPECT_LE(err, 1e-6) << format;
  }
}

TEST_F(JtfsCli, Float32OutputWithDtype) {
  const Result r = jtfs("--dtype float32 --format joint", "f.npy");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto out = wst::read_npy(dir + "/f.npy");
  ASSERT_TRUE(std::holds_alternative<wst::Array<float>>(out));
  const auto ref = wst::read_npy_as<double>(ref_path("joint_S"));
  const double err = wst::test::rel_error(std::get<wst::Array<float>>(out).data, ref.data);
  std::printf("[parity] wst jtfs --dtype float32 vs Kymatio %.2e\n", err);
  EXPECT_LE(err, 1e-4);
}

// NaN in the reference ↔ null in the JSON; numbers equal exactly.
void expect_column(const nlohmann::json& column, const wst::Array<double>& ref,
                   const std::string& name) {
  const std::size_t width = ref.shape.size() == 2 ? ref.shape[1] : 1;
  ASSERT_EQ(column.size(), ref.shape[0]) << name;
  for (std::size_t c = 0; c < ref.shape[0]; ++c)
    for (std::size_t k = 0; k < width; ++k) {
      const nlohmann::json& v = width == 1 ? column[c] : column[c][k];
      const double want = ref.data[c * width + k];
      if (std::isnan(want))
        ASSERT_TRUE(v.is_null()) << name << " row " << c;
      else
        ASSERT_EQ(v.get<double>(), want) << name << " row " << c;
    }
}

TEST_F(JtfsCli, MetaHoldsKymatiosColumns) {
  Result r = jtfs("--meta " + dir + "/time.json", "t.npy");
  ASSERT_EQ(r.code, 0) << r.err;
  auto m = nlohmann::json::parse(wst::test::read_file(dir + "/time.json"));
  EXPECT_EQ(m["transform"], "jtfs");
  EXPECT_EQ(m["format"], "time");
  EXPECT_EQ(m["T"], 256);
  EXPECT_EQ(m["F"], 8);
  EXPECT_EQ(m["N_fr"], 136);
  EXPECT_EQ(m["output_shape"], nlohmann::json({2, 972, 16}));
  const auto& cols = m["meta"];
  for (const std::string name : {"order", "n", "n_fr", "j", "j_fr", "xi", "xi_fr", "sigma",
                                 "sigma_fr", "spin"})
    expect_column(cols[name], wst::read_npy_as<double>(ref_path("time_meta_" + name)), name);
  EXPECT_EQ(cols["key"][0], nlohmann::json::array());
  EXPECT_EQ(cols["key"][1], nlohmann::json({0, 0}));
  std::set<std::size_t> channels;
  for (const auto& c : cols["channel"]) channels.insert(c.get<std::size_t>());
  EXPECT_EQ(channels.size(), 972u);
  EXPECT_EQ(*channels.rbegin(), 971u);

  r = jtfs("--format joint --meta " + dir + "/joint.json", "j.npy");
  ASSERT_EQ(r.code, 0) << r.err;
  m = nlohmann::json::parse(wst::test::read_file(dir + "/joint.json"));
  EXPECT_EQ(m["output_shape"], nlohmann::json({2, 203, 17, 16}));
  EXPECT_EQ(m["meta"]["key"].size(), 203u);
  EXPECT_EQ(m["meta"]["key"][0], nlohmann::json({0}));
  EXPECT_EQ(m["meta"]["channel"][202], 202);
  // Path 8 = (n2 = 4, n_fr = 0): rows n1 = 0, 8 of n1_max = 10 (§J10.1).
  EXPECT_EQ(m["meta"]["n"][8], nlohmann::json({{0, 8}, 4}));
}

TEST_F(JtfsCli, AudioInputGivesOneSignal) {
  Result r = run_cli("signal chirp " + dir + "/c.wav --samples 4096 --sample-rate 16000 --f0 50 "
                     "--f1 7000");
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_cli(kDev + dir + "/c.wav " + dir + "/c.npy");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto y = wst::read_npy_as<double>(dir + "/c.npy");
  EXPECT_EQ(y.shape, (wst::Shape{972, 16}));
}

TEST_F(JtfsCli, RefusesOutputEqualToInput) {
  const std::string in = dir + "/x.npy";
  wst::write_npy(in, wst::read_npy_as<double>(x));
  const Result r = run_cli(kDev + in + " " + in);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is the same file as IN"), std::string::npos) << r.err;
}

// ---- bad options ---------------------------------------------------------------------------------

class JtfsBadOptions : public ::testing::TestWithParam<wst::test::BadCase> {};

TEST_P(JtfsBadOptions, ExitTwoOneLineNothingLeft) {
  const std::string dir = wst::test::temp_dir(), x = ref_path("x");
  wst::test::expect_rejected(GetParam(), dir, [&](const std::string& text) {
    return wst::test::expand_placeholders(text, dir, dir + "/out.npy", dir + "/m.json",
                                          [&](const std::string&) { return x; });
  });
}

std::string args(const std::string& options) {
  return "jtfs --J 8 --Q 8,2 --plan estimate " + options + " {x} {out} --meta {meta}";
}

using wst::test::BadCase;

INSTANTIATE_TEST_SUITE_P(
    Table, JtfsBadOptions,
    ::testing::Values(
        BadCase{"JfrMissing", args(""), 2, {"--J-fr is required"}},
        BadCase{"JfrAbove16", args("--J-fr 17"), 2, {"--J-fr", "from 0 to 16", "'17'"}},
        BadCase{"JfrNegative", args("--J-fr -1"), 2, {"--J-fr", "from 0 to 16", "'-1'"}},
        BadCase{"QfrZero", args("--J-fr 3 --Q-fr 0"), 2, {"--Q-fr", "from 1 to 128", "'0'"}},
        BadCase{"QfrAbove128", args("--J-fr 3 --Q-fr 129"), 2, {"--Q-fr", "'129'"}},
        BadCase{"QThreeValues", args("--J-fr 3 --Q 8,2,1"), 2, {"--Q", "Q1 or Q1,Q2", "'8,2,1'"}},
        BadCase{"Q2Zero", args("--J-fr 3 --Q 8,0"), 2, {"--Q", "from 1 to 128", "'8,0'"}},
        BadCase{"FAboveJQ", args("--J-fr 3 --F 100"), 2,
                {"cannot exceed input length", "F=100", "(J+1)*Q1=72"}},
        BadCase{"FBelowOne", args("--J-fr 3 --F 0.5"), 2, {"--F", "'0.5'"}},
        BadCase{"TAboveN", args("--J-fr 3 --T 5000"), 2,
                {"cannot exceed input length", "T=5000", "[1, N=4096]"}},
        BadCase{"TZero", args("--J-fr 3 --T 0"), 2, {"--T", "'global' or a number from 1 to N"}},
        BadCase{"SignalTooShortForJ", "jtfs --J 13 --J-fr 3 --Q 8,2 {x} {out} --meta {meta}", 2,
                {"--J 13", "exceeds the signal length N=4096"}},
        BadCase{"UnknownFormat", args("--J-fr 3 --format spectral"), 2,
                {"--format", "'time' or 'joint'", "'spectral'"}},
        BadCase{"UnknownDtype", args("--J-fr 3 --dtype float16"), 2, {"--dtype", "'float16'"}},
        BadCase{"StrideNotPowerOfTwo", args("--J-fr 3 --stride 48"), 2,
                {"--stride", "power of two", "'48'"}},
        BadCase{"StrideBelowJ2max", args("--J-fr 3 --stride 32"), 2,
                {"--stride 32 is out of range", "2^j2max = 128"}},
        BadCase{"StrideWithGlobalT", args("--J-fr 3 --T global --stride 16"), 2,
                {"--stride 16 is only used"}},
        BadCase{"StrideFrAboveF", args("--J-fr 3 --stride-fr 16"), 2,
                {"--stride-fr 16 is out of range", "from 1 to 8"}},
        BadCase{"StrideFrWithF0", args("--J-fr 3 --F 0 --stride-fr 2"), 2,
                {"--stride-fr 2 is only used"}},
        BadCase{"JointWithF0", args("--J-fr 3 --F 0 --format joint"), 2,
                {"--format joint", "--F 0"}}),
    [](const auto& info) { return info.param.name; });

}  // namespace
