// Regression of the rotation angle of rotated digits (uniform in [−45°, 45°], seeded), by ridge
// regression and ε-SVR on pixels and on scattering features: rotations are not averaged out by
// S_J (Bruna & Mallat 2013, §2.3), so the angle stays readable from the coefficients.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "wst/lab/benchmark_progress.hpp"
#include "wst/lab/mnist_config.hpp"

namespace wst::lab {

struct RegressionResult {
  std::string model, features;
  std::size_t size = 0;
  double rmse_degrees = 0, seconds = 0;
  std::string detail;  // chosen hyper-parameters, in words
};

// images: n_test test digits, then at least n_train training digits (MnistDigits::images).
// Uses c.seed, c.regression_J and c.svm_options; logs each fit to progress.
std::vector<RegressionResult> run_rotation_regression(const MnistConfig& c,
                                                      const std::vector<float>& images,
                                                      std::size_t n_test, std::size_t n_train,
                                                      int threads, BenchmarkProgress& progress);

}  // namespace wst::lab
