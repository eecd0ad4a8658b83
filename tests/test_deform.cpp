#include "wst/deform.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "test_support.hpp"
#include "wst/error.hpp"

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
