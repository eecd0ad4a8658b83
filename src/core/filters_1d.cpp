#include "wst/core/filters_1d.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <string>

#include "wst/support/error.hpp"
#include "wst/support/format.hpp"
#include "wst/support/memory_budget.hpp"
#include "wst/core/fft.hpp"

namespace wst {
namespace {

constexpr double kSigma0 = 0.1;           // σ_φ = σ0/T, σ_min = σ0/2^J (§1.1)
constexpr double kAlpha = 5.0;            // aliasing margin of the dyadic index (§1.4)
constexpr double kEpsPeriods = 1e-7;      // precision target for the number of periods (§1.5)
constexpr int kMaxPeriods = 5;
constexpr double kEpsSupport = 1e-3;      // L1 tail of φ that sets the padding (§1.8)

// Σ_n |IDFT_N(F)[n]| (the L1 norm in time of a filter given in Fourier).
double l1_norm_in_time(const std::vector<double>& f) {
  const std::size_t n = f.size();
  AlignedVector<std::complex<double>> in(n), out(n);
  for (std::size_t k = 0; k < n; ++k) in[k] = f[k];
  FftPlan<double> plan(FftPlan<double>::Kind::backward, {static_cast<int>(n)});
  plan(in.data(), out.data());
  // Neumaier-compensated sum: the norm is then correctly rounded, as NumPy's pairwise sum nearly is.
  double s = 0, c = 0;
  for (auto& z : out) {
    const double v = std::sqrt(z.real() * z.real() + z.imag() * z.imag()), t = s + v;
    c += std::abs(s) >= v ? (s - t) + v : (v - t) + s;
    s = t;
  }
  return (s + c) / static_cast<double>(n);
}

int number_of_periods(double sigma) {
  const double p = std::ceil(1.0 + std::sqrt(-2.0 * sigma * sigma * std::log(kEpsPeriods)));
  return static_cast<int>(std::min<double>(p, kMaxPeriods));
}

// Periodised Gaussian Σ_{p=1−P}^{P−1} exp(−(k/N + p − ξ)²/(2σ²)) on the uncentred grid (§1.5).
std::vector<double> periodized_gaussian(std::size_t n, double xi, double sigma, int periods) {
  std::vector<double> g(n, 0.0);
  const double den = 2.0 * sigma * sigma;
  // Terms with (k/N + p − ξ)²/(2σ²) ≥ 746 are exactly 0 in double: visit only the k where some
  // term of copy p is not (a superset, by a margin), adding copies in the order p = 1−P … P−1.
  const double reach = std::sqrt(746.0 * den) * (1.0 + 1e-9) + 1.0 / double(n);
  for (int p = 1 - periods; p <= periods - 1; ++p) {
    const double lo = std::max(0.0, std::ceil((xi - p - reach) * double(n)));
    const double hi = std::min(double(n) - 1.0, std::floor((xi - p + reach) * double(n)));
    for (double kd = lo; kd <= hi; kd += 1.0) {
      const std::size_t k = static_cast<std::size_t>(kd);
      const double w = static_cast<double>(k) / static_cast<double>(n);
      const double e = (w + p - xi) * (w + p - xi) / den;
      if (e < 746.0) g[k] += std::exp(-e);
    }
  }
  for (auto& v : g) v /= (2 * periods - 1);
  return g;
}

// Low-pass part: periodised (P ≥ 2) or, for P = 1, sampled on the centred grid (§1.5 step 2).
std::vector<double> lowpass_part(std::size_t n, double sigma, int periods) {
  if (periods > 1) return periodized_gaussian(n, 0.0, sigma, periods);
  std::vector<double> g(n);
  for (std::size_t k = 0; k < n; ++k) {
    double w = static_cast<double>(k) / static_cast<double>(n);
    if (k >= (n + 1) / 2) w -= 1.0;
    g[k] = std::exp(-w * w / (2.0 * sigma * sigma));
  }
  return g;
}

std::size_t ceil_log2(std::size_t v) {
  std::size_t p = 0;
  while ((std::size_t{1} << p) < v) ++p;
  return p;
}

std::size_t floor_log2(std::size_t v) {
  std::size_t p = 0;
  while ((v >> (p + 1)) != 0) ++p;
  return p;
}

// The bank's T in [1, N_in] (NaN fails too); Kymatio's sentence first
// (docs/scattering-options.md §1.11).
void check_averaging_scale(double T, std::size_t N_in) {
  if (T >= 1 && T <= static_cast<double>(N_in)) return;
  const std::string t = num("%.12g", T), n = std::to_string(N_in);
  const std::string kymatio =
      T > static_cast<double>(N_in)
          ? "The support T of the low-pass filter cannot exceed input length (got " + t + " > " +
                n + "). For large averaging size, consider passing T='global'. ("
          : "T must be ==0 or >=1 (got " + t + ") (";
  throw UsageError(kymatio + "T=" + t +
                   " is out of range: the averaging scale must be in [1, N=" + n + "])");
}

}  // namespace

std::vector<std::pair<double, double>> morlet_centers_1d(int J, int Q) {
  const double r_psi = std::sqrt(0.5);
  const double xi_max = std::max(1.0 / (1.0 + std::pow(2.0, 3.0 / Q)), 0.35);
  // Kymatio's evaluation order, so that ξ and σ are bit-identical to its meta() (jtfs-formulas.md
  // §J2): f = 1/2^{1/Q}, σ = (ξ·((1 − f)/(1 + f)))·(1/√(2 ln(1/r_ψ))), linear steps (1/Q)·ξ_e.
  const double step = std::pow(2.0, 1.0 / Q);
  const double f = 1.0 / step;
  const double sigma_min = kSigma0 / std::pow(2.0, J);

  std::vector<std::pair<double, double>> out;
  double xi = xi_max;
  double sigma = (xi_max * ((1.0 - f) / (1.0 + f))) * (1.0 / std::sqrt(2.0 * std::log(1.0 / r_psi)));
  if (sigma > sigma_min) {
    out.emplace_back(xi, sigma);
    while (sigma > sigma_min * step) {  // constant-Q part
      xi /= step;
      sigma /= step;
      out.emplace_back(xi, sigma);
    }
  } else {
    xi = sigma;  // degenerate case: the elbow becomes the bandwidth value (§1.2, quirk)
  }
  const double elbow = xi;
  for (int q = 1; q < Q; ++q) {  // constant-bandwidth part below the elbow
    xi = xi - (1.0 / Q) * elbow;
    out.emplace_back(xi, sigma_min);
  }
  return out;
}

int dyadic_index_1d(double xi, double sigma) {
  const double w0 = std::min(std::abs(xi) + kAlpha * sigma, 0.5);
  return static_cast<int>(std::floor(-std::log2(w0))) - 1;
}

namespace {
// The arguments of morlet_1d and gauss_1d: N in [1, kMaxLength] within the memory budget, finite
// ξ and σ > 0.
void check_filter_1d(const char* who, std::size_t N, double xi, double sigma) {
  check_size(N, 1, kMaxLength, std::string(who) + ": N");
  check_memory(checked_bytes({N}, 3 * sizeof(double)),
               std::string(who) + " of " + std::to_string(N) + " samples");
  if (!std::isfinite(xi) || !(sigma > 0 && std::isfinite(sigma)))
    throw UsageError(std::string(who) + ": xi must be finite and sigma finite and > 0");
}
}  // namespace

std::vector<double> morlet_1d(std::size_t N, double xi, double sigma) {
  check_filter_1d("morlet_1d", N, xi, sigma);
  const int P = number_of_periods(sigma);
  std::vector<double> g = periodized_gaussian(N, xi, sigma, P);
  const std::vector<double> h = lowpass_part(N, sigma, P);
  const double kappa = g[0] / h[0];
  for (std::size_t k = 0; k < N; ++k) g[k] -= kappa * h[k];
  const double norm = l1_norm_in_time(g);
  for (auto& v : g) v /= norm;
  return g;
}

std::vector<double> gauss_1d(std::size_t N, double sigma) {
  check_filter_1d("gauss_1d", N, 0, sigma);
  std::vector<double> h = lowpass_part(N, sigma, number_of_periods(sigma));
  const double norm = l1_norm_in_time(h);
  for (auto& v : h) v /= norm;
  return h;
}

std::pair<std::size_t, std::size_t> padding_1d(std::size_t N_in, double T) {
  check_size(N_in, 2, std::size_t{1} << 28, "padding_1d: N_in");
  if (!(T >= 1 && T <= static_cast<double>(N_in)))
    throw UsageError("padding_1d: T=" + num("%.12g", T) + " is out of range: must be in [1, " +
                     std::to_string(N_in) + "]");
  // Support of φ built at the unpadded length: one-sided L1 tail ≤ 1e-3 (§1.8).
  const std::vector<double> phi = gauss_1d(N_in, kSigma0 / T);
  AlignedVector<std::complex<double>> in(N_in), out(N_in);
  for (std::size_t k = 0; k < N_in; ++k) in[k] = phi[k];
  FftPlan<double>(FftPlan<double>::Kind::backward, {static_cast<int>(N_in)})(in.data(), out.data());
  const std::size_t half = N_in / 2;
  std::vector<double> tail(half + 1, 0.0);
  for (std::size_t k = half; k-- > 0;)
    tail[k] = tail[k + 1] + std::abs(out[k]) / static_cast<double>(N_in);
  std::size_t support = half;
  for (std::size_t k = 0; k < half; ++k)
    if (tail[k] <= kEpsSupport) {
      support = k + 1;
      break;
    }
  const std::size_t min_to_pad = 3 * support;
  const std::size_t j_pad =
      std::min(ceil_log2(N_in + 2 * min_to_pad), floor_log2(3 * N_in - 2));
  const std::size_t N = std::size_t{1} << j_pad;
  return {N, (N - N_in) / 2};
}

std::vector<double> periodize_1d(const std::vector<double>& f, int level) {
  const std::size_t n = f.size() >> level;
  std::vector<double> out(f.begin(), f.begin() + static_cast<long>(n));
  for (std::size_t a = 1; a < (std::size_t{1} << level); ++a)
    for (std::size_t m = 0; m < n; ++m) out[m] += f[m + a * n];
  return out;
}

FilterBank1D morlet_filter_bank_1d(int J, std::size_t N_in, int Q1, int Q2, double T) {
  if (J < 1 || J > 30)
    throw UsageError("J=" + std::to_string(J) + " is out of range: J must be in [1, 30]");
  if (N_in < 2)
    throw UsageError("signal length N=" + std::to_string(N_in) + " is too short: N must be at least 2");
  // The padded length (≤ 4N) must stay an FFTW int length; beyond that no bank fits in memory.
  if (N_in > (std::size_t{1} << 28))
    throw UsageError("signal length N=" + std::to_string(N_in) +
                     " is too long: N must be at most 2^28 = 268435456 samples");
  if ((std::size_t{1} << J) > N_in)
    throw UsageError("J=" + std::to_string(J) + ": 2^J=" + std::to_string(std::size_t{1} << J) +
                     " exceeds the signal length N=" + std::to_string(N_in) +
                     " (allowed: 1 <= J <= " + std::to_string(floor_log2(N_in)) + ")");
  // Kymatio's sentence first where it has one (docs/scattering-options.md §1.11).
  for (int q : {Q1, Q2}) {
    const std::string range =
        "Q=" + std::to_string(q) + " is out of range: wavelets per octave must be in [1, 128]";
    if (q < 1) throw UsageError("Q must always be >= 1, got " + std::to_string(q) + " (" + range + ")");
    if (q > 128) throw UsageError(range);
  }
  if (T == 0) T = std::ldexp(1.0, J);
  check_averaging_scale(T, N_in);

  FilterBank1D b;
  b.J = J;
  b.Q1 = Q1;
  b.Q2 = Q2;
  b.N_in = N_in;
  b.T = T;
  b.log2_T = std::ilogb(T);  // floor(log2 T), exactly
  std::tie(b.N, b.pad_left) = padding_1d(N_in, T);
  b.pad_right = b.N - N_in - b.pad_left;
  const std::size_t filters = 1 + morlet_centers_1d(J, Q1).size() + morlet_centers_1d(J, Q2).size();
  check_memory(checked_bytes({filters, b.N}, sizeof(double)),
               "the 1-D filter bank (" + std::to_string(filters) + " filters of " +
                   std::to_string(b.N) + " samples)");
  b.phi_sigma = kSigma0 / T;
  b.phi = gauss_1d(b.N, b.phi_sigma);
  for (auto [bank, Q] : {std::pair{&b.psi1, Q1}, std::pair{&b.psi2, Q2}})
    for (auto [xi, sigma] : morlet_centers_1d(J, Q))
      bank->push_back(Filter1D{xi, sigma, dyadic_index_1d(xi, sigma), morlet_1d(b.N, xi, sigma)});
  return b;
}

}  // namespace wst
