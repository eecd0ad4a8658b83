#include "wst/lab/digits.hpp"

#include <string>

#include "wst/support/error.hpp"
#include "wst/support/memory_budget.hpp"

namespace wst::lab {

std::vector<std::size_t> spread_indices(std::size_t n, std::size_t count, std::size_t offset) {
  if (n == 0 && count > 0) throw UsageError("spread_indices: no items to choose from");
  std::vector<std::size_t> idx(count);
  for (std::size_t i = 0; i < count; ++i) idx[i] = (i * n / count + offset) % n;
  return idx;
}

std::vector<double> centred_digits(const Digits& d, const std::vector<std::size_t>& idx,
                                   std::size_t size) {
  if (size < d.rows || size < d.cols)
    throw UsageError("centred_digits: size " + std::to_string(size) + " is smaller than the " +
                     std::to_string(d.rows) + " × " + std::to_string(d.cols) + " digits");
  check_memory(checked_bytes({idx.size(), size, size}, sizeof(double)),
               std::to_string(idx.size()) + " digits of " + std::to_string(size) + " × " +
                   std::to_string(size));
  std::vector<double> x(idx.size() * size * size, 0.0);
  const std::size_t top = (size - d.rows) / 2, left = (size - d.cols) / 2;
  for (std::size_t i = 0; i < idx.size(); ++i) {
    if (idx[i] >= d.size())
      throw UsageError("centred_digits: index " + std::to_string(idx[i]) + " is not below " +
                       std::to_string(d.size()));
    const float* img = d.image(idx[i]);
    for (std::size_t r = 0; r < d.rows; ++r)
      for (std::size_t c = 0; c < d.cols; ++c)
        x[(i * size + top + r) * size + left + c] = img[r * d.cols + c];
  }
  return x;
}

}  // namespace wst::lab
