// A minimal owning n-d array: a shape and contiguous C-order storage.
#pragma once
#include <cstddef>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

namespace wst {

using Shape = std::vector<std::size_t>;

inline std::size_t shape_size(const Shape& s) {
  return std::accumulate(s.begin(), s.end(), std::size_t{1}, std::multiplies<>());
}

// "(2, 3, 32)" as NumPy prints a shape.
inline std::string shape_string(const Shape& s) {
  std::string out = "(";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + (s.size() == 1 ? ",)" : ")");
}

template <class T>
struct Array {
  Shape shape;
  std::vector<T> data;

  Array() = default;
  explicit Array(Shape s) : shape(std::move(s)), data(shape_size(shape)) {}
  Array(Shape s, std::vector<T> d) : shape(std::move(s)), data(std::move(d)) {}

  std::size_t size() const { return data.size(); }
  std::size_t ndim() const { return shape.size(); }
};

}  // namespace wst
