#include "wst/stft.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <string>

#include "spectral.hpp"
#include "wst/error.hpp"
#include "wst/fft.hpp"
#include "wst/fourier.hpp"

namespace wst {
namespace {

template <class V>
void check_finite_values(const char* what, const std::vector<V>& x) {
  detail::check_finite(x.data(), x.size(), what, "the STFT");
}

// scipy.signal.istft divides by Σ_m w²[n − mH] only where it exceeds this (absolute) threshold.
constexpr double kEnergyFloor = 1e-10;

}  // namespace

template <class T>
struct BasicStft<T>::Impl {
  using C = std::complex<T>;

  StftParams p;  // nfft resolved to F
  ExecOptions exec;
  std::size_t N = 0, L = 0, H = 0, F = 0;
  std::size_t M = 0;       // frames
  std::size_t offset = 0;  // padded index of x[0]: L/2 (boundary zeros) or 0
  // Frames are transformed in blocks of K (FFTW's howmany), the last one padded with zero frames:
  // every frame sees the same plan whatever the partition, so no bit depends on the threads.
  std::size_t K = 0;
  std::size_t blocks = 0;  // ⌈M/K⌉
  std::vector<double> w2;       // w²
  std::vector<double> e_full;   // Σ_k w²[r + kH], r < H: Σ_m w²[p − mH] wherever every frame exists
  std::vector<T> analysis;      // w / Σw (spectrum) or w
  std::vector<T> synthesis;     // w·Σw / F (spectrum) or w / F: the window times the IDFT's scale
  FftPlan<T> r2c, c2r, fwd, bwd;  // K transforms of length F

  struct Workspace {  // one block of frames (K·F values) and of spectra
    AlignedVector<C> a, b;
  };
  mutable detail::WorkspacePool<Workspace> pool;

  std::size_t frames_in(std::size_t b) const { return std::min(K, M - b * K); }
  std::unique_ptr<Workspace> make_workspace() const {
    auto w = std::make_unique<Workspace>();
    w->a.resize(K * F);
    w->b.resize(K * F);
    return w;
  }

  // Calls f(p, Σ_m w²[p − mH]) for the padded samples p in [lo, hi), the sum running over the
  // frames that cover p in ascending m, as scipy accumulates it. Where every frame exists
  // (L − H ≤ p < M·H) the sum is periodic in p, e_full[p mod H].
  template <class Fn>
  void for_each_energy(std::size_t lo, std::size_t hi, Fn f) const {
    const std::size_t a = std::clamp(L - H, lo, hi), b = std::clamp(M * H, a, hi);
    auto direct = [&](std::size_t p) {
      const std::size_t m_lo = p + 1 > L ? (p + 1 - L + H - 1) / H : 0, m_hi = std::min(M, p / H + 1);
      double e = 0;
      for (std::size_t m = m_lo; m < m_hi; ++m) e += w2[p - m * H];
      return e;
    };
    for (std::size_t p = lo; p < a; ++p) f(p, direct(p));
    for (std::size_t p = a, r = a % H; p < b; ++p, r = r + 1 == H ? 0 : r + 1) f(p, e_full[r]);
    for (std::size_t p = b; p < hi; ++p) f(p, direct(p));
  }

  // Runs body(signal, first block, end block) over a fixed partition of (signal, block) pairs.
  template <class Body>
  void for_blocks(std::size_t batch, Body body) const {
    detail::parallel_ranges(batch * blocks, exec.threads, [&](std::size_t i0, std::size_t i1) {
      for (std::size_t s = i0 / blocks; s * blocks < i1; ++s)
        body(s, std::max(i0, s * blocks) - s * blocks, std::min(i1, (s + 1) * blocks) - s * blocks);
    });
  }

  // Forward: frames of x (batch × N, real or complex) → (batch, bins, M).
  template <class In>
  Array<C> forward(const Array<In>& x, const FftPlan<T>& plan, std::size_t bins) const {
    if (x.shape.empty() || x.shape.back() != N)
      throw InputError("STFT input must have a last axis of " + std::to_string(N) +
                       " samples, the signal length it was made for (got shape " +
                       shape_string(x.shape) + ")");
    check_finite_values("STFT input", x.data);
    const std::size_t batch = x.size() / N;
    Shape shape(x.shape.begin(), x.shape.end() - 1);
    shape.push_back(bins);
    shape.push_back(M);
    Array<C> out(shape);
    detail::Progress progress(exec.progress, batch * M);
    for_blocks(batch, [&](std::size_t s, std::size_t b0, std::size_t b1) {
      auto lease = pool.lease([&] { return make_workspace(); });
      Workspace& w = *lease;
      In* frame = reinterpret_cast<In*>(w.a.data());
      const In* xs = x.data.data() + s * N;
      C* zs = out.data.data() + s * bins * M;
      for (std::size_t b = b0; b < b1; ++b) {
        const std::size_t m0 = b * K, count = frames_in(b);
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
            for (std::size_t i = 0; i < hi - lo; ++i) f[lo + i] = a[i] * src[i];
          }
          std::fill(f + std::max(lo, hi), f + F, In(0));
        }
        std::fill(frame + count * F, frame + K * F, In(0));  // the last block's padding
        plan(frame, w.b.data());
        // Transpose into scipy's layout: rows are frequency, columns frames.
        for (std::size_t k = 0; k < bins; ++k) {
          C* row = zs + k * M + m0;
          for (std::size_t j = 0; j < count; ++j) row[j] = w.b[j * bins + k];
        }
        progress.add(count);
      }
    });
    progress.finish();
    return out;
  }

  // Inverse: (batch, bins, M) → least-squares overlap-add (batch × N, real or complex).
  template <class Out>
  Array<Out> inverse(const Array<C>& Z, const FftPlan<T>& plan, std::size_t bins) const {
    if (Z.ndim() < 2 || Z.shape[Z.ndim() - 2] != bins || Z.shape.back() != M)
      throw InputError("inverse STFT input must have shape (..., " + std::to_string(bins) + ", " +
                       std::to_string(M) + ") (bins, frames) (got shape " + shape_string(Z.shape) + ")");
    check_finite_values("inverse STFT input", Z.data);
    const std::size_t batch = Z.size() / (bins * M);
    Shape shape(Z.shape.begin(), Z.shape.end() - 2);
    shape.push_back(N);
    Array<Out> out(shape);
    detail::Progress progress(exec.progress, batch * M);
    for_blocks(batch, [&](std::size_t s, std::size_t b0, std::size_t b1) {
      auto lease = pool.lease([&] { return make_workspace(); });
      Workspace& w = *lease;
      Out* frame = reinterpret_cast<Out*>(w.b.data());
      const C* zs = Z.data.data() + s * bins * M;
      Out* xs = out.data.data() + s * N;
      // This part owns the padded samples [lo, hi) ∩ x's support, and sums into each of them every
      // frame that covers it, in ascending order (the frames before b0·K come from whole blocks,
      // so each is computed with the plan it has in any other partition).
      const std::size_t lo = std::max(b0 == 0 ? 0 : b0 * K * H, offset);
      const std::size_t hi = std::min(b1 == blocks ? (M - 1) * H + L : b1 * K * H, offset + N);
      if (lo >= hi) return;
      const std::size_t m_first = lo + 1 > L ? (lo + 1 - L + H - 1) / H : 0;
      for (std::size_t b = m_first / K; b < b1; ++b) {
        const std::size_t m0 = b * K, count = frames_in(b);
        for (std::size_t k = 0; k < bins; ++k) {
          const C* row = zs + k * M + m0;
          for (std::size_t j = 0; j < count; ++j) w.a[j * bins + k] = row[j];
        }
        std::fill(w.a.begin() + count * bins, w.a.begin() + K * bins, C(0));  // the last block's padding
        plan(w.a.data(), frame);  // c2r overwrites w.a: a scratch copy
        for (std::size_t j = 0; j < count; ++j) {
          const std::size_t start = (m0 + j) * H;  // padded index of the frame's first sample
          const std::size_t p0 = std::max(start, lo), p1 = std::min(start + L, hi);
          if (p0 >= p1) continue;
          const Out* f = frame + j * F + (p0 - start);
          const T* sw = synthesis.data() + (p0 - start);
          Out* dst = xs + (p0 - offset);
          for (std::size_t i = 0; i < p1 - p0; ++i) dst[i] += sw[i] * f[i];
        }
        if (b >= b0) progress.add(count);
      }
      // Divide by Σ w² where it exceeds scipy's floor; leave the rest as summed (0 if uncovered).
      for_each_energy(lo, hi, [&](std::size_t p, double e) {
        if (e > kEnergyFloor) xs[p - offset] /= T(e);
      });
    });
    progress.finish();
    return out;
  }
};

template <class T>
BasicStft<T>::BasicStft(std::size_t signal_length, StftParams params, ExecOptions exec)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.p = std::move(params);
  m.exec = std::move(exec);
  StftParams& p = m.p;
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
  if (signal_length == 0) throw UsageError("STFT signal length must be at least 1 sample (got 0)");
  if (p.boundary == StftBoundary::none && signal_length < L)
    throw UsageError("STFT window of " + std::to_string(L) + " samples is longer than the signal (" +
                     std::to_string(signal_length) +
                     " samples) with boundary none: use a shorter window or boundary zeros");
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
  // About 2^14 samples a block (64 frames at most), balanced so that padding wastes < 1 frame a block.
  const std::size_t cap = std::clamp<std::size_t>((std::size_t{1} << 14) / m.F, 1, 64);
  m.blocks = (m.M + cap - 1) / cap;
  m.K = (m.M + m.blocks - 1) / m.blocks;
  const bool spectrum = m.p.scaling == StftScaling::spectrum;
  m.analysis.resize(L);
  m.synthesis.resize(L);
  for (std::size_t i = 0; i < L; ++i) {
    m.analysis[i] = T(spectrum ? w[i] / wsum : w[i]);
    m.synthesis[i] = T((spectrum ? w[i] * wsum : w[i]) / double(m.F));
  }
  const std::vector<int> dims{int(m.F)};
  using Kind = typename FftPlan<T>::Kind;
  m.r2c = FftPlan<T>(Kind::r2c, dims, int(m.K), m.exec.planning);
  m.c2r = FftPlan<T>(Kind::c2r, dims, int(m.K), m.exec.planning);
  m.fwd = FftPlan<T>(Kind::forward, dims, int(m.K), m.exec.planning);
  m.bwd = FftPlan<T>(Kind::backward, dims, int(m.K), m.exec.planning);
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
  m.for_each_energy(m.offset, m.offset + m.N, [&](std::size_t p, double v) { e[p - m.offset] = v; });
  return e;
}

template <class T>
Array<std::complex<T>> BasicStft<T>::operator()(const Array<T>& x) const {
  return impl_->forward(x, impl_->r2c, bins(true));
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
Array<std::complex<T>> BasicStft<T>::inverse_complex(const Array<std::complex<T>>& Z) const {
  return impl_->template inverse<std::complex<T>>(Z, impl_->bwd, bins(false));
}

template class BasicStft<float>;
template class BasicStft<double>;

}  // namespace wst
