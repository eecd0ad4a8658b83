// The reverse pass of the 2D scattering (docs/scattering-gradients.md, 2D): parity with
// kymatio.torch autograd, the dot-product test against central finite differences, linearity in
// grad_out, the modulus at zero, determinism across threads and batch sizes, the fused pass, the
// check values of the spec (§8), range, and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/io/npy.hpp"
#include "wst/support/error.hpp"

namespace wst {
namespace {

using test::kymatio_ref;
using test::rel_error;

const ExecOptions kFast{1, Planning::estimate};

std::string more(const std::string& name) { return kymatio_ref("v04-more/" + name); }

double report(const std::string& what, double err) {
  std::printf("[parity] %-52s %.2e\n", what.c_str(), err);
  return err;
}

template <class T>
Array<T> cast(const Array<double>& a) {
  return Array<T>(a.shape, std::vector<T>(a.data.begin(), a.data.end()));
}

std::vector<double> normal(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> d;
  std::vector<double> v(n);
  for (auto& e : v) e = d(rng);
  return v;
}

template <class T>
std::size_t out_size(const BasicScattering2D<T>& S, std::size_t batch) {
  return batch * S.channels() * S.output_rows() * S.output_cols();
}
template <class T>
std::size_t in_size(const BasicScattering2D<T>& S, std::size_t batch) {
  return batch * S.input_rows() * S.input_cols();
}

std::vector<double> forward(const Scattering2D& S, const std::vector<double>& x, std::size_t batch) {
  std::vector<double> out(out_size(S, batch));
  S(x.data(), batch, out.data());
  return out;
}

template <class T>
std::vector<T> backward(const BasicScattering2D<T>& S, const std::vector<T>& x,
                        const std::vector<T>& g, std::size_t batch) {
  std::vector<T> gx(in_size(S, batch));
  S.backward(x.data(), g.data(), batch, gx.data());
  return gx;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// ---- parity with kymatio.torch autograd (float64, float32 filters: spec §7) ------------------

TEST(ScatteringGradient2D, ParityWithTorchAutograd) {
  const auto x = read_npy_as<double>(more("grad_2d_J2_L8_32_x.npy"));
  const auto g = read_npy_as<double>(more("grad_2d_J2_L8_32_g.npy"));
  const auto ref = read_npy_as<double>(more("grad_2d_J2_L8_32_vjp.npy"));
  ASSERT_EQ(x.shape, (Shape{2, 32, 32}));
  ASSERT_EQ(g.shape, (Shape{2, 81, 8, 8}));
  const Scattering2D S(2, 32, 32, 8, 2, kFast);
  const auto gx = S.backward(x, g);
  ASSERT_EQ(gx.shape, ref.shape);
  EXPECT_LE(report("2D grad J2 L8 32x32 vjp double, whole", rel_error(gx.data, ref.data)), 1e-6);
  for (std::size_t b = 0; b < 2; ++b)
    EXPECT_LE(rel_error(gx.data.data() + b * 1024, ref.data.data() + b * 1024, 1024), 1e-6) << b;

  const Scattering2Df Sf(2, 32, 32, 8, 2, kFast);
  const auto gxf = Sf.backward(cast<float>(x), cast<float>(g));
  EXPECT_LE(report("2D grad J2 L8 32x32 vjp float, whole", rel_error(gxf.data, ref.data)), 1e-4);

  // The 1-lane path (every path averaged in Fourier) agrees to rounding.
  ExecOptions one = kFast;
  one.lanes = 1;
  const Scattering2D S1(2, 32, 32, 8, 2, one);
  EXPECT_LE(report("2D grad J2 L8 32x32 vjp double, 1 lane", rel_error(S1.backward(x, g).data, ref.data)), 1e-6);
}

// Spec §8: x[m, n] = cos(2π·3m/16)·sin(2π·5n/16) + ((m·n) mod 5)/5 on 16 × 16, g = 1.
TEST(ScatteringGradient2D, SpecCheckValues) {
  Array<double> x(Shape{16, 16});
  for (std::size_t m = 0; m < 16; ++m)
    for (std::size_t n = 0; n < 16; ++n)
      x.data[m * 16 + n] = std::cos(2 * M_PI * 3 * m / 16.0) * std::sin(2 * M_PI * 5 * n / 16.0) +
                           double((m * n) % 5) / 5;
  const Scattering2D S(2, 16, 16, 8, 2, kFast);
  Array<double> g(Shape{81, 4, 4}, std::vector<double>(81 * 16, 1.0));
  const auto gx = S.backward(x, g);
  const double norm = std::sqrt(dot(gx.data, gx.data));
  const double worst = std::max({std::abs(gx.data[0] - 0.0932162170099),
                                 std::abs(gx.data[3 * 16 + 4] + 0.216668908494),
                                 std::abs(gx.data[15 * 16 + 15] + 0.00138551530952),
                                 std::abs(norm - 4.526913515666)});
  report("2D grad spec check values (16x16 J2 L8), |err|/norm", worst / norm);
  // Only ~1e-7 relative: Kymatio's 2D filters are float32 (spec §7).
  EXPECT_NEAR(gx.data[0], 0.0932162170099, 1e-6 * norm);
  EXPECT_NEAR(gx.data[3 * 16 + 4], -0.216668908494, 1e-6 * norm);
  EXPECT_NEAR(gx.data[15 * 16 + 15], -0.00138551530952, 1e-6 * norm);
  EXPECT_NEAR(norm, 4.526913515666, 1e-6 * norm);
}

// ---- the dot-product test: <J v, g> by central differences vs <v, Jᵀ g> (spec §7) ------------

struct FdCase {
  int J;
  std::size_t M, N;
  int L, max_order;
  bool pre_pad;
  std::size_t batch;
};

void check_finite_differences(const FdCase& c) {
  const Scattering2D S(c.J, c.M, c.N, c.L, c.max_order, kFast, c.pre_pad);
  const std::size_t nx = in_size(S, c.batch);
  const auto x = normal(nx, 1);
  const auto g = normal(out_size(S, c.batch), 2);
  const auto gx = backward(S, x, g, c.batch);
  const double eps = 1e-6, scale = std::sqrt(dot(gx, gx));
  for (unsigned dir = 0; dir < 3; ++dir) {
    const auto v = normal(nx, 10 + dir);
    std::vector<double> xp(x), xm(x);
    for (std::size_t i = 0; i < nx; ++i) xp[i] += eps * v[i], xm[i] -= eps * v[i];
    const double fd = (dot(g, forward(S, xp, c.batch)) - dot(g, forward(S, xm, c.batch))) / (2 * eps);
    const double ad = dot(v, gx);
    // Relative to the Cauchy–Schwarz bound ‖v‖·‖Jᵀg‖ of <v, Jᵀ g> (a direction nearly
    // orthogonal to Jᵀ g makes the plain ratio meaningless).
    const double err = std::abs(fd - ad) / (std::sqrt(dot(v, v)) * scale);
    std::printf("[fd] J=%d %zux%zu L=%d order %d%s batch %zu dir %u: %.1e (plain ratio %.1e)\n",
                c.J, c.M, c.N, c.L, c.max_order, c.pre_pad ? " pre_pad" : "", c.batch, dir, err,
                std::abs(fd - ad) / std::abs(ad));
    EXPECT_LE(err, 1e-8) << "J=" << c.J << " " << c.M << "x" << c.N << " L=" << c.L
                         << " order " << c.max_order << " dir " << dir;
  }
}

TEST(ScatteringGradient2D, FiniteDifferencesEightLanes) {
  check_finite_differences({2, 32, 32, 8, 2, false, 2});
  check_finite_differences({2, 32, 32, 8, 1, false, 1});
  check_finite_differences({2, 32, 32, 6, 2, false, 1});
  check_finite_differences({2, 24, 40, 6, 2, false, 3});  // non-square
  check_finite_differences({2, 32, 32, 6, 2, true, 1});   // pre_pad: input 40 × 40
  check_finite_differences({3, 8, 8, 4, 2, false, 1});    // pad width = image size
}

TEST(ScatteringGradient2D, FiniteDifferencesOneLane) {
  check_finite_differences({3, 60, 50, 6, 2, false, 1});  // padded 80 × 72: 1 lane
  check_finite_differences({2, 64, 64, 8, 1, false, 1});
  check_finite_differences({3, 64, 64, 6, 2, true, 1});   // pre_pad, 80 × 80
}

// ---- algebra ---------------------------------------------------------------------------------

TEST(ScatteringGradient2D, LinearInGradOut) {
  const Scattering2D S(2, 28, 28, 8, 2, kFast);
  const std::size_t batch = 3;
  const auto x = normal(in_size(S, batch), 3);
  const auto g1 = normal(out_size(S, batch), 4), g2 = normal(out_size(S, batch), 5);
  std::vector<double> g12(g1.size());
  for (std::size_t i = 0; i < g1.size(); ++i) g12[i] = 0.75 * g1[i] - 2.5 * g2[i];
  const auto a = backward(S, x, g1, batch), b = backward(S, x, g2, batch);
  const auto c = backward(S, x, g12, batch);
  std::vector<double> lin(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) lin[i] = 0.75 * a[i] - 2.5 * b[i];
  EXPECT_LE(rel_error(c, lin), 1e-13);
  // Zero cotangent, zero gradient.
  const auto z = backward(S, x, std::vector<double>(g1.size(), 0.0), batch);
  for (double v : z) ASSERT_EQ(v, 0.0);
}

// Spec §3: at z = 0 the modulus's gradient is 0, never NaN.
TEST(ScatteringGradient2D, ModulusAtZero) {
  const Scattering2D S(2, 32, 32, 8, 2, kFast);
  const auto gx = backward(S, std::vector<double>(32 * 32, 0.0), normal(out_size(S, 1), 6), 1);
  // x = 0: every wavelet path is 0 and contributes 0; only S0 (linear) remains.
  Scattering2D S0(2, 32, 32, 8, 1, kFast);
  std::vector<double> g0(out_size(S0, 1), 0.0), g(normal(out_size(S, 1), 6));
  std::copy_n(g.begin(), 64, g0.begin());
  const auto only_s0 = backward(S0, std::vector<double>(32 * 32, 0.0), g0, 1);
  for (std::size_t i = 0; i < gx.size(); ++i) {
    ASSERT_TRUE(std::isfinite(gx[i]));
    ASSERT_EQ(gx[i], only_s0[i]) << i;
  }
}

TEST(ScatteringGradient2D, ThreadsAndBatchSizesBitIdentical) {
  for (const std::size_t size : {28, 72}) {  // 8 lanes, 1 lane
    const Scattering2D S1(2, size, size, 8, 2, kFast);
    ExecOptions two = kFast;
    two.threads = 2;
    const Scattering2D S2(2, size, size, 8, 2, two);
    const std::size_t batch = 11, n = size * size, per = out_size(S1, 1);
    const auto x = normal(in_size(S1, batch), 7), g = normal(out_size(S1, batch), 8);
    const auto a = backward(S1, x, g, batch), b = backward(S2, x, g, batch);
    ASSERT_EQ(a, b) << size;
    for (const std::size_t k : {0, 5, 10}) {  // alone, in a batch of 1
      const std::vector<double> xk(x.begin() + k * n, x.begin() + (k + 1) * n);
      const std::vector<double> gk(g.begin() + k * per, g.begin() + (k + 1) * per);
      const auto one = backward(S1, xk, gk, 1);
      ASSERT_TRUE(std::equal(one.begin(), one.end(), a.begin() + k * n)) << size << " image " << k;
    }
  }
}

TEST(ScatteringGradient2D, FusedForwardBackward) {
  for (const std::size_t size : {28, 72}) {
    const Scattering2Df S(2, size, size, 6, 2, kFast);
    const std::size_t batch = 3;
    const auto xd = normal(in_size(S, batch), 9), gd = normal(out_size(S, batch), 10);
    const std::vector<float> x(xd.begin(), xd.end()), g(gd.begin(), gd.end());
    std::vector<float> out(out_size(S, batch)), gx(x.size()), ref_out(out.size());
    S.forward_backward(x.data(), g.data(), batch, out.data(), gx.data());
    S(x.data(), batch, ref_out.data());
    EXPECT_EQ(out, ref_out) << size;
    EXPECT_EQ(gx, backward(S, x, g, batch)) << size;
  }
}

// Range (docs/architecture.md): the gradient is of degree 0 in x and linear in grad_out, and is
// computed to full precision far outside the comfortable band.
TEST(ScatteringGradient2D, Range) {
  const Scattering2D S(2, 32, 32, 8, 2, kFast);
  const auto x = normal(in_size(S, 1), 11), g = normal(out_size(S, 1), 12);
  const auto ref = backward(S, x, g, 1);
  std::vector<double> xs(x), gs(g);
  for (auto& v : xs) v = std::ldexp(v, 700);
  for (auto& v : gs) v = std::ldexp(v, -900);
  auto gx = backward(S, xs, gs, 1);
  for (auto& v : gx) v = std::ldexp(v, 900);
  EXPECT_LE(rel_error(gx, ref), 1e-13);
}

// ---- bad input -------------------------------------------------------------------------------

TEST(ScatteringGradient2D, BadInput) {
  const Scattering2D S(2, 32, 32, 8, 2, kFast);
  const auto x = normal(in_size(S, 2), 13);
  auto g = normal(out_size(S, 2), 14);
  std::vector<double> gx(x.size());
  g[1234] = NAN;
  try {
    S.backward(x.data(), g.data(), 2, gx.data());
    FAIL() << "NaN grad_out accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("grad_out holds NaN at flat index 1234"), std::string::npos)
        << e.what();
  }
  g[1234] = 0;
  g[77] = -INFINITY;
  EXPECT_THROW(S.backward(x.data(), g.data(), 2, gx.data()), InputError);
  g[77] = 0;
  auto xb = x;
  xb[5] = INFINITY;
  EXPECT_THROW(S.backward(xb.data(), g.data(), 2, gx.data()), InputError);

  const Array<double> xa(Shape{2, 32, 32}, x);
  try {
    S.backward(xa, Array<double>(Shape{2, 80, 8, 8}));
    FAIL() << "wrong grad_out shape accepted";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("(2, 80, 8, 8)"), std::string::npos) << m;
    EXPECT_NE(m.find("(2, 81, 8, 8)"), std::string::npos) << m;
  }
  EXPECT_THROW(S.backward(Array<double>(Shape{2, 32, 31}), Array<double>(Shape{2, 81, 8, 8})),
               InputError);
  EXPECT_THROW(S.backward(xa, Array<double>(Shape{81, 8, 8})), InputError);
  // An empty batch is fine.
  EXPECT_EQ(S.backward(Array<double>(Shape{0, 32, 32}), Array<double>(Shape{0, 81, 8, 8})).shape,
            (Shape{0, 32, 32}));
}

}  // namespace
}  // namespace wst
