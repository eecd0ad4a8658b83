// The MNIST benchmark (`wst mnist`, `make demo`): real digits → pixels and scattering features →
// the classifiers of classifier.hpp, for nested training sets; test error (%) beside Bruna &
// Mallat 2013 (Table 4), and the rotation-angle regression. Classical models run on the calling
// thread, CNNs concurrently on a thread of their own.
#pragma once
#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "wst/lab/benchmark_progress.hpp"
#include "wst/lab/classifier.hpp"
#include "wst/lab/mnist_config.hpp"
#include "wst/lab/rotation_regression.hpp"

namespace wst::lab {

struct MnistResult {
  Model model = Model::linear_svm;
  std::string features;
  std::size_t size = 0;
  double error_percent = 0, seconds = 0;
  std::string detail;                                  // chosen hyper-parameters, in words
  std::vector<std::pair<std::string, double>> params;  // the same, for JSON
  std::vector<double> loss = {};                       // CNNs: training loss per epoch
};

struct MnistReport {
  MnistConfig config;
  std::string source;
  std::size_t n_test = 0;
  std::map<std::string, std::size_t> feature_dims;
  std::vector<MnistResult> results;  // by size, then in the order of config.jobs
  std::vector<RegressionResult> regression;
  std::vector<std::pair<std::string, double>> stages;  // seconds per stage
  std::vector<std::string> notes;
};

// Validates c (validate in mnist_config.hpp), then runs every job of c at every size of c.sizes
// (in increasing order, duplicates dropped). CNN jobs are skipped (with a note) when !c.cnn or
// the build has no libtorch. Throws UsageError / InputError as load_mnist_digits does.
MnistReport run_mnist(const MnistConfig& c, BenchmarkProgress& progress);
MnistReport run_mnist(const MnistConfig& c);  // without progress

// The tables as Markdown (mnist.md) and everything as JSON (mnist.json, keys in this order).
std::string to_markdown(const MnistReport& r);
nlohmann::ordered_json to_json(const MnistReport& r);
std::string mnist_markdown(const MnistReport& r);  // to_markdown(r)
std::string mnist_json(const MnistReport& r);      // to_json(r).dump(2) + "\n"

}  // namespace wst::lab
