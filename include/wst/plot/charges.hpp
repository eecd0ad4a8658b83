// The pictures of `wst charges` and of the report's section on what 3D harmonic scattering
// predicts (lab/charges.hpp): a configuration's density and first-order moduli U1[j, l], the
// learning curves, and how much each model's prediction changes when the charges are moved.
#pragma once
#include "wst/lab/charges.hpp"
#include "wst/plot/plot.hpp"

namespace wst::plot {

// Row 0: the central slice of one configuration's density (coolwarm, signed); then one row per
// scale j with the slices of U1[j, l] for l = 0 … L (viridis, one colour range per row). Throws
// UsageError when the result holds no slices.
TileGrid charges_moduli_grid(const lab::ChargesResult& r);

// Two panels: the test RMSE of each model against the training size (log–log; the dashed line
// is the standard deviation of E, the RMSE of predicting the mean), and the largest relative
// change of each model's prediction under rotations and translations (bars of log10, with the
// whole-voxel shifts beside). Throws UsageError for a result without learning points.
Figure charges_figure(const lab::ChargesResult& r);

}  // namespace wst::plot
