// A fixed, differentiable front end for a network: y = Φ(x) with its reverse pass
// grad_x = ∂/∂x Σ grad_y·Φ(x) (the vector–Jacobian product J_Φ(x)ᵀ grad_y). Torch-free: the
// libtorch side (wst/learn/torch_scattering.hpp, the CNN module libwst_cnn.so) reaches it only
// through these virtual calls, so that the module never links a second copy of wst_core (whose
// FFTW planner lock must be one per process).
//
// The scattering transforms (Bruna & Mallat 2013; Andén & Mallat 2014) are the implementations;
// their reverse pass is the exact adjoint of the cascade (docs/scattering-gradients.md).
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "wst/core/options.hpp"
#include "wst/core/scattering_1d.hpp"

namespace wst::learn {

// Everything is inline or pure virtual: code that only holds a DifferentiableTransform (the CNN
// module) needs no symbol of wst_learn or wst_core.
class DifferentiableTransform {
 public:
  virtual ~DifferentiableTransform() = default;

  // Per-example shapes, C order: a batch is batch × input_shape() in, batch × output_shape() out.
  virtual std::vector<std::size_t> input_shape() const = 0;
  virtual std::vector<std::size_t> output_shape() const = 0;
  // What it is, with its parameters, for messages (e.g. "scattering_2d(J=2, 28x28, L=8,
  // max_order=2)").
  virtual std::string name() const = 0;

  // y = Φ(x). x: batch × input_size() contiguous; y: batch × output_size(). const and
  // thread-safe; batch = 0 does nothing. Throws InputError if x holds NaN or Inf.
  virtual void forward(const float* x, std::size_t batch, float* y) const = 0;
  virtual void forward(const double* x, std::size_t batch, double* y) const = 0;
  // grad_x = ∂/∂x Σ grad_y·Φ(x), recomputed from x (no state kept between calls). grad_y:
  // batch × output_size(); grad_x: batch × input_size(). const and thread-safe; batch = 0 does
  // nothing. Throws InputError if x or grad_y holds NaN or Inf.
  virtual void backward(const float* x, const float* grad_y, std::size_t batch,
                        float* grad_x) const = 0;
  virtual void backward(const double* x, const double* grad_y, std::size_t batch,
                        double* grad_x) const = 0;

  std::size_t input_size() const { return product(input_shape()); }
  std::size_t output_size() const { return product(output_shape()); }

 protected:
  DifferentiableTransform() = default;
  DifferentiableTransform(const DifferentiableTransform&) = default;
  DifferentiableTransform& operator=(const DifferentiableTransform&) = default;

 private:
  static std::size_t product(const std::vector<std::size_t>& shape) {
    std::size_t n = 1;
    for (std::size_t s : shape) n *= s;
    return n;
  }
};

// One thread per call and FFTW_ESTIMATE plans: the same bits on every run and machine, and the
// same bits for an example whatever the batch it comes in (what a seeded training needs).
inline ExecOptions reproducible_exec() {
  ExecOptions e;
  e.threads = 1;
  e.planning = Planning::estimate;
  return e;
}

// The 2D scattering (core BasicScattering2D): (M, N) → (C, ⌊M/2^J⌋, ⌊N/2^J⌋), C = 1 + J·L +
// L²·J(J−1)/2 at max_order 2. J ≥ 1 with 2^J ≤ min(M, N), L ≥ 1, max_order ∈ {1, 2}; a bad
// argument throws UsageError naming it and its range. The float32 transform is planned at once;
// the float64 one on the first float64 call (once, thread-safely), so a float32-only network
// pays for one set of plans.
std::shared_ptr<const DifferentiableTransform> scattering_2d_transform(
    int J, std::size_t M, std::size_t N, int L = 8, int max_order = 2,
    const ExecOptions& exec = reproducible_exec());

// The 1D scattering (core BasicScattering1D, options as docs/scattering-options.md §1):
// (N) → (C, output_length()) for local and global averaging, (output_size()) for
// Averaging1D::none, whose paths have different lengths. Same validation and laziness as the 2D
// factory.
std::shared_ptr<const DifferentiableTransform> scattering_1d_transform(
    int J, std::size_t N, const Scattering1DOptions& options = {},
    const ExecOptions& exec = reproducible_exec());

}  // namespace wst::learn
