// Littlewood–Paley sums of the Morlet filter banks (docs/scattering-formulas.md §4; Andén &
// Mallat 2014, eq. 9; Mallat 2012, §2.2): the frame bounds A ≤ LP(ω) ≤ B of the wavelet transform
// W x = {x⋆φ, x⋆ψ_λ}, for which A‖x‖² ≤ ‖Wx‖² ≤ B‖x‖².
#include "wst/core/littlewood_paley.hpp"

#include <algorithm>
#include <string>

#include "wst/support/error.hpp"

namespace wst {

namespace {

void set_bounds(LittlewoodPaley& lp, std::size_t first, std::size_t last) {
  const auto b = lp.values.begin();
  const auto [lo, hi] = std::minmax_element(b + std::ptrdiff_t(first), b + std::ptrdiff_t(last));
  lp.argmin = std::size_t(lo - b);
  lp.argmax = std::size_t(hi - b);
  lp.A = *lo;
  lp.B = *hi;
}

const std::vector<Filter1D>& bank_of_order(const FilterBank1D& bank, int order) {
  if (order != 1 && order != 2)
    throw UsageError("littlewood_paley_1d: order must be 1 or 2, got " + std::to_string(order));
  return order == 1 ? bank.psi1 : bank.psi2;
}

// |φ̂(ω)|² + Σ_λ |ψ̂_λ(ω)|² per bin (the one-sided sum, full spectrum).
std::vector<double> one_sided_sum(std::size_t n, const std::vector<double>& phi,
                                  const auto& psi) {
  if (phi.size() != n) throw InputError("littlewood_paley: the low-pass filter has the wrong size");
  std::vector<double> s(n);
  for (std::size_t k = 0; k < n; ++k) s[k] = phi[k] * phi[k];
  for (const auto& f : psi) {
    if (f.fourier.size() != n) throw InputError("littlewood_paley: a wavelet has the wrong size");
    for (std::size_t k = 0; k < n; ++k) s[k] += f.fourier[k] * f.fourier[k];
  }
  return s;
}

}  // namespace

LittlewoodPaley littlewood_paley_1d(const FilterBank1D& bank, int order) {
  const auto& psi = bank_of_order(bank, order);
  const std::size_t N = bank.N;
  if (N == 0) throw UsageError("littlewood_paley_1d: empty filter bank");
  // LP_sym(k) = φ̂²(k) + ½ Σ_λ (ψ̂_λ²(k) + ψ̂_λ²(−k)); φ̂ is even, so this is
  // φ̂²(k) + ½ (Σψ̂²(k) + Σψ̂²(N − k)) in terms of the one-sided sum minus φ̂².
  const std::vector<double> s = one_sided_sum(N, bank.phi, psi);
  LittlewoodPaley lp;
  lp.values.resize(N);
  for (std::size_t k = 0; k < N; ++k) {
    const std::size_t m = (N - k) % N;
    const double p = bank.phi[k] * bank.phi[k];
    lp.values[k] = p + 0.5 * ((s[k] - p) + (s[m] - bank.phi[m] * bank.phi[m]));
  }
  set_bounds(lp, 0, N);
  return lp;
}

LittlewoodPaley littlewood_paley_1d_one_sided(const FilterBank1D& bank, int order) {
  const auto& psi = bank_of_order(bank, order);
  const std::size_t N = bank.N;
  if (N == 0) throw UsageError("littlewood_paley_1d_one_sided: empty filter bank");
  std::vector<double> s = one_sided_sum(N, bank.phi, psi);
  s.resize(N / 2 + 1);  // 0 ≤ ω ≤ 1/2
  LittlewoodPaley lp;
  lp.values = std::move(s);
  set_bounds(lp, 0, lp.values.size());
  return lp;
}

LittlewoodPaley littlewood_paley_2d(const FilterBank2D& bank) {
  const std::size_t M = bank.Mp, N = bank.Np, n = M * N;
  if (n == 0) throw UsageError("littlewood_paley_2d: empty filter bank");
  if (bank.phi.size() != n) throw InputError("littlewood_paley_2d: φ̂ has the wrong size");
  // Σ_{j,θ} ψ̂² first, then symmetrise: ψ̂(−ω) sits at ((M − k) mod M, (N − l) mod N).
  std::vector<double> s(n, 0.0);
  for (const auto& f : bank.psi) {
    if (f.fourier.size() != n) throw InputError("littlewood_paley_2d: a wavelet has the wrong size");
    for (std::size_t i = 0; i < n; ++i) s[i] += f.fourier[i] * f.fourier[i];
  }
  LittlewoodPaley lp;
  lp.values.resize(n);
  for (std::size_t k = 0; k < M; ++k)
    for (std::size_t l = 0; l < N; ++l) {
      const std::size_t i = k * N + l, r = ((M - k) % M) * N + (N - l) % N;
      lp.values[i] = bank.phi[i] * bank.phi[i] + 0.5 * (s[i] + s[r]);
    }
  set_bounds(lp, 0, n);
  return lp;
}

}  // namespace wst
