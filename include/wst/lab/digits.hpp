// Digits as the experiments use them: spread over the classes, centred in larger images.
#pragma once
#include <cstddef>
#include <vector>

#include "wst/io/mnist.hpp"

namespace wst::lab {

// `count` indices spread evenly over n items, starting at `offset` (mod n): item
// (i·n / count + offset) mod n for i < count. The npm digits are in class order, so these cover
// every class.
std::vector<std::size_t> spread_indices(std::size_t n, std::size_t count, std::size_t offset = 0);

// Digits idx of d, each centred in a size × size image with zeros (size ≥ the digit's sides;
// for 28 × 28 digits in 32 × 32, 2 pixels each side): idx.size() images, row-major, one after
// the other. Throws UsageError if size is smaller than a side.
std::vector<double> centred_digits(const Digits& d, const std::vector<std::size_t>& idx,
                                   std::size_t size);

}  // namespace wst::lab
