// 1D scattering cascade, docs/scattering-formulas.md §1.9–§1.12 (Andén & Mallat 2014, §III), with
// the averaging modes and stride of docs/scattering-options.md §1.
#include "wst/core/scattering_1d.hpp"
#include "wst/support/format.hpp"
#include "wst/support/memory_budget.hpp"  // memory limit

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>

#include "spectral.hpp"
#include "wst/core/padding.hpp"

namespace wst {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The bank, after the checks that need none: T and the stride belong to local averaging
// (docs/scattering-options.md §1.1, §1.2).
FilterBank1D checked_bank(int J, std::size_t N, const Scattering1DOptions& o) {
  if (o.averaging != Averaging1D::local) {
    const std::string mode = o.averaging == Averaging1D::global ? "global" : "none (T=0)";
    if (o.T != 0)
      throw UsageError("T=" + num("%.12g", o.T) + " is only used with local averaging: with "
                       "averaging " + mode + " T is 2^J (leave it 0)");
    if (o.stride != 0)
      throw UsageError("stride=" + std::to_string(o.stride) +
                       " is only used with local averaging: with averaging " + mode +
                       " every path keeps its own resolution (leave it 0)");
  }
  return morlet_filter_bank_1d(J, N, o.Q.q1, o.Q.q2, o.T);
}

// log2 of the stride: 0 means 2^log2_T; otherwise a power of two ≤ 2^log2_T
// (docs/scattering-options.md §1.2, §1.5).
int stride_exponent(std::size_t stride, const FilterBank1D& b) {
  if (stride == 0) return b.log2_T;
  const std::size_t most = std::size_t{1} << b.log2_T;
  if (!std::has_single_bit(stride) || stride > most)
    throw UsageError("stride=" + std::to_string(stride) + " is out of range: with T=" +
                     num("%.12g", b.T) + " the stride must be a power of two from 1 to " +
                     "2^floor(log2 T) = " + std::to_string(most));
  return std::countr_zero(stride);
}

// Σ v[i] in double, Neumaier-compensated: the 'global' coefficients
// (docs/scattering-options.md §1.4).
template <class T>
double compensated_sum(const T* v, std::size_t n) {
  double s = 0, c = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = v[i], t = s + x;
    c += std::abs(s) >= std::abs(x) ? (s - t) + x : (x - t) + s;
    s = t;
  }
  return s + c;
}

// x̄[ρ(t − p_left)] += x̄0[t] in ascending t: the adjoint of reflect_pad, the fold of
// docs/scattering-gradients.md §2.
template <class T>
void reflect_fold(const T* xbar0, std::size_t padded, std::size_t pad_left, std::size_t n, T* xbar) {
  std::fill(xbar, xbar + n, T(0));
  for (std::size_t t = 0; t < padded; ++t)
    xbar[reflect_index(static_cast<long long>(t) - static_cast<long long>(pad_left), n)] += xbar0[t];
}
}  // namespace

template <class T>
struct BasicScattering1D<T>::Impl {
  using C = std::complex<T>;
  using Plan = FftPlan<T>;

  // One scattering path: its last wavelet (at the resolution of its parent), the resolution of
  // U = |parent ⋆ ψ| and its output channel. Children extend the path by one wavelet.
  struct Node {
    const detail::SparseFilter<T>* psi;
    int level;  // U is at length N / 2^level
    std::size_t channel;
    std::vector<Node> children;
    std::size_t tape_at = 0;  // where its x ⋆ ψ starts in a signal's tape
  };

  FilterBank1D bank;
  Scattering1DOptions opt;  // T and stride resolved
  ExecOptions options;
  int max_order;
  bool local;
  int ls;   // log2 of the stride (local)
  int cap;  // U's level after wavelet j: max(parent's, min(j, cap)); ls when local, else unbounded
            // (docs/scattering-options.md §1.3)
  int top;  // highest level of any U
  std::vector<std::size_t> i0, i1;         // unpadding bounds per level (§1.11)
  std::vector<std::size_t> length_of, offset_of;  // per channel (docs/scattering-options.md §1.4)
  std::size_t out_size = 0;                // values per signal
  std::vector<PathMeta1D> meta;
  std::vector<int> level_of;  // per channel: the level of its U (0 for order 0)
  std::vector<Node> roots;    // order-1 paths
  std::size_t tape_size = 0;  // complex values of one signal's tape (a multiple of 8: aligned)

  std::vector<detail::SparseFilter<T>> psi1;                    // level 0, scaled by 1/N
  std::vector<std::vector<detail::SparseFilter<T>>> psi2;       // [n2][level], scaled by 1/L_r
  std::vector<detail::SparseFilter<T>> phi;                     // [level], symmetrised, 1/L_r

  std::vector<Plan> inverse, r2c;  // [level]
  Plan c2r_out;                    // length N / 2^ls (local)

  std::size_t length(int level) const { return bank.N >> level; }

  struct Workspace {
    AlignedVector<T> x, u, s;
    AlignedVector<C> z, zt, zout;
    std::vector<AlignedVector<C>> y;  // spectrum per depth (0 = input)
    explicit Workspace(const Impl& p)
        : x(p.bank.N), u(p.bank.N), s(p.local ? p.length(p.ls) : 0), z(p.bank.N), zt(p.bank.N),
          zout(p.local ? p.length(p.ls) : 0), y(p.max_order + 1, AlignedVector<C>(p.bank.N)) {}
  };
  mutable detail::WorkspacePool<Workspace> workspaces;

  Impl(int J, std::size_t N, const Scattering1DOptions& o, ExecOptions exec)
      : bank(checked_bank(J, N, o)), opt(o), options(exec), max_order(o.max_order),
        local(o.averaging == Averaging1D::local) {
    if (max_order < 1 || max_order > 3)
      throw UsageError("max_order=" + std::to_string(max_order) + " is out of range: must be 1, 2 or 3");
    if (options.threads < 1)
      throw UsageError("threads=" + std::to_string(options.threads) + " is out of range: must be at least 1");
    ls = local ? stride_exponent(o.stride, bank) : 0;
    opt.T = bank.T;
    opt.stride = local ? std::size_t{1} << ls : 0;
    cap = local ? ls : std::numeric_limits<int>::max();
    top = local ? ls : 0;
    for (const auto& f : bank.psi1) top = std::max(top, std::min(f.j, cap));
    if (max_order > 1)
      for (const auto& f : bank.psi2) top = std::max(top, std::min(f.j, cap));

    // Unpadding bounds by recursive ceil-halving (§1.11), r = 0 … max(log2_T, J).
    i0 = {bank.pad_left};
    i1 = {bank.pad_left + bank.N_in};
    for (int r = 1; r <= std::max(bank.log2_T, J); ++r) {
      i0.push_back((i0.back() + 1) / 2);
      i1.push_back((i1.back() + 1) / 2);
    }
    prepare_filters_and_plans();
    check_tree();
    build_paths();
    for (Node& root : roots) place_on_tape(root);
    const bool global = opt.averaging == Averaging1D::global;
    for (int level : level_of) {
      const std::size_t n = local ? i1[ls] - i0[ls] : global ? 1 : i1[level] - i0[level];
      offset_of.push_back(out_size);
      length_of.push_back(n);
      out_size += n;
    }
  }

  // Filters, each pre-scaled by 1/(length before subsampling): Sub's 1/s times the inverse
  // DFT's 1/n. φ is symmetrised so that Re IDFT(Y·φ̂) is exactly a c2r transform.
  // With float32_filters every stored level is rounded to float first, as kymatio.torch does
  // (docs/scattering-gradients.md §4); the scales are powers of two, so they round nothing more.
  void prepare_filters_and_plans() {
    auto stored = [this](std::vector<double> v) {
      if (opt.float32_filters)
        for (double& a : v) a = static_cast<float>(a);
      return v;
    };
    for (const auto& f : bank.psi1) psi1.emplace_back(stored(f.fourier), 1.0 / double(bank.N));
    for (const auto& f : bank.psi2) {
      psi2.emplace_back();
      for (int r = 0; r <= top; ++r)
        psi2.back().emplace_back(stored(periodize_1d(f.fourier, r)), 1.0 / double(length(r)));
    }
    for (int r = 0; local && r <= ls; ++r) {
      std::vector<double> p = stored(periodize_1d(bank.phi, r));
      const std::size_t n = p.size();
      std::vector<double> sym(n);
      for (std::size_t k = 0; k < n; ++k) sym[k] = 0.5 * (p[k] + p[(n - k) % n]);
      phi.emplace_back(sym, 1.0 / double(n));
    }
    for (int r = 0; r <= top; ++r) {
      const int n = static_cast<int>(length(r));
      inverse.emplace_back(Plan::Kind::backward, std::vector<int>{n}, 1, options.planning);
      r2c.emplace_back(Plan::Kind::r2c, std::vector<int>{n}, 1, options.planning);
    }
    if (local) c2r_out = Plan(Plan::Kind::c2r, {static_cast<int>(length(ls))}, 1, options.planning);
  }

  // The tree's memory, counted before it is built: paths (their meta, one signal's output at
  // most) and the children each node reserves.
  void check_tree() const {
    std::map<int, std::size_t> ends;  // paths of the current order by their last j
    for (const auto& f : bank.psi1) ++ends[f.j];
    std::size_t paths = 1 + bank.psi1.size(), reserved = 0;
    for (int order = 1; order < max_order; ++order) {
      std::map<int, std::size_t> next;
      for (auto [j, c] : ends) {
        reserved += c * bank.psi2.size();
        for (const auto& f : bank.psi2)
          if (f.j > j) next[f.j] += c;
      }
      for (auto [j, c] : next) paths += c;
      ends = std::move(next);
    }
    const std::size_t per_path = local ? i1[ls] - i0[ls]
                                 : opt.averaging == Averaging1D::global ? 1 : bank.N_in;
    const std::size_t bytes =
        checked_bytes({paths}, 2 * sizeof(PathMeta1D) + sizeof(int) + per_path * sizeof(T)) +
        checked_bytes({reserved}, sizeof(Node));
    check_memory(bytes, "a 1-D scattering tree of " + std::to_string(paths) + " paths (order " +
                            std::to_string(max_order) + ")");
  }

  static PathMeta1D blank_meta() {
    PathMeta1D m{};
    m.order = 0;
    for (int i = 0; i < 3; ++i) {
      m.n[i] = m.j[i] = -1;
      m.xi[i] = m.sigma[i] = kNaN;
    }
    return m;
  }

  // Paths in Kymatio's order: order, then (n1, n2, …) lexicographic; a child wavelet must have
  // a strictly larger dyadic index j (§1.10). The level of U after wavelet j is
  // max(parent's level, min(j, cap)) (docs/scattering-options.md §1.3).
  void build_paths() {
    meta.push_back(blank_meta());
    level_of.push_back(0);
    auto set = [](PathMeta1D& m, int d, int n, const Filter1D& f) {
      m.n[d] = n;
      m.j[d] = f.j;
      m.xi[d] = f.xi;
      m.sigma[d] = f.sigma;
    };
    for (std::size_t n1 = 0; n1 < bank.psi1.size(); ++n1)
      roots.push_back(Node{&psi1[n1], std::min(bank.psi1[n1].j, cap), 0, {}});
    // Channels are numbered order by order, so walk the tree breadth-first per order.
    std::vector<std::pair<Node*, PathMeta1D>> frontier;
    for (std::size_t n1 = 0; n1 < roots.size(); ++n1) {
      PathMeta1D m = blank_meta();
      m.order = 1;
      set(m, 0, static_cast<int>(n1), bank.psi1[n1]);
      frontier.emplace_back(&roots[n1], m);
    }
    for (int order = 1; order <= max_order; ++order) {
      for (auto& [node, m] : frontier) {
        node->channel = meta.size();
        meta.push_back(m);
        level_of.push_back(node->level);
      }
      if (order == max_order) break;
      std::vector<std::pair<Node*, PathMeta1D>> next;
      for (auto& [node, m] : frontier) {
        const int j_last = m.j[order - 1];
        node->children.reserve(bank.psi2.size());  // addresses stay valid for `next`
        for (std::size_t n = 0; n < bank.psi2.size(); ++n) {
          const auto& f = bank.psi2[n];
          if (f.j <= j_last) continue;
          node->children.push_back(
              Node{&psi2[n][node->level], std::max(node->level, std::min(f.j, cap)), 0, {}});
          PathMeta1D child = m;
          child.order = order + 1;
          set(child, order, static_cast<int>(n), f);
          next.emplace_back(&node->children.back(), child);
        }
      }
      frontier = std::move(next);
    }
  }

  // Each path's x ⋆ ψ gets its place on a signal's tape, 64-byte aligned for FFTW.
  void place_on_tape(Node& node) {
    node.tape_at = tape_size;
    tape_size += (length(node.level) + 7) / 8 * 8;
    for (Node& child : node.children) place_on_tape(child);
  }

  // Spectrum of a real signal of length n: r2c, then the Hermitian half filled in.
  void spectrum(int level, const T* u, C* y) const {
    const std::size_t n = length(level);
    r2c[level](u, y);
    for (std::size_t k = n / 2 + 1; k < n; ++k) y[k] = std::conj(y[n - k]);
  }

  // Local output: Re IDFT(Sub(Y·φ̂)) at level ls, unpadded (§1.9, §1.11).
  void average(const C* y, int level, Workspace& w, T* out) const {
    detail::multiply_subsample(y, phi[level], length(ls), w.zout.data());
    c2r_out(w.zout.data(), w.s.data());
    std::copy(w.s.begin() + i0[ls], w.s.begin() + i1[ls], out);
  }

  // Output of U at `level` without φ (docs/scattering-options.md §1.4): its unpadded samples
  // (none) or the sum of all its samples, padding included (global).
  void unaveraged(const T* u, int level, T* out) const {
    if (opt.averaging == Averaging1D::none)
      std::copy(u + i0[level], u + i1[level], out);
    else
      *out = static_cast<T>(compensated_sum(u, length(level)));
  }

  // Path `node` from its parent's spectrum: U = |IDFT(Sub(Y·ψ))|, its output, and its spectrum
  // when its average or its children need it (§1.9). With a tape, x ⋆ ψ is kept there.
  void walk(const Node& node, const C* parent, int depth, Workspace& w, T* out, C* tape) const {
    const std::size_t n = length(node.level);
    C* z = tape ? tape + node.tape_at : w.zt.data();
    detail::multiply_subsample(parent, *node.psi, n, w.z.data());
    inverse[node.level](w.z.data(), z);
    detail::modulus(z, n, w.u.data());
    C* y = w.y[depth].data();
    T* o = out + offset_of[node.channel];
    if (local) {
      spectrum(node.level, w.u.data(), y);
      average(y, node.level, w, o);
    } else {
      unaveraged(w.u.data(), node.level, o);
      if (!node.children.empty()) spectrum(node.level, w.u.data(), y);
    }
    for (const Node& child : node.children) walk(child, y, depth + 1, w, out, tape);
  }

  // Signal b of the batch; computed as 2^-e·x when its range asks for it (spectral.hpp). With
  // averaging none, order 0 is x itself, copied unscaled.
  void one(const T* x, std::size_t b, Workspace& w, T* out, C* tape) const {
    const int e = start(x, w);
    order_zero(x, w, out);
    for (const Node& root : roots) walk(root, w.y[0].data(), 1, w, out, tape);
    rescale(out, e, b);
  }

  // w.x = 2^-e·(x reflect-padded) and w.y[0] its spectrum; returns e (spectral.hpp's range).
  int start(const T* x, Workspace& w) const {
    const int e = detail::range_exponent(detail::max_magnitude(x, bank.N_in));
    reflect_pad(x, bank.N_in, bank.pad_left, bank.N, w.x.data());
    detail::scale_pow2(w.x.data(), bank.N, -e);
    spectrum(0, w.x.data(), w.y[0].data());
    return e;
  }

  // The order-0 output of x (after start()).
  void order_zero(const T* x, Workspace& w, T* out) const {
    if (local)
      average(w.y[0].data(), 0, w, out);
    else if (opt.averaging == Averaging1D::global)
      unaveraged(w.x.data(), 0, out);
    else
      std::copy(x, x + bank.N_in, out);
  }

  // The output of 2^-e·x, scaled back to that of x (with averaging none, order 0 is x already).
  void rescale(T* out, int e, std::size_t b) const {
    if (e == 0) return;
    const std::size_t skip = opt.averaging == Averaging1D::none ? length_of[0] : 0;
    detail::scale_pow2(out + skip, out_size - skip, e);
    detail::check_in_range(out + skip, out_size - skip,
                           "the 1-D scattering of signal " + std::to_string(b));
  }

  // tape: batch × tape_size values to record x ⋆ ψ of every path in, or nullptr.
  void run(const T* x, std::size_t batch, T* out, C* tape = nullptr) const {
    detail::check_finite(x, batch * bank.N_in);
    detail::Progress progress(options.progress, batch);
    detail::parallel_items(batch, options.threads, [&](std::size_t b0, std::size_t b1) {
      const auto lease = workspaces.lease([this] { return std::make_unique<Workspace>(*this); });
      Workspace& w = *lease;
      for (std::size_t b = b0; b < b1; ++b) {
        one(x + b * bank.N_in, b, w, out + b * out_size, tape ? tape + b * tape_size : nullptr);
        progress.add(1);
      }
    });
    progress.finish();
  }

  // ---- the reverse pass (docs/scattering-gradients.md, "1D") ----

  // FFTW plans only the reverse pass needs, per level: the forward c2c DFT (adjoint of the
  // inverse DFT) and c2r (adjoint of the spectrum of a real signal). Made on the first
  // backward() call, so that forward-only users do not plan them.
  mutable std::once_flag reverse_planned;
  mutable std::vector<Plan> dft, c2r;

  void plan_reverse() const {
    std::call_once(reverse_planned, [this] {
      for (int r = 0; r <= top; ++r) {
        const int n = static_cast<int>(length(r));
        dft.emplace_back(Plan::Kind::forward, std::vector<int>{n}, 1, options.planning);
        c2r.emplace_back(Plan::Kind::c2r, std::vector<int>{n}, 1, options.planning);
      }
    });
  }

  // The forward values are recomputed into fwd (fwd.y[d]: spectrum of U at depth d); per depth,
  // z = parent ⋆ ψ (its phase is all the reverse pass needs of the forward, §2) and
  // ybar, the cotangent of U's spectrum; the rest is scratch used between two recursive calls.
  struct BackWorkspace {
    Workspace fwd;
    std::vector<AlignedVector<C>> z, ybar;
    AlignedVector<T> ubar, g;
    AlignedVector<C> zbar, half, spec;
    explicit BackWorkspace(const Impl& p)
        : fwd(p), z(p.max_order + 1, AlignedVector<C>(p.bank.N)),
          ybar(p.max_order + 1, AlignedVector<C>(p.bank.N)), ubar(p.bank.N), g(p.bank.N),
          zbar(p.bank.N), half(p.bank.N / 2 + 1), spec(p.bank.N) {}
  };
  mutable detail::WorkspacePool<BackWorkspace> back_workspaces;

  // One signal's cotangent g (output layout), used as 2^-f·g (the range rule, as x in forward),
  // and where its forward output goes (nullptr: none wanted).
  struct Cotangent {
    const T* g;
    int f;
    T* out;
    T at(std::size_t c, std::size_t i, const Impl& p) const {
      return detail::scaled(g[p.offset_of[c] + i], -f);
    }
  };

  // Local averaging, channel c at U's level: Ȳ += φ̂_level · tile(G_c), where G_c is the DFT of the
  // channel's cotangent zero-filled into length N/2^ls ("1D" 2.2 and 3: the adjoints of unpadding,
  // c2r, subsampling and the φ product).
  void add_average_adjoint(const Cotangent& s, std::size_t c, int level, BackWorkspace& w,
                           C* ybar) const {
    const std::size_t n = length(ls);
    std::fill(w.g.begin(), w.g.begin() + n, T(0));
    for (std::size_t i = 0; i < length_of[c]; ++i) w.g[i0[ls] + i] = s.at(c, i, *this);
    spectrum(ls, w.g.data(), w.spec.data());
    detail::tile_multiply_add(w.spec.data(), phi[level], n, ybar);
  }

  // Averaging none or global, channel c: Ū += the cotangent zero-filled at [i0, i1) of U's level
  // (none) or broadcast over all of U's samples (global) ("1D" 2.4 and 3).
  void add_unaveraged_adjoint(const Cotangent& s, std::size_t c, int level, T* ubar) const {
    if (opt.averaging == Averaging1D::none) {
      for (std::size_t i = 0; i < length_of[c]; ++i) ubar[i0[level] + i] += s.at(c, i, *this);
    } else {
      const T v = s.at(c, 0, *this);
      for (std::size_t i = 0; i < length(level); ++i) ubar[i] += v;
    }
  }

  // Ū = Re(L·IDFT_L(Ȳ)), the adjoint of spectrum() (§2), by a c2r of Ȳ's Hermitian half.
  void spectrum_adjoint(int level, const C* ybar, BackWorkspace& w, T* ubar) const {
    detail::hermitian_half(ybar, length(level), w.half.data());
    c2r[level](w.half.data(), ubar);
  }

  // The forward of walk() for `node` (z kept at w.z[depth]), computing U and its spectrum only
  // when a child or the wanted output needs them.
  void back_forward(const Node& node, const C* parent, int depth, const Cotangent& s,
                    BackWorkspace& w) const {
    const std::size_t n = length(node.level);
    const C* z = w.z[depth].data();
    detail::multiply_subsample(parent, *node.psi, n, w.fwd.z.data());
    inverse[node.level](w.fwd.z.data(), w.z[depth].data());
    const bool kids = !node.children.empty();
    if (!kids && !s.out) return;
    detail::modulus(z, n, w.fwd.u.data());
    C* y = w.fwd.y[depth].data();
    T* o = s.out ? s.out + offset_of[node.channel] : nullptr;
    if (kids || (o && local)) spectrum(node.level, w.fwd.u.data(), y);
    if (o && local) average(y, node.level, w.fwd, o);
    if (o && !local) unaveraged(w.fwd.u.data(), node.level, o);
  }

  // Path `node` and its descendants: recompute, then add the cotangent of the parent's spectrum,
  // Ȳ_parent += ψ̂ · tile(DFT_L(z̄)) / L_parent (the 1/L_parent is in ψ's stored scale), with
  // z̄ = Ū·z/|z| and Ū gathered from this path's output and its children ("1D" step 2). With a
  // tape, z is read from it instead of recomputed.
  void back_walk(const Node& node, const C* parent, int depth, const Cotangent& s,
                 BackWorkspace& w, C* parent_ybar, const C* tape) const {
    if (!tape) back_forward(node, parent, depth, s, w);
    const C* z = tape ? tape + node.tape_at : w.z[depth].data();
    const std::size_t n = length(node.level);
    const bool spectral = local || !node.children.empty();
    C* ybar = w.ybar[depth].data();
    if (spectral) std::fill(ybar, ybar + n, C(0));
    if (local) add_average_adjoint(s, node.channel, node.level, w, ybar);
    for (const Node& child : node.children)
      back_walk(child, w.fwd.y[depth].data(), depth + 1, s, w, ybar, tape);
    T* ubar = w.ubar.data();
    if (spectral)
      spectrum_adjoint(node.level, ybar, w, ubar);
    else
      std::fill(ubar, ubar + n, T(0));
    if (!local) add_unaveraged_adjoint(s, node.channel, node.level, ubar);
    detail::modulus_adjoint(z, ubar, n, w.zbar.data());
    dft[node.level](w.zbar.data(), w.fwd.z.data());
    detail::tile_multiply_add(w.fwd.z.data(), *node.psi, n, parent_ybar);
  }

  // Signal b: grad = ∂/∂x Σ g·S(x) ("1D" steps 1–5), and its output too when out is given. The
  // Jacobian of S is the same at x and 2^-e·x (S is positively homogeneous), and the pass is
  // linear in g, so both are rescaled as the forward rescales x. With a tape, x is not read.
  void one_backward(const T* x, const T* g, std::size_t b, BackWorkspace& w, T* out, T* grad,
                    const C* tape) const {
    const int e = tape ? 0 : start(x, w.fwd);
    const Cotangent s{g, detail::range_exponent(detail::max_magnitude(g, out_size)), out};
    if (out) order_zero(x, w.fwd, out);
    C* ybar0 = w.ybar[0].data();
    std::fill(ybar0, ybar0 + bank.N, C(0));
    if (local) add_average_adjoint(s, 0, 0, w, ybar0);
    for (const Node& root : roots) back_walk(root, w.fwd.y[0].data(), 1, s, w, ybar0, tape);
    spectrum_adjoint(0, ybar0, w, w.ubar.data());
    if (opt.averaging == Averaging1D::global) add_unaveraged_adjoint(s, 0, 0, w.ubar.data());
    reflect_fold(w.ubar.data(), bank.N, bank.pad_left, bank.N_in, grad);
    detail::scale_pow2(grad, bank.N_in, s.f);
    if (opt.averaging == Averaging1D::none)  // order 0 is x itself
      for (std::size_t i = 0; i < bank.N_in; ++i) grad[i] += g[i];
    detail::check_in_range(grad, bank.N_in,
                           "the gradient of the 1-D scattering of signal " + std::to_string(b));
    if (out) rescale(out, e, b);
  }

  // x or (without out) a tape of the batch recorded by run().
  void run_backward(const T* x, const T* g, std::size_t batch, T* out, T* grad,
                    const C* tape = nullptr) const {
    if (x) detail::check_finite(x, batch * bank.N_in);
    detail::check_finite(g, batch * out_size, "grad_out", "the scattering gradient");
    plan_reverse();
    detail::Progress progress(options.progress, batch);
    detail::parallel_ranges(batch, options.threads, [&](std::size_t b0, std::size_t b1) {
      const auto lease =
          back_workspaces.lease([this] { return std::make_unique<BackWorkspace>(*this); });
      BackWorkspace& w = *lease;
      for (std::size_t b = b0; b < b1; ++b) {
        one_backward(x ? x + b * bank.N_in : nullptr, g + b * out_size, b, w,
                     out ? out + b * out_size : nullptr, grad + b * bank.N_in,
                     tape ? tape + b * tape_size : nullptr);
        progress.add(1);
      }
    });
    progress.finish();
  }

  // The output shape for an input of shape xs (..., N): (..., C, N_out), or (..., output_size)
  // with averaging none. Throws InputError when the last axis is not N.
  Shape output_shape(const Shape& xs) const {
    if (xs.empty() || xs.back() != bank.N_in)
      throw InputError("input of shape " + shape_string(xs) + " does not fit: expected (..., " +
                       std::to_string(bank.N_in) + ")");
    Shape s(xs.begin(), xs.end() - 1);
    if (opt.averaging == Averaging1D::none) {
      s.push_back(out_size);
    } else {
      s.push_back(meta.size());
      s.push_back(length_of[0]);
    }
    return s;
  }
};

template <class T>
BasicScattering1D<T>::BasicScattering1D(int J, std::size_t N, const Scattering1DOptions& options,
                                        ExecOptions exec)
    : impl_(std::make_unique<Impl>(J, N, options, exec)) {}

template <class T>
BasicScattering1D<T>::BasicScattering1D(int J, std::size_t N, Q1D Q, std::size_t T_avg,
                                        int max_order, ExecOptions options)
    : BasicScattering1D(J, N,
                        Scattering1DOptions{.T = static_cast<double>(T_avg), .Q = Q,
                                            .max_order = max_order},
                        std::move(options)) {}

template <class T>
BasicScattering1D<T>::~BasicScattering1D() = default;
template <class T>
BasicScattering1D<T>::BasicScattering1D(BasicScattering1D&&) noexcept = default;
template <class T>
BasicScattering1D<T>& BasicScattering1D<T>::operator=(BasicScattering1D&&) noexcept = default;

template <class T>
std::size_t BasicScattering1D<T>::input_length() const { return impl_->bank.N_in; }
template <class T>
const Scattering1DOptions& BasicScattering1D<T>::options() const { return impl_->opt; }
template <class T>
std::size_t BasicScattering1D<T>::channels() const { return impl_->meta.size(); }
template <class T>
const std::vector<PathMeta1D>& BasicScattering1D<T>::meta() const { return impl_->meta; }
template <class T>
const FilterBank1D& BasicScattering1D<T>::filters() const { return impl_->bank; }
template <class T>
std::size_t BasicScattering1D<T>::output_length(std::size_t channel) const {
  return impl_->length_of.at(channel);
}
template <class T>
std::size_t BasicScattering1D<T>::output_offset(std::size_t channel) const {
  return impl_->offset_of.at(channel);
}
template <class T>
std::size_t BasicScattering1D<T>::output_size() const { return impl_->out_size; }
template <class T>
std::size_t BasicScattering1D<T>::output_length() const {
  if (impl_->opt.averaging == Averaging1D::none)
    throw UsageError("output_length(): with averaging none (T=0) every path has its own length; "
                     "use output_length(channel)");
  return impl_->length_of[0];
}
template <class T>
const std::vector<std::size_t>& BasicScattering1D<T>::unpad_begin() const { return impl_->i0; }
template <class T>
const std::vector<std::size_t>& BasicScattering1D<T>::unpad_end() const { return impl_->i1; }

template <class T>
void BasicScattering1D<T>::operator()(const T* x, std::size_t batch, T* out) const {
  impl_->run(x, batch, out);
}

template <class T>
Array<T> BasicScattering1D<T>::operator()(const Array<T>& x) const {
  Shape s = impl_->output_shape(x.shape);
  const std::size_t batch = x.size() / input_length();
  check_memory(checked_bytes({batch, output_size()}, sizeof(T)),
               "1-D scattering of " + std::to_string(batch) + " signals of length " +
                   std::to_string(input_length()));
  Array<T> out(std::move(s));
  impl_->run(x.data.data(), batch, out.data.data());
  return out;
}

template <class T>
void BasicScattering1D<T>::backward(const T* x, const T* grad_out, std::size_t batch,
                                    T* grad_x) const {
  impl_->run_backward(x, grad_out, batch, nullptr, grad_x);
}

template <class T>
void BasicScattering1D<T>::forward_backward(const T* x, const T* grad_out, std::size_t batch,
                                            T* out, T* grad_x) const {
  impl_->run_backward(x, grad_out, batch, out, grad_x);
}

template <class T>
Array<T> BasicScattering1D<T>::backward(const Array<T>& x, const Array<T>& grad_out) const {
  const Shape expected = impl_->output_shape(x.shape);
  if (grad_out.shape != expected)
    throw InputError("grad_out of shape " + shape_string(grad_out.shape) +
                     " does not fit: expected " + shape_string(expected) +
                     " (the output's shape for an input of shape " + shape_string(x.shape) + ")");
  const std::size_t batch = x.size() / input_length();
  check_memory(checked_bytes({batch, input_length()}, sizeof(T)),
               "the 1-D scattering gradient of " + std::to_string(batch) + " signals of length " +
                   std::to_string(input_length()));
  Array<T> grad(x.shape);
  impl_->run_backward(x.data.data(), grad_out.data.data(), batch, nullptr, grad.data.data());
  return grad;
}

template <class T>
std::size_t BasicScattering1D<T>::tape_bytes() const {
  return impl_->tape_size * sizeof(std::complex<T>);
}

template <class T>
void BasicScattering1D<T>::forward(const T* x, std::size_t batch, T* out, Tape& tape) const {
  check_memory(checked_bytes({batch, impl_->tape_size}, sizeof(std::complex<T>)),
               "the tape of a 1-D scattering of " + std::to_string(batch) + " signals of length " +
                   std::to_string(input_length()));
  tape.owner_ = nullptr;  // invalid until complete
  tape.z_.resize(batch * impl_->tape_size);
  impl_->run(x, batch, out, tape.z_.data());
  tape.batch_ = batch;
  tape.owner_ = impl_.get();
}

template <class T>
void BasicScattering1D<T>::backward(const Tape& tape, const T* grad_out, T* grad_x) const {
  if (tape.owner_ != impl_.get())
    throw UsageError(tape.owner_ ? "tape: recorded by another transform"
                                 : "tape: empty (record it with forward(x, batch, out, tape))");
  impl_->run_backward(nullptr, grad_out, tape.batch_, nullptr, grad_x, tape.z_.data());
}

template class BasicScattering1D<float>;
template class BasicScattering1D<double>;

}  // namespace wst
