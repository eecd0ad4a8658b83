// The 1D Morlet filter bank: check values of spec §1.2, §1.4, §1.8 and the properties of §4.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/support/error.hpp"
#include "wst/core/fft.hpp"
#include "wst/core/cwt.hpp"
#include "wst/core/filters_1d.hpp"
#include "wst/core/filters_2d.hpp"

namespace wst {
namespace {

using test::rel_error;

// |a − b| ≤ tol·|b|.
::testing::AssertionResult near_rel(double a, double b, double tol) {
  if (std::abs(a - b) <= tol * std::abs(b)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << a << " vs " << b << " (relative error "
                                       << std::abs(a - b) / std::abs(b) << " > " << tol << ")";
}

// The J = 6, Q = 8, N_in = 4096 bank (T = 64) shared by the property tests; built once.
const FilterBank1D& bank_6_8_4096() {
  static const FilterBank1D b = morlet_filter_bank_1d(6, 4096, 8, 1, 0);
  return b;
}

// ---- §1.2 centre frequencies and bandwidths -------------------------------------------------

TEST(MorletCenters1D, J6Q8CheckValues) {
  const auto c = morlet_centers_1d(6, 8);
  ASSERT_EQ(c.size(), 38u);
  EXPECT_TRUE(near_rel(c[0].first, 0.43538086845249563, 1e-14));
  EXPECT_TRUE(near_rel(c[0].second, 0.022640734810166447, 1e-14));
  EXPECT_TRUE(near_rel(c[30].first, 0.03235987665623569, 1e-14));
  EXPECT_TRUE(near_rel(c[30].second, 0.0016827826828212321, 1e-14));
  EXPECT_TRUE(near_rel(c[31].first, 0.028314892074206226, 1e-14));
  EXPECT_TRUE(near_rel(c[37].first, 0.004044984582029461, 1e-14));
  for (std::size_t i = 31; i < 38; ++i) EXPECT_TRUE(near_rel(c[i].second, 0.0015625, 1e-14)) << i;
  // Geometric part: constant ratio 2^{1/8} between neighbours, for ξ and σ.
  for (std::size_t i = 1; i <= 30; ++i) {
    EXPECT_TRUE(near_rel(c[i - 1].first / c[i].first, std::pow(2.0, 1.0 / 8), 1e-13)) << i;
    EXPECT_TRUE(near_rel(c[i - 1].second / c[i].second, std::pow(2.0, 1.0 / 8), 1e-13)) << i;
  }
  for (std::size_t i = 1; i < c.size(); ++i) EXPECT_LT(c[i].first, c[i - 1].first) << i;
}

TEST(MorletCenters1D, Q1IsDyadic) {
  const auto c = morlet_centers_1d(6, 1);
  ASSERT_EQ(c.size(), 7u);
  for (int k = 0; k < 7; ++k) {
    EXPECT_TRUE(near_rel(c[k].first, 0.35 * std::pow(2.0, -k), 1e-14)) << k;
    EXPECT_TRUE(near_rel(c[k].second, 0.14013094769175247 * std::pow(2.0, -k), 1e-14)) << k;
  }
}

TEST(MorletCenters1D, Q16CheckValues) {
  const auto c = morlet_centers_1d(6, 16);
  ASSERT_EQ(c.size(), 63u);
  EXPECT_TRUE(near_rel(c[0].first, 0.4675543827703947, 1e-14));
}

TEST(MorletCenters1D, DegenerateGeneratorQ100J5) {
  // §1.2 step 4 (§3 quirk 9): σ(ξ_max) ≤ σ_min, so the geometric part is empty and the linear
  // part starts at the elbow ξ_e = σ(ξ_max).
  const int Q = 100, J = 5;
  const double xi_max = std::max(1.0 / (1.0 + std::pow(2.0, 3.0 / Q)), 0.35);
  const double f = std::pow(2.0, -1.0 / Q);
  const double sigma_xi_max = xi_max * (1 - f) / (1 + f) / std::sqrt(std::log(2.0));
  const double sigma_min = 0.1 / std::pow(2.0, J);
  ASSERT_LT(sigma_xi_max, sigma_min);  // the test premise

  const auto c = morlet_centers_1d(J, Q);
  ASSERT_EQ(c.size(), std::size_t(Q - 1));
  for (int q = 1; q < Q; ++q) {
    const auto [xi, sigma] = c[q - 1];
    EXPECT_LE(std::abs(xi - sigma_xi_max * (1.0 - double(q) / Q)), 1e-13 * sigma_xi_max) << q;
    EXPECT_DOUBLE_EQ(sigma, sigma_min) << q;
    if (q > 1) {
      EXPECT_LT(xi, c[q - 2].first) << q;
    }
  }
  EXPECT_GT(c.back().first, 0.0);

  // The whole bank builds, with zero-mean filters of unit peak order.
  const FilterBank1D b = morlet_filter_bank_1d(J, 256, Q, 1, 0);
  ASSERT_EQ(b.psi1.size(), std::size_t(Q - 1));
  for (const auto& fl : b.psi1) {
    EXPECT_LE(std::abs(fl.fourier[0]), 1e-15);
    EXPECT_GT(*std::max_element(fl.fourier.begin(), fl.fourier.end()), 0.5);
  }
}

// ---- §1.4 dyadic index ----------------------------------------------------------------------

TEST(DyadicIndex1D, J6Q8Histogram) {
  std::map<int, int> hist;
  for (auto [xi, sigma] : morlet_centers_1d(6, 8)) ++hist[dyadic_index_1d(xi, sigma)];
  EXPECT_EQ(hist, (std::map<int, int>{{0, 10}, {1, 8}, {2, 8}, {3, 7}, {4, 4}, {5, 1}}));
}

TEST(DyadicIndex1D, Q1Bank) {
  std::vector<int> js;
  for (auto [xi, sigma] : morlet_centers_1d(6, 1)) js.push_back(dyadic_index_1d(xi, sigma));
  EXPECT_EQ(js, (std::vector<int>{0, 0, 0, 1, 2, 3, 4}));
  // The bank records the same indices.
  std::vector<int> bank_js;
  for (const auto& f : bank_6_8_4096().psi2) bank_js.push_back(f.j);
  EXPECT_EQ(bank_js, js);
}

TEST(DyadicIndex1D, DirectValues) {
  EXPECT_EQ(dyadic_index_1d(0.35, 0.14), 0);     // ω0 capped at 1/2
  EXPECT_EQ(dyadic_index_1d(0.1, 0.01), 1);      // ω0 = 0.15: floor(2.74) − 1
  EXPECT_EQ(dyadic_index_1d(0.01, 0.001), 5);    // ω0 = 0.015: floor(6.06) − 1
  EXPECT_EQ(dyadic_index_1d(-0.1, 0.01), 1);     // uses |ξ|
}

// ---- §1.8 padding ---------------------------------------------------------------------------

TEST(Padding1D, CheckValues) {
  using P = std::pair<std::size_t, std::size_t>;
  EXPECT_EQ(padding_1d(512, 64), P(1024, 256));
  EXPECT_EQ(padding_1d(4096, 64), P(8192, 2048));
  EXPECT_EQ(padding_1d(4096, 256), P(8192, 2048));
  EXPECT_EQ(padding_1d(1000, 64), P(2048, 524));
  EXPECT_EQ(padding_1d(1024, 4), P(2048, 512));
  // The bank uses it, with the right pad taking the remainder.
  const auto& b = bank_6_8_4096();
  EXPECT_EQ(b.N, 8192u);
  EXPECT_EQ(b.pad_left, 2048u);
  EXPECT_EQ(b.pad_right, 2048u);
  EXPECT_EQ(b.T, 64u);
  EXPECT_EQ(b.log2_T, 6);
}

// ---- §4 properties --------------------------------------------------------------------------

TEST(FilterBank1D, PhiIsOneAtZeroFrequency) {
  const auto& b = bank_6_8_4096();
  ASSERT_EQ(b.phi.size(), b.N);
  EXPECT_LE(std::abs(b.phi[0] - 1.0), 1e-14);
  EXPECT_DOUBLE_EQ(b.phi_sigma, 0.1 / 64);
  // Symmetric: φ̂[k] = φ̂[N − k].
  for (std::size_t k = 1; k < b.N; k += 97) EXPECT_LE(std::abs(b.phi[k] - b.phi[b.N - k]), 1e-15) << k;
}

TEST(FilterBank1D, WaveletsHaveZeroMeanAndUnitPeak) {
  const auto& b = bank_6_8_4096();
  ASSERT_EQ(b.psi1.size(), 38u);
  ASSERT_EQ(b.psi2.size(), 7u);
  for (const auto* bank : {&b.psi1, &b.psi2})
    for (std::size_t i = 0; i < bank->size(); ++i) {
      const auto& f = (*bank)[i].fourier;
      ASSERT_EQ(f.size(), b.N);
      EXPECT_LE(std::abs(f[0]), 1e-15) << i;
    }
  for (std::size_t i = 0; i < b.psi1.size(); ++i) {
    const auto& f = b.psi1[i].fourier;
    double peak = 0;
    for (double v : f) peak = std::max(peak, std::abs(v));
    EXPECT_GE(peak, 0.999) << i;
    EXPECT_LE(peak, 1.0000001) << i;
  }
}

TEST(FilterBank1D, TimeDomainWaveletsHaveZeroSumAndUnitL1Norm) {
  const auto& b = bank_6_8_4096();
  const std::size_t N = b.N;
  FftPlan<double> inv(FftPlan<double>::Kind::backward, {int(N)}, 1, Planning::estimate);
  AlignedVector<std::complex<double>> in(N), out(N);
  for (const auto* bank : {&b.psi1, &b.psi2})
    for (std::size_t i = 0; i < bank->size(); ++i) {
      const auto& f = (*bank)[i].fourier;
      for (std::size_t k = 0; k < N; ++k) in[k] = f[k];
      inv(in.data(), out.data());
      std::complex<double> sum = 0;
      double l1 = 0;
      for (auto& z : out) {
        z /= double(N);
        sum += z;
        l1 += std::abs(z);
      }
      EXPECT_LE(std::abs(sum), 1e-12) << i;           // Σψ[n] = ψ̂[0] ≈ 0
      EXPECT_TRUE(near_rel(l1, 1.0, 1e-12)) << i;     // L1 normalisation (§1.5 step 4)
    }
  // φ is L1-normalised too, and positive (up to rounding noise in its underflowed tails).
  for (std::size_t k = 0; k < N; ++k) in[k] = b.phi[k];
  inv(in.data(), out.data());
  double l1 = 0, min_re = INFINITY, max_re = -INFINITY;
  for (auto& z : out) {
    l1 += std::abs(z) / double(N);
    min_re = std::min(min_re, z.real());
    max_re = std::max(max_re, z.real());
  }
  EXPECT_TRUE(near_rel(l1, 1.0, 1e-12));
  EXPECT_GT(max_re, 0.0);
  EXPECT_GE(min_re, -1e-12 * max_re);
}

TEST(FilterBank1D, LittlewoodPaleyFirstOrderJ6Q8) {
  const auto& b = bank_6_8_4096();
  const std::size_t N = b.N;
  double lp_max = -INFINITY, lp_min = INFINITY;
  std::size_t arg_max = 0, arg_min = 0;
  for (std::size_t k = 0; k < N; ++k) {
    double s = b.phi[k] * b.phi[k];
    for (const auto& f : b.psi1) {
      const double a = f.fourier[k], m = f.fourier[(N - k) % N];
      s += 0.5 * (a * a + m * m);
    }
    if (s > lp_max) lp_max = s, arg_max = k;
    if (s < lp_min) lp_min = s, arg_min = k;
  }
  EXPECT_LE(lp_max, 1.0 + 1e-12);
  EXPECT_TRUE(near_rel(lp_max, 0.9999999999999991, 1e-12));
  EXPECT_EQ(arg_max, 0u);
  EXPECT_TRUE(near_rel(lp_min, 2.899e-4, 0.01));
  EXPECT_EQ(arg_min, N / 2);  // Nyquist
}

TEST(FilterBank1D, RecordsCentresAndIndices) {
  const auto& b = bank_6_8_4096();
  const auto c8 = morlet_centers_1d(6, 8);
  for (std::size_t i = 0; i < b.psi1.size(); ++i) {
    EXPECT_EQ(b.psi1[i].xi, c8[i].first) << i;
    EXPECT_EQ(b.psi1[i].sigma, c8[i].second) << i;
    EXPECT_EQ(b.psi1[i].j, dyadic_index_1d(c8[i].first, c8[i].second)) << i;
  }
  // The wavelet stored in the bank is morlet_1d at the padded length.
  EXPECT_LE(rel_error(b.psi1[5].fourier, morlet_1d(b.N, c8[5].first, c8[5].second)), 1e-15);
  EXPECT_LE(rel_error(b.phi, gauss_1d(b.N, 0.1 / 64)), 1e-15);
}

// ---- §1.7 periodisation ---------------------------------------------------------------------

TEST(Periodize1D, SumsAliases) {
  std::mt19937 gen(1234);
  std::normal_distribution<double> d(0.0, 1.0);
  std::vector<double> f(64);
  for (auto& v : f) v = d(gen);

  EXPECT_EQ(periodize_1d(f, 0), f);  // level 0 is the identity

  for (int level : {1, 2, 3, 6}) {
    const std::size_t n = f.size() >> level;
    std::vector<double> ref(n, 0.0);
    for (std::size_t i = 0; i < f.size(); ++i) ref[i % n] += f[i];  // every bin folds onto i mod n
    const auto got = periodize_1d(f, level);
    ASSERT_EQ(got.size(), n) << level;
    EXPECT_LE(rel_error(got, ref), 1e-14) << level;
  }
  // Sum, not mean: the total is preserved.
  const auto p3 = periodize_1d(f, 3);
  double s_in = 0, s_out = 0;
  for (double v : f) s_in += v;
  for (double v : p3) s_out += v;
  EXPECT_NEAR(s_out, s_in, 1e-12 * 64);
  EXPECT_NE(std::abs(s_in), 0.0);
}

// ---- parameter errors -----------------------------------------------------------------------

TEST(FilterBank1DErrors, BadParametersThrowUsageErrorNamingTheArgument) {
  EXPECT_THROW(morlet_filter_bank_1d(0, 512, 8, 1, 0), UsageError);
  EXPECT_NE(test::message_of<UsageError>([] { morlet_filter_bank_1d(0, 512, 8, 1, 0); }).find("J="), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { morlet_filter_bank_1d(-3, 512, 8, 1, 0); }).find("J="), std::string::npos);

  EXPECT_NE(test::message_of<UsageError>([] { morlet_filter_bank_1d(4, 512, 0, 1, 0); }).find("Q="), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { morlet_filter_bank_1d(4, 512, 8, 0, 0); }).find("Q="), std::string::npos);

  EXPECT_NE(test::message_of<UsageError>([] { morlet_filter_bank_1d(4, 512, 8, 1, 513); }).find("T="), std::string::npos);

  // 2^J > N.
  EXPECT_NE(test::message_of<UsageError>([] { morlet_filter_bank_1d(10, 512, 8, 1, 0); }).find("J="), std::string::npos);
  // Boundary: 2^J = N and T = N are allowed.
  EXPECT_NO_THROW(morlet_filter_bank_1d(5, 32, 1, 1, 0));
  EXPECT_NO_THROW(morlet_filter_bank_1d(3, 32, 1, 1, 32));
}

// Fuzzing found (F1, docs/RELIABILITY.md): huge sizes passed validation and then threw
// std::length_error or aborted on out-of-memory. Now: a UsageError naming the limit, for the
// 1D and 2D banks and the CWT, before anything is allocated.
TEST(FilterBankSizes, HugeSizesAreRefusedUpFront) {
  const auto message = [](auto&& f) -> std::string {
    try {
      f();
    } catch (const UsageError& e) {
      return e.what();
    }
    return "no UsageError";
  };
  for (std::size_t N : {(std::size_t{1} << 28) + 1, std::size_t{1} << 40, std::size_t{1} << 63})
    EXPECT_NE(message([&] { morlet_filter_bank_1d(5, N, 1, 1, 0); }).find("at most 2^28"),
              std::string::npos) << N;
  const std::size_t side = std::size_t{1} << 32;
  EXPECT_NE(message([&] { morlet_filter_bank_2d(2, 8, side, side); }).find("at most 2^15"),
            std::string::npos);
  CwtParams p;
  p.frequencies = {0.25};
  EXPECT_NE(message([&] { Cwt(std::size_t{1} << 40, p); }).find("at most 2^30"),
            std::string::npos);
}

TEST(Filters1D, FilterSizesAndParametersAreValidated) {
  for (std::size_t n : {std::size_t{0}, SIZE_MAX, (std::size_t{1} << 40) + 1})
    EXPECT_NE(test::message_of<UsageError>([&] { morlet_1d(n, 0.25, 0.05); }).find("morlet_1d: N"),
              std::string::npos)
        << n;
  EXPECT_NE(test::message_of<UsageError>([] { gauss_1d(64, NAN); }).find("sigma"), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { gauss_1d(64, -1); }).find("sigma"), std::string::npos);
}

}  // namespace
}  // namespace wst
