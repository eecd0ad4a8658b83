// The two parts of the report's §5 (learning_section, sections.hpp).
#pragma once
#include "wst/report/sections.hpp"

namespace wst::report {

// The error table of `wst mnist` (Settings::mnist_json) with Bruna & Mallat's Table 4, and its
// curves; or a note on what is missing.
void mnist_table(const Settings& s, Section& out);

// A LeNet-5 trained on MNIST digits: its first-layer filters at initialisation and after
// training, beside the finest Morlet wavelets cropped to the same 5×5 pixels.
void cnn_filters(const Settings& s, const DigitsOrWhy& data, Section& out);

}  // namespace wst::report
