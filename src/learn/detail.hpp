// Helpers shared by the learning layer's implementation files (private to src/learn/): input
// checks (features.cpp), seeded folds and a job runner (split.cpp, features.cpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "wst/learn/features.hpp"

namespace wst::learn::detail {

// InputError unless X has ≥ 1 row, ≥ 1 column and only finite values. `what` names the caller.
void check_features(const FeatureMatrix& X, const char* what);
// check_features, plus labels 0 … k−1 (k ≥ 2), one per row, every class present; returns k.
int check_labels(const FeatureMatrix& X, const Labels& y, const char* what);
// check_features, plus one finite target per row.
void check_targets(const FeatureMatrix& X, const std::vector<double>& y, const char* what);
// UsageError before fit (expected == 0) or on a column mismatch; InputError on non-finite X.
void check_predict_input(const FeatureMatrix& X, Eigen::Index expected, const char* what);
// job(i) for i < n on up to `threads` threads; done(i) from the calling thread as jobs finish.
void run_jobs(std::size_t n, int threads, const std::function<void(std::size_t)>& job,
              const std::function<void(std::size_t)>& done);
// Fold (0 … folds−1) of each row: stratified by class, or a plain seeded shuffle.
std::vector<int> stratified_folds(const Labels& y, int folds, std::uint64_t seed);
std::vector<int> plain_folds(std::size_t n, int folds, std::uint64_t seed);

}  // namespace wst::learn::detail
