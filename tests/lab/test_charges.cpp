// lab/charges: the energy and densities of point charges, and what 3D harmonic scattering
// predicts: the quadratic invariants' model is rotation- and translation-invariant to 1e-6, the
// voxels' is not; learning beats the voxels. Small sizes: grid 32, J = 1, 30 configurations.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <string>

#include "test_support.hpp"
#include "wst/lab/charges.hpp"
#include "wst/support/error.hpp"

namespace {

using wst::lab::ChargesConfig;

ChargesConfig small() {
  ChargesConfig c;
  c.grid = 32;
  c.radius = 4;
  c.min_distance = 2;
  c.atom_sigma = 2.5;  // band-limited to e^{-σ²π²/2} ≈ 4e-14 at the Nyquist frequency
  c.min_atoms = 3;
  c.max_atoms = 6;
  c.J = 1;
  c.train_sizes = {10, 20};
  c.test_size = 10;
  c.invariance_configs = 2;
  c.motions = 2;
  c.exec.threads = 2;
  c.exec.planning = wst::Planning::estimate;
  return c;
}

const wst::lab::ChargesResult& result() {
  static const wst::lab::ChargesResult r = wst::lab::charges(small());
  return r;
}

TEST(LabCharges, EnergyAndDensity) {
  wst::lab::ChargeConfiguration c;
  c.positions = {{10, 10, 10}, {13, 14, 10}, {10, 10, 16}};
  c.charges = {1.5, -1, 0.5};
  const double e = 1.5 * -1 / 5.0 + 1.5 * 0.5 / 6.0 + -1 * 0.5 / std::sqrt(9.0 + 16 + 36);
  EXPECT_NEAR(wst::lab::coulomb_energy(c), e, 1e-15);
  const std::array<double, 9> R = {0, -1, 0, 1, 0, 0, 0, 0, 1};  // 90° about axis 2
  EXPECT_NEAR(wst::lab::coulomb_energy(wst::lab::moved(c, R, {3.5, -2, 1}, 32)), e, 1e-14);
  const auto rho = wst::lab::render_density(c, 24, 2);
  EXPECT_NEAR(std::accumulate(rho.begin(), rho.end(), 0.0), 1.0, 1e-9);  // Σ q: periodic sums
  // A whole-voxel periodic shift moves the samples.
  const auto shifted = wst::lab::render_density(wst::lab::moved(c, {1, 0, 0, 0, 1, 0, 0, 0, 1}, {0, 0, 20}, 24), 24, 2);
  double err = 0;
  for (std::size_t i = 0; i < rho.size(); ++i) {
    const std::size_t k = i % 24, j = (i - k + (k + 20) % 24);
    err = std::max(err, std::abs(shifted[j] - rho[i]));
  }
  EXPECT_LT(err, 1e-14);
}

TEST(LabCharges, QuadraticInvariantsPredictionIsInvariantVoxelsAreNot) {
  const auto& r = result();
  ASSERT_EQ(r.invariance.size(), 4u);
  for (const auto& v : r.invariance) std::printf("[charges] %-28s move %.2e shift %.2e\n", v.name.c_str(), v.prediction, v.shift_prediction);
  EXPECT_LT(r.invariance[1].prediction, 1e-6);        // scattering order 1, p = 2
  EXPECT_LT(r.invariance[1].shift_prediction, 1e-9);
  EXPECT_LT(r.invariance[0].features, 1e-2);          // all invariants: up to the grid
  EXPECT_LT(r.invariance[0].shift_features, 1e-8);    // whole-voxel shifts: rounding (p = 1/2 of ~0)
  EXPECT_GT(r.invariance[2].prediction, 1e-2);        // voxels move with the charges
  EXPECT_GT(r.invariance[3].features, 1e-2);          // the Fourier modulus turns with them
  EXPECT_LT(r.invariance[3].shift_features, 1e-12);   // but not with whole-voxel shifts
}

TEST(LabCharges, ScatteringLearnsTheEnergyBetterThanVoxels) {
  const auto& r = result();
  ASSERT_EQ(r.learning.size(), 2u);
  ASSERT_EQ(r.learning.back().rmse.size(), 4u);
  EXPECT_GT(r.energy_std, 0);
  const auto& last = r.learning.back().rmse;
  EXPECT_LT(last[1], 0.7 * r.energy_std);
  EXPECT_LT(last[1], last[2]);
  EXPECT_EQ(r.features, (std::vector<std::size_t>{3 * 3 * 3, 2 * 3, 32 * 32 * 32, 17 * 17 * 9}));
  EXPECT_EQ(r.moduli_slices.size(), 6u);
  EXPECT_EQ(r.density_slice.size(), 32u * 32);
  const auto j = wst::lab::to_json(r);
  EXPECT_EQ(j["learning_curve"].size(), 2u);
  EXPECT_NE(wst::lab::to_markdown(r).find("| 20 |"), std::string::npos);
}

TEST(LabCharges, BadConfigurationsAreNamed) {
  auto message = [](auto change) {
    ChargesConfig c = small();
    change(c);
    return wst::test::message_of<wst::UsageError>([&] { wst::lab::validate(c); });
  };
  EXPECT_NE(message([](ChargesConfig& c) { c.grid = 8; }).find("grid=8 is out of range"), std::string::npos);
  EXPECT_NE(message([](ChargesConfig& c) { c.J = 4; }).find("J=4"), std::string::npos);
  EXPECT_NE(message([](ChargesConfig& c) { c.train_sizes = {20, 10}; }).find("train_sizes"), std::string::npos);
  EXPECT_NE(message([](ChargesConfig& c) { c.integral_powers = {1}; }).find("must hold 2"), std::string::npos);
  EXPECT_NE(message([](ChargesConfig& c) { c.min_atoms = 1; }).find("min_atoms=1"), std::string::npos);
  EXPECT_NE(message([](ChargesConfig& c) { c.atom_sigma = 0.5; }).find("atom_sigma"), std::string::npos);
}

}  // namespace
