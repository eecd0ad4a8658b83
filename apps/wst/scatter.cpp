// `wst scatter2d` and `wst scatter1d`: .npy in, scattering coefficients (.npy) and optional
// JSON channel metadata out. Both share one driver, run_scatter(), and differ only in a small
// description of their transform (Scatter2D, Scatter1D below).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cmath>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>
#include <variant>

#include "chunked_npy.hpp"
#include "commands.hpp"
#include "signal_io.hpp"
#include "wst/support/error.hpp"
#include "wst/io/npy.hpp"
#include "wst/io/npz.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/support/atomic_file.hpp"
#include "wst/support/memory_budget.hpp"

namespace wst::cli {

using json = nlohmann::ordered_json;

namespace {

namespace fs = std::filesystem;

// Where a scatter command reads and writes.
struct Files {
  std::string in, out, meta;  // meta is empty when --meta is not given
  std::size_t chunk = 0;      // --chunk: items per chunk, out of core (0: all in memory)
};

json null_if_unused(int v) { return v < 0 ? json(nullptr) : json(v); }

json channel_json(const PathMeta2D& m) {
  return {{"order", m.order},
          {"j1", null_if_unused(m.j1)},
          {"theta1", null_if_unused(m.theta1)},
          {"j2", null_if_unused(m.j2)},
          {"theta2", null_if_unused(m.theta2)}};
}

json channel_json(const PathMeta1D& m) {
  json n = json::array(), j = json::array(), xi = json::array(), sigma = json::array();
  for (int k = 0; k < m.order; ++k) {
    n.push_back(m.n[k]);
    j.push_back(m.j[k]);
    xi.push_back(m.xi[k]);
    sigma.push_back(m.sigma[k]);
  }
  return {{"order", m.order}, {"n", n}, {"j", j}, {"xi", xi}, {"sigma", sigma}};
}

// ---- the two transforms -----------------------------------------------------------------------

struct Scatter2D {
  static constexpr const char* name = "scatter2d";
  static constexpr std::size_t min_rank = 2;
  static constexpr const char* form = "(..., M, N)";
  int J = 0, L = 8, max_order = 2;
  bool pre_pad = false;
  std::vector<std::size_t> shape;  // (M, N) of the images before padding; needed by pre_pad

  template <class Real>
  BasicScattering2D<Real> make(const Shape& in, ExecOptions exec) const {
    if (pre_pad && shape.size() != 2)
      throw UsageError("--pre-pad needs --shape M,N: the size of the images before padding");
    if (!pre_pad && !shape.empty())
      throw UsageError("--shape is only used with --pre-pad (else it is IN's last two axes)");
    const std::size_t M = pre_pad ? shape[0] : in[in.size() - 2];
    const std::size_t N = pre_pad ? shape[1] : in.back();
    return BasicScattering2D<Real>(J, M, N, L, max_order, exec, pre_pad);
  }
  template <class S>
  static Shape tail(const S& s) {  // OUT's shape after the batch dimensions
    return {s.channels(), s.output_rows(), s.output_cols()};
  }
  template <class S>
  json parameters(const S& s) const {
    json p = {{"J", J}, {"L", L}, {"max_order", max_order}, {"pre_pad", pre_pad}};
    if (pre_pad) p["shape"] = {s.filters().M, s.filters().N};
    return p;
  }
};

// --T as scatter1d reads it: 'global', 0 (no averaging) or a number from 1 to N
// (docs/scattering-options.md §1.1).
CLI::Validator averaging_scale() {
  return CLI::Validator(
      [](std::string& text) {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text == "global" || (!text.empty() && *end == '\0' && (v == 0 || v >= 1) && v < INFINITY))
          return std::string();
        return "must be 'global' or a number >= 0: 0 (no averaging) or from 1 to N (averaging "
               "over T samples), got '" + text + "'";
      },
      "");
}

// --stride: a power of two (its upper bound, 2^floor(log2 T), is the library's check).
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

// The largest .npz wst writes: a zip without ZIP64 (65535 entries, offsets below 4 GiB).
constexpr std::size_t kZipEntries = NpzWriter::kMaxEntries, kZipBytes = NpzWriter::kMaxBytes;

struct Scatter1D {
  static constexpr const char* name = "scatter1d";
  static constexpr std::size_t min_rank = 1;
  static constexpr const char* form = "(..., N)";
  int J = 0, Q = 1, Q2 = 1, max_order = 2;
  std::string T;           // "" (2^J), "global", "0" or a number: checked by averaging_scale()
  std::size_t stride = 0;  // 0: 2^floor(log2 T)

  Scattering1DOptions options() const {
    Scattering1DOptions o{.stride = stride, .Q = {Q, Q2}, .max_order = max_order};
    if (T == "global")
      o.averaging = Averaging1D::global;
    else if (!T.empty() && std::strtod(T.c_str(), nullptr) == 0)
      o.averaging = Averaging1D::none;
    else if (!T.empty())
      o.T = std::strtod(T.c_str(), nullptr);
    if (stride != 0 && o.averaging != Averaging1D::local)
      throw UsageError("--stride " + std::to_string(stride) + " is only used when averaging over T "
                       "(--T a number, or no --T): --T global and --T 0 keep every path at its "
                       "own resolution");
    // The library's rule (docs/scattering-options.md §1.2), in the option's name.
    const double most = std::ldexp(1.0, std::ilogb(o.T == 0 ? std::ldexp(1.0, J) : o.T));
    if (static_cast<double>(stride) > most)
      throw UsageError("--stride " + std::to_string(stride) + " is out of range: with T=" +
                       num("%.12g", o.T == 0 ? std::ldexp(1.0, J) : o.T) + " it must be a power of "
                       "two from 1 to 2^floor(log2 T) = " + num("%.12g", most));
    return o;
  }
  template <class Real>
  BasicScattering1D<Real> make(const Shape& shape, ExecOptions exec) const {
    BasicScattering1D<Real> s(J, shape.back(), options(), exec);
    if (s.options().averaging != Averaging1D::none) return s;
    const std::size_t batch = shape_size(Shape(shape.begin(), shape.end() - 1));
    if (s.channels() > kZipEntries)
      throw UsageError("--T 0 writes one .npz entry per path, at most " +
                       std::to_string(kZipEntries) + ", and these options make " +
                       std::to_string(s.channels()) + ": lower --Q, --Q2 or --max-order");
    if (checked_bytes({batch, s.output_size()}, sizeof(Real)) + s.channels() * 256 > kZipBytes)
      throw InputError("--T 0: the .npz of " + std::to_string(batch) + " signals would exceed 4 GiB, "
                       "the most wst writes (no ZIP64): split IN into smaller batches");
    return s;
  }
  template <class S>
  static Shape tail(const S& s) {
    if (s.options().averaging == Averaging1D::none)
      throw UsageError("--chunk writes an .npy, and --T 0 writes an .npz (one array per path): "
                       "use --chunk with --T a number or global");
    return {s.channels(), s.output_length()};
  }
  template <class S>
  json parameters(const S& s) const {
    const Scattering1DOptions& o = s.options();
    const bool local = o.averaging == Averaging1D::local;
    json t = o.averaging == Averaging1D::global ? json("global")
             : !local                           ? json(0)
             : o.T == std::floor(o.T)          ? json(static_cast<std::int64_t>(o.T))
                                                : json(o.T);
    return {{"J", J}, {"Q", {Q, Q2}}, {"T", t}, {"stride", local ? json(o.stride) : json(nullptr)},
            {"max_order", max_order}};
  }
};

// OUT's name says what it holds: an .npz with --T 0 (one array per path), else an .npy.
template <class Transform>
void check_output_name(const Transform&, const Files&) {}
void check_output_name(const Scatter1D& t, const Files& files) {
  const bool npz = files.out.size() >= 4 && files.out.compare(files.out.size() - 4, 4, ".npz") == 0;
  if (t.options().averaging == Averaging1D::none && !npz)
    throw UsageError("--T 0 writes one array per path into a NumPy .npz archive: OUT must end in "
                     ".npz, got '" + files.out + "'");
  if (t.options().averaging != Averaging1D::none && npz)
    throw UsageError("OUT '" + files.out + "' ends in .npz, but only --T 0 writes an .npz (one "
                     "array per path); the other modes write one array: name it .npy");
}

// Python's repr of a path's filter indices, Kymatio's dict key: "()", "(0,)", "(0, 3)".
std::string path_key(const PathMeta1D& m) {
  std::string s = "(";
  for (int k = 0; k < m.order; ++k) s += (k ? ", " : "") + std::to_string(m.n[k]);
  return s + (m.order == 1 ? ",)" : ")");
}

// With --T 0 (docs/scattering-options.md §1.6): y is (..., Σ lengths); OUT gets one array
// (..., length) per path, named by its key. Else OUT is y itself. Returns the output shape(s).
template <class S, class T>
json write_output(const Scatter1D&, const S& s, const Array<T>& y, const std::string& out) {
  if (s.options().averaging != Averaging1D::none) {
    write_npy(out, y);
    return y.shape;
  }
  const Shape lead(y.shape.begin(), y.shape.end() - 1);
  const std::size_t batch = shape_size(lead), total = s.output_size();
  NpzWriter npz;
  json shapes = json::array();
  for (std::size_t c = 0; c < s.channels(); ++c) {
    Shape shape = lead;
    shape.push_back(s.output_length(c));
    Array<T> path(shape);
    for (std::size_t b = 0; b < batch; ++b)
      std::copy_n(y.data.begin() + long(b * total + s.output_offset(c)), s.output_length(c),
                  path.data.begin() + long(b * s.output_length(c)));
    npz.add(path_key(s.meta()[c]), path);
    shapes.push_back(shape);
  }
  npz.write(out);
  return shapes;
}
template <class Transform, class S, class T>
json write_output(const Transform&, const S&, const Array<T>& y, const std::string& out) {
  write_npy(out, y);
  return y.shape;
}

// What makes a chunked result: IN (path, size, modification time), the transform and its options.
template <class T, class Transform, class S>
json chunked_identity(const Transform& t, const S& s, const std::string& in) {
  struct stat st {};
  if (::stat(in.c_str(), &st) != 0) throw IoError(in + ": cannot stat: " + std::strerror(errno));
  return {{"in", fs::absolute(in).string()}, {"in_bytes", std::uint64_t(st.st_size)},
          {"in_mtime_ns", std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec},
          {"transform", t.name}, {"parameters", t.parameters(s)}, {"dtype", dtype_name<T>()}};
}

// --chunk: IN mapped in place, `files.chunk` items at a time into OUT (chunked_npy.hpp).
template <class T, class Transform>
void run_chunked(const Transform& t, const ExecOptions& exec, const Files& files,
                 const MappedNpy& in) {
  const Shape& shape = in.layout().shape;
  const auto s = t.template make<T>(shape, exec);
  const Shape lead(shape.begin(), shape.end() - long(t.min_rank)), tail = Transform::tail(s);
  const std::size_t items = shape_size(lead), in_item = shape_size(shape) / std::max<std::size_t>(items, 1),
                    out_item = shape_size(tail), chunk = std::min(files.chunk, std::max<std::size_t>(items, 1));
  check_memory(checked_bytes({chunk, out_item}, sizeof(T)), "a chunk of " + std::to_string(chunk) + " outputs");
  Shape out_shape = lead;
  out_shape.insert(out_shape.end(), tail.begin(), tail.end());
  ChunkedNpyWriter w(files.out, npy_header<T>(out_shape, files.out), out_item * sizeof(T), items,
                     chunked_identity<T>(t, s, files.in));
  if (w.done() > 0)
    std::fprintf(stderr, "wst %s: resuming %s after %zu of %zu items\n", t.name, files.out.c_str(),
                 w.done(), items);
  const auto progress = terminal_progress(std::string("wst ") + t.name);
  std::vector<T> y(chunk * out_item);
  const T* x = static_cast<const T*>(in.values());
  try {
    for (std::size_t b = w.done(); b < items;) {
      const std::size_t n = std::min(chunk, items - b);
      naming_input(files.in, [&] { s(x + b * in_item, n, y.data()); });
      w.append(y.data(), n);
      b += n;
      if (progress) progress(b, items);
    }
    w.commit();
  } catch (...) {
    w.discard();
    throw;
  }
  if (files.meta.empty()) return;
  json meta = {{"transform", t.name}};
  meta.update(t.parameters(s));
  meta["dtype"] = dtype_name<T>();
  meta["input_shape"] = shape;
  meta["output_shape"] = out_shape;
  json& channels = meta["channels"] = json::array();
  for (const auto& m : s.meta()) channels.push_back(channel_json(m));
  write_meta_beside(files.meta, meta.dump(2) + "\n", files.out);
}

template <class Transform>
void run_chunked(const Transform& t, const ExecOptions& exec, const Files& files) {
  const MappedNpy in(files.in);
  const NpyLayout& l = in.layout();
  if (l.descr != "<f4" && l.descr != "<f8")
    throw InputError(files.in + ": --chunk reads float32 or float64 .npy files, got dtype " + l.descr);
  if (l.shape.size() < t.min_rank)
    throw InputError(files.in + ": shape " + shape_string(l.shape) + " does not fit " + t.form);
  if (l.descr == "<f4")
    run_chunked<float>(t, exec, files, in);
  else
    run_chunked<double>(t, exec, files, in);
}

// Check outputs, read IN, transform, write OUT, then the metadata (removing OUT if that fails,
// so that an error never leaves one without the other).
template <class Transform>
void run_scatter(const Transform& t, const ExecOptions& exec, const Files& files) {
  check_distinct_paths({{"IN", files.in}}, {{"OUT", files.out}, {"--meta", files.meta}});
  check_output_name(t, files);
  check_writable(files.out);
  if (!files.meta.empty()) check_writable(files.meta);
  if (files.chunk > 0) return run_chunked(t, exec, files);
  // IN: .npy, a PNG (float64 luminance in [0, 1]) or an audio file (one float64 signal).
  const RealArray input = take_real_input(read_input_file(files.in), t.name, t.min_rank, t.form);

  std::visit(
      [&]<class T>(const Array<T>& x) {
        ExecOptions options = exec;
        options.progress = terminal_progress(std::string("wst ") + t.name);
        const auto scattering = t.template make<T>(x.shape, options);
        const Array<T> y = naming_input(files.in, [&] { return scattering(x); });
        const json output_shape = write_output(t, scattering, y, files.out);
        if (files.meta.empty()) return;

        json meta = {{"transform", t.name}};
        meta.update(t.parameters(scattering));
        meta["dtype"] = dtype_name<T>();
        meta["input_shape"] = x.shape;
        meta["output_shape"] = output_shape;
        json& channels = meta["channels"] = json::array();
        for (const auto& m : scattering.meta()) channels.push_back(channel_json(m));
        write_meta_beside(files.meta, meta.dump(2) + "\n", files.out);
      },
      input);
}

// A scatter subcommand with its positional arguments IN and OUT.
CLI::App* add_scatter_command(CLI::App& parent, const char* name, const std::string& summary,
                              const std::string& details, Files& files) {
  CLI::App* app = parent.add_subcommand(name, summary);
  app->footer(details);
  app->add_option("IN", files.in,
                  "Input .npy (float32 or float64), or a PNG image (luminance in [0, 1]) or audio "
                  "file (.wav, .flac, .aiff, .ogg), read as float64")
      ->required()
      ->type_name("IN");
  app->add_option("OUT", files.out, "Output .npy (same dtype as IN); written only on success")
      ->required()
      ->type_name("OUT.npy");
  return app;
}

// The options that follow the transform's own: --max-order, --threads, --plan, --meta.
void add_scatter_options(CLI::App& app, int max_order_limit, int& max_order, ExecOptions& exec,
                         Files& files) {
  app.add_option("--max-order", max_order,
                 "Highest scattering order, 1 to " + std::to_string(max_order_limit))
      ->check(CLI::Range(1, max_order_limit))
      ->capture_default_str();
  add_exec_options(app, exec);
  app.add_option("--meta", files.meta, "Also write the channel metadata to this JSON file")
      ->type_name("FILE.json");
  app.add_option("--chunk", files.chunk,
                 "Out of core: read IN (.npy) in place and write OUT this many items at a time, "
                 "through OUT.partial; an interrupted run resumes where it stopped")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 40))
      ->type_name("N");
}

// Shared state of a parsed scatter command: lives as long as the CLI::App that fills it.
template <class Transform>
struct ScatterState {
  Transform transform;
  ExecOptions exec;
  Files files;
};

}  // namespace

Command add_scatter2d(CLI::App& parent) {
  auto s = std::make_shared<ScatterState<Scatter2D>>();
  CLI::App* app = add_scatter_command(
      parent, Scatter2D::name,
      "2D scattering transform (Kymatio's Scattering2D) of images in a .npy file",
      "IN has shape (..., M, N) (any number of leading batch dimensions); with --pre-pad\n"
      "--shape M,N it has the padded size of the filters, (..., Mp, Np), used as it is.\n"
      "OUT has shape (..., C, M/2^J, N/2^J) (rounded down) and the dtype of IN, with\n"
      "C = 1 + J*L + L^2*J*(J-1)/2 channels at max order 2 (1 + J*L at max order 1),\n"
      "ordered by order, then (j1, theta1), then (j2, theta2) with j2 > j1.",
      s->files);
  app->add_option("-J,--J", s->transform.J, "Number of scales: J >= 1 and 2^J <= min(M, N)")
      ->required();
  app->add_option("-L,--L", s->transform.L, "Orientations per scale, 1 to 64")
      ->capture_default_str();
  app->add_flag("--pre-pad", s->transform.pre_pad,
                "IN is already padded to the filters' size (Kymatio's pre_pad=True); give the "
                "size before padding with --shape");
  app->add_option("--shape", s->transform.shape,
                  "M,N: the image size before padding (with --pre-pad)")
      ->delimiter(',')
      ->expected(2);
  add_scatter_options(*app, 2, s->transform.max_order, s->exec, s->files);
  return {app, [s] { run_scatter(s->transform, s->exec, s->files); }};
}

Command add_scatter1d(CLI::App& parent) {
  auto s = std::make_shared<ScatterState<Scatter1D>>();
  CLI::App* app = add_scatter_command(
      parent, Scatter1D::name,
      "1D scattering transform (Kymatio's Scattering1D) of signals in a .npy file",
      "IN has shape (..., N) (any number of leading batch dimensions). OUT has the dtype of IN.\n"
      "Averaging over T (a number, or 2^J without --T): OUT has shape (..., C, N_out), each path\n"
      "averaged by the low-pass and subsampled by the stride; N_out is about N/stride.\n"
      "--T global: OUT has shape (..., C, 1), each path summed over its padded support.\n"
      "--T 0 (no averaging): OUT must be an .npz, NumPy's archive (uncompressed), holding one\n"
      "array per path named by its filter indices as Kymatio's dict keys: '()', '(0,)',\n"
      "'(0, 3)', ... (np.load(OUT)['(0, 3)']), of shape (..., N_j): the path at the\n"
      "resolution of its last wavelet, N_j about N/2^j (order 0: IN itself).\n"
      "Channels (and entries) are ordered by order, then filter indices (n1, n2, ...) with\n"
      "decreasing centre frequency, keeping paths with j2 > j1. Rules:\n"
      "docs/scattering-options.md, section 1.",
      s->files);
  app->add_option("-J,--J", s->transform.J,
                  "Maximum log2 scale of the wavelets: J >= 1 and 2^J <= N")
      ->required();
  app->add_option("-Q,--Q", s->transform.Q, "Wavelets per octave at order 1, 1 to 128")
      ->capture_default_str();
  app->add_option("--Q2", s->transform.Q2, "Wavelets per octave at orders 2 and 3, 1 to 128")
      ->capture_default_str();
  app->add_option("-T,--T", s->transform.T,
                  "Averaging: a scale in samples from 1 to N (not necessarily an integer; default "
                  "2^J), 'global' (sum over each path) or 0 (none: one array per path, OUT.npz)")
      ->check(averaging_scale())
      ->type_name("T|global|0");
  app->add_option("--stride", s->transform.stride,
                  "Subsampling of the averaged output: a power of two from 1 to 2^floor(log2 T) "
                  "(default 2^floor(log2 T)); only when averaging over T")
      ->check(power_of_two());
  add_scatter_options(*app, 3, s->transform.max_order, s->exec, s->files);
  return {app, [s] { run_scatter(s->transform, s->exec, s->files); }};
}

}  // namespace wst::cli
