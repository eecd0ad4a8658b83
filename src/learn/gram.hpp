// The Gram products behind the kernel machines' distances, with the widest SIMD instructions the
// CPU has (chosen once, at first use): AVX-512, AVX2 + FMA, or the SSE2 baseline. Private to
// src/learn/.
#pragma once
#include <cstddef>

namespace wst::learn::detail {

// G = A Bᵀ in float: A is ra × d, B is rb × d, G is ra × rb, all row-major and contiguous.
// The result depends on the instruction set (the order of the float sums), not on anything else.
void gram(const float* A, std::ptrdiff_t ra, const float* B, std::ptrdiff_t rb, std::ptrdiff_t d,
          float* G);

// "avx512", "avx2" or "sse2": the instruction set gram() uses on this CPU.
const char* gram_instruction_set();

}  // namespace wst::learn::detail
