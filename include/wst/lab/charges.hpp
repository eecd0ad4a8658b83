// What solid-harmonic 3D scattering predicts: the electrostatic energy of random point charges
// (Eickenberg, Exarchakis, Hirn, Mallat & Thiry, J. Chem. Phys. 148, 2018, on molecules). A
// configuration of a few to a few tens of charges q_i at positions r_i is rendered as a density
// of Gaussian atoms on a periodic grid; the target is E = Σ_{i<j} q_i q_j / |r_i − r_j|, which does
// not change when the configuration is rotated or translated. Ridge regression on the 3D
// harmonic scattering invariants (docs/HARMONIC3D.md) is compared with ridge on two
// representations that are not rotation-invariant: the voxels, and the modulus of the Fourier
// transform (translation-invariant only). Learning curves (test RMSE against the training size)
// and the change of each model's prediction under random rotations and translations, measured
// on re-rendered densities (invariance then holds up to the sampling of the grid).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "wst/core/options.hpp"

namespace wst::lab {

struct ChargesConfig {
  std::size_t grid = 48;         // voxels per side, in [16, 64]
  int min_atoms = 4, max_atoms = 12;  // 2 ≤ min ≤ max ≤ 64
  double radius = 5;             // atoms lie in a ball of this radius (voxels) about the centre
  double min_distance = 2.5;     // between atoms (voxels), in [1, radius]
  double atom_sigma = 2;         // Gaussian width of an atom (voxels), in [1, grid/8]
  int J = 2, L = 2;              // the transform: 2^J ≤ grid/4, L in [0, 4]
  double sigma_0 = 1;            // (0, 4]
  std::vector<double> integral_powers{0.5, 1, 2};  // must hold 2
  std::vector<std::size_t> train_sizes{25, 50, 100, 200, 400};  // increasing, each ≥ 10
  std::size_t test_size = 200;   // ≥ 10
  std::size_t invariance_configs = 8;  // test configurations moved, ≥ 1
  int motions = 3;               // random rotations + translations of each, ≥ 1
  std::uint64_t seed = 1;
  ExecOptions exec;
};

// Throws UsageError naming the field and its allowed range.
void validate(const ChargesConfig& c);

struct ChargeConfiguration {
  std::vector<std::array<double, 3>> positions;  // voxel coordinates (axis 0, 1, 2)
  std::vector<double> charges;
};

// Σ_{i<j} q_i q_j / |r_i − r_j| (distances in voxels).
double coulomb_energy(const ChargeConfiguration& c);

// The density Σ_i q_i g_σ(u − r_i) on a periodic grid³ (g_σ the normalised 3D Gaussian, summed
// over the periodic images), C order.
std::vector<double> render_density(const ChargeConfiguration& c, std::size_t grid, double sigma);

// `c` rotated by the 3×3 matrix R about the grid centre, then translated by t (voxels).
ChargeConfiguration moved(const ChargeConfiguration& c, const std::array<double, 9>& R,
                          const std::array<double, 3>& t, std::size_t grid);

// The models, in the order of ChargesLearningPoint::rmse and ChargesResult::invariance:
// ridge on all the scattering invariants; on the first-order invariants of power 2 alone
// (Σ_u U1², quadratic in the density like the energy, and rotation-invariant to rounding when the
// density is band-limited, harmonic3d-formulas.md §13); on the voxels; on the Fourier modulus.
inline const char* const kChargesModels[] = {"scattering", "scattering order 1, p = 2", "voxels",
                                             "Fourier modulus"};

// The test RMSE of each model at one training size.
struct ChargesLearningPoint {
  std::size_t train = 0;
  std::vector<double> rmse;  // per model (kChargesModels)
};

// How one model's prediction (and its features) change when a configuration is rotated and
// translated, over invariance_configs × motions moves: the largest |ŷ(moved) − ŷ| / |ŷ|, the
// same relative to the standard deviation of E on the test set, and the largest
// ‖f(moved) − f‖ / ‖f‖ of the raw features. `shift_*`: whole-voxel periodic translations only.
struct ChargesInvariance {
  std::string name;
  double prediction = 0, prediction_vs_spread = 0, features = 0;
  double shift_prediction = 0, shift_features = 0;
};

struct ChargesResult {
  ChargesConfig config;
  std::vector<ChargesLearningPoint> learning;
  std::vector<ChargesInvariance> invariance;  // per model (kChargesModels)
  std::vector<std::size_t> features;          // per model: its number of features
  double energy_std = 0;                     // of the test targets
  // One test configuration's picture: the slice at the grid centre (axis 0) of its density and
  // of each first-order modulus U1[j, l] (index j·(L+1) + l), grid × grid each.
  std::vector<double> density_slice;
  std::vector<std::vector<double>> moduli_slices;
  std::size_t example_atoms = 0;
  double seconds = 0;
};

// Validates, draws the configurations (deterministic for a seed), computes the features, fits
// the models at every training size and measures the invariance.
ChargesResult charges(const ChargesConfig& c);

// The JSON `wst charges` writes, and a markdown summary.
nlohmann::ordered_json to_json(const ChargesResult& r);
std::string to_markdown(const ChargesResult& r);

}  // namespace wst::lab
