// Class-balanced seeded splits, and the seeded fold assignments the cross-validations share.
#include "wst/learn/split.hpp"

#include "detail.hpp"

#include <algorithm>
#include <random>
#include <string>

#include "wst/support/error.hpp"

namespace wst::learn {

namespace detail {

// Fisher–Yates with std::mt19937_64 and a plain modulo (bias < 2⁻⁴⁰ for any realistic size):
// the same permutation on every platform and standard library.
void shuffle(std::vector<std::size_t>& v, std::mt19937_64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const std::size_t j = std::size_t(rng() % std::uint64_t(i));
    std::swap(v[i - 1], v[j]);
  }
}

// Fold (0 … folds−1) of each of the n = y.size() rows, stratified: each class's rows are
// shuffled (classes in order 0, 1, …, one generator seeded with `seed`), then the classes'
// shuffled lists are concatenated and dealt to the folds in turn, so every fold gets
// ⌊n_c/folds⌋ or ⌈n_c/folds⌉ rows of each class c and the fold sizes differ by at most one.
std::vector<int> stratified_folds(const Labels& y, int folds, std::uint64_t seed) {
  int k = 0;
  for (int c : y) k = std::max(k, c + 1);
  std::vector<std::vector<std::size_t>> by_class(static_cast<std::size_t>(k));
  for (std::size_t i = 0; i < y.size(); ++i) by_class[std::size_t(y[i])].push_back(i);
  std::mt19937_64 rng(seed);
  std::vector<int> fold(y.size(), 0);
  std::size_t pos = 0;
  for (auto& rows : by_class) {
    shuffle(rows, rng);
    for (std::size_t r : rows) fold[r] = int(pos++ % std::size_t(folds));
  }
  return fold;
}

// The same without classes (regression): a seeded shuffle of 0 … n−1 dealt to the folds.
std::vector<int> plain_folds(std::size_t n, int folds, std::uint64_t seed) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::mt19937_64 rng(seed);
  shuffle(order, rng);
  std::vector<int> fold(n, 0);
  for (std::size_t p = 0; p < n; ++p) fold[order[p]] = int(p % std::size_t(folds));
  return fold;
}

}  // namespace detail

namespace {

// Each class's indices (labels 0 … k−1, all present: InputError otherwise), shuffled.
std::vector<std::vector<std::size_t>> shuffled_classes(const Labels& labels, std::uint64_t seed,
                                                       const char* what) {
  if (labels.empty()) throw InputError(std::string(what) + ": no labels");
  int k = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0)
      throw InputError(std::string(what) + ": label " + std::to_string(labels[i]) + " at index " +
                       std::to_string(i) + " is negative (labels must be 0 … k−1)");
    if (std::size_t(labels[i]) >= labels.size())
      throw InputError(
          std::string(what) + ": label " + std::to_string(labels[i]) + " at index " +
          std::to_string(i) + " leaves a class with no sample (labels must be 0 … k−1 with every " +
          "class present, and there are only " + std::to_string(labels.size()) + " labels)");
    k = std::max(k, labels[i] + 1);
  }
  std::vector<std::vector<std::size_t>> by_class(static_cast<std::size_t>(k));
  for (std::size_t i = 0; i < labels.size(); ++i) by_class[std::size_t(labels[i])].push_back(i);
  for (int c = 0; c < k; ++c)
    if (by_class[std::size_t(c)].empty())
      throw InputError(std::string(what) + ": class " + std::to_string(c) +
                       " has no sample (labels must be 0 … k−1 with every class present)");
  std::mt19937_64 rng(seed);
  for (auto& rows : by_class) detail::shuffle(rows, rng);
  return by_class;
}

// Round robin over the classes from position `start` of each list, skipping exhausted ones.
std::vector<std::size_t> round_robin(const std::vector<std::vector<std::size_t>>& by_class,
                                     std::size_t start) {
  std::vector<std::size_t> out;
  std::size_t longest = 0, total = 0;
  for (const auto& rows : by_class) {
    longest = std::max(longest, rows.size());
    total += rows.size() > start ? rows.size() - start : 0;
  }
  out.reserve(total);
  for (std::size_t p = start; p < longest; ++p)
    for (const auto& rows : by_class)
      if (p < rows.size()) out.push_back(rows[p]);
  return out;
}

}  // namespace

std::vector<std::size_t> Split::train(std::size_t n) const {
  if (n > train_order.size())
    throw UsageError("Split::train: n = " + std::to_string(n) + " exceeds the " +
                     std::to_string(train_order.size()) + " training samples available");
  return {train_order.begin(), train_order.begin() + std::ptrdiff_t(n)};
}

Split balanced_split(const Labels& labels, std::size_t n_test, std::uint64_t seed) {
  const auto by_class = shuffled_classes(labels, seed, "balanced_split");
  const std::size_t k = by_class.size();
  if (n_test % k != 0)
    throw UsageError("balanced_split: n_test = " + std::to_string(n_test) +
                     " must be a multiple of the number of classes (" + std::to_string(k) + ")");
  const std::size_t per_class = n_test / k;
  for (std::size_t c = 0; c < k; ++c)
    if (by_class[c].size() <= per_class)
      throw UsageError("balanced_split: n_test = " + std::to_string(n_test) + " takes " +
                       std::to_string(per_class) + " samples per class but class " +
                       std::to_string(c) + " has only " + std::to_string(by_class[c].size()) +
                       " (each class needs at least one training sample)");
  Split s;
  s.test.reserve(n_test);
  for (std::size_t p = 0; p < per_class; ++p)  // test: round robin too (any prefix is balanced)
    for (std::size_t c = 0; c < k; ++c) s.test.push_back(by_class[c][p]);
  s.train_order = round_robin(by_class, per_class);
  return s;
}

std::vector<std::size_t> balanced_order(const Labels& labels, std::uint64_t seed) {
  return round_robin(shuffled_classes(labels, seed, "balanced_order"), 0);
}

}  // namespace wst::learn
