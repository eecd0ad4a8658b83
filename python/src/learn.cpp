// Bindings of the learning layer (wst/learn/kernel_svm.hpp): the Gaussian SVM's cross-validation
// grid, scored with the GIL released, for wst.dask_search to spread over a Dask cluster.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <string>
#include <vector>

#include "wst/learn/kernel_svm.hpp"
#include "wst/support/error.hpp"

namespace wst::python {

namespace py = pybind11;

namespace {

using Floats = py::array_t<float, py::array::c_style | py::array::forcecast>;
using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;

struct GridArgs {
  std::vector<double> C_grid, gamma_scales;
  int folds = 3;
  std::size_t cv_max_rows = 2000;
  double epsilon = 0.1, tolerance = 1e-3, cache_mb = 200;
  std::uint64_t seed = 0;
  int threads = 1;
};

// svm_grid_scores on X (n × D, as float32) and y (n): an array (len(gammas) or all γ, len(C)).
py::array_t<double> grid_scores(const Floats& X, const Doubles& y, bool classification,
                                const GridArgs& a, const std::vector<std::size_t>& gammas) {
  if (X.ndim() != 2)
    throw UsageError("X: expected a 2-D array (rows, features), got " +
                     std::to_string(X.ndim()) + " dimensions");
  if (y.ndim() != 1)
    throw UsageError("y: expected a 1-D array, got " + std::to_string(y.ndim()) + " dimensions");
  learn::KernelSvmOptions o;
  o.C_grid = a.C_grid;
  o.gamma_scales = a.gamma_scales;
  o.folds = a.folds;
  o.cv_max_rows = a.cv_max_rows;
  o.epsilon = a.epsilon;
  o.tolerance = a.tolerance;
  o.cache_mb = a.cache_mb;
  o.seed = a.seed;
  o.threads = a.threads;
  learn::FeatureMatrix M(X.shape(0), X.shape(1));
  std::copy(X.data(), X.data() + X.size(), M.data());
  const std::vector<double> t(y.data(), y.data() + y.size());
  learn::SvmGridScores s;
  {
    py::gil_scoped_release release;
    s = learn::svm_grid_scores(M, t, classification, o, gammas);
  }
  py::array_t<double> out({py::ssize_t(s.size()), py::ssize_t(o.C_grid.size())});
  auto w = out.mutable_unchecked<2>();
  for (std::size_t g = 0; g < s.size(); ++g)
    for (std::size_t c = 0; c < s[g].size(); ++c) w(py::ssize_t(g), py::ssize_t(c)) = s[g][c];
  return out;
}

}  // namespace

void bind_learn(py::module_& m) {
  m.def(
      "svm_grid_scores",
      [](const Floats& X, const Doubles& y, bool classification, std::vector<double> C_grid,
         std::vector<double> gamma_scales, int folds, std::size_t cv_max_rows, double epsilon,
         double tolerance, double cache_mb, std::uint64_t seed, int threads,
         std::vector<std::size_t> gammas) {
        const GridArgs a{std::move(C_grid), std::move(gamma_scales), folds, cv_max_rows, epsilon,
                         tolerance, cache_mb, seed, threads};
        return grid_scores(X, y, classification, a, gammas);
      },
      py::arg("X"), py::arg("y"), py::arg("classification"),
      py::arg("C_grid") = std::vector<double>{1.0, 10.0, 100.0},
      py::arg("gamma_scales") = std::vector<double>{0.5, 1.0, 2.0}, py::arg("folds") = 3,
      py::arg("cv_max_rows") = 2000, py::arg("epsilon") = 0.1, py::arg("tolerance") = 1e-3,
      py::arg("cache_mb") = 200.0, py::arg("seed") = 0, py::arg("threads") = 1,
      py::arg("gammas") = std::vector<std::size_t>{},
      "The Gaussian SVM's cross-validation scores (wst::learn::svm_grid_scores): an array "
      "(γ scales, C) of misclassified rows (classification) or sums of squared errors, summed "
      "over the folds, on the first min(n, cv_max_rows) rows; γ = scale / median distance².");
}

}  // namespace wst::python
