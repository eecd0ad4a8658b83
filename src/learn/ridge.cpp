// Ridge regression, exact. X and y are centred on their training means (the intercept is not
// penalised); w then solves (XcᵀXc + αI) w = Xcᵀyc when the training rows are at least as many
// as the features (D ≤ n), else w = Xcᵀ(XcXcᵀ + αI)⁻¹yc (the same solution through the n × n
// dual system), by Cholesky (LLT, blocked; LDLT if LLT fails on a numerically singular matrix).
//
// All data are first centred on the mean of every row (a translation: harmless with an
// unpenalised intercept), in double. The cross-validation then gets each fold's D × D Gram
// matrix in the primal case from per-fold sums (Σ xxᵀ, Σ x, Σ xy, Σ y, one pass over the data
// in all), and every α of the grid costs one Cholesky factorisation of the smaller system.
#include "wst/learn/ridge.hpp"

#include "detail.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <cmath>
#include <limits>
#include <string>

#include "wst/support/error.hpp"

namespace wst::learn {

namespace {

using Rows = std::vector<std::size_t>;

// Sums over a set of rows of the (globally centred) data.
struct Sums {
  Eigen::MatrixXd xx;  // Σ x xᵀ (lower triangle)
  Eigen::VectorXd x, xy;
  double y = 0, n = 0;
  void add(const Sums& o) {
    xx += o.xx;
    x += o.x;
    xy += o.xy;
    y += o.y;
    n += o.n;
  }
};

Sums sums_of(const Eigen::MatrixXd& Xg, const Eigen::VectorXd& yg, const Rows& rows) {
  const Eigen::MatrixXd Xr = Xg(rows, Eigen::all);
  const Eigen::VectorXd yr = yg(rows);
  Sums s;
  s.xx = Eigen::MatrixXd::Zero(Xg.cols(), Xg.cols());
  s.xx.selfadjointView<Eigen::Lower>().rankUpdate(Xr.transpose());
  s.x = Xr.colwise().sum().transpose();
  s.xy = Xr.transpose() * yr;
  s.y = yr.sum();
  s.n = double(rows.size());
  return s;
}

// (A + αI)⁻¹ b for a symmetric positive semi-definite A given by its lower triangle.
Eigen::VectorXd spd_solve(const Eigen::MatrixXd& A, double alpha, const Eigen::VectorXd& b) {
  Eigen::MatrixXd M = A;
  M.diagonal().array() += alpha;
  Eigen::LLT<Eigen::MatrixXd, Eigen::Lower> llt(M);
  if (llt.info() == Eigen::Success) return llt.solve(b);
  return M.selfadjointView<Eigen::Lower>().ldlt().solve(b);
}

// A ridge problem on some rows, ready to be solved for any α: w(α) = solve(α), predictions
// (x − x_mean) w + y_mean (all in the globally centred coordinates).
struct Problem {
  bool primal = true;
  Eigen::MatrixXd A;   // primal: XcᵀXc (D × D); dual: XcXcᵀ (n × n); lower triangle
  Eigen::VectorXd b;   // primal: Xcᵀyc; dual: yc
  Eigen::MatrixXd Xc;  // dual only: the centred rows
  Eigen::RowVectorXd x_mean;
  double y_mean = 0;

  Eigen::VectorXd solve(double alpha) const {
    if (primal) return spd_solve(A, alpha, b);
    return Xc.transpose() * spd_solve(A, alpha, b);
  }
};

Problem primal_problem(const Sums& s) {
  Problem p;
  p.x_mean = (s.x / s.n).transpose();
  p.y_mean = s.y / s.n;
  p.A = s.xx;
  p.A.selfadjointView<Eigen::Lower>().rankUpdate(p.x_mean.transpose(), -s.n);
  p.b = s.xy - s.n * p.y_mean * p.x_mean.transpose();
  return p;
}

Problem dual_problem(const Eigen::MatrixXd& Xg, const Eigen::VectorXd& yg, const Rows& rows) {
  Problem p;
  p.primal = false;
  p.Xc = Xg(rows, Eigen::all);
  p.x_mean = p.Xc.colwise().mean();
  p.Xc.rowwise() -= p.x_mean;
  p.b = yg(rows);
  p.y_mean = p.b.mean();
  p.b.array() -= p.y_mean;
  p.A = Eigen::MatrixXd::Zero(p.Xc.rows(), p.Xc.rows());
  p.A.selfadjointView<Eigen::Lower>().rankUpdate(p.Xc);
  return p;
}

// The problem on all rows: primal (from the folds' sums when there are) if n ≥ D, else dual.
Problem full_problem(const Eigen::MatrixXd& Xg, const Eigen::VectorXd& yg,
                     const std::vector<Sums>& fold_sums) {
  const std::size_t n = std::size_t(Xg.rows());
  Rows all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  if (Eigen::Index(n) < Xg.cols()) return dual_problem(Xg, yg, all);
  if (fold_sums.empty()) return primal_problem(sums_of(Xg, yg, all));
  Sums s = fold_sums.front();
  for (std::size_t g = 1; g < fold_sums.size(); ++g) s.add(fold_sums[g]);
  return primal_problem(s);
}

}  // namespace

Ridge::Ridge(RidgeOptions options) : options_(std::move(options)) {
  if (options_.alpha_grid.empty())
    throw UsageError("Ridge: alpha_grid is empty (give at least one alpha > 0)");
  for (double a : options_.alpha_grid)
    if (!(a > 0) || !std::isfinite(a))
      throw UsageError("Ridge: alpha_grid value " + std::to_string(a) +
                       " is invalid (each alpha must be finite and > 0)");
  if (options_.alpha_grid.size() > 1 && options_.folds < 2)
    throw UsageError("Ridge: folds = " + std::to_string(options_.folds) +
                     " is invalid (must be ≥ 2)");
  cv_rmse_ = std::numeric_limits<double>::quiet_NaN();
}

void Ridge::fit(const FeatureMatrix& X, const std::vector<double>& y) {
  detail::check_targets(X, y, "Ridge::fit");
  const std::size_t n = y.size();
  const Eigen::Index D = X.cols();
  const std::vector<double>& grid = options_.alpha_grid;
  const bool cv = grid.size() > 1;
  if (cv && n < std::size_t(options_.folds))
    throw InputError("Ridge::fit: " + std::to_string(n) + " rows are too few for " +
                     std::to_string(options_.folds) + "-fold cross-validation");
  // Globally centred data, in double.
  const Eigen::RowVectorXd mu = X.cast<double>().colwise().mean();
  const Eigen::MatrixXd Xg = X.cast<double>().rowwise() - mu;
  const Eigen::VectorXd y_raw = Eigen::Map<const Eigen::VectorXd>(y.data(), Eigen::Index(n));
  const double y_mu = y_raw.mean();
  const Eigen::VectorXd yg = y_raw.array() - y_mu;

  double best_alpha = grid.front(), best_rmse = std::numeric_limits<double>::quiet_NaN();
  std::vector<Sums> fold_sums;  // primal folds only
  if (cv) {
    const int folds = options_.folds;
    const std::vector<int> fold = detail::plain_folds(n, folds, options_.seed);
    std::vector<Rows> members(static_cast<std::size_t>(folds));
    for (std::size_t i = 0; i < n; ++i) members[std::size_t(fold[i])].push_back(i);
    bool any_primal = false;
    for (const Rows& m : members) any_primal |= Eigen::Index(n - m.size()) >= D;
    if (any_primal)
      for (const Rows& m : members) fold_sums.push_back(sums_of(Xg, yg, m));
    std::vector<double> sse(grid.size(), 0.0);
    for (int f = 0; f < folds; ++f) {
      const Rows& test = members[std::size_t(f)];
      if (test.empty()) continue;
      Problem p;
      if (Eigen::Index(n - test.size()) >= D) {
        Sums s = fold_sums[f == 0 ? 1 : 0];
        for (int g = (f == 0 ? 2 : 1); g < folds; ++g)
          if (g != f) s.add(fold_sums[std::size_t(g)]);
        p = primal_problem(s);
      } else {
        Rows train;
        for (std::size_t i = 0; i < n; ++i)
          if (fold[i] != f) train.push_back(i);
        p = dual_problem(Xg, yg, train);
      }
      const Eigen::MatrixXd Zt = Xg(test, Eigen::all).rowwise() - p.x_mean;
      const Eigen::VectorXd truth = yg(test);
      for (std::size_t g = 0; g < grid.size(); ++g) {
        const Eigen::VectorXd pred = (Zt * p.solve(grid[g])).array() + p.y_mean;
        sse[g] += (pred - truth).squaredNorm();
      }
    }
    // Lowest CV RMSE; ties → the larger α (the more regularised model).
    for (std::size_t g = 0; g < grid.size(); ++g) {
      const double e = std::sqrt(sse[g] / double(n));
      if (g == 0 || e < best_rmse || (e == best_rmse && grid[g] > best_alpha)) {
        best_rmse = e;
        best_alpha = grid[g];
      }
    }
  }
  const Problem p = full_problem(Xg, yg, fold_sums);
  w_ = p.solve(best_alpha);
  // y ≈ (x − μ − x̄) w + ȳ + y_μ.
  b_ = y_mu + p.y_mean - (mu + p.x_mean).dot(w_);
  alpha_ = best_alpha;
  cv_rmse_ = best_rmse;
}

std::vector<double> Ridge::predict(const FeatureMatrix& X) const {
  detail::check_predict_input(X, w_.size(), "Ridge::predict");
  const Eigen::VectorXd p = X.cast<double>() * w_;
  std::vector<double> out(std::size_t(p.size()));
  for (Eigen::Index i = 0; i < p.size(); ++i) out[std::size_t(i)] = p(i) + b_;
  return out;
}

double rmse(const std::vector<double>& predicted, const std::vector<double>& truth) {
  if (predicted.size() != truth.size())
    throw InputError("rmse: " + std::to_string(predicted.size()) + " predictions but " +
                     std::to_string(truth.size()) + " true values");
  if (truth.empty()) throw InputError("rmse: no predictions to score");
  double s = 0;
  for (std::size_t i = 0; i < truth.size(); ++i)
    s += (predicted[i] - truth[i]) * (predicted[i] - truth[i]);
  return std::sqrt(s / double(truth.size()));
}

}  // namespace wst::learn
