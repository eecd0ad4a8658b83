// The pictures of reconstruction from scattering (wst/plot/reconstruction.hpp; Bruna & Mallat
// 2013, §3.1).
#include "wst/plot/reconstruction.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "wst/support/error.hpp"

namespace wst::plot {
namespace {

// One colour per run (matplotlib's tab10, skipping grey, which draws the target).
constexpr const char* kRunColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                       "#9467bd", "#8c564b", "#e377c2", "#17becf"};
constexpr const char* kTargetColour = "#7f7f7f";
constexpr double kFloor = 1e-16;  // errors are drawn at least this large on the log axis

const char* run_colour(std::size_t k) { return kRunColours[k % std::size(kRunColours)]; }

// What lab::aligned_signal draws beside y: x, −x (S x = S(−x) when y's average vanishes) or, for
// a signal, x turned by the global phase S cannot see; `note` says which, for the panel's title.
std::vector<double> aligned(const lab::ReconstructionResult& r, std::string& note) {
  std::vector<double> x = lab::aligned_signal(r).data;
  bool same = true, minus = true;
  for (std::size_t i = 0; i < x.size(); ++i)
    same = same && x[i] == r.signal.data[i], minus = minus && x[i] == -r.signal.data[i];
  note = same ? " x" : minus ? " −x (S x = S(−x))" : " x, global phase fitted";
  return x;
}

std::string order_text(const lab::ReconstructionResult& r) {
  return "order ≤ " + std::to_string(r.config.order);
}

// An image (rows × cols, row 0 on top as images are read) as a heatmap of its values.
Heatmap image_panel(const Shape& shape, std::vector<double> values, const std::string& title) {
  Heatmap h;
  h.title = title;
  h.rows = shape[0];
  h.cols = shape[1];
  h.values = std::move(values);
  h.decibels = false;
  h.colormap = "viridis";
  h.colorbar_label = "value";
  h.x.label = "x (pixels)";
  h.y.label = "y (pixels)";
  for (std::size_t c = 0; c < h.cols; ++c) h.x.centres.push_back(double(c));
  for (std::size_t r = 0; r < h.rows; ++r) h.y.centres.push_back(double(h.rows - 1 - r));
  return h;
}

Line samples_line(const std::vector<double>& values, const std::string& label) {
  Line l;
  l.label = label;
  for (std::size_t i = 0; i < values.size(); ++i) {
    l.x.push_back(double(i));
    l.y.push_back(values[i]);
  }
  return l;
}

// A signal panel: the target (grey, under `x`; dark alone) and `x` (empty: the target alone).
ChartPanel signal_panel(const lab::ReconstructionResult& r, const std::vector<double>& x,
                        const std::string& title, const std::string& label,
                        const std::string& colour) {
  ChartPanel p;
  p.title = title;
  p.xlabel = "sample n";
  p.ylabel = "amplitude";
  p.lines.push_back(samples_line(r.target.data, x.empty() ? "" : "target y"));
  p.styles.push_back({x.empty() ? "#333333" : kTargetColour, x.empty() ? 1.2 : 3.0, false, false});
  if (!x.empty()) {
    p.lines.push_back(samples_line(x, label));
    p.styles.push_back({colour, 1.2, false, false});
  }
  return p;
}

// The random start, faint.
ChartPanel start_panel(const lab::ReconstructionResult& r) {
  ChartPanel p;
  p.title = "start: white noise";
  p.xlabel = "sample n";
  p.ylabel = "amplitude";
  p.lines.push_back(samples_line(r.start.data, ""));
  p.styles.push_back({"#9ab8d8", 1, false, false});
  return p;
}

// The height in pixels of a panel's plot in a figure of `rows` rows (render_png's margins: 58
// pixels below, 40 above, and the figure's title band of 44).
double plot_height(const Figure& fig, std::size_t rows) {
  return fig.panel_height - 98.0 - 44.0 / double(std::max<std::size_t>(rows, 1));
}

// Room for the legend at the top right of a log-y panel whose plot is `plot_px` pixels tall:
// the y range runs from just under the data to where the legend (about 18 pixels an entry) sits
// above them all.
void legend_room(ChartPanel& p, double plot_px) {
  std::size_t entries = 0;
  double y0 = INFINITY, y1 = -INFINITY;
  for (const Line& l : p.lines) {
    entries += !l.label.empty();
    for (double y : l.y) y0 = std::min(y0, std::log10(y)), y1 = std::max(y1, std::log10(y));
  }
  const double h = std::max(y1 - y0, 0.5);
  const double tall = std::min(0.6, (18.0 * double(entries) + 14) / plot_px);
  p.ymin = std::pow(10.0, y0 - 0.05 * h);
  p.ymax = std::pow(10.0, y0 - 0.05 * h + 1.05 * h / (1 - tall));
  p.key = "top right";
}

// The two error curves of each run: ‖S x − S y‖/‖S y‖ solid, min‖x ∓ y‖/‖y‖ dashed, one colour
// and one legend entry per run; a single run's two curves in two colours, each in the legend.
ChartPanel error_panel(const std::vector<const lab::ReconstructionResult*>& runs,
                       const std::vector<std::string>& labels, double plot_px) {
  ChartPanel p;
  p.title = "Relative errors per iteration";
  p.xlabel = "iteration";
  p.ylabel = "relative error";
  p.logy = true;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    Line scattering, signal;
    if (runs.size() == 1) {
      scattering.label = "‖Sx−Sy‖/‖Sy‖";
      signal.label = "min‖x∓y‖/‖y‖";
    } else {
      scattering.label = labels[k];  // the two entries below tell solid from dashed
    }
    for (const lab::ReconstructionStep& s : runs[k]->history) {
      scattering.x.push_back(s.iteration);
      scattering.y.push_back(std::max(s.scattering_error, kFloor));
      signal.x.push_back(s.iteration);
      signal.y.push_back(std::max(s.signal_error, kFloor));
    }
    p.lines.push_back(std::move(scattering));
    p.styles.push_back({run_colour(k), 2, false, false});
    p.lines.push_back(std::move(signal));
    p.styles.push_back({run_colour(runs.size() == 1 ? 1 : k), 2, false, true});
  }
  if (runs.size() > 1)  // legend entries only: one point draws no line
    for (const bool dashed : {false, true}) {
      const Line& first = p.lines[dashed ? 1 : 0];
      p.lines.push_back({{first.x[0]}, {first.y[0]}, dashed ? "min‖x∓y‖/‖y‖" : "‖Sx−Sy‖/‖Sy‖"});
      p.styles.push_back({"#333333", 2, false, dashed});
    }
  legend_room(p, plot_px);
  return p;
}

void check_run(const lab::ReconstructionResult* r) {
  if (!r) throw UsageError("reconstruction figure: a run is missing (null)");
  if (r->history.empty()) throw UsageError("reconstruction figure: a run has no history");
  if (r->target.ndim() != 1 && r->target.ndim() != 2)
    throw UsageError("reconstruction figure: the target has shape " +
                     shape_string(r->target.shape) + ", not (N,) or (M, N)");
  if (r->signal.shape != r->target.shape || r->start.shape != r->target.shape)
    throw UsageError("reconstruction figure: the start or the reconstruction has another shape "
                     "than the target " + shape_string(r->target.shape));
}

std::string method_text(const lab::ReconstructionResult& r) {
  const std::string name = r.config.optimizer == lab::Optimizer::lbfgs ? "L-BFGS" : "Adam";
  if (r.restarts == 0) return name;
  return name + " with " + std::to_string(r.restarts) + " restart" + (r.restarts > 1 ? "s" : "");
}

std::string scale_text(const lab::ReconstructionResult& r) {
  return "J = " + std::to_string(r.config.J) +
         (r.target.ndim() == 2 ? ", L = " + std::to_string(r.config.L)
                               : ", Q = " + std::to_string(r.config.Q));
}

}  // namespace

Figure reconstruction_figure(const lab::ReconstructionResult& r) {
  check_run(&r);
  Figure fig;
  fig.title = "Reconstruction from scattering (" + scale_text(r) + ", " + order_text(r) + ", " +
              method_text(r) + ", " + std::to_string(r.history.back().iteration) + " iterations)";
  const bool image = r.target.ndim() == 2;
  fig.columns = image ? 4 : 1;
  fig.width = image ? 2000 : 1200;  // heatmaps of about 300 × 300 pixels
  fig.panel_height = image ? 440 : 300;
  fig.panels.push_back(error_panel({&r}, {""}, plot_height(fig, image ? 1 : 3)));
  std::string note;
  const std::vector<double> x = aligned(r, note);
  const std::string recon = "reconstruction" + note;
  if (image) {
    fig.panels.push_back(image_panel(r.target.shape, r.target.data, "target y"));
    fig.panels.push_back(image_panel(r.start.shape, r.start.data, "start: white noise"));
    fig.panels.push_back(image_panel(r.signal.shape, x, recon));
  } else {
    fig.panels.push_back(signal_panel(r, x, "target y and " + recon, recon, run_colour(0)));
    fig.panels.push_back(start_panel(r));
  }
  return fig;
}

Figure reconstruction_comparison_figure(const std::vector<const lab::ReconstructionResult*>& runs,
                                        const std::vector<std::string>& labels) {
  if (runs.empty()) throw UsageError("reconstruction figure: no runs");
  if (labels.size() != runs.size())
    throw UsageError("reconstruction figure: " + std::to_string(labels.size()) + " labels for " +
                     std::to_string(runs.size()) + " runs");
  for (const auto* r : runs) check_run(r);
  const lab::ReconstructionResult& first = *runs[0];
  for (const auto* r : runs)
    if (r->target.shape != first.target.shape)
      throw UsageError("reconstruction figure: the runs have targets of different shapes");
  Figure fig;
  fig.title = "Reconstruction from scattering (" + scale_text(first) + ", " + method_text(first) +
              ", the same white-noise start)";
  const bool image = first.target.ndim() == 2;
  // Images: target, reconstructions and errors in a row; signals: two columns.
  const std::size_t panels = runs.size() + 2;
  fig.columns = image ? int(std::min<std::size_t>(panels, 8)) : 2;
  fig.width = image ? 500 * fig.columns : 1600;
  fig.panel_height = image ? 440 : 320;
  const std::size_t rows = (panels + std::size_t(fig.columns) - 1) / std::size_t(fig.columns);
  ChartPanel errors = error_panel(runs, labels, plot_height(fig, rows));
  if (image)
    fig.panels.push_back(image_panel(first.target.shape, first.target.data, "target y"));
  else
    fig.panels.push_back(signal_panel(first, {}, "target y", "", ""));
  if (!image) fig.panels.push_back(errors);
  for (std::size_t k = 0; k < runs.size(); ++k) {
    std::string note;
    const std::vector<double> x = aligned(*runs[k], note);
    const std::string title = "reconstruction" + note + ", " + labels[k];
    if (image)
      fig.panels.push_back(image_panel(first.target.shape, x, title));
    else
      fig.panels.push_back(signal_panel(*runs[k], x, title + " (target in grey)", labels[k],
                                        run_colour(k)));
  }
  if (image) fig.panels.push_back(std::move(errors));
  return fig;
}

}  // namespace wst::plot
