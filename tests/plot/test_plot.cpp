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

#include "wst/plot/plot.hpp"
#include "test_support.hpp"
#include "wst/support/error.hpp"
#include "wst/io/image.hpp"

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
  // Messages name the picture, not a function of the library.
  EXPECT_TRUE(usage(plot::Figure{}).starts_with(path + ": figure: ")) << usage(plot::Figure{});
  EXPECT_EQ(usage(plot::Figure{}).find("render_png"), std::string::npos);

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
  EXPECT_TRUE(msg.starts_with(path + ": gnuplot not found")) << msg;
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

// ---- charts (ChartPanel) ----------------------------------------------------------------------

// A bar chart (filled rectangles, named tics) beside a chart of Heisenberg boxes with styled lines
// and fixed ranges: the bar's colour covers about its share of the panel, and the outline
// rectangles are drawn over a light tint (not filled).
TEST(Plot, ChartPanelDrawsBarsBoxesAndStyledLines) {
  const std::string dir = wst::test::temp_dir(), path = dir + "/chart.png";
  plot::ChartPanel bars;
  bars.title = "Errors";
  bars.ylabel = "error (%)";
  for (int k = 0; k < 3; ++k) {
    plot::Rect r;
    r.x0 = k + 0.6, r.x1 = k + 1.4, r.y0 = 0, r.y1 = 2.0 * (k + 1);
    r.colour = "#d62728";  // tab10 red: luminance 0.39, unlike the axes, text or background
    r.filled = true;
    r.label = std::to_string(2 * (k + 1)) + " %";
    bars.rects.push_back(r);
    bars.xtics.push_back({double(k + 1), k == 0 ? "pixels" : k == 1 ? "|x^|" : "scattering"});
  }
  bars.xmin = 0.4, bars.xmax = 3.6, bars.ymin = 0, bars.ymax = 7;

  plot::ChartPanel boxes;
  boxes.title = "Heisenberg boxes";
  boxes.xlabel = "time";
  boxes.ylabel = "frequency";
  boxes.rects.push_back({-2, 2, 0.1, 0.3, "#1f77b4", false, "Gabor"});
  plot::Line diag{{-3, 3}, {0, 0.5}, "a line"};
  boxes.lines = {diag, diag};
  boxes.lines[1].y = {0.5, 0};
  boxes.styles = {{"#2ca02c", 3, true, false}, {"", 1, false, true}};
  boxes.key = "bottom left";
  boxes.xmin = -4, boxes.xmax = 4, boxes.ymin = 0, boxes.ymax = 0.6;

  plot::Figure f;
  f.columns = 2;
  f.width = 1000;
  f.panels = {bars, boxes};
  plot::render_png(f, path);
  const wst::Array<double> img = wst::read_png_gray(path);
  ASSERT_EQ(img.shape, (wst::Shape{360, 1000}));
  // Bars are filled at 85 % opacity over the white background.
  const auto on_white = [](int c) { return 0.85 * c / 255.0 + 0.15; };
  const double red = luminance(on_white(0xd6), on_white(0x27), on_white(0x28));
  const auto near = [&](double lum, std::size_t c0, std::size_t c1) {
    std::size_t n = 0;
    for (std::size_t r = 0; r < 360; ++r)
      for (std::size_t c = c0; c < c1; ++c) n += std::abs(img.data[r * 1000 + c] - lum) < 0.004;
    return n;
  };
  // Three bars 0.8 wide on an x range of 3.2, 2, 4 and 6 high on a y range of 7: 43 % of a plot
  // area of roughly 400 × 280 pixels in the left half; none in the right half.
  const std::size_t left = near(red, 0, 500);
  EXPECT_GT(left, 25000u);
  EXPECT_LT(left, 70000u);
  EXPECT_LT(near(red, 500, 1000), 50u);
  // The outline box is not filled: its blue covers its edges (and perhaps the dashed line), not
  // its area (half the width by a third of the height: ~ 200 × 90 pixels).
  const double blue = luminance(0x1f / 255.0, 0x77 / 255.0, 0xb4 / 255.0);
  EXPECT_GT(near(blue, 500, 1000), 150u);
  EXPECT_LT(near(blue, 500, 1000), 3000u);
}

TEST(Plot, RejectsBadCharts) {
  const std::string dir = wst::test::temp_dir(), path = dir + "/x.png";
  const auto usage = [&](const plot::ChartPanel& p) {
    plot::Figure f;
    f.panels = {p};
    return message_of<wst::UsageError>([&] { plot::render_png(f, path); });
  };
  plot::ChartPanel p;
  p.title = "c";
  EXPECT_NE(usage(p).find("panels[0] ('c'): the chart has no lines and no rectangles"),
            std::string::npos)
      << usage(p);
  p.rects = {{0, 1, 0, 1, "red", true, ""}};
  EXPECT_NE(usage(p).find("rects[0].colour must be \"#rrggbb\", got \"red\""), std::string::npos);
  p.rects = {{1, 0, 0, 1, "#000000", true, ""}};
  EXPECT_NE(usage(p).find("rects[0] must have x0 < x1 and y0 < y1"), std::string::npos);
  p.rects = {{0, 1, 0, 1, "#000000", true, ""}};
  p.logy = true;
  EXPECT_NE(usage(p).find("rects[0].y0 = 0 is not positive and finite (log axis)"),
            std::string::npos)
      << usage(p);
  p.logy = false;
  p.ymin = 1, p.ymax = 1;
  EXPECT_NE(usage(p).find("the y range [1, 1] must be finite with min < max"), std::string::npos)
      << usage(p);
  p.ymin = p.ymax = NAN;
  p.lines = {{{0, 1}, {0, 1}, ""}};
  p.styles = {{"#00ff00", 0, false, false}};
  EXPECT_NE(usage(p).find("styles[0].width must be in (0, 20], got 0"), std::string::npos)
      << usage(p);
  p.styles = {{}, {}};
  EXPECT_NE(usage(p).find("2 styles for 1 lines"), std::string::npos) << usage(p);
  p.styles.clear();
  p.key = "middle";
  EXPECT_NE(usage(p).find("key must be"), std::string::npos);
  EXPECT_TRUE(listing(dir).empty());
}

// ---- grids of images (render_grid_png) ---------------------------------------------------------

// A size × size tile of a value pattern.
plot::Tile tile(std::size_t size, double (*f)(double, double)) {
  plot::Tile t;
  t.rows = t.cols = size;
  for (std::size_t r = 0; r < size; ++r)
    for (std::size_t c = 0; c < size; ++c)
      t.values.push_back(f(double(r) / double(size - 1), double(c) / double(size - 1)));
  return t;
}

// Half the tile at −1, half at +1 (a wavelet's signed real part, reduced to its extremes).
double signed_halves(double, double c) { return c < 0.5 ? -1.0 : 1.0; }
double positive_ramp(double r, double c) { return 0.5 + 0.25 * (r + c); }

// The grid is sized to its content: the row labels, the tiles and one colour bar per row; each
// more column adds exactly one cell and its gap. A coolwarm row's range is symmetric about 0.
TEST(Plot, GridIsSizedToItsContentAndCoolwarmIsSymmetric) {
  const std::string dir = wst::test::temp_dir();
  const auto grid = [](std::size_t columns, double (*first_row)(double, double)) {
    plot::TileGrid g;
    g.label_px = 100;
    g.tile_px = 60;
    plot::TileRow signed_row{"real part", {}, "coolwarm"};
    plot::TileRow modulus_row{"modulus", {}, "viridis"};
    for (std::size_t c = 0; c < columns; ++c) {
      signed_row.tiles.push_back(tile(16, first_row));
      modulus_row.tiles.push_back(tile(16, positive_ramp));
    }
    g.rows = {signed_row, modulus_row};
    g.column_labels = {"j=0"};
    return g;
  };
  plot::render_grid_png(grid(3, signed_halves), dir + "/three.png");
  plot::render_grid_png(grid(5, signed_halves), dir + "/five.png");
  plot::render_grid_png(grid(3, positive_ramp), dir + "/positive.png");
  const wst::Array<double> three = wst::read_png_gray(dir + "/three.png");
  const wst::Array<double> five = wst::read_png_gray(dir + "/five.png");
  // Width: 100 (labels) + 3 · 60 + 2 · 6 (tiles) + 12 + 14 + 62 (colour bar and its labels);
  // height: 8 (top) + 22 (column labels) + 2 · 60 + 16 (between rows) + 10 (bottom).
  EXPECT_EQ(three.shape, (wst::Shape{176, 380}));
  EXPECT_EQ(five.shape, (wst::Shape{176, 380 + 2 * 66}));

  // Coolwarm's two ends fill half of each tile (3 × 1800 pixels); on positive values only, the
  // range is still ±max, so the blue end appears only at the foot of the colour bar.
  const double blue = luminance(0.230, 0.299, 0.754), red = luminance(0.706, 0.016, 0.150);
  const auto count = [](const wst::Array<double>& img, double lum) {
    return std::count_if(img.data.begin(), img.data.end(),
                         [&](double v) { return std::abs(v - lum) < 0.004; });
  };
  EXPECT_GT(count(three, blue), 4000);
  EXPECT_GT(count(three, red), 4000);
  const wst::Array<double> positive = wst::read_png_gray(dir + "/positive.png");
  EXPECT_LT(count(positive, blue), 1000);
  EXPECT_EQ(listing(dir), (std::vector<std::string>{"five.png", "positive.png", "three.png"}));
}

TEST(Plot, RejectsBadGrids) {
  const std::string dir = wst::test::temp_dir(), path = dir + "/x.png";
  const auto usage = [&](const plot::TileGrid& g) {
    return message_of<wst::UsageError>([&] { plot::render_grid_png(g, path); });
  };
  plot::TileGrid g;
  EXPECT_NE(usage(g).find(path + ": tile grid: the grid has no rows"), std::string::npos);
  g.rows = {{"r", {tile(8, positive_ramp)}, "viridis"}};
  g.tile_px = 10;
  EXPECT_NE(usage(g).find("tile_px must be in [24, 1024], got 10"), std::string::npos);
  g.tile_px = 88;
  g.rows[0].colormap = "jet";
  EXPECT_NE(usage(g).find("rows[0] ('r'): colormap must be"), std::string::npos) << usage(g);
  g.rows[0].colormap = "magma";
  g.rows[0].tiles[0].values.pop_back();
  EXPECT_NE(usage(g).find("rows[0] ('r').tiles[0] has 63 values, expected rows · cols = 64"),
            std::string::npos)
      << usage(g);
  g.rows[0].tiles[0] = tile(8, positive_ramp);
  g.rows[0].tiles[0].values[9] = INFINITY;
  EXPECT_NE(usage(g).find("tiles[0].values[9] = inf is not finite"), std::string::npos)
      << usage(g);
  g.rows[0].tiles[0] = plot::Tile{1, 4, {1, 2, 3, 4}};
  EXPECT_NE(usage(g).find("each side must be in [2, 4096]"), std::string::npos);
  g.rows[0].tiles = {tile(8, positive_ramp)};
  g.rows[0].tiles.resize(200, tile(8, positive_ramp));
  g.tile_px = 1024;
  EXPECT_NE(usage(g).find("at most 16384 each way"), std::string::npos) << usage(g);
  EXPECT_TRUE(listing(dir).empty());
}

TEST(Plot, GridWithoutGnuplotIsIoErrorAndLeavesNoFile) {
  const std::string dir = wst::test::temp_dir(), path = dir + "/x.png";
  plot::TileGrid g;
  g.rows = {{"r", {tile(8, positive_ramp)}, "viridis"}};
  ScopedEnv env("WST_GNUPLOT", dir + "/no-such-gnuplot");
  const std::string msg = message_of<wst::IoError>([&] { plot::render_grid_png(g, path); });
  EXPECT_NE(msg.find("gnuplot-nox"), std::string::npos) << msg;
  EXPECT_TRUE(listing(dir).empty());
}

}  // namespace
