// CNNs (libtorch): LeNet-5 and the scattering head on tiny synthetic problems, determinism,
// parameter counts, the first layer's filters, input validation, and per-epoch timings (printed,
// for budgeting).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <limits>
#include <random>
#include <string>
#include <type_traits>

#include "test_support.hpp"
#include "wst/support/error.hpp"
#include "wst/learn/cnn.hpp"

namespace {

using wst::InputError;
using wst::UsageError;
using wst::learn::Activation;
using wst::learn::cnn_available;
using wst::learn::CnnClassifier;
using wst::learn::CnnOptions;
using wst::learn::ConvFilters;
using wst::learn::FeatureMatrix;
using wst::learn::Labels;
using wst::test::message_of;

#define REQUIRE_TORCH() \
  if (!cnn_available()) GTEST_SKIP() << "built without libtorch"

struct Data {
  FeatureMatrix X;
  Labels y;
};

// 10 classes of 28 × 28 images in [0, 1]: classes 0–4 a horizontal bar (2 px thick) at rows
// 4, 9, 14, 19, 24; classes 5–9 a vertical bar at the same columns; each jittered by ±1 px, of
// random length and brightness, over uniform background noise.
Data bars(int per_class, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> noise(0.0f, 0.2f), bright(0.7f, 1.0f);
  std::uniform_int_distribution<int> jitter(-1, 1), start(1, 6), length(16, 21);
  Data d;
  d.X.resize(10 * per_class, 28 * 28);
  for (int i = 0; i < 10 * per_class; ++i) {
    const int c = i % 10;
    d.y.push_back(c);
    for (int p = 0; p < 28 * 28; ++p) d.X(i, p) = noise(gen);
    const int pos = 4 + 5 * (c % 5) + jitter(gen), s = start(gen), len = length(gen);
    const float v = bright(gen);
    for (int t = 0; t < 2; ++t)
      for (int k = s; k < std::min(28, s + len); ++k) {
        const int r = c < 5 ? pos + t : k, col = c < 5 ? k : pos + t;
        if (r >= 0 && r < 28) d.X(i, r * 28 + col) = v;
      }
  }
  return d;
}

// 10 classes of C × 7 × 7 standard-normal maps; class c adds +3 on a 2 × 2 patch of channel
// c mod 5, at the top-left (c < 5) or bottom-right (c ≥ 5) of the map.
Data blobs(int channels, int per_class, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  Data d;
  d.X.resize(10 * per_class, channels * 49);
  for (int i = 0; i < 10 * per_class; ++i) {
    const int c = i % 10;
    d.y.push_back(c);
    for (int p = 0; p < channels * 49; ++p) d.X(i, p) = noise(gen);
    const int ch = c % 5, r0 = c < 5 ? 1 : 4;
    for (int r = r0; r < r0 + 2; ++r)
      for (int k = r0; k < r0 + 2; ++k) d.X(i, ch * 49 + r * 7 + k) += 3.0f;
  }
  return d;
}

double accuracy(const Labels& p, const Labels& t) {
  int ok = 0;
  for (std::size_t i = 0; i < t.size(); ++i) ok += p[i] == t[i];
  return 100.0 * ok / double(t.size());
}

CnnOptions quick(std::uint64_t seed = 1) {
  CnnOptions o;
  o.epochs = 12;
  o.min_steps = 0;
  o.batch_size = 16;
  o.learning_rate = 0.02;
  o.seed = seed;
  return o;
}

TEST(Cnn, FactoriesThrowWithoutTorch) {
  if (cnn_available()) GTEST_SKIP() << "built with libtorch";
  const std::string m = message_of<UsageError>([] { CnnClassifier::lenet5(); });
  EXPECT_NE(m.find("libtorch"), std::string::npos) << m;
  EXPECT_NE(message_of<UsageError>([] { CnnClassifier::scattering_head(81, 7, 7); })
                .find("libtorch"),
            std::string::npos);
}

TEST(Cnn, ParameterCounts) {
  REQUIRE_TORCH();
  // 6·25+6 + 16·6·25+16 + 400·120+120 + 120·84+84 + 84·10+10
  EXPECT_EQ(CnnClassifier::lenet5().parameters(), 61706u);
  // 81·64·9+64 + 64·3·3·128+128 + 128·10+10
  EXPECT_EQ(CnnClassifier::scattering_head(81, 7, 7).parameters(), 121866u);
  // odd sizes: ⌊9/2⌋ · ⌊5/2⌋ = 8 pooled positions
  EXPECT_EQ(CnnClassifier::scattering_head(3, 9, 5).parameters(),
            std::size_t(3 * 64 * 9 + 64 + 64 * 8 * 128 + 128 + 128 * 10 + 10));
}

TEST(Cnn, LeNet5LearnsBars) {
  REQUIRE_TORCH();
  const Data train = bars(30, 1), test = bars(10, 2);
  CnnOptions o = quick();
  int calls = 0;
  o.progress = [&](int epoch, int epochs, double loss) {
    ++calls;
    EXPECT_EQ(epoch, calls);
    EXPECT_EQ(epochs, 12);
    EXPECT_TRUE(std::isfinite(loss));
  };
  auto net = CnnClassifier::lenet5(o);
  net.fit(train.X, train.y);
  EXPECT_EQ(calls, 12);
  const auto& h = net.loss_history();
  ASSERT_EQ(h.size(), 12u);
  EXPECT_LT(h.back(), h.front() / 3) << "first " << h.front() << " last " << h.back();
  const double tr = accuracy(net.predict(train.X), train.y);
  const double te = accuracy(net.predict(test.X), test.y);
  std::cout << "[ lenet5  ] loss " << h.front() << " -> " << h.back() << ", train acc " << tr
            << " %, test acc " << te << " %\n";
  EXPECT_GE(tr, 95.0);
  EXPECT_GE(te, 90.0);

  const FeatureMatrix p = net.penultimate(test.X);
  EXPECT_EQ(p.rows(), test.X.rows());
  EXPECT_EQ(p.cols(), 84);
  EXPECT_GE(p.minCoeff(), 0.0f);  // ReLU
  EXPECT_TRUE(p.allFinite());
  EXPECT_TRUE(net.predict(FeatureMatrix(0, 784)).empty());
}

TEST(Cnn, SameSeedIsBitIdenticalOtherSeedDiffers) {
  REQUIRE_TORCH();
  const Data train = bars(12, 3), test = bars(5, 4);
  auto a = CnnClassifier::lenet5(quick(7)), b = CnnClassifier::lenet5(quick(7)),
       c = CnnClassifier::lenet5(quick(8));
  a.fit(train.X, train.y);
  b.fit(train.X, train.y);
  c.fit(train.X, train.y);
  EXPECT_EQ(a.loss_history(), b.loss_history());  // exact double equality
  EXPECT_EQ(a.predict(test.X), b.predict(test.X));
  EXPECT_TRUE(a.penultimate(test.X) == b.penultimate(test.X));
  EXPECT_NE(a.loss_history(), c.loss_history());
  // fit() re-initialises from the seed: a second fit of the same object repeats the first.
  const auto first = a.loss_history();
  a.fit(train.X, train.y);
  EXPECT_EQ(a.loss_history(), first);
}

TEST(Cnn, MinStepsRaisesEpochs) {
  REQUIRE_TORCH();
  const Data train = bars(5, 5);  // n = 50
  CnnOptions o = quick();
  o.epochs = 1;
  o.batch_size = 16;
  o.min_steps = 20;  // ⌈20 · 16 / 50⌉ = 7 epochs of 4 steps
  auto net = CnnClassifier::lenet5(o);
  net.fit(train.X, train.y);
  EXPECT_EQ(net.loss_history().size(), 7u);
  o.batch_size = 500;  // effective batch = n = 50: ⌈20 · 50 / 50⌉ = 20 epochs of 1 step
  auto big = CnnClassifier::lenet5(o);
  big.fit(train.X, train.y);
  EXPECT_EQ(big.loss_history().size(), 20u);
}

TEST(Cnn, ScatteringHeadLearns) {
  REQUIRE_TORCH();
  const Data train = blobs(8, 30, 6), test = blobs(8, 10, 7);
  auto net = CnnClassifier::scattering_head(8, 7, 7, quick(3));
  EXPECT_EQ(net.parameters(), std::size_t(8 * 64 * 9 + 64 + 576 * 128 + 128 + 1290));
  net.fit(train.X, train.y);
  const auto& h = net.loss_history();
  EXPECT_LT(h.back(), h.front() / 3) << "first " << h.front() << " last " << h.back();
  const double tr = accuracy(net.predict(train.X), train.y);
  const double te = accuracy(net.predict(test.X), test.y);
  std::cout << "[ head    ] loss " << h.front() << " -> " << h.back() << ", train acc " << tr
            << " %, test acc " << te << " %\n";
  EXPECT_GE(tr, 95.0);
  EXPECT_GE(te, 90.0);
  const FeatureMatrix p = net.penultimate(test.X);
  EXPECT_EQ(p.rows(), test.X.rows());
  EXPECT_EQ(p.cols(), 128);
  // The logits: one row of 10 per input, whose argmax is the prediction.
  const FeatureMatrix f = net.logits(test.X);
  ASSERT_EQ(f.rows(), test.X.rows());
  ASSERT_EQ(f.cols(), 10);
  const auto labels = net.predict(test.X);
  for (Eigen::Index i = 0; i < f.rows(); ++i) {
    Eigen::Index best = 0;
    f.row(i).maxCoeff(&best);
    EXPECT_EQ(int(best), labels[std::size_t(i)]) << i;
  }
  EXPECT_GT(f.cwiseAbs().maxCoeff(), 0.0f);
}

// Label smoothing trains on a softer target: a higher training loss, the same data learned; the
// head's width sets its parameter count.
TEST(Cnn, LabelSmoothingAndHeadWidth) {
  REQUIRE_TORCH();
  const Data train = blobs(8, 30, 6), test = blobs(8, 10, 7);
  CnnOptions o = quick(3);
  o.head_width = 16;
  auto plain = CnnClassifier::scattering_head(8, 7, 7, o);
  EXPECT_EQ(plain.parameters(), std::size_t(8 * 16 * 9 + 16 + 16 * 9 * 32 + 32 + 330));
  plain.fit(train.X, train.y);
  o.label_smoothing = 0.2;
  auto smooth = CnnClassifier::scattering_head(8, 7, 7, o);
  smooth.fit(train.X, train.y);
  // The smoothed target's entropy bounds its loss from below: −0.82 log 0.82 − 9 · 0.02 log 0.02.
  EXPECT_GT(smooth.loss_history().back(), 0.86);
  EXPECT_LT(plain.loss_history().back(), smooth.loss_history().back());
  EXPECT_GE(accuracy(smooth.predict(test.X), test.y), 90.0);
  EXPECT_EQ(smooth.penultimate(test.X).cols(), 32);
}

TEST(Cnn, SigmoidRuns) {
  REQUIRE_TORCH();
  const Data train = bars(5, 8);
  CnnOptions o = quick();
  o.activation = Activation::sigmoid;
  o.epochs = 2;
  auto net = CnnClassifier::lenet5(o);
  net.fit(train.X, train.y);
  const FeatureMatrix p = net.penultimate(train.X);
  EXPECT_GE(p.minCoeff(), 0.0f);  // sigmoid
  EXPECT_LE(p.maxCoeff(), 1.0f);
  for (int c : net.predict(train.X)) EXPECT_TRUE(c >= 0 && c < 10);
}

TEST(Cnn, BadInputsThrow) {
  REQUIRE_TORCH();
  const Data d = bars(2, 9);
  auto net = CnnClassifier::lenet5(quick());

  std::string m = message_of<UsageError>([&] { net.predict(d.X); });
  EXPECT_NE(m.find("fit"), std::string::npos) << m;
  EXPECT_THROW(net.penultimate(d.X), UsageError);
  EXPECT_THROW(net.logits(d.X), UsageError);

  m = message_of<UsageError>([&] { net.fit(FeatureMatrix::Zero(20, 100), d.y); });
  EXPECT_NE(m.find("784"), std::string::npos) << m;
  EXPECT_NE(m.find("got 100"), std::string::npos) << m;

  Labels y = d.y;
  y[3] = 10;
  m = message_of<InputError>([&] { net.fit(d.X, y); });
  EXPECT_NE(m.find("0 ... 9"), std::string::npos) << m;
  y[3] = -1;
  EXPECT_THROW(net.fit(d.X, y), InputError);
  EXPECT_THROW(net.fit(d.X, Labels(d.y.begin(), d.y.end() - 1)), InputError);
  EXPECT_THROW(net.fit(FeatureMatrix(0, 784), Labels{}), InputError);

  FeatureMatrix bad = d.X;
  bad(1, 5) = std::numeric_limits<float>::quiet_NaN();
  m = message_of<InputError>([&] { net.fit(bad, d.y); });
  EXPECT_NE(m.find("NaN"), std::string::npos) << m;

  auto with = [](auto set) {
    CnnOptions o;
    set(o);
    return [o] { CnnClassifier::lenet5(o); };
  };
  m = message_of<UsageError>(with([](CnnOptions& o) { o.learning_rate = 0; }));
  EXPECT_NE(m.find("learning_rate"), std::string::npos) << m;
  EXPECT_NE(message_of<UsageError>(with([](CnnOptions& o) { o.epochs = 0; })).find("epochs"),
            std::string::npos);
  EXPECT_NE(
      message_of<UsageError>(with([](CnnOptions& o) { o.batch_size = 0; })).find("batch_size"),
      std::string::npos);
  EXPECT_NE(message_of<UsageError>(with([](CnnOptions& o) { o.momentum = 1; })).find("momentum"),
            std::string::npos);
  EXPECT_NE(message_of<UsageError>(with([](CnnOptions& o) { o.weight_decay = -1; }))
                .find("weight_decay"),
            std::string::npos);
  EXPECT_NE(
      message_of<UsageError>(with([](CnnOptions& o) { o.min_steps = -1; })).find("min_steps"),
      std::string::npos);
  for (double eps : {-0.1, 1.0})
    EXPECT_NE(message_of<UsageError>(with([eps](CnnOptions& o) { o.label_smoothing = eps; }))
                  .find("label_smoothing must be in [0, 1)"),
              std::string::npos);
  for (int w : {0, 5000})
    EXPECT_NE(message_of<UsageError>([w] {
                CnnOptions o = quick();
                o.head_width = w;
                CnnClassifier::scattering_head(8, 7, 7, o);
              }).find("head_width must be in [1, 4096]"),
              std::string::npos);
  EXPECT_THROW(CnnClassifier::scattering_head(0, 7, 7), UsageError);
  EXPECT_THROW(CnnClassifier::scattering_head(81, 1, 7), UsageError);

  // Still usable after the failures; the fitted model checks predict's columns too.
  net.fit(d.X, d.y);
  m = message_of<UsageError>([&] { net.predict(FeatureMatrix::Zero(2, 783)); });
  EXPECT_NE(m.find("got 783"), std::string::npos) << m;
  bad = d.X.topRows(2);
  bad(0, 0) = std::numeric_limits<float>::infinity();
  EXPECT_THROW(net.predict(bad), InputError);

  CnnClassifier moved = std::move(net);
  EXPECT_EQ(moved.predict(d.X).size(), d.y.size());
}

TEST(Cnn, DivergenceIsReported) {
  REQUIRE_TORCH();
  const Data d = bars(3, 10);
  CnnOptions o = quick();
  o.learning_rate = 1e6;
  o.momentum = 0.99;
  o.epochs = 3;
  auto net = CnnClassifier::lenet5(o);
  const std::string m = message_of<UsageError>([&] { net.fit(d.X, d.y); });
  EXPECT_NE(m.find("learning_rate"), std::string::npos) << m;
  EXPECT_THROW(net.predict(d.X), UsageError);  // not fitted after a failed fit
}

// ‖a − b‖ / ‖b‖ over the weights (same shape asserted by the caller).
double relative_change(const ConvFilters& a, const ConvFilters& b) {
  double d = 0, n = 0;
  for (std::size_t i = 0; i < b.weights.size(); ++i) {
    d += double(a.weights[i] - b.weights[i]) * double(a.weights[i] - b.weights[i]);
    n += double(b.weights[i]) * double(b.weights[i]);
  }
  return std::sqrt(d / n);
}

// Shape, finiteness, and libtorch's Kaiming-uniform (a = √5) initialisation: every weight in
// [−1/√fan_in, 1/√fan_in] with fan_in = in·rows·cols, and the draws fill most of that range.
void expect_initial_filters(const ConvFilters& f, std::size_t out, std::size_t in,
                            std::size_t rows, std::size_t cols) {
  EXPECT_EQ(f.out, out);
  EXPECT_EQ(f.in, in);
  EXPECT_EQ(f.rows, rows);
  EXPECT_EQ(f.cols, cols);
  ASSERT_EQ(f.weights.size(), out * in * rows * cols);
  const double bound = 1 / std::sqrt(double(in * rows * cols));
  double largest = 0;
  for (float w : f.weights) {
    ASSERT_TRUE(std::isfinite(w));
    largest = std::max(largest, double(std::abs(w)));
  }
  EXPECT_LE(largest, bound * (1 + 1e-6));
  EXPECT_GT(largest, 0.8 * bound) << "weights all zero or squeezed near zero";
}

static_assert(std::is_same_v<decltype(&CnnClassifier::first_layer_filters),
                             ConvFilters (CnnClassifier::*)() const>);

TEST(Cnn, FirstLayerFiltersShapesBeforeFit) {
  REQUIRE_TORCH();
  const CnnClassifier lenet = CnnClassifier::lenet5(quick(5));
  const ConvFilters f = lenet.first_layer_filters();
  expect_initial_filters(f, 6, 1, 5, 5);
  expect_initial_filters(CnnClassifier::scattering_head(8, 7, 7, quick(5)).first_layer_filters(),
                         64, 8, 3, 3);
  expect_initial_filters(CnnClassifier::scattering_head(81, 7, 7).first_layer_filters(), 64, 81,
                         3, 3);
  expect_initial_filters(CnnClassifier::scattering_head(3, 9, 5).first_layer_filters(), 64, 3, 3,
                         3);
  // The initial weights are a function of the seed alone.
  EXPECT_EQ(CnnClassifier::lenet5(quick(5)).first_layer_filters().weights, f.weights);
  EXPECT_NE(CnnClassifier::lenet5(quick(6)).first_layer_filters().weights, f.weights);
  EXPECT_EQ(lenet.first_layer_filters().weights, f.weights);  // reading twice changes nothing

  CnnClassifier moved = CnnClassifier::lenet5(quick(5));
  CnnClassifier to = std::move(moved);
  EXPECT_EQ(to.first_layer_filters().weights, f.weights);
  EXPECT_THROW(moved.first_layer_filters(), UsageError);  // NOLINT(bugprone-use-after-move)
}

TEST(Cnn, FirstLayerFiltersAfterFit) {
  REQUIRE_TORCH();
  const Data train = bars(12, 3), test = bars(5, 4);
  auto a = CnnClassifier::lenet5(quick(7)), b = CnnClassifier::lenet5(quick(7));
  const ConvFilters initial = a.first_layer_filters();
  a.fit(train.X, train.y);
  b.fit(train.X, train.y);

  const CnnClassifier& ca = a;
  const Labels predicted = ca.predict(test.X);
  const FeatureMatrix hidden = ca.penultimate(test.X);
  const ConvFilters trained = ca.first_layer_filters();
  EXPECT_EQ(trained.out, 6u);
  EXPECT_EQ(trained.in, 1u);
  EXPECT_EQ(trained.rows, 5u);
  EXPECT_EQ(trained.cols, 5u);
  ASSERT_EQ(trained.weights.size(), 150u);
  for (float w : trained.weights) ASSERT_TRUE(std::isfinite(w));
  const double change = relative_change(trained, initial);
  std::cout << "[ filters ] lenet5 conv1 relative change in training " << change << "\n";
  EXPECT_GT(change, 0.05);
  // Same seed, same data: bit-identical filters; reading them leaves the model as it was.
  EXPECT_EQ(b.first_layer_filters().weights, trained.weights);
  EXPECT_EQ(ca.first_layer_filters().weights, trained.weights);
  EXPECT_EQ(ca.predict(test.X), predicted);
  EXPECT_TRUE(ca.penultimate(test.X) == hidden);
  // A second fit re-initialises from the seed and lands on the same filters.
  a.fit(train.X, train.y);
  EXPECT_EQ(a.first_layer_filters().weights, trained.weights);

  // The scattering head's 64 × C × 3 × 3 layer, likewise.
  const Data maps = blobs(4, 10, 6);
  auto h = CnnClassifier::scattering_head(4, 7, 7, quick(3)),
       g = CnnClassifier::scattering_head(4, 7, 7, quick(3));
  const ConvFilters head_initial = h.first_layer_filters();
  h.fit(maps.X, maps.y);
  g.fit(maps.X, maps.y);
  const Labels head_predicted = h.predict(maps.X);
  const ConvFilters head_trained = h.first_layer_filters();
  EXPECT_EQ(head_trained.out, 64u);
  EXPECT_EQ(head_trained.in, 4u);
  EXPECT_EQ(head_trained.rows, 3u);
  EXPECT_EQ(head_trained.cols, 3u);
  ASSERT_EQ(head_trained.weights.size(), std::size_t(64 * 4 * 9));
  for (float w : head_trained.weights) ASSERT_TRUE(std::isfinite(w));
  const double head_change = relative_change(head_trained, head_initial);
  std::cout << "[ filters ] head conv relative change in training " << head_change << "\n";
  EXPECT_GT(head_change, 0.05);
  EXPECT_EQ(g.first_layer_filters().weights, head_trained.weights);
  EXPECT_EQ(h.predict(maps.X), head_predicted);
}

// One epoch on n inputs (n = $WST_CNN_TIMING_N, default 1000), printed per epoch of 8000.
TEST(Cnn, Timing) {
  REQUIRE_TORCH();
  int n = 1000;
  if (const char* e = std::getenv("WST_CNN_TIMING_N")) n = std::max(10, std::atoi(e));
  CnnOptions o;
  o.epochs = 1;
  o.min_steps = 0;
  auto time_epoch = [&](CnnClassifier net, const Data& d, const char* what) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    net.fit(d.X, d.y);
    const auto t1 = std::chrono::steady_clock::now();
    const std::clock_t c1 = std::clock();
    net.predict(d.X);
    const auto t2 = std::chrono::steady_clock::now();
    const std::clock_t c2 = std::clock();
    const double fit_s = std::chrono::duration<double>(t1 - t0).count();
    const double pred_s = std::chrono::duration<double>(t2 - t1).count();
    const double fit_cpu = double(c1 - c0) / CLOCKS_PER_SEC;
    const double pred_cpu = double(c2 - c1) / CLOCKS_PER_SEC;
    const double per = 8000.0 / n;
    std::cout << "[ timing  ] " << what << ", n = " << n << ", per 8000 inputs: one epoch (batch "
              << o.batch_size << ") " << fit_s * per << " s wall, " << fit_cpu * per
              << " s CPU; predict " << pred_s * per << " s wall, " << pred_cpu * per
              << " s CPU\n";
  };
  const int per_class = (n + 9) / 10;
  time_epoch(CnnClassifier::lenet5(o), bars(per_class, 11), "lenet5 1x28x28");
  time_epoch(CnnClassifier::scattering_head(81, 7, 7, o), blobs(81, per_class, 12),
             "head 81x7x7   ");
}

}  // namespace
