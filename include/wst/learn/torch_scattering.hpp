// The scattering (any DifferentiableTransform) inside a libtorch network: an autograd node whose
// forward is transform.forward and whose backward is transform.backward, the exact adjoint of the
// cascade (docs/scattering-gradients.md), and the module Scattering around it.
//
// Include this header only from code that links libtorch (the CNN module libwst_cnn.so, a program
// or test built with ${TORCH_LIBRARIES}): it is header-only and the rest of wst never sees torch.
//
//   auto S = wst::learn::Scattering(wst::learn::scattering_2d_transform(2, 28, 28));
//   torch::Tensor y = S(x);   // x: CPU float32/float64 (..., 28, 28) → (..., 81, 7, 7)
//
// Tensors: on the CPU, float32 or float64 (the output has the input's dtype), shape
// (..., input_shape()) with any number of leading axes; a non-contiguous input is made
// contiguous. Errors: InputError for a tensor that is not on the CPU, of another dtype, of the
// wrong trailing shape, or holding NaN or Inf (input or grad_output); UsageError for a null
// transform and for a backward run with create_graph = true (no second derivatives).
#pragma once
#include <torch/autograd.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "wst/learn/differentiable_transform.hpp"
#include "wst/support/error.hpp"

namespace wst::learn {

namespace torch_detail {

// Keeps the transform alive in the autograd context for as long as the graph holds it.
struct TransformHolder : torch::CustomClassHolder {
  explicit TransformHolder(std::shared_ptr<const DifferentiableTransform> t)
      : transform(std::move(t)) {}
  std::shared_ptr<const DifferentiableTransform> transform;
};

template <class Sizes>
std::string shape_text(const Sizes& sizes, bool leading_dots = false) {
  std::string s = leading_dots ? "(..." : "(";
  bool first = !leading_dots;
  for (auto n : sizes) {
    s += (first ? "" : ", ") + std::to_string(n);
    first = false;
  }
  return s + ")";
}

inline void check_finite(const torch::Tensor& t, const std::string& what) {
  if (!torch::isfinite(t).all().item<bool>())
    throw InputError(what + " contains NaN or infinite values");
}

// x: a CPU float32/float64 tensor of shape (..., input_shape()) without NaN or Inf.
inline void check_input(const torch::Tensor& x, const DifferentiableTransform& t) {
  const std::string who = "Scattering(" + t.name() + "): ";
  if (!x.defined()) throw UsageError(who + "x is an undefined tensor");
  if (!x.device().is_cpu())
    throw InputError(who + "x is on " + x.device().str() +
                     ": the scattering computes on the CPU (use x.cpu())");
  if (x.scalar_type() != torch::kFloat32 && x.scalar_type() != torch::kFloat64)
    throw InputError(who + "x must be float32 or float64 (got " +
                     std::string(c10::toString(x.scalar_type())) + ")");
  const std::vector<std::size_t> in = t.input_shape();
  bool fits = x.dim() >= static_cast<std::int64_t>(in.size());
  for (std::size_t i = 0; fits && i < in.size(); ++i)
    fits = x.size(x.dim() - static_cast<std::int64_t>(in.size() - i)) ==
           static_cast<std::int64_t>(in[i]);
  if (!fits)
    throw InputError(who + "x must have shape " + shape_text(in, true) + " (got " +
                     shape_text(x.sizes()) + ")");
  check_finite(x, who + "x");
}

// (..., input_shape()) → (..., output_shape()).
inline std::vector<std::int64_t> output_sizes(const torch::Tensor& x,
                                              const DifferentiableTransform& t) {
  const auto leading = x.dim() - static_cast<std::int64_t>(t.input_shape().size());
  std::vector<std::int64_t> sizes(x.sizes().begin(), x.sizes().begin() + leading);
  for (std::size_t n : t.output_shape()) sizes.push_back(static_cast<std::int64_t>(n));
  return sizes;
}

}  // namespace torch_detail

// y = Φ(x); in the backward pass grad_x = ∂/∂x Σ grad_y·Φ(x) = J_Φ(x)ᵀ grad_y, computed by
// transform.backward from the saved x (nothing else is kept). Call through scattering() or the
// module, which check the input; apply(x, transform) directly expects a checked x.
class ScatteringFunction : public torch::autograd::Function<ScatteringFunction> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                               const std::shared_ptr<const DifferentiableTransform>& transform) {
    const torch::Tensor in = x.contiguous();
    torch::Tensor y = torch::empty(torch_detail::output_sizes(in, *transform), in.options());
    const auto batch = static_cast<std::size_t>(in.numel()) / transform->input_size();
    if (in.scalar_type() == torch::kFloat64)
      transform->forward(in.data_ptr<double>(), batch, y.data_ptr<double>());
    else
      transform->forward(in.data_ptr<float>(), batch, y.data_ptr<float>());
    ctx->save_for_backward({in});
    ctx->saved_data["transform"] =
        c10::IValue::make_capsule(c10::make_intrusive<torch_detail::TransformHolder>(transform));
    return y;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_outputs) {
    const auto capsule = ctx->saved_data.at("transform").toCapsule();
    const DifferentiableTransform& t =
        *static_cast<const torch_detail::TransformHolder*>(capsule.get())->transform;
    const std::string who = "Scattering(" + t.name() + ") backward: ";
    // The reverse pass is not itself recorded: a graph of it would silently be wrong.
    if (torch::GradMode::is_enabled())
      throw UsageError(who + "second derivatives of the scattering are not supported "
                            "(backward or autograd::grad with create_graph = true)");
    const torch::Tensor x = ctx->get_saved_variables().at(0);
    const torch::Tensor g = grad_outputs.at(0).to(x.scalar_type()).contiguous();
    torch_detail::check_finite(g, who + "grad_output");
    torch::Tensor grad_x = torch::empty_like(x, torch::MemoryFormat::Contiguous);
    const auto batch = static_cast<std::size_t>(x.numel()) / t.input_size();
    if (x.scalar_type() == torch::kFloat64)
      t.backward(x.data_ptr<double>(), g.data_ptr<double>(), batch, grad_x.data_ptr<double>());
    else
      t.backward(x.data_ptr<float>(), g.data_ptr<float>(), batch, grad_x.data_ptr<float>());
    return {grad_x, torch::Tensor()};  // nothing for the transform argument
  }
};

// Φ(x) in the autograd graph, after the checks listed at the top of this header.
inline torch::Tensor scattering(const torch::Tensor& x,
                                const std::shared_ptr<const DifferentiableTransform>& transform) {
  if (!transform) throw UsageError("Scattering: the transform is null");
  torch_detail::check_input(x, *transform);
  return ScatteringFunction::apply(x, transform);
}

// A fixed front end: no parameters, no buffers; train() and eval() change nothing.
class ScatteringImpl : public torch::nn::Module {
 public:
  explicit ScatteringImpl(std::shared_ptr<const DifferentiableTransform> transform)
      : transform_(std::move(transform)) {
    if (!transform_) throw UsageError("Scattering: the transform is null");
  }
  torch::Tensor forward(const torch::Tensor& x) { return scattering(x, transform_); }
  const std::shared_ptr<const DifferentiableTransform>& transform() const { return transform_; }
  void pretty_print(std::ostream& stream) const override {
    stream << "wst::learn::Scattering(" << transform_->name() << ": "
           << torch_detail::shape_text(transform_->input_shape(), true) << " -> "
           << torch_detail::shape_text(transform_->output_shape(), true) << ")";
  }

 private:
  std::shared_ptr<const DifferentiableTransform> transform_;
};
TORCH_MODULE(Scattering);

}  // namespace wst::learn
