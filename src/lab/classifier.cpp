#include "wst/lab/classifier.hpp"

#include "wst/learn/affine_pca.hpp"
#include "wst/learn/linear_model.hpp"
#include "wst/support/error.hpp"
#include "wst/support/format.hpp"

namespace wst::lab {

using learn::FeatureMatrix;
using learn::Labels;
using Params = std::vector<std::pair<std::string, double>>;

namespace {

struct Entry {
  Model model;
  std::string name;
};

const std::vector<Entry>& entries() {
  static const std::vector<Entry> e = {
      {Model::linear_svm, "linear SVM"},     {Model::logistic_regression, "logistic regression"},
      {Model::gaussian_svm, "Gaussian SVM"}, {Model::affine_pca, "affine PCA"},
      {Model::lenet5, "LeNet-5"},            {Model::scattering_cnn, "scattering + CNN"},
  };
  return e;
}

// LIBLINEAR with the squared hinge loss (linear SVM) or the logistic loss.
class Linear final : public Classifier {
 public:
  Linear(Model m, const ClassifierSettings& s) : model_(options(m, s)) {}
  void fit(const FeatureMatrix& X, const Labels& y) override { model_.fit(X, y); }
  Labels predict(const FeatureMatrix& X) const override { return model_.predict(X); }
  std::string detail() const override { return "C=" + num("%g", model_.C()); }
  Params params() const override {
    return {{"C", model_.C()}, {"cv_error_percent", model_.cv_error_percent()}};
  }

 private:
  static learn::LinearOptions options(Model m, const ClassifierSettings& s) {
    learn::LinearOptions o;
    o.loss = m == Model::linear_svm ? learn::LinearLoss::squared_hinge : learn::LinearLoss::logistic;
    o.seed = s.seed;
    o.cv_max_rows = s.linear_cv_max_rows;
    o.C_grid = s.linear_C_grid;
    o.progress = s.progress;
    return o;
  }
  learn::LinearClassifier model_;
};

// LIBSVM's C-SVC with a Gaussian kernel, (C, γ) cross-validated.
class GaussianSvm final : public Classifier {
 public:
  explicit GaussianSvm(const ClassifierSettings& s) : model_(options(s)) {}
  void fit(const FeatureMatrix& X, const Labels& y) override { model_.fit(X, y); }
  Labels predict(const FeatureMatrix& X) const override { return model_.predict(X); }
  std::string detail() const override {
    return "C=" + num("%g", model_.C()) + ", γ=" + num("%.3g", model_.gamma());
  }
  Params params() const override {
    return {{"C", model_.C()},
            {"gamma", model_.gamma()},
            {"cv_error_percent", model_.cv_error_percent()},
            {"support_vectors", double(model_.support_vectors())}};
  }

 private:
  static learn::KernelSvmOptions options(const ClassifierSettings& s) {
    learn::KernelSvmOptions o = s.svm_options;
    o.seed = s.seed;
    o.threads = s.threads;
    o.progress = s.progress;
    return o;
  }
  learn::KernelSVC model_;
};

// Bruna & Mallat 2013, §4 (eq. 20): the nearest class affine space.
class AffinePca final : public Classifier {
 public:
  explicit AffinePca(const ClassifierSettings& s) : model_(options(s)) {}
  void fit(const FeatureMatrix& X, const Labels& y) override { model_.fit(X, y); }
  Labels predict(const FeatureMatrix& X) const override { return model_.predict(X); }
  std::string detail() const override { return "d=" + std::to_string(model_.d()); }
  Params params() const override {
    return {{"d", double(model_.d())}, {"cv_error_percent", model_.cv_error_percent()}};
  }

 private:
  static learn::AffinePcaOptions options(const ClassifierSettings& s) {
    learn::AffinePcaOptions o;
    o.seed = s.seed;
    o.progress = s.progress;
    return o;
  }
  learn::AffinePCA model_;
};

// LeNet-5 on pixels, or a small CNN head on scattering maps (include/wst/learn/cnn.hpp).
class Cnn final : public Classifier {
 public:
  Cnn(Model m, const ClassifierSettings& s) : net_(make(m, s)) {}
  void fit(const FeatureMatrix& X, const Labels& y) override { net_.fit(X, y); }
  Labels predict(const FeatureMatrix& X) const override { return net_.predict(X); }
  std::string detail() const override {
    return std::to_string(net_.loss_history().size()) + " epochs";
  }
  std::vector<double> loss() const override { return net_.loss_history(); }
  FeatureMatrix scores(const FeatureMatrix& X) const override { return net_.logits(X); }

 private:
  static learn::CnnClassifier make(Model m, const ClassifierSettings& s) {
    learn::CnnOptions o = s.cnn_options;
    o.seed = s.seed;
    if (m == Model::lenet5) return learn::CnnClassifier::lenet5(o);
    return learn::CnnClassifier::scattering_head(s.geometry[0], s.geometry[1], s.geometry[2], o);
  }
  learn::CnnClassifier net_;
};

}  // namespace

const std::vector<Model>& all_models() {
  static const std::vector<Model> m = [] {
    std::vector<Model> v;
    for (const Entry& e : entries()) v.push_back(e.model);
    return v;
  }();
  return m;
}

const std::string& model_name(Model m) {
  for (const Entry& e : entries())
    if (e.model == m) return e.name;
  throw UsageError("model_name: not a model");
}

Model parse_model(const std::string& name, const std::string& what) {
  std::string known;
  for (const Entry& e : entries()) {
    if (e.name == name) return e.model;
    known += (known.empty() ? "" : ", ") + e.name;
  }
  throw UsageError(what + ": unknown model '" + name + "' (known: " + known + ")");
}

bool is_cnn(Model m) { return m == Model::lenet5 || m == Model::scattering_cnn; }

double relative_cost(Model m) {
  return m == Model::gaussian_svm ? 4.0 : m == Model::affine_pca ? 1.0 : 0.5;
}

std::unique_ptr<Classifier> make_classifier(Model m, const ClassifierSettings& s) {
  switch (m) {
    case Model::linear_svm:
    case Model::logistic_regression: return std::make_unique<Linear>(m, s);
    case Model::gaussian_svm: return std::make_unique<GaussianSvm>(s);
    case Model::affine_pca: return std::make_unique<AffinePca>(s);
    case Model::lenet5:
    case Model::scattering_cnn: return std::make_unique<Cnn>(m, s);
  }
  throw UsageError("make_classifier: not a model");
}

}  // namespace wst::lab
