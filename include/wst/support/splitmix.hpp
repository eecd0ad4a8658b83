// A portable pseudo-random generator (Steele, Lea & Flood 2014, "SplitMix64"): the same numbers
// on every platform and standard library, so that experiments with a seed are reproducible.
#pragma once
#include <cstdint>

namespace wst {

struct SplitMix {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }  // in [0, 1)
};

}  // namespace wst
