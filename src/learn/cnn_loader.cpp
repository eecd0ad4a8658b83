// CnnClassifier as seen by programs: a thin handle on an object of the libtorch module
// libwst_cnn.so (see cnn_module.hpp), loaded with dlopen on first use. Looked for at
// $WST_CNN_MODULE, then beside the running executable, then where the build put it.
#include <dlfcn.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <string>

#include "cnn_module.hpp"
#include "wst/support/error.hpp"
#include "wst/learn/cnn.hpp"

namespace wst::learn {

namespace {

struct Module {
  const detail::CnnModuleApi* api = nullptr;
  std::string why;  // when api is null
};

const Module& module() {
  static const Module m = [] {
    Module out;
#ifndef WST_CNN_MODULE_PATH
    out.why = "this build has no libtorch";
    return out;
#else
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("WST_CNN_MODULE"); env && *env) candidates.push_back(env);
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) candidates.push_back((exe.parent_path() / "libwst_cnn.so").string());
    candidates.push_back(WST_CNN_MODULE_PATH);
    for (const auto& path : candidates) {
      if (!std::filesystem::exists(path, ec)) continue;
      void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);  // never closed
      if (!handle) {
        out.why = path + ": " + ::dlerror();
        return out;
      }
      using Entry = const detail::CnnModuleApi* (*)();
      auto entry = reinterpret_cast<Entry>(::dlsym(handle, "wst_cnn_module_api"));
      const detail::CnnModuleApi* api = entry ? entry() : nullptr;
      if (!api || api->version != detail::kCnnModuleVersion) {
        out.why = path + ": not a wst CNN module of this version";
        return out;
      }
      out.api = api;
      return out;
    }
    out.why = "libwst_cnn.so was not found (looked at $WST_CNN_MODULE, beside the executable "
              "and in " WST_CNN_MODULE_PATH ")";
    return out;
#endif
  }();
  return m;
}

const detail::CnnModuleApi& api() {
  const Module& m = module();
  if (!m.api)
    throw UsageError("CNNs need libtorch: " + m.why +
                     " (install libtorch-dev and rebuild; CMake option WST_WITH_TORCH=ON is the "
                     "default)");
  return *m.api;
}

}  // namespace

struct CnnClassifier::Impl {
  const detail::CnnModuleApi* api;
  void* object;
  ~Impl() { api->destroy(object); }
};

bool cnn_available() { return module().api != nullptr; }

CnnClassifier::CnnClassifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CnnClassifier::~CnnClassifier() = default;
CnnClassifier::CnnClassifier(CnnClassifier&&) noexcept = default;
CnnClassifier& CnnClassifier::operator=(CnnClassifier&&) noexcept = default;

CnnClassifier CnnClassifier::lenet5(CnnOptions options) {
  const auto& a = api();
  return CnnClassifier(std::unique_ptr<Impl>(new Impl{&a, a.lenet5(options)}));
}

CnnClassifier CnnClassifier::scattering_head(std::size_t channels, std::size_t rows,
                                             std::size_t cols, CnnOptions options) {
  const auto& a = api();
  return CnnClassifier(
      std::unique_ptr<Impl>(new Impl{&a, a.scattering_head(channels, rows, cols, options)}));
}

CnnClassifier CnnClassifier::scattering_hybrid(std::shared_ptr<const DifferentiableTransform> front,
                                               CnnOptions options) {
  const auto& a = api();
  return CnnClassifier(
      std::unique_ptr<Impl>(new Impl{&a, a.scattering_hybrid(std::move(front), options)}));
}

namespace {
template <class Ptr>
auto& live(const Ptr& p) {
  if (!p) throw UsageError("CnnClassifier: use of a moved-from object");
  return *p;
}
}  // namespace

void CnnClassifier::fit(const FeatureMatrix& X, const Labels& y) {
  auto& m = live(impl_);
  m.api->fit(m.object, X, y);
}
Labels CnnClassifier::predict(const FeatureMatrix& X) const {
  const auto& m = live(impl_);
  return m.api->predict(m.object, X);
}
FeatureMatrix CnnClassifier::logits(const FeatureMatrix& X) const {
  const auto& m = live(impl_);
  return m.api->logits(m.object, X);
}
FeatureMatrix CnnClassifier::penultimate(const FeatureMatrix& X) const {
  const auto& m = live(impl_);
  return m.api->penultimate(m.object, X);
}
const std::vector<double>& CnnClassifier::loss_history() const {
  const auto& m = live(impl_);
  return m.api->loss_history(m.object);
}
std::size_t CnnClassifier::parameters() const {
  const auto& m = live(impl_);
  return m.api->parameters(m.object);
}
double CnnClassifier::loss(const FeatureMatrix& X, const Labels& y) const {
  const auto& m = live(impl_);
  return m.api->loss(m.object, X, y);
}
FeatureMatrix CnnClassifier::input_gradient(const FeatureMatrix& X, const Labels& y) const {
  const auto& m = live(impl_);
  return m.api->input_gradient(m.object, X, y);
}
ConvFilters CnnClassifier::first_layer_filters() const {
  const auto& m = live(impl_);
  return m.api->first_layer_filters(m.object);
}

}  // namespace wst::learn
