// Ridge regression, exact: X and y are centred on their training means (the intercept is not
// penalised), then w solves (XcᵀXc + αI) w = Xcᵀyc (D ≤ n) or w = Xcᵀ(XcXcᵀ + αI)⁻¹yc (D > n,
// the same solution through the n × n dual system), by LDLT. The cross-validation
// eigen-decomposes the fold's Gram matrix once, after which every α of the grid costs one
// diagonal scaling.
#include "wst/learn/ridge.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <cmath>
#include <limits>
#include <string>

#include "wst/error.hpp"

namespace wst::learn {

namespace detail {  // defined in features.cpp and split.cpp
void check_targets(const FeatureMatrix& X, const std::vector<double>& y, const char* what);
void check_predict_input(const FeatureMatrix& X, Eigen::Index expected, const char* what);
std::vector<int> plain_folds(std::size_t n, int folds, std::uint64_t seed);
}  // namespace detail

namespace {

struct Centred {
  Eigen::MatrixXd X;  // rows − mean
  Eigen::VectorXd y;  // targets − mean
  Eigen::RowVectorXd x_mean;
  double y_mean = 0;
};

Centred centre(const FeatureMatrix& X, const std::vector<double>& y,
               const std::vector<std::size_t>& rows) {
  Centred c;
  const Eigen::Index n = Eigen::Index(rows.size()), D = X.cols();
  c.x_mean = Eigen::RowVectorXd::Zero(D);
  for (std::size_t r : rows) {
    c.x_mean += X.row(Eigen::Index(r)).cast<double>();
    c.y_mean += y[r];
  }
  c.x_mean /= double(n);
  c.y_mean /= double(n);
  c.X.resize(n, D);
  c.y.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::size_t r = rows[std::size_t(i)];
    c.X.row(i) = X.row(Eigen::Index(r)).cast<double>() - c.x_mean;
    c.y(i) = y[r] - c.y_mean;
  }
  return c;
}

Eigen::MatrixXd rows_minus(const FeatureMatrix& X, const std::vector<std::size_t>& rows,
                           const Eigen::RowVectorXd& mean) {
  Eigen::MatrixXd Z(Eigen::Index(rows.size()), X.cols());
  for (std::size_t i = 0; i < rows.size(); ++i)
    Z.row(Eigen::Index(i)) = X.row(Eigen::Index(rows[i])).cast<double>() - mean;
  return Z;
}

Eigen::MatrixXd gram(const Eigen::MatrixXd& A) {  // AᵀA, full
  Eigen::MatrixXd G = Eigen::MatrixXd::Zero(A.cols(), A.cols());
  G.selfadjointView<Eigen::Lower>().rankUpdate(A.transpose());
  return G.selfadjointView<Eigen::Lower>();
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
  const std::vector<double>& grid = options_.alpha_grid;
  const bool cv = grid.size() > 1;
  if (cv && n < std::size_t(options_.folds))
    throw InputError("Ridge::fit: " + std::to_string(n) + " rows are too few for " +
                     std::to_string(options_.folds) + "-fold cross-validation");
  double best_alpha = grid.front(), best_rmse = std::numeric_limits<double>::quiet_NaN();
  if (cv) {
    const std::vector<int> fold = detail::plain_folds(n, options_.folds, options_.seed);
    std::vector<double> sse(grid.size(), 0.0);
    for (int f = 0; f < options_.folds; ++f) {
      std::vector<std::size_t> train, test;
      for (std::size_t i = 0; i < n; ++i) (fold[i] == f ? test : train).push_back(i);
      const Centred c = centre(X, y, train);
      const Eigen::MatrixXd Zt = rows_minus(X, test, c.x_mean);
      Eigen::VectorXd truth(Eigen::Index(test.size()));
      for (std::size_t i = 0; i < test.size(); ++i) truth(Eigen::Index(i)) = y[test[i]];
      // Predictions for α: T · (r ./ (λ + α)) + ȳ.
      Eigen::MatrixXd T;
      Eigen::VectorXd lambda, r;
      if (c.X.cols() <= c.X.rows()) {  // primal: XcᵀXc = QΛQᵀ, w = Q (Qᵀ Xcᵀ yc ./ (λ + α))
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(gram(c.X));
        lambda = es.eigenvalues();
        r = es.eigenvectors().transpose() * (c.X.transpose() * c.y);
        T = Zt * es.eigenvectors();
      } else {  // dual: XcXcᵀ = QΛQᵀ, w = Xcᵀ Q (Qᵀ yc ./ (λ + α))
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(gram(c.X.transpose()));
        lambda = es.eigenvalues();
        r = es.eigenvectors().transpose() * c.y;
        T = (Zt * c.X.transpose()) * es.eigenvectors();
      }
      lambda = lambda.cwiseMax(0.0);
      for (std::size_t g = 0; g < grid.size(); ++g) {
        const Eigen::VectorXd coef = r.array() / (lambda.array() + grid[g]);
        sse[g] += ((T * coef).array() + c.y_mean - truth.array()).square().sum();
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
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  const Centred c = centre(X, y, all);
  if (c.X.cols() <= c.X.rows()) {
    Eigen::MatrixXd A = gram(c.X);
    A.diagonal().array() += best_alpha;
    w_ = A.ldlt().solve(c.X.transpose() * c.y);
  } else {
    Eigen::MatrixXd A = gram(c.X.transpose());
    A.diagonal().array() += best_alpha;
    w_ = c.X.transpose() * A.ldlt().solve(c.y);
  }
  b_ = c.y_mean - c.x_mean.dot(w_);
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
