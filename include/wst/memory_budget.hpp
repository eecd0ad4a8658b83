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

// "1.5 GiB", "512.0 MiB", "100 bytes".
std::string format_bytes(std::size_t bytes);

}  // namespace wst
