// 1D scattering transform (Andén & Mallat 2014, §III), numerically identical to Kymatio 0.4's
// Scattering1D: S0 = x⋆φ, S1 = |x⋆ψ_λ1|⋆φ, S2 = ||x⋆ψ_λ1|⋆ψ_λ2|⋆φ (and order 3), subsampled
// by 2^floor(log2 T). Construction plans everything; operator() is const and thread-safe.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

#include "wst/support/array.hpp"
#include "wst/core/filters_1d.hpp"
#include "wst/core/options.hpp"

namespace wst {

// Metadata of one output channel (one scattering path). Unused entries are −1 (integers)
// and NaN (reals). Paths of order m use filters n[0..m−1]: psi1 for n[0], psi2 for the others.
struct PathMeta1D {
  int order;
  int n[3];
  int j[3];
  double xi[3];
  double sigma[3];
};

struct Q1D {
  int q1 = 1;  // wavelets per octave at order 1
  int q2 = 1;  // wavelets per octave at orders ≥ 2
};

template <class Real>
class BasicScattering1D {
 public:
  // J ≥ 1: scale 2^J ≤ N; N: input length; T: averaging scale in samples, 0 means 2^J;
  // max_order ∈ {1, 2, 3}. Throws UsageError naming the bad argument, and InputError when the
  // filters or the path tree exceed the memory budget (memory_budget.hpp).
  BasicScattering1D(int J, std::size_t N, Q1D Q = {}, std::size_t T = 0, int max_order = 2,
                    ExecOptions options = {});
  ~BasicScattering1D();
  BasicScattering1D(BasicScattering1D&&) noexcept;
  BasicScattering1D& operator=(BasicScattering1D&&) noexcept;

  std::size_t input_length() const;
  std::size_t output_length() const;  // time samples per channel
  std::size_t channels() const;
  const std::vector<PathMeta1D>& meta() const;
  const FilterBank1D& filters() const;

  // x: batch × N contiguous; out: batch × channels() × output_length().
  // Throws InputError if x holds NaN or Inf.
  void operator()(const Real* x, std::size_t batch, Real* out) const;
  // (..., N) → (..., C, N_out).
  Array<Real> operator()(const Array<Real>& x) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

using Scattering1D = BasicScattering1D<double>;
using Scattering1Df = BasicScattering1D<float>;

extern template class BasicScattering1D<float>;
extern template class BasicScattering1D<double>;

}  // namespace wst
