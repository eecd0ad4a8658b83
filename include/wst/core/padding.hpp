// Reflect padding (NumPy "reflect": whole-sample symmetric, edge not repeated), spec §0.
#pragma once
#include <cstddef>

namespace wst {

// Index into [0, n) of position t of the even periodic extension of period 2(n − 1).
inline std::size_t reflect_index(long long t, std::size_t n) {
  if (n == 1) return 0;
  const long long period = 2 * (static_cast<long long>(n) - 1);
  t %= period;
  if (t < 0) t += period;
  if (t >= static_cast<long long>(n)) t = period - t;
  return static_cast<std::size_t>(t);
}

// out[i] = x[reflect_index(i − pad_left, n)] for i in [0, padded).
template <class In, class Out>
void reflect_pad(const In* x, std::size_t n, std::size_t pad_left, std::size_t padded, Out* out) {
  for (std::size_t i = 0; i < padded; ++i)
    out[i] = static_cast<Out>(x[reflect_index(static_cast<long long>(i) - static_cast<long long>(pad_left), n)]);
}

}  // namespace wst
