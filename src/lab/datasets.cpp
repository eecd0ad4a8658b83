#include "wst/lab/datasets.hpp"

#include "wst/support/error.hpp"

namespace wst::lab {

namespace {

// Accuracy a (as a fraction, as the README prints it) of a model trained on all 60 000 images.
PublishedResult fashion_row(std::string model, std::string features, double a) {
  return {std::move(model), std::move(features), "Fashion-MNIST README, benchmark table",
          {{60000, 100.0 * (1.0 - a)}}};
}

}  // namespace

const DatasetInfo& dataset_info(Dataset d) {
  static const DatasetInfo mnist{
      "mnist",
      "MNIST",
      "digits",
      {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"},
      "",
      {{"Gaussian SVM", "scattering", "Bruna & Mallat 2013, Table 4",
        {{300, 5.6}, {1000, 2.6}, {2000, 1.8}, {5000, 1.4}}},
       {"affine PCA", "scattering", "Bruna & Mallat 2013, Table 4",
        {{300, 4.7}, {1000, 2.3}, {2000, 1.3}, {5000, 1.03}, {60000, 0.43}}}},
      3,
      false};
  static const DatasetInfo fashion{
      "fashion-mnist",
      "Fashion-MNIST",
      "images",
      {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
       "Ankle boot"},
      "/usr/share/datasets/fashion-mnist",
      {fashion_row("SVM", "HOG", 0.926), fashion_row("2 conv + pooling", "pixels", 0.916),
       fashion_row("GRU + SVM with dropout", "pixels", 0.897),
       fashion_row("ResNet18 (augmented)", "pixels", 0.949)},
      2,
      true};
  return d == Dataset::mnist ? mnist : fashion;
}

Dataset parse_dataset(const std::string& name, const std::string& option) {
  if (name == "mnist") return Dataset::mnist;
  if (name == "fashion-mnist") return Dataset::fashion_mnist;
  throw UsageError(option + " '" + name + "' is not known: choose mnist or fashion-mnist");
}

}  // namespace wst::lab
