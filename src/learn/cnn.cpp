// CNNs (LeNet-5 and the scattering + small-head hybrid) trained by SGD with libtorch's C++ frontend.
//
// This is the only translation unit that includes torch. It is built, only when libtorch is found,
// into the module libwst_cnn.so (hidden visibility: its CnnClassifier is private to it), which
// cnn_loader.cpp loads on first use through wst_cnn_module_api() below.
//
// Training, as implemented here:
//   * weights: torch::manual_seed(seed), then libtorch's default initialisation (Kaiming-uniform,
//     a = √5, as PyTorch's Conv2d / Linear), re-done at every fit();
//   * mini-batches: a fresh permutation every epoch, drawn by an explicit Fisher–Yates shuffle
//     from std::mt19937_64(seed) — no std distribution, so identical on every standard library;
//     the last batch of an epoch may be smaller; an effective batch is min(batch_size, n);
//   * epochs = max(epochs, ⌈min_steps · b / n⌉) with b the effective batch, so that at least
//     min_steps SGD steps are taken however small the training set;
//   * loss: mean cross-entropy of the batch; optimiser: torch::optim::SGD with momentum (not
//     Nesterov, no dampening) and L2 weight decay on every parameter (biases included);
//   * learning rate: cosine annealing per SGD step, lr_t = lr · ½ (1 + cos(π t / T)) for
//     t = 0 … T − 1 (T the number of steps of the fit): starts at lr, ends near 0;
//   * one intra-op thread (at::set_num_threads(1) during fit / predict / penultimate, the
//     previous value restored afterwards), and a process-wide mutex around all torch work, so a
//     given seed gives bit-identical loss histories and predictions whatever the machine load;
//   * LeNet-5 standardises its [0, 1] pixels inside the network as (x − 0.1307) / 0.3081 (the
//     MNIST mean and standard deviation); the scattering head takes its input as given
//     (standardised features expected); the hybrid feeds the head the front end's output as it
//     is, through the autograd node of wst/learn/torch_scattering.hpp (the front end is a
//     DifferentiableTransform made outside the module: wst_core is not linked in here);
//   * a non-finite epoch loss (divergence) throws UsageError naming learning_rate.
// Inference runs in batches of 500 rows under torch::NoGradGuard, in eval mode; loss() and
// input_gradient() likewise, the latter with gradients on, taking them by torch::autograd::grad
// (the parameters' .grad are left as they are).
#include "wst/learn/cnn.hpp"

#include <string>

#include "wst/learn/differentiable_transform.hpp"

#include "wst/support/error.hpp"
#include "wst/support/format.hpp"

#include <ATen/Parallel.h>
#include <torch/nn/functional/loss.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/optim/sgd.h>
#include <torch/types.h>
#include <torch/utils.h>

#include "wst/learn/torch_scattering.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <numbers>
#include <random>

#include "cnn_module.hpp"

namespace wst::learn {


// ---- libtorch implementation ------------------------------------------------------------------

namespace {

constexpr int kClasses = 10;
constexpr std::int64_t kInferenceBatch = 500;

// All torch work (weight initialisation draws from libtorch's global generator; the intra-op
// thread count is process-wide) is serialised by this mutex.
std::mutex& torch_mutex() {
  static std::mutex m;
  return m;
}

// One intra-op thread for the lifetime of the guard; the previous count is restored after.
class OneThread {
 public:
  OneThread() : previous_(at::get_num_threads()) {
    if (previous_ != 1) at::set_num_threads(1);
  }
  ~OneThread() {
    if (previous_ != 1) at::set_num_threads(previous_);
  }
  OneThread(const OneThread&) = delete;
  OneThread& operator=(const OneThread&) = delete;

 private:
  int previous_;
};

torch::Tensor rho(const torch::Tensor& x, Activation a) {
  return a == Activation::relu ? torch::relu(x) : torch::sigmoid(x);
}

// A network = hidden layers (ending in the penultimate activations) + a final linear layer.
class Net : public torch::nn::Module {
 public:
  virtual ~Net() = default;
  virtual torch::Tensor hidden(const torch::Tensor& x) = 0;
  torch::Tensor forward(const torch::Tensor& x) { return out_->forward(hidden(x)); }
  virtual std::int64_t hidden_width() const = 0;
  virtual const torch::nn::Conv2d& first_conv() const = 0;

 protected:
  torch::nn::Linear out_{nullptr};
};

// The fully connected layers that see a whole feature map (LeNet-5's 400 → 120 and 120 → 84, the
// head's 64·⌊rows/2⌋·⌊cols/2⌋ → 128) are computed as convolutions whose kernel covers the map: the
// same function, weights (out × C × kh × kw = out × inputs, C-order flattening) and default
// initialisation (Kaiming-uniform with fan-in C·kh·kw) as a Linear layer, but 4–5× faster because
// Debian's libtorch has no BLAS (Linear falls back to a generic GEMM) while convolutions go
// through oneDNN. The last layer (→ 10) stays a Linear, which is faster at that size.
class LeNet5 final : public Net {
 public:
  explicit LeNet5(Activation a) : act_(a) {
    namespace nn = torch::nn;
    conv1_ = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(1, 6, 5).padding(2)));
    conv2_ = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(6, 16, 5)));
    fc1_ = register_module("fc1", nn::Conv2d(nn::Conv2dOptions(16, 120, 5)));  // 400 → 120
    fc2_ = register_module("fc2", nn::Conv2d(nn::Conv2dOptions(120, 84, 1)));  // 120 → 84
    out_ = register_module("fc3", nn::Linear(84, kClasses));
  }
  torch::Tensor hidden(const torch::Tensor& x) override {
    auto h = (x - 0.1307) / 0.3081;                                  // 1 × 28 × 28
    h = torch::max_pool2d(rho(conv1_->forward(h), act_), {2, 2});    // 6 × 14 × 14
    h = torch::max_pool2d(rho(conv2_->forward(h), act_), {2, 2});    // 16 × 5 × 5
    h = rho(fc1_->forward(h), act_);                                 // 120 × 1 × 1
    return rho(fc2_->forward(h), act_).flatten(1);                   // 84
  }
  std::int64_t hidden_width() const override { return 84; }
  const torch::nn::Conv2d& first_conv() const override { return conv1_; }

 private:
  Activation act_;
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, fc1_{nullptr}, fc2_{nullptr};
};

// The head on channels × rows × cols maps; with a front end, the hybrid front → head (the front
// has no parameters and draws nothing: the head's initial weights are the same either way).
class ScatteringHead final : public Net {
 public:
  ScatteringHead(std::int64_t channels, std::int64_t rows, std::int64_t cols, Activation a,
                 std::int64_t width, std::shared_ptr<const DifferentiableTransform> front = nullptr)
      : act_(a), width_(width) {
    namespace nn = torch::nn;
    if (front) front_ = register_module("scattering", Scattering(std::move(front)));
    conv_ = register_module("conv", nn::Conv2d(nn::Conv2dOptions(channels, width, 3).padding(1)));
    // w·⌊rows/2⌋·⌊cols/2⌋ → 2w
    fc1_ = register_module("fc1", nn::Conv2d(nn::Conv2dOptions(
                                      width, 2 * width, torch::ExpandingArray<2>({rows / 2, cols / 2}))));
    out_ = register_module("fc2", nn::Linear(2 * width, kClasses));
  }
  torch::Tensor hidden(const torch::Tensor& x) override {
    const torch::Tensor maps = front_ ? front_->forward(x) : x;          // channels × r × c
    auto h = torch::max_pool2d(rho(conv_->forward(maps), act_), {2, 2});  // w × ⌊r/2⌋ × ⌊c/2⌋
    return rho(fc1_->forward(h), act_).flatten(1);                     // 2w
  }
  std::int64_t hidden_width() const override { return 2 * width_; }
  const torch::nn::Conv2d& first_conv() const override { return conv_; }

 private:
  Activation act_;
  std::int64_t width_;
  Scattering front_{nullptr};
  torch::nn::Conv2d conv_{nullptr}, fc1_{nullptr};
};

void check_options(const CnnOptions& o) {
  auto bad = [](const std::string& what) { throw UsageError("CnnOptions." + what); };
  if (o.epochs < 1) bad("epochs must be >= 1 (got " + std::to_string(o.epochs) + ")");
  if (o.min_steps < 0) bad("min_steps must be >= 0 (got " + std::to_string(o.min_steps) + ")");
  if (!(o.label_smoothing >= 0 && o.label_smoothing < 1))
    bad("label_smoothing must be in [0, 1) (got " + num(o.label_smoothing) + ")");
  if (o.head_width < 1 || o.head_width > 4096)
    bad("head_width must be in [1, 4096] (got " + std::to_string(o.head_width) + ")");
  if (o.batch_size < 1)
    bad("batch_size must be >= 1 (got " + std::to_string(o.batch_size) + ")");
  if (!(o.learning_rate > 0) || !std::isfinite(o.learning_rate))
    bad("learning_rate must be finite and > 0 (got " + num(o.learning_rate) + ")");
  if (!(o.momentum >= 0 && o.momentum < 1))
    bad("momentum must be in [0, 1) (got " + num(o.momentum) + ")");
  if (!(o.weight_decay >= 0) || !std::isfinite(o.weight_decay))
    bad("weight_decay must be finite and >= 0 (got " + num(o.weight_decay) + ")");
}

// The head's maps: channels in [1, 2^16], rows and cols in [2, 2^12], at most 2^26 values.
void check_head_shape(const std::string& fn, std::size_t channels, std::size_t rows,
                      std::size_t cols) {
  constexpr std::size_t max_channels = std::size_t{1} << 16, max_side = std::size_t{1} << 12;
  if (channels < 1 || channels > max_channels)
    throw UsageError(fn + ": channels must be in [1, " + std::to_string(max_channels) + "] (got " +
                     std::to_string(channels) + ")");
  if (rows < 2 || rows > max_side || cols < 2 || cols > max_side)
    throw UsageError(fn + ": rows and cols must be in [2, " + std::to_string(max_side) + "] (got " +
                     std::to_string(rows) + " x " + std::to_string(cols) + ")");
  if (channels * rows * cols > (std::size_t{1} << 26))
    throw UsageError(fn + ": channels*rows*cols must be <= 2^26 (got " +
                     std::to_string(channels * rows * cols) + ")");
}

// "1*28*28"
template <class Sizes>
std::string product_text(const Sizes& sizes) {
  std::string s;
  for (auto n : sizes) s += (s.empty() ? "" : "*") + std::to_string(n);
  return s;
}

}  // namespace

struct CnnClassifier::Impl {
  std::string name;  // for messages
  std::int64_t channels = 0, rows = 0, cols = 0;  // the head's maps (LeNet-5: its 1 × 28 × 28)
  bool lenet = false;
  std::shared_ptr<const DifferentiableTransform> front;  // the hybrid's, else null
  std::vector<std::int64_t> input_shape;                  // of one input row
  std::string input_names;                                // the input's axes, for messages
  CnnOptions options;
  std::shared_ptr<Net> net;
  bool fitted = false;
  std::vector<double> losses;

  std::shared_ptr<Net> make_net() const {  // caller holds torch_mutex()
    torch::manual_seed(options.seed);
    if (lenet) return std::make_shared<LeNet5>(options.activation);
    return std::make_shared<ScatteringHead>(channels, rows, cols, options.activation,
                                            options.head_width, front);
  }
  std::int64_t width() const {
    std::int64_t w = 1;
    for (std::int64_t s : input_shape) w *= s;
    return w;
  }

  void check_input(const FeatureMatrix& X, const char* fn) const {
    if (X.cols() != width())
      throw UsageError(name + "::" + fn + ": X must have " + input_names + " = " +
                       product_text(input_shape) + " = " + std::to_string(width()) +
                       " columns (got " + std::to_string(X.cols()) + ")");
    if (!X.allFinite())
      throw InputError(name + "::" + fn + ": X contains NaN or infinite values");
  }
  // y: n labels in 0 … 9.
  void check_labels(std::int64_t n, const Labels& y, const char* fn) const {
    if (static_cast<std::size_t>(n) != y.size())
      throw InputError(name + "::" + fn + ": X has " + std::to_string(n) + " rows but y has " +
                       std::to_string(y.size()) + " labels");
    for (std::size_t i = 0; i < y.size(); ++i)
      if (y[i] < 0 || y[i] >= kClasses)
        throw InputError(name + "::" + fn + ": labels must be in 0 ... 9 (got " +
                         std::to_string(y[i]) + " at row " + std::to_string(i) + ")");
  }
  // A view of rows [begin, end) of X as an (end − begin) × input_shape tensor (no copy; never
  // written to).
  torch::Tensor view(const FeatureMatrix& X, std::int64_t begin, std::int64_t end) const {
    float* p = const_cast<float*>(X.data()) + begin * width();
    std::vector<std::int64_t> sizes{end - begin};
    sizes.insert(sizes.end(), input_shape.begin(), input_shape.end());
    return torch::from_blob(p, sizes, torch::kFloat32);
  }
  // Labels [begin, end) of y as int64.
  static torch::Tensor targets(const Labels& y, std::int64_t begin, std::int64_t end) {
    torch::Tensor t = torch::empty({end - begin}, torch::kInt64);
    std::copy(y.begin() + begin, y.begin() + end, t.data_ptr<std::int64_t>());
    return t;
  }
  void check_fitted(const char* fn) const {
    if (!fitted) throw UsageError(name + "::" + fn + ": call fit() first");
  }
};


CnnClassifier::CnnClassifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CnnClassifier::~CnnClassifier() = default;
CnnClassifier::CnnClassifier(CnnClassifier&&) noexcept = default;
CnnClassifier& CnnClassifier::operator=(CnnClassifier&&) noexcept = default;

namespace {
template <class Ptr>  // a template, as CnnClassifier::Impl is private
auto& live(const Ptr& p) {
  if (!p) throw UsageError("CnnClassifier: use of a moved-from object");
  return *p;
}
}  // namespace

CnnClassifier CnnClassifier::lenet5(CnnOptions options) {
  check_options(options);
  auto impl = std::make_unique<Impl>();
  impl->name = "CnnClassifier(lenet5)";
  impl->lenet = true;
  impl->channels = 1;
  impl->rows = 28;
  impl->cols = 28;
  impl->input_shape = {1, 28, 28};
  impl->input_names = "channels*rows*cols";
  impl->options = std::move(options);
  {
    std::lock_guard lock(torch_mutex());
    impl->net = impl->make_net();
  }
  return CnnClassifier(std::move(impl));
}

CnnClassifier CnnClassifier::scattering_head(std::size_t channels, std::size_t rows,
                                             std::size_t cols, CnnOptions options) {
  check_head_shape("CnnClassifier::scattering_head", channels, rows, cols);
  check_options(options);
  auto impl = std::make_unique<Impl>();
  impl->name = "CnnClassifier(scattering_head)";
  impl->channels = static_cast<std::int64_t>(channels);
  impl->rows = static_cast<std::int64_t>(rows);
  impl->cols = static_cast<std::int64_t>(cols);
  impl->input_shape = {impl->channels, impl->rows, impl->cols};
  impl->input_names = "channels*rows*cols";
  impl->options = std::move(options);
  {
    std::lock_guard lock(torch_mutex());
    impl->net = impl->make_net();
  }
  return CnnClassifier(std::move(impl));
}

CnnClassifier CnnClassifier::scattering_hybrid(std::shared_ptr<const DifferentiableTransform> front,
                                               CnnOptions options) {
  const std::string fn = "CnnClassifier::scattering_hybrid";
  if (!front) throw UsageError(fn + ": front must not be null");
  const std::vector<std::size_t> maps = front->output_shape(), in = front->input_shape();
  if (maps.size() != 3)
    throw UsageError(fn + ": front->output_shape() must be channels x rows x cols (got " +
                     product_text(maps) + " from " + front->name() + ")");
  check_head_shape(fn, maps[0], maps[1], maps[2]);
  std::size_t width = 1;
  for (std::size_t s : in) width *= s;
  if (in.empty() || width < 1 || width > (std::size_t{1} << 26))
    throw UsageError(fn + ": front->input_shape() must hold 1 to 2^26 values (got " +
                     product_text(in) + " from " + front->name() + ")");
  check_options(options);
  auto impl = std::make_unique<Impl>();
  impl->name = "CnnClassifier(scattering_hybrid)";
  impl->channels = static_cast<std::int64_t>(maps[0]);
  impl->rows = static_cast<std::int64_t>(maps[1]);
  impl->cols = static_cast<std::int64_t>(maps[2]);
  impl->input_shape.assign(in.begin(), in.end());
  impl->input_names = "the values of front->input_shape()";
  impl->front = std::move(front);
  impl->options = std::move(options);
  {
    std::lock_guard lock(torch_mutex());
    impl->net = impl->make_net();
  }
  return CnnClassifier(std::move(impl));
}

void CnnClassifier::fit(const FeatureMatrix& X, const Labels& y) {
  Impl& m = live(impl_);
  const std::int64_t n = X.rows();
  if (n < 1) throw InputError(m.name + "::fit: no training samples");
  m.check_labels(n, y, "fit");
  m.check_input(X, "fit");

  const CnnOptions& o = m.options;
  const std::int64_t batch = std::min<std::int64_t>(o.batch_size, n);
  const std::int64_t steps_per_epoch = (n + batch - 1) / batch;
  const std::int64_t min_epochs = (std::int64_t{o.min_steps} * batch + n - 1) / n;
  const std::int64_t epochs = std::max<std::int64_t>(o.epochs, min_epochs);
  const double total_steps = static_cast<double>(epochs * steps_per_epoch);

  std::lock_guard lock(torch_mutex());
  OneThread one_thread;
  m.fitted = false;
  m.losses.clear();
  m.net = m.make_net();
  Net& net = *m.net;
  net.train();

  const torch::Tensor all = m.view(X, 0, n);
  const torch::Tensor targets = Impl::targets(y, 0, n);

  torch::optim::SGD sgd(net.parameters(), torch::optim::SGDOptions(o.learning_rate)
                                              .momentum(o.momentum)
                                              .weight_decay(o.weight_decay));
  std::mt19937_64 rng(o.seed);
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;

  std::int64_t step = 0;
  for (std::int64_t epoch = 0; epoch < epochs; ++epoch) {
    for (std::size_t i = order.size() - 1; i > 0; --i)  // Fisher–Yates
      std::swap(order[i], order[static_cast<std::size_t>(rng() % (i + 1))]);
    double loss_sum = 0;
    for (std::int64_t begin = 0; begin < n; begin += batch, ++step) {
      const std::int64_t b = std::min(batch, n - begin);
      const torch::Tensor idx = torch::from_blob(order.data() + begin, {b}, torch::kInt64);
      const double lr =
          o.learning_rate * 0.5 * (1 + std::cos(std::numbers::pi * double(step) / total_steps));
      for (auto& group : sgd.param_groups()) group.options().set_lr(lr);

      sgd.zero_grad();
      torch::Tensor loss = torch::nn::functional::cross_entropy(
          net.forward(all.index_select(0, idx)), targets.index_select(0, idx),
          torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(o.label_smoothing));
      loss.backward();
      sgd.step();
      loss_sum += loss.item<double>() * double(b);
    }
    const double mean = loss_sum / double(n);
    if (!std::isfinite(mean))
      throw UsageError(m.name + "::fit: training diverged (loss " + num(mean) + " at epoch " +
                       std::to_string(epoch + 1) + "): lower CnnOptions.learning_rate (" +
                       num(o.learning_rate) + ")");
    m.losses.push_back(mean);
    if (o.progress) o.progress(int(epoch + 1), int(epochs), mean);
  }
  net.eval();
  m.fitted = true;
}

Labels CnnClassifier::predict(const FeatureMatrix& X) const {
  const Impl& m = live(impl_);
  m.check_fitted("predict");
  m.check_input(X, "predict");
  const std::int64_t n = X.rows();
  Labels out(static_cast<std::size_t>(n));
  std::lock_guard lock(torch_mutex());
  OneThread one_thread;
  torch::NoGradGuard no_grad;
  m.net->eval();
  for (std::int64_t begin = 0; begin < n; begin += kInferenceBatch) {
    const std::int64_t end = std::min(n, begin + kInferenceBatch);
    torch::Tensor cls = m.net->forward(m.view(X, begin, end)).argmax(1).contiguous();
    const auto* c = cls.data_ptr<std::int64_t>();
    for (std::int64_t i = begin; i < end; ++i) out[static_cast<std::size_t>(i)] = int(c[i - begin]);
  }
  return out;
}

namespace {

// One row of `width` values per row of X: layer(the input batch) in eval mode, in batches.
template <class Impl, class Layer>
FeatureMatrix eval_rows(const Impl& m, const FeatureMatrix& X, std::int64_t width, Layer layer) {
  const std::int64_t n = X.rows();
  FeatureMatrix out(n, width);
  std::lock_guard lock(torch_mutex());
  OneThread one_thread;
  torch::NoGradGuard no_grad;
  m.net->eval();
  for (std::int64_t begin = 0; begin < n; begin += kInferenceBatch) {
    const std::int64_t end = std::min(n, begin + kInferenceBatch);
    torch::Tensor h = layer(m.view(X, begin, end)).contiguous();
    std::memcpy(out.data() + begin * width, h.data_ptr<float>(),
                static_cast<std::size_t>((end - begin) * width) * sizeof(float));
  }
  return out;
}

}  // namespace

FeatureMatrix CnnClassifier::logits(const FeatureMatrix& X) const {
  const Impl& m = live(impl_);
  m.check_fitted("logits");
  m.check_input(X, "logits");
  return eval_rows(m, X, kClasses, [&](const torch::Tensor& x) { return m.net->forward(x); });
}

FeatureMatrix CnnClassifier::penultimate(const FeatureMatrix& X) const {
  const Impl& m = live(impl_);
  m.check_fitted("penultimate");
  m.check_input(X, "penultimate");
  return eval_rows(m, X, m.net->hidden_width(),
                   [&](const torch::Tensor& x) { return m.net->hidden(x); });
}

double CnnClassifier::loss(const FeatureMatrix& X, const Labels& y) const {
  const Impl& m = live(impl_);
  m.check_fitted("loss");
  m.check_labels(X.rows(), y, "loss");
  m.check_input(X, "loss");
  const std::int64_t n = X.rows();
  const auto sum = torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum);
  double total = 0;
  std::lock_guard lock(torch_mutex());
  OneThread one_thread;
  torch::NoGradGuard no_grad;
  m.net->eval();
  for (std::int64_t begin = 0; begin < n; begin += kInferenceBatch) {
    const std::int64_t end = std::min(n, begin + kInferenceBatch);
    const torch::Tensor logits = m.net->forward(m.view(X, begin, end)).to(torch::kFloat64);
    total += torch::nn::functional::cross_entropy(logits, Impl::targets(y, begin, end), sum)
                 .item<double>();
  }
  return total;
}

// ∂ℓ/∂x by torch::autograd::grad of the summed loss of each batch with respect to its input
// alone (a leaf view of X), so the parameters' gradients are neither computed nor touched.
FeatureMatrix CnnClassifier::input_gradient(const FeatureMatrix& X, const Labels& y) const {
  const Impl& m = live(impl_);
  m.check_fitted("input_gradient");
  m.check_labels(X.rows(), y, "input_gradient");
  m.check_input(X, "input_gradient");
  const std::int64_t n = X.rows(), w = m.width();
  FeatureMatrix out(n, w);
  const auto sum = torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum);
  std::lock_guard lock(torch_mutex());
  OneThread one_thread;
  torch::AutoGradMode grad_mode(true);
  m.net->eval();
  for (std::int64_t begin = 0; begin < n; begin += kInferenceBatch) {
    const std::int64_t end = std::min(n, begin + kInferenceBatch);
    const torch::Tensor x = m.view(X, begin, end).requires_grad_(true);
    const torch::Tensor logits = m.net->forward(x).to(torch::kFloat64);
    const torch::Tensor loss =
        torch::nn::functional::cross_entropy(logits, Impl::targets(y, begin, end), sum);
    const torch::Tensor g = torch::autograd::grad({loss}, {x})[0].contiguous();
    std::memcpy(out.data() + begin * w, g.data_ptr<float>(),
                static_cast<std::size_t>((end - begin) * w) * sizeof(float));
  }
  return out;
}

const std::vector<double>& CnnClassifier::loss_history() const { return live(impl_).losses; }

std::size_t CnnClassifier::parameters() const {
  const Impl& m = live(impl_);
  std::size_t count = 0;
  for (const auto& p : m.net->parameters())
    if (p.requires_grad()) count += static_cast<std::size_t>(p.numel());
  return count;
}

// A copy of conv.weight (out × in × kh × kw, contiguous float32), taken under the torch mutex so
// that it never overlaps a fit of another object (nor the SGD steps of this one).
ConvFilters CnnClassifier::first_layer_filters() const {
  const Impl& m = live(impl_);
  std::lock_guard lock(torch_mutex());
  const torch::Tensor w =
      m.net->first_conv()->weight.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  ConvFilters f;
  f.out = static_cast<std::size_t>(w.size(0));
  f.in = static_cast<std::size_t>(w.size(1));
  f.rows = static_cast<std::size_t>(w.size(2));
  f.cols = static_cast<std::size_t>(w.size(3));
  const float* p = w.data_ptr<float>();
  f.weights.assign(p, p + w.numel());
  return f;
}

}  // namespace wst::learn

// ---- the module's entry points -----------------------------------------------------------------

namespace {
using wst::learn::CnnClassifier;
CnnClassifier& self(void* p) { return *static_cast<CnnClassifier*>(p); }
const CnnClassifier& self(const void* p) { return *static_cast<const CnnClassifier*>(p); }
}  // namespace

extern "C" __attribute__((visibility("default"))) const wst::learn::detail::CnnModuleApi*
wst_cnn_module_api() {
  using namespace wst::learn;
  static const wst::learn::detail::CnnModuleApi api = {
      wst::learn::detail::kCnnModuleVersion,
      [](const CnnOptions& o) -> void* { return new CnnClassifier(CnnClassifier::lenet5(o)); },
      [](std::size_t c, std::size_t r, std::size_t k, const CnnOptions& o) -> void* {
        return new CnnClassifier(CnnClassifier::scattering_head(c, r, k, o));
      },
      [](void* p) { delete static_cast<CnnClassifier*>(p); },
      [](void* p, const FeatureMatrix& X, const Labels& y) { self(p).fit(X, y); },
      [](const void* p, const FeatureMatrix& X) { return self(p).predict(X); },
      [](const void* p, const FeatureMatrix& X) { return self(p).penultimate(X); },
      [](const void* p) -> const std::vector<double>& { return self(p).loss_history(); },
      [](const void* p) { return self(p).parameters(); },
      [](const void* p) { return self(p).first_layer_filters(); },
      [](std::shared_ptr<const DifferentiableTransform> front, const CnnOptions& o) -> void* {
        return new CnnClassifier(CnnClassifier::scattering_hybrid(std::move(front), o));
      },
      [](const void* p, const FeatureMatrix& X, const Labels& y) { return self(p).loss(X, y); },
      [](const void* p, const FeatureMatrix& X, const Labels& y) {
        return self(p).input_gradient(X, y);
      },
      [](const void* p, const FeatureMatrix& X) { return self(p).logits(X); },
  };
  return &api;
}
