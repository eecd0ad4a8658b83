// §3 of the report: a digit's scattering (Bruna & Mallat 2013, §2; Mallat 2016, §5).
#include <algorithm>
#include <array>
#include <cmath>

#include "helpers.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/lab/digits.hpp"
#include "wst/support/format.hpp"

namespace wst::report {
namespace {

constexpr int J = 2, L = 8;

// The scattering of one digit x (32×32): its channels, and what the figures need of them.
struct DigitScattering {
  std::vector<double> x, y;
  std::size_t C = 0, side = 0, P = 0;
  std::array<double, 3> energy{};  // ‖S_m x‖² / ‖x‖² per order m
  std::vector<std::vector<std::vector<double>>> order2 =
      std::vector<std::vector<std::vector<double>>>(L, std::vector<std::vector<double>>(L));
};

// Order 0 and order 1 by scale and angle, as a grid of maps; fills d.energy and d.order2.
void orders01_figure(const Settings& s, const Scattering2D& S, DigitScattering& d, Section& out) {
  const std::vector<double>& x = d.x;
  const std::vector<double>& y = d.y;
  const std::size_t C = d.C, side = d.side, P = d.P;
  auto& energy = d.energy;
  auto& order2 = d.order2;
  const auto channel = [&](std::size_t c) {
    return std::vector<double>(y.begin() + long(c * P), y.begin() + long((c + 1) * P));
  };
  const auto& meta = S.meta();
  plot::TileGrid maps;
  maps.title = "Scattering of a digit (J = 2, L = 8): orders 0 and 1, each 8×8";
  maps.tile_px = 84;
  maps.label_px = 250;
  maps.colorbar_label = "value (per-row range)";
  maps.column_label_row = 2;  // above the order-1 rows
  for (int t = 0; t < L; ++t)
    maps.column_labels.push_back("θ = " + degrees(S.filters().psi[std::size_t(t)].angle));
  plot::TileRow input, order0;
  input.label = "digit x (32×32 pixels)";
  input.tiles.push_back(tile_of(32, 32, x));
  order0.label = "order 0: x⋆φ_J";
  std::vector<plot::TileRow> order1(J);
  for (int j = 0; j < J; ++j)
    order1[std::size_t(j)].label = "order 1: |x⋆ψ_{" + std::to_string(j) + ",θ}|⋆φ_J";
  const double cell = std::ldexp(1.0, 2 * J);  // each output sample stands for 4^J pixels
  double ex = 0;
  for (double v : x) ex += v * v;
  for (std::size_t c = 0; c < C; ++c) {
    const PathMeta2D& m = meta[c];
    const std::vector<double> v = channel(c);
    double e = 0;
    for (double u : v) e += u * u;
    energy[std::size_t(m.order)] += cell * e / ex;
    if (m.order == 0) order0.tiles.push_back(tile_of(side, side, v));
    if (m.order == 1) order1[std::size_t(m.j1)].tiles.push_back(tile_of(side, side, v));
    if (m.order == 2 && m.j1 == 0 && m.j2 == 1)
      order2[std::size_t(m.theta1)][std::size_t(m.theta2)] = v;
  }
  maps.rows.push_back(std::move(input));
  maps.rows.push_back(std::move(order0));
  for (auto& r : order1) maps.rows.push_back(std::move(r));
  plot::render_grid_png(maps, figure_path(s, "scattering-orders01.png"));
  out.images.push_back(
      {"scattering-orders01.png",
       "A handwritten 3, its order-0 scattering map and its 16 order-1 maps by scale and angle",
       "Order 0 is the digit averaged by φ_J over 2^J = 4 pixels; order 1 recovers what that "
       "average loses, the modulus of the wavelet coefficients |x⋆ψ_{j,θ}| averaged the same "
       "way, which is large where the strokes run across the angle θ (each row with its own colour "
       "range). These are the first layers of the scattering network (Mallat 2016, §5; Bruna & "
       "Mallat 2013, §2), stable to small deformations because the wavelets, the modulus and the "
       "averaging are."});

}

// Order 2 for j1 = 0, j2 = 1: a grid of maps, rows θ1 and columns θ2.
void order2_figure(const Settings& s, const Scattering2D& S, const DigitScattering& d,
                   Section& out) {
  const std::size_t side = d.side;
  const auto& order2 = d.order2;
  const auto& energy = d.energy;
  plot::TileGrid g2;
  g2.title = "Order 2: ||x⋆ψ_{0,θ1}|⋆ψ_{1,θ2}|⋆φ_J (rows θ1, columns θ2), each 8×8";
  g2.tile_px = 72;
  g2.label_px = 120;
  g2.shared_range = true;
  g2.colorbar_label = "value (one range for all maps)";
  for (int t = 0; t < L; ++t)
    g2.column_labels.push_back(degrees(S.filters().psi[std::size_t(t)].angle));
  for (int t1 = 0; t1 < L; ++t1) {
    plot::TileRow row;
    row.label = "θ1 = " + degrees(S.filters().psi[std::size_t(t1)].angle);
    for (int t2 = 0; t2 < L; ++t2)
      row.tiles.push_back(tile_of(side, side, order2[std::size_t(t1)][std::size_t(t2)]));
    g2.rows.push_back(std::move(row));
  }
  plot::render_grid_png(g2, figure_path(s, "scattering-order2.png"));
  out.images.push_back(
      {"scattering-order2.png",
       "An 8 by 8 grid of order-2 scattering maps of the digit, one per pair of angles",
       "Order 2 applies a second wavelet modulus to each order-1 envelope |x⋆ψ_{0,θ1}| before "
       "averaging: it measures how that envelope varies at the coarser scale 2^1 along θ2, the "
       "interactions between strokes and corners that order 1 averages away (one shared colour "
       "range). Iterating wavelet moduli this way builds deeper layers that stay stable (Mallat "
       "2016, §5); here order 2 holds " +
           num("%.1f", 100 * energy[2]) + " % of the energy against " +
           num("%.1f", 100 * energy[1]) + " % for order 1."});

}

// The mean energy per order over 100 digits spread over the classes.
std::array<double, 3> mean_energy(const Digits& d, const Scattering2D& S) {
  const std::size_t C = S.channels(), P = S.output_rows() * S.output_rows();
  const double cell = std::ldexp(1.0, 2 * J);
  const auto& meta = S.meta();
  constexpr std::size_t kMany = 100;
  const std::vector<double> many =
      lab::centred_digits(d, lab::spread_indices(d.size(), kMany), 32);
  std::vector<double> ym(kMany * C * P);
  S(many.data(), kMany, ym.data());
  std::array<double, 3> mean{};
  for (std::size_t i = 0; i < kMany; ++i) {
    double e = 0;
    for (std::size_t k = 0; k < 32 * 32; ++k) e += many[i * 1024 + k] * many[i * 1024 + k];
    for (std::size_t c = 0; c < C; ++c) {
      double ec = 0;
      for (std::size_t k = 0; k < P; ++k) ec += ym[(i * C + c) * P + k] * ym[(i * C + c) * P + k];
      mean[std::size_t(meta[c].order)] += cell * ec / e / double(kMany);
    }
  }
  return mean;
}

// Energy per order: this digit, and the mean over 100 digits, as bars.
void energy_figure(const Settings& s, const std::array<double, 3>& energy,
                   const std::array<double, 3>& mean, Section& out) {
  plot::ChartPanel bars;
  bars.title = "‖S_m x‖² / ‖x‖² per order m (dark: this digit; light: mean over 100 digits)";
  bars.xlabel = "scattering order m";
  bars.ylabel = "fraction of ‖x‖² (%)";
  bars.xmin = -0.6, bars.xmax = 3.6, bars.ymin = 0;
  const double rest_digit = 1 - energy[0] - energy[1] - energy[2];
  const double rest_mean = 1 - mean[0] - mean[1] - mean[2];
  const std::array<double, 4> dv = {energy[0], energy[1], energy[2], rest_digit};
  const std::array<double, 4> mv = {mean[0], mean[1], mean[2], rest_mean};
  double top = 0;
  for (std::size_t m = 0; m < 4; ++m) {
    const double c = double(m);
    bars.rects.push_back({c - 0.38, c - 0.02, 0, std::max(100 * dv[m], 1e-6), "#1f4e9c", true,
                          num("%.1f %%", 100 * dv[m])});
    bars.rects.push_back({c + 0.02, c + 0.38, 0, std::max(100 * mv[m], 1e-6), "#8fb3e8", true,
                          num("%.1f %%", 100 * mv[m])});
    top = std::max({top, 100 * dv[m], 100 * mv[m]});
  }
  bars.ymax = top * 1.15 + 1;
  bars.xtics = {{0, "order 0: x⋆φ_J"},
                {1, "order 1"},
                {2, "order 2"},
                {3, "rest (order ≥ 3, LP < 1, j2 > j1 pruning)"}};
  plot::Figure fe;
  fe.columns = 1;
  fe.width = 1100;
  fe.panel_height = 420;
  fe.panels = {bars};
  plot::render_png(fe, figure_path(s, "scattering-energy.png"));
  out.images.push_back(
      {"scattering-energy.png", "Bar chart of the energy of the scattering per order",
       "The fractions of the digit's energy ‖x‖² carried by each scattering order (each output "
       "sample counted for the 4^J pixels it stands for): " +
           num("%.1f", 100 * energy[0]) + " %, " + num("%.1f", 100 * energy[1]) + " % and " +
           num("%.1f", 100 * energy[2]) +
           " % for orders 0, 1, 2 (mean over 100 digits: " + num("%.1f", 100 * mean[0]) + ", " +
           num("%.1f", 100 * mean[1]) + ", " + num("%.1f", 100 * mean[2]) +
           " %). Each modulus "
           "pushes energy towards low frequencies, where φ_J captures it, so the energy left "
           "decays "
           "quickly with the order and two layers suffice (Mallat 2016, §5; Bruna & Mallat 2013, "
           "§2.2)."});
}

}  // namespace

Section scattering_section(const Settings& s, const DigitsOrWhy& data) {
  Section out;
  if (!data.digits) {
    out.missing.push_back(
        {"the scattering of an MNIST digit (maps of orders 0, 1 and 2, and the "
         "energy per order)",
         data.why, missing_data_how(s)});
    return out;
  }
  const Digits& d = *data.digits;
  // The first "3" of the data set (labels are in class order).
  std::size_t index = 0;
  while (index + 1 < d.size() && d.labels[index] != 3) ++index;
  // Centred in 32×32 with zeros, as in the stability and energy measurements.
  DigitScattering ds;
  ds.x = lab::centred_digits(d, {index}, 32);
  const Scattering2D S(J, 32, 32, L, 2, s.exec);
  ds.C = S.channels(), ds.side = S.output_rows(), ds.P = ds.side * ds.side;
  ds.y.resize(ds.C * ds.P);
  S(ds.x.data(), 1, ds.y.data());
  orders01_figure(s, S, ds, out);
  order2_figure(s, S, ds, out);
  energy_figure(s, ds.energy, mean_energy(d, S), out);
  out.commands.push_back(s.report_command);
  out.commands.push_back("build/wst energy --out " + sh(s.out) + (s.quick ? " --quick" : "") +
                         "   # the same energies at J = 3, with the propagator U_m");
  return out;
}

}  // namespace wst::report
