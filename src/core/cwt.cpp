// Continuous wavelet transform in Fourier (include/wst/core/cwt.hpp; Mallat, A Wavelet Tour §4.3).
//
// Relation to PyWavelets (pywt.cwt, 1.x): pywt computes coef = −√s · d/dn (x ⋆ ∫ψ(·/s)), which is
// in effect a correlation with ψ(t/s)/√s, an L2-type normalisation whose gain at the centre
// frequency grows as √s. Its 'cmor B-C' is ψ(t) = (πB)^{−1/2}·exp(−t²/B)·exp(2πiCt), whose Fourier
// transform is exp(−π²B(f − C)²): at scale s, a Gabor wavelet of centre frequency ξ = C/s
// cycles/sample and σ = 1/(π·s·√(2B)), so ρ = σ/ξ = 1/(π·C·√(2B)) (0.1838 for cmor1.5-1.0), with
// peak gain √s. Hence for a real signal |W_pywt(s)| ≈ √s·|W(ξ = C/s)| of the Gabor bank with that
// ρ, whose gain at ξ is 1 here, up to pywt's tabulated-kernel error (large at large scales; see
// /work/shared/reference/tf/README.md §3). pywt's 'morl' is the real cos(5t)·exp(−t²/2): centre
// frequency 5/(2π) per unit scale and no zero-mean correction; its 'mexh' is the Ricker wavelet,
// whose peak frequency is √2/(2π)·(1/s), not the 0.25/s that pywt.central_frequency reports.
#include "wst/core/cwt.hpp"
#include "wst/support/memory_budget.hpp"  // memory limit

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <mutex>
#include <numbers>
#include <string>
#include <type_traits>

#include "spectral.hpp"
#include "wst/support/error.hpp"
#include "wst/core/fft.hpp"
#include "wst/support/format.hpp"

namespace wst {
namespace {

// A filter is stored where |ψ̂| ≥ this times its peak (1): below the rounding of T.
template <class T>
constexpr double kStoreEps = std::is_same_v<T, float> ? 1e-8 : 1e-17;
constexpr double kBandEps = 1e-7;    // the band that sets a scale's decimation stride…
constexpr double kBandSigmas = 6;    // …at least [ξ − 6σ, ξ + 6σ]
constexpr double kTimeEps = 1e-7;    // |ψ(t)| below this times its peak: outside the support
constexpr double kDualFloor = 1e-3;  // inverse: frequencies with Σ|ψ̂|² below this times its max
constexpr int kInverseBlocks = 16;   // inverse: scales summed in this many fixed blocks
// Outputs at least this large are written with non-temporal stores: they would leave the cache
// anyway, and streaming them skips reading each line before it is overwritten.
constexpr std::size_t kStreamBytes = std::size_t{8} << 20;

// One wavelet in Fourier: ψ̂(ω), ω in cycles/sample, gain 1 at ξ (1 − κ² for the Morlet).
struct Wavelet {
  WaveletKind kind;
  double xi, sigma;
  double kappa;  // Morlet: g(ξ), so that ψ̂(0) = 0

  Wavelet(WaveletKind k, double xi_, double sigma_) : kind(k), xi(xi_), sigma(sigma_), kappa(gauss(xi_)) {}

  double gauss(double w) const { return std::exp(-w * w / (2 * sigma * sigma)); }

  double operator()(double w) const {
    switch (kind) {
      case WaveletKind::morlet: return kappa > 0 ? gauss(w - xi) - kappa * gauss(w) : gauss(w - xi);
      case WaveletKind::gabor: return gauss(w - xi);
      case WaveletKind::mexican_hat: {
        const double u = (w / xi) * (w / xi);
        return u * std::exp(1 - u);
      }
    }
    return 0;
  }

  // [lo, hi] (cycles/sample, not reduced modulo 1) outside which |ψ̂| < eps.
  std::pair<double, double> band(double eps) const {
    if (kind == WaveletKind::mexican_hat) {
      // u·e^{1−u} = eps for u = (ω/ξ)² > 1: the fixed point of u = 1 + ln(1/eps) + ln u.
      double u = 1 - std::log(eps);
      for (int i = 0; i < 50; ++i) u = 1 - std::log(eps) + std::log(u);
      const double r = xi * std::sqrt(u);
      return {-r, r};
    }
    const double h = sigma * std::sqrt(-2 * std::log(eps));
    double lo = xi - h, hi = xi + h;
    if (kind == WaveletKind::morlet && kappa > eps) {  // κ·g(ω) ≥ eps for |ω| ≤ h0
      const double h0 = sigma * std::sqrt(2 * std::log(kappa / eps));
      lo = std::min(lo, -h0);
      hi = std::max(hi, h0);
    }
    return {lo, hi};
  }

  // Half-length (samples) of ψ(t) where |ψ(t)| ≥ eps·max |ψ|. Gabor and Morlet have the envelope
  // exp(−2π²σ²t²); the Ricker wavelet is (1 − t²/a²)·exp(−t²/(2a²)) with a = 1/(√2·π·ξ). Infinite
  // when ψ̂ is cut at the edge of its period (sample_wavelet) while still ≥ eps there: ψ then
  // decays only as 1/t (a Mexican hat with ξ above about 0.11).
  double time_support(double eps) const {
    const auto [lo, hi] = band(eps);
    const double c = kind == WaveletKind::mexican_hat ? 0.0 : xi;
    if (lo < c - 0.5 || hi > c + 0.5) return std::numeric_limits<double>::infinity();
    if (kind == WaveletKind::mexican_hat) {
      double u = 2 - 2 * std::log(eps);  // (u − 1)·e^{−u/2} = eps, u = (t/a)² > 1
      for (int i = 0; i < 50; ++i) u = -2 * std::log(eps) + 2 * std::log(u - 1);
      return std::sqrt(u) / (std::sqrt(2.0) * std::numbers::pi * xi);
    }
    return std::sqrt(-2 * std::log(eps)) / (2 * std::numbers::pi * sigma);
  }
};

// ψ̂ on the DFT grid of length L where it is ≥ eps: bin k holds ψ̂(ω) at the one ω ≡ k/L (mod 1)
// in the period [c − ½, c + ½) around the wavelet's centre c (ξ, or 0 for the real Mexican hat).
// So ψ̂ is the continuous wavelet's transform, not a periodisation: W is exactly the CWT of the
// band-limited interpolant of x, with unit gain at ξ. Calls emit(k_begin, k_end, values) per run of
// consecutive bins (at most two).
template <class Emit>
void sample_wavelet(Wavelet w, std::size_t L, double eps, Emit emit) {
  if (w.kappa < eps) w.kappa = 0;  // κ·g(ω) < eps everywhere: below the threshold, left out
  const auto [lo, hi] = w.band(eps);
  const double n = static_cast<double>(L), c = w.kind == WaveletKind::mexican_hat ? 0.0 : w.xi;
  const auto Ls = static_cast<std::int64_t>(L);
  const auto p0 = static_cast<std::int64_t>(std::ceil((c - 0.5) * n));  // grid points j/L, j ∈ [p0, p0 + L)
  // The band clipped to the period before the casts (a huge σ gives a band far wider than it).
  const double lo_p = std::max(lo, c - 0.5), hi_p = std::min(hi, c + 0.5);
  const std::int64_t j0 = std::max(p0, static_cast<std::int64_t>(std::ceil(lo_p * n)));
  const std::int64_t j1 = std::min(p0 + Ls - 1, static_cast<std::int64_t>(std::floor(hi_p * n)));
  auto bin = [&](std::int64_t j) { return static_cast<std::size_t>(((j % Ls) + Ls) % Ls); };
  // Split at the multiple of L in (j0, j1], if any.
  const std::int64_t cut = j0 + (Ls - static_cast<std::int64_t>(bin(j0)));
  for (auto [a, b] : {std::pair{j0, std::min(j1 + 1, cut)}, std::pair{cut, j1 + 1}}) {
    if (a >= b) continue;
    std::vector<double> v(static_cast<std::size_t>(b - a));
    for (std::int64_t j = a; j < b; ++j) v[static_cast<std::size_t>(j - a)] = w(static_cast<double>(j) / n);
    emit(bin(a), bin(a) + v.size(), v);
  }
}

bool is_7_smooth(std::size_t n) {
  for (std::size_t p : {2, 3, 5, 7})
    while (n % p == 0) n /= p;
  return n == 1;
}

// The smallest multiple of `unit` (a power of two) ≥ target of the form 2^a·3^b·5^c·7^d.
std::size_t fast_length(std::size_t target, std::size_t unit) {
  std::size_t m = (target + unit - 1) / unit;
  while (!is_7_smooth(m)) ++m;
  return m * unit;
}

// The largest power of two s with s·width ≤ 1 (the band fits in 1/s cycles) that divides L.
std::size_t band_stride(double width, std::size_t L) {
  std::size_t s = 1;
  while (L % (2 * s) == 0 && 2 * s * width <= 1) s *= 2;
  return s;
}



}  // namespace

WaveletKind parse_wavelet_kind(const std::string& name) {
  if (name == "morlet") return WaveletKind::morlet;
  if (name == "gabor") return WaveletKind::gabor;
  if (name == "mexican_hat" || name == "mexh" || name == "ricker") return WaveletKind::mexican_hat;
  throw UsageError("wavelet \"" + name +
                   "\" is not known: choose morlet, gabor or mexican_hat (also mexh, ricker)");
}

const char* wavelet_kind_name(WaveletKind kind) {
  switch (kind) {
    case WaveletKind::morlet: return "morlet";
    case WaveletKind::gabor: return "gabor";
    case WaveletKind::mexican_hat: return "mexican_hat";
  }
  return "?";
}

double constant_q_sigma_ratio(double Q) {
  if (!(Q >= 1) || !std::isfinite(Q)) throw UsageError("Q=" + num(Q) + " is out of range: must be ≥ 1");
  const double f = std::pow(2.0, -1.0 / Q);
  return (1 - f) / (1 + f) / std::sqrt(std::log(2.0));
}

std::vector<double> wavelet_fourier(WaveletKind kind, std::size_t N, double xi, double sigma) {
  if (N == 0) throw UsageError("N=0 is out of range: the DFT length must be ≥ 1");
  check_size(N, 1, kMaxLength, "N");
  check_memory(checked_bytes({N}, sizeof(double)), "a wavelet of " + std::to_string(N) + " samples");
  if (!(xi > 0 && xi <= 0.5)) throw UsageError("xi=" + num(xi) + " is out of range: must be in (0, 0.5]");
  if (kind != WaveletKind::mexican_hat && !(sigma > 0 && std::isfinite(sigma)))
    throw UsageError("sigma=" + num(sigma) + " is out of range: must be finite and > 0");
  std::vector<double> f(N, 0.0);
  sample_wavelet(Wavelet(kind, xi, sigma), N, kStoreEps<double>,
                 [&](std::size_t b, std::size_t, const std::vector<double>& v) {
                   std::copy(v.begin(), v.end(), f.begin() + static_cast<std::ptrdiff_t>(b));
                 });
  return f;
}

std::vector<double> octave_frequencies(double xi_max, int octaves, int Q, std::size_t N_max) {
  if (Q < 1) throw UsageError("Q=" + std::to_string(Q) + " is out of range: must be ≥ 1");
  if (octaves < 1) throw UsageError("octaves=" + std::to_string(octaves) + " is out of range: must be ≥ 1");
  if (!(xi_max > 0 && xi_max <= 0.5))
    throw UsageError("xi_max=" + num(xi_max) + " is out of range: must be in (0, 0.5] cycles/sample");
  std::vector<double> xi(static_cast<std::size_t>(octaves) * static_cast<std::size_t>(Q));
  for (std::size_t k = 0; k < xi.size(); ++k) xi[k] = xi_max * std::pow(2.0, -double(k) / Q);
  if (N_max > 0 && xi.back() < 1.0 / double(N_max))  // ξ_max·2^{1/Q − octaves} < 1/N
    throw UsageError("octaves=" + std::to_string(octaves) + " reaches " + num(xi.back()) +
                     " cycles/sample, below 1/N = " + num(1.0 / double(N_max)) +
                     ": use at most " + std::to_string(int(std::floor(std::log2(xi_max * double(N_max)) + 1.0 / Q))) +
                     " octaves");
  return xi;
}

std::vector<double> log_frequencies(double f_lo, double f_hi, std::size_t count) {
  if (count == 0) throw UsageError("count=0 is out of range: must be ≥ 1");
  if (!(f_hi > 0 && f_hi <= 0.5))
    throw UsageError("f_hi=" + num(f_hi) + " is out of range: must be in (0, 0.5] cycles/sample");
  if (!(f_lo > 0 && f_lo <= f_hi))
    throw UsageError("f_lo=" + num(f_lo) + " is out of range: must be in (0, f_hi = " + num(f_hi) + "]");
  // numpy.geomspace(f_hi, f_lo, count): exact end points, log-uniform between.
  std::vector<double> f(count, f_hi);
  const double step = count > 1 ? std::log(f_lo / f_hi) / double(count - 1) : 0.0;
  for (std::size_t k = 1; k < count; ++k) f[k] = f_hi * std::exp(step * double(k));
  if (count > 1) f.back() = f_lo;
  return f;
}

template <class T>
struct BasicCwt<T>::Impl {
  using C = std::complex<T>;
  using Plan = FftPlan<T>;

  // One scale: ψ̂/L on runs of bins (values of run r at values[offset_r …]), its stride.
  struct Run {
    std::size_t begin, end, offset;
  };
  struct Filter {
    std::vector<Run> runs;
    AlignedVector<T> values;
    std::size_t stride = 1;
  };

  std::size_t N, L;
  CwtParams params;
  ExecOptions exec;
  std::vector<double> sigmas;
  std::vector<Filter> filters;
  Plan r2c, backward;  // length L

  // Planned on first use: the decimated transform's inverse FFTs [log2 stride]; the inverse's.
  mutable std::once_flag decimated_plans, inverse_plans;
  mutable std::vector<Plan> short_backward;
  mutable Plan forward, c2r;
  mutable AlignedVector<T> dual;  // inverse: 1/(L²·Σ_k (v_k(m)² + v_k(−m)²)), m ≤ L/2, or 0

  struct Workspace {
    AlignedVector<T> x;         // the signal, zero-padded to L
    AlignedVector<C> X, a, b;   // its full spectrum; scratch: filter product, inverse FFT
    explicit Workspace(std::size_t L) : x(L, T(0)), X(L), a(L, C(0)), b(L) {}
  };
  mutable detail::WorkspacePool<Workspace> pool;

  Impl(std::size_t N_, CwtParams p, ExecOptions e) : N(N_), params(std::move(p)), exec(std::move(e)) {
    if (N == 0) throw UsageError("N=0 is out of range: the signal length must be ≥ 1");
    if (N > (std::size_t{1} << 30))  // the padded FFT length (≤ 2N) must stay an FFTW int length
      throw UsageError("N=" + std::to_string(N) +
                       " is out of range: the signal length must be at most 2^30 = 1073741824");
    if (params.frequencies.empty())
      throw UsageError("frequencies is empty: give at least one centre frequency in (0, 0.5]");
    for (std::size_t k = 0; k < params.frequencies.size(); ++k) {
      const double f = params.frequencies[k];
      if (!(f > 0 && f <= 0.5))
        throw UsageError("frequencies[" + std::to_string(k) + "]=" + num(f) +
                         " is out of range: must be in (0, 0.5] cycles/sample");
    }
    if (!(params.Q >= 1) || !std::isfinite(params.Q))
      throw UsageError("Q=" + num(params.Q) + " is out of range: must be ≥ 1");
    if (!(params.sigma_ratio >= 0) || !std::isfinite(params.sigma_ratio))
      throw UsageError("sigma_ratio=" + num(params.sigma_ratio) +
                       " is out of range: must be finite and > 0 (or 0 for the constant-Q default)");
    if (exec.threads < 1)
      throw UsageError("threads=" + std::to_string(exec.threads) + " is out of range: must be at least 1");
    const double rho = params.sigma_ratio > 0 ? params.sigma_ratio : constant_q_sigma_ratio(params.Q);

    std::vector<Wavelet> wavelets;
    for (double xi : params.frequencies) {
      sigmas.push_back(rho * xi);
      wavelets.emplace_back(params.wavelet, xi, rho * xi);
    }
    // Band widths for the strides; the FFT length (zeros: target N + the longest support, at most
    // 2N, rounded up to 2^a·3^b·5^c·7^d and to a multiple of the largest stride that any scale's band
    // allows, up to target/64 so that the rounding adds under 10 %).
    std::vector<double> width;
    std::size_t support = 0, unit = 1;
    for (const Wavelet& w : wavelets) {
      auto [lo, hi] = w.band(kBandEps);
      if (w.kind != WaveletKind::mexican_hat) {
        lo = std::min(lo, w.xi - kBandSigmas * w.sigma);
        hi = std::max(hi, w.xi + kBandSigmas * w.sigma);
      }
      width.push_back(hi - lo);
      support = std::max(support, static_cast<std::size_t>(std::ceil(std::min(w.time_support(kTimeEps), double(N)))));
    }
    if (params.boundary == CwtBoundary::periodic) {
      L = N;
    } else {
      const std::size_t target = N + std::min(support, N);
      for (double wd : width)
        while (2 * unit * wd <= 1 && 128 * unit <= target) unit *= 2;
      L = fast_length(target, unit);
    }
    // The filters' stored bands (at most L values each) and one workspace.
    std::size_t values = 0;
    for (double wd : width) values += std::min<std::size_t>(L, std::size_t((wd < 1 ? wd : 1.0) * double(L)) + 2);
    check_memory(checked_bytes({values}, sizeof(T)) + checked_bytes({L}, 7 * sizeof(T)),
                 "a CWT of " + std::to_string(wavelets.size()) + " scales on " + std::to_string(N) +
                     " samples");

    for (std::size_t k = 0; k < wavelets.size(); ++k) {
      Filter f;
      const double scale = 1.0 / double(L);  // the inverse DFT's 1/L
      sample_wavelet(wavelets[k], L, kStoreEps<T>,
                     [&](std::size_t b, std::size_t e, const std::vector<double>& v) {
                       f.runs.push_back({b, e, f.values.size()});
                       f.values.resize(f.values.size() + v.size());
                       std::transform(v.begin(), v.end(), f.values.end() - std::ptrdiff_t(v.size()),
                                      [&](double x) { return static_cast<T>(x * scale); });
                     });
      f.stride = band_stride(width[k], L);
      filters.push_back(std::move(f));
    }

    const int n = static_cast<int>(L);
    r2c = Plan(Plan::Kind::r2c, {n}, 1, exec.planning);
    backward = Plan(Plan::Kind::backward, {n}, 1, exec.planning);
  }

  std::size_t scales() const { return filters.size(); }

  // Per-signal exponents (docs/architecture.md, "Range"): signal b (n values at x + b·n, finite)
  // is computed as 2^-e[b]·x and its rows scaled back by 2^e[b].
  template <class V>
  static std::vector<int> exponents(const V* x, std::size_t batch, std::size_t n) {
    return detail::signal_exponents(x, batch, n, 1);
  }
  // Row y (n values) of signal b scaled back by 2^e, checked to fit T.
  static void scale_back(C* y, std::size_t n, int e, const char* what, std::size_t b) {
    if (e == 0) return;
    detail::scale_pow2(y, n, e);
    detail::check_in_range(y, n, std::string(what) + " of signal " + std::to_string(b));
  }

  // The full spectrum of signal x (length N, zero-padded to L) computed as 2^-e·x: r2c, then
  // X[L−k] = X[k]*.
  void spectrum(const T* x, int e, Workspace& w) const {
    std::copy(x, x + N, w.x.begin());  // x[N, L) stays 0
    detail::scale_pow2(w.x.data(), N, -e);
    r2c(w.x.data(), w.X.data());
    for (std::size_t k = L / 2 + 1; k < L; ++k) w.X[k] = std::conj(w.X[L - k]);
  }

  // a[k] = X[k]·f[k] on the filter's runs (a is 0 elsewhere).
  static void multiply(const Filter& f, const C* X, C* a) {
    for (const Run& r : f.runs) {
      const T* x = reinterpret_cast<const T*>(X + r.begin);
      T* y = reinterpret_cast<T*>(a + r.begin);
      const T* v = f.values.data() + r.offset;
      for (std::size_t i = 0; i < r.end - r.begin; ++i) {
        y[2 * i] = x[2 * i] * v[i];
        y[2 * i + 1] = x[2 * i + 1] * v[i];
      }
    }
  }
  static void clear(const Filter& f, C* a) {
    for (const Run& r : f.runs) std::fill(a + r.begin, a + r.end, C(0));
  }

  // Runs body(task, workspace, last_input) for task = 0 … tasks − 1 on min(threads, tasks)
  // threads taking tasks in order from a shared counter. Every task's arithmetic is independent of
  // the thread that runs it, so results do not depend on the number of threads.
  template <class Body>
  void for_tasks(std::size_t tasks, Body body) const {
    std::atomic<std::size_t> next{0};
    const std::size_t nt = std::min<std::size_t>(std::size_t(exec.threads), tasks);
    detail::parallel_ranges(nt, int(nt), [&](std::size_t, std::size_t) {
      const auto lease = pool.lease([this] { return std::make_unique<Workspace>(L); });
      std::size_t have = SIZE_MAX;  // the input whose spectrum the workspace holds
      for (std::size_t t; (t = next.fetch_add(1)) < tasks;) body(t, *lease, have);
      detail::fence_stores();
    });
  }

  // Counts finished rows per input for ExecOptions::progress (inputs done, inputs in the call).
  struct InputProgress {
    detail::Progress progress;
    std::vector<std::atomic<std::size_t>> left;
    InputProgress(const ExecOptions& e, std::size_t batch, std::size_t rows)
        : progress(e.progress, batch), left(e.progress ? batch : 0) {
      for (auto& l : left) l = rows;
    }
    void row_done(std::size_t b) {
      if (!left.empty() && left[b].fetch_sub(1) == 1) progress.add(1);
    }
  };

  void full_rate(const T* x, std::size_t batch, C* out) const {
    detail::check_finite(x, batch * N, "input", "the CWT");
    const std::vector<int> e = exponents(x, batch, N);
    const std::size_t S = scales();
    const bool stream = batch * S * N * sizeof(C) >= kStreamBytes;
    InputProgress progress(exec, batch, S);
    for_tasks(batch * S, [&](std::size_t t, Workspace& w, std::size_t& have) {
      const std::size_t b = t / S;
      if (b != have) spectrum(x + b * N, e[b], w), have = b;
      const Filter& f = filters[t % S];
      multiply(f, w.X.data(), w.a.data());
      backward(w.a.data(), w.b.data());
      clear(f, w.a.data());
      scale_back(w.b.data(), N, e[b], "the CWT", b);
      detail::store(out + t * N, w.b.data(), N, stream);
      progress.row_done(b);
    });
    progress.progress.finish();
  }

  void plan_decimated() const {
    std::call_once(decimated_plans, [this] {
      for (std::size_t s = 1; L % s == 0; s *= 2) {
        const bool used = std::any_of(filters.begin(), filters.end(),
                                      [&](const Filter& f) { return f.stride == s; });
        short_backward.push_back(used ? Plan(Plan::Kind::backward, {int(L / s)}, 1, exec.planning) : Plan());
        if (s > L / 2) break;
      }
    });
  }

  // Z[m] = Σ_a X[m + a·M]·f[m + a·M] (Fourier subsampling, spec §0: exact, any support), then
  // an inverse FFT of length M = L/stride: W[n·stride] for n < M. Z is built in w.a (left 0).
  void decimated_row(const Filter& f, Workspace& w, C* out, std::size_t length) const {
    const std::size_t s = f.stride, M = L / s;
    C* z = w.a.data();
    for (const Run& r : f.runs) {
      const T* v = f.values.data() + r.offset;
      for (std::size_t k = r.begin; k < r.end;) {
        const std::size_t m0 = k % M, stop = std::min(r.end, k + (M - m0));
        const C* X = w.X.data() + k;
        const T* vk = v + (k - r.begin);
        C* zk = z + m0;
        for (std::size_t i = 0; i < stop - k; ++i) zk[i] += X[i] * vk[i];
        k = stop;
      }
    }
    int level = 0;
    while ((std::size_t{1} << level) < s) ++level;
    short_backward[std::size_t(level)](z, w.b.data());
    std::fill(z, z + M, C(0));
    std::copy(w.b.begin(), w.b.begin() + std::ptrdiff_t(length), out);
  }

  void plan_inverse() const {
    std::call_once(inverse_plans, [this] {
      forward = Plan(Plan::Kind::forward, {int(L)}, 1, exec.planning);
      c2r = Plan(Plan::Kind::c2r, {int(L)}, 1, exec.planning);
      // D(m) = Σ_k v_k(m)² + v_k(−m)² on m ≤ L/2, from the stored (rounded) filters.
      std::vector<double> D(L / 2 + 1, 0.0);
      for (const Filter& f : filters)
        for (const Run& r : f.runs)
          for (std::size_t k = r.begin; k < r.end; ++k) {
            const double v = double(f.values[r.offset + (k - r.begin)]);
            if (k <= L / 2) D[k] += v * v;
            if ((L - k) % L <= L / 2) D[(L - k) % L] += v * v;
          }
      const double top = *std::max_element(D.begin(), D.end());
      dual.assign(D.size(), T(0));
      for (std::size_t m = 0; m < D.size(); ++m)
        if (D[m] >= kDualFloor * top) dual[m] = static_cast<T>(1.0 / (double(L) * double(L) * D[m]));
    });
  }

  // x̂(m) = Σ_k [Ŵ_k(m)·v_k(m) + Ŵ_k(−m)*·v_k(−m)] / (L·D(m)), m ≤ L/2 (least squares for a
  // real x), with Ŵ_k the DFT of row k zero-padded to L; then a c2r transform.
  void inverse(const C* W, std::size_t batch, T* out) const {
    detail::check_finite(W, batch * scales() * N, "W", "the CWT");
    plan_inverse();
    const std::size_t S = scales(), H = L / 2 + 1;
    const std::vector<int> e = exponents(W, batch, S * N);
    const std::size_t per = (S + kInverseBlocks - 1) / kInverseBlocks, blocks = (S + per - 1) / per;
    std::vector<AlignedVector<C>> partial(blocks, AlignedVector<C>(H));
    AlignedVector<C> sum(H);
    AlignedVector<T> xr(L);
    detail::Progress progress(exec.progress, batch);
    for (std::size_t b = 0; b < batch; ++b) {
      for_tasks(blocks, [&](std::size_t blk, Workspace& w, std::size_t&) {
        C* acc = partial[blk].data();
        std::fill(acc, acc + H, C(0));
        for (std::size_t k = blk * per; k < std::min(S, (blk + 1) * per); ++k) {
          const C* row = W + (b * S + k) * N;
          std::copy(row, row + N, w.a.begin());  // a[N, L) stays 0
          detail::scale_pow2(w.a.data(), N, -e[b]);
          forward(w.a.data(), w.b.data());
          const Filter& f = filters[k];
          for (const Run& r : f.runs)
            for (std::size_t i = r.begin; i < r.end; ++i) {
              const T v = f.values[r.offset + (i - r.begin)];
              if (i <= L / 2) acc[i] += w.b[i] * v;
              if ((L - i) % L <= L / 2) acc[(L - i) % L] += std::conj(w.b[i]) * v;
            }
        }
        std::fill(w.a.begin(), w.a.begin() + std::ptrdiff_t(N), C(0));
      });
      for (std::size_t m = 0; m < H; ++m) {
        C s = 0;
        for (const auto& p : partial) s += p[m];
        sum[m] = s * dual[m];
      }
      c2r(sum.data(), xr.data());
      if (e[b] != 0) {
        detail::scale_pow2(xr.data(), N, e[b]);
        detail::check_in_range(xr.data(), N, "the inverse CWT of signal " + std::to_string(b));
      }
      std::copy(xr.begin(), xr.begin() + std::ptrdiff_t(N), out + b * N);
      progress.add(1);
    }
    progress.finish();
  }
};

template <class T>
BasicCwt<T>::BasicCwt(std::size_t N, CwtParams params, ExecOptions exec)
    : impl_(std::make_unique<Impl>(N, std::move(params), std::move(exec))) {}
template <class T>
BasicCwt<T>::~BasicCwt() = default;
template <class T>
BasicCwt<T>::BasicCwt(BasicCwt&&) noexcept = default;
template <class T>
BasicCwt<T>& BasicCwt<T>::operator=(BasicCwt&&) noexcept = default;

template <class T>
std::size_t BasicCwt<T>::signal_length() const {
  return impl_->N;
}
template <class T>
std::size_t BasicCwt<T>::fft_length() const {
  return impl_->L;
}
template <class T>
std::size_t BasicCwt<T>::scales() const {
  return impl_->scales();
}
template <class T>
const CwtParams& BasicCwt<T>::params() const {
  return impl_->params;
}
template <class T>
const std::vector<double>& BasicCwt<T>::frequencies() const {
  return impl_->params.frequencies;
}
template <class T>
const std::vector<double>& BasicCwt<T>::sigmas() const {
  return impl_->sigmas;
}

namespace {
// The leading axes of `shape`, checking that its last `axes` axes are `last`.
Shape batch_shape(const Shape& shape, std::size_t axes, const std::vector<std::size_t>& last, const char* what) {
  bool ok = shape.size() >= axes;
  for (std::size_t i = 0; ok && i < axes; ++i) ok = shape[shape.size() - axes + i] == last[i];
  if (!ok) {
    Shape want{last.begin(), last.end()};
    std::string w = shape_string(want);
    w = w.substr(1, w.size() - 2);
    if (w.back() == ',') w.pop_back();
    throw InputError(std::string(what) + " has shape " + shape_string(shape) + ": expected (..., " + w + ")");
  }
  return Shape(shape.begin(), shape.end() - std::ptrdiff_t(axes));
}
}  // namespace

template <class T>
Array<std::complex<T>> BasicCwt<T>::operator()(const Array<T>& x) const {
  Shape shape = batch_shape(x.shape, 1, {impl_->N}, "input");
  const std::size_t batch = shape_size(shape);
  shape.push_back(scales());
  shape.push_back(impl_->N);
  check_memory(checked_bytes({batch, scales(), impl_->N}, sizeof(std::complex<T>)),
               "CWT of " + std::to_string(batch) + " signals of length " +
                   std::to_string(impl_->N) + " at " + std::to_string(scales()) + " scales");
  Array<std::complex<T>> out(shape);
  impl_->full_rate(x.data.data(), batch, out.data.data());
  return out;
}

template <class T>
void BasicCwt<T>::operator()(const T* x, std::size_t batch, std::complex<T>* out) const {
  impl_->full_rate(x, batch, out);
}

template <class T>
DecimatedCwt<T> BasicCwt<T>::decimated(const Array<T>& x) const {
  const Impl& p = *impl_;
  DecimatedCwt<T> d;
  d.batch = batch_shape(x.shape, 1, {p.N}, "input");
  const std::size_t batch = shape_size(d.batch), S = p.scales();
  detail::check_finite(x.data.data(), x.size(), "input", "the CWT");
  const std::vector<int> e = Impl::exponents(x.data.data(), batch, p.N);
  for (const auto& f : p.filters) {
    d.stride.push_back(f.stride);
    d.length.push_back((p.N + f.stride - 1) / f.stride);
    d.offset.push_back(d.block);
    d.block += d.length.back();
  }
  check_memory(checked_bytes({batch, d.block}, sizeof(std::complex<T>)),
               "decimated CWT of " + std::to_string(batch) + " signals of length " +
                   std::to_string(p.N));
  d.data.resize(batch * d.block);
  p.plan_decimated();
  typename Impl::InputProgress progress(p.exec, batch, S);
  p.for_tasks(batch * S, [&](std::size_t t, typename Impl::Workspace& w, std::size_t& have) {
    const std::size_t b = t / S, k = t % S;
    if (b != have) p.spectrum(x.data.data() + b * p.N, e[b], w), have = b;
    std::complex<T>* row = d.data.data() + b * d.block + d.offset[k];
    p.decimated_row(p.filters[k], w, row, d.length[k]);
    Impl::scale_back(row, d.length[k], e[b], "the decimated CWT", b);
    progress.row_done(b);
  });
  progress.progress.finish();
  return d;
}

template <class T>
Array<T> BasicCwt<T>::inverse(const Array<std::complex<T>>& W) const {
  Shape shape = batch_shape(W.shape, 2, {scales(), impl_->N}, "W");
  const std::size_t batch = shape_size(shape);
  shape.push_back(impl_->N);
  Array<T> out(shape);
  impl_->inverse(W.data.data(), batch, out.data.data());
  return out;
}

template class BasicCwt<float>;
template class BasicCwt<double>;

}  // namespace wst
