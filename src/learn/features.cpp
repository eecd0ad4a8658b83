// Feature matrices, standardisation, error rates, and the small helpers the learning layer
// shares (input validation, a deterministic job runner): the helpers live in
// wst::learn::detail and are declared again, identically, in each file that uses them.
#include "wst/learn/features.hpp"

#include "detail.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "wst/support/error.hpp"

namespace wst::learn {

namespace detail {

// InputError unless X has ≥ 1 row, ≥ 1 column and only finite values. `what` names the caller.
void check_features(const FeatureMatrix& X, const char* what) {
  if (X.rows() == 0 || X.cols() == 0)
    throw InputError(std::string(what) + ": the feature matrix is empty (" +
                     std::to_string(X.rows()) + " rows × " + std::to_string(X.cols()) +
                     " columns)");
  const float* p = X.data();
  const std::size_t n = std::size_t(X.size());
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(p[i]))
      throw InputError(std::string(what) + ": the feature matrix holds a non-finite value (" +
                       std::to_string(p[i]) + ") at row " +
                       std::to_string(i / std::size_t(X.cols())) + ", column " +
                       std::to_string(i % std::size_t(X.cols())));
}

// InputError unless y has one label per row of X, all in 0 … k−1 with every class present and
// k ≥ 2. Returns k.
int check_labels(const FeatureMatrix& X, const Labels& y, const char* what) {
  check_features(X, what);
  if (std::size_t(X.rows()) != y.size())
    throw InputError(std::string(what) + ": X has " + std::to_string(X.rows()) +
                     " rows but there are " + std::to_string(y.size()) + " labels");
  int k = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (y[i] < 0)
      throw InputError(std::string(what) + ": label " + std::to_string(y[i]) + " at row " +
                       std::to_string(i) + " is negative (labels must be 0 … k−1)");
    if (std::size_t(y[i]) >= y.size())  // k ≤ number of rows when every class is present
      throw InputError(std::string(what) + ": label " + std::to_string(y[i]) + " at row " +
                       std::to_string(i) + " leaves a class with no sample (labels must be " +
                       "0 … k−1 with every class present, and there are only " +
                       std::to_string(y.size()) + " rows)");
    k = std::max(k, y[i] + 1);
  }
  std::vector<std::size_t> count(std::size_t(k), 0);
  for (int c : y) ++count[std::size_t(c)];
  for (int c = 0; c < k; ++c)
    if (count[std::size_t(c)] == 0)
      throw InputError(std::string(what) + ": class " + std::to_string(c) +
                       " has no sample (labels must be 0 … k−1 with every class present; the "
                       "largest label is " +
                       std::to_string(k - 1) + ")");
  if (k < 2)
    throw InputError(std::string(what) + ": needs at least 2 classes, the labels hold only " +
                     std::to_string(k));
  return k;
}

// InputError unless y has one finite target per row of X.
void check_targets(const FeatureMatrix& X, const std::vector<double>& y, const char* what) {
  check_features(X, what);
  if (std::size_t(X.rows()) != y.size())
    throw InputError(std::string(what) + ": X has " + std::to_string(X.rows()) +
                     " rows but there are " + std::to_string(y.size()) + " targets");
  for (std::size_t i = 0; i < y.size(); ++i)
    if (!std::isfinite(y[i]))
      throw InputError(std::string(what) + ": target " + std::to_string(i) + " is not finite (" +
                       std::to_string(y[i]) + ")");
}

// UsageError when a fitted model with `expected` columns (0: not fitted) gets X.
void check_predict_input(const FeatureMatrix& X, Eigen::Index expected, const char* what) {
  if (expected == 0) throw UsageError(std::string(what) + ": called before fit");
  if (X.cols() != expected)
    throw UsageError(std::string(what) + ": X has " + std::to_string(X.cols()) +
                     " columns but the model was fitted on " + std::to_string(expected));
  const float* p = X.data();
  for (Eigen::Index i = 0; i < X.size(); ++i)
    if (!std::isfinite(p[i]))
      throw InputError(std::string(what) + ": the feature matrix holds a non-finite value at row " +
                       std::to_string(i / X.cols()) + ", column " + std::to_string(i % X.cols()));
}

// Runs job(0) … job(n−1) on `threads` threads (the calling thread only waits), calling
// done(count) from the calling thread after each completed job. Jobs must be independent;
// the first exception thrown by a job is rethrown here after all threads stopped.
void run_jobs(std::size_t n, int threads, const std::function<void(std::size_t)>& job,
              const std::function<void(std::size_t)>& done) {
  if (n == 0) return;
  if (threads <= 1 || n == 1) {
    for (std::size_t i = 0; i < n; ++i) {
      job(i);
      if (done) done(i + 1);
    }
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex m;
  std::condition_variable cv;
  std::size_t finished = 0;
  std::exception_ptr error;
  auto worker = [&] {
    for (;;) {
      if (failed.load()) break;
      const std::size_t i = next.fetch_add(1);
      if (i >= n) break;
      try {
        job(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(m);
        if (!error) error = std::current_exception();
        failed.store(true);
      }
      {
        std::lock_guard<std::mutex> lock(m);
        ++finished;
      }
      cv.notify_one();
    }
  };
  const std::size_t nt = std::min<std::size_t>(std::size_t(threads), n);
  std::vector<std::thread> pool;
  pool.reserve(nt);
  for (std::size_t t = 0; t < nt; ++t) pool.emplace_back(worker);
  std::exception_ptr caller_error;  // from `done`
  try {
    std::size_t reported = 0;
    std::unique_lock<std::mutex> lock(m);
    while (reported < n) {
      cv.wait(lock, [&] { return finished > reported || failed.load(); });
      if (failed.load()) break;
      const std::size_t now = finished;
      lock.unlock();
      for (; reported < now; ++reported)
        if (done) done(reported + 1);
      lock.lock();
    }
  } catch (...) {
    caller_error = std::current_exception();
    failed.store(true);
  }
  for (auto& t : pool) t.join();
  if (caller_error) std::rethrow_exception(caller_error);
  if (error) std::rethrow_exception(error);
}

}  // namespace detail

FeatureMatrix select_rows(const FeatureMatrix& X, const std::vector<std::size_t>& rows) {
  FeatureMatrix out(Eigen::Index(rows.size()), X.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] >= std::size_t(X.rows()))
      throw UsageError("select_rows: row index " + std::to_string(rows[i]) +
                       " is out of range (X has " + std::to_string(X.rows()) + " rows)");
    out.row(Eigen::Index(i)) = X.row(Eigen::Index(rows[i]));
  }
  return out;
}

Standardizer Standardizer::fit(const FeatureMatrix& train) {
  detail::check_features(train, "Standardizer::fit");
  const Eigen::Index n = train.rows(), d = train.cols();
  Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(d);
  for (Eigen::Index i = 0; i < n; ++i) sum += train.row(i).cast<double>();
  Standardizer s;
  s.mean = sum / double(n);
  Eigen::RowVectorXd ss = Eigen::RowVectorXd::Zero(d);
  for (Eigen::Index i = 0; i < n; ++i)
    ss += (train.row(i).cast<double>() - s.mean).array().square().matrix();
  const Eigen::RowVectorXd sd = (ss / double(n)).array().sqrt().matrix();  // population std
  const double threshold = 1e-12 * sd.maxCoeff();
  s.inv_std.resize(d);
  for (Eigen::Index j = 0; j < d; ++j)
    s.inv_std(j) = (sd(j) > threshold && sd(j) > 0) ? 1.0 / sd(j) : 1.0;
  return s;
}

FeatureMatrix Standardizer::transform(const FeatureMatrix& X) const {
  if (mean.size() == 0)
    throw UsageError("Standardizer::transform: called before fit (no training statistics)");
  if (X.cols() != mean.size())
    throw UsageError("Standardizer::transform: X has " + std::to_string(X.cols()) +
                     " columns but the standardizer was fitted on " + std::to_string(mean.size()));
  FeatureMatrix out(X.rows(), X.cols());
  for (Eigen::Index i = 0; i < X.rows(); ++i)
    out.row(i) = ((X.row(i).cast<double>() - mean).array() * inv_std.array()).cast<float>();
  return out;
}

double error_percent(const Labels& predicted, const Labels& truth) {
  if (predicted.size() != truth.size())
    throw InputError("error_percent: " + std::to_string(predicted.size()) + " predictions but " +
                     std::to_string(truth.size()) + " true labels");
  if (truth.empty()) throw InputError("error_percent: no predictions to score");
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) wrong += predicted[i] != truth[i];
  return 100.0 * double(wrong) / double(truth.size());
}

}  // namespace wst::learn
