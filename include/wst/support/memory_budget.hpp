// A memory budget for requests whose working memory grows with batch × size: a request that
// would exceed it fails fast with a message, instead of being killed by the OOM killer.
#pragma once
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>

namespace wst {

// Parses a byte count: digits with an optional K, M, G or T suffix (powers of 1024, an optional
// trailing 'B' or 'iB' allowed, case-insensitive), e.g. "1500000", "512M", "2GiB".
// std::nullopt if `text` is not of that form or overflows.
std::optional<std::size_t> parse_byte_count(const std::string& text);

// The limit in bytes: $WST_MEMORY_LIMIT if set (a byte count as above; an invalid value is a
// UsageError naming the variable), otherwise MemAvailable from /proc/meminfo, otherwise no
// limit (SIZE_MAX).
std::size_t memory_limit();

// The product of the factors times `element_bytes`, saturating at SIZE_MAX instead of
// overflowing (so that a 10^12-element request still compares as "too large").
std::size_t checked_bytes(std::initializer_list<std::size_t> factors, std::size_t element_bytes);

// Throws InputError "<what> needs about <bytes> of working memory, more than the limit of
// <limit> (...)" if `bytes` exceeds memory_limit(). `what` names the request, e.g.
// "2-D scattering of 1000 images of 512 x 512".
void check_memory(std::size_t bytes, const std::string& what);

// The largest length any public constructor accepts (2^40): sums and products of a few such
// lengths cannot overflow std::size_t.
inline constexpr std::size_t kMaxLength = std::size_t{1} << 40;

// `value` if lo <= value <= hi, else UsageError "<name>=<value> is out of range: must be in
// [lo, hi]" (`name` is the argument or option it came from).
std::size_t check_size(std::size_t value, std::size_t lo, std::size_t hi, const std::string& name);

// A size computed from a floating-point parameter: ceil(v), or with `pow2` the smallest power of
// two >= v, raised to lo if smaller; UsageError naming `name` if it exceeds hi (also for NaN,
// infinity, or a power of two that would overflow).
std::size_t checked_size(double v, std::size_t lo, std::size_t hi, const std::string& name,
                         bool pow2 = false);

// "1.5 GiB", "512.0 MiB", "100 bytes".
std::string format_bytes(std::size_t bytes);

}  // namespace wst
