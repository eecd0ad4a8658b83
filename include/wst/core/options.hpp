// Execution options shared by the transforms.
#pragma once
#include <cstddef>
#include <functional>

#include "wst/core/fft.hpp"

namespace wst {

struct ExecOptions {
  int threads = 1;                     // threads splitting the batch; results do not depend on it
  Planning planning = Planning::measure;  // FFTW planner rigour (estimate in tests)
  // 2D only: images processed together, interleaved, in 1 or 8 lanes; 0 chooses (8 when the
  // padded image has at most 64×64 pixels). Results agree to rounding whatever the choice, and
  // are bit-identical for a given choice whatever the threads or batch size.
  int lanes = 0;
  // Called with (inputs done, inputs in the call) as a transform progresses: from the worker
  // threads, one call at a time, at most about 5 times a second, and once at the end.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

}  // namespace wst
