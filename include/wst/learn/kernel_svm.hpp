// Gaussian-kernel SVMs from LIBSVM (Chang & Lin 2011): C-SVC (one versus one) for classes and
// ε-SVR for a real target, on k(x, y) = exp(−γ‖x − y‖²). The kernel matrix is computed here
// with Eigen (blocked GEMM, ‖x‖² + ‖y‖² − 2⟨x, y⟩) and handed to LIBSVM as a precomputed kernel
// (`-t 4`), so each entry costs one multiply-add per feature once, not once per SMO step.
// C and γ are chosen by k-fold cross-validation on the training data; γ is searched as
// scale / median‖xi − xj‖² (the median heuristic, over the cross-validation rows) so the grid
// fits any feature dimension. The (C, γ) with the lowest CV error (SVC) or RMSE (SVR) wins;
// ties go to the smaller C, then the smaller γ (the smoother model).
// The final SVC is LIBSVM's one-versus-one, trained pair by pair, each pair of classes on a
// kernel of its own rows. Memory: 16 bytes per kernel entry, (n_a + n_b)² for each pair of
// classes trained at once (pairs train concurrently on `threads`, as many as the memory limit
// of memory_budget.hpp allows; 2.3 GB a pair for 10 classes of 6 000 rows), n² for ε-SVR, m²
// during cross-validation (m = min(n, cv_max_rows)); the model keeps the support-vector rows.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "wst/learn/features.hpp"
#include "wst/learn/progress.hpp"

namespace wst::learn {

// ‖a_i − b_j‖² for all rows, clamped at 0, in double. Rows are processed in fixed blocks and
// the blocks shared among `threads`, so the result does not depend on the thread count.
// Inner products in float after centring both sides on B's column means (error ~1e-6 of a
// typical distance); when A and B are the same object the result is exactly symmetric with a
// zero diagonal. UsageError on a column mismatch or threads < 1, InputError on NaN/Inf.
Eigen::MatrixXd squared_distances(const FeatureMatrix& A, const FeatureMatrix& B, int threads = 1);
// The median of the off-diagonal entries of a symmetric squared-distance matrix (> 0 unless
// all rows are equal, in which case 1; when over half the pairs coincide, the median of the
// positive entries). InputError if not square.
double median_off_diagonal(const Eigen::MatrixXd& D2);

struct KernelSvmOptions;

// scores[g][c] of the cross-validation grid, γ scale g by C c: misclassified rows (SVC) or the
// sum of squared errors (SVR), summed over the folds.
using SvmGridScores = std::vector<std::vector<double>>;

// Computes the whole grid's scores elsewhere (e.g. on a cluster) in place of the local loop.
// Called with the m = min(n, cv_max_rows) cross-validation rows, their labels or targets and
// the options (grid_runner and progress cleared); must return what
// svm_grid_scores(X, y, classification, options) returns, every γ scale and every C.
using SvmGridRunner = std::function<SvmGridScores(
    const FeatureMatrix& X, const std::vector<double>& y, bool classification,
    const KernelSvmOptions& options)>;

struct KernelSvmOptions {
  std::vector<double> C_grid = {1.0, 10.0, 100.0};
  std::vector<double> gamma_scales = {0.5, 1.0, 2.0};  // γ = scale / median‖xi − xj‖²
  int folds = 3;  // ≥ 2; a 1 × 1 grid skips cross-validation (CV score NaN)
  // Cross-validate on at most this many training rows (the first ones: with Split's
  // round-robin order that is a class-balanced subset), then train on all rows. Folds are
  // seeded, stratified by class for SVC. ≥ 2 and ≥ folds.
  std::size_t cv_max_rows = 2000;
  double epsilon = 0.1;  // ε-SVR only: the tube half-width, in units of the target
  double tolerance = 1e-3;
  double cache_mb = 200;
  // Threads for the kernel, the cross-validation fits (LIBSVM trainings run concurrently: they
  // use no global state) and prediction. Results do not depend on it.
  int threads = 1;
  std::uint64_t seed = 0;
  Progress progress;  // steps = grid size × folds (0 without cross-validation) + final fits
                     // (SVC: k(k − 1)/2 pairs of classes; SVR: 1)
  // Empty: the grid is scored here. Set: it scores the grid instead (InputError if its table
  // is not gamma_scales × C_grid of finite values ≥ 0); the fit then goes on as usual.
  SvmGridRunner grid_runner;
};

// The cross-validation scores of the Gaussian SVM on the first m = min(n, cv_max_rows) rows of
// X, for the γ scales of `gammas` (indices into o.gamma_scales; empty: all) and every C:
// exactly what KernelSVC::fit (classification: y holds integer labels) and KernelSVR::fit
// compute, bit for bit (the same rows, folds and seed), whatever o.threads. γ is
// scale / median‖xi − xj‖² over these rows. UsageError on bad options (folds < 2 included) or
// an index out of range; InputError on bad data (NaN/Inf, size mismatch, non-integer labels,
// fewer rows than folds).
SvmGridScores svm_grid_scores(const FeatureMatrix& X, const std::vector<double>& y,
                              bool classification, const KernelSvmOptions& o,
                              const std::vector<std::size_t>& gammas = {});

// C-SVC: labels 0 … k−1 (k ≥ 2).
class KernelSVC {
 public:
  explicit KernelSVC(KernelSvmOptions options = {});  // UsageError on bad options
  ~KernelSVC();
  KernelSVC(KernelSVC&&) noexcept;
  KernelSVC& operator=(KernelSVC&&) noexcept;

  // InputError on bad data (empty, NaN/Inf, size mismatch, labels not 0 … k−1 all present).
  void fit(const FeatureMatrix& X, const Labels& y);  // keeps a copy of X (support vectors)
  Labels predict(const FeatureMatrix& X) const;  // UsageError before fit / column mismatch
  double C() const;
  double gamma() const;
  double cv_error_percent() const;  // NaN without cross-validation
  std::size_t support_vectors() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ε-SVR (LIBSVM `-s 3`); the grid is scored by cross-validated root-mean-square error.
class KernelSVR {
 public:
  explicit KernelSVR(KernelSvmOptions options = {});
  ~KernelSVR();
  KernelSVR(KernelSVR&&) noexcept;
  KernelSVR& operator=(KernelSVR&&) noexcept;

  void fit(const FeatureMatrix& X, const std::vector<double>& y);
  std::vector<double> predict(const FeatureMatrix& X) const;
  double C() const;
  double gamma() const;
  double cv_rmse() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wst::learn
