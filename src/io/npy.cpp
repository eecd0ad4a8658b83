// NumPy .npy reading and writing. Format reference:
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
#include "wst/io/npy.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include <atomic>
#include <bit>
#include <cerrno>
#include <charconv>
#include <complex>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "wst/support/error.hpp"
#include "wst/support/memory_budget.hpp"  // memory limit
#include "wst/support/atomic_file.hpp"

namespace wst {

static_assert(std::endian::native == std::endian::little,
              "wst's .npy I/O assumes a little-endian host");

namespace {

constexpr std::string_view kMagic = "\x93NUMPY";
// NPY_MAXDIMS of NumPy 1.x (Debian 12): arrays of more dimensions do not load.
constexpr std::size_t kNumpyMaxDims = 32;
constexpr std::string_view kSupported =
    "float32 '<f4', float64 '<f8', int64 '<i8', complex64 '<c8', complex128 '<c16'";

std::string errno_text(int err) { return std::strerror(err); }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

[[noreturn]] void format_error(const std::string& path, const std::string& what) {
  throw InputError(path + ": " + what);
}

// "int32 ('<i4')" for a NumPy type string, or just "'descr'" when it is not a plain numeric type.
std::string describe_descr(const std::string& descr) {
  std::string quoted = "'" + descr + "'";
  if (descr.size() < 2 || std::string_view("<>|=").find(descr[0]) == std::string_view::npos)
    return quoted;
  const std::string_view body = std::string_view(descr).substr(1);
  if (body == "O") return "object (" + quoted + ")";
  if (body == "b1") return "bool (" + quoted + ")";
  const std::string_view kinds = "fiuc";
  const char* const names[] = {"float", "int", "uint", "complex"};
  const std::size_t kind = kinds.find(body[0]);
  int bytes = 0;
  const auto [end, ec] = std::from_chars(body.data() + 1, body.data() + body.size(), bytes);
  // An item size outside 1…64 bytes names no NumPy type (and 8 · bytes must not overflow).
  if (kind == std::string_view::npos || ec != std::errc{} || end != body.data() + body.size() ||
      bytes < 1 || bytes > 64)
    return quoted;
  return names[kind] + std::to_string(8 * bytes) + " (" + quoted + ")";
}

// ---- header dictionary ----------------------------------------------------------------------

struct Header {
  std::string descr;
  bool fortran_order = false;
  Shape shape;
};

// Parses the Python dict literal of a .npy header, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (4, 512), }
// Keys may come in any order; whitespace and a trailing comma are allowed.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& path) : s_(text), path_(path) {}

  Header parse() {
    Header h;
    bool has_descr = false, has_fortran = false, has_shape = false;
    expect('{');
    while (!peek('}')) {
      const std::string key = string();
      expect(':');
      if (key == "descr") {
        if (peek('['))
          format_error(path_, "structured dtypes are not supported (supported: " +
                                  std::string(kSupported) + ")");
        h.descr = string();
        has_descr = true;
      } else if (key == "fortran_order") {
        h.fortran_order = boolean();
        has_fortran = true;
      } else if (key == "shape") {
        h.shape = shape();
        has_shape = true;
      } else {
        fail("unexpected key '" + key + "' in header");
      }
      if (!peek('}')) expect(',');
    }
    expect('}');
    skip_space();
    if (pos_ != s_.size()) fail("unexpected text after the header dictionary");
    if (!has_descr || !has_fortran || !has_shape)
      fail("header lacks '" +
           std::string(!has_descr     ? "descr"
                       : !has_fortran ? "fortran_order"
                                      : "shape") +
           "'");
    return h;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    format_error(path_, "invalid .npy header: " + what);
  }

  void skip_space() {
    while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
  }
  bool peek(char c) {
    skip_space();
    return pos_ < s_.size() && s_[pos_] == c;
  }
  void expect(char c) {
    if (!peek(c)) fail(std::string("expected '") + c + "'");
    ++pos_;
  }

  std::string string() {
    skip_space();
    if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"'))
      fail("expected a quoted string");
    const char quote = s_[pos_++];
    const std::size_t end = s_.find(quote, pos_);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string out(s_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return out;
  }

  bool boolean() {
    skip_space();
    for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
      if (s_.substr(pos_).starts_with(word)) {
        pos_ += std::strlen(word);
        return value;
      }
    }
    fail("expected True or False for 'fortran_order'");
  }

  Shape shape() {
    Shape out;
    expect('(');
    while (!peek(')')) {
      out.push_back(dimension());
      if (!peek(')')) expect(',');
    }
    expect(')');
    return out;
  }

  std::size_t dimension() {
    skip_space();
    std::size_t value = 0, digits = 0;
    for (; pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9'; ++pos_, ++digits) {
      const std::size_t d = std::size_t(s_[pos_] - '0');
      if (value > (std::numeric_limits<std::size_t>::max() - d) / 10) fail("dimension too large");
      value = value * 10 + d;
    }
    if (digits == 0) fail("expected a non-negative integer in 'shape'");
    if (pos_ < s_.size() && s_[pos_] == 'L') ++pos_;  // Python 2 long literal
    return value;
  }

  std::string_view s_;
  const std::string& path_;
  std::size_t pos_ = 0;
};

// ---- reading ----------------------------------------------------------------------------------

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Reads up to n bytes; returns how many were read. Throws IoError on a read error.
std::size_t read_bytes(std::FILE* f, void* dst, std::size_t n, const std::string& path) {
  const std::size_t got = std::fread(dst, 1, n, f);
  if (got < n && std::ferror(f)) throw IoError(path + ": cannot read: " + errno_text(errno));
  return got;
}

// Bytes between the read position and the end of the file, if the file is seekable.
std::optional<std::size_t> remaining_bytes(std::FILE* f) {
  const long here = std::ftell(f);
  if (here < 0 || std::fseek(f, 0, SEEK_END) != 0) return std::nullopt;
  const long end = std::ftell(f);
  if (std::fseek(f, here, SEEK_SET) != 0 || end < here) return std::nullopt;
  return std::size_t(end - here);
}

// Fails with "truncated <what>: expected n bytes, found m" unless n bytes are left. Checked
// before allocating, so that a corrupt length cannot cause a huge allocation.
void check_available(std::FILE* f, std::size_t n, const std::string& path,
                     const std::string& what) {
  if (const auto left = remaining_bytes(f); left && *left < n)
    format_error(path, "truncated " + what + ": expected " + std::to_string(n) + " bytes, found " +
                           std::to_string(*left));
}

// Reads exactly n bytes into dst, or fails as check_available() does.
void read_exactly(std::FILE* f, void* dst, std::size_t n, const std::string& path,
                  const std::string& what) {
  if (const std::size_t got = read_bytes(f, dst, n, path); got < n)
    format_error(path, "truncated " + what + ": expected " + std::to_string(n) + " bytes, found " +
                           std::to_string(got));
}

template <class T>
NpyArray read_data(std::FILE* f, Shape shape, const std::string& path) {
  std::size_t bytes = sizeof(T);
  for (std::size_t n : shape)
    if (__builtin_mul_overflow(bytes, n, &bytes))
      format_error(path, "shape " + shape_string(shape) + " is too large");
  const std::string what = "data for shape " + shape_string(shape);
  check_available(f, bytes, path, what);
  check_memory(bytes, path + ": " + what);  // fail fast, not by the OOM killer
  Array<T> a(std::move(shape));
  read_exactly(f, a.data.data(), bytes, path, what);
  return a;
}

// ---- writing ----------------------------------------------------------------------------------


template <class T>
constexpr const char* descr_of() {
  if constexpr (std::is_same_v<T, float>)
    return "<f4";
  else if constexpr (std::is_same_v<T, double>)
    return "<f8";
  else if constexpr (std::is_same_v<T, std::complex<float>>)
    return "<c8";
  else if constexpr (std::is_same_v<T, std::complex<double>>)
    return "<c16";
  else
    return "<i8";
}

// The preamble and header of an open .npy file, checked; the file is left at the values.
Header read_header(std::FILE* file, const std::string& path) {
  // Preamble: magic, major and minor version, header length (2 bytes in 1.0, 4 in 2.0 and 3.0).
  unsigned char pre[12];
  const std::size_t got = read_bytes(file, pre, 8, path);
  if (got < kMagic.size() ||
      std::string_view(reinterpret_cast<char*>(pre), kMagic.size()) != kMagic)
    format_error(path, "not a .npy file (bad magic bytes)");
  if (got < 8)
    format_error(path, "truncated header: the file ends after " + std::to_string(got) + " bytes");
  const int major = pre[6], minor = pre[7];
  if (major < 1 || major > 3)
    format_error(path, "unsupported .npy format version " + std::to_string(major) + "." +
                           std::to_string(minor) + " (supported: 1.0, 2.0, 3.0)");
  const std::size_t len_bytes = major == 1 ? 2 : 4;
  read_exactly(file, pre + 8, len_bytes, path, "header length");
  std::size_t header_len = 0;
  for (std::size_t i = 0; i < len_bytes; ++i) header_len |= std::size_t(pre[8 + i]) << (8 * i);

  check_available(file, header_len, path, "header");
  std::string text(header_len, '\0');
  read_exactly(file, text.data(), header_len, path, "header");
  Header h = HeaderParser(text, path).parse();
  // '=' is native byte order, and so is '|' for one-byte types: little-endian here.
  static_assert(std::endian::native == std::endian::little);
  if (h.descr.size() > 1 && h.descr[0] == '=') h.descr[0] = '<';

  if (h.fortran_order)
    format_error(
        path,
        "Fortran-order arrays are not supported; save a C-order array (np.ascontiguousarray(x))");
  return h;
}

// Throws the error of an unsupported dtype.
[[noreturn]] void unsupported_dtype(const Header& h, const std::string& path) {
  if (h.descr == ">f4" || h.descr == ">f8" || h.descr == ">i8" || h.descr == ">c8" ||
      h.descr == ">c16")
    format_error(path, "big-endian dtype '" + h.descr +
                           "' is not supported; convert with x.astype('<" + h.descr.substr(1) +
                           "')");
  format_error(path, "dtype " + describe_descr(h.descr) +
                         " is not supported (supported: " + std::string(kSupported) + ")");
}

}  // namespace

// ---- public API -------------------------------------------------------------------------------

NpyArray read_npy(const std::string& path) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) throw IoError(path + ": cannot open: " + errno_text(errno));
  const Header h = read_header(f.get(), path);
  if (h.descr == "<f4") return read_data<float>(f.get(), h.shape, path);
  if (h.descr == "<f8") return read_data<double>(f.get(), h.shape, path);
  if (h.descr == "<i8") return read_data<std::int64_t>(f.get(), h.shape, path);
  if (h.descr == "<c8") return read_data<std::complex<float>>(f.get(), h.shape, path);
  if (h.descr == "<c16") return read_data<std::complex<double>>(f.get(), h.shape, path);
  unsupported_dtype(h, path);
}

NpyLayout read_npy_layout(const std::string& path) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) throw IoError(path + ": cannot open: " + errno_text(errno));
  const Header h = read_header(f.get(), path);
  std::size_t item = 0;
  if (h.descr == "<f4") item = 4;
  else if (h.descr == "<f8" || h.descr == "<i8" || h.descr == "<c8") item = 8;
  else if (h.descr == "<c16") item = 16;
  else unsupported_dtype(h, path);
  std::size_t bytes = item;
  for (std::size_t n : h.shape)
    if (__builtin_mul_overflow(bytes, n, &bytes))
      format_error(path, "shape " + shape_string(h.shape) + " is too large");
  check_available(f.get(), bytes, path, "data for shape " + shape_string(h.shape));
  const long at = std::ftell(f.get());
  if (at < 0) throw IoError(path + ": cannot tell the position of the values: " + errno_text(errno));
  return {h.descr, h.shape, std::size_t(at)};
}

template <class T>
Array<T> read_npy_as(const std::string& path) {
  constexpr bool real_t = std::is_arithmetic_v<T>;
  return std::visit(
      [&]<class U>(Array<U>&& a) -> Array<T> {
        if constexpr (std::is_same_v<U, T>) {
          return std::move(a);
        } else if constexpr (real_t && !std::is_arithmetic_v<U>) {
          format_error(path, "complex data cannot be read as real numbers (dtype '" +
                                 std::string(descr_of<U>()) + "')");
        } else {
          Array<T> out(std::move(a.shape));
          for (std::size_t i = 0; i < a.size(); ++i) out.data[i] = static_cast<T>(a.data[i]);
          return out;
        }
      },
      read_npy(path));
}

std::string npy_dtype_name(const NpyArray& a) {
  return std::visit([]<class T>(const Array<T>&) -> std::string { return descr_of<T>(); }, a);
}

template <class T>
std::string npy_header(const Shape& shape, const std::string& what) {
  if (shape.size() > kNumpyMaxDims)
    throw InputError(what + ": an array of " + std::to_string(shape.size()) +
                     " dimensions (shape " + shape_string(shape) +
                     ") cannot be written: NumPy reads at most " +
                     std::to_string(kNumpyMaxDims));
  std::string dict = std::string("{'descr': '") + descr_of<T>() +
                     "', 'fortran_order': False, 'shape': " + shape_string(shape) + ", }";
  // Version 1.0 stores the header length in 2 bytes; 2.0 (4 bytes) is only for absurdly long
  // shapes.
  const bool v1 = dict.size() + 64 <= 0xffff;
  const std::size_t len_bytes = v1 ? 2 : 4;
  const std::size_t preamble = kMagic.size() + 2 + len_bytes;
  const std::size_t total =
      (preamble + dict.size() + 1 + 63) / 64 * 64;  // dict + '\n', padded to 64
  dict.append(total - preamble - dict.size() - 1, ' ').push_back('\n');

  std::string head(kMagic);
  head += char(v1 ? 1 : 2);
  head += char(0);
  for (std::size_t i = 0; i < len_bytes; ++i) head += char((dict.size() >> (8 * i)) & 0xff);
  return head + dict;
}

template <class T>
void write_npy(const std::string& path, const Array<T>& a) {
  if (a.size() != shape_size(a.shape))
    throw InputError(path + ": cannot write an array of shape " + shape_string(a.shape) +
                     " holding " + std::to_string(a.size()) + " values");
  const std::string head = npy_header<T>(a.shape, path);
  AtomicFile tmp(path);
  tmp.write(head);
  tmp.write({reinterpret_cast<const char*>(a.data.data()), a.size() * sizeof(T)});
  tmp.commit();
}

template Array<float> read_npy_as<float>(const std::string&);
template Array<double> read_npy_as<double>(const std::string&);
template Array<std::int64_t> read_npy_as<std::int64_t>(const std::string&);
template Array<std::complex<float>> read_npy_as<std::complex<float>>(const std::string&);
template Array<std::complex<double>> read_npy_as<std::complex<double>>(const std::string&);
template std::string npy_header<float>(const Shape&, const std::string&);
template std::string npy_header<double>(const Shape&, const std::string&);
template std::string npy_header<std::int64_t>(const Shape&, const std::string&);
template std::string npy_header<std::complex<float>>(const Shape&, const std::string&);
template std::string npy_header<std::complex<double>>(const Shape&, const std::string&);
template void write_npy<float>(const std::string&, const Array<float>&);
template void write_npy<double>(const std::string&, const Array<double>&);
template void write_npy<std::int64_t>(const std::string&, const Array<std::int64_t>&);
template void write_npy<std::complex<float>>(const std::string&, const Array<std::complex<float>>&);
template void write_npy<std::complex<double>>(const std::string&,
                                              const Array<std::complex<double>>&);

}  // namespace wst
