// Scattering features of 28 × 28 digits for the classifiers (Bruna & Mallat 2013, §3): S_J of
// order ≤ m, optionally log(ε + S), as channel-major rows.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "wst/learn/features.hpp"
#include "wst/support/array.hpp"

namespace wst::lab {

// One feature set: scale 2^J, maximal order 1 or 2, log or not.
struct ScatteringVariant {
  int J = 3, order = 2;
  bool log = true;
  std::string name() const;  // "scattering J=3 m=2 log"
};

// S_J (8 angles, order 2, float) of n 28 × 28 images: n × channels × rows × cols, computed in
// batches of 1000; done(images so far) after each.
Array<float> scatter_digits(const std::vector<float>& images, std::size_t n, int J, int threads,
                            const std::function<void(std::size_t)>& done);

// The rows of one variant from S (channels_m1 = 1 + 8J channels of order ≤ 1).
learn::FeatureMatrix variant_features(const Array<float>& S, std::size_t channels_m1,
                                      const ScatteringVariant& v);

}  // namespace wst::lab
