// Analysis windows for the windowed Fourier transform (Mallat 2016 §2; scipy.signal.windows).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace wst {

enum class WindowKind {
  gauss,  // exp(−½((m − (L−1)/2)/σ)²): scipy.signal.windows.gaussian(L, std=σ) (symmetric)
  hann,   // 0.5 − 0.5·cos(2πm/L) periodic (scipy's get_window('hann', L)), or /(L−1) symmetric
  rect,   // all ones (scipy's 'boxcar')
};

struct WindowSpec {
  WindowKind kind = WindowKind::hann;
  std::size_t length = 256;  // L ≥ 1 samples
  double sigma = 0;          // gauss only: σ > 0 in samples
  bool periodic = true;      // hann only: DFT-even (periodic, scipy's default for STFT) or symmetric
};

// "gauss", "hann", "rect" (also "gaussian", "boxcar"); UsageError naming the choices otherwise.
WindowKind parse_window_kind(const std::string& name);
const char* window_kind_name(WindowKind kind);

// The L samples of the window. Throws UsageError for L outside [1, kMaxLength] or a gauss σ that
// is not finite and > 0, and InputError for L beyond the memory budget (memory_budget.hpp).
std::vector<double> make_window(const WindowSpec& spec);

}  // namespace wst
