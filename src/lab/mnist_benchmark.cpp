#include "wst/lab/mnist_benchmark.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

#include "wst/lab/dask_search.hpp"
#include "wst/lab/mnist_digits.hpp"
#include "wst/lab/scattering_features.hpp"
#include "wst/learn/split.hpp"
#include "wst/support/format.hpp"

namespace wst::lab {

using learn::FeatureMatrix;
using learn::Labels;

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Features {
  std::map<std::string, FeatureMatrix> sets;                   // by name
  std::map<std::string, std::array<std::size_t, 3>> geometry;  // channels, rows, cols
};

// The standardised rows of a training set and of the test set; with mirror images, the training
// rows are followed by theirs and `test_mirror` holds the test rows' (else it is empty).
struct TrainTest {
  FeatureMatrix train, test, test_mirror;
};

// What the two tracks share: the digits, the features and the report being filled.
struct Bench {
  const MnistConfig& c;
  const MnistDigits& data;
  const Features& F;
  BenchmarkProgress& progress;
  MnistReport& report;
  Labels test_labels;
  std::vector<std::size_t> test_rows;
  std::mutex mutex;
  std::atomic<bool> cnn_running{false};  // the classical models get every thread once it is done

  std::vector<std::size_t> train_rows(std::size_t n) const {
    std::vector<std::size_t> r(n);
    for (std::size_t i = 0; i < n; ++i) r[i] = data.n_test + i;
    return r;
  }
  void record(MnistResult r) {
    progress.log(model_name(r.model) + " on " + r.features + ", n=" + std::to_string(r.size) +
                 ": " + num("%.2f%% error", r.error_percent) +
                 (r.detail.empty() ? "" : " (" + r.detail + ")") + num(", %.1f s", r.seconds));
    std::lock_guard lock(mutex);
    report.results.push_back(std::move(r));
  }
};

// The feature sets of the left–right mirror images (x → 27 − x) are named with this suffix.
const std::string kMirrored = " mirrored";

// For the CNNs of a data set whose classes a mirror does not change: the features they train on,
// also of the mirrored images (of every row; only the training rows are used).
void add_mirrored(const MnistConfig& c, const MnistDigits& data, Features& F,
                  BenchmarkProgress& progress, MnistReport& report) {
  std::set<std::string> names;
  for (const MnistJob& j : c.jobs)
    if (c.cnn && is_cnn(j.model)) names.insert(j.model == Model::lenet5 ? "pixels" : j.features);
  if (names.empty()) return;
  const auto t = Clock::now();
  const std::size_t n_all = data.labels.size(), side = 28;
  std::vector<float> mirror(data.images.size());
  for (std::size_t r = 0; r < n_all * side; ++r)
    std::reverse_copy(data.images.begin() + long(r * side), data.images.begin() + long((r + 1) * side),
                      mirror.begin() + long(r * side));
  if (names.contains("pixels")) {
    FeatureMatrix P(long(n_all), long(side * side));
    std::copy(mirror.begin(), mirror.end(), P.data());
    F.sets["pixels" + kMirrored] = std::move(P);
  }
  for (int J : c.scattering_J) {
    std::vector<ScatteringVariant> wanted;
    for (int order : {1, 2})
      for (bool lg : {false, true})
        if (names.contains(ScatteringVariant{J, order, lg}.name())) wanted.push_back({J, order, lg});
    if (wanted.empty()) continue;
    const Array<float> S = scatter_digits(mirror, n_all, J, c.threads, [](std::size_t) {});
    for (const ScatteringVariant& v : wanted)
      F.sets[v.name() + kMirrored] = variant_features(S, 1 + std::size_t(J) * 8, v);
  }
  report.stages.push_back({"features: mirror images", since(t)});
  progress.log("features: mirror images for the CNNs (" + num("%.1f s", since(t)) + ")");
}

// Pixels, and the four scattering variants (order 1 or 2, log or not) of each J.
Features compute_features(const MnistConfig& c, const MnistDigits& data, BenchmarkProgress& progress,
                          MnistReport& report) {
  const auto t = Clock::now();
  const std::size_t n_all = data.labels.size();
  Features F;
  {
    FeatureMatrix P(long(n_all), 784);
    std::copy(data.images.begin(), data.images.end(), P.data());
    F.sets["pixels"] = std::move(P);
    F.geometry["pixels"] = {1, 28, 28};
  }
  const int track = progress.add_track("features", double(n_all * c.scattering_J.size()));
  for (std::size_t k = 0; k < c.scattering_J.size(); ++k) {
    const int J = c.scattering_J[k];
    const auto tj = Clock::now();
    const Array<float> S = scatter_digits(data.images, n_all, J, c.threads, [&](std::size_t done) {
      progress.update(track, double(k * n_all + done));
    });
    const std::size_t m1 = 1 + std::size_t(J) * 8;
    for (int order : {1, 2})
      for (bool lg : {false, true}) {
        const ScatteringVariant v{J, order, lg};
        F.sets[v.name()] = variant_features(S, m1, v);
        F.geometry[v.name()] = {order == 1 ? m1 : S.shape[1], S.shape[2], S.shape[3]};
      }
    report.stages.push_back({"features: scattering J=" + std::to_string(J), since(tj)});
    progress.log("features: scattering J=" + std::to_string(J) + " of " + std::to_string(n_all) + " " +
                 dataset_info(c.dataset).item + ", " + std::to_string(S.shape[1]) + " channels of " +
                 std::to_string(S.shape[2]) + "×" + std::to_string(S.shape[3]) + " (" +
                 num("%.1f s", since(tj)) + ")");
  }
  if (dataset_info(c.dataset).mirror_invariant) add_mirrored(c, data, F, progress, report);
  report.stages.push_back({"features (all)", since(t)});
  for (const auto& [name, X] : F.sets)
    if (!name.ends_with(kMirrored)) report.feature_dims[name] = std::size_t(X.cols());
  return F;
}

// The training and test rows of a feature set. Pixels stay as they are, in [0, 1]:
// standardising them would blow up the nearly constant border pixels (it raises the Gaussian
// SVM's error at 1000 digits from 7.5 % to 11.4 %, see docs/LEARNING.md). Scattering features
// are standardised on the training rows. With `mirrored` (CNNs, when the set has mirror images),
// the mirror images' rows are added, standardised like the originals.
TrainTest train_test(const Bench& b, const std::string& name, std::size_t n, bool mirrored = false) {
  const FeatureMatrix& X = b.F.sets.at(name);
  TrainTest t{learn::select_rows(X, b.train_rows(n)), learn::select_rows(X, b.test_rows), {}};
  if (mirrored) {
    const FeatureMatrix& M = b.F.sets.at(name + kMirrored);
    FeatureMatrix both(2 * t.train.rows(), t.train.cols());
    both << t.train, learn::select_rows(M, b.train_rows(n));
    t.train = std::move(both);
    t.test_mirror = learn::select_rows(M, b.test_rows);
  }
  if (name == "pixels") return t;
  const auto z = learn::Standardizer::fit(t.train.topRows(long(n)));
  t.train = z.transform(t.train);
  t.test = z.transform(t.test);
  if (mirrored) t.test_mirror = z.transform(t.test_mirror);
  return t;
}

// The class with the highest summed score over a test row and its mirror image.
Labels predict_with_mirror(const Classifier& model, const FeatureMatrix& X, const FeatureMatrix& M) {
  const FeatureMatrix sum = model.scores(X) + model.scores(M);
  Labels out(std::size_t(sum.rows()));
  for (Eigen::Index i = 0; i < sum.rows(); ++i) {
    Eigen::Index best = 0;
    sum.row(i).maxCoeff(&best);
    out[std::size_t(i)] = int(best);
  }
  return out;
}

// Fits one model on a training set of n digits and measures its test error. With mirror images
// (train_test(…, true)) the test images are classified with theirs (the summed class scores).
MnistResult evaluate(Bench& b, const MnistJob& j, std::size_t n, const TrainTest& sets,
                     const ClassifierSettings& s, Clock::time_point start) {
  Labels y = learn::select(b.data.labels, b.train_rows(n));
  const bool mirrored = sets.test_mirror.rows() > 0;
  if (mirrored) {
    const Labels originals = y;
    y.insert(y.end(), originals.begin(), originals.end());
  }
  const auto model = make_classifier(j.model, s);
  model->fit(sets.train, y);
  MnistResult r{j.model, j.features, n, 0, 0, "", {}};
  const Labels predicted =
      mirrored ? predict_with_mirror(*model, sets.test, sets.test_mirror) : model->predict(sets.test);
  r.error_percent = learn::error_percent(predicted, b.test_labels);
  r.detail = model->detail() + (mirrored ? ", with mirror images" : "");
  r.params = model->params();
  r.loss = model->loss();
  r.seconds = since(start);
  return r;
}

ClassifierSettings settings(const MnistConfig& c, int threads) {
  ClassifierSettings s;
  s.seed = c.seed;
  s.threads = threads;
  s.linear_cv_max_rows = c.linear_cv_max_rows;
  s.linear_C_grid = c.linear_C_grid;
  s.svm_options = c.svm_options;
  s.cnn_options = c.cnn_options;
  return s;
}

// CNN steps per job of n digits, for the ETA: min_steps keep small sets busy.
double cnn_cost(std::size_t n) { return double(n) + 1500; }

// The CNN track: LeNet-5 always on pixels, the scattering head on its features.
void run_cnns(Bench& b, const std::vector<MnistJob>& jobs, int track) {
  double done = 0;
  for (std::size_t n : b.c.sizes)
    for (const MnistJob& j : jobs) {
      const auto tj = Clock::now();
      const std::string& name = j.model == Model::lenet5 ? std::string("pixels") : j.features;
      ClassifierSettings s = settings(b.c, 1);
      s.geometry = b.F.geometry.at(name);
      const double base = done, step = cnn_cost(n);
      s.cnn_options.progress = [&b, track, base, step](int e, int epochs, double) {
        b.progress.update(track, base + step * e / epochs);
      };
      b.record(evaluate(b, j, n, train_test(b, name, n, b.F.sets.contains(name + kMirrored)), s, tj));
      done += step;
      b.progress.update(track, done);
    }
}

// The classical track; feature sets are standardised once per training size.
void run_classical(Bench& b, const std::vector<MnistJob>& jobs, int track, int threads) {
  double done = 0;
  for (std::size_t n : b.c.sizes) {
    std::map<std::string, TrainTest> prepared;
    for (const MnistJob& j : jobs) {
      const auto tj = Clock::now();
      auto it = prepared.find(j.features);
      if (it == prepared.end()) it = prepared.emplace(j.features, train_test(b, j.features, n)).first;
      const double base = done, cost = double(n) * relative_cost(j.model);
      ClassifierSettings s = settings(b.c, b.cnn_running ? threads : b.c.threads);
      s.progress = [&b, track, base, cost](std::size_t k, std::size_t total) {
        b.progress.update(track, base + cost * double(k) / double(std::max<std::size_t>(total, 1)));
      };
      b.record(evaluate(b, j, n, it->second, s, tj));
      done += cost;
      b.progress.update(track, done);
    }
  }
}

// Both tracks, CNNs on a thread of their own (the classical models get the other threads, and all
// of them once the CNNs are done: their results do not depend on the thread count).
void run_models(Bench& b) {
  const MnistConfig& c = b.c;
  std::vector<MnistJob> classical, cnn;
  for (const MnistJob& j : c.jobs) (is_cnn(j.model) ? cnn : classical).push_back(j);
  if (!(c.cnn && learn::cnn_available())) cnn.clear();
  double classical_total = 0, cnn_total = 0;
  for (std::size_t n : c.sizes) {
    for (const auto& j : classical) classical_total += double(n) * relative_cost(j.model);
    cnn_total += double(cnn.size()) * cnn_cost(n);
  }
  const int classical_track = b.progress.add_track("classifiers", classical_total);
  const int cnn_track = cnn.empty() ? -1 : b.progress.add_track("CNN", cnn_total);
  const int classical_threads = std::max(1, c.threads - (cnn.empty() ? 0 : 1));

  const auto t_models = Clock::now();
  std::exception_ptr cnn_error;
  double cnn_seconds = 0;
  std::thread cnn_thread;
  b.cnn_running = !cnn.empty();
  if (!cnn.empty())
    cnn_thread = std::thread([&] {
      try {
        run_cnns(b, cnn, cnn_track);
      } catch (...) {
        cnn_error = std::current_exception();
      }
      cnn_seconds = since(t_models);
      b.cnn_running = false;
    });
  try {
    run_classical(b, classical, classical_track, classical_threads);
  } catch (...) {
    if (cnn_thread.joinable()) cnn_thread.join();
    throw;
  }
  const double classical_seconds = since(t_models);
  if (cnn_thread.joinable()) cnn_thread.join();
  if (cnn_error) std::rethrow_exception(cnn_error);
  b.report.stages.push_back({"classifiers", classical_seconds});
  if (!cnn.empty()) b.report.stages.push_back({"CNNs (concurrently, one thread)", cnn_seconds});
  if (c.cnn && !learn::cnn_available())
    b.report.notes.push_back("CNNs skipped: this build has no libtorch (install libtorch-dev).");
}

// The rows in the order of the configuration (by size, then job), whichever track finished first.
void sort_results(const MnistConfig& c, std::vector<MnistResult>& results) {
  const auto job = [&](const MnistResult& r) {
    return std::find_if(c.jobs.begin(), c.jobs.end(), [&](const MnistJob& j) {
      return j.model == r.model && j.features == r.features;
    }) - c.jobs.begin();
  };
  std::stable_sort(results.begin(), results.end(), [&](const MnistResult& a, const MnistResult& b) {
    return std::pair(a.size, job(a)) < std::pair(b.size, job(b));
  });
}

}  // namespace

MnistReport run_mnist(const MnistConfig& config, BenchmarkProgress& progress) {
  validate(config);
  const auto t_all = Clock::now();
  MnistConfig c = config;
  if (!c.scheduler.empty()) c.svm_options.grid_runner = dask_grid_runner(c.scheduler);
  std::sort(c.sizes.begin(), c.sizes.end());
  c.sizes.erase(std::unique(c.sizes.begin(), c.sizes.end()), c.sizes.end());
  MnistReport report;

  auto t = Clock::now();
  const MnistDigits data = load_mnist_digits(c, c.full ? 0 : c.sizes.back());
  if (c.full) c.sizes = {data.n_train};
  report.config = c;
  report.source = data.source;
  report.n_test = data.n_test;
  report.stages.push_back({"load data", since(t)});
  progress.log("data: " + data.source);

  const Features F = compute_features(c, data, progress, report);
  Bench b{c, data, F, progress, report, {}, {}, {}};
  b.test_labels = Labels(data.labels.begin(), data.labels.begin() + long(data.n_test));
  b.test_rows.resize(data.n_test);
  for (std::size_t i = 0; i < data.n_test; ++i) b.test_rows[i] = i;
  run_models(b);
  sort_results(c, report.results);

  if (c.regression_size > 0) {
    t = Clock::now();
    report.regression = run_rotation_regression(
        c, data.images, data.n_test, std::min(c.regression_size, data.n_train), c.threads, progress);
    report.stages.push_back({"rotation regression", since(t)});
  }
  progress.finish();
  report.stages.push_back({"total", since(t_all)});
  return report;
}

MnistReport run_mnist(const MnistConfig& c) {
  BenchmarkProgress none;
  return run_mnist(c, none);
}

}  // namespace wst::lab
