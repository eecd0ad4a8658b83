// The pictures of time scattering against JTFS (wst/plot/jtfs.hpp) on a synthetic result (the
// lab's signals, made-up distances and maps): which panels, with which data; the spins stacked on
// a signed scale axis; bad input refused; and both figures rendered as PNGs.
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "test_support.hpp"
#include "wst/plot/jtfs.hpp"
#include "wst/report/page.hpp"
#include "wst/support/error.hpp"

namespace plot = wst::plot;
namespace lab = wst::lab;

namespace {

// A map with K = 2 frequential wavelets and 3 temporal ones; the up-chirp's energy in spin +1.
lab::ScaleRateMap synthetic_map(bool up) {
  lab::ScaleRateMap m;
  m.xi_fr = {0.1, 0.3};
  m.j_fr = {1, 0};
  m.xi2 = {0.001, 0.004, 0.016};
  m.j2 = {8, 6, 4};
  m.n2 = {12, 8, 4};
  const std::vector<double> strong = {1, 4, 9, 2, 8, 16}, weak = {1, 1, 2, 1, 2, 3};
  m.plus = up ? strong : weak;
  m.minus = up ? weak : strong;
  m.spin0 = 5;
  return m;
}

lab::JtfsComparisonResult synthetic() {
  lab::JtfsComparisonResult r;
  r.config.N = 1024;
  r.config.J = 8;
  r.signals = lab::jtfs_signals(r.config);
  r.pairs = {{"chirps", "up-chirp", "down-chirp", 1.4, 0.03, 0.5, 0.02, 0.6},
             {"delayed bands", "aligned bands", "delayed bands", 1.3, 0.04, 0.3, 0.05, 0.35}};
  r.up_map = synthetic_map(true);
  r.down_map = synthetic_map(false);
  return r;
}

template <class P>
const P& panel(const plot::Figure& f, std::size_t i) {
  EXPECT_TRUE(std::holds_alternative<P>(f.panels.at(i))) << "panel " << i;
  return std::get<P>(f.panels.at(i));
}

}  // namespace

TEST(JtfsFigure, ComparisonShowsDistancesAndTheFourScalograms) {
  const auto r = synthetic();
  const plot::Figure f = plot::jtfs_comparison_figure(r);
  ASSERT_EQ(f.panels.size(), 6u);
  EXPECT_EQ(f.columns, 3);
  const auto& bars = panel<plot::ChartPanel>(f, 0);
  ASSERT_EQ(bars.rects.size(), 4u);  // time scattering and JTFS for each pair
  EXPECT_DOUBLE_EQ(bars.rects[0].y1, 0.03);
  EXPECT_DOUBLE_EQ(bars.rects[1].y1, 0.5);
  EXPECT_EQ(bars.rects[1].label, "0.500");
  EXPECT_DOUBLE_EQ(bars.rects[3].y1, 0.3);
  ASSERT_EQ(bars.xtics.size(), 2u);
  EXPECT_EQ(bars.xtics[0].label, "up-chirp vs down-chirp");
  const auto& order2 = panel<plot::ChartPanel>(f, 3);
  EXPECT_DOUBLE_EQ(order2.rects[2].y1, 0.05);
  EXPECT_DOUBLE_EQ(order2.rects[3].y1, 0.35);
  for (std::size_t i : {1u, 2u, 4u, 5u}) {
    const auto& h = panel<plot::Heatmap>(f, i);
    EXPECT_EQ(h.cols, std::size_t(1) << r.config.J);  // the T samples around N/4
    EXPECT_EQ(h.values.size(), h.rows * h.cols);
    EXPECT_TRUE(h.y.log);
    // Seconds at the sample rate, starting T/2 before N/4.
    EXPECT_DOUBLE_EQ(h.x.centres[0], double(r.config.N / 4 - 128) / r.config.sample_rate);
  }
  EXPECT_NE(panel<plot::Heatmap>(f, 2).title.find("down-chirp"), std::string::npos);
}

TEST(JtfsFigure, ScaleRateMapsStackTheSpinsOnASignedAxis) {
  const auto r = synthetic();
  const plot::Figure f = plot::scale_rate_figure(r);
  ASSERT_EQ(f.panels.size(), 3u);
  const auto& up = panel<plot::Heatmap>(f, 0);
  ASSERT_EQ(up.rows, 4u);
  ASSERT_EQ(up.cols, 3u);
  const double Q = r.config.Q;
  EXPECT_EQ(up.y.centres, (std::vector<double>{-0.3 * Q, -0.1 * Q, 0.1 * Q, 0.3 * Q}));
  EXPECT_EQ(up.x.centres, (std::vector<double>{16, 64, 256}));  // Hz at 16 kHz
  EXPECT_TRUE(up.x.log);
  // Rows: spin −1 by decreasing |ξ_fr|, then spin +1 by increasing |ξ_fr|; amplitudes √energy.
  EXPECT_DOUBLE_EQ(up.values[0], 1.0);           // minus, |ξ_fr| = 0.3, first ξ2
  EXPECT_DOUBLE_EQ(up.values[3 * 3 + 2], 4.0);   // plus, |ξ_fr| = 0.3, last ξ2: √16
  const auto& down = panel<plot::Heatmap>(f, 1);
  EXPECT_DOUBLE_EQ(down.values[2], 4.0);         // the down-chirp's peak is in spin −1
  const auto& spins = panel<plot::ChartPanel>(f, 2);
  ASSERT_EQ(spins.rects.size(), 4u);
  EXPECT_NEAR(spins.rects[0].y1, 40.0 / 50.0, 1e-12);  // up-chirp, spin +1
  EXPECT_NEAR(spins.rects[3].y1, 40.0 / 50.0, 1e-12);  // down-chirp, spin −1
}

TEST(JtfsFigure, BadResultsAreRefused) {
  auto r = synthetic();
  r.up_map.plus.pop_back();
  EXPECT_THROW(plot::scale_rate_figure(r), wst::UsageError);
  r = synthetic();
  r.up_map.xi2.clear();
  EXPECT_THROW(plot::scale_rate_figure(r), wst::UsageError);
  r = synthetic();
  r.pairs.pop_back();
  EXPECT_THROW(plot::jtfs_comparison_figure(r), wst::UsageError);
  r = synthetic();
  r.signals.delayed.clear();
  EXPECT_THROW(plot::jtfs_comparison_figure(r), wst::UsageError);
}

TEST(JtfsFigure, BothFiguresRenderAsPng) {
  const auto r = synthetic();
  const std::string dir = wst::test::temp_dir();
  plot::render_png(plot::jtfs_comparison_figure(r), dir + "/compare.png");
  plot::render_png(plot::scale_rate_figure(r), dir + "/scale-rate.png");
  for (const char* name : {"/compare.png", "/scale-rate.png"}) {
    const auto [w, h] = wst::report::png_size(dir + name);
    EXPECT_EQ(w, 1800u) << name;
    EXPECT_GT(h, 400u) << name;
  }
}
