// The hybrid CNN with the scattering inside the network (CnnClassifier::scattering_hybrid) and the
// input gradients ∂ℓ/∂x of every CnnClassifier: the hybrid trains exactly as the head on
// precomputed scattering features; its input gradient is the core reverse pass of the head's;
// LeNet-5's and the hybrid's agree with finite differences of loss().
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/learn/cnn.hpp"
#include "wst/learn/differentiable_transform.hpp"
#include "wst/support/error.hpp"

namespace {

using wst::InputError;
using wst::UsageError;
using wst::learn::cnn_available;
using wst::learn::CnnClassifier;
using wst::learn::CnnOptions;
using wst::learn::DifferentiableTransform;
using wst::learn::FeatureMatrix;
using wst::learn::Labels;
using wst::learn::scattering_1d_transform;
using wst::learn::scattering_2d_transform;
using wst::test::message_of;

#define REQUIRE_TORCH() \
  if (!cnn_available()) GTEST_SKIP() << "built without libtorch"

struct Data {
  FeatureMatrix X;
  Labels y;
};

// Two classes of side × side images in [0, 1]: a horizontal (class 0) or vertical (class 1) bar,
// 2 px thick, at a random position and of random brightness, over uniform noise.
Data bars(int n, int side, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> noise(0.0f, 0.3f), bright(0.6f, 1.0f);
  std::uniform_int_distribution<int> pos(2, side - 4);
  Data d;
  d.X.resize(n, side * side);
  for (int i = 0; i < n; ++i) {
    const int c = i % 2, p = pos(gen);
    const float v = bright(gen);
    d.y.push_back(c);
    for (int k = 0; k < side * side; ++k) d.X(i, k) = noise(gen);
    for (int t = 0; t < 2; ++t)
      for (int k = 1; k < side - 1; ++k) d.X(i, c == 0 ? (p + t) * side + k : k * side + p + t) = v;
  }
  return d;
}

// front->forward of every row (float32), the head's input.
FeatureMatrix features(const DifferentiableTransform& front, const FeatureMatrix& X) {
  FeatureMatrix S(X.rows(), static_cast<Eigen::Index>(front.output_size()));
  front.forward(X.data(), static_cast<std::size_t>(X.rows()), S.data());
  return S;
}

// 50 SGD steps on 40 images.
CnnOptions quick(std::uint64_t seed) {
  CnnOptions o;
  o.epochs = 10;
  o.min_steps = 0;
  o.batch_size = 8;
  o.learning_rate = 0.02;
  o.seed = seed;
  return o;
}

// The head sees the scattering as it is, not standardised: of [0, 1] pixels its first-order
// maps are ~0.04. S(αx) = αS(x) (convolutions and moduli are homogeneous), so pixels × 10 bring
// the maps nearer unit scale, where the head's default learning rate suits them.
Data brighter(Data d) {
  d.X *= 10.0f;
  return d;
}

double max_relative_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double worst = 0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    worst = std::max(worst, std::abs(a[i] - b[i]) / std::abs(b[i]));
  return worst;
}

// The hybrid on pixels and the head on front->forward(pixels): same seed, same options, same
// training, to the bit (the forward of an example does not depend on its batch, and the pixels
// require no gradient, so the graphs above the scattering are the same).
TEST(CnnHybrid, TrainsAsTheHeadOnPrecomputedFeatures) {
  REQUIRE_TORCH();
  const auto t0 = std::chrono::steady_clock::now();
  const auto front = scattering_2d_transform(2, 16, 16);
  const Data train = brighter(bars(40, 16, 1)), test = brighter(bars(20, 16, 2));
  auto hybrid = CnnClassifier::scattering_hybrid(front, quick(3));
  auto head = CnnClassifier::scattering_head(81, 4, 4, quick(3));
  EXPECT_EQ(hybrid.parameters(), head.parameters());
  EXPECT_EQ(hybrid.first_layer_filters().weights, head.first_layer_filters().weights);
  hybrid.fit(train.X, train.y);
  head.fit(features(*front, train.X), train.y);

  const auto& h = hybrid.loss_history();
  ASSERT_EQ(h.size(), 10u);
  const double difference = max_relative_difference(h, head.loss_history());
  std::cout << "[ hybrid  ] loss " << h.front() << " -> " << h.back()
            << "; largest relative difference from the head on features: " << difference << "\n";
  EXPECT_EQ(h, head.loss_history());  // exact; the brief asked for 1e-5
  EXPECT_LT(h.back(), h.front() / 2);
  const FeatureMatrix S_test = features(*front, test.X);
  EXPECT_EQ(hybrid.predict(test.X), head.predict(S_test));
  EXPECT_TRUE(hybrid.penultimate(test.X) == head.penultimate(S_test));
  EXPECT_EQ(hybrid.first_layer_filters().weights, head.first_layer_filters().weights);
  EXPECT_EQ(hybrid.loss(test.X, test.y), head.loss(S_test, test.y));
  std::cout << "[ hybrid  ] test error "
            << wst::learn::error_percent(hybrid.predict(test.X), test.y) << " %; "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()
            << " s\n";
}

// The hybrid's ∂ℓ/∂x is the scattering's reverse pass of the head's ∂ℓ/∂S (same weights): the
// chain rule, to the bit.
TEST(CnnHybrid, InputGradientIsTheReversePassOfTheHeads) {
  REQUIRE_TORCH();
  const auto front = scattering_2d_transform(2, 16, 16);
  const Data train = brighter(bars(24, 16, 4)), probe = brighter(bars(6, 16, 5));
  auto hybrid = CnnClassifier::scattering_hybrid(front, quick(5));
  auto head = CnnClassifier::scattering_head(81, 4, 4, quick(5));
  hybrid.fit(train.X, train.y);
  head.fit(features(*front, train.X), train.y);
  const FeatureMatrix grad_S = head.input_gradient(features(*front, probe.X), probe.y);
  FeatureMatrix expected(probe.X.rows(), probe.X.cols());
  front->backward(probe.X.data(), grad_S.data(), static_cast<std::size_t>(probe.X.rows()),
                  expected.data());
  const FeatureMatrix grad_x = hybrid.input_gradient(probe.X, probe.y);
  EXPECT_GT(grad_x.norm(), 0.0f);
  EXPECT_TRUE(grad_x == expected);
  // Taking gradients changes nothing in the model.
  EXPECT_EQ(hybrid.predict(probe.X), head.predict(features(*front, probe.X)));
  EXPECT_TRUE(hybrid.input_gradient(probe.X, probe.y) == grad_x);
}

// Central differences of ℓ = loss(X, y) along unit directions d (the gradient's own direction,
// then three halfway between it and a random one) against ⟨∂ℓ/∂X, d⟩; the largest error over
// the directions, relative to ‖∂ℓ/∂X‖.
double finite_difference_error(const CnnClassifier& net, const FeatureMatrix& X, const Labels& y,
                               double h) {
  const FeatureMatrix G = net.input_gradient(X, y);
  const Eigen::MatrixXd g = G.cast<double>();
  const double norm = g.norm();
  std::mt19937 gen(11);
  std::normal_distribution<double> normal(0.0, 1.0);
  double worst = 0;
  for (int k = 0; k < 4; ++k) {
    Eigen::MatrixXd d = g / norm;
    if (k > 0) {
      Eigen::MatrixXd r(d.rows(), d.cols());
      for (Eigen::Index i = 0; i < r.size(); ++i) r(i) = normal(gen);
      d += r / r.norm();
      d /= d.norm();
    }
    const FeatureMatrix step = (h * d).cast<float>();
    const FeatureMatrix plus = X + step, minus = X - step;
    const double fd = (net.loss(plus, y) - net.loss(minus, y)) / (2 * h);
    const double exact = (g.array() * d.array()).sum();
    worst = std::max(worst, std::abs(fd - exact) / norm);
  }
  return worst;
}

// LeNet-5 and the hybrid: ∂ℓ/∂X against central differences of loss(), at the labels and at the
// other class (a large loss). The networks compute in float32: ℓ (≈ 0.1–20 here) carries
// rounding of ~1e-7 relative, which the difference divides by 2h, and within ±h the softmax
// curves and ReLU / max-pool kinks may be crossed. h = 0.01 (in ‖·‖ over all pixels) balances
// the two: observed errors ~2e-3 (LeNet-5) and ~6e-4 (hybrid) of ‖∂ℓ/∂X‖, tolerance 1e-2. A
// wrong gradient (a missing 1/0.3081, another row's, the adjoint of another transform) is off by
// tens of percent.
TEST(CnnHybrid, InputGradientAgreesWithFiniteDifferences) {
  REQUIRE_TORCH();
  auto other_class = [](const Labels& y) {
    Labels z(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) z[i] = 1 - y[i];
    return z;
  };
  constexpr double h = 1e-2;
  const Data train28 = bars(40, 28, 6), probe28 = bars(4, 28, 7);
  auto lenet = CnnClassifier::lenet5(quick(8));
  lenet.fit(train28.X, train28.y);
  const double lenet_true = finite_difference_error(lenet, probe28.X, probe28.y, h);
  const double lenet_other = finite_difference_error(lenet, probe28.X, other_class(probe28.y), h);

  const auto front = scattering_2d_transform(2, 16, 16);
  const Data train16 = brighter(bars(40, 16, 9)), probe16 = brighter(bars(4, 16, 10));
  auto hybrid = CnnClassifier::scattering_hybrid(front, quick(9));
  hybrid.fit(train16.X, train16.y);
  const double hybrid_true = finite_difference_error(hybrid, probe16.X, probe16.y, h);
  const double hybrid_other =
      finite_difference_error(hybrid, probe16.X, other_class(probe16.y), h);
  std::cout << "[ fd      ] h " << h << ", error / |grad|: lenet5 " << lenet_true << " (labels), "
            << lenet_other << " (other class); hybrid " << hybrid_true << ", " << hybrid_other
            << "\n";
  EXPECT_LE(lenet_true, 1e-2);
  EXPECT_LE(lenet_other, 1e-2);
  EXPECT_LE(hybrid_true, 1e-2);
  EXPECT_LE(hybrid_other, 1e-2);
}

// The gradient-sign step of docs/LEARNING.md raises the loss it is the gradient of.
TEST(CnnHybrid, GradientSignStepRaisesTheLoss) {
  REQUIRE_TORCH();
  const auto front = scattering_2d_transform(2, 16, 16);
  const Data train = brighter(bars(40, 16, 13));
  const FeatureMatrix& X = train.X;
  const Labels& y = train.y;
  auto net = CnnClassifier::scattering_hybrid(front, quick(13));
  net.fit(X, y);
  const FeatureMatrix G = net.input_gradient(X, y);
  const FeatureMatrix X_adv = X + 0.05f * G.array().sign().matrix();
  const double before = net.loss(X, y), after = net.loss(X_adv, y);
  std::cout << "[ fgsm    ] loss " << before << " -> " << after << " after a step of 0.05\n";
  EXPECT_GT(after, before);
}

TEST(CnnHybrid, BadArguments) {
  REQUIRE_TORCH();
  std::string m = message_of<UsageError>([] { CnnClassifier::scattering_hybrid(nullptr); });
  EXPECT_NE(m.find("front"), std::string::npos) << m;
  m = message_of<UsageError>(
      [] { CnnClassifier::scattering_hybrid(scattering_1d_transform(3, 64)); });
  EXPECT_NE(m.find("channels x rows x cols"), std::string::npos) << m;
  // J = 3 on 8 × 8: 1 × 1 maps, too small for the head's pooling.
  m = message_of<UsageError>(
      [] { CnnClassifier::scattering_hybrid(scattering_2d_transform(3, 8, 8)); });
  EXPECT_NE(m.find("rows and cols"), std::string::npos) << m;
  CnnOptions o = quick(1);
  o.epochs = 0;
  m = message_of<UsageError>(
      [&] { CnnClassifier::scattering_hybrid(scattering_2d_transform(2, 16, 16), o); });
  EXPECT_NE(m.find("epochs"), std::string::npos) << m;

  const Data d = brighter(bars(8, 16, 12));
  auto net = CnnClassifier::scattering_hybrid(scattering_2d_transform(2, 16, 16), quick(1));
  EXPECT_THROW(net.input_gradient(d.X, d.y), UsageError);  // before fit
  EXPECT_THROW(net.loss(d.X, d.y), UsageError);
  net.fit(d.X, d.y);
  m = message_of<UsageError>([&] { net.predict(FeatureMatrix::Zero(2, 255)); });
  EXPECT_NE(m.find("256"), std::string::npos) << m;
  EXPECT_NE(m.find("got 255"), std::string::npos) << m;
  EXPECT_THROW(net.input_gradient(d.X, Labels(d.y.begin(), d.y.end() - 1)), InputError);
  Labels y = d.y;
  y[2] = 10;
  EXPECT_THROW(net.input_gradient(d.X, y), InputError);
  EXPECT_THROW(net.loss(d.X, y), InputError);
  FeatureMatrix bad = d.X;
  bad(3, 7) = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(net.input_gradient(bad, d.y), InputError);
  EXPECT_EQ(net.input_gradient(FeatureMatrix(0, 256), Labels{}).rows(), 0);
}

}  // namespace
