// FftPlan (FFTW wrapper) against a naive DFT, round trips, thread safety and move semantics;
// reflect padding (spec §0) and the exactness of Fourier-domain subsampling (spec §0, §4).
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <filesystem>
#include <string>
#include <random>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "test_support.hpp"
#include "wst/core/fft.hpp"
#include "wst/core/padding.hpp"

namespace wst {
namespace {

using test::rel_error;
using LC = std::complex<long double>;

constexpr long double kTwoPi = 6.283185307179586476925286766559005768L;

// Real and imaginary parts side by side, so that rel_error compares complex arrays.
template <class V>
std::vector<double> interleave(const V& z) {
  std::vector<double> out;
  out.reserve(2 * z.size());
  for (const auto& c : z) {
    out.push_back(double(c.real()));
    out.push_back(double(c.imag()));
  }
  return out;
}

template <class T>
AlignedVector<std::complex<T>> random_complex(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> d(0.0, 1.0);
  AlignedVector<std::complex<T>> v(n);
  for (auto& z : v) {
    const double re = d(gen), im = d(gen);
    z = {T(re), T(im)};
  }
  return v;
}

template <class T>
AlignedVector<T> random_real(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> d(0.0, 1.0);
  AlignedVector<T> v(n);
  for (auto& x : v) x = T(d(gen));
  return v;
}

// Direct 2D DFT (rank 1 when rows == 1) in long double: out[k,l] = Σ x[m,n] e^{sign·2πi(km/M + ln/N)}.
template <class In>
std::vector<LC> naive_dft(const In& x, std::size_t M, std::size_t N, int sign) {
  std::vector<LC> wm(M), wn(N);
  for (std::size_t i = 0; i < M; ++i) wm[i] = std::polar(1.0L, sign * kTwoPi * i / M);
  for (std::size_t i = 0; i < N; ++i) wn[i] = std::polar(1.0L, sign * kTwoPi * i / N);
  std::vector<LC> out(M * N);
  for (std::size_t k = 0; k < M; ++k)
    for (std::size_t l = 0; l < N; ++l) {
      LC s = 0;
      for (std::size_t m = 0; m < M; ++m) {
        const LC wr = wm[(k * m) % M];
        LC row = 0;
        for (std::size_t n = 0; n < N; ++n) row += LC(x[m * N + n]) * wn[(l * n) % N];
        s += wr * row;
      }
      out[k * N + l] = s;
    }
  return out;
}

template <class T>
double tolerance() {
  return std::is_same_v<T, double> ? 1e-12 : 1e-5;
}

template <class T>
class FftTyped : public ::testing::Test {};
using Precisions = ::testing::Types<float, double>;
TYPED_TEST_SUITE(FftTyped, Precisions);

// Sizes (rows, cols); rows == 0 means a rank-1 transform of length cols.
const std::vector<std::pair<std::size_t, std::size_t>> kSizes = {
    {0, 64}, {0, 37}, {0, 100}, {36, 36}, {40, 56}, {7, 12}};

std::vector<int> dims_of(std::pair<std::size_t, std::size_t> s) {
  return s.first == 0 ? std::vector<int>{int(s.second)} : std::vector<int>{int(s.first), int(s.second)};
}

TYPED_TEST(FftTyped, ComplexForwardAndBackwardMatchNaiveDft) {
  using T = TypeParam;
  using Plan = FftPlan<T>;
  unsigned seed = 11;
  for (auto sz : kSizes) {
    const std::size_t M = sz.first ? sz.first : 1, N = sz.second;
    const auto x = random_complex<T>(M * N, seed++);
    for (auto [kind, sign] : {std::pair{Plan::Kind::forward, -1}, std::pair{Plan::Kind::backward, +1}}) {
      const Plan plan(kind, dims_of(sz), 1, Planning::estimate);
      ASSERT_TRUE(plan);
      AlignedVector<std::complex<T>> y(M * N);
      plan(x.data(), y.data());
      const auto ref = naive_dft(x, M, N, sign);
      EXPECT_LE(rel_error(interleave(y), interleave(ref)), tolerance<T>())
          << M << "x" << N << " sign " << sign;
    }
  }
}

TYPED_TEST(FftTyped, RealToComplexMatchesNaiveHalfSpectrum) {
  using T = TypeParam;
  using Plan = FftPlan<T>;
  unsigned seed = 21;
  for (auto sz : kSizes) {
    const std::size_t M = sz.first ? sz.first : 1, N = sz.second, H = N / 2 + 1;
    const auto x = random_real<T>(M * N, seed++);
    const Plan plan(Plan::Kind::r2c, dims_of(sz), 1, Planning::estimate);
    AlignedVector<std::complex<T>> y(M * H);
    plan(x.data(), y.data());
    const auto full = naive_dft(x, M, N, -1);
    std::vector<LC> ref(M * H);
    for (std::size_t k = 0; k < M; ++k)
      for (std::size_t l = 0; l < H; ++l) ref[k * H + l] = full[k * N + l];
    EXPECT_LE(rel_error(interleave(y), interleave(ref)), tolerance<T>()) << M << "x" << N;
  }
}

TYPED_TEST(FftTyped, ComplexToRealInvertsHermitianSpectrumUnnormalised) {
  using T = TypeParam;
  using Plan = FftPlan<T>;
  unsigned seed = 31;
  for (auto sz : kSizes) {
    const std::size_t M = sz.first ? sz.first : 1, N = sz.second, H = N / 2 + 1;
    const auto x = random_real<T>(M * N, seed++);
    const auto full = naive_dft(x, M, N, -1);
    AlignedVector<std::complex<T>> half(M * H);
    for (std::size_t k = 0; k < M; ++k)
      for (std::size_t l = 0; l < H; ++l)
        half[k * H + l] = {T(full[k * N + l].real()), T(full[k * N + l].imag())};
    const Plan plan(Plan::Kind::c2r, dims_of(sz), 1, Planning::estimate);
    AlignedVector<T> y(M * N);
    plan(half.data(), y.data());  // overwrites `half`
    std::vector<double> ref(M * N);
    for (std::size_t i = 0; i < M * N; ++i) ref[i] = double(x[i]) * double(M * N);
    EXPECT_LE(rel_error(y, ref), tolerance<T>()) << M << "x" << N;
  }
}

TYPED_TEST(FftTyped, RoundTripBackwardOfForwardIsNTimesInput) {
  using T = TypeParam;
  using Plan = FftPlan<T>;
  unsigned seed = 41;
  for (auto sz : kSizes) {
    const std::size_t M = sz.first ? sz.first : 1, N = sz.second;
    const auto x = random_complex<T>(M * N, seed++);
    const Plan fwd(Plan::Kind::forward, dims_of(sz), 1, Planning::estimate);
    const Plan bwd(Plan::Kind::backward, dims_of(sz), 1, Planning::estimate);
    AlignedVector<std::complex<T>> y(M * N), z(M * N);
    fwd(x.data(), y.data());
    bwd(y.data(), z.data());
    std::vector<std::complex<double>> ref(M * N);
    for (std::size_t i = 0; i < M * N; ++i) ref[i] = std::complex<double>(x[i]) * double(M * N);
    EXPECT_LE(rel_error(interleave(z), interleave(ref)), tolerance<T>()) << M << "x" << N;
  }
}

TYPED_TEST(FftTyped, BatchedPlanTransformsEachBlock) {
  using T = TypeParam;
  using Plan = FftPlan<T>;
  const std::size_t howmany = 3, M = 6, N = 10, n = M * N;
  const auto x = random_complex<T>(howmany * n, 51);
  const Plan plan(Plan::Kind::forward, {int(M), int(N)}, int(howmany), Planning::estimate);
  AlignedVector<std::complex<T>> y(howmany * n);
  plan(x.data(), y.data());
  for (std::size_t b = 0; b < howmany; ++b) {
    const std::vector<std::complex<T>> xb(x.begin() + b * n, x.begin() + (b + 1) * n);
    const std::vector<std::complex<T>> yb(y.begin() + b * n, y.begin() + (b + 1) * n);
    EXPECT_LE(rel_error(interleave(yb), interleave(naive_dft(xb, M, N, -1))), tolerance<T>()) << b;
  }
}

TYPED_TEST(FftTyped, InterleavedLayoutTransformsEachStridedSequence) {
  // Layout::interleaved: element i of transform k sits at i·howmany + k.
  using T = TypeParam;
  using Plan = FftPlan<T>;
  const std::size_t howmany = 3, M = 6, N = 10, n = M * N, H = N / 2 + 1;
  auto gather = [&](const auto& v, std::size_t k, std::size_t len) {
    std::vector<typename std::decay_t<decltype(v)>::value_type> out(len);
    for (std::size_t i = 0; i < len; ++i) out[i] = v[i * howmany + k];
    return out;
  };
  // c2c
  const auto x = random_complex<T>(howmany * n, 55);
  AlignedVector<std::complex<T>> y(howmany * n);
  Plan(Plan::Kind::forward, {int(M), int(N)}, int(howmany), Planning::estimate, Layout::interleaved)(x.data(), y.data());
  for (std::size_t k = 0; k < howmany; ++k)
    EXPECT_LE(rel_error(interleave(gather(y, k, n)), interleave(naive_dft(gather(x, k, n), M, N, -1))),
              tolerance<T>())
        << "c2c transform " << k;
  // r2c
  const auto xr = random_real<T>(howmany * n, 56);
  AlignedVector<std::complex<T>> yr(howmany * M * H);
  Plan(Plan::Kind::r2c, {int(M), int(N)}, int(howmany), Planning::estimate, Layout::interleaved)(xr.data(), yr.data());
  for (std::size_t k = 0; k < howmany; ++k) {
    const auto full = naive_dft(gather(xr, k, n), M, N, -1);
    std::vector<LC> ref(M * H);
    for (std::size_t a = 0; a < M; ++a)
      for (std::size_t l = 0; l < H; ++l) ref[a * H + l] = full[a * N + l];
    EXPECT_LE(rel_error(interleave(gather(yr, k, M * H)), interleave(ref)), tolerance<T>()) << "r2c transform " << k;
  }
  // c2r inverts it (unnormalised).
  AlignedVector<T> back(howmany * n);
  Plan(Plan::Kind::c2r, {int(M), int(N)}, int(howmany), Planning::estimate, Layout::interleaved)(yr.data(), back.data());
  std::vector<double> ref(howmany * n);
  for (std::size_t i = 0; i < ref.size(); ++i) ref[i] = double(xr[i]) * double(n);
  EXPECT_LE(rel_error(back, ref), tolerance<T>());
}

TEST(Fft, WisdomRoundTrip) {
  // Plan something (estimate, as everywhere in the tests), then export whatever wisdom there is.
  { FftPlan<double> p(FftPlan<double>::Kind::forward, {24}, 1, Planning::estimate); }
  { FftPlan<float> p(FftPlan<float>::Kind::forward, {24}, 1, Planning::estimate); }
  const std::string dir = test::temp_dir();
  EXPECT_FALSE(load_wisdom(dir));  // nothing there yet
  EXPECT_TRUE(save_wisdom(dir));
  EXPECT_TRUE(std::filesystem::exists(dir + "/wisdom-f32"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/wisdom-f64"));
  EXPECT_TRUE(load_wisdom(dir));
  EXPECT_FALSE(save_wisdom(dir + "/no/such/folder"));
}

TEST(Fft, SamePlanFromFourThreadsMatchesSerialBitwise) {
  using Plan = FftPlan<double>;
  const std::size_t M = 40, N = 56, n = M * N;
  const Plan plan(Plan::Kind::forward, {int(M), int(N)}, 1, Planning::estimate);
  const Plan r2c(Plan::Kind::r2c, {int(M), int(N)}, 1, Planning::estimate);
  const std::size_t H = N / 2 + 1;
  constexpr int kThreads = 4, kRepeats = 25;

  std::vector<AlignedVector<std::complex<double>>> in, serial;
  std::vector<AlignedVector<double>> rin;
  std::vector<AlignedVector<std::complex<double>>> rserial;
  for (int t = 0; t < kThreads; ++t) {
    in.push_back(random_complex<double>(n, 100 + t));
    serial.emplace_back(n);
    plan(in[t].data(), serial[t].data());
    rin.push_back(random_real<double>(n, 200 + t));
    rserial.emplace_back(M * H);
    r2c(rin[t].data(), rserial[t].data());
  }
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t)
    pool.emplace_back([&, t] {
      AlignedVector<std::complex<double>> out(n), rout(M * H);
      for (int r = 0; r < kRepeats; ++r) {
        plan(in[t].data(), out.data());
        r2c(rin[t].data(), rout.data());
        if (out != serial[t] || rout != rserial[t]) ++mismatches[t];
      }
    });
  for (auto& th : pool) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
  // The serial results are not trivial (guards against comparing zeros with zeros).
  EXPECT_GT(std::abs(serial[0][0]), 0.0);
}

TEST(Fft, MoveLeavesSourceEmptyAndTargetWorking) {
  using Plan = FftPlan<double>;
  Plan empty;
  EXPECT_FALSE(empty);
  Plan a(Plan::Kind::forward, {36}, 1, Planning::estimate);
  ASSERT_TRUE(a);
  Plan b(std::move(a));
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): the moved-from state is what we test
  EXPECT_TRUE(b);

  const auto x = random_complex<double>(36, 61);
  AlignedVector<std::complex<double>> y(36);
  b(x.data(), y.data());
  EXPECT_LE(rel_error(interleave(y), interleave(naive_dft(x, 1, 36, -1))), 1e-12);

  Plan c(Plan::Kind::backward, {36}, 1, Planning::estimate);
  c = std::move(b);  // releases c's own plan, takes b's
  EXPECT_FALSE(b);   // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(c);
  AlignedVector<std::complex<double>> y2(36);
  c(x.data(), y2.data());
  EXPECT_EQ(y2, y);  // still the forward transform

  Plan d;
  d = std::move(empty);
  EXPECT_FALSE(d);
}

// ---- reflect padding (spec §0) ------------------------------------------------------------------

TEST(ReflectPad, SpecExampleFourLeftFiveRight) {
  const double x[5] = {0, 1, 2, 3, 4};
  std::vector<double> out(14, -1.0);
  reflect_pad(x, 5, 4, 14, out.data());
  EXPECT_EQ(out, (std::vector<double>{4, 3, 2, 1, 0, 1, 2, 3, 4, 3, 2, 1, 0, 1}));
}

TEST(ReflectPad, PadWiderThanSignalKeepsReflecting) {
  // Hand-computed: NumPy's np.pad([1, 2, 3], 5, mode="reflect").
  const double x3[3] = {1, 2, 3};
  std::vector<double> out3(13);
  reflect_pad(x3, 3, 5, 13, out3.data());
  EXPECT_EQ(out3, (std::vector<double>{2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2}));

  // Against the even periodic extension of period 2(n − 1), built as one explicit period.
  std::mt19937 gen(71);
  std::normal_distribution<double> d(0.0, 1.0);
  for (std::size_t n : {2u, 4u, 7u}) {
    std::vector<double> x(n);
    for (auto& v : x) v = d(gen);
    std::vector<double> period(x);  // x0 … x_{n−1}, x_{n−2} … x1
    for (std::size_t i = n - 2; i >= 1; --i) period.push_back(x[i]);
    const long long P = static_cast<long long>(period.size());
    ASSERT_EQ(P, 2 * (static_cast<long long>(n) - 1));
    const std::size_t left = 3 * n + 1, padded = n + left + 4 * n + 2;
    std::vector<float> out(padded);
    reflect_pad(x.data(), n, left, padded, out.data());
    for (std::size_t i = 0; i < padded; ++i) {
      const long long t = static_cast<long long>(i) - static_cast<long long>(left);
      EXPECT_EQ(out[i], static_cast<float>(period[((t % P) + P) % P])) << "n=" << n << " i=" << i;
    }
  }

  // A single sample is repeated.
  const double one = 7.5;
  std::vector<double> o1(6);
  reflect_pad(&one, 1, 3, 6, o1.data());
  EXPECT_EQ(o1, std::vector<double>(6, 7.5));
}

// ---- Fourier subsampling (spec §0, §4) ----------------------------------------------------------

TEST(FourierSubsampling, SubThenInverseEqualsInverseThenDecimate) {
  using Plan = FftPlan<double>;
  const std::size_t L = 48;
  const auto X = random_complex<double>(L, 81);
  AlignedVector<std::complex<double>> x(L);
  Plan(Plan::Kind::backward, {int(L)}, 1, Planning::estimate)(X.data(), x.data());
  for (auto& v : x) v /= double(L);  // IDFT_L(X)
  for (std::size_t s : {1u, 2u, 3u, 4u, 6u, 8u, 16u, 48u}) {
    const std::size_t n = L / s;
    AlignedVector<std::complex<double>> sub(n, 0.0), y(n);
    for (std::size_t m = 0; m < n; ++m) {
      for (std::size_t a = 0; a < s; ++a) sub[m] += X[m + a * n];
      sub[m] /= double(s);
    }
    Plan(Plan::Kind::backward, {int(n)}, 1, Planning::estimate)(sub.data(), y.data());
    std::vector<std::complex<double>> got(n), ref(n);
    for (std::size_t i = 0; i < n; ++i) {
      got[i] = y[i] / double(n);
      ref[i] = x[s * i];
    }
    EXPECT_LE(rel_error(interleave(got), interleave(ref)), 1e-12) << "s=" << s;
  }
}

}  // namespace
}  // namespace wst
