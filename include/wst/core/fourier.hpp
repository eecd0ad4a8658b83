// Batched discrete Fourier transforms of 1D signals and 2D images (FFTW), with NumPy's
// conventions: X[k] = Σ_n x[n]·e^{−2πi·kn/N} over the last `rank` axes, every leading axis a
// batch; the inverse divides by N ("backward" normalisation) unless told otherwise.
#pragma once
#include <complex>
#include <cstddef>

#include "wst/support/array.hpp"
#include "wst/core/options.hpp"

namespace wst {

// Where the 1/N of a forward/inverse pair goes, as numpy.fft's `norm`: on the inverse
// (backward, the default), split as 1/√N on both (ortho: unitary, Parseval holds exactly), or on
// the forward transform.
enum class FftNorm { backward, ortho, forward };

// rank 1: transforms along the last axis of (..., N); rank 2: over the last two of (..., M, N).
// Throws UsageError for rank ∉ {1, 2} and InputError for an array of fewer than `rank`
// dimensions, an empty axis, or non-finite values (naming the flat index).

// Real input, one-sided output (numpy.fft.rfft / rfft2): (..., N) → (..., N/2 + 1).
template <class T>
Array<std::complex<T>> rfft(const Array<T>& x, int rank = 1, FftNorm norm = FftNorm::backward,
                            const ExecOptions& exec = {});

// Inverse of rfft (numpy.fft.irfft / irfft2): (..., N/2 + 1) → (..., n). `n` is the length of
// the real output's last axis (its last axis must then hold n/2 + 1 values; UsageError if not).
template <class T>
Array<T> irfft(const Array<std::complex<T>>& X, std::size_t n, int rank = 1,
               FftNorm norm = FftNorm::backward, const ExecOptions& exec = {});

// Complex transforms (numpy.fft.fft / fft2 and ifft / ifft2), shape preserved.
template <class T>
Array<std::complex<T>> fft(const Array<std::complex<T>>& x, int rank = 1,
                           FftNorm norm = FftNorm::backward, const ExecOptions& exec = {});
template <class T>
Array<std::complex<T>> ifft(const Array<std::complex<T>>& X, int rank = 1,
                            FftNorm norm = FftNorm::backward, const ExecOptions& exec = {});

// One-sided power spectrum |rfft(x)|² (backward normalisation), shape as rfft's.
template <class T>
Array<T> power_spectrum(const Array<T>& x, int rank = 1, const ExecOptions& exec = {});

// Frequencies of the bins of a length-n transform in cycles/sample, as numpy.fft.fftfreq
// (full: n values, negative half last) and numpy.fft.rfftfreq (one-sided: n/2 + 1 values).
std::vector<double> fft_frequencies(std::size_t n);
std::vector<double> rfft_frequencies(std::size_t n);

}  // namespace wst
