// Joint time–frequency scattering benchmarks (Google Benchmark), the development configuration
// of docs/jtfs-formulas.md §J10.1: J = 8, N = 4096, Q = (8, 2), J_fr = 3, Q_fr = 2, a batch of
// 16 signals on 1 and 2 threads, float and double, and the construction (filters and plans).
// Beside each 1-thread time: the time of exactly the FFTs it performs (fft_work(): same kinds,
// sizes, batches, layouts and planning, on scratch arrays) and the ratio of the two.
//   build/wst-bench-jtfs
//   build/wst-bench-jtfs --benchmark_filter=Construct
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include "wst/core/fft.hpp"

#include "wst/core/time_frequency_scattering.hpp"

namespace {

using namespace wst;

constexpr int kJ = 8, kJfr = 3;
constexpr std::size_t kN = 4096, kBatch = 16;

TimeFrequencyScatteringOptions dev_options(JtfsFormat format) {
  return {.Q = {8, 2}, .Q_fr = 2, .format = format};
}

// Seconds (best of 3) of `batch` signals' FFTs, as fft_work() lists them, on scratch arrays.
template <class Real>
double fft_floor(const std::vector<FftWork<Real>>& work, std::size_t batch) {
  using C = std::complex<Real>;
  using Plan = FftPlan<Real>;
  std::map<std::tuple<int, std::vector<int>, int, int>, Plan> plans;
  std::size_t biggest = 1;
  for (const auto& w : work) {
    const auto key = std::tuple(int(w.kind), w.dims, w.howmany, int(w.layout));
    if (!plans.count(key)) plans.emplace(key, Plan(w.kind, w.dims, w.howmany, w.planning, w.layout));
    biggest = std::max(biggest, std::size_t(w.dims[0]) * std::size_t(w.howmany));
  }
  AlignedVector<C> a(biggest, C(1, 0.5)), b(biggest);
  AlignedVector<Real> r(2 * biggest, Real(1));
  double best = 1e30;
  for (int rep = 0; rep < 3; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < batch; ++i)
      for (const auto& w : work) {
        const Plan& p = plans.at(std::tuple(int(w.kind), w.dims, w.howmany, int(w.layout)));
        for (std::size_t k = 0; k < w.count; ++k) {
          if (w.kind == Plan::Kind::r2c) p(r.data(), b.data());
          else if (w.kind == Plan::Kind::c2r) p(a.data(), r.data());
          else p(a.data(), b.data());
        }
      }
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

template <class Real>
void BM_Forward(benchmark::State& state) {
  const auto format = state.range(1) ? JtfsFormat::joint : JtfsFormat::time;
  const BasicTimeFrequencyScattering<Real> s(
      kJ, kJfr, kN, dev_options(format),
      {.threads = static_cast<int>(state.range(0)), .planning = Planning::measure});
  std::mt19937 gen(1);
  std::normal_distribution<double> d;
  std::vector<Real> x(kBatch * kN), out(kBatch * s.output_size());
  for (auto& v : x) v = static_cast<Real>(d(gen));
  s(x.data(), kBatch, out.data());  // warm: workspaces
  double best = 1e30;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    s(x.data(), kBatch, out.data());
    benchmark::DoNotOptimize(out.data());
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  state.counters["per_signal_s"] = best / double(kBatch);
  state.counters["signals_per_s"] =
      benchmark::Counter(double(kBatch), benchmark::Counter::kIsIterationInvariantRate);
  if (state.range(0) == 1) {
    const double fft = fft_floor(s.fft_work(), kBatch);
    state.counters["fft_floor_s"] = fft;
    state.counters["fft_floor_per_signal_s"] = fft / double(kBatch);
    state.counters["over_fft_floor"] = best / fft;
  }
}

template <class Real>
void BM_Construct(benchmark::State& state) {
  for (auto _ : state) {
    const BasicTimeFrequencyScattering<Real> s(kJ, kJfr, kN, dev_options(JtfsFormat::time),
                                                {.planning = Planning::estimate});
    benchmark::DoNotOptimize(s.output_size());
  }
}

}  // namespace

// Args: {threads, format (0 'time', 1 'joint')}.
BENCHMARK(BM_Forward<double>)->ArgsProduct({{1, 2}, {0, 1}})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Forward<float>)->ArgsProduct({{1, 2}, {0}})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Construct<double>)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Construct<float>)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
