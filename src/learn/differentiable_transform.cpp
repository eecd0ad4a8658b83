// The scattering transforms as DifferentiableTransforms: forward = the core operator(), backward =
// the core reverse pass (docs/scattering-gradients.md), both called as they are, so the values and
// gradients are the core's to the bit. The float32 transform is built by the factory (which so
// validates the arguments); the float64 one on its first use, under std::call_once.
#include "wst/learn/differentiable_transform.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "wst/core/scattering_2d.hpp"
#include "wst/support/error.hpp"
#include "wst/support/format.hpp"

namespace wst::learn {

namespace {

// (M, N) → (C, M/2^J, N/2^J) (Bruna & Mallat 2013, §2–3).
struct Spec2D {
  int J;
  std::size_t M, N;
  int L, max_order;
  ExecOptions exec;

  template <class T>
  using Core = BasicScattering2D<T>;
  template <class T>
  Core<T> make() const {
    return Core<T>(J, M, N, L, max_order, exec);
  }
  std::vector<std::size_t> input_shape(const Core<float>&) const { return {M, N}; }
  std::vector<std::size_t> output_shape(const Core<float>& s) const {
    return {s.channels(), s.output_rows(), s.output_cols()};
  }
  std::string name() const {
    return "scattering_2d(J=" + std::to_string(J) + ", " + std::to_string(M) + "x" +
           std::to_string(N) + ", L=" + std::to_string(L) + ", max_order=" +
           std::to_string(max_order) + ")";
  }
};

// (N) → (C, N_out), or the concatenated paths for Averaging1D::none (Andén & Mallat 2014, §III).
struct Spec1D {
  int J;
  std::size_t N;
  Scattering1DOptions options;
  ExecOptions exec;

  template <class T>
  using Core = BasicScattering1D<T>;
  template <class T>
  Core<T> make() const {
    return Core<T>(J, N, options, exec);
  }
  std::vector<std::size_t> input_shape(const Core<float>&) const { return {N}; }
  std::vector<std::size_t> output_shape(const Core<float>& s) const {
    if (options.averaging == Averaging1D::none) return {s.output_size()};
    return {s.channels(), s.output_length()};
  }
  std::string name() const {
    const char* averaging = options.averaging == Averaging1D::local    ? "local"
                            : options.averaging == Averaging1D::global ? "global"
                                                                       : "none";
    return "scattering_1d(J=" + std::to_string(J) + ", N=" + std::to_string(N) + ", Q=(" +
           std::to_string(options.Q.q1) + ", " + std::to_string(options.Q.q2) +
           "), averaging=" + averaging + ", T=" + num(options.T) +
           ", max_order=" + std::to_string(options.max_order) + ")";
  }
};

template <class Spec>
class ScatteringTransform final : public DifferentiableTransform {
 public:
  using Float = typename Spec::template Core<float>;
  using Double = typename Spec::template Core<double>;

  explicit ScatteringTransform(Spec spec)
      : spec_(std::move(spec)),
        float_(spec_.template make<float>()),
        input_shape_(spec_.input_shape(float_)),
        output_shape_(spec_.output_shape(float_)) {}

  std::vector<std::size_t> input_shape() const override { return input_shape_; }
  std::vector<std::size_t> output_shape() const override { return output_shape_; }
  std::string name() const override { return spec_.name(); }

  void forward(const float* x, std::size_t batch, float* y) const override {
    if (batch) float_(x, batch, y);
  }
  void forward(const double* x, std::size_t batch, double* y) const override {
    if (batch) as_double()(x, batch, y);
  }
  void backward(const float* x, const float* grad_y, std::size_t batch,
                float* grad_x) const override {
    if (batch) float_.backward(x, grad_y, batch, grad_x);
  }
  void backward(const double* x, const double* grad_y, std::size_t batch,
                double* grad_x) const override {
    if (batch) as_double().backward(x, grad_y, batch, grad_x);
  }

 private:
  // Built on first use; a failed build (memory budget) is retried by the next call.
  const Double& as_double() const {
    std::call_once(double_once_,
                   [this] { double_ = std::make_unique<Double>(spec_.template make<double>()); });
    return *double_;
  }

  Spec spec_;
  Float float_;
  std::vector<std::size_t> input_shape_, output_shape_;
  mutable std::once_flag double_once_;
  mutable std::unique_ptr<Double> double_;
};

// The core's UsageError (naming the argument and its range), prefixed with the factory's name.
template <class Spec>
std::shared_ptr<const DifferentiableTransform> make_transform(Spec spec, const char* factory) {
  try {
    return std::make_shared<const ScatteringTransform<Spec>>(std::move(spec));
  } catch (const UsageError& e) {
    throw UsageError(std::string(factory) + ": " + e.what());
  }
}

}  // namespace

std::shared_ptr<const DifferentiableTransform> scattering_2d_transform(int J, std::size_t M,
                                                                       std::size_t N, int L,
                                                                       int max_order,
                                                                       const ExecOptions& exec) {
  return make_transform(Spec2D{J, M, N, L, max_order, exec}, "scattering_2d_transform");
}

std::shared_ptr<const DifferentiableTransform> scattering_1d_transform(
    int J, std::size_t N, const Scattering1DOptions& options, const ExecOptions& exec) {
  return make_transform(Spec1D{J, N, options, exec}, "scattering_1d_transform");
}

}  // namespace wst::learn
