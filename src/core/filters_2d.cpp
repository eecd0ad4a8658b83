#include "wst/core/filters_2d.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "wst/support/error.hpp"
#include "wst/support/memory_budget.hpp"
#include "wst/core/fft.hpp"

namespace wst {
namespace {

constexpr double kSigma = 0.8;          // σ of the mother wavelet (§2.5)
constexpr double kXi = 0.75 * std::numbers::pi;  // ξ of the mother wavelet, radians/sample
constexpr double kPiQuirk = 3.1415;     // Kymatio's normaliser uses this literal (§2.3)
constexpr double kUnderflow = 746.0;    // exp(−746) is exactly 0 in double

// Spatially periodised Gabor function of §2.3: out[m, n] = Σ_{e,f=−2..2} exp(−A(u, v)) ·
// e^{iξ(c·u + t·v)} / Z with u = m + e·M_p, v = n + f·N_p. When `mean_free` is set, also returns
// the unmodulated envelope in `envelope` (for the Morlet correction of §2.4).
void periodized_gabor(std::size_t Mp, std::size_t Np, double sigma, double theta, double xi,
                      double slant, std::vector<std::complex<double>>& out,
                      std::vector<double>* envelope) {
  check_size(Mp, 1, kMaxLength, "Mp");
  check_size(Np, 1, kMaxLength, "Np");
  check_memory(checked_bytes({Mp, Np}, 2 * sizeof(std::complex<double>)),
               "a " + std::to_string(Mp) + " x " + std::to_string(Np) + " Gabor filter");
  if (!(sigma > 0 && std::isfinite(sigma)) || !(slant > 0 && std::isfinite(slant)) ||
      !std::isfinite(theta) || !std::isfinite(xi))
    throw UsageError("gabor_2d/morlet_2d: sigma and slant must be finite and > 0, theta and xi finite");
  // Kymatio rounds the rotation entries to float32 in the envelope (not in the modulation).
  const double cf = static_cast<float>(std::cos(theta)), tf = static_cast<float>(std::sin(theta));
  const double c = std::cos(theta), t = std::sin(theta);
  const double s2 = slant * slant, den = 2.0 * sigma * sigma;
  const double a11 = (cf * cf + s2 * tf * tf) / den;
  const double a12 = cf * tf * (1.0 - s2) / den;
  const double a22 = (tf * tf + s2 * cf * cf) / den;
  // A(u, v) ≥ λ_min·(u² + v²)/(2σ²) with λ_min = min(1, s²): terms beyond it are exactly 0.
  const double bound = 0.999 * std::min(1.0, s2) / den;
  const double inv_z = 1.0 / (2.0 * kPiQuirk * sigma * sigma / slant);

  // The modulation factorises: e^{iξ(c·u + t·v)} = e^{iξc·u} · e^{iξt·v}; tabulate the v part.
  std::vector<std::complex<double>> col_phase(5 * Np);
  for (int f = -2; f <= 2; ++f)
    for (std::size_t n = 0; n < Np; ++n)
      col_phase[(f + 2) * Np + n] = std::polar(1.0, xi * t * (double(n) + double(f) * double(Np)));

  out.assign(Mp * Np, 0.0);
  if (envelope) envelope->assign(Mp * Np, 0.0);
  for (int e = -2; e <= 2; ++e) {
    for (std::size_t m = 0; m < Mp; ++m) {
      const double u = double(m) + double(e) * double(Mp);
      const double v2max = kUnderflow / bound - u * u;  // beyond |v| > sqrt(v2max): exactly 0
      if (v2max < 0) continue;
      const double vmax = std::sqrt(v2max);
      const std::complex<double> row_phase = std::polar(1.0, xi * c * u);
      std::complex<double>* o = out.data() + m * Np;
      double* env = envelope ? envelope->data() + m * Np : nullptr;
      for (int f = -2; f <= 2; ++f) {
        const double shift = double(f) * double(Np);
        const double lo = std::max(0.0, std::ceil(-vmax - shift));
        const double hi = std::min(double(Np) - 1.0, std::floor(vmax - shift));
        const std::complex<double>* q = col_phase.data() + (f + 2) * Np;
        for (std::size_t n = std::size_t(lo); double(n) <= hi; ++n) {
          const double v = double(n) + shift;
          const double a = a11 * u * u + 2.0 * a12 * u * v + a22 * v * v;
          if (a > kUnderflow) continue;
          const double g = std::exp(-a);
          o[n] += g * (row_phase * q[n]);
          if (env) env[n] += g;
        }
      }
    }
  }
  for (auto& z : out) z *= inv_z;
  if (envelope)
    for (auto& g : *envelope) g *= inv_z;
}

// Re(DFT2(w)), each value rounded to float32 as Kymatio stores its filters (§2.5, §2.6).
// Re DFT(w) is the DFT of the Hermitian part h[n] = (w[n] + conj(w[−n]))/2, a real spectrum, so
// one c2r transform of half the size does it: Re DFT(w)[k] = Σ_n conj(h[n]) e^{+2πi nk/N}.
// One plan and one pair of buffers serve every filter of a bank.
class RealPartOfDft {
 public:
  RealPartOfDft(std::size_t Mp, std::size_t Np)
      : Mp_(Mp), Np_(Np), half_(Mp * (Np / 2 + 1)), out_(Mp * Np),
        plan_(FftPlan<double>::Kind::c2r, {int(Mp), int(Np)}) {}

  std::vector<double> operator()(const std::vector<std::complex<double>>& w) {
    const std::size_t h = Np_ / 2 + 1;
    for (std::size_t m = 0; m < Mp_; ++m)
      for (std::size_t n = 0; n < h; ++n)
        half_[m * h + n] = 0.5 * (std::conj(w[m * Np_ + n]) + w[((Mp_ - m) % Mp_) * Np_ + (Np_ - n) % Np_]);
    plan_(half_.data(), out_.data());
    std::vector<double> f(out_.size());
    for (std::size_t i = 0; i < f.size(); ++i) f[i] = static_cast<float>(out_[i]);
    return f;
  }

 private:
  std::size_t Mp_, Np_;
  AlignedVector<std::complex<double>> half_;
  AlignedVector<double> out_;
  FftPlan<double> plan_;
};

}  // namespace

std::vector<std::complex<double>> gabor_2d(std::size_t Mp, std::size_t Np, double sigma,
                                           double theta, double xi, double slant) {
  std::vector<std::complex<double>> out;
  periodized_gabor(Mp, Np, sigma, theta, xi, slant, out, nullptr);
  return out;
}

std::vector<std::complex<double>> morlet_2d(std::size_t Mp, std::size_t Np, double sigma,
                                            double theta, double xi, double slant) {
  std::vector<std::complex<double>> w;
  std::vector<double> w0;
  periodized_gabor(Mp, Np, sigma, theta, xi, slant, w, &w0);
  std::complex<double> sw = 0;
  double sw0 = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    sw += w[i];
    sw0 += w0[i];
  }
  const std::complex<double> k = sw / sw0;  // makes the DFT vanish at frequency 0 (§2.4)
  for (std::size_t i = 0; i < w.size(); ++i) w[i] -= k * w0[i];
  return w;
}

FilterBank2D morlet_filter_bank_2d(int J, int L, std::size_t M, std::size_t N) {
  if (J < 1 || J > 30)
    throw UsageError("J=" + std::to_string(J) + " is out of range: J must be in [1, 30]");
  // The padded sides (≤ 2·side + 2^(J+1)) must stay FFTW int lengths, their product too.
  if (std::max(M, N) > (std::size_t{1} << 15))
    throw UsageError("image " + std::to_string(M) + "x" + std::to_string(N) +
                     " is too large: each side must be at most 2^15 = 32768 pixels");
  if ((std::size_t{1} << J) > std::min(M, N))
    throw UsageError("J=" + std::to_string(J) + ": 2^J=" + std::to_string(std::size_t{1} << J) +
                     " exceeds the smaller image side " + std::to_string(std::min(M, N)) +
                     " (image " + std::to_string(M) + "x" + std::to_string(N) +
                     "; allowed: 2^J <= min(M, N))");
  if (L < 1 || L > 64)
    throw UsageError("L=" + std::to_string(L) + " is out of range: orientations must be in [1, 64]");

  FilterBank2D b;
  b.J = J;
  b.L = L;
  b.M = M;
  b.N = N;
  const std::size_t s = std::size_t{1} << J;
  b.Mp = (M / s + 2) * s;  // (§2.2)
  b.Np = (N / s + 2) * s;
  b.pad_top = (b.Mp - M) / 2;
  b.pad_left = (b.Np - N) / 2;
  const std::size_t filters = 1 + std::size_t(J) * std::size_t(L);
  check_memory(checked_bytes({filters, b.Mp, b.Np}, sizeof(double)),
               "the 2-D filter bank (" + std::to_string(filters) + " filters of " +
                   std::to_string(b.Mp) + "x" + std::to_string(b.Np) + ")");

  RealPartOfDft fourier(b.Mp, b.Np);
  b.phi = fourier(gabor_2d(b.Mp, b.Np, kSigma * std::pow(2.0, J - 1), 0.0, 0.0, 1.0));
  const double slant = 4.0 / L;
  for (int j = 0; j < J; ++j) {
    for (int th = 0; th < L; ++th) {
      const double sigma = kSigma * std::pow(2.0, j), xi = kXi / std::pow(2.0, j);
      const double angle = (static_cast<int>(L - L / 2.0 - 1) - th) * std::numbers::pi / L;
      b.psi.push_back(Filter2D{j, th, xi, sigma, angle,
                               fourier(morlet_2d(b.Mp, b.Np, sigma, angle, xi, slant))});
    }
  }
  return b;
}

SeparableLowpass2D lowpass_factors_2d(int J, std::size_t Mp, std::size_t Np) {
  const double sigma = kSigma * std::pow(2.0, J - 1);
  // Re DFT of Σ_{e=−2..2} exp(−(m + e·n)²/(2σ²)), the 1D factor of gabor(σ, 0, 0, 1) (§2.3).
  auto factor = [sigma](std::size_t n) {
    AlignedVector<std::complex<double>> g(n), G(n);
    for (std::size_t m = 0; m < n; ++m)
      for (int e = -2; e <= 2; ++e) {
        const double u = double(m) + double(e) * double(n);
        g[m] += std::exp(-u * u / (2.0 * sigma * sigma));
      }
    FftPlan<double>(FftPlan<double>::Kind::forward, {int(n)})(g.data(), G.data());
    std::vector<double> f(n);
    for (std::size_t k = 0; k < n; ++k) f[k] = G[k].real();
    return f;
  };
  SeparableLowpass2D p{factor(Mp), factor(Np)};
  const double inv_z = 1.0 / (2.0 * kPiQuirk * sigma * sigma);  // slant 1
  for (auto& v : p.rows) v *= inv_z;
  return p;
}

std::vector<double> crop_2d(const std::vector<double>& f, std::size_t Mp, std::size_t Np,
                            int level) {
  const std::size_t Mr = Mp >> level, Nr = Np >> level;
  std::vector<double> out(Mr * Nr);
  for (std::size_t k = 0; k < Mr; ++k) {
    const std::size_t rk = k < Mr / 2 ? k : k + Mp - Mr;
    for (std::size_t l = 0; l < Nr; ++l) out[k * Nr + l] = f[rk * Np + (l < Nr / 2 ? l : l + Np - Nr)];
  }
  return out;
}

}  // namespace wst
