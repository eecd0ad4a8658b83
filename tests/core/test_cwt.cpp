// Continuous wavelet transform (include/wst/core/cwt.hpp): the wavelets in Fourier (against a direct
// evaluation and Kymatio's Morlet), frequency grids, tones, unit gain, a chirp's ridge (and pywt's),
// decimation, the dual-frame inverse, boundaries, precisions, threads and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "test_support.hpp"
#include "wst/core/cwt.hpp"
#include "wst/support/error.hpp"
#include "wst/core/fft.hpp"
#include "wst/core/filters_1d.hpp"
#include "wst/support/memory_budget.hpp"
#include "wst/io/npy.hpp"

namespace wst {
namespace {

using test::message_of;
using test::rel_error;
using Z = std::complex<double>;

constexpr double kPi = 3.14159265358979323846;
const ExecOptions kFast{1, Planning::estimate};

CwtParams params(WaveletKind kind, std::vector<double> freqs, CwtBoundary boundary, double Q = 8) {
  CwtParams p;
  p.wavelet = kind;
  p.frequencies = std::move(freqs);
  p.Q = Q;
  p.boundary = boundary;
  return p;
}

constexpr WaveletKind kKinds[] = {WaveletKind::morlet, WaveletKind::gabor, WaveletKind::mexican_hat};

// Real and imaginary parts side by side, so that rel_error compares complex arrays.
template <class V>
std::vector<double> interleave(const V& z) {
  std::vector<double> out;
  for (const auto& c : z) out.push_back(double(c.real())), out.push_back(double(c.imag()));
  return out;
}

// Row k of input b of a (batch, scales, N) array.
template <class T>
const std::complex<T>* row(const Array<std::complex<T>>& W, std::size_t b, std::size_t k) {
  const std::size_t S = W.shape[W.ndim() - 2], N = W.shape.back();
  return W.data.data() + (b * S + k) * N;
}

// Mean |W| over samples [n0, n1) of each row of input 0.
std::vector<double> mean_modulus(const Array<Z>& W, std::size_t n0, std::size_t n1) {
  std::vector<double> m(W.shape[W.ndim() - 2], 0.0);
  for (std::size_t k = 0; k < m.size(); ++k) {
    for (std::size_t n = n0; n < n1; ++n) m[k] += std::abs(row(W, 0, k)[n]);
    m[k] /= double(n1 - n0);
  }
  return m;
}

std::size_t argmax(const std::vector<double>& v) {
  return std::size_t(std::max_element(v.begin(), v.end()) - v.begin());
}

// ---- wavelets and frequency grids ----------------------------------------------------------------

TEST(Cwt, WaveletNames) {
  EXPECT_EQ(parse_wavelet_kind("morlet"), WaveletKind::morlet);
  EXPECT_EQ(parse_wavelet_kind("gabor"), WaveletKind::gabor);
  for (const char* n : {"mexican_hat", "mexh", "ricker"}) EXPECT_EQ(parse_wavelet_kind(n), WaveletKind::mexican_hat);
  for (WaveletKind k : kKinds) EXPECT_EQ(parse_wavelet_kind(wavelet_kind_name(k)), k);
  const std::string msg = message_of<UsageError>([] { parse_wavelet_kind("haar"); });
  EXPECT_NE(msg.find("haar"), std::string::npos) << msg;
  EXPECT_NE(msg.find("mexican_hat"), std::string::npos) << msg;
}

// σ/ξ is the constant-Q ratio of the scattering bank (spec §1.2 rule 2; morlet_centers_1d).
TEST(Cwt, ConstantQRatioIsTheScatteringOne) {
  for (int Q : {1, 8, 16}) {
    const auto centers = morlet_centers_1d(6, Q);
    EXPECT_NEAR(constant_q_sigma_ratio(Q), centers[0].second / centers[0].first, 1e-15) << Q;
  }
  EXPECT_NE(message_of<UsageError>([] { constant_q_sigma_ratio(0.5); }).find("Q"), std::string::npos);
}

TEST(Cwt, FrequencyGrids) {
  const auto f = log_frequencies(0.001, 0.4, 7);
  ASSERT_EQ(f.size(), 7u);
  EXPECT_EQ(f.front(), 0.4);
  EXPECT_EQ(f.back(), 0.001);
  for (std::size_t k = 1; k < f.size(); ++k) EXPECT_NEAR(f[k] / f[k - 1], std::pow(0.001 / 0.4, 1.0 / 6), 1e-14);
  EXPECT_EQ(log_frequencies(0.1, 0.2, 1), std::vector<double>{0.2});

  const auto o = octave_frequencies(0.5, 3, 4);
  ASSERT_EQ(o.size(), 12u);
  EXPECT_EQ(o[0], 0.5);
  EXPECT_DOUBLE_EQ(o[4], 0.25);
  EXPECT_DOUBLE_EQ(o[11], 0.5 * std::pow(2.0, -11.0 / 4));

  EXPECT_NE(message_of<UsageError>([] { log_frequencies(0.1, 0.6, 3); }).find("f_hi"), std::string::npos);
  EXPECT_NE(message_of<UsageError>([] { log_frequencies(0.3, 0.2, 3); }).find("f_lo"), std::string::npos);
  EXPECT_NE(message_of<UsageError>([] { log_frequencies(0.1, 0.2, 0); }).find("count"), std::string::npos);
  EXPECT_NE(message_of<UsageError>([] { octave_frequencies(0.5, 3, 0); }).find("Q"), std::string::npos);
  EXPECT_NE(message_of<UsageError>([] { octave_frequencies(0.5, 0, 8); }).find("octaves"), std::string::npos);
  EXPECT_NE(message_of<UsageError>([] { octave_frequencies(0.7, 3, 8); }).find("xi_max"), std::string::npos);
  // Down to 1/N_max: 0.5·2^{−9} = 1/1024 is allowed, one octave more is not.
  EXPECT_EQ(octave_frequencies(0.5, 10, 1, 1024).back(), 1.0 / 1024);
  const std::string msg = message_of<UsageError>([] { octave_frequencies(0.5, 11, 1, 1024); });
  EXPECT_NE(msg.find("use at most 10 octaves"), std::string::npos) << msg;
}

// The sparse, band-limited evaluation equals the formula on one period around the centre.
TEST(Cwt, WaveletFourierMatchesTheFormula) {
  for (std::size_t N : {1000u, 999u})
    for (WaveletKind kind : kKinds)
      for (double xi : {0.5, 0.2, 0.013}) {
        const double sigma = 0.1 * xi, c = kind == WaveletKind::mexican_hat ? 0.0 : xi;
        auto g = [&](double w) { return std::exp(-w * w / (2 * sigma * sigma)); };
        const auto psi = wavelet_fourier(kind, N, xi, sigma);
        ASSERT_EQ(psi.size(), N);
        for (std::size_t k = 0; k < N; ++k) {
          double j = double(k);  // the grid point j/N ≡ k/N in [c − ½, c + ½)
          while (j >= (c + 0.5) * double(N)) j -= double(N);
          while (j < (c - 0.5) * double(N)) j += double(N);
          const double w = j / double(N);
          const double u = (w / xi) * (w / xi);
          const double ref = kind == WaveletKind::morlet ? g(w - xi) - g(xi) * g(w)
                             : kind == WaveletKind::gabor ? g(w - xi)
                                                          : u * std::exp(1 - u);
          ASSERT_NEAR(psi[k], ref >= 1e-17 ? ref : 0.0, 2e-16) << wavelet_kind_name(kind) << xi << " " << k;
        }
        const std::size_t peak = std::size_t(std::lround(xi * double(N)));
        if (double(peak) == xi * double(N)) EXPECT_EQ(psi[peak], kind == WaveletKind::morlet ? 1 - g(xi) * g(xi) : 1.0);
        if (kind == WaveletKind::morlet) EXPECT_EQ(psi[0], 0.0);  // zero mean
        if (kind == WaveletKind::mexican_hat)
          for (std::size_t k = 1; k < N; ++k) ASSERT_EQ(psi[k], psi[N - k]) << N << " " << k;  // real, even
      }
}

// The Morlet is Kymatio's (spec §1.5) up to its normalisation: the same function of frequency.
TEST(Cwt, MorletIsKymatiosUpToScale) {
  const std::size_t N = 2048;
  for (auto [xi, sigma] : {std::pair{0.4, 0.03}, std::pair{0.05, 0.004}}) {
    const auto ours = wavelet_fourier(WaveletKind::morlet, N, xi, sigma);
    const auto kym = morlet_1d(N, xi, sigma);
    const std::size_t peak = std::size_t(std::lround(xi * double(N)));
    std::vector<double> scaled(N);
    for (std::size_t k = 0; k < N; ++k) scaled[k] = kym[k] * ours[peak] / kym[peak];
    EXPECT_LT(rel_error(ours, scaled), 1e-14) << xi;
  }
}

// ---- the transform -------------------------------------------------------------------------------

// A pure tone peaks (mean |W| over the interior) at the row whose ξ is nearest its frequency (on
// the log scale: a quarter of the grid step above or below ξ_j), for every wavelet and boundary.
TEST(Cwt, ToneAtEachWaveletPeaksAtTheNearestRow) {
  const std::size_t N = 4096;
  const auto freqs = log_frequencies(0.01, 0.45, 24);
  const double step = freqs[0] / freqs[1];
  for (WaveletKind kind : kKinds)
    for (CwtBoundary bnd : {CwtBoundary::periodic, CwtBoundary::zeros}) {
      const Cwt cwt(N, params(kind, freqs, bnd, 4), kFast);
      for (std::size_t j : {2u, 11u, 20u})
        for (double offset : {-0.25, 0.0, 0.25}) {
          const double f = freqs[j] * std::pow(step, offset);
          Array<double> x({N});
          for (std::size_t n = 0; n < N; ++n) x.data[n] = std::cos(2 * kPi * f * double(n) + 0.3);
          const auto W = cwt(x);
          ASSERT_EQ(W.shape, (Shape{freqs.size(), N}));
          EXPECT_EQ(argmax(mean_modulus(W, N / 4, 3 * N / 4)), j) << wavelet_kind_name(kind) << " f " << f;
        }
    }
}

// e^{2πiξ_k n} = cos + i·sin comes out with modulus ψ̂_k(ξ_k) = 1 at row k (ξ_k on a DFT bin).
TEST(Cwt, UnitGainAtTheCentreFrequency) {
  const std::size_t N = 4096;
  const std::vector<double> freqs{1600.0 / N, 500.0 / N, 123.0 / N, 40.0 / N};
  for (WaveletKind kind : kKinds) {
    const Cwt cwt(N, params(kind, freqs, CwtBoundary::periodic), kFast);
    for (std::size_t k = 0; k < freqs.size(); ++k) {
      Array<double> x({2, N});
      for (std::size_t n = 0; n < N; ++n) {
        x.data[n] = std::cos(2 * kPi * freqs[k] * double(n));
        x.data[N + n] = std::sin(2 * kPi * freqs[k] * double(n));
      }
      const auto W = cwt(x);
      for (std::size_t n = 0; n < N; ++n) {
        const Z w = row(W, 0, k)[n] + Z(0, 1) * row(W, 1, k)[n];
        ASSERT_NEAR(std::abs(w), 1.0, 1e-6) << wavelet_kind_name(kind) << " row " << k << " n " << n;
        // …and its phase is the tone's: W = ψ̂(ξ)·e^{2πiξn}, ψ̂ real.
        ASSERT_NEAR(std::abs(w - std::polar(1.0, 2 * kPi * freqs[k] * double(n))), 0.0, 1e-6);
      }
    }
  }
}

// sig_chirp (reference/tf README §1): instantaneous frequency f(t) = 0.01 + (0.39/4095)·t. The
// ridge (argmax over scales per time) is within one voice of it (measured: ≤ 0.65 voices) from
// f = 0.08 to the end. Below, the chirp sweeps through a wavelet's band faster than the wavelet
// lasts (rate/(2πσ²) ≫ 1) and the ridge lags, by up to 7 voices (Q = 8) and 22 (Q = 16) at f = 0.01.
TEST(Cwt, ChirpRidgeFollowsTheInstantaneousFrequency) {
  const auto x = read_npy_as<double>(test::shared_dir() + "/reference/tf/sig_chirp.npy");
  const std::size_t N = x.size();
  ASSERT_EQ(N, 4096u);
  for (int Q : {8, 16}) {
    const auto freqs = octave_frequencies(0.5, 7, Q);
    const Cwt cwt(N, params(WaveletKind::morlet, freqs, CwtBoundary::zeros, Q), kFast);
    const auto W = cwt(x);
    std::size_t checked = 0;
    for (std::size_t n = 0; n < N; ++n) {
      const double f = 0.01 + 0.39 / 4095 * double(n);
      if (f < 0.08 || n > N - 200) continue;
      std::size_t best = 0;
      for (std::size_t k = 1; k < freqs.size(); ++k)
        if (std::abs(row(W, 0, k)[n]) > std::abs(row(W, 0, best)[n])) best = k;
      ASSERT_LE(std::abs(std::log2(freqs[best] / f)), 1.0 / Q) << "Q " << Q << " n " << n;
      ++checked;
    }
    EXPECT_GT(checked, N / 2);
  }
}

// pywt 1.1.1's cmor1.5-1.0 on the chirp (reference/tf README §3) is, in Fourier, a Gabor wavelet
// of ξ = 1/s and ρ = 1/(π√3) with gain √s (see cwt.cpp): the ridges of |W| and |coef|/√s agree
// within one of pywt's rows (1/9 octave) at the mid scales, where its tabulated kernel is accurate.
TEST(Cwt, ChirpRidgeAgreesWithPywtCmor) {
  const std::string dir = test::shared_dir() + "/reference/tf/";
  const auto x = read_npy_as<double>(dir + "sig_chirp.npy");
  const auto scales = read_npy_as<double>(dir + "cwt_scales.npy");
  const auto ref = std::get<Array<Z>>(read_npy(dir + "cwt_chirp_cmor1.5-1.0.npy"));
  const std::size_t N = x.size(), S = scales.size();
  ASSERT_EQ(ref.shape, (Shape{S, N}));
  CwtParams p = params(WaveletKind::gabor, {}, CwtBoundary::zeros);
  for (double s : scales.data) p.frequencies.push_back(1.0 / s);
  p.sigma_ratio = 1 / (kPi * std::sqrt(3.0));
  const Cwt cwt(N, p, kFast);
  const auto W = cwt(x);
  std::size_t checked = 0;
  for (std::size_t n = 300; n + 300 < N; ++n) {
    std::size_t ours = 0, theirs = 0;
    for (std::size_t k = 1; k < S; ++k) {
      if (std::abs(row(W, 0, k)[n]) > std::abs(row(W, 0, ours)[n])) ours = k;
      if (std::abs(ref.data[k * N + n]) / std::sqrt(scales.data[k]) >
          std::abs(ref.data[theirs * N + n]) / std::sqrt(scales.data[theirs]))
        theirs = k;
    }
    if (scales.data[ours] < 4 || scales.data[ours] > 16) continue;
    ASSERT_LE(std::abs(double(ours) - double(theirs)), 1.0) << "n " << n;
    ++checked;
  }
  EXPECT_GT(checked, N / 4);
  // And |coef| ≈ √s·|W| at mid scales (s = 6.9, 12.7: measured 4.0 % and 3.3 % relative L2, which
  // is pywt's kernel error; beyond s ≈ 20 its artefacts dominate).
  for (std::size_t k : {16u, 24u}) {
    double num = 0, den = 0;
    for (std::size_t n = 500; n + 500 < N; ++n) {
      const double a = std::abs(row(W, 0, k)[n]) * std::sqrt(scales.data[k]), b = std::abs(ref.data[k * N + n]);
      num += (a - b) * (a - b);
      den += b * b;
    }
    EXPECT_LT(std::sqrt(num / den), 0.05) << "s = " << scales.data[k];
  }
}

// Each decimated row equals the full-rate row at n·stride (the Fourier subsampling is exact), each
// stride is a power of two whose 1/stride cycles hold the band ξ ± 6σ, and low scales decimate.
TEST(Cwt, DecimatedEqualsFullRateSubsampled) {
  const std::size_t N = 3000;
  const auto x = test::random_normal(2 * N, 7);
  const Array<double> xa({2, N}, x);
  const auto freqs = log_frequencies(0.003, 0.5, 30);
  for (WaveletKind kind : kKinds)
    for (CwtBoundary bnd : {CwtBoundary::periodic, CwtBoundary::zeros}) {
      const Cwt cwt(N, params(kind, freqs, bnd), kFast);
      const auto W = cwt(xa);
      const auto D = cwt.decimated(xa);
      ASSERT_EQ(D.batch, (Shape{2}));
      ASSERT_EQ(D.stride.size(), freqs.size());
      std::size_t block = 0;
      for (std::size_t k = 0; k < freqs.size(); ++k) {
        const std::size_t s = D.stride[k];
        EXPECT_EQ(s & (s - 1), 0u);
        EXPECT_EQ(cwt.fft_length() % s, 0u);
        if (kind != WaveletKind::mexican_hat) {  // the largest that fits (κ is negligible here)
          const double width = 12 * cwt.sigmas()[k];
          EXPECT_LE(double(s) * width, 1.0);
          EXPECT_TRUE(2 * double(s) * width > 1 || cwt.fft_length() % (2 * s) != 0) << k;
        }
        EXPECT_EQ(D.length[k], (N + s - 1) / s);
        EXPECT_EQ(D.offset[k], block);
        block += D.length[k];
        for (std::size_t b = 0; b < 2; ++b) {
          std::vector<Z> full, dec(D.data.begin() + std::ptrdiff_t(b * D.block + D.offset[k]),
                                   D.data.begin() + std::ptrdiff_t(b * D.block + D.offset[k] + D.length[k]));
          for (std::size_t n = 0; n < D.length[k]; ++n) full.push_back(row(W, b, k)[n * s]);
          ASSERT_LT(rel_error(interleave(dec), interleave(full)), 1e-12) << wavelet_kind_name(kind) << " " << k;
        }
      }
      EXPECT_EQ(D.block, block);
      // The lowest scale: periodic, limited by 3000 = 2³·375; zero-padded, by its band: 1/(12σ) =
      // 534 (Morlet, Gabor), and 1/(2·4.5ξ) = 37 (Mexican hat, |ψ̂| ≥ 1e-7 for |ω| ≤ 4.5ξ).
      EXPECT_EQ(D.stride.back(), bnd == CwtBoundary::periodic ? 8u : kind == WaveletKind::mexican_hat ? 32u : 512u)
          << wavelet_kind_name(kind);
    }
}

// A signal band-limited to where the bank covers (sinusoids on DFT bins between the bank's centre
// frequencies) is reconstructed exactly from the periodic transform.
TEST(Cwt, InverseIsExactInTheBand) {
  const std::size_t N = 2048;
  const auto freqs = octave_frequencies(0.45, 6, 8);
  for (WaveletKind kind : kKinds) {
    const Cwt cwt(N, params(kind, freqs, CwtBoundary::periodic), kFast);
    const auto phase = test::random_normal(N, 3);
    Array<double> x({N});
    for (std::size_t k = std::size_t(0.01 * N); k <= std::size_t(0.45 * N); k += 7)
      for (std::size_t n = 0; n < N; ++n) x.data[n] += std::cos(2 * kPi * double(k * n % N) / double(N) + phase[k]);
    const auto y = cwt.inverse(cwt(x));
    ASSERT_EQ(y.shape, x.shape);
    EXPECT_LT(rel_error(y.data, x.data), 1e-10) << wavelet_kind_name(kind);

    Cwtf cwtf(N, params(kind, freqs, CwtBoundary::periodic), kFast);
    const Array<float> xf({N}, std::vector<float>(x.data.begin(), x.data.end()));
    EXPECT_LT(rel_error(cwtf.inverse(cwtf(xf)).data, x.data), 2e-5) << wavelet_kind_name(kind);
  }
}

// With zero padding, the same holds for a band-limited burst that vanishes well inside the ends.
TEST(Cwt, InverseWithZeroPaddingIsExactForABurstInside) {
  const std::size_t N = 2048;
  const auto freqs = octave_frequencies(0.45, 6, 8);
  Array<double> x({N});
  for (std::size_t n = 0; n < N; ++n) {
    const double t = double(n) - 1024;
    x.data[n] = std::exp(-t * t / (2 * 120.0 * 120.0)) *
                (std::cos(2 * kPi * 0.1 * double(n)) + 0.5 * std::sin(2 * kPi * 0.23 * double(n) + 1));
  }
  for (WaveletKind kind : kKinds) {
    const Cwt cwt(N, params(kind, freqs, CwtBoundary::zeros), kFast);
    EXPECT_LT(rel_error(cwt.inverse(cwt(x)).data, x.data), 1e-10) << wavelet_kind_name(kind);
  }
}

// Otherwise the inverse returns the signal's projection onto the band: the frequencies where
// Σ_k (ψ̂_k(ω)² + ψ̂_k(−ω)²) ≥ 1e-3 of its maximum, computed here from wavelet_fourier.
TEST(Cwt, InverseIsTheProjectionOntoTheBand) {
  const std::size_t N = 1024;
  const auto freqs = log_frequencies(0.02, 0.3, 20);
  const auto x = test::random_normal(N, 11);
  for (WaveletKind kind : kKinds) {
    const Cwt cwt(N, params(kind, freqs, CwtBoundary::periodic), kFast);
    std::vector<double> D(N, 0.0);
    for (std::size_t k = 0; k < freqs.size(); ++k) {
      const auto psi = wavelet_fourier(kind, N, freqs[k], cwt.sigmas()[k]);
      for (std::size_t m = 0; m < N; ++m) D[m] += psi[m] * psi[m] + psi[(N - m) % N] * psi[(N - m) % N];
    }
    const double top = *std::max_element(D.begin(), D.end());
    AlignedVector<Z> a(N), b(N);
    for (std::size_t n = 0; n < N; ++n) a[n] = x[n];
    FftPlan<double>(FftPlan<double>::Kind::forward, {int(N)})(a.data(), b.data());
    std::size_t kept = 0;
    for (std::size_t m = 0; m < N; ++m) b[m] *= D[m] >= 1e-3 * top ? (++kept, 1.0 / double(N)) : 0.0;
    EXPECT_GT(kept, N / 3);
    EXPECT_LT(kept, kind == WaveletKind::mexican_hat ? N - 4 : 3 * N / 4);  // the hat drops ω ≈ 0
    FftPlan<double>(FftPlan<double>::Kind::backward, {int(N)})(b.data(), a.data());
    std::vector<double> expected(N);
    for (std::size_t n = 0; n < N; ++n) expected[n] = a[n].real();
    const auto y = cwt.inverse(cwt(Array<double>({N}, x)));
    EXPECT_LT(rel_error(y.data, expected), 1e-10) << wavelet_kind_name(kind);
  }
}

// Zero padding: the transform is the linear (not circular) convolution, i.e. the periodic
// transform of the signal followed by many zeros; so the two ends do not wrap into each other.
// (Up to the 1e-7 tails beyond each wavelet's support; the lowest wavelet's support, 1450 samples,
// fits in N. A Mexican hat above ξ ≈ 0.11 is cut at the Nyquist frequency and decays only as 1/t:
// its rows are not compared.)
TEST(Cwt, ZerosBoundaryIsALinearConvolution) {
  const std::size_t N = 1500;
  const auto freqs = log_frequencies(0.012, 0.45, 12);
  const auto x = test::random_normal(N, 5);
  for (WaveletKind kind : kKinds) {
    const Cwt cwt(N, params(kind, freqs, CwtBoundary::zeros), kFast);
    const std::size_t L = cwt.fft_length();
    EXPECT_GT(L, N);
    EXPECT_LE(L, 2 * N * 109 / 100);
    std::size_t m = L;
    for (std::size_t p : {2u, 3u, 5u, 7u})
      while (m % p == 0) m /= p;
    EXPECT_EQ(m, 1u) << L;
    const std::size_t M = 4 * N;
    const Cwt wide(M, params(kind, freqs, CwtBoundary::periodic), kFast);
    EXPECT_EQ(wide.fft_length(), M);
    Array<double> xp({M});
    std::copy(x.begin(), x.end(), xp.data.begin());
    const auto W = cwt(Array<double>({N}, x)), Wp = wide(xp);
    for (std::size_t k = 0; k < freqs.size(); ++k) {
      if (kind == WaveletKind::mexican_hat && freqs[k] > 0.11) continue;
      std::vector<Z> a(row(W, 0, k), row(W, 0, k) + N), b(row(Wp, 0, k), row(Wp, 0, k) + N);
      EXPECT_LT(rel_error(interleave(a), interleave(b)), 1e-6) << wavelet_kind_name(kind) << " " << k;
    }
  }
}

TEST(Cwt, FloatAgreesWithDouble) {
  const std::size_t N = 5000;
  const auto x = test::random_normal(N, 13);
  const auto freqs = log_frequencies(0.002, 0.45, 40);
  for (WaveletKind kind : kKinds) {
    const Cwt cwt(N, params(kind, freqs, CwtBoundary::zeros), kFast);
    const Cwtf cwtf(N, params(kind, freqs, CwtBoundary::zeros), kFast);
    const auto W = cwt(Array<double>({N}, x));
    const auto Wf = cwtf(Array<float>({N}, std::vector<float>(x.begin(), x.end())));
    EXPECT_LT(rel_error(interleave(Wf.data), interleave(W.data)), 1e-5) << wavelet_kind_name(kind);
    const auto D = cwt.decimated(Array<double>({N}, x));
    const auto Df = cwtf.decimated(Array<float>({N}, std::vector<float>(x.begin(), x.end())));
    EXPECT_EQ(Df.stride, D.stride);
    EXPECT_LT(rel_error(interleave(Df.data), interleave(D.data)), 1e-5) << wavelet_kind_name(kind);
  }
}

// Threads split inputs × scales; every number is the same for 1 and 3 threads (and for the
// caller-storage entry point).
TEST(Cwt, ThreadsGiveBitIdenticalResults) {
  const std::size_t N = 2000, B = 2;
  const Array<float> x({B, N}, test::random_normal<float>(B * N, 17));
  const auto freqs = log_frequencies(0.005, 0.5, 25);
  const Cwtf one(N, params(WaveletKind::morlet, freqs, CwtBoundary::zeros), {1, Planning::estimate});
  const Cwtf three(N, params(WaveletKind::morlet, freqs, CwtBoundary::zeros), {3, Planning::estimate});
  const auto W1 = one(x), W3 = three(x);
  ASSERT_EQ(W1.shape, (Shape{B, freqs.size(), N}));
  EXPECT_EQ(std::memcmp(W1.data.data(), W3.data.data(), W1.size() * sizeof(W1.data[0])), 0);
  std::vector<std::complex<float>> out(W1.size());
  three(x.data.data(), B, out.data());
  EXPECT_EQ(std::memcmp(W1.data.data(), out.data(), out.size() * sizeof(out[0])), 0);
  const auto D1 = one.decimated(x), D3 = three.decimated(x);
  EXPECT_EQ(std::memcmp(D1.data.data(), D3.data.data(), D1.data.size() * sizeof(D1.data[0])), 0);
  const auto I1 = one.inverse(W1), I3 = three.inverse(W1);
  EXPECT_EQ(std::memcmp(I1.data.data(), I3.data.data(), I1.size() * sizeof(float)), 0);
}

TEST(Cwt, ShapesAndAccessors) {
  const std::size_t N = 300;
  const auto freqs = log_frequencies(0.01, 0.4, 5);
  CwtParams p = params(WaveletKind::gabor, freqs, CwtBoundary::periodic);
  p.sigma_ratio = 0.1;
  const Cwt cwt(N, p, kFast);
  EXPECT_EQ(cwt.signal_length(), N);
  EXPECT_EQ(cwt.fft_length(), N);
  EXPECT_EQ(cwt.scales(), 5u);
  EXPECT_EQ(cwt.frequencies(), freqs);
  for (std::size_t k = 0; k < 5; ++k) EXPECT_DOUBLE_EQ(cwt.sigmas()[k], 0.1 * freqs[k]);
  const Array<double> x({2, 3, N}, test::random_normal(6 * N, 19));
  const auto W = cwt(x);
  EXPECT_EQ(W.shape, (Shape{2, 3, 5, N}));
  EXPECT_EQ(cwt.decimated(x).batch, (Shape{2, 3}));
  EXPECT_EQ(cwt.inverse(W).shape, x.shape);
  // Moves keep the transform.
  Cwt moved = Cwt(N, p, kFast);
  moved = std::move(const_cast<Cwt&>(cwt));
  EXPECT_EQ(moved.scales(), 5u);
}

// ExecOptions::progress counts inputs, ends with (batch, batch), never decreases.
TEST(Cwt, ProgressCountsInputs) {
  const std::size_t N = 500, B = 5;
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  ExecOptions e{2, Planning::estimate};
  e.progress = [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); };
  const Cwt cwt(N, params(WaveletKind::morlet, log_frequencies(0.02, 0.4, 6), CwtBoundary::zeros), e);
  const Array<double> x({B, N}, test::random_normal(B * N, 29));
  const auto W = cwt(x);
  for (int mode = 0; mode < 3; ++mode) {
    calls.clear();
    if (mode == 0) cwt(x);
    if (mode == 1) cwt.decimated(x);
    if (mode == 2) cwt.inverse(W);
    ASSERT_FALSE(calls.empty()) << mode;
    EXPECT_EQ(calls.back(), (std::pair{B, B})) << mode;
    for (std::size_t i = 1; i < calls.size(); ++i) EXPECT_LE(calls[i - 1].first, calls[i].first) << mode;
  }
}

TEST(Cwt, BadInputIsRejectedWithTheArgumentsName) {
  auto usage = [](std::size_t N, CwtParams p, ExecOptions e = kFast) {
    return message_of<UsageError>([&] { Cwt(N, p, e); });
  };
  const CwtParams ok = params(WaveletKind::morlet, {0.1, 0.2}, CwtBoundary::zeros);
  EXPECT_NE(usage(0, ok).find("N=0"), std::string::npos);
  for (auto [freqs, needle] : std::vector<std::pair<std::vector<double>, std::string>>{
           {{}, "frequencies"}, {{0.1, 0.0}, "frequencies[1]"}, {{0.6}, "frequencies[0]"},
           {{0.2, NAN}, "frequencies[1]"}, {{-0.1}, "frequencies[0]"}}) {
    CwtParams p = ok;
    p.frequencies = freqs;
    EXPECT_NE(usage(100, p).find(needle), std::string::npos) << usage(100, p);
  }
  CwtParams p = ok;
  p.Q = 0.5;
  EXPECT_NE(usage(100, p).find("Q="), std::string::npos);
  p = ok;
  p.sigma_ratio = -1;
  EXPECT_NE(usage(100, p).find("sigma_ratio"), std::string::npos);
  p.sigma_ratio = INFINITY;
  EXPECT_NE(usage(100, p).find("sigma_ratio"), std::string::npos);
  EXPECT_NE(usage(100, ok, {0, Planning::estimate}).find("threads"), std::string::npos);
  EXPECT_NE(message_of<UsageError>([] { wavelet_fourier(WaveletKind::morlet, 16, 0.7, 0.1); }).find("xi"),
            std::string::npos);

  const Cwt cwt(100, ok, kFast);
  Array<double> x({100}, test::random_normal(100, 23));
  x.data[42] = NAN;
  EXPECT_NE(message_of<InputError>([&] { cwt(x); }).find("NaN at flat index 42"), std::string::npos);
  EXPECT_NE(message_of<InputError>([&] { cwt.decimated(x); }).find("NaN"), std::string::npos);
  EXPECT_NE(message_of<InputError>([&] { cwt(Array<double>({99}, std::vector<double>(99, 1.0))); }).find("(99,)"),
            std::string::npos);
  EXPECT_NE(message_of<InputError>([&] { cwt.inverse(Array<Z>({3, 100})); }).find("(..., 2, 100)"),
            std::string::npos);
  Array<Z> W({2, 100}, std::vector<Z>(200, Z(1, 0)));
  W.data[150] = Z(0, INFINITY);
  EXPECT_NE(message_of<InputError>([&] { cwt.inverse(W); }).find("Inf at flat index 150"), std::string::npos);
}

// Fuzzing found (F2, docs/RELIABILITY.md): σ/ξ = 1e300 made the wavelet's band ±3e303 cycles,
// cast to int64 (undefined behaviour). The band is now clipped to one period before the cast: the
// transform is defined, finite and not zero.
TEST(Cwt, HugeSigmaRatioStaysDefined) {
  const std::size_t N = 64;
  for (double rho : {1e6, 1e300}) {
    CwtParams p = params(WaveletKind::gabor, {0.25}, CwtBoundary::periodic);
    p.sigma_ratio = rho;
    const Cwt cwt(N, p, kFast);
    const Array<double> x({N}, test::random_normal(N, 23));
    const auto W = cwt(x);
    ASSERT_EQ(W.size(), N);
    double energy = 0;
    for (const auto& w : W.data) {
      ASSERT_TRUE(std::isfinite(w.real()) && std::isfinite(w.imag())) << rho;
      energy += std::norm(w);
    }
    EXPECT_GT(energy, 0) << rho;
  }
}



TEST(Cwt, ScalesTimesLengthIsCheckedAtConstruction) {
  const wst::test::ScopedMemoryLimit limit("1M");
  CwtParams p;
  p.frequencies = log_frequencies(0.001, 0.4, 64);
  const std::string m = test::message_of<InputError>([&] { BasicCwt<double>(65536, p); });
  EXPECT_NE(m.find("CWT of 64 scales on 65536 samples"), std::string::npos) << m;
  EXPECT_NE(m.find("WST_MEMORY_LIMIT"), std::string::npos) << m;
  EXPECT_NE(test::message_of<InputError>([] { wavelet_fourier(WaveletKind::morlet, 1 << 20, 0.25, 0.05); })
                .find("wavelet of 1048576"),
            std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { wavelet_fourier(WaveletKind::morlet, SIZE_MAX, 0.25, 0.05); })
                .find("N="),
            std::string::npos);
}

}  // namespace
}  // namespace wst
