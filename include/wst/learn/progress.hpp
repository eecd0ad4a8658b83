// Progress callbacks of the learning layer: (steps done, steps in all), called from the calling
// thread as work advances and once at the end.
#pragma once
#include <cstddef>
#include <functional>

namespace wst::learn {
using Progress = std::function<void(std::size_t done, std::size_t total)>;
}
