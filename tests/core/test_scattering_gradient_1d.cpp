// The reverse pass of BasicScattering1D (docs/scattering-gradients.md, "1D"): parity with
// kymatio.torch autograd, the check values of the shared spec, central finite differences in
// every mode, linearity in the cotangent, range, determinism across threads and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/io/npy.hpp"
#include "wst/support/error.hpp"

namespace wst {
namespace {

using test::kymatio_ref;
using test::message_of;
using test::random_normal;
using test::rel_error;

const ExecOptions kFast{1, Planning::estimate};

double report(const std::string& what, double err) {
  std::printf("[parity] %-60s %.2e\n", what.c_str(), err);
  return err;
}

template <class T>
Array<T> cast(const Array<double>& a) {
  return Array<T>(a.shape, std::vector<T>(a.data.begin(), a.data.end()));
}

template <class T>
double dot(const std::vector<T>& a, const std::vector<T>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += double(a[i]) * double(b[i]);
  return s;
}

// ---- parity with kymatio.torch (float64 autograd), v04-more/grad_1d_J6_Q8_1024 ----------------

struct GradReference {
  Array<double> x = read_npy_as<double>(kymatio_ref("v04-more/grad_1d_J6_Q8_1024_x.npy"));
  Array<double> g = read_npy_as<double>(kymatio_ref("v04-more/grad_1d_J6_Q8_1024_g.npy"));
  Array<double> vjp = read_npy_as<double>(kymatio_ref("v04-more/grad_1d_J6_Q8_1024_vjp.npy"));
};

Scattering1DOptions q8(bool float32_filters) {
  return Scattering1DOptions{.Q = {8, 1}, .float32_filters = float32_filters};
}

TEST(Gradient1DReference, TorchVjpJ6Q8N1024) {
  const GradReference r;
  ASSERT_EQ(r.x.shape, (Shape{2, 1024}));
  ASSERT_EQ(r.g.shape, (Shape{2, 126, 16}));
  // kymatio.torch rounds its filter levels to float32 (docs/scattering-gradients.md §4): with the
  // same filters the adjoint agrees to rounding; with float64 filters to ~1e-7 (the filter noise).
  const Scattering1D torch_like(6, 1024, q8(true), kFast);
  const auto grad = torch_like.backward(r.x, r.g);
  ASSERT_EQ(grad.shape, r.vjp.shape);
  EXPECT_LE(report("grad 1D J6 Q8 N1024 double, float32 filters", rel_error(grad.data, r.vjp.data)),
            1e-10);
  const Scattering1D numpy_like(6, 1024, q8(false), kFast);
  EXPECT_LE(report("grad 1D J6 Q8 N1024 double, float64 filters",
                   rel_error(numpy_like.backward(r.x, r.g).data, r.vjp.data)),
            3e-7);
  const Scattering1Df torch_like_f(6, 1024, q8(true), kFast);
  const auto grad_f = torch_like_f.backward(cast<float>(r.x), cast<float>(r.g));
  EXPECT_LE(report("grad 1D J6 Q8 N1024 float, float32 filters", rel_error(grad_f.data, r.vjp.data)),
            1e-4);
  const Scattering1Df numpy_like_f(6, 1024, q8(false), kFast);
  EXPECT_LE(report("grad 1D J6 Q8 N1024 float, float64 filters",
                   rel_error(numpy_like_f.backward(cast<float>(r.x), cast<float>(r.g)).data,
                             r.vjp.data)),
            1e-4);
}

// Check values of the shared spec (scattering-gradients.md §8, kymatio.torch float64).
TEST(Gradient1DReference, SpecCheckValuesJ4Q4N256) {
  std::vector<double> x(256);
  for (std::size_t n = 0; n < 256; ++n) x[n] = double((37 * n) % 101) / 50 - 1;
  const Scattering1D S(4, 256, Scattering1DOptions{.Q = {4, 1}, .float32_filters = true}, kFast);
  ASSERT_EQ(S.channels(), 29u);
  ASSERT_EQ(S.output_length(), 16u);
  std::vector<double> ones(S.output_size(), 1.0), cosine(S.output_size()), grad(256);
  for (std::size_t i = 0; i < cosine.size(); ++i) cosine[i] = std::cos(0.1 * double(i));
  S.backward(x.data(), ones.data(), 1, grad.data());
  double worst = 0;
  auto check = [&](std::size_t i, double want) {
    worst = std::max(worst, std::abs(grad[i] - want) / std::abs(want));
  };
  check(0, -0.106974403789);
  check(1, -0.0568096376628);
  check(100, -0.204802591149);
  check(255, -0.104252505358);
  const double norm = std::sqrt(dot(grad, grad));
  worst = std::max(worst, std::abs(norm - 3.010345516566) / 3.010345516566);
  S.backward(x.data(), cosine.data(), 1, grad.data());
  check(0, 0.253765149403);
  check(1, 0.133876708936);
  check(100, -0.0267347066978);
  check(255, 0.0218087489735);
  EXPECT_LE(report("grad 1D spec check values J4 Q4 N256 (worst relative)", worst), 2e-9);
}

// ---- central finite differences: ⟨(S(x+εv) − S(x−εv))/2ε, g⟩ = ⟨v, backward(x, g)⟩ ----------
//
// Tolerance. The plain central difference is dominated by its truncation error (c·ε², c large
// where a path's |z| is small and the modulus curves sharply): measured 1e-4 → 1e-8 relative as ε
// goes 1e-3 → 1e-5, exactly ×100 per decade, and rounding (u·|Σ g·S|/ε) takes over below 1e-6.
// So D is Richardson-extrapolated, (4·D(ε/2) − D(ε))/3 with ε = 1e-4, which cancels the ε² term:
// measured worst 3.7e-9 over these cases (none mode), most ≤ 6e-10. 3e-8 keeps a decade of margin
// and still fails on a wrong step (O(1)) or on filters that differ from the forward's (1e-7).

struct FdCase {
  const char* name;
  int J;
  Scattering1DOptions options;
};

// ⟨(S(x + εv) − S(x − εv))/(2ε), g⟩
double central_difference(const Scattering1D& S, const std::vector<double>& x,
                          const std::vector<double>& v, const std::vector<double>& g, double eps) {
  const std::size_t N = x.size();
  std::vector<double> xp(N), xm(N), sp(S.output_size()), sm(S.output_size());
  for (std::size_t i = 0; i < N; ++i) xp[i] = x[i] + eps * v[i], xm[i] = x[i] - eps * v[i];
  S(xp.data(), 1, sp.data());
  S(xm.data(), 1, sm.data());
  return (dot(sp, g) - dot(sm, g)) / (2 * eps);
}

// Worst over 3 random directions v of |D − ⟨v, backward(x, g)⟩| / |⟨v, backward(x, g)⟩|, D the
// Richardson extrapolation (4·D(ε/2) − D(ε))/3 of the central difference.
double fd_mismatch(const FdCase& c, std::size_t N, unsigned seed) {
  const Scattering1D S(c.J, N, c.options, kFast);
  const auto x = random_normal(N, seed);
  const auto g = random_normal(S.output_size(), seed + 1);
  std::vector<double> grad(N);
  S.backward(x.data(), g.data(), 1, grad.data());
  const double eps = 1e-4;
  double worst = 0;
  for (unsigned d = 0; d < 3; ++d) {
    const auto v = random_normal(N, seed + 10 + d);
    const double fd = (4 * central_difference(S, x, v, g, eps / 2) -
                       central_difference(S, x, v, g, eps)) / 3;
    const double adj = dot(v, grad);
    worst = std::max(worst, std::abs(fd - adj) / std::abs(adj));
  }
  return worst;
}

TEST(Gradient1DFiniteDifferences, EveryOrderModeAndStride) {
  using A = Averaging1D;
  const FdCase cases[] = {
      {"order 1, local", 4, {.Q = {4, 1}, .max_order = 1}},
      {"order 2, local", 4, {.Q = {4, 1}, .max_order = 2}},
      {"order 3, local", 4, {.Q = {4, 2}, .max_order = 3}},
      {"order 2, local, T=16 stride=4", 5, {.T = 16, .stride = 4, .Q = {4, 2}}},
      {"order 2, local, T=12 (log2_T=3) stride=1", 4, {.T = 12, .stride = 1, .Q = {2, 1}}},
      {"order 2, global", 4, {.averaging = A::global, .Q = {4, 1}}},
      {"order 3, global", 4, {.averaging = A::global, .Q = {4, 2}, .max_order = 3}},
      {"order 2, none (T=0)", 4, {.averaging = A::none, .Q = {4, 1}}},
      {"order 3, none (T=0)", 4, {.averaging = A::none, .Q = {4, 2}, .max_order = 3}},
  };
  for (const auto& c : cases) {
    const double err = fd_mismatch(c, 256, 7);
    EXPECT_LE(report(std::string("grad FD N256 ") + c.name, err), 3e-8) << c.name;
  }
  // A length that is not a power of two (unequal pads).
  EXPECT_LE(report("grad FD N200 order 2, local", fd_mismatch(
                       {"", 4, {.Q = {4, 1}}}, 200, 3)), 3e-8);
}

// ---- linearity, float, thread count, fused pass, range ----------------------------------------

TEST(Gradient1D, LinearInTheCotangent) {
  for (auto mode : {Averaging1D::local, Averaging1D::global, Averaging1D::none}) {
    const Scattering1D S(4, 256, Scattering1DOptions{.averaging = mode, .Q = {4, 2}, .max_order = 3},
                         kFast);
    const auto x = random_normal(256, 21);
    const auto g1 = random_normal(S.output_size(), 22), g2 = random_normal(S.output_size(), 23);
    std::vector<double> g(g1.size()), a(256), b(256), c(256);
    for (std::size_t i = 0; i < g.size(); ++i) g[i] = 2.5 * g1[i] - 0.75 * g2[i];
    S.backward(x.data(), g1.data(), 1, a.data());
    S.backward(x.data(), g2.data(), 1, b.data());
    S.backward(x.data(), g.data(), 1, c.data());
    for (std::size_t i = 0; i < 256; ++i) a[i] = 2.5 * a[i] - 0.75 * b[i];
    EXPECT_LE(rel_error(c, a), 1e-13);
  }
}

TEST(Gradient1D, FloatAgreesWithDouble) {
  for (auto mode : {Averaging1D::local, Averaging1D::global, Averaging1D::none}) {
    const Scattering1DOptions o{.averaging = mode, .Q = {4, 2}, .max_order = 3};
    const Scattering1D S(4, 256, o, kFast);
    const Scattering1Df Sf(4, 256, o, kFast);
    const auto x = random_normal(256, 31);
    const auto g = random_normal(S.output_size(), 32);
    std::vector<double> grad(256);
    std::vector<float> grad_f(256), xf(x.begin(), x.end()), gf(g.begin(), g.end());
    S.backward(x.data(), g.data(), 1, grad.data());
    Sf.backward(xf.data(), gf.data(), 1, grad_f.data());
    EXPECT_LE(rel_error(grad_f, grad), 1e-4);
  }
}

TEST(Gradient1D, ThreadCountDoesNotChangeAnyBitAndFusedPassMatches) {
  const std::size_t batch = 5, N = 300;
  for (auto mode : {Averaging1D::local, Averaging1D::global, Averaging1D::none}) {
    const Scattering1DOptions o{.averaging = mode, .Q = {4, 2}, .max_order = 3};
    const Scattering1D one(4, N, o, {1, Planning::estimate});
    const Scattering1D two(4, N, o, {2, Planning::estimate});
    const auto x = random_normal(batch * N, 41);
    const auto g = random_normal(batch * one.output_size(), 42);
    std::vector<double> g1(batch * N), g2(batch * N), g3(batch * N), out(batch * one.output_size()),
        fwd(out.size());
    one.backward(x.data(), g.data(), batch, g1.data());
    two.backward(x.data(), g.data(), batch, g2.data());
    EXPECT_EQ(g1, g2);
    two.forward_backward(x.data(), g.data(), batch, out.data(), g3.data());
    one(x.data(), batch, fwd.data());
    EXPECT_EQ(g3, g1);
    EXPECT_EQ(out, fwd);
  }
}

// A tape recorded by forward() gives the recomputing backward()'s bits, in every mode and for
// any thread count, and the forward's output unchanged.
template <class T>
void check_taped_pass_matches(Averaging1D mode, int threads) {
  const std::size_t batch = 3, N = 300;
  const Scattering1DOptions o{.averaging = mode, .Q = {4, 2}, .max_order = 3};
  const BasicScattering1D<T> S(4, N, o, {threads, Planning::estimate});
  const auto x = random_normal<T>(batch * N, 43);
  auto g = random_normal<T>(batch * S.output_size(), 44);
  g[1] = std::ldexp(g[1], 40);  // the cotangent's range rule applies as without a tape
  std::vector<T> want(batch * N), got(batch * N), out(batch * S.output_size()), fwd(out.size());
  typename BasicScattering1D<T>::Tape tape;
  S.forward(x.data(), batch, out.data(), tape);
  S(x.data(), batch, fwd.data());
  EXPECT_EQ(out, fwd);
  EXPECT_EQ(tape.batch(), batch);
  EXPECT_EQ(tape.bytes(), batch * S.tape_bytes());
  S.backward(x.data(), g.data(), batch, want.data());
  S.backward(tape, g.data(), got.data());
  EXPECT_EQ(got, want);
}

TEST(Gradient1D, TapedPassGivesTheSameBits) {
  for (auto mode : {Averaging1D::local, Averaging1D::global, Averaging1D::none})
    for (int threads : {1, 2}) {
      check_taped_pass_matches<float>(mode, threads);
      check_taped_pass_matches<double>(mode, threads);
    }
}

TEST(Gradient1DErrors, TapeOfAnotherTransformOrEmptyIsRefused) {
  const Scattering1D S(4, 256, Scattering1DOptions{.Q = {4, 1}}, kFast);
  const Scattering1D other(4, 256, Scattering1DOptions{.Q = {4, 1}}, kFast);
  const auto x = random_normal(256, 45), g = random_normal(S.output_size(), 46);
  std::vector<double> out(S.output_size()), grad(256);
  Scattering1D::Tape tape;
  EXPECT_NE(message_of<UsageError>([&] { S.backward(tape, g.data(), grad.data()); }).find("empty"),
            std::string::npos);
  other.forward(x.data(), 1, out.data(), tape);
  EXPECT_NE(message_of<UsageError>([&] { S.backward(tape, g.data(), grad.data()); })
                .find("recorded by another transform"),
            std::string::npos);
}

// The Jacobian of S is the same at x and 2^k·x, and the pass is linear in g: far outside the
// direct range (float32: 2^±32) both are rescaled exactly, so the bits do not change.
TEST(Gradient1D, RangeRescalingIsExact) {
  const Scattering1Df S(4, 256, Scattering1DOptions{.Q = {4, 2}, .max_order = 3}, kFast);
  const auto x = random_normal<float>(256, 51);
  const auto g = random_normal<float>(S.output_size(), 52);
  std::vector<float> big_x(x), big_g(g), a(256), b(256), c(256);
  for (auto& v : big_x) v = std::ldexp(v, 60);
  for (auto& v : big_g) v = std::ldexp(v, -70);
  S.backward(x.data(), g.data(), 1, a.data());
  S.backward(big_x.data(), g.data(), 1, b.data());
  S.backward(x.data(), big_g.data(), 1, c.data());
  EXPECT_EQ(a, b);
  for (auto& v : c) v = std::ldexp(v, 70);
  EXPECT_EQ(a, c);
}

TEST(Gradient1D, ArrayOverloadKeepsLeadingDimensions) {
  const Scattering1D S(4, 256, Scattering1DOptions{.Q = {4, 1}}, kFast);
  Array<double> x({2, 3, 256}, random_normal(6 * 256, 61));
  Array<double> g({2, 3, S.channels(), S.output_length()}, random_normal(6 * S.output_size(), 62));
  const auto grad = S.backward(x, g);
  EXPECT_EQ(grad.shape, x.shape);
  std::vector<double> flat(6 * 256);
  S.backward(x.data.data(), g.data.data(), 6, flat.data());
  EXPECT_EQ(grad.data, flat);
  const Scattering1D none(4, 256, Scattering1DOptions{.averaging = Averaging1D::none}, kFast);
  Array<double> gn({2, 3, none.output_size()}, random_normal(6 * none.output_size(), 63));
  EXPECT_EQ(none.backward(x, gn).shape, x.shape);
}

// ---- bad input ----------------------------------------------------------------------------------

TEST(Gradient1DErrors, WrongCotangentShapeNamesExpectedAndGot) {
  const Scattering1D S(4, 256, Scattering1DOptions{.Q = {4, 1}}, kFast);
  Array<double> x({2, 256}, random_normal(512, 71));
  Array<double> g({2, S.channels(), S.output_length() + 1});
  const std::string msg = message_of<InputError>([&] { S.backward(x, g); });
  EXPECT_NE(msg.find("grad_out of shape (2, " + std::to_string(S.channels()) + ", " +
                     std::to_string(S.output_length() + 1) + ")"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("expected (2, " + std::to_string(S.channels()) + ", " +
                     std::to_string(S.output_length()) + ")"),
            std::string::npos)
      << msg;
  Array<double> bad_x({2, 255});
  EXPECT_NE(message_of<InputError>([&] { S.backward(bad_x, g); }).find("(..., 256)"),
            std::string::npos);
}

TEST(Gradient1DErrors, NonFiniteCotangentOrInputNamesTheIndex) {
  const Scattering1D S(4, 256, Scattering1DOptions{.Q = {4, 1}}, kFast);
  auto x = random_normal(2 * 256, 81);
  auto g = random_normal(2 * S.output_size(), 82);
  std::vector<double> grad(2 * 256);
  g[S.output_size() + 17] = std::numeric_limits<double>::quiet_NaN();
  std::string msg = message_of<InputError>([&] { S.backward(x.data(), g.data(), 2, grad.data()); });
  EXPECT_NE(msg.find("grad_out holds NaN at flat index " + std::to_string(S.output_size() + 17)),
            std::string::npos)
      << msg;
  g[S.output_size() + 17] = 0;
  g[3] = -std::numeric_limits<double>::infinity();
  msg = message_of<InputError>([&] { S.backward(x.data(), g.data(), 2, grad.data()); });
  EXPECT_NE(msg.find("grad_out holds Inf at flat index 3"), std::string::npos) << msg;
  g[3] = 0;
  x[300] = std::numeric_limits<double>::quiet_NaN();
  msg = message_of<InputError>([&] { S.backward(x.data(), g.data(), 2, grad.data()); });
  EXPECT_NE(msg.find("input holds NaN at flat index 300"), std::string::npos) << msg;
}

}  // namespace
}  // namespace wst
