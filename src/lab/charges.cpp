// What solid-harmonic 3D scattering predicts: the energy of random point charges
// (wst/lab/charges.hpp; Eickenberg et al. 2018).
#include "wst/lab/charges.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>
#include <string>

#include "wst/core/fft.hpp"
#include "wst/core/harmonic_scattering_3d.hpp"
#include "wst/learn/features.hpp"
#include "wst/learn/ridge.hpp"
#include "wst/support/error.hpp"
#include "wst/support/splitmix.hpp"
#include "wst/support/format.hpp"
#include "wst/support/memory_budget.hpp"

namespace wst::lab {

namespace {

using json = nlohmann::ordered_json;
constexpr double kPi = std::numbers::pi;

void require(bool ok, const std::string& what) {
  if (!ok) throw UsageError(what);
}

// Charges ±[0.5, 2] at positions uniform in the ball, at least min_distance apart (rejection).
ChargeConfiguration random_configuration(const ChargesConfig& c, SplitMix& rng) {
  const int n = c.min_atoms + int(rng.uniform() * (c.max_atoms - c.min_atoms + 1));
  const double centre = double(c.grid) / 2;
  ChargeConfiguration out;
  for (int tries = 0; int(out.positions.size()) < n; ++tries) {
    if (tries > 100000)
      throw UsageError("min_distance=" + num(c.min_distance) + " is out of range: " +
                       std::to_string(n) + " atoms do not fit in a ball of radius " + num(c.radius));
    std::array<double, 3> p;
    for (double& v : p) v = (2 * rng.uniform() - 1) * c.radius;
    if (p[0] * p[0] + p[1] * p[1] + p[2] * p[2] > c.radius * c.radius) continue;
    for (double& v : p) v += centre;
    bool far = true;
    for (const auto& q : out.positions)
      far = far && std::hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) >= c.min_distance;
    if (!far) continue;
    out.positions.push_back(p);
    out.charges.push_back((rng.uniform() < 0.5 ? -1 : 1) * (0.5 + 1.5 * rng.uniform()));
  }
  return out;
}

// A uniformly distributed rotation (Shoemake's unit quaternion).
std::array<double, 9> random_rotation(SplitMix& rng) {
  const double u1 = rng.uniform(), u2 = rng.uniform(), u3 = rng.uniform();
  const double a = std::sqrt(1 - u1) * std::sin(2 * kPi * u2), b = std::sqrt(1 - u1) * std::cos(2 * kPi * u2),
               c = std::sqrt(u1) * std::sin(2 * kPi * u3), d = std::sqrt(u1) * std::cos(2 * kPi * u3);
  return {1 - 2 * (c * c + d * d), 2 * (b * c - a * d),     2 * (b * d + a * c),
          2 * (b * c + a * d),     1 - 2 * (b * b + d * d), 2 * (c * d - a * b),
          2 * (b * d - a * c),     2 * (c * d + a * b),     1 - 2 * (b * b + c * c)};
}

// The feature sets of a batch of densities (grid³ each, one after the other), one per model
// (kChargesModels): row-major, rows = configurations.
struct FeatureSet {
  std::vector<double> v;
  std::size_t cols = 0;
  bool per_column = true;  // standardised per column, or by one global scale
};
using Features = std::vector<FeatureSet>;

// |DFT3(ρ)| on the low frequencies |g_0|, |g_1| ≤ K, 0 ≤ g_2 ≤ K, K = grid/4: translation-
// invariant, not rotation-invariant.
FeatureSet fourier_modulus(const std::vector<double>& rho, std::size_t count, std::size_t G) {
  const int Gi = int(G);
  const FftPlan<double> plan(FftPlan<double>::Kind::r2c, {Gi, Gi, Gi});
  const std::size_t K = G / 4, h = G / 2 + 1;
  AlignedVector<double> x(G * G * G);
  AlignedVector<std::complex<double>> X(G * G * h);
  FeatureSet f{{}, (2 * K + 1) * (2 * K + 1) * (K + 1), false};
  for (std::size_t s = 0; s < count; ++s) {
    std::copy(rho.begin() + long(s * G * G * G), rho.begin() + long((s + 1) * G * G * G), x.begin());
    plan(x.data(), X.data());
    for (std::size_t a = 0; a < 2 * K + 1; ++a)
      for (std::size_t b = 0; b < 2 * K + 1; ++b)
        for (std::size_t c = 0; c <= K; ++c) {
          const std::size_t ka = (a + G - K) % G, kb = (b + G - K) % G;
          f.v.push_back(std::abs(X[(ka * G + kb) * h + c]));
        }
  }
  return f;
}

// The columns of the order-1 invariants of power 2 (§6's layout: path, l, power).
FeatureSet quadratic_part(const HarmonicScattering3D& S, const FeatureSet& all) {
  const auto& o = S.options();
  std::vector<std::size_t> cols;
  for (std::size_t path = 0; path < std::size_t(S.J() + 1); ++path)
    for (std::size_t l = 0; l <= std::size_t(o.L); ++l)
      for (std::size_t q = 0; q < o.integral_powers.size(); ++q)
        if (o.integral_powers[q] == 2) cols.push_back((path * std::size_t(o.L + 1) + l) * o.integral_powers.size() + q);
  FeatureSet f{{}, cols.size(), true};
  for (std::size_t r = 0; r < all.v.size() / all.cols; ++r)
    for (std::size_t c : cols) f.v.push_back(all.v[r * all.cols + c]);
  return f;
}

Features features_of(const HarmonicScattering3D& S, const std::vector<double>& rho, std::size_t count,
                     std::size_t G) {
  FeatureSet all{std::vector<double>(count * S.output_size()), S.output_size(), true};
  S(rho.data(), count, all.v.data());
  FeatureSet quadratic = quadratic_part(S, all);
  return {std::move(all), std::move(quadratic), FeatureSet{rho, G * G * G, false}, fourier_modulus(rho, count, G)};
}

// A ridge model on standardised features (per column, or by one global scale for the voxels
// and the Fourier modulus, whose columns far from the charges hardly vary), predicting in double.
struct Model {
  Eigen::RowVectorXd mean, scale;
  learn::Ridge ridge;
  double predict(const double* f, std::size_t n) const {
    double y = ridge.intercept();
    for (std::size_t k = 0; k < n; ++k) {
      const auto i = Eigen::Index(k);
      y += ridge.coef()(i) * ((f[k] - mean(i)) * scale(i));
    }
    return y;
  }
};

learn::FeatureMatrix standardised(const Model& m, const std::vector<double>& v, std::size_t rows,
                                  std::size_t cols, std::size_t first = 0) {
  learn::FeatureMatrix X(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) {
      const auto i = Eigen::Index(c);
      X(Eigen::Index(r), i) = float((v[(first + r) * cols + c] - m.mean(i)) * m.scale(i));
    }
  return X;
}

// Column means and scales (1/std per column, or 1/RMS of all centred entries) of rows [0, n).
void fit_scaling(const std::vector<double>& f, std::size_t cols, std::size_t n, bool per_column, Model& m) {
  m.mean = Eigen::RowVectorXd::Zero(Eigen::Index(cols));
  Eigen::RowVectorXd var = Eigen::RowVectorXd::Zero(Eigen::Index(cols));
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < cols; ++c) m.mean(Eigen::Index(c)) += f[r * cols + c] / double(n);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < cols; ++c) {
      const double d = f[r * cols + c] - m.mean(Eigen::Index(c));
      var(Eigen::Index(c)) += d * d / double(n);
    }
  const double total = std::sqrt(var.mean()), floor = 1e-12 * std::sqrt(var.maxCoeff());
  m.scale.resize(Eigen::Index(cols));
  for (std::size_t c = 0; c < cols; ++c) {
    const double sd = std::sqrt(var(Eigen::Index(c)));
    m.scale(Eigen::Index(c)) = per_column ? (sd > floor ? 1 / sd : 1.0) : (total > 0 ? 1 / total : 1.0);
  }
}

// Fits on rows [0, n) and returns the model and its test RMSE on rows [test_first, + test).
Model fit(const FeatureSet& set, const std::vector<double>& y, std::size_t n, std::size_t test_first,
          std::size_t test, std::uint64_t seed, double& rmse) {
  const std::vector<double>& f = set.v;
  const std::size_t cols = set.cols;
  Model m{{}, {}, learn::Ridge({.seed = seed})};
  fit_scaling(f, cols, n, set.per_column, m);
  m.ridge.fit(standardised(m, f, n, cols), std::vector<double>(y.begin(), y.begin() + long(n)));
  std::vector<double> pred, truth;
  for (std::size_t r = test_first; r < test_first + test; ++r) {
    pred.push_back(m.predict(f.data() + r * cols, cols));
    truth.push_back(y[r]);
  }
  rmse = learn::rmse(pred, truth);
  return m;
}

double relative_norm(const double* a, const double* b, std::size_t n) {
  double d = 0, s = 0;
  for (std::size_t i = 0; i < n; ++i) d += (a[i] - b[i]) * (a[i] - b[i]), s += b[i] * b[i];
  return std::sqrt(d / s);
}

}  // namespace

void validate(const ChargesConfig& c) {
  require(c.grid >= 16 && c.grid <= 64, "grid=" + std::to_string(c.grid) + " is out of range: must be in [16, 64]");
  require(c.min_atoms >= 2 && c.min_atoms <= c.max_atoms && c.max_atoms <= 64,
          "min_atoms=" + std::to_string(c.min_atoms) + ", max_atoms=" + std::to_string(c.max_atoms) +
              " are out of range: must have 2 <= min_atoms <= max_atoms <= 64");
  require(c.radius > 0 && c.radius <= double(c.grid) / 2, "radius=" + num(c.radius) + " is out of range: must be in (0, grid/2]");
  require(c.min_distance >= 1 && c.min_distance <= c.radius, "min_distance=" + num(c.min_distance) + " is out of range: must be in [1, radius]");
  require(c.atom_sigma >= 1 && c.atom_sigma <= double(c.grid) / 8, "atom_sigma=" + num(c.atom_sigma) + " is out of range: must be in [1, grid/8]");
  require(c.J >= 0 && (std::size_t(1) << std::min(c.J, 30)) * 4 <= c.grid, "J=" + std::to_string(c.J) + " is out of range: must have 0 <= J and 2^J <= grid/4");
  require(c.L >= 0 && c.L <= 4, "L=" + std::to_string(c.L) + " is out of range: must be in [0, 4]");
  require(std::find(c.integral_powers.begin(), c.integral_powers.end(), 2.0) != c.integral_powers.end(),
          "integral_powers must hold 2 (the quadratic invariants of the 'scattering order 1, p = 2' model)");
  require(c.sigma_0 > 0 && c.sigma_0 <= 4, "sigma_0=" + num(c.sigma_0) + " is out of range: must be in (0, 4]");
  require(!c.train_sizes.empty() && c.train_sizes.front() >= 10 && std::is_sorted(c.train_sizes.begin(), c.train_sizes.end()) &&
              std::adjacent_find(c.train_sizes.begin(), c.train_sizes.end()) == c.train_sizes.end() &&
              c.train_sizes.back() <= 100000,
          "train_sizes is out of range: must be increasing, each in [10, 100000]");
  require(c.test_size >= 10 && c.test_size <= 100000, "test_size=" + std::to_string(c.test_size) + " is out of range: must be in [10, 100000]");
  require(c.invariance_configs >= 1 && c.invariance_configs <= c.test_size,
          "invariance_configs=" + std::to_string(c.invariance_configs) + " is out of range: must be in [1, test_size]");
  require(c.motions >= 1 && c.motions <= 100, "motions=" + std::to_string(c.motions) + " is out of range: must be in [1, 100]");
  require(c.exec.threads >= 1, "exec.threads=" + std::to_string(c.exec.threads) + " is out of range: must be at least 1");
  const std::size_t n = c.train_sizes.back() + c.test_size, G3 = c.grid * c.grid * c.grid;
  check_memory(checked_bytes({n, G3}, 2 * sizeof(double)), "the charges experiment (" + std::to_string(n) +
               " densities of " + std::to_string(c.grid) + "^3)");
}

double coulomb_energy(const ChargeConfiguration& c) {
  double e = 0;
  for (std::size_t i = 0; i < c.charges.size(); ++i)
    for (std::size_t j = i + 1; j < c.charges.size(); ++j) {
      const auto &p = c.positions[i], &q = c.positions[j];
      e += c.charges[i] * c.charges[j] / std::hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
    }
  return e;
}

std::vector<double> render_density(const ChargeConfiguration& c, std::size_t G, double sigma) {
  std::vector<double> rho(G * G * G, 0.0), e[3];
  const double norm = std::pow(2 * kPi * sigma * sigma, -1.5);
  for (std::size_t i = 0; i < c.charges.size(); ++i) {
    for (int a = 0; a < 3; ++a) {  // the periodic 1D profiles
      e[a].assign(G, 0.0);
      for (std::size_t k = 0; k < G; ++k)
        for (int w = -2; w <= 2; ++w) {
          const double d = double(k) - c.positions[i][a] + double(w) * double(G);
          e[a][k] += std::exp(-d * d / (2 * sigma * sigma));
        }
    }
    const double q = c.charges[i] * norm;
    for (std::size_t a = 0; a < G; ++a)
      for (std::size_t b = 0; b < G; ++b) {
        const double ab = q * e[0][a] * e[1][b];
        double* row = rho.data() + (a * G + b) * G;
        for (std::size_t k = 0; k < G; ++k) row[k] += ab * e[2][k];
      }
  }
  return rho;
}

ChargeConfiguration moved(const ChargeConfiguration& c, const std::array<double, 9>& R,
                          const std::array<double, 3>& t, std::size_t grid) {
  const double centre = double(grid) / 2;
  ChargeConfiguration out = c;
  for (auto& p : out.positions) {
    const double u[3] = {p[0] - centre, p[1] - centre, p[2] - centre};
    for (int a = 0; a < 3; ++a) p[a] = R[3 * a] * u[0] + R[3 * a + 1] * u[1] + R[3 * a + 2] * u[2] + centre + t[a];
  }
  return out;
}

namespace {

struct Data {
  std::vector<ChargeConfiguration> configs;
  std::vector<double> energy, rho;
  Features f;
};

Data make_data(const ChargesConfig& c, const HarmonicScattering3D& S) {
  Data d;
  SplitMix rng{c.seed};
  const std::size_t n = c.train_sizes.back() + c.test_size, G3 = c.grid * c.grid * c.grid;
  d.rho.reserve(n * G3);
  for (std::size_t i = 0; i < n; ++i) {
    d.configs.push_back(random_configuration(c, rng));
    d.energy.push_back(coulomb_energy(d.configs.back()));
    const auto r = render_density(d.configs.back(), c.grid, c.atom_sigma);
    d.rho.insert(d.rho.end(), r.begin(), r.end());
  }
  d.f = features_of(S, d.rho, n, c.grid);
  return d;
}

// The invariance of one model: moves of the first test configurations, re-rendered.
ChargesInvariance measure(const std::string& name, const Model& m, const std::vector<double>& f0,
                          const std::vector<double>& f1, std::size_t cols, std::size_t moves,
                          std::size_t shifts, double spread) {
  ChargesInvariance inv{name, 0, 0, 0, 0, 0};
  const std::size_t per = moves + shifts;
  for (std::size_t k = 0; k * per < f1.size() / cols; ++k) {
    const double* base = f0.data() + k * cols;
    const double y0 = m.predict(base, cols);
    for (std::size_t i = 0; i < per; ++i) {
      const double* g = f1.data() + (k * per + i) * cols;
      const double dy = std::abs(m.predict(g, cols) - y0), df = relative_norm(g, base, cols);
      if (i < moves) {
        inv.prediction = std::max(inv.prediction, dy / std::abs(y0));
        inv.prediction_vs_spread = std::max(inv.prediction_vs_spread, dy / spread);
        inv.features = std::max(inv.features, df);
      } else {
        inv.shift_prediction = std::max(inv.shift_prediction, dy / std::abs(y0));
        inv.shift_features = std::max(inv.shift_features, df);
      }
    }
  }
  return inv;
}

// Each invariance configuration moved `motions` times (rotation + translation), then shifted by
// whole voxels once; all re-rendered.
std::vector<double> moved_densities(const ChargesConfig& c, const Data& d, std::size_t test_first) {
  SplitMix rng{c.seed ^ 0x5bd1e995ULL};
  std::vector<double> rho;
  for (std::size_t k = 0; k < c.invariance_configs; ++k) {
    const ChargeConfiguration& base = d.configs[test_first + k];
    for (int i = 0; i <= c.motions; ++i) {
      std::array<double, 3> t;
      for (double& v : t) v = i < c.motions ? (rng.uniform() - 0.5) * double(c.grid) : std::floor(rng.uniform() * double(c.grid));
      const std::array<double, 9> I = {1, 0, 0, 0, 1, 0, 0, 0, 1};
      const auto r = render_density(moved(base, i < c.motions ? random_rotation(rng) : I, t, c.grid), c.grid, c.atom_sigma);
      rho.insert(rho.end(), r.begin(), r.end());
    }
  }
  return rho;
}

void example_slices(const ChargesConfig& c, const HarmonicScattering3D& S, const Data& d,
                    std::size_t index, ChargesResult& r) {
  const std::size_t G = c.grid, G3 = G * G * G, mid = G / 2;
  const double* rho = d.rho.data() + index * G3;
  r.density_slice.assign(rho + mid * G * G, rho + (mid + 1) * G * G);
  const Array<double> U = S.moduli(rho);
  for (std::size_t m = 0; m < std::size_t((c.J + 1) * (c.L + 1)); ++m)
    r.moduli_slices.emplace_back(U.data.begin() + long(m * G3 + mid * G * G),
                                 U.data.begin() + long(m * G3 + (mid + 1) * G * G));
  r.example_atoms = d.configs[index].charges.size();
}

double stddev(const std::vector<double>& v, std::size_t first, std::size_t n) {
  double m = 0, s = 0;
  for (std::size_t i = first; i < first + n; ++i) m += v[i];
  m /= double(n);
  for (std::size_t i = first; i < first + n; ++i) s += (v[i] - m) * (v[i] - m);
  return std::sqrt(s / double(n));
}

}  // namespace

ChargesResult charges(const ChargesConfig& c) {
  validate(c);
  const auto t0 = std::chrono::steady_clock::now();
  const HarmonicScattering3D S(c.J, c.grid, c.grid, c.grid,
                               {.L = c.L, .sigma_0 = c.sigma_0, .integral_powers = c.integral_powers}, c.exec);
  const Data d = make_data(c, S);
  const std::size_t test_first = c.train_sizes.back(), models = d.f.size();
  ChargesResult r{c, {}, {}, {}, stddev(d.energy, test_first, c.test_size), {}, {}, 0, 0};
  std::vector<Model> best(models);
  for (std::size_t n : c.train_sizes) {
    ChargesLearningPoint p{n, std::vector<double>(models)};
    for (std::size_t m = 0; m < models; ++m) best[m] = fit(d.f[m], d.energy, n, test_first, c.test_size, c.seed, p.rmse[m]);
    r.learning.push_back(p);
  }
  const std::vector<double> rho = moved_densities(c, d, test_first);
  const Features moved_f = features_of(S, rho, rho.size() / (c.grid * c.grid * c.grid), c.grid);
  for (std::size_t m = 0; m < models; ++m) {
    const std::size_t cols = d.f[m].cols;
    const std::vector<double> base(d.f[m].v.begin() + long(test_first * cols),
                                   d.f[m].v.begin() + long((test_first + c.invariance_configs) * cols));
    r.invariance.push_back(measure(kChargesModels[m], best[m], base, moved_f[m].v, cols, std::size_t(c.motions), 1, r.energy_std));
    r.features.push_back(cols);
  }
  example_slices(c, S, d, test_first, r);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

json to_json(const ChargesResult& r) {
  const ChargesConfig& c = r.config;
  json learning = json::array(), invariance = json::array();
  for (const auto& p : r.learning) {
    json rmse = json::object();
    for (std::size_t m = 0; m < p.rmse.size(); ++m) rmse[kChargesModels[m]] = p.rmse[m];
    learning.push_back({{"train", p.train}, {"rmse", rmse}});
  }
  json features = json::object();
  for (std::size_t m = 0; m < r.features.size(); ++m) features[kChargesModels[m]] = r.features[m];
  for (const auto& v : r.invariance)
    invariance.push_back({{"model", v.name}, {"max_relative_prediction_change", v.prediction},
                          {"max_prediction_change_over_energy_std", v.prediction_vs_spread},
                          {"max_relative_feature_change", v.features},
                          {"shift_max_relative_prediction_change", v.shift_prediction},
                          {"shift_max_relative_feature_change", v.shift_features}});
  return {{"experiment", "charges"},
          {"config", {{"grid", c.grid}, {"min_atoms", c.min_atoms}, {"max_atoms", c.max_atoms},
                      {"radius", c.radius}, {"min_distance", c.min_distance}, {"atom_sigma", c.atom_sigma},
                      {"J", c.J}, {"L", c.L}, {"sigma_0", c.sigma_0}, {"integral_powers", c.integral_powers},
                      {"train_sizes", c.train_sizes}, {"test_size", c.test_size},
                      {"invariance_configs", c.invariance_configs}, {"motions", c.motions}, {"seed", c.seed}}},
          {"features", features},
          {"energy_std", r.energy_std}, {"learning_curve", learning}, {"invariance", invariance},
          {"seconds", r.seconds}};
}

std::string to_markdown(const ChargesResult& r) {
  const ChargesConfig& c = r.config;
  std::string s = "# What 3D harmonic scattering predicts: the energy of point charges\n\n";
  s += std::to_string(c.min_atoms) + "–" + std::to_string(c.max_atoms) + " charges ±[0.5, 2] in a ball of radius " +
       num(c.radius) + " voxels (at least " + num(c.min_distance) + " apart), Gaussian atoms of width " +
       num(c.atom_sigma) + " on a periodic " + std::to_string(c.grid) + "³ grid; target E = Σ q_i q_j / |r_i − r_j| "
       "(standard deviation " + num("%.3f", r.energy_std) + " on the test set). Ridge (α by 5-fold CV) on "
       "standardised features: 3D harmonic scattering (J = " + std::to_string(c.J) + ", L = " + std::to_string(c.L) +
       ", sigma_0 = " + num(c.sigma_0) + "; all " + std::to_string(r.features[0]) + " invariants, or the " +
       std::to_string(r.features[1]) + " of order 1 and power 2), voxels (" + std::to_string(r.features[2]) +
       "), Fourier modulus (" + std::to_string(r.features[3]) + " low frequencies).\n\n";
  s += "| training configurations";
  for (const char* m : kChargesModels) s += std::string(" | ") + m + " RMSE";
  s += " |\n|--:|--:|--:|--:|--:|\n";
  for (const auto& p : r.learning) {
    s += "| " + std::to_string(p.train);
    for (double e : p.rmse) s += " | " + num("%.4f", e);
    s += " |\n";
  }
  s += "\nChange of the prediction when " + std::to_string(c.invariance_configs) + " test configurations are "
       "rotated and translated (" + std::to_string(c.motions) + " random moves each, re-rendered), and when shifted "
       "by whole voxels:\n\n| model | max \\|Δŷ\\|/\\|ŷ\\| | max \\|Δŷ\\|/std(E) | max ‖Δf‖/‖f‖ | whole-voxel shift: \\|Δŷ\\|/\\|ŷ\\| |\n"
       "|---|--:|--:|--:|--:|\n";
  for (const auto& v : r.invariance)
    s += "| " + v.name + " | " + num("%.2e", v.prediction) + " | " + num("%.2e", v.prediction_vs_spread) + " | " +
         num("%.2e", v.features) + " | " + num("%.2e", v.shift_prediction) + " |\n";
  return s + "\n" + num("%.1f", r.seconds) + " s.\n";
}

}  // namespace wst::lab
