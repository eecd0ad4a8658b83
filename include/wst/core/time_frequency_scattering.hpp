// Joint time–frequency scattering (Andén, Lostanlen & Mallat 2019), numerically identical to
// Kymatio 0.4's TimeFrequencyScattering (NumPy frontend, out_type 'array'). On the scalogram
// U1(λ1, t) = |x ⋆ ψ_λ1|, a 2D wavelet Ψ(t, λ1) = ψ_λ2(t)·ψ_fr(λ1) of spin ±1 (or the frequential
// low-pass, spin 0) is applied, followed by a modulus and the averages φ_T (time) and φ_F
// (frequency). Formulas and Kymatio's quirks: docs/jtfs-formulas.md (cited as §J…). Construction
// plans everything; operator() is const and thread-safe, and its results do not depend on the
// thread count.
#pragma once
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "wst/support/array.hpp"
#include "wst/core/fft.hpp"
#include "wst/core/filters_1d.hpp"
#include "wst/core/options.hpp"
#include "wst/core/scattering_1d.hpp"

namespace wst {

// Kymatio's `format` (§J6): 'time' splits every path into single-row channels (…, C, N_out);
// 'joint' keeps each path's frequential rows together (…, P, R, N_out) and drops order 0.
enum class JtfsFormat { time, joint };

// Everything but J, J_fr and N (§J1.2). Example:
// TimeFrequencyScattering S(8, 3, 4096, {.Q = {8, 2}, .Q_fr = 2, .format = JtfsFormat::joint}).
struct TimeFrequencyScatteringOptions {
  // Time averaging (Kymatio's T): local (T ≥ 1 or None) or global (T = 'global'). none (T = 0)
  // has no array layout in Kymatio and is refused.
  Averaging1D averaging = Averaging1D::local;
  double T = 0;             // local only: averaging scale in [1, N]; 0 means 2^J
  std::size_t stride = 0;   // local only: power of two in [2^j2max, 2^floor(log2 T)]; 0 means the latter
  Q1D Q = {};               // wavelets per octave of ψ1 and ψ2 (Q2 ≤ Q1 in practice, §J2)
  // Frequential averaging (Kymatio's F): local (F ≥ 1 or None), global (F = 'global') or none
  // (F = 0, no φ_F; format 'time' only).
  Averaging1D averaging_fr = Averaging1D::local;
  double F = 0;              // local only: in [1, (J+1)·Q1]; 0 means 2^J_fr
  std::size_t stride_fr = 0; // local only: power of two in [1, 2^floor(log2 F)]; 0 means the latter
  int Q_fr = 1;              // frequential wavelets per octave, in [1, 128]
  JtfsFormat format = JtfsFormat::time;
};

// One frequential filter (§J3.2), a real Fourier array of length N_fr along the n1 axis.
struct FrequentialFilter {
  double xi;     // signed centre frequency (cycles per n1 step); 0 for the spin-0 low-pass
  double sigma;
  int j;         // dyadic index (§1.4 with |ξ|); J_fr for the spin-0 filter
  int spin;      // 0, +1, −1
  std::vector<double> fourier;
};

// The frequential bank (§J3): filters[n_fr], n_fr = 0 (φ_fr, spin 0), 1 … K (spin +1, decreasing
// ξ), K+1 … 2K (spin −1), and the averaging low-pass φ_F.
struct FrequentialFilterBank {
  int J_fr = 0, Q_fr = 1;
  std::size_t N_input_fr = 0;  // (J+1)·Q1, Kymatio's nominal count (§J3.1)
  std::size_t N_fr = 0;        // zero-padded length of the n1 axis (§J3.1)
  double F = 0;                // averaging scale (2^J_fr for global / none)
  int log2_F = 0;              // floor(log2 F)
  std::vector<FrequentialFilter> filters;
  std::vector<double> phi_F;   // σ = 0.1/F, length N_fr (local only; empty otherwise)
  int K() const { return static_cast<int>(filters.size() - 1) / 2; }
};

// The frequential bank for a first-order bank of Q1 wavelets per octave down to 2^J (§J3).
// F as in TimeFrequencyScatteringOptions (0 → 2^J_fr). Throws UsageError naming the bad argument.
FrequentialFilterBank frequential_filter_bank(int J, int Q1, int J_fr, int Q_fr,
                                              Averaging1D averaging_fr, double F);

// Metadata of one output row, as Kymatio's meta() (§J7); NaN where Kymatio has NaN, −1 for unused
// integers. Format 'time': a channel (one frequential row n1 of a path). Format 'joint': a path
// (n1 = −1; its rows are n1 = 0, n1_stride, … below n1_max).
struct PathMetaJTFS {
  int order;            // 0, 1, 2
  int n1;               // 'time': the row's label n1 (orders 1–2); −1 otherwise
  int n2;               // order 2: second-order filter index; −1 otherwise
  int n_fr;             // frequential filter index; −1 at order 0
  int n1_max;           // first-order filters entering the path (0 at order 0)
  int n1_stride;        // label stride of its rows (0 at order 0)
  double j[2], xi[2], sigma[2];  // [0]: ψ1 of n1 ('time' only), [1]: ψ2 of n2
  double j_fr, xi_fr, sigma_fr, spin;
  std::size_t channel;  // where it is in the output: channel ('time') or path ('joint') index
};

template <class Real>
class BasicTimeFrequencyScattering {
 public:
  // J ≥ 1 with 2^J ≤ N, J_fr in [0, 16], N the input length. Throws UsageError naming the bad
  // argument and its allowed range, also for the configurations Kymatio fails on (§J1.3, §J1.4).
  BasicTimeFrequencyScattering(int J, int J_fr, std::size_t N,
                               const TimeFrequencyScatteringOptions& options, ExecOptions exec = {});
  ~BasicTimeFrequencyScattering();
  BasicTimeFrequencyScattering(BasicTimeFrequencyScattering&&) noexcept;
  BasicTimeFrequencyScattering& operator=(BasicTimeFrequencyScattering&&) noexcept;

  std::size_t input_length() const;
  // The options with T, stride, F and stride_fr resolved (0 where the mode does not use them).
  const TimeFrequencyScatteringOptions& options() const;
  const FilterBank1D& filters() const;                       // ψ1, ψ2, φ_T (§J2)
  const FrequentialFilterBank& frequential_filters() const;  // §J3

  // Output per signal: channels() × rows() × output_length() values. 'time': C channels, rows()
  // = 1; 'joint': P paths of R rows each (§J6).
  std::size_t channels() const;
  std::size_t rows() const;
  std::size_t output_length() const;  // N_out (1 with global averaging)
  std::size_t output_size() const;
  // Kymatio's meta() rows, in its order: sorted by (key length, key) (§J7); for 'joint' the P
  // paths (Kymatio's extra order-0 key is not a row).
  const std::vector<PathMetaJTFS>& meta() const;

  // The FFTs operator() performs for one signal, in order (for benchmarks: the naive floor).
  std::vector<FftWork<Real>> fft_work() const;

  // x: batch × N contiguous; out: batch × output_size(). Throws InputError for NaN or Inf.
  void operator()(const Real* x, std::size_t batch, Real* out) const;
  // (..., N) → (..., C, N_out) ('time') or (..., P, R, N_out) ('joint').
  Array<Real> operator()(const Array<Real>& x) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

using TimeFrequencyScattering = BasicTimeFrequencyScattering<double>;
using TimeFrequencyScatteringf = BasicTimeFrequencyScattering<float>;

extern template class BasicTimeFrequencyScattering<float>;
extern template class BasicTimeFrequencyScattering<double>;

}  // namespace wst
