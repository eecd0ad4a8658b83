// Numbers in messages, tables and captions (one home for every formatter).
#pragma once
#include <array>
#include <charconv>
#include <cstdio>
#include <string>

namespace wst {

// v as printf's "%g" (6 significant digits): "0.25", "1e-06".
inline std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// v by one printf conversion of a double, e.g. num("%.2f", v).
inline std::string num(const char* conversion, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, conversion, v);
  return buf;
}

// The shortest text that reads back as exactly v.
inline std::string shortest(double v) {
  std::array<char, 32> buf{};
  const auto end = std::to_chars(buf.data(), buf.data() + buf.size(), v).ptr;
  return std::string(buf.data(), end);
}

}  // namespace wst
