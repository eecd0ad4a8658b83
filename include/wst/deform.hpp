// Deformations of images (Mallat 2012, §2; seed §1.3): L_τ x(u) = x(u − τ(u)), evaluated by
// interpolation between pixels, with zero outside the image. Rotations are the special case
// τ(u) = u − R_{−θ}(u − c) − c about the centre c = ((M − 1)/2, (N − 1)/2).
#pragma once
#include <cstddef>

#include "wst/array.hpp"

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

}  // namespace wst
