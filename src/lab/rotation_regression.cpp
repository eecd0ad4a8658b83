#include "wst/lab/rotation_regression.hpp"

#include <chrono>
#include <numbers>
#include <random>
#include <utility>

#include "wst/core/deform.hpp"
#include "wst/lab/scattering_features.hpp"
#include "wst/learn/kernel_svm.hpp"
#include "wst/learn/ridge.hpp"
#include "wst/learn/split.hpp"
#include "wst/support/format.hpp"

namespace wst::lab {

using learn::FeatureMatrix;

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Each digit rotated by its own angle; returns the angles (degrees).
std::vector<double> rotate_digits(const MnistConfig& c, const std::vector<float>& images,
                                  std::size_t n, std::vector<float>& rotated) {
  const std::size_t P = 28 * 28;
  rotated.assign(n * P, 0.0f);
  std::vector<double> angle(n);
  std::mt19937_64 gen(c.seed + 0x5eed);
  for (std::size_t i = 0; i < n; ++i) {
    angle[i] = -45.0 + 90.0 * double(gen() >> 11) * 0x1.0p-53;  // degrees
    rotate_2d(images.data() + i * P, 28, 28, angle[i] * std::numbers::pi / 180,
              rotated.data() + i * P);
  }
  return angle;
}

// Ridge and ε-SVR on one feature set (already standardised where it should be).
void fit_both(const MnistConfig& c, const std::string& name, const FeatureMatrix& A,
              const FeatureMatrix& B, const std::vector<double>& y_train,
              const std::vector<double>& y_test, int threads, std::vector<RegressionResult>& out) {
  const std::size_t n_train = y_train.size();
  {
    const auto t = Clock::now();
    learn::RidgeOptions o;
    o.seed = c.seed;
    o.folds = 3;
    learn::Ridge m(o);
    m.fit(A, y_train);
    out.push_back({"ridge regression", name, n_train, learn::rmse(m.predict(B), y_test), since(t),
                   "α=" + num("%g", m.alpha())});
  }
  {
    const auto t = Clock::now();
    learn::KernelSvmOptions o = c.svm_options;
    o.seed = c.seed;
    o.threads = threads;
    o.epsilon = 1.0;  // degrees
    learn::KernelSVR m(o);
    m.fit(A, y_train);
    out.push_back({"ε-SVR (Gaussian)", name, n_train, learn::rmse(m.predict(B), y_test), since(t),
                   "C=" + num("%g", m.C()) + ", γ=" + num("%.3g", m.gamma())});
  }
}

}  // namespace

std::vector<RegressionResult> run_rotation_regression(const MnistConfig& c,
                                                      const std::vector<float>& images,
                                                      std::size_t n_test, std::size_t n_train,
                                                      int threads, BenchmarkProgress& progress) {
  const std::size_t n = n_test + n_train, P = 28 * 28;
  std::vector<float> rotated;
  const std::vector<double> angle = rotate_digits(c, images, n, rotated);
  std::vector<std::size_t> test(n_test), train(n_train);
  for (std::size_t i = 0; i < n_test; ++i) test[i] = i;
  for (std::size_t i = 0; i < n_train; ++i) train[i] = n_test + i;
  const std::vector<double> y_train = learn::select(angle, train), y_test = learn::select(angle, test);

  std::vector<std::pair<std::string, FeatureMatrix>> sets;
  {
    FeatureMatrix X(static_cast<long>(n), static_cast<long>(P));
    std::copy(rotated.begin(), rotated.end(), X.data());
    sets.emplace_back("pixels", std::move(X));
  }
  {
    const int J = c.regression_J;
    const Array<float> S = scatter_digits(rotated, n, J, threads, [](std::size_t) {});
    const ScatteringVariant v{J, 2, true};
    sets.emplace_back(v.name(), variant_features(S, 1 + std::size_t(J) * 8, v));
  }
  std::vector<RegressionResult> out;
  double mean = 0;
  for (double a : y_train) mean += a / double(y_train.size());
  out.push_back({"predict the training mean", "-", n_train,
                 learn::rmse(std::vector<double>(n_test, mean), y_test), 0, ""});
  for (const auto& [name, X] : sets) {
    FeatureMatrix A = learn::select_rows(X, train), B = learn::select_rows(X, test);
    if (name != "pixels") {  // pixels stay in [0, 1], as for the classifiers
      const auto z = learn::Standardizer::fit(A);
      A = z.transform(A);
      B = z.transform(B);
    }
    fit_both(c, name, A, B, y_train, y_test, threads, out);
    for (std::size_t k = out.size() - 2; k < out.size(); ++k)
      progress.log("rotation angle: " + out[k].model + " on " + out[k].features + ": RMSE " +
                   num("%.2f°", out[k].rmse_degrees) + " (" + out[k].detail +
                   num(", %.1f s)", out[k].seconds));
  }
  return out;
}

}  // namespace wst::lab
