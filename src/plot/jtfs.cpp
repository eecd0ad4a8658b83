// The pictures of time scattering against JTFS (wst/plot/jtfs.hpp; Andén, Lostanlen & Mallat
// 2019).
#include "wst/plot/jtfs.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <string>
#include <vector>

#include "wst/core/cwt.hpp"
#include "wst/plot/tf_panels.hpp"
#include "wst/support/error.hpp"

namespace wst::plot {
namespace {

constexpr const char* kTimeColour = "#1f77b4";  // time scattering
constexpr const char* kJtfsColour = "#d62728";  // JTFS
constexpr const char* kPlusColour = "#ff7f0e";  // spin +1
constexpr const char* kMinusColour = "#9467bd";  // spin −1

std::string fixed(const char* format, double v) {
  char b[32];
  std::snprintf(b, sizeof b, format, v);
  return b;
}

// A legend entry only: one point draws no line.
void legend(ChartPanel& p, const std::string& label, const char* colour, double x, double y) {
  p.lines.push_back({{x}, {y}, label});
  p.styles.push_back({colour, 8, false, false});
}

// Two bars per pair (time scattering, JTFS), the value on top of each.
ChartPanel distance_panel(const lab::JtfsComparisonResult& r, bool order2) {
  ChartPanel p;
  p.title = order2 ? "Relative distance, order 2 alone" : "Relative distance ‖Φx − Φy‖ / ‖Φx‖, orders 1–2";
  p.ylabel = "relative distance";
  double top = 0;
  for (std::size_t k = 0; k < r.pairs.size(); ++k) {
    const lab::JtfsPairDistance& d = r.pairs[k];
    const double t = order2 ? d.time_scattering_order2 : d.time_scattering;
    const double j = order2 ? d.jtfs_order2 : d.jtfs;
    const double x = 3.0 * double(k);
    p.rects.push_back({x - 0.9, x, 0, t, kTimeColour, true, fixed("%.3f", t)});
    p.rects.push_back({x, x + 0.9, 0, j, kJtfsColour, true, fixed("%.3f", j)});
    p.xtics.push_back({x, d.x_name + " vs " + d.y_name});
    top = std::max({top, t, j});
  }
  p.xmin = -1.5;
  p.xmax = 3.0 * double(r.pairs.size()) - 1.5;
  p.ymin = 0;
  p.ymax = 1.35 * top;  // room for the labels and the legend
  p.key = "top left";
  legend(p, "time scattering", kTimeColour, 0, 0);
  legend(p, "JTFS", kJtfsColour, 0, 0);
  return p;
}

// |x ⋆ ψ| of the T samples around N/4 (Morlet, Q = 8), frequencies log-spaced around the signals'.
Heatmap scalogram(const std::vector<double>& x, const lab::JtfsComparisonResult& r,
                  const std::string& title) {
  const std::size_t N = x.size(), T = std::min<std::size_t>(std::size_t(1) << r.config.J, N);
  const std::size_t start = std::min(N - T, N / 4 > T / 2 ? N / 4 - T / 2 : 0);
  const std::vector<double> segment(x.begin() + std::ptrdiff_t(start),
                                    x.begin() + std::ptrdiff_t(start + T));
  CwtParams params;
  params.frequencies = log_frequencies(r.signals.f_lo / 2, std::min(0.49, 1.3 * r.signals.f_hi), 96);
  params.Q = 8;
  const Cwt cwt(T, params);
  const Array<std::complex<double>> W = cwt(Array<double>({T}, segment));
  const Units u{r.config.sample_rate};
  Heatmap h = scalogram_panel(W.data.data(), cwt.scales(), T, params.frequencies, u, 50, title);
  for (std::size_t n = 0; n < T; ++n) h.x.centres[n] = u.time(double(start + n));
  return h;
}

// One chirp's map with the spins stacked on a signed scale axis: spin −1 rows (by decreasing
// |ξ_fr|) below 0, spin +1 rows (by increasing |ξ_fr|) above.
Heatmap map_panel(const lab::ScaleRateMap& m, const lab::JtfsComparisonConfig& c,
                  const std::string& title) {
  const std::size_t K = m.xi_fr.size(), cols = m.xi2.size();
  if (K == 0 || cols == 0 || m.plus.size() != K * cols || m.minus.size() != K * cols)
    throw UsageError("scale_rate_figure: the map of the " + title + " is empty or its sizes do "
                     "not match its axes");
  Heatmap h;
  h.title = title;
  h.rows = 2 * K;
  h.cols = cols;
  for (std::size_t r = K; r-- > 0;) {
    h.y.centres.push_back(-m.xi_fr[r] * c.Q);
    h.values.insert(h.values.end(), m.minus.begin() + std::ptrdiff_t(r * cols),
                    m.minus.begin() + std::ptrdiff_t((r + 1) * cols));
  }
  for (std::size_t r = 0; r < K; ++r) {
    h.y.centres.push_back(m.xi_fr[r] * c.Q);
    h.values.insert(h.values.end(), m.plus.begin() + std::ptrdiff_t(r * cols),
                    m.plus.begin() + std::ptrdiff_t((r + 1) * cols));
  }
  for (double& v : h.values) v = std::sqrt(v);  // amplitudes, so that dB are 20·log10
  for (double xi : m.xi2) h.x.centres.push_back(xi * c.sample_rate);
  h.x.label = "temporal rate ξ2 (Hz)";
  h.x.log = true;
  h.y.label = "scale spin·|ξ_fr| (cycles/octave)";
  h.colorbar_label = "energy (dB re max)";
  h.dynamic_range_db = 30;
  h.colormap = "magma";
  return h;
}

// Each chirp's second-order energy per spin, as a share of its spin ±1 energy.
ChartPanel spin_panel(const lab::JtfsComparisonResult& r) {
  ChartPanel p;
  p.title = "Second-order energy per spin";
  p.ylabel = "share of the spin ±1 energy";
  const lab::ScaleRateMap* maps[] = {&r.up_map, &r.down_map};
  const char* names[] = {"up-chirp", "down-chirp"};
  for (std::size_t k = 0; k < 2; ++k) {
    const double plus = maps[k]->total_plus(), minus = maps[k]->total_minus();
    const double x = 3.0 * double(k), a = plus / (plus + minus), b = minus / (plus + minus);
    p.rects.push_back({x - 0.9, x, 0, a, kPlusColour, true, fixed("%.2f", a)});
    p.rects.push_back({x, x + 0.9, 0, b, kMinusColour, true, fixed("%.2f", b)});
    p.xtics.push_back({x, names[k]});
  }
  p.xmin = -1.5, p.xmax = 4.5, p.ymin = 0, p.ymax = 1.15;
  legend(p, "spin +1", kPlusColour, 0, 0);
  legend(p, "spin −1", kMinusColour, 0, 0);
  return p;
}

std::string setting(const lab::JtfsComparisonConfig& c) {
  return "N = " + std::to_string(c.N) + ", J = " + std::to_string(c.J) + " (T = " +
         std::to_string(1 << c.J) + "), Q = (" + std::to_string(c.Q) + ", " +
         std::to_string(c.Q2) + "), J_fr = " + std::to_string(c.J_fr) + ", Q_fr = " +
         std::to_string(c.Q_fr);
}

}  // namespace

Figure scale_rate_figure(const lab::JtfsComparisonResult& r) {
  Figure fig;
  fig.title = "Scale–rate maps of the chirps' second-order JTFS energy (" + setting(r.config) + ")";
  fig.columns = 3;
  fig.width = 1800;
  fig.panel_height = 460;
  fig.panels.push_back(map_panel(r.up_map, r.config, "up-chirp"));
  fig.panels.push_back(map_panel(r.down_map, r.config, "down-chirp"));
  fig.panels.push_back(spin_panel(r));
  return fig;
}

Figure jtfs_comparison_figure(const lab::JtfsComparisonResult& r) {
  if (r.pairs.size() != 2)
    throw UsageError("jtfs_comparison_figure: the result has " + std::to_string(r.pairs.size()) +
                     " pairs, not 2");
  const lab::JtfsSignals& s = r.signals;
  if (s.up.empty() || s.up.size() != s.down.size() || s.aligned.size() != s.up.size() ||
      s.delayed.size() != s.up.size())
    throw UsageError("jtfs_comparison_figure: the result's signals are missing");
  Figure fig;
  fig.title = "Time scattering vs joint time–frequency scattering (" + setting(r.config) + ")";
  fig.columns = 3;
  fig.width = 1800;
  fig.panel_height = 400;
  fig.panels.push_back(distance_panel(r, false));
  fig.panels.push_back(scalogram(s.up, r, "up-chirp |x ⋆ ψ|"));
  fig.panels.push_back(scalogram(s.down, r, "down-chirp (up-chirp reversed in time)"));
  fig.panels.push_back(distance_panel(r, true));
  fig.panels.push_back(scalogram(s.aligned, r, "aligned bands (Gabor atoms)"));
  fig.panels.push_back(scalogram(s.delayed, r, "delayed bands (delay ∝ log-frequency)"));
  return fig;
}

}  // namespace wst::plot
