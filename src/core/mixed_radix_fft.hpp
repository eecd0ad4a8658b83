// DFTs whose lengths have a prime factor p that FFTW has no codelet for (17, 19, 23: FFTW runs an
// O(p²) loop there, unvectorised): one Cooley–Tukey split n = p·l per axis, FFTW's plans for the
// l-point DFTs and our own radix-p pass, vectorised across the other transforms (docs/fft.md).
// Used by FftPlan; exact to rounding, results independent of threads.
#pragma once
#include <memory>
#include <vector>

#include "wst/core/fft.hpp"

namespace wst::detail {

template <class T>
class MixedRadixFft {
 public:
  using complex = std::complex<T>;
  using Kind = typename FftPlan<T>::Kind;

  // The split plan of an FftPlan's transform, or null where FFTW's own plan is the one to use:
  // no axis has a factor p with a radix pass, or the shape is one this split does not handle
  // (r2c / c2r of rank 1 or of an odd number of rows).
  static std::unique_ptr<MixedRadixFft> make(Kind kind, const std::vector<int>& dims, int howmany,
                                             unsigned fftw_flags, Layout layout);
  ~MixedRadixFft();
  MixedRadixFft(const MixedRadixFft&) = delete;
  MixedRadixFft& operator=(const MixedRadixFft&) = delete;

  void operator()(const complex* in, complex* out) const;  // forward / backward
  void operator()(const T* in, complex* out) const;        // r2c
  void operator()(complex* in, T* out) const;              // c2r (overwrites in)

  std::string algorithm() const;  // "fftw + radix-17 (avx2)", …

  struct Geometry;

 private:
  MixedRadixFft() = default;
  void radix_columns(const complex* in, complex* out, std::size_t cols) const;
  void radix_rows(complex* data, std::size_t rows, bool post) const;

  std::unique_ptr<Geometry> g_;
  void* step_a_ = nullptr;  // FFTW: the l-point DFTs along the rows (c2c: along both axes)
  void* step_b_ = nullptr;  // FFTW: along the columns (r2c / c2r)
};

extern template class MixedRadixFft<float>;
extern template class MixedRadixFft<double>;

}  // namespace wst::detail
