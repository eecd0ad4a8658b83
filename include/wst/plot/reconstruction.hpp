// The pictures of `wst reconstruct` and of the report's reconstruction section (Bruna & Mallat
// 2013, §3.1): the relative errors ‖S x − S y‖/‖S y‖ and min‖x ∓ y‖/‖y‖ per iteration on a log
// axis, and the target y, the random start and the reconstruction x (heatmaps for images, curves
// for signals). The reconstruction is drawn as lab::aligned_signal gives it (−x when nearer y;
// for a signal, turned by the global phase S cannot see), and the panel says so.
#pragma once
#include <string>
#include <vector>

#include "wst/lab/reconstruction.hpp"
#include "wst/plot/plot.hpp"

namespace wst::plot {

// One run. 2D target: the error panel and three heatmaps (target, start, reconstruction) in a
// row. 1D target: the error panel, the target with the reconstruction overlaid, and the start.
// Throws UsageError for an empty history or a target that is not 1D or 2D.
Figure reconstruction_figure(const lab::ReconstructionResult& r);

// Several runs on the same target (e.g. order ≤ 1 and order ≤ 2), `labels[k]` naming runs[k]:
// the target, each reconstruction, and every run's two error curves in one log-y panel
// (scattering error solid, signal error dashed, one colour per run). Throws UsageError for no
// runs, a null run, as many labels as runs not given, or targets of different shapes.
Figure reconstruction_comparison_figure(const std::vector<const lab::ReconstructionResult*>& runs,
                                        const std::vector<std::string>& labels);

}  // namespace wst::plot
