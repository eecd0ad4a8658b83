// Windows (scipy.signal.windows) and the STFT / inverse STFT (scipy.signal.stft / istft):
// the scipy reference files of ../shared/reference/tf, a direct evaluation of the definition with
// boundary zeros, round trips, float vs double, complex input, thread independence, errors.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "test_support.hpp"
#include "wst/support/error.hpp"
#include "wst/support/memory_budget.hpp"
#include "wst/io/npy.hpp"
#include "wst/core/stft.hpp"
#include "wst/core/windows.hpp"

namespace wst {
namespace {

using C = std::complex<double>;
constexpr double kPi = 3.141592653589793238462643383279502884;

std::string tf_ref(const std::string& name) { return test::shared_dir() + "/reference/tf/" + name; }

ExecOptions quick(int threads = 1) {
  ExecOptions e;
  e.threads = threads;
  e.planning = Planning::estimate;
  return e;
}

StftParams params(std::vector<double> window, std::size_t hop, StftBoundary boundary,
                  std::size_t nfft = 0, StftScaling scaling = StftScaling::spectrum) {
  StftParams p;
  p.window = std::move(window);
  p.hop = hop;
  p.nfft = nfft;
  p.boundary = boundary;
  p.scaling = scaling;
  return p;
}

std::vector<double> hann(std::size_t L, bool periodic = true) {
  return make_window({WindowKind::hann, L, 0.0, periodic});
}
std::vector<double> gauss(std::size_t L, double sigma) { return make_window({WindowKind::gauss, L, sigma}); }
std::vector<double> rect(std::size_t L) { return make_window({WindowKind::rect, L}); }

// max |a − b| / max |b|, complex or real.
template <class A, class B>
double rel_err(const std::vector<A>& a, const std::vector<B>& b) {
  if (a.size() != b.size()) return INFINITY;
  double num = 0, den = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    num = std::max(num, std::abs(C(a[i]) - C(b[i])));
    den = std::max(den, std::abs(C(b[i])));
  }
  return num / den;
}

template <class T>
Array<T> signal(Shape shape, unsigned seed) {
  const std::size_t n = shape_size(shape);
  return Array<T>(std::move(shape), test::random_normal<T>(n, seed));
}

Array<C> complex_signal(Shape shape, unsigned seed) {
  const std::size_t n = shape_size(shape);
  const auto re = test::random_normal(n, seed), im = test::random_normal(n, seed + 99);
  Array<C> z(std::move(shape));
  for (std::size_t i = 0; i < n; ++i) z.data[i] = {re[i], im[i]};
  return z;
}

// ---- windows -------------------------------------------------------------------------------

TEST(Windows, MatchScipyReferenceFiles) {
  const auto h = read_npy_as<double>(tf_ref("win_hann256.npy"));
  const auto g = read_npy_as<double>(tf_ref("win_gauss256_std32.npy"));
  EXPECT_LE(test::rel_error(hann(256), h.data), 1e-15);  // get_window('hann', 256): periodic
  EXPECT_LE(test::rel_error(gauss(256, 32), g.data), 1e-15);
  EXPECT_EQ(hann(256)[0], 0.0);
  EXPECT_EQ(hann(256)[128], 1.0);
}

TEST(Windows, DefinitionsAndEdgeCases) {
  // Symmetric Hann: 0.5 − 0.5·cos(2πm/(L−1)), zero at both ends.
  const auto s = hann(9, false);
  for (std::size_t m = 0; m < 9; ++m) EXPECT_NEAR(s[m], 0.5 - 0.5 * std::cos(2 * kPi * m / 8), 4e-16) << m;
  const auto p = hann(9, true);
  for (std::size_t m = 0; m < 9; ++m) EXPECT_NEAR(p[m], 0.5 - 0.5 * std::cos(2 * kPi * m / 9), 4e-16) << m;
  const auto g = gauss(7, 1.5);
  for (std::size_t m = 0; m < 7; ++m) EXPECT_NEAR(g[m], std::exp(-0.5 * std::pow((m - 3.0) / 1.5, 2)), 1e-16);
  EXPECT_EQ(rect(5), std::vector<double>(5, 1.0));
  // scipy returns [1] for a window of length 1.
  EXPECT_EQ(hann(1, true), std::vector<double>{1.0});
  EXPECT_EQ(hann(1, false), std::vector<double>{1.0});
  EXPECT_EQ(gauss(1, 3), std::vector<double>{1.0});
  EXPECT_EQ(parse_window_kind("gaussian"), WindowKind::gauss);
  EXPECT_EQ(parse_window_kind("boxcar"), WindowKind::rect);
  EXPECT_EQ(std::string(window_kind_name(parse_window_kind("hann"))), "hann");
  EXPECT_NE(test::message_of<UsageError>([] { parse_window_kind("hamming"); }).find("gauss, hann or rect"),
            std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { hann(0); }).find("at least 1"), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { gauss(16, 0); }).find("sigma"), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { gauss(16, NAN); }).find("sigma"), std::string::npos);
}

// ---- scipy references (boundary None, padded False, L = 256, hop 64, scaling 'spectrum') -----

struct Reference {
  const char* window;
  const char* signal;
};
const Reference kReferences[] = {{"hann", "chirp"},       {"hann", "tones_click"},  {"hann", "noise"},
                                 {"gauss", "chirp"},      {"gauss", "tones_click"}, {"gauss", "noise"}};

Stft reference_stft(const std::string& window) {
  return Stft(4096, params(window == "hann" ? hann(256) : gauss(256, 32), 64, StftBoundary::none), quick());
}

TEST(Stft, MatchesScipyStft) {
  for (const auto& [window, name] : kReferences) {
    SCOPED_TRACE(std::string(window) + " " + name);
    const auto x = read_npy_as<double>(tf_ref(std::string("sig_") + name + ".npy"));
    const auto ref = read_npy_as<C>(tf_ref(std::string("stft_") + window + "_" + name + ".npy"));
    const Stft stft = reference_stft(window);
    const auto Z = stft(x);
    ASSERT_EQ(Z.shape, (Shape{129, 61}));
    ASSERT_EQ(ref.shape, Z.shape);
    EXPECT_LE(rel_err(Z.data, ref.data), 1e-10);
  }
}

TEST(Stft, InverseMatchesScipyIstft) {
  for (const auto& [window, name] : kReferences) {
    SCOPED_TRACE(std::string(window) + " " + name);
    const auto Z = read_npy_as<C>(tf_ref(std::string("stft_") + window + "_" + name + ".npy"));
    const auto ref = read_npy_as<double>(tf_ref(std::string("istft_") + window + "_" + name + ".npy"));
    const Stft stft = reference_stft(window);
    const auto x = stft.inverse(Z);
    ASSERT_EQ(x.shape, (Shape{4096}));
    const auto energy = stft.window_energy();
    double interior = 0, covered = 0, rest = 0;
    for (std::size_t n = 0; n < 4096; ++n) {
      const double d = std::abs(x.data[n] - ref.data[n]);
      if (n >= 256 && n < 3840) interior = std::max(interior, d);
      if (energy[n] > 1e-10) covered = std::max(covered, d);
      else rest = std::max(rest, d);
    }
    EXPECT_LE(interior, 1e-12);
    EXPECT_LE(covered, 3e-12);  // the edges divide by Σw² down to Hann's w[1]² ≈ 2.3e-8
    EXPECT_LE(rest, 1e-15);     // Hann's sample 0 (w[0] = 0): left at 0 as scipy does
  }
}

TEST(Stft, TimesAndFrequenciesMatchScipy) {
  const Stft stft = reference_stft("hann");
  const auto t = read_npy_as<double>(tf_ref("stft_times.npy"));
  const auto f = read_npy_as<double>(tf_ref("stft_freqs.npy"));
  EXPECT_EQ(stft.times(), t.data);
  EXPECT_EQ(stft.frequencies(), f.data);
  EXPECT_EQ(stft.frames(), 61u);
  EXPECT_EQ(stft.bins(), 129u);
  EXPECT_EQ(stft.bins(false), 256u);
  EXPECT_EQ(stft.frequencies(false).size(), 256u);
  EXPECT_EQ(stft.frequencies(false)[128], -0.5);
  EXPECT_EQ(stft.params().nfft, 256u);
}

// ---- boundary zeros (scipy's default: boundary='zeros', padded=True) -------------------------

// The definition evaluated directly: L/2 zeros in front, the frames of scipy's padded signal.
std::vector<C> direct_stft(const std::vector<double>& x, const std::vector<double>& w, std::size_t H,
                           std::size_t F, std::size_t frames) {
  const std::size_t L = w.size(), bins = F / 2 + 1;
  double sum = 0;
  for (double v : w) sum += v;
  std::vector<C> Z(bins * frames);
  for (std::size_t m = 0; m < frames; ++m)
    for (std::size_t k = 0; k < bins; ++k) {
      std::complex<long double> acc = 0;
      for (std::size_t n = 0; n < L; ++n) {
        const long long i = (long long)(m * H + n) - (long long)(L / 2);
        if (i < 0 || i >= (long long)x.size()) continue;
        acc += (long double)(w[n] * x[i]) *
               std::polar(1.0L, -2 * 3.141592653589793238462643383279502884L * ((k * n) % F) / F);
      }
      Z[k * frames + m] = C(acc) / sum;
    }
  return Z;
}

TEST(Stft, BoundaryZerosFramesAndTimesFollowScipy) {
  // N = 1001, L = 256, H = 64: 1001 + 256 = 1257 padded to 1280, so (1280 − 256)/64 + 1 = 17 frames,
  // centred on input samples 0, 64, …, 1024.
  const auto x = signal<double>({1001}, 3);
  const auto w = hann(256);
  const Stft stft(1001, params(w, 64, StftBoundary::zeros), quick());
  ASSERT_EQ(stft.frames(), 17u);
  std::vector<double> t(17);
  for (std::size_t m = 0; m < 17; ++m) t[m] = 64.0 * m;
  EXPECT_EQ(stft.times(), t);
  EXPECT_EQ(Stft(4096, params(w, 64, StftBoundary::zeros), quick()).frames(), 65u);
  EXPECT_LE(rel_err(stft(x).data, direct_stft(x.data, w, 64, 256, 17)), 1e-13);
  // Odd window, nfft > L (zero-padded frames), hop not dividing L.
  const auto g = gauss(75, 9);
  const Stft odd(500, params(g, 20, StftBoundary::zeros, 96), quick());
  const auto y = signal<double>({500}, 4);
  EXPECT_EQ(odd.bins(), 49u);
  EXPECT_EQ(odd.frames(), 26u);  // 500 + 2·37 = 574 padded to 575: (575 − 75)/20 + 1
  EXPECT_LE(rel_err(odd(y).data, direct_stft(y.data, g, 20, 96, odd.frames())), 1e-13);
  // Boundary none: centres at L/2 + mH (a half sample for odd L).
  EXPECT_EQ(Stft(500, params(g, 20, StftBoundary::none), quick()).times()[1], 37.5 + 20);
}

TEST(Stft, BoundaryZerosRoundTripIsExactOnEverySample) {
  struct Combo {
    std::vector<double> window;
    std::size_t hop, nfft;
    StftScaling scaling;
  };
  const std::vector<Combo> combos = {
      {hann(256), 64, 0, StftScaling::spectrum},  {hann(256), 128, 0, StftScaling::spectrum},
      {hann(255, false), 100, 0, StftScaling::none}, {gauss(128, 16), 32, 0, StftScaling::spectrum},
      {gauss(101, 20), 101, 128, StftScaling::spectrum}, {rect(64), 64, 0, StftScaling::spectrum},
      {hann(64), 17, 100, StftScaling::none},       {rect(1), 1, 0, StftScaling::spectrum},
  };
  const auto x = signal<double>({2, 1001}, 5);
  for (const auto& c : combos) {
    SCOPED_TRACE("L " + std::to_string(c.window.size()) + " hop " + std::to_string(c.hop));
    const Stft stft(1001, params(c.window, c.hop, StftBoundary::zeros, c.nfft, c.scaling), quick());
    const auto Z = stft(x);
    EXPECT_EQ(Z.shape, (Shape{2, stft.bins(), stft.frames()}));
    const auto y = stft.inverse(Z);
    EXPECT_EQ(y.shape, x.shape);
    EXPECT_LE(rel_err(y.data, x.data), 1e-10);
    for (double e : stft.window_energy()) ASSERT_GT(e, 1e-10);
  }
}

TEST(Stft, ScalingNoneIsTheSpectrumTimesTheWindowSum) {
  const auto w = gauss(64, 10);
  double sum = 0;
  for (double v : w) sum += v;
  const auto x = signal<double>({700}, 6);
  const auto a = Stft(700, params(w, 16, StftBoundary::zeros), quick())(x);
  auto b = Stft(700, params(w, 16, StftBoundary::zeros, 0, StftScaling::none), quick())(x);
  for (auto& z : b.data) z /= sum;
  EXPECT_LE(rel_err(b.data, a.data), 1e-14);
}

// Boundary none: the samples past the last frame are not covered; the inverse returns 0 there.
TEST(Stft, UncoveredSamplesHaveZeroEnergyAndComeBackZero) {
  const auto w = hann(256);
  const Stft stft(300, params(w, 64, StftBoundary::none), quick());
  ASSERT_EQ(stft.frames(), 1u);
  const auto energy = stft.window_energy();
  const auto x = signal<double>({300}, 7);
  const auto y = stft.inverse(stft(x));
  for (std::size_t n = 0; n < 300; ++n) {
    EXPECT_EQ(energy[n], n < 256 ? w[n] * w[n] : 0.0) << n;
    if (n >= 256 || n == 0) EXPECT_EQ(y.data[n], 0.0) << n;
    else EXPECT_NEAR(y.data[n], x.data[n], 1e-10) << n;  // divided by w[n]², down to 2.3e-8
  }
}

// ---- precision, complex input, threads -------------------------------------------------------

TEST(Stft, FloatAgreesWithDouble) {
  const auto xd = signal<double>({3, 2000}, 8);
  const auto xf = signal<float>({3, 2000}, 8);
  const auto p = params(hann(128), 32, StftBoundary::zeros);
  const Stft sd(2000, p, quick());
  const Stftf sf(2000, p, quick());
  const auto Zd = sd(xd);
  const auto Zf = sf(xf);
  EXPECT_LE(rel_err(Zf.data, Zd.data), 1e-5);
  EXPECT_LE(rel_err(sf.inverse(Zf).data, xd.data), 1e-5);
  const auto zf = sf(Array<std::complex<float>>(Shape{2000}, std::vector<std::complex<float>>(
                                                                  xf.data.begin(), xf.data.begin() + 2000)));
  EXPECT_LE(rel_err(sf.inverse_complex(zf).data,
                    std::vector<double>(xd.data.begin(), xd.data.begin() + 2000)),
            1e-5);
}

TEST(Stft, ComplexInputIsTwoSidedAndRoundTrips) {
  const auto w = gauss(96, 12);
  const Stft stft(777, params(w, 24, StftBoundary::zeros, 128), quick());
  const auto z = complex_signal({2, 777}, 9);
  const auto Z = stft(z);
  ASSERT_EQ(Z.shape, (Shape{2, 128, stft.frames()}));
  EXPECT_LE(rel_err(stft.inverse_complex(Z).data, z.data), 1e-10);
  // A real signal given as complex: the first F/2 + 1 rows are the one-sided transform, and the
  // others its Hermitian mirror.
  const auto x = signal<double>({777}, 10);
  const auto Zr = stft(x);
  const auto Zc = stft(Array<C>(Shape{777}, std::vector<C>(x.data.begin(), x.data.end())));
  const std::size_t M = stft.frames();
  std::vector<C> upper, mirror;
  for (std::size_t k = 0; k < 128; ++k)
    for (std::size_t m = 0; m < M; ++m) {
      if (k <= 64) EXPECT_NEAR(std::abs(Zc.data[k * M + m] - Zr.data[k * M + m]), 0.0, 1e-14);
      else upper.push_back(Zc.data[k * M + m]), mirror.push_back(std::conj(Zr.data[(128 - k) * M + m]));
    }
  EXPECT_LE(rel_err(upper, mirror), 1e-13);
}

// Frames are transformed in fixed blocks, and each output sample of the inverse sums its frames in
// the same order, so any thread count gives the same bits, for one signal or a batch.
TEST(Stft, ThreadCountDoesNotChangeAnyBit) {
  const auto x = signal<double>({3, 8000}, 11);  // 251 frames of F = 256: several blocks
  const auto z = complex_signal({8000}, 12);
  const auto p = params(hann(256), 32, StftBoundary::zeros);
  const Stft one(8000, p, quick(1));
  const auto Z1 = one(x);
  const auto x1 = one.inverse(Z1);
  const auto C1 = one(z);
  const auto z1 = one.inverse_complex(C1);
  Array<double> single(Shape{8000}, std::vector<double>(x.data.begin(), x.data.begin() + 8000));
  const auto S1 = one.inverse(one(single));
  for (int threads : {2, 3, 5, 16}) {
    SCOPED_TRACE(threads);
    const Stft many(8000, p, quick(threads));
    EXPECT_EQ(many(x).data, Z1.data);
    EXPECT_EQ(many.inverse(Z1).data, x1.data);
    EXPECT_EQ(many(z).data, C1.data);
    EXPECT_EQ(many.inverse_complex(C1).data, z1.data);
    EXPECT_EQ(many.inverse(many(single)).data, S1.data);
  }
  EXPECT_LE(rel_err(x1.data, x.data), 1e-12);
}

// ---- caller storage ------------------------------------------------------------------------

// Values of a and b whose bytes differ.
template <class V>
std::size_t bitwise_differences(const V* a, const V* b, std::size_t n) {
  std::size_t d = 0;
  for (std::size_t i = 0; i < n; ++i) d += std::memcmp(a + i, b + i, sizeof(V)) != 0;
  return d;
}

// The pointer forms give the Array forms' bits and write every value of the caller's storage
// (filled with −7 first), whatever the threads, in storage that is 16-byte aligned or not.
template <class T>
void expect_caller_storage_matches(std::size_t batch, std::size_t N, const StftParams& p) {
  const auto x = signal<T>({batch, N}, 21);
  const BasicStft<T> one(N, p, quick(1));
  const auto Z = one(x);
  const auto y = one.inverse(Z);
  for (int threads : {1, 3}) {
    const BasicStft<T> stft(N, p, quick(threads));
    for (std::size_t shift : {0, 1}) {
      SCOPED_TRACE("threads " + std::to_string(threads) + " shift " + std::to_string(shift));
      std::vector<std::complex<T>> z(Z.size() + 1, std::complex<T>(-7, -7));
      stft(x.data.data(), batch, z.data() + shift);
      EXPECT_EQ(bitwise_differences(z.data() + shift, Z.data.data(), Z.size()), 0u);
      std::vector<T> u(y.size() + 1, T(-7));
      stft.inverse(Z.data.data(), batch, u.data() + shift);
      EXPECT_EQ(bitwise_differences(u.data() + shift, y.data.data(), y.size()), 0u);
    }
  }
  if (p.boundary == StftBoundary::zeros)  // and a true inverse
    EXPECT_LE(rel_err(y.data, x.data), (std::is_same_v<T, float> ? 1e-5 : 1e-12));
}

TEST(Stft, CallerStorageMatchesTheArrayFormsBitForBit) {
  // Small outputs (plain stores); boundary none leaves 40 uncovered samples, which come back 0.
  expect_caller_storage_matches<double>(3, 5000, params(hann(256), 64, StftBoundary::zeros));
  expect_caller_storage_matches<float>(3, 5000, params(gauss(100, 15), 30, StftBoundary::zeros, 128));
  expect_caller_storage_matches<double>(2, 5000, params(hann(128), 48, StftBoundary::none));
  expect_caller_storage_matches<float>(2, 5000, params(hann(128), 48, StftBoundary::none));
  // Outputs over 8 MB, written by non-temporal stores: the spectra (36 and 39 MB) and the signals
  // (8.8 and 9.6 MB).
  expect_caller_storage_matches<float>(2, 1100000, params(hann(256), 64, StftBoundary::zeros));
  expect_caller_storage_matches<double>(2, 600000, params(hann(256), 64, StftBoundary::zeros));
}

// The pointer forms find non-finite values as the Array forms do: where no frame reads them (after
// the last frame with boundary none; a frame wholly past the signal), and name the first.
TEST(Stft, CallerStorageRejectsNonFiniteValues) {
  const Stftf none(1000, params(hann(64), 48, StftBoundary::none), quick(3));  // frames cover 976
  auto x = signal<float>({2, 1000}, 22);
  std::vector<std::complex<float>> z(2 * none.bins() * none.frames());
  x.data[1990] = NAN;
  x.data[1995] = INFINITY;
  std::string m = test::message_of<InputError>([&] { none(x.data.data(), 2, z.data()); });
  EXPECT_NE(m.find("NaN at flat index 1990"), std::string::npos) << m;
  EXPECT_EQ(test::message_of<InputError>([&] { none(x); }), m);
  // nfft > 2^13 keeps one frame a block; with hop > L/2 the last frame starts past the signal.
  const Stft wide(24500, params(rect(10000), 6000, StftBoundary::zeros, 16384), quick(8));
  ASSERT_EQ(wide.frames(), 6u);
  auto Z = wide(signal<double>({24500}, 23));
  Z.data[Z.size() - 1] = {0.0, NAN};
  std::vector<double> y(24500);
  m = test::message_of<InputError>([&] { wide.inverse(Z.data.data(), 1, y.data()); });
  EXPECT_NE(m.find("NaN at flat index " + std::to_string(Z.size() - 1)), std::string::npos) << m;
  // Finite input whose windowed values overflow (w·x = 1e40 in float) is refused, never returned
  // as Inf (docs/architecture.md, "Range").
  const Stftf loud(500, params(std::vector<double>(64, 1e30), 16, StftBoundary::zeros, 0,
                               StftScaling::none), quick());
  const Array<float> big(Shape{500}, std::vector<float>(500, 1e10f));
  m = test::message_of<InputError>([&] { loud(big); });
  EXPECT_NE(m.find("overflows the range of float32"), std::string::npos) << m;
}

// ---- errors --------------------------------------------------------------------------------

TEST(Stft, BadParametersAreRejectedWithAClearMessage) {
  auto usage = [](std::size_t n, StftParams p) {
    return test::message_of<UsageError>([&] { Stft(n, std::move(p), quick()); });
  };
  // Periodic Hann at hop = L: w[0] = 0 is never overlapped, so Σ w²[kH] = 0 at offset 0.
  std::string m = usage(1000, params(hann(256), 256, StftBoundary::zeros));
  EXPECT_NE(m.find("NOLA"), std::string::npos) << m;
  EXPECT_NE(m.find("hop 256"), std::string::npos) << m;
  EXPECT_NE(m.find("256-sample window"), std::string::npos) << m;
  EXPECT_NE(m.find("smaller hop"), std::string::npos) << m;
  // A narrow Gaussian at hop = L: its ends are below 1e-10 of its peak.
  EXPECT_NE(usage(1000, params(gauss(256, 8), 256, StftBoundary::zeros)).find("NOLA"), std::string::npos);
  // The same windows are fine with overlap; the rectangle is fine at hop = L.
  EXPECT_EQ(usage(1000, params(hann(256), 255, StftBoundary::zeros)), "<no exception>");
  EXPECT_EQ(usage(1000, params(rect(64), 64, StftBoundary::zeros)), "<no exception>");
  m = usage(1000, params(rect(64), 65, StftBoundary::zeros));
  EXPECT_NE(m.find("hop must be in [1, 64]"), std::string::npos) << m;
  EXPECT_NE(usage(1000, params(rect(64), 0, StftBoundary::zeros)).find("hop must be in [1, 64]"),
            std::string::npos);
  m = usage(100, params(hann(256), 64, StftBoundary::none));
  EXPECT_NE(m.find("256 samples"), std::string::npos) << m;
  EXPECT_NE(m.find("(100 samples)"), std::string::npos) << m;
  EXPECT_EQ(usage(100, params(hann(256), 64, StftBoundary::zeros)), "<no exception>");
  EXPECT_NE(usage(0, params(hann(16), 4, StftBoundary::zeros)).find("signal length"), std::string::npos);
  EXPECT_NE(usage(100, params({}, 1, StftBoundary::zeros)).find("window is empty"), std::string::npos);
  EXPECT_NE(usage(100, params(hann(32), 8, StftBoundary::zeros, 16)).find("nfft"), std::string::npos);
  auto bad = hann(32);
  bad[3] = NAN;
  EXPECT_NE(usage(100, params(bad, 8, StftBoundary::zeros)).find("index 3"), std::string::npos);
}

TEST(Stft, BadInputIsRejectedWithAClearMessage) {
  const Stft stft(500, params(hann(64), 16, StftBoundary::zeros), quick());
  auto x = signal<double>({2, 500}, 13);
  EXPECT_NE(test::message_of<InputError>([&] { stft(signal<double>({499}, 1)); }).find("(499,)"),
            std::string::npos);
  x.data[777] = NAN;
  EXPECT_NE(test::message_of<InputError>([&] { stft(x); }).find("NaN at flat index 777"), std::string::npos);
  const auto Z = stft(signal<double>({500}, 14));
  EXPECT_NE(test::message_of<InputError>([&] { stft.inverse_complex(Z); }).find("(..., 64, "),
            std::string::npos);
  auto Zbad = Z;
  Zbad.data[5] = {0.0, INFINITY};
  EXPECT_NE(test::message_of<InputError>([&] { stft.inverse(Zbad); }).find("Inf at flat index 5"),
            std::string::npos);
}

TEST(Stft, AbsurdSignalLengthsAreUsageErrors) {
  StftParams p;
  p.window = make_window({WindowKind::hann, 16});
  p.hop = 8;
  // SIZE_MAX used to wrap the padded length to zero frames, then divide by zero (SIGFPE).
  for (std::size_t n : {SIZE_MAX, SIZE_MAX - 7, kMaxLength + 1}) {
    const std::string m = test::message_of<UsageError>([&] { BasicStft<double>(n, p); });
    EXPECT_NE(m.find("STFT signal length"), std::string::npos) << n << ": " << m;
    EXPECT_NE(m.find("1099511627776"), std::string::npos) << m;
  }
  EXPECT_NE(test::message_of<UsageError>([&] { BasicStft<float>(0, p); }).find("[1, "), std::string::npos);
  EXPECT_EQ(BasicStft<double>(kMaxLength, p).signal_length(), kMaxLength);
}

}  // namespace
}  // namespace wst
