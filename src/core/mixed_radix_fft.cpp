#include "mixed_radix_fft.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "fftw_api.hpp"
#include "radix_pass.hpp"
#include "spectral.hpp"

namespace wst::detail {
namespace {

template <class T>
using Guru = FftwApi<T>;

// The first prime with a radix pass that divides n, else 1.
int radix_of(std::size_t n) {
  for (int p : radix_pass_primes)
    if (n % std::size_t(p) == 0) return p;
  return 1;
}

// A per-thread work array of at least n values (operator() is const and called concurrently).
template <class T>
std::complex<T>* scratch(std::size_t n) {
  thread_local AlignedVector<std::complex<T>> buffer;
  if (buffer.size() < n) {
    buffer = AlignedVector<std::complex<T>>();
    buffer.resize(n);
  }
  return buffer.data();
}

// FFTW loop dimensions {n, input stride, output stride}, dropping those of length 1.
template <class T>
struct Dims {
  std::vector<typename Guru<T>::iodim> d;
  Dims& operator()(std::size_t n, std::ptrdiff_t is, std::ptrdiff_t os) {
    if (n > 1) d.push_back({int(n), int(is), int(os)});
    return *this;
  }
};

// Row pair (x_e, x_o) from Z = DFT(x_e + i x_o) (`w` reals per k): X_e[k] = (Z_k + conj Z_{N−k})/2,
// X_o[k] = (Z_k − conj Z_{N−k})/2i for k < h; `end` points just past Z_{N−1}.
template <class T>
WST_CLONES void unpack_pair(const T* __restrict z, const T* __restrict end, T* __restrict e, T* __restrict o,
                 std::size_t h, std::size_t w) {
  auto one = [&](std::size_t k, const T* c) {
    for (std::size_t q = 0; q < w; q += 2) {
      const T ar = z[k * w + q], ai = z[k * w + q + 1], cr = c[q], ci = c[q + 1];
      e[k * w + q] = T(0.5) * (ar + cr);
      e[k * w + q + 1] = T(0.5) * (ai - ci);
      o[k * w + q] = T(0.5) * (ai + ci);
      o[k * w + q + 1] = T(0.5) * (cr - ar);
    }
  };
  one(0, z);
  if (w != 2) {
    for (std::size_t k = 1; k < h; ++k) one(k, end - k * w);
    return;
  }
  for (std::size_t k = 1; k < h; ++k) {  // one complex value per k: vectorised over k
    const T ar = z[2 * k], ai = z[2 * k + 1], cr = end[-2 * std::ptrdiff_t(k)], ci = end[1 - 2 * std::ptrdiff_t(k)];
    e[2 * k] = T(0.5) * (ar + cr);
    e[2 * k + 1] = T(0.5) * (ai - ci);
    o[2 * k] = T(0.5) * (ai + ci);
    o[2 * k + 1] = T(0.5) * (cr - ar);
  }
}

// Row z = E + i·O of the Hermitian extensions of half-spectrum rows e and o (h values of `w`
// reals each): E[k] = e[k] for k < h, conj e[N − k] above; imaginary parts at 0 and N/2 dropped.
template <class T>
WST_CLONES void pack_pair(const T* __restrict e, const T* __restrict o, T* __restrict z, std::size_t N,
                          std::size_t h, std::size_t w) {
  auto one = [&](std::size_t k, std::size_t kk, T keep) {
    for (std::size_t q = 0; q < w; q += 2) {
      z[k * w + q] = e[kk * w + q] - keep * o[kk * w + q + 1];
      z[k * w + q + 1] = keep * e[kk * w + q + 1] + o[kk * w + q];
    }
  };
  one(0, 0, T(0));
  const std::size_t last = N % 2 ? h : h - 1;  // k = N/2 (N even) is real
  for (std::size_t k = 1; k < last; ++k) one(k, k, T(1));
  if (last < h) one(last, last, T(0));
  for (std::size_t k = h; k < N; ++k) one(k, N - k, T(-1));
}

}  // namespace

// A transform of `H` arrays of M × N (M = 1 for rank 1): element (i, j) of array t at
// i·N·Hx + j·Hx + t·(interleaved ? 1 : M·N), Hx = interleaved ? H : 1. The complex side of r2c /
// c2r has h = N/2 + 1 columns. Axis n = p·l: p = 1 where the axis has no radix pass.
template <class T>
struct MixedRadixFft<T>::Geometry {
  Kind kind;
  int sign;
  std::size_t M, N, H, h;
  bool inter;
  int pM, lM, pN, lN;
  // Twiddle pairs (w_r, w_r), (−w_i, w_i) of w = exp(σ 2πi a·b / n): rows [a − 1][b][t], with
  // t over the interleaved arrays; columns [a − 1][b].
  AlignedVector<T> row_re, row_im, col_re, col_im;

  std::size_t Hx() const { return inter ? H : 1; }
  std::size_t array(std::size_t rows, std::size_t cols) const { return inter ? 1 : rows * cols; }

  static void twiddles(int sign, std::size_t n, int p, int l, std::size_t repeat, AlignedVector<T>& re,
                       AlignedVector<T>& im) {
    re.resize(2 * std::size_t(p - 1) * l * repeat);
    im.resize(re.size());
    std::size_t e = 0;
    for (int a = 1; a < p; ++a)
      for (int b = 0; b < l; ++b) {
        const double angle = 2 * M_PI * double(std::size_t(a) * std::size_t(b) % n) / double(n);
        const T wr = T(std::cos(angle)), wi = T(sign * std::sin(angle));
        for (std::size_t t = 0; t < repeat; ++t, ++e) {
          re[2 * e] = re[2 * e + 1] = wr;
          im[2 * e] = -wi;
          im[2 * e + 1] = wi;
        }
      }
  }
};

template <class T>
MixedRadixFft<T>::~MixedRadixFft() {
  std::lock_guard<std::mutex> lock(fftw_planner_lock());
  for (void* p : {step_a_, step_b_})
    if (p) Guru<T>::destroy(static_cast<typename Guru<T>::plan>(p));
}

template <class T>
std::unique_ptr<MixedRadixFft<T>> MixedRadixFft<T>::make(Kind kind, const std::vector<int>& dims,
                                                         int howmany, unsigned flags, Layout layout) {
  using G = Guru<T>;
  const std::size_t rank = dims.size();
  if (rank < 1 || rank > 2 || howmany < 1) return nullptr;
  const bool real = kind == Kind::r2c || kind == Kind::c2r;
  auto g = std::make_unique<Geometry>();
  g->kind = kind;
  g->sign = kind == Kind::forward || kind == Kind::r2c ? -1 : 1;
  g->M = rank == 2 ? std::size_t(dims[0]) : 1;
  g->N = std::size_t(dims.back());
  g->H = std::size_t(howmany);
  g->h = real ? g->N / 2 + 1 : g->N;
  g->inter = layout == Layout::interleaved;
  g->pM = rank == 2 ? radix_of(g->M) : 1;
  g->pN = radix_of(g->N);
  if (g->pM == 1 && g->pN == 1) return nullptr;
  if (real && (rank != 2 || g->M % 2)) return nullptr;
  g->lM = int(g->M / g->pM);
  g->lN = int(g->N / g->pN);
  const std::size_t M = g->M, N = g->N, H = g->H, h = g->h, Hx = g->Hx();
  const int pM = g->pM, lM = g->lM, pN = g->pN, lN = g->lN;
  if (pN > 1) Geometry::twiddles(g->sign, N, pN, lN, Hx, g->row_re, g->row_im);
  if (pM > 1) Geometry::twiddles(g->sign, M, pM, lM, 1, g->col_re, g->col_im);

  std::unique_ptr<MixedRadixFft> plan(new MixedRadixFft());
  const std::size_t sJ = Hx, sI = N * Hx, sIc = h * Hx;
  // Planning arrays of the same alignment and offsets as at execution (MEASURE overwrites them).
  AlignedVector<complex> a(M * std::max(N, 2 * h) * H), b(a.size());
  auto* ca = reinterpret_cast<typename G::cpx*>(a.data());
  auto* cb = reinterpret_cast<typename G::cpx*>(b.data());
  std::lock_guard<std::mutex> lock(fftw_planner_lock());
  if (!real) {  // decimation in time on both axes: x[p·i2 + i1][p·j2 + j1] → [i1·l + k2i][j1·l + k2j]
    const std::size_t sT = g->array(M, N);
    Dims<T> n, many;
    n(lM, pM * sI, sI)(lN, pN * sJ, sJ);
    many(pM, sI, lM * sI)(pN, sJ, lN * sJ)(H, sT, sT);
    plan->step_a_ = G::guru_dft(int(n.d.size()), n.d.data(), int(many.d.size()), many.d.data(), ca, cb,
                           g->sign, flags);
  } else {
    // Rows 2i', 2i' + 1 of the real side as the real and imaginary parts of row i' of z.
    const std::size_t sTz = g->array(M / 2, N), sTc = g->array(M, h);
    Dims<T> n, many;
    if (kind == Kind::r2c)  // z → Z, decimation in time
      n(lN, pN * sJ, sJ), many(pN, sJ, lN * sJ)(M / 2, sI, sI)(H, sTz, sTz);
    else  // after the radix pass: decimation in frequency
      n(lN, sJ, pN * sJ), many(pN, lN * sJ, sJ)(M / 2, sI, sI)(H, sTz, sTz);
    plan->step_a_ = G::guru_dft(int(n.d.size()), n.d.data(), int(many.d.size()), many.d.data(), ca, cb,
                           g->sign, flags);
    // Columns: out of place with decimation in time when there is a radix pass, else in place.
    Dims<T> nc, manyc;
    nc(lM, pM * sIc, sIc);
    manyc(pM, sIc, lM * sIc)(h, sJ, sJ)(H, sTc, sTc);
    plan->step_b_ = G::guru_dft(int(nc.d.size()), nc.d.data(), int(manyc.d.size()), manyc.d.data(), ca,
                           pM > 1 ? cb : ca, g->sign, flags);
  }
  if (!plan->step_a_ || (real && !plan->step_b_)) throw std::runtime_error("FFTW could not create a plan");
  plan->g_ = std::move(g);
  return plan;
}

// Radix-pM pass along the columns of `cols` columns, in → out (same layout), decimation in time.
template <class T>
void MixedRadixFft<T>::radix_columns(const complex* in, complex* out, std::size_t cols) const {
  const Geometry& g = *g_;
  const std::size_t sI = cols * g.Hx();
  RadixPass<T> pass;
  pass.p = g.pM;
  pass.sign = g.sign;
  pass.width = sI;
  pass.runs = std::size_t(g.lM);
  pass.run_stride = std::ptrdiff_t(sI);
  pass.stride = std::ptrdiff_t(g.lM * sI);
  pass.tw_re = g.col_re.data();
  pass.tw_im = g.col_im.data();
  pass.tw_point = g.lM;
  pass.tw_run = 1;
  const std::size_t arrays = g.inter ? 1 : g.H;
  for (std::size_t t = 0; t < arrays; ++t) {
    pass.in = in + t * g.M * cols;
    pass.out = out + t * g.M * cols;
    radix_pass(pass);
  }
}

// Radix-pN pass along `rows` rows of N values, in place: decimation in time (twiddles on the
// inputs) or, with post, in frequency (on the outputs).
template <class T>
void MixedRadixFft<T>::radix_rows(complex* data, std::size_t rows, bool post) const {
  const Geometry& g = *g_;
  RadixPass<T> pass;
  pass.p = g.pN;
  pass.sign = g.sign;
  pass.width = std::size_t(g.lN) * g.Hx();
  pass.runs = rows;
  pass.run_stride = std::ptrdiff_t(g.N * g.Hx());
  pass.stride = std::ptrdiff_t(pass.width);
  pass.tw_re = g.row_re.data();
  pass.tw_im = g.row_im.data();
  pass.tw_point = std::ptrdiff_t(pass.width);
  pass.per_element = true;
  pass.post = post;
  const std::size_t arrays = g.inter ? 1 : g.H;
  for (std::size_t t = 0; t < arrays; ++t) {
    pass.in = pass.out = data + t * rows * g.N;
    radix_pass(pass);
  }
}

template <class T>
void MixedRadixFft<T>::operator()(const complex* in, complex* out) const {
  using G = Guru<T>;
  const Geometry& g = *g_;
  G::exec_dft(static_cast<typename G::plan>(step_a_),
              reinterpret_cast<typename G::cpx*>(const_cast<complex*>(in)),
              reinterpret_cast<typename G::cpx*>(out));
  if (g.pM > 1) radix_columns(out, out, g.N);
  if (g.pN > 1) radix_rows(out, g.M, false);
}

// r2c: rows in pairs as one complex DFT, z = DFT(x_2i' + i x_2i'+1), then
// X_2i' = (Z_k + conj Z_{N−k}) / 2 and X_2i'+1 = (Z_k − conj Z_{N−k}) / 2i; then the columns.
template <class T>
void MixedRadixFft<T>::operator()(const T* in, complex* out) const {
  using G = Guru<T>;
  const Geometry& g = *g_;
  const std::size_t M = g.M, N = g.N, h = g.h, Hx = g.Hx();
  complex* a = scratch<T>(M * std::max(N, 2 * h) * g.H);
  complex* z = a + M / 2 * N * g.H;
  const std::size_t outer = g.inter ? 1 : g.H, inner = g.inter ? g.H : 1;
  for (std::size_t to = 0; to < outer; ++to)
    for (std::size_t i = 0; i < M / 2; ++i) {
      const T* even = in + (to * M + 2 * i) * N * Hx;
      zip(even, even + N * Hx, reinterpret_cast<T*>(a + (to * (M / 2) + i) * N * Hx), N * Hx);
    }
  G::exec_dft(static_cast<typename G::plan>(step_a_), reinterpret_cast<typename G::cpx*>(a),
              reinterpret_cast<typename G::cpx*>(z));
  if (g.pN > 1) radix_rows(z, M / 2, false);
  for (std::size_t to = 0; to < outer; ++to)
    for (std::size_t i = 0; i < M / 2; ++i) {
      const T* zr = reinterpret_cast<const T*>(z + (to * (M / 2) + i) * N * Hx);
      T* even = reinterpret_cast<T*>(out + (to * M + 2 * i) * h * Hx);
      unpack_pair(zr, zr + 2 * N * Hx, even, even + 2 * h * Hx, h, 2 * inner);
    }
  auto* co = reinterpret_cast<typename G::cpx*>(out);
  if (g.pM == 1) return G::exec_dft(static_cast<typename G::plan>(step_b_), co, co);
  G::exec_dft(static_cast<typename G::plan>(step_b_), co, reinterpret_cast<typename G::cpx*>(a));
  radix_columns(a, out, h);
}

// c2r: the columns, then rows in pairs as one complex DFT of E + iO, E and O the Hermitian
// extensions of rows 2i' and 2i' + 1 (imaginary parts at k = 0 and N/2 ignored, as FFTW does).
template <class T>
void MixedRadixFft<T>::operator()(complex* in, T* out) const {
  using G = Guru<T>;
  const Geometry& g = *g_;
  const std::size_t M = g.M, N = g.N, h = g.h, Hx = g.Hx();
  complex* z = scratch<T>(M * std::max(N, 2 * h) * g.H);
  auto* ci = reinterpret_cast<typename G::cpx*>(in);
  if (g.pM == 1) {
    G::exec_dft(static_cast<typename G::plan>(step_b_), ci, ci);
  } else {
    G::exec_dft(static_cast<typename G::plan>(step_b_), ci, reinterpret_cast<typename G::cpx*>(z));
    radix_columns(z, in, h);
  }
  const std::size_t outer = g.inter ? 1 : g.H, inner = g.inter ? g.H : 1;
  for (std::size_t to = 0; to < outer; ++to)
    for (std::size_t i = 0; i < M / 2; ++i) {
      const T* even = reinterpret_cast<const T*>(in + (to * M + 2 * i) * h * Hx);
      T* zr = reinterpret_cast<T*>(z + (to * (M / 2) + i) * N * Hx);
      pack_pair(even, even + 2 * h * Hx, zr, N, h, 2 * inner);
    }
  if (g.pN > 1) radix_rows(z, M / 2, true);
  complex* b = z + M / 2 * N * g.H;
  G::exec_dft(static_cast<typename G::plan>(step_a_), reinterpret_cast<typename G::cpx*>(z),
              reinterpret_cast<typename G::cpx*>(b));
  for (std::size_t to = 0; to < outer; ++to)
    for (std::size_t i = 0; i < M / 2; ++i) {
      T* even = out + (to * M + 2 * i) * N * Hx;
      unzip(reinterpret_cast<const T*>(b + (to * (M / 2) + i) * N * Hx), even, even + N * Hx, N * Hx);
    }
}

template <class T>
std::string MixedRadixFft<T>::algorithm() const {
  const int p = std::max(g_->pM, g_->pN);
  return "fftw + radix-" + std::to_string(p) + " (" + radix_pass_isa() + ")";
}

template class MixedRadixFft<float>;
template class MixedRadixFft<double>;

}  // namespace wst::detail
