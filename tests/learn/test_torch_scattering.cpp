// The scattering as a libtorch module (wst/learn/torch_scattering.hpp): its autograd gradient is
// the core reverse pass to the bit and agrees with finite differences; any number of leading axes;
// the errors it reports. Built only with libtorch (the one test that includes torch).
#include <gtest/gtest.h>

#include <torch/torch.h>

#include <cmath>
#include <cstring>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/learn/differentiable_transform.hpp"
#include "wst/learn/torch_scattering.hpp"
#include "wst/support/error.hpp"

namespace {

using wst::InputError;
using wst::UsageError;
using wst::learn::DifferentiableTransform;
using wst::learn::reproducible_exec;
using wst::learn::Scattering;
using wst::learn::scattering_1d_transform;
using wst::learn::scattering_2d_transform;
using wst::test::message_of;
using Transform = std::shared_ptr<const DifferentiableTransform>;

torch::Tensor randn(std::vector<std::int64_t> sizes, torch::Dtype dtype, std::uint64_t seed) {
  torch::manual_seed(seed);
  return torch::randn(sizes, torch::TensorOptions().dtype(dtype));
}

bool same_bits(const torch::Tensor& a, const torch::Tensor& b) {
  return a.sizes() == b.sizes() && a.scalar_type() == b.scalar_type() &&
         std::memcmp(a.contiguous().data_ptr(), b.contiguous().data_ptr(),
                     static_cast<std::size_t>(a.numel()) * a.element_size()) == 0;
}

// (y, ∂/∂x Σ g·y) through the module and autograd.
std::pair<torch::Tensor, torch::Tensor> module_value_and_grad(const Transform& t,
                                                              const torch::Tensor& x0,
                                                              std::uint64_t seed) {
  Scattering S(t);
  const torch::Tensor x = x0.clone().requires_grad_(true);
  const torch::Tensor y = S(x);
  const torch::Tensor g = randn(y.sizes().vec(), x0.scalar_type(), seed);
  return {y.detach(), torch::autograd::grad({y}, {x}, {g})[0]};
}

// The same through the core transform: y = S(x), grad = S.backward(x, g), g drawn as above.
template <class T, class Core>
std::pair<torch::Tensor, torch::Tensor> core_value_and_grad(const Core& core, const Transform& t,
                                                            const torch::Tensor& x,
                                                            std::uint64_t seed) {
  const auto batch = static_cast<std::size_t>(x.numel()) / t->input_size();
  std::vector<std::int64_t> sizes{static_cast<std::int64_t>(batch)};
  for (auto n : t->output_shape()) sizes.push_back(static_cast<std::int64_t>(n));
  torch::Tensor y = torch::empty(sizes, x.options());
  core(x.data_ptr<T>(), batch, y.data_ptr<T>());
  const torch::Tensor g = randn(sizes, x.scalar_type(), seed);
  torch::Tensor gx = torch::empty_like(x);
  core.backward(x.data_ptr<T>(), g.data_ptr<T>(), batch, gx.data_ptr<T>());
  return {y, gx};
}

template <class T>
void expect_core_bits_2d(torch::Dtype dtype) {
  const Transform t = scattering_2d_transform(2, 16, 16);
  const wst::BasicScattering2D<T> core(2, 16, 16, 8, 2, reproducible_exec());
  const torch::Tensor x = randn({3, 16, 16}, dtype, 1);
  const auto [y, gx] = module_value_and_grad(t, x, 2);
  const auto [y_core, gx_core] = core_value_and_grad<T>(core, t, x, 2);
  EXPECT_EQ(y.sizes(), torch::IntArrayRef({3, 81, 4, 4}));
  EXPECT_TRUE(same_bits(y, y_core));
  EXPECT_TRUE(same_bits(gx, gx_core));
  EXPECT_GT(gx.abs().max().item<double>(), 0.0);
}

template <class T>
void expect_core_bits_1d(torch::Dtype dtype) {
  wst::Scattering1DOptions o;
  o.Q = {4, 1};
  const Transform t = scattering_1d_transform(5, 256, o);
  const wst::BasicScattering1D<T> core(5, 256, o, reproducible_exec());
  const torch::Tensor x = randn({4, 256}, dtype, 3);
  const auto [y, gx] = module_value_and_grad(t, x, 4);
  const auto [y_core, gx_core] = core_value_and_grad<T>(core, t, x, 4);
  EXPECT_TRUE(same_bits(y, y_core));
  EXPECT_TRUE(same_bits(gx, gx_core));
}

TEST(TorchScattering, GradientIsTheCoreReversePass2D) {
  expect_core_bits_2d<float>(torch::kFloat32);
  expect_core_bits_2d<double>(torch::kFloat64);
}

TEST(TorchScattering, GradientIsTheCoreReversePass1D) {
  expect_core_bits_1d<float>(torch::kFloat32);
  expect_core_bits_1d<double>(torch::kFloat64);
}

// ⟨∇ℓ(x), d⟩ against (ℓ(x + h d) − ℓ(x − h d)) / 2h for ℓ = Σ g·S(x) in float64, along random
// unit directions d; returns the largest relative error.
double finite_difference_error(const Transform& t, std::vector<std::int64_t> sizes, double h) {
  Scattering S(t);
  const torch::Tensor x = randn(sizes, torch::kFloat64, 5).requires_grad_(true);
  const torch::Tensor y = S(x);
  const torch::Tensor g = randn(y.sizes().vec(), torch::kFloat64, 6);
  const torch::Tensor grad = torch::autograd::grad({(g * y).sum()}, {x})[0];
  torch::NoGradGuard no_grad;
  auto loss = [&](const torch::Tensor& z) { return (g * S(z)).sum().item<double>(); };
  double worst = 0;
  for (std::uint64_t k = 0; k < 4; ++k) {
    torch::Tensor d = randn(sizes, torch::kFloat64, 100 + k);
    d /= d.norm();
    const double exact = (grad * d).sum().item<double>();
    const double fd = (loss(x.detach() + h * d) - loss(x.detach() - h * d)) / (2 * h);
    worst = std::max(worst, std::abs(fd - exact) / std::abs(exact));
  }
  return worst;
}

TEST(TorchScattering, GradientAgreesWithFiniteDifferences) {
  const double e2 = finite_difference_error(scattering_2d_transform(2, 16, 16), {2, 16, 16}, 1e-4);
  wst::Scattering1DOptions o;
  o.Q = {4, 1};
  const double e1 = finite_difference_error(scattering_1d_transform(5, 256, o), {3, 256}, 1e-4);
  std::cout << "[ fd      ] largest relative error of the directional derivative: 2D " << e2
            << ", 1D " << e1 << "\n";
  EXPECT_LE(e2, 1e-6);
  EXPECT_LE(e1, 1e-6);
}

// (M, N), (B, M, N), (A, B, M, N) and a non-contiguous input: each example is transformed, and
// differentiated, as it would be alone.
TEST(TorchScattering, LeadingAxes) {
  const Transform t = scattering_2d_transform(2, 16, 16);
  const torch::Tensor flat = randn({6, 16, 16}, torch::kFloat64, 7);
  const auto [y_flat, gx_flat] = module_value_and_grad(t, flat, 8);
  const auto [y2, gx2] = module_value_and_grad(t, flat.reshape({2, 3, 16, 16}), 8);
  EXPECT_EQ(y2.sizes(), torch::IntArrayRef({2, 3, 81, 4, 4}));
  EXPECT_TRUE(same_bits(y2.reshape({6, 81, 4, 4}), y_flat));
  EXPECT_TRUE(same_bits(gx2.reshape({6, 16, 16}), gx_flat));

  Scattering S(t);
  const torch::Tensor one = S(flat[4]);
  EXPECT_EQ(one.sizes(), torch::IntArrayRef({81, 4, 4}));
  EXPECT_TRUE(same_bits(one, y_flat[4]));
  const torch::Tensor x = flat[4].clone().requires_grad_(true);
  const torch::Tensor ones = torch::ones({81, 4, 4}, torch::kFloat64);
  const torch::Tensor gx = torch::autograd::grad({S(x)}, {x}, {ones})[0];
  EXPECT_EQ(gx.sizes(), torch::IntArrayRef({16, 16}));

  // A transposed view is made contiguous first.
  const torch::Tensor transposed = flat.transpose(1, 2);
  ASSERT_FALSE(transposed.is_contiguous());
  EXPECT_TRUE(same_bits(S(transposed), S(transposed.contiguous())));

  const torch::Tensor none = torch::zeros({0, 16, 16}, torch::kFloat32).requires_grad_(true);
  const torch::Tensor y0 = S(none);
  EXPECT_EQ(y0.sizes(), torch::IntArrayRef({0, 81, 4, 4}));
  y0.sum().backward();
  EXPECT_EQ(none.grad().sizes(), torch::IntArrayRef({0, 16, 16}));
}

TEST(TorchScattering, ModuleHasNoParametersAndComposes) {
  const Transform t = scattering_2d_transform(2, 16, 16);
  torch::nn::Sequential net(Scattering(t), torch::nn::Flatten(), torch::nn::Linear(81 * 16, 3));
  EXPECT_EQ(Scattering(t)->parameters().size(), 0u);
  EXPECT_EQ(net->parameters().size(), 2u);  // the Linear's weight and bias
  std::ostringstream text;
  text << *Scattering(t);
  EXPECT_NE(text.str().find("scattering_2d(J=2"), std::string::npos) << text.str();

  // Chain rule through the Linear: x.grad = S.backward(x, Wᵀ·1).
  const torch::Tensor x = randn({2, 16, 16}, torch::kFloat32, 9).requires_grad_(true);
  net->forward(x).sum().backward();
  const torch::Tensor W = net->parameters()[0].detach();
  const torch::Tensor g = W.sum(0).expand({2, 81 * 16}).contiguous();
  torch::Tensor expected = torch::empty({2, 16, 16});
  t->backward(x.detach().data_ptr<float>(), g.data_ptr<float>(), 2, expected.data_ptr<float>());
  EXPECT_LE((x.grad() - expected).abs().max().item<double>(),
            1e-5 * expected.abs().max().item<double>());
}

// The example of docs/LEARNING.md, "Scattering inside a libtorch network".
TEST(TorchScattering, DocumentationExample) {
  const torch::Tensor images = torch::rand({4, 28, 28});
  const torch::Tensor labels = torch::tensor({3, 1, 4, 1}, torch::kInt64);

  auto S = wst::learn::Scattering(wst::learn::scattering_2d_transform(/*J=*/2, 28, 28));
  torch::nn::Sequential net(S, torch::nn::Flatten(), torch::nn::Linear(81 * 7 * 7, 10));
  torch::Tensor x = images.clone().requires_grad_(true);           // (B, 28, 28) float32
  torch::nn::functional::cross_entropy(net->forward(x), labels).backward();

  ASSERT_TRUE(x.grad().defined());
  EXPECT_EQ(x.grad().sizes(), x.sizes());
  EXPECT_GT(x.grad().abs().max().item<double>(), 0.0);
  EXPECT_TRUE(net->parameters()[0].grad().defined());
}

TEST(TorchScattering, Errors) {
  const Transform t = scattering_2d_transform(2, 16, 16);
  Scattering S(t);
  std::string m = message_of<InputError>([&] { S(torch::zeros({3, 16, 15})); });
  EXPECT_NE(m.find("(..., 16, 16)"), std::string::npos) << m;
  EXPECT_NE(m.find("got (3, 16, 15)"), std::string::npos) << m;
  EXPECT_THROW(S(torch::zeros({16})), InputError);

  m = message_of<InputError>([&] { S(torch::zeros({2, 16, 16}, torch::kInt32)); });
  EXPECT_NE(m.find("float32 or float64"), std::string::npos) << m;
  EXPECT_THROW(S(torch::zeros({2, 16, 16}, torch::kFloat16)), InputError);
  if (torch::cuda::is_available())  // Debian's libtorch is CPU-only: usually skipped
    EXPECT_THROW(S(torch::zeros({16, 16}, torch::kCUDA)), InputError);

  torch::Tensor bad = torch::zeros({2, 16, 16});
  bad[1][3][4] = std::numeric_limits<float>::quiet_NaN();
  m = message_of<InputError>([&] { S(bad); });
  EXPECT_NE(m.find("NaN"), std::string::npos) << m;
  bad[1][3][4] = std::numeric_limits<float>::infinity();
  EXPECT_THROW(S(bad), InputError);

  const torch::Tensor x = randn({2, 16, 16}, torch::kFloat64, 10).requires_grad_(true);
  const torch::Tensor y = S(x);
  torch::Tensor g = torch::ones_like(y);
  g[0][5][1][2] = std::numeric_limits<double>::quiet_NaN();
  m = message_of<InputError>([&] { torch::autograd::grad({y}, {x}, {g}, /*retain_graph=*/true); });
  EXPECT_NE(m.find("grad_output"), std::string::npos) << m;

  m = message_of<UsageError>([&] {
    torch::autograd::grad({y}, {x}, {torch::ones_like(y)}, /*retain_graph=*/true,
                          /*create_graph=*/true);
  });
  EXPECT_NE(m.find("second derivatives of the scattering are not supported"), std::string::npos)
      << m;
  // The graph is still usable for first derivatives.
  EXPECT_EQ(torch::autograd::grad({y}, {x}, {torch::ones_like(y)})[0].sizes(), x.sizes());

  EXPECT_THROW(Scattering(Transform{}), UsageError);
}

}  // namespace
