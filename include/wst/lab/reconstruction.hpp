// Reconstruction from scattering coefficients (Bruna & Mallat 2013, §3.1; Bruna & Mallat 2019,
// "Multiscale sparse microcanonical models"): from a target y, find x minimising
//   E(x) = ‖S x − S y‖² / ‖S y‖²
// by gradient descent from white noise, the gradient 2·J_Sᵀ(S x − S y) / ‖S y‖² given by the
// exact reverse pass (docs/scattering-gradients.md). What x recovers of y shows what the
// scattering keeps: order 1 loses the interferences between frequencies that order 2 restores.
// A 1D target (N,) uses Scattering1D (J, Q, order); a 2D target (M, N) uses Scattering2D
// (J, L, order). The result is identical for any thread count.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "wst/core/options.hpp"
#include "wst/support/array.hpp"

namespace wst::lab {

// L-BFGS (libLBFGS, Moré–Thuente line search, 10 corrections) or Adam (Kingma & Ba 2015).
enum class Optimizer { lbfgs, adam };
Optimizer parse_optimizer(std::string_view name);  // "lbfgs" | "adam", else UsageError
std::string optimizer_name(Optimizer o);

struct ReconstructionConfig {
  int J = 2;               // scale 2^J, 1 ≤ 2^J ≤ the target's size
  int order = 2;           // highest scattering order matched: 1 or 2
  int L = 8;               // orientations (2D)
  int Q = 8;               // first-order wavelets per octave (1D)
  Optimizer optimizer = Optimizer::lbfgs;
  int iterations = 500;    // at most this many optimiser iterations, ≥ 1
  double tolerance = 0;    // also stop once the relative scattering error ≤ tolerance (≥ 0)
  double learning_rate = 0.05;  // Adam's step, in units of the target's standard deviation
  std::uint64_t seed = 0;  // the start: white Gaussian noise with the target's mean and std
  // The landscape is not convex: a start can fall into a local minimum (strokes of a digit out
  // of place). When `patience` iterations in a row bring the relative scattering error down by
  // less than 1 %, the descent restarts from fresh white noise (the next draws of the same
  // seed's stream), keeping the best iterate over all starts. 0: never restart.
  int patience = 30;
  ExecOptions exec;
};

// One iterate: ‖S x − S y‖ / ‖S y‖; the signal error ‖x − y‖ / ‖y‖ up to what S cannot see,
// x → −x for an image and, for a signal, a global phase (x → Re(e^{iφ}(x + i·H x)), H the
// Hilbert transform: the moduli |x ⋆ ψ| of analytic wavelets do not change) fitted to y; the
// objective's evaluations so far (a line search may use several per iteration); the seconds
// since the start.
struct ReconstructionStep {
  int iteration = 0;  // 0: the random start; iterations count on across restarts
  int start = 0;      // which start this iterate descends from (0: the first)
  double scattering_error = 0, signal_error = 0;
  int evaluations = 0;
  double seconds = 0;
};

struct ReconstructionResult {
  ReconstructionConfig config;
  Array<double> target, start, signal;  // y, the start that led to best_step's x, that x
  std::vector<ReconstructionStep> history;
  std::size_t coefficients = 0;         // the size of S y
  int restarts = 0;                     // starts after the first (see `patience`)
  std::string stopped;                  // why it stopped, e.g. "500 iterations", "tolerance"
  double seconds = 0;
};

// Throws UsageError naming the option (--J, --order, --L, --Q, --iterations, --tolerance,
// --learning-rate, --patience) and its range for a bad config, InputError for a target that is not 1D or 2D,
// is constant, or holds NaN or infinity.
void validate(const ReconstructionConfig& c, const Array<double>& target);

// Validates and runs; `on_step` (may be empty) sees each iterate as it is made; an exception it
// throws stops the run and propagates.
ReconstructionResult reconstruct(const Array<double>& target, const ReconstructionConfig& c,
                                 const std::function<void(const ReconstructionStep&)>& on_step = {});

// The iterate of least scattering error (the one `signal` holds).
const ReconstructionStep& best_step(const ReconstructionResult& r);

// The reconstruction with what S cannot see undone as the signal error measures it: −x if that
// is nearer y; for a signal, x turned by the global phase fitted to y (cos φ·x − sin φ·H x).
// What the pictures draw beside the target.
Array<double> aligned_signal(const ReconstructionResult& r);

// The JSON `wst reconstruct --history` writes: the config, the sizes, the history, the verdict.
nlohmann::ordered_json to_json(const ReconstructionResult& r);

// A linear chirp of n samples whose frequency rises from f0 to f1 cycles per sample under a
// Hann window: the 1D test signal of the report.
std::vector<double> windowed_chirp(std::size_t n, double f0 = 0.02, double f1 = 0.2);

}  // namespace wst::lab
