// Pictures through gnuplot (http://gnuplot.info/docs_5.4/Gnuplot_5_4.pdf): the data go to binary
// files in a fresh temporary folder beside a generated script, `gnuplot -d script.gp` renders
// them with the pngcairo terminal, and the PNG is then written to its destination atomically.
#include "wst/plot/plot.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string_view>
#include <tuple>

#include "wst/support/error.hpp"
#include "wst/support/process.hpp"
#include "wst/support/temporary.hpp"
#include "wst/support/atomic_file.hpp"
#include "wst/support/format.hpp"

namespace wst::plot {

namespace {

namespace fs = std::filesystem;

// ---- script text ------------------------------------------------------------------------------

// `s` as a gnuplot single-quoted string, in which only '' is special (no backslash escapes).
// Control characters would end the command, so they become spaces.
std::string gp_string(std::string_view s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'')
      out += "''";
    else
      out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  }
  return out + "'";
}


// A tic label: up to 6 significant digits, no trailing zeros ("0.25", "500", "1e+06").
std::string label_of(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", std::abs(v) < 1e-12 ? 0.0 : v);
  return buf;
}

// ---- colour maps ------------------------------------------------------------------------------

// 16 of the 256 entries of matplotlib's maps (entries 0, 17, …, 255 of _viridis_data and
// _magma_data in matplotlib/_cm_listed.py), interpolated linearly by gnuplot.
constexpr double kViridis[16][3] = {
    {0.267004, 0.004874, 0.329415}, {0.282656, 0.100196, 0.422160}, {0.277134, 0.185228, 0.489898},
    {0.253935, 0.265254, 0.529983}, {0.221989, 0.339161, 0.548752}, {0.190631, 0.407061, 0.556089},
    {0.163625, 0.471133, 0.558148}, {0.139147, 0.533812, 0.555298}, {0.120565, 0.596422, 0.543611},
    {0.134692, 0.658636, 0.517649}, {0.208030, 0.718701, 0.472873}, {0.327796, 0.773980, 0.406640},
    {0.477504, 0.821444, 0.318195}, {0.647257, 0.858400, 0.209861}, {0.824940, 0.884720, 0.106217},
    {0.993248, 0.906157, 0.143936}};
constexpr double kMagma[16][3] = {
    {0.001462, 0.000466, 0.013866}, {0.043830, 0.033830, 0.141886}, {0.123833, 0.067295, 0.295879},
    {0.232077, 0.059889, 0.437695}, {0.341482, 0.080564, 0.492631}, {0.445163, 0.122724, 0.506901},
    {0.550287, 0.161158, 0.505719}, {0.658483, 0.196027, 0.490253}, {0.767398, 0.233705, 0.457755},
    {0.868793, 0.287728, 0.409303}, {0.944006, 0.377643, 0.365136}, {0.981000, 0.498428, 0.369734},
    {0.994738, 0.624350, 0.427397}, {0.997228, 0.747981, 0.516859}, {0.993170, 0.870024, 0.626189},
    {0.987053, 0.991438, 0.749504}};

// Moreland's "cool to warm" diverging map (K. Moreland, "Diverging Color Maps for Scientific
// Visualization", 2009, Table 1: entries 0, 4, …, 32 of 33), perceptually balanced about its
// neutral grey midpoint: for signed values such as the real parts of wavelets.
constexpr double kCoolWarm[9][3] = {
    {0.230, 0.299, 0.754}, {0.384, 0.510, 0.918}, {0.553, 0.690, 0.996},
    {0.722, 0.816, 0.976}, {0.867, 0.867, 0.867}, {0.961, 0.769, 0.678},
    {0.957, 0.604, 0.482}, {0.871, 0.376, 0.302}, {0.706, 0.016, 0.150}};

bool known_colormap(const std::string& name) {
  return name == "viridis" || name == "magma" || name == "coolwarm";
}

std::string palette_command(const std::string& name) {
  std::string s = "set palette defined (";
  if (name == "coolwarm") {
    for (int i = 0; i < 9; ++i)
      s += (i ? ", " : "") + std::to_string(i) + " " + shortest(kCoolWarm[i][0]) + " " +
           shortest(kCoolWarm[i][1]) + " " + shortest(kCoolWarm[i][2]);
    return s + ")\n";
  }
  const auto& map = name == "magma" ? kMagma : kViridis;
  for (int i = 0; i < 16; ++i)
    s += (i ? ", " : "") + std::to_string(i) + " " + shortest(map[i][0]) + " " + shortest(map[i][1]) + " " +
         shortest(map[i][2]);
  return s + ")\n";
}

// Line colours: matplotlib's "tab10" cycle.
constexpr const char* kLineColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

// ---- validation -------------------------------------------------------------------------------

[[noreturn]] void usage(const std::string& what) { throw UsageError("figure: " + what); }

std::string panel_name(std::size_t i, const std::string& title) {
  return "panels[" + std::to_string(i) + "]" + (title.empty() ? "" : " ('" + title + "')");
}

void check_axis(const std::string& where, const Axis& axis, std::size_t n, const char* name) {
  if (axis.centres.size() != n)
    usage(where + ": " + name + ".centres has " + std::to_string(axis.centres.size()) +
          " values, expected " + std::to_string(n));
  const auto& c = axis.centres;
  const bool increasing = n < 2 || c[1] > c[0];
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(c[i]) || (axis.log && c[i] <= 0))
      usage(where + ": " + name + ".centres[" + std::to_string(i) + "] = " + shortest(c[i]) +
            (axis.log ? " is not positive and finite (log axis)" : " is not finite"));
    if (i > 0 && !(increasing ? c[i] > c[i - 1] : c[i] < c[i - 1]))
      usage(where + ": " + name + ".centres must be strictly monotonic, but centres[" +
            std::to_string(i - 1) + "] = " + shortest(c[i - 1]) + " and centres[" + std::to_string(i) +
            "] = " + shortest(c[i]));
  }
}

void check_heatmap(std::size_t index, const Heatmap& h) {
  const std::string where = panel_name(index, h.title);
  if (h.rows == 0 || h.cols == 0)
    usage(where + ": the heatmap is empty (" + std::to_string(h.rows) + " × " +
          std::to_string(h.cols) + ")");
  if (h.values.size() / h.cols != h.rows || h.values.size() % h.cols != 0)
    usage(where + ": values has " + std::to_string(h.values.size()) +
          " elements, expected rows · cols = " + std::to_string(h.rows) + " · " +
          std::to_string(h.cols));
  check_axis(where, h.x, h.cols, "x");
  check_axis(where, h.y, h.rows, "y");
  if (!known_colormap(h.colormap))
    usage(where + ": colormap must be \"viridis\", \"magma\" or \"coolwarm\", got \"" + h.colormap +
          "\"");
  if (h.decibels && !(h.dynamic_range_db > 0 && h.dynamic_range_db <= 1000))
    usage(where + ": dynamic_range_db must be in (0, 1000], got " + shortest(h.dynamic_range_db));
  for (std::size_t i = 0; i < h.values.size(); ++i)
    if (!std::isfinite(h.values[i]) || (h.decibels && h.values[i] < 0))
      usage(where + ": values[" + std::to_string(i) + "] = " + shortest(h.values[i]) +
            (h.decibels ? " is not a finite magnitude ≥ 0 (decibels)" : " is not finite"));
}

// "#rrggbb", or "" where `empty_ok` (the colour cycle).
bool is_colour(const std::string& c, bool empty_ok) {
  if (c.empty()) return empty_ok;
  return c.size() == 7 && c[0] == '#' && std::all_of(c.begin() + 1, c.end(), [](char ch) {
           return std::isxdigit(static_cast<unsigned char>(ch));
         });
}

// The lines of a line panel or chart: as many x as y values, finite (positive on log axes).
void check_line_data(const std::string& where, const LinePanel& p) {
  for (std::size_t l = 0; l < p.lines.size(); ++l) {
    const Line& line = p.lines[l];
    const std::string name = where + ": lines[" + std::to_string(l) + "]";
    if (line.x.empty() || line.x.size() != line.y.size())
      usage(name + " has " + std::to_string(line.x.size()) + " x and " +
            std::to_string(line.y.size()) + " y values (expected as many, at least 1)");
    for (std::size_t i = 0; i < line.x.size(); ++i) {
      const auto check = [&](double v, bool log, const char* axis) {
        if (!std::isfinite(v) || (log && v <= 0))
          usage(name + "." + axis + "[" + std::to_string(i) + "] = " + shortest(v) +
                (log ? " is not positive and finite (log axis)" : " is not finite"));
      };
      check(line.x[i], p.logx, "x");
      check(line.y[i], p.logy, "y");
    }
  }
}

void check_lines(std::size_t index, const LinePanel& p) {
  const std::string where = panel_name(index, p.title);
  if (p.lines.empty()) usage(where + ": the line panel has no lines");
  check_line_data(where, p);
}

void check_chart(std::size_t index, const ChartPanel& p) {
  const std::string where = panel_name(index, p.title);
  if (p.lines.empty() && p.rects.empty())
    usage(where + ": the chart has no lines and no rectangles");
  check_line_data(where, p);
  for (std::size_t r = 0; r < p.rects.size(); ++r) {
    const Rect& b = p.rects[r];
    const std::string name = where + ": rects[" + std::to_string(r) + "]";
    for (const auto& [v, log, what] :
         {std::tuple{b.x0, p.logx, "x0"}, std::tuple{b.x1, p.logx, "x1"},
          std::tuple{b.y0, p.logy, "y0"}, std::tuple{b.y1, p.logy, "y1"}})
      if (!std::isfinite(v) || (log && v <= 0))
        usage(name + "." + what + " = " + shortest(v) +
              (log ? " is not positive and finite (log axis)" : " is not finite"));
    if (!(b.x0 < b.x1 && b.y0 < b.y1)) usage(name + " must have x0 < x1 and y0 < y1");
    if (!is_colour(b.colour, false))
      usage(name + ".colour must be \"#rrggbb\", got \"" + b.colour + "\"");
  }
  const auto check_range = [&](double lo, double hi, bool log, const char* axis) {
    if (std::isnan(lo) && std::isnan(hi)) return;
    if (std::isnan(lo) || std::isnan(hi) || !std::isfinite(lo) || !std::isfinite(hi) ||
        !(lo < hi) || (log && lo <= 0))
      usage(where + ": the " + axis + " range [" + shortest(lo) + ", " + shortest(hi) +
            "] must be finite with min < max (both NaN: from the data)" +
            (log ? " and min > 0 (log axis)" : ""));
  };
  if (p.styles.size() > p.lines.size())
    usage(where + ": " + std::to_string(p.styles.size()) + " styles for " +
          std::to_string(p.lines.size()) + " lines");
  for (std::size_t l = 0; l < p.styles.size(); ++l) {
    const LineStyle& st = p.styles[l];
    const std::string name = where + ": styles[" + std::to_string(l) + "]";
    if (!is_colour(st.colour, true))
      usage(name + ".colour must be \"#rrggbb\" or empty, got \"" + st.colour + "\"");
    if (!(st.width > 0 && st.width <= 20))
      usage(name + ".width must be in (0, 20], got " + shortest(st.width));
  }
  check_range(p.xmin, p.xmax, p.logx, "x");
  check_range(p.ymin, p.ymax, p.logy, "y");
  if (p.key != "top right" && p.key != "top left" && p.key != "bottom right" &&
      p.key != "bottom left")
    usage(where +
          ": key must be \"top right\", \"top left\", \"bottom right\" or \"bottom left\", "
          "got \"" +
          p.key + "\"");
  for (std::size_t t = 0; t < p.xtics.size(); ++t)
    if (!std::isfinite(p.xtics[t].at) || (p.logx && p.xtics[t].at <= 0))
      usage(where + ": xtics[" + std::to_string(t) + "].at = " + shortest(p.xtics[t].at) +
            " is not a finite position on the x axis");
}

// ---- heatmap axes -----------------------------------------------------------------------------

// Where one heatmap axis puts things. Coordinates u are the axis values themselves (linear and
// uniformly spaced), their log10 (log axis, uniform in log10), or else the index (any other
// monotonic spacing): in each case the pixels are uniform in u, as `with image` requires, and
// tics are placed at round values of the axis.
struct AxisPlan {
  double first = 0, pitch = 1;  // centre of the first drawn pixel and the pixel pitch, in u
  double lo = 0, hi = 1;        // plot range: the outer edges of the first and last centres
  std::string tics;             // the body of `set xtics (...)`: labelled tics
  std::string minor_tics;       // the body of `set xtics add (...)`: unlabelled minor tics
};

// Round values in [a, b], at most count + 1 of them, a step of 1, 2 or 5 × 10^k apart.
std::vector<double> linear_tics(double a, double b, int count) {
  const double mag = std::pow(10.0, std::floor(std::log10((b - a) / count)));
  double step = 10 * mag;
  for (const double m : {1.0, 2.0, 5.0})
    if ((b - a) / (m * mag) <= count + 1e-9) {
      step = m * mag;
      break;
    }
  std::vector<double> tics;
  for (double k = std::ceil(a / step - 1e-9); k <= std::floor(b / step + 1e-9); ++k)
    tics.push_back(std::abs(k) < 0.5 ? 0.0 : k * step);
  return tics;
}

// How much a round value deserves a label: 0 for 1 × 10^k (and 0), 1 for 5 × 10^k, 2 for
// 2 × 10^k, 3 for the other multiples.
int rank_of(double v) {
  if (v == 0) return 0;
  const double m = std::abs(v) / std::pow(10.0, std::floor(std::log10(std::abs(v)) + 1e-9));
  const double r = std::round(m);
  if (std::abs(m - r) > 1e-6) return 3;
  return r == 1 || r == 10 ? 0 : r == 5 ? 1 : r == 2 ? 2 : 3;
}

// m × 10^k (m = 1 … 9) in [a, b], a > 0.
std::vector<double> decade_tics(double a, double b) {
  std::vector<double> tics;
  for (int k = int(std::floor(std::log10(a))); k <= int(std::ceil(std::log10(b))); ++k)
    for (int m = 1; m <= 9; ++m)
      if (const double v = m * std::pow(10.0, k); v >= a * (1 - 1e-9) && v <= b * (1 + 1e-9))
        tics.push_back(v);
  return tics;
}

// Plans one heatmap axis of `length_px` pixels whose centres are increasing.
AxisPlan plan_axis(const std::vector<double>& centres, bool log, std::size_t block,
                   double length_px, double tic_spacing_px) {
  const std::size_t n = centres.size();
  const auto transform = [log](double v) { return log ? std::log10(v) : v; };
  std::vector<double> t(n);
  for (std::size_t i = 0; i < n; ++i) t[i] = transform(centres[i]);
  const double step = n > 1 ? (t[n - 1] - t[0]) / double(n - 1) : 1.0;
  bool uniform = true;
  for (std::size_t i = 0; i < n && uniform; ++i)
    uniform = std::abs(t[i] - (t[0] + double(i) * step)) <= 1e-3 * step;

  AxisPlan plan;
  // u(i): the coordinate of centre i; pixels of `block` centres are drawn at their mean u.
  const double u0 = uniform ? t[0] : 0.0, du = uniform ? step : 1.0;
  plan.first = u0 + du * double(block - 1) / 2;
  plan.pitch = du * double(block);
  plan.lo = u0 - du / 2;
  plan.hi = u0 + du * (double(n) - 0.5);
  if (n == 1) {
    plan.tics = gp_string(label_of(centres[0])) + " " + shortest(u0);
    return plan;
  }

  // Candidate values over the drawn range (the centres' range when drawn by index): round
  // linear values, or 1-2-5 in each decade (other multiples as minor tics) on a log axis or an
  // index axis spanning decades (e.g. mel frequencies).
  const auto inverse = [log](double u) { return log ? std::pow(10.0, u) : u; };
  const double a = uniform ? inverse(plan.lo) : centres.front();
  const double b = uniform ? inverse(plan.hi) : centres.back();
  const bool decades = log || (!uniform && a > 0 && b / a >= 20);
  const bool by_decade = decades && b / a >= 10;
  const std::vector<double> candidates =
      by_decade ? decade_tics(a, b)
                : linear_tics(a, b, std::clamp(int(length_px / tic_spacing_px), 2, 12));

  // Positions u (by interpolation in t when drawn by index) and pixels from the low edge.
  const auto position = [&](double v) {
    const double tv = transform(v);
    if (uniform) return tv;
    const auto j = std::clamp<std::size_t>(
        std::size_t(std::upper_bound(t.begin(), t.end(), tv) - t.begin()), 1, n - 1);
    return double(j - 1) + (tv - t[j - 1]) / (t[j] - t[j - 1]);
  };
  const auto pixel = [&](double v) {
    return (position(v) - plan.lo) / (plan.hi - plan.lo) * length_px;
  };
  // Labels each at least tic_spacing_px from the others, by decade rank (10^k, then 5, then
  // 2 × 10^k) or else from the low end; on decade axes the rest become minor tics when a decade
  // has room for them.
  const auto rank = [&](double v) { return by_decade ? rank_of(v) : 0; };
  std::vector<std::size_t> order(candidates.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
    return rank(candidates[i]) < rank(candidates[j]);
  });
  std::vector<double> labelled;
  std::vector<bool> is_label(candidates.size(), false);
  for (const std::size_t i : order) {
    const double p = pixel(candidates[i]);
    if (rank(candidates[i]) <= 2 && std::all_of(labelled.begin(), labelled.end(), [&](double q) {
          return std::abs(p - q) >= tic_spacing_px;
        })) {
      labelled.push_back(p);
      is_label[i] = true;
    }
  }
  const bool minor_room = decades && length_px / std::log10(b / a) >= 60;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (is_label[i])
      plan.tics += (plan.tics.empty() ? "" : ", ") + gp_string(label_of(candidates[i])) + " " +
                   shortest(position(candidates[i]));
    else if (minor_room)
      plan.minor_tics += (plan.minor_tics.empty() ? "" : ", ") + std::string("'' ") +
                         shortest(position(candidates[i])) + " 1";
  }
  return plan;
}

// ---- data files -------------------------------------------------------------------------------

template <class T>
void write_binary(const std::string& path, const std::vector<T>& values) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(values.data()),
            std::streamsize(values.size() * sizeof(T)));
  if (!out) throw IoError(path + ": cannot write: " + std::strerror(errno));
}

// The heatmap as drawn: orientation normalised to increasing centres, reduced by the maximum over
// blocks of bx × by cells, converted to decibels (20·log10(v / max), clipped below −range).
std::vector<float> image_values(const Heatmap& h, std::size_t bx, std::size_t by, bool flip_x,
                                bool flip_y, std::size_t& out_cols, std::size_t& out_rows) {
  out_cols = (h.cols + bx - 1) / bx;
  out_rows = (h.rows + by - 1) / by;
  std::vector<double> reduced(out_cols * out_rows, -std::numeric_limits<double>::infinity());
  for (std::size_t r = 0; r < h.rows; ++r) {
    const std::size_t rr = (flip_y ? h.rows - 1 - r : r) / by;
    for (std::size_t c = 0; c < h.cols; ++c) {
      const std::size_t cc = (flip_x ? h.cols - 1 - c : c) / bx;
      double& cell = reduced[rr * out_cols + cc];
      cell = std::max(cell, h.values[r * h.cols + c]);
    }
  }
  std::vector<float> out(reduced.size());
  const double peak = *std::max_element(h.values.begin(), h.values.end());
  for (std::size_t i = 0; i < reduced.size(); ++i) {
    double v = reduced[i];
    if (h.decibels)
      v = peak > 0 && v > 0 ? std::max(20 * std::log10(v / peak), -h.dynamic_range_db)
                            : -h.dynamic_range_db;
    out[i] = static_cast<float>(v);
  }
  return out;
}

// ---- layout -----------------------------------------------------------------------------------

// Pixel margins around each panel's plot area (tic labels + axis label at the left and bottom,
// the title on top, the colour bar with its tics and label at the right of heatmaps).
constexpr double kLeftPx = 82, kBottomPx = 58, kTopPx = 40, kRightLinesPx = 36, kRightHeatPx = 118,
                 kColourBarGapPx = 14, kColourBarWidthPx = 18, kTitleBandPx = 44;
// Least distance between labelled tics on heatmap axes.
constexpr double kXTicSpacingPx = 60, kYTicSpacingPx = 34;

struct Box {
  double left, right, bottom, top;  // screen fractions of the plot area
};

std::string margins(const Box& b) {
  return "set lmargin at screen " + shortest(b.left) + "\nset rmargin at screen " + shortest(b.right) +
         "\nset bmargin at screen " + shortest(b.bottom) + "\nset tmargin at screen " + shortest(b.top) +
         "\n";
}

std::string common_panel_settings(const std::string& title) {
  std::string s = "reset\n";
  s += "set title " + gp_string(title) + " font ':Bold,12'\n";
  s += "set border lw 1 lc rgb '#333333'\n";
  s += "set tics out nomirror scale 0.8\n";
  return s;
}

std::string heatmap_script(const Heatmap& h, const std::string& data_dir, std::size_t index,
                           const Box& box, double plot_w_px, double plot_h_px, double width_px) {
  const bool flip_x = h.cols > 1 && h.x.centres[1] < h.x.centres[0];
  const bool flip_y = h.rows > 1 && h.y.centres[1] < h.y.centres[0];
  std::vector<double> xc = h.x.centres, yc = h.y.centres;
  if (flip_x) std::reverse(xc.begin(), xc.end());
  if (flip_y) std::reverse(yc.begin(), yc.end());
  // Blocks small enough for the plot's pixels and the documented 2000 × 1000 bound.
  const double max_cols = std::min(2000.0, std::max(1.0, std::floor(plot_w_px)));
  const double max_rows = std::min(1000.0, std::max(1.0, std::floor(plot_h_px)));
  const auto bx = std::size_t(std::ceil(double(h.cols) / max_cols));
  const auto by = std::size_t(std::ceil(double(h.rows) / max_rows));
  AxisPlan px = plan_axis(xc, h.x.log, bx, plot_w_px, kXTicSpacingPx);
  AxisPlan py = plan_axis(yc, h.y.log, by, plot_h_px, kYTicSpacingPx);

  std::size_t cols = 0, rows = 0;
  std::vector<float> values = image_values(h, bx, by, flip_x, flip_y, cols, rows);
  // `with image` needs 2 pixels each way: a single column or row is drawn as two halves.
  if (cols == 1) {
    std::vector<float> doubled(2 * rows);
    for (std::size_t r = 0; r < rows; ++r) doubled[2 * r] = doubled[2 * r + 1] = values[r];
    values = std::move(doubled);
    cols = 2;
    px.pitch /= 2;
    px.first -= px.pitch / 2;
  }
  if (rows == 1) {
    values.insert(values.end(), values.begin(), values.end());
    rows = 2;
    py.pitch /= 2;
    py.first -= py.pitch / 2;
  }
  const std::string file = data_dir + "/heatmap" + std::to_string(index) + ".f32";
  write_binary(file, values);
  double lo = -h.dynamic_range_db, hi = 0;
  if (!h.decibels) {
    const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
    lo = *mn;
    hi = *mx > *mn ? double(*mx) : lo + 1;
    if (h.colormap == "coolwarm") {  // diverging: 0 at the neutral midpoint
      const double m = std::max(std::abs(double(*mn)), std::abs(double(*mx)));
      hi = m > 0 ? m : 1;
      lo = -hi;
    }
  }

  std::string s = common_panel_settings(h.title) + margins(box);
  s += "set xlabel " + gp_string(h.x.label) + " offset 0, 0.4\nset ylabel " + gp_string(h.y.label) +
       "\n";
  s += "set xrange [" + shortest(px.lo) + ":" + shortest(px.hi) + "]\n";
  s += "set yrange [" + shortest(py.lo) + ":" + shortest(py.hi) + "]\n";
  s += "set xtics (" + px.tics + ")\nset ytics (" + py.tics + ")\n";
  if (!px.minor_tics.empty()) s += "set xtics add (" + px.minor_tics + ")\n";
  if (!py.minor_tics.empty()) s += "set ytics add (" + py.minor_tics + ")\n";
  s += "set cbrange [" + shortest(lo) + ":" + shortest(hi) + "]\n";
  s += "set cblabel " + gp_string(h.colorbar_label) + "\n";
  s += "set cbtics out nomirror scale 0.8\n";
  s += "set colorbox user origin screen " + shortest(box.right + kColourBarGapPx / width_px) +
       ", screen " + shortest(box.bottom) + " size screen " + shortest(kColourBarWidthPx / width_px) +
       ", screen " + shortest(box.top - box.bottom) + " border\n";
  s += palette_command(h.colormap);
  s += "plot " + gp_string(file) + " binary array=(" + std::to_string(cols) + "," +
       std::to_string(rows) + ") format='%float32' origin=(" + shortest(px.first) + "," + shortest(py.first) +
       ") dx=" + shortest(px.pitch) + " dy=" + shortest(py.pitch) + " with image notitle\n";
  return s;
}

// Explicit ranges (given, or from the data when the panel has rectangles, which gnuplot's
// autoscaling ignores), named tics, and the rectangles as objects with their labels.
std::string ranges_and_rects(const ChartPanel& p) {
  std::string s;
  double xmin = p.xmin, xmax = p.xmax, ymin = p.ymin, ymax = p.ymax;
  if (!p.rects.empty() && (std::isnan(xmin) || std::isnan(ymin))) {
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (const Rect& r : p.rects) {
      x0 = std::min(x0, r.x0), x1 = std::max(x1, r.x1);
      y0 = std::min(y0, r.y0), y1 = std::max(y1, r.y1);
    }
    for (const Line& l : p.lines)
      for (std::size_t i = 0; i < l.x.size(); ++i) {
        x0 = std::min(x0, l.x[i]), x1 = std::max(x1, l.x[i]);
        y0 = std::min(y0, l.y[i]), y1 = std::max(y1, l.y[i]);
      }
    if (std::isnan(xmin)) {
      xmin = x0;
      xmax = x1 > x0 ? x1 : x0 + 1;
    }
    if (std::isnan(ymin)) {  // 5% of air above and below, as the line panels' offsets
      if (p.logy) {
        const double f = y1 > y0 ? std::pow(y1 / y0, 0.05) : 2.0;
        ymin = y0 / f, ymax = y1 * f;
      } else {
        const double air = y1 > y0 ? 0.05 * (y1 - y0) : 1.0;
        ymin = y0 - air, ymax = y1 + air;
      }
    }
  }
  if (!std::isnan(xmin)) s += "set xrange [" + shortest(xmin) + ":" + shortest(xmax) + "]\n";
  if (!std::isnan(ymin)) s += "set yrange [" + shortest(ymin) + ":" + shortest(ymax) + "]\n";
  if (!p.xtics.empty()) {
    s += "set xtics (";
    for (std::size_t t = 0; t < p.xtics.size(); ++t)
      s += (t ? ", " : "") + gp_string(p.xtics[t].label) + " " + shortest(p.xtics[t].at);
    s += ")\nset grid noxtics\n";
  }
  for (std::size_t r = 0; r < p.rects.size(); ++r) {
    const Rect& b = p.rects[r];
    const std::string id = std::to_string(r + 1);
    s += "set object " + id + " rect from " + shortest(b.x0) + "," + shortest(b.y0) + " to " + shortest(b.x1) +
         "," + shortest(b.y1) + " back fc rgb '" + b.colour + "' fillstyle " +
         (b.filled ? "solid 0.85" : "transparent solid 0.12") + " border lc rgb '" + b.colour +
         "' lw " + (b.filled ? "1" : "1.5") + "\n";
    if (!b.label.empty()) {
      const double cx = p.logx ? std::sqrt(b.x0 * b.x1) : 0.5 * (b.x0 + b.x1);
      s += "set label " + id + " " + gp_string(b.label) + " at " + shortest(cx) + "," + shortest(b.y1) +
           " center offset 0, 0.7 front\n";
    }
  }
  return s;
}

// `set xtics add` (or ytics) labelling 2·10^k and 5·10^k (and 3·10^k) inside the panel's range on
// a log axis spanning under three decades (under one), where gnuplot labels few or no tics.
std::string log_multiples(const ChartPanel& p, bool x) {
  double lo = x ? p.xmin : p.ymin, hi = x ? p.xmax : p.ymax;
  if (std::isnan(lo)) {
    lo = INFINITY, hi = -INFINITY;
    for (const Line& l : p.lines)
      for (double v : x ? l.x : l.y) lo = std::min(lo, v), hi = std::max(hi, v);
    for (const Rect& r : p.rects)
      lo = std::min(lo, x ? r.x0 : r.y0), hi = std::max(hi, x ? r.x1 : r.y1);
  }
  if (!(lo > 0 && hi > lo)) return "";
  const double span = std::log10(hi / lo);
  if (span >= 3) return "";
  const std::vector<int> multiples = span < 1 ? std::vector<int>{2, 3, 5} : std::vector<int>{2, 5};
  std::string tics;
  for (int k = int(std::floor(std::log10(lo))); k <= int(std::ceil(std::log10(hi))); ++k)
    for (int m : multiples)
      if (const double v = m * std::pow(10.0, k); v >= lo && v <= hi)
        tics += (tics.empty() ? "" : ", ") + gp_string(label_of(v)) + " " + shortest(v);
  return tics.empty() ? ""
                      : std::string("set ") + (x ? "xtics" : "ytics") + " add (" + tics + ")\n";
}

std::string lines_script(const ChartPanel& p, const std::string& data_dir, std::size_t index,
                         const Box& box) {
  std::string s = common_panel_settings(p.title) + margins(box);
  s += "set xlabel " + gp_string(p.xlabel) + " offset 0, 0.4\nset ylabel " + gp_string(p.ylabel) +
       "\n";
  s += "set style line 100 lc rgb '#e0e0e0' lw 1 dt solid\nset grid xtics ytics back ls 100, ls "
       "100\n";
  s += "set format x '%g'\nset format y '%g'\n";
  if (p.logx) s += "set logscale x\nset mxtics 10\n";
  if (p.logy) s += "set logscale y\nset mytics 10\n";
  if (p.label_log_multiples) {
    if (p.logx && p.xtics.empty()) s += log_multiples(p, true);
    if (p.logy) s += log_multiples(p, false);
  }
  // The x range of the data, the y range of the data with 5% of air above and below.
  s += "set autoscale xfix\nset autoscale yfix\nset offsets 0, 0, graph 0.05, graph 0.05\n";
  s += "set key " + p.key +
       " reverse Left opaque fc rgb '#33ffffff' box lc rgb '#bbbbbb' samplen 2.5 "
       "spacing 1.1\n";
  if (std::all_of(p.lines.begin(), p.lines.end(), [](const Line& l) { return l.label.empty(); }))
    s += "unset key\n";
  s += ranges_and_rects(p);
  if (p.lines.empty()) return s + "plot NaN notitle\n";  // rectangles only
  std::string plot = "plot ";
  for (std::size_t l = 0; l < p.lines.size(); ++l) {
    const Line& line = p.lines[l];
    std::vector<double> xy(2 * line.x.size());
    for (std::size_t i = 0; i < line.x.size(); ++i) {
      xy[2 * i] = line.x[i];
      xy[2 * i + 1] = line.y[i];
    }
    const std::string file =
        data_dir + "/lines" + std::to_string(index) + "_" + std::to_string(l) + ".f64";
    write_binary(file, xy);
    const LineStyle style = l < p.styles.size() ? p.styles[l] : LineStyle{};
    const std::string colour =
        style.colour.empty() ? kLineColours[l % std::size(kLineColours)] : style.colour;
    plot += (l ? ", \\\n     " : "") + gp_string(file) + " binary format='%float64%float64'" +
            " using 1:2 with " + (style.points ? "linespoints pt 7 ps 0.9" : "lines") + " lw " +
            shortest(style.width) + " lc rgb '" + colour + "'" + (style.dashed ? " dt 2" : "") + " " +
            (line.label.empty() ? "notitle" : "title " + gp_string(line.label));
  }
  return s + plot + "\n";
}

// ---- running gnuplot --------------------------------------------------------------------------

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The first error gnuplot printed ('"…/script.gp" line 12: undefined variable: x'), without the
// folder, or the last line it printed.
std::string first_error(const std::string& log, const std::string& dir) {
  std::istringstream in(log);
  std::string line, last;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t^") == std::string::npos) continue;
    for (std::size_t at; (at = line.find(dir + "/")) != std::string::npos;)
      line.erase(at, dir.size() + 1);
    if (line.find(" line ") != std::string::npos && line.find("warning:") == std::string::npos &&
        line.find(": ") != std::string::npos)
      return line;
    last = line;
  }
  return last.empty() ? "no message" : last;
}

// Runs `script` (which writes the PNG `output` in `dir`) and moves the PNG to `path` atomically.
void render_script(const std::string& gnuplot, const std::string& script, const std::string& dir,
                   const std::string& output, const std::string& path) {
  const std::string script_path = dir + "/figure.gp";
  write_binary(script_path, std::vector<char>(script.begin(), script.end()));
  const std::string log = dir + "/gnuplot.log";
  // -d: no ~/.gnuplot or system init file.
  const ProcessResult r = run_process({gnuplot, "-d", script_path}, log, log);
  if (r.signal)
    throw IoError(path + ": gnuplot was killed by signal " + std::to_string(r.signal));
  if (r.exit_code != 0) {
    if (r.exit_code == 127)
      throw IoError(path + ": cannot run " + gnuplot + " (install gnuplot-nox)");
    throw IoError(path + ": gnuplot failed (exit status " + std::to_string(r.exit_code) +
                  "): " + first_error(read_all(log), dir));
  }
  const std::string png = read_all(output);
  if (png.size() < 8 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0)
    throw IoError(path + ": gnuplot wrote no PNG: " + first_error(read_all(log), dir));
  write_file_atomic(path, png);
}

}  // namespace

std::string gnuplot_path() {
  if (const char* env = std::getenv("WST_GNUPLOT"); env && *env) {
    const std::string program = env;
    if (program.find('/') != std::string::npos) return is_executable_file(program) ? program : "";
    return find_on_path(program);
  }
  return find_on_path("gnuplot");
}

namespace {

// gnuplot_path(), or IoError (naming the picture `path`) saying how to get it.
std::string required_gnuplot_for(const std::string& path) {
  const std::string gnuplot = gnuplot_path();
  if (gnuplot.empty()) {
    const char* env = std::getenv("WST_GNUPLOT");
    throw IoError(path + ": gnuplot not found (" +
                  (env && *env ? "WST_GNUPLOT=" + std::string(env) + " is not an executable"
                               : "not on PATH") +
                  "); install gnuplot-nox");
  }
  return gnuplot;
}


}  // namespace

namespace {
void draw_figure(const Figure& figure, const std::string& path) {
  if (figure.panels.empty()) usage("the figure has no panels");
  if (figure.columns < 1 || figure.columns > 16)
    usage("columns must be in [1, 16], got " + std::to_string(figure.columns));
  const std::size_t columns = std::min<std::size_t>(figure.columns, figure.panels.size());
  const std::size_t rows = (figure.panels.size() + columns - 1) / columns;
  if (figure.width < 320 || figure.width > 16384)
    usage("width must be in [320, 16384] pixels, got " + std::to_string(figure.width));
  if (figure.panel_height < 200 || rows * std::size_t(figure.panel_height) > 16384)
    usage("panel_height must be at least 200 pixels and rows · panel_height at most 16384, got " +
          std::to_string(rows) + " · " + std::to_string(figure.panel_height));
  const double width = figure.width, height = double(rows) * figure.panel_height;
  const double title_px = figure.title.empty() ? 6 : kTitleBandPx;
  const double cell_w = width / double(columns), cell_h = (height - title_px) / double(rows);
  if (cell_w < kLeftPx + kRightHeatPx + 100)
    usage("width / columns = " + std::to_string(int(cell_w)) +
          " pixels is too narrow for a panel (at least " +
          std::to_string(int(kLeftPx + kRightHeatPx + 100)) + ")");
  for (std::size_t i = 0; i < figure.panels.size(); ++i) {
    if (const auto* h = std::get_if<Heatmap>(&figure.panels[i]))
      check_heatmap(i, *h);
    else if (const auto* c = std::get_if<ChartPanel>(&figure.panels[i]))
      check_chart(i, *c);
    else
      check_lines(i, std::get<LinePanel>(figure.panels[i]));
  }

  const std::string gnuplot = required_gnuplot_for(path);
  remove_stale_temporaries(temp_folder_parent(), "wst-plot");
  const TempFolder dir(temp_folder_pattern("wst-plot"));
  const std::string output = dir.path() + "/figure.png";
  std::string script = "set terminal pngcairo size " + std::to_string(figure.width) + "," +
                       std::to_string(int(height)) +
                       " font 'DejaVu Sans,11' noenhanced background rgb 'white'\n";
  script += "set encoding utf8\nset output " + gp_string(output) + "\n";
  script += "set multiplot" +
            (figure.title.empty() ? "" : " title " + gp_string(figure.title) + " font ':Bold,14'") +
            "\n";
  for (std::size_t i = 0; i < figure.panels.size(); ++i) {
    const double x0 = double(i % columns) * cell_w;
    const double y1 = height - title_px - double(i / columns) * cell_h;  // top edge, pixels up
    const bool heat = std::holds_alternative<Heatmap>(figure.panels[i]);
    const Box px{x0 + kLeftPx, x0 + cell_w - (heat ? kRightHeatPx : kRightLinesPx),
                 y1 - cell_h + kBottomPx, y1 - kTopPx};
    const Box box{px.left / width, px.right / width, px.bottom / height, px.top / height};
    if (heat)
      script += heatmap_script(std::get<Heatmap>(figure.panels[i]), dir.path(), i, box,
                               px.right - px.left, px.top - px.bottom, width);
    else if (const auto* c = std::get_if<ChartPanel>(&figure.panels[i]))
      script += lines_script(*c, dir.path(), i, box);
    else {  // a plain line panel: a chart with the default styles
      ChartPanel chart;
      static_cast<LinePanel&>(chart) = std::get<LinePanel>(figure.panels[i]);
      chart.label_log_multiples = false;
      script += lines_script(chart, dir.path(), i, box);
    }
  }
  script += "unset multiplot\nset output\n";
  render_script(gnuplot, script, dir.path(), output, path);
}
}  // namespace

// Errors name the picture being drawn.
void render_png(const Figure& figure, const std::string& path) {
  try {
    draw_figure(figure, path);
  } catch (const UsageError& e) {
    throw UsageError(path + ": " + e.what());
  }
}

// ---- grids of small images ----------------------------------------------------------------------

namespace {

// Grid layout, in pixels.
constexpr double kGridGapPx = 6, kGridRowGapPx = 8, kGridRowGapPerBarPx = 16,
                 kGridColumnLabelPx = 22, kGridBarGapPx = 12, kGridBarPx = 14, kGridRightPx = 62,
                 kGridBottomPx = 10;

void check_grid(const TileGrid& g) {
  const auto bad = [](const std::string& what) { throw UsageError("tile grid: " + what); };
  if (g.rows.empty()) bad("the grid has no rows");
  if (g.tile_px < 24 || g.tile_px > 1024)
    bad("tile_px must be in [24, 1024], got " + std::to_string(g.tile_px));
  if (g.label_px < 0 || g.label_px > 1024)
    bad("label_px must be in [0, 1024], got " + std::to_string(g.label_px));
  for (std::size_t r = 0; r < g.rows.size(); ++r) {
    const TileRow& row = g.rows[r];
    const std::string where =
        "rows[" + std::to_string(r) + "]" + (row.label.empty() ? "" : " ('" + row.label + "')");
    if (row.tiles.empty()) bad(where + " has no tiles");
    if (!known_colormap(row.colormap))
      bad(where + ": colormap must be \"viridis\", \"magma\" or \"coolwarm\", got \"" +
          row.colormap + "\"");
    for (std::size_t t = 0; t < row.tiles.size(); ++t) {
      const Tile& tile = row.tiles[t];
      const std::string name = where + ".tiles[" + std::to_string(t) + "]";
      if (tile.rows < 2 || tile.cols < 2 || tile.rows > 4096 || tile.cols > 4096)
        bad(name + " is " + std::to_string(tile.rows) + " × " + std::to_string(tile.cols) +
            " pixels: each side must be in [2, 4096]");
      if (tile.values.size() != tile.rows * tile.cols)
        bad(name + " has " + std::to_string(tile.values.size()) +
            " values, expected rows · cols = " + std::to_string(tile.rows * tile.cols));
      for (std::size_t i = 0; i < tile.values.size(); ++i)
        if (!std::isfinite(tile.values[i]))
          bad(name + ".values[" + std::to_string(i) + "] = " + shortest(tile.values[i]) +
              " is not finite");
    }
  }
}

// The colour range of some rows: [min, max], or symmetric about 0 for a diverging map.
std::pair<double, double> colour_range(const std::vector<const TileRow*>& rows, bool diverging) {
  double lo = INFINITY, hi = -INFINITY;
  for (const TileRow* row : rows)
    for (const Tile& t : row->tiles)
      for (double v : t.values) lo = std::min(lo, v), hi = std::max(hi, v);
  if (diverging) {
    const double m = std::max(std::abs(lo), std::abs(hi));
    return m > 0 ? std::pair{-m, m} : std::pair{-1.0, 1.0};
  }
  return hi > lo ? std::pair{lo, hi} : std::pair{lo, lo + 1};
}

}  // namespace

namespace {

// Where a grid's rows, tiles and colour bars go, in pixels.
struct GridLayout {
  std::size_t columns = 0;
  bool column_labels = false;
  double tile = 0;
  std::vector<double> row_top_px;  // the top edge of each row, from the top of the picture
  double bar_left = 0;
  int width = 0, height = 0;
};

GridLayout grid_layout(const TileGrid& g) {
  GridLayout l;
  for (const TileRow& row : g.rows) l.columns = std::max(l.columns, row.tiles.size());
  l.column_labels = g.column_label_row < g.rows.size() &&
                    std::any_of(g.column_labels.begin(), g.column_labels.end(),
                                [](const std::string& s) { return !s.empty(); });
  l.tile = g.tile_px;
  const double title_px = g.title.empty() ? 8 : kTitleBandPx;
  // Rows with colour bars of their own need room between the bars for their end labels.
  const double row_gap = g.shared_range ? kGridRowGapPx : kGridRowGapPerBarPx;
  l.row_top_px.resize(g.rows.size());
  double y = title_px;
  for (std::size_t r = 0; r < g.rows.size(); ++r) {
    if (l.column_labels && r == g.column_label_row) y += kGridColumnLabelPx;
    l.row_top_px[r] = y;
    y += l.tile + row_gap;
  }
  const double grid_right = g.label_px + double(l.columns) * (l.tile + kGridGapPx) - kGridGapPx;
  l.bar_left = grid_right + kGridBarGapPx;
  const double label_extra = g.colorbar_label.empty() ? 0 : 22;
  l.width = std::max(320, int(std::ceil(l.bar_left + kGridBarPx + kGridRightPx + label_extra)));
  l.height = int(std::ceil(y - row_gap + kGridBottomPx));
  if (l.width > 16384 || l.height > 16384)
    throw UsageError("tile grid: the grid would be " + std::to_string(l.width) + " × " +
                     std::to_string(l.height) + " pixels (at most 16384 each way)");
  return l;
}

// Colour ranges: one for the grid, or one per row.
std::vector<std::pair<double, double>> grid_ranges(const TileGrid& g) {
  std::vector<std::pair<double, double>> ranges;
  if (g.shared_range) {
    std::vector<const TileRow*> all;
    for (const TileRow& row : g.rows) all.push_back(&row);
    const bool diverging = std::any_of(g.rows.begin(), g.rows.end(),
                                       [](const TileRow& r) { return r.colormap == "coolwarm"; });
    ranges.assign(g.rows.size(), colour_range(all, diverging));
  } else {
    for (const TileRow& row : g.rows)
      ranges.push_back(colour_range({&row}, row.colormap == "coolwarm"));
  }
  return ranges;
}

// The tics of a colour bar `height` pixels tall. Tall bars: round tics about 40 pixels apart.
// Short ones: the ends of the range (two significant digits) and 0 when it lies inside.
std::string bar_tics(double lo, double hi, double height) {
  std::string tics;
  const auto add = [&](double v, const std::string& text) {
    tics += (tics.empty() ? "" : ", ") + gp_string(text) + " " + shortest(v);
  };
  if (height >= 160) {
    for (double v : linear_tics(lo, hi, int(height / 40))) add(v, label_of(v));
  } else {
    char text[32];
    // A minimum that is 0 but for rounding (a modulus) reads as 0.
    std::snprintf(text, sizeof text, "%.2g", std::abs(lo) < 1e-6 * std::abs(hi) ? 0.0 : lo);
    add(lo, text);
    if (lo < 0 && hi > 0) add(0, "0");
    std::snprintf(text, sizeof text, "%.2g", hi);
    add(hi, text);
  }
  return tics;
}

// The tile's values as float32, row 0 on top (gnuplot draws y upwards), in `file`.
void write_tile(const Tile& t, const std::string& file) {
  std::vector<float> values(t.values.size());
  for (std::size_t i = 0; i < t.rows; ++i)
    for (std::size_t k = 0; k < t.cols; ++k)
      values[(t.rows - 1 - i) * t.cols + k] = float(t.values[i * t.cols + k]);
  write_binary(file, values);
}

// The script of tile c of row r, whose data is in `file`.
std::string tile_script(const TileGrid& g, const GridLayout& l, std::pair<double, double> range,
                        std::size_t r, std::size_t c, const std::string& file) {
  const TileRow& row = g.rows[r];
  const Tile& t = row.tiles[c];
  const double W = l.width, H = l.height, tile = l.tile;
  const double row_top = H - l.row_top_px[r];  // pixels up from the bottom
  // The image inside its square cell, keeping its aspect ratio.
  const double aspect = double(t.cols) / double(t.rows);
  const double w = aspect >= 1 ? tile : tile * aspect, h = aspect >= 1 ? tile / aspect : tile;
  const double cx = g.label_px + double(c) * (tile + kGridGapPx) + tile / 2,
               cy = row_top - tile / 2;
  const Box box{(cx - w / 2) / W, (cx + w / 2) / W, (cy - h / 2) / H, (cy + h / 2) / H};
  std::string s = "reset\nunset border\nunset xtics\nunset ytics\nunset key\n" + margins(box);
  s += "set xrange [-0.5:" + shortest(double(t.cols) - 0.5) +
       "]\nset yrange [-0.5:" + shortest(double(t.rows) - 0.5) + "]\n";
  s += palette_command(row.colormap);
  const auto [lo, hi] = range;
  s += "set cbrange [" + shortest(lo) + ":" + shortest(hi) + "]\n";
  const bool last = c + 1 == row.tiles.size();
  if (g.shared_range ? (r == 0 && last) : last) {
    const double bar_top = row_top,
                 bar_bottom = g.shared_range ? H - l.row_top_px.back() - tile : row_top - tile;
    s += "set colorbox user origin screen " + shortest(l.bar_left / W) + ", screen " +
         shortest(bar_bottom / H) + " size screen " + shortest(kGridBarPx / W) + ", screen " +
         shortest((bar_top - bar_bottom) / H) + " border\n";
    s += "set cbtics out nomirror scale 0.6 font ',9' (" + bar_tics(lo, hi, bar_top - bar_bottom) +
         ")\n";
  } else {
    s += "unset colorbox\n";
  }
  if (c == 0 && !row.label.empty() && g.label_px > 0)
    s += "set label 1 " + gp_string(row.label) + " at screen " + shortest((g.label_px - 10) / W) +
         ", screen " + shortest(cy / H) + " right front\n";
  if (l.column_labels && r == g.column_label_row && c < g.column_labels.size() &&
      !g.column_labels[c].empty())
    s += "set label 2 " + gp_string(g.column_labels[c]) + " at screen " + shortest(cx / W) +
         ", screen " + shortest((row_top + 9) / H) + " center front\n";
  if (r == 0 && c == 0 && !g.colorbar_label.empty())  // along the right edge
    s += "set label 3 " + gp_string(g.colorbar_label) + " at screen " + shortest((W - 14) / W) +
         ", screen " +
         shortest((H - l.row_top_px.front() + H - l.row_top_px.back() - tile) / 2 / H) +
         " center rotate by 90 front\n";
  return s + "plot " + gp_string(file) + " binary array=(" + std::to_string(t.cols) + "," +
         std::to_string(t.rows) + ") format='%float32' with image notitle\n";
}

void draw_grid(const TileGrid& g, const std::string& path) {
  check_grid(g);
  const GridLayout l = grid_layout(g);
  const std::vector<std::pair<double, double>> ranges = grid_ranges(g);
  const std::string gnuplot = required_gnuplot_for(path);
  remove_stale_temporaries(temp_folder_parent(), "wst-plot");
  const TempFolder dir(temp_folder_pattern("wst-plot"));
  const std::string output = dir.path() + "/figure.png";
  std::string script = "set terminal pngcairo size " + std::to_string(l.width) + "," +
                       std::to_string(l.height) +
                       " font 'DejaVu Sans,11' noenhanced background rgb 'white'\n";
  script += "set encoding utf8\nset output " + gp_string(output) + "\n";
  script += "set multiplot" +
            (g.title.empty() ? "" : " title " + gp_string(g.title) + " font ':Bold,14'") + "\n";
  for (std::size_t r = 0; r < g.rows.size(); ++r)
    for (std::size_t c = 0; c < g.rows[r].tiles.size(); ++c) {
      const std::string file =
          dir.path() + "/tile" + std::to_string(r) + "_" + std::to_string(c) + ".f32";
      write_tile(g.rows[r].tiles[c], file);
      script += tile_script(g, l, ranges[r], r, c, file);
    }
  script += "unset multiplot\nset output\n";
  render_script(gnuplot, script, dir.path(), output, path);
}
}  // namespace

void render_grid_png(const TileGrid& g, const std::string& path) {
  try {
    draw_grid(g, path);
  } catch (const UsageError& e) {
    throw UsageError(path + ": " + e.what());
  }
}

}  // namespace wst::plot
