// Linear classifiers from LIBLINEAR (Fan et al. 2008): L2-regularised linear SVM (squared hinge
// loss, dual coordinate descent, `-s 1`) and L2-regularised logistic regression (`-s 0`), one
// versus rest, with a bias feature. C is chosen by k-fold cross-validation on the training data:
// the lowest CV error wins, ties go to the smaller C.
// Cost: LIBLINEAR reads dense data as sparse nodes (16 bytes a value), each pass costing
// ~n·D·2 ns; measured on 8000 × 1953 standardised scattering features, default options:
// ≈ 17 s in all (squared hinge), ≈ 60 s (logistic).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wst/learn/features.hpp"
#include "wst/learn/progress.hpp"

namespace wst::learn {

enum class LinearLoss { squared_hinge, logistic };

struct LinearOptions {
  LinearLoss loss = LinearLoss::squared_hinge;
  // C for rows scaled to unit mean squared norm (fit() applies that one scale factor).
  std::vector<double> C_grid = {0.01, 0.1, 1.0, 10.0};  // one value: no cross-validation
  int folds = 3;                                           // ≥ 2
  // Cross-validate on at most this many rows (the first ones: with Split's round-robin order a
  // class-balanced subset), then train on all rows: LIBLINEAR's cost grows with rows × features.
  std::size_t cv_max_rows = 2000;
  double tolerance = 0.1;                                  // LIBLINEAR's eps
  std::uint64_t seed = 0;  // fold assignment and LIBLINEAR's rand() (srand before each train)
  Progress progress;       // steps = grid size × folds + 1 (1 without cross-validation)
};

class LinearClassifier {
 public:
  explicit LinearClassifier(LinearOptions options = {});  // UsageError on an empty/≤0 grid etc.
  ~LinearClassifier();
  LinearClassifier(LinearClassifier&&) noexcept;
  LinearClassifier& operator=(LinearClassifier&&) noexcept;

  // Labels 0 … k−1 (k ≥ 2). Cross-validates C on X (folds stratified by class, seeded), then
  // trains on all of X. Not thread-safe with other LIBLINEAR/LIBSVM training (global rand()).
  void fit(const FeatureMatrix& X, const Labels& y);
  Labels predict(const FeatureMatrix& X) const;  // UsageError before fit or on a column mismatch
  double C() const;                              // the chosen C
  double cv_error_percent() const;               // its cross-validation error (NaN if no CV)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wst::learn
