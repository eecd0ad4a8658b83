// Class-balanced, seeded splits of a labelled set into a test set and nested training subsets.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "wst/learn/features.hpp"

namespace wst::learn {

struct Split {
  std::vector<std::size_t> test;  // n_test indices, n_test / n_classes per class (round robin)
  // The remaining indices in round-robin class order (one of class 0, one of class 1, …,
  // skipping exhausted classes), each class shuffled: the first n form a training subset that
  // is class-balanced whenever every class has ≥ n / n_classes left, and subsets are nested.
  std::vector<std::size_t> train_order;

  // The first n of train_order; UsageError if n > train_order.size().
  std::vector<std::size_t> train(std::size_t n) const;
};

// Labels must be 0 … n_classes−1 with every class present. n_test must be a multiple of the
// number of classes and leave every class at least one training sample (UsageError otherwise).
// Deterministic for a given seed (std::mt19937_64, own shuffle: identical on every platform).
Split balanced_split(const Labels& labels, std::size_t n_test, std::uint64_t seed);

// Same round-robin order over all of `labels` (no test part): for data with a given test set.
// Equal to balanced_split(labels, 0, seed).train_order.
std::vector<std::size_t> balanced_order(const Labels& labels, std::uint64_t seed);

}  // namespace wst::learn
