// Batched DFTs with NumPy's conventions (wst/core/fourier.hpp) against a direct O(N²) DFT in long
// double: rfft / irfft / fft / ifft over 1 and 2 axes, every norm, batches, odd sizes, Parseval,
// thread independence, frequencies, and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/support/error.hpp"
#include "wst/core/fourier.hpp"

namespace wst {
namespace {

using LC = std::complex<long double>;
constexpr long double kTwoPi = 6.283185307179586476925286766559005768L;

ExecOptions quick(int threads = 1) {
  ExecOptions e;
  e.threads = threads;
  e.planning = Planning::estimate;
  return e;
}

template <class T>
Array<T> random_real(Shape shape, unsigned seed) {
  const std::size_t n = shape_size(shape);
  return Array<T>(std::move(shape), test::random_normal<T>(n, seed));
}

template <class T>
Array<std::complex<T>> random_complex(Shape shape, unsigned seed) {
  const std::size_t n = shape_size(shape);
  const auto re = test::random_normal<T>(n, seed), im = test::random_normal<T>(n, seed + 1000);
  Array<std::complex<T>> a(std::move(shape));
  for (std::size_t i = 0; i < n; ++i) a.data[i] = {re[i], im[i]};
  return a;
}

// max |a − b| / max |b| over complex arrays of the same shape.
template <class A, class B>
double rel_err(const Array<A>& a, const std::vector<B>& b) {
  if (a.data.size() != b.size()) return INFINITY;
  long double num = 0, den = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    num = std::max(num, std::abs(LC(a.data[i]) - LC(b[i])));
    den = std::max(den, std::abs(LC(b[i])));
  }
  return double(num / den);
}

// One axis of the direct DFT over `count` transforms of length n with element stride `stride`:
// y[k] = Σ_j x[j]·e^{sign·2πi·kj/n}, the exponent reduced exactly (kj mod n).
std::vector<LC> dft_axis(std::vector<LC> x, std::size_t outer, std::size_t n, std::size_t inner, int sign) {
  std::vector<LC> y(x.size());
  for (std::size_t o = 0; o < outer; ++o)
    for (std::size_t i = 0; i < inner; ++i)
      for (std::size_t k = 0; k < n; ++k) {
        LC acc = 0;
        for (std::size_t j = 0; j < n; ++j)
          acc += x[(o * n + j) * inner + i] * std::polar(1.0L, sign * kTwoPi * ((k * j) % n) / n);
        y[(o * n + k) * inner + i] = acc;
      }
  return y;
}

// Direct DFT of every (…, M, N) or (…, N) slice; sign −1 forward, +1 inverse (unnormalised).
std::vector<LC> dft(std::vector<LC> x, const Shape& shape, int rank, int sign) {
  const std::size_t N = shape.back(), total = x.size();
  x = dft_axis(std::move(x), total / N, N, 1, sign);
  if (rank == 2) {
    const std::size_t M = shape[shape.size() - 2];
    x = dft_axis(std::move(x), total / (M * N), M, N, sign);
  }
  return x;
}

template <class C>
std::vector<LC> widen(const std::vector<C>& v) {
  return std::vector<LC>(v.begin(), v.end());
}

std::vector<LC> scaled(std::vector<LC> v, long double s) {
  for (auto& z : v) z *= s;
  return v;
}

// Keeps the first N/2 + 1 values of each last-axis row.
std::vector<LC> one_sided(const std::vector<LC>& v, std::size_t N) {
  std::vector<LC> out;
  for (std::size_t r = 0; r < v.size() / N; ++r)
    for (std::size_t k = 0; k <= N / 2; ++k) out.push_back(v[r * N + k]);
  return out;
}

std::size_t points(const Shape& s, int rank) { return rank == 1 ? s.back() : s.back() * s[s.size() - 2]; }

template <class T>
double tolerance() {
  return std::is_same_v<T, float> ? 1e-5 : 1e-12;
}

struct Case {
  Shape shape;
  int rank;
};

const std::vector<Case> kCases = {
    {{16}, 1}, {{15}, 1}, {{1}, 1}, {{2, 3, 12}, 1}, {{2, 3, 9}, 1},
    {{8, 6}, 2}, {{5, 7}, 2}, {{2, 3, 6, 9}, 2}, {{2, 4, 5}, 2}, {{3, 1, 4}, 2},
};

template <class T>
void check_against_direct_dft() {
  unsigned seed = 1;
  for (const auto& [shape, rank] : kCases) {
    SCOPED_TRACE(shape_string(shape) + " rank " + std::to_string(rank));
    const long double n = points(shape, rank);
    const auto x = random_complex<T>(shape, seed++);
    const auto r = random_real<T>(shape, seed++);
    const auto X = dft(widen(x.data), shape, rank, -1);
    EXPECT_LT(rel_err(fft(x, rank, FftNorm::backward, quick()), X), tolerance<T>());
    EXPECT_LT(rel_err(fft(x, rank, FftNorm::ortho, quick()), scaled(X, 1 / std::sqrt(n))), tolerance<T>());
    EXPECT_LT(rel_err(fft(x, rank, FftNorm::forward, quick()), scaled(X, 1 / n)), tolerance<T>());
    const auto Xi = dft(widen(x.data), shape, rank, +1);
    EXPECT_LT(rel_err(ifft(x, rank, FftNorm::backward, quick()), scaled(Xi, 1 / n)), tolerance<T>());
    EXPECT_LT(rel_err(ifft(x, rank, FftNorm::ortho, quick()), scaled(Xi, 1 / std::sqrt(n))), tolerance<T>());
    EXPECT_LT(rel_err(ifft(x, rank, FftNorm::forward, quick()), Xi), tolerance<T>());
    // rfft is the first N/2 + 1 bins of the full transform of the real input.
    const auto R = one_sided(dft(widen(r.data), shape, rank, -1), shape.back());
    const auto Rf = rfft(r, rank, FftNorm::backward, quick());
    Shape half = shape;
    half.back() = shape.back() / 2 + 1;
    EXPECT_EQ(Rf.shape, half);
    EXPECT_LT(rel_err(Rf, R), tolerance<T>());
    EXPECT_LT(rel_err(rfft(r, rank, FftNorm::ortho, quick()), scaled(R, 1 / std::sqrt(n))), tolerance<T>());
    EXPECT_LT(rel_err(rfft(r, rank, FftNorm::forward, quick()), scaled(R, 1 / n)), tolerance<T>());
    // |rfft|².
    const auto P = power_spectrum(r, rank, quick());
    std::vector<LC> R2(R.size());
    for (std::size_t i = 0; i < R.size(); ++i) R2[i] = std::norm(R[i]);
    EXPECT_EQ(P.shape, half);
    EXPECT_LT(rel_err(P, R2), tolerance<T>());
    // Round trips, every norm.
    for (FftNorm norm : {FftNorm::backward, FftNorm::ortho, FftNorm::forward}) {
      EXPECT_LT(rel_err(irfft(rfft(r, rank, norm, quick()), shape.back(), rank, norm, quick()), r.data),
                tolerance<T>());
      EXPECT_LT(rel_err(ifft(fft(x, rank, norm, quick()), rank, norm, quick()), x.data), tolerance<T>());
    }
  }
}

TEST(Fourier, MatchesDirectDftDouble) { check_against_direct_dft<double>(); }
TEST(Fourier, MatchesDirectDftFloat) { check_against_direct_dft<float>(); }

// numpy.fft.irfft of any one-sided input: the real part of the Hermitian extension's inverse,
// with the imaginary parts of the DC (and, N even, Nyquist) bins ignored.
TEST(Fourier, IrfftOfNonHermitianInputIgnoresImaginaryDcAndNyquist) {
  for (std::size_t n : {16u, 15u}) {
    SCOPED_TRACE(n);
    const auto X = random_complex<double>({3, n / 2 + 1}, 7);
    std::vector<LC> full(3 * n);
    for (std::size_t r = 0; r < 3; ++r)
      for (std::size_t k = 0; k < n; ++k) {
        const bool upper = k > n / 2;
        LC v = X.data[r * (n / 2 + 1) + (upper ? n - k : k)];
        if (upper) v = std::conj(v);
        if (k == 0 || 2 * k == n) v = v.real();
        full[r * n + k] = v;
      }
    const auto ref = scaled(dft(full, {3, n}, 1, +1), 1.0L / n);
    const auto x = irfft(X, n, 1, FftNorm::backward, quick());
    EXPECT_EQ(x.shape, (Shape{3, n}));
    EXPECT_LT(rel_err(x, ref), 1e-12);
  }
}

TEST(Fourier, ParsevalBackwardAndOrtho) {
  const auto x = random_complex<double>({4, 6, 10}, 11);
  for (int rank : {1, 2}) {
    const std::size_t n = rank == 1 ? 10 : 60;
    long double energy = 0, backward = 0, ortho = 0;
    for (const auto& v : x.data) energy += std::norm(LC(v));
    for (const auto& v : fft(x, rank, FftNorm::backward, quick()).data) backward += std::norm(LC(v));
    for (const auto& v : fft(x, rank, FftNorm::ortho, quick()).data) ortho += std::norm(LC(v));
    EXPECT_NEAR(double(backward / n / energy), 1.0, 1e-14) << rank;
    EXPECT_NEAR(double(ortho / energy), 1.0, 1e-14) << rank;
  }
  // One-sided: Σ|x|² = (|X₀|² + 2Σ|X_k|² + |X_{N/2}|²) / N for even N.
  const auto r = random_real<double>({5, 32}, 12);
  const auto P = power_spectrum(r, 1, quick());
  for (std::size_t row = 0; row < 5; ++row) {
    long double e = 0, s = 0;
    for (std::size_t i = 0; i < 32; ++i) e += (long double)r.data[row * 32 + i] * r.data[row * 32 + i];
    for (std::size_t k = 0; k <= 16; ++k) s += (k == 0 || k == 16 ? 1 : 2) * (long double)P.data[row * 17 + k];
    EXPECT_NEAR(double(s / 32 / e), 1.0, 1e-14) << row;
  }
}

// The batch is cut into fixed blocks whatever the thread count: bit-identical results.
TEST(Fourier, ThreadCountDoesNotChangeAnyBit) {
  const auto r = random_real<double>({1301, 100}, 21);  // 4 blocks, the last one padded
  const auto x = random_complex<float>({40, 50, 36}, 22);  // 3 blocks of 2D transforms
  const auto R1 = rfft(r, 1, FftNorm::backward, quick(1));
  const auto X1 = fft(x, 2, FftNorm::ortho, quick(1));
  const auto I1 = irfft(R1, 100, 1, FftNorm::backward, quick(1));
  for (int threads : {2, 3, 8}) {
    SCOPED_TRACE(threads);
    EXPECT_EQ(rfft(r, 1, FftNorm::backward, quick(threads)).data, R1.data);
    EXPECT_EQ(fft(x, 2, FftNorm::ortho, quick(threads)).data, X1.data);
    EXPECT_EQ(irfft(R1, 100, 1, FftNorm::backward, quick(threads)).data, I1.data);
  }
  EXPECT_LT(test::rel_error(I1.data, r.data), 1e-13);
}

TEST(Fourier, EmptyBatchGivesEmptyOutput) {
  const Array<double> x(Shape{0, 8});
  const auto X = rfft(x, 1, FftNorm::backward, quick());
  EXPECT_EQ(X.shape, (Shape{0, 5}));
  EXPECT_TRUE(X.data.empty());
}

// numpy.fft.fftfreq / rfftfreq (d = 1).
TEST(Fourier, FrequenciesMatchNumpy) {
  EXPECT_EQ(fft_frequencies(8), (std::vector<double>{0, 0.125, 0.25, 0.375, -0.5, -0.375, -0.25, -0.125}));
  EXPECT_EQ(rfft_frequencies(8), (std::vector<double>{0, 0.125, 0.25, 0.375, 0.5}));
  const double s = 1.0 / 7;
  EXPECT_EQ(fft_frequencies(7), (std::vector<double>{0, s, 2 * s, 3 * s, -3 * s, -2 * s, -s}));
  EXPECT_EQ(rfft_frequencies(7), (std::vector<double>{0, s, 2 * s, 3 * s}));
  EXPECT_EQ(fft_frequencies(1), (std::vector<double>{0}));
  EXPECT_TRUE(fft_frequencies(0).empty());
}

TEST(Fourier, BadInputIsRejectedWithAClearMessage) {
  const auto x = random_real<double>({2, 3, 8}, 31);
  const auto z = random_complex<double>({2, 8}, 32);
  EXPECT_NE(test::message_of<UsageError>([&] { rfft(x, 3); }).find("rank must be 1 or 2"), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([&] { fft(z, 0); }).find("rank must be 1 or 2"), std::string::npos);
  EXPECT_NE(test::message_of<InputError>([&] { rfft(random_real<double>({8}, 1), 2); }).find("(8,)"),
            std::string::npos);
  EXPECT_NE(test::message_of<InputError>([&] { fft(Array<std::complex<double>>(Shape{3, 0}), 1); })
                .find("empty"),
            std::string::npos);
  EXPECT_NE(test::message_of<InputError>([&] { rfft(Array<float>(Shape{0, 4}), 2); }).find("empty"),
            std::string::npos);
  auto bad = x;
  bad.data[29] = NAN;
  EXPECT_NE(test::message_of<InputError>([&] { power_spectrum(bad); }).find("NaN at flat index 29"),
            std::string::npos);
  auto badz = z;
  badz.data[5].imag(INFINITY);
  EXPECT_NE(test::message_of<InputError>([&] { ifft(badz); }).find("Inf at flat index 5"), std::string::npos);
  // irfft: n must match the last axis (n/2 + 1 values).
  const auto Z = rfft(x, 1, FftNorm::backward, quick());  // last axis 5: n = 8 or 9
  EXPECT_EQ(irfft(Z, 9, 1, FftNorm::backward, quick()).shape, (Shape{2, 3, 9}));
  EXPECT_NE(test::message_of<UsageError>([&] { irfft(Z, 10); }).find("needs 6 values"), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([&] { irfft(Z, 7); }).find("needs 4 values"), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([&] { irfft(Z, 0); }).find("n must be"), std::string::npos);
}

}  // namespace
}  // namespace wst
