// The report's page, OUT/report/index.html: one self-contained HTML file (inline CSS, relative
// links, no network) with eight sections of stable ids (fourier, filters, scattering,
// reconstruction, jtfs, stability, learning, charges), and a tiny inline script that records on <body> how
// many images loaded and any error, for the browser test.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "wst/report/section.hpp"

namespace wst::report {

// The page of the eight sections (in order) whose pictures lie in `dir`; `command` and `seconds`
// go into the footer. Throws IoError when a picture is not a PNG.
std::string page_html(const std::vector<Section>& sections, const std::string& dir,
                      const std::string& command, double seconds);

// Width and height of a PNG from its IHDR chunk; {0, 0} if it is not one.
std::pair<unsigned, unsigned> png_size(const std::string& path);

}  // namespace wst::report
