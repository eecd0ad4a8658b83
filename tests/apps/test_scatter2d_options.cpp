// `wst scatter2d` with Kymatio's 2D options (docs/scattering-options.md §2): --L 6 and
// --pre-pad --shape M,N, against the v04-more references; bad combinations exit 2, a wrongly
// sized input exits 1, and neither leaves an output.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "test_support.hpp"
#include "wst/io/npy.hpp"

namespace {

using wst::test::kymatio_ref;
using wst::test::run_cli;

std::string more(const std::string& name) { return kymatio_ref("v04-more/" + name); }

class Scatter2dOptions : public ::testing::Test {
 protected:
  std::string dir = wst::test::temp_dir();
  std::string out = dir + "/out.npy", meta = dir + "/meta.json";
};

TEST_F(Scatter2dOptions, L6MatchesKymatio) {
  const auto r = run_cli("scatter2d --J 2 --L 6 --plan estimate " +
                         more("s2d_J2_L6_32x32_x.npy") + " " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto got = wst::read_npy_as<double>(out);
  const auto ref = wst::read_npy_as<double>(more("s2d_J2_L6_32x32_S.npy"));
  ASSERT_EQ(got.shape, ref.shape);
  EXPECT_LE(wst::test::rel_error(got.data, ref.data), 1e-6);
}

TEST_F(Scatter2dOptions, PrePadMatchesKymatio) {
  const auto r = run_cli("scatter2d --J 2 --L 6 --pre-pad --shape 32,32 --plan estimate " +
                         more("s2d_J2_L6_32x32_prepad_x.npy") + " " + out + " --meta " + meta);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto got = wst::read_npy_as<double>(out);
  const auto ref = wst::read_npy_as<double>(more("s2d_J2_L6_32x32_prepad_S.npy"));
  ASSERT_EQ(got.shape, ref.shape);
  EXPECT_LE(wst::test::rel_error(got.data, ref.data), 1e-6);
  const auto m = nlohmann::json::parse(wst::test::read_file(meta));
  EXPECT_EQ(m["pre_pad"], true);
  EXPECT_EQ(m["shape"], nlohmann::json({32, 32}));
  EXPECT_EQ(m["input_shape"], nlohmann::json({2, 40, 40}));
  EXPECT_EQ(m["output_shape"], nlohmann::json({2, 49, 8, 8}));
}

TEST_F(Scatter2dOptions, BadCombinationsAreRefused) {
  const std::string padded = " " + more("s2d_J2_L6_32x32_prepad_x.npy") + " {out}";
  const std::string plain = " " + more("s2d_J2_L6_32x32_x.npy") + " {out}";
  const wst::test::BadCase cases[] = {
      {"PrePadWithoutShape", "scatter2d --J 2 --pre-pad" + padded, 2, {"--pre-pad", "--shape"}},
      {"ShapeWithoutPrePad", "scatter2d --J 2 --shape 32,32" + plain, 2, {"--shape", "--pre-pad"}},
      {"ShapeOfOneNumber", "scatter2d --J 2 --pre-pad --shape 32" + padded, 2, {"--shape"}},
      {"UnpaddedInput", "scatter2d --J 2 --pre-pad --shape 32,32" + plain, 1,
       {"(2, 32, 32)", "expected (..., 40, 40) (pre_pad: the padded size)"}},
  };
  for (const auto& c : cases)
    wst::test::expect_rejected(c, dir, [&](const std::string& t) {
      std::string s = t;
      if (const auto at = s.find("{out}"); at != std::string::npos) s.replace(at, 5, out);
      return s;
    });
}

}  // namespace
