// Range (docs/architecture.md, "Range"): a finite input far outside [2^-B, 2^B] is transformed as
// 2^-e·x and scaled back, so 2^k·x gives exactly 2^k times the result for x (2^2k for a power
// spectrum) where the old code overflowed to Inf or NaN; a result that does not fit the type
// throws InputError; nothing non-finite is returned.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "wst/core/cwt.hpp"
#include "wst/core/deform.hpp"
#include "wst/support/error.hpp"
#include "wst/core/fourier.hpp"
#include "wst/core/heisenberg.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/core/stft.hpp"
#include "wst/core/windows.hpp"

namespace wst {
namespace {

const ExecOptions kFast{1, Planning::estimate};

// n values uniform in [1/8, 1) (a non-zero mean, so that DC terms grow like n; 2^-120 times them
// is still a normal float32), largest 0.75..1.
template <class T>
std::vector<T> signal(std::size_t n, unsigned seed) {
  std::mt19937 g(seed);
  std::uniform_real_distribution<double> u(0.125, 1.0);
  std::vector<T> x(n);
  for (auto& v : x) v = T(u(g));
  x[0] = T(0.75);
  return x;
}
template <class T>
std::vector<std::complex<T>> complex_signal(std::size_t n, unsigned seed) {
  const std::vector<T> re = signal<T>(n, seed), im = signal<T>(n, seed + 1);
  std::vector<std::complex<T>> z(n);
  for (std::size_t i = 0; i < n; ++i) z[i] = {re[i], -im[i]};
  return z;
}

template <class T>
T scaled(T v, int k) {
  return std::ldexp(v, k);
}
template <class T>
std::complex<T> scaled(std::complex<T> v, int k) {
  return {std::ldexp(v.real(), k), std::ldexp(v.imag(), k)};
}
template <class V>
std::vector<V> scaled(const std::vector<V>& x, int k) {
  std::vector<V> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = scaled(x[i], k);
  return y;
}
template <class T>
bool finite(T v) {
  return std::isfinite(v);
}
template <class T>
bool finite(std::complex<T> v) {
  return std::isfinite(v.real()) && std::isfinite(v.imag());
}

// got == 2^k·unit, value for value (power-of-two scaling is exact), and finite.
template <class V>
void expect_scaled(const std::vector<V>& unit, const std::vector<V>& got, int k, const std::string& what) {
  ASSERT_EQ(unit.size(), got.size()) << what;
  std::size_t bad = 0, non_finite = 0;
  for (std::size_t i = 0; i < unit.size(); ++i) {
    if (!finite(got[i])) ++non_finite;
    if (!(got[i] == scaled(unit[i], k))) {
      if (bad++ < 3) ADD_FAILURE() << what << " 2^" << k << ": value " << i << " is " << got[i]
                                   << ", expected " << scaled(unit[i], k);
    }
  }
  EXPECT_EQ(non_finite, 0u) << what << " 2^" << k;
  EXPECT_EQ(bad, 0u) << what << " 2^" << k;
}

// An inverse transform's input 2^k·W with k < 0 holds subnormals that W's rounding did not have:
// there |got − 2^k·unit| ≤ 1e-6·2^k·max|unit| only (exact for k > 0).
template <class V>
void expect_scaled_inverse(const std::vector<V>& unit, const std::vector<V>& got, int k, const std::string& what) {
  if (k > 0) return expect_scaled(unit, got, k, what);
  ASSERT_EQ(unit.size(), got.size()) << what;
  double top = 0, err = 0;
  for (std::size_t i = 0; i < unit.size(); ++i) {
    ASSERT_TRUE(finite(got[i])) << what << " " << i;
    top = std::max(top, double(std::abs(unit[i])));
    err = std::max(err, std::ldexp(double(std::abs(got[i] - scaled(unit[i], k))), -k));
  }
  EXPECT_LE(err, 1e-6 * top) << what << " 2^" << k;
}

template <class F>
void expect_range_error(F f, const std::string& what) {
  try {
    f();
    ADD_FAILURE() << what << ": no InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("overflows the range of"), std::string::npos) << e.what();
  }
}

constexpr float kBigF = 3e38f;
constexpr double kBigD = 1.7e308;

// ---- Fourier -----------------------------------------------------------------------------------

TEST(Range, FftScalesExactly) {
  const std::size_t n = 64;
  const Array<std::complex<float>> xf({2, n}, complex_signal<float>(2 * n, 1));
  const Array<std::complex<double>> xd({2, n}, complex_signal<double>(2 * n, 2));
  const auto uf = fft(xf, 1, FftNorm::backward, kFast).data;
  const auto ud = fft(xd, 1, FftNorm::backward, kFast).data;
  for (int k : {100, 120, -100, -120}) {
    const Array<std::complex<float>> x({2, n}, scaled(xf.data, k));
    expect_scaled(uf, fft(x, 1, FftNorm::backward, kFast).data, k, "fft float");
    expect_scaled(ifft(Array<std::complex<float>>({2, n}, uf), 1, FftNorm::backward, kFast).data,
                  ifft(Array<std::complex<float>>({2, n}, scaled(uf, k)), 1, FftNorm::backward, kFast).data,
                  k, "ifft float");
  }
  for (int k : {900, 1010, -900, -1000}) {
    const Array<std::complex<double>> x({2, n}, scaled(xd.data, k));
    expect_scaled(ud, fft(x, 1, FftNorm::backward, kFast).data, k, "fft double");
  }
  // 2-D, real.
  const Array<float> rf({8, 8}, signal<float>(64, 3));
  const auto ur = rfft(rf, 2, FftNorm::backward, kFast);
  for (int k : {100, 121, -100, -121}) {
    const auto r = rfft(Array<float>({8, 8}, scaled(rf.data, k)), 2, FftNorm::backward, kFast);
    expect_scaled(ur.data, r.data, k, "rfft2 float");
    expect_scaled(irfft(ur, 8, 2, FftNorm::backward, kFast).data, irfft(r, 8, 2, FftNorm::backward, kFast).data,
                  k, "irfft2 float");
  }
}

TEST(Range, FftNearMaxIsFiniteOrThrows) {
  const std::size_t n = 64;
  const Array<float> x({n}, std::vector<float>(n, kBigF));
  // Its sum, 64·3e38, does not fit float32: no silent Inf.
  expect_range_error([&] { rfft(x, 1, FftNorm::backward, kFast); }, "rfft of 3e38");
  expect_range_error([&] { fft(Array<std::complex<float>>({n}, std::vector<std::complex<float>>(n, kBigF)),
                               1, FftNorm::backward, kFast); },
                     "fft of 3e38");
  // Divided by n (norm forward) it does: the old code overflowed in the sum.
  const auto X = rfft(x, 1, FftNorm::forward, kFast);
  EXPECT_EQ(X.data[0], std::complex<float>(kBigF, 0));
  for (std::size_t k = 1; k < X.size(); ++k) EXPECT_TRUE(finite(X.data[k])) << k;
  const Array<double> xd({n}, std::vector<double>(n, kBigD));
  expect_range_error([&] { rfft(xd, 1, FftNorm::backward, kFast); }, "rfft of 1.7e308");
}

TEST(Range, PowerSpectrum) {
  const std::size_t n = 64;
  const Array<float> x({3, n}, signal<float>(3 * n, 4));
  const auto unit = power_spectrum(x, 1, kFast).data;
  // |X|² = 2^2k·|X_unit|²; at 2^-70 the squares fall to subnormals, which the old code rounded twice.
  for (int k : {30, 50, -50, -70}) {
    expect_scaled(unit, power_spectrum(Array<float>({3, n}, scaled(x.data, k)), 1, kFast).data, 2 * k,
                  "power_spectrum float");
  }
  // 2^70 (1.2e21): |X|² above 1e42 does not fit float32.
  expect_range_error([&] { power_spectrum(Array<float>({3, n}, scaled(x.data, 70)), 1, kFast); },
                     "power_spectrum of 1e21");
  const Array<double> xd({n}, signal<double>(n, 5));
  const auto ud = power_spectrum(xd, 1, kFast).data;
  for (int k : {300, 500, -300, -500})
    expect_scaled(ud, power_spectrum(Array<double>({n}, scaled(xd.data, k)), 1, kFast).data, 2 * k,
                  "power_spectrum double");
}

// ---- STFT ----------------------------------------------------------------------------------------

StftParams stft_params(StftScaling scaling) {
  StftParams p;
  p.window = make_window({WindowKind::hann, 32});
  p.hop = 8;
  p.scaling = scaling;
  return p;
}

TEST(Range, StftScalesExactly) {
  const std::size_t N = 300;
  for (StftScaling scaling : {StftScaling::spectrum, StftScaling::none}) {
    const Stftf Sf(N, stft_params(scaling), kFast);
    const Stft Sd(N, stft_params(scaling), kFast);
    const Array<float> xf({2, N}, signal<float>(2 * N, 6));
    const Array<double> xd({2, N}, signal<double>(2 * N, 7));
    const auto Zf = Sf(xf);
    const auto Zd = Sd(xd);
    const auto yf = Sf.inverse(Zf);
    const auto yd = Sd.inverse(Zd);
    for (int k : {100, 122, -100, -120}) {
      const auto Z = Sf(Array<float>({2, N}, scaled(xf.data, k)));
      expect_scaled(Zf.data, Z.data, k, "stft float");
      expect_scaled_inverse(yf.data, Sf.inverse(Z).data, k, "istft float");
    }
    for (int k : {900, 1015, -900, -1000}) {
      const auto Z = Sd(Array<double>({2, N}, scaled(xd.data, k)));
      expect_scaled(Zd.data, Z.data, k, "stft double");
      expect_scaled_inverse(yd.data, Sd.inverse(Z).data, k, "istft double");
    }
    // Complex input, and one signal of a batch scaled alone.
    const Array<std::complex<float>> zf({1, N}, complex_signal<float>(N, 8));
    const auto Cf = Sf(zf);
    expect_scaled(Cf.data, Sf(Array<std::complex<float>>({1, N}, scaled(zf.data, 110))).data, 110, "stft complex");
    expect_scaled(Sf.inverse_complex(Cf).data, Sf.inverse_complex(Array<std::complex<float>>(Cf.shape, scaled(Cf.data, 110))).data,
                  110, "istft complex");
    std::vector<float> mixed = xf.data;
    for (std::size_t i = N; i < 2 * N; ++i) mixed[i] = std::ldexp(mixed[i], 110);
    const auto Zm = Sf(Array<float>({2, N}, mixed));
    const std::size_t per = Zf.size() / 2;
    for (std::size_t i = 0; i < per; ++i) ASSERT_EQ(Zm.data[i], Zf.data[i]) << i;
    for (std::size_t i = per; i < 2 * per; ++i) ASSERT_EQ(Zm.data[i], scaled(Zf.data[i], 110)) << i;
  }
}

TEST(Range, StftOverflowThrows) {
  const std::size_t N = 128;
  // Scaling none: a constant 3e38 gives Σw·x = 16·3e38 at DC.
  const Stftf S(N, stft_params(StftScaling::none), kFast);
  expect_range_error([&] { S(Array<float>({N}, std::vector<float>(N, kBigF))); }, "stft of 3e38");
  // Caller storage: the same error.
  std::vector<float> x(N, kBigF);
  std::vector<std::complex<float>> out(S.bins() * S.frames());
  expect_range_error([&] { S(x.data(), 1, out.data()); }, "stft of 3e38 (pointer)");
  // NaN is still reported as NaN, not as an overflow.
  x[5] = std::numeric_limits<float>::quiet_NaN();
  try {
    S(x.data(), 1, out.data());
    ADD_FAILURE() << "no InputError for NaN";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("NaN"), std::string::npos) << e.what();
  }
}

// ---- CWT -----------------------------------------------------------------------------------------

CwtParams cwt_params(CwtBoundary boundary) {
  CwtParams p;
  p.wavelet = WaveletKind::morlet;
  p.frequencies = {0.4, 0.2, 0.1, 0.05};
  p.boundary = boundary;
  return p;
}

TEST(Range, CwtScalesExactly) {
  const std::size_t N = 256;
  for (CwtBoundary b : {CwtBoundary::periodic, CwtBoundary::zeros}) {
    const Cwtf Cf(N, cwt_params(b), kFast);
    const Cwt Cd(N, cwt_params(b), kFast);
    const Array<float> xf({2, N}, signal<float>(2 * N, 9));
    const Array<double> xd({2, N}, signal<double>(2 * N, 10));
    const auto Wf = Cf(xf);
    const auto Wd = Cd(xd);
    const auto Df = Cf.decimated(xf);
    const auto yf = Cf.inverse(Wf);
    const auto yd = Cd.inverse(Wd);
    // 2^124: the DC term of the spectrum, about 128·2^124, overflowed float32 in the old code.
    for (int k : {100, 124, -100, -120}) {
      const Array<float> x({2, N}, scaled(xf.data, k));
      const auto W = Cf(x);
      expect_scaled(Wf.data, W.data, k, "cwt float");
      expect_scaled(Df.data, Cf.decimated(x).data, k, "decimated cwt float");
      expect_scaled_inverse(yf.data, Cf.inverse(W).data, k, "inverse cwt float");
    }
    for (int k : {900, 1015, -900, -1000}) {
      const auto W = Cd(Array<double>({2, N}, scaled(xd.data, k)));
      expect_scaled(Wd.data, W.data, k, "cwt double");
      expect_scaled_inverse(yd.data, Cd.inverse(W).data, k, "inverse cwt double");
    }
  }
}

TEST(Range, CwtNearMaxIsFiniteOrThrows) {
  const std::size_t N = 256;
  int threw = 0, finite_out = 0;
  for (WaveletKind kind : {WaveletKind::morlet, WaveletKind::mexican_hat}) {
    CwtParams p = cwt_params(CwtBoundary::periodic);
    p.wavelet = kind;
    const Cwtf C(N, p, kFast);
    // Square waves of ±3e38 at several periods, and a constant: the spectrum's DC or harmonics
    // (up to N·3e38) overflowed float32 in the old code.
    for (std::size_t period : {0, 2, 3, 5, 10, 20}) {
      std::vector<float> x(N, kBigF);
      if (period > 0)
        for (std::size_t i = 0; i < N; ++i) x[i] = (i % period < (period + 1) / 2) ? kBigF : -kBigF;
      try {
        const auto W = C(Array<float>({N}, x));
        for (const auto& v : W.data) ASSERT_TRUE(finite(v)) << period;
        ++finite_out;
      } catch (const InputError& e) {
        ++threw;
        EXPECT_NE(std::string(e.what()).find("overflows the range of"), std::string::npos) << e.what();
      }
    }
  }
  EXPECT_GT(finite_out, 0);
  EXPECT_GT(threw, 0) << "the Mexican hat's |W| exceeds the square wave's 3e38 at some scales";
  std::printf("CWT of near-max square waves: %d finite, %d InputError\n", finite_out, threw);
}

// ---- scattering ------------------------------------------------------------------------------

template <class T>
std::vector<T> scatter(const BasicScattering1D<T>& S, const std::vector<T>& x) {
  const std::size_t batch = x.size() / S.input_length();
  std::vector<T> out(batch * S.channels() * S.output_length());
  S(x.data(), batch, out.data());
  return out;
}

TEST(Range, Scattering1DScalesExactly) {
  const std::size_t N = 256;
  const Scattering1Df Sf(4, N, {4, 1}, 0, 2, kFast);
  const Scattering1D Sd(4, N, {4, 1}, 0, 2, kFast);
  const auto xf = signal<float>(N, 11);
  const auto xd = signal<double>(N, 12);
  const auto uf = scatter(Sf, xf);
  const auto ud = scatter(Sd, xd);
  // 2^100: the modulus squares (2^200) overflowed float32 in the old code.
  for (int k : {100, 120, -100, -120}) expect_scaled(uf, scatter(Sf, scaled(xf, k)), k, "scattering 1d float");
  for (int k : {900, 1015, -900, -1000}) expect_scaled(ud, scatter(Sd, scaled(xd, k)), k, "scattering 1d double");
  // A constant 3.3e38 gives S0 = 3.3e38, which fits; its padded spectrum's DC (N·3.3e38) did not.
  const auto c = scatter(Sf, std::vector<float>(N, 3.3e38f));
  for (float v : c) ASSERT_TRUE(std::isfinite(v));
}

TEST(Range, Scattering2DScalesExactly) {
  const std::size_t M = 32, N = 32;
  const Scattering2Df S(2, M, N, 4, 2, kFast);
  const auto x = signal<float>(M * N, 13);
  const std::size_t per = S.channels() * S.output_rows() * S.output_cols();
  std::vector<float> unit(per);
  S(x.data(), 1, unit.data());
  for (int k : {100, 120, -100, -120}) {
    // A batch of two: the unit image and the scaled one, each scaled on its own.
    std::vector<float> in = x, out(2 * per);
    for (float v : scaled(x, k)) in.push_back(v);
    S(in.data(), 2, out.data());
    expect_scaled(unit, std::vector<float>(out.begin(), out.begin() + long(per)), 0, "scattering 2d float (unit)");
    expect_scaled(unit, std::vector<float>(out.begin() + long(per), out.end()), k, "scattering 2d float");
  }
}

// ---- Heisenberg boxes ----------------------------------------------------------------------------

TEST(Range, HeisenbergBoxIsScaleInvariant) {
  const auto g = signal<double>(128, 14);
  const HeisenbergBox unit = heisenberg_box(g);
  for (int k : {500, 1000, -500, -1000}) {
    const HeisenbergBox b = heisenberg_box(scaled(g, k));
    for (double v : {b.mu_t, b.sigma_t, b.mu_omega, b.sigma_omega}) EXPECT_TRUE(std::isfinite(v)) << k;
    EXPECT_EQ(b.mu_t, unit.mu_t) << k;
    EXPECT_EQ(b.sigma_t, unit.sigma_t) << k;
    EXPECT_EQ(b.mu_omega, unit.mu_omega) << k;
    EXPECT_EQ(b.sigma_omega, unit.sigma_omega) << k;
  }
  // Near the largest double: |g|² and Σ|G|² would overflow unnormalised.
  const HeisenbergBox big = heisenberg_box(std::vector<double>(64, kBigD));
  EXPECT_TRUE(std::isfinite(big.sigma_t));
  EXPECT_NEAR(big.sigma_omega, 0.0, 1e-6);
}

// ---- deformations --------------------------------------------------------------------------------

template <class T>
void deform_scales_exactly(const std::vector<int>& ks) {
  const std::size_t M = 16, N = 16;
  const auto x = signal<T>(M * N, 15);
  std::vector<double> tr(M * N), tc(M * N);
  for (std::size_t i = 0; i < M * N; ++i) tr[i] = 0.3 * std::sin(0.7 * double(i)), tc[i] = 0.4 * std::cos(1.3 * double(i));
  using Fn = std::function<void(const T*, T*)>;
  const std::vector<std::pair<std::string, Fn>> fns = {
      {"deform_2d", [&](const T* a, T* o) { deform_2d(a, M, N, tr.data(), tc.data(), o, Interpolation::cubic, Boundary::reflect); }},
      {"deform_1d", [&](const T* a, T* o) { deform_1d(a, M * N, tc.data(), o, Interpolation::cubic, Boundary::periodic); }},
      {"translate_1d", [&](const T* a, T* o) { translate_1d(a, M * N, 0.37, o, Interpolation::cubic, Boundary::periodic); }},
      {"translate_2d", [&](const T* a, T* o) { translate_2d(a, M, N, 0.5, -1.25, o, Interpolation::cubic, Boundary::periodic); }},
      {"rotate_2d", [&](const T* a, T* o) { rotate_2d(a, M, N, 0.3, o, Interpolation::cubic); }},
      {"translate_1d linear", [&](const T* a, T* o) { translate_1d(a, M * N, 0.37, o, Interpolation::linear, Boundary::periodic); }},
  };
  for (const auto& [name, f] : fns) {
    std::vector<T> unit(M * N), out(M * N);
    f(x.data(), unit.data());
    for (int k : ks) {
      const auto xs = scaled(x, k);
      f(xs.data(), out.data());
      expect_scaled(unit, out, k, name);
    }
  }
}

TEST(Range, DeformScalesExactly) {
  deform_scales_exactly<float>({100, 126, -100});  // lower, float32 results are subnormal
  deform_scales_exactly<double>({900, 1022, -900, -1000});
}

TEST(Range, DeformNearMax) {
  // A constant near the largest double stays that constant under cubic interpolation (weights
  // sum to 1); the old code's partial sums (up to 1.0625·x) overflowed.
  const std::size_t N = 32;
  const std::vector<double> c(N, kBigD);
  std::vector<double> out(N);
  translate_1d(c.data(), N, 0.5, out.data(), Interpolation::cubic, Boundary::periodic);
  for (double v : out) EXPECT_NEAR(v / kBigD, 1.0, 1e-15);
  translate_2d(std::vector<double>(N * N, kBigD).data(), N, N, 0.5, 0.5, std::vector<double>(N * N).data(),
               Interpolation::cubic, Boundary::periodic);
  EXPECT_NEAR(sample_1d(c.data(), N, 3.5, Interpolation::cubic, Boundary::periodic) / kBigD, 1.0, 1e-15);
  const std::vector<double> img(N * N, kBigD);
  EXPECT_NEAR(sample_2d(img.data(), N, N, 3.5, 7.25, Interpolation::cubic) / kBigD, 1.0, 1e-15);
  // Rotated, the corners (zero outside) overshoot by up to 1.25² the constant: finite or InputError.
  for (double v : {1e308, kBigD}) {
    const std::vector<double> im(N * N, v);
    std::vector<double> rot(N * N);
    try {
      rotate_2d(im.data(), N, N, 0.2, rot.data(), Interpolation::cubic);
      for (double r : rot) ASSERT_TRUE(std::isfinite(r));
    } catch (const InputError& e) {
      EXPECT_GT(v, 1.2e308) << e.what();
    }
  }
  // Linear interpolation of 3.4e38 floats (convex weights) cannot overflow.
  const std::vector<float> f(N, std::numeric_limits<float>::max());
  std::vector<float> fo(N);
  translate_1d(f.data(), N, 0.5, fo.data(), Interpolation::linear, Boundary::periodic);
  for (float v : fo) EXPECT_EQ(v, std::numeric_limits<float>::max());
  // Cubic overshoot: 0, x, x, 0 reaches 1.125·x between the peaks, beyond float32 at 3.3e38.
  std::vector<float> bump(N, 0.0f);
  bump[10] = bump[11] = 3.3e38f;
  expect_range_error([&] { translate_1d(bump.data(), N, 0.5, fo.data(), Interpolation::cubic, Boundary::periodic); },
                     "cubic overshoot");
  expect_range_error([&] { sample_1d(bump.data(), N, 10.5, Interpolation::cubic, Boundary::periodic); },
                     "sample_1d overshoot");
  std::vector<double> dbump(N, 0.0);
  dbump[10] = dbump[11] = kBigD;
  expect_range_error([&] { translate_1d(dbump.data(), N, 0.5, out.data(), Interpolation::cubic, Boundary::periodic); },
                     "cubic overshoot double");
}

}  // namespace
}  // namespace wst
