// The learning layer: splits, standardisation, distances, and every classifier / regressor on
// small synthetic problems with a known answer. The DISABLED_ timing tests (run them with
// --gtest_also_run_disabled_tests --gtest_filter='*Timing*') print the cost of the real job.
#include <libsvm/svm.h>
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <set>
#include <thread>

#include "test_support.hpp"
#include "wst/support/error.hpp"
#include "wst/learn/affine_pca.hpp"
#include "wst/learn/features.hpp"
#include "wst/learn/kernel_svm.hpp"
#include "wst/learn/linear_model.hpp"
#include "wst/learn/ridge.hpp"
#include "wst/learn/split.hpp"

namespace wl = wst::learn;
using wl::FeatureMatrix;
using wl::Labels;
using wst::test::message_of;

namespace {

struct Data {
  FeatureMatrix X;
  Labels y;
};

// k Gaussian blobs (σ = 1) in D dimensions, centres `sep` apart along distinct axes, interleaved
// 0, 1, …, k−1, 0, 1, … (any prefix is class-balanced).
Data blobs(int k, int per_class, int D, double sep, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> nd(0.0, 1.0);
  Data d;
  d.X.resize(k * per_class, D);
  for (int i = 0; i < k * per_class; ++i) {
    const int c = i % k;
    d.y.push_back(c);
    for (int j = 0; j < D; ++j) d.X(i, j) = float(nd(gen) + (j == c % D ? sep : 0.0));
  }
  return d;
}

// Two concentric circles in 2-D (radius 1 → class 0, radius 3 → class 1), interleaved.
Data circles(int n, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> angle(0.0, 2 * M_PI);
  std::normal_distribution<double> noise(0.0, 0.15);
  Data d;
  d.X.resize(n, 2);
  for (int i = 0; i < n; ++i) {
    const int c = i % 2;
    const double r = (c == 0 ? 1.0 : 3.0) + noise(gen), a = angle(gen);
    d.X(i, 0) = float(r * std::cos(a));
    d.X(i, 1) = float(r * std::sin(a));
    d.y.push_back(c);
  }
  return d;
}

FeatureMatrix rows_of(const Data& d, int begin, int end) {
  return d.X.middleRows(begin, end - begin);
}
Labels labels_of(const Data& d, int begin, int end) {
  return Labels(d.y.begin() + begin, d.y.begin() + end);
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

// ---- splits -----------------------------------------------------------------------------------

TEST(Split, SizesBalanceNestingDisjointness) {
  Labels labels;
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < 50 - 10 * c; ++i) labels.push_back(c);  // 50, 40, 30
  const wl::Split s = wl::balanced_split(labels, 30, 7);
  ASSERT_EQ(s.test.size(), 30u);
  ASSERT_EQ(s.train_order.size(), 90u);
  int per_class[3] = {0, 0, 0};
  for (std::size_t i : s.test) ++per_class[labels[i]];
  EXPECT_EQ(per_class[0], 10);
  EXPECT_EQ(per_class[1], 10);
  EXPECT_EQ(per_class[2], 10);
  std::set<std::size_t> all(s.test.begin(), s.test.end());
  all.insert(s.train_order.begin(), s.train_order.end());
  EXPECT_EQ(all.size(), labels.size());  // disjoint and covering
  // Round robin: a prefix of 3m is balanced while every class has m left (the smallest class
  // has 20 training samples), and train(n) is a prefix of train(n') for n < n'.
  for (std::size_t n : {3u, 30u, 60u}) {
    int count[3] = {0, 0, 0};
    for (std::size_t i : s.train(n)) ++count[labels[i]];
    EXPECT_EQ(count[0], int(n / 3));
    EXPECT_EQ(count[1], int(n / 3));
    EXPECT_EQ(count[2], int(n / 3));
  }
  const auto small = s.train(12), large = s.train(45);
  EXPECT_TRUE(std::equal(small.begin(), small.end(), large.begin()));
  EXPECT_EQ(s.train(90), s.train_order);
  EXPECT_TRUE(contains(message_of<wst::UsageError>([&] { s.train(91); }), "91"));
  // After class 2 is exhausted (20 training samples) the order continues with 0 and 1.
  for (std::size_t p = 60; p < 80; ++p) EXPECT_NE(labels[s.train_order[p]], 2);
}

TEST(Split, DeterministicForASeed) {
  Labels labels;
  for (int i = 0; i < 200; ++i) labels.push_back(i % 4);
  const wl::Split a = wl::balanced_split(labels, 40, 123), b = wl::balanced_split(labels, 40, 123);
  EXPECT_EQ(a.test, b.test);
  EXPECT_EQ(a.train_order, b.train_order);
  const wl::Split c = wl::balanced_split(labels, 40, 124);
  EXPECT_NE(a.test, c.test);
  EXPECT_NE(a.train_order, c.train_order);
  // balanced_order is the training order of a split without a test part.
  EXPECT_EQ(wl::balanced_order(labels, 5), wl::balanced_split(labels, 0, 5).train_order);
  const auto order = wl::balanced_order(labels, 5);
  ASSERT_EQ(order.size(), 200u);
  for (std::size_t p = 0; p < order.size(); ++p) EXPECT_EQ(labels[order[p]], int(p % 4));
}

TEST(Split, BadInputs) {
  const Labels labels = {0, 1, 2, 0, 1, 2, 0, 1, 2};
  EXPECT_TRUE(
      contains(message_of<wst::UsageError>([&] { wl::balanced_split(labels, 4, 0); }), "multiple"));
  EXPECT_TRUE(contains(message_of<wst::UsageError>([&] { wl::balanced_split(labels, 9, 0); }),
                       "at least one training sample"));
  EXPECT_TRUE(contains(message_of<wst::InputError>([&] {
                         wl::balanced_split({0, 2, 2, 0}, 0, 0);
                       }),
                       "class 1"));
  EXPECT_TRUE(contains(message_of<wst::InputError>([&] {
                         wl::balanced_order({0, -1, 1}, 0);
                       }),
                       "negative"));
  EXPECT_TRUE(
      contains(message_of<wst::InputError>([&] { wl::balanced_order({}, 0); }), "no labels"));
  EXPECT_TRUE(contains(message_of<wst::InputError>([&] {
                         wl::balanced_order({0, 1, 2000000000}, 0);
                       }),
                       "no sample"));
}

// ---- features ---------------------------------------------------------------------------------

TEST(Features, StandardizerSelectRowsErrorPercent) {
  FeatureMatrix X(4, 3);
  X << 1, 5, 10,  //
      2, 5, 20,   //
      3, 5, 30,   //
      4, 5, 40;
  const auto s = wl::Standardizer::fit(X);
  const FeatureMatrix Z = s.transform(X);
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(Z.col(j).mean(), 0.0, 1e-6);
    if (j != 1) EXPECT_NEAR(Z.col(j).squaredNorm() / 4, 1.0, 1e-5);
  }
  EXPECT_EQ(s.inv_std(1), 1.0);  // constant column: scale 1, stays finite (0)
  EXPECT_TRUE(Z.allFinite());
  EXPECT_TRUE(
      contains(message_of<wst::UsageError>([&] { s.transform(FeatureMatrix(2, 2)); }), "columns"));
  EXPECT_TRUE(contains(message_of<wst::UsageError>([&] { wl::Standardizer{}.transform(X); }),
                       "before fit"));

  const FeatureMatrix R = wl::select_rows(X, {3, 0});
  EXPECT_EQ(R(0, 0), 4);
  EXPECT_EQ(R(1, 2), 10);
  EXPECT_EQ(wl::select(Labels{7, 8, 9}, {2, 2, 0}), (Labels{9, 9, 7}));
  EXPECT_TRUE(
      contains(message_of<wst::UsageError>([&] { wl::select_rows(X, {4}); }), "out of range"));

  EXPECT_DOUBLE_EQ(wl::error_percent({0, 1, 2, 3}, {0, 1, 0, 3}), 25.0);
  EXPECT_TRUE(contains(message_of<wst::InputError>([&] {
                         wl::error_percent({0}, {0, 1});
                       }),
                       "1 predictions but 2"));
}

// ---- distances --------------------------------------------------------------------------------

// The Gram product of each instruction set this CPU runs (src/learn/gram.hpp) against double.
namespace wst::learn::detail {
void gram_sse2(const float*, std::ptrdiff_t, const float*, std::ptrdiff_t, std::ptrdiff_t, float*);
void gram_avx2(const float*, std::ptrdiff_t, const float*, std::ptrdiff_t, std::ptrdiff_t, float*);
void gram_avx512(const float*, std::ptrdiff_t, const float*, std::ptrdiff_t, std::ptrdiff_t,
                 float*);
}  // namespace wst::learn::detail

TEST(Distances, GramOfEveryInstructionSetMatchesDouble) {
  const std::ptrdiff_t ra = 37, rb = 300, d = 1001;  // not multiples of any SIMD width
  const auto a = wst::test::random_normal<float>(std::size_t(ra * d), 3);
  const auto b = wst::test::random_normal<float>(std::size_t(rb * d), 4);
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const bool avx512 = avx2 && __builtin_cpu_supports("avx512f") &&
                      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
                      __builtin_cpu_supports("avx512bw");
  using F = void (*)(const float*, std::ptrdiff_t, const float*, std::ptrdiff_t, std::ptrdiff_t,
                     float*);
  const std::vector<std::pair<F, bool>> variants = {{wl::detail::gram_sse2, true},
                                                    {wl::detail::gram_avx2, avx2},
                                                    {wl::detail::gram_avx512, avx512}};
  for (const auto& [f, runs] : variants) {
    if (!runs) continue;
    std::vector<float> G(std::size_t(ra * rb));
    f(a.data(), ra, b.data(), rb, d, G.data());
    double worst = 0;
    for (std::ptrdiff_t i = 0; i < ra; ++i)
      for (std::ptrdiff_t j = 0; j < rb; ++j) {
        double ref = 0;
        for (std::ptrdiff_t k = 0; k < d; ++k)
          ref += double(a[std::size_t(i * d + k)]) * double(b[std::size_t(j * d + k)]);
        worst = std::max(worst, std::abs(double(G[std::size_t(i * rb + j)]) - ref));
      }
    EXPECT_LT(worst / std::sqrt(double(d)), 1e-5) << worst;  // each |⟨a, b⟩| ~ √d
    EXPECT_GT(worst, 0.0);  // float sums: not the double reference by accident
  }
}

TEST(Distances, MatchNaiveDoubleAndThreadCount) {
  // Offset far from the origin: centring must keep float GEMM accurate.
  const int nA = 600, nB = 300, D = 700;
  const auto a = wst::test::random_normal<float>(std::size_t(nA) * D, 1);
  const auto b = wst::test::random_normal<float>(std::size_t(nB) * D, 2);
  FeatureMatrix A(nA, D), B(nB, D);
  for (int i = 0; i < nA; ++i)
    for (int j = 0; j < D; ++j) A(i, j) = a[std::size_t(i) * D + j] + 5.0f + 0.01f * float(j);
  for (int i = 0; i < nB; ++i)
    for (int j = 0; j < D; ++j) B(i, j) = b[std::size_t(i) * D + j] + 5.0f + 0.01f * float(j);
  const Eigen::MatrixXd AB = wl::squared_distances(A, B, 1);
  double worst = 0, typical = 0;
  for (int i = 0; i < nA; ++i)
    for (int j = 0; j < nB; ++j) {
      const double ref = (A.row(i).cast<double>() - B.row(j).cast<double>()).squaredNorm();
      worst = std::max(worst, std::abs(AB(i, j) - ref));
      typical += ref / (double(nA) * nB);
    }
  EXPECT_LT(worst / typical, 1e-5) << "worst " << worst << " typical " << typical;
  EXPECT_EQ(AB, wl::squared_distances(A, B, 3));  // bitwise, whatever the thread count

  const Eigen::MatrixXd AA = wl::squared_distances(A, A, 3);
  EXPECT_EQ(AA, wl::squared_distances(A, A, 1));
  EXPECT_EQ(AA, AA.transpose());  // exactly symmetric
  for (int i = 0; i < nA; ++i) EXPECT_EQ(AA(i, i), 0.0);
  EXPECT_GE(AA.minCoeff(), 0.0);
  const FeatureMatrix A2 = A;  // a different object with the same rows: the general path
  const Eigen::MatrixXd AA2 = wl::squared_distances(A, A2, 2);
  EXPECT_LT((AA2 - AA).cwiseAbs().maxCoeff() / typical, 1e-5);

  EXPECT_TRUE(
      contains(message_of<wst::UsageError>([&] { wl::squared_distances(A, FeatureMatrix(2, 3)); }),
               "columns"));
  EXPECT_TRUE(
      contains(message_of<wst::UsageError>([&] { wl::squared_distances(A, B, 0); }), "threads"));
}

TEST(Distances, MedianOffDiagonal) {
  Eigen::MatrixXd D2(3, 3);
  D2 << 0, 1, 4,  //
      1, 0, 9,    //
      4, 9, 0;
  EXPECT_EQ(wl::median_off_diagonal(D2), 4.0);
  EXPECT_EQ(wl::median_off_diagonal(Eigen::MatrixXd::Zero(4, 4)), 1.0);  // all rows equal
  EXPECT_EQ(wl::median_off_diagonal(Eigen::MatrixXd::Zero(1, 1)), 1.0);
  Eigen::MatrixXd E = Eigen::MatrixXd::Zero(4, 4);  // most pairs coincide: positive median
  E(0, 3) = E(3, 0) = 2;
  EXPECT_EQ(wl::median_off_diagonal(E), 2.0);
  EXPECT_TRUE(
      contains(message_of<wst::InputError>([&] { wl::median_off_diagonal(Eigen::MatrixXd(2, 3)); }),
               "square"));
}

// ---- classifiers ------------------------------------------------------------------------------

TEST(KernelSVC, SeparatesBlobsWithinTheGrid) {
  const Data d = blobs(3, 60, 8, 8.0, 11);
  wl::KernelSvmOptions o;
  o.C_grid = {0.5, 5.0};
  o.gamma_scales = {0.5, 1.0, 2.0};
  std::vector<std::pair<std::size_t, std::size_t>> steps;
  o.progress = [&](std::size_t done, std::size_t total) { steps.emplace_back(done, total); };
  wl::KernelSVC svc(o);
  svc.fit(rows_of(d, 0, 120), labels_of(d, 0, 120));
  EXPECT_EQ(wl::error_percent(svc.predict(rows_of(d, 120, 180)), labels_of(d, 120, 180)), 0.0);
  EXPECT_TRUE(svc.C() == 0.5 || svc.C() == 5.0);
  const FeatureMatrix Xtr = rows_of(d, 0, 120);
  const double median = wl::median_off_diagonal(wl::squared_distances(Xtr, Xtr));
  bool in_grid = false;
  for (double s : o.gamma_scales)
    in_grid |= std::abs(svc.gamma() - s / median) < 1e-12 * s / median;
  EXPECT_TRUE(in_grid) << svc.gamma();
  EXPECT_LE(svc.cv_error_percent(), 1.0);
  EXPECT_GT(svc.support_vectors(), 0u);
  EXPECT_LT(svc.support_vectors(), 120u);
  ASSERT_EQ(steps.size(), 2u * 3u * 3u + 3u);  // the grid × folds, then 3 pairs of classes
  for (std::size_t i = 0; i < steps.size(); ++i)
    EXPECT_EQ(steps[i], std::make_pair(i + 1, steps.size()));
}

// The pair-by-pair final fit is LIBSVM's one-versus-one: the same support vectors and the same
// predictions as LIBSVM's own multi-class training on the whole precomputed kernel.
TEST(KernelSVC, PairByPairFitIsLibsvmsOneVersusOne) {
  const Data d = blobs(4, 100, 20, 3.0, 5);  // overlapping: many support vectors
  // Labels in a scrambled order of first appearance (LIBSVM's class order).
  Labels y = d.y;
  for (int& v : y) v = (v * 3 + 2) % 4;
  const FeatureMatrix X = rows_of(d, 0, 300), T = rows_of(d, 300, 400);
  const Labels ytr(y.begin(), y.begin() + 300);
  wl::KernelSvmOptions o;
  o.C_grid = {10.0};
  o.gamma_scales = {1.0};
  wl::KernelSVC svc(o);
  svc.fit(X, ytr);
  const double gamma = svc.gamma();
  const Eigen::MatrixXd D2 = wl::squared_distances(X, X), E2 = wl::squared_distances(T, X);
  EXPECT_NEAR(gamma, 1.0 / wl::median_off_diagonal(D2), 1e-12 * gamma);
  auto kernel_rows = [&](const Eigen::MatrixXd& D, double serial0) {
    std::vector<std::vector<svm_node>> rows(std::size_t(D.rows()));
    for (Eigen::Index i = 0; i < D.rows(); ++i) {
      rows[std::size_t(i)].push_back({0, serial0 == 0 ? 0.0 : double(i + 1)});
      for (Eigen::Index j = 0; j < D.cols(); ++j)
        rows[std::size_t(i)].push_back({int(j + 1), std::exp(-gamma * D(i, j))});
      rows[std::size_t(i)].push_back({-1, 0.0});
    }
    return rows;
  };
  auto train = kernel_rows(D2, 1), test = kernel_rows(E2, 0);
  std::vector<svm_node*> xs;
  for (auto& r : train) xs.push_back(r.data());
  std::vector<double> ys(ytr.begin(), ytr.end());
  svm_problem prob{int(ys.size()), ys.data(), xs.data()};
  svm_parameter p{};
  p.svm_type = C_SVC;
  p.kernel_type = PRECOMPUTED;
  p.cache_size = 200;
  p.eps = o.tolerance;
  p.C = 10.0;
  p.shrinking = 1;
  svm_set_print_string_function([](const char*) {});
  svm_model* model = svm_train(&prob, &p);
  Labels expected;
  for (auto& r : test) expected.push_back(int(svm_predict(model, r.data())));
  EXPECT_EQ(std::size_t(model->l), svc.support_vectors());
  svm_free_and_destroy_model(&model);
  EXPECT_EQ(svc.predict(T), expected);
  EXPECT_LT(wl::error_percent(expected, Labels(y.begin() + 300, y.end())), 10.0);
}

TEST(KernelSVC, CirclesNeedTheKernel) {
  const Data d = circles(400, 3);
  wl::KernelSVC svc;
  svc.fit(rows_of(d, 0, 300), labels_of(d, 0, 300));
  const double rbf = wl::error_percent(svc.predict(rows_of(d, 300, 400)), labels_of(d, 300, 400));
  wl::LinearClassifier lin;
  lin.fit(rows_of(d, 0, 300), labels_of(d, 0, 300));
  const double linear =
      wl::error_percent(lin.predict(rows_of(d, 300, 400)), labels_of(d, 300, 400));
  EXPECT_LE(rbf, 1.0);
  EXPECT_GE(linear, 25.0);  // no line separates concentric circles
}

TEST(KernelSVC, SameResultForAnyThreadCountAndCvSubset) {
  const Data d = blobs(4, 100, 20, 3.0, 5);  // overlapping: a non-trivial CV
  wl::KernelSvmOptions o;
  o.cv_max_rows = 300;  // CV on the first 300 rows, the final fit on 400 (the streamed kernel)
  o.threads = 1;
  wl::KernelSVC one(o);
  one.fit(d.X, d.y);
  o.threads = 3;
  // Progress comes from the calling thread, in order, ending at the total.
  std::vector<std::size_t> done;
  bool same_thread = true;
  const auto caller = std::this_thread::get_id();
  o.progress = [&](std::size_t step, std::size_t total) {
    done.push_back(step);
    same_thread &= std::this_thread::get_id() == caller;
    EXPECT_EQ(total, 3u * 3u * 3u + 6u);  // 6 pairs of 4 classes
  };
  wl::KernelSVC three(o);
  three.fit(d.X, d.y);
  EXPECT_TRUE(same_thread);
  ASSERT_EQ(done.size(), 33u);
  for (std::size_t i = 0; i < done.size(); ++i) EXPECT_EQ(done[i], i + 1);
  EXPECT_EQ(one.C(), three.C());
  EXPECT_EQ(one.gamma(), three.gamma());
  EXPECT_EQ(one.cv_error_percent(), three.cv_error_percent());
  EXPECT_EQ(one.support_vectors(), three.support_vectors());
  EXPECT_EQ(one.predict(d.X), three.predict(d.X));
  EXPECT_LT(wl::error_percent(one.predict(d.X), d.y), 10.0);
  // Moved-from objects refuse politely; the moved-to one works.
  wl::KernelSVC moved = std::move(one);
  EXPECT_EQ(moved.predict(d.X), three.predict(d.X));
  EXPECT_TRUE(contains(message_of<wst::UsageError>([&] { (void)one.predict(d.X); }), "moved"));
}

// A grid runner gets the cross-validation rows and the options; scores from svm_grid_scores,
// one γ at a time (as a cluster computes them), give the local fit bit for bit, and the
// runner's table decides the chosen (C, γ).
TEST(KernelSVC, GridRunnerReceivesTheRequestAndDecides) {
  const Data d = blobs(4, 100, 20, 3.0, 5);
  wl::KernelSvmOptions o;
  o.cv_max_rows = 300;
  o.threads = 2;
  wl::KernelSVC local(o);
  local.fit(d.X, d.y);
  int calls = 0;
  o.grid_runner = [&](const FeatureMatrix& X, const std::vector<double>& y, bool classification,
                      const wl::KernelSvmOptions& r) {
    ++calls;
    EXPECT_TRUE(X == d.X.topRows(300));
    EXPECT_EQ(y, std::vector<double>(d.y.begin(), d.y.begin() + 300));
    EXPECT_TRUE(classification);
    EXPECT_FALSE(r.grid_runner);
    EXPECT_EQ(r.C_grid, o.C_grid);
    wl::KernelSvmOptions one = r;
    one.threads = 1;
    wl::SvmGridScores s;
    for (std::size_t g = 0; g < r.gamma_scales.size(); ++g)
      s.push_back(wl::svm_grid_scores(X, y, classification, one, {g}).front());
    const std::vector<double> all(d.y.begin(), d.y.end());  // the first 300 rows are used
    EXPECT_EQ(s, wl::svm_grid_scores(d.X, all, true, r));
    return s;
  };
  wl::KernelSVC remote(o);
  remote.fit(d.X, d.y);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(remote.C(), local.C());
  EXPECT_EQ(remote.gamma(), local.gamma());
  EXPECT_EQ(remote.cv_error_percent(), local.cv_error_percent());
  EXPECT_EQ(remote.predict(d.X), local.predict(d.X));
  // The runner's table decides: its only zero is at γ scale 2, C = 100.
  o.grid_runner = [](const FeatureMatrix&, const std::vector<double>&, bool,
                     const wl::KernelSvmOptions&) {
    return wl::SvmGridScores{{5, 5, 5}, {5, 5, 5}, {5, 5, 0}};
  };
  wl::KernelSVC chosen(o);
  chosen.fit(d.X, d.y);
  EXPECT_EQ(chosen.C(), 100.0);
  EXPECT_EQ(chosen.cv_error_percent(), 0.0);
  wl::KernelSvmOptions fixed = o;  // the same point without cross-validation
  fixed.grid_runner = nullptr;
  fixed.C_grid = {100.0};
  fixed.gamma_scales = {2.0};
  wl::KernelSVC f(fixed);
  f.fit(d.X, d.y);
  EXPECT_EQ(chosen.gamma(), f.gamma());
  EXPECT_EQ(chosen.predict(d.X), f.predict(d.X));
  o.grid_runner = [](const FeatureMatrix&, const std::vector<double>&, bool,
                     const wl::KernelSvmOptions&) { return wl::SvmGridScores{{1, 2}}; };
  wl::KernelSVC bad(o);
  EXPECT_TRUE(contains(message_of<wst::InputError>([&] { bad.fit(d.X, d.y); }), "grid runner"));
}

TEST(LinearClassifier, BothLossesSeparateBlobs) {
  const Data d = blobs(3, 80, 10, 8.0, 21);
  for (auto loss : {wl::LinearLoss::squared_hinge, wl::LinearLoss::logistic}) {
    wl::LinearOptions o;
    o.loss = loss;
    std::vector<std::pair<std::size_t, std::size_t>> steps;
    o.progress = [&](std::size_t done, std::size_t total) { steps.emplace_back(done, total); };
    wl::LinearClassifier lin(o);
    lin.fit(rows_of(d, 0, 180), labels_of(d, 0, 180));
    EXPECT_EQ(wl::error_percent(lin.predict(rows_of(d, 180, 240)), labels_of(d, 180, 240)), 0.0);
    EXPECT_NE(std::find(o.C_grid.begin(), o.C_grid.end(), lin.C()), o.C_grid.end());
    EXPECT_LE(lin.cv_error_percent(), 2.0);
    ASSERT_EQ(steps.size(), o.C_grid.size() * 3 + 1);
    EXPECT_EQ(steps.back(), std::make_pair(steps.size(), steps.size()));
  }
  // One C: no cross-validation.
  wl::LinearOptions o;
  o.C_grid = {1.0};
  wl::LinearClassifier lin(o);
  lin.fit(d.X, d.y);
  EXPECT_EQ(lin.C(), 1.0);
  EXPECT_TRUE(std::isnan(lin.cv_error_percent()));
}

TEST(LinearClassifier, DeterministicForASeed) {
  const Data d = blobs(3, 60, 6, 2.0, 8);  // overlapping: the SVM is not trivially exact
  wl::LinearOptions o;
  o.C_grid = {0.01, 1.0};
  wl::LinearClassifier a(o), b(o);
  a.fit(d.X, d.y);
  b.fit(d.X, d.y);
  EXPECT_EQ(a.C(), b.C());
  EXPECT_EQ(a.cv_error_percent(), b.cv_error_percent());
  EXPECT_EQ(a.predict(d.X), b.predict(d.X));
}

// Above 1500 × 1500 the leading eigenpairs come from Spectra's Lanczos: the same affine spaces
// as Eigen's dense solver (here against a dense solve of each class's covariance).
TEST(AffinePCA, LargeClassesUseTheLeadingEigenpairsOnly) {
  const int D = 1510, per_class = 1600, k = 2, d = 10;
  std::mt19937 gen(8);
  std::normal_distribution<double> nd(0.0, 1.0);
  Data data;
  data.X.resize(k * per_class + 20, D);
  for (int i = 0; i < data.X.rows(); ++i) {
    const int c = i % k;
    for (int j = 0; j < D; ++j)  // decaying variances: distinct leading eigenvalues
      data.X(i, j) = float((c == 0 ? 1.0 : -1.0) * 0.05 + std::exp(-double((j * (c + 1)) % D) / 40.0) * nd(gen));
    data.y.push_back(c);
  }
  const int n = k * per_class;
  wl::AffinePcaOptions o;
  o.d_grid = {d};
  wl::AffinePCA pca(o);
  pca.fit(rows_of(data, 0, n), labels_of(data, 0, n));
  const FeatureMatrix T = rows_of(data, n, n + 20);
  const Eigen::MatrixXd dist = pca.distances(T);
  for (int c = 0; c < k; ++c) {
    std::vector<int> rows;
    for (int i = 0; i < n; ++i)
      if (data.y[std::size_t(i)] == c) rows.push_back(i);
    Eigen::MatrixXd Xc(rows.size(), D);
    for (std::size_t r = 0; r < rows.size(); ++r) Xc.row(Eigen::Index(r)) = data.X.row(rows[r]).cast<double>();
    const Eigen::RowVectorXd mu = Xc.colwise().mean();
    Xc.rowwise() -= mu;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(Xc.transpose() * Xc);
    const Eigen::MatrixXd V = es.eigenvectors().rightCols(d);
    for (int t = 0; t < T.rows(); ++t) {
      const Eigen::RowVectorXd z = T.row(t).cast<double>() - mu;
      const double ref = z.squaredNorm() - (z * V).squaredNorm();
      EXPECT_NEAR(dist(t, c), ref, 1e-8 * ref) << "class " << c << ", row " << t;
    }
  }
}

TEST(AffinePCA, FindsTheAffinePlanes) {
  // Three classes on 2-D affine planes of R^20 through nearly the same point: the class means
  // coincide to ~0.3 while the planes spread over ±6, so nearest-mean (d = 0) fails; d = 2
  // separates them up to the 1e-2 noise.
  const int D = 20, per_class = 90, k = 3;
  std::mt19937 gen(4);
  std::normal_distribution<double> nd(0.0, 1.0);
  std::vector<Eigen::MatrixXd> U;
  std::vector<Eigen::VectorXd> mu;
  for (int c = 0; c < k; ++c) {
    Eigen::MatrixXd G(D, 2);
    for (int i = 0; i < D; ++i)
      for (int j = 0; j < 2; ++j) G(i, j) = nd(gen);
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(G);
    U.push_back(qr.householderQ() * Eigen::MatrixXd::Identity(D, 2));
    Eigen::VectorXd m(D);
    for (int i = 0; i < D; ++i) m(i) = 0.1 * nd(gen);
    mu.push_back(m);
  }
  Data d;
  d.X.resize(k * per_class, D);
  for (int i = 0; i < k * per_class; ++i) {
    const int c = i % k;
    Eigen::Vector2d a(3 * nd(gen), 3 * nd(gen));
    Eigen::VectorXd x = mu[std::size_t(c)] + U[std::size_t(c)] * a;
    for (int j = 0; j < D; ++j) d.X(i, j) = float(x(j) + 0.01 * nd(gen));
    d.y.push_back(c);
  }
  wl::AffinePcaOptions o;
  o.d_grid = {0, 1, 2, 3, 5};
  wl::AffinePCA pca(o);
  pca.fit(rows_of(d, 0, 210), labels_of(d, 0, 210));
  EXPECT_EQ(pca.d(), 2);
  EXPECT_EQ(pca.cv_error_percent(), 0.0);
  const FeatureMatrix Xt = rows_of(d, 210, 270);
  const Labels yt = labels_of(d, 210, 270);
  EXPECT_EQ(wl::error_percent(pca.predict(Xt), yt), 0.0);
  const Eigen::MatrixXd dist = pca.distances(Xt);
  ASSERT_EQ(dist.rows(), 60);
  ASSERT_EQ(dist.cols(), 3);
  for (int i = 0; i < 60; ++i) {
    // Own plane: the noise outside it, ≈ 18 · 1e-4; the others: far.
    EXPECT_LT(dist(i, yt[std::size_t(i)]), 0.01);
    for (int c = 0; c < k; ++c)
      if (c != yt[std::size_t(i)]) EXPECT_GT(dist(i, c), 0.1);
  }
  // Nearest mean fails here (the point of the test).
  wl::AffinePcaOptions o0;
  o0.d_grid = {0};
  wl::AffinePCA nm(o0);
  nm.fit(rows_of(d, 0, 210), labels_of(d, 0, 210));
  EXPECT_GT(wl::error_percent(nm.predict(Xt), yt), 20.0);
  EXPECT_TRUE(std::isnan(nm.cv_error_percent()));
  // d above n_c − 1 is capped per class.
  wl::AffinePcaOptions big;
  big.d_grid = {500};
  wl::AffinePCA capped(big);
  capped.fit(rows_of(d, 0, 9), labels_of(d, 0, 9));  // 3 per class: at most 2 directions
  EXPECT_EQ(capped.d(), 500);
  EXPECT_TRUE(capped.distances(Xt).allFinite());
}

// ---- regression -------------------------------------------------------------------------------

TEST(Ridge, RecoversALinearModel) {
  const int n = 300, D = 6;
  std::mt19937 gen(9);
  std::normal_distribution<double> nd(0.0, 1.0);
  Eigen::VectorXd w(D);
  w << 1.5, -2.0, 0.5, 0.0, 3.0, -1.0;
  const double b = 4.0;
  FeatureMatrix X(n, D);
  std::vector<double> y(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < D; ++j) X(i, j) = float(nd(gen));
    y[std::size_t(i)] = X.row(i).cast<double>().dot(w) + b + 0.01 * nd(gen);
  }
  wl::Ridge ridge;
  ridge.fit(X, y);
  EXPECT_LT((ridge.coef() - w).cwiseAbs().maxCoeff(), 0.01);
  EXPECT_NEAR(ridge.intercept(), b, 0.01);
  EXPECT_LT(ridge.alpha(), 1.0);  // little noise: little regularisation
  EXPECT_LT(ridge.cv_rmse(), 0.02);
  EXPECT_LT(wl::rmse(ridge.predict(X), y), 0.02);

  // α → 0: ordinary least squares with an intercept.
  wl::RidgeOptions o;
  o.alpha_grid = {1e-10};
  wl::Ridge ls(o);
  ls.fit(X, y);
  Eigen::MatrixXd A(n, D + 1);
  A.leftCols(D) = X.cast<double>();
  A.col(D).setOnes();
  const Eigen::VectorXd ref =
      A.colPivHouseholderQr().solve(Eigen::Map<const Eigen::VectorXd>(y.data(), n));
  EXPECT_LT((ls.coef() - ref.head(D)).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_NEAR(ls.intercept(), ref(D), 1e-9);
  EXPECT_TRUE(std::isnan(ls.cv_rmse()));

  // Translation invariance (the intercept is unpenalised), even far from the origin.
  FeatureMatrix shifted = X.array() + 1000.0f;
  wl::Ridge moved;
  moved.fit(shifted, y);
  EXPECT_EQ(moved.alpha(), ridge.alpha());
  EXPECT_LT((moved.coef() - ridge.coef()).cwiseAbs().maxCoeff(), 1e-4);
  EXPECT_NEAR(moved.intercept() + 1000.0 * moved.coef().sum(), ridge.intercept(), 1e-2);
  EXPECT_LT(wl::rmse(moved.predict(shifted), y), 0.02);
}

TEST(Ridge, DualSystemWhenWide) {
  const int n = 30, D = 80;
  const auto v = wst::test::random_normal<float>(std::size_t(n) * D, 3);
  FeatureMatrix X = Eigen::Map<const FeatureMatrix>(v.data(), n, D);
  std::vector<double> y = wst::test::random_normal<double>(n, 4);
  wl::RidgeOptions o;
  o.alpha_grid = {0.1, 1.0, 10.0};
  o.folds = 3;
  wl::Ridge ridge(o);
  ridge.fit(X, y);
  EXPECT_TRUE(ridge.alpha() == 0.1 || ridge.alpha() == 1.0 || ridge.alpha() == 10.0);
  // The primal normal equations with centred data give the same w.
  Eigen::MatrixXd Xd = X.cast<double>();
  const Eigen::RowVectorXd xm = Xd.colwise().mean();
  Eigen::VectorXd yd = Eigen::Map<const Eigen::VectorXd>(y.data(), n);
  const double ym = yd.mean();
  Xd.rowwise() -= xm;
  yd.array() -= ym;
  Eigen::MatrixXd M = Xd.transpose() * Xd;
  M.diagonal().array() += ridge.alpha();
  const Eigen::VectorXd w = M.ldlt().solve(Xd.transpose() * yd);
  EXPECT_LT((ridge.coef() - w).cwiseAbs().maxCoeff(),
            1e-9 * std::max(1.0, w.cwiseAbs().maxCoeff()));
  EXPECT_NEAR(ridge.intercept(), ym - xm.dot(w), 1e-9);
}

TEST(KernelSVR, FitsASine) {
  const int n = 200;
  FeatureMatrix X(n, 1), Xt(97, 1);
  std::vector<double> y(n), yt(97);
  for (int i = 0; i < n; ++i) {
    X(i, 0) = float(2 * M_PI * ((i * 37) % n) / n);  // a shuffled grid of [0, 2π)
    y[std::size_t(i)] = std::sin(double(X(i, 0)));
  }
  for (int i = 0; i < 97; ++i) {
    Xt(i, 0) = float(2 * M_PI * (i + 0.5) / 97);
    yt[std::size_t(i)] = std::sin(double(Xt(i, 0)));
  }
  wl::KernelSvmOptions o;
  o.epsilon = 0.05;
  o.gamma_scales = {1.0, 4.0, 16.0};
  wl::KernelSVR svr(o);
  svr.fit(X, y);
  EXPECT_LT(wl::rmse(svr.predict(Xt), yt), o.epsilon);
  EXPECT_LT(svr.cv_rmse(), o.epsilon);
  EXPECT_GT(svr.C(), 0.0);
  EXPECT_GT(svr.gamma(), 0.0);
}

// ε-SVR through a grid runner (svm_grid_scores, regression) is the local fit, bit for bit;
// svm_grid_scores rejects what it cannot score.
TEST(KernelSVR, GridRunnerGivesTheLocalFitAndBadRequestsFail) {
  const int n = 120;
  FeatureMatrix X(n, 1);
  std::vector<double> y(n);
  for (int i = 0; i < n; ++i) {
    X(i, 0) = float(2 * M_PI * ((i * 37) % n) / n);
    y[std::size_t(i)] = std::sin(double(X(i, 0)));
  }
  wl::KernelSvmOptions o;
  o.epsilon = 0.05;
  wl::KernelSVR local(o);
  local.fit(X, y);
  o.grid_runner = [](const FeatureMatrix& A, const std::vector<double>& b, bool classification,
                     const wl::KernelSvmOptions& r) {
    EXPECT_FALSE(classification);
    return wl::svm_grid_scores(A, b, classification, r);
  };
  wl::KernelSVR remote(o);
  remote.fit(X, y);
  EXPECT_EQ(remote.cv_rmse(), local.cv_rmse());
  EXPECT_EQ(remote.C(), local.C());
  EXPECT_EQ(remote.predict(X), local.predict(X));
  o.grid_runner = nullptr;
  EXPECT_TRUE(contains(message_of<wst::UsageError>([&] { wl::svm_grid_scores(X, y, false, o, {3}); }),
                       "γ index 3"));
  EXPECT_TRUE(contains(message_of<wst::InputError>([&] { wl::svm_grid_scores(X, y, true, o); }),
                       "not an integer"));
  o.folds = 1;
  EXPECT_TRUE(contains(message_of<wst::UsageError>([&] { wl::svm_grid_scores(X, y, false, o); }),
                       "folds"));
}

// ---- bad inputs -------------------------------------------------------------------------------

TEST(BadInputs, DataErrorsAreInputErrors) {
  const Data d = blobs(3, 10, 4, 5.0, 1);
  auto all_classifiers = [&](const FeatureMatrix& X, const Labels& y) {
    std::vector<std::string> out;
    out.push_back(message_of<wst::InputError>([&] { wl::KernelSVC().fit(X, y); }));
    out.push_back(message_of<wst::InputError>([&] { wl::LinearClassifier().fit(X, y); }));
    out.push_back(message_of<wst::InputError>([&] { wl::AffinePCA().fit(X, y); }));
    return out;
  };
  for (const auto& m : all_classifiers(FeatureMatrix(0, 4), {}))
    EXPECT_TRUE(contains(m, "empty")) << m;
  for (const auto& m : all_classifiers(d.X, labels_of(d, 0, 29)))
    EXPECT_TRUE(contains(m, "30 rows but there are 29 labels")) << m;
  Labels negative = d.y;
  negative[4] = -1;
  for (const auto& m : all_classifiers(d.X, negative)) EXPECT_TRUE(contains(m, "negative")) << m;
  Labels gap = d.y;
  for (int& c : gap)
    if (c == 1) c = 3;
  for (const auto& m : all_classifiers(d.X, gap))
    EXPECT_TRUE(contains(m, "class 1 has no sample")) << m;
  Labels huge = d.y;
  huge[2] = 2000000000;  // must not allocate 2e9 counters
  for (const auto& m : all_classifiers(d.X, huge)) EXPECT_TRUE(contains(m, "no sample")) << m;
  for (const auto& m : all_classifiers(d.X, Labels(30, 0)))
    EXPECT_TRUE(contains(m, "2 classes")) << m;
  FeatureMatrix nan = d.X;
  nan(7, 2) = std::numeric_limits<float>::quiet_NaN();
  for (const auto& m : all_classifiers(nan, d.y)) EXPECT_TRUE(contains(m, "non-finite")) << m;
  FeatureMatrix inf = d.X;
  inf(3, 1) = std::numeric_limits<float>::infinity();
  for (const auto& m : all_classifiers(inf, d.y)) EXPECT_TRUE(contains(m, "row 3, column 1")) << m;

  std::vector<double> t(30, 1.0);
  EXPECT_TRUE(contains(message_of<wst::InputError>([&] {
                         wl::Ridge().fit(d.X, {1.0, 2.0});
                       }),
                       "30 rows but there are 2 targets"));
  t[5] = std::nan("");
  EXPECT_TRUE(contains(message_of<wst::InputError>([&] { wl::Ridge().fit(d.X, t); }), "target 5"));
  EXPECT_TRUE(
      contains(message_of<wst::InputError>([&] { wl::KernelSVR().fit(nan, t); }), "non-finite"));
  EXPECT_TRUE(contains(message_of<wst::InputError>([&] { wl::rmse({1.0}, {}); }), "1 predictions"));
}

TEST(BadInputs, UsageErrors) {
  const Data d = blobs(3, 10, 4, 5.0, 1);
  const FeatureMatrix wrong(5, 3);
  // Before fit, and on a column mismatch after fit.
  EXPECT_TRUE(
      contains(message_of<wst::UsageError>([&] { wl::KernelSVC().predict(d.X); }), "before fit"));
  EXPECT_TRUE(
      contains(message_of<wst::UsageError>([&] { wl::KernelSVR().predict(d.X); }), "before fit"));
  EXPECT_TRUE(contains(message_of<wst::UsageError>([&] { wl::LinearClassifier().predict(d.X); }),
                       "before fit"));
  EXPECT_TRUE(
      contains(message_of<wst::UsageError>([&] { wl::AffinePCA().predict(d.X); }), "before fit"));
  EXPECT_TRUE(
      contains(message_of<wst::UsageError>([&] { wl::Ridge().predict(d.X); }), "before fit"));
  wl::KernelSVC svc;
  svc.fit(d.X, d.y);
  EXPECT_TRUE(contains(message_of<wst::UsageError>([&] { svc.predict(wrong); }),
                       "3 columns but the model was fitted on 4"));
  wl::LinearClassifier lin;
  lin.fit(d.X, d.y);
  EXPECT_TRUE(contains(message_of<wst::UsageError>([&] { lin.predict(wrong); }), "3 columns"));
  wl::AffinePCA pca;
  pca.fit(d.X, d.y);
  EXPECT_TRUE(contains(message_of<wst::UsageError>([&] { pca.distances(wrong); }), "3 columns"));
  wl::Ridge ridge;
  ridge.fit(d.X, std::vector<double>(30, 1.0));
  EXPECT_TRUE(contains(message_of<wst::UsageError>([&] { ridge.predict(wrong); }), "3 columns"));

  // Bad options name the argument and its range.
  auto svm_msg = [](auto edit) {
    wl::KernelSvmOptions o;
    edit(o);
    return message_of<wst::UsageError>([&] { wl::KernelSVC svc(o); });
  };
  EXPECT_TRUE(contains(svm_msg([](auto& o) { o.C_grid = {}; }), "C_grid"));
  EXPECT_TRUE(contains(svm_msg([](auto& o) { o.C_grid = {1, -2}; }), "> 0"));
  EXPECT_TRUE(contains(svm_msg([](auto& o) { o.gamma_scales = {0}; }), "gamma_scales"));
  EXPECT_TRUE(contains(svm_msg([](auto& o) { o.folds = 1; }), "folds = 1"));
  EXPECT_TRUE(contains(svm_msg([](auto& o) { o.threads = 0; }), "threads"));
  EXPECT_TRUE(contains(svm_msg([](auto& o) { o.epsilon = -1; }), "epsilon"));
  EXPECT_TRUE(contains(svm_msg([](auto& o) { o.cv_max_rows = 1; }), "cv_max_rows"));
  wl::LinearOptions lo;
  lo.C_grid = {0.0};
  EXPECT_TRUE(contains(message_of<wst::UsageError>([&] { wl::LinearClassifier l(lo); }), "C_grid"));
  lo.C_grid = {1, 2};
  lo.folds = 0;
  EXPECT_TRUE(contains(message_of<wst::UsageError>([&] { wl::LinearClassifier l(lo); }), "folds"));
  wl::AffinePcaOptions po;
  po.d_grid = {2, -1};
  EXPECT_TRUE(contains(message_of<wst::UsageError>([&] { wl::AffinePCA p(po); }), "d_grid"));
  wl::RidgeOptions ro;
  ro.alpha_grid = {0.0};
  EXPECT_TRUE(contains(message_of<wst::UsageError>([&] { wl::Ridge r(ro); }), "alpha_grid"));
  // Too few rows for the folds.
  wl::LinearOptions lo2;
  lo2.folds = 5;
  EXPECT_TRUE(contains(message_of<wst::InputError>([&] {
                         wl::LinearClassifier(lo2).fit(rows_of(d, 0, 4), labels_of(d, 0, 4));
                       }),
                       "too few"));
}

// ---- timings (print only) ---------------------------------------------------------------------

namespace {

// MNIST-like synthetic features: 10 classes, Gaussian clouds in a shared 20-dimensional latent
// space (centres 1.2σ apart per axis: the classes overlap a little) embedded in D dimensions,
// plus small isotropic noise; standardised.
Data mnist_like(int n, int D, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  const int k = 10, latent = 20;
  Eigen::MatrixXf B(latent, D);
  for (int i = 0; i < latent; ++i)
    for (int j = 0; j < D; ++j) B(i, j) = nd(gen);
  std::vector<Eigen::RowVectorXf> centre;
  for (int c = 0; c < k; ++c) {
    Eigen::RowVectorXf m(latent);
    for (int t = 0; t < latent; ++t) m(t) = 1.2f * nd(gen);
    centre.push_back(m);
  }
  Data d;
  d.X.resize(n, D);
  Eigen::RowVectorXf a(latent);
  for (int i = 0; i < n; ++i) {
    const int c = i % k;
    for (int t = 0; t < latent; ++t) a(t) = centre[std::size_t(c)](t) + nd(gen);
    d.X.row(i) = a * B;
    for (int j = 0; j < D; ++j) d.X(i, j) += 0.3f * nd(gen);
    d.y.push_back(c);
  }
  d.X = wl::Standardizer::fit(d.X).transform(d.X);  // as the real pipeline does
  return d;
}

void time_kernel_svc(int n, int D, int threads) {
  const Data d = mnist_like(n + 1000, D, 1);
  wl::KernelSvmOptions o;
  o.threads = threads;
  wl::KernelSVC svc(o);
  auto t0 = std::chrono::steady_clock::now();
  svc.fit(rows_of(d, 0, n), labels_of(d, 0, n));
  const double fit = seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  const double err =
      wl::error_percent(svc.predict(rows_of(d, n, n + 1000)), labels_of(d, n, n + 1000));
  const double pred = seconds_since(t0);
  std::printf(
      "[timing] KernelSVC n=%d D=%d threads=%d (3x3 grid, 3 folds, cv_max_rows=%zu): fit %.1f s, "
      "predict 1000 rows %.2f s; C=%g gamma·median=%g cv %.2f%% test %.2f%% SVs %zu\n",
      n, D, threads, o.cv_max_rows, fit, pred, svc.C(),
      svc.gamma() *
          wl::median_off_diagonal(wl::squared_distances(rows_of(d, 0, std::min<int>(n, 2000)),
                                                        rows_of(d, 0, std::min<int>(n, 2000)))),
      svc.cv_error_percent(), err, svc.support_vectors());
  std::fflush(stdout);
}

}  // namespace

TEST(Timing, SmallPrintOnly) {
  const Data d = mnist_like(1500, 300, 2);
  auto t0 = std::chrono::steady_clock::now();
  wl::KernelSvmOptions o;
  o.threads = 2;
  wl::KernelSVC svc(o);
  svc.fit(rows_of(d, 0, 1000), labels_of(d, 0, 1000));
  const double err =
      wl::error_percent(svc.predict(rows_of(d, 1000, 1500)), labels_of(d, 1000, 1500));
  std::printf("[timing] KernelSVC n=1000 D=300 threads=2: %.2f s (test error %.1f%%)\n",
              seconds_since(t0), err);
  EXPECT_LT(err, 50.0);
}

TEST(Timing, DISABLED_KernelSVC2000) { time_kernel_svc(2000, 2000, 2); }
TEST(Timing, DISABLED_KernelSVC5000) { time_kernel_svc(5000, 2000, 2); }
TEST(Timing, DISABLED_KernelSVC8000) { time_kernel_svc(8000, 2000, 2); }

// One fit (no cross-validation): the default grid (4 C, 3 folds) costs 12 fits on 2/3 of the
// rows + 1 final fit, and larger C cost more (≈ 10× this in all on MNIST scattering features).
TEST(Timing, DISABLED_LinearSVM8000x4000) {
  const Data d = mnist_like(9000, 4000, 3);
  for (auto loss : {wl::LinearLoss::squared_hinge, wl::LinearLoss::logistic})
    for (double C : {0.01}) {
      wl::LinearOptions o;
      o.loss = loss;
      o.C_grid = {C};
      wl::LinearClassifier lin(o);
      auto t0 = std::chrono::steady_clock::now();
      lin.fit(rows_of(d, 0, 8000), labels_of(d, 0, 8000));
      const double fit = seconds_since(t0);
      const double err =
          wl::error_percent(lin.predict(rows_of(d, 8000, 9000)), labels_of(d, 8000, 9000));
      std::printf(
          "[timing] LinearClassifier %s n=8000 D=4000 C=%g (one fit): %.1f s; test %.2f%%\n",
          loss == wl::LinearLoss::logistic ? "logistic" : "squared_hinge", C, fit, err);
      std::fflush(stdout);
    }
}

TEST(Timing, DISABLED_AffinePCA8000x4000) {
  const Data d = mnist_like(9000, 4000, 4);
  wl::AffinePCA pca;
  auto t0 = std::chrono::steady_clock::now();
  pca.fit(rows_of(d, 0, 8000), labels_of(d, 0, 8000));
  const double fit = seconds_since(t0);
  const double err =
      wl::error_percent(pca.predict(rows_of(d, 8000, 9000)), labels_of(d, 8000, 9000));
  std::printf(
      "[timing] AffinePCA n=8000 D=4000 (10 d, 3 folds): fit %.1f s; d=%d cv %.2f%% test %.2f%%\n",
      fit, pca.d(), pca.cv_error_percent(), err);
}
