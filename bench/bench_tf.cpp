// Time–frequency benchmarks (Google Benchmark). As in bench_scattering.cpp, each workload reports
// beside its time the time of exactly the FFTs it performs (same kinds and lengths, same count, same
// thread count, plans made with FFTW_MEASURE, on scratch arrays) and the ratio of the two.
//
// CWT case (the fCWT benchmark): 100 000 float32 samples × 300 Morlet scales (Q = 8 bandwidths,
// σ = 0.052·ξ), ξ log-spaced over 8 octaves from 0.45 down to 0.45/256 = 0.00176 cycles/sample,
// zero-padded (FFT length 110 592 = 2^12·3^3), FFTW_MEASURE plans. Output into caller storage
// (300 × 100 000 complex float = 240 MB, allocated once).
//   build/wst-bench-tf                          all workloads (under a minute; planning first)
//   build/wst-bench-tf --benchmark_filter=CWT
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <complex>
#include <map>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "wst/core/cwt.hpp"
#include "wst/core/fft.hpp"
#include "wst/core/stft.hpp"
#include "wst/core/windows.hpp"

namespace {

using namespace wst;
using Plan = FftPlan<float>;
using C = std::complex<float>;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kN = 100000, kScales = 300;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::vector<float> noise(std::size_t n) {
  std::mt19937 gen(42);
  std::normal_distribution<float> d;
  std::vector<float> v(n);
  for (auto& x : v) x = d(gen);
  return v;
}

CwtParams cwt_case() {
  CwtParams p;
  p.wavelet = WaveletKind::morlet;
  p.frequencies = log_frequencies(0.45 / 256, 0.45, kScales);
  p.boundary = CwtBoundary::zeros;
  return p;
}

// One FFT of a workload: kind and length.
struct FftStep {
  Plan::Kind kind;
  int n;
};

// Executes `steps` split into `threads` contiguous shares, each thread on its own scratch arrays;
// returns seconds (best of 5).
double fft_floor(const std::vector<FftStep>& steps, int threads) {
  std::map<std::pair<int, int>, Plan> plans;
  int biggest = 1;
  for (const auto& s : steps) {
    if (!plans.count({int(s.kind), s.n})) plans.emplace(std::pair{int(s.kind), s.n}, Plan(s.kind, {s.n}, 1, Planning::measure));
    biggest = std::max(biggest, s.n);
  }
  auto share = [&](std::size_t b, std::size_t e) {
    AlignedVector<C> a(std::size_t(biggest), C(1, 0.5f)), o(a.size());
    AlignedVector<float> r(std::size_t(biggest), 1.0f);
    for (std::size_t i = b; i < e; ++i) {
      const Plan& p = plans.at({int(steps[i].kind), steps[i].n});
      if (steps[i].kind == Plan::Kind::r2c)
        p(r.data(), o.data());
      else
        p(a.data(), o.data());
    }
  };
  double best = 1e30;
  for (int rep = 0; rep < 5; ++rep) {
    const auto t0 = Clock::now();
    std::vector<std::thread> pool;
    const std::size_t n = steps.size(), nt = std::size_t(threads);
    for (std::size_t t = 1; t < nt; ++t) pool.emplace_back(share, n * t / nt, n * (t + 1) / nt);
    share(0, n / nt);
    for (auto& th : pool) th.join();
    best = std::min(best, since(t0));
  }
  return best;
}

void report(benchmark::State& state, double seconds, double fft) {
  state.counters["seconds"] = seconds;
  state.counters["fft_floor_s"] = fft;
  state.counters["ratio"] = seconds / fft;
}

// Planning, reported apart: the first transform made in the process pays FFTW_MEASURE for the
// full-rate plans (construct_s: filters + plans), the first decimated() call for its short inverse
// FFTs (decimated_plan_s, its time less that of a warm call). Later ones reuse FFTW's in-memory
// wisdom. filters_s: the same construction with FFTW_ESTIMATE plans (filters, essentially).
void BM_CWT_planning(benchmark::State& state) {
  const Array<float> x({kN}, noise(kN));
  for (auto _ : state) {
    auto t0 = Clock::now();
    const Cwtf fast(kN, cwt_case(), {1, Planning::estimate});
    state.counters["filters_s"] = since(t0);
    t0 = Clock::now();
    const Cwtf cwt(kN, cwt_case(), {1, Planning::measure});
    state.counters["construct_s"] = since(t0);
    t0 = Clock::now();
    benchmark::DoNotOptimize(cwt.decimated(x).data.data());
    const double first = since(t0);
    t0 = Clock::now();
    benchmark::DoNotOptimize(cwt.decimated(x).data.data());
    state.counters["decimated_plan_s"] = first - since(t0);
    state.counters["fft_length"] = double(cwt.fft_length());
  }
}

// Full rate into caller storage, 1 or 2 threads (state.range(0)). FFTs: one r2c and one inverse
// c2c of the FFT length per scale.
void BM_CWT_100k_300_morlet(benchmark::State& state) {
  const int threads = int(state.range(0));
  const Cwtf cwt(kN, cwt_case(), {threads, Planning::measure});
  const auto x = noise(kN);
  std::vector<C> out(kScales * kN);
  cwt(x.data(), 1, out.data());  // touches every page of the output once
  double best = 1e30;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    cwt(x.data(), 1, out.data());
    best = std::min(best, since(t0));
    benchmark::DoNotOptimize(out.data());
  }
  const int L = int(cwt.fft_length());
  std::vector<FftStep> steps{{Plan::Kind::r2c, L}};
  steps.insert(steps.end(), kScales, FftStep{Plan::Kind::backward, L});
  report(state, best, fft_floor(steps, threads));
  state.counters["threads"] = threads;
}

// Each scale at its own critical rate. FFTs: one r2c of the FFT length, one inverse c2c of
// length FFT length / stride per scale.
void BM_CWT_100k_300_morlet_decimated(benchmark::State& state) {
  const Cwtf cwt(kN, cwt_case(), {1, Planning::measure});
  const Array<float> x({kN}, noise(kN));
  const auto first = cwt.decimated(x);  // plans its short FFTs
  double best = 1e30;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    const auto d = cwt.decimated(x);
    best = std::min(best, since(t0));
    benchmark::DoNotOptimize(d.data.data());
  }
  const int L = int(cwt.fft_length());
  std::vector<FftStep> steps{{Plan::Kind::r2c, L}};
  for (std::size_t s : first.stride) steps.push_back({Plan::Kind::backward, L / int(s)});
  report(state, best, fft_floor(steps, 1));
  state.counters["values"] = double(first.block);
}

// The floor alone: 300 inverse c2c FFTs on 1 thread, out of place between two scratch arrays, at
// the CWT's FFT length and at N = 100 000 (ms_per_fft).
void BM_CWT_inverse_fft_floor(benchmark::State& state) {
  const int n = int(state.range(0));
  const Plan plan(Plan::Kind::backward, {n}, 1, Planning::measure);
  AlignedVector<C> a(std::size_t(n), C(1, 0.5f)), b(a.size());
  double best = 1e30;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    for (std::size_t k = 0; k < kScales; ++k) plan(a.data(), b.data());
    best = std::min(best, since(t0));
    benchmark::DoNotOptimize(b.data());
  }
  state.counters["seconds"] = best;
  state.counters["ms_per_fft"] = best / kScales * 1e3;
}

// STFT case: 10 minutes at 16 kHz (9.6 M float32 samples), periodic Hann L = 512, hop 128, scipy's
// boundary padding: 75 001 frames of 257 bins (154 MB of spectra), into caller storage allocated
// once; 1 or 2 threads (state.range(0)); frames per second. FFTs: one r2c (forward) or c2r
// (inverse) of length 512 per frame, batched as the STFT batches them.
constexpr std::size_t kStftN = 600 * 16000;
constexpr int kStftF = 512;
// Frames per FFTW call in stft.cpp for this case: about 256 KiB (forward) and 64 KiB (inverse) of
// frames a batch, 2^18 / (512·4) and 2^16 / (512·4).
constexpr int kStftBatchForward = 128, kStftBatchInverse = 32;

Stftf stft_case(int threads) {
  StftParams p;
  p.window = make_window({WindowKind::hann, std::size_t(kStftF), 0, true});
  p.hop = 128;
  return Stftf(kStftN, p, {threads, Planning::measure});
}

// Seconds (best of 5) of ⌈frames/howmany⌉ calls of one FFTW plan of `howmany` transforms of
// length n (r2c or c2r), split into `threads` contiguous shares, each on its own scratch arrays.
// c2r destroys its input, which then doubles in size a call: it is refilled every 16 calls (about
// 1% of the time).
double batched_fft_floor(Plan::Kind kind, int n, int howmany, std::size_t frames, int threads) {
  const Plan plan(kind, {n}, howmany, Planning::measure);
  const std::size_t calls = (frames + std::size_t(howmany) - 1) / std::size_t(howmany);
  const std::size_t reals = std::size_t(n) * std::size_t(howmany);
  const std::size_t cpx = std::size_t(n / 2 + 1) * std::size_t(howmany);
  auto share = [&](std::size_t b, std::size_t e) {
    AlignedVector<float> r(reals, 1.0f);
    const AlignedVector<C> fresh(cpx, C(1, 0.5f));
    AlignedVector<C> c = fresh;
    for (std::size_t i = b; i < e; ++i) {
      if (kind == Plan::Kind::r2c) {
        plan(r.data(), c.data());
      } else {
        if (i % 16 == 0) std::copy(fresh.begin(), fresh.end(), c.begin());
        plan(c.data(), r.data());
      }
    }
  };
  double best = 1e30;
  for (int rep = 0; rep < 5; ++rep) {
    const auto t0 = Clock::now();
    std::vector<std::thread> pool;
    const std::size_t nt = std::size_t(threads);
    for (std::size_t t = 1; t < nt; ++t) pool.emplace_back(share, calls * t / nt, calls * (t + 1) / nt);
    share(0, calls / nt);
    for (auto& th : pool) th.join();
    best = std::min(best, since(t0));
  }
  return best;
}

void report_frames(benchmark::State& state, const Stftf& stft, double seconds) {
  state.counters["frames"] = double(stft.frames());
  state.counters["frames_per_s"] = double(stft.frames()) / seconds;
  state.counters["threads"] = double(state.range(0));
}

void BM_STFT_600s_16kHz_hann512_hop128(benchmark::State& state) {
  const int threads = int(state.range(0));
  const Stftf stft = stft_case(threads);
  const auto x = noise(kStftN);
  std::vector<C> Z(stft.bins() * stft.frames());
  stft(x.data(), 1, Z.data());  // touches every page of the output once
  double best = 1e30;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    stft(x.data(), 1, Z.data());
    best = std::min(best, since(t0));
    benchmark::DoNotOptimize(Z.data());
  }
  report(state, best, batched_fft_floor(Plan::Kind::r2c, kStftF, kStftBatchForward, stft.frames(), threads));
  report_frames(state, stft, best);
}

void BM_ISTFT_600s_16kHz_hann512_hop128(benchmark::State& state) {
  const int threads = int(state.range(0));
  const Stftf stft = stft_case(threads);
  std::vector<C> Z(stft.bins() * stft.frames());
  stft(noise(kStftN).data(), 1, Z.data());
  std::vector<float> y(kStftN);
  stft.inverse(Z.data(), 1, y.data());  // touches every page of the output once
  double best = 1e30;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    stft.inverse(Z.data(), 1, y.data());
    best = std::min(best, since(t0));
    benchmark::DoNotOptimize(y.data());
  }
  report(state, best, batched_fft_floor(Plan::Kind::c2r, kStftF, kStftBatchInverse, stft.frames(), threads));
  report_frames(state, stft, best);
}

BENCHMARK(BM_CWT_planning)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CWT_100k_300_morlet)->Arg(1)->Arg(2)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CWT_100k_300_morlet_decimated)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CWT_inverse_fft_floor)->Arg(110592)->Arg(100000)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_STFT_600s_16kHz_hann512_hop128)->Arg(1)->Arg(2)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ISTFT_600s_16kHz_hann512_hop128)->Arg(1)->Arg(2)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
