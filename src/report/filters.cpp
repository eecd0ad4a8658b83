// §2 of the report: the filter banks (Andén & Mallat 2014; Bruna & Mallat 2013).
#include <algorithm>
#include <cmath>
#include <numbers>

#include "helpers.hpp"
#include "wst/core/filters_1d.hpp"
#include "wst/core/filters_2d.hpp"
#include "wst/core/littlewood_paley.hpp"
#include "wst/support/format.hpp"

namespace wst::report {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr int J = 3, L = 8;  // the 2D bank of the MNIST features

// The wavelets `psi` of one order of the 1D bank b1 in Fourier, with φ̂ and their one-sided
// Littlewood–Paley sum; A, B: its frame bounds over 0 ≤ ω ≤ ξ_max.
plot::ChartPanel bank_panel(const FilterBank1D& b1, const std::vector<Filter1D>& psi, int order,
                            const std::string& title, double& A, double& B, double& xi_max) {
const std::size_t N = b1.N;
  const LittlewoodPaley lp = littlewood_paley_1d_one_sided(b1, order);
  plot::ChartPanel p;
  p.title = title;
  p.xlabel = "frequency ω (cycles/sample, log scale)";
  p.ylabel = "|ψ̂(ω)|, |φ̂(ω)|, LP(ω)";
  p.logx = true;
  xi_max = 0;
  for (std::size_t l = 0; l < psi.size(); ++l) {
    plot::Line line;
    xi_max = std::max(xi_max, psi[l].xi);
    for (std::size_t k = 1; k <= N / 2; ++k) {
      line.x.push_back(double(k) / double(N));
      line.y.push_back(psi[l].fourier[k]);
    }
    if (l == 0) line.label = "ψ̂_λ (" + std::to_string(psi.size()) + " wavelets)";
    p.lines.push_back(std::move(line));
    p.styles.push_back({"", 1.5, false, false});
  }
  plot::Line phi, sum;
  for (std::size_t k = 1; k <= N / 2; ++k) {
    phi.x.push_back(double(k) / double(N));
    phi.y.push_back(b1.phi[k]);
    sum.x.push_back(double(k) / double(N));
    sum.y.push_back(lp.values[k]);
  }
  phi.label = "φ̂ (low-pass, scale 2^J)";
  sum.label = "LP(ω) = |φ̂|² + Σ|ψ̂_λ|²";
  p.lines.push_back(std::move(phi));
  p.styles.push_back({"#555555", 2, false, true});
  p.lines.push_back(std::move(sum));
  p.styles.push_back({"#000000", 3, false, false});
  p.ymin = 0;
  p.ymax = 1.5;
  p.key = "top left";
  // Frame bounds over the band the bank covers, 0 ≤ ω ≤ ξ_max.
  A = 1e300, B = 0;
  for (std::size_t k = 0; k <= N / 2 && double(k) / double(N) <= xi_max; ++k)
    A = std::min(A, lp.values[k]), B = std::max(B, lp.values[k]);
  return p;
}

// 1D: the banks of Scattering1D(J = 6, Q = 8) on 4096 samples, in Fourier, with their one-sided
// Littlewood–Paley sums LP(ω) = |φ̂(ω)|² + Σ_λ |ψ̂_λ(ω)|².
void filters_1d(const Settings& s, Section& out) {
  const FilterBank1D b1 = morlet_filter_bank_1d(6, 4096, 8, 1, 64);
  const std::size_t N = b1.N;
  double A1 = 0, B1 = 0, A2 = 0, B2 = 0, xi1 = 0, xi2 = 0;
  plot::Figure f1;
  f1.title = "1D Morlet filter banks in Fourier (J = 6, N = 4096 samples padded to " +
             std::to_string(N) + ")";
  f1.columns = 1;
  f1.width = 1200;
  f1.panel_height = 400;
  f1.panels.push_back(bank_panel(b1, b1.psi1, 1, "Order 1: Q = 8 wavelets per octave", A1, B1, xi1));
  f1.panels.push_back(
      bank_panel(b1, b1.psi2, 2, "Order 2: Q = 1 (one wavelet per octave)", A2, B2, xi2));
  plot::render_png(f1, figure_path(s, "filters-1d.png"));
  out.images.push_back(
      {"filters-1d.png",
       "The 1D Morlet wavelets of the first and second scattering orders in Fourier, with the "
       "low-pass filter and their Littlewood-Paley sum",
       "Each Morlet wavelet ψ̂_λ is a band-pass filter whose bandwidth is proportional to its "
       "centre frequency (equal widths on this log axis), and φ̂ keeps the frequencies below "
       "2^−J; their Littlewood–Paley sum LP(ω) stays between A = " +
           num("%.3f", A1) + " and B = " + num("%.3f", B1) + " for Q = 8 and between " +
           num("%.3f", A2) + " and " + num("%.3f", B2) +
           " for Q = 1 on 0 ≤ ω ≤ ξ_max. These frame bounds A‖x‖² ≤ ‖Wx‖² ≤ "
           "B‖x‖² (Andén & Mallat 2014, eq. 9) keep the wavelet-modulus layers of the scattering "
           "network (Mallat 2016, §5) from losing or amplifying much energy."});

}

// An axis of n frequencies −1/2 … 1/2 (fftshifted).
plot::Axis shifted_axis(std::size_t n, const std::string& label) {
  plot::Axis a;
  a.label = label;
  for (std::size_t i = 0; i < n; ++i) a.centres.push_back((double(i) - double(n / 2)) / double(n));
  return a;
}

// fftshift of an Mp × Np array.
std::vector<double> shifted(const std::vector<double>& v, std::size_t Mp, std::size_t Np) {
  std::vector<double> o(Mp * Np);
  for (std::size_t r = 0; r < Mp; ++r)
    for (std::size_t c = 0; c < Np; ++c)
      o[r * Np + c] = v[((r + Mp - Mp / 2) % Mp) * Np + (c + Np - Np / 2) % Np];
  return o;
}

// 2D: the bank of Scattering2D(J = 3, L = 8) on 32×32 images (the MNIST features), in Fourier.
void filters_2d_fourier(const Settings& s, const FilterBank2D& b2, Section& out) {
  const std::size_t Mp = b2.Mp, Np = b2.Np;
  const LittlewoodPaley lp2 = littlewood_paley_2d(b2);
  std::vector<double> tiling(Mp * Np, 0.0);
  for (const auto& f : b2.psi)
    for (std::size_t i = 0; i < Mp * Np; ++i) tiling[i] = std::max(tiling[i], f.fourier[i]);
  plot::Heatmap h1, h2;
  h1.title = "max over j, θ of ψ̂_{j,θ}(ω): how the wavelets tile the plane";
  h2.title = "Littlewood–Paley sum LP(ω) = φ̂² + ½Σ(ψ̂(ω)² + ψ̂(−ω)²)";
  for (auto* h : {&h1, &h2}) {
    h->rows = Mp;
    h->cols = Np;
    h->x = shifted_axis(Np, "ω2 (cycles/pixel)");
    h->y = shifted_axis(Mp, "ω1 (cycles/pixel)");
    h->decibels = false;
  }
  h1.values = shifted(tiling, Mp, Np);
  h1.colorbar_label = "ψ̂";
  h2.values = shifted(lp2.values, Mp, Np);
  h2.colorbar_label = "LP(ω)";
  plot::Figure f2;
  f2.title = "2D Morlet bank in Fourier (J = 3, L = 8, 32×32 images padded to " +
             std::to_string(Mp) + "×" + std::to_string(Np) + ")";
  f2.columns = 2;
  f2.width = 1240;
  f2.panel_height = 540;
  f2.panels = {h1, h2};
  plot::render_png(f2, figure_path(s, "filters-2d-fourier.png"));
  out.images.push_back(
      {"filters-2d-fourier.png",
       "The 2D Morlet filters in the Fourier plane and their Littlewood-Paley sum",
       "The " + std::to_string(b2.psi.size()) + " wavelets ψ̂_{j,θ} (" + std::to_string(J) +
           " scales × " + std::to_string(L) +
           " angles) cover the frequency plane in rings of "
           "octaves cut into angular sectors, and the low-pass φ̂ fills the centre; their "
           "Littlewood–Paley sum lies between A = " +
           num("%.3f", lp2.A) +
           " (the corners, "
           "beyond the finest wavelets) and B = " +
           num("%.4f", lp2.B) +
           ". This is the "
           "wavelet transform W of Bruna & Mallat (2013, §2) whose modulus, iterated, gives the "
           "scattering transform (Mallat 2016, §5)."});

}

void filters_2d_space(const Settings& s, const FilterBank2D& b2, Section& out) {
  // Every 2D Morlet wavelet in space: real part and modulus, per scale j and angle θ.
  const std::size_t side = 2 * std::size_t(std::ceil(3 * 0.8 * std::ldexp(1.0, J - 1))) + 1;
  plot::TileGrid grid;
  grid.title = "2D Morlet wavelets ψ_{j,θ} in space (" + std::to_string(side) + "×" +
               std::to_string(side) + " pixels around the centre)";
  grid.tile_px = 84;
  grid.label_px = 190;
  grid.colorbar_label = "value (per-row range)";
  for (int t = 0; t < L; ++t)
    grid.column_labels.push_back("θ = " + degrees(b2.psi[std::size_t(t)].angle));
  for (int j = 0; j < J; ++j) {
    plot::TileRow re, mod;
    const double sigma = b2.psi[std::size_t(j * L)].sigma;
    re.label = "Re ψ, j = " + std::to_string(j) + " (σ = " + num("%.1f", sigma) + " px)";
    mod.label = "|ψ|, j = " + std::to_string(j);
    re.colormap = "coolwarm";
    mod.colormap = "viridis";
    for (int t = 0; t < L; ++t) {
      const auto psi = filter_in_space(b2, b2.psi[std::size_t(j * L + t)], side);
      std::vector<double> r(psi.size()), m(psi.size());
      for (std::size_t i = 0; i < psi.size(); ++i) r[i] = psi[i].real(), m[i] = std::abs(psi[i]);
      re.tiles.push_back(tile_of(side, side, std::move(r)));
      mod.tiles.push_back(tile_of(side, side, std::move(m)));
    }
    grid.rows.push_back(std::move(re));
    grid.rows.push_back(std::move(mod));
  }
  plot::render_grid_png(grid, figure_path(s, "filters-2d.png"));
  out.images.push_back(
      {"filters-2d.png",
       "A grid of the 2D Morlet wavelets: real parts and moduli for each scale and angle",
       "Each wavelet is a plane wave of angle θ and period ≈ " +
           num("%.1f", 2 * kPi / b2.psi[0].xi) +
           "·2^j pixels under an elliptical Gaussian envelope of width σ = 0.8·2^j: the real part "
           "(red positive, blue negative) oscillates across the edges it responds to, and the "
           "modulus is the smooth envelope that the scattering keeps. Dilating and rotating one "
           "mother wavelet gives the whole family (Mallat 2016, §2; Bruna & Mallat 2013, §2); "
           "each row has its own colour range."});
}

}  // namespace

Section filters_section(const Settings& s) {
  Section out;
  filters_1d(s, out);
  const FilterBank2D b2 = morlet_filter_bank_2d(J, L, 32, 32);
  filters_2d_fourier(s, b2, out);
  filters_2d_space(s, b2, out);
  out.commands.push_back(s.report_command);
  return out;
}

}  // namespace wst::report
