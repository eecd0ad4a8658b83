// libFuzzer harness for PNG images: wst::read_png_gray (libpng).
// Built by fuzz/CMakeLists.txt with -fsanitize=fuzzer,address,undefined; see fuzz/targets.hpp.
#include <cstddef>
#include <cstdint>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)wst::fuzz::png_target(data, size);
  return 0;
}
