// The 2D Morlet filter bank: padded sizes (spec §2.2), angles (§2.5), crops (§2.7) and the
// properties of §4 (φ̂(0), zero mean, peaks, Littlewood–Paley).
#include <gtest/gtest.h>

#include <tuple>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/support/error.hpp"
#include "wst/core/filters_2d.hpp"

namespace wst {
namespace {

using test::rel_error;

// J = 2, L = 8 on 32 × 32 (40 × 40 padded), shared by the property tests; built once.
const FilterBank2D& bank_2_8_32() {
  static const FilterBank2D b = morlet_filter_bank_2d(2, 8, 32, 32);
  return b;
}

TEST(FilterBank2D, PaddedSizes) {
  struct Case {
    int J;
    std::size_t M, N, Mp, Np;
  };
  for (const Case& c : {Case{2, 32, 32, 40, 40}, Case{4, 32, 32, 64, 64}, Case{3, 64, 64, 80, 80},
                        Case{2, 28, 28, 36, 36}, Case{3, 40, 56, 56, 72}, Case{3, 37, 50, 48, 64}}) {
    const FilterBank2D b = morlet_filter_bank_2d(c.J, 1, c.M, c.N);
    EXPECT_EQ(b.Mp, c.Mp) << c.M << "x" << c.N << " J=" << c.J;
    EXPECT_EQ(b.Np, c.Np) << c.M << "x" << c.N << " J=" << c.J;
    EXPECT_EQ(b.pad_top, (c.Mp - c.M) / 2);
    EXPECT_EQ(b.pad_left, (c.Np - c.N) / 2);
    EXPECT_EQ(b.phi.size(), c.Mp * c.Np);
    ASSERT_EQ(b.psi.size(), std::size_t(c.J));
    for (const auto& f : b.psi) EXPECT_EQ(f.fourier.size(), c.Mp * c.Np);
  }
}

TEST(FilterBank2D, PhiAtZeroIsPiOver3Point1415InFloat32) {
  const auto& b = bank_2_8_32();
  EXPECT_NEAR(b.phi[0], 1.0000294, 1e-7);
  EXPECT_NEAR(b.phi[0], double(static_cast<float>(M_PI / 3.1415)), 1e-7);
  // Stored as float32: every value is exactly representable in single precision.
  for (double v : b.phi) ASSERT_EQ(v, double(static_cast<float>(v)));
  for (const auto& f : b.psi)
    for (double v : f.fourier) ASSERT_EQ(v, double(static_cast<float>(v)));
  // φ̂ is the maximum of the low-pass (a Gaussian at the origin).
  EXPECT_EQ(*std::max_element(b.phi.begin(), b.phi.end()), b.phi[0]);
}

TEST(FilterBank2D, WaveletsHaveZeroMeanAndPeaksNearOne) {
  const auto& b = bank_2_8_32();
  ASSERT_EQ(b.psi.size(), 16u);
  for (std::size_t n = 0; n < b.psi.size(); ++n) {
    const auto& f = b.psi[n].fourier;
    EXPECT_LE(std::abs(f[0]), 1e-6) << n;
    double peak = 0;
    for (double v : f) peak = std::max(peak, std::abs(v));
    EXPECT_GE(peak, 0.95) << n;
    EXPECT_LE(peak, 0.98) << n;
  }
}

TEST(FilterBank2D, LittlewoodPaleyJ2L8On40x40) {
  const auto& b = bank_2_8_32();
  const std::size_t M = b.Mp, N = b.Np;
  double lp_max = -INFINITY, lp_min = INFINITY;
  std::size_t arg_max = 0, arg_min = 0;
  for (std::size_t k = 0; k < M; ++k)
    for (std::size_t l = 0; l < N; ++l) {
      const std::size_t i = k * N + l, mi = ((M - k) % M) * N + (N - l) % N;
      double s = b.phi[i] * b.phi[i];
      for (const auto& f : b.psi) s += 0.5 * (f.fourier[i] * f.fourier[i] + f.fourier[mi] * f.fourier[mi]);
      if (s > lp_max) lp_max = s, arg_max = i;
      if (s < lp_min) lp_min = s, arg_min = i;
    }
  EXPECT_NEAR(lp_max, 1.0000589, 1e-6);
  EXPECT_EQ(arg_max, 0u);
  EXPECT_NEAR(lp_min, 0.12299, 1e-4);
  EXPECT_EQ(arg_min, 20u * N + 20u);  // the Nyquist corner
}

TEST(FilterBank2D, AnglesScalesAndIndices) {
  const auto& b = bank_2_8_32();
  for (int j = 0; j < 2; ++j)
    for (int t = 0; t < 8; ++t) {
      const auto& f = b.psi[j * 8 + t];
      EXPECT_EQ(f.j, j);
      EXPECT_EQ(f.theta, t);
      EXPECT_NEAR(f.angle, (3 - t) * M_PI / 8, 1e-15) << j << "," << t;
      EXPECT_NEAR(f.xi, 0.75 * M_PI / std::pow(2.0, j), 1e-15);
      EXPECT_NEAR(f.sigma, 0.8 * std::pow(2.0, j), 1e-15);
    }
  // int(L − L/2 − 1) truncates toward zero: L = 6 → 2, L = 5 → int(1.5) = 1.
  const FilterBank2D b6 = morlet_filter_bank_2d(1, 6, 8, 8);
  for (int t = 0; t < 6; ++t) EXPECT_NEAR(b6.psi[t].angle, (2 - t) * M_PI / 6, 1e-15) << t;
  const FilterBank2D b5 = morlet_filter_bank_2d(1, 5, 8, 8);
  for (int t = 0; t < 5; ++t) EXPECT_NEAR(b5.psi[t].angle, (1 - t) * M_PI / 5, 1e-15) << t;
}

TEST(FilterBank2D, NonSquarePeaksAtModulationFrequency) {
  // 40 × 56, J = 3: padded 56 × 72. Each ψ̂ peaks within a bin or so of (ξ c M_p/2π, ξ t N_p/2π).
  const FilterBank2D b = morlet_filter_bank_2d(3, 8, 40, 56);
  ASSERT_EQ(b.psi.size(), 24u);
  const std::size_t M = b.Mp, N = b.Np;
  for (const auto& f : b.psi) {
    EXPECT_LE(std::abs(f.fourier[0]), 1e-6);
    std::size_t arg = 0;
    for (std::size_t i = 1; i < M * N; ++i)
      if (f.fourier[i] > f.fourier[arg]) arg = i;
    auto signed_bin = [](std::size_t k, std::size_t n) { return k < n / 2 ? double(k) : double(k) - double(n); };
    const double pk = signed_bin(arg / N, M), pl = signed_bin(arg % N, N);
    const double ek = f.xi * std::cos(f.angle) * M / (2 * M_PI), el = f.xi * std::sin(f.angle) * N / (2 * M_PI);
    EXPECT_LE(std::abs(pk - ek), 1.5) << "j=" << f.j << " theta=" << f.theta;
    EXPECT_LE(std::abs(pl - el), 1.5) << "j=" << f.j << " theta=" << f.theta;
  }
  EXPECT_NEAR(b.phi[0], 1.0000294, 1e-7);
}

// φ̂ is separable before Kymatio's float32 rounding: rows ⊗ cols equals the bank's φ̂ to within
// that one rounding (≤ 2^−24 of the peak), on square and non-square padded sizes.
TEST(FilterBank2D, LowpassFactorsReproducePhi) {
  for (auto [J, M, N] : {std::tuple{2, 32, 32}, std::tuple{3, 40, 56}}) {
    const FilterBank2D b = morlet_filter_bank_2d(J, 8, M, N);
    const SeparableLowpass2D p = lowpass_factors_2d(J, b.Mp, b.Np);
    ASSERT_EQ(p.rows.size(), b.Mp);
    ASSERT_EQ(p.cols.size(), b.Np);
    std::vector<double> outer(b.Mp * b.Np);
    for (std::size_t k = 0; k < b.Mp; ++k)
      for (std::size_t l = 0; l < b.Np; ++l) outer[k * b.Np + l] = p.rows[k] * p.cols[l];
    EXPECT_LE(test::rel_error(outer, b.phi), 6e-8) << M << "x" << N;
    EXPECT_NEAR(outer[0], M_PI / 3.1415, 1e-12);
  }
}

TEST(Crop2D, KeepsTheLowFrequencyBlock) {
  const std::size_t Mp = 40, Np = 56;
  std::mt19937 gen(2024);
  std::normal_distribution<double> d(0.0, 1.0);
  std::vector<double> f(Mp * Np);
  for (auto& v : f) v = d(gen);

  EXPECT_EQ(crop_2d(f, Mp, Np, 0), f);  // level 0 is the identity

  for (int r : {1, 2, 3}) {
    const std::size_t Mr = Mp >> r, Nr = Np >> r;
    auto rho = [](std::size_t k, std::size_t full, std::size_t part) { return k < part / 2 ? k : k + full - part; };
    std::vector<double> ref(Mr * Nr);
    for (std::size_t k = 0; k < Mr; ++k)
      for (std::size_t l = 0; l < Nr; ++l) ref[k * Nr + l] = f[rho(k, Mp, Mr) * Np + rho(l, Np, Nr)];
    const auto got = crop_2d(f, Mp, Np, r);
    ASSERT_EQ(got.size(), Mr * Nr) << r;
    EXPECT_EQ(got, ref) << "level " << r;  // a crop copies values exactly
  }
  // Spot check at level 1 (20 × 28): row 10 of the crop is row 30 of the input, column 14 is 42.
  const auto c1 = crop_2d(f, Mp, Np, 1);
  EXPECT_EQ(c1[10 * 28 + 14], f[30 * Np + 42]);
  EXPECT_EQ(c1[9 * 28 + 13], f[9 * Np + 13]);
}

// ---- parameter errors -----------------------------------------------------------------------

TEST(FilterBank2DErrors, BadParametersThrowUsageErrorNamingTheArgument) {
  EXPECT_THROW(morlet_filter_bank_2d(0, 8, 32, 32), UsageError);
  EXPECT_NE(test::message_of<UsageError>([] { morlet_filter_bank_2d(0, 8, 32, 32); }).find("J="), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { morlet_filter_bank_2d(2, 0, 32, 32); }).find("L="), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { morlet_filter_bank_2d(6, 8, 32, 32); }).find("J="), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { morlet_filter_bank_2d(4, 8, 15, 64); }).find("J="), std::string::npos);
  // Boundary: 2^J equal to the smaller side is allowed (the pad then equals the image size).
  EXPECT_NO_THROW(morlet_filter_bank_2d(4, 1, 16, 16));
}

TEST(Filters2D, FilterSizesAndParametersAreValidated) {
  EXPECT_NE(test::message_of<UsageError>([] { morlet_2d(SIZE_MAX, 2, 0.8, 0, 2.0, 0.5); }).find("Mp="),
            std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { gabor_2d(8, 0, 0.8, 0, 2.0, 0.5); }).find("Np="),
            std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { gabor_2d(8, 8, 0, 0, 2.0, 0.5); }).find("sigma"),
            std::string::npos);
}

}  // namespace
}  // namespace wst
