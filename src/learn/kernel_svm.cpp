// Gaussian-kernel SVMs: LIBSVM (C-SVC, ε-SVR) on kernel matrices precomputed here.
//
// Distances. ‖a − b‖² = ‖a‖² + ‖b‖² − 2⟨a, b⟩ with the inner products from single-precision
// Eigen GEMMs (gram.hpp: AVX-512, AVX2 or SSE2, whichever the CPU has) on 256 × 256 tiles (a fixed size: the result does not depend on the thread
// count) and the norms in double. Both sides are first centred on the column means of the
// right-hand side, which leaves the distances unchanged and makes ‖a‖², ‖b‖² of the order of
// the distances themselves, so the float rounding (≈ √D · 6e-8 of ‖a‖‖b‖) stays ~1e-6 of a
// typical distance. A against itself: only the tiles on and above the diagonal are computed
// and mirrored, so the matrix is exactly symmetric with an exactly zero diagonal.
//
// Kernel. LIBSVM's precomputed kernel (`-t 4`) reads K(xi, xj) as x[i][serial(j)].value, where
// serial(j) is the value of node 0 of row j. A kernel on `count` rows is one array of count ×
// (count + 2) nodes (16 bytes a node): row i is {0, i+1}, {1, K(i,0)}, …, {count, K(i,count−1)},
// {−1}. Serial numbers index the whole array, so any subset of rows is a valid LIBSVM problem
// without copying: the cross-validation folds are lists of row pointers into the kernel of the
// first m = min(n, cv_max_rows) rows, rewritten for each γ of the grid.
//
// Final fit. SVC trains LIBSVM's one-versus-one models itself, pair by pair, each on a kernel of
// the pair's rows only (12 000 rows, 2.3 GB, for a pair of MNIST's classes at n = 60 000, where
// the whole kernel would take 57 GB); ε-SVR trains one model on the kernel of all rows. The
// models' support-vector pointers are then redirected to tiny nodes {0, p+1} indexing the union
// of their support vectors, whose rows of X are kept, and the kernels are released; prediction
// computes distances to the support vectors only and votes as LIBSVM does.
#include "wst/learn/kernel_svm.hpp"

#include "detail.hpp"
#include "gram.hpp"

#include <libsvm/svm.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "wst/support/error.hpp"
#include "wst/support/memory_budget.hpp"

namespace wst::learn {

namespace {

constexpr Eigen::Index kTile = 256;
using RowBlock = Eigen::Map<const FeatureMatrix>;

// sink(i0, j0, rows, cols, tile) with tile row-major rows × cols holding ‖a_{i0+i} − b_{j0+j}‖²
// (≥ 0), for every tile of A (nA × D) against B (nB × D). B == nullptr: A against itself,
// tiles with j0 ≥ i0 only, each exactly symmetric on the diagonal tiles, diagonal exactly 0.
// The sink is called from worker threads, once per tile.
using TileSink =
    std::function<void(Eigen::Index, Eigen::Index, Eigen::Index, Eigen::Index, const double*)>;
void distance_tiles(const float* A, Eigen::Index nA, const float* B, Eigen::Index nB,
                    Eigen::Index D, int threads, const TileSink& sink) {
  const bool sym = B == nullptr;
  if (sym) {
    B = A;
    nB = nA;
  }
  if (nA == 0 || nB == 0) return;
  // Centre on the mean of B (double accumulation), in float copies.
  Eigen::RowVectorXd mean = Eigen::RowVectorXd::Zero(D);
  for (Eigen::Index i = 0; i < nB; ++i) mean += RowBlock(B + i * D, 1, D).cast<double>();
  if (nB > 0) mean /= double(nB);
  auto centre = [&](const float* X, Eigen::Index n, FeatureMatrix& out, std::vector<double>& sq) {
    out.resize(n, D);
    sq.resize(std::size_t(n));
    for (Eigen::Index i = 0; i < n; ++i) {
      out.row(i) = (RowBlock(X + i * D, 1, D).cast<double>() - mean).cast<float>();
      sq[std::size_t(i)] = out.row(i).cast<double>().squaredNorm();
    }
  };
  FeatureMatrix Ac, Bc;
  std::vector<double> na, nb;
  centre(A, nA, Ac, na);
  if (!sym) centre(B, nB, Bc, nb);
  const FeatureMatrix& Bref = sym ? Ac : Bc;
  const std::vector<double>& nbref = sym ? na : nb;

  const Eigen::Index tI = (nA + kTile - 1) / kTile, tJ = (nB + kTile - 1) / kTile;
  std::vector<std::pair<Eigen::Index, Eigen::Index>> tiles;
  for (Eigen::Index I = 0; I < tI; ++I)
    for (Eigen::Index J = sym ? I : 0; J < tJ; ++J) tiles.emplace_back(I, J);
  detail::run_jobs(tiles.size(), threads,
                   [&](std::size_t t) {
                     const Eigen::Index i0 = tiles[t].first * kTile, j0 = tiles[t].second * kTile;
                     const Eigen::Index ri = std::min(kTile, nA - i0),
                                        rj = std::min(kTile, nB - j0);
                     std::vector<float> G(std::size_t(ri * rj));
                     detail::gram(Ac.row(i0).data(), ri, Bref.row(j0).data(), rj, D, G.data());
                     std::vector<double> tile(std::size_t(ri * rj));
                     for (Eigen::Index i = 0; i < ri; ++i)
                       for (Eigen::Index j = 0; j < rj; ++j) {
                         const double v = na[std::size_t(i0 + i)] + nbref[std::size_t(j0 + j)] -
                                          2.0 * double(G[std::size_t(i * rj + j)]);
                         tile[std::size_t(i * rj + j)] = v > 0 ? v : 0.0;
                       }
                     if (sym && i0 == j0)
                       for (Eigen::Index i = 0; i < ri; ++i) {
                         tile[std::size_t(i * rj + i)] = 0.0;
                         for (Eigen::Index j = 0; j < i; ++j)
                           tile[std::size_t(i * rj + j)] = tile[std::size_t(j * rj + i)];
                       }
                     sink(i0, j0, ri, rj, tile.data());
                   },
                   {});
}

void quiet(const char*) {}

struct ModelDeleter {
  void operator()(svm_model* m) const {
    if (m) svm_free_and_destroy_model(&m);
  }
};
using ModelPtr = std::unique_ptr<svm_model, ModelDeleter>;

void validate(const KernelSvmOptions& o, const char* what) {
  auto bad = [&](const std::string& msg) { throw UsageError(std::string(what) + ": " + msg); };
  if (o.C_grid.empty()) bad("C_grid is empty (give at least one C > 0)");
  for (double c : o.C_grid)
    if (!(c > 0) || !std::isfinite(c))
      bad("C_grid value " + std::to_string(c) + " is invalid (each C must be finite and > 0)");
  if (o.gamma_scales.empty()) bad("gamma_scales is empty (give at least one scale > 0)");
  for (double g : o.gamma_scales)
    if (!(g > 0) || !std::isfinite(g))
      bad("gamma_scales value " + std::to_string(g) +
          " is invalid (each scale must be finite and > 0)");
  const bool cv = o.C_grid.size() * o.gamma_scales.size() > 1;
  if (cv && o.folds < 2) bad("folds = " + std::to_string(o.folds) + " is invalid (must be ≥ 2)");
  if (o.cv_max_rows < 2 || (cv && o.cv_max_rows < std::size_t(o.folds)))
    bad("cv_max_rows = " + std::to_string(o.cv_max_rows) +
        " is invalid (must be ≥ 2 and ≥ folds = " + std::to_string(o.folds) + ")");
  if (!(o.epsilon >= 0) || !std::isfinite(o.epsilon))
    bad("epsilon = " + std::to_string(o.epsilon) + " is invalid (must be finite and ≥ 0)");
  if (!(o.tolerance > 0) || !std::isfinite(o.tolerance))
    bad("tolerance = " + std::to_string(o.tolerance) + " is invalid (must be finite and > 0)");
  if (!(o.cache_mb > 0) || !std::isfinite(o.cache_mb))
    bad("cache_mb = " + std::to_string(o.cache_mb) + " is invalid (must be finite and > 0)");
  if (o.threads < 1) bad("threads = " + std::to_string(o.threads) + " is invalid (must be ≥ 1)");
}

// LIBSVM's rows of a precomputed kernel on `count` rows (the layout at the top of this file).
struct KernelRows {
  std::unique_ptr<svm_node[]> nodes;
  std::vector<svm_node*> rows;

  static std::size_t bytes(std::size_t count) {
    return checked_bytes({count, count + 2}, sizeof(svm_node));
  }
  KernelRows() = default;
  KernelRows(std::size_t count, const std::string& what) {
    check_memory(bytes(count), what);
    const std::size_t stride = count + 2;
    nodes = std::make_unique_for_overwrite<svm_node[]>(count * stride);
    rows.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      rows[i] = nodes.get() + i * stride;
      rows[i][0] = {0, double(i + 1)};
      rows[i][count + 1] = {-1, 0.0};
    }
  }
  // K = exp(−γ d) among the `rows.size()` rows of X (D columns), each entry computed once.
  void write(const float* X, Eigen::Index D, double gamma, int threads) {
    distance_tiles(
        X, Eigen::Index(rows.size()), nullptr, 0, D, threads,
        [&](Eigen::Index i0, Eigen::Index j0, Eigen::Index ri, Eigen::Index rj, const double* t) {
          for (Eigen::Index i = 0; i < ri; ++i)
            for (Eigen::Index j = 0; j < rj; ++j) {
              const double k = std::exp(-gamma * t[i * rj + j]);
              rows[std::size_t(i0 + i)][j0 + j + 1] = {int(j0 + j + 1), k};
              rows[std::size_t(j0 + j)][i0 + i + 1] = {int(i0 + i + 1), k};
            }
        });
  }
};

ModelPtr train_libsvm(const std::vector<svm_node*>& x, std::vector<double> ys, svm_parameter p,
                      double C, const char* what) {
  svm_problem prob{};
  prob.l = int(ys.size());
  prob.y = ys.data();
  prob.x = const_cast<svm_node**>(x.data());
  p.C = C;
  if (const char* err = svm_check_parameter(&prob, &p))
    throw UsageError(std::string(what) + ": LIBSVM rejects the parameters: " + err);
  return ModelPtr(svm_train(&prob, &p));
}

// The cross-validation of one fit: the distances among its first m rows, their kernel for each γ
// of the grid, and LIBSVM's parameters.
struct KernelFit {
  const KernelSvmOptions& opt;
  const FeatureMatrix& X;
  const std::vector<double>& y;
  const bool classification;
  const char* what;
  std::size_t n = 0, m = 0;  // rows, cross-validation rows
  Eigen::Index D = 0;
  Eigen::MatrixXd D2;
  double median = 0;
  KernelRows cv;
  svm_parameter param{};

  KernelFit(const KernelSvmOptions& o, const FeatureMatrix& X_, const std::vector<double>& y_,
            bool classification_, const char* what_)
      : opt(o), X(X_), y(y_), classification(classification_), what(what_), n(y_.size()),
        m(std::min(n, o.cv_max_rows)), D(X_.cols()) {}

  // Distances among the cross-validation rows, and γ from their median.
  void cv_distances() {
    const Eigen::Index mi = Eigen::Index(std::max<std::size_t>(m, 1));
    D2.resize(mi, mi);
    distance_tiles(
        X.data(), mi, nullptr, 0, D, opt.threads,
        [&](Eigen::Index i0, Eigen::Index j0, Eigen::Index ri, Eigen::Index rj, const double* t) {
          for (Eigen::Index i = 0; i < ri; ++i)
            for (Eigen::Index j = 0; j < rj; ++j) {
              D2(i0 + i, j0 + j) = t[i * rj + j];
              D2(j0 + j, i0 + i) = t[i * rj + j];
            }
        });
    median = median_off_diagonal(D2);
  }

  // K = exp(−γ D2) on the cross-validation rows (D2 is symmetric: read it by columns).
  void write_cv_kernel(double gamma) {
    const std::size_t block = 64;
    detail::run_jobs((m + block - 1) / block, opt.threads,
                     [&](std::size_t b) {
                       for (std::size_t i = b * block; i < std::min(m, (b + 1) * block); ++i) {
                         const double* d = D2.col(Eigen::Index(i)).data();
                         svm_node* row = cv.rows[i];
                         for (std::size_t j = 0; j < m; ++j)
                           row[j + 1] = {int(j + 1), std::exp(-gamma * d[j])};
                       }
                     },
                     {});
  }

  void set_parameters() {
    param = svm_parameter{};
    param.svm_type = classification ? C_SVC : EPSILON_SVR;
    param.kernel_type = PRECOMPUTED;
    param.degree = 3;
    param.cache_size = opt.cache_mb;
    param.eps = opt.tolerance;
    param.C = opt.C_grid.front();
    param.nu = 0.5;
    param.p = opt.epsilon;
    param.shrinking = 1;
    param.probability = 0;
  }

  ModelPtr train_on(const std::vector<std::size_t>& subset, double C) const {
    std::vector<svm_node*> xs;
    std::vector<double> ys;
    xs.reserve(subset.size());
    ys.reserve(subset.size());
    for (std::size_t r : subset) {
      xs.push_back(cv.rows[r]);
      ys.push_back(y[r]);
    }
    return train_libsvm(xs, std::move(ys), param, C, what);
  }

  // The fold of each cross-validation row: stratified by class (SVC), else a plain shuffle.
  // Classes are ranked by label, so labels 0 … k−1 fold as stratified_folds folds them.
  std::vector<int> cv_folds() const {
    if (!classification) return detail::plain_folds(m, opt.folds, opt.seed);
    std::vector<double> distinct(y.begin(), y.begin() + std::ptrdiff_t(m));
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    Labels rank(m);
    for (std::size_t i = 0; i < m; ++i)
      rank[i] = int(std::lower_bound(distinct.begin(), distinct.end(), y[i]) - distinct.begin());
    return detail::stratified_folds(rank, opt.folds, opt.seed);
  }

  // The scores of the γ scales `gammas` (SvmGridScores: one row per γ, in this order).
  SvmGridScores cv_scores(const std::vector<std::size_t>& gammas, std::size_t& step,
                          std::size_t total) {
    const std::size_t nC = opt.C_grid.size(), folds = std::size_t(opt.folds);
    const std::vector<int> fold = cv_folds();
    std::vector<std::vector<std::size_t>> train_rows(folds), test_rows(folds);
    for (std::size_t i = 0; i < m; ++i)
      for (int f = 0; f < opt.folds; ++f)
        (fold[i] == f ? test_rows : train_rows)[std::size_t(f)].push_back(i);
    cv = KernelRows(m, std::string(what) + ": the cross-validation kernel of " +
                           std::to_string(m) + " rows");
    SvmGridScores score(gammas.size(), std::vector<double>(nC, 0.0));
    for (std::size_t r = 0; r < gammas.size(); ++r) {
      write_cv_kernel(opt.gamma_scales[gammas[r]] / median);
      const std::size_t jobs = nC * folds;
      std::vector<double> job_score(jobs, 0.0);
      detail::run_jobs(
          jobs, opt.threads,
          [&](std::size_t j) {
            const std::size_t c = j / folds, f = j % folds;
            ModelPtr model = train_on(train_rows[f], opt.C_grid[c]);
            double s = 0;
            for (std::size_t i : test_rows[f]) {
              const double p = svm_predict(model.get(), cv.rows[i]);
              s += classification ? double(p != y[i]) : (p - y[i]) * (p - y[i]);
            }
            job_score[j] = s;
          },
          [&](std::size_t done) {
            if (opt.progress) opt.progress(step + done, total);
          });
      step += jobs;
      for (std::size_t j = 0; j < jobs; ++j) score[r][j / folds] += job_score[j];
    }
    cv = KernelRows();
    return score;
  }
};

// The grid point with the lowest CV score (error % for SVC, RMSE for SVR); ties → the smaller
// C, then the smaller γ (the smoother model). Returns the score; best_c, best_g are set.
double best_grid_point(const KernelSvmOptions& opt, const std::vector<std::vector<double>>& score,
                       bool classification, std::size_t m, std::size_t& best_c,
                       std::size_t& best_g) {
  double best_score = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t g = 0; g < opt.gamma_scales.size(); ++g)
    for (std::size_t c = 0; c < opt.C_grid.size(); ++c) {
      const double s =
          classification ? 100.0 * score[g][c] / double(m) : std::sqrt(score[g][c] / double(m));
      const bool better = std::isnan(best_score) || s < best_score ||
                          (s == best_score && (opt.C_grid[c] < opt.C_grid[best_c] ||
                                               (opt.C_grid[c] == opt.C_grid[best_c] &&
                                                opt.gamma_scales[g] < opt.gamma_scales[best_g])));
      if (better) {
        best_score = s;
        best_c = c;
        best_g = g;
      }
    }
  return best_score;
}

// One final LIBSVM model, trained on some rows of X with a kernel of their own. For SVC, the
// one-versus-one model of classes[first] (decision value > 0) against classes[second].
struct FinalFit {
  std::size_t first = 0, second = 0;
  ModelPtr model;
  std::vector<std::size_t> sv_rows;  // the support vectors, as rows of X
};

FinalFit fit_rows(const KernelFit& k, const std::vector<std::size_t>& subset, double C,
                  double gamma, int threads) {
  const FeatureMatrix Xs = select_rows(k.X, subset);
  KernelRows kernel(subset.size(), std::string(k.what) + ": the Gaussian kernel of " +
                                       std::to_string(subset.size()) + " training rows");
  kernel.write(Xs.data(), k.D, gamma, threads);
  std::vector<double> ys;
  ys.reserve(subset.size());
  for (std::size_t r : subset) ys.push_back(k.y[r]);
  FinalFit f;
  f.model = train_libsvm(kernel.rows, std::move(ys), k.param, C, k.what);
  for (int p = 0; p < f.model->l; ++p) {
    f.sv_rows.push_back(subset[std::size_t(f.model->SV[p][0].value) - 1]);
    f.model->SV[p] = nullptr;  // into `kernel`; SvmCore points it at its own nodes
  }
  return f;
}

// Chang & Lin's one-versus-one training as LIBSVM does it (classes in order of first appearance,
// pair (i, j) on the rows of class i then those of class j), but each pair with a kernel of its
// own rows only: memory grows with the largest pair, not with n². Pairs train concurrently, as
// many as the memory limit allows.
std::vector<FinalFit> fit_pairs(const KernelFit& k, double C, double gamma,
                                std::vector<int>& classes, const std::function<void()>& done) {
  std::vector<std::vector<std::size_t>> members;
  std::vector<int> position(std::size_t(k.n), -1);
  classes.clear();
  for (std::size_t i = 0; i < k.n; ++i) {
    const std::size_t c = std::size_t(k.y[i]);
    if (c >= position.size()) position.resize(c + 1, -1);
    if (position[c] < 0) {
      position[c] = int(classes.size());
      classes.push_back(int(c));
      members.emplace_back();
    }
    members[std::size_t(position[c])].push_back(i);
  }
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  std::size_t largest = 0;
  for (std::size_t i = 0; i < classes.size(); ++i)
    for (std::size_t j = i + 1; j < classes.size(); ++j) {
      pairs.emplace_back(i, j);
      largest = std::max(largest, members[i].size() + members[j].size());
    }
  const std::size_t pair_bytes = KernelRows::bytes(largest) +
                                 checked_bytes({largest, std::size_t(k.D)}, sizeof(float)) +
                                 std::size_t(k.opt.cache_mb * 1048576.0);
  check_memory(pair_bytes, std::string(k.what) + ": the Gaussian kernel of " +
                               std::to_string(largest) + " training rows (a pair of classes)");
  const int workers = int(std::clamp<std::size_t>(memory_limit() / std::max<std::size_t>(pair_bytes, 1), 1,
                                                  std::size_t(k.opt.threads)));
  const int inner = std::max(1, k.opt.threads / workers);
  std::vector<FinalFit> fits(pairs.size());
  detail::run_jobs(
      pairs.size(), workers,
      [&](std::size_t p) {
        const auto [i, j] = pairs[p];
        std::vector<std::size_t> rows = members[i];
        rows.insert(rows.end(), members[j].begin(), members[j].end());
        fits[p] = fit_rows(k, rows, C, gamma, inner);
        fits[p].first = i;
        fits[p].second = j;
      },
      [&](std::size_t) { done(); });
  return fits;
}

// The grid's scores: the local loop, or options.grid_runner given the cross-validation rows.
SvmGridScores grid_scores(KernelFit& k, std::size_t& step, std::size_t total) {
  const KernelSvmOptions& opt = k.opt;
  const std::size_t nC = opt.C_grid.size(), nG = opt.gamma_scales.size();
  if (!opt.grid_runner) {
    std::vector<std::size_t> all(nG);
    for (std::size_t g = 0; g < nG; ++g) all[g] = g;
    return k.cv_scores(all, step, total);
  }
  FeatureMatrix head;
  if (k.m < k.n) head = k.X.topRows(Eigen::Index(k.m));
  const std::vector<double> y(k.y.begin(), k.y.begin() + std::ptrdiff_t(k.m));
  KernelSvmOptions o = opt;
  o.grid_runner = nullptr;
  o.progress = nullptr;
  SvmGridScores s = opt.grid_runner(k.m < k.n ? head : k.X, y, k.classification, o);
  bool valid = s.size() == nG;
  for (const auto& row : s) {
    valid = valid && row.size() == nC;
    for (double v : row) valid = valid && std::isfinite(v) && v >= 0;
  }
  if (!valid)
    throw InputError(std::string(k.what) + ": the grid runner returned " +
                     std::to_string(s.size()) + " rows of scores, not " + std::to_string(nG) +
                     " rows (γ scales) of " + std::to_string(nC) + " finite values ≥ 0 (C)");
  step += nC * nG * std::size_t(opt.folds);
  if (opt.progress) opt.progress(step, total);
  return s;
}

// What KernelSVC and KernelSVR share: the final LIBSVM models (one-versus-one pairs for SVC, one
// model for SVR) on the union of their support vectors.
struct SvmCore {
  KernelSvmOptions opt;
  bool classification = true;
  std::vector<FinalFit> fits;
  std::vector<int> classes;        // SVC: the labels in LIBSVM's order (of first appearance)
  FeatureMatrix sv;                // the support-vector rows of the training X
  std::vector<svm_node> sv_nodes;  // {0, p+1}, {−1}: what the models' SV pointers point to
  Eigen::Index cols = 0;           // 0: not fitted
  double C = 0, gamma = 0, cv_score = std::numeric_limits<double>::quiet_NaN();

  void fit(const FeatureMatrix& X, const std::vector<double>& y, const Labels* labels);
  void keep_support_vectors(const FeatureMatrix& X);
  double decide(const svm_node* row) const;
  std::vector<double> predict(const FeatureMatrix& X, const char* what) const;
};

void SvmCore::fit(const FeatureMatrix& X, const std::vector<double>& y, const Labels* labels) {
  const char* what = classification ? "KernelSVC::fit" : "KernelSVR::fit";
  KernelFit k(opt, X, y, classification, what);
  const std::size_t n = k.n, m = k.m;
  const std::size_t nC = opt.C_grid.size(), nG = opt.gamma_scales.size();
  const bool cv = nC * nG > 1;
  if (cv && m < std::size_t(opt.folds))
    throw InputError(std::string(what) + ": " + std::to_string(m) + " rows are too few for " +
                     std::to_string(opt.folds) + "-fold cross-validation");
  if (n > std::size_t(std::numeric_limits<int>::max() - 2))
    throw InputError(std::string(what) + ": too many rows for LIBSVM");
  svm_set_print_string_function(&quiet);
  k.cv_distances();
  k.set_parameters();

  const std::size_t k_classes = labels ? std::size_t(*std::max_element(labels->begin(), labels->end())) + 1 : 0;
  const std::size_t final_steps = classification ? k_classes * (k_classes - 1) / 2 : 1;
  const std::size_t total = (cv ? nC * nG * std::size_t(opt.folds) : 0) + final_steps;
  std::size_t step = 0;
  std::size_t best_c = 0, best_g = 0;
  double best_score = std::numeric_limits<double>::quiet_NaN();
  if (cv)
    best_score = best_grid_point(opt, grid_scores(k, step, total), classification, m, best_c,
                                 best_g);
  k.D2.resize(0, 0);

  const double gamma = opt.gamma_scales[best_g] / k.median;
  auto done = [&] {
    if (opt.progress) opt.progress(++step, total);
  };
  fits.clear();
  if (classification) {
    fits = fit_pairs(k, opt.C_grid[best_c], gamma, classes, done);
  } else {
    std::vector<std::size_t> all(n);
    for (std::size_t i = 0; i < n; ++i) all[i] = i;
    fits.push_back(fit_rows(k, all, opt.C_grid[best_c], gamma, opt.threads));
    done();
  }
  keep_support_vectors(X);
  cols = k.D;
  C = opt.C_grid[best_c];
  this->gamma = gamma;
  cv_score = best_score;
}

// Keeps the rows of X that any model uses as a support vector and points the models at them.
void SvmCore::keep_support_vectors(const FeatureMatrix& X) {
  std::vector<std::size_t> rows;
  for (const FinalFit& f : fits) rows.insert(rows.end(), f.sv_rows.begin(), f.sv_rows.end());
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  sv_nodes.assign(2 * rows.size(), svm_node{-1, 0.0});
  for (std::size_t p = 0; p < rows.size(); ++p) sv_nodes[2 * p] = {0, double(p + 1)};
  for (FinalFit& f : fits)
    for (std::size_t q = 0; q < f.sv_rows.size(); ++q) {
      const std::size_t p = std::size_t(
          std::lower_bound(rows.begin(), rows.end(), f.sv_rows[q]) - rows.begin());
      f.model->SV[q] = &sv_nodes[2 * p];
    }
  sv = select_rows(X, rows);
}

// The prediction for one row of kernel values against `sv`: SVR's value, or LIBSVM's vote
// among the pairs (the most votes; ties to the class that came first).
double SvmCore::decide(const svm_node* row) const {
  if (!classification) return svm_predict(fits.front().model.get(), row);
  std::vector<int> votes(classes.size(), 0);
  for (const FinalFit& f : fits) {
    double dec = 0;
    svm_predict_values(f.model.get(), row, &dec);
    ++votes[dec > 0 ? f.first : f.second];
  }
  const std::size_t best = std::size_t(std::max_element(votes.begin(), votes.end()) - votes.begin());
  return double(classes[best]);
}

std::vector<double> SvmCore::predict(const FeatureMatrix& X, const char* what) const {
  detail::check_predict_input(X, cols, what);
  const std::size_t n = std::size_t(X.rows()), nsv = std::size_t(sv.rows()), stride = nsv + 2;
  const Eigen::Index D = X.cols();
  std::vector<double> out(n);
  const std::size_t chunk = 512;  // test rows per kernel block (chunk × nsv nodes)
  std::vector<svm_node> nodes(std::min(chunk, n) * stride);
  for (std::size_t start = 0; start < n; start += chunk) {
    const std::size_t rows = std::min(chunk, n - start);
    for (std::size_t r = 0; r < rows; ++r) {
      nodes[r * stride] = {0, 0.0};
      nodes[r * stride + nsv + 1] = {-1, 0.0};
    }
    distance_tiles(
        X.data() + start * std::size_t(D), Eigen::Index(rows), sv.data(), Eigen::Index(nsv), D,
        opt.threads,
        [&](Eigen::Index i0, Eigen::Index j0, Eigen::Index ri, Eigen::Index rj, const double* t) {
          for (Eigen::Index i = 0; i < ri; ++i) {
            svm_node* row = nodes.data() + std::size_t(i0 + i) * stride;
            for (Eigen::Index j = 0; j < rj; ++j)
              row[j0 + j + 1] = {int(j0 + j + 1), std::exp(-gamma * t[i * rj + j])};
          }
        });
    const std::size_t block = 32;
    detail::run_jobs((rows + block - 1) / block, opt.threads,
                     [&](std::size_t b) {
                       for (std::size_t r = b * block; r < std::min(rows, (b + 1) * block); ++r)
                         out[start + r] = decide(nodes.data() + r * stride);
                     },
                     {});
  }
  return out;
}

}  // namespace

Eigen::MatrixXd squared_distances(const FeatureMatrix& A, const FeatureMatrix& B, int threads) {
  if (threads < 1)
    throw UsageError("squared_distances: threads = " + std::to_string(threads) +
                     " is invalid (must be ≥ 1)");
  if (A.cols() != B.cols())
    throw UsageError("squared_distances: A has " + std::to_string(A.cols()) +
                     " columns but B has " + std::to_string(B.cols()));
  const bool sym = &A == &B;
  for (const FeatureMatrix* M : {&A, &B})
    for (Eigen::Index i = 0; i < M->size(); ++i)
      if (!std::isfinite(M->data()[i]))
        throw InputError("squared_distances: the feature matrix holds a non-finite value at row " +
                         std::to_string(i / M->cols()) + ", column " +
                         std::to_string(i % M->cols()));
  Eigen::MatrixXd out(A.rows(), B.rows());
  if (A.cols() == 0) {
    out.setZero();
    return out;
  }
  distance_tiles(
      A.data(), A.rows(), sym ? nullptr : B.data(), B.rows(), A.cols(), threads,
      [&](Eigen::Index i0, Eigen::Index j0, Eigen::Index ri, Eigen::Index rj, const double* t) {
        for (Eigen::Index i = 0; i < ri; ++i)
          for (Eigen::Index j = 0; j < rj; ++j) {
            out(i0 + i, j0 + j) = t[i * rj + j];
            if (sym) out(j0 + j, i0 + i) = t[i * rj + j];
          }
      });
  return out;
}

double median_off_diagonal(const Eigen::MatrixXd& D2) {
  if (D2.rows() != D2.cols())
    throw InputError("median_off_diagonal: the matrix is " + std::to_string(D2.rows()) + " × " +
                     std::to_string(D2.cols()) + ", not square");
  const Eigen::Index n = D2.rows();
  std::vector<double> v;
  v.reserve(std::size_t(n) * std::size_t(std::max<Eigen::Index>(n - 1, 0)) / 2);
  for (Eigen::Index j = 1; j < n; ++j)
    for (Eigen::Index i = 0; i < j; ++i) v.push_back(D2(i, j));
  auto median = [](std::vector<double>& w) {
    const std::size_t h = w.size() / 2;
    std::nth_element(w.begin(), w.begin() + std::ptrdiff_t(h), w.end());
    const double upper = w[h];
    if (w.size() % 2 == 1) return upper;
    return 0.5 * (upper + *std::max_element(w.begin(), w.begin() + std::ptrdiff_t(h)));
  };
  if (v.empty()) return 1.0;
  const double med = median(v);
  if (med > 0) return med;
  // Over half the pairs coincide: the median of the positive distances instead.
  std::vector<double> pos;
  for (double x : v)
    if (x > 0) pos.push_back(x);
  return pos.empty() ? 1.0 : median(pos);
}

SvmGridScores svm_grid_scores(const FeatureMatrix& X, const std::vector<double>& y,
                              bool classification, const KernelSvmOptions& o,
                              const std::vector<std::size_t>& gammas) {
  const char* what = "svm_grid_scores";
  validate(o, what);
  if (o.folds < 2)
    throw UsageError(std::string(what) + ": folds = " + std::to_string(o.folds) +
                     " is invalid (must be ≥ 2)");
  for (std::size_t g : gammas)
    if (g >= o.gamma_scales.size())
      throw UsageError(std::string(what) + ": γ index " + std::to_string(g) +
                       " is out of range (" + std::to_string(o.gamma_scales.size()) +
                       " gamma_scales)");
  detail::check_targets(X, y, what);
  if (classification)
    for (double v : y)
      if (v != std::floor(v) || std::abs(v) > double(std::numeric_limits<int>::max()))
        throw InputError(std::string(what) + ": label " + std::to_string(v) +
                         " is not an integer (classification)");
  KernelFit k(o, X, y, classification, what);
  if (k.m > std::size_t(std::numeric_limits<int>::max() - 2))
    throw InputError(std::string(what) + ": too many rows for LIBSVM");
  if (k.m < std::size_t(o.folds))
    throw InputError(std::string(what) + ": " + std::to_string(k.m) + " rows are too few for " +
                     std::to_string(o.folds) + "-fold cross-validation");
  svm_set_print_string_function(&quiet);
  k.cv_distances();
  k.set_parameters();
  std::vector<std::size_t> rows = gammas;
  if (rows.empty())
    for (std::size_t g = 0; g < o.gamma_scales.size(); ++g) rows.push_back(g);
  std::size_t step = 0;
  return k.cv_scores(rows, step, rows.size() * o.C_grid.size() * std::size_t(o.folds));
}

// ---- KernelSVC --------------------------------------------------------------------------------

struct KernelSVC::Impl : SvmCore {};

KernelSVC::KernelSVC(KernelSvmOptions options) : impl_(std::make_unique<Impl>()) {
  validate(options, "KernelSVC");
  impl_->opt = std::move(options);
  impl_->classification = true;
}
KernelSVC::~KernelSVC() = default;
KernelSVC::KernelSVC(KernelSVC&&) noexcept = default;
KernelSVC& KernelSVC::operator=(KernelSVC&&) noexcept = default;

void KernelSVC::fit(const FeatureMatrix& X, const Labels& y) {
  if (!impl_) throw UsageError("KernelSVC::fit: the classifier was moved from");
  detail::check_labels(X, y, "KernelSVC::fit");
  impl_->fit(X, std::vector<double>(y.begin(), y.end()), &y);
}

Labels KernelSVC::predict(const FeatureMatrix& X) const {
  if (!impl_) throw UsageError("KernelSVC::predict: the classifier was moved from");
  const std::vector<double> p = impl_->predict(X, "KernelSVC::predict");
  Labels out(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) out[i] = int(std::lround(p[i]));
  return out;
}

double KernelSVC::C() const { return impl_ ? impl_->C : 0.0; }
double KernelSVC::gamma() const { return impl_ ? impl_->gamma : 0.0; }
double KernelSVC::cv_error_percent() const {
  return impl_ ? impl_->cv_score : std::numeric_limits<double>::quiet_NaN();
}
std::size_t KernelSVC::support_vectors() const { return impl_ ? std::size_t(impl_->sv.rows()) : 0; }

// ---- KernelSVR --------------------------------------------------------------------------------

struct KernelSVR::Impl : SvmCore {};

KernelSVR::KernelSVR(KernelSvmOptions options) : impl_(std::make_unique<Impl>()) {
  validate(options, "KernelSVR");
  impl_->opt = std::move(options);
  impl_->classification = false;
}
KernelSVR::~KernelSVR() = default;
KernelSVR::KernelSVR(KernelSVR&&) noexcept = default;
KernelSVR& KernelSVR::operator=(KernelSVR&&) noexcept = default;

void KernelSVR::fit(const FeatureMatrix& X, const std::vector<double>& y) {
  if (!impl_) throw UsageError("KernelSVR::fit: the regressor was moved from");
  detail::check_targets(X, y, "KernelSVR::fit");
  impl_->fit(X, y, nullptr);
}

std::vector<double> KernelSVR::predict(const FeatureMatrix& X) const {
  if (!impl_) throw UsageError("KernelSVR::predict: the regressor was moved from");
  return impl_->predict(X, "KernelSVR::predict");
}

double KernelSVR::C() const { return impl_ ? impl_->C : 0.0; }
double KernelSVR::gamma() const { return impl_ ? impl_->gamma : 0.0; }
double KernelSVR::cv_rmse() const {
  return impl_ ? impl_->cv_score : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace wst::learn
