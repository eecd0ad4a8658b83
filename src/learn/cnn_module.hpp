// The boundary between the learning layer and the libtorch CNN module (libwst_cnn.so), which is
// loaded with dlopen on first use so that programs that never train a CNN never pay libtorch's
// ~1 s of loading and static initialisation. Private to src/learn/.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

#include "wst/learn/cnn.hpp"

namespace wst::learn::detail {

// One table of entry points; objects are opaque pointers owned through destroy(). C++ exceptions
// (wst::UsageError, wst::InputError) cross the boundary: both sides share one libstdc++. A
// DifferentiableTransform crosses it as a shared_ptr made on this side: the module only makes
// virtual calls on it (it never links wst_core, whose FFTW planner lock must be one per process).
struct CnnModuleApi {
  int version;  // kCnnModuleVersion
  void* (*lenet5)(const CnnOptions&);
  void* (*scattering_head)(std::size_t, std::size_t, std::size_t, const CnnOptions&);
  void (*destroy)(void*);
  void (*fit)(void*, const FeatureMatrix&, const Labels&);
  Labels (*predict)(const void*, const FeatureMatrix&);
  FeatureMatrix (*penultimate)(const void*, const FeatureMatrix&);
  const std::vector<double>& (*loss_history)(const void*);
  std::size_t (*parameters)(const void*);
  ConvFilters (*first_layer_filters)(const void*);  // since version 2
  void* (*scattering_hybrid)(std::shared_ptr<const DifferentiableTransform>,
                             const CnnOptions&);                              // since version 3
  double (*loss)(const void*, const FeatureMatrix&, const Labels&);           // since version 3
  FeatureMatrix (*input_gradient)(const void*, const FeatureMatrix&, const Labels&);  // since 3
  FeatureMatrix (*logits)(const void*, const FeatureMatrix&);                        // since 4
};

// Bumped whenever the table or the types crossing it change; the loader refuses any other.
inline constexpr int kCnnModuleVersion = 4;

}  // namespace wst::learn::detail

// Exported by the module.
extern "C" const wst::learn::detail::CnnModuleApi* wst_cnn_module_api();
