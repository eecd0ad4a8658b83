// 2D scattering cascade, spec §2.8–§2.9 (Bruna & Mallat 2013, §2–3).
#include "wst/core/scattering_2d.hpp"
#include "wst/support/memory_budget.hpp"  // memory limit

#include <algorithm>
#include <array>
#include <mutex>

#include "spectral.hpp"
#include "wst/core/padding.hpp"

namespace wst {

template <class T>
struct BasicScattering2D<T>::Impl {
  using C = std::complex<T>;
  using Plan = FftPlan<T>;

  // A real filter at one resolution, pre-scaled by 1/(M_r·N_r) (Sub's 1/s² times the inverse
  // DFT's 1/(M_o·N_o)).
  struct Filter {
    AlignedVector<T> v;
    std::size_t rows = 0, cols = 0;
    Filter(const std::vector<double>& f, std::size_t r, std::size_t c) : v(f.size()), rows(r), cols(c) {
      for (std::size_t i = 0; i < f.size(); ++i) v[i] = static_cast<T>(f[i] / double(r * c));
    }
  };

  FilterBank2D bank;
  ExecOptions options;
  int max_order;
  bool pre_pad;
  std::size_t Mi, Ni;   // input size: (M, N), or (Mp, Np) with pre_pad
  std::size_t Mo, No;   // size at level J (before the one-sample crop)
  // The input row and column of each padded row and column (§2.2's reflect map; pre_pad: i ↦ i).
  std::vector<std::size_t> source_row, source_col;
  int lanes;            // images processed together, interleaved (element i of lane b at i·lanes + b)
  std::vector<PathMeta2D> meta;
  std::vector<std::vector<Filter>> psi;  // [n][level]
  std::vector<Filter> phi;               // [level], separable, symmetrised
  // φ at level r in space is alpha[r] ⊗ beta[r] (IDFTs of φ̂'s factors): the averaging of a leaf
  // path (whose spectrum nothing else needs) then costs two short 1D sums instead of an r2c, a
  // product and a c2r. Used for small images (lanes > 1), where it is several times cheaper.
  std::vector<AlignedVector<T>> alpha, beta;
  // beta_taps[r][j·N_r + v] = β[s(j+1) − v] (mod N_r): the weights of output column j.
  std::vector<AlignedVector<T>> beta_taps;
  bool spatial_leaves;
  std::vector<Plan> inverse, r2c;        // [level], `lanes` interleaved transforms each
  Plan c2r_out;
  // Leaf paths averaged two at a time (when not in space): forward c2c plans at the leaves'
  // levels and a complex inverse at level J (average_pair).
  bool paired_leaves;
  std::vector<Plan> forward;
  Plan c2c_out;

  std::size_t rows(int r) const { return bank.Mp >> r; }
  std::size_t cols(int r) const { return bank.Np >> r; }

  struct Workspace {
    AlignedVector<T> x, u, s, t;
    AlignedVector<C> z, z2, zt, zout, y0, y1, y1b, y2, zfull, sc;
    explicit Workspace(const Impl& p)
        : x(p.bank.Mp * p.bank.Np * p.lanes), u(x.size()), s(p.Mo * p.No * p.lanes),
          t(p.Mo * p.bank.Np * p.lanes), z(x.size()), z2(p.paired_leaves ? x.size() : 0),
          zt(x.size()), zout(p.Mo * (p.No / 2 + 1) * p.lanes), y0(x.size()), y1(x.size()),
          y1b(z2.size()), y2(x.size()), zfull(p.paired_leaves ? p.Mo * p.No * p.lanes : 0), sc(zfull.size()) {}
  };
  mutable detail::WorkspacePool<Workspace> workspaces;

  Impl(int J, std::size_t M, std::size_t N, int L, int max_order_, ExecOptions opt, bool pre_pad_)
      : bank(morlet_filter_bank_2d(J, L, M, N)), options(opt), max_order(max_order_),
        pre_pad(pre_pad_), Mi(pre_pad ? bank.Mp : M), Ni(pre_pad ? bank.Np : N) {
    if (max_order < 1 || max_order > 2)
      throw UsageError("max_order=" + std::to_string(max_order) + " is out of range: must be 1 or 2");
    if (options.threads < 1)
      throw UsageError("threads=" + std::to_string(options.threads) + " is out of range: must be at least 1");
    Mo = rows(J);
    No = cols(J);
    for (std::size_t i = 0; i < bank.Mp; ++i)
      source_row.push_back(pre_pad ? i : reflect_index(long(i) - long(bank.pad_top), Mi));
    for (std::size_t j = 0; j < bank.Np; ++j)
      source_col.push_back(pre_pad ? j : reflect_index(long(j) - long(bank.pad_left), Ni));
    // Small images: 8 lanes, so that FFTW and the products vectorise across images and each FFT
    // call does 8 transforms. Always 8 (never fewer for a short batch) so that every image goes
    // through the same arithmetic whatever the batch size or thread count.
    if (options.lanes != 0 && options.lanes != 1 && options.lanes != 8)
      throw UsageError("lanes=" + std::to_string(options.lanes) + " is out of range: must be 0 (automatic), 1 or 8");
    lanes = options.lanes ? options.lanes : bank.Mp * bank.Np <= 64 * 64 ? 8 : 1;
    for (const auto& f : bank.psi) {
      psi.emplace_back();
      const int levels = max_order > 1 ? std::max(f.j, 1) : 1;  // order 2 uses level j1 < j2
      for (int r = 0; r < levels; ++r) psi.back().emplace_back(crop_2d(f.fourier, bank.Mp, bank.Np, r), rows(r), cols(r));
    }
    // φ̂ from its exact separable factors (lowpass_factors_2d; Kymatio's float32 copy, bank.phi,
    // differs by at most one float32 rounding), each factor cropped to level r (§2.7) and
    // symmetrised so that Re IDFT(Y·φ̂) is exactly a c2r transform.
    spatial_leaves = lanes > 1;
    const SeparableLowpass2D factors = lowpass_factors_2d(J, bank.Mp, bank.Np);
    auto crop_sym = [](const std::vector<double>& f, std::size_t n) {
      const std::size_t full = f.size();
      std::vector<double> c(n), sym(n);
      for (std::size_t k = 0; k < n; ++k) c[k] = f[k < n / 2 ? k : k + full - n];
      for (std::size_t k = 0; k < n; ++k) sym[k] = 0.5 * (c[k] + c[(n - k) % n]);
      return sym;
    };
    auto in_space = [](const std::vector<double>& f) {  // normalised IDFT of a real even f
      const std::size_t n = f.size();
      AlignedVector<std::complex<double>> a(f.begin(), f.end()), b(n);
      FftPlan<double>(FftPlan<double>::Kind::backward, {int(n)})(a.data(), b.data());
      AlignedVector<T> out(n);
      for (std::size_t k = 0; k < n; ++k) out[k] = static_cast<T>(b[k].real() / double(n));
      return out;
    };
    for (int r = 0; r < J; ++r) {
      const std::size_t m = rows(r), n = cols(r);
      const std::vector<double> a = crop_sym(factors.rows, m), b = crop_sym(factors.cols, n);
      std::vector<double> outer(m * n);
      for (std::size_t k = 0; k < m; ++k)
        for (std::size_t l = 0; l < n; ++l) outer[k * n + l] = a[k] * b[l];
      phi.emplace_back(outer, m, n);
      alpha.push_back(in_space(a));
      beta.push_back(in_space(b));
      const std::size_t s = std::size_t{1} << (J - r);
      AlignedVector<T> taps((No - 2) * n);
      for (std::size_t j = 0; j + 2 < No; ++j)
        for (std::size_t v = 0; v < n; ++v) taps[j * n + v] = beta.back()[(s * (j + 1) + n - v) % n];
      beta_taps.push_back(std::move(taps));
    }
    make_plans(J);

    // Channel order (§2.9): S0; (j1, θ1); then (j1, θ1, j2, θ2) with j2 > j1.
    std::size_t paths = 1 + bank.psi.size();
    if (max_order == 2)
      for (const auto& f1 : bank.psi)
        for (const auto& f2 : bank.psi) paths += f2.j > f1.j;
    check_memory(checked_bytes({paths, Mo * No + 8}, sizeof(T)),
                 "2-D scattering of " + std::to_string(paths) + " paths on " + std::to_string(M) +
                     " x " + std::to_string(N));
    meta.push_back({0, -1, -1, -1, -1});
    for (const auto& f : bank.psi) meta.push_back({1, f.j, f.theta, -1, -1});
    if (max_order == 2)
      for (const auto& f1 : bank.psi)
        for (const auto& f2 : bank.psi)
          if (f2.j > f1.j) meta.push_back({2, f1.j, f1.theta, f2.j, f2.theta});
  }

  // The FFT plans of the forward transform (the reverse pass makes its own on first use).
  void make_plans(int J) {
    const Layout layout = lanes > 1 ? Layout::interleaved : Layout::contiguous;
    for (int r = 0; r <= J; ++r) {
      const std::vector<int> dims{int(rows(r)), int(cols(r))};
      inverse.emplace_back(Plan::Kind::backward, dims, lanes, options.planning, layout);
      r2c.emplace_back(Plan::Kind::r2c, dims, lanes, options.planning, layout);
    }
    c2r_out = Plan(Plan::Kind::c2r, {int(Mo), int(No)}, lanes, options.planning, layout);
    paired_leaves = !spatial_leaves;
    if (paired_leaves) {
      forward.resize(std::size_t(J));
      for (int r = 0; r < J; ++r)
        forward[r] = Plan(Plan::Kind::forward, {int(rows(r)), int(cols(r))}, lanes, options.planning, layout);
      c2c_out = Plan(Plan::Kind::backward, {int(Mo), int(No)}, lanes, options.planning, layout);
    }
  }

  // The kernels below work on B interleaved lanes (B = lanes, a compile-time constant).

  // Z_k = Sub_s(Y · F_k) at size (rows/s) × zcols, Z row stride zstride (§0, §2.8), for K
  // filters of the same size in one pass over Y (each row of Y is read once for all of them).
  // Complex values are handled as (re, im) pairs of T so that the lane loop vectorises.
  template <int B, std::size_t K>
  static void multiply_subsample(const C* Y, const std::array<const Filter*, K>& f, std::size_t s,
                                 std::size_t zcols, std::size_t zstride, const std::array<C*, K>& Z) {
    const std::size_t rows = f[0]->rows, cols = f[0]->cols, mo = rows / s, no = cols / s;
    for (std::size_t row = 0; row < rows; ++row)
      for (std::size_t k = 0; k < K; ++k)  // the first row of aliases sets Z's row, the others add
        detail::product_sum<B>(reinterpret_cast<T*>(Z[k] + (row % mo) * zstride * B),
                               reinterpret_cast<const T*>(Y + row * cols * B),
                               f[k]->v.data() + row * cols, s, no, zcols, row < mo);
  }
  template <int B>
  static void multiply_subsample(const C* Y, const Filter& f, std::size_t s, std::size_t zcols,
                                 std::size_t zstride, C* Z) {
    multiply_subsample<B, 1>(Y, {&f}, s, zcols, zstride, {Z});
  }

  // Full spectrum of real images at level r: r2c, then the Hermitian half filled in.
  template <int B>
  void spectrum(int r, const T* u, C* y) const {
    const std::size_t m = rows(r), n = cols(r), h = n / 2 + 1;
    r2c[r](u, y);
    for (std::size_t k = m; k-- > 1;)  // spread rows of length h to rows of length n
      std::copy_backward(y + k * h * B, y + (k * h + h) * B, y + (k * n + h) * B);
    for (std::size_t k = 0; k < m; ++k)
      for (std::size_t l = h; l < n; ++l) {
        const C* src = y + (((m - k) % m) * n + (n - l)) * B;
        C* dst = y + (k * n + l) * B;
        for (int b = 0; b < B; ++b) dst[b] = std::conj(src[b]);
      }
  }

  // Output channel `ch`: Re IDFT2(Sub_{2^{J−r}}(Y·φ̂^{(r)})), cropped by one sample per side,
  // written for the `valid` first lanes to out[b][ch].
  template <int B>
  void average(const C* y, int r, Workspace& w, T* out, std::size_t ch, std::size_t valid) const {
    multiply_subsample<B>(y, phi[r], std::size_t{1} << (bank.J - r), No / 2 + 1, No / 2 + 1, w.zout.data());
    c2r_out(w.zout.data(), w.s.data());
    const std::size_t oc = No - 2, plane = (Mo - 2) * oc, per_image = meta.size() * plane;
    for (std::size_t b = 0; b < valid; ++b) {
      T* o = out + b * per_image + ch * plane;
      for (std::size_t i = 1; i + 1 < Mo; ++i)
        for (std::size_t j = 1; j + 1 < No; ++j) *o++ = w.s[(i * No + j) * B + b];
    }
  }

  // Output channel `ch` from U in space, for a leaf path: S[i, j] = Σ_u α[s·i − u] Σ_v β[s·j − v]
  // U[u, v] (indices mod M_r, N_r), i.e. IDFT2(DFT2(U)·φ̂^{(r)}) sampled every s = 2^{J−r}, for the
  // kept rows and columns 1 … M_o − 2, 1 … N_o − 2 only.
  template <int B>
  void average_in_space(const T* u, int r, Workspace& w, T* out, std::size_t ch,
                        std::size_t valid) const {
    const std::size_t Mr = rows(r), Nr = cols(r), s = std::size_t{1} << (bank.J - r);
    const std::size_t oi = Mo - 2, oj = No - 2, plane = oi * oj, per_image = meta.size() * plane;
    const T* a = alpha[r].data();
    T* t = w.t.data();
    for (std::size_t i = 0; i < oi; ++i) {  // rows: t[i][v] = Σ_u α[s(i+1) − u] U[u][v]
      T* ti = t + i * Nr * B;
      std::fill_n(ti, Nr * B, T(0));
      for (std::size_t k = 0; k < Mr; ++k)
        detail::axpy(ti, a[(s * (i + 1) + Mr - k) % Mr], u + k * Nr * B, Nr * B);
    }
    for (std::size_t i = 0; i < oi; ++i)  // columns: S[i][j] = Σ_v β[s(j+1) − v] t[i][v]
      for (std::size_t j = 0; j < oj; ++j) {
        T acc[B];
        detail::lane_dot<B>(beta_taps[r].data() + j * Nr, t + i * Nr * B, Nr, acc);
        for (std::size_t l = 0; l < valid; ++l) out[l * per_image + ch * plane + i * oj + j] = acc[l];
      }
  }

  // U = |IDFT2(Sub_s(Y·ψ))| at level r_out, into w.u.
  template <int B>
  void modulus_path(const C* y, const Filter& f, int r_in, int r_out, Workspace& w) const {
    const std::size_t s = std::size_t{1} << (r_out - r_in);
    multiply_subsample<B>(y, f, s, cols(r_out), cols(r_out), w.z.data());
    modulus_of<B>(w.z.data(), r_out, w);
  }

  // U = |IDFT2(Z)| at level r, into w.u (IDFT2(Z) in w.zt).
  template <int B>
  void modulus_of(const C* z, int r, Workspace& w) const {
    inverse[r](z, w.zt.data());
    detail::modulus(w.zt.data(), rows(r) * cols(r) * B, w.u.data());
  }

  // Output channel of the path whose modulus is in w.u; its spectrum goes to y_out unless the
  // path is a leaf averaged in space.
  template <int B>
  void finish_path(int r, bool leaf, Workspace& w, C* y_out, T* out, std::size_t ch,
                   std::size_t valid) const {
    if (leaf && spatial_leaves) return average_in_space<B>(w.u.data(), r, w, out, ch, valid);
    spectrum<B>(r, w.u.data(), y_out);
    average<B>(y_out, r, w, out, ch, valid);
  }

  // Output channels ch_a and ch_b of two paths at level r whose moduli are U_a + i·U_b in w.zt:
  // the averaging S = Crop Re IDFT2(Sub(DFT2(U)·φ̂)) is linear, maps real U to real S, and φ̂ is
  // symmetric, so S_a + i·S_b = Crop IDFT2(Sub(DFT2(U_a + i·U_b)·φ̂)): one complex DFT and one
  // complex inverse instead of two r2c and two c2r. DFT2(U_a + i·U_b) is left in w.y2.
  template <int B>
  void average_pair(int r, Workspace& w, T* out, std::size_t ch_a, std::size_t ch_b,
                    std::size_t valid) const {
    forward[r](w.zt.data(), w.y2.data());
    multiply_subsample<B>(w.y2.data(), phi[r], std::size_t{1} << (bank.J - r), No, No, w.zfull.data());
    c2c_out(w.zfull.data(), w.sc.data());
    const std::size_t oc = No - 2, plane = (Mo - 2) * oc, per_image = meta.size() * plane;
    for (std::size_t b = 0; b < valid; ++b) {
      T* oa = out + b * per_image + ch_a * plane;
      T* ob = out + b * per_image + ch_b * plane;
      for (std::size_t i = 1; i + 1 < Mo; ++i)
        for (std::size_t j = 1; j + 1 < No; ++j) {
          const C v = w.sc[(i * No + j) * B + b];
          *oa++ = v.real();
          *ob++ = v.imag();
        }
    }
  }

  // Paths (n_a, n_b) from spectrum y at level r_in to level r: both moduli, then averaged
  // together (average_pair).
  template <int B>
  void path_pair(const C* y, const Filter& fa, const Filter& fb, int r_in, int r, Workspace& w,
                 T* out, std::size_t ch_a, std::size_t valid) const {
    multiply_subsample<B, 2>(y, {&fa, &fb}, std::size_t{1} << (r - r_in), cols(r), cols(r),
                             {w.z.data(), w.z2.data()});
    inverse[r](w.z.data(), w.zt.data());
    inverse[r](w.z2.data(), w.z.data());
    detail::modulus_pair(w.zt.data(), w.z.data(), rows(r) * cols(r) * B, w.zt.data());
    average_pair<B>(r, w, out, ch_a, ch_a + 1, valid);
  }

  // The second-order paths (all leaves) of a parent at level j1 with spectrum y1, written to
  // channels ch2, ch2 + 1, …; returns the next channel.
  template <int B>
  std::size_t second_order(const C* y1, int j1, Workspace& w, T* out, std::size_t ch2,
                           std::size_t valid) const {
    const std::size_t P = bank.psi.size();
    for (std::size_t n2 = 0; n2 < P; ++n2) {
      const int j2 = bank.psi[n2].j;
      if (j2 <= j1) continue;
      if (paired_leaves && n2 + 1 < P && bank.psi[n2 + 1].j == j2) {
        path_pair<B>(y1, psi[n2][j1], psi[n2 + 1][j1], j1, j2, w, out, ch2, valid);
        ch2 += 2;
        ++n2;
        continue;
      }
      modulus_path<B>(y1, psi[n2][j1], j1, j2, w);
      finish_path<B>(j2, true, w, w.y2.data(), out, ch2++, valid);
    }
    return ch2;
  }

  // The spectra of two real images from Z = DFT2(U_a + i·U_b) at level r:
  // Y_a = (Z + conj Z(−k))/2 and Y_b = (Z − conj Z(−k))/(2i), exactly Hermitian.
  template <int B>
  void split_spectra(int r, const C* z, C* ya, C* yb) const {
    const std::size_t m = rows(r), n = cols(r);
    for (std::size_t k = 0; k < m; ++k)
      detail::split_spectra_row<B>(reinterpret_cast<const T*>(z + k * n * B),
                                   reinterpret_cast<const T*>(z + (m - k) % m * n * B),
                                   reinterpret_cast<T*>(ya + k * n * B),
                                   reinterpret_cast<T*>(yb + k * n * B), n);
  }

  // Non-leaf first-order paths n1, n1 + 1 at level j1 (the sibling of path_pair): both moduli
  // averaged together, then the children of each from its spectrum, split off the pair's
  // (split_spectra). Returns the next second-order channel.
  template <int B>
  std::size_t parent_pair(std::size_t n1, int j1, Workspace& w, T* out, std::size_t ch2,
                          std::size_t valid) const {
    path_pair<B>(w.y0.data(), psi[n1][0], psi[n1 + 1][0], 0, j1, w, out, 1 + n1, valid);
    if (max_order < 2) return ch2;
    split_spectra<B>(j1, w.y2.data(), w.y1.data(), w.y1b.data());
    ch2 = second_order<B>(w.y1.data(), j1, w, out, ch2, valid);
    return second_order<B>(w.y1b.data(), j1, w, out, ch2, valid);
  }

  // The padded images x0 of x[0 … valid−1] into w.x (the other lanes zero): the reflect padding
  // of §2.2, or, with pre_pad, the input as it is. Each image is computed as 2^-e·x when its
  // range asks for it (spectral.hpp); returns whether any is.
  template <int B>
  bool pad_input(const T* x, std::size_t valid, Workspace& w, int* e) const {
    const std::size_t Mp = bank.Mp, Np = bank.Np, M = Mi, N = Ni;
    if (valid < std::size_t(B)) std::fill(w.x.begin(), w.x.end(), T(0));
    for (std::size_t b = 0; b < valid; ++b)
      for (std::size_t i = 0; i < Mp; ++i) {
        const T* row = x + b * M * N + source_row[i] * N;
        T* to = w.x.data() + i * Np * B + b;
        for (std::size_t j = 0; j < Np; ++j) to[j * B] = row[source_col[j]];
      }
    bool rescaled = false;
    for (std::size_t b = 0; b < valid; ++b)
      rescaled |= (e[b] = detail::range_exponent(detail::max_magnitude(x + b * M * N, M * N))) != 0;
    if (rescaled)
      for (std::size_t k = 0; k < Mp * Np; ++k)
        for (std::size_t b = 0; b < valid; ++b) w.x[k * B + b] = std::ldexp(w.x[k * B + b], -e[b]);
    return rescaled;
  }

  // out of images first … first + valid − 1 times 2^e[b] (undoes pad_input's rescaling).
  void rescale_output(T* out, std::size_t first, std::size_t valid, const int* e) const {
    const std::size_t per_image = meta.size() * (Mo - 2) * (No - 2);
    for (std::size_t b = 0; b < valid; ++b) {
      detail::scale_pow2(out + b * per_image, per_image, e[b]);
      detail::check_in_range(out + b * per_image, per_image,
                             "the 2-D scattering of image " + std::to_string(first + b));
    }
  }

  // Scatters images x[0 … valid−1], numbered first, first + 1, … in the batch (valid ≤ B; the
  // other lanes are zero), into out.
  template <int B>
  void block(const T* x, std::size_t first, std::size_t valid, Workspace& w, T* out) const {
    int e[B] = {};
    const bool rescaled = pad_input<B>(x, valid, w, e);
    spectrum<B>(0, w.x.data(), w.y0.data());
    average<B>(w.y0.data(), 0, w, out, 0, valid);
    std::size_t ch2 = 1 + bank.psi.size();
    const std::size_t P = bank.psi.size();
    for (std::size_t n1 = 0; n1 < P; ++n1) {
      const int j1 = bank.psi[n1].j;
      // The averaging method depends on the path only (not on max_order), so max_order = 1 gives
      // exactly the first channels of max_order = 2.
      const bool leaf = j1 == bank.J - 1;
      if (paired_leaves && n1 + 1 < P && bank.psi[n1 + 1].j == j1) {
        if (leaf) path_pair<B>(w.y0.data(), psi[n1][0], psi[n1 + 1][0], 0, j1, w, out, 1 + n1, valid);
        else ch2 = parent_pair<B>(n1, j1, w, out, ch2, valid);
        ++n1;
        continue;
      }
      modulus_path<B>(w.y0.data(), psi[n1][0], 0, j1, w);
      finish_path<B>(j1, leaf, w, w.y1.data(), out, 1 + n1, valid);
      if (!leaf && max_order == 2) ch2 = second_order<B>(w.y1.data(), j1, w, out, ch2, valid);
    }
    if (rescaled) rescale_output(out, first, valid, e);
  }

  void run(const T* x, std::size_t batch, T* out) const {
    detail::check_finite(x, batch * Mi * Ni);
    const std::size_t in_size = Mi * Ni, out_size = meta.size() * (Mo - 2) * (No - 2);
    const std::size_t B = lanes, blocks = (batch + B - 1) / B;
    detail::Progress progress(options.progress, batch);
    // Threads take the next block of a fixed partition: an image's lane never depends on threads.
    detail::parallel_items(blocks, options.threads, [&](std::size_t k0, std::size_t k1) {
      const auto lease = workspaces.lease([this] { return std::make_unique<Workspace>(*this); });
      Workspace& w = *lease;
      for (std::size_t k = k0; k < k1; ++k) {
        const std::size_t b0 = k * B, valid = std::min(B, batch - b0);
        if (lanes == 8) block<8>(x + b0 * in_size, b0, valid, w, out + b0 * out_size);
        else block<1>(x + b0 * in_size, b0, valid, w, out + b0 * out_size);
        progress.add(valid);
      }
    });
    progress.finish();
  }

  // ---- the reverse pass (docs/scattering-gradients.md, 2D) ------------------------------------
  // The adjoint of the cascade above, block by block: recompute z1, U1, Y1 and z2 from x, and
  // run the adjoint of each step in reverse (spec §5). The forward enters only through the
  // phases z/|z| (spec §6), so nothing is kept between calls.

  // Plans only the reverse pass needs, made on its first call: a forward complex DFT at every
  // level below J (DFT2(z̄), spec §2), and, when every path averages in Fourier (lanes = 1),
  // c2r transforms for the φ adjoint of second-order paths.
  struct BackPlans {
    std::vector<Plan> dft, c2r;
  };
  mutable std::once_flag back_once;
  mutable std::unique_ptr<BackPlans> back_plans;

  const BackPlans& backward_plans() const {
    std::call_once(back_once, [this] {
      auto p = std::make_unique<BackPlans>();
      const Layout layout = lanes > 1 ? Layout::interleaved : Layout::contiguous;
      for (int r = 0; r < bank.J; ++r) {
        const std::vector<int> dims{int(rows(r)), int(cols(r))};
        p->dft.emplace_back(Plan::Kind::forward, dims, lanes, options.planning, layout);
        if (!spatial_leaves && max_order == 2)
          p->c2r.emplace_back(Plan::Kind::c2r, dims, lanes, options.planning, layout);
      }
      back_plans = std::move(p);
    });
    return *back_plans;
  }

  // The forward's buffers (so that the fused pass can reuse its kernels) plus the adjoint's.
  struct BackWorkspace : Workspace {
    AlignedVector<T> ubar, g;               // Ū; ḡ zero-bordered to Mo × No (spec §5 step 1)
    AlignedVector<C> z1, xbar, ybar, gJ, half;  // z1; X̄0; Ȳ1; G = DFT2(ḡ); a half spectrum
    explicit BackWorkspace(const Impl& p)
        : Workspace(p), ubar(this->x.size()), g(p.Mo * p.No * p.lanes), z1(this->x.size()),
          xbar(this->x.size()), ybar(this->x.size()), gJ(g.size()),
          half(p.bank.Mp * (p.bank.Np / 2 + 1) * p.lanes) {}
  };
  mutable detail::WorkspacePool<BackWorkspace> back_workspaces;

  // Y += F · tile_s(W), W the (rows/s) × (cols/s) spectrum: the adjoint of multiply_subsample
  // (spec §2, composite rule: Sub_sᵀ tiles, and F's 1/(M_r·N_r) is the rule's 1/A).
  template <int B>
  static void tile_multiply_add(const C* W, const Filter& f, std::size_t s, C* Y) {
    const std::size_t mo = f.rows / s, no = f.cols / s;
    for (std::size_t row = 0; row < f.rows; ++row) {
      const T* w = reinterpret_cast<const T*>(W + (row % mo) * no * B);
      for (std::size_t b = 0; b < s; ++b) {
        T* y = reinterpret_cast<T*>(Y + (row * f.cols + b * no) * B);
        detail::accumulate_product<B>(y, w, f.v.data() + row * f.cols + b * no, no);
      }
    }
  }

  // z̄ = Ū · z/|z|, and 0 where z = 0 (spec §3), |z| as the forward computes it.
  static void modulus_adjoint(const T* ubar, const C* z, std::size_t n, C* zbar) {
    const T* p = reinterpret_cast<const T*>(z);
    T* q = reinterpret_cast<T*>(zbar);
    for (std::size_t i = 0; i < n; ++i) {  // where a = 0, re = im = 0 and c·re = c·im = 0
      const T re = p[2 * i], im = p[2 * i + 1], a = std::sqrt(re * re + im * im);
      const T c = ubar[i] / (a + T(a == T(0)));  // branch-free, so that it vectorises
      q[2 * i] = c * re;
      q[2 * i + 1] = c * im;
    }
  }

  // ḡ of channel ch (lanes 0 … valid−1, times 2^−eg[b]) into the interior of w.g, whose border and
  // other lanes stay zero (spec §5 step 1: the crop's adjoint); with `fourier`, G = DFT2(ḡ) too.
  template <int B>
  void load_grad(const T* grad, std::size_t ch, std::size_t valid, const int* eg, bool fourier,
                 BackWorkspace& w) const {
    const std::size_t oj = No - 2, plane = (Mo - 2) * oj, per_image = meta.size() * plane;
    for (std::size_t b = 0; b < valid; ++b) {
      const T* gb = grad + b * per_image + ch * plane;
      for (std::size_t i = 0; i + 2 < Mo; ++i)
        for (std::size_t j = 0; j < oj; ++j) {
          const T v = gb[i * oj + j];
          w.g[((i + 1) * No + j + 1) * B + b] = eg[b] ? std::ldexp(v, -eg[b]) : v;
        }
    }
    if (fourier) spectrum<B>(bank.J, w.g.data(), w.gJ.data());
  }

  // Ū = Re IDFT2(φ̂^{(r)} · tile(G)) at level r into w.ubar (spec §5 step 2), by a c2r of the half
  // spectrum (φ̂ symmetrised and G Hermitian: the product is Hermitian).
  template <int B>
  void phi_adjoint_fourier(int r, BackWorkspace& w, const BackPlans& p) const {
    const std::size_t m = rows(r), n = cols(r), h = n / 2 + 1;
    for (std::size_t k = 0; k < m; ++k)
      for (std::size_t l = 0; l < h; ++l) {
        const T f = phi[r].v[k * n + l];
        const C* src = w.gJ.data() + ((k % Mo) * No + l % No) * B;
        C* dst = w.half.data() + (k * h + l) * B;
        for (int b = 0; b < B; ++b) dst[b] = src[b] * f;
      }
    p.c2r[r](w.half.data(), w.ubar.data());
  }

  // Ū for a leaf path averaged in space: the transpose of average_in_space,
  // Ū[u, v] = Σ_i α[s(i+1) − u] Σ_j β[s(j+1) − v] ḡ[i, j] (indices mod M_r, N_r), into w.ubar.
  template <int B>
  void phi_adjoint_space(int r, BackWorkspace& w) const {
    const std::size_t Mr = rows(r), Nr = cols(r), s = std::size_t{1} << (bank.J - r);
    const std::size_t oi = Mo - 2, oj = No - 2;
    const T* a = alpha[r].data();
    const T* be = beta[r].data();
    T* t = w.t.data();
    for (std::size_t i = 0; i < oi; ++i)  // columns: t[i][v] = Σ_j β[s(j+1) − v] ḡ[i][j]
      for (std::size_t v = 0; v < Nr; ++v) {
        T acc[B] = {};
        const T* gi = w.g.data() + ((i + 1) * No + 1) * B;
        for (std::size_t j = 0; j < oj; ++j) {
          const T bv = be[(s * (j + 1) + Nr - v) % Nr];
          for (int l = 0; l < B; ++l) acc[l] += bv * gi[j * B + l];
        }
        std::copy_n(acc, B, t + (i * Nr + v) * B);
      }
    for (std::size_t u = 0; u < Mr; ++u) {  // rows: Ū[u][v] = Σ_i α[s(i+1) − u] t[i][v]
      T* uu = w.ubar.data() + u * Nr * B;
      std::fill_n(uu, Nr * B, T(0));
      for (std::size_t i = 0; i < oi; ++i) {
        const T ai = a[(s * (i + 1) + Mr - u) % Mr];
        const T* ti = t + i * Nr * B;
        for (std::size_t e = 0; e < Nr * B; ++e) uu[e] += ai * ti[e];
      }
    }
  }

  // What a reverse block reads besides x and its workspace.
  struct Reverse {
    const T* grad;       // grad_out of the block's first image
    std::size_t valid;   // images in the block
    int eg[8];           // per-image exponents of grad_out
    const BackPlans& plans;
    T* out;              // the forward output too (fused pass), or nullptr
  };

  // Second-order path (n1, n2), channel ch: recompute z2 from Y1, get Ū2 from ḡ, and add
  // ψ̂2 · tile(DFT2(z̄2)) into Ȳ1 (spec §5 step 2).
  template <int B>
  void child_reverse(std::size_t n2, int j1, std::size_t ch, const Reverse& rv,
                     BackWorkspace& w) const {
    const int j2 = bank.psi[n2].j;
    if (rv.out) {
      modulus_path<B>(w.y1.data(), psi[n2][j1], j1, j2, w);  // z2 in w.zt, U2 in w.u
      finish_path<B>(j2, true, w, w.y2.data(), rv.out, ch, rv.valid);
    } else {  // z2 only
      multiply_subsample<B>(w.y1.data(), psi[n2][j1], std::size_t{1} << (j2 - j1), cols(j2),
                            cols(j2), w.z.data());
      inverse[j2](w.z.data(), w.zt.data());
    }
    load_grad<B>(rv.grad, ch, rv.valid, rv.eg, !spatial_leaves, w);
    if (spatial_leaves) phi_adjoint_space<B>(j2, w);
    else phi_adjoint_fourier<B>(j2, w, rv.plans);
    modulus_adjoint(w.ubar.data(), w.zt.data(), rows(j2) * cols(j2) * B, w.z.data());
    rv.plans.dft[j2](w.z.data(), w.zt.data());
    tile_multiply_add<B>(w.zt.data(), psi[n2][j1], std::size_t{1} << (j2 - j1), w.ybar.data());
  }

  // First-order path n1 and its children (spec §5 step 3): Ȳ1 = φ̂ term + children's terms,
  // Ū1 = Re(A1·IDFT2(Ȳ1)) (or Ū1 from space for a leaf), z̄1, and X̄0 += ψ̂1 · tile(DFT2(z̄1)).
  template <int B>
  void first_order_reverse(std::size_t n1, std::size_t& ch2, const Reverse& rv,
                           BackWorkspace& w) const {
    const int j1 = bank.psi[n1].j;
    const bool leaf = j1 == bank.J - 1, space = leaf && spatial_leaves;
    const bool children = !leaf && max_order == 2;
    const std::size_t n = rows(j1) * cols(j1) * B;
    modulus_path<B>(w.y0.data(), psi[n1][0], 0, j1, w);  // z1 in w.zt, U1 in w.u
    std::copy_n(w.zt.data(), n, w.z1.data());
    if (rv.out) finish_path<B>(j1, leaf, w, w.y1.data(), rv.out, 1 + n1, rv.valid);
    else if (children) spectrum<B>(j1, w.u.data(), w.y1.data());
    load_grad<B>(rv.grad, 1 + n1, rv.valid, rv.eg, !space, w);
    if (space) {
      phi_adjoint_space<B>(j1, w);
    } else {
      std::fill_n(w.ybar.data(), n, C(0));
      tile_multiply_add<B>(w.gJ.data(), phi[j1], std::size_t{1} << (bank.J - j1), w.ybar.data());
      for (std::size_t n2 = 0; children && n2 < bank.psi.size(); ++n2)
        if (bank.psi[n2].j > j1) child_reverse<B>(n2, j1, ch2++, rv, w);
      inverse[j1](w.ybar.data(), w.z.data());
      for (std::size_t i = 0; i < n; ++i) w.ubar[i] = w.z[i].real();
    }
    modulus_adjoint(w.ubar.data(), w.z1.data(), n, w.z.data());
    rv.plans.dft[j1](w.z.data(), w.zt.data());
    tile_multiply_add<B>(w.zt.data(), psi[n1][0], std::size_t{1} << j1, w.xbar.data());
  }

  // grad_x of images first … first + valid − 1 from X̄0 (spec §5 step 5): x̄0 = Re(M_p N_p ·
  // IDFT2(X̄0)), folded onto the input by the reflect map (pre_pad: as it is), times 2^eg[b].
  template <int B>
  void fold_gradient(std::size_t first, const Reverse& rv, BackWorkspace& w, T* grad_x) const {
    const std::size_t Mp = bank.Mp, Np = bank.Np, M = Mi, N = Ni;
    inverse[0](w.xbar.data(), w.z.data());
    std::fill_n(grad_x, rv.valid * M * N, T(0));
    for (std::size_t i = 0; i < Mp; ++i) {
      const std::size_t si = source_row[i];
      for (std::size_t j = 0; j < Np; ++j) {
        const std::size_t sj = source_col[j];
        const C* v = w.z.data() + (i * Np + j) * B;
        for (std::size_t b = 0; b < rv.valid; ++b) grad_x[b * M * N + si * N + sj] += v[b].real();
      }
    }
    for (std::size_t b = 0; b < rv.valid; ++b) {
      detail::scale_pow2(grad_x + b * M * N, M * N, rv.eg[b]);
      detail::check_in_range(grad_x + b * M * N, M * N,
                             "the 2-D scattering gradient of image " + std::to_string(first + b));
    }
  }

  // The reverse pass of one block (and, with rv.out, its forward output).
  template <int B>
  void reverse_block(const T* x, std::size_t first, Reverse& rv, BackWorkspace& w,
                     T* grad_x) const {
    int e[B] = {};
    const bool rescaled = pad_input<B>(x, rv.valid, w, e);  // J(2^-e·x) = J(x): degree 0
    const std::size_t per_image = meta.size() * (Mo - 2) * (No - 2);
    for (std::size_t b = 0; b < rv.valid; ++b)
      rv.eg[b] = detail::range_exponent(detail::max_magnitude(rv.grad + b * per_image, per_image));
    std::fill(w.g.begin(), w.g.end(), T(0));
    std::fill(w.xbar.begin(), w.xbar.end(), C(0));
    spectrum<B>(0, w.x.data(), w.y0.data());
    if (rv.out) average<B>(w.y0.data(), 0, w, rv.out, 0, rv.valid);
    load_grad<B>(rv.grad, 0, rv.valid, rv.eg, true, w);  // order 0 (spec §5 step 4)
    tile_multiply_add<B>(w.gJ.data(), phi[0], std::size_t{1} << bank.J, w.xbar.data());
    std::size_t ch2 = 1 + bank.psi.size();
    for (std::size_t n1 = 0; n1 < bank.psi.size(); ++n1) first_order_reverse<B>(n1, ch2, rv, w);
    fold_gradient<B>(first, rv, w, grad_x);
    if (rv.out && rescaled) rescale_output(rv.out, first, rv.valid, e);
  }

  void run_reverse(const T* x, const T* grad, std::size_t batch, T* out, T* grad_x) const {
    const std::size_t in_size = Mi * Ni, out_size = meta.size() * (Mo - 2) * (No - 2);
    detail::check_finite(x, batch * in_size);
    detail::check_finite(grad, batch * out_size, "grad_out", "the 2-D scattering gradient");
    const BackPlans& plans = backward_plans();
    const std::size_t B = lanes, blocks = (batch + B - 1) / B;
    detail::Progress progress(options.progress, batch);
    // The same fixed partition into blocks as the forward: results independent of threads.
    detail::parallel_items(blocks, options.threads, [&](std::size_t k0, std::size_t k1) {
      const auto lease = back_workspaces.lease([this] { return std::make_unique<BackWorkspace>(*this); });
      BackWorkspace& w = *lease;
      for (std::size_t k = k0; k < k1; ++k) {
        const std::size_t b0 = k * B;
        Reverse rv{grad + b0 * out_size, std::min(B, batch - b0), {}, plans,
                   out ? out + b0 * out_size : nullptr};
        if (lanes == 8) reverse_block<8>(x + b0 * in_size, b0, rv, w, grad_x + b0 * in_size);
        else reverse_block<1>(x + b0 * in_size, b0, rv, w, grad_x + b0 * in_size);
        progress.add(rv.valid);
      }
    });
    progress.finish();
  }
};

template <class T>
BasicScattering2D<T>::BasicScattering2D(int J, std::size_t M, std::size_t N, int L, int max_order,
                                        ExecOptions options, bool pre_pad)
    : impl_(std::make_unique<Impl>(J, M, N, L, max_order, options, pre_pad)) {}
template <class T>
BasicScattering2D<T>::~BasicScattering2D() = default;
template <class T>
BasicScattering2D<T>::BasicScattering2D(BasicScattering2D&&) noexcept = default;
template <class T>
BasicScattering2D<T>& BasicScattering2D<T>::operator=(BasicScattering2D&&) noexcept = default;

template <class T>
std::size_t BasicScattering2D<T>::input_rows() const { return impl_->Mi; }
template <class T>
std::size_t BasicScattering2D<T>::input_cols() const { return impl_->Ni; }
template <class T>
bool BasicScattering2D<T>::pre_pad() const { return impl_->pre_pad; }
template <class T>
std::size_t BasicScattering2D<T>::output_rows() const { return impl_->Mo - 2; }
template <class T>
std::size_t BasicScattering2D<T>::output_cols() const { return impl_->No - 2; }
template <class T>
std::size_t BasicScattering2D<T>::channels() const { return impl_->meta.size(); }
template <class T>
const std::vector<PathMeta2D>& BasicScattering2D<T>::meta() const { return impl_->meta; }
template <class T>
const FilterBank2D& BasicScattering2D<T>::filters() const { return impl_->bank; }

template <class T>
void BasicScattering2D<T>::operator()(const T* x, std::size_t batch, T* out) const {
  impl_->run(x, batch, out);
}

template <class T>
Array<T> BasicScattering2D<T>::operator()(const Array<T>& x) const {
  const std::size_t M = input_rows(), N = input_cols();
  if (x.ndim() < 2 || x.shape[x.ndim() - 2] != M || x.shape.back() != N)
    throw InputError("input of shape " + shape_string(x.shape) + " does not fit: expected (..., " +
                     std::to_string(M) + ", " + std::to_string(N) + ")" +
                     (pre_pad() ? " (pre_pad: the padded size)" : ""));
  Shape s(x.shape.begin(), x.shape.end() - 2);
  const std::size_t batch = shape_size(s);
  s.insert(s.end(), {channels(), output_rows(), output_cols()});
  check_memory(checked_bytes({batch, channels(), output_rows(), output_cols()}, sizeof(T)),
               "2-D scattering of " + std::to_string(batch) + " images of " +
                   std::to_string(M) + " x " + std::to_string(N));
  Array<T> out(s);
  impl_->run(x.data.data(), batch, out.data.data());
  return out;
}

template <class T>
void BasicScattering2D<T>::backward(const T* x, const T* grad_out, std::size_t batch,
                                    T* grad_x) const {
  impl_->run_reverse(x, grad_out, batch, nullptr, grad_x);
}

template <class T>
void BasicScattering2D<T>::forward_backward(const T* x, const T* grad_out, std::size_t batch,
                                            T* out, T* grad_x) const {
  if (impl_->paired_leaves) {  // the reverse pass goes path by path; pairs are the forward's
    impl_->run(x, batch, out);
    return impl_->run_reverse(x, grad_out, batch, nullptr, grad_x);
  }
  impl_->run_reverse(x, grad_out, batch, out, grad_x);
}

template <class T>
Array<T> BasicScattering2D<T>::backward(const Array<T>& x, const Array<T>& grad_out) const {
  const std::size_t M = input_rows(), N = input_cols();
  if (x.ndim() < 2 || x.shape[x.ndim() - 2] != M || x.shape.back() != N)
    throw InputError("input of shape " + shape_string(x.shape) + " does not fit: expected (..., " +
                     std::to_string(M) + ", " + std::to_string(N) + ")" +
                     (pre_pad() ? " (pre_pad: the padded size)" : ""));
  Shape expected(x.shape.begin(), x.shape.end() - 2);
  const std::size_t batch = shape_size(expected);
  expected.insert(expected.end(), {channels(), output_rows(), output_cols()});
  if (grad_out.shape != expected)
    throw InputError("grad_out of shape " + shape_string(grad_out.shape) +
                     " does not fit: expected " + shape_string(expected) +
                     " (the output's shape for this input)");
  Array<T> grad_x(x.shape);
  impl_->run_reverse(x.data.data(), grad_out.data.data(), batch, nullptr, grad_x.data.data());
  return grad_x;
}

template class BasicScattering2D<float>;
template class BasicScattering2D<double>;

}  // namespace wst
