#include "wst/core/fourier.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <string>

#include "spectral.hpp"
#include "wst/support/error.hpp"
#include "wst/core/fft.hpp"

namespace wst {
namespace {

template <class V>
void check_finite_values(const char* fn, const std::vector<V>& x) {
  detail::check_finite(x.data(), x.size(), std::string(fn) + ": input", "the Fourier transform");
}

// The transformed axes of `shape` (the last `rank`) and the number of transforms (the batch).
struct Axes {
  std::vector<int> dims;
  std::size_t batch = 1;
  std::size_t points = 1;  // Π dims
};

Axes transform_axes(const char* fn, const Shape& shape, int rank) {
  if (rank != 1 && rank != 2)
    throw UsageError(std::string(fn) + ": rank must be 1 or 2 (got " + std::to_string(rank) + ")");
  if (shape.size() < std::size_t(rank))
    throw InputError(std::string(fn) + ": a rank-" + std::to_string(rank) +
                     " transform needs an array of at least " + std::to_string(rank) +
                     " dimensions (got shape " + shape_string(shape) + ")");
  Axes a;
  const std::size_t lead = shape.size() - rank;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i < lead) {
      a.batch *= shape[i];
      continue;
    }
    if (shape[i] == 0)
      throw InputError(std::string(fn) + ": transformed axis " + std::to_string(i) +
                       " is empty (shape " + shape_string(shape) + ")");
    if (shape[i] > std::size_t(INT_MAX))
      throw InputError(std::string(fn) + ": transformed axis " + std::to_string(i) +
                       " is longer than " + std::to_string(INT_MAX) + " (shape " +
                       shape_string(shape) + ")");
    a.dims.push_back(int(shape[i]));
    a.points *= shape[i];
  }
  if (a.points > std::size_t(INT_MAX))
    throw InputError(std::string(fn) + ": a transform of shape " + shape_string(shape) + " has more than " +
                     std::to_string(INT_MAX) + " points");
  return a;
}

// The factors numpy.fft applies to the forward and inverse transforms of n points.
double forward_factor(FftNorm norm, std::size_t n) {
  return norm == FftNorm::backward ? 1.0 : norm == FftNorm::ortho ? 1.0 / std::sqrt(double(n)) : 1.0 / double(n);
}
double inverse_factor(FftNorm norm, std::size_t n) {
  return norm == FftNorm::forward ? 1.0 : norm == FftNorm::ortho ? 1.0 / std::sqrt(double(n)) : 1.0 / double(n);
}

// Runs `batch` transforms of shape `dims` (n_in values in, n_out out each) as blocks of K
// consecutive transforms with one FFTW plan (howmany = K), the last block padded with zeros. The
// blocks depend on the batch and the size only, so every transform is computed by the same plan,
// hence to the same bits, for any thread count. load(first, count, In*) fills a block's aligned
// input; store(first, count, const Out*) reads its output.
template <class T, class In, class Out, class Load, class Store>
void run_blocks(typename FftPlan<T>::Kind kind, const Axes& ax, std::size_t n_in, std::size_t n_out,
                const ExecOptions& exec, Load load, Store store) {
  if (ax.batch == 0) return;
  // About 2^15 values a block (a few hundred KiB), balanced so that padding wastes < 1 transform
  // a block.
  const std::size_t cap = std::clamp<std::size_t>((std::size_t{1} << 15) / std::max(n_in, n_out), 1, 256);
  const std::size_t blocks = (ax.batch + cap - 1) / cap, K = (ax.batch + blocks - 1) / blocks;
  const FftPlan<T> plan(kind, ax.dims, int(K), exec.planning);
  detail::parallel_ranges(blocks, exec.threads, [&](std::size_t b0, std::size_t b1) {
    AlignedVector<In> in(K * n_in);
    AlignedVector<Out> out(K * n_out);
    for (std::size_t b = b0; b < b1; ++b) {
      const std::size_t first = b * K, count = std::min(K, ax.batch - first);
      load(first, count, in.data());
      std::fill(in.begin() + count * n_in, in.end(), In(0));
      plan(in.data(), out.data());
      store(first, count, static_cast<const Out*>(out.data()));
    }
  });
}

// dst[i] = src[i]·s (a plain copy when s = 1).
template <class A, class B, class T>
void copy_scaled(const A* src, std::size_t n, T s, B* dst) {
  if (s == T(1))
    std::copy(src, src + n, dst);
  else
    for (std::size_t i = 0; i < n; ++i) dst[i] = src[i] * s;
}

// Range (docs/architecture.md, "Range"): transform t of a block is computed as 2^-e[t]·x, e[t] set
// by load_block from its (finite) input, and its output scaled back by 2^(k·e[t]), k = 1 (2 for a
// power spectrum). e holds one exponent a transform of the call; each block writes its own.
template <class V>
void load_block(std::vector<int>& e, std::size_t first, std::size_t count, std::size_t n, V* a) {
  for (std::size_t t = 0; t < count; ++t) {
    V* at = a + t * n;
    e[first + t] = detail::range_exponent(detail::max_magnitude(at, n));
    detail::scale_pow2(at, n, -e[first + t]);
  }
}

// Scales transforms [first, first + count) of n values each at y by 2^(k·e[t]).
template <class V>
void scale_block(const std::vector<int>& e, std::size_t first, std::size_t count, std::size_t n,
                 int k, V* y) {
  for (std::size_t t = 0; t < count; ++t) detail::scale_pow2(y + t * n, n, k * e[first + t]);
}

// After scaling back: a rescaled transform's output must fit T (InputError otherwise).
template <class V>
void check_block(const char* fn, const std::vector<int>& e, std::size_t batch, std::size_t first,
                 std::size_t count, std::size_t n, const V* y) {
  for (std::size_t t = 0; t < count; ++t)
    if (e[first + t] != 0)
      detail::check_in_range(
          y + t * n, n,
          std::string(fn) + ": the transform" +
              (batch > 1 ? " of signal " + std::to_string(first + t) : std::string()));
}

template <class T>
Array<std::complex<T>> c2c(const char* fn, const Array<std::complex<T>>& x, int rank, bool inverse,
                           FftNorm norm, const ExecOptions& exec) {
  using C = std::complex<T>;
  const Axes ax = transform_axes(fn, x.shape, rank);
  check_finite_values(fn, x.data);
  const std::size_t n = ax.points;
  const T s = T(inverse ? inverse_factor(norm, n) : forward_factor(norm, n));
  std::vector<int> e(ax.batch);
  Array<C> out(x.shape);
  run_blocks<T, C, C>(
      inverse ? FftPlan<T>::Kind::backward : FftPlan<T>::Kind::forward, ax, n, n, exec,
      [&](std::size_t first, std::size_t count, C* a) {
        std::copy_n(x.data.data() + first * n, count * n, a);
        load_block(e, first, count, n, a);
      },
      [&](std::size_t first, std::size_t count, const C* b) {
        C* y = out.data.data() + first * n;
        copy_scaled(b, count * n, s, y);
        scale_block(e, first, count, n, 1, y);
        check_block(fn, e, ax.batch, first, count, n, y);
      });
  return out;
}

// The one-sided spectra of the real transforms of x (validated by the caller), passed block by
// block to store(first, count, spectra) for the transforms [first, first + count), each of
// `half` complex values; transform t computed as 2^-e[t]·x (load_block).
template <class T, class Store>
void r2c_blocks(const Array<T>& x, const Axes& ax, const ExecOptions& exec, std::vector<int>& e,
                Store store) {
  const std::size_t n = ax.points, half = n / x.shape.back() * (x.shape.back() / 2 + 1);
  run_blocks<T, T, std::complex<T>>(
      FftPlan<T>::Kind::r2c, ax, n, half, exec,
      [&](std::size_t first, std::size_t count, T* a) {
        std::copy_n(x.data.data() + first * n, count * n, a);
        load_block(e, first, count, n, a);
      },
      [&](std::size_t first, std::size_t count, const std::complex<T>* b) {
        store(first, count, b);
      });
}

Shape onesided_shape(Shape s) {
  s.back() = s.back() / 2 + 1;
  return s;
}

}  // namespace

template <class T>
Array<std::complex<T>> rfft(const Array<T>& x, int rank, FftNorm norm, const ExecOptions& exec) {
  const Axes ax = transform_axes("rfft", x.shape, rank);
  check_finite_values("rfft", x.data);
  const T s = T(forward_factor(norm, ax.points));
  std::vector<int> e(ax.batch);
  Array<std::complex<T>> out(onesided_shape(x.shape));
  const std::size_t half = out.size() / std::max<std::size_t>(ax.batch, 1);
  r2c_blocks(x, ax, exec, e, [&](std::size_t first, std::size_t count, const std::complex<T>* b) {
    std::complex<T>* y = out.data.data() + first * half;
    copy_scaled(b, count * half, s, y);
    scale_block(e, first, count, half, 1, y);
    check_block("rfft", e, ax.batch, first, count, half, y);
  });
  return out;
}

template <class T>
Array<T> irfft(const Array<std::complex<T>>& X, std::size_t n, int rank, FftNorm norm,
               const ExecOptions& exec) {
  using C = std::complex<T>;
  if (n == 0 || n > std::size_t(INT_MAX))
    throw UsageError("irfft: output length n must be in [1, " + std::to_string(INT_MAX) + "] (got " +
                     std::to_string(n) + ")");
  Axes ax = transform_axes("irfft", X.shape, rank);
  if (X.shape.back() != n / 2 + 1)
    throw UsageError("irfft: an output length n = " + std::to_string(n) + " needs " +
                     std::to_string(n / 2 + 1) + " values on the last axis (got shape " +
                     shape_string(X.shape) + ")");
  check_finite_values("irfft", X.data);
  const std::size_t n_in = ax.points, n_out = n_in / X.shape.back() * n;
  if (n_out > std::size_t(INT_MAX))
    throw UsageError("irfft: an output of " + std::to_string(n_out) + " points a transform is more than " +
                     std::to_string(INT_MAX));
  ax.dims.back() = int(n);
  ax.points = n_out;
  const T s = T(inverse_factor(norm, n_out));
  Shape shape = X.shape;
  shape.back() = n;
  Array<T> out(shape);
  std::vector<int> e(ax.batch);
  // c2r overwrites its input: the block copy keeps X intact.
  run_blocks<T, C, T>(
      FftPlan<T>::Kind::c2r, ax, n_in, n_out, exec,
      [&](std::size_t first, std::size_t count, C* a) {
        std::copy_n(X.data.data() + first * n_in, count * n_in, a);
        load_block(e, first, count, n_in, a);
      },
      [&](std::size_t first, std::size_t count, const T* b) {
        T* y = out.data.data() + first * n_out;
        copy_scaled(b, count * n_out, s, y);
        scale_block(e, first, count, n_out, 1, y);
        check_block("irfft", e, ax.batch, first, count, n_out, y);
      });
  return out;
}

template <class T>
Array<std::complex<T>> fft(const Array<std::complex<T>>& x, int rank, FftNorm norm, const ExecOptions& exec) {
  return c2c("fft", x, rank, false, norm, exec);
}

template <class T>
Array<std::complex<T>> ifft(const Array<std::complex<T>>& X, int rank, FftNorm norm, const ExecOptions& exec) {
  return c2c("ifft", X, rank, true, norm, exec);
}

template <class T>
Array<T> power_spectrum(const Array<T>& x, int rank, const ExecOptions& exec) {
  const Axes ax = transform_axes("power_spectrum", x.shape, rank);
  check_finite_values("power_spectrum", x.data);
  std::vector<int> e(ax.batch);
  Array<T> out(onesided_shape(x.shape));
  const std::size_t half = out.size() / std::max<std::size_t>(ax.batch, 1);
  // |X|² is homogeneous of degree 2: scaled back by 2^(2e).
  r2c_blocks(x, ax, exec, e, [&](std::size_t first, std::size_t count, const std::complex<T>* b) {
    T* y = out.data.data() + first * half;
    for (std::size_t i = 0; i < count * half; ++i) y[i] = std::norm(b[i]);
    scale_block(e, first, count, half, 2, y);
    check_block("power_spectrum", e, ax.batch, first, count, half, y);
  });
  return out;
}

// numpy.fft.fftfreq(n): k·(1/n) for k = 0 … ⌈n/2⌉ − 1, then −⌊n/2⌋ … −1.
std::vector<double> fft_frequencies(std::size_t n) {
  std::vector<double> f(n);
  if (n == 0) return f;
  const double val = 1.0 / double(n);
  const std::size_t pos = (n - 1) / 2 + 1;
  for (std::size_t k = 0; k < n; ++k) f[k] = (k < pos ? double(k) : -double(n - k)) * val;
  return f;
}

// numpy.fft.rfftfreq(n): k·(1/n) for k = 0 … ⌊n/2⌋.
std::vector<double> rfft_frequencies(std::size_t n) {
  std::vector<double> f(n == 0 ? 0 : n / 2 + 1);
  const double val = n == 0 ? 0.0 : 1.0 / double(n);
  for (std::size_t k = 0; k < f.size(); ++k) f[k] = double(k) * val;
  return f;
}

#define WST_INSTANTIATE(T)                                                                          \
  template Array<std::complex<T>> rfft<T>(const Array<T>&, int, FftNorm, const ExecOptions&);       \
  template Array<T> irfft<T>(const Array<std::complex<T>>&, std::size_t, int, FftNorm,              \
                             const ExecOptions&);                                                   \
  template Array<std::complex<T>> fft<T>(const Array<std::complex<T>>&, int, FftNorm,               \
                                         const ExecOptions&);                                       \
  template Array<std::complex<T>> ifft<T>(const Array<std::complex<T>>&, int, FftNorm,              \
                                          const ExecOptions&);                                      \
  template Array<T> power_spectrum<T>(const Array<T>&, int, const ExecOptions&);
WST_INSTANTIATE(float)
WST_INSTANTIATE(double)
#undef WST_INSTANTIATE

}  // namespace wst
