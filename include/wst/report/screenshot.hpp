// A full-page screenshot of the report in headless Chromium (`wst report --screenshot`).
#pragma once
#include <string>

namespace wst::report {

// $WST_CHROMIUM, or the first of chromium, chromium-browser, google-chrome on $PATH; "" if none.
std::string chromium_path();

// Renders `page` in headless Chromium: once to read the page height its script records at a
// width of 1280 pixels, then to write a full-page screenshot of 1280 × that height to `png`.
// Throws IoError when the browser fails or times out (60 s).
void screenshot(const std::string& chromium, const std::string& page, const std::string& png);

}  // namespace wst::report
