// 1D Morlet filter bank of Kymatio 0.4 (Andén & Mallat 2014, §II), as pure functions.
// Section numbers (§) refer to docs/scattering-formulas.md.
#pragma once
#include <cstddef>
#include <utility>
#include <vector>

namespace wst {

// One band-pass filter ψ̂_λ in Fourier (real, full spectrum, padded length N).
struct Filter1D {
  double xi;     // centre frequency, cycles/sample
  double sigma;  // bandwidth, cycles/sample
  int j;         // dyadic index (§1.4)
  std::vector<double> fourier;
};

struct FilterBank1D {
  int J = 0, Q1 = 1, Q2 = 1;
  std::size_t N_in = 0;    // input length
  double T = 0;            // averaging scale, in [1, N_in] (not necessarily an integer)
  int log2_T = 0;          // floor(log2 T)
  std::size_t N = 0;       // padded length, a power of two (§1.8)
  std::size_t pad_left = 0, pad_right = 0;
  double phi_sigma = 0;    // σ_φ = 0.1 / T
  std::vector<double> phi; // φ̂ at length N (§1.6)
  std::vector<Filter1D> psi1, psi2;  // banks of Q1 and Q2, decreasing ξ (§1.2)
};

// (ξ, σ) of a bank with Q wavelets per octave down to scale 2^J, in emission order (§1.2).
std::vector<std::pair<double, double>> morlet_centers_1d(int J, int Q);

// Dyadic index j of a filter: floor(−log2 min(ξ + 5σ, 1/2)) − 1 (§1.4).
int dyadic_index_1d(double xi, double sigma);

// Periodised, zero-mean, L1-normalised Morlet wavelet in Fourier, length N (§1.5).
std::vector<double> morlet_1d(std::size_t N, double xi, double sigma);

// Periodised, L1-normalised Gaussian low-pass in Fourier, length N (§1.6).
// Both throw UsageError for N outside [1, kMaxLength], a non-finite ξ or σ ≤ 0, and InputError
// for N beyond the memory budget (memory_budget.hpp).
std::vector<double> gauss_1d(std::size_t N, double sigma);

// Padded length and split for an input of length N_in averaged at scale T (§1.8):
// returns {N, pad_left}. Throws UsageError unless 2 ≤ N_in ≤ 2^28 and 1 ≤ T ≤ N_in.
std::pair<std::size_t, std::size_t> padding_1d(std::size_t N_in, double T);

// The whole bank (§1.2–§1.8); T = 0 means 2^J, any other T (an integer or not) sets
// σ_φ = 0.1/T and log2_T = floor(log2 T). Throws UsageError on J < 1, Q < 1, T outside
// [1, N_in], or 2^J > N_in.
FilterBank1D morlet_filter_bank_1d(int J, std::size_t N_in, int Q1, int Q2, double T);

// Filter at resolution level r: the sum of its 2^r aliases, length N / 2^r (§1.7).
std::vector<double> periodize_1d(const std::vector<double>& f, int level);

}  // namespace wst
