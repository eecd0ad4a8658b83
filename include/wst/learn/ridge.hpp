// Ridge regression (Tikhonov): w = argmin ‖y − b − Xw‖² + α‖w‖², intercept b unpenalised,
// solved exactly with Eigen; α chosen by k-fold cross-validation (root-mean-square error).
// Cost: one Cholesky factorisation of size min(training rows, D) per fold and α, plus one: on
// this 2-core machine ≈ 0.3 s each at 1953, ≈ 2.3 s at 3969 (n = 8000 × 1953: ≈ 11 s in all).
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "wst/learn/features.hpp"

namespace wst::learn {

struct RidgeOptions {
  // Each α > 0; one value: no CV (cv_rmse NaN). Lowest CV RMSE wins, ties → the larger α.
  std::vector<double> alpha_grid = {1e-3, 1e-2, 1e-1, 1, 10, 100, 1e3, 1e4};
  int folds = 5;  // ≥ 2; folds are a seeded shuffle
  std::uint64_t seed = 0;
};

class Ridge {
 public:
  explicit Ridge(RidgeOptions options = {});
  void fit(const FeatureMatrix& X, const std::vector<double>& y);
  std::vector<double> predict(const FeatureMatrix& X) const;
  double alpha() const { return alpha_; }
  double cv_rmse() const { return cv_rmse_; }
  const Eigen::VectorXd& coef() const { return w_; }
  double intercept() const { return b_; }

 private:
  RidgeOptions options_;
  double alpha_ = 0, cv_rmse_ = 0, b_ = 0;
  Eigen::VectorXd w_;
};

// Root-mean-square of (predicted − truth).
double rmse(const std::vector<double>& predicted, const std::vector<double>& truth);

}  // namespace wst::learn
