// RAII wrappers over FFTW plans (float and double). Plan once, execute many:
// plans are created and destroyed under one process-wide lock (FFTW's planner is not
// thread-safe) and executed lock-free with FFTW's new-array functions, from any thread.
// Arrays passed to execute() must be allocated with AlignedVector (same alignment as planning).
#pragma once
#include <complex>
#include <cstddef>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace wst {
namespace detail {
template <class T>
class MixedRadixFft;
}

// How hard FFTW searches for a fast plan: estimate (instant, for tests) or measure (library default).
enum class Planning { estimate, measure };

// std::allocator replacement returning 64-byte aligned storage, as FFTW's SIMD code wants.
template <class T>
struct AlignedAllocator {
  using value_type = T;
  AlignedAllocator() = default;
  template <class U>
  AlignedAllocator(const AlignedAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{64}));
  }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, std::align_val_t{64}); }
  template <class U>
  bool operator==(const AlignedAllocator<U>&) const noexcept { return true; }
};

template <class T>
using AlignedVector = std::vector<T, AlignedAllocator<T>>;

// How `howmany` transforms sit in memory: one after the other (contiguous), or element-wise
// interleaved, transform k's element i at i·howmany + k (so FFTW vectorises across transforms).
enum class Layout { contiguous, interleaved };

// One plan for `howmany` transforms of shape `dims` (rank 1 or 2), out of place; T is float or
// double. FFTW's plan, except where a length has a prime factor FFTW has no fast code for
// (17, 19, 23): there FFTW's plans for the rest and a vectorised radix pass (docs/fft.md).
// WST_FFT=fftw in the environment makes every plan FFTW's alone (for comparisons).
template <class T>
class FftPlan {
 public:
  using complex = std::complex<T>;
  enum class Kind { forward, backward, r2c, c2r };

  FftPlan();
  // forward/backward: complex -> complex, unnormalised (FFTW sign -1 / +1).
  // r2c: real (dims) -> complex (dims with last axis n/2+1). c2r: the inverse, unnormalised;
  // c2r overwrites its input.
  FftPlan(Kind kind, std::vector<int> dims, int howmany = 1, Planning planning = Planning::estimate,
          Layout layout = Layout::contiguous);
  ~FftPlan();
  FftPlan(FftPlan&& o) noexcept;
  FftPlan& operator=(FftPlan&& o) noexcept;
  FftPlan(const FftPlan&) = delete;
  FftPlan& operator=(const FftPlan&) = delete;

  void operator()(const complex* in, complex* out) const;  // forward / backward
  void operator()(const T* in, complex* out) const;        // r2c
  void operator()(complex* in, T* out) const;              // c2r
  explicit operator bool() const { return plan_ != nullptr || split_ != nullptr; }
  // "fftw", or "fftw + radix-p (isa)" where the plan splits off a factor p with our radix pass.
  std::string algorithm() const;

 private:
  void* plan_ = nullptr;                              // FFTW's plan, or
  std::unique_ptr<detail::MixedRadixFft<T>> split_;  // where a length has a factor 17, 19 or 23
  Kind kind_ = Kind::forward;
};

// FFTs a transform performs, as a transform reports them for benchmarks (its naive FFT floor):
// `count` executions of a plan of this kind, shape, batch, layout and planning, in that order.
template <class T>
struct FftWork {
  typename FftPlan<T>::Kind kind;
  std::vector<int> dims;
  int howmany = 1;
  Layout layout = Layout::contiguous;
  Planning planning = Planning::estimate;
  std::size_t count = 1;
};

// FFTW wisdom (measured plans) of both precisions, kept in `folder` as wisdom-f32 / wisdom-f64 so
// that FFTW_MEASURE planning is paid once per machine. load returns false if none was found;
// save writes atomically and returns false on failure. Both are safe to call from any thread.
// load reads only regular files (at most 16 MiB, no symlink, never blocking on a FIFO or device);
// save writes a fresh, unpredictable temporary (O_EXCL, O_NOFOLLOW, mode 0600) and renames it.
bool load_wisdom(const std::string& folder);
bool save_wisdom(const std::string& folder);

extern template class FftPlan<float>;
extern template class FftPlan<double>;

}  // namespace wst
