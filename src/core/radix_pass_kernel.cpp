// The radix-p pass of radix_pass.hpp for one instruction set. This file is compiled once per set
// (CMakeLists.txt), WST_RADIX_FUNCTION naming its entry point and WST_VECTOR_BYTES the width of
// the set's vectors; GCC's vector extensions turn the code below into that set's SIMD code.
//
// The p-point DFT (docs/fft.md §2): with h = (p − 1)/2, a_k = x_k + x_{p−k}, b_k = x_k − x_{p−k},
//   X_0 = x_0 + Σ_k a_k,   X_j = A_j + T_j,   X_{p−j} = A_j − T_j   (j = 1 … h),
//   A_j = x_0 + Σ_k a_k cos(2πjk/p),   T_j = σ i Σ_k b_k sin(2πjk/p),
// two h × h real products on complex vectors instead of one p × p complex product.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "radix_pass.hpp"

namespace wst::detail {
namespace {

// W complex values (2W reals, re/im interleaved) in one vector, loaded from any address.
template <class T, int W>
struct Simd {
  typedef T V __attribute__((vector_size(2 * W * sizeof(T))));
  using I = std::conditional_t<sizeof(T) == 4, std::int32_t, std::int64_t>;
  typedef I Mask __attribute__((vector_size(2 * W * sizeof(T))));

  static V load(const T* p) {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static void store(T* p, V v) { std::memcpy(p, &v, sizeof v); }
  static V pattern(T even, T odd) {
    V v;
    for (int i = 0; i < 2 * W; ++i) v[i] = i % 2 ? odd : even;
    return v;
  }
  static V pair(const T* p) { return pattern(p[0], p[1]); }
  static V swap(V v) {  // (re, im) → (im, re)
    Mask m;
    for (int i = 0; i < 2 * W; ++i) m[i] = i ^ 1;
    return __builtin_shuffle(v, m);
  }
  // x·w, w given as (w_r, w_r) and (−w_i, w_i) pairs.
  static V times(V x, V wr, V wi) { return x * wr + swap(x) * wi; }
};

// The values v0 … v1 − 1 of run r, W at a time, then the rest with narrower vectors.
template <class T, int P, int W, bool PerElement, bool Post>
void span(const RadixPass<T>& a, const T* cs, const T* sn, std::size_t r, std::size_t v0,
          std::size_t v1) {
  using S = Simd<T, W>;
  using V = typename S::V;
  constexpr int H = (P - 1) / 2;
  const bool twiddled = a.tw_re != nullptr;
  V wr[P - 1], wi[P - 1];
  auto twiddles = [&](std::size_t v) {
    for (int n = 1; n < P; ++n) {
      const std::ptrdiff_t e = (n - 1) * a.tw_point + std::ptrdiff_t(r) * a.tw_run + std::ptrdiff_t(v);
      wr[n - 1] = PerElement ? S::load(a.tw_re + 2 * e) : S::pair(a.tw_re + 2 * e);
      wi[n - 1] = PerElement ? S::load(a.tw_im + 2 * e) : S::pair(a.tw_im + 2 * e);
    }
  };
  if (!PerElement && twiddled) twiddles(0);
  const V pat = S::pattern(T(-a.sign), T(a.sign));  // i·σ on swapped (re, im)
  const T* in = reinterpret_cast<const T*>(a.in + std::ptrdiff_t(r) * a.run_stride);
  T* out = reinterpret_cast<T*>(a.out + std::ptrdiff_t(r) * a.run_stride);
  const std::ptrdiff_t st = 2 * a.stride;
  for (; v0 + W <= v1; v0 += W) {
    if (PerElement && twiddled) twiddles(v0);
    V x[P];
#pragma GCC unroll 32
    for (int n = 0; n < P; ++n) x[n] = S::load(in + n * st + 2 * std::ptrdiff_t(v0));
    if (!Post && twiddled)
#pragma GCC unroll 32
      for (int n = 1; n < P; ++n) x[n] = S::times(x[n], wr[n - 1], wi[n - 1]);
    V s[H], d[H], y[P];
    y[0] = x[0];
#pragma GCC unroll 32
    for (int k = 1; k <= H; ++k) {
      s[k - 1] = x[k] + x[P - k];
      d[k - 1] = S::swap(x[k] - x[P - k]) * pat;
      y[0] += s[k - 1];
    }
#pragma GCC unroll 32
    for (int j = 1; j <= H; ++j) {
      V A = x[0], Tj = x[0] * T(0);
#pragma GCC unroll 32
      for (int k = 1; k <= H; ++k) {
        const int m = j * k % P;
        if (m <= H) {
          A += s[k - 1] * cs[m];
          Tj += d[k - 1] * sn[m];
        } else {
          A += s[k - 1] * cs[P - m];
          Tj -= d[k - 1] * sn[P - m];
        }
      }
      y[j] = A + Tj;
      y[P - j] = A - Tj;
    }
    if (Post && twiddled)
#pragma GCC unroll 32
      for (int n = 1; n < P; ++n) y[n] = S::times(y[n], wr[n - 1], wi[n - 1]);
#pragma GCC unroll 32
    for (int n = 0; n < P; ++n) S::store(out + n * st + 2 * std::ptrdiff_t(v0), y[n]);
  }
  if constexpr (W > 1)
    if (v0 < v1) span<T, P, W / 2, PerElement, Post>(a, cs, sn, r, v0, v1);
}

template <class T, int P, bool PerElement, bool Post>
void all_runs(const RadixPass<T>& a) {
  constexpr int W = WST_VECTOR_BYTES / (2 * sizeof(T));
  T cs[P], sn[P];
  for (int m = 0; m < P; ++m) {
    cs[m] = T(std::cos(2 * M_PI * m / P));
    sn[m] = T(std::sin(2 * M_PI * m / P));
  }
  for (std::size_t r = 0; r < a.runs; ++r) span<T, P, W, PerElement, Post>(a, cs, sn, r, 0, a.width);
}

template <class T, int P>
void flags(const RadixPass<T>& a) {
  if (a.post) return all_runs<T, P, true, true>(a);  // only per-element twiddles after a pass
  if (a.per_element) return all_runs<T, P, true, false>(a);
  all_runs<T, P, false, false>(a);
}

template <class T>
void dispatch(const RadixPass<T>& a) {
  if (a.post && !a.per_element && a.tw_re) throw std::logic_error("radix pass: post-twiddles must be per element");
  switch (a.p) {
    case 17: return flags<T, 17>(a);
    case 19: return flags<T, 19>(a);
    case 23: return flags<T, 23>(a);
    default: throw std::logic_error("radix pass: no kernel for p = " + std::to_string(a.p));
  }
}

}  // namespace

void WST_RADIX_FUNCTION(const RadixPass<float>& a) { dispatch(a); }
void WST_RADIX_FUNCTION(const RadixPass<double>& a) { dispatch(a); }

}  // namespace wst::detail
