// libFuzzer harness for IDX files, plain or gzip: wst::read_idx.
// Built by fuzz/CMakeLists.txt with -fsanitize=fuzzer,address,undefined; see fuzz/targets.hpp.
#include <cstddef>
#include <cstdint>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)wst::fuzz::idx_target(data, size);
  return 0;
}
