// 1D scattering transform (Andén & Mallat 2014, §III), numerically identical to Kymatio 0.4's
// Scattering1D: S0 = x⋆φ, S1 = |x⋆ψ_λ1|⋆φ, S2 = ||x⋆ψ_λ1|⋆ψ_λ2|⋆φ (and order 3), subsampled
// by the stride; or, without φ, each path at its own resolution (T = 0) or summed (T = 'global').
// Options and their rules: docs/scattering-options.md §1. Construction plans everything;
// operator() is const and thread-safe, and its results do not depend on the thread count.
#pragma once
#include <complex>
#include <cstddef>
#include <memory>
#include <vector>

#include "wst/support/array.hpp"
#include "wst/core/fft.hpp"
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

// What a path's output is (docs/scattering-options.md §1.1, §1.4), Kymatio's T:
//   local  (T ≥ 1 or None): U ⋆ φ subsampled by the stride, unpadded; every path has the same length;
//   global (T = 'global'):  the sum of U over the padded signal at its own resolution (length 1);
//   none   (T = 0):         U itself, unpadded at its own resolution: order 0 is the input exactly,
//                           a path ending with a wavelet of dyadic index j has length i1(j) − i0(j).
enum class Averaging1D { local, global, none };

// Everything but J and N (docs/scattering-options.md §1). A designated initialiser reads well:
// Scattering1D S(6, 1024, {.averaging = Averaging1D::none, .Q = {8, 1}}).
struct Scattering1DOptions {
  Averaging1D averaging = Averaging1D::local;
  // local only: the averaging scale in samples, in [1, N], not necessarily an integer
  // (σ_φ = 0.1/T, log2_T = floor(log2 T)); 0 means 2^J. Must be 0 in the other modes (2^J is used
  // for the padding, §1.1).
  double T = 0;
  // local only: a power of two in [1, 2^log2_T]; 0 means 2^log2_T (§1.2). Kymatio accepts some
  // larger strides while its stored filter levels last (§1.5); wst refuses them all. Must be 0 in
  // the other modes.
  std::size_t stride = 0;
  Q1D Q = {};
  int max_order = 2;  // 1, 2 or 3
  // Round every stored filter level (ψ1, each aliasing sum of ψ2 and φ) to float32 before use, as
  // kymatio.torch's Scattering1D does: its outputs and autograd gradients (even after .double())
  // are those of these filters (docs/scattering-gradients.md §4). false: the NumPy frontend's
  // float64 filters. filters() is the unrounded bank either way.
  bool float32_filters = false;
};

template <class Real>
class BasicScattering1D;

// What the reverse pass needs of a forward pass: each path's wavelet coefficients U ⋆ ψ
// (complex, at the path's resolution; BasicScattering1D::tape_bytes() per signal), recorded by
// BasicScattering1D::forward(x, batch, out, tape) so that backward(tape, …) need not recompute
// the forward cascade. Opaque; it belongs to the transform that recorded it.
template <class Real>
class Scattering1DTape {
 public:
  std::size_t batch() const { return batch_; }
  std::size_t bytes() const { return z_.size() * sizeof(std::complex<Real>); }

 private:
  friend class BasicScattering1D<Real>;
  AlignedVector<std::complex<Real>> z_;
  std::size_t batch_ = 0;
  const void* owner_ = nullptr;
};

template <class Real>
class BasicScattering1D {
 public:
  using Tape = Scattering1DTape<Real>;

  // J ≥ 1: scale 2^J ≤ N; N: input length. Throws UsageError naming the bad argument and its
  // allowed range, and InputError when the filters or the path tree exceed the memory budget
  // (memory_budget.hpp).
  BasicScattering1D(int J, std::size_t N, const Scattering1DOptions& options, ExecOptions exec = {});
  // Local averaging with the default stride: T averaging scale in samples, 0 means 2^J;
  // max_order ∈ {1, 2, 3}.
  BasicScattering1D(int J, std::size_t N, Q1D Q = {}, std::size_t T = 0, int max_order = 2,
                    ExecOptions options = {});
  ~BasicScattering1D();
  BasicScattering1D(BasicScattering1D&&) noexcept;
  BasicScattering1D& operator=(BasicScattering1D&&) noexcept;

  std::size_t input_length() const;
  // The options with T (2^J for None, 0 and 'global') and the stride (local; 0 otherwise) resolved.
  const Scattering1DOptions& options() const;
  std::size_t channels() const;
  const std::vector<PathMeta1D>& meta() const;
  const FilterBank1D& filters() const;

  // Output layout: per signal, the channels one after the other, channel c at
  // [output_offset(c), output_offset(c) + output_length(c)) of output_size() values.
  std::size_t output_length(std::size_t channel) const;
  std::size_t output_offset(std::size_t channel) const;
  std::size_t output_size() const;
  // Samples per channel when they are all alike (local and global: N_out and 1). Throws
  // UsageError for Averaging1D::none, whose paths have different lengths.
  std::size_t output_length() const;
  // Unpadding bounds i0(r), i1(r) of §1.11 (recursive ceil-halving), r = 0 … max(log2_T, J).
  const std::vector<std::size_t>& unpad_begin() const;
  const std::vector<std::size_t>& unpad_end() const;

  // x: batch × N contiguous; out: batch × output_size().
  // Throws InputError if x holds NaN or Inf.
  void operator()(const Real* x, std::size_t batch, Real* out) const;
  // (..., N) → (..., C, output_length()) for local and global; (..., output_size()) for none.
  Array<Real> operator()(const Array<Real>& x) const;

  // The reverse pass (vector–Jacobian product, docs/scattering-gradients.md, "1D"):
  // grad_x = ∂/∂x Σ grad_out·S(x), the exact adjoint of the cascade above, recomputed from x (no
  // state is kept between calls). x: batch × N; grad_out: batch × output_size(), in the output
  // layout; grad_x: batch × N. At a zero of a modulus the gradient is taken as 0 (§3).
  // Throws InputError if x or grad_out holds NaN or Inf (naming the first flat index).
  void backward(const Real* x, const Real* grad_out, std::size_t batch, Real* grad_x) const;
  // x (..., N) and grad_out of the shape operator()(x) returns → grad_x of x's shape. Throws
  // InputError naming the expected and the given shape when they do not fit.
  Array<Real> backward(const Array<Real>& x, const Array<Real>& grad_out) const;
  // Both in one pass: out as operator()(x, batch, out) (the same bits) and grad_x as backward().
  void forward_backward(const Real* x, const Real* grad_out, std::size_t batch, Real* out,
                        Real* grad_x) const;

  // For a backward pass whose cotangent is known only later (autograd): operator()(x, batch, out)
  // (the same bits) that also records `tape` (tape_bytes() per signal; throws InputError beyond
  // the memory budget). backward(tape, grad_out, grad_x) then gives backward(x, grad_out, …)'s
  // bits without recomputing the forward: grad_out is tape.batch() × output_size(). Throws
  // UsageError for an empty tape or one recorded by another transform.
  void forward(const Real* x, std::size_t batch, Real* out, Tape& tape) const;
  void backward(const Tape& tape, const Real* grad_out, Real* grad_x) const;
  std::size_t tape_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

using Scattering1D = BasicScattering1D<double>;
using Scattering1Df = BasicScattering1D<float>;

extern template class BasicScattering1D<float>;
extern template class BasicScattering1D<double>;

}  // namespace wst
