// Pictures for people: spectrograms, scalograms and curves as PNG, rendered by gnuplot (Debian's
// gnuplot-nox, pngcairo terminal) run as a process on data written to a temporary folder.
// Perceptual colour maps (viridis, magma; coolwarm, diverging, for signed values), labelled axes
// with units, colour bars; rectangles and bars in line panels; grids of small images.
#pragma once
#include <cstddef>
#include <limits>
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
  // "viridis" or "magma"; or "coolwarm" (Moreland's diverging map, for signed values: with
  // decibels false its range is symmetric about 0, ±max|value|).
  std::string colormap = "viridis";
};

struct Line {
  std::vector<double> x, y;
  std::string label;  // legend entry ("" for none)
};

// How a line of a chart is drawn (ChartPanel::styles); the default is a solid line of width 2
// in the next colour of the tab10 cycle.
struct LineStyle {
  std::string colour;   // "#rrggbb"; "" for the colour cycle
  double width = 2;     // gnuplot's lw
  bool points = false;  // also mark each point
  bool dashed = false;
};

// A rectangle in a chart's data coordinates: a Heisenberg box, or a bar of a bar chart.
struct Rect {
  double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
  std::string colour = "#1f77b4";  // "#rrggbb"
  bool filled = false;             // filled (bars) or an outline over a light tint (boxes)
  std::string label;               // drawn just above the top edge, centred ("" for none)
};

// A tic with a text label (e.g. the categories of a bar chart).
struct NamedTic {
  double at = 0;
  std::string label;
};

struct LinePanel {
  std::string title, xlabel, ylabel;
  std::vector<Line> lines;
  bool logx = false, logy = false;
};

// A line panel with more control: line styles, rectangles (Heisenberg boxes, bars), fixed axis
// ranges and named tics. A chart may hold rectangles only.
struct ChartPanel : LinePanel {
  std::vector<LineStyle> styles;  // styles[i] draws lines[i]; lines beyond it get the default
  std::vector<Rect> rects;        // drawn under the lines
  // Axis ranges; NaN: from the data (lines and rectangles, with 5% of air above and below).
  double xmin = std::numeric_limits<double>::quiet_NaN(), xmax = xmin, ymin = xmin, ymax = xmin;
  std::vector<NamedTic> xtics;    // replace the x axis' numeric tics when not empty
  std::string key = "top right";  // legend: "top right", "top left", "bottom right", "bottom left"
  // Log axes spanning under three decades also label 2·10^k and 5·10^k (and 3·10^k under one).
  bool label_log_multiples = true;
};

using Panel = std::variant<LinePanel, Heatmap, ChartPanel>;

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

// ---- grids of small images (filters, scattering maps) -------------------------------------------

// One image: values[r·cols + c], row 0 drawn at the top (as images are read), square pixels.
struct Tile {
  std::size_t rows = 0, cols = 0;
  std::vector<double> values;
};

// A row of the grid: its label (left of the row), images left to right, and its colour map:
// "viridis", "magma", or "coolwarm" (signed values, range symmetric about 0).
struct TileRow {
  std::string label;
  std::vector<Tile> tiles;
  std::string colormap = "viridis";
};

struct TileGrid {
  std::string title;
  std::vector<TileRow> rows;
  std::vector<std::string> column_labels;  // above row `column_label_row` ("" or fewer: none)
  std::size_t column_label_row = 0;
  // Colour range: one for every row (a colour bar spanning the grid), or one per row (a colour
  // bar at the right of each row); the label is written along the right edge.
  bool shared_range = false;
  std::string colorbar_label;
  int tile_px = 88;    // side of a tile's cell, 24 … 1024 pixels
  int label_px = 170;  // width of the row labels' column, 0 … 1024 pixels
};

// Renders the grid to a PNG at `path`, atomically, sized to its content (tiles keep their
// aspect ratio within their square cells). Throws as render_png: UsageError for an empty grid,
// a tile whose sizes do not match, non-finite values or an unknown colour map; IoError when
// gnuplot is missing or fails, or the file cannot be written.
void render_grid_png(const TileGrid& grid, const std::string& path);

}  // namespace wst::plot
