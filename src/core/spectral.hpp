// Private building blocks of the scattering cascades (not installed).
#pragma once
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <cmath>
#include <complex>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#if defined(__x86_64__) || defined(__SSE2__)
#include <xmmintrin.h>
#endif

#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

#include "wst/support/error.hpp"
#include "wst/core/fft.hpp"

namespace wst::detail {

// A real filter in Fourier stored densely, plus the runs [begin, end) where it is non-zero:
// products skip exact zeros, which changes no bit of the result.
template <class T>
struct SparseFilter {
  AlignedVector<T> values;
  std::vector<std::pair<std::size_t, std::size_t>> runs;

  SparseFilter() = default;
  // values[k] = scale · f[k], converted to T.
  SparseFilter(const std::vector<double>& f, double scale) : values(f.size()) {
    for (std::size_t k = 0; k < f.size(); ++k) values[k] = static_cast<T>(f[k] * scale);
    for (std::size_t k = 0; k < f.size();) {
      if (values[k] == T(0)) {
        ++k;
        continue;
      }
      std::size_t e = k;
      while (e < f.size() && values[e] != T(0)) ++e;
      runs.emplace_back(k, e);
      k = e;
    }
  }
};

// Z[m] = Σ_a Y[m + a·n_out] · f[m + a·n_out], m < n_out: the filter product followed by the
// Fourier subsampling of spec §0 (its 1/s, like the inverse DFT's 1/n, is folded into f).
template <class T>
void multiply_subsample(const std::complex<T>* Y, const SparseFilter<T>& f, std::size_t n_out,
                        std::complex<T>* Z) {
  for (std::size_t m = 0; m < n_out; ++m) Z[m] = 0;
  const T* fv = f.values.data();
  for (auto [b, e] : f.runs) {
    std::size_t k = b;
    while (k < e) {
      const std::size_t m0 = k % n_out;
      const std::size_t stop = std::min(e, k + (n_out - m0));
      std::complex<T>* z = Z + m0 - k;
      for (std::size_t i = k; i < stop; ++i) z[i] += Y[i] * fv[i];
      k = stop;
    }
  }
}

// The hot loops below are compiled for AVX-512, AVX2 + FMA and the baseline, the CPU's best
// chosen when the program loads (GCC's target_clones).
#define WST_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

// U[i] = |z[i]| (spec §0's modulus).
template <class T>
WST_CLONES void modulus(const std::complex<T>* z, std::size_t n, T* u) {
  const T* p = reinterpret_cast<const T*>(z);
  for (std::size_t i = 0; i < n; ++i) u[i] = std::sqrt(p[2 * i] * p[2 * i] + p[2 * i + 1] * p[2 * i + 1]);
}

// u[i] = |a[i]| + i·|b[i]| (spec §0's modulus of two complex images as one complex image); u may
// be a.
template <class T>
WST_CLONES void modulus_pair(const std::complex<T>* a, const std::complex<T>* b, std::size_t n,
                             std::complex<T>* u) {
  const T* p = reinterpret_cast<const T*>(a);
  const T* q = reinterpret_cast<const T*>(b);
  T* o = reinterpret_cast<T*>(u);
  for (std::size_t i = 0; i < n; ++i) {
    const T ua = std::sqrt(p[2 * i] * p[2 * i] + p[2 * i + 1] * p[2 * i + 1]);
    const T ub = std::sqrt(q[2 * i] * q[2 * i] + q[2 * i + 1] * q[2 * i + 1]);
    o[2 * i] = ua;
    o[2 * i + 1] = ub;
  }
}

// The B = 1 kernel of product_sum on W complex values per vector: n advances by W while W more
// values remain.
template <std::size_t W, class T>
inline __attribute__((always_inline)) void product_sum_steps(T* __restrict z, const T* __restrict y,
                                                             const T* __restrict g, std::size_t s,
                                                             std::size_t stride, std::size_t count,
                                                             bool set, std::size_t& n) {
  typedef T G __attribute__((vector_size(W * sizeof(T))));
  typedef T V __attribute__((vector_size(2 * W * sizeof(T))));
  for (; n + W <= count; n += W) {
    V acc = {};
    for (std::size_t b = 0; b < s; ++b) {
      G gk;
      V yk, gg;
      std::memcpy(&gk, g + b * stride + n, sizeof gk);
      std::memcpy(&yk, y + 2 * (b * stride + n), sizeof yk);
      if constexpr (W == 8)  // (g0, g0, g1, g1, …): each real value over a (re, im) pair
        gg = __builtin_shufflevector(gk, gk, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
      else if constexpr (W == 4)
        gg = __builtin_shufflevector(gk, gk, 0, 0, 1, 1, 2, 2, 3, 3);
      else
        gg = __builtin_shufflevector(gk, gk, 0, 0, 1, 1);
      const V p = yk * gg;
      if (b > 0) acc += p;
      else if (set) acc = p;
      else {
        std::memcpy(&acc, z + 2 * n, sizeof acc);
        acc += p;
      }
    }
    std::memcpy(z + 2 * n, &acc, sizeof acc);
  }
}

// z[n] = Σ_{b<s} y_b[n]·g_b[n] (set) or z[n] += … (accumulated left to right, z first) for
// n < count, with y_b = y + 2B·b·stride and g_b = g + b·stride: one output row of the periodised
// product Sub_s(Y·F) (§0, §2.8). z and y hold B complex lanes per n as (re, im) pairs, g is real.
// With B > 1, a term with g_b[n] = 0 is skipped (exact: it adds nothing).
template <int B, class T>
WST_CLONES void product_sum(T* __restrict z, const T* __restrict y, const T* __restrict g,
                            std::size_t s, std::size_t stride, std::size_t count, bool set) {
  std::size_t n = 0;
  if constexpr (B == 1) {  // 64, 32, then 16 bytes of (re, im) pairs per step
    product_sum_steps<32 / sizeof(T)>(z, y, g, s, stride, count, set, n);
    product_sum_steps<16 / sizeof(T)>(z, y, g, s, stride, count, set, n);
    if constexpr (sizeof(T) == 4) product_sum_steps<2>(z, y, g, s, stride, count, set, n);
    for (; n < count; ++n)
      for (int c = 0; c < 2; ++c) {
        T acc = set ? T(0) : z[2 * n + c];
        for (std::size_t b = 0; b < s; ++b) {
          const T p = y[2 * (b * stride + n) + c] * g[b * stride + n];
          acc = b == 0 && set ? p : acc + p;
        }
        z[2 * n + c] = acc;
      }
  } else {  // one vector of 2B values per n
    typedef T V __attribute__((vector_size(2 * B * sizeof(T))));
    for (; n < count; ++n) {
      V acc = {};
      if (!set) std::memcpy(&acc, z + 2 * B * n, sizeof acc);
      for (std::size_t b = 0; b < s; ++b) {
        const T gn = g[b * stride + n];
        if (gn == T(0)) continue;
        V yk;
        std::memcpy(&yk, y + 2 * B * (b * stride + n), sizeof yk);
        acc += yk * gn;
      }
      std::memcpy(z + 2 * B * n, &acc, sizeof acc);
    }
  }
}

// z[n] += y[n]·g[n] for n < count (product_sum with s = 1).
template <int B, class T>
void accumulate_product(T* __restrict z, const T* __restrict y, const T* __restrict g,
                        std::size_t count) {
  product_sum<B>(z, y, g, 1, 0, count, false);
}

// One row of the spectra of two real images from Z = DFT2(U_a + i·U_b): with p row k of Z and
// q row −k, Y_a(l) = (p(l) + conj q(−l))/2 and Y_b(l) = (p(l) − conj q(−l))/(2i) for l < n
// (columns mod n), B complex lanes per l as (re, im) pairs.
template <int B, class T>
WST_CLONES void split_spectra_row(const T* __restrict p, const T* __restrict q, T* __restrict ya,
                                  T* __restrict yb, std::size_t n) {
  auto one = [&](std::size_t l, std::size_t ml) {
    for (int e = 0; e < 2 * B; e += 2) {
      const T ar = p[2 * B * l + e], ai = p[2 * B * l + e + 1];
      const T cr = q[2 * B * ml + e], ci = q[2 * B * ml + e + 1];
      ya[2 * B * l + e] = T(0.5) * (ar + cr);
      ya[2 * B * l + e + 1] = T(0.5) * (ai - ci);
      yb[2 * B * l + e] = T(0.5) * (ai + ci);
      yb[2 * B * l + e + 1] = T(0.5) * (cr - ar);
    }
  };
  one(0, 0);
  for (std::size_t l = 1; l < n; ++l) one(l, n - l);
}

// y[e] += a·x[e] for e < n.
template <class T>
WST_CLONES void axpy(T* __restrict y, T a, const T* __restrict x, std::size_t n) {
  for (std::size_t e = 0; e < n; ++e) y[e] += a * x[e];
}

// z = a + i·b (as (re, im) pairs), and back, for n values.
template <class T>
WST_CLONES void zip(const T* __restrict a, const T* __restrict b, T* __restrict z, std::size_t n) {
  for (std::size_t e = 0; e < n; ++e) {
    z[2 * e] = a[e];
    z[2 * e + 1] = b[e];
  }
}
template <class T>
WST_CLONES void unzip(const T* __restrict z, T* __restrict a, T* __restrict b, std::size_t n) {
  for (std::size_t e = 0; e < n; ++e) {
    a[e] = z[2 * e];
    b[e] = z[2 * e + 1];
  }
}

// acc[l] = Σ_v w[v]·x[v·B + l] for the B lanes l.
template <int B, class T>
WST_CLONES void lane_dot(const T* __restrict w, const T* __restrict x, std::size_t n, T* __restrict acc) {
  typedef T V __attribute__((vector_size(B * sizeof(T))));
  V sum = {};
  for (std::size_t v = 0; v < n; ++v) {
    V xv;
    std::memcpy(&xv, x + v * B, sizeof xv);
    sum += xv * w[v];
  }
  std::memcpy(acc, &sum, sizeof sum);
}

// "NaN" or "Inf" for a non-finite value (real or complex), nullptr for a finite one.
template <class T>
const char* non_finite(T v) {
  return std::isnan(v) ? "NaN" : std::isinf(v) ? "Inf" : nullptr;
}
template <class T>
const char* non_finite(std::complex<T> v) {
  const char* re = non_finite(v.real());
  return re ? re : non_finite(v.imag());
}

// Throws InputError "<what> holds NaN at flat index i: <who> needs finite values" unless every
// x[i] (real or complex) is finite.
template <class V>
void check_finite(const V* x, std::size_t n, std::string_view what = "input",
                  std::string_view who = "scattering") {
  for (std::size_t i = 0; i < n; ++i)
    if (const char* bad = non_finite(x[i]))
      throw InputError(std::string(what) + " holds " + bad + " at flat index " +
                       std::to_string(i) + ": " + std::string(who) + " needs finite values");
}

// Exact power-of-two rescaling (docs/architecture.md, "Range"). Every transform here
// is positively homogeneous, F(2^e·x) = 2^e·F(x) (degree 2 for a power spectrum), and scaling by
// 2^e commutes with every rounded operation as long as nothing overflows or becomes subnormal.
// A signal whose largest magnitude lies outside [2^-B, 2^B], B = max_exponent / 4 (2^32 for
// float, 2^256 for double), is computed as 2^-e·x with e its binary exponent, which keeps the
// squares of the modulus and the DFT's growth by N inside the normal range; results for
// signals inside that band are untouched, bit for bit.
//
// max_magnitude: the largest |x[i]|, or Inf when some x[i] is Inf or NaN. Branch-free on the bit
// patterns less the sign (for non-negative IEEE values pattern order is value order, and NaNs lie
// above Inf), so that it vectorises.
template <class T>
T max_magnitude(const T* x, std::size_t n) {
  using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  constexpr U magnitude = ~(U(1) << (8 * sizeof(U) - 1));
  constexpr U inf = std::bit_cast<U>(std::numeric_limits<T>::infinity());
  U m = 0;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, U(std::bit_cast<U>(x[i]) & magnitude));
  return std::bit_cast<T>(std::min(m, inf));
}
template <class T>
T max_magnitude(const std::complex<T>* x, std::size_t n) {
  return max_magnitude(reinterpret_cast<const T*>(x), 2 * n);
}

// The exponent e to compute with (0 when no rescaling is needed), for a largest magnitude m.
template <class T>
int range_exponent(T m) {
  constexpr int bound = std::numeric_limits<T>::max_exponent / 4;
  if (!(m > 0) || !std::isfinite(m)) return 0;
  int e = 0;
  std::frexp(m, &e);  // m = f·2^e, f in [1/2, 1)
  return (e > bound || e < -bound) ? e : 0;
}

// Flush to zero on the calling thread while alive, then the caller's mode again: a result below
// the smallest normal number (float 1.2e-38, double 2.2e-308) becomes 0 rather than subnormal.
// Subnormal arithmetic is up to 100× slower on x86; Gaussian tails produce such values, and the
// float JTFS spent half its time on them. Results change by less than that threshold; the mode
// is the same on every thread, so they stay independent of the thread count.
class FlushToZero {
#if defined(__x86_64__) || defined(__SSE2__)
 public:
  FlushToZero() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | 0x8000u); }  // MXCSR.FTZ
  ~FlushToZero() { _mm_setcsr(saved_); }
  FlushToZero(const FlushToZero&) = delete;
  FlushToZero& operator=(const FlushToZero&) = delete;

 private:
  unsigned saved_;
#endif
};

// The opposite, for the few exact steps whose results may be subnormal (scale_pow2).
class KeepSubnormals {
#if defined(__x86_64__) || defined(__SSE2__)
 public:
  KeepSubnormals() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ & ~0x8000u); }
  ~KeepSubnormals() { _mm_setcsr(saved_); }
  KeepSubnormals(const KeepSubnormals&) = delete;
  KeepSubnormals& operator=(const KeepSubnormals&) = delete;

 private:
  unsigned saved_;
#endif
};

// y[i] = 2^e·x[i] (exact unless the result overflows or is subnormal).
template <class T>
void scale_pow2(T* x, std::size_t n, int e) {
  if (e == 0) return;
  const KeepSubnormals exact;  // 2^e·x is exact, subnormal results included
  for (std::size_t i = 0; i < n; ++i) x[i] = std::ldexp(x[i], e);
}
template <class T>
void scale_pow2(std::complex<T>* x, std::size_t n, int e) {
  scale_pow2(reinterpret_cast<T*>(x), 2 * n, e);
}
// 2^e·v, one value (as scale_pow2).
template <class T>
T scaled(T v, int e) {
  return std::ldexp(v, e);
}
template <class T>
std::complex<T> scaled(std::complex<T> v, int e) {
  return {std::ldexp(v.real(), e), std::ldexp(v.imag(), e)};
}

// Throws InputError naming `what` and T's range when 2^e·(a result) is not finite.
template <class V>
void check_in_range(const V* y, std::size_t n, std::string_view what) {
  using T = decltype(std::abs(V{}));
  for (std::size_t i = 0; i < n; ++i)
    if (non_finite(y[i]))
      throw InputError(std::string(what) + " overflows the range of " +
                       (sizeof(T) == 4 ? "float32 (3.4e38)" : "float64 (1.8e308)") +
                       ": scale the input down, or use " +
                       (sizeof(T) == 4 ? "float64" : "a smaller input"));
}

// ---- non-temporal stores, for outputs much larger than the caches ----

#if defined(__SSE2__) && defined(__x86_64__)
constexpr bool kCanStream = true;
// One value by a non-temporal store (SSE2), which bypasses the cache: 8 bytes through a general
// register, or 16 aligned bytes.
inline void stream(std::complex<float>* dst, const std::complex<float>* src) {
  long long v;
  std::memcpy(&v, src, sizeof v);
  _mm_stream_si64(reinterpret_cast<long long*>(dst), v);
}
inline void stream(std::complex<double>* dst, const std::complex<double>* src) {
  _mm_stream_pd(reinterpret_cast<double*>(dst), _mm_loadu_pd(reinterpret_cast<const double*>(src)));
}
// n values: plain stores up to dst's first 16-byte boundary, then non-temporal 16 bytes at a time.
inline void stream_copy(float* dst, const float* src, std::size_t n) {
  for (; n > 0 && reinterpret_cast<std::uintptr_t>(dst) % 16 != 0; --n) *dst++ = *src++;
  for (; n >= 4; n -= 4, dst += 4, src += 4) _mm_stream_ps(dst, _mm_loadu_ps(src));
  for (; n > 0; --n) *dst++ = *src++;
}
inline void stream_copy(double* dst, const double* src, std::size_t n) {
  for (; n > 0 && reinterpret_cast<std::uintptr_t>(dst) % 16 != 0; --n) *dst++ = *src++;
  for (; n >= 2; n -= 2, dst += 2, src += 2) _mm_stream_pd(dst, _mm_loadu_pd(src));
  for (; n > 0; --n) *dst++ = *src++;
}
// Orders this thread's non-temporal stores before whatever follows (the join).
inline void fence_stores() { _mm_sfence(); }
#else
constexpr bool kCanStream = false;
template <class V>
void stream(V* dst, const V* src) {
  *dst = *src;
}
template <class T>
void stream_copy(T* dst, const T* src, std::size_t n) {
  std::copy(src, src + n, dst);
}
inline void fence_stores() {}
#endif

template <class T>
void stream_copy(std::complex<T>* dst, const std::complex<T>* src, std::size_t n) {
  stream_copy(reinterpret_cast<T*>(dst), reinterpret_cast<const T*>(src), 2 * n);
}

// Copies n real or complex values, with `stream` by non-temporal stores.
template <class V>
void store(V* dst, const V* src, std::size_t n, bool stream) {
  if (stream)
    stream_copy(dst, src, n);
  else
    std::copy(src, src + n, dst);
}

// Scratch workspaces kept between calls, so that a transform allocates nothing per call once
// warm: a call leases one per thread and returns it when done. Thread-safe.
template <class Workspace>
class WorkspacePool {
 public:
  class Lease {
   public:
    Lease(WorkspacePool& pool, std::unique_ptr<Workspace> w) : pool_(pool), w_(std::move(w)) {}
    ~Lease() { pool_.give_back(std::move(w_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Workspace& operator*() const { return *w_; }

   private:
    WorkspacePool& pool_;
    std::unique_ptr<Workspace> w_;
  };

  // A workspace from the pool, or a new one made by make().
  template <class Make>
  Lease lease(Make make) {
    {
      std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        auto w = std::move(free_.back());
        free_.pop_back();
        return Lease(*this, std::move(w));
      }
    }
    return Lease(*this, make());
  }

 private:
  void give_back(std::unique_ptr<Workspace> w) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(w));
  }
  std::mutex mutex_;
  std::vector<std::unique_ptr<Workspace>> free_;
};

// Counts finished inputs and forwards them to an ExecOptions::progress callback, throttled.
class Progress {
 public:
  Progress(const std::function<void(std::size_t, std::size_t)>& callback, std::size_t total)
      : callback_(callback), total_(total) {}
  void add(std::size_t n) {
    if (!callback_) return;
    if ((done_ += n) >= total_) return;  // finish() reports the end
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const std::size_t done = done_;  // read under the lock: successive reports never decrease
    if (done < total_) callback_(done, total_);
  }
  // After the workers have joined.
  void finish() {
    if (callback_) callback_(total_, total_);
  }

 private:
  const std::function<void(std::size_t, std::size_t)>& callback_;
  const std::size_t total_;
  std::atomic<std::size_t> done_{0};
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

// Runs body(begin, end) over a fixed contiguous partition of [0, n) into min(threads, n) parts,
// each on its own thread, in FlushToZero mode; rethrows the first exception a part threw.
template <class F>
void parallel_ranges(std::size_t n, int threads, F body) {
  const std::size_t nt = std::min<std::size_t>(std::size_t(std::max(threads, 1)), n);
  if (nt <= 1) {
    const FlushToZero ftz;
    return body(std::size_t{0}, n);
  }
  std::vector<std::exception_ptr> errors(nt);
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < nt; ++t)
    pool.emplace_back([&, t] {
      const FlushToZero ftz;
      try {
        body(n * t / nt, n * (t + 1) / nt);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

// Runs body(k, k + 1) for every k in [0, n) on min(threads, n) threads, each taking the next
// unclaimed k (so a thread slowed by other load on the machine takes fewer), in FlushToZero mode;
// after an exception no further k starts, and the first one is rethrown. For bodies whose result
// for k does not depend on the thread that runs it.
template <class F>
void parallel_items(std::size_t n, int threads, F body) {
  const std::size_t nt = std::min<std::size_t>(std::size_t(std::max(threads, 1)), n);
  if (nt <= 1) return parallel_ranges(n, 1, body);
  std::atomic<std::size_t> next{0};
  parallel_ranges(nt, int(nt), [&](std::size_t, std::size_t) {
    for (std::size_t k; (k = next.fetch_add(1)) < n;) {
      try {
        body(k, k + 1);
      } catch (...) {
        next = n;
        throw;
      }
    }
  });
}

// Per-signal exponents (docs/architecture.md, "Range"): signal s (n values at x + s·n) is computed
// as 2^-e[s]·x; 0 inside the band, and for a signal holding Inf or NaN. Each e[s] depends on
// signal s alone, so the result does not depend on `threads`.
template <class V>
std::vector<int> signal_exponents(const V* x, std::size_t batch, std::size_t n, int threads) {
  std::vector<int> e(batch, 0);
  parallel_ranges(batch, threads, [&](std::size_t s0, std::size_t s1) {
    for (std::size_t s = s0; s < s1; ++s) e[s] = range_exponent(max_magnitude(x + s * n, n));
  });
  return e;
}

}  // namespace wst::detail

// ---- adjoints of the building blocks above (docs/scattering-gradients.md §2) ----

namespace wst::detail {

// Y[k] += f[k]·Z[k mod n_out] over f's non-zero runs: the adjoint of multiply_subsample (the
// filter product, then the Fourier subsampling), i.e. tiling Z to f's length, times f. Adds in
// ascending k, so the result does not depend on who calls it when.
template <class T>
void tile_multiply_add(const std::complex<T>* Z, const SparseFilter<T>& f, std::size_t n_out,
                       std::complex<T>* Y) {
  const T* fv = f.values.data();
  for (auto [b, e] : f.runs) {
    std::size_t k = b;
    while (k < e) {
      const std::size_t m0 = k % n_out;
      const std::size_t stop = std::min(e, k + (n_out - m0));
      const std::complex<T>* z = Z + m0 - k;
      for (std::size_t i = k; i < stop; ++i) Y[i] += z[i] * fv[i];
      k = stop;
    }
  }
}

// H[k] = (Y[k] + conj(Y[(n − k) mod n]))/2, k = 0 … n/2: the half spectrum whose c2r transform
// (unnormalised) is Re Σ_k Y[k]·e^{2πikt/n} = Re(n·IDFT_n(Y)), the adjoint of "spectrum of a real
// signal" (r2c with the Hermitian half filled in).
template <class T>
void hermitian_half(const std::complex<T>* Y, std::size_t n, std::complex<T>* H) {
  for (std::size_t k = 0; k <= n / 2; ++k) H[k] = T(0.5) * (Y[k] + std::conj(Y[(n - k) % n]));
}

// zbar[i] = ubar[i]·z[i]/|z[i]|, and 0 where z[i] = 0 (the subgradient kymatio.torch uses): the
// adjoint of modulus at z. |z| is computed exactly as modulus does.
template <class T>
void modulus_adjoint(const std::complex<T>* z, const T* ubar, std::size_t n, std::complex<T>* zbar) {
  const T* p = reinterpret_cast<const T*>(z);
  for (std::size_t i = 0; i < n; ++i) {
    const T re = p[2 * i], im = p[2 * i + 1];
    const T r = std::sqrt(re * re + im * im);
    const T s = r == T(0) ? T(0) : ubar[i] / r;
    zbar[i] = {s * re, s * im};
  }
}

}  // namespace wst::detail
