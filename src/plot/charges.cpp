// Pictures of the charges experiment (wst/plot/charges.hpp).
#include "wst/plot/charges.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "wst/support/error.hpp"
#include "wst/support/format.hpp"

namespace wst::plot {

namespace {

// The centre crop (side c) of a g × g slice, divided by its largest |value| when `normalise`.
Tile slice_tile(const std::vector<double>& v, std::size_t g, std::size_t c, bool normalise) {
  Tile t{c, c, {}};
  const std::size_t o = (g - c) / 2;
  double m = 0;
  for (std::size_t r = 0; r < c; ++r)
    for (std::size_t k = 0; k < c; ++k) {
      t.values.push_back(v[(o + r) * g + o + k]);
      m = std::max(m, std::abs(t.values.back()));
    }
  if (normalise && m > 0)
    for (double& x : t.values) x /= m;
  return t;
}

}  // namespace

TileGrid charges_moduli_grid(const lab::ChargesResult& r) {
  const std::size_t g = r.config.grid, L1 = std::size_t(r.config.L + 1);
  if (r.density_slice.size() != g * g || r.moduli_slices.size() != std::size_t(r.config.J + 1) * L1)
    throw UsageError("charges_moduli_grid: the result holds no density or moduli slices");
  // The region the charges and their moduli occupy: radius + 3 atom widths + 2σ_J about the centre.
  const double reach = r.config.radius + 3 * r.config.atom_sigma + 2 * r.config.sigma_0 * double(1 << r.config.J);
  const std::size_t c = std::min(g, 2 * std::size_t(std::ceil(reach)));
  TileGrid grid;
  grid.title = std::to_string(r.example_atoms) + " charges: density and U1[j, l] (central slices)";
  grid.colorbar_label = "each picture / its max";
  grid.rows.push_back({"density ρ", {slice_tile(r.density_slice, g, c, true)}, "coolwarm"});
  for (std::size_t j = 0; j < std::size_t(r.config.J + 1); ++j) {
    TileRow row{"U1, j = " + std::to_string(j) + " (σ = " + num(r.config.sigma_0 * double(1 << j)) + ")", {}, "viridis"};
    for (std::size_t l = 0; l < L1; ++l) row.tiles.push_back(slice_tile(r.moduli_slices[j * L1 + l], g, c, true));
    grid.rows.push_back(std::move(row));
  }
  for (std::size_t l = 0; l < L1; ++l) grid.column_labels.push_back("l = " + std::to_string(l));
  grid.column_label_row = 1;
  grid.tile_px = 150;
  grid.label_px = 190;
  return grid;
}

Figure charges_figure(const lab::ChargesResult& r) {
  if (r.learning.empty() || r.invariance.empty())
    throw UsageError("charges_figure: the result holds no learning points or invariance figures");
  ChartPanel curves;
  curves.title = "Test RMSE of the energy against the training size";
  curves.xlabel = "training configurations";
  curves.ylabel = "RMSE of E (charge²/voxel)";
  curves.logx = curves.logy = true;
  for (std::size_t m = 0; m < r.learning.front().rmse.size(); ++m) {
    Line line{{}, {}, lab::kChargesModels[m]};
    for (const auto& p : r.learning) line.x.push_back(double(p.train)), line.y.push_back(p.rmse[m]);
    curves.lines.push_back(line);
    curves.styles.push_back({"", 2, true, false});
  }
  curves.lines.push_back({{double(r.learning.front().train), double(r.learning.back().train)},
                          {r.energy_std, r.energy_std}, "std(E): predicting the mean"});
  curves.styles.push_back({"#7f7f7f", 1.5, false, true});
  curves.key = "bottom left";
  ChartPanel bars;
  bars.title = "Largest relative change of the prediction when the charges are moved";
  bars.ylabel = "log10 max |Δŷ| / |ŷ|";
  const char* colours[2] = {"#1f77b4", "#ff7f0e"};
  for (std::size_t m = 0; m < r.invariance.size(); ++m) {
    const auto& v = r.invariance[m];
    const double values[2] = {v.prediction, v.shift_prediction};
    for (int k = 0; k < 2; ++k) {
      const double h = std::log10(std::max(values[k], 1e-16));
      const double x0 = double(m) + (k ? 0.02 : -0.38);
      bars.rects.push_back({x0, x0 + 0.36, -16, h, colours[k], true, num("%.0e", values[k])});
    }
    bars.xtics.push_back({double(m), v.name});
  }
  bars.lines.push_back({{-0.5, -0.5}, {-16, -16}, "rotation + translation (blue), whole-voxel shift (orange)"});
  bars.ymin = -16;
  bars.ymax = 6;
  bars.xmin = -0.6;
  bars.xmax = double(r.invariance.size()) - 0.4;
  return Figure{"What 3D harmonic scattering predicts: the energy of point charges", {curves, bars}, 2, 1400, 460};
}

}  // namespace wst::plot
