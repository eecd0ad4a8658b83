// libFuzzer harness for NumPy .npy files: wst::read_npy and wst::read_npy_as<double>.
// Built by fuzz/CMakeLists.txt with -fsanitize=fuzzer,address,undefined; see fuzz/targets.hpp.
#include <cstddef>
#include <cstdint>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)wst::fuzz::npy_target(data, size);
  return 0;
}
