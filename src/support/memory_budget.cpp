// Memory budget: see include/wst/support/memory_budget.hpp.
#include "wst/support/memory_budget.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

#include "wst/support/error.hpp"

namespace wst {

namespace {
constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();

// MemAvailable of /proc/meminfo in bytes ("MemAvailable:   12345678 kB"), if readable.
std::optional<std::size_t> mem_available() {
  std::ifstream in("/proc/meminfo");
  std::string key, unit;
  std::size_t value = 0;
  while (in >> key >> value) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return value > kMax / 1024 ? kMax : value * 1024;
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::size_t> parse_byte_count(const std::string& text) {
  std::size_t i = 0, value = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    const std::size_t d = std::size_t(text[i] - '0');
    if (value > (kMax - d) / 10) return std::nullopt;
    value = value * 10 + d;
  }
  if (i == 0) return std::nullopt;
  std::string suffix;
  for (; i < text.size(); ++i) suffix += char(std::toupper(static_cast<unsigned char>(text[i])));
  int shift = 0;
  if (!suffix.empty()) {
    const std::string units = "KMGT";
    const std::size_t u = units.find(suffix[0]);
    if (u != std::string::npos) {
      shift = 10 * int(u + 1);
      suffix.erase(0, 1);
      if (suffix == "IB") suffix = "B";
    }
    if (!suffix.empty() && suffix != "B") return std::nullopt;
  }
  if (shift > 0 && value > (kMax >> shift)) return std::nullopt;
  return value << shift;
}

std::size_t memory_limit() {
  if (const char* env = std::getenv("WST_MEMORY_LIMIT"); env && *env) {
    const auto bytes = parse_byte_count(env);
    if (!bytes || *bytes == 0)
      throw UsageError("WST_MEMORY_LIMIT='" + std::string(env) +
                       "' is not a positive byte count (e.g. 1500000000, 512M, 2G)");
    return *bytes;
  }
  return mem_available().value_or(kMax);
}

std::size_t checked_bytes(std::initializer_list<std::size_t> factors, std::size_t element_bytes) {
  std::size_t bytes = element_bytes;
  for (std::size_t f : factors)
    if (__builtin_mul_overflow(bytes, f, &bytes)) return kMax;
  return bytes;
}

std::size_t check_size(std::size_t value, std::size_t lo, std::size_t hi, const std::string& name) {
  if (value < lo || value > hi)
    throw UsageError(name + "=" + std::to_string(value) + " is out of range: must be in [" +
                     std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return value;
}

std::size_t checked_size(double v, std::size_t lo, std::size_t hi, const std::string& name,
                         bool pow2) {
  const auto fail = [&] {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    throw UsageError(name + " needs a size of " + buf + ", out of range: must be in [" +
                     std::to_string(lo) + ", " + std::to_string(hi) + "]");
  };
  if (!(v <= double(hi)) || v >= 0x1p64) fail();  // NaN, +inf or too large
  std::size_t n = v <= 0 ? 0 : std::size_t(std::ceil(v));
  if (pow2) {
    std::size_t p = 1;
    while (p < n && p <= hi / 2) p *= 2;
    if (p < n) fail();
    n = p;
  }
  if (n < lo) n = lo;
  if (n > hi) fail();
  return n;
}

std::string format_bytes(std::size_t bytes) {
  if (bytes == kMax) return "more than 16 EiB";
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = double(bytes) / 1024;
  int u = 0;
  while (v >= 1024 && u < 5) v /= 1024, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

void check_memory(std::size_t bytes, const std::string& what) {
  // Fast path: small requests never read /proc/meminfo (transforms may be called in loops).
  const char* env = std::getenv("WST_MEMORY_LIMIT");
  if (bytes <= (std::size_t{64} << 20) && !(env && *env)) return;
  const std::size_t limit = memory_limit();
  if (bytes <= limit) return;
  const bool from_env = env && *env;
  throw InputError(what + " needs about " + format_bytes(bytes) + " (" + std::to_string(bytes) +
                   " bytes) of memory, more than the limit of " + format_bytes(limit) + " (" +
                   (from_env ? "WST_MEMORY_LIMIT" : "available RAM, MemAvailable") +
                   "); use a smaller batch or raise WST_MEMORY_LIMIT");
}

}  // namespace wst
