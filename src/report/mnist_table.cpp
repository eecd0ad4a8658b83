// §5 of the report, first part: the MNIST error table of `wst mnist` (its mnist.json) against
// Bruna & Mallat (2013, Table 4), and its curves.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "helpers.hpp"
#include "learning.hpp"
#include "wst/support/error.hpp"
#include "wst/support/format.hpp"

namespace wst::report {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;  // keeps the file's order (of models)

// How to produce mnist.json (`make demo` runs `wst mnist` with the default --out).
std::string mnist_how(const Settings& s) {
  const std::string mnist =
      s.out == "out" ? "build/wst mnist" : "build/wst mnist --out " + sh(s.out);
  return std::string(s.out == "out" ? "run `make demo` or " : "run ") + "`" + mnist +
         "` (several minutes; `" + mnist + " --quick` for a one-minute subset), which writes " +
         sh((fs::path(s.out) / "mnist.json").string()) + ", then run `" + s.report_command +
         "` again (or give --mnist-json PATH)";
}

// The results of `wst mnist`: the training sizes, and the (model, features) rows in order of
// appearance, pixels before scattering features.
struct Results {
  json j;
  std::vector<std::size_t> sizes;
  std::vector<std::pair<std::string, std::string>> rows;
};

Results read_results(const std::string& path) {
  Results r;
  std::ifstream in(path);
  r.j = json::parse(in);
  const json& j = r.j;
  if (!j.contains("results") || !j["results"].is_array() || !j.contains("data"))
    throw InputError("no \"results\" array or \"data\" object: not a file written by wst mnist");
  for (const auto& x : j["results"]) {
    const std::size_t n = x.at("training_digits").get<std::size_t>();
    if (std::find(r.sizes.begin(), r.sizes.end(), n) == r.sizes.end()) r.sizes.push_back(n);
  }
  std::sort(r.sizes.begin(), r.sizes.end());
  if (r.sizes.empty()) throw InputError("its \"results\" array is empty");
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& x : j["results"]) {
      const std::pair key{x.at("model").get<std::string>(), x.at("features").get<std::string>()};
      if ((key.second == "pixels") == (pass == 0) &&
          std::find(r.rows.begin(), r.rows.end(), key) == r.rows.end())
        r.rows.push_back(key);
    }
  return r;
}

// One row of the table and one curve per (model, features).
void result_rows(const Results& r, Table& t, plot::ChartPanel& p) {
  const json& j = r.j;
  for (const auto& [model, features] : r.rows) {
    std::vector<std::string> row = {model, features};
    plot::Line line;
    line.label = model + ", " + features;
    for (auto n : r.sizes) {
      const json* hit = nullptr;
      for (const auto& x : j["results"])
        if (x["model"] == model && x["features"] == features && x["training_digits"] == n)
          hit = &x;
      const double e = hit ? (*hit)["test_error_percent"].get<double>() : -1;
      row.push_back(hit ? num("%.2f", e) : "–");
      if (hit && e > 0) line.x.push_back(double(n)), line.y.push_back(e);
    }
    t.rows.push_back(std::move(row));
    if (!line.x.empty()) {
      p.lines.push_back(std::move(line));
      p.styles.push_back({"", 2, true, false});
    }
  }
}

// Bruna & Mallat's numbers, in italics and dashed.
void bruna_mallat_rows(const Results& r, Table& t, plot::ChartPanel& p) {
  const json& j = r.j;
  if (!j.contains("bruna_mallat_2013_table_4")) return;
  const char* colours[] = {"#000000", "#666666"};
  int k = 0;
  for (auto it = j["bruna_mallat_2013_table_4"].begin();
       it != j["bruna_mallat_2013_table_4"].end(); ++it, ++k) {
    std::vector<std::string> row = {"Bruna & Mallat 2013", it.key()};
    plot::Line line;
    line.label = "Bruna & Mallat 2013: " + it.key();
    for (auto n : r.sizes) {
      const std::string key = std::to_string(n);
      const bool has = it.value().contains(key);
      row.push_back(has ? num("%g", it.value()[key].get<double>()) : "–");
      if (has) line.x.push_back(double(n)), line.y.push_back(it.value()[key].get<double>());
    }
    for (auto& cell : row) cell = "*" + cell + "*";  // shown in italics
    t.rows.push_back(std::move(row));
    if (!line.x.empty()) {
      p.lines.push_back(std::move(line));
      p.styles.push_back({colours[k % 2], 2, true, true});
    }
  }
}

// The curves of test error against training digits (log-log), drawn to mnist-errors.png.
void draw_errors(const Settings& s, plot::ChartPanel p) {
  if (p.lines.empty()) throw InputError("no positive test error to draw");
  double lowest = 1e300;
  for (const auto& l : p.lines)
    lowest = std::min(lowest, *std::min_element(l.y.begin(), l.y.end()));
  p.ymin = std::min(lowest / 1.3, 50.0);
  p.ymax = 100;
  plot::Figure f;
  f.columns = 1;
  f.width = 1200;
  f.panel_height = 720;
  f.panels = {p};
  plot::render_png(f, figure_path(s, "mnist-errors.png"));
}

// The table and figure of the results, with their caption.
void show_results(const Settings& s, const Results& r, Section& out) {
  Table t;
  t.caption =
      "Test error (%) by number of training digits: " +
      r.j["data"].value("source", std::string("(source not recorded)")) +
      "; in italics, Bruna & Mallat (2013, Table 4) on the official 10 000-digit test set";
  t.header = {"model", "features"};
  t.label_columns = 2;
  t.after_image = out.images.size();  // right after the curves
  for (auto n : r.sizes) t.header.push_back(std::to_string(n));
  plot::ChartPanel p;
  p.title = "MNIST test error against the number of training digits (log-log)";
  p.xlabel = "training digits";
  p.ylabel = "test error (%)";
  p.logx = p.logy = true;
  p.key = "top right";  // above the curves: the y range reaches 100 %
  result_rows(r, t, p);
  bruna_mallat_rows(r, t, p);
  draw_errors(s, std::move(p));
  double best = 1e300;
  for (const auto& x : r.j["results"])
    if (x["training_digits"] == r.sizes.back())
      best = std::min(best, x["test_error_percent"].get<double>());
  out.images.push_back(
      {"mnist-errors.png",
       "Log-log curves of the MNIST test error of each model against the number of training "
       "digits, with Bruna and Mallat's published numbers dashed",
       "The test error of each classifier on pixels, on scattering features and of the CNNs, "
       "against the number of training digits (" +
           std::to_string(r.sizes.front()) + " to " + std::to_string(r.sizes.back()) +
           "; best " + num("%.2f", best) + " % at " + std::to_string(r.sizes.back()) +
           "), read from " + s.mnist_json +
           ", with Bruna & "
           "Mallat's (2013, Table 4) scattering results dashed. A fixed, unlearned scattering "
           "layer followed by a simple classifier competes with a trained CNN when training "
           "digits are few, the point of Bruna & Mallat (2013) and of Mallat (2016, §5)."});
  out.tables.push_back(std::move(t));
  out.commands.push_back("build/wst mnist --out " + sh(s.out) + "   # or `make demo`; then " +
                         s.report_command);
}

}  // namespace

void mnist_table(const Settings& s, Section& out) {
  const std::string how = mnist_how(s);
  std::error_code ec;
  if (!fs::exists(s.mnist_json, ec)) {
    out.missing.push_back(
        {"the MNIST error table (test error against the number of training "
         "digits, with Bruna & Mallat's numbers)",
         s.mnist_json + " does not exist", how});
    return;
  }
  try {
    show_results(s, read_results(s.mnist_json), out);
  } catch (const std::exception& e) {
    out.missing.push_back(
        {"the MNIST error table", s.mnist_json + " could not be read: " + e.what(), how});
  }
}

}  // namespace wst::report
