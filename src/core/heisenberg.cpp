#include "wst/core/heisenberg.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <numbers>
#include <string>

#include "wst/support/error.hpp"
#include "wst/core/fft.hpp"
#include "wst/core/fourier.hpp"
#include "wst/support/memory_budget.hpp"

namespace wst {
namespace {

// Neumaier's compensated sum: the error of each addition is carried on the side.
class Sum {
 public:
  void add(double v) {
    const double t = s_ + v;
    c_ += std::abs(s_) >= std::abs(v) ? (s_ - t) + v : (v - t) + s_;
    s_ = t;
  }
  double value() const { return s_ + c_; }

 private:
  double s_ = 0, c_ = 0;
};

// Mean and standard deviation of the positions x[i] under the weights q[i] / Σ q.
void spread(const std::vector<double>& x, const std::vector<double>& q, double& mu, double& sigma) {
  Sum total, first;
  for (std::size_t i = 0; i < q.size(); ++i) total.add(q[i]);
  const double norm = total.value();
  for (std::size_t i = 0; i < q.size(); ++i) first.add(x[i] * (q[i] / norm));
  mu = first.value();
  Sum second;
  for (std::size_t i = 0; i < q.size(); ++i) second.add((x[i] - mu) * (x[i] - mu) * (q[i] / norm));
  sigma = std::sqrt(second.value());
}

}  // namespace

double HeisenbergBox::sigma_f() const { return sigma_omega / (2 * std::numbers::pi); }

HeisenbergBox heisenberg_box(const std::vector<std::complex<double>>& g) {
  const std::size_t N = g.size();
  if (N == 0) throw UsageError("g is empty: a Heisenberg box needs at least 1 sample");
  if (N > std::size_t(INT_MAX))
    throw UsageError("g has " + std::to_string(N) + " samples, more than " +
                     std::to_string(INT_MAX));
  // g's copy, the DFT in and out, positions, weights and frequencies.
  check_memory(checked_bytes({N}, 4 * sizeof(std::complex<double>) + 3 * sizeof(double)),
               "the Heisenberg box of " + std::to_string(N) + " samples");
  double amax = 0;
  for (std::size_t n = 0; n < N; ++n) {
    if (!std::isfinite(g[n].real()) || !std::isfinite(g[n].imag()))
      throw InputError("g holds a non-finite value at index " + std::to_string(n));
    amax = std::max({amax, std::abs(g[n].real()), std::abs(g[n].imag())});
  }
  if (amax == 0)
    throw InputError("g is identically zero: its time and frequency spreads are undefined");
  // The spreads do not depend on g's scale: g scaled by a power of two (exactly) to max|g| ~ 1
  // keeps |g|² from underflowing to 0.
  const int e = -std::ilogb(amax);
  AlignedVector<std::complex<double>> in(N), G(N);
  for (std::size_t n = 0; n < N; ++n) in[n] = {std::ldexp(g[n].real(), e), std::ldexp(g[n].imag(), e)};
  // Time: p_t[n] = |g[n]|² / Σ|g|².
  std::vector<double> pos(N), q(N);
  for (std::size_t n = 0; n < N; ++n) pos[n] = double(n), q[n] = std::norm(in[n]);
  HeisenbergBox box;
  spread(pos, q, box.mu_t, box.sigma_t);
  // Frequency: p_ω[k] = |G[k]|² / Σ|G|², G = DFT_N(g), ω_k = 2π·fftfreq(N)[k].
  FftPlan<double>(FftPlan<double>::Kind::forward, {int(N)})(in.data(), G.data());
  const std::vector<double> f = fft_frequencies(N);
  for (std::size_t k = 0; k < N; ++k) pos[k] = 2 * std::numbers::pi * f[k], q[k] = std::norm(G[k]);
  spread(pos, q, box.mu_omega, box.sigma_omega);
  return box;
}

HeisenbergBox heisenberg_box(const std::vector<double>& g) {
  return heisenberg_box(std::vector<std::complex<double>>(g.begin(), g.end()));
}

std::vector<double> window_on_grid(const WindowSpec& spec, std::size_t N, std::size_t offset) {
  if (offset > N || spec.length > N - offset)
    throw UsageError("window_on_grid: the " + std::to_string(spec.length) + "-sample window at offset " +
                     std::to_string(offset) + " does not fit a grid of " + std::to_string(N) +
                     " samples (needs offset + length <= N)");
  check_memory(checked_bytes({N}, 2 * sizeof(double)),
               "window_on_grid of " + std::to_string(N) + " samples");
  const std::vector<double> w = make_window(spec);
  std::vector<double> g(N, 0.0);
  std::copy(w.begin(), w.end(), g.begin() + std::ptrdiff_t(offset));
  return g;
}

}  // namespace wst
