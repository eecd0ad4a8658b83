// The scattering front ends of learn/differentiable_transform.hpp (no torch): shapes, argument
// checks, and forward and backward bit-identical to the core transforms they wrap.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "test_support.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/learn/differentiable_transform.hpp"
#include "wst/support/error.hpp"

namespace {

using wst::InputError;
using wst::UsageError;
using wst::learn::DifferentiableTransform;
using wst::learn::reproducible_exec;
using wst::learn::scattering_1d_transform;
using wst::learn::scattering_2d_transform;
using wst::test::message_of;
using Shape = std::vector<std::size_t>;

template <class T>
std::vector<T> gaussian(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> d(0.0, 1.0);
  std::vector<T> v(n);
  for (auto& x : v) x = T(d(gen));
  return v;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

TEST(DifferentiableTransform, Shapes) {
  const auto s = scattering_2d_transform(2, 16, 16);
  EXPECT_EQ(s->input_shape(), (Shape{16, 16}));
  EXPECT_EQ(s->output_shape(), (Shape{81, 4, 4}));  // 1 + 2·8 + 64·1
  EXPECT_EQ(s->input_size(), 256u);
  EXPECT_EQ(s->output_size(), 81u * 16);
  EXPECT_NE(s->name().find("J=2"), std::string::npos) << s->name();
  EXPECT_EQ(scattering_2d_transform(2, 28, 28)->output_shape(), (Shape{81, 7, 7}));
  EXPECT_EQ(scattering_2d_transform(3, 32, 24, 6, 1)->output_shape(), (Shape{19, 4, 3}));

  const wst::Scattering1Df core(4, 128, wst::Scattering1DOptions{}, reproducible_exec());
  const auto t = scattering_1d_transform(4, 128);
  EXPECT_EQ(t->input_shape(), (Shape{128}));
  EXPECT_EQ(t->output_shape(), (Shape{core.channels(), core.output_length()}));
  wst::Scattering1DOptions none;
  none.averaging = wst::Averaging1D::none;
  const auto u = scattering_1d_transform(4, 128, none);
  const wst::Scattering1Df core_none(4, 128, none, reproducible_exec());
  EXPECT_EQ(u->output_shape(), (Shape{core_none.output_size()}));  // paths of several lengths
}

TEST(DifferentiableTransform, BadArgumentsAreNamed) {
  auto expect = [](auto make, const char* factory, const char* argument) {
    const std::string m = message_of<UsageError>(make);
    EXPECT_NE(m.find(factory), std::string::npos) << m;
    EXPECT_NE(m.find(argument), std::string::npos) << m;
  };
  expect([] { scattering_2d_transform(0, 16, 16); }, "scattering_2d_transform", "J");
  expect([] { scattering_2d_transform(5, 16, 16); }, "scattering_2d_transform", "J");
  expect([] { scattering_2d_transform(2, 16, 16, 0); }, "scattering_2d_transform", "L");
  expect([] { scattering_2d_transform(2, 16, 16, 8, 3); }, "scattering_2d_transform",
         "max_order");
  expect([] { scattering_1d_transform(0, 64); }, "scattering_1d_transform", "J");
  wst::Scattering1DOptions o;
  o.max_order = 4;
  expect([&] { scattering_1d_transform(3, 64, o); }, "scattering_1d_transform", "max_order");
  wst::ExecOptions e = reproducible_exec();
  e.threads = 0;
  expect([&] { scattering_2d_transform(2, 16, 16, 8, 2, e); }, "scattering_2d_transform",
         "threads");
}

// forward and backward are the core's, to the bit, in float32 and float64.
template <class T>
void expect_core_bits_2d() {
  const auto s = scattering_2d_transform(2, 16, 16);
  const wst::BasicScattering2D<T> core(2, 16, 16, 8, 2, reproducible_exec());
  const std::size_t batch = 3;
  const auto x = gaussian<T>(batch * 256, 1), g = gaussian<T>(batch * s->output_size(), 2);
  std::vector<T> y(g.size()), y_core(g.size()), gx(x.size()), gx_core(x.size());
  s->forward(x.data(), batch, y.data());
  core(x.data(), batch, y_core.data());
  EXPECT_TRUE(same_bits(y, y_core));
  s->backward(x.data(), g.data(), batch, gx.data());
  core.backward(x.data(), g.data(), batch, gx_core.data());
  EXPECT_TRUE(same_bits(gx, gx_core));
}

template <class T>
void expect_core_bits_1d() {
  wst::Scattering1DOptions o;
  o.Q = {4, 1};
  const auto s = scattering_1d_transform(4, 128, o);
  const wst::BasicScattering1D<T> core(4, 128, o, reproducible_exec());
  const std::size_t batch = 2;
  const auto x = gaussian<T>(batch * 128, 3), g = gaussian<T>(batch * s->output_size(), 4);
  std::vector<T> y(g.size()), y_core(g.size()), gx(x.size()), gx_core(x.size());
  s->forward(x.data(), batch, y.data());
  core(x.data(), batch, y_core.data());
  EXPECT_TRUE(same_bits(y, y_core));
  s->backward(x.data(), g.data(), batch, gx.data());
  core.backward(x.data(), g.data(), batch, gx_core.data());
  EXPECT_TRUE(same_bits(gx, gx_core));
}

TEST(DifferentiableTransform, CoreBits2D) {
  expect_core_bits_2d<float>();
  expect_core_bits_2d<double>();
}

TEST(DifferentiableTransform, CoreBits1D) {
  expect_core_bits_1d<float>();
  expect_core_bits_1d<double>();
}

TEST(DifferentiableTransform, EmptyBatchWritesNothing) {
  const auto s = scattering_2d_transform(2, 16, 16);
  float x = 0, y = 42, gx = 7;
  s->forward(&x, 0, &y);
  s->backward(&x, &y, 0, &gx);
  EXPECT_EQ(y, 42.0f);
  EXPECT_EQ(gx, 7.0f);
}

TEST(DifferentiableTransform, NonFiniteInputThrows) {
  const auto s = scattering_2d_transform(2, 16, 16);
  auto x = gaussian<double>(256, 5);
  std::vector<double> y(s->output_size()), g(s->output_size(), 1.0), gx(256);
  x[17] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(s->forward(x.data(), 1, y.data()), InputError);
  EXPECT_THROW(s->backward(x.data(), g.data(), 1, gx.data()), InputError);
  x[17] = 0;
  g[3] = std::numeric_limits<double>::infinity();
  EXPECT_THROW(s->backward(x.data(), g.data(), 1, gx.data()), InputError);
}

// The float64 transform is built on first use, once, whichever thread gets there first.
TEST(DifferentiableTransform, LazyDoubleIsThreadSafe) {
  const auto s = scattering_2d_transform(2, 16, 16);
  const wst::Scattering2D core(2, 16, 16, 8, 2, reproducible_exec());
  const auto x = gaussian<double>(256, 6);
  std::vector<double> expected(s->output_size());
  core(x.data(), 1, expected.data());
  std::vector<std::vector<double>> got(4, std::vector<double>(s->output_size()));
  std::vector<std::thread> threads;
  for (auto& out : got)
    threads.emplace_back([&s, &x, &out] { s->forward(x.data(), 1, out.data()); });
  for (auto& t : threads) t.join();
  for (const auto& out : got) EXPECT_TRUE(same_bits(out, expected));
}

}  // namespace
