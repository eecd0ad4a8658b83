#include "wst/lab/scattering_features.hpp"

#include <algorithm>
#include <cmath>

#include "wst/core/scattering_2d.hpp"

namespace wst::lab {

namespace {
// log(ε + S): scattering coefficients of digits in [0, 1] span 1e-4 … 1; ε keeps the log
// finite where a channel vanishes.
constexpr float kLogEpsilon = 1e-3f;
}  // namespace

std::string ScatteringVariant::name() const {
  return "scattering J=" + std::to_string(J) + " m=" + std::to_string(order) + (log ? " log" : "");
}

Array<float> scatter_digits(const std::vector<float>& images, std::size_t n, int J, int threads,
                            const std::function<void(std::size_t)>& done) {
  ExecOptions exec;
  exec.threads = threads;
  exec.planning = Planning::estimate;  // small plans: measuring would cost more than it saves
  const Scattering2Df S(J, 28, 28, 8, 2, exec);
  Array<float> out({n, S.channels(), S.output_rows(), S.output_cols()});
  const std::size_t per_in = 28 * 28, per_out = out.size() / std::max<std::size_t>(n, 1);
  const std::size_t batch = 1000;
  for (std::size_t b = 0; b < n; b += batch) {
    const std::size_t m = std::min(batch, n - b);
    S(images.data() + b * per_in, m, out.data.data() + b * per_out);
    done(b + m);
  }
  return out;
}

learn::FeatureMatrix variant_features(const Array<float>& S, std::size_t channels_m1,
                                      const ScatteringVariant& v) {
  const std::size_t n = S.shape[0], C = S.shape[1], P = S.shape[2] * S.shape[3];
  const std::size_t keep = v.order == 1 ? channels_m1 : C;
  learn::FeatureMatrix X(long(n), long(keep * P));
  for (std::size_t i = 0; i < n; ++i) {
    const float* s = S.data.data() + i * C * P;
    float* x = X.row(long(i)).data();
    for (std::size_t k = 0; k < keep * P; ++k) x[k] = v.log ? std::log(kLogEpsilon + s[k]) : s[k];
  }
  return X;
}

}  // namespace wst::lab
