// Picks the widest instruction set this CPU has for the radix passes (radix_pass_kernel.cpp is
// compiled once per set).
#include "radix_pass.hpp"

#include <algorithm>
#include <iterator>

namespace wst::detail {

namespace {

enum class Isa { sse2, avx2, avx512 };

Isa best_isa() {
  static const Isa isa = [] {
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
      return Isa::avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::avx2;
    return Isa::sse2;
  }();
  return isa;
}

template <class T>
void run(const RadixPass<T>& pass) {
  switch (best_isa()) {
    case Isa::avx512: return radix_pass_avx512(pass);
    case Isa::avx2: return radix_pass_avx2(pass);
    case Isa::sse2: return radix_pass_sse2(pass);
  }
}

}  // namespace

bool has_radix_pass(int p) {
  return std::find(std::begin(radix_pass_primes), std::end(radix_pass_primes), p) != std::end(radix_pass_primes);
}

void radix_pass(const RadixPass<float>& pass) { run(pass); }
void radix_pass(const RadixPass<double>& pass) { run(pass); }

const char* radix_pass_isa() {
  switch (best_isa()) {
    case Isa::avx512: return "avx512";
    case Isa::avx2: return "avx2";
    case Isa::sse2: return "sse2";
  }
  return "sse2";
}

}  // namespace wst::detail
