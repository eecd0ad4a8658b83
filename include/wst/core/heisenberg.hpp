// Heisenberg boxes (Mallat 2016 §2; Mallat, A Wavelet Tour, §2.3.2 and Theorem 2.6): the
// time-frequency spread of a sampled window or wavelet g[n], n = 0 … N−1, on a grid of N samples:
//   p_t[n] = |g[n]|² / Σ|g|²,  μ_t = Σ n·p_t[n],  σ_t² = Σ (n − μ_t)²·p_t[n]           (samples)
//   p_ω[k] = |G[k]|² / Σ|G|², G = DFT_N(g), ω_k = 2π·fftfreq(N)[k] ∈ [−π, π),
//   μ_ω = Σ ω_k·p_ω[k],  σ_ω² = Σ (ω_k − μ_ω)²·p_ω[k]                                 (rad/sample)
// The uncertainty principle says σ_t·σ_ω ≥ 1/2, with equality only for Gaussians (and modulated
// Gaussians), up to sampling and truncation.
#pragma once
#include <complex>
#include <cstddef>
#include <vector>

#include "wst/core/windows.hpp"

namespace wst {

struct HeisenbergBox {
  double mu_t = 0, sigma_t = 0;          // samples
  double mu_omega = 0, sigma_omega = 0;  // radians per sample
  double product() const { return sigma_t * sigma_omega; }
  double sigma_f() const;                // σ_ω / 2π, cycles per sample
};

// Throws UsageError for an empty g and InputError for non-finite values, g ≡ 0, or a g too long
// for the memory budget (memory_budget.hpp).
HeisenbergBox heisenberg_box(const std::vector<double>& g);
HeisenbergBox heisenberg_box(const std::vector<std::complex<double>>& g);

// The window `spec` placed on a grid of N samples starting at `offset` (zeros elsewhere).
// Throws UsageError unless offset + L ≤ N, InputError for an N beyond the memory budget.
std::vector<double> window_on_grid(const WindowSpec& spec, std::size_t N, std::size_t offset);

}  // namespace wst
