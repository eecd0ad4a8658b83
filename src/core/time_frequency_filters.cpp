// The frequential filter bank of joint time–frequency scattering, docs/jtfs-formulas.md §J3.
#include "wst/core/time_frequency_scattering.hpp"

#include <cmath>
#include <string>

#include "wst/support/error.hpp"
#include "wst/support/format.hpp"

namespace wst {

namespace {

// F in [1, N_input_fr] (local), with Kymatio's sentences (§J1.3), and N_fr an integer (§J1.4
// item 5).
void check_frequential_scale(double F, std::size_t N_input_fr, int J_fr) {
  const std::string f = num("%.12g", F), n = std::to_string(N_input_fr);
  if (!(F >= 1))
    throw UsageError("F must be ==0 or >=1 (got " + f + ") (F=" + f +
                     " is out of range: the frequential averaging scale must be in [1, (J+1)*Q1=" +
                     n + "], or 0 for 2^J_fr)");
  if (F > static_cast<double>(N_input_fr))
    throw UsageError("The support F of the low-pass filter cannot exceed input length (got " + f +
                     " > " + n + "). For large averaging size, consider passing F='global'. (F=" +
                     f + " is out of range: F must be in [1, (J+1)*Q1=" + n + "])");
  if (F < std::ldexp(1.0, J_fr) && F != std::floor(F))
    throw UsageError("F=" + f + " is not an integer: below 2^J_fr=" +
                     std::to_string(1 << J_fr) + " F sets the frequential padding 8*F, which "
                     "must be an integer (Kymatio fails on it)");
}

}  // namespace

FrequentialFilterBank frequential_filter_bank(int J, int Q1, int J_fr, int Q_fr,
                                              Averaging1D averaging_fr, double F) {
  if (J_fr < 0 || J_fr > 16)
    throw UsageError("J_fr=" + std::to_string(J_fr) + " is out of range: J_fr must be in [0, 16]");
  if (Q_fr < 1) throw UsageError("Q_fr must be >= 1, got " + std::to_string(Q_fr));
  if (Q_fr > 128)
    throw UsageError("Q_fr=" + std::to_string(Q_fr) + " is out of range: Q_fr must be in [1, 128]");
  FrequentialFilterBank b;
  b.J_fr = J_fr;
  b.Q_fr = Q_fr;
  b.N_input_fr = static_cast<std::size_t>(J + 1) * static_cast<std::size_t>(Q1);  // §J3.1, quirk
  const double two_J_fr = std::ldexp(1.0, J_fr);
  if (averaging_fr != Averaging1D::local) {
    if (F != 0)
      throw UsageError("F=" + num("%.12g", F) + " is only used with local frequential averaging "
                       "(leave it 0 with averaging_fr global or none)");
    F = two_J_fr;
  } else if (F == 0) {
    F = two_J_fr;
  } else {
    check_frequential_scale(F, b.N_input_fr, J_fr);
  }
  b.F = F;
  b.log2_F = std::ilogb(F);
  // §J3.1: N_fr = ⌊(N_input_fr + 8·min(F, 2^J_fr)) / 2^J_fr⌋ · 2^J_fr (rounded down).
  const auto min_to_pad = static_cast<std::size_t>(8 * std::min(F, two_J_fr));
  const std::size_t multiple = std::size_t{1} << J_fr;
  b.N_fr = (b.N_input_fr + min_to_pad) / multiple * multiple;
  // §J3.2: spin 0, then spin +1 (decreasing ξ), then spin −1 (same σ, −ξ).
  b.filters.push_back(FrequentialFilter{0.0, 0.1 / two_J_fr, J_fr, 0, gauss_1d(b.N_fr, 0.1 / two_J_fr)});
  const auto centers = morlet_centers_1d(J_fr, Q_fr);
  for (int spin : {1, -1})
    for (auto [xi, sigma] : centers)
      b.filters.push_back(FrequentialFilter{spin * xi, sigma, dyadic_index_1d(xi, sigma), spin,
                                            morlet_1d(b.N_fr, spin * xi, sigma)});
  if (averaging_fr == Averaging1D::local) b.phi_F = gauss_1d(b.N_fr, 0.1 / F);
  return b;
}

}  // namespace wst
