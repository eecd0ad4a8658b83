// The pictures of reconstruction from scattering (wst/plot/reconstruction.hpp) on small synthetic
// results: which panels, in which order, with which data; a reconstruction closer to −y drawn
// as −x; errors of 0 kept on the log axis; bad input refused; and one rendered PNG.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "test_support.hpp"
#include "wst/plot/reconstruction.hpp"
#include "wst/report/page.hpp"
#include "wst/support/error.hpp"

namespace plot = wst::plot;
namespace lab = wst::lab;
using wst::Array;

namespace {

// A result on a target of `shape` with `iterations` + 1 steps of falling errors; the
// reconstruction is `gain`·y (and the start 0.5 − y).
lab::ReconstructionResult synthetic(const wst::Shape& shape, int order, double gain = 0.9,
                                    int iterations = 4) {
  lab::ReconstructionResult r;
  r.config.order = order;
  r.config.J = 2;
  r.config.iterations = iterations;
  r.target = Array<double>(shape);
  for (std::size_t i = 0; i < r.target.size(); ++i) r.target.data[i] = double(i % 7) - 2.5;
  r.start = r.signal = r.target;
  for (double& v : r.start.data) v = 0.5 - v;
  for (double& v : r.signal.data) v *= gain;
  for (int k = 0; k <= iterations; ++k)
    r.history.push_back({k, 0, k == iterations ? 0.0 : std::pow(10.0, -k), 0.5 / (k + 1), 2 * k,
                         0.01 * k});
  r.coefficients = 10;
  return r;
}

template <class P>
const P& panel(const plot::Figure& f, std::size_t i) {
  EXPECT_TRUE(std::holds_alternative<P>(f.panels.at(i))) << "panel " << i;
  return std::get<P>(f.panels.at(i));
}

}  // namespace

TEST(ReconstructionFigure, ImageRunShowsErrorsTargetStartAndReconstruction) {
  const lab::ReconstructionResult r = synthetic({4, 3}, 2);
  const plot::Figure f = plot::reconstruction_figure(r);
  ASSERT_EQ(f.panels.size(), 4u);
  EXPECT_EQ(f.columns, 4);
  const auto& errors = panel<plot::ChartPanel>(f, 0);
  EXPECT_TRUE(errors.logy);
  EXPECT_EQ(errors.xlabel, "iteration");
  ASSERT_EQ(errors.lines.size(), 2u);  // scattering error, signal error
  EXPECT_EQ(errors.lines[0].x, (std::vector<double>{0, 1, 2, 3, 4}));
  EXPECT_DOUBLE_EQ(errors.lines[0].y[1], 0.1);
  EXPECT_GT(errors.lines[0].y[4], 0);  // an error of 0 stays on the log axis
  EXPECT_DOUBLE_EQ(errors.lines[1].y[1], 0.25);
  EXPECT_TRUE(errors.styles.at(1).dashed);
  // The legend sits above every curve: the y range reaches past the largest error.
  EXPECT_GT(errors.ymax, 1.0);
  const std::vector<std::string> titles = {"target y", "start: white noise", "reconstruction x"};
  const std::vector<const Array<double>*> arrays = {&r.target, &r.start, &r.signal};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& h = panel<plot::Heatmap>(f, i + 1);
    EXPECT_EQ(h.title, titles[i]);
    EXPECT_EQ(h.rows, 4u);
    EXPECT_EQ(h.cols, 3u);
    EXPECT_FALSE(h.decibels);
    EXPECT_EQ(h.values, arrays[i]->data);
    // Row 0 of the image on top: decreasing y centres.
    EXPECT_EQ(h.y.centres, (std::vector<double>{3, 2, 1, 0}));
  }
}

TEST(ReconstructionFigure, SignalRunOverlaysTheTargetAndDrawsMinusXWhenCloser) {
  const lab::ReconstructionResult r = synthetic({16}, 1, -0.8);  // x = −0.8·y: closer to −y
  const plot::Figure f = plot::reconstruction_figure(r);
  ASSERT_EQ(f.panels.size(), 3u);
  EXPECT_EQ(f.columns, 1);
  EXPECT_TRUE(panel<plot::ChartPanel>(f, 0).logy);
  const auto& overlay = panel<plot::ChartPanel>(f, 1);
  ASSERT_EQ(overlay.lines.size(), 2u);
  EXPECT_EQ(overlay.lines[0].y, r.target.data);
  EXPECT_TRUE(overlay.title.find("−x") != std::string::npos ||
              overlay.title.find("phase") != std::string::npos)
      << overlay.title;
  for (std::size_t i = 0; i < r.target.size(); ++i)
    EXPECT_NEAR(overlay.lines[1].y[i], 0.8 * r.target.data[i], 1e-12);
  const auto& start = panel<plot::ChartPanel>(f, 2);
  ASSERT_EQ(start.lines.size(), 1u);
  EXPECT_EQ(start.lines[0].y, r.start.data);
  EXPECT_NE(f.title.find("order ≤ 1"), std::string::npos) << f.title;
}

TEST(ReconstructionFigure, ComparisonOfImagesPutsEveryRunInOneErrorPanel) {
  const lab::ReconstructionResult a = synthetic({5, 5}, 1, 0.5), b = synthetic({5, 5}, 2);
  const plot::Figure f = plot::reconstruction_comparison_figure({&a, &b}, {"order ≤ 1", "order ≤ 2"});
  ASSERT_EQ(f.panels.size(), 4u);  // target, two reconstructions, errors
  EXPECT_EQ(f.columns, 4);
  EXPECT_EQ(panel<plot::Heatmap>(f, 0).values, a.target.data);
  EXPECT_EQ(panel<plot::Heatmap>(f, 1).values, a.signal.data);
  EXPECT_EQ(panel<plot::Heatmap>(f, 2).values, b.signal.data);
  EXPECT_NE(panel<plot::Heatmap>(f, 2).title.find("order ≤ 2"), std::string::npos);
  const auto& errors = panel<plot::ChartPanel>(f, 3);
  EXPECT_TRUE(errors.logy);
  // Two curves per run (solid, dashed; one colour per run), then two legend-only entries.
  ASSERT_EQ(errors.lines.size(), 6u);
  ASSERT_EQ(errors.styles.size(), 6u);
  EXPECT_EQ(errors.lines[0].label, "order ≤ 1");
  EXPECT_EQ(errors.lines[2].label, "order ≤ 2");
  EXPECT_EQ(errors.styles[0].colour, errors.styles[1].colour);
  EXPECT_NE(errors.styles[0].colour, errors.styles[2].colour);
  EXPECT_FALSE(errors.styles[2].dashed);
  EXPECT_TRUE(errors.styles[3].dashed);
  EXPECT_EQ(errors.lines[3].y.size(), b.history.size());
  EXPECT_EQ(errors.lines[4].x.size(), 1u);
}

TEST(ReconstructionFigure, ComparisonOfSignalsHasTargetErrorsThenEachRun) {
  const lab::ReconstructionResult a = synthetic({32}, 1), b = synthetic({32}, 2);
  const plot::Figure f = plot::reconstruction_comparison_figure({&a, &b}, {"one", "two"});
  ASSERT_EQ(f.panels.size(), 4u);
  EXPECT_EQ(f.columns, 2);
  EXPECT_EQ(panel<plot::ChartPanel>(f, 0).lines.at(0).y, a.target.data);
  EXPECT_TRUE(panel<plot::ChartPanel>(f, 1).logy);
  for (std::size_t k = 0; k < 2; ++k) {
    const auto& p = panel<plot::ChartPanel>(f, 2 + k);
    ASSERT_EQ(p.lines.size(), 2u);  // the target in grey under the reconstruction
    EXPECT_EQ(p.lines[1].y, (k ? b : a).signal.data);
    EXPECT_EQ(p.lines[1].label, k ? "two" : "one");
  }
}

TEST(ReconstructionFigure, RefusesWhatItCannotDraw) {
  const lab::ReconstructionResult a = synthetic({8}, 1), b = synthetic({4, 2}, 2);
  lab::ReconstructionResult empty = a;
  empty.history.clear();
  lab::ReconstructionResult cube = a;
  cube.target = cube.start = cube.signal = Array<double>({2, 2, 2});
  EXPECT_THROW(plot::reconstruction_figure(empty), wst::UsageError);
  EXPECT_THROW(plot::reconstruction_figure(cube), wst::UsageError);
  EXPECT_THROW(plot::reconstruction_comparison_figure({}, {}), wst::UsageError);
  EXPECT_THROW(plot::reconstruction_comparison_figure({&a}, {"a", "b"}), wst::UsageError);
  EXPECT_THROW(plot::reconstruction_comparison_figure({&a, nullptr}, {"a", "b"}), wst::UsageError);
  EXPECT_THROW(plot::reconstruction_comparison_figure({&a, &b}, {"a", "b"}), wst::UsageError);
}

TEST(ReconstructionFigure, RendersAsPng) {
  if (plot::gnuplot_path().empty()) GTEST_SKIP() << "gnuplot not found";
  const std::string dir = wst::test::temp_dir();
  const lab::ReconstructionResult a = synthetic({6, 6}, 1, 0.5), b = synthetic({6, 6}, 2);
  plot::render_png(plot::reconstruction_comparison_figure({&a, &b}, {"order ≤ 1", "order ≤ 2"}),
                   dir + "/comparison.png");
  plot::render_png(plot::reconstruction_figure(synthetic({64}, 2)), dir + "/single.png");
  EXPECT_EQ(wst::report::png_size(dir + "/comparison.png"),
            (std::pair<unsigned, unsigned>{2000, 440}));
  EXPECT_EQ(wst::report::png_size(dir + "/single.png").first, 1200u);
}
