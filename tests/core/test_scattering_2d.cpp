// The 2D scattering cascade: channel counts and shapes (spec §2.8–§2.9, §4), order consistency,
// determinism across threads, float vs double, the Array overload, input validation, and a
// constant image (zero-mean wavelets + reflect padding).
#include <gtest/gtest.h>

#include <tuple>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/support/error.hpp"
#include "wst/core/scattering_2d.hpp"

namespace wst {
namespace {

using test::rel_error;

const ExecOptions kFast{1, Planning::estimate};

template <class T>
std::size_t plane(const BasicScattering2D<T>& S) {
  return S.output_rows() * S.output_cols();
}

template <class T>
std::vector<T> run(const BasicScattering2D<T>& S, const std::vector<T>& x, std::size_t batch) {
  std::vector<T> out(batch * S.channels() * plane(S));
  S(x.data(), batch, out.data());
  return out;
}

// ---- counts and shapes ----------------------------------------------------------------------

TEST(Scattering2D, ChannelCounts) {
  struct Case {
    int J, L;
    std::size_t C;
  };
  for (const Case& c : {Case{2, 8, 81}, Case{3, 8, 217}, Case{4, 8, 417}, Case{3, 6, 127}}) {
    const Scattering2D S(c.J, 32, 32, c.L, 2, kFast);
    EXPECT_EQ(S.channels(), c.C) << "J=" << c.J << " L=" << c.L;
    ASSERT_EQ(S.meta().size(), S.channels());
    // Path table: S0, then (j1, θ1), then (j1, θ1, j2, θ2) with j2 > j1, lexicographic.
    const auto& m = S.meta();
    EXPECT_EQ(m[0].order, 0);
    for (std::size_t i = 1; i <= std::size_t(c.J * c.L); ++i) {
      EXPECT_EQ(m[i].order, 1);
      EXPECT_EQ(m[i].j1 * c.L + m[i].theta1, int(i - 1));
    }
    for (std::size_t i = 1 + c.J * c.L; i < m.size(); ++i) {
      ASSERT_EQ(m[i].order, 2);
      EXPECT_GT(m[i].j2, m[i].j1);
      if (i > 1 + std::size_t(c.J * c.L)) {
        const auto& p = m[i - 1];
        const int a[4] = {p.j1, p.theta1, p.j2, p.theta2}, b[4] = {m[i].j1, m[i].theta1, m[i].j2, m[i].theta2};
        EXPECT_TRUE(std::lexicographical_compare(a, a + 4, b, b + 4)) << i;
      }
    }
  }
}

TEST(Scattering2D, OutputShapesIncludingNonSquareAndNonPowerOfTwo) {
  struct Case {
    int J, L;
    std::size_t M, N, rows, cols;
  };
  unsigned seed = 3;
  for (const Case& c : {Case{2, 8, 28, 28, 7, 7}, Case{3, 8, 40, 56, 5, 7}, Case{3, 6, 37, 50, 4, 6},
                        Case{4, 8, 32, 32, 2, 2}}) {
    const Scattering2D S(c.J, c.M, c.N, c.L, 2, kFast);
    EXPECT_EQ(S.output_rows(), c.rows) << c.M << "x" << c.N;
    EXPECT_EQ(S.output_cols(), c.cols) << c.M << "x" << c.N;
    const Array<double> x(Shape{c.M, c.N}, test::random_normal(c.M * c.N, seed++));
    const auto out = S(x);
    EXPECT_EQ(out.shape, (Shape{S.channels(), c.rows, c.cols}));
    for (double v : out.data) ASSERT_TRUE(std::isfinite(v));
    EXPECT_GT(*std::max_element(out.data.begin(), out.data.end()), 0.0);
  }
}

// ---- order consistency ----------------------------------------------------------------------

TEST(Scattering2D, MaxOrder1IsThePrefixOfMaxOrder2) {
  const std::size_t M = 32, N = 40, B = 2;
  const Scattering2D S1(3, M, N, 8, 1, kFast), S2(3, M, N, 8, 2, kFast);
  ASSERT_EQ(S1.channels(), 1u + 3 * 8);
  const auto x = test::random_normal(B * M * N, 7);
  const auto o1 = run(S1, x, B), o2 = run(S2, x, B);
  const std::size_t P = plane(S1), C1 = S1.channels(), C2 = S2.channels();
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t i = 0; i < C1 * P; ++i)
      ASSERT_EQ(o1[b * C1 * P + i], o2[b * C2 * P + i]) << "batch " << b << " flat " << i;
}

// ---- determinism and precision --------------------------------------------------------------

TEST(Scattering2D, ThreadCountDoesNotChangeAnyBit) {
  const std::size_t M = 32, N = 32;
  const Scattering2D S1(2, M, N, 8, 2, kFast);
  const Scattering2D S2(2, M, N, 8, 2, ExecOptions{2, Planning::estimate});
  const Scattering2D S3(2, M, N, 8, 2, ExecOptions{3, Planning::estimate});
  const auto x4 = test::random_normal(4 * M * N, 11);
  EXPECT_EQ(run(S1, x4, 4), run(S2, x4, 4));
  const auto x5 = test::random_normal(5 * M * N, 13);
  const auto ref5 = run(S1, x5, 5);
  EXPECT_EQ(ref5, run(S3, x5, 5));
  // Each image is transformed independently of the others.
  const std::vector<double> x_last(x5.end() - M * N, x5.end());
  const auto o_last = run(S1, x_last, 1);
  EXPECT_TRUE(std::equal(o_last.begin(), o_last.end(), ref5.end() - o_last.size()));
}

// Small images run 8 interleaved lanes and average leaf paths in space; large ones run 1 lane and
// average in Fourier, leaf paths two at a time (an odd L leaves one path per scale alone). Both
// must compute the same transform (to rounding), for small and large sizes.
TEST(Scattering2D, LanesAndAveragingDomainsAgree) {
  for (auto [J, M, N, L] : {std::tuple{2, 28, 28, 6}, std::tuple{3, 40, 56, 6}, std::tuple{2, 72, 60, 6},
                            std::tuple{3, 40, 40, 5}}) {
    const std::size_t B = 3;
    const auto x = test::random_normal(B * M * N, 29);
    const Scattering2D S1(J, M, N, L, 2, ExecOptions{1, Planning::estimate, 1});
    const Scattering2D S8(J, M, N, L, 2, ExecOptions{1, Planning::estimate, 8});
    std::vector<double> o1(B * S1.channels() * S1.output_rows() * S1.output_cols()), o8(o1.size());
    S1(x.data(), B, o1.data());
    S8(x.data(), B, o8.data());
    EXPECT_LE(rel_error(o8, o1), 1e-13) << M << "x" << N;
    // Per channel too: the small high-order channels must agree as well as the large ones.
    const std::size_t plane = S1.output_rows() * S1.output_cols();
    for (std::size_t c = 0; c < B * S1.channels(); ++c)
      ASSERT_LE(rel_error(o8.data() + c * plane, o1.data() + c * plane, plane), 1e-11) << "channel " << c;
  }
  EXPECT_THROW(Scattering2D(2, 32, 32, 8, 2, ExecOptions{1, Planning::estimate, 4}), UsageError);
}

TEST(Scattering2D, FloatAgreesWithDouble) {
  const std::size_t M = 28, N = 36, B = 2;
  const Scattering2D Sd(2, M, N, 8, 2, kFast);
  const Scattering2Df Sf(2, M, N, 8, 2, kFast);
  const auto xd = test::random_normal<double>(B * M * N, 17);
  const std::vector<float> xf(xd.begin(), xd.end());
  const auto od = run(Sd, xd, B);
  const auto of = run(Sf, xf, B);
  ASSERT_EQ(of.size(), od.size());
  EXPECT_LE(rel_error(of, od), 1e-4);
}

// ---- Array overload -------------------------------------------------------------------------

TEST(Scattering2D, ArrayOverloadKeepsLeadingDimensions) {
  const std::size_t M = 16, N = 20;
  const Scattering2D S(2, M, N, 4, 2, kFast);
  const Array<double> x(Shape{2, 3, M, N}, test::random_normal(6 * M * N, 19));
  const auto out = S(x);
  EXPECT_EQ(out.shape, (Shape{2, 3, S.channels(), S.output_rows(), S.output_cols()}));
  EXPECT_EQ(out.data, run(S, x.data, 6));
}

// ---- constant image -------------------------------------------------------------------------

TEST(Scattering2D, ConstantImage) {
  // Reflect padding keeps the image constant, so S0 = c·φ̂[0,0] everywhere and, the wavelets
  // being zero-mean, every first-order (and second-order) coefficient vanishes.
  const std::size_t M = 28, N = 36;
  const double c = 2.5;
  const Scattering2D S(2, M, N, 8, 2, kFast);
  const std::vector<double> x(M * N, c);
  const auto out = run(S, x, 1);
  const std::size_t P = plane(S);
  const double phi00 = S.filters().phi[0];
  EXPECT_NEAR(phi00, 1.0000294, 1e-7);
  for (std::size_t i = 0; i < P; ++i) EXPECT_LE(std::abs(out[i] - c * phi00), 1e-6 * c) << i;
  for (std::size_t i = P; i < (1 + 2 * 8) * P; ++i) ASSERT_LE(std::abs(out[i]), 1e-6 * c) << "order 1, flat " << i;
  for (std::size_t i = (1 + 2 * 8) * P; i < out.size(); ++i) ASSERT_LE(std::abs(out[i]), 1e-6 * c) << "order 2, flat " << i;

  // The same in float.
  const Scattering2Df Sf(2, M, N, 8, 2, kFast);
  const auto of = run(Sf, std::vector<float>(M * N, float(c)), 1);
  for (std::size_t i = 0; i < P; ++i) EXPECT_LE(std::abs(of[i] - c * phi00), 1e-5 * c) << i;
  for (std::size_t i = P; i < of.size(); ++i) ASSERT_LE(std::abs(of[i]), 1e-5 * c) << i;
}

// ---- errors ---------------------------------------------------------------------------------

TEST(Scattering2DErrors, NonFiniteInputThrowsInputError) {
  const std::size_t M = 16, N = 16;
  const Scattering2D S(2, M, N, 4, 2, kFast);
  std::vector<double> out(2 * S.channels() * plane(S));
  auto x = test::random_normal(2 * M * N, 23);
  x[M * N + 100] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(test::message_of<InputError>([&] { S(x.data(), 2, out.data()); }).find("NaN"), std::string::npos);
  x[M * N + 100] = std::numeric_limits<double>::infinity();
  EXPECT_NE(test::message_of<InputError>([&] { S(x.data(), 2, out.data()); }).find("Inf"), std::string::npos);
  x[M * N + 100] = 0.5;
  EXPECT_NO_THROW(S(x.data(), 2, out.data()));

  const Scattering2Df Sf(2, M, N, 4, 2, kFast);
  Array<float> xf(Shape{M, N}, test::random_normal<float>(M * N, 29));
  xf.data[M * N - 1] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_NE(test::message_of<InputError>([&] { Sf(xf); }).find("NaN"), std::string::npos);
}

TEST(Scattering2DErrors, WrongTrailingShapeThrowsInputError) {
  const Scattering2D S(2, 16, 20, 4, 2, kFast);
  EXPECT_THROW(S(Array<double>(Shape{20, 16}, test::random_normal(320, 31))), InputError);      // transposed
  EXPECT_THROW(S(Array<double>(Shape{2, 16, 19}, test::random_normal(2 * 16 * 19, 37))), InputError);
  EXPECT_THROW(S(Array<double>(Shape{320}, test::random_normal(320, 41))), InputError);         // 1-d
  EXPECT_NO_THROW(S(Array<double>(Shape{16, 20}, test::random_normal(320, 43))));
}

TEST(Scattering2DErrors, BadParametersThrowUsageError) {
  EXPECT_NE(test::message_of<UsageError>([] { Scattering2D(0, 32, 32, 8, 2, kFast); }).find("J="), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { Scattering2D(2, 32, 32, 0, 2, kFast); }).find("L="), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { Scattering2D(6, 32, 32, 8, 2, kFast); }).find("J="), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { Scattering2D(3, 64, 7, 8, 2, kFast); }).find("J="), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { Scattering2D(2, 32, 32, 8, 3, kFast); }).find("max_order"),
            std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { Scattering2D(2, 32, 32, 8, 0, kFast); }).find("max_order"),
            std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { Scattering2D(2, 32, 32, 8, 2, ExecOptions{0, Planning::estimate}); })
                .find("threads"),
            std::string::npos);
}

}  // namespace
}  // namespace wst

namespace wst {
namespace {

// The progress callback ends with (total, total) and never goes backwards or past the total.
TEST(Scattering2D, ProgressReportsEveryImageOnce) {
  const std::size_t M = 16, N = 16, B = 21;
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  ExecOptions options{2, Planning::estimate};
  options.progress = [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); };
  const Scattering2D S(2, M, N, 4, 2, options);
  const auto x = test::random_normal(B * M * N, 47);
  std::vector<double> out(B * S.channels() * S.output_rows() * S.output_cols());
  S(x.data(), B, out.data());
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back(), (std::pair<std::size_t, std::size_t>{B, B}));
  for (std::size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].second, B);
    EXPECT_LE(calls[i].first, B);
    if (i) EXPECT_LE(calls[i - 1].first, calls[i].first);
  }
}

}  // namespace
}  // namespace wst
