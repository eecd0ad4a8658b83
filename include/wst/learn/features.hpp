// Feature matrices (one sample per row) and their standardisation from training statistics.
#pragma once
#include <Eigen/Core>
#include <cstddef>
#include <vector>

namespace wst::learn {

using FeatureMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Labels = std::vector<int>;

// The rows of X at `rows`, in that order.
FeatureMatrix select_rows(const FeatureMatrix& X, const std::vector<std::size_t>& rows);
template <class T>
std::vector<T> select(const std::vector<T>& v, const std::vector<std::size_t>& rows) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (std::size_t r : rows) out.push_back(v.at(r));
  return out;
}

// z = (x − mean) / std per column, with mean and (population) std from the training rows only,
// in double; columns with std < 1e-12 · max std (constant in training) get scale 1 so they
// stay finite. fit: InputError on an empty matrix or NaN/Inf; transform: UsageError before fit.
struct Standardizer {
  Eigen::RowVectorXd mean, inv_std;

  static Standardizer fit(const FeatureMatrix& train);
  FeatureMatrix transform(const FeatureMatrix& X) const;  // throws UsageError on column mismatch
};

// Fraction (in %) of predictions that differ from the truth.
double error_percent(const Labels& predicted, const Labels& truth);

}  // namespace wst::learn
