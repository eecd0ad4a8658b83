// LIBLINEAR linear classifiers with a seeded, stratified cross-validation of C.
//
// The dense features are converted once per fit into LIBLINEAR's sparse rows (every value kept,
// zeros included: the features are standardised, so hardly any is exactly 0), each followed by
// the bias node (index D+1, value 1) and the terminator. The cross-validation folds are
// LIBLINEAR problems whose row pointers index that one array (no copy). srand(seed) before each
// train() call makes LIBLINEAR's coordinate-descent permutations reproducible.
//
// Scale. The features are multiplied by one constant s = 1/√(mean ‖x_i‖²) of the training rows
// (the bias stays 1), so C refers to rows of unit mean squared norm whatever the dimension. On
// 1953 standardised scattering features this made the dual coordinate descent ≈ 3–8× faster
// (it stopped hitting LIBLINEAR's iteration limit) at the same or lower test error.
#include "wst/learn/linear_model.hpp"

#include "detail.hpp"

#include <linear.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "wst/support/error.hpp"

namespace wst::learn {

namespace {

void quiet(const char*) {}

struct ModelDeleter {
  void operator()(model* m) const {
    if (m) free_and_destroy_model(&m);
  }
};
using ModelPtr = std::unique_ptr<model, ModelDeleter>;

// Solver: squared hinge → L2R_L2LOSS_SVC_DUAL (`-s 1`); logistic → L2R_LR (`-s 0`, the primal
// trust-region Newton solver, whose cost does not grow with C the way the dual's does).
int solver_of(LinearLoss loss) {
  return loss == LinearLoss::logistic ? L2R_LR : L2R_L2LOSS_SVC_DUAL;
}

// n rows of D features + bias + terminator, row-contiguous.
std::vector<feature_node> to_nodes(const FeatureMatrix& X, double scale) {
  const std::size_t n = std::size_t(X.rows()), d = std::size_t(X.cols()), stride = d + 2;
  std::vector<feature_node> nodes(n * stride);
  for (std::size_t i = 0; i < n; ++i) {
    feature_node* row = nodes.data() + i * stride;
    const float* x = X.data() + i * d;
    for (std::size_t j = 0; j < d; ++j) row[j] = {int(j + 1), scale * double(x[j])};
    row[d] = {int(d + 1), 1.0};  // bias
    row[d + 1] = {-1, 0.0};
  }
  return nodes;
}

// s = 1/√(mean ‖x_i‖²) over the rows (see the top of the file); 1 for all-zero rows.
double unit_scale(const FeatureMatrix& X) {
  double mean_sq = 0;
  for (Eigen::Index i = 0; i < X.rows(); ++i)
    mean_sq += X.row(i).cast<double>().squaredNorm() / double(X.rows());
  return mean_sq > 0 ? 1 / std::sqrt(mean_sq) : 1.0;
}

// Lowest CV error (in %, of m_cv rows); ties → the smaller C (the more regularised model).
void lowest_cv_error(const std::vector<double>& C_grid, const std::vector<std::size_t>& wrong,
                     std::size_t m_cv, double& best_C, double& best_err) {
  for (std::size_t g = 0; g < C_grid.size(); ++g) {
    const double err = 100.0 * double(wrong[g]) / double(m_cv);
    if (g == 0 || err < best_err || (err == best_err && C_grid[g] < best_C)) {
      best_err = err;
      best_C = C_grid[g];
    }
  }
}

}  // namespace

struct LinearClassifier::Impl {
  LinearOptions options;
  ModelPtr model;
  Eigen::Index cols = 0;  // 0: not fitted
  double C = 0, cv_error = std::numeric_limits<double>::quiet_NaN();
  double scale = 1;  // applied to the features (see the top of the file)
};

LinearClassifier::LinearClassifier(LinearOptions options) : impl_(std::make_unique<Impl>()) {
  if (options.C_grid.empty())
    throw UsageError("LinearClassifier: C_grid is empty (give at least one C > 0)");
  for (double c : options.C_grid)
    if (!(c > 0) || !std::isfinite(c))
      throw UsageError("LinearClassifier: C_grid value " + std::to_string(c) +
                       " is invalid (each C must be finite and > 0)");
  if (options.C_grid.size() > 1 && options.folds < 2)
    throw UsageError("LinearClassifier: folds = " + std::to_string(options.folds) +
                     " is invalid (must be ≥ 2)");
  if (!(options.tolerance > 0) || !std::isfinite(options.tolerance))
    throw UsageError("LinearClassifier: tolerance = " + std::to_string(options.tolerance) +
                     " is invalid (must be finite and > 0)");
  impl_->options = std::move(options);
}

LinearClassifier::~LinearClassifier() = default;
LinearClassifier::LinearClassifier(LinearClassifier&&) noexcept = default;
LinearClassifier& LinearClassifier::operator=(LinearClassifier&&) noexcept = default;

void LinearClassifier::fit(const FeatureMatrix& X, const Labels& y) {
  if (!impl_) throw UsageError("LinearClassifier::fit: the classifier was moved from");
  Impl& im = *impl_;
  const LinearOptions& opt = im.options;
  detail::check_labels(X, y, "LinearClassifier::fit");
  const std::size_t n = y.size(), d = std::size_t(X.cols()), stride = d + 2;
  const bool cv = opt.C_grid.size() > 1;
  if (cv && n < std::size_t(opt.folds))
    throw InputError("LinearClassifier::fit: " + std::to_string(n) + " rows are too few for " +
                     std::to_string(opt.folds) + "-fold cross-validation");
  set_print_string_function(&quiet);

  const double scale = unit_scale(X);
  std::vector<feature_node> nodes = to_nodes(X, scale);
  std::vector<double> yd(y.begin(), y.end());
  parameter param{};
  param.solver_type = solver_of(opt.loss);
  param.eps = opt.tolerance;
  param.C = opt.C_grid.front();
  param.p = 0.1;
  auto train_on = [&](const std::vector<std::size_t>& rows, std::vector<feature_node*>& xs,
                      std::vector<double>& ys, double C) {
    xs.clear();
    ys.clear();
    for (std::size_t r : rows) {
      xs.push_back(nodes.data() + r * stride);
      ys.push_back(yd[r]);
    }
    problem prob{};
    prob.l = int(rows.size());
    prob.n = int(d + 1);
    prob.y = ys.data();
    prob.x = xs.data();
    prob.bias = 1.0;
    param.C = C;
    if (const char* err = check_parameter(&prob, &param))
      throw UsageError(std::string("LinearClassifier: LIBLINEAR rejects the parameters: ") + err);
    std::srand(unsigned(opt.seed));
    return ModelPtr(::train(&prob, &param));
  };

  const std::size_t total = cv ? opt.C_grid.size() * std::size_t(opt.folds) + 1 : 1;
  std::size_t step = 0;
  std::vector<feature_node*> xs;
  std::vector<double> ys;
  double best_C = opt.C_grid.front(), best_err = std::numeric_limits<double>::quiet_NaN();
  if (cv) {
    const std::size_t m_cv = std::max(std::min(n, opt.cv_max_rows), std::size_t(opt.folds));
    const Labels y_cv(y.begin(), y.begin() + long(m_cv));
    const std::vector<int> fold = detail::stratified_folds(y_cv, opt.folds, opt.seed);
    std::vector<std::size_t> wrong(opt.C_grid.size(), 0);
    for (std::size_t g = 0; g < opt.C_grid.size(); ++g)
      for (int f = 0; f < opt.folds; ++f) {
        std::vector<std::size_t> rows;
        for (std::size_t i = 0; i < m_cv; ++i)
          if (fold[i] != f) rows.push_back(i);
        ModelPtr m = train_on(rows, xs, ys, opt.C_grid[g]);
        for (std::size_t i = 0; i < m_cv; ++i)
          if (fold[i] == f && int(::predict(m.get(), nodes.data() + i * stride)) != y[i])
            ++wrong[g];
        if (opt.progress) opt.progress(++step, total);
      }
    lowest_cv_error(opt.C_grid, wrong, m_cv, best_C, best_err);
  }
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  ModelPtr m = train_on(all, xs, ys, best_C);
  im.model = std::move(m);
  im.cols = X.cols();
  im.C = best_C;
  im.cv_error = best_err;
  im.scale = scale;
  if (opt.progress) opt.progress(++step, total);
}

Labels LinearClassifier::predict(const FeatureMatrix& X) const {
  if (!impl_) throw UsageError("LinearClassifier::predict: the classifier was moved from");
  detail::check_predict_input(X, impl_->cols, "LinearClassifier::predict");
  const std::size_t d = std::size_t(X.cols());
  std::vector<feature_node> row(d + 2);
  Labels out(std::size_t(X.rows()));
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    const float* x = X.data() + std::size_t(i) * d;
    for (std::size_t j = 0; j < d; ++j) row[j] = {int(j + 1), impl_->scale * double(x[j])};
    row[d] = {int(d + 1), 1.0};
    row[d + 1] = {-1, 0.0};
    out[std::size_t(i)] = int(::predict(impl_->model.get(), row.data()));
  }
  return out;
}

double LinearClassifier::C() const { return impl_ ? impl_->C : 0.0; }
double LinearClassifier::cv_error_percent() const {
  return impl_ ? impl_->cv_error : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace wst::learn
