// Solid harmonics, the frequency grid and Kymatio's wavelets (docs/harmonic3d-formulas.md §2–§4).
#include "solid_harmonics.hpp"

#include <cmath>
#include <numbers>
#include <string>

#include "wst/core/harmonic_scattering_3d.hpp"
#include "wst/support/error.hpp"

namespace wst {
namespace detail {
namespace {

double factorial(int n) {
  double f = 1;
  for (int i = 2; i <= n; ++i) f *= i;
  return f;
}

double binomial(int n, int k) { return factorial(n) / (factorial(k) * factorial(n - k)); }

}  // namespace

// §4: n_l for even and odd l.
double harmonic_constant(int l) {
  const double pi = std::numbers::pi;
  double n = 0;
  if (l % 2 == 0) {
    double dfact = 1;  // (l+1)!! = 1·3·5·…·(l+1)
    for (int i = 3; i <= l + 1; i += 2) dfact *= i;
    n = 1 / (2 * pi * std::sqrt(l + 0.5) * dfact);
  } else {
    n = 1 / (std::pow(2.0, (l + 3) / 2) * std::sqrt(pi * (2 * l + 1)) * factorial((l + 1) / 2));
  }
  return std::pow(2 * pi, 1.5) * n;
}

RealSolidHarmonics::RealSolidHarmonics(int L) : L_(L) {
  for (int l = 0; l <= L; ++l) {
    // P_l(t) = 2^{−l} Σ_i (−1)^i C(l, i) C(2l − 2i, l) t^{l−2i}.
    std::vector<double> a;
    for (int i = 0; 2 * i <= l; ++i)
      a.push_back((i % 2 ? -1.0 : 1.0) * binomial(l, i) * binomial(2 * l - 2 * i, l) / std::ldexp(1.0, l));
    for (int m = 0; m <= l; ++m) {
      Term t{l, m, 0, {}};
      // d^m/dt^m of t^{l−2i}: (l−2i)!/(l−2i−m)! t^{l−2i−m}, for l − 2i ≥ m.
      for (int i = 0; l - 2 * i >= m; ++i)
        t.b.push_back(a[i] * factorial(l - 2 * i) / factorial(l - 2 * i - m));
      t.norm = std::sqrt((2 * l + 1) / (4 * std::numbers::pi) * factorial(l - m) / factorial(l + m));
      if (m > 0) t.norm *= std::numbers::sqrt2;
      terms_.push_back(std::move(t));
    }
  }
}

// Σ_i b_i z^{l−m−2i} (r²)^i.
double RealSolidHarmonics::q_value(const Term& t, const double* zpow, const double* r2pow) const {
  double q = 0;
  for (std::size_t i = 0; i < t.b.size(); ++i) q += t.b[i] * zpow[t.l - t.m - 2 * int(i)] * r2pow[i];
  return q;
}

void RealSolidHarmonics::evaluate(double x, double y, double z, double* out) const {
  double zpow[64], r2pow[64], pre[64], pim[64];
  const double r2 = x * x + y * y + z * z;
  zpow[0] = r2pow[0] = pre[0] = 1;
  pim[0] = 0;
  for (int i = 1; i <= L_; ++i) {
    zpow[i] = zpow[i - 1] * z;
    r2pow[i] = r2pow[i - 1] * r2;
    pre[i] = pre[i - 1] * x - pim[i - 1] * y;  // (x + iy)^i
    pim[i] = pre[i - 1] * y + pim[i - 1] * x;
  }
  for (const Term& t : terms_) {
    const double q = t.norm * q_value(t, zpow, r2pow);
    const std::size_t base = std::size_t(t.l) * std::size_t(t.l);
    if (t.m == 0) {
      out[base] = q;
    } else {
      out[base + 2 * t.m - 1] = q * pre[t.m];
      out[base + 2 * t.m] = q * pim[t.m];
    }
  }
}

std::complex<double> RealSolidHarmonics::complex_harmonic(int l, int m, double x, double y,
                                                          double z) const {
  double v[64 * 64];
  evaluate(x, y, z, v);
  const std::size_t base = std::size_t(l) * std::size_t(l);
  const int am = std::abs(m);
  if (am == 0) return v[base];
  // Y_l^{|m|} = (−1)^m (C + iS)/√2, Y_l^{−|m|} = (C − iS)/√2 (§3.2).
  const double c = v[base + 2 * am - 1] / std::numbers::sqrt2, s = v[base + 2 * am] / std::numbers::sqrt2;
  if (m < 0) return {c, -s};
  const double sign = am % 2 ? -1.0 : 1.0;
  return {sign * c, sign * s};
}

}  // namespace detail

// §2: g_K[k] = k or k − K (even K); ((k + h) mod K) − (h + 1) for K = 2h + 1 (Quirk).
std::vector<int> harmonic_frequency_index(std::size_t K) {
  std::vector<int> g(K);
  const long k_len = long(K);
  for (long k = 0; k < k_len; ++k) {
    if (K % 2 == 0) {
      g[k] = int(k < k_len / 2 ? k : k - k_len);
    } else {
      const long h = k_len / 2;
      g[k] = int((k + h) % k_len - (h + 1));
    }
  }
  return g;
}

std::vector<std::complex<double>> solid_harmonic_wavelet_3d(int j, int l, int m, std::size_t M,
                                                            std::size_t N, std::size_t O,
                                                            double sigma_0) {
  if (l < 0 || l > 16 || std::abs(m) > l)
    throw UsageError("l=" + std::to_string(l) + ", m=" + std::to_string(m) +
                     " is out of range: must have 0 <= l <= 16 and |m| <= l");
  const detail::RealSolidHarmonics harmonics(l);
  const double sigma = sigma_0 * std::ldexp(1.0, j), two_pi = 2 * std::numbers::pi;
  const auto g0 = harmonic_frequency_index(M), g1 = harmonic_frequency_index(N),
             g2 = harmonic_frequency_index(O);
  // c_l (−i)^l σ^l (§4).
  const std::complex<double> minus_i_l[4] = {{1, 0}, {0, -1}, {-1, 0}, {0, 1}};
  const std::complex<double> front = detail::harmonic_constant(l) * minus_i_l[l % 4] * std::pow(sigma, l);
  std::vector<std::complex<double>> f(M * N * O);
  std::size_t i = 0;
  for (std::size_t a = 0; a < M; ++a)
    for (std::size_t b = 0; b < N; ++b)
      for (std::size_t c = 0; c < O; ++c, ++i) {
        const double w0 = two_pi * g0[a] / double(M), w1 = two_pi * g1[b] / double(N),
                     w2 = two_pi * g2[c] / double(O);
        const double r2 = w0 * w0 + w1 * w1 + w2 * w2;
        f[i] = front * std::exp(-sigma * sigma * r2 / 2) * harmonics.complex_harmonic(l, m, w2, w1, -w0);
      }
  return f;
}

}  // namespace wst
