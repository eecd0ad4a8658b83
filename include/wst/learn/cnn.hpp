// Convolutional networks trained by SGD with back-propagation (Mallat 2016: x_j = ρ(W_j x_{j−1}),
// W_j a convolution summed over input channels, ρ = ReLU or sigmoid), using libtorch's C++
// frontend. Built only when libtorch is found (cnn_available()); otherwise every constructor
// throws UsageError saying so. Torch lives in src/learn/cnn.cpp alone (and in the header-only
// wst/learn/torch_scattering.hpp it uses).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "wst/learn/features.hpp"

namespace wst::learn {

class DifferentiableTransform;  // wst/learn/differentiable_transform.hpp

bool cnn_available();

enum class Activation { relu, sigmoid };

// The weights W_1 of a network's first convolution (x_1 = ρ(W_1 x_0), Mallat 2016), without the
// biases: out filters of in channels × rows × cols taps each, stored out × in × rows × cols in
// C order, i.e. weights[((o·in + c)·rows + r)·cols + k] is tap (r, k) of filter o on channel c.
// The taps multiply the input as a cross-correlation (torch's Conv2d), not a flipped convolution.
struct ConvFilters {
  std::size_t out = 0, in = 0, rows = 0, cols = 0;
  std::vector<float> weights;  // out × in × rows × cols, C order
};

struct CnnOptions {
  Activation activation = Activation::relu;
  int epochs = 20;          // passes over the training set …
  int min_steps = 1500;     // … raised so that small sets still get this many SGD steps
  int batch_size = 32;
  int head_width = 64;      // the scattering head's w (below); LeNet-5 ignores it
  double learning_rate = 0.02;  // initial; cosine-annealed per SGD step towards 0
  double momentum = 0.9;
  double weight_decay = 5e-4;
  // ε of the training loss −Σ_k q_k log softmax(f(x))_k with q = (1 − ε)·onehot(y) + ε/10
  // (Szegedy et al. 2016, §7); 0: plain cross-entropy. loss() always reports the plain one.
  double label_smoothing = 0;
  std::uint64_t seed = 0;   // weights and mini-batch order
  // Called after each epoch: (epoch done, epochs in all, mean training loss of that epoch, with
  // label smoothing if set).
  // It runs under the process-wide CNN lock: it must not call into any CnnClassifier.
  std::function<void(int, int, double)> progress;
};

// Input rows are images of channels × rows × cols values (C order), e.g. 1 × 28 × 28 pixels or
// the channels × 7 × 7 maps of a J = 2 scattering. Training runs on one intra-op thread, so
// results are identical for a given seed on any machine load; fits are serialised process-wide
// (libtorch's default generator is global).
class CnnClassifier {
 public:
  // LeNet-5 (LeCun et al. 1998) on 1 × 28 × 28: conv 5×5 → 6 (padding 2), ρ, max-pool 2,
  // conv 5×5 → 16, ρ, max-pool 2, linear 400 → 120, ρ, 120 → 84, ρ, 84 → 10 (61 706
  // parameters). Input pixels in [0, 1]; the network first maps x to (x − 0.1307) / 0.3081.
  static CnnClassifier lenet5(CnnOptions options = {});
  // The hybrid of a fixed scattering front end and a small trained head (Oyallon et al. 2017):
  // conv 3×3 channels → w (padding 1), ρ, max-pool 2, linear w·⌊rows/2⌋·⌊cols/2⌋ → 2w, ρ,
  // 2w → 10, with w = options.head_width (64 unless set).
  static CnnClassifier scattering_head(std::size_t channels, std::size_t rows, std::size_t cols,
                                       CnnOptions options = {});
  // The same hybrid with the scattering inside the network (torch_scattering.hpp): input rows are
  // the raw front->input_shape() values (e.g. 28 × 28 pixels), front (fixed, no parameters) makes
  // the channels × rows × cols maps (front->output_shape(), which must have these three axes) and
  // the head above is trained on them as they are (no standardisation). With the same options it
  // trains exactly as scattering_head(channels, rows, cols) on the features front->forward(X):
  // the pixels do not require gradients, so training never runs front's reverse pass;
  // input_gradient() does. front must be thread-safe (as DifferentiableTransform promises).
  static CnnClassifier scattering_hybrid(std::shared_ptr<const DifferentiableTransform> front,
                                         CnnOptions options = {});
  ~CnnClassifier();
  CnnClassifier(CnnClassifier&&) noexcept;
  CnnClassifier& operator=(CnnClassifier&&) noexcept;

  // X: n × (the input's values: channels·rows·cols, or front->input_size() for the hybrid),
  // labels 0 … 9. Re-initialises the weights from the seed.
  void fit(const FeatureMatrix& X, const Labels& y);
  Labels predict(const FeatureMatrix& X) const;  // the argmax of logits(X)
  // The network's outputs f(x) before the softmax, n × 10 (float32, eval mode).
  FeatureMatrix logits(const FeatureMatrix& X) const;
  // The activations of the last hidden layer (LeNet-5: the 84 units; head, hybrid: 2·head_width).
  FeatureMatrix penultimate(const FeatureMatrix& X) const;
  // ℓ(X, y) = Σ_i −log softmax(f(x_i))_{y_i}, the cross-entropy summed over the rows, of the
  // network in eval mode (float32 logits, log-softmax and sum in float64). After fit().
  double loss(const FeatureMatrix& X, const Labels& y) const;
  // ∂ℓ(X, y)/∂X, one row per input row (row i is ∂ℓ_i/∂x_i: the rows do not interact in eval
  // mode): the saliency map of each input for its label, or the direction of a gradient-sign
  // adversarial step. Back-propagated by libtorch through the network, in float32, and through
  // the scattering's reverse pass for the hybrid; LeNet-5's includes the 1/0.3081 of its
  // standardisation. At the kinks of ReLU and max-pool the subgradient libtorch picks. After fit().
  FeatureMatrix input_gradient(const FeatureMatrix& X, const Labels& y) const;
  // Mean training loss (cross-entropy) of each epoch of the last fit.
  const std::vector<double>& loss_history() const;
  std::size_t parameters() const;  // trainable parameters
  // The first convolution layer's weights (LeNet-5: 6 filters of 1 × 5 × 5; the scattering head
  // and the hybrid: head_width of channels × 3 × 3), as trained (after fit) or as initialised from the
  // seed (before). After a fit that threw (divergence), the weights where training stopped.
  // LeNet-5's filters act on the standardised pixels (x − 0.1307) / 0.3081.
  ConvFilters first_layer_filters() const;

 private:
  struct Impl;
  explicit CnnClassifier(std::unique_ptr<Impl>);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wst::learn
