// Writes OUT/report (wst/report/report.hpp): the sections into a temporary sibling folder, the
// page, an optional screenshot, then the folder into place in one step.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "wst/plot/plot.hpp"
#include "wst/report/charges.hpp"
#include "wst/report/page.hpp"
#include "wst/report/report.hpp"
#include "wst/report/screenshot.hpp"
#include "wst/report/sections.hpp"
#include "wst/report/text.hpp"
#include "wst/support/atomic_file.hpp"
#include "wst/support/error.hpp"
#include "wst/support/temporary.hpp"

namespace wst::report {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

fs::path out_folder(const Options& o) { return o.out.empty() ? fs::path(".") : fs::path(o.out); }

// The report folder is replaced as a whole: no input may lie inside it.
void check_input_outside(const Options& o) {
  const fs::path report = out_folder(o) / "report";
  std::error_code ec;
  const fs::path dir = fs::weakly_canonical(fs::absolute(report, ec), ec);
  const fs::path in = fs::weakly_canonical(fs::absolute(o.mnist_json, ec), ec);
  if (std::mismatch(dir.begin(), dir.end(), in.begin(), in.end()).first == dir.end())
    throw UsageError("--mnist-json '" + o.mnist_json + "' lies inside the report folder '" +
                     report.string() + "' that --out replaces; choose another --out");
}

// Fails early, before any work, without the tools: gnuplot, and Chromium (returned) for
// --screenshot.
std::string check_tools(const Options& o) {
  if (plot::gnuplot_path().empty())
    throw IoError(
        "gnuplot not found (the report's pictures are drawn by it): install "
        "gnuplot-nox");
  if (!o.screenshot) return "";
  std::string chromium = chromium_path();
  if (chromium.empty())
    throw IoError(
        "--screenshot: Chromium not found on PATH (install it: apt-get install "
        "chromium; or set WST_CHROMIUM to the browser)");
  return chromium;
}

// The eight sections, in order, with a progress step after each.
std::vector<Section> make_sections(const Settings& s, const Progress& progress) {
  auto t = Clock::now();
  const auto step = [&](const char* what) {
    if (progress.step) progress.step(what, since(t));
    t = Clock::now();
  };
  const DigitsOrWhy digits = load_report_digits(s.data);
  std::vector<Section> sections;
  sections.push_back(fourier_section(s));
  step("1/8 Fourier, windowed Fourier, wavelets");
  sections.push_back(filters_section(s));
  step("2/8 filter banks");
  sections.push_back(scattering_section(s, digits));
  step("3/8 a digit's scattering");
  sections.push_back(reconstruction_section(s, digits));
  step("4/8 reconstruction from scattering");
  sections.push_back(jtfs_section(s));
  step("5/8 joint time-frequency scattering");
  sections.push_back(stability_section(s, digits));
  step("6/8 stability to deformations");
  sections.push_back(learning_section(s, digits));
  step("7/8 learning");
  sections.push_back(charges_section(s));
  step("8/8 3D scattering of point charges");
  return sections;
}

// Into place. An old report is exchanged with the new one in one step (renameat2), so that an
// interrupt finds one of them in place; the old one is then removed with the temporary folder.
// Where the file system cannot exchange: the old one aside, the new one in, the old one removed.
void move_into_place(TempFolder& tmp, const fs::path& final_dir, const fs::path& out) {
  std::error_code ec;
  const bool replacing = fs::exists(final_dir, ec);
  if (replacing && ::renameat2(AT_FDCWD, tmp.path().c_str(), AT_FDCWD, final_dir.c_str(),
                               RENAME_EXCHANGE) == 0)
    return;  // tmp.path() holds the old report now; ~TempFolder removes it.
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

Settings settings_of(const Options& o, const std::string& dir, const Progress& progress) {
  Settings s;
  s.dir = dir;
  s.out = o.out;
  s.data = o.data;
  s.mnist_json = o.mnist_json;
  s.quick = o.quick;
  s.cnn = !o.no_cnn;
  s.exec = o.exec;
  s.report_command = report_command(o);
  s.cnn_progress = progress.cnn;
  return s;
}

// The report in a temporary folder inside `out`, then in place.
Summary write_into(const Options& o, const std::string& chromium, const Progress& progress,
                   Clock::time_point t0) {
  const fs::path out = out_folder(o), final_dir = out / "report";
  remove_stale_temporaries(out.string(), ".report");  // of killed runs
  TempFolder tmp((out / (".report-" + std::to_string(::getpid()) + "-XXXXXX")).string());
  const Settings s = settings_of(o, tmp.path(), progress);
  const std::vector<Section> sections = make_sections(s, progress);
  const std::string page = tmp.path() + "/index.html";
  write_file_atomic(page, page_html(sections, tmp.path(), s.report_command, since(t0)));
  // The screenshot is an extra: when it fails the report still goes into place.
  Summary r;
  if (o.screenshot) {
    const auto t = Clock::now();
    try {
      screenshot(chromium, page, tmp.path() + "/screenshot.png");
    } catch (const std::exception& e) {
      r.screenshot_error = e.what();
    }
    if (progress.step) progress.step("screenshot", since(t));
  }
  r.screenshot = o.screenshot && r.screenshot_error.empty();
  ::chmod(tmp.path().c_str(), 0755);  // mkdtemp makes it 0700
  move_into_place(tmp, final_dir, out);
  for (const auto& sec : sections) r.figures += sec.images.size(), r.missing += sec.missing.size();
  r.page = (final_dir / "index.html").string();
  r.seconds = since(t0);
  return r;
}

}  // namespace

std::string report_command(const Options& o) {
  std::string s = "build/wst report";
  if (o.out != "out") s += " --out " + shell_word(o.out);
  if (o.quick) s += " --quick";
  if (o.data != kDefaultData) s += " --data " + shell_word(o.data);
  if (o.mnist_json_given) s += " --mnist-json " + shell_word(o.mnist_json);
  if (o.no_cnn) s += " --no-cnn";
  return s;
}

Summary write_report(const Options& given, const Progress& progress) {
  const auto t0 = Clock::now();
  Options o = given;
  if (!o.mnist_json_given) o.mnist_json = (fs::path(o.out) / "mnist.json").string();
  check_input_outside(o);
  const std::string chromium = check_tools(o);
  const fs::path out = out_folder(o), final_dir = out / "report";
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
    return write_into(o, chromium, progress, t0);
  } catch (...) {
    for (const auto& p : created) fs::remove(p, ec);  // only if empty
    throw;
  }
}

}  // namespace wst::report
