// The 1D scattering cascade: channel counts and shapes (spec §1.11, §4), order consistency,
// determinism across threads, float vs double, the Array overload and input validation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/support/error.hpp"
#include "wst/core/scattering_1d.hpp"

namespace wst {
namespace {

using test::rel_error;

const ExecOptions kFast{1, Planning::estimate};

template <class T>
std::vector<T> run(const BasicScattering1D<T>& S, const std::vector<T>& x) {
  const std::size_t batch = x.size() / S.input_length();
  std::vector<T> out(batch * S.channels() * S.output_length());
  S(x.data(), batch, out.data());
  return out;
}

// ---- counts and shapes ----------------------------------------------------------------------

TEST(Scattering1D, ChannelCountsTable) {
  struct Case {
    int J, Q;
    std::size_t order1, order2, total;
  };
  for (const Case& c : {Case{6, 8, 38, 87, 126}, Case{6, 16, 63, 158, 222}, Case{8, 8, 54, 179, 234},
                        Case{8, 12, 76, 260, 337}}) {
    const Scattering1D S(c.J, 1024, {c.Q, 1}, 0, 2, kFast);
    EXPECT_EQ(S.channels(), c.total) << "J=" << c.J << " Q=" << c.Q;
    ASSERT_EQ(S.meta().size(), S.channels());
    std::size_t per_order[3] = {0, 0, 0};
    for (const auto& m : S.meta()) {
      ASSERT_GE(m.order, 0);
      ASSERT_LE(m.order, 2);
      ++per_order[m.order];
    }
    EXPECT_EQ(per_order[0], 1u);
    EXPECT_EQ(per_order[1], c.order1) << "J=" << c.J << " Q=" << c.Q;
    EXPECT_EQ(per_order[2], c.order2) << "J=" << c.J << " Q=" << c.Q;
    EXPECT_EQ(S.filters().psi2.size(), std::size_t(c.J + 1));  // Q2 = 1: J + 1 filters
  }
}

TEST(Scattering1D, OutputLengthExamples) {
  struct Case {
    std::size_t N, out;
  };
  for (const Case& c : {Case{4096, 64}, Case{512, 8}, Case{1000, 15}}) {
    const Scattering1D S(6, c.N, {1, 1}, 0, 2, kFast);
    EXPECT_EQ(S.input_length(), c.N);
    EXPECT_EQ(S.output_length(), c.out) << "N=" << c.N;
  }
}

TEST(Scattering1D, NonPowerOfTwoLengthsRunWithFiniteOutput) {
  for (std::size_t N : {1000u, 777u}) {
    const Scattering1D S(6, N, {8, 1}, 0, 2, kFast);
    const auto& b = S.filters();
    EXPECT_EQ(b.N, 2048u) << N;
    EXPECT_EQ(b.pad_left, (2048 - N) / 2) << N;  // 777: 635 left, 636 right
    EXPECT_EQ(b.pad_left + N + b.pad_right, b.N);
    // Expected length by recursive ceil-halving of the unpadding bounds (§1.11).
    std::size_t i0 = b.pad_left, i1 = b.pad_left + N;
    for (int r = 0; r < 6; ++r) i0 = (i0 + 1) / 2, i1 = (i1 + 1) / 2;
    EXPECT_EQ(S.output_length(), i1 - i0) << N;
    EXPECT_EQ(S.output_length(), N == 1000 ? 15u : 13u);

    const auto x = test::random_normal(N, 7);
    const auto out = run(S, x);
    ASSERT_EQ(out.size(), S.channels() * S.output_length());
    for (double v : out) ASSERT_TRUE(std::isfinite(v));
    EXPECT_GT(*std::max_element(out.begin(), out.end()), 0.0);
  }
}

// ---- order consistency ----------------------------------------------------------------------

TEST(Scattering1D, MaxOrder1IsThePrefixOfMaxOrder2) {
  const std::size_t N = 512, B = 2;
  const Scattering1D S1(6, N, {8, 1}, 0, 1, kFast), S2(6, N, {8, 1}, 0, 2, kFast);
  ASSERT_EQ(S1.channels(), 1 + S2.filters().psi1.size());
  ASSERT_EQ(S1.output_length(), S2.output_length());
  const auto x = test::random_normal(B * N, 17);
  const auto o1 = run(S1, x), o2 = run(S2, x);
  const std::size_t T = S1.output_length(), C1 = S1.channels(), C2 = S2.channels();
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t i = 0; i < C1 * T; ++i)
      ASSERT_EQ(o1[b * C1 * T + i], o2[b * C2 * T + i]) << "batch " << b << " flat " << i;
  for (std::size_t c = 0; c < C1; ++c) {
    EXPECT_EQ(S1.meta()[c].order, S2.meta()[c].order);
    EXPECT_EQ(S1.meta()[c].n[0], S2.meta()[c].n[0]);
  }
}

TEST(Scattering1D, MaxOrder3ExtendsMaxOrder2) {
  const std::size_t N = 512, B = 2;
  const Scattering1D S2(6, N, {8, 1}, 0, 2, kFast), S3(6, N, {8, 1}, 0, 3, kFast);
  const auto& b = S3.filters();
  // Expected order-3 count: (n1, n2, n3) with j1 < j2 < j3.
  std::size_t n3 = 0;
  for (const auto& f1 : b.psi1)
    for (const auto& f2 : b.psi2)
      for (const auto& f3 : b.psi2)
        if (f1.j < f2.j && f2.j < f3.j) ++n3;
  ASSERT_GT(n3, 0u);
  EXPECT_EQ(S3.channels(), S2.channels() + n3);

  const auto& meta = S3.meta();
  std::size_t seen3 = 0;
  for (std::size_t c = 0; c < meta.size(); ++c) {
    if (c < S2.channels()) {
      EXPECT_EQ(meta[c].order, S2.meta()[c].order) << c;
      continue;
    }
    const auto& m = meta[c];
    ASSERT_EQ(m.order, 3) << c;
    ++seen3;
    EXPECT_LT(m.j[0], m.j[1]) << c;
    EXPECT_LT(m.j[1], m.j[2]) << c;
    EXPECT_EQ(m.j[0], b.psi1[m.n[0]].j);
    EXPECT_EQ(m.j[1], b.psi2[m.n[1]].j);
    EXPECT_EQ(m.j[2], b.psi2[m.n[2]].j);
    EXPECT_EQ(m.xi[2], b.psi2[m.n[2]].xi);
  }
  EXPECT_EQ(seen3, n3);

  const auto x = test::random_normal(B * N, 23);
  const auto o2 = run(S2, x), o3 = run(S3, x);
  const std::size_t T = S2.output_length(), C2 = S2.channels(), C3 = S3.channels();
  for (std::size_t bb = 0; bb < B; ++bb)
    for (std::size_t i = 0; i < C2 * T; ++i)
      ASSERT_EQ(o3[bb * C3 * T + i], o2[bb * C2 * T + i]) << "batch " << bb << " flat " << i;
  for (std::size_t i = 0; i < o3.size(); ++i) ASSERT_TRUE(std::isfinite(o3[i]));
  // Order-3 channels carry energy (they are not left at zero).
  double e3 = 0;
  for (std::size_t i = C2 * T; i < C3 * T; ++i) e3 += o3[i] * o3[i];
  EXPECT_GT(e3, 0.0);
}

// ---- determinism and precision --------------------------------------------------------------

TEST(Scattering1D, ThreadCountDoesNotChangeAnyBit) {
  const std::size_t N = 512;
  const Scattering1D S1(6, N, {8, 1}, 0, 2, kFast);
  const Scattering1D S2(6, N, {8, 1}, 0, 2, ExecOptions{2, Planning::estimate});
  const Scattering1D S3(6, N, {8, 1}, 0, 2, ExecOptions{3, Planning::estimate});
  const auto x4 = test::random_normal(4 * N, 29);
  EXPECT_EQ(run(S1, x4), run(S2, x4));
  const auto x5 = test::random_normal(5 * N, 31);
  const auto ref5 = run(S1, x5);
  EXPECT_EQ(ref5, run(S3, x5));
  EXPECT_EQ(ref5, run(S2, x5));
  // Each batch item is transformed independently of the others.
  const std::vector<double> x_last(x5.end() - N, x5.end());
  const auto o_last = run(S1, x_last);
  EXPECT_TRUE(std::equal(o_last.begin(), o_last.end(), ref5.end() - o_last.size()));
}

TEST(Scattering1D, FloatAgreesWithDouble) {
  const std::size_t N = 512, B = 2;
  const Scattering1D Sd(6, N, {8, 1}, 0, 2, kFast);
  const Scattering1Df Sf(6, N, {8, 1}, 0, 2, kFast);
  const auto xd = test::random_normal<double>(B * N, 37);
  const std::vector<float> xf(xd.begin(), xd.end());
  const auto od = run(Sd, xd);
  const auto of = run(Sf, xf);
  ASSERT_EQ(of.size(), od.size());
  EXPECT_LE(rel_error(of, od), 1e-4);
}

// ---- Array overload -------------------------------------------------------------------------

TEST(Scattering1D, ArrayOverloadKeepsLeadingDimensions) {
  const std::size_t N = 256;
  const Scattering1D S(4, N, {4, 1}, 0, 2, kFast);
  const Array<double> x(Shape{2, 3, N}, test::random_normal(6 * N, 41));
  const auto out = S(x);
  EXPECT_EQ(out.shape, (Shape{2, 3, S.channels(), S.output_length()}));
  EXPECT_EQ(out.data, run(S, x.data));
  // A single 1-d signal gives (C, N_out).
  const Array<double> x1(Shape{N}, std::vector<double>(x.data.begin(), x.data.begin() + N));
  const auto o1 = S(x1);
  EXPECT_EQ(o1.shape, (Shape{S.channels(), S.output_length()}));
  EXPECT_TRUE(std::equal(o1.data.begin(), o1.data.end(), out.data.begin()));
}

TEST(Scattering1D, EnergyIsPositiveAndFinite) {
  const std::size_t N = 1024;
  const Scattering1D S(6, N, {8, 1}, 0, 2, kFast);
  const auto out = run(S, test::random_normal(N, 43));
  double e = 0;
  for (double v : out) e += v * v;
  EXPECT_TRUE(std::isfinite(e));
  EXPECT_GT(e, 0.0);
  // First-order coefficients are averages of a modulus: non-negative up to rounding.
  const std::size_t T = S.output_length();
  double m1 = 0, min1 = INFINITY;
  for (std::size_t i = T; i < (1 + S.filters().psi1.size()) * T; ++i) {
    m1 = std::max(m1, std::abs(out[i]));
    min1 = std::min(min1, out[i]);
  }
  EXPECT_GE(min1, -1e-10 * m1);
}

// ---- errors ---------------------------------------------------------------------------------

TEST(Scattering1DErrors, NonFiniteInputThrowsInputError) {
  const std::size_t N = 256;
  const Scattering1D S(4, N, {1, 1}, 0, 2, kFast);
  std::vector<double> out(2 * S.channels() * S.output_length());
  auto x = test::random_normal(2 * N, 47);
  x[N + 17] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(test::message_of<InputError>([&] { S(x.data(), 2, out.data()); }).find("NaN"), std::string::npos);
  x[N + 17] = -std::numeric_limits<double>::infinity();
  EXPECT_NE(test::message_of<InputError>([&] { S(x.data(), 2, out.data()); }).find("Inf"), std::string::npos);
  x[N + 17] = 1.0;
  EXPECT_NO_THROW(S(x.data(), 2, out.data()));

  const Scattering1Df Sf(4, N, {1, 1}, 0, 2, kFast);
  Array<float> xf(Shape{N}, test::random_normal<float>(N, 53));
  xf.data[0] = std::numeric_limits<float>::infinity();
  EXPECT_NE(test::message_of<InputError>([&] { Sf(xf); }).find("Inf"), std::string::npos);
}

TEST(Scattering1DErrors, WrongLastDimensionThrowsInputError) {
  const Scattering1D S(4, 256, {1, 1}, 0, 2, kFast);
  EXPECT_THROW(S(Array<double>(Shape{2, 255}, test::random_normal(510, 59))), InputError);
  EXPECT_THROW(S(Array<double>(Shape{256, 2}, test::random_normal(512, 61))), InputError);
  EXPECT_THROW(S(Array<double>(Shape{}, std::vector<double>{1.0})), InputError);
}

TEST(Scattering1DErrors, BadParametersThrowUsageError) {
  EXPECT_NE(test::message_of<UsageError>([] { Scattering1D(4, 256, {1, 1}, 0, 0, kFast); }).find("max_order"),
            std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { Scattering1D(4, 256, {1, 1}, 0, 4, kFast); }).find("max_order"),
            std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { Scattering1D(4, 256, {1, 1}, 0, 2, ExecOptions{0, Planning::estimate}); })
                .find("threads"),
            std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { Scattering1D(0, 256, {1, 1}, 0, 2, kFast); }).find("J="),
            std::string::npos);
  EXPECT_THROW(Scattering1Df(9, 256, {1, 1}, 0, 2, kFast), UsageError);  // 2^J > N
}



TEST(Scattering1D, OrderThreeTreeIsCheckedBeforeItIsBuilt) {
  const wst::test::ScopedMemoryLimit limit("128M");
  // 32 wavelets per octave at both orders: about 1.8 million order-3 paths.
  const std::string m = test::message_of<InputError>([] { BasicScattering1D<float>(8, 256, {32, 32}, 0, 3); });
  EXPECT_NE(m.find("1-D scattering tree of"), std::string::npos) << m;
  EXPECT_NE(m.find("(order 3)"), std::string::npos) << m;
  EXPECT_NO_THROW(BasicScattering1D<float>(8, 256, {32, 32}, 0, 2));
}

}  // namespace
}  // namespace wst
