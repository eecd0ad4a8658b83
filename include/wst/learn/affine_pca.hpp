// The affine-space classifier of Bruna & Mallat 2013, §4 (eq. 20): for each class c, the mean
// μ_c and the first d principal directions V_c of its training features; x is assigned to the
// class whose affine space μ_c + span(V_c) is nearest: argmin_c ‖x − μ_c‖² − ‖V_cᵀ(x − μ_c)‖².
// d is chosen by k-fold cross-validation (folds stratified by class, seeded; the lowest error
// wins, ties go to the smaller d); d = 0 is the nearest-class-mean classifier.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "wst/learn/features.hpp"
#include "wst/learn/progress.hpp"

namespace wst::learn {

struct AffinePcaOptions {
  std::vector<int> d_grid = {0, 1, 2, 5, 10, 20, 30, 40, 60, 80};  // capped at n_c − 1 per class
  int folds = 3;  // ≥ 2; a one-value grid skips cross-validation (cv_error_percent NaN)
  // Cross-validate on at most this many rows (the first ones: class-balanced in the job's order),
  // then fit on all. ≥ 2.
  std::size_t cv_max_rows = 10000;
  std::uint64_t seed = 0;
  Progress progress;  // steps = folds + 1 (1 without cross-validation)
};

class AffinePCA {
 public:
  explicit AffinePCA(AffinePcaOptions options = {});
  void fit(const FeatureMatrix& X, const Labels& y);  // labels 0 … k−1, every class present
  Labels predict(const FeatureMatrix& X) const;
  // Squared distance of each row of X to each class's affine space (rows × classes).
  Eigen::MatrixXd distances(const FeatureMatrix& X) const;
  int d() const;  // the chosen dimension (before capping per class)
  double cv_error_percent() const;

 private:
  AffinePcaOptions options_;
  int d_ = 0;
  double cv_error_ = 0;
  std::vector<Eigen::RowVectorXd> mean_;  // per class
  std::vector<Eigen::MatrixXd> basis_;    // per class: D × d_c, orthonormal columns
};

}  // namespace wst::learn
