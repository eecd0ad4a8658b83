// `wst fft`, `wst stft`, `wst istft`, `wst cwt`: the Fourier, windowed Fourier and wavelet
// transforms of signals (.npy, WAV) and images (.npy, PNG), written as .npy (complex64/128 or
// real) with optional JSON metadata and PNG pictures.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>

#include "commands.hpp"
#include "wst/plot/plot.hpp"
#include "signal_io.hpp"
#include "tf_common.hpp"
#include "wst/core/cwt.hpp"
#include "wst/support/error.hpp"
#include "wst/core/fourier.hpp"
#include "wst/io/npy.hpp"
#include "wst/core/stft.hpp"
#include "wst/support/atomic_file.hpp"

namespace wst::cli {

using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

// IN, OUT and the optional side outputs of a transform command.
struct Outputs {
  std::string in, out, meta, picture;
  double sample_rate = 0;  // --sample-rate
  double db_range = 80;
  bool linear = false;  // --linear: pictures in linear magnitude
  double picture_range() const { return linear ? 0.0 : db_range; }
};

void add_io(CLI::App& app, Outputs& o, const std::string& in_help, const std::string& out_help) {
  app.add_option("IN", o.in, in_help)->required()->type_name("IN");
  app.add_option("OUT", o.out, out_help)->required()->type_name("OUT");
}

void add_side_outputs(CLI::App& app, Outputs& o, bool picture) {
  app.add_option("--meta", o.meta, "Also write parameters, frequencies and times to this JSON file")
      ->type_name("FILE.json");
  app.add_option("--sample-rate", o.sample_rate,
                 "Sample rate in Hz (default: the WAV file's; none for .npy input), for axes and "
                 "frequencies in Hz")
      ->check(positive_real());
  if (!picture) return;
  app.add_option("--plot", o.picture, "Also draw the first signal's transform to this PNG")
      ->type_name("FILE.png");
  app.add_option("--db-range", o.db_range, "Dynamic range of the picture's colour scale in dB, > 0")
      ->capture_default_str();
  app.add_flag("--linear", o.linear, "Draw linear magnitudes instead of decibels");
}

// Every output path is checked before the computation, and distinct from the others.
void check_outputs(const Outputs& o) {
  check_distinct_paths({{"IN", o.in}}, {{"OUT", o.out}, {"--meta", o.meta}, {"--plot", o.picture}});
  for (const std::string& p : {o.out, o.meta, o.picture})
    if (!p.empty()) check_writable(p);
  if (!o.picture.empty() && !is_png_path(o.picture))
    throw UsageError("--plot " + o.picture + ": the picture must be a .png file");
  if (!(o.db_range > 0) || !std::isfinite(o.db_range))
    throw UsageError("--db-range " + num(o.db_range) + ": must be > 0 dB");
  if (o.sample_rate < 0 || !std::isfinite(o.sample_rate))
    throw UsageError("--sample-rate " + num(o.sample_rate) + ": must be > 0 Hz");
}

// Writes OUT, then the metadata and the picture; on any failure removes what was written, so
// that a failed command leaves no output.
template <class WriteMain>
void write_all(const Outputs& o, WriteMain write_main, const json* meta, const plot::Figure* fig) {
  std::vector<std::string> written;
  try {
    write_main();
    written.push_back(o.out);
    if (meta && !o.meta.empty()) {
      write_file_atomic(o.meta, meta->dump(2) + "\n");
      written.push_back(o.meta);
    }
    if (fig && !o.picture.empty()) plot::render_png(*fig, o.picture);
  } catch (...) {
    for (const auto& p : written) {
      std::error_code ec;
      fs::remove(p, ec);
    }
    throw;
  }
}

std::vector<double> first_signal(const auto& data, std::size_t n) {
  return std::vector<double>(data.begin(), data.begin() + std::ptrdiff_t(n));
}

json scaled(const std::vector<double>& v, double s) {
  json a = json::array();
  for (double x : v) a.push_back(x * s);
  return a;
}

// ---- fft --------------------------------------------------------------------------------------

struct FftState {
  Outputs io;
  ExecOptions exec;
  int rank = 0;  // 0: 2 for PNG input, else 1
  bool inverse = false, full = false, power = false;
  std::size_t n = 0;
  std::string norm = "backward";
};

FftNorm parse_norm(const std::string& s) {
  return s == "ortho" ? FftNorm::ortho : s == "forward" ? FftNorm::forward : FftNorm::backward;
}

// The inverse real FFT of one-sided spectra x: length --n, else 2(m − 1) for m bins.
template <class C>
void run_irfft(const FftState& s, const std::string& path, const Array<C>& x, int rank,
               FftNorm norm, double rate, json& meta) {
  using T = typename C::value_type;
  const std::size_t m = x.shape.back();
  if (!s.n && m < 2)
    throw UsageError(path + ": an inverse real FFT of 1 one-sided bin has length 1; give --n 1");
  const std::size_t n = s.n ? s.n : 2 * (m - 1);
  if (n == 0 || n / 2 + 1 != m)
    throw UsageError("--n " + std::to_string(n) + ": an inverse real FFT of " +
                     std::to_string(m) + " one-sided bins has length " +
                     std::to_string(2 * (m - 1)) + " or " + std::to_string(2 * m - 1));
  const Array<T> y = naming_input(path, [&] { return irfft(x, n, rank, norm, s.exec); });
  meta["output_shape"] = y.shape;
  write_all(s.io, [&] { write_signal(s.io.out, y, rate); }, &meta, nullptr);
}

// Complex input (or any inverse): fft / ifft / irfft.
void run_fft_complex(const FftState& s, const InputFile& in, int rank, FftNorm norm, double rate,
                     json& meta) {
  const ComplexArray z = complex_input(in, "fft", std::size_t(rank));
  std::visit(
      [&]<class C>(const Array<C>& x) {
        if (s.inverse && !s.full) return run_irfft(s, in.path, x, rank, norm, rate, meta);
        const Array<C> y = naming_input(in.path, [&] {
          return s.inverse ? ifft(x, rank, norm, s.exec) : fft(x, rank, norm, s.exec);
        });
        meta["output_shape"] = y.shape;
        write_all(s.io, [&] { write_npy(s.io.out, y); }, &meta, nullptr);
      },
      z);
}

// log |X| of the first M × n image of x, zero frequency at the centre (fftshift).
template <class T>
plot::Heatmap spectrum_heatmap(const Array<T>& x, const std::string& path, const Outputs& io,
                               const ExecOptions& exec) {
  const std::size_t n = x.shape.back(), M = x.shape[x.ndim() - 2];
  Array<T> img({M, n}, std::vector<T>(x.data.begin(), x.data.begin() + M * n));
  const Array<T> p = power_spectrum(img, 2, exec);
  const std::size_t h = n / 2 + 1;
  plot::Heatmap map;
  map.title = "|X| of " + fs::path(path).filename().string() + " (centred)";
  map.rows = M;
  map.cols = n;
  map.values.resize(M * n);
  const auto fr = fft_frequencies(M), fc = fft_frequencies(n);
  for (std::size_t i = 0; i < M; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t jj = j < h ? j : (n - j) % n, ii = j < h ? i : (M - i) % M;
      const std::size_t r2 = (i + M / 2) % M, c2 = (j + n / 2) % n;  // fftshift
      map.values[r2 * n + c2] = std::sqrt(double(p.data[ii * h + jj]));
    }
  for (std::size_t j = 0; j < n; ++j) map.x.centres.push_back(fc[(j + n - n / 2) % n]);
  for (std::size_t i = 0; i < M; ++i) map.y.centres.push_back(fr[(i + M - M / 2) % M]);
  map.x.label = "horizontal frequency (cycles/pixel)";
  map.y.label = "vertical frequency (cycles/pixel)";
  map.colorbar_label = io.linear ? "|X|" : "|X| (dB)";
  map.decibels = !io.linear;
  map.dynamic_range_db = io.db_range;
  return map;
}

// Real input: rfft (one-sided), fft of the real signal (--full), or the power spectrum.
void run_fft_real(const FftState& s, const InputFile& in, int rank, FftNorm norm,
                  const Units& units, json& meta) {
  const RealArray r = real_input(in, "fft", std::size_t(rank));
  std::visit(
      [&]<class T>(const Array<T>& x) {
        const std::size_t n = x.shape.back();
        meta["frequencies"] = scaled(s.full ? fft_frequencies(n) : rfft_frequencies(n),
                                     units.rate > 0 ? units.rate : 1.0);
        plot::Figure fig;
        if (!s.io.picture.empty() && rank == 1) {
          fig.title = "Fourier transform of " + fs::path(in.path).filename().string();
          fig.panels.push_back(fourier_panel(first_signal(x.data, n), units, s.io.picture_range()));
        } else if (!s.io.picture.empty()) {
          fig.panels.push_back(spectrum_heatmap(x, in.path, s.io, s.exec));
        }
        const auto write = [&](const auto& y) {
          meta["output_shape"] = y.shape;
          write_all(s.io, [&] { write_npy(s.io.out, y); }, &meta, &fig);
        };
        if (s.power) {
          write(naming_input(in.path, [&] { return power_spectrum(x, rank, s.exec); }));
        } else if (s.full) {
          Array<std::complex<T>> z(x.shape);
          std::ranges::copy(x.data, z.data.begin());
          write(naming_input(in.path, [&] { return fft(z, rank, norm, s.exec); }));
        } else {
          write(naming_input(in.path, [&] { return rfft(x, rank, norm, s.exec); }));
        }
      },
      r);
}

void run_fft(const FftState& s) {
  check_outputs(s.io);
  if (s.power && s.inverse) throw UsageError("--power and --inverse cannot be combined");
  if (s.n && (!s.inverse || s.full))
    throw UsageError("--n sets the length of a real inverse: use it with --inverse, without --full");
  const InputFile in = read_input_file(s.io.in);
  const int rank = s.rank ? s.rank : in.image ? 2 : 1;
  const FftNorm norm = parse_norm(s.norm);
  const Units units{effective_rate(s.io.sample_rate, in)};
  json meta = {{"transform", s.inverse ? (s.full ? "ifft" : "irfft") : s.full ? "fft" : "rfft"},
               {"rank", rank}, {"norm", s.norm}};
  if (units.rate > 0) meta["sample_rate"] = units.rate;

  const bool complex_in = std::holds_alternative<Array<std::complex<float>>>(in.array) ||
                          std::holds_alternative<Array<std::complex<double>>>(in.array);
  if (s.power && complex_in) throw InputError(in.path + ": --power needs real input");
  if (!s.io.picture.empty() && (s.inverse || complex_in))
    throw UsageError("--plot draws the spectrum of real input; it is not available with " +
                     std::string(s.inverse ? "--inverse" : "complex input"));
  if (s.inverse || complex_in) return run_fft_complex(s, in, rank, norm, units.rate, meta);
  run_fft_real(s, in, rank, norm, units, meta);
}

// ---- stft / istft -----------------------------------------------------------------------------

struct StftState {
  Outputs io;
  ExecOptions exec;
  WindowOptions window;
  bool magnitude = false;
  std::size_t samples = 0;  // istft: output length
};

json stft_meta(const auto& t, const WindowOptions& w, const Units& u) {
  const StftParams& p = t.params();
  json m = {{"transform", "stft"},
            {"window", window_kind_name(parse_window_kind(w.window))},
            {"length", p.window.size()},
            {"hop", p.hop},
            {"nfft", p.nfft ? p.nfft : p.window.size()},
            {"boundary", w.boundary},
            {"scaling", w.scaling},
            {"signal_length", t.signal_length()},
            {"frames", t.frames()}};
  if (parse_window_kind(w.window) == WindowKind::gauss) m["sigma"] = window_spec(w).sigma;
  if (parse_window_kind(w.window) == WindowKind::hann) m["symmetric"] = w.symmetric;
  if (u.rate > 0) m["sample_rate"] = u.rate;
  m["frequency_unit"] = u.rate > 0 ? "Hz" : "cycles/sample";
  m["time_unit"] = u.rate > 0 ? "s" : "samples";
  m["frequencies"] = scaled(t.frequencies(), u.rate > 0 ? u.rate : 1.0);
  m["times"] = scaled(t.times(), u.rate > 0 ? 1.0 / u.rate : 1.0);
  return m;
}

void run_stft(const StftState& s) {
  check_outputs(s.io);
  const StftParams params = stft_params(s.window);
  const InputFile in = read_input_file(s.io.in);
  const RealArray r = real_input(in, "stft", 1);
  const Units units{effective_rate(s.io.sample_rate, in)};
  std::visit(
      [&]<class T>(const Array<T>& x) {
        const std::size_t N = x.shape.back();
        const BasicStft<T> stft(N, params, s.exec);
        const auto Z = naming_input(in.path, [&] { return stft(x); });
        json meta = stft_meta(stft, s.window, units);
        meta["output_shape"] = Z.shape;
        meta["output"] = s.magnitude ? "magnitude" : "complex";
        plot::Figure fig;
        if (!s.io.picture.empty()) {
          fig.title = "Spectrogram of " + fs::path(in.path).filename().string();
          fig.panels.push_back(spectrogram_panel(
              Z.data.data(), stft.bins(), stft.frames(), stft.frequencies(), stft.times(), units,
              s.io.picture_range(),
              std::string(window_kind_name(parse_window_kind(s.window.window))) + " window, L = " +
                  std::to_string(params.window.size()) + ", hop " + std::to_string(params.hop)));
        }
        if (s.magnitude) {
          Array<T> mag(Z.shape);
          for (std::size_t i = 0; i < Z.size(); ++i) mag.data[i] = std::abs(Z.data[i]);
          write_all(s.io, [&] { write_npy(s.io.out, mag); }, &meta, &fig);
        } else {
          write_all(s.io, [&] { write_npy(s.io.out, Z); }, &meta, &fig);
        }
      },
      r);
}

void run_istft(const StftState& s) {
  check_outputs(s.io);
  const StftParams params = stft_params(s.window);
  const InputFile in = read_input_file(s.io.in);
  const ComplexArray z = complex_input(in, "istft", 2);
  std::visit(
      [&]<class C>(const Array<C>& Z) {
        using T = typename C::value_type;
        const std::size_t frames = Z.shape.back(), L = params.window.size();
        const std::size_t nfft = params.nfft ? params.nfft : L;
        if (Z.shape[Z.ndim() - 2] != nfft / 2 + 1)
          throw InputError(in.path + ": istft needs (..., nfft/2 + 1, frames) = (..., " +
                           std::to_string(nfft / 2 + 1) + ", frames) for nfft " +
                           std::to_string(nfft) + "; found shape " + shape_string(Z.shape));
        // The signal length: given, or what the frames span (minus the zero padding of
        // boundary 'zeros'), as scipy.signal.istft returns.
        std::size_t N = s.samples;
        if (N == 0) {
          N = (frames - 1) * params.hop + L;
          if (params.boundary == StftBoundary::zeros) N = N > 2 * (L / 2) ? N - 2 * (L / 2) : 1;
        }
        const BasicStft<T> stft(N, params, s.exec);
        if (stft.frames() != frames)
          throw InputError(in.path + ": " + std::to_string(frames) + " frames, but a signal of " +
                           std::to_string(N) + " samples with these window options has " +
                           std::to_string(stft.frames()) + " (check --samples, --length, --hop, "
                           "--boundary)");
        const Array<T> x = naming_input(in.path, [&] { return stft.inverse(Z); });
        json meta = {{"transform", "istft"}, {"output_shape", x.shape}};
        write_all(s.io, [&] { write_signal(s.io.out, x, s.io.sample_rate); }, &meta, nullptr);
      },
      z);
}

// ---- cwt --------------------------------------------------------------------------------------

struct CwtState {
  Outputs io;
  ExecOptions exec;
  CwtOptions cwt;
  bool decimated = false, modulus = false;
};

void run_cwt(const CwtState& s) {
  if (s.decimated && !s.io.picture.empty())
    throw UsageError("--plot draws the full-rate transform: it is not available with --decimated");
  check_outputs(s.io);
  const InputFile in = read_input_file(s.io.in);
  const RealArray r = real_input(in, "cwt", 1);
  const Units units{effective_rate(s.io.sample_rate, in)};
  std::visit(
      [&]<class T>(const Array<T>& x) {
        const std::size_t N = x.shape.back();
        const CwtParams params = cwt_params(s.cwt, N, units.rate);
        ExecOptions exec = s.exec;
        exec.progress = terminal_progress("wst cwt");
        const BasicCwt<T> cwt(N, params, exec);
        const double fs = units.rate > 0 ? units.rate : 1.0;
        json meta = {{"transform", "cwt"},
                     {"wavelet", wavelet_kind_name(params.wavelet)},
                     {"Q", s.cwt.Q},
                     {"boundary", s.cwt.boundary},
                     {"signal_length", N},
                     {"fft_length", cwt.fft_length()},
                     {"frequency_unit", units.rate > 0 ? "Hz" : "cycles/sample"},
                     {"frequencies", scaled(cwt.frequencies(), fs)},
                     {"sigmas", scaled(cwt.sigmas(), fs)}};
        if (units.rate > 0) meta["sample_rate"] = units.rate;
        meta["output"] = s.modulus ? "modulus" : "complex";
        if (s.decimated) {
          const DecimatedCwt<T> d = naming_input(in.path, [&] { return cwt.decimated(x); });
          Shape shape = d.batch;
          shape.push_back(d.block);
          meta["layout"] = "decimated: row k of each input is values [offset[k], offset[k] + "
                           "length[k]) of its last axis, sampled every stride[k] samples";
          meta["stride"] = d.stride;
          meta["length"] = d.length;
          meta["offset"] = d.offset;
          meta["output_shape"] = shape;
          if (s.modulus) {
            Array<T> m(shape);
            for (std::size_t i = 0; i < m.size(); ++i) m.data[i] = std::abs(d.data[i]);
            write_all(s.io, [&] { write_npy(s.io.out, m); }, &meta, nullptr);
          } else {
            const Array<std::complex<T>> z(shape, d.data);
            write_all(s.io, [&] { write_npy(s.io.out, z); }, &meta, nullptr);
          }
          return;
        }
        const auto W = naming_input(in.path, [&] { return cwt(x); });
        meta["output_shape"] = W.shape;
        plot::Figure fig;
        if (!s.io.picture.empty()) {
          fig.title = "Scalogram of " + fs::path(in.path).filename().string();
          fig.panels.push_back(scalogram_panel(W.data.data(), cwt.scales(), N, cwt.frequencies(),
                                               units, s.io.picture_range(),
                                               std::string(wavelet_kind_name(params.wavelet)) +
                                                   " wavelets, Q = " + std::to_string(s.cwt.Q)));
        }
        if (s.modulus) {
          Array<T> m(W.shape);
          for (std::size_t i = 0; i < m.size(); ++i) m.data[i] = std::abs(W.data[i]);
          write_all(s.io, [&] { write_npy(s.io.out, m); }, &meta, &fig);
        } else {
          write_all(s.io, [&] { write_npy(s.io.out, W); }, &meta, &fig);
        }
      },
      r);
}

}  // namespace

Command add_fft(CLI::App& parent) {
  auto s = std::make_shared<FftState>();
  CLI::App* app = parent.add_subcommand(
      "fft", "Discrete Fourier transform of signals or images (numpy.fft conventions)");
  app->footer(
      "IN: .npy (real or complex, shape (..., N), or (..., M, N) with --rank 2), a WAV file, or a\n"
      "PNG image (luminance; --rank 2 by default).\n"
      "OUT (.npy): real input -> one-sided rfft (..., N/2+1), complex64/128 by IN's precision;\n"
      "--full: two-sided; complex input -> fft; --inverse: irfft (real, --n samples) or with\n"
      "--full ifft; --power: |rfft|^2.");
  add_io(*app, s->io, "Input: .npy, .wav or .png", "Output .npy (or .wav for --inverse of one signal)");
  app->add_option("--rank", s->rank, "Transform the last 1 or 2 axes (default 1; 2 for PNG)")
      ->check(CLI::Range(1, 2));
  app->add_flag("--inverse", s->inverse, "Inverse transform of complex IN");
  app->add_flag("--full", s->full, "Two-sided spectrum of real IN; with --inverse, complex output");
  app->add_option("--n", s->n, "Length of the real output of --inverse (default 2*(bins-1))")
      ->check(at_least(1));
  app->add_flag("--power", s->power, "Write the one-sided power spectrum |X|^2");
  app->add_option("--norm", s->norm, "Normalisation as numpy.fft: backward, ortho or forward")
      ->check(CLI::IsMember({"backward", "ortho", "forward"}))
      ->capture_default_str();
  add_side_outputs(*app, s->io, true);
  add_exec_options(*app, s->exec, Planning::estimate);
  return {app, [s] { run_fft(*s); }};
}

Command add_stft(CLI::App& parent) {
  auto s = std::make_shared<StftState>();
  CLI::App* app = parent.add_subcommand(
      "stft", "Windowed Fourier transform (STFT) of signals, as scipy.signal.stft");
  app->footer(
      "IN: .npy of shape (..., N) (float32 or float64) or a WAV file.\n"
      "OUT (.npy): complex (..., nfft/2+1, frames), rows = frequency, columns = frames\n"
      "(scipy's layout); --magnitude writes |Z| instead. --meta lists the frequencies and frame\n"
      "times (Hz and seconds when the sample rate is known).\n"
      "Example: wst stft speech.wav Z.npy --window gauss --length 512 --hop 128 --plot spec.png");
  add_io(*app, s->io, "Input: .npy or .wav", "Output .npy");
  add_window_options(*app, s->window);
  app->add_flag("--magnitude", s->magnitude, "Write |Z| (real) instead of the complex STFT");
  add_side_outputs(*app, s->io, true);
  add_exec_options(*app, s->exec, Planning::estimate);
  return {app, [s] { run_stft(*s); }};
}

Command add_istft(CLI::App& parent) {
  auto s = std::make_shared<StftState>();
  CLI::App* app = parent.add_subcommand(
      "istft", "Inverse windowed Fourier transform (least-squares overlap-add, scipy.signal.istft)");
  app->footer(
      "IN: complex .npy of shape (..., nfft/2+1, frames) from 'wst stft' with the same window\n"
      "options. OUT: .npy (..., N), or a mono .wav with --sample-rate.\n"
      "N is --samples, else what the frames span (minus the padding of --boundary zeros).");
  add_io(*app, s->io, "Input: complex .npy", "Output .npy or .wav");
  add_window_options(*app, s->window);
  app->add_option("--samples", s->samples, "Length N of the reconstructed signal")
      ->check(at_least(1));
  add_side_outputs(*app, s->io, false);
  add_exec_options(*app, s->exec, Planning::estimate);
  return {app, [s] { run_istft(*s); }};
}

Command add_cwt(CLI::App& parent) {
  auto s = std::make_shared<CwtState>();
  CLI::App* app = parent.add_subcommand(
      "cwt", "Continuous wavelet transform (Morlet, Gabor, Mexican hat) of signals");
  app->footer(
      "IN: .npy of shape (..., N) (float32 or float64) or a WAV file.\n"
      "OUT (.npy): complex (..., scales, N) (--modulus: |W|), rows in the order of the centre\n"
      "frequencies (listed by --meta). --decimated stores each scale at its own critical rate:\n"
      "OUT is (..., total) with per-scale offset, length and stride in --meta.\n"
      "Frequencies: --fmax and --octaves (Q per octave), --fmin [--scales], or --frequencies.\n"
      "Example: wst cwt chirp.wav W.npy --Q 16 --fmin 50 --fmax 4000 --plot scalogram.png");
  add_io(*app, s->io, "Input: .npy or .wav", "Output .npy");
  add_cwt_options(*app, s->cwt);
  app->add_flag("--decimated", s->decimated, "Store each scale at its critical rate");
  app->add_flag("--modulus", s->modulus, "Write |W| (real) instead of the complex transform");
  add_side_outputs(*app, s->io, true);
  add_exec_options(*app, s->exec, Planning::estimate);
  return {app, [s] { run_cwt(*s); }};
}

}  // namespace wst::cli
