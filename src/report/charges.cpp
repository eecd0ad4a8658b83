// §8 of the report: what solid-harmonic 3D scattering predicts (Eickenberg et al. 2018), measured
// by lab::charges and drawn by plot/charges.hpp, as `wst charges` does.
#include "wst/report/charges.hpp"

#include <string>

#include "helpers.hpp"
#include "wst/lab/charges.hpp"
#include "wst/plot/charges.hpp"
#include "wst/support/format.hpp"

namespace wst::report {
namespace {

// `wst charges --quick` (training sizes 25, 50, 100; 50 test configurations), or up to 200.
lab::ChargesConfig config_for(const Settings& s) {
  lab::ChargesConfig c;
  c.train_sizes = s.quick ? std::vector<std::size_t>{25, 50, 100} : std::vector<std::size_t>{25, 50, 100, 200};
  c.test_size = s.quick ? 50 : 100;
  c.exec.threads = s.exec.threads;
  c.exec.planning = Planning::estimate;
  return c;
}

Table learning_table(const lab::ChargesResult& r) {
  Table t;
  t.caption = "Test RMSE of the energy (its standard deviation: " + num("%.3f", r.energy_std) + ")";
  t.header = {"training configurations"};
  for (const char* m : lab::kChargesModels) t.header.push_back(m);
  for (const auto& p : r.learning) {
    std::vector<std::string> row{std::to_string(p.train)};
    for (double e : p.rmse) row.push_back(num("%.3f", e));
    t.rows.push_back(row);
  }
  t.after_image = 1;
  return t;
}

Table invariance_table(const lab::ChargesResult& r) {
  Table t;
  t.caption = "Largest change of each prediction when " + std::to_string(r.config.invariance_configs) +
              " test configurations are rotated and translated (" + std::to_string(r.config.motions) +
              " random moves each, re-rendered), or shifted by whole voxels";
  t.header = {"model", "max |Δŷ| / |ŷ|", "max |Δŷ| / std(E)", "max ‖Δf‖ / ‖f‖", "whole-voxel shift |Δŷ| / |ŷ|"};
  for (const auto& v : r.invariance)
    t.rows.push_back({v.name, num("%.1e", v.prediction), num("%.1e", v.prediction_vs_spread),
                      num("%.1e", v.features), num("%.1e", v.shift_prediction)});
  t.after_image = 1;
  return t;
}

void add_images(const lab::ChargesResult& r, Section& out) {
  const lab::ChargesConfig& c = r.config;
  out.images.push_back(
      {"charges-moduli.png",
       "Central slices of a density of point charges and of its first-order moduli for each scale "
       "and degree",
       "A configuration of " + std::to_string(r.example_atoms) + " charges rendered as Gaussian atoms "
       "(width " + num(c.atom_sigma) + " voxels) on a periodic " + std::to_string(c.grid) + "³ grid, "
       "and its moduli U1[j, l] = (Σ_m |ρ ⋆ ψ_{j,l,m}|²)^{1/2}: Gaussians times solid harmonics of "
       "degree l at widths σ_j = 2^j. Summing |·|² over m makes each U1 turn with the density, so "
       "that its integrals Σ U1^p do not change when the charges are rotated or translated "
       "(Eickenberg et al. 2018)."});
  const lab::ChargesInvariance& all = r.invariance[0];
  const lab::ChargesInvariance& quad = r.invariance[1];
  out.images.push_back(
      {"charges.png",
       "Learning curves of four ridge regressions of the energy, and bars of how much each "
       "prediction changes when the charges are moved",
       "Ridge regression of E = Σ q_i q_j / |r_i − r_j| on the scattering invariants beats the "
       "voxels and the Fourier modulus at every training size: the energy does not change when the "
       "charges are moved, and neither do the invariants. Moving the charges changes the prediction "
       "on all the invariants by up to " + num("%.0e", all.prediction) + " (relative): their p ≠ 2 "
       "powers and second order are invariant only up to the sampling of the grid; on the "
       "first-order invariants of power 2, Σ U1², quadratic in the density like the energy, by " +
           num("%.0e", quad.prediction) + "."});
}

}  // namespace

Section charges_section(const Settings& s) {
  Section out;
  const lab::ChargesResult r = lab::charges(config_for(s));
  plot::render_grid_png(plot::charges_moduli_grid(r), figure_path(s, "charges-moduli.png"));
  plot::render_png(plot::charges_figure(r), figure_path(s, "charges.png"));
  add_images(r, out);
  out.tables.push_back(learning_table(r));
  out.tables.push_back(invariance_table(r));
  out.notes.push_back(
      "Why Σ U1² is exactly invariant and the rest only nearly: U1² = Σ_m |ρ ⋆ ψ_{j,l,m}|² is "
      "band-limited when the density is, so its sum over the grid equals the integral; the square "
      "roots (p = 1, 1/2) and the second order are not band-limited, and the grid's sum differs from "
      "the integral by up to about 1e-3 of a coefficient. The voxels move with the charges, and "
      "the Fourier modulus, invariant to translations, changes with rotations.");
  out.commands.push_back("build/wst charges --out " + sh(s.out) +
                         (s.quick ? " --quick" : " --train-sizes 25,50,100,200 --test-size 100") +
                         "   # writes OUT/charges/charges{.json,.md,.png,-moduli.png}");
  return out;
}

}  // namespace wst::report
