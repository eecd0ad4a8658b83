// Pictures for people: spectrograms, scalograms and curves as PNG, rendered by gnuplot (Debian's
// gnuplot-nox, pngcairo terminal) run as a process on data written to a temporary folder.
// Perceptual colour maps (viridis, magma), labelled axes with units, colour bars.
#pragma once
#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace wst::plot {

// One axis of a heatmap: the coordinate of each row/column centre (any monotonic values, e.g.
// log-spaced frequencies; drawn on a log scale when `log`), and its label with units.
struct Axis {
  std::string label;            // e.g. "time (s)", "frequency (Hz)"
  std::vector<double> centres;  // one per column (x) or row (y)
  bool log = false;
};

// A 2D map: values[r·cols + c] at (x.centres[c], y.centres[r]); row 0 drawn at the bottom.
struct Heatmap {
  std::string title;
  std::size_t rows = 0, cols = 0;
  std::vector<double> values;
  Axis x, y;
  std::string colorbar_label;   // e.g. "|Z| (dB)"
  bool decibels = true;         // draw 20·log10(value / max), clipped below −dynamic_range_db
  double dynamic_range_db = 80;
  std::string colormap = "viridis";  // "viridis" or "magma"
};

struct Line {
  std::vector<double> x, y;
  std::string label;  // legend entry ("" for none)
};

struct LinePanel {
  std::string title, xlabel, ylabel;
  std::vector<Line> lines;
  bool logx = false, logy = false;
};

using Panel = std::variant<LinePanel, Heatmap>;

// Panels laid out in a grid of `columns` columns, filled row by row.
struct Figure {
  std::string title;
  std::vector<Panel> panels;
  int columns = 1;
  int width = 1200;         // pixels
  int panel_height = 360;   // pixels per row of panels
};

// Renders `figure` to a PNG at `path` atomically (temporary name, then rename). Throws
// wst::IoError when gnuplot is missing ("install gnuplot-nox"), fails (with its first error line),
// or the file cannot be written; wst::UsageError for an empty figure or a heatmap whose sizes do
// not match. Large heatmaps are reduced (max over blocks) to at most 2000 columns × 1000 rows
// before rendering, so a picture of a 10-minute spectrogram stays fast and small.
void render_png(const Figure& figure, const std::string& path);

// The gnuplot program, if found on PATH (or $WST_GNUPLOT), else "".
std::string gnuplot_path();

}  // namespace wst::plot
