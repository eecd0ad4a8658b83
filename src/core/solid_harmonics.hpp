// Private: the solid harmonics and the frequency grid of the 3D harmonic wavelets
// (docs/harmonic3d-formulas.md §2–§4). Not installed.
#pragma once
#include <complex>
#include <cstddef>
#include <vector>

namespace wst::detail {

// c_l = (2π)^{3/2}·n_l of §4 (c_0 = 2√π).
double harmonic_constant(int l);

// Real solid harmonics r^l·Y_{l,k} for l = 0 … L at one point, from the complex ones of §3.2 by
// the unitary change of basis Y_l^{±m} ↔ (C_m, S_m), m > 0:
//   C_m = √2 (−1)^m Re Y_l^m,  S_m = √2 (−1)^m Im Y_l^m,  Y_l^{−m} = (C_m − i S_m)/√2,
// so that Σ_m |x ⋆ ψ_{l,m}|² = Σ_k |x ⋆ ψ_{l,k}|² (§5.2). Index of (l, k): l² + k, with
// k = 0 for m = 0, k = 2m − 1 for C_m and k = 2m for S_m.
//
// Evaluated as polynomials in (x, y, z) = (ω_2, ω_1, −ω_0) (§3.1's frame) without angles:
//   r^l Y_l^m = N_lm (−1)^m (x + iy)^m · Σ_i b_lmi z^{l−m−2i} r^{2i},
// b_lmi the coefficients of d^m P_l / dt^m. Every operation is a product or a sum in a fixed
// order, so the value at −ω is exactly (−1)^l times the value at ω.
class RealSolidHarmonics {
 public:
  explicit RealSolidHarmonics(int L);
  int L() const { return L_; }
  std::size_t count() const { return std::size_t(L_ + 1) * std::size_t(L_ + 1); }
  // out[l² + k] for the point (x, y, z); out holds count() values.
  void evaluate(double x, double y, double z, double* out) const;
  // r^l Y_l^m itself (complex, §3.2, Condon–Shortley phase), any |m| ≤ l ≤ L.
  std::complex<double> complex_harmonic(int l, int m, double x, double y, double z) const;

 private:
  struct Term {
    int l, m;
    double norm;                   // N_lm, times √2 for m > 0
    std::vector<double> b;         // b_lmi, i = 0 … (l − m)/2
  };
  double q_value(const Term& t, const double* zpow, const double* r2pow) const;
  int L_;
  std::vector<Term> terms_;        // (l, m ≥ 0) in the order l, then m
};

}  // namespace wst::detail
