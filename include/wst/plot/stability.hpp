// The picture of `wst stability` and of the report's §4: log-log curves of the relative change
// ‖Φ(L_τx) − Φ(x)‖/‖Φ(x)‖ against ‖τ‖ (Mallat 2016, eq. 4), one panel per experiment and kind.
#pragma once
#include "wst/lab/stability.hpp"
#include "wst/plot/plot.hpp"

namespace wst::plot {

Figure stability_figure(const lab::StabilityResult& r);

}  // namespace wst::plot
