// Solid-harmonic 3D scattering: the wavelets (docs/harmonic3d-formulas.md §3–§4), check values
// (§12.1), parity with Kymatio 0.4 (../shared/reference/kymatio: test_data_3d and
// v04-more/h3d_J2_L2_32_*), thread independence, the layout (§6, §8) and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/core/harmonic_scattering_3d.hpp"
#include "wst/io/npy.hpp"
#include "wst/support/error.hpp"

namespace wst {
namespace {

using test::kymatio_ref;
using test::message_of;
using test::rel_error;

const ExecOptions kFast{1, Planning::estimate};

Array<double> reference(const std::string& relative) {
  const std::string path = kymatio_ref(relative);
  if (!std::filesystem::exists(path)) {
    ADD_FAILURE() << "missing reference file " << path;
    throw std::runtime_error("missing " + path);
  }
  return read_npy_as<double>(path);
}

template <class T>
Array<T> cast(const Array<double>& a) {
  return Array<T>(a.shape, std::vector<T>(a.data.begin(), a.data.end()));
}

double report(const std::string& what, double err) {
  std::printf("[parity] %-48s %.2e\n", what.c_str(), err);
  return err;
}

// Largest over slices of `inner` values of max|Δ|/max|ref| within the slice (spec §11).
template <class A>
double per_slice_error(const A& got, const std::vector<double>& ref, std::size_t inner) {
  double worst = 0;
  for (std::size_t c = 0; c * inner < ref.size(); ++c)
    worst = std::max(worst, rel_error(got.data() + c * inner, ref.data() + c * inner, inner));
  return worst;
}

// §12.1's deterministic input.
std::vector<double> check_input(std::size_t M, std::size_t N, std::size_t O) {
  std::vector<double> x(M * N * O);
  for (std::size_t a = 0, i = 0; a < M; ++a)
    for (std::size_t b = 0; b < N; ++b)
      for (std::size_t c = 0; c < O; ++c, ++i)
        x[i] = double((a + 2 * b + 3 * c) % 7) - 3 +
               0.5 * std::cos(2 * std::numbers::pi * a / M) * std::sin(2 * std::numbers::pi * (b + c) / N);
  return x;
}

TEST(HarmonicFilters3D, FrequencyIndexHasKymatiosOddShift) {
  EXPECT_EQ(harmonic_frequency_index(7), (std::vector<int>{-1, 0, 1, 2, -4, -3, -2}));
  EXPECT_EQ(harmonic_frequency_index(9), (std::vector<int>{-1, 0, 1, 2, 3, -5, -4, -3, -2}));
  EXPECT_EQ(harmonic_frequency_index(6), (std::vector<int>{0, 1, 2, -3, -2, -1}));
}

// §4's table: complex64 values as Kymatio stores them, shape (8, 10, 12), sigma_0 = 1.
TEST(HarmonicFilters3D, MatchTheSpecTable) {
  using c = std::complex<double>;
  struct Row { int j, l, m; c v[3]; };
  const Row rows[] = {
      {0, 0, 0, {0.8719023, 0.09713105, 0.5257680}},
      {1, 0, 0, {0.5779248, 8.900870e-05, 0.07641466}},
      {0, 1, -1, {c(0, -0.2022933), c(-0.05408576, -0.06760719), c(0.1463825, 0.1219854)}},
      {1, 1, 0, {c(0, 0), c(0, 8.761577e-05), c(0, -0.07521882)}},
      {0, 2, -2, {-0.04879322, c(-0.01761143, 0.07827304), c(0.01294609, 0.07061504)}},
      {1, 2, 0, {0.1056276, 0.0001669113, -0.02877065}}};
  const std::size_t bins[3] = {0 * 120 + 0 * 12 + 1, 1 * 120 + 2 * 12 + 3, 7 * 120 + 9 * 12 + 11};
  double worst = 0;
  for (const Row& r : rows) {
    const auto f = solid_harmonic_wavelet_3d(r.j, r.l, r.m, 8, 10, 12);
    for (int b = 0; b < 3; ++b) worst = std::max(worst, std::abs(f[bins[b]] - r.v[b]));
  }
  EXPECT_LT(worst, 2e-7);  // the table's float32 digits
  const auto odd = solid_harmonic_wavelet_3d(0, 0, 0, 7, 8, 9);
  EXPECT_NEAR(odd[0].real(), 0.5238579, 1e-7);
  EXPECT_NEAR(odd[1 * 72].real(), 0.7837274, 1e-7);
  EXPECT_NEAR(odd[4 * 72].real(), 0.001244340, 1e-9);
  // Y_1^1(β = π/2, α = 0) = −sqrt(3/(8π)) (§3.2): ψ̂_{0,1,1} at ω = (0, 0, ω_2) is
  // c_1 (−i) ω_2 e^{−ω_2²/2} Y_1^1.
  const auto f11 = solid_harmonic_wavelet_3d(0, 1, 1, 8, 10, 12);
  const double w2 = 2 * std::numbers::pi / 12;
  const c expect = 1.2825498301618639 * c(0, -1) * w2 * std::exp(-w2 * w2 / 2) * -std::sqrt(3 / (8 * std::numbers::pi));
  EXPECT_LT(std::abs(f11[1] - expect), 1e-15);
}

struct CheckCase {
  const char* name;
  std::size_t M, N, O;
  bool covariant;
  // (path, l, values of p = 0.5, 1, 2)
  std::vector<std::pair<std::pair<int, int>, std::vector<double>>> values;
};

class HarmonicCheckValues : public ::testing::TestWithParam<CheckCase> {};

TEST_P(HarmonicCheckValues, MatchSection12) {
  const CheckCase& c = GetParam();
  const HarmonicScattering3D S(1, c.M, c.N, c.O, {.L = 2, .rotation_covariant = c.covariant}, kFast);
  const auto x = check_input(c.M, c.N, c.O);
  std::vector<double> out(S.output_size());
  S(x.data(), 1, out.data());
  double worst = 0;
  for (const auto& [key, v] : c.values)
    for (int q = 0; q < 3; ++q) {
      const double got = out[(key.first * 3 + key.second) * 3 + q];
      worst = std::max(worst, std::abs(got - v[q]) / std::abs(v[q]));
    }
  EXPECT_LT(report(std::string("check values ") + c.name, worst), 1e-6);
}

INSTANTIATE_TEST_SUITE_P(
    Spec, HarmonicCheckValues,
    ::testing::Values(
        CheckCase{"8x10x12 covariant", 8, 10, 12, true,
                  {{{0, 0}, {278.70746, 104.82270, 19.685394}},
                   {{0, 1}, {302.82651, 100.13313, 12.204248}},
                   {{0, 2}, {272.33908, 80.393509, 7.7662115}},
                   {{1, 0}, {107.62396, 15.237623, 0.40577555}},
                   {{1, 1}, {152.91592, 25.483202, 0.76868397}},
                   {{1, 2}, {166.39937, 30.187754, 1.0916107}},
                   {{2, 0}, {317.07727, 104.82270, 11.487687}},
                   {{2, 1}, {70.220261, 5.3080654, 0.032784253}},
                   {{2, 2}, {63.427006, 4.3971710, 0.023387333}}}},
        CheckCase{"8x10x12 non-covariant", 8, 10, 12, false,
                  {{{0, 0}, {278.70746, 104.82270, 19.685394}},
                   {{0, 1}, {201.44234, 48.107212, 3.5003328}},
                   {{0, 2}, {158.96890, 29.350508, 1.2825595}},
                   {{1, 1}, {96.619293, 11.381569, 0.20126461}},
                   {{1, 2}, {83.794624, 8.5755310, 0.11461677}},
                   {{2, 1}, {33.671860, 1.2391506, 0.0018831245}},
                   {{2, 2}, {22.410650, 0.56361193, 0.00042255846}}}},
        CheckCase{"7x8x9 covariant", 7, 8, 9, true,
                  {{{0, 0}, {166.60802, 59.151073, 8.7912712}},
                   {{1, 2}, {90.359894, 16.236477, 0.52780348}},
                   {{2, 2}, {64.553413, 8.2727518, 0.13609263}}}},
        CheckCase{"7x8x9 non-covariant", 7, 8, 9, false,
                  {{{2, 2}, {21.399033, 0.91511905, 0.0017087075}}}}),
    [](const auto& info) {
      std::string s = info.param.name;
      for (char& ch : s)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return s;
    });

// Kymatio's test_data_3d: float32 input (2, 16, 16, 16), J = 2, L = 2, powers (1, 2); Sx holds
// the order-0 sums in columns 0–1, then the (6, 3, 2) output.
template <class T>
double test_data_3d_error() {
  const auto x = cast<T>(reference("test_data_3d/x.npy"));
  const auto ref = reference("test_data_3d/Sx.npy");
  const BasicHarmonicScattering3D<T> S(2, 16, 16, 16, {.L = 2, .integral_powers = {1, 2}}, kFast);
  const Array<T> out = S(x);
  EXPECT_EQ(out.shape, (Shape{2, 6, 3, 2}));
  std::vector<double> r;
  for (std::size_t b = 0; b < 2; ++b) r.insert(r.end(), ref.data.begin() + b * 38 + 2, ref.data.begin() + b * 38 + 38);
  return std::max(rel_error(out.data, r), per_slice_error(out.data, r, 1));
}

TEST(HarmonicParity3D, TestData3dDouble) {
  EXPECT_LT(report("test_data_3d (float64 path)", test_data_3d_error<double>()), 1e-6);
}
TEST(HarmonicParity3D, TestData3dFloat) {
  EXPECT_LT(report("test_data_3d (float32 path)", test_data_3d_error<float>()), 1e-4);
}

template <class T>
double h3d_error(bool covariant) {
  const auto x = cast<T>(reference("v04-more/h3d_J2_L2_32_x.npy"));
  const auto ref = reference(std::string("v04-more/h3d_J2_L2_32_") + (covariant ? "S" : "noncov_S") + ".npy");
  const BasicHarmonicScattering3D<T> S(2, 32, 32, 32, {.L = 2, .rotation_covariant = covariant}, kFast);
  const Array<T> out = S(x);
  EXPECT_EQ(out.shape, ref.shape);
  return per_slice_error(out.data, ref.data, 1);
}

TEST(HarmonicParity3D, H3dDouble) {
  EXPECT_LT(report("h3d_J2_L2_32_S per value (float64)", h3d_error<double>(true)), 1e-6);
  EXPECT_LT(report("h3d_J2_L2_32_noncov_S per value (float64)", h3d_error<double>(false)), 1e-6);
}
TEST(HarmonicParity3D, H3dFloat) {
  EXPECT_LT(report("h3d_J2_L2_32_S per value (float32)", h3d_error<float>(true)), 1e-4);
  EXPECT_LT(report("h3d_J2_L2_32_noncov_S per value (float32)", h3d_error<float>(false)), 1e-4);
}

// Bit-identical for any thread count and batch size; max_order 1 is the first J+1 paths.
TEST(HarmonicScattering3DTest, ThreadsBatchAndOrders) {
  const std::size_t M = 8, N = 6, O = 10, n = M * N * O, batch = 5;
  const auto x = test::random_normal<float>(batch * n, 7);
  const HarmonicScattering3DOptions opt{.L = 2, .integral_powers = {0.5, 1, 2, 3}};
  const HarmonicScattering3Df one(2, M, N, O, opt, kFast);
  std::vector<float> ref(batch * one.output_size());
  one(x.data(), batch, ref.data());
  for (int threads : {2, 3}) {
    const HarmonicScattering3Df many(2, M, N, O, opt, {threads, Planning::estimate});
    std::vector<float> got(ref.size());
    many(x.data(), batch, got.data());
    EXPECT_EQ(got, ref) << threads << " threads";
    std::vector<float> single(one.output_size());
    many(x.data() + 3 * n, 1, single.data());
    EXPECT_TRUE(std::equal(single.begin(), single.end(), ref.begin() + 3 * one.output_size()));
  }
  auto first = opt;
  first.max_order = 1;
  const HarmonicScattering3Df order1(2, M, N, O, first, kFast);
  EXPECT_EQ(order1.paths(), 3u);
  EXPECT_EQ(one.paths(), 6u);
  std::vector<float> got(order1.output_size());
  order1(x.data(), 1, got.data());
  EXPECT_TRUE(std::equal(got.begin(), got.end(), ref.begin()));
  EXPECT_EQ(one.meta()[4].j1, 0);
  EXPECT_EQ(one.meta()[4].j2, 2);
}

// The l = 0 wavelet is a Gaussian: Σ_voxels U for a non-negative volume equals Σ x (ψ̂(0) = 1).
TEST(HarmonicScattering3DTest, GaussianKeepsTheMassOfAPositiveVolume) {
  const std::size_t n = 8 * 8 * 8;
  auto x = test::random_normal(n, 3);
  double mass = 0;
  for (double& v : x) mass += (v = std::abs(v) + 0.1);
  const HarmonicScattering3D S(1, 8, 8, 8, {.L = 1, .max_order = 1, .integral_powers = {1}}, kFast);
  std::vector<double> out(S.output_size());
  S(x.data(), 1, out.data());
  EXPECT_NEAR(out[0] / mass, 1.0, 1e-12);
}

TEST(HarmonicScattering3DTest, BadParametersAreNamed) {
  auto make = [](int J, std::size_t M, HarmonicScattering3DOptions o = {}) {
    return [=] { HarmonicScattering3D(J, M, M, M, o, kFast); };
  };
  EXPECT_NE(message_of<UsageError>(make(4, 8)).find("J=4 is out of range: must be in [0, 3]"), std::string::npos);
  EXPECT_NE(message_of<UsageError>(make(-1, 8)).find("J=-1"), std::string::npos);
  EXPECT_NE(message_of<UsageError>(make(1, 8, {.L = -1})).find("L=-1 is out of range: must be in [0, 16]"), std::string::npos);
  EXPECT_NE(message_of<UsageError>(make(1, 8, {.sigma_0 = 0})).find("sigma_0=0 is out of range"), std::string::npos);
  EXPECT_NE(message_of<UsageError>(make(1, 8, {.sigma_0 = NAN})).find("sigma_0=nan"), std::string::npos);
  EXPECT_NE(message_of<UsageError>(make(1, 8, {.max_order = 3})).find("max_order=3 is out of range: must be 1 or 2"), std::string::npos);
  EXPECT_NE(message_of<UsageError>(make(1, 8, {.integral_powers = {}})).find("integral_powers is empty"), std::string::npos);
  EXPECT_NE(message_of<UsageError>(make(1, 8, {.integral_powers = {1, INFINITY}})).find("integral_powers[1]=inf"), std::string::npos);
  EXPECT_NE(message_of<UsageError>(make(0, 0)).find("M=0 is out of range"), std::string::npos);
  EXPECT_NE(message_of<UsageError>([] { HarmonicScattering3D(0, 4, 4, 4, {}, {0, Planning::estimate}); }).find("threads=0"), std::string::npos);
  EXPECT_NO_THROW(make(0, 1, {.L = 0})());  // J = 0, L = 0 and a single voxel are valid
}

TEST(HarmonicScattering3DTest, BadInputIsRejected) {
  const HarmonicScattering3D S(1, 4, 6, 8, {.L = 1}, kFast);
  Array<double> x({2, 4, 6, 8});
  for (std::size_t i = 0; i < x.size(); ++i) x.data[i] = std::sin(0.1 * double(i));
  x.data[57] = NAN;
  EXPECT_NE(message_of<InputError>([&] { S(x); }).find("holds NaN at flat index 57"), std::string::npos);
  const Array<double> wrong({4, 6, 7});
  EXPECT_NE(message_of<InputError>([&] { S(wrong); }).find("expected (..., 4, 6, 8)"), std::string::npos);
  const Array<double> flat({6, 8});
  EXPECT_NE(message_of<InputError>([&] { S(flat); }).find("does not fit"), std::string::npos);
}

// A 512³ transform beyond the memory limit fails at construction, before allocating.
TEST(HarmonicScattering3DTest, MemoryLimitFailsFast) {
  test::ScopedMemoryLimit limit("256M");
  const std::string msg = message_of<InputError>([] { HarmonicScattering3D(2, 512, 512, 512, {.L = 2}, kFast); });
  EXPECT_NE(msg.find("3-D harmonic scattering of 512 x 512 x 512"), std::string::npos) << msg;
  EXPECT_NE(msg.find("limit"), std::string::npos) << msg;
}

}  // namespace
}  // namespace wst
