// `wst jtfs`: joint time–frequency scattering (Kymatio 0.4's TimeFrequencyScattering) of signals
// in a .npy or audio file; OUT an .npy, --meta the meta() columns as JSON (docs/JTFS.md,
// docs/jtfs-formulas.md §J1, §J6, §J7).
#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
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
#include "wst/core/time_frequency_scattering.hpp"
#include "wst/io/npy.hpp"
#include "wst/support/atomic_file.hpp"
#include "wst/support/error.hpp"

namespace wst::cli {

using json = nlohmann::ordered_json;

namespace {

struct JtfsArgs {
  std::string in, out, meta;
  int J = 0, J_fr = 0, Q_fr = 1;
  std::string Q = "1";  // "Q1" or "Q1,Q2", checked by q_pair()
  std::string T, F;  // "" (default), "global", "0" (F only) or a number
  std::size_t stride = 0, stride_fr = 0;
  std::string format = "time", dtype;
  ExecOptions exec;
};

// An integer from lo to hi (CLI11's Range prints "[0 - 16]" without saying "integer").
CLI::Validator int_range(int lo, int hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) {
        int v = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec == std::errc{} && end == text.data() + text.size() && v >= lo && v <= hi)
          return std::string();
        return "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
               ", got '" + text + "'";
      },
      "");
}

// --T: 'global' or a number >= 1 (≤ N, the library's check); --F also 0 (no averaging).
CLI::Validator scale(bool zero_allowed, std::string range) {
  return CLI::Validator(
      [zero_allowed, range](std::string& text) {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        const bool number = !text.empty() && *end == '\0' && std::isfinite(v);
        if (text == "global" || (number && (v >= 1 || (zero_allowed && v == 0))))
          return std::string();
        return "must be " + range + ", got '" + text + "'";
      },
      "");
}

// --Q: "Q1" or "Q1,Q2", each an integer from 1 to 128 (one argument, so that IN is never taken
// for a second value).
std::vector<int> q_values(const std::string& text) {
  std::vector<int> q;
  for (std::size_t begin = 0; begin <= text.size() && q.size() < 3;) {
    std::size_t end = text.find(',', begin);
    if (end == std::string::npos) end = text.size();
    int v = 0;
    const auto [p, ec] = std::from_chars(text.data() + begin, text.data() + end, v);
    q.push_back(ec == std::errc{} && p == text.data() + end && v >= 1 && v <= 128 ? v : 0);
    begin = end + 1;
  }
  return q;
}

CLI::Validator q_pair() {
  return CLI::Validator(
      [](std::string& text) {
        const std::vector<int> q = q_values(text);
        if (q.size() <= 2 && std::ranges::find(q, 0) == q.end()) return std::string();
        return "must be Q1 or Q1,Q2, integers from 1 to 128, got '" + text + "'";
      },
      "");
}

CLI::Validator power_of_two() {
  return CLI::Validator(
      [](std::string& text) {
        unsigned long long v = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec == std::errc{} && end == text.data() + text.size() && std::has_single_bit(v))
          return std::string();
        return "must be a power of two >= 1, got '" + text + "'";
      },
      "");
}

CLI::Validator one_of(std::vector<std::string> names) {
  return CLI::Validator(
      [names](std::string& text) {
        std::string list;
        for (const auto& n : names) {
          if (n == text) return std::string();
          list += (list.empty() ? "'" : " or '") + n + "'";
        }
        return "must be " + list + ", got '" + text + "'";
      },
      "");
}

// The library's options from the command line (§J1.2), with the cross-option rules in the
// options' names.
TimeFrequencyScatteringOptions options_of(const JtfsArgs& a) {
  TimeFrequencyScatteringOptions o;
  const std::vector<int> q = q_values(a.Q);
  o.Q = {q[0], q.size() > 1 ? q[1] : 1};
  o.Q_fr = a.Q_fr;
  o.format = a.format == "joint" ? JtfsFormat::joint : JtfsFormat::time;
  if (a.T == "global")
    o.averaging = Averaging1D::global;
  else if (!a.T.empty())
    o.T = std::strtod(a.T.c_str(), nullptr);
  if (a.F == "global")
    o.averaging_fr = Averaging1D::global;
  else if (!a.F.empty() && std::strtod(a.F.c_str(), nullptr) == 0)
    o.averaging_fr = Averaging1D::none;
  else if (!a.F.empty())
    o.F = std::strtod(a.F.c_str(), nullptr);
  if (a.stride != 0 && o.averaging != Averaging1D::local)
    throw UsageError("--stride " + std::to_string(a.stride) + " is only used when averaging over "
                     "T (--T a number, or no --T), not with --T global");
  if (a.stride_fr != 0 && o.averaging_fr != Averaging1D::local)
    throw UsageError("--stride-fr " + std::to_string(a.stride_fr) + " is only used when averaging "
                     "over F (--F a number, or no --F), not with --F " + a.F);
  if (o.format == JtfsFormat::joint && o.averaging_fr != Averaging1D::local)
    throw UsageError("--format joint needs local frequential averaging (--F a number from 1 to "
                     "(J+1)*Q1, or no --F): with --F " + a.F + " the paths have different row "
                     "counts; use --format time");
  o.stride = a.stride;
  o.stride_fr = a.stride_fr;
  return o;
}

json number_or_null(double v) {
  if (std::isnan(v)) return nullptr;
  if (v == std::floor(v) && std::abs(v) < 1e15) return static_cast<std::int64_t>(v);
  return v;
}

json pair(const double (&v)[2]) { return {number_or_null(v[0]), number_or_null(v[1])}; }

// meta()'s columns (Kymatio's keys, §J7), one entry per row, plus 'channel': the row's position
// in OUT. 'joint': 'n' holds the row labels list(range(0, n1_max, n1_stride)); 'key' has no
// leading () entry.
json meta_columns(const std::vector<PathMetaJTFS>& rows, bool joint) {
  json c = json::object();
  for (const char* k : {"key", "order", "n", "n_fr", "j", "xi", "sigma", "j_fr", "xi_fr",
                        "sigma_fr", "spin", "channel"})
    c[k] = json::array();
  for (const PathMetaJTFS& m : rows) {
    json key = json::array(), n = json::array();
    if (joint) {
      json labels = json::array();
      for (int n1 = 0; n1 < m.n1_max; n1 += m.n1_stride) labels.push_back(n1);
      n = {labels, m.order == 2 ? json(m.n2) : json(nullptr)};
      key = m.order == 2 ? json{m.n2, m.n_fr} : json{m.n_fr};
    } else {
      n = {m.order ? json(m.n1) : json(nullptr), m.order == 2 ? json(m.n2) : json(nullptr)};
      if (m.order == 1) key = {m.n1, m.n_fr};
      if (m.order == 2) key = {m.n1, m.n2, m.n_fr};
    }
    c["key"].push_back(key);
    c["order"].push_back(m.order);
    c["n"].push_back(n);
    c["n_fr"].push_back(m.order ? json(m.n_fr) : json(nullptr));
    c["j"].push_back(pair(m.j));
    c["xi"].push_back(pair(m.xi));
    c["sigma"].push_back(pair(m.sigma));
    c["j_fr"].push_back(number_or_null(m.j_fr));
    c["xi_fr"].push_back(number_or_null(m.xi_fr));
    c["sigma_fr"].push_back(number_or_null(m.sigma_fr));
    c["spin"].push_back(number_or_null(m.spin));
    c["channel"].push_back(m.channel);
  }
  return c;
}

template <class S>
json parameters(const JtfsArgs& a, const S& s) {
  const TimeFrequencyScatteringOptions& o = s.options();
  auto averaging = [](Averaging1D mode, double v) {
    return mode == Averaging1D::global ? json("global")
           : mode == Averaging1D::none ? json(0)
                                       : number_or_null(v);
  };
  auto stride = [](std::size_t v) { return v ? json(v) : json(nullptr); };
  return {{"J", a.J},          {"J_fr", a.J_fr},
          {"Q", {o.Q.q1, o.Q.q2}},  {"Q_fr", o.Q_fr},
          {"T", averaging(o.averaging, o.T)},  {"stride", stride(o.stride)},
          {"F", averaging(o.averaging_fr, o.F)}, {"stride_fr", stride(o.stride_fr)},
          {"format", a.format}, {"N_fr", s.frequential_filters().N_fr}};
}

// The library's parameter errors in the options' names: "stride_fr=4 is out of range: …" →
// "--stride-fr 4 is out of range: …" (Kymatio's sentences, which name F or T, are kept).
template <class S>
S built(const JtfsArgs& a, std::size_t N, const ExecOptions& exec) {
  try {
    return S(a.J, a.J_fr, N, options_of(a), exec);
  } catch (const UsageError& e) {
    std::string m = e.what();
    for (const char* name : {"stride_fr", "stride", "J_fr", "J", "Q_fr", "T", "F"}) {
      const std::string prefix = std::string(name) + "=";
      if (!m.starts_with(prefix)) continue;
      std::string option = std::string("--") + name;
      std::replace(option.begin(), option.end(), '_', '-');
      throw UsageError(option + " " + m.substr(prefix.size()));
    }
    throw;
  }
}

template <class To, class From>
Array<To> converted(Array<From>&& x) {
  if constexpr (std::is_same_v<To, From>)
    return std::move(x);
  else
    return Array<To>(x.shape, std::vector<To>(x.data.begin(), x.data.end()));
}

// Transform x (already in the computing dtype T), write OUT, then --meta (removing OUT if that
// fails, so that an error never leaves one without the other).
template <class T>
void transform_and_write(const JtfsArgs& a, const Array<T>& x) {
  ExecOptions exec = a.exec;
  exec.progress = terminal_progress("wst jtfs");
  const auto s = built<BasicTimeFrequencyScattering<T>>(a, x.shape.back(), exec);
  const Array<T> y = naming_input(a.in, [&] { return s(x); });
  write_npy(a.out, y);
  if (a.meta.empty()) return;
  json meta = {{"transform", "jtfs"}};
  meta.update(parameters(a, s));
  meta["dtype"] = dtype_name<T>();
  meta["input_shape"] = x.shape;
  meta["output_shape"] = y.shape;
  meta["meta"] = meta_columns(s.meta(), a.format == "joint");
  write_meta_beside(a.meta, meta.dump(2) + "\n", a.out);
}

void run_jtfs(const JtfsArgs& a) {
  check_distinct_paths({{"IN", a.in}}, {{"OUT", a.out}, {"--meta", a.meta}});
  options_of(a);  // option conflicts before reading IN
  check_writable(a.out);
  if (!a.meta.empty()) check_writable(a.meta);
  RealArray input = take_real_input(read_input_file(a.in), "jtfs", 1, "(..., N)");
  std::visit(
      [&]<class T>(Array<T>& x) {
        if (a.dtype == "float32")
          transform_and_write(a, converted<float>(std::move(x)));
        else if (a.dtype == "float64")
          transform_and_write(a, converted<double>(std::move(x)));
        else
          transform_and_write(a, x);
      },
      input);
}

}  // namespace

Command add_jtfs(CLI::App& parent) {
  auto a = std::make_shared<JtfsArgs>();
  CLI::App* app = parent.add_subcommand(
      "jtfs", "Joint time-frequency scattering (Kymatio's TimeFrequencyScattering) of signals");
  app->footer(
      "IN has shape (..., N) (any number of leading batch dimensions), or is an audio file.\n"
      "--format time: OUT has shape (..., C, N_out): order 0, then one channel per frequential\n"
      "row of each path. --format joint: (..., P, R, N_out): P paths (no order 0) of R rows.\n"
      "N_out is about N/stride (1 with --T global). OUT has the dtype of IN (or --dtype).\n"
      "--meta writes Kymatio's meta() columns; 'channel' is each row's position in OUT.\n"
      "Rules: docs/JTFS.md and docs/jtfs-formulas.md.");
  app->add_option("IN", a->in, "Input .npy (float32 or float64) or audio file (.wav, .flac, "
                  ".aiff, .ogg), read as float64")
      ->required()
      ->type_name("IN");
  app->add_option("OUT", a->out, "Output .npy; written only on success")
      ->required()
      ->type_name("OUT.npy");
  app->add_option("-J,--J", a->J, "Maximum log2 scale of the wavelets: J >= 1 and 2^J <= N")
      ->required();
  app->add_option("--J-fr", a->J_fr, "Maximum log2 scale of the frequential wavelets, 0 to 16")
      ->required()
      ->check(int_range(0, 16));
  app->add_option("-Q,--Q", a->Q, "Wavelets per octave: Q1 or Q1,Q2 (Q2 defaults to 1), each 1 "
                  "to 128")
      ->check(q_pair())
      ->type_name("Q1[,Q2]")
      ->capture_default_str();
  app->add_option("--Q-fr", a->Q_fr, "Frequential wavelets per octave, 1 to 128")
      ->check(int_range(1, 128))
      ->capture_default_str();
  app->add_option("-T,--T", a->T, "Time averaging: a scale from 1 to N (default 2^J) or 'global'")
      ->check(scale(false, "'global' or a number from 1 to N"))
      ->type_name("T|global");
  app->add_option("--F", a->F, "Frequential averaging: a scale from 1 to (J+1)*Q1 (default "
                  "2^J_fr), 'global' or 0 (none; --format time only)")
      ->check(scale(true, "'global', 0 or a number from 1 to (J+1)*Q1"))
      ->type_name("F|global|0");
  app->add_option("--stride", a->stride, "Time subsampling: a power of two from 2^j2max to "
                  "2^floor(log2 T) (default the latter); not with --T global")
      ->check(power_of_two());
  app->add_option("--stride-fr", a->stride_fr, "Frequential subsampling: a power of two up to "
                  "2^floor(log2 F) (default the latter); only with --F a number")
      ->check(power_of_two());
  app->add_option("--format", a->format, "'time' (..., C, N_out) or 'joint' (..., P, R, N_out)")
      ->check(one_of({"time", "joint"}))
      ->type_name("time|joint")
      ->capture_default_str();
  app->add_option("--dtype", a->dtype, "Computing and output dtype (default: IN's)")
      ->check(one_of({"float32", "float64"}))
      ->type_name("float32|float64");
  add_exec_options(*app, a->exec);
  app->add_option("--meta", a->meta, "Also write the meta() columns to this JSON file")
      ->type_name("FILE.json");
  return {app, [a] { run_jtfs(*a); }};
}

}  // namespace wst::cli
