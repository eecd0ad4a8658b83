// The classifiers of the MNIST benchmark (Bruna & Mallat 2013, §5, Table 4): one enum names
// them, one function parses their display names, and one interface fits and predicts them.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "wst/learn/cnn.hpp"
#include "wst/learn/features.hpp"
#include "wst/learn/kernel_svm.hpp"
#include "wst/learn/progress.hpp"

namespace wst::lab {

enum class Model { linear_svm, logistic_regression, gaussian_svm, affine_pca, lenet5, scattering_cnn };

// Every model, in the order of the --models help.
const std::vector<Model>& all_models();

// The display name, as in the tables and the JSON: "linear SVM", "logistic regression",
// "Gaussian SVM", "affine PCA", "LeNet-5", "scattering + CNN".
const std::string& model_name(Model m);

// The model of a display name. UsageError "<what>: unknown model 'x' (known: …)" otherwise.
Model parse_model(const std::string& name, const std::string& what = "model");

// CNNs (libtorch; trained on a thread of their own by the benchmark).
bool is_cnn(Model m);

// Rough cost per training digit relative to the other classical models, for an ETA only.
double relative_cost(Model m);

// What the models are built from (the benchmark fills it from its MnistConfig).
struct ClassifierSettings {
  std::uint64_t seed = 0;  // folds, LIBLINEAR/LIBSVM, CNN weights and batches
  int threads = 1;         // Gaussian SVM
  std::size_t linear_cv_max_rows = 1000;
  std::vector<double> linear_C_grid = {0.1, 1.0, 10.0, 100.0};
  learn::KernelSvmOptions svm_options;   // seed and threads are set from the fields above
  learn::CnnOptions cnn_options;         // seed is set from the field above
  std::array<std::size_t, 3> geometry = {1, 28, 28};  // scattering + CNN: channels, rows, cols
  learn::Progress progress;  // classical models: (steps done, steps in all)
};

// A model fitted on rows of features and labels 0 … 9.
class Classifier {
 public:
  virtual ~Classifier() = default;
  virtual void fit(const learn::FeatureMatrix& X, const learn::Labels& y) = 0;
  virtual learn::Labels predict(const learn::FeatureMatrix& X) const = 0;
  // The chosen hyper-parameters in words ("C=10, γ=0.0123"), after fit.
  virtual std::string detail() const = 0;
  // The same as numbers, for JSON (in this order), after fit.
  virtual std::vector<std::pair<std::string, double>> params() const { return {}; }
  // CNNs: the mean training loss of each epoch.
  virtual std::vector<double> loss() const { return {}; }
  // CNNs: the class scores (logits), one row of 10 per row of X, after fit; the others have none
  // (empty matrix).
  virtual learn::FeatureMatrix scores(const learn::FeatureMatrix&) const { return {}; }
};

// A new, unfitted model. CNNs throw UsageError in builds without libtorch.
std::unique_ptr<Classifier> make_classifier(Model m, const ClassifierSettings& s);

}  // namespace wst::lab
