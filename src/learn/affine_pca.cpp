// The affine-space (per-class PCA) classifier of Bruna & Mallat 2013, §4.
//
// Principal directions of a class with n_c samples in dimension D come from the eigenvectors of
// the n_c × n_c Gram matrix of the centred samples when n_c ≤ D (V = Xcᵀ U Λ^−½, far cheaper than
// a D × D covariance or an SVD for D ≈ 4000, n_c ≤ 800), of the D × D covariance otherwise; the
// few leading columns are then re-orthonormalised (Householder QR, which keeps every leading
// span, so the first t columns are the t-dimensional model for every t). A class keeps at most
// min(d, n_c − 1, its numerical rank: eigenvalues > 1e-10 of the largest) directions.
//
// Cross-validation (on the first cv_max_rows rows): per fold, each class is fitted once with the
// largest d of the grid; the squared projections of the held-out rows on its directions, summed
// cumulatively, give the distance for every smaller d at once.
#include "wst/learn/affine_pca.hpp"

#include "detail.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <Spectra/MatOp/DenseSymMatProd.h>
#include <Spectra/SymEigsSolver.h>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "wst/support/error.hpp"

namespace wst::learn {

namespace {

using RowMatrixXd = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Eigen's dense solver up to this size; above it Spectra's Lanczos for the few leading pairs only
// (at 60 000 Fashion-MNIST images a class's 3 969 × 3 969 covariance: one full solve ≈ a minute).
constexpr Eigen::Index kFullEigenMax = 1500;

// The `count` largest eigenvalues of the symmetric S (descending; fewer if S is smaller) and
// their eigenvectors. Both solvers are converged to ~1e-10: the same subspaces either way.
void leading_eigenpairs(const Eigen::MatrixXd& S, Eigen::Index count, Eigen::VectorXd& values,
                        Eigen::MatrixXd& vectors) {
  const Eigen::Index m = S.rows();
  count = std::min(count, m);
  if (m > kFullEigenMax && count > 0) {
    Spectra::DenseSymMatProd<double> op(S);
    Spectra::SymEigsSolver<Spectra::DenseSymMatProd<double>> solver(
        op, count, std::min(m, std::max<Eigen::Index>(2 * count + 1, count + 20)));
    solver.init();  // a fixed seed: deterministic
    solver.compute(Spectra::SortRule::LargestAlge, 1000, 1e-10, Spectra::SortRule::LargestAlge);
    if (solver.info() == Spectra::CompInfo::Successful) {
      values = solver.eigenvalues();
      vectors = solver.eigenvectors();
      return;
    }
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(S);  // ascending eigenvalues
  values = es.eigenvalues().reverse().head(count);
  vectors = es.eigenvectors().rowwise().reverse().leftCols(count);
}

// Mean and up to d orthonormal principal directions (D × d_c) of X's rows `rows`.
void class_pca(const FeatureMatrix& X, const std::vector<std::size_t>& rows, int d,
               Eigen::RowVectorXd& mean, Eigen::MatrixXd& basis) {
  const Eigen::Index n = Eigen::Index(rows.size()), D = X.cols();
  mean = Eigen::RowVectorXd::Zero(D);
  for (std::size_t r : rows) mean += X.row(Eigen::Index(r)).cast<double>();
  mean /= double(n);
  const Eigen::Index dc = std::min<Eigen::Index>({Eigen::Index(d), n - 1, D});
  if (dc <= 0) {
    basis.resize(D, 0);
    return;
  }
  RowMatrixXd Xc(n, D);
  for (Eigen::Index i = 0; i < n; ++i)
    Xc.row(i) = X.row(Eigen::Index(rows[std::size_t(i)])).cast<double>() - mean;
  // The leading eigenpairs of the smaller of the Gram matrix and the covariance.
  const bool gram = n <= D;
  Eigen::MatrixXd S = Eigen::MatrixXd::Zero(gram ? n : D, gram ? n : D);
  if (gram)
    S.selfadjointView<Eigen::Lower>().rankUpdate(Xc);
  else
    S.selfadjointView<Eigen::Lower>().rankUpdate(Xc.transpose());
  Eigen::VectorXd lam;
  Eigen::MatrixXd U;
  leading_eigenpairs(S, dc, lam, U);
  Eigen::MatrixXd V(D, dc);
  Eigen::Index kept = 0;
  for (; kept < std::min(dc, lam.size()); ++kept) {
    const double l = lam(kept);
    if (!(l > 1e-10 * lam(0)) || !(l > 0)) break;
    V.col(kept) = gram ? Eigen::VectorXd(Xc.transpose() * U.col(kept) / std::sqrt(l))
                       : Eigen::VectorXd(U.col(kept));
  }
  if (kept == 0) {
    basis.resize(D, 0);
    return;
  }
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(V.leftCols(kept));
  basis = qr.householderQ() * Eigen::MatrixXd::Identity(D, kept);
  // Householder may flip signs; keep the directions' orientation (cosmetic, for reproducibility).
  for (Eigen::Index t = 0; t < kept; ++t)
    if (basis.col(t).dot(V.col(t)) < 0) basis.col(t) = -basis.col(t);
}

// Rows of X (as double) minus a mean.
Eigen::MatrixXd centred(const FeatureMatrix& X, const std::vector<std::size_t>* rows,
                        const Eigen::RowVectorXd& mean) {
  const Eigen::Index n = rows ? Eigen::Index(rows->size()) : X.rows();
  Eigen::MatrixXd Z(n, X.cols());
  for (Eigen::Index i = 0; i < n; ++i)
    Z.row(i) = X.row(rows ? Eigen::Index((*rows)[std::size_t(i)]) : i).cast<double>() - mean;
  return Z;
}

}  // namespace

AffinePCA::AffinePCA(AffinePcaOptions options) : options_(std::move(options)) {
  if (options_.d_grid.empty())
    throw UsageError("AffinePCA: d_grid is empty (give at least one dimension ≥ 0)");
  for (int d : options_.d_grid)
    if (d < 0)
      throw UsageError("AffinePCA: d_grid value " + std::to_string(d) +
                       " is invalid (each d must be ≥ 0)");
  if (options_.cv_max_rows < 2)
    throw UsageError("AffinePCA: cv_max_rows = " + std::to_string(options_.cv_max_rows) +
                     " is invalid (must be ≥ 2)");
  if (options_.d_grid.size() > 1 && options_.folds < 2)
    throw UsageError("AffinePCA: folds = " + std::to_string(options_.folds) +
                     " is invalid (must be ≥ 2)");
  cv_error_ = std::numeric_limits<double>::quiet_NaN();
}

void AffinePCA::fit(const FeatureMatrix& X, const Labels& y) {
  const int k = detail::check_labels(X, y, "AffinePCA::fit");
  const std::size_t n = y.size();
  const std::vector<int>& grid = options_.d_grid;
  const bool cv = grid.size() > 1;
  if (cv && std::min(n, options_.cv_max_rows) < std::size_t(options_.folds))
    throw InputError("AffinePCA::fit: " + std::to_string(n) + " rows are too few for " +
                     std::to_string(options_.folds) + "-fold cross-validation");
  const std::size_t total = cv ? std::size_t(options_.folds) + 1 : 1;
  std::size_t step = 0;
  int best_d = grid.front();
  double best_err = std::numeric_limits<double>::quiet_NaN();
  if (cv) {
    const int dmax = *std::max_element(grid.begin(), grid.end());
    const std::size_t m = std::min(n, options_.cv_max_rows);
    const std::vector<int> fold = detail::stratified_folds(
        Labels(y.begin(), y.begin() + std::ptrdiff_t(m)), options_.folds, options_.seed);
    std::vector<std::size_t> wrong(grid.size(), 0);
    for (int f = 0; f < options_.folds; ++f) {
      std::vector<std::size_t> test;
      std::vector<std::vector<std::size_t>> train(static_cast<std::size_t>(k));
      for (std::size_t i = 0; i < m; ++i)
        (fold[i] == f ? test : train[std::size_t(y[i])]).push_back(i);
      const Eigen::Index nt = Eigen::Index(test.size());
      // best[t, g]: smallest distance so far for test row t at grid value g, and its class.
      Eigen::MatrixXd best = Eigen::MatrixXd::Constant(nt, Eigen::Index(grid.size()),
                                                       std::numeric_limits<double>::infinity());
      Eigen::MatrixXi who = Eigen::MatrixXi::Constant(nt, Eigen::Index(grid.size()), -1);
      for (int c = 0; c < k; ++c) {
        if (train[std::size_t(c)].empty()) continue;  // class absent from this fold's training
        Eigen::RowVectorXd mu;
        Eigen::MatrixXd V;
        class_pca(X, train[std::size_t(c)], dmax, mu, V);
        const Eigen::MatrixXd Z = centred(X, &test, mu);
        const Eigen::VectorXd sq = Z.rowwise().squaredNorm();
        const Eigen::MatrixXd P2 = (Z * V).array().square().matrix();  // nt × d_c
        Eigen::MatrixXd cum(nt, P2.cols() + 1);  // cum(t, j) = Σ_{s<j} P2(t, s)
        cum.col(0).setZero();
        for (Eigen::Index j = 0; j < P2.cols(); ++j) cum.col(j + 1) = cum.col(j) + P2.col(j);
        for (std::size_t g = 0; g < grid.size(); ++g) {
          const Eigen::Index j = std::min<Eigen::Index>(grid[g], P2.cols());
          for (Eigen::Index t = 0; t < nt; ++t) {
            const double dist = std::max(0.0, sq(t) - cum(t, j));
            if (dist < best(t, Eigen::Index(g))) {
              best(t, Eigen::Index(g)) = dist;
              who(t, Eigen::Index(g)) = c;
            }
          }
        }
      }
      for (std::size_t g = 0; g < grid.size(); ++g)
        for (Eigen::Index t = 0; t < nt; ++t)
          wrong[g] += who(t, Eigen::Index(g)) != y[test[std::size_t(t)]];
      if (options_.progress) options_.progress(++step, total);
    }
    // Lowest CV error; ties → the smaller d (the simpler model).
    for (std::size_t g = 0; g < grid.size(); ++g) {
      const double err = 100.0 * double(wrong[g]) / double(m);
      if (g == 0 || err < best_err || (err == best_err && grid[g] < best_d)) {
        best_err = err;
        best_d = grid[g];
      }
    }
  }
  std::vector<std::vector<std::size_t>> members(static_cast<std::size_t>(k));
  for (std::size_t i = 0; i < n; ++i) members[std::size_t(y[i])].push_back(i);
  mean_.assign(std::size_t(k), Eigen::RowVectorXd());
  basis_.assign(std::size_t(k), Eigen::MatrixXd());
  for (int c = 0; c < k; ++c)
    class_pca(X, members[std::size_t(c)], best_d, mean_[std::size_t(c)], basis_[std::size_t(c)]);
  d_ = best_d;
  cv_error_ = best_err;
  if (options_.progress) options_.progress(++step, total);
}

Eigen::MatrixXd AffinePCA::distances(const FeatureMatrix& X) const {
  detail::check_predict_input(X, mean_.empty() ? 0 : mean_.front().size(), "AffinePCA::distances");
  Eigen::MatrixXd out(X.rows(), Eigen::Index(mean_.size()));
  for (std::size_t c = 0; c < mean_.size(); ++c) {
    const Eigen::MatrixXd Z = centred(X, nullptr, mean_[c]);
    Eigen::VectorXd d = Z.rowwise().squaredNorm();
    if (basis_[c].cols() > 0) d -= (Z * basis_[c]).rowwise().squaredNorm();
    out.col(Eigen::Index(c)) = d.cwiseMax(0.0);
  }
  return out;
}

Labels AffinePCA::predict(const FeatureMatrix& X) const {
  const Eigen::MatrixXd d = distances(X);
  Labels out(std::size_t(X.rows()));
  for (Eigen::Index i = 0; i < d.rows(); ++i) {
    Eigen::Index c;
    d.row(i).minCoeff(&c);  // ties → the smallest class index
    out[std::size_t(i)] = int(c);
  }
  return out;
}

int AffinePCA::d() const { return d_; }
double AffinePCA::cv_error_percent() const { return cv_error_; }

}  // namespace wst::learn
