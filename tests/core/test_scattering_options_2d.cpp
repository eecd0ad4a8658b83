// Kymatio 0.4's 2D options (docs/scattering-options.md §2): L ≠ 8 and pre_pad, against the
// v04-more references (tolerances: spec §2.11, float32 filters) and the check values of §2.5.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "test_support.hpp"
#include "wst/core/padding.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/io/npy.hpp"
#include "wst/support/error.hpp"

namespace wst {
namespace {

using test::kymatio_ref;
using test::rel_error;

const ExecOptions kFast{1, Planning::estimate};

std::string more(const std::string& name) { return kymatio_ref("v04-more/" + name); }

template <class T>
Array<T> cast(const Array<double>& a) {
  return Array<T>(a.shape, std::vector<T>(a.data.begin(), a.data.end()));
}

double report(const std::string& what, double err) {
  std::printf("[parity] %-52s %.2e\n", what.c_str(), err);
  return err;
}

// x[m, n] = cos(2π·3m/P)·sin(2π·5n/P) + ((m·n) mod 5)/5 on P × P (§2.5).
Array<double> check_image(std::size_t P) {
  Array<double> x({P, P});
  const double pi = std::acos(-1.0);
  for (std::size_t m = 0; m < P; ++m)
    for (std::size_t n = 0; n < P; ++n)
      x.data[m * P + n] = std::cos(2 * pi * 3 * double(m) / double(P)) *
                              std::sin(2 * pi * 5 * double(n) / double(P)) +
                          double((m * n) % 5) / 5.0;
  return x;
}

// out (C, 8, 8) at channel c and position (i, j).
double at(const Array<double>& out, std::size_t c, std::size_t i, std::size_t j) {
  return out.data[(c * 8 + i) * 8 + j];
}

TEST(Options2D, L6MatchesKymatio) {
  const auto x = read_npy_as<double>(more("s2d_J2_L6_32x32_x.npy"));
  const auto ref = read_npy_as<double>(more("s2d_J2_L6_32x32_S.npy"));
  const Scattering2D S(2, 32, 32, 6, 2, kFast);
  EXPECT_EQ(S.channels(), 49u);
  const auto out = S(x);
  ASSERT_EQ(out.shape, ref.shape);
  EXPECT_LE(report("2D J2 L6 32x32 double", rel_error(out.data, ref.data)), 1e-6);
  const auto outf = Scattering2Df(2, 32, 32, 6, 2, kFast)(cast<float>(x));
  EXPECT_LE(report("2D J2 L6 32x32 float", rel_error(outf.data, ref.data)), 1e-4);
}

TEST(Options2D, PrePadMatchesKymatio) {
  const auto x = read_npy_as<double>(more("s2d_J2_L6_32x32_prepad_x.npy"));
  const auto ref = read_npy_as<double>(more("s2d_J2_L6_32x32_prepad_S.npy"));
  ASSERT_EQ(x.shape, (Shape{2, 40, 40}));
  const Scattering2D S(2, 32, 32, 6, 2, kFast, true);
  EXPECT_TRUE(S.pre_pad());
  EXPECT_EQ(S.input_rows(), 40u);
  EXPECT_EQ(S.input_cols(), 40u);
  const auto out = S(x);
  ASSERT_EQ(out.shape, ref.shape);
  EXPECT_LE(report("2D J2 L6 32x32 pre_pad double", rel_error(out.data, ref.data)), 1e-6);
  const auto outf = Scattering2Df(2, 32, 32, 6, 2, kFast, true)(cast<float>(x));
  EXPECT_LE(report("2D J2 L6 32x32 pre_pad float", rel_error(outf.data, ref.data)), 1e-4);
}

// §2.1: the reflect-padded image with pre_pad gives exactly the output of the image without it.
TEST(Options2D, PrePadOfTheReflectPaddedImageIsTheSameTransform) {
  const auto x = read_npy_as<double>(more("s2d_J2_L6_32x32_x.npy"));
  const Scattering2D plain(2, 32, 32, 6, 2, kFast), padded(2, 32, 32, 6, 2, kFast, true);
  const auto& b = plain.filters();
  Array<double> xp({2, b.Mp, b.Np});
  for (std::size_t k = 0; k < 2; ++k)
    for (std::size_t i = 0; i < b.Mp; ++i)
      for (std::size_t j = 0; j < b.Np; ++j)
        xp.data[(k * b.Mp + i) * b.Np + j] =
            x.data[(k * 32 + reflect_index(long(i) - long(b.pad_top), 32)) * 32 +
                   reflect_index(long(j) - long(b.pad_left), 32)];
  EXPECT_EQ(padded(xp).data, plain(x).data);  // bit for bit
}

// Kymatio's float32 filters leave ~1e-7 relative (spec §2.11); 1e-6 per value.
TEST(Options2D, CheckValuesOfTheSpec) {
  const auto l6 = Scattering2D(2, 32, 32, 6, 2, kFast)(check_image(32));
  ASSERT_EQ(l6.shape, (Shape{49, 8, 8}));
  const std::pair<std::size_t, double> l6_values[] = {
      {0, 0.3285333063}, {1, 0.1403286872}, {12, 0.08984820835}, {13, 0.01904478737},
      {48, 0.01905980031}};
  for (auto [c, v] : l6_values) EXPECT_NEAR(at(l6, c, 3, 4), v, 1e-6 * std::abs(v)) << c;

  const auto l5 = Scattering2D(2, 32, 32, 5, 2, kFast)(check_image(32));
  ASSERT_EQ(l5.shape, (Shape{36, 8, 8}));
  const std::pair<std::size_t, double> l5_values[] = {
      {1, 0.1023784713}, {2, 0.09645510834}, {11, 0.0140384949}, {35, 0.009025560937}};
  for (auto [c, v] : l5_values) EXPECT_NEAR(at(l5, c, 2, 2), v, 1e-6 * std::abs(v)) << c;

  const auto pre = Scattering2D(2, 32, 32, 6, 2, kFast, true)(check_image(40));
  const std::pair<std::size_t, double> pre_values[] = {
      {0, 0.3042723469}, {1, 0.129475905}, {13, 0.01323554915}, {48, 0.02502589854}};
  for (auto [c, v] : pre_values) EXPECT_NEAR(at(pre, c, 0, 0), v, 1e-6 * std::abs(v)) << c;
}

// The channel order of Kymatio's out_type='list' (order, j1, j2, θ1, θ2; −1 unused).
TEST(Options2D, ChannelsInTheOrderOfKymatiosList) {
  const auto ref = read_npy_as<double>(more("s2d_J2_L6_32x32_list_meta.npy"));
  const Scattering2D S(2, 32, 32, 6, 2, kFast);
  ASSERT_EQ(ref.shape, (Shape{S.channels(), 5}));
  for (std::size_t c = 0; c < S.channels(); ++c) {
    const PathMeta2D& m = S.meta()[c];
    const int got[5] = {m.order, m.j1, m.j2, m.theta1, m.theta2};
    for (int k = 0; k < 5; ++k) EXPECT_EQ(got[k], int(ref.data[c * 5 + k])) << "channel " << c;
  }
}

TEST(Options2D, PrePadRefusesTheUnpaddedSize) {
  const Scattering2D S(2, 32, 32, 8, 2, kFast, true);
  const std::string msg = test::message_of<InputError>([&] { S(check_image(32)); });
  EXPECT_NE(msg.find("expected (..., 40, 40) (pre_pad: the padded size)"), std::string::npos) << msg;
  const Scattering2D plain(2, 32, 32, 8, 2, kFast);
  EXPECT_THROW(plain(check_image(40)), InputError);
}

}  // namespace
}  // namespace wst
