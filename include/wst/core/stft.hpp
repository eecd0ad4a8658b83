// Windowed Fourier transform (short-time Fourier transform, Mallat 2016 §2, Gabor 1946) and its
// least-squares inverse, matching scipy.signal.stft / istft (scaling='spectrum'):
//   Z[k, m] = Σ_n w[n]·x[m·H + n]·e^{−2πi·kn/F} / Σ_n w[n],  k < F/2 + 1 (real x) or F (complex x),
// with window w of length L, hop H, FFT length F ≥ L (zero-padded frames).
// The inverse is the least-squares overlap-add (Griffin & Lim 1984):
//   x[n] = Σ_m w[n − mH]·y_m[n − mH] / Σ_m w²[n − mH],  y_m = Σ_n w[n] · IDFT(Z[:, m]),
// exact for any Z that came from this transform whenever the denominator is non-zero (NOLA).
// Construction plans everything; operator() and inverse() are const and thread-safe.
#pragma once
#include <complex>
#include <cstddef>
#include <memory>
#include <vector>

#include "wst/support/array.hpp"
#include "wst/core/options.hpp"
#include "wst/core/windows.hpp"

namespace wst {

enum class StftScaling {
  spectrum,  // divide by Σ w (scipy's default 'spectrum'): a tone of amplitude A at a bin gives A/2
  none,      // the plain windowed DFT Σ_n w[n]·x[mH + n]·e^{−2πikn/F}
};

enum class StftBoundary {
  none,   // frames only where the window fits inside the signal (scipy boundary=None,
          // padded=False): (N − L)/H + 1 frames; samples before the first frame's support or after
          // the last are not covered and are returned as 0 by the inverse
  zeros,  // L/2 zeros on both sides, then zeros at the end to a whole number of frames
          // (scipy boundary='zeros', padded=True, its default): every sample is covered
};

struct StftParams {
  std::vector<double> window;  // w, length L ≥ 1 (see make_window)
  std::size_t hop = 0;         // H in [1, L]
  std::size_t nfft = 0;        // F ≥ L; 0 means L
  StftScaling scaling = StftScaling::spectrum;
  StftBoundary boundary = StftBoundary::zeros;
};

template <class T>
class BasicStft {
 public:
  // Throws UsageError naming the argument: empty window or non-finite window values, hop outside
  // [1, L], nfft < L, a signal shorter than the window (boundary none), a signal length outside
  // [1, kMaxLength] (memory_budget.hpp), and a window/hop
  // pair that violates NOLA (Σ_k w²[n + kH] ≤ 1e-10·max w² for some n in [0, H)): then no inverse
  // exists, and the message says so and suggests a smaller hop.
  BasicStft(std::size_t signal_length, StftParams params, ExecOptions exec = {});
  ~BasicStft();
  BasicStft(BasicStft&&) noexcept;
  BasicStft& operator=(BasicStft&&) noexcept;

  std::size_t signal_length() const;
  std::size_t frames() const;
  std::size_t bins(bool onesided = true) const;  // F/2 + 1 or F
  const StftParams& params() const;
  std::vector<double> frequencies(bool onesided = true) const;  // cycles/sample (× fs for Hz)
  std::vector<double> times() const;  // frame centres in samples of the input (scipy's t)
  // Per input sample: Σ_m w²[n − mH] (the inverse's denominator); 0 where uncovered.
  std::vector<double> window_energy() const;

  // Real input (..., N) → one-sided (..., F/2 + 1, frames), scipy's layout (rows = frequency).
  // Complex input → two-sided (..., F, frames), bins in numpy.fft order.
  // Throws InputError for a wrong last axis or non-finite values.
  Array<std::complex<T>> operator()(const Array<T>& x) const;
  Array<std::complex<T>> operator()(const Array<std::complex<T>>& x) const;
  // Real input into caller storage, bit for bit as above: x is batch × N, out batch × (F/2 + 1) ×
  // frames, every value written (outputs of 8 MB or more by non-temporal stores, which bypass the
  // cache). Non-finite values throw InputError once out is written (its values then unspecified).
  void operator()(const T* x, std::size_t batch, std::complex<T>* out) const;

  // Inverse: one-sided (..., F/2 + 1, frames) → real (..., N).
  Array<T> inverse(const Array<std::complex<T>>& Z) const;
  // The same into caller storage, bit for bit: Z is batch × (F/2 + 1) × frames, out batch × N,
  // every value written; as the forward one for large outputs and non-finite values.
  void inverse(const std::complex<T>* Z, std::size_t batch, T* out) const;
  // Inverse of a two-sided transform (..., F, frames) → complex (..., N).
  Array<std::complex<T>> inverse_complex(const Array<std::complex<T>>& Z) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

using Stft = BasicStft<double>;
using Stftf = BasicStft<float>;

}  // namespace wst
