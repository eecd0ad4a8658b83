// Solid-harmonic 3D scattering (Eickenberg, Exarchakis, Hirn, Mallat & Thiry, J. Chem. Phys.
// 2018), numerically identical to Kymatio 0.4's HarmonicScattering3D (docs/harmonic3d-formulas.md):
// S[path, l, q] = Σ_voxels U^p_q with U1 = (Σ_m |x ⋆ ψ_{j1,l,m}|²)^{1/2} and
// U2 = (Σ_m |U1 ⋆ ψ_{j2,l,m}|²)^{1/2}, j2 > j1, circular convolutions on the whole grid.
// Construction plans everything; operator() is const and thread-safe.
#pragma once
#include <complex>
#include <cstddef>
#include <memory>
#include <vector>

#include "wst/support/array.hpp"
#include "wst/core/options.hpp"

namespace wst {

// Kymatio's parameters besides J and shape (docs/harmonic3d-formulas.md §1).
struct HarmonicScattering3DOptions {
  int L = 3;                      // degrees l = 0 … L, L in [0, 16]
  double sigma_0 = 1;             // σ_j = sigma_0 · 2^j, finite and > 0
  int max_order = 2;              // 1 or 2
  bool rotation_covariant = true; // false: only the m = −l wavelet (§5.3)
  std::vector<double> integral_powers{0.5, 1.0, 2.0};  // non-empty, finite
};

// One output path: order 1 (j2 = −1) or 2 (§6).
struct PathMeta3D {
  int order;
  int j1, j2;
};

// The integer frequency index g_K[k] of an axis of K samples, with Kymatio's shift by one for odd
// K (§2).
std::vector<int> harmonic_frequency_index(std::size_t K);

// Kymatio's wavelet ψ̂_{j,l,m} of §4 (complex, evaluated in double, not rounded), on the M × N × O
// grid of §2, C order. |m| ≤ l.
std::vector<std::complex<double>> solid_harmonic_wavelet_3d(int j, int l, int m, std::size_t M,
                                                            std::size_t N, std::size_t O,
                                                            double sigma_0 = 1);

template <class T>
class BasicHarmonicScattering3D {
 public:
  // J ≥ 0 with 2^J ≤ min(M, N, O); every size ≥ 1 (odd sizes included, §2). Throws UsageError
  // naming the bad argument, and InputError when the filters and workspaces exceed the memory
  // budget (memory_budget.hpp).
  BasicHarmonicScattering3D(int J, std::size_t M, std::size_t N, std::size_t O,
                            HarmonicScattering3DOptions options = {}, ExecOptions exec = {});
  ~BasicHarmonicScattering3D();
  BasicHarmonicScattering3D(BasicHarmonicScattering3D&&) noexcept;
  BasicHarmonicScattering3D& operator=(BasicHarmonicScattering3D&&) noexcept;

  int J() const;
  const HarmonicScattering3DOptions& options() const;
  Shape shape() const;                 // (M, N, O)
  std::size_t paths() const;           // (J+1)(J+2)/2 with max_order 2, J+1 otherwise
  std::size_t output_size() const;     // paths · (L+1) · integral_powers.size()
  const std::vector<PathMeta3D>& meta() const;
  // Bytes of working memory per volume being transformed (one thread's workspace plus the
  // volume's spectrum), and of the filters, which are shared.
  std::size_t bytes_per_volume() const;
  std::size_t filter_bytes() const;

  // x: batch × M × N × O contiguous; out: batch × paths() × (L+1) × Q. Results are bit-identical
  // for any thread count and batch size. Throws InputError if x holds NaN or Inf, or a result
  // overflows.
  void operator()(const T* x, std::size_t batch, T* out) const;
  // (..., M, N, O) → (..., P, L+1, Q).
  Array<T> operator()(const Array<T>& x) const;
  // The first-order moduli U1[j, l] of one volume x (M × N × O) as (J+1, L+1, M, N, O), for
  // pictures (§5.2, §5.3). Throws InputError if x holds NaN or Inf.
  Array<T> moduli(const T* x) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

using HarmonicScattering3D = BasicHarmonicScattering3D<double>;
using HarmonicScattering3Df = BasicHarmonicScattering3D<float>;

extern template class BasicHarmonicScattering3D<float>;
extern template class BasicHarmonicScattering3D<double>;

}  // namespace wst
