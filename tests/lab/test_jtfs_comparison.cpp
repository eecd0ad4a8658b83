// lab/jtfs_comparison: time scattering cannot tell an up-chirp from a down-chirp, nor aligned bands
// from bands delayed in proportion to their log-frequency; JTFS can (Andén, Lostanlen & Mallat
// 2019). Small sizes: N = 4096, J = 9.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "test_support.hpp"
#include "wst/lab/jtfs_comparison.hpp"
#include "wst/support/error.hpp"

namespace {

using wst::lab::JtfsComparisonConfig;

JtfsComparisonConfig small() {
  JtfsComparisonConfig c;
  c.N = 4096;
  c.J = 9;
  c.exec.threads = 2;
  c.exec.planning = wst::Planning::estimate;
  return c;
}

const wst::lab::JtfsComparisonResult& result() {
  static const wst::lab::JtfsComparisonResult r = wst::lab::compare_jtfs(small());
  return r;
}

TEST(LabJtfsComparison, TimeScatteringBarelyMovesWhileJtfsSeesTheDifference) {
  const auto& r = result();
  ASSERT_EQ(r.pairs.size(), 2u);
  for (const auto& p : r.pairs) {
    SCOPED_TRACE(p.name);
    EXPECT_GT(p.signal, 1.0);             // the signals themselves are far apart
    EXPECT_LT(p.time_scattering, 0.06);   // time scattering barely sees it
    EXPECT_GT(p.jtfs, 0.15);              // JTFS does
    EXPECT_LT(p.time_scattering_order2, 0.06);
    EXPECT_GT(p.jtfs_order2, 3 * p.time_scattering_order2);
  }
  EXPECT_GT(r.pairs[0].jtfs, 8 * r.pairs[0].time_scattering);  // chirps
  EXPECT_GT(r.pairs[1].jtfs, 4 * r.pairs[1].time_scattering);  // delayed bands
  EXPECT_EQ(r.pairs[0].x_name, "up-chirp");
  EXPECT_EQ(r.pairs[1].y_name, "delayed bands");
  EXPECT_GT(r.time_channels, 0u);
  EXPECT_GT(r.jtfs_channels, r.time_channels);
  EXPECT_EQ(r.output_length, 4096u / 512u);
}

TEST(LabJtfsComparison, TheChirpsLightOppositeSpins) {
  const auto& r = result();
  const auto& up = r.up_map;
  const auto& down = r.down_map;
  ASSERT_FALSE(up.xi_fr.empty());
  ASSERT_FALSE(up.xi2.empty());
  EXPECT_EQ(up.plus.size(), up.xi_fr.size() * up.xi2.size());
  EXPECT_EQ(up.minus.size(), up.plus.size());
  EXPECT_EQ(up.j2.size(), up.xi2.size());
  EXPECT_TRUE(std::is_sorted(up.xi_fr.begin(), up.xi_fr.end()));
  EXPECT_TRUE(std::is_sorted(up.xi2.begin(), up.xi2.end()));
  // The up-chirp's energy goes to spin +1, the down-chirp's to spin −1, by a clear factor.
  EXPECT_GT(up.total_plus(), 1.4 * up.total_minus());
  EXPECT_GT(down.total_minus(), 1.4 * down.total_plus());
  // Time reversal swaps the spins and nothing else (to the sampling of the output).
  EXPECT_NEAR(up.total_plus(), down.total_minus(), 0.02 * up.total_plus());
  EXPECT_NEAR(up.spin0, down.spin0, 0.02 * up.spin0);
}

TEST(LabJtfsComparison, SignalsAreTheDescribedOnes) {
  const auto c = small();
  const auto s = wst::lab::jtfs_signals(c);
  ASSERT_EQ(s.up.size(), c.N);
  EXPECT_EQ(s.chirp_length, 128u);
  // The down-chirp is the up-chirp reversed in time about N/4.
  const std::size_t start = c.N / 4 - s.chirp_length / 2;
  for (std::size_t k = 0; k < s.chirp_length; ++k)
    ASSERT_EQ(s.down[start + k], s.up[start + s.chirp_length - 1 - k]);
  EXPECT_EQ(s.up[start - 1], 0.0);
  EXPECT_EQ(s.up[start + s.chirp_length], 0.0);
  // Atoms half an octave apart, delays proportional to log-frequency in ±T/8.
  ASSERT_EQ(s.atom_frequencies.size(), 7u);
  EXPECT_DOUBLE_EQ(s.atom_frequencies.back(), 0.35);
  for (std::size_t k = 1; k < 7; ++k) {
    EXPECT_NEAR(s.atom_frequencies[k] / s.atom_frequencies[k - 1], std::sqrt(2.0), 1e-12);
    EXPECT_NEAR(s.atom_delays[k] - s.atom_delays[k - 1], 512.0 / 4 / 6, 1e-9);
  }
  EXPECT_DOUBLE_EQ(s.atom_delays.front(), -64.0);
  // Deterministic for a seed; another seed changes the phases.
  EXPECT_EQ(wst::lab::jtfs_signals(c).delayed, s.delayed);
  auto other = c;
  other.seed = 7;
  EXPECT_NE(wst::lab::jtfs_signals(other).aligned, s.aligned);
}

void expect_usage(const JtfsComparisonConfig& c, const std::string& field) {
  try {
    wst::lab::validate(c);
    ADD_FAILURE() << "no error for a bad " << field;
  } catch (const wst::UsageError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(field, 0), 0u) << e.what();
  }
}

TEST(LabJtfsComparison, BadConfigsThrowNamingTheField) {
  EXPECT_NO_THROW(wst::lab::validate(small()));
  auto c = small();
  c.N = 3000;
  expect_usage(c, "N");
  c.N = 512;
  expect_usage(c, "N");
  c = small(), c.J = 6;
  expect_usage(c, "J");
  c = small(), c.J = 13;  // 2^13 > N
  expect_usage(c, "J");
  c = small(), c.Q = 3;
  expect_usage(c, "Q");
  c = small(), c.Q2 = 9;
  expect_usage(c, "Q2");
  c = small(), c.J_fr = 0;
  expect_usage(c, "J_fr");
  c = small(), c.J_fr = 7;
  expect_usage(c, "J_fr");
  c = small(), c.Q_fr = 5;
  expect_usage(c, "Q_fr");
  c = small(), c.sample_rate = 0;
  expect_usage(c, "sample_rate");
  c.sample_rate = std::numeric_limits<double>::quiet_NaN();
  expect_usage(c, "sample_rate");
  c = small(), c.exec.threads = 0;
  expect_usage(c, "exec.threads");
  c = small(), c.J = 13;
  EXPECT_THROW(wst::lab::compare_jtfs(c), wst::UsageError);
}

TEST(LabJtfsComparison, ScaleRateMapChecksItsInput) {
  const auto c = small();
  const auto jtfs = wst::lab::comparison_jtfs(c);
  EXPECT_THROW(wst::lab::scale_rate_map(jtfs, std::vector<double>(100, 0.0)), wst::UsageError);
  const auto s = wst::lab::jtfs_signals(c);
  const auto map = wst::lab::scale_rate_map(jtfs, s.up);
  EXPECT_EQ(map.plus, result().up_map.plus);  // the same numbers as in the experiment
  wst::TimeFrequencyScatteringOptions joint;
  joint.Q = {c.Q, c.Q2};
  joint.format = wst::JtfsFormat::joint;
  const wst::TimeFrequencyScattering j(c.J, c.J_fr, c.N, joint, c.exec);
  EXPECT_THROW(wst::lab::scale_rate_map(j, s.up), wst::UsageError);
}

TEST(LabJtfsComparison, JsonAndMarkdownHoldTheNumbers) {
  const auto& r = result();
  const auto j = wst::lab::to_json(r);
  EXPECT_EQ(j["experiment"], "compare-jtfs");
  EXPECT_EQ(j["config"]["N"], 4096);
  EXPECT_EQ(j["config"]["T"], 512);
  ASSERT_EQ(j["pairs"].size(), 2u);
  EXPECT_EQ(j["pairs"][0]["name"], "chirps");
  EXPECT_DOUBLE_EQ(j["pairs"][0]["time_scattering"].get<double>(), r.pairs[0].time_scattering);
  EXPECT_DOUBLE_EQ(j["pairs"][1]["jtfs"].get<double>(), r.pairs[1].jtfs);
  const auto& up = j["scale_rate"]["up"];
  EXPECT_DOUBLE_EQ(up["energy_spin_plus"].get<double>(), r.up_map.total_plus());
  EXPECT_EQ(up["spin_plus"].size(), r.up_map.xi_fr.size());
  EXPECT_EQ(up["spin_plus"][0].size(), r.up_map.xi2.size());
  EXPECT_GT(up["spin_plus_share"].get<double>(), 0.5);
  EXPECT_LT(j["scale_rate"]["down"]["spin_plus_share"].get<double>(), 0.5);
  EXPECT_EQ(j["signals"]["bands"]["delays"].size(), 7u);
  const std::string md = wst::lab::to_markdown(r);
  EXPECT_NE(md.find("| up-chirp vs down-chirp |"), std::string::npos) << md;
  EXPECT_NE(md.find("| aligned bands vs delayed bands |"), std::string::npos) << md;
}

}  // namespace
