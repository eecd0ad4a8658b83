#include "wst/deform.hpp"

#include <cmath>
#include <string>

#include "wst/error.hpp"

namespace wst {
namespace {

// Keys' cubic convolution kernel with a = −1/2 (Keys 1981, eq. 15).
inline double keys(double t) {
  t = std::abs(t);
  if (t < 1) return (1.5 * t - 2.5) * t * t + 1;
  if (t < 2) return ((-0.5 * t + 2.5) * t - 4) * t + 2;
  return 0;
}

template <class T>
void check_finite_image(const T* x, std::size_t n, const char* what) {
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(double(x[i])))
      throw InputError(std::string(what) + " holds a non-finite value at index " +
                       std::to_string(i));
}

}  // namespace

template <class T>
T sample_2d(const T* x, std::size_t M, std::size_t N, double r, double c, Interpolation interp) {
  const auto at = [&](long i, long j) -> double {
    return (i < 0 || j < 0 || i >= long(M) || j >= long(N)) ? 0.0 : double(x[i * long(N) + j]);
  };
  if (!(r > -2 && c > -2 && r < double(M) + 1 && c < double(N) + 1)) return T(0);
  const double r0 = std::floor(r), c0 = std::floor(c);
  const double fr = r - r0, fc = c - c0;
  const long i0 = long(r0), j0 = long(c0);
  if (interp == Interpolation::linear)
    return T((1 - fr) * ((1 - fc) * at(i0, j0) + fc * at(i0, j0 + 1)) +
             fr * ((1 - fc) * at(i0 + 1, j0) + fc * at(i0 + 1, j0 + 1)));
  double wr[4], wc[4];
  for (int k = 0; k < 4; ++k) {
    wr[k] = keys(fr - (k - 1));
    wc[k] = keys(fc - (k - 1));
  }
  double sum = 0;
  for (int a = 0; a < 4; ++a) {
    double row = 0;
    for (int b = 0; b < 4; ++b) row += wc[b] * at(i0 + a - 1, j0 + b - 1);
    sum += wr[a] * row;
  }
  return T(sum);
}

template <class T>
void deform_2d(const T* x, std::size_t M, std::size_t N, const double* tau_rows,
               const double* tau_cols, T* out, Interpolation interp) {
  check_finite_image(x, M * N, "deform_2d: the image");
  check_finite_image(tau_rows, M * N, "deform_2d: the row displacement");
  check_finite_image(tau_cols, M * N, "deform_2d: the column displacement");
  for (std::size_t r = 0; r < M; ++r)
    for (std::size_t c = 0; c < N; ++c) {
      const std::size_t i = r * N + c;
      out[i] = sample_2d(x, M, N, double(r) - tau_rows[i], double(c) - tau_cols[i], interp);
    }
}

template <class T>
void rotate_2d(const T* x, std::size_t M, std::size_t N, double angle, T* out,
               Interpolation interp) {
  if (!std::isfinite(angle)) throw InputError("rotate_2d: the angle is not finite");
  check_finite_image(x, M * N, "rotate_2d: the image");
  // Rows point down, so a counter-clockwise turn on screen maps the source point
  // (dr, dc) = R_{−θ}(u − centre) with rows negated: see the test for the convention.
  const double cr = (double(M) - 1) / 2, cc = (double(N) - 1) / 2;
  const double co = std::cos(angle), si = std::sin(angle);
  for (std::size_t r = 0; r < M; ++r)
    for (std::size_t c = 0; c < N; ++c) {
      const double y = cr - double(r), xx = double(c) - cc;  // Cartesian, y upwards
      const double sy = -si * xx + co * y, sx = co * xx + si * y;  // R_{−θ}(x, y)
      out[r * N + c] = sample_2d(x, M, N, cr - sy, cc + sx, interp);
    }
}

template float sample_2d(const float*, std::size_t, std::size_t, double, double, Interpolation);
template double sample_2d(const double*, std::size_t, std::size_t, double, double, Interpolation);
template void deform_2d(const float*, std::size_t, std::size_t, const double*, const double*,
                        float*, Interpolation);
template void deform_2d(const double*, std::size_t, std::size_t, const double*, const double*,
                        double*, Interpolation);
template void rotate_2d(const float*, std::size_t, std::size_t, double, float*, Interpolation);
template void rotate_2d(const double*, std::size_t, std::size_t, double, double*, Interpolation);

}  // namespace wst
