// Solid-harmonic 3D scattering benchmarks (Google Benchmark): J = 2, L = 2, 64³ volumes, a batch
// of 8 on 1 and 2 threads, float and double; beside them the time of exactly the FFTs the cascade
// runs (docs/harmonic3d-formulas.md §13.3), and the construction (filters and plans).
//   build/wst-bench-harmonic3d
//   build/wst-bench-harmonic3d --benchmark_filter=Ffts
#include <benchmark/benchmark.h>

#include <complex>
#include <random>
#include <vector>

#include "wst/core/fft.hpp"
#include "wst/core/harmonic_scattering_3d.hpp"

namespace {

using namespace wst;

constexpr int kJ = 2, kL = 2, kSide = 64;
constexpr std::size_t kBatch = 8;

template <class Real>
void BM_Forward(benchmark::State& state) {
  const BasicHarmonicScattering3D<Real> s(
      kJ, kSide, kSide, kSide, {.L = kL},
      {.threads = static_cast<int>(state.range(0)), .planning = Planning::measure});
  std::mt19937 gen(1);
  std::normal_distribution<double> d;
  std::vector<Real> x(kBatch * kSide * kSide * kSide), out(kBatch * s.output_size());
  for (auto& v : x) v = static_cast<Real>(d(gen));
  s(x.data(), kBatch, out.data());  // warm: workspaces
  for (auto _ : state) {
    s(x.data(), kBatch, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["volumes_per_s"] =
      benchmark::Counter(double(kBatch), benchmark::Counter::kIsIterationInvariantRate);
}

// The transforms of one volume (all sizes even, rotation covariant): one r2c of x and one of
// each U1[j1, l] with j1 < J; one 3D c2r per real wavelet of every order-1 and order-2 path; and
// for every wavelet whose anti-Hermitian part is not zero the three 2D c2r transforms of its
// Nyquist planes: the harmonics odd in some coordinate, x, y, z (l = 1) and xz, yz, xy (l = 2),
// 6 of the 9 for L = 2 (1, 3z² − r² and x² − y² are even in every coordinate).
template <class Real>
void BM_Ffts(benchmark::State& state) {
  using Plan = FftPlan<Real>;
  const Plan r2c(Plan::Kind::r2c, {kSide, kSide, kSide}, 1, Planning::measure);
  const Plan c2r(Plan::Kind::c2r, {kSide, kSide, kSide}, 1, Planning::measure);
  const Plan plane(Plan::Kind::c2r, {kSide, kSide}, 1, Planning::measure);
  const std::size_t n = std::size_t(kSide) * kSide * kSide, nh = std::size_t(kSide) * kSide * (kSide / 2 + 1);
  AlignedVector<Real> u(n, Real(1)), w(std::size_t(kSide) * kSide);
  AlignedVector<std::complex<Real>> F(nh), q(std::size_t(kSide) * (kSide / 2 + 1));
  const int paths = (kJ + 1) + kJ * (kJ + 1) / 2, r2cs = 1 + kJ * (kL + 1);
  const int filters = (kL + 1) * (kL + 1), with_planes = 6;
  static_assert(kL == 2, "with_planes counts the odd harmonics of L = 2");
  for (auto _ : state) {
    for (std::size_t v = 0; v < kBatch; ++v) {
      for (int i = 0; i < r2cs; ++i) r2c(u.data(), F.data());
      for (int i = 0; i < paths * filters; ++i) c2r(F.data(), u.data());
      for (int i = 0; i < 3 * paths * with_planes; ++i) plane(q.data(), w.data());
    }
    benchmark::DoNotOptimize(u.data());
  }
  state.counters["transforms_3d_per_volume"] = double(r2cs + paths * filters);
}

template <class Real>
void BM_Construct(benchmark::State& state) {
  for (auto _ : state) {
    const BasicHarmonicScattering3D<Real> s(kJ, kSide, kSide, kSide, {.L = kL},
                                            {.planning = Planning::estimate});
    benchmark::DoNotOptimize(s.output_size());
  }
}

}  // namespace

// Arg: threads.
BENCHMARK(BM_Forward<double>)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Forward<float>)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Ffts<double>)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Ffts<float>)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Construct<double>)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Construct<float>)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
