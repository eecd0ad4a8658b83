// Joint time–frequency scattering benchmarks (Google Benchmark), the development configuration
// of docs/jtfs-formulas.md §J10.1: J = 8, N = 4096, Q = (8, 2), J_fr = 3, Q_fr = 2, a batch of
// 16 signals on 1 and 2 threads, float and double, and the construction (filters and plans).
//   build/wst-bench-jtfs
//   build/wst-bench-jtfs --benchmark_filter=Construct
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "wst/core/time_frequency_scattering.hpp"

namespace {

using namespace wst;

constexpr int kJ = 8, kJfr = 3;
constexpr std::size_t kN = 4096, kBatch = 16;

TimeFrequencyScatteringOptions dev_options(JtfsFormat format) {
  return {.Q = {8, 2}, .Q_fr = 2, .format = format};
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
  for (auto _ : state) {
    s(x.data(), kBatch, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["signals_per_s"] =
      benchmark::Counter(double(kBatch), benchmark::Counter::kIsIterationInvariantRate);
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
