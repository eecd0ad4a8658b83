// §1 of the report: Fourier, windowed Fourier, wavelets (Mallat 2016, §2).
#include <algorithm>
#include <cmath>
#include <numbers>

#include "helpers.hpp"
#include "wst/core/cwt.hpp"
#include "wst/core/heisenberg.hpp"
#include "wst/core/windows.hpp"
#include "wst/io/audio.hpp"
#include "wst/plot/compare_tf.hpp"
#include "wst/plot/tf_panels.hpp"
#include "wst/support/format.hpp"

namespace wst::report {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kRate = 8000;  // Hz

// A linear chirp (as scipy.signal.chirp) from 100 Hz to 3.5 kHz over 2.048 s at 8 kHz, with a
// click (one sample) at 1.3 s; amplitudes 0.2 and 0.8 keep the WAV file within [−1, 1].
std::vector<double> chirp_with_click() {
  constexpr double f0 = 100, f1 = 3500, click_s = 1.3;
  constexpr std::size_t N = 16384;
  std::vector<double> x(N);
  const double a = f0 / kRate, rate = (f1 - f0) / kRate / double(N - 1);
  for (std::size_t n = 0; n < N; ++n) {
    const double t = double(n);
    x[n] = 0.2 * std::cos(2 * kPi * (a * t + 0.5 * rate * t * t));
  }
  x[std::size_t(click_s * kRate)] += 0.8;
  return x;
}

// The chirp as chirp-click.wav, and the picture `wst compare-tf` draws of that file.
void compare_figure(const Settings& s, Section& out) {
  const std::string wav = figure_path(s, "chirp-click.wav");
  write_wav(wav, chirp_with_click(), kRate);
  const Audio signal = read_audio(wav);  // the file's samples, as compare-tf reads them
  const std::vector<std::string> options = {"--window", "gauss", "--length", "256", "--fmin", "50"};
  plot::CompareTfSettings tf;
  tf.window.window = "gauss";
  tf.window.length = 256;
  tf.cwt.fmin = 50;
  tf.exec.threads = s.exec.threads;
  tf.exec.planning = Planning::estimate;
  plot::render_png(plot::compare_tf_figure(signal.samples, signal.sample_rate, wav, tf),
                   figure_path(s, "fourier.png"));
  out.commands.push_back("build/wst compare-tf " + sh(shown_report_dir(s) + "/chirp-click.wav") +
                         " fourier.png " + join(options));
  out.images.push_back(
      {"fourier.png",
       "Four panels: a chirp with a click in time, its Fourier modulus, its spectrogram and its "
       "scalogram",
       "A linear chirp rising from 100 Hz to 3.5 kHz over 2 s, with a click at 1.3 s: the Fourier "
       "modulus |x̂| says which frequencies occur but not when, and spreads the click into a flat "
       "floor; the spectrogram (Gaussian window of 32 ms, σt = 2.8 ms) places both with one fixed "
       "resolution, and "
       "the scalogram (Morlet wavelets, 8 per octave) sharpens the click at high frequencies and "
       "the chirp at low ones. This is the walk of Mallat (2016, §2) from the Fourier transform "
       "through the windowed Fourier transform to the wavelet transform that scattering is built "
       "on."});
}

constexpr std::size_t kGrid = 4096;
constexpr double kTmax = 16, kFmax = kRate / 2;  // ms, Hz
double ms(double samples) { return 1e3 * samples / kRate; }
double hz(double cycles) { return cycles * kRate; }

plot::ChartPanel box_panel(std::string title) {
  plot::ChartPanel p;
  p.title = std::move(title);
  p.xlabel = "time (ms)";
  p.ylabel = "frequency (Hz)";
  p.xmin = 0, p.xmax = kTmax, p.ymin = 0, p.ymax = kFmax;
  return p;
}

// The boxes of a Gaussian window of σ = 8 samples (1 ms), tiling the plane.
plot::ChartPanel window_boxes(HeisenbergBox& wb) {
  WindowSpec spec;
  spec.kind = WindowKind::gauss;
  spec.sigma = 8;
  spec.length = 64;
  wb = heisenberg_box(window_on_grid(spec, kGrid, kGrid / 2 - spec.length / 2));
  plot::ChartPanel win = box_panel("Windowed Fourier: one box everywhere (Gaussian window)");
  const double st = ms(wb.sigma_t), sf = hz(wb.sigma_f());
  for (double tc = 2; tc + st <= kTmax; tc += 3)
    for (double fc = 400; fc + sf <= kFmax; fc += 800)
      win.rects.push_back({tc - st, tc + st, fc - sf, fc + sf, "#1f77b4", false, ""});
  return win;
}

// What the caption says of the wavelets' boxes.
struct WaveletBoxes {
  std::vector<std::string> rows;
  double product_min = 1e300, product_max = 0;
};

// Dyadic Morlet wavelets (one per octave, Q = 1: σ = ξ·constant_q_sigma_ratio(1)) centred at
// 2 kHz, 1 kHz, …, 125 Hz, all well inside the band, where |ψ̂| does not alias.
plot::ChartPanel wavelet_boxes(WaveletBoxes& w) {
  plot::ChartPanel p =
      box_panel("Wavelets: boxes narrow in time as frequency grows (Morlet, Q = 1)");
  constexpr const char* kScaleColours[] = {"#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd"};
  const double xi_top = 0.25, ratio = constant_q_sigma_ratio(1);
  for (std::size_t j = 0; j < 5; ++j) {
    const double xi = std::ldexp(xi_top, -int(j)), sigma = xi * ratio;
    const HeisenbergBox b =
        heisenberg_box(plot::wavelet_on_grid(WaveletKind::morlet, kGrid, xi, sigma));
    const double bt = ms(b.sigma_t), bf = hz(b.sigma_f()), fc = hz(b.mu_omega / (2 * kPi));
    w.product_min = std::min(w.product_min, b.product());
    w.product_max = std::max(w.product_max, b.product());
    for (double tc = 1.25 * bt; tc + bt <= kTmax; tc += 2.5 * bt)
      p.rects.push_back(
          {tc - bt, tc + bt, std::max(fc - bf, 0.0), fc + bf, kScaleColours[j], false, ""});
    w.rows.push_back(num("σt = %.3g ms, ", bt) + num("σf = %.0f Hz", bf) +
                     num(" at ξ = %.0f Hz", hz(xi)));
  }
  return p;
}

// Heisenberg boxes ±σt × ±σf at 8 kHz of a window and of wavelets at several scales.
void heisenberg_figure(const Settings& s, Section& out) {
  HeisenbergBox wb;
  WaveletBoxes w;
  plot::Figure boxes;
  boxes.title =
      "Heisenberg boxes (±σt × ±σf) at 8 kHz: σt·σω ≥ 1/2 fixes their area, not their shape";
  boxes.columns = 2;
  boxes.width = 1400;
  boxes.panel_height = 480;
  boxes.panels = {window_boxes(wb), wavelet_boxes(w)};
  plot::render_png(boxes, figure_path(s, "heisenberg.png"));
  const double st = ms(wb.sigma_t), sf = hz(wb.sigma_f());
  out.images.push_back(
      {"heisenberg.png",
       "Heisenberg boxes in the time-frequency plane: equal boxes for a window, boxes that narrow "
       "in time at high frequencies for wavelets",
       "Each box spans ±σt in time and ±σf in frequency of one atom, measured on the sampled "
       "functions: the Gaussian window's boxes are all alike (σt = " +
           num("%.3g", st) + " ms, σf = " + num("%.0f", sf) + " Hz, σt·σω = " +
           num("%.3f", wb.product()) + "), while the dyadic Morlet wavelets go from " +
           w.rows.front() + " to " + w.rows.back() + " (σt·σω from " +
           num("%.3f", w.product_min) + " to " + num("%.3f", w.product_max) +
           "). The uncertainty principle of Mallat (2016, §2), "
           "σt·σω ≥ 1/2, fixes the area of the boxes but not their shape, and wavelets adapt the "
           "shape to each scale."});
  out.commands.push_back("build/wst heisenberg --window gauss --sigma 8 --sample-rate 8000");
  out.commands.push_back(
      "build/wst heisenberg --wavelet morlet --xi 0.25 --Q 1 --sample-rate 8000");
}

}  // namespace

Section fourier_section(const Settings& s) {
  Section out;
  compare_figure(s, out);
  heisenberg_figure(s, out);
  return out;
}

}  // namespace wst::report
