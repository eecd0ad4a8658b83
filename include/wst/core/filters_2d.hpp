// 2D Morlet filter bank of Kymatio 0.4 (Bruna & Mallat 2013, §2), as pure functions.
// Section numbers (§) refer to docs/scattering-formulas.md.
#pragma once
#include <complex>
#include <cstddef>
#include <vector>

namespace wst {

// One oriented wavelet ψ̂_{j,θ} in Fourier (real, M_p × N_p, row major).
struct Filter2D {
  int j;          // scale index, σ = 0.8·2^j, ξ = 3π/4 / 2^j
  int theta;      // orientation index 0 … L−1
  double xi;      // centre frequency, radians/sample
  double sigma;   // envelope width, samples
  double angle;   // orientation, radians (§2.5)
  std::vector<double> fourier;
};

struct FilterBank2D {
  int J = 0, L = 0;
  std::size_t M = 0, N = 0;            // input size
  std::size_t Mp = 0, Np = 0;          // padded size (§2.2)
  std::size_t pad_top = 0, pad_left = 0;
  std::vector<double> phi;             // φ̂, σ = 0.8·2^(J−1), M_p × N_p
  std::vector<Filter2D> psi;           // index n = j·L + θ
};

// Periodised 2D Gabor function in space, M_p × N_p (§2.3).
std::vector<std::complex<double>> gabor_2d(std::size_t Mp, std::size_t Np, double sigma,
                                           double theta, double xi, double slant);

// Zero-mean Morlet wavelet in space: gabor − K·gabor(ξ = 0) (§2.4).
// Both throw UsageError for M_p or N_p outside [1, kMaxLength], σ or slant not finite and > 0,
// or a non-finite θ or ξ, and InputError beyond the memory budget (memory_budget.hpp).
std::vector<std::complex<double>> morlet_2d(std::size_t Mp, std::size_t Np, double sigma,
                                            double theta, double xi, double slant);

// The whole bank (§2.2–§2.6), each filter rounded to float32 as Kymatio stores it.
// Throws UsageError on J < 1, L < 1, or 2^J > min(M, N).
FilterBank2D morlet_filter_bank_2d(int J, int L, std::size_t M, std::size_t N);

// The low-pass φ̂ of morlet_filter_bank_2d before its float32 rounding is separable (θ = 0,
// slant 1): φ̂[k, l] = rows[k] · cols[l], both real. Lets φ-averaging run separably in space.
struct SeparableLowpass2D {
  std::vector<double> rows, cols;
};
SeparableLowpass2D lowpass_factors_2d(int J, std::size_t Mp, std::size_t Np);

// Filter at resolution level r: the low-frequency (M_p/2^r × N_p/2^r) block (§2.7).
std::vector<double> crop_2d(const std::vector<double>& f, std::size_t Mp, std::size_t Np,
                            int level);

}  // namespace wst
