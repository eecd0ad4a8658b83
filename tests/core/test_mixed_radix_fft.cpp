// FftPlan where a length has a factor 17, 19 or 23 (FFTW's plans + our radix pass, docs/fft.md):
// every kind, layout and batch against a separable long-double DFT; which plans take the split;
// the same bits from several threads.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <random>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "test_support.hpp"
#include "wst/core/fft.hpp"
#include "wst/core/scattering_2d.hpp"
#include "../../src/core/radix_pass.hpp"

namespace wst {
namespace {

using test::rel_error;
using LC = std::complex<long double>;

constexpr long double kTwoPi = 6.283185307179586476925286766559005768L;

// Separable DFT of one M × N array in long double (rows, then columns).
std::vector<LC> dft(std::vector<LC> x, std::size_t M, std::size_t N, int sign) {
  auto axis = [&](std::size_t n, std::size_t count, std::size_t stride, std::size_t step) {
    std::vector<LC> w(n), tmp(n);
    for (std::size_t i = 0; i < n; ++i) w[i] = std::polar(1.0L, sign * kTwoPi * i / n);
    for (std::size_t c = 0; c < count; ++c) {
      LC* v = x.data() + c * step;
      for (std::size_t k = 0; k < n; ++k) {
        LC s = 0;
        for (std::size_t m = 0; m < n; ++m) s += v[m * stride] * w[(k * m) % n];
        tmp[k] = s;
      }
      for (std::size_t k = 0; k < n; ++k) v[k * stride] = tmp[k];
    }
  };
  axis(N, M, 1, N);
  axis(M, N, N, 1);
  return x;
}

struct Case {
  std::size_t M, N;  // M = 0: rank 1
  int howmany;
  Layout layout;
};

std::string name(const Case& c) {
  return std::to_string(c.M) + "x" + std::to_string(c.N) + " howmany " + std::to_string(c.howmany) +
         (c.layout == Layout::interleaved ? " interleaved" : " contiguous");
}

std::vector<int> dims(const Case& c) {
  return c.M ? std::vector<int>{int(c.M), int(c.N)} : std::vector<int>{int(c.N)};
}

// Element (i, j) of array t in an FftPlan buffer of `rows` × `cols` per array.
std::size_t at(const Case& c, std::size_t rows, std::size_t cols, std::size_t t, std::size_t i, std::size_t j) {
  return c.layout == Layout::interleaved ? (i * cols + j) * c.howmany + t : t * rows * cols + i * cols + j;
}

// Array t of an FftPlan buffer holding `rows` × `cols` per array, in long double.
template <class V>
std::vector<LC> array_of(const Case& c, const V& v, std::size_t rows, std::size_t cols, int t) {
  std::vector<LC> a(rows * cols);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) a[i * cols + j] = LC(v[at(c, rows, cols, t, i, j)]);
  return a;
}

// rel_error of got (rows × cols) against the first cols columns of ref (rows × ref_cols).
double error_of(const std::vector<LC>& got, const std::vector<LC>& ref, std::size_t rows,
                std::size_t cols, std::size_t ref_cols) {
  std::vector<double> g, w;
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) {
      const LC a = got[i * cols + j], b = ref[i * ref_cols + j];
      g.insert(g.end(), {double(a.real()), double(a.imag())});
      w.insert(w.end(), {double(b.real()), double(b.imag())});
    }
  return rel_error(g, w);
}

const std::vector<Case> kCases = {
    {0, 17, 1, Layout::contiguous},   {0, 272, 3, Layout::contiguous}, {0, 34, 8, Layout::interleaved},
    {0, 57, 2, Layout::contiguous},   {0, 92, 3, Layout::interleaved}, {0, 289, 1, Layout::contiguous},
    {34, 34, 1, Layout::contiguous},  {68, 34, 2, Layout::contiguous}, {34, 68, 8, Layout::interleaved},
    {272, 34, 1, Layout::contiguous}, {16, 34, 3, Layout::interleaved}, {34, 16, 2, Layout::contiguous},
    {38, 46, 1, Layout::contiguous},  {17, 34, 1, Layout::contiguous},  {46, 19, 3, Layout::interleaved},
};

template <class T>
double tolerance() {
  return std::is_same_v<T, double> ? 1e-12 : 2e-6;
}

template <class T>
class MixedRadix : public ::testing::Test {};
using Precisions = ::testing::Types<float, double>;
TYPED_TEST_SUITE(MixedRadix, Precisions);

TYPED_TEST(MixedRadix, ComplexTransformsMatchLongDoubleDft) {
  using T = TypeParam;
  using Plan = FftPlan<T>;
  std::mt19937 gen(7);
  std::normal_distribution<double> d(0.0, 1.0);
  for (const Case& c : kCases) {
    const std::size_t M = c.M ? c.M : 1, N = c.N, n = M * N;
    AlignedVector<std::complex<T>> x(n * c.howmany), y(x.size());
    for (auto& v : x) v = {T(d(gen)), T(d(gen))};
    for (int sign : {-1, 1}) {
      const Plan plan(sign < 0 ? Plan::Kind::forward : Plan::Kind::backward, dims(c), c.howmany,
                      Planning::estimate, c.layout);
      EXPECT_NE(plan.algorithm(), "fftw") << name(c);
      plan(x.data(), y.data());
      for (int t = 0; t < c.howmany; ++t)
        EXPECT_LE(error_of(array_of(c, y, M, N, t), dft(array_of(c, x, M, N, t), M, N, sign), M, N, N),
                  tolerance<T>())
            << name(c) << " sign " << sign << " array " << t;
    }
  }
}

TYPED_TEST(MixedRadix, RealTransformsMatchLongDoubleDftAndInvert) {
  using T = TypeParam;
  using Plan = FftPlan<T>;
  std::mt19937 gen(8);
  std::normal_distribution<double> d(0.0, 1.0);
  for (const Case& c : kCases) {
    const std::size_t M = c.M ? c.M : 1, N = c.N, n = M * N, h = N / 2 + 1;
    // Rank 1 and odd row counts stay with FFTW; everything else splits.
    const bool split = c.M && c.M % 2 == 0;
    AlignedVector<T> x(n * c.howmany), back(x.size());
    for (auto& v : x) v = T(d(gen));
    AlignedVector<std::complex<T>> y(M * h * c.howmany);
    const Plan r2c(Plan::Kind::r2c, dims(c), c.howmany, Planning::estimate, c.layout);
    const Plan c2r(Plan::Kind::c2r, dims(c), c.howmany, Planning::estimate, c.layout);
    EXPECT_EQ(r2c.algorithm() != "fftw", split) << name(c);
    EXPECT_EQ(c2r.algorithm() != "fftw", split) << name(c);
    r2c(x.data(), y.data());
    for (int t = 0; t < c.howmany; ++t)
      EXPECT_LE(error_of(array_of(c, y, M, h, t), dft(array_of(c, x, M, N, t), M, N, -1), M, h, N),
                tolerance<T>())
          << name(c) << " r2c array " << t;
    c2r(y.data(), back.data());  // unnormalised inverse: n · x
    std::vector<double> got(back.begin(), back.end()), want(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) want[i] = double(x[i]) * double(n);
    EXPECT_LE(rel_error(got, want), tolerance<T>()) << name(c) << " c2r";
  }
}

TEST(MixedRadix, ImaginaryPartsAtZeroAndNyquistAreIgnoredByC2rAsByFftw) {
  // A half spectrum that is not exactly Hermitian: the split gives FFTW's own result.
  const std::size_t M = 34, N = 34, h = N / 2 + 1;
  std::mt19937 gen(9);
  std::normal_distribution<double> d(0.0, 1.0);
  AlignedVector<std::complex<double>> x(M * h), x2;
  for (auto& v : x) v = {d(gen), d(gen)};
  x2 = x;
  AlignedVector<double> split(M * N), fftw(M * N);
  const FftPlan<double> plan(FftPlan<double>::Kind::c2r, {int(M), int(N)}, 1, Planning::estimate);
  ASSERT_NE(plan.algorithm(), "fftw");
  plan(x.data(), split.data());
  ::setenv("WST_FFT", "fftw", 1);
  const FftPlan<double> reference(FftPlan<double>::Kind::c2r, {int(M), int(N)}, 1, Planning::estimate);
  ::unsetenv("WST_FFT");
  ASSERT_EQ(reference.algorithm(), "fftw");
  reference(x2.data(), fftw.data());
  EXPECT_LE(rel_error(split, std::vector<double>(fftw.begin(), fftw.end())), 1e-12);
}

TEST(MixedRadix, SamePlanFromFourThreadsMatchesSerialBitwise) {
  using Plan = FftPlan<float>;
  const std::size_t M = 68, N = 136, h = N / 2 + 1;
  const Plan c2c(Plan::Kind::backward, {int(M), int(N)}, 1, Planning::estimate);
  const Plan r2c(Plan::Kind::r2c, {int(M), int(N)}, 1, Planning::estimate);
  std::mt19937 gen(10);
  std::normal_distribution<float> d(0.0f, 1.0f);
  constexpr int kThreads = 4, kRepeats = 20;
  std::vector<AlignedVector<std::complex<float>>> in, serial, rserial;
  std::vector<AlignedVector<float>> rin;
  for (int t = 0; t < kThreads; ++t) {
    in.emplace_back(M * N);
    for (auto& v : in[t]) v = {d(gen), d(gen)};
    serial.emplace_back(M * N);
    c2c(in[t].data(), serial[t].data());
    rin.emplace_back(M * N);
    for (auto& v : rin[t]) v = d(gen);
    rserial.emplace_back(M * h);
    r2c(rin[t].data(), rserial[t].data());
  }
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t)
    pool.emplace_back([&, t] {
      AlignedVector<std::complex<float>> out(M * N), rout(M * h);
      for (int r = 0; r < kRepeats; ++r) {
        c2c(in[t].data(), out.data());
        r2c(rin[t].data(), rout.data());
        if (out != serial[t] || rout != rserial[t]) ++mismatches[t];
      }
    });
  for (auto& th : pool) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
  EXPECT_GT(std::abs(serial[0][1]), 0.0f);
}

TEST(MixedRadix, LengthsWithoutSuchAFactorStayWithFftw) {
  for (int n : {16, 36, 64, 100, 272 / 17 * 13})
    EXPECT_EQ(FftPlan<float>(FftPlan<float>::Kind::forward, {n, n}, 1, Planning::estimate).algorithm(), "fftw") << n;
}

TEST(MixedRadix, ScatteringWithTheSplitMatchesFftwAlone) {
  // 30 × 30 at J = 1 pads to 34 × 34 (2·17): forward and reverse pass, 1 and 8 lanes, against
  // the same transforms planned by FFTW alone.
  const std::size_t batch = 3, M = 30, N = 30;
  std::mt19937 gen(13);
  std::normal_distribution<double> d(0.0, 1.0);
  std::vector<double> x(batch * M * N), g;
  for (auto& v : x) v = d(gen);
  for (int lanes : {1, 8}) {
    ExecOptions opt;
    opt.planning = Planning::estimate;
    opt.lanes = lanes;
    const Scattering2D split(1, M, N, 8, 2, opt);
    ::setenv("WST_FFT", "fftw", 1);
    const Scattering2D fftw(1, M, N, 8, 2, opt);
    ::unsetenv("WST_FFT");
    ASSERT_EQ(split.filters().Mp, 34u);
    const std::size_t out = batch * split.channels() * split.output_rows() * split.output_cols();
    std::vector<double> a(out), b(out), ga(x.size()), gb(x.size());
    g.resize(out);
    for (auto& v : g) v = d(gen);
    split.forward_backward(x.data(), g.data(), batch, a.data(), ga.data());
    fftw.forward_backward(x.data(), g.data(), batch, b.data(), gb.data());
    EXPECT_NE(a, b) << "two different algorithms round differently";
    EXPECT_LE(rel_error(a, b), 1e-13) << "lanes " << lanes;
    EXPECT_LE(rel_error(ga, gb), 1e-13) << "lanes " << lanes;
  }
}

}  // namespace
}  // namespace wst

// ---- the radix pass of every instruction set against a direct DFT --------------------------------

namespace wst::detail {
namespace {

template <class T>
using PassFn = void (*)(const RadixPass<T>&);

template <class T>
std::vector<std::pair<PassFn<T>, const char*>> passes_this_cpu_runs() {
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const bool avx512 = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw");
  std::vector<std::pair<PassFn<T>, const char*>> v = {{radix_pass_sse2, "sse2"}};
  if (avx2) v.push_back({radix_pass_avx2, "avx2"});
  if (avx512) v.push_back({radix_pass_avx512, "avx512"});
  return v;
}

template <class T>
void check_every_instruction_set() {
  std::mt19937 gen(12);
  std::normal_distribution<double> d(0.0, 1.0);
  for (auto [fn, isa] : passes_this_cpu_runs<T>())
    for (int p : radix_pass_primes)
      for (std::size_t width : {1, 3, 8, 13, 40})  // whole vectors and every narrower tail
        for (int mode = 0; mode < 4; ++mode) {   // none, per element, per run, per element after
          const std::size_t runs = 3, stride = width + 2, run_stride = p * stride;
          std::vector<std::complex<T>> x(runs * run_stride), y(x.size());
          for (auto& v : x) v = {T(d(gen)), T(d(gen))};
          const std::ptrdiff_t tw_point = mode == 2 ? std::ptrdiff_t(runs) : std::ptrdiff_t(width);
          std::vector<std::complex<double>> w(std::size_t((p - 1) * tw_point));
          std::vector<T> wre(2 * w.size()), wim(2 * w.size());
          for (std::size_t e = 0; e < w.size(); ++e) {
            w[e] = std::polar(1.0, d(gen));
            wre[2 * e] = wre[2 * e + 1] = T(w[e].real());
            wim[2 * e] = T(-w[e].imag());
            wim[2 * e + 1] = T(w[e].imag());
          }
          RadixPass<T> pass;
          pass.p = p;
          pass.sign = mode % 2 ? 1 : -1;
          pass.in = x.data();
          pass.out = y.data();
          pass.width = width;
          pass.runs = runs;
          pass.stride = std::ptrdiff_t(stride);
          pass.run_stride = std::ptrdiff_t(run_stride);
          if (mode) {
            pass.tw_re = wre.data();
            pass.tw_im = wim.data();
            pass.tw_point = tw_point;
            pass.tw_run = mode == 2 ? 1 : 0;
            pass.per_element = mode != 2;
            pass.post = mode == 3;
          }
          fn(pass);
          std::vector<double> got, want;
          for (std::size_t r = 0; r < runs; ++r)
            for (std::size_t v = 0; v < width; ++v) {
              auto tw = [&](int n) {
                if (!mode || n == 0) return std::complex<double>(1.0);
                return w[std::size_t((n - 1) * tw_point) + (mode == 2 ? r : v)];
              };
              for (int k = 0; k < p; ++k) {
                std::complex<double> s = 0;
                for (int n = 0; n < p; ++n) {
                  const std::complex<double> xn(x[r * run_stride + n * stride + v]);
                  s += (mode == 3 ? xn : xn * tw(n)) * std::polar(1.0, pass.sign * 2 * M_PI * (n * k % p) / p);
                }
                if (mode == 3) s *= tw(k);
                const auto g = y[r * run_stride + k * stride + v];
                got.insert(got.end(), {double(g.real()), double(g.imag())});
                want.insert(want.end(), {s.real(), s.imag()});
              }
            }
          EXPECT_LE(test::rel_error(got, want), (std::is_same_v<T, double> ? 1e-13 : 1e-6))
              << isa << " p " << p << " width " << width << " mode " << mode;
        }
}

TEST(RadixPass, EveryInstructionSetMatchesDirectDft) {
  check_every_instruction_set<float>();
  check_every_instruction_set<double>();
}

}  // namespace
}  // namespace wst::detail
