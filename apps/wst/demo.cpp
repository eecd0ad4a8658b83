// `wst demo`: scatters built-in synthetic data (images, then signals) and prints shapes,
// energy per order and timings. Needs no files; deterministic apart from the timings.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "commands.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"

namespace wst::cli {
namespace {

using std::numbers::pi;

// 8 images of 64×64: an oriented sinusoidal grating (angle b·π/8, period 4 to 10 pixels) plus a
// bright disk whose radius grows with b.
Array<float> demo_images() {
  constexpr std::size_t B = 8, M = 64, N = 64;
  Array<float> x({B, M, N});
  for (std::size_t b = 0; b < B; ++b) {
    const double angle = double(b) * pi / B, period = 4.0 + 2.0 * double(b % 4),
                 radius = 6.0 + double(b);
    for (std::size_t r = 0; r < M; ++r)
      for (std::size_t c = 0; c < N; ++c) {
        const double u = double(r) - M / 2.0, v = double(c) - N / 2.0;
        const double grating =
            std::cos(2 * pi * (u * std::sin(angle) + v * std::cos(angle)) / period);
        const double disk = std::hypot(u - 8.0, v + 6.0) < radius ? 2.0 : 0.0;
        x.data[(b * M + r) * N + c] = float(0.5 * grating + disk);
      }
  }
  return x;
}

// 4 signals of 4096 samples: a linear chirp (0.005 to 0.2 cycles/sample, rising faster per
// signal) plus unit clicks every 512 samples.
Array<float> demo_signals() {
  constexpr std::size_t B = 4, N = 4096;
  Array<float> x({B, N});
  for (std::size_t b = 0; b < B; ++b) {
    const double f0 = 0.005, f1 = 0.05 + 0.05 * double(b), rate = (f1 - f0) / N;
    for (std::size_t t = 0; t < N; ++t) {
      const double chirp = std::sin(2 * pi * (f0 * double(t) + 0.5 * rate * double(t) * double(t)));
      const double click = (t + 64 * b) % 512 == 0 ? 1.0 : 0.0;
      x.data[b * N + t] = float(chirp + click);
    }
  }
  return x;
}

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// Builds a transform with `make`, applies it to x, prints a summary: shapes, timings, and per
// scattering order the channel count and energy (sum of squares of those channels).
template <class Make>
void run_and_report(const std::string& title, const Array<float>& x, Make make) {
  auto start = std::chrono::steady_clock::now();
  const auto scattering = make();
  const double build_ms = milliseconds_since(start);
  start = std::chrono::steady_clock::now();
  const Array<float> y = scattering(x);
  const double run_ms = milliseconds_since(start);

  const auto& meta = scattering.meta();
  const int highest = std::ranges::max(meta, {}, [](const auto& m) { return m.order; }).order;
  std::vector<std::size_t> channels(std::size_t(highest) + 1);
  std::vector<double> energy(channels.size());
  for (const auto& m : meta) ++channels[std::size_t(m.order)];
  const std::size_t per_channel = y.size() / (y.shape[0] * meta.size());  // y: (batch, C, ...)
  for (std::size_t i = 0; i < y.size(); ++i)
    energy[std::size_t(meta[i / per_channel % meta.size()].order)] += double(y.data[i]) * y.data[i];
  double total = 0;
  for (double e : energy) total += e;

  std::printf("%s\n", title.c_str());
  std::printf("  input  %-16s float32\n  output %-16s float32, %zu channels\n",
              shape_string(x.shape).c_str(), shape_string(y.shape).c_str(), meta.size());
  std::printf("  time   %.1f ms to build, %.1f ms to transform\n", build_ms, run_ms);
  std::printf("  %5s  %8s  %12s  %8s\n", "order", "channels", "energy", "fraction");
  for (std::size_t m = 0; m < energy.size(); ++m)
    std::printf("  %5zu  %8zu  %12.4e  %7.3f%%\n", m, channels[m], energy[m],
                100 * energy[m] / total);
  std::printf("\n");
}

void run_demo(const ExecOptions& exec) {
  std::printf("wst demo: synthetic data, %d thread(s), FFTW planning '%s'\n\n", exec.threads,
              exec.planning == Planning::measure ? "measure" : "estimate");
  const Array<float> images = demo_images();
  run_and_report("scatter2d J=3 L=8 max_order=2 (oriented gratings + disks)", images,
                 [&] { return Scattering2Df(3, 64, 64, 8, 2, exec); });
  const Array<float> signals = demo_signals();
  run_and_report("scatter1d J=8 Q=8 max_order=2 (chirps + clicks)", signals, [&] {
    return Scattering1Df(8, 4096, Q1D{8, 1}, 0, 2, exec);
  });
}

}  // namespace

Command add_demo(CLI::App& parent) {
  auto exec = std::make_shared<ExecOptions>();
  CLI::App* app = parent.add_subcommand(
      "demo", "Scatter built-in synthetic images and signals; print a summary");
  app->footer(
      "Scatters 8 images of 64x64 (oriented gratings + disks) with J=3 L=8, and 4 signals\n"
      "of 4096 samples (chirps + clicks) with J=8 Q=8; prints shapes, energy per scattering\n"
      "order and timings.");
  add_exec_options(*app, *exec);
  return {app, [exec] { run_demo(*exec); }};
}

}  // namespace wst::cli
