// 2D scattering transform (Bruna & Mallat 2013, §2–3), numerically identical to Kymatio 0.4's
// Scattering2D: S0 = x⋆φ_J, S1 = |x⋆ψ_λ1|⋆φ_J, S2 = ||x⋆ψ_λ1|⋆ψ_λ2|⋆φ_J (j2 > j1),
// subsampled by 2^J. Construction plans everything; operator() is const and thread-safe.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

#include "wst/support/array.hpp"
#include "wst/core/filters_2d.hpp"
#include "wst/core/options.hpp"

namespace wst {

// Metadata of one output channel; −1 where unused.
struct PathMeta2D {
  int order;
  int j1, theta1, j2, theta2;
};

template <class T>
class BasicScattering2D {
 public:
  // J ≥ 1 with 2^J ≤ min(M, N); L ≥ 1 orientations; max_order ∈ {1, 2}. pre_pad: the input
  // is already padded to the size (Mp, Np) of the filters (docs/scattering-options.md §2.1) and
  // is used as the padded image as it is; the output is the same size as without pre_pad.
  // Throws UsageError naming the bad argument, and InputError when the filters or the paths
  // exceed the memory budget (memory_budget.hpp).
  BasicScattering2D(int J, std::size_t M, std::size_t N, int L = 8, int max_order = 2,
                    ExecOptions options = {}, bool pre_pad = false);
  ~BasicScattering2D();
  BasicScattering2D(BasicScattering2D&&) noexcept;
  BasicScattering2D& operator=(BasicScattering2D&&) noexcept;

  std::size_t input_rows() const;   // M, or Mp with pre_pad
  std::size_t input_cols() const;   // N, or Np with pre_pad
  bool pre_pad() const;
  std::size_t output_rows() const;  // floor(M / 2^J)
  std::size_t output_cols() const;  // floor(N / 2^J)
  std::size_t channels() const;     // 1 + J·L + L²·J(J−1)/2 (max_order 2)
  const std::vector<PathMeta2D>& meta() const;
  const FilterBank2D& filters() const;

  // x: batch × input_rows() × input_cols() contiguous; out: batch × channels() × output_rows()
  // × output_cols().
  // Throws InputError if x holds NaN or Inf.
  void operator()(const T* x, std::size_t batch, T* out) const;
  // (..., input_rows(), input_cols()) → (..., C, M/2^J, N/2^J).
  Array<T> operator()(const Array<T>& x) const;

  // The reverse pass (vector–Jacobian product, docs/scattering-gradients.md, 2D):
  // grad_x = ∂/∂x Σ grad_out·S(x), the exact adjoint of the cascade as computed (reflect padding
  // or pre_pad, FFTs, filter products with Fourier subsampling, modulus with gradient 0 where
  // z = 0, averaging, crop). Recomputes what it needs from x; const and thread-safe, and the
  // result does not depend on the thread count or the batch size. The first call makes the
  // extra FFT plans it needs (once per transform).
  // x: batch × input_rows() × input_cols(); grad_out: batch × channels() × output_rows() ×
  // output_cols(); grad_x: the shape of x. Throws InputError if x or grad_out holds NaN or Inf.
  void backward(const T* x, const T* grad_out, std::size_t batch, T* grad_x) const;
  // x: (..., input_rows(), input_cols()); grad_out: (..., C, M/2^J, N/2^J) with the same
  // leading axes. Returns an array of x's shape; InputError naming both shapes on a mismatch.
  Array<T> backward(const Array<T>& x, const Array<T>& grad_out) const;
  // out = S(x) (bit for bit as operator()) and grad_x as backward(), in one pass.
  void forward_backward(const T* x, const T* grad_out, std::size_t batch, T* out, T* grad_x) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

using Scattering2D = BasicScattering2D<double>;
using Scattering2Df = BasicScattering2D<float>;

extern template class BasicScattering2D<float>;
extern template class BasicScattering2D<double>;

}  // namespace wst
