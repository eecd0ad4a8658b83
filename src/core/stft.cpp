#include "wst/core/stft.hpp"
#include "wst/support/memory_budget.hpp"  // memory limit

#include <algorithm>
#include <atomic>
#include <bit>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

#include "spectral.hpp"
#include "wst/support/error.hpp"
#include "wst/core/fft.hpp"
#include "wst/core/fourier.hpp"

namespace wst {
namespace {

// scipy.signal.istft divides by Σ_m w²[n − mH] only where it exceeds this (absolute) threshold.
constexpr double kEnergyFloor = 1e-10;
// Outputs at least this large are written with non-temporal stores: they would leave the cache
// anyway, and streaming them skips reading each line before it is overwritten (as in cwt.cpp).
constexpr std::size_t kStreamBytes = std::size_t{8} << 20;

// Whether some v[i] is Inf or NaN (all exponent bits set), without branches so that it vectorises:
// the exponent field plus its lowest bit carries into the sign bit only when the field is all ones.
template <class T>
bool any_non_finite(const T* v, std::size_t n) {
  using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  constexpr U exponent = std::bit_cast<U>(std::numeric_limits<T>::infinity());
  constexpr U unit = U(1) << (std::numeric_limits<T>::digits - 1);
  U acc = 0;
  for (std::size_t i = 0; i < n; ++i) acc |= (std::bit_cast<U>(v[i]) & exponent) + unit;
  return acc >> (8 * sizeof(U) - 1);
}
template <class T>
bool any_non_finite(const std::complex<T>* v, std::size_t n) {
  return any_non_finite(reinterpret_cast<const T*>(v), 2 * n);
}

using detail::scaled;
using detail::signal_exponents;

// Non-temporal stores (spectral.hpp).
using detail::fence_stores;
using detail::kCanStream;
using detail::store;
using detail::stream;

// The block's transposition into scipy's layout: `count` spectra stored frame after frame (frame
// j's bin k at in[j·bins + k]) → out[k·M + j]. Row by row, so that the stores run along each row
// (whole cache lines, streamed or not) while the loads revisit the `count` lines a row spans,
// which stay in L1 from one row to the next.
template <bool Stream, class C>
void to_rows(const C* in, std::size_t count, std::size_t bins, C* out, std::size_t M) {
  for (std::size_t k = 0; k < bins; ++k) {
    C* row = out + k * M;
    const C* col = in + k;
    for (std::size_t j = 0; j < count; ++j) {
      if constexpr (Stream)
        stream(row + j, col + j * bins);
      else
        row[j] = col[j * bins];
    }
  }
}

// The inverse's transposition: in[k·M + j] → out[j·bins + k], j < count, row by row; it also
// prefetches the next `ahead` values of each row (the next block's), so that they arrive while
// this block is transformed.
template <class C>
void from_rows(const C* in, std::size_t M, std::size_t count, std::size_t ahead, std::size_t bins, C* out) {
  constexpr std::size_t line = 64 / sizeof(C);
  for (std::size_t k = 0; k < bins; ++k) {
    const C* row = in + k * M;
    for (std::size_t j = 0; j < ahead; j += line) __builtin_prefetch(row + count + j);
    if (ahead > 0) __builtin_prefetch(row + count + ahead - 1);
    for (std::size_t j = 0; j < count; ++j) out[j * bins + k] = row[j];
  }
}

}  // namespace

template <class T>
struct BasicStft<T>::Impl {
  using C = std::complex<T>;

  // Frames are transformed in blocks of K (FFTW's howmany), the last one padded with zero frames:
  // every frame sees the same plan whatever the partition, so no bit depends on the threads.
  struct Blocks {
    std::size_t M = 1, n = 1, K = 1;  // M frames in n blocks of K
    Blocks() = default;
    // ⌈M/cap⌉ blocks, balanced: the last one pads less than one frame a block.
    Blocks(std::size_t frames, std::size_t cap) : M(frames), n((M + cap - 1) / cap), K((M + n - 1) / n) {}
    std::size_t frames(std::size_t b) const { return std::min(K, M - b * K); }
  };

  StftParams p;  // nfft resolved to F
  ExecOptions exec;
  std::size_t N = 0, L = 0, H = 0, F = 0;
  std::size_t M = 0;       // frames
  std::size_t offset = 0;  // padded index of x[0]: L/2 (boundary zeros) or 0
  Blocks fb, ib;           // the forward's and the inverse's blocks
  std::vector<double> w2;       // w²
  std::vector<double> e_full;   // Σ_k w²[r + kH], r < H: Σ_m w²[p − mH] wherever every frame exists
  std::vector<T> e_div;         // T(e_full[r]) where it exceeds scipy's floor, else 1 (x/1 = x)
  std::vector<T> analysis;      // w / Σw (spectrum) or w
  bool guard = false;           // Σ|analysis| so large that x inside the band may overflow
  std::vector<T> synthesis;     // w·Σw / F (spectrum) or w / F: the window times the IDFT's scale
  FftPlan<T> r2c, fwd;          // fb.K transforms of length F
  FftPlan<T> c2r, bwd;          // ib.K transforms of length F

  struct Workspace {
    AlignedVector<C> a, b;  // one block of frames (K·F values) and of spectra (K·bins)
    AlignedVector<C> sum;   // inverse: the overlap-add of one block, (K − 1)·H + L samples
  };
  mutable detail::WorkspacePool<Workspace> pool;

  std::unique_ptr<Workspace> make_workspace() const {
    auto w = std::make_unique<Workspace>();
    w->a.resize(std::max(fb.K, ib.K) * F);
    w->b.resize(std::max(fb.K, ib.K) * F);
    w->sum.resize((ib.K - 1) * H + L);
    return w;
  }

  // Σ_m w²[p − mH] over the frames that cover padded sample p, in ascending m as scipy sums it.
  double energy(std::size_t p) const {
    const std::size_t m_lo = p + 1 > L ? (p + 1 - L + H - 1) / H : 0, m_hi = std::min(M, p / H + 1);
    double e = 0;
    for (std::size_t m = m_lo; m < m_hi; ++m) e += w2[p - m * H];
    return e;
  }
  // The part [a, b) of [lo, hi) where every frame that could cover p exists (L − H ≤ p < M·H):
  // there the sum is periodic, e_full[p mod H].
  std::pair<std::size_t, std::size_t> periodic(std::size_t lo, std::size_t hi) const {
    const std::size_t a = std::clamp(L - H, lo, hi);
    return {a, std::clamp(M * H, a, hi)};
  }
  // y[p − base] /= Σ_m w²[p − mH] for the padded samples p in [p0, p1), where the sum exceeds
  // scipy's floor (istft: x /= where(e > 1e-10, e, 1.0)).
  template <class Out>
  void normalise(Out* y, std::size_t base, std::size_t p0, std::size_t p1) const {
    const auto [a, b] = periodic(p0, p1);
    auto direct = [&](std::size_t p) {
      if (const double e = energy(p); e > kEnergyFloor) y[p - base] /= T(e);
    };
    for (std::size_t p = p0; p < a; ++p) direct(p);
    for (std::size_t p = a; p < b;) {
      const std::size_t r = p % H, n = std::min(H - r, b - p);
      Out* yp = y + (p - base);
      const T* e = e_div.data() + r;
      for (std::size_t i = 0; i < n; ++i) yp[i] /= e[i];
      p += n;
    }
    for (std::size_t p = b; p < p1; ++p) direct(p);
  }

  // Runs body(signal, first block, end block) over a fixed partition of (signal, block) pairs.
  template <class Body>
  void for_blocks(std::size_t batch, const Blocks& bl, Body body) const {
    const std::size_t n = bl.n;
    detail::parallel_ranges(batch * n, exec.threads, [&](std::size_t i0, std::size_t i1) {
      for (std::size_t s = i0 / n; s * n < i1; ++s)
        body(s, std::max(i0, s * n) - s * n, std::min(i1, (s + 1) * n) - s * n);
    });
  }

  // Forward: frames of x (batch × N, real or complex) → out (batch × bins × M). Each block of
  // frames is windowed, transformed, and written straight into its columns of out.
  template <class In>
  void forward(const In* x, std::size_t batch, C* out, const FftPlan<T>& plan, std::size_t bins) const {
    const std::size_t K = fb.K;
    const bool stream = kCanStream && batch * bins * M * sizeof(C) >= kStreamBytes &&
                        reinterpret_cast<std::uintptr_t>(out) % sizeof(C) == 0;
    std::atomic<bool> bad{false};
    const std::vector<int> es = signal_exponents(x, batch, N, exec.threads);
    detail::Progress progress(exec.progress, batch * M);
    for_blocks(batch, fb, [&](std::size_t s, std::size_t b0, std::size_t b1) {
      const int e = es[s];
      auto lease = pool.lease([&] { return make_workspace(); });
      Workspace& w = *lease;
      In* frame = reinterpret_cast<In*>(w.a.data());
      const In* xs = x + s * N;
      C* zs = out + s * bins * M;
      bool part_bad = false;
      for (std::size_t b = b0; b < b1; ++b) {
        const std::size_t m0 = b * K, count = fb.frames(b);
        // frame j = w·x over padded samples [mH, mH + L), zero outside x, zero-padded to F.
        for (std::size_t j = 0; j < count; ++j) {
          In* f = frame + j * F;
          const std::ptrdiff_t start = std::ptrdiff_t((m0 + j) * H) - std::ptrdiff_t(offset);
          const std::size_t lo = std::size_t(std::clamp<std::ptrdiff_t>(-start, 0, std::ptrdiff_t(L)));
          const std::size_t hi = std::size_t(std::clamp<std::ptrdiff_t>(std::ptrdiff_t(N) - start, 0, std::ptrdiff_t(L)));
          std::fill(f, f + lo, In(0));
          if (lo < hi) {
            const In* src = xs + (start + std::ptrdiff_t(lo));
            const T* a = analysis.data() + lo;
            if (e == 0)
              for (std::size_t i = 0; i < hi - lo; ++i) f[lo + i] = a[i] * src[i];
            else  // 2^-e·x (docs/architecture.md, "Range")
              for (std::size_t i = 0; i < hi - lo; ++i) f[lo + i] = a[i] * scaled(src[i], -e);
          }
          std::fill(f + std::max(lo, hi), f + F, In(0));
        }
        std::fill(frame + count * F, frame + K * F, In(0));  // the last block's padding
        // The samples these frames read (the last block's: all the rest of x) must be finite.
        const std::size_t x0 = std::min(N, m0 * H - std::min(m0 * H, offset));
        const std::size_t x1 = b + 1 == fb.n ? N : std::min(N, (m0 + count - 1) * H + L - offset);
        const bool block_bad = x0 < x1 && any_non_finite(xs + x0, x1 - x0);
        part_bad |= block_bad;
        plan(frame, w.b.data());
        if (e != 0 || (guard && !block_bad)) {
          detail::scale_pow2(w.b.data(), count * bins, e);
          detail::check_in_range(w.b.data(), count * bins,
                                 "the STFT of signal " + std::to_string(s));
        }
        if (stream)
          to_rows<true>(w.b.data(), count, bins, zs + m0, M);
        else
          to_rows<false>(w.b.data(), count, bins, zs + m0, M);
        progress.add(count);
      }
      if (stream) fence_stores();
      if (part_bad) bad = true;
    });
    if (bad) detail::check_finite(x, batch * N, "STFT input", "the STFT");  // names the first
    progress.finish();
  }

  // Inverse: Z (batch × bins × M) → least-squares overlap-add out (batch × N, real or complex).
  // Each block's frames are added into a running sum; the samples no later frame reaches are
  // normalised and stored.
  template <class Out>
  void inverse(const C* Z, std::size_t batch, Out* out, const FftPlan<T>& plan, std::size_t bins) const {
    const std::size_t K = ib.K;
    const bool stream = kCanStream && batch * N * sizeof(Out) >= kStreamBytes;
    const std::size_t cover = (M - 1) * H + L;  // the padded samples some frame covers: [0, cover)
    std::atomic<bool> bad{false};
    const std::vector<int> es = signal_exponents(Z, batch, bins * M, exec.threads);
    detail::Progress progress(exec.progress, batch * M);
    for_blocks(batch, ib, [&](std::size_t s, std::size_t b0, std::size_t b1) {
      const int e = es[s];  // Z computed as 2^-e·Z (docs/architecture.md, "Range")
      auto lease = pool.lease([&] { return make_workspace(); });
      Workspace& w = *lease;
      Out* frame = reinterpret_cast<Out*>(w.b.data());
      Out* sum = reinterpret_cast<Out*>(w.sum.data());
      const C* zs = Z + s * bins * M;
      Out* xs = out + s * N;
      // This part owns the padded samples [lo, hi) ∩ x's support, and sums into each of them every
      // frame that covers it, in ascending order from 0 (the frames before b0·K come from whole
      // blocks, so each is computed with the plan it has in any other partition).
      const std::size_t lo = std::max(b0 == 0 ? 0 : b0 * K * H, offset);
      const std::size_t hi = std::min(b1 == ib.n ? cover : b1 * K * H, offset + N);
      bool part_bad = false;
      if (lo >= hi)  // no sample of x: only check the part's frames
        for (std::size_t k = 0; k < bins; ++k)
          part_bad |= any_non_finite(zs + k * M + b0 * K, std::min(M, b1 * K) - b0 * K);
      const std::size_t b_first = lo < hi ? (lo + 1 > L ? (lo + 1 - L + H - 1) / H : 0) / K : b1;
      for (std::size_t b = b_first; b < b1; ++b) {
        const std::size_t m0 = b * K, count = ib.frames(b), base = m0 * H;
        from_rows(zs + m0, M, count, b + 1 < b1 ? ib.frames(b + 1) : 0, bins, w.a.data());
        if (b >= b0) part_bad |= any_non_finite(w.a.data(), count * bins);
        detail::scale_pow2(w.a.data(), count * bins, -e);
        std::fill(w.a.begin() + count * bins, w.a.begin() + K * bins, C(0));  // the last block's padding
        plan(w.a.data(), frame);  // c2r overwrites w.a: a scratch copy
        // sum[p − base] for the padded samples the block's frames cover, [base, base + (count − 1)H
        // + L); its first L − H hold the earlier frames' terms (in the part's first block those
        // frames end before lo).
        std::fill(sum + (b == b_first ? 0 : L - H), sum + (count - 1) * H + L, Out(0));
        for (std::size_t j = 0; j < count; ++j) {
          const Out* f = frame + j * F;
          Out* y = sum + j * H;
          for (std::size_t i = 0; i < L; ++i) y[i] += synthesis[i] * f[i];
        }
        // No later frame reaches below the next one's start: those samples are complete.
        const std::size_t done = b + 1 == ib.n ? cover : base + count * H;
        const std::size_t p0 = std::max(base, lo), p1 = std::min(done, hi);
        if (p0 < p1) {
          normalise(sum, base, p0, p1);
          if (e != 0) {
            detail::scale_pow2(sum + (p0 - base), p1 - p0, e);
            detail::check_in_range(sum + (p0 - base), p1 - p0,
                                   "the inverse STFT of signal " + std::to_string(s));
          }
          store(xs + (p0 - offset), sum + (p0 - base), p1 - p0, stream);
        }
        std::copy(sum + count * H, sum + (count - 1) * H + L, sum);
        if (b >= b0) progress.add(count);
      }
      if (stream) fence_stores();
      if (part_bad) bad = true;
    });
    if (bad) detail::check_finite(Z, batch * bins * M, "inverse STFT input", "the STFT");
    // Samples after the last frame (boundary none) are covered by none: 0.
    if (cover < offset + N)
      for (std::size_t s = 0; s < batch; ++s)
        std::fill(out + s * N + (cover - offset), out + (s + 1) * N, Out(0));
    progress.finish();
  }

  // The Array forms: check the shape, allocate the output once.
  template <class In>
  Array<C> forward(const Array<In>& x, const FftPlan<T>& plan, std::size_t bins) const {
    if (x.shape.empty() || x.shape.back() != N)
      throw InputError("STFT input must have a last axis of " + std::to_string(N) +
                       " samples, the signal length it was made for (got shape " +
                       shape_string(x.shape) + ")");
    Shape shape(x.shape.begin(), x.shape.end() - 1);
    shape.push_back(bins);
    shape.push_back(M);
    check_memory(checked_bytes({x.size() / N, bins, M}, sizeof(C)),
                 "STFT of " + std::to_string(x.size() / N) + " signals of length " +
                     std::to_string(N));
    Array<C> out(shape);
    forward(x.data.data(), x.size() / N, out.data.data(), plan, bins);
    return out;
  }
  template <class Out>
  Array<Out> inverse(const Array<C>& Z, const FftPlan<T>& plan, std::size_t bins) const {
    if (Z.ndim() < 2 || Z.shape[Z.ndim() - 2] != bins || Z.shape.back() != M)
      throw InputError("inverse STFT input must have shape (..., " + std::to_string(bins) + ", " +
                       std::to_string(M) + ") (bins, frames) (got shape " + shape_string(Z.shape) + ")");
    Shape shape(Z.shape.begin(), Z.shape.end() - 2);
    shape.push_back(N);
    Array<Out> out(shape);
    inverse(Z.data.data(), Z.size() / (bins * M), out.data.data(), plan, bins);
    return out;
  }
};

namespace {

// Checks the window, hop, nfft (0 → the window length) and signal length of an STFT.
void check_stft_params(StftParams& p, std::size_t signal_length) {
  const std::vector<double>& w = p.window;
  const std::size_t L = w.size();
  if (L == 0) throw UsageError("STFT window is empty: it needs at least 1 sample");
  for (std::size_t i = 0; i < L; ++i)
    if (!std::isfinite(w[i]))
      throw UsageError("STFT window holds a non-finite value at index " + std::to_string(i));
  if (p.hop < 1 || p.hop > L)
    throw UsageError("STFT hop must be in [1, " + std::to_string(L) + "] (the window length) (got " +
                     std::to_string(p.hop) + ")");
  if (p.nfft == 0) p.nfft = L;
  if (p.nfft < L || p.nfft > std::size_t(INT_MAX) / 2)
    throw UsageError("STFT nfft must be at least the window length " + std::to_string(L) +
                     " (or 0 for the window length) (got " + std::to_string(p.nfft) + ")");
  check_size(signal_length, 1, kMaxLength, "STFT signal length");
  if (p.boundary == StftBoundary::none && signal_length < L)
    throw UsageError("STFT window of " + std::to_string(L) + " samples is longer than the signal (" +
                     std::to_string(signal_length) +
                     " samples) with boundary none: use a shorter window or boundary zeros");
}

}  // namespace

template <class T>
BasicStft<T>::BasicStft(std::size_t signal_length, StftParams params, ExecOptions exec)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.p = std::move(params);
  m.exec = std::move(exec);
  StftParams& p = m.p;
  check_stft_params(p, signal_length);
  const std::vector<double>& w = p.window;
  const std::size_t L = w.size();
  const std::size_t H = p.hop;
  double wsum = 0, w2max = 0;
  m.w2.resize(L);
  for (std::size_t i = 0; i < L; ++i) {
    wsum += w[i];
    m.w2[i] = w[i] * w[i];
    w2max = std::max(w2max, m.w2[i]);
  }
  if (p.scaling == StftScaling::spectrum && wsum == 0)
    throw UsageError("STFT scaling 'spectrum' divides by the window's sum, which is 0: use scaling none");
  // NOLA (scipy.signal.check_NOLA): the overlap-added squared windows never vanish.
  m.e_full.assign(H, 0.0);
  for (std::size_t r = 0; r < H; ++r) {
    for (std::size_t k = (L - 1 - r) / H + 1; k-- > 0;) m.e_full[r] += m.w2[r + k * H];
    if (m.e_full[r] <= 1e-10 * w2max)
      throw UsageError("STFT window/hop pair violates NOLA: the squared " + std::to_string(L) +
                       "-sample window overlap-added at hop " + std::to_string(H) +
                       " vanishes at offset " + std::to_string(r) +
                       ", so no inverse exists: use a smaller hop");
  }
  m.e_div.resize(H);
  for (std::size_t r = 0; r < H; ++r) m.e_div[r] = m.e_full[r] > kEnergyFloor ? T(m.e_full[r]) : T(1);
  m.N = signal_length;
  m.L = L;
  m.H = H;
  m.F = m.p.nfft;
  // scipy: boundary 'zeros' pads L/2 zeros on both sides, then padded=True appends zeros up to a
  // whole number of hops; frames = (padded length − L)/H + 1.
  std::size_t padded = m.N;
  if (m.p.boundary == StftBoundary::zeros) {
    m.offset = L / 2;
    padded += 2 * m.offset;
    padded += (H - (padded - L) % H) % H;
  }
  m.M = (padded - L) / H + 1;
  // Blocks. The forward writes each block's spectra into its columns of the (bins, frames) output
  // row by row, so long blocks write long runs of each row (whole cache lines, few DRAM pages):
  // about 256 KiB of frames a block, whose spectra stay in L2 while they are transposed. The
  // inverse prefetches the next block's columns while it transforms one: about 64 KiB a block.
  // nfft > 2^13 keeps one frame a block, as this code always has: FFTW rounds a batch of one
  // transform differently from a batch of several, and results should not change.
  auto cap = [&](std::size_t bytes) {
    return m.F > (std::size_t{1} << 13) ? 1 : std::max<std::size_t>(2, bytes / (m.F * sizeof(T)));
  };
  m.fb = {m.M, cap(std::size_t{1} << 18)};
  m.ib = {m.M, cap(std::size_t{1} << 16)};
  const bool spectrum = m.p.scaling == StftScaling::spectrum;
  m.analysis.resize(L);
  m.synthesis.resize(L);
  for (std::size_t i = 0; i < L; ++i) {
    m.analysis[i] = T(spectrum ? w[i] / wsum : w[i]);
    m.synthesis[i] = T((spectrum ? w[i] * wsum : w[i]) / double(m.F));
  }
  // |Z| ≤ Σ|analysis|·max|x|, and max|x| ≤ 2^B unless x is rescaled (docs/architecture.md, "Range").
  double asum = 0;
  for (T a : m.analysis) asum += std::abs(double(a));
  m.guard = !(std::ldexp(asum, std::numeric_limits<T>::max_exponent / 4) <
              0.5 * double(std::numeric_limits<T>::max()));
  const std::vector<int> dims{int(m.F)};
  using Kind = typename FftPlan<T>::Kind;
  m.r2c = FftPlan<T>(Kind::r2c, dims, int(m.fb.K), m.exec.planning);
  m.fwd = FftPlan<T>(Kind::forward, dims, int(m.fb.K), m.exec.planning);
  m.c2r = FftPlan<T>(Kind::c2r, dims, int(m.ib.K), m.exec.planning);
  m.bwd = FftPlan<T>(Kind::backward, dims, int(m.ib.K), m.exec.planning);
}

template <class T>
BasicStft<T>::~BasicStft() = default;
template <class T>
BasicStft<T>::BasicStft(BasicStft&&) noexcept = default;
template <class T>
BasicStft<T>& BasicStft<T>::operator=(BasicStft&&) noexcept = default;

template <class T>
std::size_t BasicStft<T>::signal_length() const {
  return impl_->N;
}
template <class T>
std::size_t BasicStft<T>::frames() const {
  return impl_->M;
}
template <class T>
std::size_t BasicStft<T>::bins(bool onesided) const {
  return onesided ? impl_->F / 2 + 1 : impl_->F;
}
template <class T>
const StftParams& BasicStft<T>::params() const {
  return impl_->p;
}
template <class T>
std::vector<double> BasicStft<T>::frequencies(bool onesided) const {
  return onesided ? rfft_frequencies(impl_->F) : fft_frequencies(impl_->F);
}

// scipy: t = arange(L/2, padded − L/2 + 1, H), minus L/2 with a boundary: frame centres (none)
// or frame starts in the padded signal, i.e. centres in the input (zeros).
template <class T>
std::vector<double> BasicStft<T>::times() const {
  const Impl& m = *impl_;
  std::vector<double> t(m.M);
  const double first = m.p.boundary == StftBoundary::zeros ? 0.0 : double(m.L) / 2;
  for (std::size_t i = 0; i < m.M; ++i) t[i] = first + double(i * m.H);
  return t;
}

template <class T>
std::vector<double> BasicStft<T>::window_energy() const {
  const Impl& m = *impl_;
  std::vector<double> e(m.N);
  const auto [a, b] = m.periodic(m.offset, m.offset + m.N);
  for (std::size_t p = m.offset; p < a; ++p) e[p - m.offset] = m.energy(p);
  for (std::size_t p = a; p < b; ++p) e[p - m.offset] = m.e_full[p % m.H];
  for (std::size_t p = b; p < m.offset + m.N; ++p) e[p - m.offset] = m.energy(p);
  return e;
}

template <class T>
Array<std::complex<T>> BasicStft<T>::operator()(const Array<T>& x) const {
  return impl_->forward(x, impl_->r2c, bins(true));
}
template <class T>
void BasicStft<T>::operator()(const T* x, std::size_t batch, std::complex<T>* out) const {
  impl_->forward(x, batch, out, impl_->r2c, bins(true));
}
template <class T>
Array<std::complex<T>> BasicStft<T>::operator()(const Array<std::complex<T>>& x) const {
  return impl_->forward(x, impl_->fwd, bins(false));
}
template <class T>
Array<T> BasicStft<T>::inverse(const Array<std::complex<T>>& Z) const {
  return impl_->template inverse<T>(Z, impl_->c2r, bins(true));
}
template <class T>
void BasicStft<T>::inverse(const std::complex<T>* Z, std::size_t batch, T* out) const {
  impl_->inverse(Z, batch, out, impl_->c2r, bins(true));
}
template <class T>
Array<std::complex<T>> BasicStft<T>::inverse_complex(const Array<std::complex<T>>& Z) const {
  return impl_->template inverse<std::complex<T>>(Z, impl_->bwd, bins(false));
}

template class BasicStft<float>;
template class BasicStft<double>;

}  // namespace wst
