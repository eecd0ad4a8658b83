// Reverse-pass benchmarks (Google Benchmark): the forward S(x), the vector–Jacobian product
// backward(x, g) and forward_backward of the same transform, timed alternately in one run (so
// that machine noise hits all three), best of the iterations, 1 thread unless asked otherwise.
// Reported beside the times: backward / forward and forward_backward / forward; for 1D also the
// autograd pattern with a tape, forward(x, out, tape) then backward(tape, g), over the forward.
//   build/wst-bench-grad
//   build/wst-bench-grad --benchmark_filter=2D
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <random>
#include <vector>

#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"

namespace {

using namespace wst;
using Clock = std::chrono::steady_clock;

std::vector<float> noise(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> d;
  std::vector<float> v(n);
  for (auto& x : v) x = d(gen);
  return v;
}

template <class F>
double seconds(F&& f) {
  const auto t0 = Clock::now();
  f();
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

template <bool taped, class S>
struct TapeOf {
  using type = int;  // none
};
template <class S>
struct TapeOf<true, S> {
  using type = typename S::Tape;
};

// S: a transform with operator()(x, batch, out), backward and forward_backward (and, with
// `taped`, forward with a tape); n_in and n_out values per signal.
template <bool taped = false, class S>
void run(benchmark::State& state, const S& s, std::size_t batch, std::size_t n_in,
         std::size_t n_out) {
  const std::vector<float> x = noise(batch * n_in, 1), g = noise(batch * n_out, 2);
  std::vector<float> out(batch * n_out), grad(batch * n_in);
  s.backward(x.data(), g.data(), batch, grad.data());  // makes the reverse plans (once)
  double fwd = std::numeric_limits<double>::infinity(), bwd = fwd, both = fwd, tape_f = fwd,
         tape_b = fwd;
  typename TapeOf<taped, S>::type tape{};
  for (auto _ : state) {
    if constexpr (taped) {
      tape_f = std::min(tape_f, seconds([&] { s.forward(x.data(), batch, out.data(), tape); }));
      tape_b = std::min(tape_b, seconds([&] { s.backward(tape, g.data(), grad.data()); }));
    }
    fwd = std::min(fwd, seconds([&] { s(x.data(), batch, out.data()); }));
    bwd = std::min(bwd, seconds([&] { s.backward(x.data(), g.data(), batch, grad.data()); }));
    both = std::min(both, seconds([&] {
      s.forward_backward(x.data(), g.data(), batch, out.data(), grad.data());
    }));
    benchmark::DoNotOptimize(grad.data());
  }
  state.counters["forward_s"] = fwd;
  state.counters["backward_s"] = bwd;
  state.counters["fwd_bwd_s"] = both;
  state.counters["bwd_over_fwd"] = bwd / fwd;
  state.counters["fwd_bwd_over_fwd"] = both / fwd;
  state.counters["threads"] = double(state.range(0));
  if constexpr (taped) {
    state.counters["taped_fwd_s"] = tape_f;
    state.counters["taped_bwd_s"] = tape_b;
    state.counters["taped_f+b_over_fwd"] = (tape_f + tape_b) / fwd;
  }
}

ExecOptions exec(const benchmark::State& state) {
  ExecOptions e;
  e.threads = int(state.range(0));
  e.planning = Planning::measure;
  return e;
}

// The MNIST batch: 1000 digits of 28 × 28, J = 2, L = 8.
void BM_2D_28x28_J2_batch1000(benchmark::State& state) {
  const Scattering2Df s(2, 28, 28, 8, 2, exec(state));
  run(state, s, 1000, 28 * 28, s.channels() * s.output_rows() * s.output_cols());
}

// 8 signals of 65536 samples, J = 8, Q = 8.
void BM_1D_65536_J8_Q8_batch8(benchmark::State& state) {
  const Scattering1Df s(8, 65536, {8, 1}, 0, 2, exec(state));
  run<true>(state, s, 8, 65536, s.output_size());
}

}  // namespace

BENCHMARK(BM_2D_28x28_J2_batch1000)->Arg(1)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_1D_65536_J8_Q8_batch8)->Arg(1)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
