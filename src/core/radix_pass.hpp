// One radix-p pass of a mixed-radix DFT (docs/fft.md §2): for an odd prime p that FFTW has no
// codelet for, p-point DFTs of many vectors at once, with the twiddle factors of the
// Cooley–Tukey split applied to the inputs (decimation in time) or to the outputs (in frequency).
#pragma once
#include <complex>
#include <cstddef>

namespace wst::detail {

// The primes a radix pass is compiled for.
constexpr int radix_pass_primes[] = {17, 19, 23};
bool has_radix_pass(int p);

// runs × (a p-point DFT of `width` contiguous complex values): point n of value v of run r is
// at base + r·run_stride + n·stride + v (complex units), for in and out alike (in == out is
// allowed). Twiddle of point n ≥ 1 (tw_re, tw_im hold (w_r, w_r) and (−w_i, w_i) pairs):
// pair index (n − 1)·tw_point + r·tw_run + (per_element ? v : 0). No twiddles if tw_re is null.
template <class T>
struct RadixPass {
  int p = 17;
  int sign = -1;  // −1: forward DFT, +1: backward
  const std::complex<T>* in = nullptr;
  std::complex<T>* out = nullptr;
  std::size_t width = 0, runs = 0;
  std::ptrdiff_t stride = 0, run_stride = 0;
  const T* tw_re = nullptr;
  const T* tw_im = nullptr;
  std::ptrdiff_t tw_point = 0, tw_run = 0;
  bool per_element = false;
  bool post = false;  // twiddles multiply the outputs (else the inputs)
};

// The pass compiled for one instruction set; the CPU must have it.
void radix_pass_sse2(const RadixPass<float>&);
void radix_pass_sse2(const RadixPass<double>&);
void radix_pass_avx2(const RadixPass<float>&);
void radix_pass_avx2(const RadixPass<double>&);
void radix_pass_avx512(const RadixPass<float>&);
void radix_pass_avx512(const RadixPass<double>&);

// Runs the pass with the widest instruction set this CPU has (AVX-512, AVX2 + FMA or SSE2).
void radix_pass(const RadixPass<float>& pass);
void radix_pass(const RadixPass<double>& pass);
const char* radix_pass_isa();

}  // namespace wst::detail
