// libFuzzer harness for parameter validation of BasicScattering1D/2D, BasicStft and BasicCwt.
// Built by fuzz/CMakeLists.txt with -fsanitize=fuzzer,address,undefined; see fuzz/targets.hpp.
#include <cstddef>
#include <cstdint>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)wst::fuzz::params_target(data, size);
  return 0;
}
