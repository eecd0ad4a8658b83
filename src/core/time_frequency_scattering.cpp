// Joint time–frequency scattering cascade, docs/jtfs-formulas.md §J4–§J8 (Andén, Lostanlen &
// Mallat 2019), on the 1D machinery of docs/scattering-formulas.md §1.
#include "wst/core/time_frequency_scattering.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <tuple>

#include "spectral.hpp"
#include "wst/core/padding.hpp"
#include "wst/support/format.hpp"
#include "wst/support/memory_budget.hpp"

namespace wst {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The time bank, after the checks of §J1.3 that need none: T = 0 has no array layout, T and the
// stride belong to local averaging.
FilterBank1D checked_time_bank(int J, std::size_t N, const TimeFrequencyScatteringOptions& o) {
  if (o.averaging == Averaging1D::none)
    throw UsageError("Cannot convert to out_type='array' with T=0 (averaging none): every "
                     "second-order path would keep its own length; use averaging local or global");
  if (o.averaging == Averaging1D::global && (o.T != 0 || o.stride != 0))
    throw UsageError("T=" + num("%.12g", o.T) + ", stride=" + std::to_string(o.stride) +
                     ": T and stride are only used with local averaging (leave them 0 with "
                     "averaging global)");
  if (o.averaging_fr != Averaging1D::local && o.stride_fr != 0)
    throw UsageError("stride_fr=" + std::to_string(o.stride_fr) +
                     " is incompatible with frequential averaging global or none (F='global' or "
                     "F=0): leave it 0");
  return morlet_filter_bank_1d(J, N, o.Q.q1, o.Q.q2, o.T);
}

// log2 of a stride: 0 means `most_log2`; otherwise a power of two in [1, 2^most_log2].
int stride_exponent(std::size_t stride, int most_log2, const std::string& name,
                    const std::string& scale) {
  if (stride == 0) return most_log2;
  const std::size_t most = std::size_t{1} << most_log2;
  if (!std::has_single_bit(stride) || stride > most)
    throw UsageError(name + "=" + std::to_string(stride) + " is out of range: with " + scale +
                     " it must be a power of two from 1 to " + std::to_string(most));
  return std::countr_zero(stride);
}

// Kymatio's bank assertions (§J2) and the ψ2 levels it stores (§J1.4 item 2b).
void check_time_banks(const FilterBank1D& b) {
  const std::string q = "Q=(" + std::to_string(b.Q1) + ", " + std::to_string(b.Q2) + ")";
  int j1max = 0;
  for (const auto& f : b.psi1) {
    j1max = std::max(j1max, f.j);
    if (!(f.xi < 0.5 / std::ldexp(1.0, f.j)))
      throw UsageError(q + " gives a first-order filter with xi >= 0.5/2^j, which Kymatio rejects");
  }
  for (const auto& f2 : b.psi2) {
    if (f2.j > j1max)
      throw UsageError(q + ": the second-order bank reaches j2=" + std::to_string(f2.j) +
                       " beyond the largest first-order j1=" + std::to_string(j1max) +
                       ", a filter level Kymatio does not store; use Q2 <= Q1");
    for (const auto& f1 : b.psi1)
      if (f1.j < f2.j && !(f1.xi > f2.xi))
        throw UsageError(q + " gives a second-order filter above a first-order one of smaller j, "
                         "which Kymatio rejects; use Q2 <= Q1");
  }
}

// Σ v[i·stride], i < n, in double, Neumaier-compensated (the 'global' sums, §J8).
template <class T>
double compensated_sum(const T* v, std::size_t n, std::size_t stride = 1) {
  double s = 0, c = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = v[i * stride], t = s + x;
    c += std::abs(s) >= std::abs(x) ? (s - t) + x : (x - t) + s;
    s = t;
  }
  return s + c;
}

// Z[m·L + t] = Σ_{k ≡ m mod rows_out} X̂[k·L + t]·h[k]: the product with a filter along the row
// axis of a (rows × L) array, then the Fourier subsampling to rows_out rows (§J4.4 step 3).
template <class T>
void multiply_subsample_rows(const std::complex<T>* X, const detail::SparseFilter<T>& h,
                             std::size_t rows_out, std::size_t L, std::complex<T>* Z) {
  std::fill(Z, Z + rows_out * L, std::complex<T>(0));
  for (auto [b, e] : h.runs)
    for (std::size_t k = b; k < e; ++k) {
      const T hk = h.values[k];
      const std::complex<T>* x = X + k * L;
      std::complex<T>* z = Z + (k % rows_out) * L;
      for (std::size_t t = 0; t < L; ++t) z[t] += x[t] * hk;
    }
}
}  // namespace

template <class T>
struct BasicTimeFrequencyScattering<T>::Impl {
  using C = std::complex<T>;
  using Plan = FftPlan<T>;

  // One path: a frequential filter applied to S1 (order 1) or to Y2[n2] (order 2), §J4.4–§J4.5.
  struct Path {
    int order, n2, n_fr;
    int level;               // time resolution of its input: ls (order 1) or j2 (order 2)
    int n1_max, k_fr;        // input rows; frequential subsampling exponent
    int n1_stride;           // label stride (§J5.2)
    std::size_t rows_in;     // N_fr / 2^k_fr, after the frequential wavelet
    std::size_t rows_out;    // after frequency averaging
    std::size_t emit;        // rows written: 'time' ⌈n1_max/n1_stride⌉, 'joint' rows_out
    std::size_t first;       // first output channel ('time') or path index ('joint')
  };

  FilterBank1D bank;
  FrequentialFilterBank fbank;
  TimeFrequencyScatteringOptions opt;  // resolved
  ExecOptions exec;
  bool local_t, joint;
  int ls = 0, ls_fr = 0;
  std::vector<std::size_t> i0, i1;  // time unpadding bounds per level (§1.11)
  std::size_t cols = 0;             // output samples per row: N_out, or 1 (global)
  std::size_t lmax = 0;             // longest time axis of a frequential transform
  std::vector<int> n1_max_of;       // per n2: #{n1 : j1 < j2} (§J4.3)
  std::vector<Path> paths;          // generator order (§J6)
  std::size_t n_channels = 0, n_rows = 1, out_size = 0;
  std::vector<PathMetaJTFS> meta;

  std::vector<detail::SparseFilter<T>> psi1;               // level 0, scaled by 1/N
  std::vector<std::vector<detail::SparseFilter<T>>> psi2;  // [n2][level], 1/length(level)
  std::vector<detail::SparseFilter<T>> phi;                // [level], symmetrised, 1/length(level)
  std::vector<detail::SparseFilter<T>> psi_fr;             // [n_fr], 1/N_fr
  std::vector<detail::SparseFilter<T>> phi_F;              // [k], 1/(N_fr/2^k)
  std::vector<Plan> inverse, r2c;                          // time, per level 0 … ls
  Plan c2r_out;                                            // time, level ls
  enum Direction { fwd = 0, bwd = 1 };
  std::map<std::tuple<int, std::size_t, std::size_t>, Plan> fr_plans;  // (dir, n, howmany)

  std::size_t length(int level) const { return bank.N >> level; }
  // Row pitch of the (n1 × t) arrays: L plus 8, so that the stride of the frequential transforms
  // is not a power of two (a 3× faster FFTW on a cache-unfriendly stride). The extra columns
  // stay zero.
  static std::size_t pitch(std::size_t L) { return L + 8; }

  Impl(int J, int J_fr, std::size_t N, const TimeFrequencyScatteringOptions& o, ExecOptions e)
      : bank(checked_time_bank(J, N, o)),
        fbank(frequential_filter_bank(J, o.Q.q1, J_fr, o.Q_fr, o.averaging_fr, o.F)),
        opt(o), exec(std::move(e)), local_t(o.averaging == Averaging1D::local),
        joint(o.format == JtfsFormat::joint) {
    if (exec.threads < 1)
      throw UsageError("threads=" + std::to_string(exec.threads) + " is out of range: must be at least 1");
    check_time_banks(bank);
    resolve_strides();
    i0 = {bank.pad_left};
    i1 = {bank.pad_left + bank.N_in};
    for (int r = 1; r <= std::max(bank.log2_T, J); ++r) {
      i0.push_back((i0.back() + 1) / 2);
      i1.push_back((i1.back() + 1) / 2);
    }
    cols = local_t ? i1[ls] - i0[ls] : 1;
    build_paths();
    check_memory(workspace_bytes() + checked_bytes({meta.size()}, sizeof(PathMetaJTFS)),
                 "the joint time-frequency scattering's workspace");
    prepare_filters();
    prepare_plans();
  }

  // ls and ls_fr with the working ranges of §J1.4 items 1, 4, 6.
  void resolve_strides() {
    if (local_t) {
      ls = stride_exponent(opt.stride, bank.log2_T, "stride", "T=" + num("%.12g", bank.T));
    } else {
      ls = bank.J;
    }
    int j2max = 0;
    for (const auto& f : bank.psi2) j2max = std::max(j2max, f.j);
    if (ls < j2max)
      throw UsageError("stride=" + std::to_string(std::size_t{1} << ls) +
                       " is out of range: joint scattering needs the time stride (T if no stride) "
                       "to be at least 2^j2max = " + std::to_string(std::size_t{1} << j2max) +
                       " for Q2=" + std::to_string(bank.Q2) + " (Kymatio fails below it)");
    const bool local_fr = opt.averaging_fr == Averaging1D::local;
    ls_fr = local_fr ? stride_exponent(opt.stride_fr, fbank.log2_F, "stride_fr",
                                       "F=" + num("%.12g", fbank.F))
                     : 0;
    for (const auto& f : fbank.filters)
      if (local_fr && f.spin != 0 && std::min(f.j, ls_fr) != std::min(f.j, fbank.log2_F))
        throw UsageError("stride_fr=" + std::to_string(std::size_t{1} << ls_fr) +
                         " is out of range: a frequential wavelet of j_fr=" + std::to_string(f.j) +
                         " needs stride_fr >= min(2^j_fr, F) (Kymatio fails below it)");
    if (fbank.N_fr < bank.psi1.size())
      throw UsageError("J_fr=" + std::to_string(fbank.J_fr) + " with F=" + num("%.12g", fbank.F) +
                       " gives a frequential length N_fr=" + std::to_string(fbank.N_fr) +
                       " below the " + std::to_string(bank.psi1.size()) + " first-order filters");
    opt.T = bank.T;
    opt.stride = local_t ? std::size_t{1} << ls : 0;
    opt.F = local_fr ? fbank.F : 0;
    opt.stride_fr = local_fr ? std::size_t{1} << ls_fr : 0;
  }

  // The path's frequential exponents and row counts (§J4.4, §J4.5, §J5.2, §J8).
  Path make_path(int order, int n2, int n_fr, int level, int n1_max) const {
    const FrequentialFilter& h = fbank.filters[n_fr];
    const bool local_fr = opt.averaging_fr == Averaging1D::local;
    Path p{order, n2, n_fr, level, n1_max, local_fr ? std::min(h.j, ls_fr) : h.j, 0, 0, 0, 0, 0};
    if ((fbank.N_fr >> p.k_fr) << p.k_fr != fbank.N_fr || (fbank.N_fr >> ls_fr) << ls_fr != fbank.N_fr)
      throw UsageError("stride_fr=" + std::to_string(std::size_t{1} << ls_fr) + ": the frequential "
                       "length N_fr=" + std::to_string(fbank.N_fr) + " is not a multiple of it");
    p.rows_in = fbank.N_fr >> p.k_fr;
    if (h.spin == 0) {
      p.n1_stride = 1 << fbank.J_fr;  // §J5.2 bug: 2^J_fr whatever the actual stride
      p.rows_out = p.rows_in;
    } else if (opt.averaging_fr == Averaging1D::local) {
      p.n1_stride = 1 << ls_fr;
      p.rows_out = fbank.N_fr >> ls_fr;
    } else if (opt.averaging_fr == Averaging1D::global) {
      p.n1_stride = n1_max;
      p.rows_out = 1;
    } else {
      p.n1_stride = 1 << h.j;
      p.rows_out = p.rows_in;
    }
    p.emit = joint ? p.rows_out : static_cast<std::size_t>((n1_max + p.n1_stride - 1) / p.n1_stride);
    if (p.emit > p.rows_out)
      throw UsageError("J_fr=" + std::to_string(fbank.J_fr) + ": the frequential length N_fr=" +
                       std::to_string(fbank.N_fr) + " is too short for the first-order filters");
    return p;
  }

  // Paths in generator order (§J6), their output positions and meta() (§J7).
  void build_paths() {
    if (joint && opt.averaging_fr == Averaging1D::none)
      throw UsageError("Cannot convert to format='joint' with out_type='array' and F=0 "
                       "(frequential averaging none): use format 'time'");
    const int K = fbank.K();
    for (int n_fr = 0; n_fr <= K; ++n_fr)
      paths.push_back(make_path(1, -1, n_fr, ls, static_cast<int>(bank.psi1.size())));
    for (std::size_t n2 = 0; n2 < bank.psi2.size(); ++n2) {
      int n1_max = 0;
      for (const auto& f1 : bank.psi1) n1_max += f1.j < bank.psi2[n2].j;
      n1_max_of.push_back(n1_max);
      if (n1_max == 0) continue;  // j2 = 0: no paths (§J4.3)
      for (int n_fr = 0; n_fr <= 2 * K; ++n_fr)
        paths.push_back(make_path(2, static_cast<int>(n2), n_fr, bank.psi2[n2].j, n1_max));
    }
    n_channels = joint ? 0 : 1;  // 'time' starts with S0
    for (Path& p : paths) {
      p.first = n_channels;
      n_channels += joint ? 1 : p.emit;
      lmax = std::max(lmax, length(p.level));
      if (joint && p.rows_out != paths[0].rows_out)
        throw UsageError("format 'joint' needs the same number of frequential rows in every path: "
                         "use stride_fr <= 2^J_fr, local or no frequential averaging, or format "
                         "'time'");
    }
    n_rows = joint ? paths[0].rows_out : 1;
    out_size = n_channels * n_rows * cols;
    build_meta();
  }

  // Kymatio's meta() (§J7): one row per channel ('time') or path ('joint'), sorted by key.
  void build_meta() {
    const auto c1 = morlet_centers_1d(bank.J, bank.Q1);
    const auto c2 = morlet_centers_1d(bank.J, bank.Q2);
    auto blank = [] {
      PathMetaJTFS m{0, -1, -1, -1, 0, 0, {kNaN, kNaN}, {kNaN, kNaN}, {kNaN, kNaN}, kNaN, kNaN,
                     kNaN, kNaN, 0};
      return m;
    };
    if (!joint) meta.push_back(blank());
    for (const Path& p : paths) {
      PathMetaJTFS m = blank();
      const FrequentialFilter& h = fbank.filters[p.n_fr];
      m.order = p.order;
      m.n2 = p.n2;
      m.n_fr = p.n_fr;
      m.n1_max = p.n1_max;
      m.n1_stride = p.n1_stride;
      m.j_fr = h.j;
      m.xi_fr = h.xi;
      m.sigma_fr = h.sigma;
      m.spin = h.spin;
      if (p.order == 2) {
        m.j[1] = bank.psi2[p.n2].j;
        std::tie(m.xi[1], m.sigma[1]) = c2[p.n2];
      }
      for (std::size_t i = 0; i < (joint ? 1 : p.emit); ++i) {
        m.channel = p.first + i;
        if (!joint) {
          m.n1 = static_cast<int>(i) * p.n1_stride;
          m.j[0] = bank.psi1[m.n1].j;
          std::tie(m.xi[0], m.sigma[0]) = c1[m.n1];
        }
        meta.push_back(m);
      }
    }
    // Keys: 'time' (), (n1, n_fr), (n1, n2, n_fr); 'joint' (n_fr), (n2, n_fr).
    auto key = [](const PathMetaJTFS& m) {
      return std::tuple(m.order, m.n1, m.order == 2 ? m.n2 : -1, m.n_fr);
    };
    std::stable_sort(meta.begin(), meta.end(),
                     [&](const auto& a, const auto& b) { return key(a) < key(b); });
  }

  // Per-thread scratch (§J4): the spectra of the U1 rows, and the (N_fr × L) frequential arrays.
  std::size_t workspace_bytes() const {
    const std::size_t frame = fbank.N_fr * pitch(lmax);
    return checked_bytes({frame}, 4 * sizeof(C) + sizeof(T)) +
           checked_bytes({bank.psi1.size(), bank.N}, sizeof(C)) +
           checked_bytes({fbank.N_fr, cols}, 4 * sizeof(C) + 2 * sizeof(T));
  }

  // Filters, each pre-scaled by 1/(length before subsampling): Sub's 1/s times the inverse DFT's
  // 1/n. φ is symmetrised so that Re IDFT(Y·φ̂) is exactly a c2r transform.
  void prepare_filters() {
    for (const auto& f : bank.psi1) psi1.emplace_back(f.fourier, 1.0 / double(bank.N));
    for (std::size_t n2 = 0; n2 < bank.psi2.size(); ++n2) {
      psi2.emplace_back();
      for (int r = 0; r < std::min(bank.psi2[n2].j, ls + 1); ++r)
        psi2.back().emplace_back(periodize_1d(bank.psi2[n2].fourier, r), 1.0 / double(length(r)));
    }
    for (int r = 0; r <= ls; ++r) {
      std::vector<double> p = periodize_1d(bank.phi, r);
      const std::size_t n = p.size();
      std::vector<double> sym(n);
      for (std::size_t k = 0; k < n; ++k) sym[k] = 0.5 * (p[k] + p[(n - k) % n]);
      phi.emplace_back(sym, 1.0 / double(n));
    }
    for (const auto& h : fbank.filters) psi_fr.emplace_back(h.fourier, 1.0 / double(fbank.N_fr));
    // Levels k_in = min(j_fr, log2_F) ≤ J_fr − 1 (§J4.5 step 3); N_fr is a multiple of 2^J_fr.
    for (int k = 0; !fbank.phi_F.empty() && k <= std::min(fbank.log2_F, fbank.J_fr); ++k)
      phi_F.emplace_back(periodize_1d(fbank.phi_F, k), 1.0 / double(fbank.N_fr >> k));
  }

  void prepare_plans() {
    for (int r = 0; r <= ls; ++r) {
      const int n = static_cast<int>(length(r));
      inverse.emplace_back(Plan::Kind::backward, std::vector<int>{n}, 1, exec.planning);
      r2c.emplace_back(Plan::Kind::r2c, std::vector<int>{n}, 1, exec.planning);
    }
    c2r_out = Plan(Plan::Kind::c2r, {static_cast<int>(length(ls))}, 1, exec.planning);
    // The strided frequential transforms are planned with FFTW_ESTIMATE whatever exec.planning:
    // plans measured in isolation ran slower inside the cascade (0.45 vs 0.37 s a signal, §J10).
    auto need = [this](int dir, std::size_t n, std::size_t howmany) {
      const auto k = std::tuple(dir, n, howmany);
      if (fr_plans.count(k)) return;
      fr_plans.emplace(k, Plan(dir == fwd ? Plan::Kind::forward : Plan::Kind::backward,
                               {static_cast<int>(n)}, static_cast<int>(howmany), Planning::estimate,
                               Layout::interleaved));
    };
    for (const Path& p : paths) {
      const std::size_t P = pitch(length(p.level));
      need(fwd, fbank.N_fr, P);
      need(bwd, p.rows_in, P);
      if (averaged_fr(p)) {
        need(fwd, p.rows_in, cols);
        need(bwd, p.rows_out, cols);
      }
    }
  }

  bool averaged_fr(const Path& p) const {
    return opt.averaging_fr == Averaging1D::local && fbank.filters[p.n_fr].spin != 0;
  }
  const Plan& fr_plan(int dir, std::size_t n, std::size_t howmany) const {
    return fr_plans.at(std::tuple(dir, n, howmany));
  }

  // ---- execution ----

  struct Workspace {
    AlignedVector<T> x, u, row, rowout;
    AlignedVector<C> y0, z, zt, rowspec, rowsub;
    std::vector<AlignedVector<C>> y1;  // spectrum of U1[n1] at level k1 (§J4.2)
    AlignedVector<C> X, Xh, Z, Zt;     // N_fr × L: input, its DFT along n1, wavelet output
    AlignedVector<T> U;                // N_fr × L: modulus
    AlignedVector<T> V, W;             // N_fr × cols: after time, after frequency averaging
    AlignedVector<C> A, Ah, B;         // N_fr × cols: frequency averaging
    explicit Workspace(const Impl& p)
        : x(p.bank.N), u(p.bank.N), row(p.bank.N), rowout(p.bank.N), y0(p.bank.N), z(p.bank.N),
          zt(p.bank.N), rowspec(p.bank.N), rowsub(p.bank.N), X(p.fbank.N_fr * pitch(p.lmax)),
          Xh(X.size()), Z(X.size()), Zt(X.size()), U(X.size()), V(p.fbank.N_fr * p.cols),
          W(V.size()), A(V.size()), Ah(V.size()), B(V.size()) {
      for (const auto& f : p.bank.psi1) y1.emplace_back(p.length(std::min(f.j, p.ls)));
    }
  };
  mutable detail::WorkspacePool<Workspace> workspaces;

  // Spectrum of a real signal of length n: r2c, then the Hermitian half filled in.
  void spectrum(int level, const T* u, C* y) const {
    const std::size_t n = length(level);
    r2c[level](u, y);
    for (std::size_t k = n / 2 + 1; k < n; ++k) y[k] = std::conj(y[n - k]);
  }

  // Re IDFT(Sub_{2^{ls−level}}(Y·φ_T^{(level)})) at level ls, all N/2^ls samples, into w.rowout.
  void average_time(const C* y, int level, Workspace& w) const {
    detail::multiply_subsample(y, phi[level], length(ls), w.rowsub.data());
    c2r_out(w.rowsub.data(), w.rowout.data());
  }

  // The order-0 channel (format 'time' only): S0 = φ_T average (§J4.1), or the sum of the padded
  // input (T = 'global', §J8).
  void order_zero(Workspace& w, T* out) const {
    if (joint) return;
    if (local_t) {
      average_time(w.y0.data(), 0, w);
      std::copy(w.rowout.begin() + i0[ls], w.rowout.begin() + i1[ls], out);
    } else {
      *out = static_cast<T>(compensated_sum(w.x.data(), bank.N));
    }
  }

  // U1, its spectrum Y1 and S1 for every n1 (§J4.2): S1 goes to rows n1 of w.X (length N/2^ls).
  void first_order(Workspace& w) const {
    const std::size_t L = length(ls), P = pitch(L);
    std::fill(w.X.begin(), w.X.begin() + fbank.N_fr * P, C(0));
    for (std::size_t n1 = 0; n1 < psi1.size(); ++n1) {
      const int k1 = std::min(bank.psi1[n1].j, ls);
      const std::size_t n = length(k1);
      detail::multiply_subsample(w.y0.data(), psi1[n1], n, w.z.data());
      inverse[k1](w.z.data(), w.zt.data());
      detail::modulus(w.zt.data(), n, w.u.data());
      spectrum(k1, w.u.data(), w.y1[n1].data());
      average_time(w.y1[n1].data(), k1, w);
      std::copy(w.rowout.begin(), w.rowout.begin() + L, w.X.begin() + n1 * P);
    }
  }

  // Y2[n2](n1, ·) = IDFT(Sub_{2^{k2}}(Y1[n1]·ψ2^{(k1)})), complex, at level j2 (§J4.3), into w.X.
  void second_order_input(int n2, Workspace& w) const {
    const int j2 = bank.psi2[n2].j;
    const std::size_t L = length(j2), P = pitch(L);
    std::fill(w.X.begin(), w.X.begin() + fbank.N_fr * P, C(0));
    for (int n1 = 0; n1 < n1_max_of[n2]; ++n1) {
      const int k1 = std::min(bank.psi1[n1].j, ls);
      const int k2 = std::min(j2 - k1, ls);
      detail::multiply_subsample(w.y1[n1].data(), psi2[n2][k1], length(k1 + k2), w.z.data());
      inverse[k1 + k2](w.z.data(), w.zt.data());
      std::copy(w.zt.begin(), w.zt.begin() + L, w.X.begin() + n1 * P);
    }
  }

  // Time step of §J4.5.2 for every row of w.U (rows × L at `level`, pitch P), into w.V (rows × cols):
  // order 2 is averaged by φ_T^{(j2)} and unpadded (or summed, T = 'global'); order 1 was
  // averaged already and is only unpadded (or summed).
  void time_step(const Path& p, std::size_t rows, Workspace& w) const {
    const std::size_t L = length(p.level);
    for (std::size_t r = 0; r < rows; ++r) {
      const T* u = w.U.data() + r * pitch(L);
      T* v = w.V.data() + r * cols;
      if (!local_t) {
        *v = static_cast<T>(compensated_sum(u, L));
      } else if (p.order == 1) {
        std::copy(u + i0[ls], u + i1[ls], v);
      } else {
        std::copy(u, u + L, w.row.begin());
        spectrum(p.level, w.row.data(), w.rowspec.data());
        average_time(w.rowspec.data(), p.level, w);
        std::copy(w.rowout.begin() + i0[ls], w.rowout.begin() + i1[ls], v);
      }
    }
  }

  // Frequency step of §J4.5.3 on w.V (rows_in × cols) into w.W (rows_out × cols): φ_F average
  // (local, spin ±1), sum over rows (global, spin ±1), or none.
  const T* frequency_step(const Path& p, Workspace& w) const {
    const std::size_t n_in = p.rows_in * cols;
    if (fbank.filters[p.n_fr].spin == 0 || opt.averaging_fr == Averaging1D::none) return w.V.data();
    if (opt.averaging_fr == Averaging1D::global) {
      for (std::size_t c = 0; c < cols; ++c)
        w.W[c] = static_cast<T>(compensated_sum(w.V.data() + c, p.rows_in, cols));
      return w.W.data();
    }
    for (std::size_t i = 0; i < n_in; ++i) w.A[i] = w.V[i];
    fr_plan(fwd, p.rows_in, cols)(w.A.data(), w.Ah.data());
    multiply_subsample_rows(w.Ah.data(), phi_F[p.k_fr], p.rows_out, cols, w.B.data());
    fr_plan(bwd, p.rows_out, cols)(w.B.data(), w.A.data());
    for (std::size_t i = 0; i < p.rows_out * cols; ++i) w.W[i] = w.A[i].real();
    return w.W.data();
  }

  // Every path on the input in w.X (n1_max rows, zero-padded to N_fr, time length L, pitch P):
  // X̂ = DFT along n1 (§J4.4), then per frequential filter the wavelet, modulus, time and
  // frequency steps (§J4.5), written to the output layout (§J6).
  void frequential(const Path* begin, const Path* end, Workspace& w, T* out) const {
    const std::size_t P = pitch(length(begin->level));
    fr_plan(fwd, fbank.N_fr, P)(w.X.data(), w.Xh.data());
    for (const Path* p = begin; p != end; ++p) {
      multiply_subsample_rows(w.Xh.data(), psi_fr[p->n_fr], p->rows_in, P, w.Z.data());
      fr_plan(bwd, p->rows_in, P)(w.Z.data(), w.Zt.data());
      detail::modulus(w.Zt.data(), p->rows_in * P, w.U.data());
      time_step(*p, p->rows_in, w);
      const T* rows = frequency_step(*p, w);
      std::copy(rows, rows + p->emit * cols, out + p->first * n_rows * cols);
    }
  }

  // Signal b, computed as 2^-e·x when its range asks for it (spectral.hpp).
  void one(const T* x, std::size_t b, Workspace& w, T* out) const {
    const int e = detail::range_exponent(detail::max_magnitude(x, bank.N_in));
    reflect_pad(x, bank.N_in, bank.pad_left, bank.N, w.x.data());
    detail::scale_pow2(w.x.data(), bank.N, -e);
    spectrum(0, w.x.data(), w.y0.data());
    order_zero(w, out);
    first_order(w);
    const std::size_t K1 = static_cast<std::size_t>(fbank.K()) + 1;
    frequential(paths.data(), paths.data() + K1, w, out);
    const std::size_t per_n2 = 2 * K1 - 1;
    for (std::size_t q = K1; q < paths.size(); q += per_n2) {
      second_order_input(paths[q].n2, w);
      frequential(paths.data() + q, paths.data() + q + per_n2, w, out);
    }
    if (e != 0) {
      detail::scale_pow2(out, out_size, e);
      detail::check_in_range(out, out_size,
                             "the joint time-frequency scattering of signal " + std::to_string(b));
    }
  }

  void run(const T* x, std::size_t batch, T* out) const {
    detail::check_finite(x, batch * bank.N_in);
    detail::Progress progress(exec.progress, batch);
    detail::parallel_ranges(batch, exec.threads, [&](std::size_t b0, std::size_t b1) {
      const auto lease = workspaces.lease([this] { return std::make_unique<Workspace>(*this); });
      for (std::size_t b = b0; b < b1; ++b) {
        one(x + b * bank.N_in, b, *lease, out + b * out_size);
        progress.add(1);
      }
    });
    progress.finish();
  }

  // ---- the FFTs of one signal, in the order one() runs them ----

  void add_work(std::vector<FftWork<T>>& v, typename Plan::Kind kind, std::size_t n,
                std::size_t howmany = 1, std::size_t count = 1) const {
    const bool strided = howmany > 1;
    const FftWork<T> w{kind, {static_cast<int>(n)}, static_cast<int>(howmany),
                       strided ? Layout::interleaved : Layout::contiguous,
                       strided ? Planning::estimate : exec.planning, count};
    if (!v.empty() && v.back().kind == w.kind && v.back().dims == w.dims &&
        v.back().howmany == w.howmany)
      v.back().count += count;
    else
      v.push_back(w);
  }

  void frequential_work(const Path* begin, const Path* end, std::vector<FftWork<T>>& v) const {
    using K = typename Plan::Kind;
    const std::size_t P = pitch(length(begin->level));
    add_work(v, K::forward, fbank.N_fr, P);
    for (const Path* p = begin; p != end; ++p) {
      add_work(v, K::backward, p->rows_in, P);
      for (std::size_t r = 0; local_t && p->order == 2 && r < p->rows_in; ++r) {
        add_work(v, K::r2c, length(p->level));
        add_work(v, K::c2r, length(ls));
      }
      if (averaged_fr(*p)) {
        add_work(v, K::forward, p->rows_in, cols);
        add_work(v, K::backward, p->rows_out, cols);
      }
    }
  }

  std::vector<FftWork<T>> fft_work() const {
    using K = typename Plan::Kind;
    std::vector<FftWork<T>> v;
    add_work(v, K::r2c, bank.N);
    if (!joint && local_t) add_work(v, K::c2r, length(ls));
    for (const auto& f : bank.psi1) {
      const int k1 = std::min(f.j, ls);
      add_work(v, K::backward, length(k1));
      add_work(v, K::r2c, length(k1));
      add_work(v, K::c2r, length(ls));
    }
    const std::size_t K1 = static_cast<std::size_t>(fbank.K()) + 1, per_n2 = 2 * K1 - 1;
    frequential_work(paths.data(), paths.data() + K1, v);
    for (std::size_t q = K1; q < paths.size(); q += per_n2) {
      const int n2 = paths[q].n2, j2 = bank.psi2[n2].j;
      for (int n1 = 0; n1 < n1_max_of[n2]; ++n1) {
        const int k1 = std::min(bank.psi1[n1].j, ls);
        add_work(v, K::backward, length(k1 + std::min(j2 - k1, ls)));
      }
      frequential_work(paths.data() + q, paths.data() + q + per_n2, v);
    }
    return v;
  }

  // (..., N) → (..., C, N_out) or (..., P, R, N_out). Throws InputError when the last axis is not N.
  Shape output_shape(const Shape& xs) const {
    if (xs.empty() || xs.back() != bank.N_in)
      throw InputError("input of shape " + shape_string(xs) + " does not fit: expected (..., " +
                       std::to_string(bank.N_in) + ")");
    Shape s(xs.begin(), xs.end() - 1);
    s.push_back(n_channels);
    if (joint) s.push_back(n_rows);
    s.push_back(cols);
    return s;
  }
};

template <class T>
BasicTimeFrequencyScattering<T>::BasicTimeFrequencyScattering(
    int J, int J_fr, std::size_t N, const TimeFrequencyScatteringOptions& options, ExecOptions exec)
    : impl_(std::make_unique<Impl>(J, J_fr, N, options, std::move(exec))) {}

template <class T>
BasicTimeFrequencyScattering<T>::~BasicTimeFrequencyScattering() = default;
template <class T>
BasicTimeFrequencyScattering<T>::BasicTimeFrequencyScattering(
    BasicTimeFrequencyScattering&&) noexcept = default;
template <class T>
BasicTimeFrequencyScattering<T>& BasicTimeFrequencyScattering<T>::operator=(
    BasicTimeFrequencyScattering&&) noexcept = default;

template <class T>
std::size_t BasicTimeFrequencyScattering<T>::input_length() const { return impl_->bank.N_in; }
template <class T>
const TimeFrequencyScatteringOptions& BasicTimeFrequencyScattering<T>::options() const {
  return impl_->opt;
}
template <class T>
const FilterBank1D& BasicTimeFrequencyScattering<T>::filters() const { return impl_->bank; }
template <class T>
const FrequentialFilterBank& BasicTimeFrequencyScattering<T>::frequential_filters() const {
  return impl_->fbank;
}
template <class T>
std::size_t BasicTimeFrequencyScattering<T>::channels() const { return impl_->n_channels; }
template <class T>
std::size_t BasicTimeFrequencyScattering<T>::rows() const { return impl_->n_rows; }
template <class T>
std::size_t BasicTimeFrequencyScattering<T>::output_length() const { return impl_->cols; }
template <class T>
std::size_t BasicTimeFrequencyScattering<T>::output_size() const { return impl_->out_size; }
template <class T>
const std::vector<PathMetaJTFS>& BasicTimeFrequencyScattering<T>::meta() const {
  return impl_->meta;
}

template <class T>
void BasicTimeFrequencyScattering<T>::operator()(const T* x, std::size_t batch, T* out) const {
  impl_->run(x, batch, out);
}

template <class T>
Array<T> BasicTimeFrequencyScattering<T>::operator()(const Array<T>& x) const {
  Shape s = impl_->output_shape(x.shape);
  const std::size_t batch = x.size() / input_length();
  check_memory(checked_bytes({batch, output_size()}, sizeof(T)),
               "joint time-frequency scattering of " + std::to_string(batch) +
                   " signals of length " + std::to_string(input_length()));
  Array<T> out(std::move(s));
  impl_->run(x.data.data(), batch, out.data.data());
  return out;
}

template <class T>
std::vector<FftWork<T>> BasicTimeFrequencyScattering<T>::fft_work() const {
  return impl_->fft_work();
}

template class BasicTimeFrequencyScattering<float>;
template class BasicTimeFrequencyScattering<double>;

}  // namespace wst
