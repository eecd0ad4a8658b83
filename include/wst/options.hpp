// Execution options shared by the transforms.
#pragma once
#include "wst/fft.hpp"

namespace wst {

struct ExecOptions {
  int threads = 1;                     // threads splitting the batch; results do not depend on it
  Planning planning = Planning::measure;  // FFTW planner rigour (estimate in tests)
};

}  // namespace wst
