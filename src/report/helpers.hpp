// What the sections of the report share (sections.hpp): command-line words, small picture
// helpers, and the notes on missing digits or CNNs.
#pragma once
#include <complex>
#include <cstddef>
#include <string>
#include <vector>

#include "wst/core/filters_2d.hpp"
#include "wst/plot/plot.hpp"
#include "wst/report/sections.hpp"
#include "wst/report/text.hpp"

namespace wst::report {

inline std::string sh(const std::string& word) { return shell_word(word); }

// The words joined by single spaces.
std::string join(const std::vector<std::string>& words);

// The report folder's path as the user names it (OUT/report), for the command lines shown.
std::string shown_report_dir(const Settings& s);

// The path of the picture `file` in the report folder being written.
std::string figure_path(const Settings& s, const std::string& file);

// ψ[n] = fftshift(IDFT(ψ̂))[n]: a 2D filter of the bank in space, centred; the centre crop of
// side `side` (odd), row-major.
std::vector<std::complex<double>> filter_in_space(const FilterBank2D& bank, const Filter2D& f,
                                                  std::size_t side);

plot::Tile tile_of(std::size_t rows, std::size_t cols, std::vector<double> values);

// An angle in degrees, "22.5°" (integers without decimals).
std::string degrees(double radians);

// Why this build cannot train CNNs (the loader's message: no libtorch, or no loadable module).
std::string why_no_cnn();

// How to build the CNNs.
extern const char* const kHowToGetCnns;

// How to get the MNIST digits, then regenerate the report.
std::string missing_data_how(const Settings& s);

}  // namespace wst::report
