// §8 of the report: what solid-harmonic 3D scattering predicts (lab/charges.hpp, as
// `wst charges`): the Coulomb energy of random point charges, learning curves against voxels and
// the Fourier modulus, and the invariance of the predictions to rotations and translations.
#pragma once
#include "wst/report/section.hpp"
#include "wst/report/sections.hpp"

namespace wst::report {

Section charges_section(const Settings& s);

}  // namespace wst::report
