#include "wst/core/deform.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>
#include <string>
#include <type_traits>

#include "spectral.hpp"
#include "wst/support/error.hpp"
#include "wst/support/memory_budget.hpp"

namespace wst {
namespace {

// The interpolation weights at fraction f ∈ [0, 1) of the taps at offsets −1, 0, 1, 2 (cubic:
// Keys 1981, eq. 15, a = −1/2, expanded in f) or 0, 1 (linear). Returns the number of taps.
inline int weights(double f, Interpolation interp, double* w) {
  if (interp == Interpolation::linear) {
    w[0] = 1 - f, w[1] = f;
    return 2;
  }
  w[0] = f * (f * (-0.5 * f + 1) - 0.5);
  w[1] = f * f * (1.5 * f - 2.5) + 1;
  w[2] = f * (f * (-1.5 * f + 2) + 0.5);
  w[3] = f * f * (0.5 * f - 0.5);
  return 4;
}

template <class T>
void check_finite_image(const T* x, std::size_t n, const char* what) {
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(double(x[i])))
      throw InputError(std::string(what) + " holds a non-finite value at index " +
                       std::to_string(i));
}

// The interpolation taps along one axis of length N: value = Σ w[k]·x[idx[k]], k < n. Taps that
// fall outside the grid are folded back (periodic, reflect) or get weight 0 (zero).
struct Taps {
  std::size_t idx[4];
  double w[4];
  int n;
};

// Index i of the extended signal mapped into [0, N), or −1 where the extension is zero.
inline long fold(long i, long N, Boundary boundary) {
  if (i >= 0 && i < N) return i;
  switch (boundary) {
    case Boundary::zero: return -1;
    case Boundary::periodic: return ((i % N) + N) % N;
    case Boundary::reflect: {  // numpy.pad 'reflect': period 2N − 2, x[−i] = x[i]
      if (N == 1) return 0;
      const long P = 2 * N - 2;
      i = ((i % P) + P) % P;
      return i < N ? i : P - i;
    }
  }
  return -1;
}

// Taps at base index b with fraction f ∈ [0, 1): the point b + f.
inline void taps_at(long b, double f, std::size_t N, Interpolation interp, Boundary boundary,
                    Taps& t) {
  t.n = weights(f, interp, t.w);
  const long first = t.n == 4 ? b - 1 : b;
  for (int k = 0; k < t.n; ++k) {
    const long i = fold(first + k, long(N), boundary);
    if (i < 0) t.w[k] = 0;
    t.idx[k] = i < 0 ? 0 : std::size_t(i);
  }
}

// Taps at a real point u; false when the zero extension makes the value 0 outright. Periodic and
// reflect positions are first reduced modulo their period (exact: std::fmod).
inline bool taps_at(double u, std::size_t N, Interpolation interp, Boundary boundary, Taps& t) {
  if (boundary == Boundary::zero) {
    if (!(u > -2 && u < double(N) + 1)) return false;
  } else if (u < 0 || u >= double(N)) {
    const double P = boundary == Boundary::periodic ? double(N) : double(2 * N - 2);
    if (P <= 0) {  // reflect with N = 1: constant
      t.n = 1, t.idx[0] = 0, t.w[0] = 1;
      return true;
    }
    u = std::fmod(u, P);
    if (u < 0) u += P;
  }
  const double b = std::floor(u);
  taps_at(long(b), u - b, N, interp, boundary, t);
  return true;
}

template <class T>
inline double apply(const T* x, const Taps& t) {
  double s = 0;
  for (int k = 0; k < t.n; ++k) s += t.w[k] * double(x[t.idx[k]]);
  return s;
}
// Σ w·(2^-e·x) over the taps.
template <class T>
inline double apply(const T* x, const Taps& t, int e) {
  double s = 0;
  for (int k = 0; k < t.n; ++k) s += t.w[k] * std::ldexp(double(x[t.idx[k]]), -e);
  return s;
}

// The exponent of the largest of x's values at the taps tr × tc.
template <class T>
int tap_exponent(const T* x, std::size_t N, const Taps& tr, const Taps& tc) {
  double m = 0;
  for (int a = 0; a < tr.n; ++a)
    for (int b = 0; b < tc.n; ++b) m = std::max(m, std::abs(double(x[tr.idx[a] * N + tc.idx[b]])));
  int e = 0;
  std::frexp(m, &e);
  return e;
}

// A point value: Keys' cubic weights reach 1.25 in absolute value along each axis, so partial
// sums of near-max doubles can overflow where the value does not. Then it is recomputed as
// 2^e·Σ w·(2^-e·x) (docs/architecture.md, "Range"); a value that does not fit T throws.
template <class T, class Eval>
T point_value(double sum, const char* who, Eval eval) {
  if (std::isfinite(T(sum))) return T(sum);
  const T v = T(eval());
  detail::check_in_range(&v, 1, std::string(who) + ": the interpolated value");
  return v;
}

template <class T>
T sample_2d_impl(const T* x, std::size_t M, std::size_t N, double r, double c,
                 Interpolation interp, Boundary boundary) {
  Taps tr, tc;
  if (!taps_at(r, M, interp, boundary, tr) || !taps_at(c, N, interp, boundary, tc)) return T(0);
  double sum = 0;
  for (int a = 0; a < tr.n; ++a) sum += tr.w[a] * apply(x + tr.idx[a] * N, tc);
  return point_value<T>(sum, "sample_2d", [&] {
    const int e = tap_exponent(x, N, tr, tc);
    double s = 0;
    for (int a = 0; a < tr.n; ++a) s += tr.w[a] * apply(x + tr.idx[a] * N, tc, e);
    return std::ldexp(s, e);
  });
}

// Runs run(x') for an n-value x, and checks out's n_out values (docs/architecture.md, "Range"):
// outside the band a double x is passed as x' = 2^-e·x and out scaled back by 2^e (partial sums
// of near-max values overflow otherwise); float sums in double cannot, so float x is passed as is.
// A result that does not fit T throws InputError naming `who`.
template <class T, class Run>
void in_range(const T* x, std::size_t n, T* out, std::size_t n_out, const char* who, Run run) {
  const int e = detail::range_exponent(detail::max_magnitude(x, n));
  if (e == 0) return run(x);
  if constexpr (std::is_same_v<T, double>) {
    std::vector<T> xs(x, x + n);
    detail::scale_pow2(xs.data(), n, -e);
    run(static_cast<const T*>(xs.data()));
    detail::scale_pow2(out, n_out, e);
  } else {
    run(x);
  }
  detail::check_in_range(out, n_out, std::string(who) + ": the result");
}

// Splits a shift c into the taps' base offset and fraction: n − c = (n − s) + f, f ∈ [0, 1), so
// that every output sample of a translation shares one set of weights.
inline void split_shift(double c, std::size_t N, Boundary boundary, long& s, double& f) {
  if (boundary != Boundary::zero) {
    const double P = boundary == Boundary::periodic ? double(N) : double(2 * N - 2);
    c = P > 0 ? std::fmod(c, P) : 0.0;
  } else {
    c = std::clamp(c, -double(N) - 4, double(N) + 4);  // beyond: all taps outside the grid
  }
  const double ci = std::ceil(c);
  s = long(ci), f = ci - c;
}

// The taps of a translation: output n reads the extended signal at n + off + k, k < n, with the
// weights w shared by every output sample.
struct ShiftTaps {
  double w[4];
  int n;
  long off;
};
inline ShiftTaps shift_taps(double c, std::size_t N, Interpolation interp, Boundary boundary) {
  long s;
  double f;
  split_shift(c, N, boundary, s, f);
  ShiftTaps t;
  t.n = weights(f, interp, t.w);
  t.off = t.n == 4 ? -s - 1 : -s;
  return t;
}

// out[n] = Σ_k w_k·x̃[n + off + k] along one line of length N, x̃ the extension of x.
template <class In, class Out>
void translate_line(const In* x, std::size_t N, const ShiftTaps& t, Boundary boundary,
                    double* ext, Out* out) {
  for (std::size_t j = 0; j < N + std::size_t(t.n) - 1; ++j) {
    const long i = fold(long(j) + t.off, long(N), boundary);
    ext[j] = i < 0 ? 0.0 : double(x[i]);
  }
  for (std::size_t n = 0; n < N; ++n) {
    double v = 0;
    for (int k = 0; k < t.n; ++k) v += t.w[k] * ext[n + std::size_t(k)];
    out[n] = Out(v);
  }
}

void check_shape(const Displacement& tau, const char* who) {
  if (tau.rows.size() != tau.M * tau.N || tau.cols.size() != tau.M * tau.N)
    throw InputError(std::string(who) + ": the displacement holds " +
                     std::to_string(tau.rows.size()) + " row and " +
                     std::to_string(tau.cols.size()) + " column values, but its grid is " +
                     std::to_string(tau.M) + "×" + std::to_string(tau.N));
  check_finite_image(tau.rows.data(), tau.rows.size(),
                     (std::string(who) + ": the row displacement").c_str());
  check_finite_image(tau.cols.data(), tau.cols.size(),
                     (std::string(who) + ": the column displacement").c_str());
}

// d/du of f along an axis of length L (stride s) at i: centred (f[i+1] − f[i−1])/2, one-sided
// f[1] − f[0], f[L−1] − f[L−2] at the ends, 0 when L = 1.
inline double d1(const double* f, std::size_t i, std::size_t L, std::size_t s) {
  if (L < 2) return 0;
  if (i == 0) return f[s] - f[0];
  if (i == L - 1) return f[i * s] - f[(i - 1) * s];
  return (f[(i + 1) * s] - f[(i - 1) * s]) / 2;
}
// d²/du²: centred f[i+1] − 2f[i] + f[i−1], the nearest full stencil at the ends, 0 when L < 3.
inline double d2(const double* f, std::size_t i, std::size_t L, std::size_t s) {
  if (L < 3) return 0;
  const std::size_t j = std::clamp<std::size_t>(i, 1, L - 2);
  return f[(j + 1) * s] - 2 * f[j * s] + f[(j - 1) * s];
}

// Largest singular value of [[a, b], [c, d]] (closed form, no cancellation).
inline double spectral_norm(double a, double b, double c, double d) {
  return (std::sqrt((a + d) * (a + d) + (c - b) * (c - b)) +
          std::sqrt((a - d) * (a - d) + (b + c) * (b + c))) / 2;
}

// A uniform double in (0, 1] from the raw generator (portable, unlike std::*_distribution).
inline double uniform(std::mt19937_64& g) { return (double(g() >> 11) + 1) * 0x1p-53; }
// A standard normal by Box–Muller.
inline double normal(std::mt19937_64& g) {
  const double u = uniform(g), v = uniform(g);
  return std::sqrt(-2 * std::log(u)) * std::cos(2 * std::numbers::pi * v);
}

}  // namespace

template <class T>
T sample_2d(const T* x, std::size_t M, std::size_t N, double r, double c, Interpolation interp) {
  return sample_2d_impl(x, M, N, r, c, interp, Boundary::zero);
}

template <class T>
T sample_1d(const T* x, std::size_t N, double u, Interpolation interp, Boundary boundary) {
  Taps t;
  if (N == 0 || !taps_at(u, N, interp, boundary, t)) return T(0);
  return point_value<T>(apply(x, t), "sample_1d", [&] {
    const Taps one{{0, 0, 0, 0}, {1, 0, 0, 0}, 1};
    const int e = tap_exponent(x, 0, one, t);
    return std::ldexp(apply(x, t, e), e);
  });
}

template <class T>
void deform_2d(const T* x, std::size_t M, std::size_t N, const double* tau_rows,
               const double* tau_cols, T* out, Interpolation interp) {
  deform_2d(x, M, N, tau_rows, tau_cols, out, interp, Boundary::zero);
}

template <class T>
void deform_2d(const T* x, std::size_t M, std::size_t N, const double* tau_rows,
               const double* tau_cols, T* out, Interpolation interp, Boundary boundary) {
  check_finite_image(x, M * N, "deform_2d: the image");
  check_finite_image(tau_rows, M * N, "deform_2d: the row displacement");
  check_finite_image(tau_cols, M * N, "deform_2d: the column displacement");
  in_range(x, M * N, out, M * N, "deform_2d", [&](const T* xs) {
    for (std::size_t r = 0; r < M; ++r)
      for (std::size_t c = 0; c < N; ++c) {
        const std::size_t i = r * N + c;
        out[i] = sample_2d_impl(xs, M, N, double(r) - tau_rows[i], double(c) - tau_cols[i], interp,
                                boundary);
      }
  });
}

template <class T>
void deform_1d(const T* x, std::size_t N, const double* tau, T* out, Interpolation interp,
               Boundary boundary) {
  check_finite_image(x, N, "deform_1d: the signal");
  check_finite_image(tau, N, "deform_1d: the displacement");
  in_range(x, N, out, N, "deform_1d", [&](const T* xs) {
    for (std::size_t n = 0; n < N; ++n)
      out[n] = sample_1d(xs, N, double(n) - tau[n], interp, boundary);
  });
}

template <class T>
void translate_1d(const T* x, std::size_t N, double c, T* out, Interpolation interp,
                  Boundary boundary) {
  if (!std::isfinite(c)) throw InputError("translate_1d: the shift is not finite");
  check_finite_image(x, N, "translate_1d: the signal");
  if (N == 0) return;
  std::vector<double> ext(N + 3);
  in_range(x, N, out, N, "translate_1d", [&](const T* xs) {
    translate_line(xs, N, shift_taps(c, N, interp, boundary), boundary, ext.data(), out);
  });
}

template <class T>
void translate_2d(const T* x, std::size_t M, std::size_t N, double c_rows, double c_cols, T* out,
                  Interpolation interp, Boundary boundary) {
  if (!std::isfinite(c_rows) || !std::isfinite(c_cols))
    throw InputError("translate_2d: the shift is not finite");
  check_finite_image(x, M * N, "translate_2d: the image");
  if (M == 0 || N == 0) return;
  // The tensor-product kernel is separable: shift along the rows, then combine whole rows.
  std::vector<double> tmp(M * N), ext(N + 3), acc(N);
  in_range(x, M * N, out, M * N, "translate_2d", [&](const T* xs) {
    const ShiftTaps tc = shift_taps(c_cols, N, interp, boundary);
    for (std::size_t r = 0; r < M; ++r)
      translate_line(xs + r * N, N, tc, boundary, ext.data(), tmp.data() + r * N);
    const ShiftTaps tr = shift_taps(c_rows, M, interp, boundary);
    for (std::size_t r = 0; r < M; ++r) {
      std::fill(acc.begin(), acc.end(), 0.0);
      for (int k = 0; k < tr.n; ++k) {
        const long i = fold(long(r) + tr.off + k, long(M), boundary);
        if (i < 0) continue;
        const double w = tr.w[k], *src = tmp.data() + std::size_t(i) * N;
        for (std::size_t c = 0; c < N; ++c) acc[c] += w * src[c];
      }
      for (std::size_t c = 0; c < N; ++c) out[r * N + c] = T(acc[c]);
    }
  });
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
  in_range(x, M * N, out, M * N, "rotate_2d", [&](const T* xs) {
    for (std::size_t r = 0; r < M; ++r)
      for (std::size_t c = 0; c < N; ++c) {
        const double y = cr - double(r), xx = double(c) - cc;  // Cartesian, y upwards
        const double sy = -si * xx + co * y, sx = co * xx + si * y;  // R_{−θ}(x, y)
        out[r * N + c] = sample_2d(xs, M, N, cr - sy, cc + sx, interp);
      }
  });
}

namespace {
// A field's grid: each side at most kMaxLength, both components within the memory budget.
void check_grid(std::size_t M, std::size_t N, const std::string& who) {
  check_size(M, 0, kMaxLength, who + ": M");
  check_size(N, 0, kMaxLength, who + ": N");
  check_memory(checked_bytes({M, N}, 2 * sizeof(double)),
               who + " on a " + std::to_string(M) + "x" + std::to_string(N) + " grid");
}
}  // namespace

Displacement dilation_field(std::size_t M, std::size_t N, double s) {
  check_grid(M, N, "dilation_field");
  if (!(std::isfinite(s) && s > 0))
    throw UsageError("dilation_field: the scale s must be finite and > 0, got " +
                     std::to_string(s));
  Displacement tau{M, N, std::vector<double>(M * N), std::vector<double>(M * N)};
  const double a = 1 - 1 / s, cr = (double(M) - 1) / 2, cc = (double(N) - 1) / 2;
  for (std::size_t r = 0; r < M; ++r)
    for (std::size_t c = 0; c < N; ++c) {
      tau.rows[r * N + c] = a * (double(r) - cr);  // τ(u) = (1 − 1/s)(u − c)
      tau.cols[r * N + c] = a * (double(c) - cc);
    }
  return tau;
}

Displacement rotation_field(std::size_t M, std::size_t N, double angle) {
  if (!std::isfinite(angle)) throw UsageError("rotation_field: the angle is not finite");
  check_grid(M, N, "rotation_field");
  Displacement tau{M, N, std::vector<double>(M * N), std::vector<double>(M * N)};
  // τ(u) = u − source(u), with rotate_2d's source point (same arithmetic).
  const double cr = (double(M) - 1) / 2, cc = (double(N) - 1) / 2;
  const double co = std::cos(angle), si = std::sin(angle);
  for (std::size_t r = 0; r < M; ++r)
    for (std::size_t c = 0; c < N; ++c) {
      const double y = cr - double(r), xx = double(c) - cc;
      const double sy = -si * xx + co * y, sx = co * xx + si * y;
      tau.rows[r * N + c] = double(r) - (cr - sy);
      tau.cols[r * N + c] = double(c) - (cc + sx);
    }
  return tau;
}

Displacement random_diffeomorphism(std::size_t M, std::size_t N, double max_gradient,
                                   unsigned seed, int modes) {
  if (!(max_gradient >= 0 && max_gradient < 1))
    throw UsageError("random_diffeomorphism: max_gradient must be in [0, 1) so that u − τ(u) "
                     "is invertible, got " + std::to_string(max_gradient));
  if (modes < 1 || modes > 1024)
    throw UsageError("random_diffeomorphism: modes must be in [1, 1024], got " + std::to_string(modes));
  if (M == 0 || N == 0)
    throw UsageError("random_diffeomorphism: the grid " + std::to_string(M) + "×" +
                     std::to_string(N) + " is empty");
  check_grid(M, N, "random_diffeomorphism");
  Displacement tau{M, N, std::vector<double>(M * N, 0.0), std::vector<double>(M * N, 0.0)};
  if (max_gradient == 0) return tau;
  // cos/sin(2πk·i/L) for k = 0..kmax, i < L: row k of the table holds the cosines, then the sines.
  const auto table = [](std::size_t L, int kmax) {
    std::vector<double> t(std::size_t(kmax + 1) * 2 * L);
    for (int k = 0; k <= kmax; ++k)
      for (std::size_t i = 0; i < L; ++i) {
        const double p = 2 * std::numbers::pi * double(k) * double(i) / double(L);
        t[std::size_t(k) * 2 * L + i] = std::cos(p);
        t[std::size_t(k) * 2 * L + L + i] = std::sin(p);
      }
    return t;
  };
  const int kr_max = M == 1 ? 0 : modes;  // 1D: one component, `cols`, varying along the columns
  const auto trow = table(M, kr_max), tcol = table(N, modes);
  std::mt19937_64 gen(seed);
  for (int comp = 0; comp < (M == 1 ? 1 : 2); ++comp) {
    std::vector<double>& f = (M == 1 || comp == 1) ? tau.cols : tau.rows;
    for (int kr = 0; kr <= kr_max; ++kr)
      for (int kc = 0; kc <= modes; ++kc) {
        if (kr == 0 && kc == 0) continue;
        const double decay = 1.0 / double(kr * kr + kc * kc);
        // Coefficients of cos·cos, cos·sin, sin·cos, sin·sin (drawn even where sin ≡ 0, so a
        // mode's coefficients do not depend on the grid size).
        double a[4];
        for (double& v : a) v = normal(gen) * decay;
        const double* cr = trow.data() + std::size_t(kr) * 2 * M;
        const double* cc = tcol.data() + std::size_t(kc) * 2 * N;
        for (std::size_t r = 0; r < M; ++r) {
          const double u = a[0] * cr[r] + a[2] * cr[M + r], v = a[1] * cr[r] + a[3] * cr[M + r];
          double* row = f.data() + r * N;
          for (std::size_t c = 0; c < N; ++c) row[c] += u * cc[c] + v * cc[N + c];
        }
      }
  }
  const double g = deformation_size(tau, 0).sup_gradient;
  if (!(g > 0))
    throw UsageError("random_diffeomorphism: the grid " + std::to_string(M) + "×" +
                     std::to_string(N) + " is too small to carry a gradient");
  const double scale = max_gradient / g;
  for (double& v : tau.rows) v *= scale;
  for (double& v : tau.cols) v *= scale;
  return tau;
}

DeformationSize deformation_size(const Displacement& tau, int J) {
  if (J < 0) throw UsageError("deformation_size: J must be ≥ 0, got " + std::to_string(J));
  check_shape(tau, "deformation_size");
  const std::size_t M = tau.M, N = tau.N;
  DeformationSize out;
  for (std::size_t r = 0; r < M; ++r)
    for (std::size_t c = 0; c < N; ++c) {
      const std::size_t i = r * N + c;
      out.sup_tau = std::max(out.sup_tau, std::sqrt(tau.rows[i] * tau.rows[i] + tau.cols[i] * tau.cols[i]));
      double jac[2][2], hess = 0;
      for (int k = 0; k < 2; ++k) {
        const double* f = k == 0 ? tau.rows.data() : tau.cols.data();
        jac[k][0] = d1(f + c, r, M, N);  // ∂τ_k/∂row
        jac[k][1] = d1(f + r * N, c, N, 1);  // ∂τ_k/∂col
        const double hrr = d2(f + c, r, M, N), hcc = d2(f + r * N, c, N, 1);
        // ∂²/∂row∂col: the column difference of the row differences.
        double hrc = 0;
        if (M >= 2 && N >= 2) {
          const std::size_t r0 = r == 0 ? 0 : r == M - 1 ? M - 2 : r - 1;
          const std::size_t r1 = r == 0 ? 1 : r == M - 1 ? M - 1 : r + 1;
          const double scale = (r1 - r0 == 2) ? 0.5 : 1.0;
          hrc = scale * (d1(f + r1 * N, c, N, 1) - d1(f + r0 * N, c, N, 1));
        }
        hess += hrr * hrr + 2 * hrc * hrc + hcc * hcc;
      }
      out.sup_gradient =
          std::max(out.sup_gradient, spectral_norm(jac[0][0], jac[0][1], jac[1][0], jac[1][1]));
      out.sup_hessian = std::max(out.sup_hessian, std::sqrt(hess));
    }
  out.norm = std::ldexp(out.sup_tau, -J) + out.sup_gradient + out.sup_hessian;
  return out;
}

void check_invertible(const Displacement& tau) {
  check_shape(tau, "check_invertible");
  const double g = deformation_size(tau, 0).sup_gradient;
  if (g >= 1) {
    char num[32];
    std::snprintf(num, sizeof num, "%.4g", g);
    throw UsageError(std::string("deformation folds: sup|∇τ| = ") + num +
                     " ≥ 1, so u − τ(u) is not invertible; use a smaller deformation");
  }
}

#define WST_DEFORM_INSTANTIATE(T)                                                              \
  template T sample_2d(const T*, std::size_t, std::size_t, double, double, Interpolation);     \
  template T sample_1d(const T*, std::size_t, double, Interpolation, Boundary);                \
  template void deform_2d(const T*, std::size_t, std::size_t, const double*, const double*, T*, \
                          Interpolation);                                                      \
  template void deform_2d(const T*, std::size_t, std::size_t, const double*, const double*, T*, \
                          Interpolation, Boundary);                                            \
  template void deform_1d(const T*, std::size_t, const double*, T*, Interpolation, Boundary);  \
  template void translate_1d(const T*, std::size_t, double, T*, Interpolation, Boundary);      \
  template void translate_2d(const T*, std::size_t, std::size_t, double, double, T*,           \
                             Interpolation, Boundary);                                         \
  template void rotate_2d(const T*, std::size_t, std::size_t, double, T*, Interpolation);
WST_DEFORM_INSTANTIATE(float)
WST_DEFORM_INSTANTIATE(double)
#undef WST_DEFORM_INSTANTIATE

}  // namespace wst
