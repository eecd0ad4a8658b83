// The picture of `wst stability` (wst/plot/stability.hpp).
#include "wst/plot/stability.hpp"

#include <algorithm>
#include <vector>

namespace wst::plot {
namespace {

// The curves of one experiment: the mean relative change of each Φ against ‖τ‖, per kind.
std::vector<Panel> experiment_panels(const lab::StabilityExperiment& e) {
  std::vector<Panel> panels;
  for (const auto& [kind, rows] : e.rows) {
    LinePanel p;
    p.title = e.name + ", " + (kind == "dilation" ? "dilations" : "random diffeomorphisms") +
              ": mean relative change";
    p.xlabel = "deformation size ||tau||";
    p.ylabel = "||Phi(L_tau x) - Phi(x)|| / ||Phi(x)||";
    p.logx = p.logy = true;
    for (std::size_t k = 0; k < e.phi_labels.size(); ++k) {
      Line l;
      l.label = e.phi_labels[k];
      for (const lab::StabilityRow& r : rows) {
        l.x.push_back(r.tau_mean);
        l.y.push_back(std::max(r.phi[k].rel_mean, 1e-12));
      }
      p.lines.push_back(std::move(l));
    }
    panels.push_back(std::move(p));
  }
  return panels;
}
}  // namespace

Figure stability_figure(const lab::StabilityResult& r) {
  Figure fig;
  fig.title = "Stability to deformations: relative change of Phi vs ||tau|| (log-log)";
  fig.columns = 2;
  fig.width = 1400;
  fig.panel_height = 460;
  for (const auto& e : r.experiments)
    for (auto& p : experiment_panels(e)) fig.panels.push_back(std::move(p));
  if (fig.panels.size() == 1) fig.columns = 1;
  return fig;
}

}  // namespace wst::plot
