// Heisenberg boxes (wst/core/heisenberg.hpp) against ../shared/reference/tf/heisenberg.json (numpy):
// every number to 1e-10 relative (they agree to ~1e-16); the uncertainty bound σ_t·σ_ω ≥ 1/2
// (equality for Gaussians, 0.513117 for Hann), and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <chrono>
#include <complex>
#include <cstdlib>
#include <future>
#include <thread>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/support/error.hpp"
#include "wst/core/fourier.hpp"
#include "wst/core/heisenberg.hpp"
#include "wst/support/memory_budget.hpp"
#include "wst/core/windows.hpp"

namespace wst {
namespace {

constexpr double kPi = 3.141592653589793238462643383279502884;
constexpr std::size_t kN = 4096;

std::vector<double> gaussian_on_grid(double sigma) {
  std::vector<double> g(kN);
  for (std::size_t n = 0; n < kN; ++n) g[n] = std::exp(-0.5 * std::pow((double(n) - 2048.0) / sigma, 2));
  return g;
}

// ψ = fftshift(ifft(ψ̂)), ψ̂(f) = exp(−(f − ξ)²/(2σ²)) − κ·exp(−f²/(2σ²)), f = fftfreq(N).
std::vector<std::complex<double>> morlet_on_grid(double xi, double sigma) {
  const auto f = fft_frequencies(kN);
  const double kappa = std::exp(-xi * xi / (2 * sigma * sigma));
  Array<std::complex<double>> psi_hat(Shape{kN});
  for (std::size_t k = 0; k < kN; ++k)
    psi_hat.data[k] = std::exp(-(f[k] - xi) * (f[k] - xi) / (2 * sigma * sigma)) -
                      kappa * std::exp(-f[k] * f[k] / (2 * sigma * sigma));
  const auto psi = ifft(psi_hat);
  std::vector<std::complex<double>> shifted(kN);
  for (std::size_t n = 0; n < kN; ++n) shifted[(n + kN / 2) % kN] = psi.data[n];
  return shifted;
}

HeisenbergBox box_of(const std::string& name) {
  if (name == "gaussian_std8") return heisenberg_box(gaussian_on_grid(8));
  if (name == "gaussian_std32") return heisenberg_box(gaussian_on_grid(32));
  if (name == "hann256_periodic") return heisenberg_box(window_on_grid({WindowKind::hann, 256}, kN, 1920));
  if (name == "hann256_symmetric")
    return heisenberg_box(window_on_grid({WindowKind::hann, 256, 0.0, false}, kN, 1920));
  if (name == "gaussian256_std32_truncated")
    return heisenberg_box(window_on_grid({WindowKind::gauss, 256, 32.0}, kN, 1920));
  if (name == "morlet_xi0.25_sigma0.02") return heisenberg_box(morlet_on_grid(0.25, 0.02));
  ADD_FAILURE() << "unknown case " << name;
  return {};
}

double rel(double a, double b) { return std::abs(a - b) / std::abs(b); }

TEST(Heisenberg, MatchesEveryReferenceCase) {
  std::ifstream in(test::shared_dir() + "/reference/tf/heisenberg.json");
  ASSERT_TRUE(in) << "heisenberg.json not found";
  const auto cases = nlohmann::json::parse(in).at("cases");
  ASSERT_EQ(cases.size(), 6u);
  for (const auto& [name, ref] : cases.items()) {
    SCOPED_TRACE(name);
    const HeisenbergBox b = box_of(name);
    EXPECT_LT(rel(b.mu_t, ref.at("mu_t")), 1e-10);
    EXPECT_LT(rel(b.sigma_t, ref.at("sigma_t")), 1e-10);
    EXPECT_LT(rel(b.sigma_omega, ref.at("sigma_omega")), 1e-10);
    EXPECT_LT(rel(b.sigma_f(), ref.at("sigma_f_cycles")), 1e-10);
    EXPECT_LT(rel(b.product(), ref.at("product_sigma_t_sigma_omega")), 1e-10);
    const double mu_omega = ref.at("mu_omega");
    if (std::abs(mu_omega) < 1e-12)
      EXPECT_LT(std::abs(b.mu_omega), 1e-12);  // real g: a symmetric spectrum
    else
      EXPECT_LT(rel(b.mu_omega, mu_omega), 1e-10);
  }
}

TEST(Heisenberg, GaussiansReachTheBoundAndHannDoesNot) {
  for (double s : {4.0, 8.0, 32.0, 100.0}) {
    const auto b = heisenberg_box(gaussian_on_grid(s));
    EXPECT_NEAR(b.product(), 0.5, 1e-6) << s;
    EXPECT_NEAR(b.sigma_t, s / std::sqrt(2.0), 1e-6 * s) << s;
  }
  // A modulated Gaussian (complex): same spreads, centred at its carrier.
  std::vector<std::complex<double>> g(kN);
  const auto env = gaussian_on_grid(16);
  for (std::size_t n = 0; n < kN; ++n) g[n] = env[n] * std::polar(1.0, 0.7 * double(n));
  const auto b = heisenberg_box(g);
  EXPECT_NEAR(b.product(), 0.5, 1e-6);
  EXPECT_NEAR(b.mu_omega, 0.7, 1e-9);
  EXPECT_NEAR(b.mu_t, 2048.0, 1e-9);
  // Hann: the continuous cos² value 0.5131173 (Mallat, A Wavelet Tour, Table 4.1).
  const auto h = heisenberg_box(window_on_grid({WindowKind::hann, 256}, kN, 1920));
  EXPECT_GT(h.product(), 0.5);
  EXPECT_NEAR(h.product(), 0.513117, 1e-6);
  EXPECT_NEAR(h.sigma_f(), h.sigma_omega / (2 * kPi), 1e-18);
}

TEST(Heisenberg, WindowOnGridPlacesTheWindow) {
  const auto g = window_on_grid({WindowKind::rect, 3}, 8, 5);
  EXPECT_EQ(g, (std::vector<double>{0, 0, 0, 0, 0, 1, 1, 1}));
  // A box of N = 1 sample: no spread.
  const auto one = heisenberg_box(std::vector<double>{2.0});
  EXPECT_EQ(one.sigma_t, 0.0);
  EXPECT_EQ(one.sigma_omega, 0.0);
}

TEST(Heisenberg, BadInputIsRejectedWithAClearMessage) {
  EXPECT_NE(test::message_of<UsageError>([] { heisenberg_box(std::vector<double>{}); }).find("empty"),
            std::string::npos);
  EXPECT_NE(test::message_of<InputError>([] { heisenberg_box(std::vector<double>(16, 0.0)); })
                .find("identically zero"),
            std::string::npos);
  std::vector<std::complex<double>> z(16, 1.0);
  z[9] = {NAN, 0.0};
  EXPECT_NE(test::message_of<InputError>([&] { heisenberg_box(z); }).find("index 9"), std::string::npos);
  std::vector<double> r(16, 1.0);
  r[4] = INFINITY;
  EXPECT_NE(test::message_of<InputError>([&] { heisenberg_box(r); }).find("index 4"), std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { window_on_grid({WindowKind::hann, 256}, 4096, 3841); })
                .find("does not fit"),
            std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { window_on_grid({WindowKind::hann, 8}, 4, 9); }).find("does not fit"),
            std::string::npos);
}



TEST(Heisenberg, WindowWhoseSquaresUnderflowHasFiniteSpreads) {
  // gauss σ = 0.018 on 64 samples: the two central values are ~1e-324, their squares 0.
  WindowSpec w{WindowKind::gauss, 64, 0.0183108};
  const HeisenbergBox box = heisenberg_box(window_on_grid(w, 1026, 0));
  EXPECT_NEAR(box.mu_t, 31.5, 1e-12);
  EXPECT_NEAR(box.sigma_t, 0.5, 1e-12);
  EXPECT_TRUE(std::isfinite(box.product()));
}

TEST(CheckedSize, RoundsAndRefusesAbsurdSizesQuickly) {
  EXPECT_EQ(checked_size(3.2, 1, 10, "x"), 4u);
  EXPECT_EQ(checked_size(5000, 4096, 1 << 26, "x", true), 8192u);
  EXPECT_EQ(checked_size(10, 4096, 1 << 26, "x", true), 4096u);
  EXPECT_EQ(checked_size(double(std::size_t{1} << 26), 1, 1 << 26, "x", true), std::size_t{1} << 26);
  // The grid of `heisenberg --xi 1e-300` is ~1e300 samples: the power-of-two rounding used to
  // loop forever. Run it on a thread so that a hang fails instead of blocking the test.
  std::packaged_task<std::string()> task([] {
    return test::message_of<UsageError>([] { checked_size(1e300, 4096, 1 << 26, "--xi", true); });
  });
  auto result = task.get_future();
  std::thread(std::move(task)).detach();
  if (result.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    ADD_FAILURE() << "checked_size(1e300) did not return";
    std::_Exit(1);  // the thread still spins
  }
  const std::string m = result.get();
  EXPECT_NE(m.find("--xi"), std::string::npos) << m;
  EXPECT_NE(m.find("[4096, 67108864]"), std::string::npos) << m;
  for (double bad : {double(NAN), double(INFINITY), 1e20, 0x1p64, double(SIZE_MAX)})
    EXPECT_NE(test::message_of<UsageError>([&] { checked_size(bad, 1, 1 << 26, "--sigma"); })
                  .find("--sigma"),
              std::string::npos)
        << bad;
  EXPECT_NE(test::message_of<UsageError>([] { checked_size(0x1p63 + 1e5, 1, SIZE_MAX, "n", true); })
                .find("n needs"),
            std::string::npos);
  EXPECT_NE(test::message_of<UsageError>([] { check_size(0, 1, 8, "hop"); }).find("hop=0"),
            std::string::npos);
}

TEST(Heisenberg, GridsAndWindowsBeyondTheMemoryLimitFailFirst) {
  const wst::test::ScopedMemoryLimit limit("64M");
  WindowSpec w;
  w.length = 16;
  const std::string m = test::message_of<InputError>([&] { window_on_grid(w, std::size_t{1} << 30, 0); });
  EXPECT_NE(m.find("WST_MEMORY_LIMIT"), std::string::npos) << m;
  w.length = std::size_t{1} << 30;  // a gauss --sigma 1e6 sized window
  EXPECT_NE(test::message_of<InputError>([&] { make_window(w); }).find("window of 1073741824"),
            std::string::npos);
  w.length = kMaxLength + 1;
  EXPECT_NE(test::message_of<UsageError>([&] { make_window(w); }).find("window length"),
            std::string::npos);
}

}  // namespace
}  // namespace wst
