// The pictures of the charges experiment (wst/plot/charges.hpp) on a synthetic result: which
// panels, with which data; bad input refused; both figures rendered as PNGs.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "test_support.hpp"
#include "wst/plot/charges.hpp"
#include "wst/support/error.hpp"

namespace plot = wst::plot;
namespace lab = wst::lab;

namespace {

lab::ChargesResult synthetic() {
  lab::ChargesResult r;
  r.config.grid = 16;
  r.config.J = 1;
  r.config.L = 1;
  r.config.radius = 3;
  r.config.atom_sigma = 1;
  r.learning = {{10, {0.5, 0.4, 2.0, 1.0}}, {20, {0.3, 0.25, 1.8, 0.9}}};
  r.invariance = {{"scattering", 1e-2, 5e-3, 1e-3, 1e-10, 1e-12},
                  {"scattering order 1, p = 2", 1e-8, 1e-8, 1e-9, 1e-14, 1e-15},
                  {"voxels", 1.2, 1.0, 1.4, 1.1, 1.4},
                  {"Fourier modulus", 3.0, 0.8, 0.6, 1e-15, 1e-15}};
  r.energy_std = 1.5;
  r.example_atoms = 3;
  for (std::size_t i = 0; i < 16 * 16; ++i) r.density_slice.push_back(std::sin(0.1 * double(i)));
  for (int m = 0; m < 4; ++m) {
    r.moduli_slices.emplace_back();
    for (std::size_t i = 0; i < 16 * 16; ++i) r.moduli_slices.back().push_back(1.0 + std::cos(0.05 * double(i * (m + 1))));
  }
  return r;
}

}  // namespace

TEST(ChargesFigure, CurvesBarsAndModuli) {
  const auto r = synthetic();
  const plot::Figure f = plot::charges_figure(r);
  ASSERT_EQ(f.panels.size(), 2u);
  const auto& curves = std::get<plot::ChartPanel>(f.panels[0]);
  ASSERT_EQ(curves.lines.size(), 5u);  // four models and std(E)
  EXPECT_EQ(curves.lines[1].y, (std::vector<double>{0.4, 0.25}));
  EXPECT_EQ(curves.lines[1].label, "scattering order 1, p = 2");
  const auto& bars = std::get<plot::ChartPanel>(f.panels[1]);
  ASSERT_EQ(bars.rects.size(), 8u);
  EXPECT_NEAR(bars.rects[2].y1, -8, 1e-12);  // log10 1e-8
  const plot::TileGrid g = plot::charges_moduli_grid(r);
  ASSERT_EQ(g.rows.size(), 3u);  // the density, then j = 0, 1
  EXPECT_EQ(g.rows[1].tiles.size(), 2u);
  EXPECT_EQ(g.column_labels, (std::vector<std::string>{"l = 0", "l = 1"}));
  const std::string dir = wst::test::temp_dir();
  plot::render_png(f, dir + "/c.png");
  plot::render_grid_png(g, dir + "/m.png");
  EXPECT_GT(std::filesystem::file_size(dir + "/c.png"), 1000u);
  EXPECT_GT(std::filesystem::file_size(dir + "/m.png"), 1000u);
}

TEST(ChargesFigure, EmptyResultsAreRefused) {
  lab::ChargesResult r;
  EXPECT_THROW(plot::charges_figure(r), wst::UsageError);
  EXPECT_THROW(plot::charges_moduli_grid(r), wst::UsageError);
}
