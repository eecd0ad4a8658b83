// 1D scattering cascade, spec §1.9–§1.12 (Andén & Mallat 2014, §III).
#include "wst/core/scattering_1d.hpp"
#include "wst/support/memory_budget.hpp"  // memory limit

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "spectral.hpp"
#include "wst/core/padding.hpp"

namespace wst {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

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
  };

  FilterBank1D bank;
  ExecOptions options;
  int max_order;
  int ls;                // log2 of the stride
  std::size_t i0, i1;    // unpadding bounds at level ls (§1.11)
  std::vector<PathMeta1D> meta;
  std::vector<Node> roots;  // order-1 paths

  std::vector<detail::SparseFilter<T>> psi1;                    // level 0, scaled by 1/N
  std::vector<std::vector<detail::SparseFilter<T>>> psi2;       // [n2][level], scaled by 1/L_r
  std::vector<detail::SparseFilter<T>> phi;                     // [level], symmetrised, 1/L_r

  std::vector<Plan> inverse, r2c;  // [level]
  Plan c2r_out;                    // length N / 2^ls

  std::size_t length(int level) const { return bank.N >> level; }

  struct Workspace {
    AlignedVector<T> x, u, s;
    AlignedVector<C> z, zt, zout;
    std::vector<AlignedVector<C>> y;  // spectrum per depth (0 = input)
    explicit Workspace(const Impl& p)
        : x(p.bank.N), u(p.bank.N), s(p.length(p.ls)), z(p.bank.N), zt(p.bank.N),
          zout(p.length(p.ls)), y(p.max_order + 1, AlignedVector<C>(p.bank.N)) {}
  };
  mutable detail::WorkspacePool<Workspace> workspaces;

  Impl(int J, std::size_t N, Q1D Q, std::size_t T_avg, int max_order_, ExecOptions opt)
      : bank(morlet_filter_bank_1d(J, N, Q.q1, Q.q2, T_avg)), options(opt), max_order(max_order_) {
    if (max_order < 1 || max_order > 3)
      throw UsageError("max_order=" + std::to_string(max_order) + " is out of range: must be 1, 2 or 3");
    if (options.threads < 1)
      throw UsageError("threads=" + std::to_string(options.threads) + " is out of range: must be at least 1");
    ls = bank.log2_T;

    // Unpadding bounds by recursive ceil-halving (§1.11).
    i0 = bank.pad_left;
    i1 = bank.pad_left + bank.N_in;
    for (int r = 0; r < ls; ++r) {
      i0 = (i0 + 1) / 2;
      i1 = (i1 + 1) / 2;
    }

    // Filters, each pre-scaled by 1/(length before subsampling): Sub's 1/s times the inverse
    // DFT's 1/n. φ is symmetrised so that Re IDFT(Y·φ̂) is exactly a c2r transform.
    for (const auto& f : bank.psi1) psi1.emplace_back(f.fourier, 1.0 / double(bank.N));
    for (const auto& f : bank.psi2) {
      psi2.emplace_back();
      for (int r = 0; r <= ls; ++r)
        psi2.back().emplace_back(periodize_1d(f.fourier, r), 1.0 / double(length(r)));
    }
    for (int r = 0; r <= ls; ++r) {
      std::vector<double> p = periodize_1d(bank.phi, r);
      const std::size_t n = p.size();
      std::vector<double> sym(n);
      for (std::size_t k = 0; k < n; ++k) sym[k] = 0.5 * (p[k] + p[(n - k) % n]);
      phi.emplace_back(sym, 1.0 / double(n));
    }

    for (int r = 0; r <= ls; ++r) {
      const int n = static_cast<int>(length(r));
      inverse.emplace_back(Plan::Kind::backward, std::vector<int>{n}, 1, options.planning);
      r2c.emplace_back(Plan::Kind::r2c, std::vector<int>{n}, 1, options.planning);
    }
    c2r_out = Plan(Plan::Kind::c2r, {static_cast<int>(length(ls))}, 1, options.planning);

    check_tree();
    build_paths();
  }

  // The tree's memory, counted before it is built: paths (their meta, one signal's output) and
  // the children each node reserves.
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
    const std::size_t bytes =
        checked_bytes({paths}, 2 * sizeof(PathMeta1D) + (i1 - i0) * sizeof(T)) +
        checked_bytes({reserved}, sizeof(Node));
    check_memory(bytes, "a 1-D scattering tree of " + std::to_string(paths) + " paths (order " +
                            std::to_string(max_order) + ")");
  }

  // Paths in Kymatio's order: order, then (n1, n2, …) lexicographic; a child wavelet must have
  // a strictly larger dyadic index j (§1.10). The level of U after wavelet j is max(r, min(j, ls)).
  void build_paths() {
    auto blank = [] {
      PathMeta1D m{};
      m.order = 0;
      for (int i = 0; i < 3; ++i) {
        m.n[i] = m.j[i] = -1;
        m.xi[i] = m.sigma[i] = kNaN;
      }
      return m;
    };
    meta.push_back(blank());
    auto set = [](PathMeta1D& m, int d, int n, const Filter1D& f) {
      m.n[d] = n;
      m.j[d] = f.j;
      m.xi[d] = f.xi;
      m.sigma[d] = f.sigma;
    };
    for (std::size_t n1 = 0; n1 < bank.psi1.size(); ++n1) {
      const auto& f1 = bank.psi1[n1];
      roots.push_back(Node{&psi1[n1], std::min(f1.j, ls), 0, {}});
    }
    // Channels are numbered order by order, so walk the tree breadth-first per order.
    std::vector<std::pair<Node*, PathMeta1D>> frontier;
    for (std::size_t n1 = 0; n1 < roots.size(); ++n1) {
      PathMeta1D m = blank();
      m.order = 1;
      set(m, 0, static_cast<int>(n1), bank.psi1[n1]);
      frontier.emplace_back(&roots[n1], m);
    }
    for (int order = 1; order <= max_order; ++order) {
      for (auto& [node, m] : frontier) {
        node->channel = meta.size();
        meta.push_back(m);
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
              Node{&psi2[n][node->level], std::max(node->level, std::min(f.j, ls)), 0, {}});
          PathMeta1D child = m;
          child.order = order + 1;
          set(child, order, static_cast<int>(n), f);
          next.emplace_back(&node->children.back(), child);
        }
      }
      frontier = std::move(next);
    }
  }

  // Spectrum of a real signal of length n: r2c, then the Hermitian half filled in.
  void spectrum(int level, const T* u, C* y) const {
    const std::size_t n = length(level);
    r2c[level](u, y);
    for (std::size_t k = n / 2 + 1; k < n; ++k) y[k] = std::conj(y[n - k]);
  }

  // Output channel: Re IDFT(Sub(Y·φ̂)) at level ls, unpadded (§1.9, §1.11).
  void average(const C* y, int level, Workspace& w, T* out) const {
    detail::multiply_subsample(y, phi[level], length(ls), w.zout.data());
    c2r_out(w.zout.data(), w.s.data());
    std::copy(w.s.begin() + i0, w.s.begin() + i1, out);
  }

  // Path `node` from its parent's spectrum: U = |IDFT(Sub(Y·ψ))|, its spectrum, its average,
  // then its children (§1.9).
  void walk(const Node& node, const C* parent, int depth, Workspace& w, T* out) const {
    const std::size_t n = length(node.level);
    detail::multiply_subsample(parent, *node.psi, n, w.z.data());
    inverse[node.level](w.z.data(), w.zt.data());
    detail::modulus(w.zt.data(), n, w.u.data());
    C* y = w.y[depth].data();
    spectrum(node.level, w.u.data(), y);
    average(y, node.level, w, out + node.channel * (i1 - i0));
    for (const Node& child : node.children) walk(child, y, depth + 1, w, out);
  }

  // Signal b of the batch; computed as 2^-e·x when its range asks for it (spectral.hpp).
  void one(const T* x, std::size_t b, Workspace& w, T* out) const {
    const int e = detail::range_exponent(detail::max_magnitude(x, bank.N_in));
    reflect_pad(x, bank.N_in, bank.pad_left, bank.N, w.x.data());
    detail::scale_pow2(w.x.data(), bank.N, -e);
    C* y0 = w.y[0].data();
    spectrum(0, w.x.data(), y0);
    average(y0, 0, w, out);
    for (const Node& root : roots) walk(root, y0, 1, w, out);
    if (e == 0) return;
    const std::size_t n = meta.size() * (i1 - i0);
    detail::scale_pow2(out, n, e);
    detail::check_in_range(out, n, "the 1-D scattering of signal " + std::to_string(b));
  }

  void run(const T* x, std::size_t batch, T* out) const {
    detail::check_finite(x, batch * bank.N_in);
    const std::size_t out_size = meta.size() * (i1 - i0);
    detail::Progress progress(options.progress, batch);
    detail::parallel_ranges(batch, options.threads, [&](std::size_t b0, std::size_t b1) {
      const auto lease = workspaces.lease([this] { return std::make_unique<Workspace>(*this); });
      Workspace& w = *lease;
      for (std::size_t b = b0; b < b1; ++b) {
        one(x + b * bank.N_in, b, w, out + b * out_size);
        progress.add(1);
      }
    });
    progress.finish();
  }
};

template <class T>
BasicScattering1D<T>::BasicScattering1D(int J, std::size_t N, Q1D Q, std::size_t T_avg,
                                        int max_order, ExecOptions options)
    : impl_(std::make_unique<Impl>(J, N, Q, T_avg, max_order, options)) {}

template <class T>
BasicScattering1D<T>::~BasicScattering1D() = default;
template <class T>
BasicScattering1D<T>::BasicScattering1D(BasicScattering1D&&) noexcept = default;
template <class T>
BasicScattering1D<T>& BasicScattering1D<T>::operator=(BasicScattering1D&&) noexcept = default;

template <class T>
std::size_t BasicScattering1D<T>::input_length() const { return impl_->bank.N_in; }
template <class T>
std::size_t BasicScattering1D<T>::output_length() const { return impl_->i1 - impl_->i0; }
template <class T>
std::size_t BasicScattering1D<T>::channels() const { return impl_->meta.size(); }
template <class T>
const std::vector<PathMeta1D>& BasicScattering1D<T>::meta() const { return impl_->meta; }
template <class T>
const FilterBank1D& BasicScattering1D<T>::filters() const { return impl_->bank; }

template <class T>
void BasicScattering1D<T>::operator()(const T* x, std::size_t batch, T* out) const {
  impl_->run(x, batch, out);
}

template <class T>
Array<T> BasicScattering1D<T>::operator()(const Array<T>& x) const {
  if (x.ndim() < 1 || x.shape.back() != input_length())
    throw InputError("input of shape " + shape_string(x.shape) + " does not fit: expected (..., " +
                     std::to_string(input_length()) + ")");
  Shape s(x.shape.begin(), x.shape.end() - 1);
  const std::size_t batch = shape_size(s);
  s.push_back(channels());
  s.push_back(output_length());
  check_memory(checked_bytes({batch, channels(), output_length()}, sizeof(T)),
               "1-D scattering of " + std::to_string(batch) + " signals of length " +
                   std::to_string(input_length()));
  Array<T> out(s);
  impl_->run(x.data.data(), batch, out.data.data());
  return out;
}

template class BasicScattering1D<float>;
template class BasicScattering1D<double>;

}  // namespace wst
