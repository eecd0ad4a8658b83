// Littlewood–Paley sums of the scattering filter banks (Mallat 2012, §2.2; Andén & Mallat 2014,
// eq. 9): the frame bounds A ≤ LP(ω) ≤ B that make the wavelet-modulus propagator non-expansive
// (B ≤ 1) and that bound how much energy it can lose (A). Definitions and Kymatio's values in
// docs/scattering-formulas.md §4.
#pragma once
#include <cstddef>
#include <vector>

#include "wst/core/filters_1d.hpp"
#include "wst/core/filters_2d.hpp"

namespace wst {

struct LittlewoodPaley {
  std::vector<double> values;  // LP(ω) per frequency bin (1D: N bins; 2D: M_p × N_p, row-major)
  double A = 0, B = 0;         // min and max of values (over the bins considered)
  std::size_t argmin = 0, argmax = 0;
};

// LP_sym(ω) = |φ̂(ω)|² + ½ Σ_λ (|ψ̂_λ(ω)|² + |ψ̂_λ(−ω)|²) over the full spectrum of the padded
// length, for the order-1 bank (order = 1) or the order-2 bank (order = 2) of `bank`.
LittlewoodPaley littlewood_paley_1d(const FilterBank1D& bank, int order = 1);
// One-sided LP_1(ω) = |φ̂(ω)|² + Σ_λ |ψ̂_λ(ω)|² on 0 ≤ ω ≤ 1/2 (bins 0 … N/2).
LittlewoodPaley littlewood_paley_1d_one_sided(const FilterBank1D& bank, int order = 1);
// LP_sym(ω) = φ̂(ω)² + ½ Σ_{j,θ} (ψ̂(ω)² + ψ̂(−ω)²) over the M_p × N_p grid.
LittlewoodPaley littlewood_paley_2d(const FilterBank2D& bank);

}  // namespace wst
