// Reconstruction from scattering by gradient descent (Bruna & Mallat 2013, §3.1): minimise
// E(x) = ‖S x − S y‖² / ‖S y‖², ∇E(x) = 2·J_Sᵀ(S x − S y) / ‖S y‖² (the reverse pass).
#include "wst/lab/reconstruction.hpp"

#include <lbfgs.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <memory>
#include <numbers>
#include <random>
#include <variant>

#include "wst/core/fourier.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/support/error.hpp"
#include "wst/support/format.hpp"

namespace wst::lab {

namespace {

using Clock = std::chrono::steady_clock;

double sum_sq(const std::vector<double>& v) {
  double s = 0;
  for (double a : v) s += a * a;
  return s;
}

using Transform = std::variant<Scattering1D, Scattering2D>;

Transform make_transform(const Shape& shape, const ReconstructionConfig& c) {
  if (shape.size() == 1)
    return Transform(std::in_place_type<Scattering1D>, c.J, shape[0], Q1D{c.Q, 1}, 0, c.order, c.exec);
  ExecOptions one = c.exec;
  one.lanes = 1;  // one image a call: eight interleaved lanes would compute seven for nothing
  return Transform(std::in_place_type<Scattering2D>, c.J, shape[0], shape[1], c.L, c.order, one);
}

// E(x) and ∇E(x) for one target, through the 1D or the 2D transform.
class Objective {
 public:
  Objective(const Array<double>& target, const ReconstructionConfig& c)
      : shape_(target.shape), transform_(make_transform(target.shape, c)) {
    Sy_ = scatter(target.data.data());
    norm_ = sum_sq(Sy_.data);
  }

  std::size_t coefficients() const { return Sy_.size(); }

  // Returns E(x) and writes ∇E(x) to g.
  double operator()(const double* x, double* g) {
    ++evaluations;
    const Array<double> Sx = scatter(x);
    Array<double> d(Sx.shape);
    for (std::size_t i = 0; i < d.size(); ++i) d.data[i] = Sx.data[i] - Sy_.data[i];
    const double E = sum_sq(d.data) / norm_;
    for (double& v : d.data) v *= 2 / norm_;
    std::visit([&](const auto& S) { S.backward(x, d.data.data(), 1, g); }, transform_);
    return E;
  }

  int evaluations = 0;

 private:
  Array<double> scatter(const double* x) const {
    return std::visit([&](const auto& S) { return S(Array<double>(shape_, {x, x + shape_size(shape_)})); },
                      transform_);
  }

  Shape shape_;
  Transform transform_;
  Array<double> Sy_;
  double norm_ = 1;
};

// The Hilbert transform H y (ŷ(ω) times −i·sign ω; DC and Nyquist bins zeroed): the
// analytic signal is y + i·H y, and y_φ = cos φ·y + sin φ·H y turns its phase by φ.
std::vector<double> hilbert(const Array<double>& y) {
  Array<std::complex<double>> Y = rfft(y);
  for (std::size_t k = 0; k < Y.size(); ++k)
    Y.data[k] = (k == 0 || 2 * k == y.size()) ? 0.0 : std::complex<double>(0, -1) * Y.data[k];
  return irfft(Y, y.size()).data;
}

// Keeps the history and decides when to stop; shared by both optimisers.
struct Run {
  Run(const ReconstructionConfig& c_, const Array<double>& target_, Objective& objective_,
      const std::function<void(const ReconstructionStep&)>& on_step_)
      : c(c_), target(target_), objective(objective_), on_step(on_step_) {}

  const ReconstructionConfig& c;
  const Array<double>& target;
  Objective& objective;
  const std::function<void(const ReconstructionStep&)>& on_step;
  Clock::time_point t0 = Clock::now();
  double target_norm = std::sqrt(sum_sq(target.data));
  std::vector<double> hy = target.ndim() == 1 ? hilbert(target) : std::vector<double>{};
  std::vector<ReconstructionStep> history;
  std::vector<double> best, best_start;
  double best_E = INFINITY;
  std::exception_ptr error;  // thrown by on_step: stops the run, rethrown by reconstruct()
  // The current start: its number, its first iteration, its white noise, and the stall watch
  // (the error it last lowered by 1 % and when).
  int attempt = -1, offset = 0, mark_it = 0;
  double mark_error = INFINITY;
  std::vector<double> start;
  bool stalled = false;

  // Starts descent number attempt + 1 from x0 at iteration `first`.
  void begin(int first, std::vector<double> x0) {
    ++attempt, offset = first, mark_it = first, mark_error = INFINITY, stalled = false;
    start = std::move(x0);
  }

  // min(‖x − y‖, ‖x + y‖, ‖x − y_φ‖) / ‖y‖ with φ = arg(⟨x, y⟩ + i⟨x, H y⟩), the phase of
  // best fit (exact when y ⟂ H y and ‖H y‖ = ‖y‖, as for a zero-mean signal).
  double signal_error(const double* x) const {
    const std::vector<double>& y = target.data;
    double xx = 0, xy = 0, yy = 0, xh = 0, hh = 0, yh = 0;
    for (std::size_t i = 0; i < y.size(); ++i) xx += x[i] * x[i], xy += x[i] * y[i], yy += y[i] * y[i];
    double e2 = xx + yy - 2 * std::abs(xy);
    if (!hy.empty()) {
      for (std::size_t i = 0; i < y.size(); ++i) xh += x[i] * hy[i], hh += hy[i] * hy[i], yh += y[i] * hy[i];
      const double phi = std::atan2(xh, xy), c = std::cos(phi), s = std::sin(phi);
      e2 = std::min(e2, xx - 2 * (c * xy + s * xh) + c * c * yy + 2 * c * s * yh + s * s * hh);
    }
    return std::sqrt(std::max(e2, 0.0)) / target_norm;
  }

  // Records iterate k of the current start, of value E; true when this descent should stop (the
  // tolerance is met, on_step threw, or it has stalled: `stalled` says which).
  bool record(int k, const double* x, double E) {
    const int it = offset + k;
    ReconstructionStep s{it, attempt, std::sqrt(E), signal_error(x), objective.evaluations,
                         std::chrono::duration<double>(Clock::now() - t0).count()};
    history.push_back(s);
    if (E < best_E) best_E = E, best.assign(x, x + target.size()), best_start = start;
    if (s.scattering_error < 0.99 * mark_error) mark_error = s.scattering_error, mark_it = it;
    if (on_step) {
      try {  // never through libLBFGS's C frames
        on_step(s);
      } catch (...) {
        error = std::current_exception();
        return true;
      }
    }
    if (s.scattering_error <= c.tolerance) return true;
    stalled = c.patience > 0 && it - mark_it >= c.patience && it < c.iterations;
    return stalled;
  }
};

std::string lbfgs_status(int code) {
  switch (code) {
    case LBFGS_SUCCESS: return "gradient vanished";
    case LBFGS_STOP: return "tolerance";
    case LBFGS_ALREADY_MINIMIZED: return "already minimal";
    case LBFGSERR_MAXIMUMITERATION: return "iterations";
    case LBFGSERR_ROUNDING_ERROR: return "rounding errors stopped the line search";
    case LBFGSERR_MINIMUMSTEP: case LBFGSERR_MAXIMUMSTEP: return "line search step at its bound";
    case LBFGSERR_MAXIMUMLINESEARCH: return "line search failed";
    default: return "libLBFGS status " + std::to_string(code);
  }
}

// At most `iterations` iterations from x.
std::string run_lbfgs(Run& run, std::vector<double>& x, int iterations) {
  const int n = int(x.size());
  std::unique_ptr<lbfgsfloatval_t, void (*)(lbfgsfloatval_t*)> v(lbfgs_malloc(n), lbfgs_free);
  if (!v) throw std::bad_alloc();
  std::copy(x.begin(), x.end(), v.get());
  lbfgs_parameter_t p;
  lbfgs_parameter_init(&p);
  p.m = 10;
  p.epsilon = 0;  // stop on iterations or tolerance only
  p.max_iterations = iterations;
  auto evaluate = [](void* r, const lbfgsfloatval_t* xv, lbfgsfloatval_t* g, int, lbfgsfloatval_t) {
    return static_cast<Run*>(r)->objective(xv, g);
  };
  auto progress = [](void* r, const lbfgsfloatval_t* xv, const lbfgsfloatval_t*, lbfgsfloatval_t E,
                     lbfgsfloatval_t, lbfgsfloatval_t, lbfgsfloatval_t, int, int k, int) {
    return static_cast<Run*>(r)->record(k, xv, E) ? 1 : 0;
  };
  lbfgsfloatval_t E = 0;
  const int code = lbfgs(n, v.get(), &E, evaluate, progress, &run, &p);
  if (code == LBFGSERR_OUTOFMEMORY) throw std::bad_alloc();
  if (code == LBFGSERR_MAXIMUMITERATION) return std::to_string(run.c.iterations) + " iterations";
  return lbfgs_status(code);
}

// Adam (Kingma & Ba 2015, Algorithm 1): β1 = 0.9, β2 = 0.999, ε = 1e-8, step α·std(y).
std::string run_adam(Run& run, std::vector<double>& x, int iterations, double step) {
  const std::size_t n = x.size();
  std::vector<double> g(n), m(n, 0.0), v(n, 0.0);
  const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
  double E = run.objective(x.data(), g.data());
  for (int k = 1; k <= iterations; ++k) {
    const double c1 = 1 - std::pow(b1, k), c2 = 1 - std::pow(b2, k);
    for (std::size_t i = 0; i < n; ++i) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      x[i] -= step * (m[i] / c1) / (std::sqrt(v[i] / c2) + eps);
    }
    E = run.objective(x.data(), g.data());
    if (run.record(k, x.data(), E)) return "tolerance";
  }
  return std::to_string(run.c.iterations) + " iterations";
}

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double a : v) s += a;
  return s / double(v.size());
}

}  // namespace

Optimizer parse_optimizer(std::string_view name) {
  if (name == "lbfgs") return Optimizer::lbfgs;
  if (name == "adam") return Optimizer::adam;
  throw UsageError("--method " + std::string(name) + ": must be lbfgs or adam");
}

std::string optimizer_name(Optimizer o) { return o == Optimizer::lbfgs ? "lbfgs" : "adam"; }

void validate(const ReconstructionConfig& c, const Array<double>& target) {
  if (target.ndim() != 1 && target.ndim() != 2)
    throw InputError("the target has shape " + shape_string(target.shape) +
                     ": reconstruction needs a signal (N,) or an image (M, N)");
  const std::size_t size = *std::min_element(target.shape.begin(), target.shape.end());
  if (c.J < 1 || c.J >= 63 || (std::size_t(1) << c.J) > size)
    throw UsageError("--J " + std::to_string(c.J) + ": must be in 1 … " +
                     std::to_string(size ? int(std::log2(double(size))) : 0) +
                     " for a target of shape " + shape_string(target.shape));
  if (c.order != 1 && c.order != 2)
    throw UsageError("--order " + std::to_string(c.order) + ": must be 1 or 2");
  if (c.L < 1 || c.L > 64) throw UsageError("--L " + std::to_string(c.L) + ": must be in 1 … 64");
  if (c.Q < 1 || c.Q > 64) throw UsageError("--Q " + std::to_string(c.Q) + ": must be in 1 … 64");
  if (c.patience < 0)
    throw UsageError("--patience " + std::to_string(c.patience) + ": must be >= 0 (0: never restart)");
  if (c.iterations < 1)
    throw UsageError("--iterations " + std::to_string(c.iterations) + ": must be >= 1");
  if (!(c.tolerance >= 0) || !std::isfinite(c.tolerance))
    throw UsageError("--tolerance " + num("%g", c.tolerance) + ": must be a finite number >= 0");
  if (!(c.learning_rate > 0) || !std::isfinite(c.learning_rate))
    throw UsageError("--learning-rate " + num("%g", c.learning_rate) + ": must be a finite number > 0");
  for (double v : target.data)
    if (!std::isfinite(v)) throw InputError("the target holds NaN or infinity");
  const auto [lo, hi] = std::minmax_element(target.data.begin(), target.data.end());
  if (*lo == *hi) throw InputError("the target is constant: there is nothing to reconstruct");
}

ReconstructionResult reconstruct(const Array<double>& target, const ReconstructionConfig& c,
                                 const std::function<void(const ReconstructionStep&)>& on_step) {
  validate(c, target);
  ReconstructionResult r;
  r.config = c;
  r.target = target;
  Objective objective(target, c);
  r.coefficients = objective.coefficients();
  const double mean = mean_of(target.data);
  double var = 0;
  for (double v : target.data) var += (v - mean) * (v - mean);
  const double sd = std::sqrt(var / double(target.size()));
  std::mt19937_64 rng(c.seed);
  std::normal_distribution<double> noise(mean, sd);
  r.start = Array<double>(target.shape);
  for (double& v : r.start.data) v = noise(rng);

  Run run{c, target, objective, on_step};
  // One descent per start; a stalled one hands what is left of the budget to fresh noise.
  for (int first = 0;;) {
    std::vector<double> x = r.start.data, g(x.size());
    if (first > 0)
      for (double& v : x) v = noise(rng);
    run.begin(first, x);
    const int budget = c.iterations - first;
    if (run.record(0, x.data(), objective(x.data(), g.data())) && !run.stalled)
      r.stopped = "tolerance";
    else
      r.stopped = c.optimizer == Optimizer::lbfgs ? run_lbfgs(run, x, budget)
                                                  : run_adam(run, x, budget, c.learning_rate * sd);
    if (run.error) std::rethrow_exception(run.error);
    if (!run.stalled) break;
    first = run.history.back().iteration + 1;
    r.restarts++;
    if (first >= c.iterations) {
      r.stopped = std::to_string(c.iterations) + " iterations";
      break;
    }
  }
  r.start = Array<double>(target.shape, run.best_start);
  r.signal = Array<double>(target.shape, run.best);
  r.history = std::move(run.history);
  r.seconds = std::chrono::duration<double>(Clock::now() - run.t0).count();
  return r;
}

const ReconstructionStep& best_step(const ReconstructionResult& r) {
  if (r.history.empty()) throw UsageError("best_step: the result holds no iterate");
  return *std::min_element(r.history.begin(), r.history.end(), [](const auto& a, const auto& b) {
    return a.scattering_error < b.scattering_error;
  });
}

nlohmann::ordered_json to_json(const ReconstructionResult& r) {
  const auto& c = r.config;
  nlohmann::ordered_json j;
  j["config"] = {{"J", c.J}, {"order", c.order}, {"L", c.L}, {"Q", c.Q},
                 {"method", optimizer_name(c.optimizer)}, {"iterations", c.iterations},
                 {"tolerance", c.tolerance}, {"learning_rate", c.learning_rate}, {"seed", c.seed},
                 {"patience", c.patience}};
  j["shape"] = r.target.shape;
  j["coefficients"] = r.coefficients;
  j["restarts"] = r.restarts;
  j["stopped"] = r.stopped;
  j["seconds"] = r.seconds;
  const ReconstructionStep& b = best_step(r);
  j["final"] = {{"iteration", b.iteration}, {"scattering_error", b.scattering_error},
                {"signal_error", b.signal_error}, {"evaluations", r.history.back().evaluations}};
  auto& h = j["history"] = nlohmann::ordered_json::array();
  for (const auto& s : r.history)
    h.push_back({{"iteration", s.iteration}, {"start", s.start},
                 {"scattering_error", s.scattering_error},
                 {"signal_error", s.signal_error}, {"evaluations", s.evaluations},
                 {"seconds", s.seconds}});
  return j;
}

Array<double> aligned_signal(const ReconstructionResult& r) {
  const std::vector<double>& x = r.signal.data;
  const std::vector<double>& y = r.target.data;
  double xy = 0, minus = 0, plus = 0;
  for (std::size_t i = 0; i < y.size(); ++i)
    xy += x[i] * y[i], minus += (x[i] - y[i]) * (x[i] - y[i]), plus += (x[i] + y[i]) * (x[i] + y[i]);
  Array<double> out = r.signal;
  if (plus < minus)
    for (double& v : out.data) v = -v;
  if (r.target.ndim() != 1) return out;
  // x ≈ cos φ·y + sin φ·H y  ⇒  cos φ·x − sin φ·H x ≈ y (H H y = −y for a zero-mean y).
  const std::vector<double> hy = hilbert(r.target), hx = hilbert(r.signal);
  double xh = 0, turned = 0;
  for (std::size_t i = 0; i < y.size(); ++i) xh += x[i] * hy[i];
  const double phi = std::atan2(xh, xy), c = std::cos(phi), s = std::sin(phi);
  std::vector<double> t(y.size());
  for (std::size_t i = 0; i < y.size(); ++i)
    t[i] = c * x[i] - s * hx[i], turned += (t[i] - y[i]) * (t[i] - y[i]);
  // Only a real gain turns x: a phase fitted to rounding noise (x = c·y) must not decide.
  if (turned < (1 - 1e-9) * std::min(plus, minus)) out.data = std::move(t);
  return out;
}

std::vector<double> windowed_chirp(std::size_t n, double f0, double f1) {
  std::vector<double> x(n);
  const double N = double(n);
  for (std::size_t k = 0; k < n; ++k) {
    const double t = double(k);
    const double hann = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * t / N);
    x[k] = hann * std::cos(2 * std::numbers::pi * (f0 * t + 0.5 * (f1 - f0) / N * t * t));
  }
  return x;
}

}  // namespace wst::lab
