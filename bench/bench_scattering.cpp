// Scattering benchmarks (Google Benchmark). Each workload reports, beside its time, the time of
// exactly the FFTs the naive algorithm performs (same sizes, same count, one transform per call,
// on scratch arrays) and the ratio of the two, robust to machine noise: fft_floor_s with the
// library's own plans (FftPlan, docs/fft.md), fftw_floor_s with FFTW's plans alone.
//   build/wst-bench                      all workloads
//   build/wst-bench --benchmark_filter=2D_28
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <random>

#include "wst/core/fft.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"

namespace {

using namespace wst;
using Plan = FftPlan<float>;
using C = std::complex<float>;
using Clock = std::chrono::steady_clock;

std::vector<float> noise(std::size_t n) {
  std::mt19937 gen(42);
  std::normal_distribution<float> d;
  std::vector<float> v(n);
  for (auto& x : v) x = d(gen);
  return v;
}

// The FFTs of one input: (kind, dims) in the order the cascade runs them.
struct FftStep {
  Plan::Kind kind;
  std::vector<int> dims;
};

// Executes `steps` for `batch` inputs with plans made like the library's (one transform per call,
// the naive FFT floor), or FFTW's alone; returns seconds (best of 5).
double fft_floor(const std::vector<FftStep>& steps, std::size_t batch, bool fftw_only = false) {
  if (fftw_only) ::setenv("WST_FFT", "fftw", 1);
  std::map<std::pair<int, std::vector<int>>, Plan> plans;
  std::size_t biggest = 1;
  for (const auto& s : steps) {
    auto key = std::pair{int(s.kind), s.dims};
    if (!plans.count(key)) plans.emplace(key, Plan(s.kind, s.dims, 1, Planning::measure));
    std::size_t n = 1;
    for (int d : s.dims) n *= d;
    biggest = std::max(biggest, n);
  }
  if (fftw_only) ::unsetenv("WST_FFT");
  AlignedVector<C> a(biggest, C(1, 0.5f)), b(biggest);
  AlignedVector<float> r(2 * biggest, 1.0f);
  double best = 1e30;
  for (int rep = 0; rep < 5; ++rep) {
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i < batch; ++i)
      for (const auto& s : steps) {
        const Plan& p = plans.at({int(s.kind), s.dims});
        switch (s.kind) {
          case Plan::Kind::forward:
          case Plan::Kind::backward: p(a.data(), b.data()); break;
          case Plan::Kind::r2c: p(r.data(), b.data()); break;
          case Plan::Kind::c2r: p(a.data(), r.data()); break;
        }
      }
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best;
}

// FFTs of one 2D input: r2c of the padded image; per path: inverse c2c and r2c at the path's
// resolution; per channel: one c2r at the output resolution.
std::vector<FftStep> fft_steps_2d(const Scattering2Df& S) {
  const auto& b = S.filters();
  auto dims = [&](int r) { return std::vector<int>{int(b.Mp >> r), int(b.Np >> r)}; };
  std::vector<FftStep> steps{{Plan::Kind::r2c, dims(0)}};
  for (const auto& m : S.meta()) {
    if (m.order > 0) {
      const int r = m.order == 1 ? m.j1 : m.j2;
      steps.push_back({Plan::Kind::backward, dims(r)});
      steps.push_back({Plan::Kind::r2c, dims(r)});
    }
    steps.push_back({Plan::Kind::c2r, dims(b.J)});
  }
  return steps;
}

std::vector<FftStep> fft_steps_1d(const Scattering1Df& S) {
  const auto& b = S.filters();
  const int ls = b.log2_T;
  auto dims = [&](int r) { return std::vector<int>{int(b.N >> r)}; };
  std::vector<FftStep> steps{{Plan::Kind::r2c, dims(0)}};
  for (const auto& m : S.meta()) {
    if (m.order > 0) {
      const int r = std::min(m.j[m.order - 1], ls);
      steps.push_back({Plan::Kind::backward, dims(r)});
      steps.push_back({Plan::Kind::r2c, dims(r)});
    }
    steps.push_back({Plan::Kind::c2r, dims(ls)});
  }
  return steps;
}

// Times S on `batch` inputs; reports seconds per call, the FFT floor and their ratio.
template <class S>
void run(benchmark::State& state, const S& transform, std::size_t in_size, std::size_t out_size,
         std::size_t batch, const std::vector<FftStep>& steps) {
  const auto x = noise(batch * in_size);
  std::vector<float> out(batch * out_size);
  // Best of the iterations, like the FFT floor: these shared 2-core machines are noisy, and the
  // minimum is the least disturbed estimate of both.
  double per_call = 1e30;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    transform(x.data(), batch, out.data());
    per_call = std::min(per_call, std::chrono::duration<double>(Clock::now() - t0).count());
    benchmark::DoNotOptimize(out.data());
  }
  const double fft = fft_floor(steps, batch), fftw = fft_floor(steps, batch, true);
  state.counters["seconds"] = per_call;
  state.counters["fft_floor_s"] = fft;
  state.counters["ratio"] = per_call / fft;
  state.counters["fftw_floor_s"] = fftw;
  state.counters["ratio_fftw"] = per_call / fftw;
  state.counters["threads"] = double(state.range(0));
}

void BM_2D_28x28_J2_batch1000(benchmark::State& state) {
  const int threads = int(state.range(0));
  const Scattering2Df S(2, 28, 28, 8, 2, {threads, Planning::measure});
  run(state, S, 28 * 28, S.channels() * S.output_rows() * S.output_cols(), 1000, fft_steps_2d(S));
}

void BM_2D_256x256_J3_batch8(benchmark::State& state) {
  const int threads = int(state.range(0));
  const Scattering2Df S(3, 256, 256, 8, 2, {threads, Planning::measure});
  run(state, S, 256 * 256, S.channels() * S.output_rows() * S.output_cols(), 8, fft_steps_2d(S));
}

void BM_1D_65536_J8_Q8_batch8(benchmark::State& state) {
  const int threads = int(state.range(0));
  const Scattering1Df S(8, 65536, {8, 1}, 0, 2, {threads, Planning::measure});
  run(state, S, 65536, S.channels() * S.output_length(), 8, fft_steps_1d(S));
}

// Construction: filters and FFT plans (FFTW_ESTIMATE, so that planning time is not measured);
// `seconds` is the best of the iterations.
template <class Make>
void build(benchmark::State& state, Make make) {
  double best = 1e30;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    const auto S = make();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
    benchmark::DoNotOptimize(&S);
  }
  state.counters["seconds"] = best;
}

void BM_2D_256x256_J3_build(benchmark::State& state) {
  build(state, [] { return Scattering2Df(3, 256, 256, 8, 2, {1, Planning::estimate}); });
}

void BM_1D_65536_J8_Q8_build(benchmark::State& state) {
  build(state, [] { return Scattering1Df(8, 65536, {8, 1}, 0, 2, {1, Planning::estimate}); });
}

BENCHMARK(BM_2D_28x28_J2_batch1000)->Arg(1)->Arg(2)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_2D_256x256_J3_batch8)->Arg(1)->Arg(2)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_1D_65536_J8_Q8_batch8)->Arg(1)->Arg(2)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_2D_256x256_J3_build)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_1D_65536_J8_Q8_build)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
