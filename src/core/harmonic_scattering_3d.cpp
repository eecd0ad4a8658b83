// Solid-harmonic 3D scattering, docs/harmonic3d-formulas.md §5–§6.
//
// Exact rewrites of Kymatio's cascade (docs/harmonic3d-formulas.md §13):
// - Real wavelets: the 2l+1 complex wavelets of degree l are replaced by the unitary combinations
//   of the real solid harmonics (solid_harmonics.hpp), which leaves Σ_m |x ⋆ ψ_{l,m}|² unchanged.
// - Real transforms: for a real volume, IDFT3(X·ψ̂) = IDFT3(X·H) + IDFT3(X·A) with H, A the
//   Hermitian and anti-Hermitian parts of ψ̂; the first is real (a c2r transform), the second is
//   i times a real volume (a c2r transform of −i·X·A). For even sizes A lives only on the Nyquist
//   planes, so its part costs three 2D c2r transforms; for an odd size it is a full c2r.
#include "wst/core/harmonic_scattering_3d.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <climits>
#include <exception>
#include <numbers>
#include <string>
#include <thread>

#if defined(__SSE2__) && defined(__x86_64__)
#include <xmmintrin.h>
#endif

#include "solid_harmonics.hpp"
#include "spectral.hpp"
#include "wst/support/format.hpp"
#include "wst/support/memory_budget.hpp"

namespace wst {
namespace {

// Flushes subnormal results and operands to zero on this thread for its lifetime (SSE's FTZ and
// DAZ), restoring the previous mode after: far from the charges of a volume the moduli and the
// Gaussians' tails fall below float's normal range, where the hardware is many times slower.
// Only values below 1.2e-38 (float) or 2.2e-308 (double) change; every thread runs in the same
// mode, so results stay independent of the thread count.
class FlushSubnormals {
 public:
#if defined(__SSE2__) && defined(__x86_64__)
  FlushSubnormals() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | 0x8040); }
  ~FlushSubnormals() { _mm_setcsr(saved_); }

 private:
  unsigned saved_;
#endif
};

// Runs body(task) for task = 0 … count − 1 on min(threads, count) threads, each taking the next
// task when free; rethrows the first exception. Each task writes only its own outputs, so the
// results do not depend on the schedule.
template <class F>
void run_tasks(std::size_t count, int threads, F body) {
  const std::size_t nt = std::min<std::size_t>(std::size_t(std::max(threads, 1)), count);
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    const FlushSubnormals flush;
    for (std::size_t t; (t = next++) < count;) body(t);
  };
  if (nt <= 1) return worker();
  std::vector<std::exception_ptr> errors(nt);
  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < nt; ++i)
    pool.emplace_back([&, i] {
      try {
        worker();
      } catch (...) {
        errors[i] = std::current_exception();
        next = count;
      }
    });
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

void validate(int J, const std::size_t (&dims)[3], const HarmonicScattering3DOptions& o, int threads) {
  const char* names[3] = {"M", "N", "O"};
  for (int a = 0; a < 3; ++a) check_size(dims[a], 1, std::size_t(INT_MAX / 2), names[a]);
  checked_size(double(dims[0]) * double(dims[1]) * double(dims[2]), 1, kMaxLength, "M*N*O");
  const std::size_t smallest = std::min({dims[0], dims[1], dims[2]});
  const int jmax = std::bit_width(smallest) - 1;
  if (J < 0 || J > jmax)
    throw UsageError("J=" + std::to_string(J) + " is out of range: must be in [0, " +
                     std::to_string(jmax) + "] (2^J <= the smallest size, " + std::to_string(smallest) + ")");
  if (o.L < 0 || o.L > 16)
    throw UsageError("L=" + std::to_string(o.L) + " is out of range: must be in [0, 16]");
  if (!(o.sigma_0 > 0) || !std::isfinite(o.sigma_0))
    throw UsageError("sigma_0=" + num(o.sigma_0) + " is out of range: must be finite and > 0");
  if (o.max_order != 1 && o.max_order != 2)
    throw UsageError("max_order=" + std::to_string(o.max_order) + " is out of range: must be 1 or 2");
  if (o.integral_powers.empty())
    throw UsageError("integral_powers is empty: must hold at least one power");
  for (std::size_t q = 0; q < o.integral_powers.size(); ++q)
    if (!std::isfinite(o.integral_powers[q]))
      throw UsageError("integral_powers[" + std::to_string(q) + "]=" + num(o.integral_powers[q]) +
                       " is out of range: must be finite");
  if (threads < 1)
    throw UsageError("threads=" + std::to_string(threads) + " is out of range: must be at least 1");
}

// z[i] = y[i]·(−i)^q·f[i] for a real f, written out (std::complex's operator* takes a slow path
// for Inf/NaN checks); multiplying by a power of −i only swaps and negates, exactly.
template <class T>
void multiply(const std::complex<T>* y, const T* f, std::size_t n, int q, std::complex<T>* z) {
  const T* a = reinterpret_cast<const T*>(y);
  T* c = reinterpret_cast<T*>(z);
  const bool swap = q % 2 == 1;
  const T s_re = (q == 0 || q == 1) ? T(1) : T(-1), s_im = (q == 0 || q == 3) ? T(1) : T(-1);
  const std::size_t re = swap ? 1 : 0, im = swap ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    // (−i)^q·(ar + i·ai): q = 0 (ar, ai); 1 (ai, −ar); 2 (−ar, −ai); 3 (−ai, ar).
    c[2 * i] = s_re * a[2 * i + re] * f[i];
    c[2 * i + 1] = s_im * a[2 * i + im] * f[i];
  }
}

// s[i mod 8] += g(u[i]) in double: 8 interleaved partial sums, so that it vectorises. Called on
// consecutive blocks whose lengths are multiples of 8 (but the last), it adds every value to the
// same partial sum in the same order as one call on the whole array.
template <class T, class G>
void add_to(const T* u, std::size_t n, G g, double* s) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) s[k] += g(double(u[i + k]));
  for (int k = 0; i < n; ++i, ++k) s[k] += g(double(u[i]));
}

// Adds Σ u^p (§5.4) to the partial sums s, with exact shortcuts for the common powers (p = 0 is
// counted by the caller).
template <class T>
void add_power(const T* u, std::size_t n, double p, double* s) {
  if (p == 1) return add_to(u, n, [](double v) { return v; }, s);
  if (p == 2) return add_to(u, n, [](double v) { return v * v; }, s);
  if (p == 0.5) return add_to(u, n, [](double v) { return std::sqrt(v); }, s);
  if (p == 3) return add_to(u, n, [](double v) { return v * v * v; }, s);
  if (p == 4) return add_to(u, n, [](double v) { return (v * v) * (v * v); }, s);
  add_to(u, n, [p](double v) { return std::pow(v, p); }, s);
}

double total(const double* s) {
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

}  // namespace

template <class T>
struct BasicHarmonicScattering3D<T>::Impl {
  using C = std::complex<T>;
  using Plan = FftPlan<T>;

  // One real wavelet (j, l, k) split for real transforms (header comment), pre-scaled by the
  // inverse DFT's 1/(M·N·O). h: the Hermitian part on the half spectrum M × N × (O/2+1).
  // The anti-Hermitian part times −i: on the whole half spectrum (`a`, a size is odd), or its
  // three Nyquist planes (even sizes): p0 = [k1][k2] at k0 = M/2; p1 = [k0][k2] at k1 = N/2,
  // k0 ≠ M/2; p2 = [k0][k1 ≤ N/2] at k2 = O/2, k0 ≠ M/2, k1 ≠ N/2.
  // ψ̂ is (−i)^l times a real function (§4) and the split keeps that: the Hermitian part is
  // (−i)^l·h and the other (−i)^{l+1}·a, p0, p1, p2 with real tables, stored as such.
  struct Filter {
    AlignedVector<T> h, a, p0, p1, p2;
    int phase_h = 0, phase_a = 1;  // l mod 4, (l + 1) mod 4
    bool has_a = false;
    bool used = false;
  };

  int J;
  HarmonicScattering3DOptions opt;
  ExecOptions exec;
  std::size_t M, N, O, n, Oh, nh;  // Oh = O/2 + 1, nh = M·N·Oh
  bool even;
  std::vector<PathMeta3D> meta;
  std::vector<std::vector<Filter>> filters;  // [j][l² + k]
  Plan r2c, c2r, c2r_p0, c2r_p1, c2r_p2;

  struct Workspace {
    AlignedVector<C> F, Y, q0, q1, q2;
    AlignedVector<T> u, w, u2, w2, U1, U2, W0, W1, W2, row;
    std::vector<double> sums;  // 8 partial sums per integral power
    explicit Workspace(const Impl& p)
        : F(p.nh), Y(p.nh), u(p.n), w(p.n), U1(p.n), U2(p.n), row(p.O),
          sums(8 * p.opt.integral_powers.size()) {
      if (!p.opt.rotation_covariant) u2.resize(p.n), w2.resize(p.n);
      if (p.even) {
        q0.resize(p.N * p.Oh), q1.resize(p.M * p.Oh), q2.resize(p.M * (p.N / 2 + 1));
        W0.resize(p.N * p.O), W1.resize(p.M * p.O), W2.resize(p.M * p.N);
      }
    }
  };
  mutable detail::WorkspacePool<Workspace> workspaces;

  Impl(int J_, std::size_t M_, std::size_t N_, std::size_t O_, HarmonicScattering3DOptions o,
       ExecOptions e)
      : J(J_), opt(std::move(o)), exec(std::move(e)), M(M_), N(N_), O(O_) {
    validate(J, {M, N, O}, opt, exec.threads);
    n = M * N * O;
    Oh = O / 2 + 1;
    nh = M * N * Oh;
    even = M % 2 == 0 && N % 2 == 0 && O % 2 == 0;
    for (int j = 0; j <= J; ++j) meta.push_back({1, j, -1});
    if (opt.max_order == 2)
      for (int j1 = 0; j1 <= J; ++j1)
        for (int j2 = j1 + 1; j2 <= J; ++j2) meta.push_back({2, j1, j2});
    check_memory(filter_bytes() + std::size_t(exec.threads) * bytes_per_volume(),
                 "3-D harmonic scattering of " + std::to_string(M) + " x " + std::to_string(N) +
                     " x " + std::to_string(O) + " (J=" + std::to_string(J) + ", L=" +
                     std::to_string(opt.L) + ", " + std::to_string(exec.threads) + " threads)");
    build_filters();
    r2c = Plan(Plan::Kind::r2c, {int(M), int(N), int(O)}, 1, exec.planning);
    c2r = Plan(Plan::Kind::c2r, {int(M), int(N), int(O)}, 1, exec.planning);
    if (even) {
      c2r_p0 = Plan(Plan::Kind::c2r, {int(N), int(O)}, 1, exec.planning);
      c2r_p1 = Plan(Plan::Kind::c2r, {int(M), int(O)}, 1, exec.planning);
      c2r_p2 = Plan(Plan::Kind::c2r, {int(M), int(N)}, 1, exec.planning);
    }
  }

  // The wavelets the cascade uses: every k (§5.2), or only m = −l, i.e. k ∈ {2l−1, 2l} (§5.3).
  bool uses(int l, int k) const {
    return opt.rotation_covariant || l == 0 || k >= 2 * l - 1;
  }
  std::size_t filter_count() const {
    std::size_t c = 0;
    for (int l = 0; l <= opt.L; ++l)
      for (int k = 0; k <= 2 * l; ++k) c += uses(l, k);
    return c * std::size_t(J + 1);
  }
  std::size_t filter_bytes() const {
    const std::size_t planes = even ? N * Oh + M * Oh + M * (N / 2 + 1) : nh;
    return checked_bytes({filter_count(), nh + planes}, sizeof(T));
  }
  std::size_t bytes_per_volume() const {
    std::size_t reals = 6 * n + (opt.rotation_covariant ? 0 : 2 * n);
    if (even) reals += 2 * (N * Oh + M * Oh + M * (N / 2 + 1)) + N * O + M * O + M * N;
    return checked_bytes({3 * nh}, sizeof(C)) + checked_bytes({reals}, sizeof(T));
  }

  void allocate_filters() {
    filters.assign(J + 1, std::vector<Filter>(std::size_t(opt.L + 1) * (opt.L + 1)));
    for (auto& row : filters)
      for (int l = 0; l <= opt.L; ++l)
        for (int k = 0; k <= 2 * l; ++k) {
          if (!uses(l, k)) continue;
          Filter& f = row[std::size_t(l * l + k)];
          f.used = true;
          f.phase_h = l % 4;
          f.phase_a = (l + 1) % 4;
          f.h.assign(nh, T(0));
          if (!even) {
            f.a.assign(nh, T(0));
          } else {
            f.p0.assign(N * Oh, T(0)), f.p1.assign(M * Oh, T(0)), f.p2.assign(M * (N / 2 + 1), T(0));
          }
        }
  }

  // The slot of GA at half-spectrum bin (a, b, c), or nullptr where it is zero (even sizes).
  T* anti_slot(Filter& f, std::size_t a, std::size_t b, std::size_t c, std::size_t i) const {
    if (!even) return &f.a[i];
    if (a == M / 2) return &f.p0[b * Oh + c];
    if (b == N / 2) return &f.p1[a * Oh + c];
    if (c == O / 2 && b < N / 2) return &f.p2[a * (N / 2 + 1) + b];
    return nullptr;  // A = 0 exactly there (solid_harmonics.hpp: exact parity)
  }

  // §2–§4: ψ̂ = c_l (−i)^l σ^l e^{−σ²r²/2} r^l Y at bin k and at −k, then H = (ψ̂[k] + conj ψ̂[−k])/2
  // and GA = −i (ψ̂[k] − conj ψ̂[−k])/2, both divided by M·N·O.
  void build_filters() {
    allocate_filters();
    const detail::RealSolidHarmonics harmonics(opt.L);
    const std::size_t dims[3] = {M, N, O};
    std::vector<double> omega[3];
    for (int a = 0; a < 3; ++a)
      for (int g : harmonic_frequency_index(dims[a])) omega[a].push_back(2 * std::numbers::pi * g / double(dims[a]));
    // Separable Gaussians e^{−σ_j² ω_a²/2} per scale and axis.
    std::vector<std::vector<double>> gauss[3];
    for (int a = 0; a < 3; ++a)
      for (int j = 0; j <= J; ++j) {
        const double s = opt.sigma_0 * std::ldexp(1.0, j);
        gauss[a].emplace_back();
        for (double w : omega[a]) gauss[a].back().push_back(std::exp(-s * s * w * w / 2));
      }
    const std::complex<double> minus_i_l[4] = {{1, 0}, {0, -1}, {-1, 0}, {0, 1}};
    const std::complex<double> i_pow[4] = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
    std::vector<std::vector<std::complex<double>>> front(J + 1);  // [j][l]
    for (int j = 0; j <= J; ++j)
      for (int l = 0; l <= opt.L; ++l)
        front[j].push_back(detail::harmonic_constant(l) * minus_i_l[l % 4] *
                           std::pow(opt.sigma_0 * std::ldexp(1.0, j), l) / double(n));
    std::vector<double> rp(harmonics.count()), rm(harmonics.count());
    for (std::size_t a = 0, i = 0; a < M; ++a)
      for (std::size_t b = 0; b < N; ++b)
        for (std::size_t c = 0; c < Oh; ++c, ++i) {
          const std::size_t na = (M - a) % M, nb = (N - b) % N, nc = (O - c) % O;
          harmonics.evaluate(omega[2][c], omega[1][b], -omega[0][a], rp.data());
          harmonics.evaluate(omega[2][nc], omega[1][nb], -omega[0][na], rm.data());
          for (int j = 0; j <= J; ++j) {
            const double gp = gauss[0][j][a] * gauss[1][j][b] * gauss[2][j][c];
            const double gm = gauss[0][j][na] * gauss[1][j][nb] * gauss[2][j][nc];
            for (int l = 0; l <= opt.L; ++l)
              for (int k = 0; k <= 2 * l; ++k) {
                Filter& f = filters[j][std::size_t(l * l + k)];
                if (!f.used) continue;
                const std::complex<double> vp = front[j][l] * (gp * rp[l * l + k]);
                const std::complex<double> vm = std::conj(front[j][l] * (gm * rm[l * l + k]));
                // The real factors: H·i^l and GA·i^{l+1} (exact: i^q only swaps and negates).
                f.h[i] = T(((vp + vm) / 2.0 * i_pow[l % 4]).real());
                if (T* s = anti_slot(f, a, b, c, i)) {
                  *s = T((std::complex<double>(0, -1) * (vp - vm) / 2.0 * i_pow[(l + 1) % 4]).real());
                  f.has_a = f.has_a || *s != T(0);
                }
              }
          }
        }
  }

  // How the imaginary part of IDFT3(Y·ψ̂) is held after apply().
  enum class Imag { zero, full, planes };

  // Re IDFT3(Y·ψ̂) into u; its Im into w (an odd size) or as the three planes W0, W1, W2 of
  // nyquist_row (even sizes), or exactly zero.
  Imag apply(const C* Y, const Filter& f, Workspace& ws, T* u, T* w) const {
    C* F = ws.F.data();
    multiply(Y, f.h.data(), nh, f.phase_h, F);
    c2r(F, u);
    if (!f.has_a) return Imag::zero;
    if (!even) {
      multiply(Y, f.a.data(), nh, f.phase_a, F);
      c2r(F, w);
      return Imag::full;
    }
    const std::size_t Nh = N / 2 + 1;
    const int q = f.phase_a;
    multiply(Y + (M / 2) * N * Oh, f.p0.data(), N * Oh, q, ws.q0.data());
    for (std::size_t a = 0; a < M; ++a)
      multiply(Y + (a * N + N / 2) * Oh, f.p1.data() + a * Oh, Oh, q, ws.q1.data() + a * Oh);
    for (std::size_t a = 0; a < M; ++a)
      for (std::size_t b = 0; b < Nh; ++b)
        multiply(Y + (a * N + b) * Oh + O / 2, f.p2.data() + a * Nh + b, 1, q, ws.q2.data() + a * Nh + b);
    c2r_p0(ws.q0.data(), ws.W0.data());
    c2r_p1(ws.q1.data(), ws.W1.data());
    c2r_p2(ws.q2.data(), ws.W2.data());
    return Imag::planes;
  }

  // Row (a, b) of the imaginary part from the planes: (−1)^a W0[b,c] + (−1)^b W1[a,c] +
  // (−1)^c W2[a,b], the IDFT of the three Nyquist planes (index K/2 contributes e^{iπ·index}).
  void nyquist_row(const Workspace& ws, std::size_t a, std::size_t b, T* row) const {
    const T sa = a % 2 ? T(-1) : T(1), sb = b % 2 ? T(-1) : T(1);
    const T* w0 = ws.W0.data() + b * O;
    const T* w1 = ws.W1.data() + a * O;
    const T w2 = ws.W2[a * N + b];
    for (std::size_t c = 0; c < O; c += 2) row[c] = (sa * w0[c] + sb * w1[c]) + w2;
    for (std::size_t c = 1; c < O; c += 2) row[c] = (sa * w0[c] + sb * w1[c]) - w2;
  }

  // The imaginary part in full (w), for the non-covariant combination.
  void imag_in_full(Imag kind, Workspace& ws, T* w) const {
    if (kind == Imag::zero) std::fill(w, w + n, T(0));
    if (kind != Imag::planes) return;
    for (std::size_t a = 0; a < M; ++a)
      for (std::size_t b = 0; b < N; ++b) nyquist_row(ws, a, b, w + (a * N + b) * O);
  }

  // U (+)= u² + w², row by row (the planes' rows made on the fly, in cache).
  void add_squares(Imag kind, Workspace& ws, bool first, T* U) const {
    const T* u = ws.u.data();
    for (std::size_t a = 0; a < M; ++a)
      for (std::size_t b = 0; b < N; ++b) {
        const std::size_t r = (a * N + b) * O;
        const T* w = ws.w.data() + r;
        if (kind == Imag::planes) {
          nyquist_row(ws, a, b, ws.row.data());
          w = ws.row.data();
        }
        T* Ur = U + r;
        const T* ur = u + r;
        if (kind == Imag::zero) {
          for (std::size_t c = 0; c < O; ++c) Ur[c] = (first ? T(0) : Ur[c]) + ur[c] * ur[c];
        } else {
          for (std::size_t c = 0; c < O; ++c) Ur[c] = (first ? T(0) : Ur[c]) + (ur[c] * ur[c] + w[c] * w[c]);
        }
      }
  }

  // U² = Σ_k |Y ⋆ ψ_{j,l,k}|² (§5.2), or |Y ⋆ ψ_{j,l,−l}|² (§5.3), into U (finish() takes the
  // square root).
  void squared_modulus(const C* Y, int j, int l, Workspace& ws, T* U) const {
    const auto& row = filters[j];
    if (opt.rotation_covariant || l == 0) {
      for (int k = 0; k <= 2 * l; ++k)
        add_squares(apply(Y, row[std::size_t(l * l + k)], ws, ws.u.data(), ws.w.data()), ws, k == 0, U);
      return;
    }
    // ψ_{−l} = (ψ_C − i ψ_S)/√2: |zc − i zs|² / 2 with zc = uc + i wc, zs = us + i ws.
    const std::size_t kc = std::size_t(l * l + 2 * l - 1);
    imag_in_full(apply(Y, row[kc], ws, ws.u.data(), ws.w.data()), ws, ws.w.data());
    imag_in_full(apply(Y, row[kc + 1], ws, ws.u2.data(), ws.w2.data()), ws, ws.w2.data());
    const T *uc = ws.u.data(), *wc = ws.w.data(), *us = ws.u2.data(), *wsn = ws.w2.data();
    for (std::size_t i = 0; i < n; ++i) {
      const T re = uc[i] + wsn[i], im = wc[i] - us[i];
      U[i] = (re * re + im * im) * T(0.5);
    }
  }

  std::size_t out_size() const { return meta.size() * std::size_t(opt.L + 1) * opt.integral_powers.size(); }

  // U = sqrt(U²) in place and its integrals (§5.4) into out_v[path, l, ·], in blocks that stay
  // in cache between the square roots and the sums.
  void finish(T* U, std::size_t path, int l, Workspace& ws, T* out_v) const {
    const std::vector<double>& powers = opt.integral_powers;
    const std::size_t Q = powers.size(), block = 512;
    std::fill(ws.sums.begin(), ws.sums.end(), 0.0);
    for (std::size_t b = 0; b < n; b += block) {
      const std::size_t e = std::min(n, b + block);
      for (std::size_t i = b; i < e; ++i) U[i] = std::sqrt(U[i]);
      for (std::size_t q = 0; q < Q; ++q)
        if (powers[q] != 0) add_power(U + b, e - b, powers[q], ws.sums.data() + 8 * q);
    }
    T* o = out_v + (path * std::size_t(opt.L + 1) + std::size_t(l)) * Q;
    for (std::size_t q = 0; q < Q; ++q)
      o[q] = static_cast<T>(powers[q] == 0 ? double(n) : total(ws.sums.data() + 8 * q));
  }

  // One task: U1[j1, l] of one volume, its integrals, and its order-2 children (§5.1, §6).
  void unit(const C* X, int l, int j1, Workspace& ws, T* out_v) const {
    squared_modulus(X, j1, l, ws, ws.U1.data());
    finish(ws.U1.data(), std::size_t(j1), l, ws, out_v);
    if (opt.max_order != 2 || j1 == J) return;
    r2c(ws.U1.data(), ws.Y.data());
    std::size_t path = std::size_t(J + 1);
    for (int a = 0; a < j1; ++a) path += std::size_t(J - a);
    for (int j2 = j1 + 1; j2 <= J; ++j2, ++path) {
      squared_modulus(ws.Y.data(), j2, l, ws, ws.U2.data());
      finish(ws.U2.data(), path, l, ws, out_v);
    }
  }

  // Volumes in groups of `threads`: their spectra, then the tasks (volume, l, j1), heaviest first.
  void run(const T* x, std::size_t batch, T* out) const {
    detail::check_finite(x, batch * n, "input", "3-D harmonic scattering");
    const std::size_t group = std::min<std::size_t>(std::size_t(exec.threads), std::max<std::size_t>(batch, 1));
    std::vector<AlignedVector<C>> spectra(group, AlignedVector<C>(nh));
    const std::size_t L1 = std::size_t(opt.L + 1), S = out_size();
    auto make = [this] { return std::make_unique<Workspace>(*this); };
    for (std::size_t g0 = 0; g0 < batch; g0 += group) {
      const std::size_t nv = std::min(group, batch - g0);
      run_tasks(nv, exec.threads, [&](std::size_t v) {
        const auto lease = workspaces.lease(make);
        Workspace& ws = *lease;
        std::copy(x + (g0 + v) * n, x + (g0 + v + 1) * n, ws.U1.begin());
        r2c(ws.U1.data(), spectra[v].data());
      });
      const std::size_t tasks = nv * L1 * std::size_t(J + 1);
      run_tasks(tasks, exec.threads, [&](std::size_t t) {
        const int j1 = int(t / (nv * L1));
        const std::size_t rem = t % (nv * L1), v = rem % nv;
        const int l = opt.L - int(rem / nv);
        const auto lease = workspaces.lease(make);
        unit(spectra[v].data(), l, j1, *lease, out + (g0 + v) * S);
      });
      if (exec.progress) exec.progress(g0 + nv, batch);
    }
    detail::check_in_range(out, batch * S, "3-D harmonic scattering");
  }
};

template <class T>
BasicHarmonicScattering3D<T>::BasicHarmonicScattering3D(int J, std::size_t M, std::size_t N,
                                                        std::size_t O,
                                                        HarmonicScattering3DOptions options,
                                                        ExecOptions exec)
    : impl_(std::make_unique<Impl>(J, M, N, O, std::move(options), std::move(exec))) {}
template <class T>
BasicHarmonicScattering3D<T>::~BasicHarmonicScattering3D() = default;
template <class T>
BasicHarmonicScattering3D<T>::BasicHarmonicScattering3D(BasicHarmonicScattering3D&&) noexcept = default;
template <class T>
BasicHarmonicScattering3D<T>& BasicHarmonicScattering3D<T>::operator=(BasicHarmonicScattering3D&&) noexcept = default;

template <class T>
int BasicHarmonicScattering3D<T>::J() const { return impl_->J; }
template <class T>
const HarmonicScattering3DOptions& BasicHarmonicScattering3D<T>::options() const { return impl_->opt; }
template <class T>
Shape BasicHarmonicScattering3D<T>::shape() const { return {impl_->M, impl_->N, impl_->O}; }
template <class T>
std::size_t BasicHarmonicScattering3D<T>::paths() const { return impl_->meta.size(); }
template <class T>
std::size_t BasicHarmonicScattering3D<T>::output_size() const { return impl_->out_size(); }
template <class T>
const std::vector<PathMeta3D>& BasicHarmonicScattering3D<T>::meta() const { return impl_->meta; }
template <class T>
std::size_t BasicHarmonicScattering3D<T>::bytes_per_volume() const { return impl_->bytes_per_volume(); }
template <class T>
std::size_t BasicHarmonicScattering3D<T>::filter_bytes() const { return impl_->filter_bytes(); }

template <class T>
void BasicHarmonicScattering3D<T>::operator()(const T* x, std::size_t batch, T* out) const {
  impl_->run(x, batch, out);
}

template <class T>
Array<T> BasicHarmonicScattering3D<T>::operator()(const Array<T>& x) const {
  const Impl& p = *impl_;
  const std::size_t d = x.ndim();
  if (d < 3 || x.shape[d - 3] != p.M || x.shape[d - 2] != p.N || x.shape[d - 1] != p.O)
    throw InputError("input of shape " + shape_string(x.shape) + " does not fit: expected (..., " +
                     std::to_string(p.M) + ", " + std::to_string(p.N) + ", " + std::to_string(p.O) + ")");
  Shape s(x.shape.begin(), x.shape.end() - 3);
  const std::size_t batch = shape_size(s);
  s.insert(s.end(), {paths(), std::size_t(p.opt.L + 1), p.opt.integral_powers.size()});
  check_memory(checked_bytes({batch, output_size()}, sizeof(T)) +
                   checked_bytes({std::size_t(p.exec.threads), p.nh}, sizeof(std::complex<T>)),
               "3-D harmonic scattering of " + std::to_string(batch) + " volumes");
  Array<T> out(s);
  p.run(x.data.data(), batch, out.data.data());
  return out;
}

template <class T>
Array<T> BasicHarmonicScattering3D<T>::moduli(const T* x) const {
  const Impl& p = *impl_;
  detail::check_finite(x, p.n, "input", "3-D harmonic scattering");
  const std::size_t L1 = std::size_t(p.opt.L + 1);
  check_memory(checked_bytes({std::size_t(p.J + 1), L1, p.n}, sizeof(T)) + p.bytes_per_volume(),
               "the first-order moduli of a " + std::to_string(p.M) + " x " + std::to_string(p.N) +
                   " x " + std::to_string(p.O) + " volume");
  Array<T> out({std::size_t(p.J + 1), L1, p.M, p.N, p.O});
  const FlushSubnormals flush;
  typename Impl::Workspace ws(p);
  AlignedVector<std::complex<T>> X(p.nh);
  std::copy(x, x + p.n, ws.U1.begin());
  p.r2c(ws.U1.data(), X.data());
  for (int j = 0; j <= p.J; ++j)
    for (int l = 0; l <= p.opt.L; ++l) {
      p.squared_modulus(X.data(), j, l, ws, ws.U1.data());
      for (T& v : ws.U1) v = std::sqrt(v);
      std::copy(ws.U1.begin(), ws.U1.end(), out.data.begin() + (std::size_t(j) * L1 + std::size_t(l)) * p.n);
    }
  return out;
}

template class BasicHarmonicScattering3D<float>;
template class BasicHarmonicScattering3D<double>;

}  // namespace wst
