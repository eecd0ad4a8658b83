// Parity with Kymatio 0.4: every case of ../shared/reference/kymatio (tolerances: spec §2.11, §7).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "test_support.hpp"
#include "wst/io/npy.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"

namespace wst {
namespace {

using test::kymatio_ref;
using test::rel_error;

const ExecOptions kFast{1, Planning::estimate};

template <class T>
Array<T> cast(const Array<double>& a) {
  return Array<T>(a.shape, std::vector<T>(a.data.begin(), a.data.end()));
}

// Prints a parity figure (ctest --verbose shows it; docs/PARITY.md records it) and returns it.
double report(const std::string& what, double err) {
  std::printf("[parity] %-52s %.2e\n", what.c_str(), err);
  return err;
}

// Largest over channels of max|Δ|/max|ref| within the channel (axis `ch` of a (B, C, …) array).
double per_channel_error(const std::vector<double>& a, const std::vector<double>& ref,
                         std::size_t batch, std::size_t channels, std::size_t inner) {
  double worst = 0;
  for (std::size_t c = 0; c < channels; ++c) {
    double num = 0, den = 0;
    for (std::size_t b = 0; b < batch; ++b)
      for (std::size_t i = 0; i < inner; ++i) {
        const std::size_t k = (b * channels + c) * inner + i;
        num = std::max(num, std::abs(a[k] - ref[k]));
        den = std::max(den, std::abs(ref[k]));
      }
    worst = std::max(worst, num / den);
  }
  return worst;
}

// ---- 1D -------------------------------------------------------------------------------------

TEST(Reference1D, TestDataJ6Q16N512) {
  const auto x = read_npy_as<double>(kymatio_ref("test_data_1d/x.npy"));
  const auto ref = read_npy_as<double>(kymatio_ref("test_data_1d/Sx.npy"));
  ASSERT_EQ(x.shape, (Shape{4, 512}));
  const Scattering1D S(6, 512, {16, 1}, 0, 2, kFast);
  const auto out = S(x);
  ASSERT_EQ(out.shape, ref.shape);
  // The reference output was stored as float32 (spec §7: 3.8e-8).
  EXPECT_LE(report("1D test_data J6 Q16 N512 double, whole", rel_error(out.data, ref.data)), 1e-7);
  EXPECT_LE(report("1D test_data J6 Q16 N512 double, per channel", per_channel_error(out.data, ref.data, 4, 222, 8)), 2e-7);

  const Scattering1Df Sf(6, 512, {16, 1}, 0, 2, kFast);
  const auto outf = Sf(cast<float>(x));
  EXPECT_LE(report("1D test_data J6 Q16 N512 float, whole", rel_error(outf.data, ref.data)), 1e-4);
}

TEST(Reference1D, DevJ6Q8N4096Output) {
  const auto x = read_npy_as<double>(kymatio_ref("dev/s1d_J6_Q8_N4096_x_random.npy"));
  const auto ref = read_npy_as<double>(kymatio_ref("dev/s1d_J6_Q8_N4096_S_random.npy"));
  const Scattering1D S(6, 4096, {8, 1}, 0, 2, kFast);
  const auto out = S(x);
  ASSERT_EQ(out.shape, ref.shape);
  const double whole = report("1D dev J6 Q8 N4096 double, whole", rel_error(out.data, ref.data));
  const double per = report("1D dev J6 Q8 N4096 double, per channel", per_channel_error(out.data, ref.data, 2, 126, 64));
  EXPECT_LE(whole, 1e-12) << "double path";
  EXPECT_LE(per, 1e-11);

  const Scattering1Df Sf(6, 4096, {8, 1}, 0, 2, kFast);
  const auto outf = Sf(cast<float>(x));
  EXPECT_LE(report("1D dev J6 Q8 N4096 float, whole", rel_error(outf.data, ref.data)), 1e-4);
}

TEST(Reference1D, DevJ6Q8N4096Filters) {
  const Scattering1D S(6, 4096, {8, 1}, 0, 2, kFast);
  const auto& b = S.filters();
  EXPECT_EQ(b.N, 8192u);
  EXPECT_EQ(b.pad_left, 2048u);
  const auto phi = read_npy_as<double>(kymatio_ref("dev/s1d_J6_Q8_N4096_filters_phi_f.npy"));
  EXPECT_LE(report("1D dev filters phi_f", rel_error(b.phi, phi.data)), 1e-13);
  for (auto [name, bank] : {std::pair{"psi1", &b.psi1}, std::pair{"psi2", &b.psi2}}) {
    const auto ref = read_npy_as<double>(kymatio_ref(std::string("dev/s1d_J6_Q8_N4096_filters_") + name + "_f.npy"));
    ASSERT_EQ(ref.shape[0], bank->size()) << name;
    for (std::size_t i = 0; i < bank->size(); ++i)
      EXPECT_LE(rel_error((*bank)[i].fourier.data(), ref.data.data() + i * 8192, 8192), 1e-13)
          << name << " filter " << i;
  }
}

TEST(Reference1D, DevJ6Q8N4096Meta) {
  const Scattering1D S(6, 4096, {8, 1}, 0, 2, kFast);
  const auto& meta = S.meta();
  const auto order = read_npy_as<std::int64_t>(kymatio_ref("dev/s1d_J6_Q8_N4096_meta_order.npy"));
  const auto n = read_npy_as<double>(kymatio_ref("dev/s1d_J6_Q8_N4096_meta_n.npy"));
  const auto j = read_npy_as<double>(kymatio_ref("dev/s1d_J6_Q8_N4096_meta_j.npy"));
  const auto xi = read_npy_as<double>(kymatio_ref("dev/s1d_J6_Q8_N4096_meta_xi.npy"));
  const auto sigma = read_npy_as<double>(kymatio_ref("dev/s1d_J6_Q8_N4096_meta_sigma.npy"));
  ASSERT_EQ(meta.size(), 126u);
  auto same = [](double ours, double ref) {
    return std::isnan(ref) ? std::isnan(ours) : std::abs(ours - ref) <= 1e-15 * std::abs(ref);
  };
  for (std::size_t c = 0; c < 126; ++c) {
    EXPECT_EQ(meta[c].order, order.data[c]) << c;
    for (int d = 0; d < 2; ++d) {
      const std::size_t k = c * 2 + d;
      const bool used = d < meta[c].order;
      EXPECT_TRUE(same(used ? meta[c].n[d] : NAN, n.data[k])) << "n, channel " << c;
      EXPECT_TRUE(same(used ? meta[c].j[d] : NAN, j.data[k])) << "j, channel " << c;
      EXPECT_TRUE(same(meta[c].xi[d], xi.data[k])) << "xi, channel " << c;
      EXPECT_TRUE(same(meta[c].sigma[d], sigma.data[k])) << "sigma, channel " << c;
    }
  }
}

// ---- 2D -------------------------------------------------------------------------------------

TEST(Reference2D, TestDataJ4On2x3x32x32) {
  const auto x = read_npy_as<double>(kymatio_ref("test_data_2d/x.npy"));
  const auto ref = read_npy_as<double>(kymatio_ref("test_data_2d/Sx.npy"));
  ASSERT_EQ(x.shape, (Shape{2, 3, 32, 32}));
  const Scattering2D S(4, 32, 32, 8, 2, kFast);
  const auto out = S(x);
  ASSERT_EQ(out.shape, ref.shape);
  // Kymatio ran this in float32; spec §7: ~2.2e-7 whole, ~5e-7 per channel.
  EXPECT_LE(report("2D test_data J4 L8 2x3x32x32 double, whole", rel_error(out.data, ref.data)), 5e-7);
  EXPECT_LE(report("2D test_data J4 L8 2x3x32x32 double, per channel", per_channel_error(out.data, ref.data, 6, 417, 4)), 1e-6);

  const Scattering2Df Sf(4, 32, 32, 8, 2, kFast);
  const auto outf = Sf(cast<float>(x));
  EXPECT_LE(report("2D test_data J4 L8 2x3x32x32 float, whole", rel_error(outf.data, ref.data)), 1e-4);

  const Scattering2D S1(4, 32, 32, 8, 1, kFast);
  const auto o1 = S1(x);
  ASSERT_EQ(o1.shape, (Shape{2, 3, 33, 2, 2}));
  for (std::size_t b = 0; b < 6; ++b)  // max_order=1 is the first 33 channels, bit for bit
    for (std::size_t i = 0; i < 33 * 4; ++i) ASSERT_EQ(o1.data[b * 33 * 4 + i], out.data[b * 417 * 4 + i]);

  // One lane, as large images run: paths averaged in Fourier two at a time, and the children of
  // two first-order paths from the spectra split off one complex DFT.
  const ExecOptions one_lane{1, Planning::estimate, 1};
  const auto out_1 = Scattering2D(4, 32, 32, 8, 2, one_lane)(x);
  EXPECT_LE(report("2D test_data J4 L8 2x3x32x32 double, 1 lane, whole", rel_error(out_1.data, ref.data)), 5e-7);
  EXPECT_LE(report("2D test_data J4 L8 2x3x32x32 double, 1 lane, per channel",
                   per_channel_error(out_1.data, ref.data, 6, 417, 4)), 1e-6);
  const auto outf_1 = Scattering2Df(4, 32, 32, 8, 2, one_lane)(cast<float>(x));
  EXPECT_LE(report("2D test_data J4 L8 2x3x32x32 float, 1 lane, whole", rel_error(outf_1.data, ref.data)), 1e-4);
  const auto o1_1 = Scattering2D(4, 32, 32, 8, 1, one_lane)(x);
  for (std::size_t b = 0; b < 6; ++b)
    for (std::size_t i = 0; i < 33 * 4; ++i) ASSERT_EQ(o1_1.data[b * 33 * 4 + i], out_1.data[b * 417 * 4 + i]);
}

TEST(Reference2D, DevJ2L8On32x32Output) {
  const auto x = read_npy_as<double>(kymatio_ref("dev/s2d_J2_L8_32x32_x_random.npy"));
  const auto ref = read_npy_as<double>(kymatio_ref("dev/s2d_J2_L8_32x32_S_random.npy"));
  const Scattering2D S(2, 32, 32, 8, 2, kFast);
  const auto out = S(x);
  ASSERT_EQ(out.shape, ref.shape);
  EXPECT_LE(report("2D dev J2 L8 32x32 double, whole", rel_error(out.data, ref.data)), 5e-7);
  EXPECT_LE(report("2D dev J2 L8 32x32 double, per channel", per_channel_error(out.data, ref.data, 2, 81, 64)), 1e-6);

  const Scattering2Df Sf(2, 32, 32, 8, 2, kFast);
  EXPECT_LE(report("2D dev J2 L8 32x32 float, whole", rel_error(Sf(cast<float>(x)).data, ref.data)), 1e-4);
}

TEST(Reference2D, DevJ2L8Filters) {
  const Scattering2D S(2, 32, 32, 8, 2, kFast);
  const auto& b = S.filters();
  ASSERT_EQ(b.Mp, 40u);
  ASSERT_EQ(b.Np, 40u);
  const auto phi = read_npy_as<double>(kymatio_ref("dev/s2d_J2_L8_32x32_filters_phi_f.npy"));
  const auto psi = read_npy_as<double>(kymatio_ref("dev/s2d_J2_L8_32x32_filters_psi_f.npy"));
  EXPECT_LE(report("2D dev filters phi_f (float32 reference)", rel_error(b.phi, phi.data)), 3e-7);
  ASSERT_EQ(psi.shape, (Shape{16, 40, 40}));
  for (std::size_t i = 0; i < 16; ++i)
    EXPECT_LE(rel_error(b.psi[i].fourier.data(), psi.data.data() + i * 1600, 1600), 3e-7) << i;
}

TEST(Reference2D, DevJ2L8PathTable) {
  const Scattering2D S(2, 32, 32, 8, 2, kFast);
  const auto ref = read_npy_as<std::int64_t>(kymatio_ref("dev/s2d_J2_L8_32x32_paths_order_j1_theta1_j2_theta2.npy"));
  ASSERT_EQ(ref.shape, (Shape{81, 5}));
  for (std::size_t c = 0; c < 81; ++c) {
    const auto& m = S.meta()[c];
    const int ours[5] = {m.order, m.j1, m.theta1, m.j2, m.theta2};
    for (int k = 0; k < 5; ++k) EXPECT_EQ(ours[k], ref.data[c * 5 + k]) << "channel " << c;
  }
}

}  // namespace
}  // namespace wst
