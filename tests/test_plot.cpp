// Pictures through gnuplot: rendered figures read back (size, content, colour map, peaks kept by
// the max-over-blocks reduction), rejected figures, a missing or failing gnuplot, and strings
// that must stay text in the script. gnuplot-nox is a declared dependency: without it the
// rendering tests fail rather than skip.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "plot.hpp"
#include "test_support.hpp"
#include "wst/error.hpp"
#include "wst/image.hpp"

namespace fs = std::filesystem;
using wst::test::message_of;
namespace plot = wst::plot;

namespace {

// Sets an environment variable for the lifetime of the guard, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

std::vector<std::string> listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// A 200 × 300 spectrogram-like map on log-spaced frequencies 50 Hz – 8 kHz: a rising chirp and
// its harmonics over a small noise floor (a fixed pattern, never zero).
plot::Heatmap chirp_heatmap(std::size_t rows = 200, std::size_t cols = 300) {
  plot::Heatmap h;
  h.title = "Chirp";
  h.rows = rows;
  h.cols = cols;
  h.x.label = "time (s)";
  h.y.label = "frequency (Hz)";
  h.y.log = true;
  h.colorbar_label = "|X| (dB)";
  for (std::size_t c = 0; c < cols; ++c)
    h.x.centres.push_back(3.0 * (double(c) + 0.5) / double(cols));
  for (std::size_t r = 0; r < rows; ++r)
    h.y.centres.push_back(50 * std::pow(160.0, double(r) / double(rows - 1)));
  const std::vector<double> noise = wst::test::random_normal(rows * cols, 21);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) {
      const double f = h.y.centres[r], f0 = 100 * std::pow(2.0, 1.5 * h.x.centres[c]);
      double v = 1e-4 * (1.5 + std::tanh(noise[r * cols + c]));
      for (int k = 1; k <= 3; ++k) v += std::exp(-std::pow(std::log(f / (k * f0)) / 0.05, 2)) / k;
      h.values.push_back(v);
    }
  return h;
}

plot::LinePanel decay_panel() {
  plot::LinePanel p;
  p.title = "Decay";
  p.xlabel = "time (s)";
  p.ylabel = "amplitude";
  for (int k = 1; k <= 2; ++k) {
    plot::Line line;
    line.label = "rate " + std::to_string(k);
    for (int i = 0; i < 400; ++i) {
      line.x.push_back(i / 100.0);
      line.y.push_back(std::exp(-k * i / 100.0) * std::cos(i / 7.0));
    }
    p.lines.push_back(line);
  }
  return p;
}

double variance(const std::vector<double>& v) {
  double mean = 0, sq = 0;
  for (const double x : v) mean += x;
  mean /= double(v.size());
  for (const double x : v) sq += (x - mean) * (x - mean);
  return sq / double(v.size());
}

// Luminance (Rec. 709) of an 8-bit colour, as read_png_gray computes it.
double luminance(double r, double g, double b) {
  return (0.2126 * std::round(255 * r) + 0.7152 * std::round(255 * g) +
          0.0722 * std::round(255 * b)) /
         255;
}

TEST(Plot, GnuplotIsInstalled) {
  EXPECT_FALSE(plot::gnuplot_path().empty())
      << "gnuplot not found on PATH: it is a declared dependency (apt-get install gnuplot-nox)";
}

TEST(Plot, RendersHeatmapAndLinePanelAtTheRequestedSize) {
  const std::string dir = wst::test::temp_dir(), path = dir + "/figure.png";
  const std::string scratch = wst::test::temp_dir();  // gnuplot's temporary folder goes here
  plot::Figure figure;
  figure.title = "Spectrogram and decay";
  figure.width = 900;
  figure.panel_height = 320;
  figure.panels = {chirp_heatmap(), decay_panel()};
  {
    ScopedEnv tmp("TMPDIR", scratch);
    plot::render_png(figure, path);
  }
  EXPECT_EQ(listing(dir), std::vector<std::string>{"figure.png"});
  EXPECT_TRUE(listing(scratch).empty()) << "the temporary folder was not removed";

  const wst::Array<double> img = wst::read_png_gray(path);
  ASSERT_EQ(img.shape, (wst::Shape{640, 900}));  // width × (rows · panel_height)
  EXPECT_GT(variance(img.data), 0.01);
  // The spectrogram's floor (−80 dB) is drawn in viridis' first colour and its peaks in the
  // last: both luminances occur.
  const double dark = luminance(0.267004, 0.004874, 0.329415);
  const double bright = luminance(0.993248, 0.906157, 0.143936);
  const auto count_near = [&](double lum) {
    return std::count_if(img.data.begin(), img.data.end(),
                         [&](double v) { return std::abs(v - lum) < 0.004; });
  };
  EXPECT_GT(count_near(dark), 10000);
  EXPECT_GT(count_near(bright), 20);
}

TEST(Plot, LargeHeatmapsKeepTheirPeaksWhenReduced) {
  // 3000 × 5000 cells, drawn in a few hundred pixels: one column at a peak (1) over a floor of
  // 10^-3 (−60 dB of an 80 dB range) must stay visible (the maximum of its block).
  const std::size_t rows = 3000, cols = 5000, peak_col = 2501;
  plot::Heatmap h;
  h.rows = rows;
  h.cols = cols;
  h.colormap = "magma";
  h.values.assign(rows * cols, 1e-3);
  for (std::size_t r = 0; r < rows; ++r) h.values[r * cols + peak_col] = 1;
  for (std::size_t c = 0; c < cols; ++c) h.x.centres.push_back(double(c) / 100);
  for (std::size_t r = 0; r < rows; ++r) h.y.centres.push_back(double(r));
  plot::Figure figure;
  figure.width = 700;
  figure.panel_height = 300;
  figure.panels = {h};
  const std::string path = wst::test::temp_dir() + "/big.png";
  plot::render_png(figure, path);
  const wst::Array<double> img = wst::read_png_gray(path);
  ASSERT_EQ(img.shape, (wst::Shape{300, 700}));
  // magma's last colour (the peak column) is the brightest thing in the picture.
  const double peak = luminance(0.987053, 0.991438, 0.749504);
  const auto bright = std::count_if(img.data.begin(), img.data.end(),
                                    [&](double v) { return std::abs(v - peak) < 0.01; });
  EXPECT_GT(bright, 150);  // about one pixel in each of the ~200 rows of the plot
}

TEST(Plot, RejectsEmptyAndInconsistentFigures) {
  const std::string dir = wst::test::temp_dir(), path = dir + "/x.png";
  const auto usage = [&](const plot::Figure& f) {
    return message_of<wst::UsageError>([&] { plot::render_png(f, path); });
  };
  const auto with = [](plot::Panel p) {
    plot::Figure f;
    f.panels = {std::move(p)};
    return f;
  };
  EXPECT_NE(usage(plot::Figure{}).find("no panels"), std::string::npos);

  plot::Heatmap h = chirp_heatmap(20, 30);
  h.values.pop_back();
  EXPECT_NE(usage(with(h)).find("panels[0] ('Chirp'): values has 599 elements"), std::string::npos)
      << usage(with(h));
  h = chirp_heatmap(20, 30);
  h.x.centres.push_back(4);
  EXPECT_NE(usage(with(h)).find("x.centres has 31 values, expected 30"), std::string::npos);
  h = chirp_heatmap(20, 30);
  std::swap(h.y.centres[3], h.y.centres[4]);
  EXPECT_NE(usage(with(h)).find("strictly monotonic"), std::string::npos);
  h = chirp_heatmap(20, 30);
  h.y.centres[0] = 0;
  EXPECT_NE(usage(with(h)).find("log axis"), std::string::npos);
  h = chirp_heatmap(20, 30);
  h.values[5] = -1;
  EXPECT_NE(usage(with(h)).find("values[5] = -1"), std::string::npos);
  h = chirp_heatmap(20, 30);
  h.values[7] = NAN;
  h.decibels = false;
  EXPECT_NE(usage(with(h)).find("values[7]"), std::string::npos);
  h = chirp_heatmap(20, 30);
  h.colormap = "jet";
  EXPECT_NE(usage(with(h)).find("colormap"), std::string::npos);

  plot::LinePanel p = decay_panel();
  p.lines[1].y.pop_back();
  EXPECT_NE(usage(with(p)).find("lines[1] has 400 x and 399 y"), std::string::npos);
  p = decay_panel();
  p.logy = true;  // the cosine goes negative
  EXPECT_NE(usage(with(p)).find("log axis"), std::string::npos);
  p.lines.clear();
  EXPECT_NE(usage(with(p)).find("no lines"), std::string::npos);

  plot::Figure f = with(decay_panel());
  f.columns = 0;
  EXPECT_NE(usage(f).find("columns"), std::string::npos);
  f.columns = 1;
  f.width = 100;
  EXPECT_NE(usage(f).find("width"), std::string::npos);
  EXPECT_TRUE(listing(dir).empty());
}

TEST(Plot, MissingGnuplotIsIoErrorAndLeavesNoFile) {
  const std::string dir = wst::test::temp_dir(), path = dir + "/x.png";
  plot::Figure f;
  f.panels = {decay_panel()};
  ScopedEnv env("WST_GNUPLOT", dir + "/no-such-gnuplot");
  EXPECT_EQ(plot::gnuplot_path(), "");
  const std::string msg = message_of<wst::IoError>([&] { plot::render_png(f, path); });
  EXPECT_NE(msg.find("gnuplot-nox"), std::string::npos) << msg;
  EXPECT_NE(msg.find("no-such-gnuplot"), std::string::npos) << msg;
  EXPECT_TRUE(listing(dir).empty());
}

TEST(Plot, FailingGnuplotReportsItsFirstErrorLine) {
  const std::string dir = wst::test::temp_dir(), path = dir + "/x.png";
  const std::string fake = wst::test::temp_dir() + "/gnuplot";
  std::ofstream(fake) << "#!/bin/sh\n"
                         "echo 'gnuplot> plot foo' >&2\n"
                         "echo '\"'\"$2\"'\" line 7: undefined variable: foo' >&2\n"
                         "echo 'second error' >&2\n"
                         "exit 1\n";
  ASSERT_EQ(chmod(fake.c_str(), 0755), 0);
  plot::Figure f;
  f.panels = {decay_panel()};
  ScopedEnv env("WST_GNUPLOT", fake);
  EXPECT_EQ(plot::gnuplot_path(), fake);
  const std::string msg = message_of<wst::IoError>([&] { plot::render_png(f, path); });
  EXPECT_NE(
      msg.find("gnuplot failed (exit status 1): \"figure.gp\" line 7: undefined variable: foo"),
      std::string::npos)
      << msg;
  EXPECT_TRUE(listing(dir).empty());
}

TEST(Plot, TextStaysTextInTheScript) {
  // Quotes, backslashes and newlines in labels cannot end the string or the command: the
  // system() call below would create `marker` if they did.
  const std::string dir = wst::test::temp_dir(), path = dir + "/x.png";
  const std::string marker = dir + "/injected";
  const std::string evil = "it's \"x\" \\ '\nsystem('touch " + marker + "')\n'";
  plot::LinePanel p = decay_panel();
  p.title = p.xlabel = p.ylabel = p.lines[0].label = evil;
  plot::Heatmap h = chirp_heatmap(20, 30);
  h.title = h.x.label = h.y.label = h.colorbar_label = evil;
  plot::Figure f;
  f.title = evil;
  f.columns = 2;
  f.panels = {p, h};
  plot::render_png(f, path);
  EXPECT_FALSE(fs::exists(marker));
  EXPECT_EQ(wst::read_png_gray(path).shape, (wst::Shape{360, 1200}));
}

}  // namespace
