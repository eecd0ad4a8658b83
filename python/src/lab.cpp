// Bindings of the `lab` experiments (wst/lab/{stability,invariance,energy,mnist_benchmark,
// reconstruction}.hpp): keyword arguments → config → one call with the GIL released → the result's to_json as Python objects
// (dict, list, int, float, str, bool, None; keys in to_json's order). The Python layer
// (python/wst/lab.py) validates the arguments with their Python names first; the configs'
// validate() runs again here and raises ValueError with the CLI's option names.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "wst/lab/charges.hpp"
#include "wst/lab/energy.hpp"
#include "wst/lab/invariance.hpp"
#include "wst/lab/mnist_benchmark.hpp"
#include "wst/lab/reconstruction.hpp"
#include "wst/lab/stability.hpp"

namespace wst::python {

namespace {

using json = nlohmann::ordered_json;

// JSON → Python, leaf by leaf; objects keep their key order (dicts are ordered).
py::object to_python(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return py::none();
    case json::value_t::boolean: return py::bool_(j.get<bool>());
    case json::value_t::number_integer: return py::int_(j.get<std::int64_t>());
    case json::value_t::number_unsigned: return py::int_(j.get<std::uint64_t>());
    case json::value_t::number_float: return py::float_(j.get<double>());
    case json::value_t::string: return py::str(j.get_ref<const std::string&>());
    case json::value_t::array: {
      py::list l;
      for (const json& e : j) l.append(to_python(e));
      return l;
    }
    case json::value_t::object: {
      py::dict d;
      for (const auto& [k, v] : j.items()) d[py::str(k)] = to_python(v);
      return d;
    }
    default: throw std::logic_error("lab result: unexpected JSON value");
  }
}

// Runs compute() with the GIL released and returns to_json of its result as Python objects.
template <class Compute>
py::object released_json(Compute compute) {
  json j;
  {
    py::gil_scoped_release release;
    j = to_json(compute());
  }
  return to_python(j);
}

py::dict config_dict(const lab::StabilityConfig& c) {
  py::dict d;
  d["digits"] = c.digits;
  d["chirps"] = c.chirps;
  d["sizes"] = c.sizes;
  d["kinds"] = c.kinds;
  d["J"] = c.J;
  d["J1"] = c.J1;
  d["Q1"] = c.Q1;
  d["seed"] = c.seed;
  d["data"] = c.data;
  d["mnist_dir"] = c.mnist_dir;
  d["wavs"] = c.wavs;
  d["cnn_digits"] = c.cnn_digits;
  d["no_1d"] = c.no_1d;
  d["no_2d"] = c.no_2d;
  d["no_cnn"] = c.no_cnn;
  d["quick"] = c.quick;
  return d;
}

// The LeNet-5's progress, called with the GIL released: the callable runs under the GIL, and the
// first exception it raises (a Ctrl-C included) is kept and re-raised when stability() returns.
struct Progress {
  const py::object* fn = nullptr;
  std::exception_ptr error;
  lab::StabilityProgress callback() {
    if (fn == nullptr || fn->is_none()) return {};
    return [this](int epoch, int epochs, double loss) {
      if (error) return;
      py::gil_scoped_acquire acquire;
      try {
        (*fn)(epoch, epochs, loss);
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      } catch (...) {
        error = std::current_exception();
      }
    };
  }
};

py::object run_stability(std::size_t digits, std::size_t chirps, std::vector<double> sizes,
                         std::vector<std::string> kinds, int J, int J1, int Q1, unsigned seed,
                         std::string data, std::string mnist_dir, std::vector<std::string> wavs,
                         std::size_t cnn_digits, bool no_1d, bool no_2d, bool no_cnn, bool quick,
                         int threads, const std::string& planning, const py::object& progress) {
  lab::StabilityConfig c;
  c.digits = digits;
  c.chirps = chirps;
  c.sizes = std::move(sizes);
  c.kinds = std::move(kinds);
  c.J = J;
  c.J1 = J1;
  c.Q1 = Q1;
  c.seed = seed;
  c.data = std::move(data);
  c.mnist_dir = std::move(mnist_dir);
  c.wavs = std::move(wavs);
  c.cnn_digits = cnn_digits;
  c.no_1d = no_1d;
  c.no_2d = no_2d;
  c.no_cnn = no_cnn;
  c.quick = quick;
  c.exec = make_exec(threads, planning);
  lab::validate(c);
  Progress p{&progress, {}};
  const lab::StabilityProgress cb = p.callback();
  py::object out = released_json([&] { return lab::stability(c, cb); });
  if (p.error) std::rethrow_exception(p.error);
  return out;
}

py::object run_invariance(std::vector<int> J, std::vector<int> shifts, int images,
                          std::size_t size, bool quick, std::string data, int threads,
                          const std::string& planning) {
  lab::InvarianceConfig c;
  c.J = std::move(J);
  c.shifts = std::move(shifts);
  c.images = images;
  c.size = size;
  c.quick = quick;
  c.data = std::move(data);
  c.exec = make_exec(threads, planning);
  lab::validate(c);
  return released_json([&] { return lab::invariance(c); });
}

py::object run_energy(int J, int images, int pairs, std::size_t size, unsigned seed, bool quick,
                      std::string data, int threads, const std::string& planning) {
  lab::EnergyConfig c;
  c.J = J;
  c.images = images;
  c.pairs = pairs;
  c.size = size;
  c.seed = seed;
  c.quick = quick;
  c.data = std::move(data);
  c.exec = make_exec(threads, planning);
  lab::validate(c);
  return released_json([&] { return lab::energy(c); });
}

py::object run_charges(std::size_t grid, int min_atoms, int max_atoms, int J, int L,
                       double sigma_0, std::vector<std::size_t> train_sizes,
                       std::size_t test_size, std::uint64_t seed, int threads,
                       const std::string& planning) {
  lab::ChargesConfig c;
  c.grid = grid;
  c.min_atoms = min_atoms;
  c.max_atoms = max_atoms;
  c.J = J;
  c.L = L;
  c.sigma_0 = sigma_0;
  c.train_sizes = std::move(train_sizes);
  c.test_size = test_size;
  c.seed = seed;
  c.exec = make_exec(threads, planning);
  lab::validate(c);
  return released_json([&] { return lab::charges(c); });
}

py::dict config_dict(const lab::MnistConfig& c) {
  py::dict d;
  d["sizes"] = c.sizes;
  d["regression_size"] = c.regression_size;
  d["cnn_min_steps"] = c.cnn_options.min_steps;
  return d;
}

// The benchmark's finished steps, one line each, to a Python callable under the GIL (the CNN
// thread calls it too); the first exception it raises is kept and re-raised at the end.
class LineProgress final : public lab::BenchmarkProgress {
 public:
  explicit LineProgress(const py::object& fn) : fn_(fn) {}
  void log(const std::string& line) override {
    if (fn_.is_none()) return;
    py::gil_scoped_acquire acquire;
    std::lock_guard lock(mutex_);
    if (error_) return;
    try {
      fn_(line);
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    } catch (...) {
      error_ = std::current_exception();
    }
  }
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  const py::object& fn_;
  std::mutex mutex_;
  std::exception_ptr error_;
};

py::object run_mnist(std::vector<std::size_t> sizes, std::optional<std::size_t> test_size,
                     const std::vector<std::string>& models, bool all_variants, bool cnn,
                     std::uint64_t seed, const std::string& dataset, std::string data,
                     std::string mnist_dir, std::size_t regression_size, int cnn_min_steps, int threads,
                     bool full, const py::object& progress) {
  lab::MnistConfig c;
  c.full = full;
  c.sizes = std::move(sizes);
  c.data_dir = std::move(data);
  c.dataset = lab::parse_dataset(dataset, "dataset");
  c.idx_dir = std::move(mnist_dir);
  c.test_size = test_size.value_or(lab::idx_folder(c).empty() ? 2000 : 10000);
  c.test_size_given = test_size.has_value();
  c.cnn = cnn;
  c.seed = seed;
  c.regression_size = regression_size;
  c.cnn_options.min_steps = cnn_min_steps;
  c.threads = threads;
  std::vector<lab::Model> keep;
  for (const auto& name : models) keep.push_back(lab::parse_model(name, "models"));
  c.jobs = lab::select_jobs(lab::default_mnist_jobs(all_variants, c.dataset), keep, cnn);
  lab::validate(c);
  LineProgress p(progress);
  py::object out = released_json([&] { return lab::run_mnist(c, p); });
  p.rethrow();
  return out;
}

// A float64 copy of a as a NumPy array of the same shape.
py::array_t<double> to_numpy(const Array<double>& a) {
  py::array_t<double> out(std::vector<py::ssize_t>(a.shape.begin(), a.shape.end()));
  std::copy(a.data.begin(), a.data.end(), out.mutable_data());
  return out;
}

// lab::reconstruct: to_json's dict plus the arrays 'target', 'start', 'signal' and 'aligned'.
// `callback(step)` (a dict of the iterate) runs under the GIL; an exception it raises, a Ctrl-C
// included, stops the run and is re-raised.
py::object run_reconstruct(const py::array_t<double, py::array::c_style | py::array::forcecast>& y,
                           int J, int order, int L, int Q, const std::string& method,
                           int iterations, double tolerance, double learning_rate,
                           std::uint64_t seed, int patience, int threads,
                           const std::string& planning,
                           const py::object& callback) {
  const Shape shape(y.shape(), y.shape() + y.ndim());
  const Array<double> target(shape, {y.data(), y.data() + y.size()});
  lab::ReconstructionConfig c;
  c.J = J, c.order = order, c.L = L, c.Q = Q, c.iterations = iterations;
  c.optimizer = lab::parse_optimizer(method);
  c.tolerance = tolerance, c.learning_rate = learning_rate, c.seed = seed, c.patience = patience;
  c.exec = make_exec(threads, planning);
  lab::validate(c, target);
  std::function<void(const lab::ReconstructionStep&)> on_step;
  if (!callback.is_none())
    on_step = [&callback](const lab::ReconstructionStep& s) {
      py::gil_scoped_acquire acquire;
      py::dict d;
      d["iteration"] = s.iteration, d["start"] = s.start;
      d["scattering_error"] = s.scattering_error;
      d["signal_error"] = s.signal_error, d["evaluations"] = s.evaluations;
      d["seconds"] = s.seconds;
      callback(d);
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    };
  lab::ReconstructionResult r;
  {
    py::gil_scoped_release release;
    r = lab::reconstruct(target, c, on_step);
  }
  py::dict out = to_python(lab::to_json(r));
  out["target"] = to_numpy(r.target);
  out["start"] = to_numpy(r.start);
  out["signal"] = to_numpy(r.signal);
  out["aligned"] = to_numpy(lab::aligned_signal(r));
  return out;
}

}  // namespace

void bind_lab(py::module_& m) {
  m.def("lab_reconstruct", &run_reconstruct, py::arg("target"), py::arg("J"), py::arg("order"),
        py::arg("L"), py::arg("Q"), py::arg("method"), py::arg("iterations"),
        py::arg("tolerance"), py::arg("learning_rate"), py::arg("seed"), py::arg("patience"),
        py::arg("threads"),
        py::arg("planning"), py::arg("callback"), "lab::reconstruct → to_json as a dict + arrays");
  m.def("lab_stability_defaults", [] { return config_dict(lab::StabilityConfig{}); },
        "The defaults of lab::StabilityConfig (wst stability)");
  m.def("lab_stability_quick", [] { return config_dict(lab::quick_stability_config()); },
        "lab::quick_stability_config() (wst stability --quick)");
  m.def("lab_stability", &run_stability, py::arg("digits"), py::arg("chirps"), py::arg("sizes"),
        py::arg("kinds"), py::arg("J"), py::arg("J1"), py::arg("Q1"), py::arg("seed"),
        py::arg("data"), py::arg("mnist_dir"), py::arg("wavs"), py::arg("cnn_digits"),
        py::arg("no_1d"), py::arg("no_2d"), py::arg("no_cnn"), py::arg("quick"),
        py::arg("threads"), py::arg("planning"), py::arg("progress"),
        "lab::stability → to_json as a dict");
  m.def("lab_invariance", &run_invariance, py::arg("J"), py::arg("shifts"), py::arg("images"),
        py::arg("size"), py::arg("quick"), py::arg("data"), py::arg("threads"),
        py::arg("planning"), "lab::invariance → to_json as a dict");
  m.def("lab_energy", &run_energy, py::arg("J"), py::arg("images"), py::arg("pairs"),
        py::arg("size"), py::arg("seed"), py::arg("quick"), py::arg("data"), py::arg("threads"),
        py::arg("planning"), "lab::energy → to_json as a dict");
  m.def("lab_charges", &run_charges, py::arg("grid"), py::arg("min_atoms"), py::arg("max_atoms"),
        py::arg("J"), py::arg("L"), py::arg("sigma_0"), py::arg("train_sizes"),
        py::arg("test_size"), py::arg("seed"), py::arg("threads"), py::arg("planning"),
        "lab::charges → to_json as a dict");
  m.def("lab_mnist_defaults",
        [](bool quick) { return config_dict(quick ? lab::quick_mnist_config() : lab::MnistConfig{}); },
        py::arg("quick"), "The defaults of lab::MnistConfig, or of quick_mnist_config()");
  m.def("lab_model_names", [] {
    std::vector<std::string> names;
    for (lab::Model model : lab::all_models()) names.push_back(lab::model_name(model));
    return names;
  }, "The display names of lab::Model, in order");
  m.def("lab_mnist", &run_mnist, py::arg("sizes"), py::arg("test_size"), py::arg("models"),
        py::arg("all_variants"), py::arg("cnn"), py::arg("seed"), py::arg("dataset"),
        py::arg("data"), py::arg("mnist_dir"), py::arg("regression_size"), py::arg("cnn_min_steps"),
        py::arg("threads"), py::arg("full"), py::arg("progress"),
        "lab::run_mnist → to_json as a dict");
}

}  // namespace wst::python
