// Deformations of images (Mallat 2012, §2; docs/theory.md): L_τ x(u) = x(u − τ(u)), evaluated by
// interpolation between pixels, with zero outside the image. Rotations are the special case
// τ(u) = u − R_{−θ}(u − c) − c about the centre c = ((M − 1)/2, (N − 1)/2).
#pragma once
#include <cstddef>
#include <vector>

#include "wst/support/array.hpp"

namespace wst {

enum class Interpolation {
  linear,  // bilinear
  cubic,   // Keys (1981) cubic convolution, a = −1/2: exact on quadratics, C¹
};

// x(r, c) at a real point of an M×N image (row-major), 0 outside the pixel grid.
template <class T>
T sample_2d(const T* x, std::size_t M, std::size_t N, double r, double c, Interpolation interp);

// out(u) = x(u − τ(u)) for each pixel u = (r, c), with τ given per pixel as two M×N arrays of
// row and column displacements. Throws InputError for non-finite x or τ.
template <class T>
void deform_2d(const T* x, std::size_t M, std::size_t N, const double* tau_rows,
               const double* tau_cols, T* out, Interpolation interp = Interpolation::cubic);

// out = x rotated counter-clockwise (as displayed, rows downwards) by `angle` radians about the
// image centre. Throws InputError for a non-finite x or angle.
template <class T>
void rotate_2d(const T* x, std::size_t M, std::size_t N, double angle, T* out,
               Interpolation interp = Interpolation::cubic);

// ---- translations, general deformations in 1D and 2D, diffeomorphisms, ‖τ‖ ----------

// What lies outside the sampled grid: the signal repeated (periodic), zeros, or the signal
// mirrored about its end samples (reflect: x[−1] = x[1], as numpy.pad's 'reflect').
enum class Boundary { periodic, zero, reflect };

// x(u) at a real point u of a length-N signal, interpolated (linear or Keys cubic) with `boundary`.
template <class T>
T sample_1d(const T* x, std::size_t N, double u, Interpolation interp, Boundary boundary);

// Translation L_c x(u) = x(u − c) (docs/theory.md): out[n] = x(n − c). An integer c with periodic
// boundary is exactly a circular shift (np.roll(x, c)). Throws InputError for non-finite x or c.
template <class T>
void translate_1d(const T* x, std::size_t N, double c, T* out,
                  Interpolation interp = Interpolation::cubic, Boundary boundary = Boundary::periodic);
// 2D: out(r, k) = x(r − c_rows, k − c_cols).
template <class T>
void translate_2d(const T* x, std::size_t M, std::size_t N, double c_rows, double c_cols, T* out,
                  Interpolation interp = Interpolation::cubic, Boundary boundary = Boundary::periodic);

// L_τ x(u) = x(u − τ(u)) (Mallat 2012, §2) in 1D, τ given per sample. Throws InputError for
// non-finite x or τ.
template <class T>
void deform_1d(const T* x, std::size_t N, const double* tau, T* out,
               Interpolation interp = Interpolation::cubic, Boundary boundary = Boundary::zero);
// 2D with a chosen boundary (deform_2d above is Boundary::zero).
template <class T>
void deform_2d(const T* x, std::size_t M, std::size_t N, const double* tau_rows,
               const double* tau_cols, T* out, Interpolation interp, Boundary boundary);

// A displacement field τ on an M×N grid (pixels), row-major. A 1D field has M = 1, τ in `cols`
// and `rows` all zero, so that deform_2d of a 1×N image with it equals deform_1d with τ = cols.
struct Displacement {
  std::size_t M = 0, N = 0;
  std::vector<double> rows, cols;  // τ's row and column components, M·N each
};

// Dilation x(u) ↦ x(c + (u − c)/s) about the centre c (s > 1 enlarges): τ(u) = (1 − 1/s)(u − c).
Displacement dilation_field(std::size_t M, std::size_t N, double s);
// Rotation by `angle` radians about the centre, as rotate_2d: τ(u) = u − R_{−θ}(u − c) − c.
Displacement rotation_field(std::size_t M, std::size_t N, double angle);
// A random smooth diffeomorphism's displacement: each component a sum over the grid's periodic
// modes (k_r, k_c) ∈ {0..modes}² \ {(0, 0)} (1D: k_c = 1..modes, in `cols`) of
// cos/sin(2π k_r r/M)·cos/sin(2π k_c c/N) with Gaussian coefficients (std::mt19937_64(seed) and
// Box–Muller: the same on every platform) divided by k² = k_r² + k_c², then scaled so that
// deformation_size(τ).sup_gradient = max_gradient (to rounding); max_gradient = 0 gives τ ≡ 0.
// Throws UsageError unless 0 ≤ max_gradient < 1 and modes in [1, 1024], or for a grid with no
// gradient. These field makers throw UsageError for a side above kMaxLength (memory_budget.hpp)
// and InputError for a grid beyond the memory budget.
Displacement random_diffeomorphism(std::size_t M, std::size_t N, double max_gradient,
                                   unsigned seed, int modes = 4);

// The deformation size of Mallat 2012, Theorem 2.12 (without its log factor),
// ‖τ‖ = 2^−J sup|τ| + sup|∇τ| + sup|Hτ|, with
// derivatives by centred finite differences (one-sided at the edges), |τ| the Euclidean norm,
// |∇τ| the spectral norm of the Jacobian and |Hτ| the Frobenius norm of the Hessian tensor
// (second differences f[i+1] − 2f[i] + f[i−1], at the edges those of the nearest interior point;
// a derivative along an axis too short for its stencil is 0, so a 1D field gives |τ'| and |τ''|).
// Throws UsageError for J < 0, InputError for a non-finite τ or rows/cols not of size M·N.
struct DeformationSize {
  double sup_tau = 0, sup_gradient = 0, sup_hessian = 0;
  double norm = 0;  // 2^−J·sup_tau + sup_gradient + sup_hessian
};
DeformationSize deformation_size(const Displacement& tau, int J);

// Throws UsageError naming sup|∇τ| when the deformation folds (sup|∇τ| ≥ 1: u − τ(u) is then
// not invertible), and InputError for non-finite values.
void check_invertible(const Displacement& tau);

}  // namespace wst
