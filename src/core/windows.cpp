#include "wst/core/windows.hpp"

#include <cmath>
#include <numbers>

#include "wst/support/error.hpp"
#include "wst/support/memory_budget.hpp"

namespace wst {

WindowKind parse_window_kind(const std::string& name) {
  if (name == "gauss" || name == "gaussian") return WindowKind::gauss;
  if (name == "hann") return WindowKind::hann;
  if (name == "rect" || name == "boxcar") return WindowKind::rect;
  throw UsageError("window '" + name + "' is unknown: choose gauss, hann or rect");
}

const char* window_kind_name(WindowKind kind) {
  switch (kind) {
    case WindowKind::gauss: return "gauss";
    case WindowKind::hann: return "hann";
    case WindowKind::rect: return "rect";
  }
  return "?";
}

std::vector<double> make_window(const WindowSpec& spec) {
  const std::size_t L = spec.length;
  if (L == 0) throw UsageError("window length must be at least 1 sample (got 0)");
  check_size(L, 1, kMaxLength, "window length");
  check_memory(checked_bytes({L}, sizeof(double)), "a window of " + std::to_string(L) + " samples");
  std::vector<double> w(L, 1.0);  // rect; and every scipy window of length 1 (its _len_guards)
  if (spec.kind == WindowKind::gauss) {
    if (!std::isfinite(spec.sigma) || spec.sigma <= 0)
      throw UsageError("gauss window sigma must be finite and > 0 samples (got " +
                       std::to_string(spec.sigma) + ")");
    // scipy.signal.windows.gaussian(L, std=σ): n = m − (L − 1)/2, w = exp(−n²/(2σ²)).
    const double sig2 = 2 * spec.sigma * spec.sigma;
    for (std::size_t m = 0; m < L; ++m) {
      const double n = double(m) - (double(L) - 1.0) / 2.0;
      w[m] = std::exp(-(n * n) / sig2);
    }
  } else if (spec.kind == WindowKind::hann && L > 1) {
    // scipy's general_cosine(M, [0.5, 0.5]): w = 0.5 + 0.5·cos(fac), fac = linspace(−π, π, M),
    // with M = L + 1 and the last sample dropped for the periodic window (scipy's _extend).
    const std::size_t M = spec.periodic ? L + 1 : L;
    const double step = 2 * std::numbers::pi / double(M - 1);
    for (std::size_t m = 0; m < L; ++m) {
      const double fac = m + 1 == M ? std::numbers::pi : double(m) * step - std::numbers::pi;
      w[m] = 0.5 + 0.5 * std::cos(fac);
    }
  }
  return w;
}

}  // namespace wst
