#include "gram.hpp"

namespace wst::learn::detail {

// gram_kernel.cpp, compiled for each instruction set.
void gram_sse2(const float*, std::ptrdiff_t, const float*, std::ptrdiff_t, std::ptrdiff_t, float*);
void gram_avx2(const float*, std::ptrdiff_t, const float*, std::ptrdiff_t, std::ptrdiff_t, float*);
void gram_avx512(const float*, std::ptrdiff_t, const float*, std::ptrdiff_t, std::ptrdiff_t,
                 float*);

namespace {

using GramFunction = void (*)(const float*, std::ptrdiff_t, const float*, std::ptrdiff_t,
                              std::ptrdiff_t, float*);

struct Choice {
  GramFunction f;
  const char* name;
};

// The flags each variant is compiled with, checked at run time.
Choice choose() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return {gram_avx512, "avx512"};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return {gram_avx2, "avx2"};
  return {gram_sse2, "sse2"};
}

const Choice& choice() {
  static const Choice c = choose();
  return c;
}

}  // namespace

void gram(const float* A, std::ptrdiff_t ra, const float* B, std::ptrdiff_t rb, std::ptrdiff_t d,
          float* G) {
  choice().f(A, ra, B, rb, d, G);
}

const char* gram_instruction_set() { return choice().name; }

}  // namespace wst::learn::detail
