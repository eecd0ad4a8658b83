// The report's screenshot in headless Chromium (wst/report/screenshot.hpp).
#include "wst/report/screenshot.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "wst/report/page.hpp"
#include "wst/support/error.hpp"
#include "wst/support/process.hpp"
#include "wst/support/temporary.hpp"

namespace wst::report {

namespace fs = std::filesystem;

// $WST_CHROMIUM, or the first of chromium, chromium-browser, google-chrome on $PATH; "" if none.
std::string chromium_path() {
  if (const char* env = std::getenv("WST_CHROMIUM"); env && *env)
    return is_executable_file(env) ? std::string(env) : "";
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"})
    if (std::string found = find_on_path(name); !found.empty()) return found;
  return "";
}

namespace {

// Runs argv with a timeout: the exit code, −1 on a timeout, 128 + a signal that killed it.
int run_with_timeout(const std::vector<std::string>& argv, const std::string& out_path,
                     const std::string& err_path, std::chrono::seconds timeout) {
  const ProcessResult r = run_process(argv, out_path, err_path, timeout);
  return r.timed_out ? -1 : r.signal ? 128 + r.signal : r.exit_code;
}

// file:// URL of an absolute path, percent-encoding everything but unreserved characters and '/'.
std::string file_url(const fs::path& path) {
  std::string url = "file://";
  for (unsigned char c : fs::absolute(path).lexically_normal().string()) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      url += char(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      url += buf;
    }
  }
  return url;
}

// The flags of a headless, offline, throw-away Chromium profile (as the browser test uses).
std::vector<std::string> chromium_argv(const std::string& chromium, const std::string& profile) {
  return {chromium,
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--hide-scrollbars",
          "--user-data-dir=" + profile,
          "--virtual-time-budget=5000"};
}

}  // namespace

// Renders `page` in headless Chromium: once to read the page height its script records at a
// width of 1280 pixels, then to write a full-page screenshot of 1280 × that height to `png`.
void screenshot(const std::string& chromium, const std::string& page, const std::string& png) {
  remove_stale_temporaries(temp_folder_parent(), "wst-chromium");
  const TempFolder work(temp_folder_pattern("wst-chromium"));
  const std::string profile = work.path() + "/profile", dom = work.path() + "/dom.html",
                    log = work.path() + "/chromium.log";
  fs::create_directory(profile);
  auto argv = chromium_argv(chromium, profile);
  argv.push_back("--window-size=1280,900");
  argv.push_back("--dump-dom");
  argv.push_back(file_url(page));
  int code = run_with_timeout(argv, dom, log, std::chrono::seconds(60));
  std::ifstream in(dom);
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  const std::string key = "data-page-height=\"";
  const std::size_t at = text.find(key);
  if (code != 0 || at == std::string::npos)
    throw IoError(
        "--screenshot: " + chromium + " " +
        (code == -1 ? "did not finish within 60 s" : "exit status " + std::to_string(code)) +
        " and gave no page height (see " + page + " in a browser)");
  const long height = std::clamp(std::atol(text.c_str() + at + key.size()), 600L, 30000L);
  fs::remove_all(profile);
  fs::create_directory(profile);
  argv = chromium_argv(chromium, profile);
  const std::string shot = work.path() + "/screenshot.png";
  argv.push_back("--window-size=1280," + std::to_string(height));
  argv.push_back("--screenshot=" + shot);
  argv.push_back(file_url(page));
  code = run_with_timeout(argv, work.path() + "/out.txt", log, std::chrono::seconds(60));
  const auto [w, h] = png_size(shot);
  if (code != 0 || w == 0)
    throw IoError(
        "--screenshot: " + chromium + " " +
        (code == -1 ? "did not finish within 60 s" : "exit status " + std::to_string(code)) +
        " and wrote no screenshot");
  fs::copy_file(shot, png, fs::copy_options::overwrite_existing);
}

}  // namespace wst::report
