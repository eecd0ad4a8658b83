// §5 of the report, second part: what a CNN learns in its first layer (Mallat 2016, §1.5),
// beside the Morlet wavelets a scattering network fixes instead.
#include <algorithm>

#include "helpers.hpp"
#include "learning.hpp"
#include "wst/core/filters_2d.hpp"
#include "wst/learn/cnn.hpp"
#include "wst/support/format.hpp"

namespace wst::report {
namespace {

// n_train training and n_test held-out digits spread over the class-ordered set, disjoint.
void spread_split(std::size_t size, std::size_t n_train, std::size_t n_test,
                  std::vector<std::size_t>& train, std::vector<std::size_t>& test) {
  std::vector<bool> used(size, false);
  for (std::size_t i = 0; i < n_train; ++i) {
    train.push_back(i * size / n_train);
    used[train.back()] = true;
  }
  for (std::size_t i = 0; i < n_test; ++i) {
    std::size_t k = (i * size / n_test + size / (2 * n_test)) % size;
    while (used[k]) k = (k + 1) % size;
    used[k] = true;
    test.push_back(k);
  }
}

learn::FeatureMatrix pixels_of(const Digits& d, const std::vector<std::size_t>& idx,
                               learn::Labels& y) {
  learn::FeatureMatrix X(long(idx.size()), 28 * 28);
  y.clear();
  for (std::size_t i = 0; i < idx.size(); ++i) {
    std::copy_n(d.image(idx[i]), 28 * 28, X.row(long(i)).data());
    y.push_back(d.labels[idx[i]]);
  }
  return X;
}

// The filters of input channel 0 as one row of tiles.
plot::TileRow filter_row(const learn::ConvFilters& f, const std::string& label) {
  plot::TileRow row;
  row.label = label;
  row.colormap = "coolwarm";
  const std::size_t n = f.rows * f.cols;
  for (std::size_t k = 0; k < f.out; ++k) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = f.weights[k * f.in * n + i];
    row.tiles.push_back(tile_of(f.rows, f.cols, std::move(v)));
  }
  return row;
}

// Trains a LeNet-5 (seed 0), adds its filters before and after to `grid`; the caption's start.
std::string trained_filters(const Settings& s, const Digits& d, plot::TileGrid& grid) {
  const std::size_t n_train = s.quick ? 300 : 2000, n_test = s.quick ? 200 : 500;
  std::vector<std::size_t> train, test;
  spread_split(d.size(), n_train, n_test, train, test);
  learn::Labels ytrain, ytest;
  const learn::FeatureMatrix Xtrain = pixels_of(d, train, ytrain), Xtest = pixels_of(d, test, ytest);
  learn::CnnOptions o;
  o.seed = 0;
  if (s.quick) o.min_steps = 200;
  o.progress = s.cnn_progress;
  learn::CnnClassifier net = learn::CnnClassifier::lenet5(o);
  const learn::ConvFilters before = net.first_layer_filters();
  net.fit(Xtrain, ytrain);
  const learn::ConvFilters after = net.first_layer_filters();
  const double error = learn::error_percent(net.predict(Xtest), ytest);
  grid.rows.push_back(filter_row(before, "LeNet-5 conv1 at initialisation (seed 0)"));
  grid.rows.push_back(
      filter_row(after, "LeNet-5 conv1 after training (" + std::to_string(n_train) + " digits)"));
  return "The " + std::to_string(after.out) + " filters of " + std::to_string(after.rows) + "×" +
         std::to_string(after.cols) +
         " pixels of a LeNet-5's first layer, at their random initialisation and after "
         "training by SGD on " +
         std::to_string(n_train) + " MNIST digits (" + num("%.1f", error) + " % error on " +
         std::to_string(n_test) + " held-out digits, " +
         std::to_string(net.loss_history().size()) +
         " epochs), above the real parts of the finest Morlet wavelets ψ_{0,θ} and "
         "ψ_{1,θ} cropped to "
         "the same 5×5 pixels (each row with its own colour range). ";
}

// The two finest scales of 2D Morlet wavelets (the J = 3, L = 8 bank of the MNIST features),
// real parts cropped to 5×5 pixels.
void morlet_rows(plot::TileGrid& grid) {
  const FilterBank2D bank = morlet_filter_bank_2d(3, 8, 32, 32);
  for (int j = 0; j < 2; ++j) {
    plot::TileRow morlet;
    morlet.label = "Morlet Re ψ_{" + std::to_string(j) + ",θ}, 8 angles θ (crop)";
    morlet.colormap = "coolwarm";
    for (int t = 0; t < 8; ++t) {
      const auto psi = filter_in_space(bank, bank.psi[std::size_t(8 * j + t)], 5);
      std::vector<double> r(psi.size());
      for (std::size_t i = 0; i < psi.size(); ++i) r[i] = psi[i].real();
      morlet.tiles.push_back(tile_of(5, 5, std::move(r)));
    }
    grid.rows.push_back(std::move(morlet));
  }
}

// The trained filters' caption, or "" with a note on what is missing.
std::string cnn_rows(const Settings& s, const DigitsOrWhy& data, plot::TileGrid& grid,
                     Section& out) {
  const std::string what = "the learned first-layer filters of a CNN (LeNet-5)";
  if (!s.cnn)
    out.missing.push_back(
        {what, "--no-cnn was given", "run `" + s.report_command + "` without --no-cnn"});
  else if (!learn::cnn_available())
    out.missing.push_back({what, why_no_cnn(), kHowToGetCnns});
  else if (!data.digits)
    out.missing.push_back(
        {what + " (it is trained on MNIST digits)", data.why, missing_data_how(s)});
  else
    return trained_filters(s, *data.digits, grid);
  return "";
}

}  // namespace

void cnn_filters(const Settings& s, const DigitsOrWhy& data, Section& out) {
  plot::TileGrid grid;
  grid.title = "First-layer filters of a LeNet-5 beside Morlet wavelets (5×5 pixels each)";
  grid.tile_px = 88;
  grid.label_px = 330;
  grid.colorbar_label = "value (per-row range)";
  const std::string caption_cnn = cnn_rows(s, data, grid, out);
  morlet_rows(grid);
  if (caption_cnn.empty())
    grid.title = "The finest Morlet wavelets, real parts, 5×5 pixels (no CNN: see above)";
  plot::render_grid_png(grid, figure_path(s, "cnn-filters.png"));
  out.images.push_back(
      {"cnn-filters.png",
       caption_cnn.empty()
           ? "The finest 2D Morlet wavelets, real parts, 5 by 5 pixels (the CNN's filters are "
             "missing)"
           : "The first-layer filters of a LeNet-5 before and after training, above the real parts "
             "of the finest Morlet wavelets",
       (caption_cnn.empty()
            ? "The real parts of the finest Morlet wavelets ψ_{0,θ} and ψ_{1,θ} of the MNIST "
              "scattering "
              "features, cropped to 5×5 pixels, the size of a LeNet-5's first-layer filters (which "
              "could not be trained here: see above). "
            : caption_cnn) +
           "Back-propagation turns the random first layer of a CNN x_1 = ρ(W_1 x) (Mallat 2016, "
           "§1.5) into smoother filters, several of them oriented stroke and edge detectors in the "
           "spirit of these wavelets, which is why a scattering network can fix that layer instead "
           "of learning it."});
  if (!caption_cnn.empty()) out.commands.push_back(s.report_command);
}

Section learning_section(const Settings& s, const DigitsOrWhy& data) {
  Section out;
  mnist_table(s, out);
  cnn_filters(s, data, out);
  return out;
}

}  // namespace wst::report
