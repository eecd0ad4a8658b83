// lab/reconstruction: gradient descent on ‖S x − S y‖² / ‖S y‖² (Bruna & Mallat 2013, §3.1).
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "test_support.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/lab/reconstruction.hpp"
#include "wst/support/error.hpp"

namespace {

using wst::Array;
using wst::lab::Optimizer;
using wst::lab::ReconstructionConfig;
using wst::lab::reconstruct;

// A 28 × 28 "0": a ring of strokes with soft edges, values in [0, 1] like an MNIST digit.
Array<double> ring_digit() {
  Array<double> y({28, 28});
  for (int r = 0; r < 28; ++r)
    for (int c = 0; c < 28; ++c) {
      const double d = std::hypot((r - 13.5) / 9.0, (c - 13.5) / 6.0);
      y.data[std::size_t(r * 28 + c)] = std::exp(-std::pow((d - 1.0) / 0.22, 2));
    }
  return y;
}

Array<double> chirp(std::size_t n) { return Array<double>({n}, wst::lab::windowed_chirp(n)); }

TEST(LabReconstruction, DigitReachesOneInAThousandWithLbfgs) {
  ReconstructionConfig c;  // J = 2, order 2, L-BFGS
  c.iterations = 500;
  c.tolerance = 1e-3;
  const auto r = reconstruct(ring_digit(), c);
  ASSERT_FALSE(r.history.empty());
  EXPECT_EQ(r.history.front().iteration, 0);
  EXPECT_GT(r.history.front().scattering_error, 0.3);  // noise is far from the digit
  EXPECT_LE(wst::lab::best_step(r).scattering_error, 1e-3);
  EXPECT_EQ(r.stopped, "tolerance");
  EXPECT_LT(r.history.back().iteration, 200);
  EXPECT_EQ(r.coefficients, 81u * 7 * 7);
  for (std::size_t k = 1; k < r.history.size(); ++k)  // L-BFGS' line search only accepts descent
    EXPECT_LE(r.history[k].scattering_error, r.history[k - 1].scattering_error) << k;
  std::printf("digit: %d iterations, %d evaluations, %.3g s, scattering %.3g, signal %.3g\n",
              r.history.back().iteration, r.history.back().evaluations, r.seconds,
              r.history.back().scattering_error, r.history.back().signal_error);
}

TEST(LabReconstruction, OrderTwoRecoversTheDigitBetterThanOrderOne) {
  ReconstructionConfig c;
  c.iterations = 300;
  double signal_error[2];
  for (int order : {1, 2}) {
    c.order = order;
    const auto r = reconstruct(ring_digit(), c);
    EXPECT_LT(wst::lab::best_step(r).scattering_error, 1e-3) << order;
    signal_error[order - 1] = wst::lab::best_step(r).signal_error;
    std::printf("digit order %d: scattering %.3g, signal %.3g, %.3g s\n", order,
                wst::lab::best_step(r).scattering_error, signal_error[order - 1], r.seconds);
  }
  EXPECT_LT(signal_error[1], 0.6 * signal_error[0]);  // about half
}

// At J = 4 (T = 16 samples) the chirp's scattering pins it down up to a global phase, which
// the signal error factors out: without it the error would stay near 1.
TEST(LabReconstruction, ChirpRecoveredUpToAGlobalPhase) {
  ReconstructionConfig c;
  c.J = 4;
  const auto r = reconstruct(chirp(1024), c);
  EXPECT_LT(wst::lab::best_step(r).scattering_error, 1e-3);
  EXPECT_LT(wst::lab::best_step(r).signal_error, 2e-2);
  // The aligned reconstruction is the target itself, to the same error.
  const Array<double> x = wst::lab::aligned_signal(r);
  EXPECT_LT(wst::test::rel_error(x.data, r.target.data), 2e-2);
  std::printf("chirp J=4: scattering %.3g, signal %.3g, %.3g s\n",
              wst::lab::best_step(r).scattering_error, wst::lab::best_step(r).signal_error, r.seconds);
}

TEST(LabReconstruction, AdamDescendsToo) {
  ReconstructionConfig c;
  c.optimizer = Optimizer::adam;
  c.iterations = 150;
  const auto r = reconstruct(ring_digit(), c);
  EXPECT_EQ(r.stopped, "150 iterations");
  EXPECT_EQ(r.history.size(), 151u);
  EXPECT_LT(wst::lab::best_step(r).scattering_error, 0.25 * r.history.front().scattering_error);
  std::printf("adam: scattering %.3g after 150\n", wst::lab::best_step(r).scattering_error);
}

TEST(LabReconstruction, SameSeedSameBitsForAnyThreadCount) {
  ReconstructionConfig c;
  c.iterations = 20;
  c.exec.planning = wst::Planning::estimate;  // measured plans may differ from one build to the next
  const auto a = reconstruct(ring_digit(), c);
  c.exec.threads = 2;
  const auto b = reconstruct(ring_digit(), c);
  EXPECT_EQ(a.signal.data, b.signal.data);
  EXPECT_EQ(a.start.data, b.start.data);
  c.seed = 1;
  const auto d = reconstruct(ring_digit(), c);
  EXPECT_NE(a.start.data, d.start.data);
}

TEST(LabReconstruction, AnExceptionOfTheCallbackStopsTheRunAndPropagates) {
  ReconstructionConfig c;
  c.iterations = 100;
  for (Optimizer o : {Optimizer::lbfgs, Optimizer::adam}) {
    c.optimizer = o;
    int calls = 0;
    const auto on_step = [&](const wst::lab::ReconstructionStep& s) {
      ++calls;
      if (s.iteration == 3) throw std::runtime_error("interrupted");
    };
    EXPECT_THROW(reconstruct(ring_digit(), c, on_step), std::runtime_error);
    EXPECT_EQ(calls, 4);  // iterations 0 … 3, none after
  }
}

TEST(LabReconstruction, AStalledDescentRestartsAndTheBestStartWins) {
  ReconstructionConfig c;  // a chirp at J = 6 settles in a local minimum (docs/RECONSTRUCTION.md)
  c.J = 6;
  c.iterations = 150;
  c.patience = 5;
  const auto r = reconstruct(chirp(1024), c);
  EXPECT_GT(r.restarts, 0);
  EXPECT_EQ(r.history.back().start, r.restarts);
  for (std::size_t i = 1; i < r.history.size(); ++i) {
    EXPECT_EQ(r.history[i].iteration, r.history[i - 1].iteration + 1);
    EXPECT_GE(r.history[i].start, r.history[i - 1].start);
  }
  EXPECT_LE(r.history.back().iteration, c.iterations);
  // The signal returned is the best iterate over all starts.
  const auto& best = wst::lab::best_step(r);
  const wst::Scattering1D S(6, 1024, wst::Q1D{8, 1});
  const auto Sx = S(r.signal), Sy = S(r.target);
  double d = 0, n = 0;
  for (std::size_t i = 0; i < Sy.size(); ++i)
    d += (Sx.data[i] - Sy.data[i]) * (Sx.data[i] - Sy.data[i]), n += Sy.data[i] * Sy.data[i];
  EXPECT_NEAR(std::sqrt(d / n), best.scattering_error, 1e-9 * best.scattering_error);
  EXPECT_LT(best.scattering_error, r.history.front().scattering_error);
  c.patience = 0;
  EXPECT_EQ(reconstruct(chirp(1024), c).restarts, 0);
}

TEST(LabReconstruction, JsonHoldsTheHistory) {
  ReconstructionConfig c;
  c.iterations = 5;
  const auto r = reconstruct(chirp(256), ReconstructionConfig{.J = 4, .iterations = 5});
  const auto j = wst::lab::to_json(r);
  EXPECT_EQ(j["config"]["method"], "lbfgs");
  EXPECT_EQ(j["shape"], nlohmann::json::array({256}));
  EXPECT_EQ(j["history"].size(), r.history.size());
  EXPECT_DOUBLE_EQ(j["final"]["scattering_error"].get<double>(),
                   wst::lab::best_step(r).scattering_error);
}

void expect_usage(const ReconstructionConfig& c, const std::string& option) {
  try {
    reconstruct(ring_digit(), c);
    ADD_FAILURE() << option << " accepted";
  } catch (const wst::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(option), std::string::npos) << e.what();
  }
}

TEST(LabReconstruction, BadConfigNamesTheOption) {
  expect_usage({.J = 5}, "--J 5: must be in 1 … 4");
  expect_usage({.J = 0}, "--J");
  expect_usage({.order = 3}, "--order 3: must be 1 or 2");
  expect_usage({.L = 0}, "--L");
  expect_usage({.iterations = 0}, "--iterations 0");
  expect_usage({.tolerance = NAN}, "--tolerance");
  expect_usage({.tolerance = -1}, "--tolerance");
  expect_usage({.learning_rate = 0}, "--learning-rate");
  expect_usage({.patience = -1}, "--patience -1: must be >= 0");
  EXPECT_THROW(wst::lab::parse_optimizer("sgd"), wst::UsageError);
  EXPECT_EQ(wst::lab::parse_optimizer("adam"), Optimizer::adam);
}

TEST(LabReconstruction, BadTargetIsAnInputError) {
  const ReconstructionConfig c;
  EXPECT_THROW(reconstruct(Array<double>({2, 8, 8}), c), wst::InputError);
  Array<double> flat({16, 16});
  for (double& v : flat.data) v = 0.5;
  EXPECT_THROW(reconstruct(flat, c), wst::InputError);
  Array<double> y = ring_digit();
  y.data[40] = NAN;
  EXPECT_THROW(reconstruct(y, c), wst::InputError);
}

}  // namespace
