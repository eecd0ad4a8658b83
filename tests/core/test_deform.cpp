#include "wst/core/deform.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <numbers>
#include <random>
#include <utility>
#include <vector>

#include "test_support.hpp"
#include "wst/support/error.hpp"
#include "wst/support/memory_budget.hpp"

using namespace wst;
using std::numbers::pi;

namespace {

// A smooth bump centred at (r0, c0).
std::vector<double> bump(std::size_t M, std::size_t N, double r0, double c0, double s) {
  std::vector<double> x(M * N);
  for (std::size_t r = 0; r < M; ++r)
    for (std::size_t c = 0; c < N; ++c)
      x[r * N + c] = std::exp(-((r - r0) * (r - r0) + (c - c0) * (c - c0)) / (2 * s * s));
  return x;
}

}  // namespace

TEST(Deform, ZeroDisplacementIsIdentity) {
  const std::size_t M = 13, N = 17;
  const auto x = test::random_normal<double>(M * N, 3);
  const std::vector<double> zero(M * N, 0.0);
  for (auto interp : {Interpolation::linear, Interpolation::cubic}) {
    std::vector<double> y(M * N);
    deform_2d(x.data(), M, N, zero.data(), zero.data(), y.data(), interp);
    EXPECT_LT(test::rel_error(y, x), 1e-15);
  }
}

TEST(Deform, IntegerTranslationShiftsPixels) {
  const std::size_t M = 12, N = 10;
  const auto x = test::random_normal<float>(M * N, 5);
  const std::vector<double> tr(M * N, 2.0), tc(M * N, -3.0);
  std::vector<float> y(M * N);
  deform_2d(x.data(), M, N, tr.data(), tc.data(), y.data());
  for (std::size_t r = 0; r < M; ++r)
    for (std::size_t c = 0; c < N; ++c) {
      const long sr = long(r) - 2, sc = long(c) + 3;  // x(u − τ)
      const float expect =
          (sr < 0 || sc >= long(N)) ? 0.f : x[std::size_t(sr) * N + std::size_t(sc)];
      EXPECT_FLOAT_EQ(y[r * N + c], expect) << r << "," << c;
    }
}

TEST(Deform, CubicIsExactOnQuadratics) {
  // Keys' kernel reproduces polynomials of degree ≤ 2 away from the border.
  const std::size_t M = 16, N = 16;
  std::vector<double> x(M * N);
  for (std::size_t r = 0; r < M; ++r)
    for (std::size_t c = 0; c < N; ++c) x[r * N + c] = 0.3 * r * r - 0.2 * r * c + c + 1;
  const double r = 7.3, c = 8.6;
  EXPECT_NEAR(sample_2d(x.data(), M, N, r, c, Interpolation::cubic),
              0.3 * r * r - 0.2 * r * c + c + 1, 1e-12);
}

TEST(Rotate, QuarterTurnIsExactAndCounterClockwise) {
  const std::size_t M = 9, N = 9;
  const auto x = test::random_normal<double>(M * N, 7);
  std::vector<double> y(M * N);
  rotate_2d(x.data(), M, N, pi / 2, y.data());
  // Counter-clockwise on screen: the top row's right end moves to the top of the left column.
  for (std::size_t r = 0; r < M; ++r)
    for (std::size_t c = 0; c < N; ++c) EXPECT_NEAR(y[r * N + c], x[c * N + (N - 1 - r)], 1e-12);
}

TEST(Rotate, MovesABumpAlongTheCircleAndComposes) {
  const std::size_t M = 41, N = 41;
  const auto x = bump(M, N, 20, 30, 3.0);  // right of the centre (20, 20)
  std::vector<double> y(M * N), z(M * N), w(M * N);
  rotate_2d(x.data(), M, N, pi / 6, y.data());
  // Counter-clockwise by 30°: the bump goes up-right to (20 − 10 sin 30°, 20 + 10 cos 30°).
  const auto expect = bump(M, N, 20 - 10 * std::sin(pi / 6), 20 + 10 * std::cos(pi / 6), 3.0);
  EXPECT_LT(test::rel_error(y, expect), 2e-3);
  rotate_2d(y.data(), M, N, -pi / 6, z.data());
  EXPECT_LT(test::rel_error(z, x), 5e-3);
  rotate_2d(x.data(), M, N, 0.0, w.data());
  EXPECT_LT(test::rel_error(w, x), 1e-15);
}

TEST(Deform, RejectsNonFiniteInput) {
  const std::size_t M = 4, N = 4;
  std::vector<float> x(M * N, 1.f), y(M * N);
  x[5] = NAN;
  EXPECT_NE(test::message_of<InputError>([&] { rotate_2d(x.data(), M, N, 0.1, y.data()); })
                .find("non-finite"),
            std::string::npos);
  x[5] = 1.f;
  EXPECT_NE(test::message_of<InputError>([&] { rotate_2d(x.data(), M, N, INFINITY, y.data()); })
                .find("angle"),
            std::string::npos);
}

// ---- boundaries, translations, 1D deformations, fields and ‖τ‖ -------------------------

namespace {

constexpr Boundary kBoundaries[] = {Boundary::periodic, Boundary::zero, Boundary::reflect};
constexpr Interpolation kInterps[] = {Interpolation::linear, Interpolation::cubic};

// A band-limited periodic signal Σ_k a_k cos(ω_k u + φ_k), ω_k = 2πk/N, k = 1..K.
struct Trig {
  std::vector<double> a, w, phi;
  Trig(std::size_t N, int K, unsigned seed) {
    const auto r = test::random_normal<double>(2 * std::size_t(K), seed);
    for (int k = 1; k <= K; ++k) {
      a.push_back(r[2 * std::size_t(k) - 2]);
      w.push_back(2 * pi * k / double(N));
      phi.push_back(r[2 * std::size_t(k) - 1]);
    }
  }
  double operator()(double u) const {
    double s = 0;
    for (std::size_t k = 0; k < a.size(); ++k) s += a[k] * std::cos(w[k] * u + phi[k]);
    return s;
  }
  double sup_derivative(int order) const {  // Σ |a_k| ω_k^order ≥ sup |x^(order)|
    double s = 0;
    for (std::size_t k = 0; k < a.size(); ++k) s += std::abs(a[k]) * std::pow(w[k], order);
    return s;
  }
  std::vector<double> samples(std::size_t N, double shift = 0) const {
    std::vector<double> x(N);
    for (std::size_t n = 0; n < N; ++n) x[n] = (*this)(double(n) - shift);
    return x;
  }
};

double keys_ref(double t) {  // Keys (1981) a = −1/2, written out independently of the library
  t = std::abs(t);
  return t < 1 ? 1.5 * t * t * t - 2.5 * t * t + 1
               : t < 2 ? -0.5 * t * t * t + 2.5 * t * t - 4 * t + 2 : 0.0;
}

// Interpolating at fraction f ∈ [0, 1) between samples: the weights reproduce polynomials of degree
// < p (p = 3 Keys, p = 2 linear), so Taylor's theorem bounds the error by
// Σ_k |w_k|·|d_k|^p/p! · sup|x^(p)|, d_k the distances from the point to the taps. Also Σ|w_k|.
struct InterpBound {
  double taylor, abs_sum;
};
InterpBound interp_bound(Interpolation interp, double f) {
  InterpBound b{0, 0};
  if (interp == Interpolation::linear) {
    b.taylor = ((1 - f) * f * f + f * (1 - f) * (1 - f)) / 2;
    b.abs_sum = 1;
  } else {
    for (int k = -1; k <= 2; ++k) {
      const double d = std::abs(f - k), w = std::abs(keys_ref(d));
      b.taylor += w * d * d * d / 6;
      b.abs_sum += w;
    }
  }
  return b;
}
// The fraction of the source point n − c.
double frac_of_shift(double c) { return -c - std::floor(-c); }
int order_of(Interpolation interp) { return interp == Interpolation::linear ? 2 : 3; }

// np.pad(x, …, 'reflect')[i] for any integer i, by walking the mirror images (independent of
// the library's modular formula).
template <class V>
double reflect_ref(const V& x, long i) {
  const long N = long(x.size());
  if (N == 1) return double(x[0]);
  while (i < 0 || i >= N) i = i < 0 ? -i : 2 * (N - 1) - i;
  return double(x[std::size_t(i)]);
}

double max_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

long roll_index(long n, long c, long N) { return (((n - c) % N) + N) % N; }

}  // namespace

TEST(Translate, ZeroShiftAndZeroFieldAreTheIdentityExactly) {
  for (unsigned seed = 0; seed < 20; ++seed) {
    const std::size_t M = 1 + seed % 7, N = 1 + (seed * 5) % 23;
    const auto x = test::random_normal<double>(M * N, 100 + seed);
    const auto xf = test::random_normal<float>(N, 200 + seed);
    const std::vector<double> zero(M * N, 0.0);
    for (auto interp : kInterps)
      for (auto boundary : kBoundaries) {
        std::vector<double> y(M * N), z(M * N), w(N);
        std::vector<float> yf(N);
        translate_1d(x.data(), N, 0.0, w.data(), interp, boundary);
        EXPECT_TRUE(std::equal(w.begin(), w.end(), x.begin())) << seed;
        translate_1d(xf.data(), N, -0.0, yf.data(), interp, boundary);
        EXPECT_EQ(yf, xf) << seed;
        deform_1d(x.data(), N, zero.data(), w.data(), interp, boundary);
        EXPECT_TRUE(std::equal(w.begin(), w.end(), x.begin())) << seed;
        deform_1d(xf.data(), N, zero.data(), yf.data(), interp, boundary);
        EXPECT_EQ(yf, xf) << seed;
        translate_2d(x.data(), M, N, 0.0, 0.0, y.data(), interp, boundary);
        EXPECT_EQ(y, x) << seed;
        deform_2d(x.data(), M, N, zero.data(), zero.data(), z.data(), interp, boundary);
        EXPECT_EQ(z, x) << seed;
      }
  }
}

TEST(Translate, IntegerShiftWithPeriodicBoundaryIsNpRoll) {
  std::mt19937 gen(11);
  for (unsigned trial = 0; trial < 40; ++trial) {
    const long M = 1 + long(gen() % 9), N = 1 + long(gen() % 33);
    const long cr = long(gen() % 301) - 150, cc = long(gen() % 301) - 150;  // up to many periods
    const auto x = test::random_normal<double>(std::size_t(M * N), trial);
    const auto xf = test::random_normal<float>(std::size_t(N), 50 + trial);
    for (auto interp : kInterps) {
      std::vector<double> y(static_cast<std::size_t>(M * N)), w(static_cast<std::size_t>(N));
      std::vector<float> wf(static_cast<std::size_t>(N));
      translate_1d(x.data(), std::size_t(N), double(cc), w.data(), interp);
      translate_1d(xf.data(), std::size_t(N), double(cc), wf.data(), interp);
      for (long n = 0; n < N; ++n) {
        ASSERT_EQ(w[std::size_t(n)], x[std::size_t(roll_index(n, cc, N))]) << trial;
        ASSERT_EQ(wf[std::size_t(n)], xf[std::size_t(roll_index(n, cc, N))]) << trial;
      }
      translate_2d(x.data(), std::size_t(M), std::size_t(N), double(cr), double(cc), y.data(),
                   interp);
      for (long r = 0; r < M; ++r)
        for (long n = 0; n < N; ++n)
          ASSERT_EQ(y[std::size_t(r * N + n)],
                    x[std::size_t(roll_index(r, cr, M) * N + roll_index(n, cc, N))])
              << trial;
    }
  }
}

TEST(Translate, IntegerShiftWithZeroAndReflectBoundaries) {
  std::mt19937 gen(12);
  for (unsigned trial = 0; trial < 40; ++trial) {
    const long N = 1 + long(gen() % 20), c = long(gen() % 61) - 30;
    const auto x = test::random_normal<double>(std::size_t(N), 300 + trial);
    for (auto interp : kInterps) {
      std::vector<double> z(static_cast<std::size_t>(N)), r(static_cast<std::size_t>(N));
      translate_1d(x.data(), std::size_t(N), double(c), z.data(), interp, Boundary::zero);
      translate_1d(x.data(), std::size_t(N), double(c), r.data(), interp, Boundary::reflect);
      for (long n = 0; n < N; ++n) {
        const long s = n - c;
        EXPECT_EQ(z[std::size_t(n)], s < 0 || s >= N ? 0.0 : x[std::size_t(s)]) << trial;
        EXPECT_EQ(r[std::size_t(n)], reflect_ref(x, s)) << trial;
      }
    }
  }
  // np.pad([1, 2, 3], 2, 'reflect') = [3, 2, 1, 2, 3, 2, 1].
  const double x[] = {1, 2, 3}, padded[] = {3, 2, 1, 2, 3, 2, 1};
  for (int i = -2; i <= 4; ++i)
    EXPECT_EQ(sample_1d(x, 3, double(i), Interpolation::cubic, Boundary::reflect), padded[i + 2]);
  // Halfway between the reflected x[−1] = 2 and x[0] = 1, and between x[2] = 3 and x[0] = 1.
  EXPECT_DOUBLE_EQ(sample_1d(x, 3, -0.5, Interpolation::linear, Boundary::reflect), 1.5);
  EXPECT_DOUBLE_EQ(sample_1d(x, 3, 2.5, Interpolation::linear, Boundary::periodic), 2.0);
  EXPECT_DOUBLE_EQ(sample_1d(x, 3, -0.5, Interpolation::linear, Boundary::zero), 0.5);
}

TEST(Translate, SubSampleShiftMatchesTheShiftedSignalWithinTheInterpolationBound) {
  // x band-limited: the interpolation error is at most interp_bound(f)·sup|x^(p)| (see above).
  const std::size_t N = 64;
  std::mt19937 gen(13);
  std::uniform_real_distribution<double> shift(-5, 5);
  for (unsigned trial = 0; trial < 30; ++trial) {
    const Trig g(N, 4, 400 + trial);
    const auto x = g.samples(N);
    const double c = shift(gen);
    for (auto interp : kInterps) {
      const double bound =
          interp_bound(interp, frac_of_shift(c)).taylor * g.sup_derivative(order_of(interp));
      std::vector<double> y(N);
      translate_1d(x.data(), N, c, y.data(), interp);
      const auto expect = g.samples(N, c);
      double err = 0;
      for (std::size_t n = 0; n < N; ++n) err = std::max(err, std::abs(y[n] - expect[n]));
      EXPECT_LE(err, bound + 1e-13) << trial;
      EXPECT_GT(err, 1e-2 * bound) << trial;  // the bound is not vacuous: the error is real
    }
    // 2D, a separable signal g(r)·h(c): translate_2d is the product of the 1D translations.
    const std::size_t M = 32;
    const Trig h(M, 3, 500 + trial);
    const auto xr = h.samples(M), xc = g.samples(N);
    std::vector<double> img(M * N), out(M * N), tr(M), tc(N);
    for (std::size_t r = 0; r < M; ++r)
      for (std::size_t k = 0; k < N; ++k) img[r * N + k] = xr[r] * xc[k];
    const double c_rows = shift(gen);
    translate_2d(img.data(), M, N, c_rows, c, out.data());
    translate_1d(xr.data(), M, c_rows, tr.data());
    translate_1d(xc.data(), N, c, tc.data());
    double err = 0, den = 0;
    for (std::size_t r = 0; r < M; ++r)
      for (std::size_t k = 0; k < N; ++k) {
        err = std::max(err, std::abs(out[r * N + k] - tr[r] * tc[k]));
        den = std::max(den, std::abs(tr[r] * tc[k]));
      }
    EXPECT_LT(err / den, 1e-14) << trial;
  }
}

TEST(Translate, SmallTranslationsCompose) {
  // translate(translate(x, a), b) − x(· − a − b) = [the first step's error, interpolated:
  // ≤ E_a·Σ|w_b|] + E_b + and translate(x, a + b) is within E_{a+b}: the tolerance is their sum.
  const std::size_t N = 48;
  std::mt19937 gen(14);
  std::uniform_real_distribution<double> shift(-1.5, 1.5);
  for (unsigned trial = 0; trial < 40; ++trial) {
    const Trig g(N, 3, 600 + trial);
    const auto x = g.samples(N);
    const double a = shift(gen), b = shift(gen);
    for (auto interp : kInterps) {
      std::vector<double> y(N), yy(N), z(N);
      translate_1d(x.data(), N, a, y.data(), interp);
      translate_1d(y.data(), N, b, yy.data(), interp);
      translate_1d(x.data(), N, a + b, z.data(), interp);
      const double D = g.sup_derivative(order_of(interp));
      const auto ba = interp_bound(interp, frac_of_shift(a));
      const auto bb = interp_bound(interp, frac_of_shift(b));
      const auto bab = interp_bound(interp, frac_of_shift(a + b));
      const double tol = (ba.taylor * bb.abs_sum + bb.taylor + bab.taylor) * D + 1e-13;
      double err = 0;
      for (std::size_t n = 0; n < N; ++n) err = std::max(err, std::abs(yy[n] - z[n]));
      EXPECT_LE(err, tol) << trial;
      if (interp == Interpolation::cubic) EXPECT_LT(err, 5e-3 * g.sup_derivative(0)) << trial;
    }
  }
}

TEST(Deform1d, ConstantFieldIsATranslation) {
  std::mt19937 gen(15);
  std::uniform_real_distribution<double> shift(-6, 6);
  for (unsigned trial = 0; trial < 30; ++trial) {
    const std::size_t M = 3 + trial % 5, N = 2 + (trial * 7) % 29;
    const auto x = test::random_normal<double>(M * N, 700 + trial);
    const double cr = shift(gen), cc = shift(gen);
    const std::vector<double> tr(M * N, cr), tc(M * N, cc);
    const double scale = max_diff(x, std::vector<double>(M * N));
    for (auto interp : kInterps)
      for (auto boundary : kBoundaries) {
        std::vector<double> a(N), b(N), A(M * N), B(M * N);
        deform_1d(x.data(), N, tc.data(), a.data(), interp, boundary);
        translate_1d(x.data(), N, cc, b.data(), interp, boundary);
        EXPECT_LT(max_diff(a, b), 1e-13 * scale) << trial;  // b may be all 0 (zero boundary)
        deform_2d(x.data(), M, N, tr.data(), tc.data(), A.data(), interp, boundary);
        translate_2d(x.data(), M, N, cr, cc, B.data(), interp, boundary);
        EXPECT_LT(max_diff(A, B), 1e-13 * scale) << trial;
        if (boundary == Boundary::periodic) EXPECT_GT(max_diff(B, std::vector<double>(M * N)), 0);
      }
  }
}

TEST(Deform1d, EqualsDeform2dOfAOneRowImage) {
  // The documented 1D convention: M = 1, τ in `cols`, `rows` zero.
  for (unsigned seed = 0; seed < 10; ++seed) {
    const std::size_t N = 16 + 5 * seed;
    const auto tau = random_diffeomorphism(1, N, 0.9, seed);
    for (double v : tau.rows) ASSERT_EQ(v, 0.0);
    std::vector<double> scaled(tau.cols);
    for (double& v : scaled) v *= 3;  // displacements of several samples
    const auto x = test::random_normal<float>(N, 800 + seed);
    for (auto interp : kInterps)
      for (auto boundary : kBoundaries) {
        std::vector<float> a(N), b(N);
        deform_1d(x.data(), N, scaled.data(), a.data(), interp, boundary);
        deform_2d(x.data(), 1, N, tau.rows.data(), scaled.data(), b.data(), interp, boundary);
        EXPECT_EQ(a, b) << seed;
      }
  }
}

TEST(Fields, DilationMapsPixelsAboutTheCentre) {
  const std::size_t M = 17, N = 21;  // centre (8, 10), on a pixel
  const auto x = test::random_normal<double>(M * N, 21);
  for (double s : {2.0, 0.5}) {
    const auto tau = dilation_field(M, N, s);
    std::vector<double> y(M * N);
    deform_2d(x.data(), M, N, tau.rows.data(), tau.cols.data(), y.data());
    // y(c + d) = x(c + d/s): exact where both are pixels.
    const long step = s > 1 ? 2 : 1, src = s > 1 ? 1 : 2;
    for (long i = -4; i <= 4; ++i)
      for (long j = -4; j <= 4; ++j) {
        const long r = 8 + i * step, c = 10 + j * step, sr = 8 + i * src, sc = 10 + j * src;
        if (r < 0 || r >= long(M) || c < 0 || c >= long(N) || sr < 0 || sr >= long(M) ||
            sc < 0 || sc >= long(N))
          continue;
        EXPECT_NEAR(y[std::size_t(r) * N + std::size_t(c)],
                    x[std::size_t(sr) * N + std::size_t(sc)], 1e-12)
            << s << " " << i << "," << j;
      }
  }
  // A centred Gaussian of width σ becomes one of width s·σ.
  const std::size_t P = 65;
  const auto g = bump(P, P, 32, 32, 3.0), g2 = bump(P, P, 32, 32, 4.5);
  const auto tau = dilation_field(P, P, 1.5);
  std::vector<double> y(P * P);
  deform_2d(g.data(), P, P, tau.rows.data(), tau.cols.data(), y.data());
  EXPECT_LT(test::rel_error(y, g2), 3e-3);
  EXPECT_NE(test::message_of<UsageError>([] { dilation_field(4, 4, 0.0); }).find("s"),
            std::string::npos);
}

TEST(Fields, RotationFieldThroughDeform2dIsRotate2d) {
  std::mt19937 gen(16);
  std::uniform_real_distribution<double> angle(-4, 4);
  for (unsigned trial = 0; trial < 20; ++trial) {
    const std::size_t M = 5 + trial % 11, N = 4 + (trial * 3) % 17;
    const auto x = test::random_normal<double>(M * N, 900 + trial);
    const double theta = angle(gen);
    const auto tau = rotation_field(M, N, theta);
    for (auto interp : kInterps) {
      std::vector<double> a(M * N), b(M * N);
      deform_2d(x.data(), M, N, tau.rows.data(), tau.cols.data(), a.data(), interp);
      rotate_2d(x.data(), M, N, theta, b.data(), interp);
      EXPECT_LT(test::rel_error(a, b), 1e-12) << trial;
    }
    // ∇τ = I − R_θ: sup|∇τ| = |1 − e^{iθ}| = 2|sin(θ/2)|, Hessian 0.
    const auto size = deformation_size(tau, 3);
    EXPECT_NEAR(size.sup_gradient, 2 * std::abs(std::sin(theta / 2)), 1e-12) << trial;
    EXPECT_LT(size.sup_hessian, 1e-12) << trial;
  }
}

TEST(DeformationSize, AnalyticSineField) {
  // τ(u) = a·sin(ωu), ω = 2π/N, N divisible by 4. The centred differences of a sine are exact:
  // Dτ = a·sin ω·cos(ωu) (sup at u = 0, also the one-sided value there) and
  // D²τ = −4a·sin²(ω/2)·sin(ωu): both within O(ω²) of the derivatives aω and aω².
  for (std::size_t N : {16, 64, 256}) {
    const double a = 1.7, w = 2 * pi / double(N);
    Displacement tau{1, N, std::vector<double>(N, 0.0), std::vector<double>(N)};
    for (std::size_t n = 0; n < N; ++n) tau.cols[n] = a * std::sin(w * double(n));
    const auto s = deformation_size(tau, 2);
    EXPECT_NEAR(s.sup_tau, a, 1e-14 * a);
    EXPECT_NEAR(s.sup_gradient, a * std::sin(w), 1e-13 * a);
    EXPECT_NEAR(s.sup_gradient, a * w, a * w * w * w / 6 + 1e-13);
    EXPECT_NEAR(s.sup_hessian, 4 * a * std::pow(std::sin(w / 2), 2), 1e-13 * a);
    EXPECT_NEAR(s.sup_hessian, a * w * w, a * w * w * w * w / 12 + 1e-13);
    EXPECT_NEAR(s.norm, a / 4 + s.sup_gradient + s.sup_hessian, 1e-15);
    // The same along the rows of a 2D field, in the row component.
    const std::size_t K = 5;
    Displacement t2{N, K, std::vector<double>(N * K), std::vector<double>(N * K, 0.0)};
    for (std::size_t r = 0; r < N; ++r)
      for (std::size_t c = 0; c < K; ++c) t2.rows[r * K + c] = a * std::sin(w * double(r));
    const auto s2 = deformation_size(t2, 2);
    EXPECT_NEAR(s2.sup_gradient, s.sup_gradient, 1e-13);
    EXPECT_NEAR(s2.sup_hessian, s.sup_hessian, 1e-13);
  }
  // A mixed term τ_rows = r·c: ∂²/∂r∂c = 1 twice in the Hessian, so |Hτ| = √2; Jacobian row
  // (c, r) exactly (differences of a linear function), spectral norm |(c, r)|, largest at the far
  // corner.
  const std::size_t M = 6, N = 9;
  Displacement t{M, N, std::vector<double>(M * N), std::vector<double>(M * N, 0.0)};
  for (std::size_t r = 0; r < M; ++r)
    for (std::size_t c = 0; c < N; ++c) t.rows[r * N + c] = double(r) * double(c);
  const auto s = deformation_size(t, 0);
  EXPECT_NEAR(s.sup_hessian, std::sqrt(2.0), 1e-14);
  EXPECT_NEAR(s.sup_gradient, std::hypot(5.0, 8.0), 1e-14);
}

TEST(DeformationSize, DilationHasConstantGradientAndNoCurvature) {
  for (double s : {0.6, 0.9, 1.1, 2.5}) {
    for (auto [M, N] : {std::pair<std::size_t, std::size_t>{1, 40}, {24, 31}}) {
      const auto size = deformation_size(dilation_field(M, N, s), 1);
      const double a = std::abs(1 - 1 / s);
      EXPECT_NEAR(size.sup_gradient, a, 1e-13);
      EXPECT_LT(size.sup_hessian, 1e-12);
      EXPECT_NEAR(size.sup_tau, a * std::hypot((M - 1) / 2.0, (N - 1) / 2.0), 1e-12);
    }
  }
}

TEST(RandomDiffeomorphism, HasTheRequestedGradientAndIsSmoothAndSeeded) {
  struct Case {
    std::size_t M, N;
    int modes;
  };
  for (const Case& k : {Case{1, 128, 4}, Case{64, 64, 4}, Case{48, 80, 3}, Case{1, 200, 6},
                        Case{96, 40, 2}}) {
    for (unsigned seed = 0; seed < 5; ++seed)
      for (double g : {0.05, 0.3, 0.95}) {
        const auto tau = random_diffeomorphism(k.M, k.N, g, seed, k.modes);
        ASSERT_EQ(tau.rows.size(), k.M * k.N);
        const auto s = deformation_size(tau, 0);
        EXPECT_NEAR(s.sup_gradient, g, 1e-12 * g);
        EXPECT_NO_THROW(check_invertible(tau));
        // Smooth: the highest mode has ω = 2π·modes/min(M, N) per sample, so (Bernstein's
        // inequality) each second derivative is at most ω·sup|∇τ|: |Hτ| ≤ ω·sup|∇τ| in 1D and
        // ≤ √8·ω·sup|∇τ| over the 8 entries in 2D (measured: 0.48 and 0.84 of ω·sup|∇τ|).
        const std::size_t L = k.M == 1 ? k.N : std::min(k.M, k.N);
        const double w = 2 * pi * k.modes / double(L);
        EXPECT_LT(s.sup_hessian, (k.M == 1 ? 1.0 : std::sqrt(8.0)) * w * s.sup_gradient)
            << k.M << " " << seed;
        if (k.M == 1)
          for (double v : tau.rows) ASSERT_EQ(v, 0.0);
        const auto again = random_diffeomorphism(k.M, k.N, g, seed, k.modes);
        EXPECT_EQ(again.rows, tau.rows);
        EXPECT_EQ(again.cols, tau.cols);
        const auto other = random_diffeomorphism(k.M, k.N, g, seed + 1000, k.modes);
        EXPECT_GT(test::rel_error(other.cols, tau.cols), 0.05);
      }
  }
  const auto zero = random_diffeomorphism(16, 16, 0.0, 3);
  EXPECT_EQ(zero.rows, std::vector<double>(256, 0.0));
  EXPECT_EQ(zero.cols, std::vector<double>(256, 0.0));
}

TEST(RandomDiffeomorphism, FoldingFieldsAreRejected) {
  auto tau = random_diffeomorphism(32, 32, 0.5, 7);
  for (double& v : tau.rows) v *= 2.4;
  for (double& v : tau.cols) v *= 2.4;
  const auto msg = test::message_of<UsageError>([&] { check_invertible(tau); });
  EXPECT_NE(msg.find("sup|∇τ| = 1.2"), std::string::npos) << msg;
  EXPECT_NE(msg.find("not invertible"), std::string::npos) << msg;
  for (double& v : tau.rows) v /= 2.4;
  for (double& v : tau.cols) v /= 2.4;
  EXPECT_NO_THROW(check_invertible(tau));
  for (double bad : {1.0, 1.5, -0.1, double(NAN)})
    EXPECT_NE(test::message_of<UsageError>([&] { random_diffeomorphism(8, 8, bad, 1); })
                  .find("max_gradient"),
              std::string::npos)
        << bad;
  EXPECT_NE(test::message_of<UsageError>([] { random_diffeomorphism(8, 8, 0.5, 1, 0); })
                .find("modes"),
            std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { random_diffeomorphism(1, 1, 0.5, 1); })
                .find("gradient"),
            std::string::npos);
}

TEST(Deform1d, RejectsNonFiniteInput) {
  const std::size_t N = 6;
  std::vector<double> x(N, 1.0), y(N), tau(N, 0.25);
  x[3] = INFINITY;
  EXPECT_NE(test::message_of<InputError>([&] { translate_1d(x.data(), N, 0.5, y.data()); })
                .find("non-finite"),
            std::string::npos);
  EXPECT_NE(test::message_of<InputError>([&] { deform_1d(x.data(), N, tau.data(), y.data()); })
                .find("signal"),
            std::string::npos);
  x[3] = 1.0;
  EXPECT_NE(test::message_of<InputError>([&] { translate_1d(x.data(), N, NAN, y.data()); })
                .find("shift"),
            std::string::npos);
  EXPECT_NE(
      test::message_of<InputError>([&] { translate_2d(x.data(), 2, 3, 0.0, INFINITY, y.data()); })
          .find("shift"),
      std::string::npos);
  tau[2] = NAN;
  EXPECT_NE(test::message_of<InputError>([&] { deform_1d(x.data(), N, tau.data(), y.data()); })
                .find("displacement"),
            std::string::npos);
  Displacement t = dilation_field(3, 4, 1.2);
  t.cols[5] = NAN;
  EXPECT_NE(test::message_of<InputError>([&] { deformation_size(t, 1); }).find("column"),
            std::string::npos);
  EXPECT_NE(test::message_of<InputError>([&] { check_invertible(t); }).find("non-finite"),
            std::string::npos);
  t.cols.pop_back();
  EXPECT_NE(test::message_of<InputError>([&] { deformation_size(t, 1); }).find("3×4"),
            std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { deformation_size(dilation_field(2, 2, 2), -1); })
                .find("J"),
            std::string::npos);
}

TEST(DeformFields, AbsurdGridsAreRefusedBeforeAllocating) {
  EXPECT_NE(test::message_of<UsageError>([] { dilation_field(SIZE_MAX, 2, 1.5); }).find("dilation_field: M"),
            std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { rotation_field(2, kMaxLength + 1, 0.1); }).find("rotation_field: N"),
            std::string::npos);
  const std::string m = test::message_of<InputError>([] { random_diffeomorphism(1 << 20, 1 << 20, 0.5, 1); });
  EXPECT_NE(m.find("random_diffeomorphism on a 1048576x1048576 grid"), std::string::npos) << m;
  EXPECT_NE(test::message_of<UsageError>([] { random_diffeomorphism(8, 8, 0.5, 1, 1 << 30); }).find("modes"),
            std::string::npos);
}
