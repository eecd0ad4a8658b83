// Typed errors. Library code throws; only apps/ maps them to exit codes
// (UsageError -> 2, everything else -> 1) and only python/ to Python exceptions.
#pragma once
#include <stdexcept>
#include <string>

namespace wst {

// A parameter is outside its allowed range (e.g. J < 1). Exit code 2 in the CLI.
struct UsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// The data are unusable (wrong shape, NaN, unsupported dtype, truncated file). Exit code 1.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A file could not be read or written. Exit code 1.
struct IoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace wst
