// `wst scatter3d`: solid-harmonic 3D scattering (Kymatio 0.4's HarmonicScattering3D) of volumes
// in a .npy file (docs/HARMONIC3D.md, docs/harmonic3d-formulas.md §1, §6, §14).
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>
#include <type_traits>
#include <variant>
#include <vector>

#include "commands.hpp"
#include "signal_io.hpp"
#include "wst/core/harmonic_scattering_3d.hpp"
#include "wst/io/npy.hpp"
#include "wst/support/atomic_file.hpp"
#include "wst/support/error.hpp"

namespace wst::cli {
namespace {

struct Scatter3DArgs {
  std::string in, out, meta, powers = "0.5,1,2", method = "integral";
  int J = 0, L = 3, max_order = 2;
  double sigma_0 = 1;
  bool no_covariant = false, float32 = false;
  ExecOptions exec;
};

// "--integral-powers 0.5,1,2": finite numbers separated by commas (one argument, so that IN is
// never taken for a value).
std::vector<double> powers_of(const std::string& text) {
  std::vector<double> p;
  for (std::size_t begin = 0; begin <= text.size();) {
    std::size_t end = text.find(',', begin);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(begin, end - begin);
    char* stop = nullptr;
    const double v = std::strtod(item.c_str(), &stop);
    if (item.empty() || *stop != '\0' || !std::isfinite(v))
      throw UsageError("--integral-powers '" + text + "' is out of range: must be finite numbers "
                       "separated by commas, e.g. 0.5,1,2");
    p.push_back(v);
    begin = end + 1;
  }
  return p;
}

HarmonicScattering3DOptions options_of(const Scatter3DArgs& a) {
  if (a.method != "integral")
    throw UsageError("--method '" + a.method + "' is out of range: must be 'integral'");
  return {.L = a.L, .sigma_0 = a.sigma_0, .max_order = a.max_order,
          .rotation_covariant = !a.no_covariant, .integral_powers = powers_of(a.powers)};
}

// The library's parameter errors in the options' names: "L=-1 is …" → "--L -1 is …".
template <class S>
S built(const Scatter3DArgs& a, const Shape& shape, const ExecOptions& exec) {
  const std::size_t d = shape.size();
  try {
    return S(a.J, shape[d - 3], shape[d - 2], shape[d - 1], options_of(a), exec);
  } catch (const UsageError& e) {
    const std::string m = e.what();
    for (const char* name : {"J", "L", "sigma_0", "max_order", "threads"}) {
      const std::string prefix = std::string(name) + "=";
      if (!m.starts_with(prefix)) continue;
      const std::string option = std::string(name) == "sigma_0" ? "--sigma0"
                                 : std::string(name) == "max_order" ? "--max-order"
                                                                    : std::string("--") + name;
      throw UsageError(option + " " + m.substr(prefix.size()));
    }
    throw;
  }
}

template <class S>
nlohmann::ordered_json meta_of(const Scatter3DArgs& a, const S& s, const Shape& in, const Shape& out) {
  nlohmann::ordered_json paths = nlohmann::ordered_json::array();
  for (const PathMeta3D& m : s.meta())
    paths.push_back({{"order", m.order}, {"j1", m.j1}, {"j2", m.j2 < 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(m.j2)}});
  const HarmonicScattering3DOptions& o = s.options();
  return {{"transform", "scatter3d"}, {"J", a.J}, {"L", o.L}, {"sigma_0", o.sigma_0},
          {"max_order", o.max_order}, {"rotation_covariant", o.rotation_covariant},
          {"method", "integral"}, {"integral_powers", o.integral_powers},
          {"input_shape", in}, {"output_shape", out}, {"paths", paths}};
}

// Transform x (in the computing dtype T), write OUT, then --meta (removing OUT if that fails).
template <class T>
void transform_and_write(const Scatter3DArgs& a, const Array<T>& x) {
  ExecOptions exec = a.exec;
  exec.progress = terminal_progress("wst scatter3d");
  const auto s = built<BasicHarmonicScattering3D<T>>(a, x.shape, exec);
  const Array<T> y = naming_input(a.in, [&] { return s(x); });
  write_npy(a.out, y);
  if (a.meta.empty()) return;
  nlohmann::ordered_json meta = meta_of(a, s, x.shape, y.shape);
  meta["dtype"] = dtype_name<T>();
  write_meta_beside(a.meta, meta.dump(2) + "\n", a.out);
}

void run_scatter3d(const Scatter3DArgs& a) {
  check_distinct_paths({{"IN", a.in}}, {{"OUT", a.out}, {"--meta", a.meta}});
  options_of(a);  // option errors before reading IN
  check_writable(a.out);
  if (!a.meta.empty()) check_writable(a.meta);
  RealArray input = take_real_input(read_input_file(a.in), "scatter3d", 3, "(..., M, N, O)");
  std::visit(
      [&]<class T>(Array<T>& x) {
        if (a.float32 && !std::is_same_v<T, float>)
          transform_and_write(a, Array<float>(x.shape, std::vector<float>(x.data.begin(), x.data.end())));
        else
          transform_and_write(a, x);
      },
      input);
}

}  // namespace

Command add_scatter3d(CLI::App& parent) {
  auto a = std::make_shared<Scatter3DArgs>();
  CLI::App* app = parent.add_subcommand(
      "scatter3d", "Solid-harmonic 3D scattering (Kymatio's HarmonicScattering3D) of volumes");
  app->footer(
      "IN is a float32 or float64 .npy of shape (..., M, N, O) (any leading batch dimensions).\n"
      "OUT has shape (..., P, L+1, Q): P = (J+1)(J+2)/2 paths (J+1 with --max-order 1), the\n"
      "degrees l = 0..L, the Q integral powers; the dtype of IN (or float32 with --float32).\n"
      "Rules: docs/HARMONIC3D.md and docs/harmonic3d-formulas.md.");
  app->add_option("IN", a->in, "Input .npy (float32 or float64)")->required()->type_name("IN.npy");
  app->add_option("OUT", a->out, "Output .npy; written only on success")->required()->type_name("OUT.npy");
  app->add_option("-J,--J", a->J, "Largest scale index (J+1 scales): 0 <= J, 2^J <= min(M, N, O)")
      ->required();
  app->add_option("-L,--L", a->L, "Largest degree of the solid harmonics, 0 to 16")->capture_default_str();
  app->add_option("--sigma0", a->sigma_0, "Width of the mother wavelet in samples, > 0")
      ->check(positive_real())
      ->capture_default_str();
  app->add_option("--max-order", a->max_order, "1 or 2")->capture_default_str();
  app->add_flag("--no-rotation-covariant", a->no_covariant,
                "Keep only the m = -l wavelet instead of pooling the modulus over m");
  app->add_option("--method", a->method, "Only 'integral'")->capture_default_str();
  app->add_option("--integral-powers", a->powers, "Powers p of the integrals sum(U^p), comma-separated")
      ->type_name("P1,P2,...")
      ->capture_default_str();
  app->add_flag("--float32", a->float32, "Compute and write in float32 (default: IN's dtype)");
  add_exec_options(*app, a->exec);
  app->add_option("--meta", a->meta, "Also write the parameters and paths to this JSON file")
      ->type_name("FILE.json");
  return {app, [a] { run_scatter3d(*a); }};
}

}  // namespace wst::cli
