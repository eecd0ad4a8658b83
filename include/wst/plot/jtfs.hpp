// The pictures of `wst compare-jtfs` and of the report's JTFS section (Andén, Lostanlen & Mallat
// 2019): how far time scattering and joint time–frequency scattering put an up-chirp from a
// down-chirp and aligned bands from delayed ones, the four signals' scalograms, and the scale–rate
// maps of the chirps' second-order JTFS energy, whose spin tells the chirps apart.
#pragma once
#include "wst/lab/jtfs_comparison.hpp"
#include "wst/plot/plot.hpp"

namespace wst::plot {

// Scale–rate maps of the up- and the down-chirp, one heatmap each: x the temporal rate ξ2 of ψ2
// (Hz, log), y the signed frequential scale spin·|ξ_fr|·Q (cycles per octave): spin +1 above 0,
// spin −1 below, so that both spins of a chirp share one colour scale (dB re the panel's
// largest cell); and a bar chart of each chirp's energy per spin. Throws UsageError when a map
// is empty or its sizes do not match its axes.
Figure scale_rate_figure(const lab::JtfsComparisonResult& r);

// Six panels: the relative distances ‖Φx − Φy‖/‖Φx‖ of time scattering and JTFS for both pairs
// (bars, values on top), over orders 1–2 and over order 2 alone, and the scalograms |x ⋆ ψ|
// (Morlet, Q = 8) of the four signals over the T samples around N/4. Throws UsageError for a
// result without its two pairs or its signals.
Figure jtfs_comparison_figure(const lab::JtfsComparisonResult& r);

}  // namespace wst::plot
