// `wst heisenberg` (time-frequency spread of a window or wavelet) and `wst signal` (the test
// signals of the time-frequency toolkit: chirp, tones with a click, noise, tone).
#include <climits>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>

#include "commands.hpp"
#include "signal_io.hpp"
#include "tf_common.hpp"
#include "wst/core/cwt.hpp"
#include "wst/support/error.hpp"
#include "wst/core/fft.hpp"
#include "wst/core/heisenberg.hpp"
#include "wst/support/memory_budget.hpp"
#include "wst/core/windows.hpp"

namespace wst::cli {

using json = nlohmann::ordered_json;

namespace {

// ---- heisenberg -------------------------------------------------------------------------------

struct HeisenbergState {
  WindowOptions window;
  std::string wavelet, file;
  double xi = 0.25, sigma = 0;
  int Q = 8;
  std::size_t grid = 0;
  double sample_rate = 0;
  bool as_json = false;
  bool length_from_sigma = false;  // a Gaussian window sized 12σ (no --length)
  CLI::Option *window_opt = nullptr, *wavelet_opt = nullptr, *file_opt = nullptr, *xi_opt = nullptr;
};

// One measured function: its description, box, grid length and the JSON of its parameters.
struct MeasuredBox {
  std::string what;
  HeisenbergBox box;
  std::size_t N = 0;
  json j;
};

// --wavelet: wavelet_on_grid at xi and sigma (default: the constant-Q σ of --Q).
MeasuredBox wavelet_box(const HeisenbergState& s) {
  MeasuredBox m;
  m.N = s.grid;
  const WaveletKind kind = parse_wavelet_kind(s.wavelet);
  if (!(s.xi > 0 && s.xi <= 0.5))
    throw UsageError("--xi " + num(s.xi) + ": must be in (0, 0.5] cycles/sample");
  if (s.Q < 1 || s.Q > 128) throw UsageError("--Q " + std::to_string(s.Q) + ": must be in [1, 128]");
  if (s.sigma < 0 || !std::isfinite(s.sigma))
    throw UsageError("--sigma " + num(s.sigma) + ": must be > 0 cycles/sample");
  const double sigma = s.sigma > 0 ? s.sigma : s.xi * constant_q_sigma_ratio(s.Q);
  if (!(sigma > 0 && std::isfinite(sigma)))
    throw UsageError("--sigma " + num(s.sigma) + ": must be > 0 cycles/sample");
  // The grid holds ±10 time spreads 1/(2πσ) at least.
  if (m.N == 0)
    m.N = checked_size(40.0 / (2 * std::numbers::pi * sigma), 4096, std::size_t{1} << 26,
                       s.sigma > 0 ? "--sigma" : "--xi", /*pow2=*/true);
  m.box = heisenberg_box(wavelet_on_grid(kind, m.N, s.xi, sigma));
  char buf[160];
  if (kind == WaveletKind::mexican_hat)
    std::snprintf(buf, sizeof buf, "mexican_hat wavelet, peak frequency xi = %g cycles/sample", s.xi);
  else
    std::snprintf(buf, sizeof buf, "%s wavelet, xi = %g, sigma = %g cycles/sample",
                  wavelet_kind_name(kind), s.xi, sigma);
  m.what = buf;
  m.j = {{"wavelet", wavelet_kind_name(kind)}, {"xi", s.xi}};
  if (kind != WaveletKind::mexican_hat) m.j["sigma"] = sigma;
  return m;
}

// --file: the samples of one signal of shape (N,).
MeasuredBox file_box(const HeisenbergState& s) {
  MeasuredBox m;
  const InputFile in = read_input_file(s.file);
  const ComplexArray z = complex_input(in, "heisenberg", 1);
  std::vector<std::complex<double>> g;
  std::visit([&](const auto& a) {
    if (a.ndim() != 1)
      throw InputError(in.path + ": heisenberg needs one signal of shape (N,); found shape " +
                       shape_string(a.shape));
    for (const auto& v : a.data) g.emplace_back(double(v.real()), double(v.imag()));
  }, z);
  m.N = g.size();
  m.box = naming_input(in.path, [&] { return heisenberg_box(g); });
  m.what = s.file + " (" + std::to_string(m.N) + " samples)";
  m.j = {{"file", s.file}};
  return m;
}

// --window (the default): the window centred on a grid of 8 lengths at least.
MeasuredBox window_box(const HeisenbergState& s) {
  MeasuredBox m;
  m.N = s.grid;
  if (s.length_from_sigma && s.window.length > (std::size_t{1} << 26))
    throw UsageError("--sigma " + num(s.sigma) + ": its window of 12σ samples must be at most "
                     "2^26 = 67108864 samples (σ ≤ 5592405; or give --length)");
  const WindowSpec spec = window_spec(s.window);
  if (m.N == 0)
    m.N = checked_size(8.0 * double(spec.length), 4096, std::size_t{1} << 26,
                       s.length_from_sigma ? "--sigma" : "--length", true);
  if (spec.length > m.N)
    throw UsageError("--grid " + std::to_string(m.N) + ": must be >= the window length " +
                     std::to_string(spec.length));
  m.box = heisenberg_box(window_on_grid(spec, m.N, m.N / 2 - spec.length / 2));
  char buf[160];
  if (spec.kind == WindowKind::gauss)
    std::snprintf(buf, sizeof buf, "gauss window, L = %zu, sigma = %g samples", spec.length, spec.sigma);
  else
    std::snprintf(buf, sizeof buf, "%s window, L = %zu%s", window_kind_name(spec.kind), spec.length,
                  spec.kind == WindowKind::hann ? (spec.periodic ? " (periodic)" : " (symmetric)") : "");
  m.what = buf;
  m.j = {{"window", window_kind_name(spec.kind)}, {"length", spec.length}};
  if (spec.kind == WindowKind::gauss) m.j["sigma"] = spec.sigma;
  return m;
}

// The box as JSON (--json) or as text; σt·σω against the bound 1/2 (docs/TIME-FREQUENCY.md).
void print_box(const HeisenbergState& s, MeasuredBox m) {
  HeisenbergBox& box = m.box;
  json& j = m.j;
  const std::size_t N = m.N;
  box.mu_omega += 0.0;  // print −0 as 0
  if (std::abs(box.mu_omega) < 1e-15) box.mu_omega = 0.0;
  const double p = box.product();
  j["grid"] = N;
  j["mu_t"] = box.mu_t;
  j["sigma_t"] = box.sigma_t;
  j["mu_omega"] = box.mu_omega;
  j["sigma_omega"] = box.sigma_omega;
  j["sigma_f_cycles"] = box.sigma_f();
  j["product"] = p;
  j["bound"] = 0.5;
  j["bound_holds"] = p >= 0.5 * (1 - 1e-9);
  if (s.sample_rate > 0) {
    j["sample_rate"] = s.sample_rate;
    j["sigma_t_seconds"] = box.sigma_t / s.sample_rate;
    j["sigma_f_hz"] = box.sigma_f() * s.sample_rate;
  }
  if (s.as_json) {
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf("%s, on a grid of %zu samples\n", m.what.c_str(), N);
  std::printf("  time:      mu_t = %.6f samples, sigma_t = %.6f samples\n", box.mu_t, box.sigma_t);
  std::printf("  frequency: mu_w = %.7f rad/sample, sigma_w = %.7f rad/sample (sigma_f = %.7g cycles/sample)\n",
              box.mu_omega, box.sigma_omega, box.sigma_f());
  if (s.sample_rate > 0)
    std::printf("  at %g Hz:  sigma_t = %.6g s, sigma_f = %.6g Hz\n", s.sample_rate,
                box.sigma_t / s.sample_rate, box.sigma_f() * s.sample_rate);
  std::printf("  sigma_t * sigma_w = %.6f %s 1/2: %s\n", p, p >= 0.5 * (1 - 1e-9) ? ">=" : "<",
              std::abs(p - 0.5) < 1e-6 ? "the uncertainty bound, attained (a Gaussian)"
              : p >= 0.5 * (1 - 1e-9) ? "the uncertainty bound holds"
                                      : "below the bound: the grid truncates or aliases g");
}

void run_heisenberg(const HeisenbergState& s) {
  const int given = int(s.window_opt->count() > 0) + int(s.wavelet_opt->count() > 0) +
                    int(s.file_opt->count() > 0);
  if (given > 1) throw UsageError("give one of --window, --wavelet and --file");
  if (s.xi_opt->count() && !s.wavelet_opt->count())
    throw UsageError("--xi is the centre frequency of a wavelet: give --wavelet");
  if (s.grid > (std::size_t{1} << 26))
    throw UsageError("--grid " + std::to_string(s.grid) + ": must be at most 2^26 = 67108864");
  if (s.wavelet_opt->count()) return print_box(s, wavelet_box(s));
  if (s.file_opt->count()) return print_box(s, file_box(s));
  print_box(s, window_box(s));
}

// ---- signal -----------------------------------------------------------------------------------

struct SignalState {
  std::string kind, out;
  std::size_t samples = 4096;
  double sample_rate = 0, f0 = 0, f1 = 0;
  unsigned seed = 0;
};

void run_signal(const SignalState& s) {
  check_writable(s.out);
  const double fs = s.sample_rate > 0 ? s.sample_rate : 1.0;
  if (s.sample_rate < 0 || !std::isfinite(s.sample_rate))
    throw UsageError("--sample-rate " + num(s.sample_rate) + ": must be > 0 Hz");
  auto freq = [&](double f, double fallback, const char* option) {
    if (f == 0) return fallback;
    if (!(f > 0 && f <= 0.5 * fs))
      throw UsageError(std::string(option) + " " + num(f) + ": must be in (0, " +
                       num(0.5 * fs) + (s.sample_rate > 0 ? "] Hz" : "] cycles/sample"));
    return f / fs;
  };
  const std::size_t N = check_size(s.samples, 1, kMaxLength, "--samples");
  check_memory(checked_bytes({N}, sizeof(double)), "--samples " + std::to_string(N));
  const double scale = double(N) / 4096.0;  // positions and widths of tones-click scale with N
  std::vector<double> x(N);
  const double pi = std::numbers::pi;
  if (s.kind == "chirp") {
    // scipy.signal.chirp(t, f0, t1 = N − 1, f1, method='linear'): instantaneous frequency
    // f0 + (f1 − f0)·t/(N − 1).
    const double f0 = freq(s.f0, 0.01, "--f0"), f1 = freq(s.f1, 0.4, "--f1");
    const double rate = N > 1 ? (f1 - f0) / double(N - 1) : 0.0;
    for (std::size_t n = 0; n < N; ++n) {
      const double t = double(n);
      x[n] = std::cos(2 * pi * (f0 * t + 0.5 * rate * t * t));
    }
  } else if (s.kind == "tones-click") {
    const double c1 = 1024 * scale, c2 = 2800 * scale, w1 = 128 * scale, w2 = 64 * scale;
    const double f0 = freq(s.f0, 0.05, "--f0"), f1 = freq(s.f1, 0.2, "--f1");
    for (std::size_t n = 0; n < N; ++n) {
      const double t = double(n);
      x[n] = std::exp(-0.5 * std::pow((t - c1) / w1, 2)) * std::cos(2 * pi * f0 * (t - c1)) +
             0.8 * std::exp(-0.5 * std::pow((t - c2) / w2, 2)) * std::cos(2 * pi * f1 * (t - c2));
    }
    x[N / 2] += 1.0;
  } else if (s.kind == "tone") {
    const double f0 = freq(s.f0, 0.05, "--f0");
    for (std::size_t n = 0; n < N; ++n) x[n] = std::cos(2 * pi * f0 * double(n));
  } else {  // noise
    std::mt19937_64 gen(s.seed);
    std::normal_distribution<double> d(0.0, 1.0);
    for (auto& v : x) v = d(gen);
  }
  write_signal(s.out, Array<double>({N}, std::move(x)), s.sample_rate);
}

}  // namespace

Command add_heisenberg(CLI::App& parent) {
  auto s = std::make_shared<HeisenbergState>();
  CLI::App* app = parent.add_subcommand(
      "heisenberg", "Heisenberg box (time and frequency spread) of a window or wavelet");
  app->footer(
      "sigma_t (samples) and sigma_w (radians/sample) are the standard deviations of |g[n]|^2 and\n"
      "of |DFT g|^2 on the grid; their product is >= 1/2, with equality for a Gaussian.\n"
      "Examples:\n"
      "  wst heisenberg --window gauss --sigma 32\n"
      "  wst heisenberg --window hann --length 256\n"
      "  wst heisenberg --wavelet morlet --xi 0.25 --sigma 0.02\n"
      "  wst heisenberg --file window.npy --json");
  s->window_opt = app->add_option("--window", s->window.window, "Window: hann, gauss or rect")
                      ->check(CLI::IsMember({"hann", "gauss", "gaussian", "rect", "boxcar"}));
  app->add_option("--length", s->window.length, "Window length L in samples (default 256; for "
                  "gauss, default 12 sigma rounded up)")
      ->check(at_least(1));
  app->add_flag("--symmetric", s->window.symmetric, "Symmetric Hann window (default periodic)");
  s->wavelet_opt = app->add_option("--wavelet", s->wavelet, "Wavelet: morlet, gabor or mexican_hat")
                       ->check(CLI::IsMember({"morlet", "gabor", "mexican_hat", "mexh", "ricker"}));
  s->xi_opt = app->add_option("--xi", s->xi, "Wavelet centre frequency in cycles/sample, (0, 0.5]")
      ->capture_default_str();
  app->add_option("--sigma", s->sigma,
                  "Gaussian window: std in samples (default L/8); wavelet: bandwidth in "
                  "cycles/sample (default: constant-Q value for --Q)")
      ->check(positive_real());
  app->add_option("-Q,--Q", s->Q, "Voices per octave setting the default wavelet bandwidth")
      ->capture_default_str();
  s->file_opt = app->add_option("--file", s->file, "A sampled window or wavelet: .npy (real or "
                                "complex, shape (N,)) or .wav");
  app->add_option("--grid", s->grid, "Grid length N (default: 4096 or more, to hold g)")
      ->check(at_least(1));
  app->add_option("--sample-rate", s->sample_rate, "Also print the spreads in seconds and Hz")
      ->check(positive_real());
  app->add_flag("--json", s->as_json, "Print JSON instead of text");
  app->callback([s, app] {
    // A Gaussian given only by σ gets a window of 12σ (±6σ, truncating a relative 1e-8 of
    // its energy), rounded up.
    s->length_from_sigma =
        s->window.window.starts_with("gauss") && app->count("--length") == 0 && s->sigma > 0;
    if (s->length_from_sigma)
      s->window.length = 12 * s->sigma <= 0x1p26 ? std::size_t(std::ceil(12 * s->sigma))
                                                 : (std::size_t{1} << 26) + 1;  // refused later
    if (s->window_opt->count()) s->window.sigma = s->sigma;
  });
  return {app, [s] { run_heisenberg(*s); }};
}

Command add_signal(CLI::App& parent) {
  auto s = std::make_shared<SignalState>();
  CLI::App* app = parent.add_subcommand(
      "signal", "Write a test signal: chirp, tones-click, tone or noise (.npy or .wav)");
  app->footer(
      "chirp: cos(2 pi (f0 t + (f1 - f0) t^2 / (2 (N - 1)))), frequency rising linearly from f0\n"
      "  (default 0.01) to f1 (default 0.4), as scipy.signal.chirp(method='linear').\n"
      "tones-click: a tone f0 (0.05) centred at N/4 with envelope std N/32, a tone f1 (0.2) of\n"
      "  amplitude 0.8 centred at 0.68 N with std N/64, and a unit click at N/2.\n"
      "tone: cos(2 pi f0 t). noise: standard normal (--seed).\n"
      "Frequencies are in Hz with --sample-rate, else in cycles/sample; .wav needs --sample-rate.\n"
      "Example: wst signal chirp chirp.wav --samples 32768 --sample-rate 16000 --f0 100 --f1 6000");
  app->add_option("KIND", s->kind, "chirp, tones-click, tone or noise")
      ->required()
      ->check(CLI::IsMember({"chirp", "tones-click", "tone", "noise"}));
  app->add_option("OUT", s->out, "Output .npy or .wav")->required();
  app->add_option("--samples", s->samples, "Length N, 1 to 2^31")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 31))
      ->capture_default_str();
  app->add_option("--sample-rate", s->sample_rate, "Sample rate in Hz, > 0")
      ->check(positive_real());
  app->add_option("--f0", s->f0, "First frequency")->check(positive_real());
  app->add_option("--f1", s->f1, "Second frequency")->check(positive_real());
  app->add_option("--seed", s->seed, "Seed of the noise")
      ->check(seed_range(UINT_MAX))->capture_default_str();
  return {app, [s] { run_signal(*s); }};
}

}  // namespace wst::cli
