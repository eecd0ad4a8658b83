// Time scattering against joint time–frequency scattering (wst/lab/jtfs_comparison.hpp; Andén,
// Lostanlen & Mallat 2019).
#include "wst/lab/jtfs_comparison.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numbers>
#include <sstream>

#include "wst/core/scattering_1d.hpp"
#include "wst/support/error.hpp"

namespace wst::lab {

namespace {

using json = nlohmann::ordered_json;
constexpr double kPi = std::numbers::pi;

// The geometry of the signals, relative to T and to the Nyquist frequency.
double envd(const char* n, double d) { const char* v = std::getenv(n); return v ? std::atof(v) : d; }
const double kHighest = envd("K_HI", 0.3);   // f_hi, cycles per sample
const int kOctaves = int(envd("K_OCT", 4));        // f_lo = f_hi / 2^kOctaves
const int kAtomsPerOctave = int(envd("K_APO", 1));
const double kAtomBandwidth = envd("K_BW", 0.1);  // σ_f / f of each Gabor atom
const double kChirpDiv = envd("K_CD", 2), kDelayDiv = envd("K_DD", 4);

// A portable generator (splitmix64), so that the phases do not depend on the standard library.
struct SplitMix {
  std::uint64_t s;
  double uniform() {  // in [0, 1)
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return double((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
  }
};

// A Hann-windowed chirp of `length` samples whose frequency rises exponentially from f_lo to f_hi
// (a straight line in log-frequency, as the scalogram draws it), starting at `start`.
void exponential_chirp(std::size_t start, std::size_t length, double f_lo, double f_hi,
                       double phase, std::vector<double>& x) {
  const double L = double(length), rate = std::log(f_hi / f_lo) / L;  // per sample
  for (std::size_t k = 0; k < length; ++k) {
    const double t = double(k) + 0.5;  // symmetric about the centre, so reversal is exact
    const double hann = 0.5 - 0.5 * std::cos(2 * kPi * t / L);
    x[start + k] = hann * std::cos(2 * kPi * f_lo * (std::exp(rate * t) - 1) / rate + phase);
  }
}

// A Gabor atom exp(−(t − c)²/(2s²))·cos(2πf(t − c) + phase) added to x.
void add_atom(double centre, double f, double s, double phase, std::vector<double>& x) {
  for (std::size_t n = 0; n < x.size(); ++n) {
    const double t = double(n) - centre;
    if (std::abs(t) < 12 * s) x[n] += std::exp(-t * t / (2 * s * s)) * std::cos(2 * kPi * f * t + phase);
  }
}

double norm2(const double* a, std::size_t n) {
  double s = 0;
  for (std::size_t k = 0; k < n; ++k) s += a[k] * a[k];
  return s;
}

double relative_distance(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0;
  for (std::size_t k = 0; k < a.size(); ++k) d += (a[k] - b[k]) * (a[k] - b[k]);
  return std::sqrt(d / norm2(a.data(), a.size()));
}

// The outputs of a transform for several signals, with the scattering order of each value.
struct Outputs {
  std::vector<int> order;               // per value of one signal's output
  std::vector<std::vector<double>> of;  // per signal
  // ‖Φx − Φy‖ / ‖Φx‖ over the values of order ≥ min_order.
  double distance(std::size_t x, std::size_t y, int min_order) const {
    double d = 0, n = 0;
    for (std::size_t i = 0; i < order.size(); ++i)
      if (order[i] >= min_order) {
        const double a = of[x][i], b = of[y][i];
        d += (a - b) * (a - b);
        n += a * a;
      }
    return std::sqrt(d / n);
  }
  std::size_t values(int o) const { return std::size_t(std::count(order.begin(), order.end(), o)); }
};

template <class Transform>
Outputs transform_all(const Transform& t, std::vector<int> order,
                      const std::vector<const std::vector<double>*>& x) {
  const std::size_t N = x[0]->size(), size = order.size();
  std::vector<double> in(x.size() * N), out(x.size() * size);
  for (std::size_t b = 0; b < x.size(); ++b)
    std::copy(x[b]->begin(), x[b]->end(), in.begin() + std::ptrdiff_t(b * N));
  t(in.data(), x.size(), out.data());
  Outputs r{std::move(order), {}};
  for (std::size_t b = 0; b < x.size(); ++b)
    r.of.emplace_back(out.begin() + std::ptrdiff_t(b * size),
                      out.begin() + std::ptrdiff_t((b + 1) * size));
  return r;
}

std::vector<int> value_orders(const Scattering1D& s) {
  std::vector<int> order;
  for (std::size_t c = 0; c < s.channels(); ++c)
    order.insert(order.end(), s.output_length(c), s.meta()[c].order);
  return order;
}

std::vector<int> value_orders(const TimeFrequencyScattering& s) {
  std::vector<int> order(s.output_size(), 0);
  const std::size_t L = s.output_length();
  for (const PathMetaJTFS& m : s.meta())
    std::fill_n(order.begin() + std::ptrdiff_t(m.channel * L), L, m.order);
  return order;
}

void check_range(const std::string& field, long long v, long long lo, long long hi) {
  if (v < lo || v > hi)
    throw UsageError(field + " " + std::to_string(v) + ": must be in " + std::to_string(lo) +
                     " … " + std::to_string(hi));
}

}  // namespace

double ScaleRateMap::total_plus() const {
  double s = 0;
  for (double v : plus) s += v;
  return s;
}

double ScaleRateMap::total_minus() const {
  double s = 0;
  for (double v : minus) s += v;
  return s;
}

void validate(const JtfsComparisonConfig& c) {
  if (c.N < 1024 || c.N > 65536 || (c.N & (c.N - 1)) != 0)
    throw UsageError("N " + std::to_string(c.N) + ": must be a power of two in 1024 … 65536");
  check_range("J", c.J, 8, (long long)std::log2(double(c.N)));
  check_range("Q", c.Q, 4, 16);
  check_range("Q2", c.Q2, 1, c.Q);
  check_range("Q_fr", c.Q_fr, 1, 4);
  // F = 2^J_fr may not exceed Kymatio's nominal count (J + 1)·Q of first-order filters (§J1.2).
  const int max_J_fr = std::min(6, int(std::log2(double((c.J + 1) * c.Q))));
  check_range("J_fr", c.J_fr, 1, max_J_fr);
  if (!(c.sample_rate > 0) || !std::isfinite(c.sample_rate))
    throw UsageError("sample_rate: must be a finite number of Hz > 0");
  if (c.exec.threads < 1)
    throw UsageError("exec.threads " + std::to_string(c.exec.threads) + ": must be >= 1");
}

JtfsSignals jtfs_signals(const JtfsComparisonConfig& c) {
  validate(c);
  JtfsSignals s;
  const std::size_t T = std::size_t(1) << c.J;
  s.chirp_length = std::size_t(double(T) / kChirpDiv);
  s.f_hi = kHighest;
  s.f_lo = kHighest / double(1 << kOctaves);
  SplitMix rng{c.seed};
  s.up.assign(c.N, 0.0);
  exponential_chirp((c.N - s.chirp_length) / 2, s.chirp_length, s.f_lo, s.f_hi,
                    2 * kPi * rng.uniform(), s.up);
  s.down.assign(s.up.rbegin(), s.up.rend());
  s.aligned.assign(c.N, 0.0);
  s.delayed.assign(c.N, 0.0);
  const int atoms = kOctaves * kAtomsPerOctave + 1;
  const double centre = double(c.N) / 2, spread = double(T) / kDelayDiv;  // delays in ±T/8
  for (int k = 0; k < atoms; ++k) {
    const double octave = double(k) / kAtomsPerOctave;  // log2(f / f_lo)
    const double f = s.f_lo * std::exp2(octave), width = 1 / (2 * kPi * kAtomBandwidth * f);
    const double delay = spread * (octave / kOctaves - 0.5), phase = 2 * kPi * rng.uniform();
    add_atom(centre, f, width, phase, s.aligned);
    add_atom(centre + delay, f, width, phase, s.delayed);
    s.atom_frequencies.push_back(f);
    s.atom_widths.push_back(width);
    s.atom_delays.push_back(delay);
  }
  return s;
}

TimeFrequencyScattering comparison_jtfs(const JtfsComparisonConfig& c) {
  validate(c);
  TimeFrequencyScatteringOptions o;
  o.Q = {c.Q, c.Q2};
  o.Q_fr = c.Q_fr;
  o.format = JtfsFormat::time;
  return TimeFrequencyScattering(c.J, c.J_fr, c.N, o, c.exec);
}

ScaleRateMap scale_rate_map(const TimeFrequencyScattering& jtfs, const std::vector<double>& x) {
  if (jtfs.options().format != JtfsFormat::time)
    throw UsageError("scale_rate_map: the transform must have the 'time' format");
  if (x.size() != jtfs.input_length())
    throw UsageError("scale_rate_map: the signal has " + std::to_string(x.size()) +
                     " samples, the transform takes " + std::to_string(jtfs.input_length()));
  std::vector<double> out(jtfs.output_size());
  jtfs(x.data(), 1, out.data());
  const std::size_t L = jtfs.output_length();
  const FrequentialFilterBank& fb = jtfs.frequential_filters();
  const int K = fb.K();
  std::map<int, std::size_t> column;  // n2 → column, by increasing ξ2 (decreasing n2)
  for (const PathMetaJTFS& m : jtfs.meta())
    if (m.order == 2) column[-m.n2] = 0;
  ScaleRateMap map;
  for (auto& [minus_n2, col] : column) {
    col = map.n2.size();
    const Filter1D& f = jtfs.filters().psi2[std::size_t(-minus_n2)];
    map.n2.push_back(-minus_n2);
    map.j2.push_back(f.j);
    map.xi2.push_back(f.xi);
  }
  for (int q = K - 1; q >= 0; --q) {  // rows by increasing |ξ_fr|: n_fr = K … 1
    map.xi_fr.push_back(std::abs(fb.filters[std::size_t(1 + q)].xi));
    map.j_fr.push_back(fb.filters[std::size_t(1 + q)].j);
  }
  const std::size_t cols = map.n2.size();
  map.plus.assign(std::size_t(K) * cols, 0.0);
  map.minus = map.plus;
  for (const PathMetaJTFS& m : jtfs.meta()) {
    if (m.order != 2) continue;
    const double e = norm2(out.data() + m.channel * L, L);
    if (m.spin == 0) {
      map.spin0 += e;
      continue;
    }
    const int q = m.spin > 0 ? m.n_fr - 1 : m.n_fr - 1 - K;
    const std::size_t cell = std::size_t(K - 1 - q) * cols + column.at(-m.n2);
    (m.spin > 0 ? map.plus : map.minus)[cell] += e;
  }
  return map;
}

JtfsComparisonResult compare_jtfs(const JtfsComparisonConfig& c) {
  const auto t0 = std::chrono::steady_clock::now();
  JtfsComparisonResult r;
  r.config = c;
  r.signals = jtfs_signals(c);
  const Scattering1D ts(c.J, c.N, Scattering1DOptions{.Q = {c.Q, c.Q2}}, c.exec);
  const TimeFrequencyScattering jt = comparison_jtfs(c);
  const JtfsSignals& s = r.signals;
  const std::vector<const std::vector<double>*> x = {&s.up, &s.down, &s.aligned, &s.delayed};
  const Outputs S = transform_all(ts, value_orders(ts), x), P = transform_all(jt, value_orders(jt), x);
  r.time_channels = (S.values(1) + S.values(2)) / ts.output_length();
  r.jtfs_channels = (P.values(1) + P.values(2)) / jt.output_length();
  r.output_length = jt.output_length();
  r.pairs.push_back({"chirps", "up-chirp", "down-chirp", relative_distance(s.up, s.down),
                     S.distance(0, 1, 1), P.distance(0, 1, 1), S.distance(0, 1, 2),
                     P.distance(0, 1, 2)});
  r.pairs.push_back({"delayed bands", "aligned bands", "delayed bands",
                     relative_distance(s.aligned, s.delayed), S.distance(2, 3, 1),
                     P.distance(2, 3, 1), S.distance(2, 3, 2), P.distance(2, 3, 2)});
  r.up_map = scale_rate_map(jt, s.up);
  r.down_map = scale_rate_map(jt, s.down);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace wst::lab
