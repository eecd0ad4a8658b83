// Continuous wavelet transform (Mallat 2016 §2; Mallat, A Wavelet Tour, §4.3), computed in
// Fourier: W[k, n] = IDFT( X̂ · ψ̂_k )[n] with ψ̂_k the wavelet of centre frequency ξ_k (cycles per
// sample) and bandwidth σ_k = ξ_k·ρ (constant Q: ψ_k(t) = (ξ_k/ξ_0)·ψ_0(ξ_k t / ξ_0) up to the
// normalisation below). One forward FFT per signal, one inverse FFT per scale, planned once.
//
// Wavelets, written in Fourier on one period of ω (cycles/sample) around their centre, [ξ − ½, ξ + ½)
// for the Morlet and Gabor wavelets and [−½, ½) for the Mexican hat, with no aliases added (so W
// is the CWT of the band-limited interpolant of x), normalised to unit gain at the centre frequency
// (ψ̂_k(ξ_k) = 1, so a complex tone e^{2πiξ_k n} comes out with modulus 1 at row k, and a real
// cosine of amplitude A with A/2 for the analytic wavelets):
//   morlet       g(ω − ξ) − κ·g(ω), g(ω) = exp(−ω²/(2σ²)), κ = g(ξ): the zero-mean Morlet of
//                the scattering filters (Kymatio's morlet_1d, docs/scattering-formulas.md §1.5)
//                up to its normalisation and periodisation. Analytic (negligible for ω < 0).
//                Its gain at ξ is 1 − κ², which is 1 to 1e-10 for the constant-Q ρ of Q ≥ 2.
//   gabor        g(ω − ξ): not zero-mean (its DC gain is g(ξ)). Analytic.
//   mexican_hat  (ω/ξ)²·exp(1 − (ω/ξ)²): the Ricker wavelet (second derivative of a Gaussian), real
//                and even, peak frequency ξ; σ is not used.
#pragma once
#include <complex>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "wst/support/array.hpp"
#include "wst/core/options.hpp"

namespace wst {

enum class WaveletKind { morlet, gabor, mexican_hat };

// "morlet", "gabor", "mexican_hat" (also "mexh", "ricker"); UsageError naming the choices otherwise.
WaveletKind parse_wavelet_kind(const std::string& name);
const char* wavelet_kind_name(WaveletKind kind);

// σ/ξ of a constant-Q bank with Q voices per octave whose neighbours cross at 1/√2 of their peak:
// (1 − 2^{−1/Q})/(1 + 2^{−1/Q})/√(ln 2) (docs/scattering-formulas.md §1.2 rule 2).
double constant_q_sigma_ratio(double Q);

// ψ̂(ω_k) of one wavelet on the DFT grid of length N: ω_k ≡ fftfreq(N)[k] (mod 1), taken in the
// wavelet's period above (cycles/sample); exactly 0 where |ψ̂| < 1e-17. Throws UsageError for N
// outside [1, kMaxLength] and InputError beyond the memory budget (memory_budget.hpp).
std::vector<double> wavelet_fourier(WaveletKind kind, std::size_t N, double xi, double sigma);

// Centre frequencies ξ_max·2^{−k/Q}, k = 0 … octaves·Q − 1 (decreasing). Throws UsageError for
// Q < 1, octaves < 1, ξ_max outside (0, 0.5], or a lowest frequency below 1/N_max when N_max > 0.
std::vector<double> octave_frequencies(double xi_max, int octaves, int Q, std::size_t N_max = 0);
// `count` frequencies log-spaced from f_hi down to f_lo (both included), as fCWT and
// numpy.geomspace: 0 < f_lo ≤ f_hi ≤ 0.5.
std::vector<double> log_frequencies(double f_lo, double f_hi, std::size_t count);

enum class CwtBoundary {
  periodic,  // the signal is one period: FFT length N
  zeros,     // zero-padded to a fast FFT length ≥ N + the longest wavelet's effective support
             // (capped at 2N), so the two ends do not wrap into each other
};

struct CwtParams {
  WaveletKind wavelet = WaveletKind::morlet;
  std::vector<double> frequencies;  // ξ_k in (0, 0.5] cycles/sample, any order, ≥ 1 of them
  double sigma_ratio = 0;           // ρ = σ_k/ξ_k; 0 means constant_q_sigma_ratio(Q)
  double Q = 8;                     // voices per octave used for the default ρ (≥ 1)
  CwtBoundary boundary = CwtBoundary::zeros;
};

// Rows of a decimated transform: row k of input b holds W[k, n·stride_k], n < length_k, at
// data[b·block + offset_k + n]; see BasicCwt::decimated.
template <class T>
struct DecimatedCwt {
  Shape batch;                       // leading axes of the input
  std::vector<std::size_t> stride;   // per scale: a power of two
  std::vector<std::size_t> length;   // per scale: ceil(N / stride)
  std::vector<std::size_t> offset;   // per scale: start of the row within one input's block
  std::size_t block = 0;             // Σ length: values per input
  std::vector<std::complex<T>> data; // batch × block
};

template <class T>
class BasicCwt {
 public:
  // Throws UsageError naming the argument: N = 0, no frequencies, a frequency outside (0, 0.5],
  // ρ < 0 or non-finite (0 is the default), Q < 1, exec.threads < 1; InputError when the
  // filters (scales × padded length at most) exceed the memory budget (memory_budget.hpp).
  BasicCwt(std::size_t N, CwtParams params, ExecOptions exec = {});
  ~BasicCwt();
  BasicCwt(BasicCwt&&) noexcept;
  BasicCwt& operator=(BasicCwt&&) noexcept;

  std::size_t signal_length() const;
  std::size_t fft_length() const;                  // N, or the padded length
  std::size_t scales() const;
  const CwtParams& params() const;
  const std::vector<double>& frequencies() const;  // ξ_k as given
  const std::vector<double>& sigmas() const;       // σ_k

  // Full rate: (..., N) → (..., scales, N), complex. Throws InputError for a wrong last axis or
  // non-finite values. Threads split batch × scales; results do not depend on their number.
  Array<std::complex<T>> operator()(const Array<T>& x) const;
  // The same into caller storage: x is batch × N, out is batch × scales × N.
  void operator()(const T* x, std::size_t batch, std::complex<T>* out) const;

  // Each scale at its own critical rate (as scattering does): the largest power-of-two stride
  // that divides fft_length() and whose band (where |ψ̂_k| ≥ 1e-7, and at least
  // [ξ_k − 6σ_k, ξ_k + 6σ_k]) fits in 1/stride cycles, so that the row loses less than 1e-7 to
  // aliasing. The stored samples are the full-rate transform's at n·stride, to rounding (Fourier
  // subsampling, docs/scattering-formulas.md §0). The short inverse FFTs are planned on first use.
  DecimatedCwt<T> decimated(const Array<T>& x) const;

  // Least-squares reconstruction from the full-rate transform (the dual frame, Mallat's Wavelet
  // Tour §5.1): x̂(ω) = Σ_k Ŵ_k(ω)·ψ̂_k*(ω) / Σ_k |ψ̂_k(ω)|² (using x̂(−ω) = x̂(ω)* for real x), on
  // the frequencies where Σ_k |ψ̂_k|² ≥ 1e-3·its maximum; elsewhere (below the lowest and above the
  // highest wavelet) x̂ is set to 0. So it returns x exactly when x is band-limited to the bank's
  // band, and its projection onto that band otherwise. With boundary zeros the rows are zero-padded
  // to the FFT length (the transform beyond the ends is not stored), so this holds only for signals
  // that vanish, with their transform, near both ends; use periodic for an exact inverse.
  // (..., scales, N) → (..., N). Its FFTs are planned on first use.
  Array<T> inverse(const Array<std::complex<T>>& W) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

using Cwt = BasicCwt<double>;
using Cwtf = BasicCwt<float>;

}  // namespace wst
