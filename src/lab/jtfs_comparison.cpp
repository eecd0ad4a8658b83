// Time scattering against joint time–frequency scattering (wst/lab/jtfs_comparison.hpp; Andén,
// Lostanlen & Mallat 2019).
#include "wst/lab/jtfs_comparison.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numbers>
#include <string>
#include <sstream>

#include "wst/core/scattering_1d.hpp"
#include "wst/support/error.hpp"
#include "wst/support/splitmix.hpp"

namespace wst::lab {

namespace {

using json = nlohmann::ordered_json;
constexpr double kPi = std::numbers::pi;

// The geometry of the signals (chosen where the theory predicts the effect: every sweep and delay
// well below T, every atom in a first-order band of its own).
constexpr double kHighest = 0.35;        // f_hi, cycles per sample
constexpr int kOctaves = 3;              // f_lo = f_hi / 2^kOctaves
constexpr int kAtomsPerOctave = 2;       // atoms 4 first-order bands apart at Q = 8
constexpr double kAtomBandwidth = 0.07;  // σ_f / f of each Gabor atom

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

// The rows and columns of the scale–rate map: ψ2 by increasing ξ2 (decreasing n2) among the
// second-order paths, the K frequential wavelets by increasing |ξ_fr| (n_fr = K … 1, §J3.2).
ScaleRateMap map_axes(const TimeFrequencyScattering& jtfs, std::map<int, std::size_t>& column) {
  ScaleRateMap map;
  for (const PathMetaJTFS& m : jtfs.meta())
    if (m.order == 2) column[-m.n2] = 0;
  for (auto& [minus_n2, col] : column) {
    col = map.n2.size();
    const Filter1D& f = jtfs.filters().psi2[std::size_t(-minus_n2)];
    map.n2.push_back(-minus_n2);
    map.j2.push_back(f.j);
    map.xi2.push_back(f.xi);
  }
  const FrequentialFilterBank& fb = jtfs.frequential_filters();
  for (int q = fb.K() - 1; q >= 0; --q) {
    map.xi_fr.push_back(std::abs(fb.filters[std::size_t(1 + q)].xi));
    map.j_fr.push_back(fb.filters[std::size_t(1 + q)].j);
  }
  map.plus.assign(map.xi_fr.size() * map.n2.size(), 0.0);
  map.minus = map.plus;
  return map;
}

// The map of one signal's output `out` ('time' format): Σ_t S² of each second-order channel
// into the cell of its (n_fr, n2); spin 0 into spin0.
ScaleRateMap map_of(const TimeFrequencyScattering& jtfs, const std::vector<double>& out) {
  std::map<int, std::size_t> column;
  ScaleRateMap map = map_axes(jtfs, column);
  const std::size_t L = jtfs.output_length(), cols = map.n2.size();
  const int K = jtfs.frequential_filters().K();
  for (const PathMetaJTFS& m : jtfs.meta()) {
    if (m.order != 2) continue;
    const double e = norm2(out.data() + m.channel * L, L);
    if (m.spin == 0) {
      map.spin0 += e;
      continue;
    }
    const int q = m.spin > 0 ? m.n_fr - 1 : m.n_fr - 1 - K;  // 0 … K−1 by decreasing |ξ_fr|
    const std::size_t cell = std::size_t(K - 1 - q) * cols + column.at(-m.n2);
    (m.spin > 0 ? map.plus : map.minus)[cell] += e;
  }
  return map;
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
  check_range("J", c.J, 7, (long long)std::log2(double(c.N)));
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
  s.chirp_length = T / 4;
  s.f_hi = kHighest;
  s.f_lo = kHighest / double(1 << kOctaves);
  SplitMix rng{c.seed};
  s.up.assign(c.N, 0.0);
  const std::size_t start = c.N / 4 - s.chirp_length / 2;
  exponential_chirp(start, s.chirp_length, s.f_lo, s.f_hi, 2 * kPi * rng.uniform(), s.up);
  s.down = s.up;
  std::reverse(s.down.begin() + std::ptrdiff_t(start),
               s.down.begin() + std::ptrdiff_t(start + s.chirp_length));
  s.aligned.assign(c.N, 0.0);
  s.delayed.assign(c.N, 0.0);
  const int atoms = kOctaves * kAtomsPerOctave + 1;
  const double centre = double(c.N) / 4, spread = double(T) / 4;  // delays in ±T/8
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
  return map_of(jtfs, out);
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
  r.up_map = map_of(jt, P.of[0]);
  r.down_map = map_of(jt, P.of[1]);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

namespace {

// A map's cells as rows (increasing |ξ_fr|) of columns (increasing ξ2).
json cells(const std::vector<double>& v, std::size_t cols) {
  json rows = json::array();
  for (std::size_t r = 0; r * cols < v.size(); ++r)
    rows.push_back(std::vector<double>(v.begin() + std::ptrdiff_t(r * cols),
                                       v.begin() + std::ptrdiff_t((r + 1) * cols)));
  return rows;
}

json map_json(const ScaleRateMap& m) {
  const double plus = m.total_plus(), minus = m.total_minus();
  return {{"energy_spin_plus", plus}, {"energy_spin_minus", minus}, {"energy_spin0", m.spin0},
          {"spin_plus_share", plus / (plus + minus)},
          {"spin_plus", cells(m.plus, m.n2.size())}, {"spin_minus", cells(m.minus, m.n2.size())}};
}

json signals_json(const JtfsComparisonResult& r) {
  const JtfsSignals& s = r.signals;
  const double rate = r.config.sample_rate;
  return {{"centre", r.config.N / 4},
          {"chirps", {{"kind", "Hann-windowed exponential chirp; down = up reversed in time"},
                      {"length", s.chirp_length}, {"f_lo", s.f_lo}, {"f_hi", s.f_hi},
                      {"f_lo_hz", s.f_lo * rate}, {"f_hi_hz", s.f_hi * rate}}},
          {"bands", {{"kind", "Gabor atoms; delayed: atom k by a delay proportional to "
                              "log2(f_k / f_lo)"},
                     {"frequencies", s.atom_frequencies}, {"widths", s.atom_widths},
                     {"delays", s.atom_delays}}}};
}

}  // namespace

nlohmann::ordered_json to_json(const JtfsComparisonResult& r) {
  const JtfsComparisonConfig& c = r.config;
  json pairs = json::array();
  for (const JtfsPairDistance& p : r.pairs)
    pairs.push_back({{"name", p.name}, {"x", p.x_name}, {"y", p.y_name},
                     {"signal", p.signal}, {"time_scattering", p.time_scattering},
                     {"jtfs", p.jtfs}, {"jtfs_over_time_scattering", p.jtfs / p.time_scattering},
                     {"time_scattering_order2", p.time_scattering_order2},
                     {"jtfs_order2", p.jtfs_order2}});
  const ScaleRateMap& m = r.up_map;
  return {{"experiment", "compare-jtfs"},
          {"definition", "||Phi(x) - Phi(y)|| / ||Phi(x)|| over the coefficients of orders 1-2, "
                         "Phi = time scattering (Scattering1D) or joint time-frequency "
                         "scattering (format 'time'), both with T = 2^J; signal: ||x - y|| / ||x||"},
          {"config", {{"N", c.N}, {"J", c.J}, {"T", std::size_t(1) << c.J}, {"Q", c.Q},
                      {"Q2", c.Q2}, {"J_fr", c.J_fr}, {"Q_fr", c.Q_fr},
                      {"sample_rate", c.sample_rate}, {"seed", c.seed}}},
          {"signals", signals_json(r)},
          {"channels", {{"time_scattering", r.time_channels}, {"jtfs", r.jtfs_channels},
                        {"output_length", r.output_length}}},
          {"pairs", pairs},
          {"scale_rate", {{"definition", "second-order JTFS energy sum_t S^2 summed over n1, by "
                                         "frequential wavelet (rows, increasing |xi_fr|) and "
                                         "temporal wavelet psi2 (columns, increasing xi2)"},
                          {"xi_fr", m.xi_fr}, {"j_fr", m.j_fr}, {"xi2", m.xi2}, {"j2", m.j2},
                          {"up", map_json(r.up_map)}, {"down", map_json(r.down_map)}}},
          {"seconds", r.seconds}};
}

std::string to_markdown(const JtfsComparisonResult& r) {
  const JtfsComparisonConfig& c = r.config;
  std::ostringstream md;
  md.precision(3);
  md << "# Time scattering against joint time-frequency scattering\n\n"
     << "Relative distance ||Phi(x) - Phi(y)|| / ||Phi(x)|| over the coefficients of orders 1-2 "
     << "(N = " << c.N << ", J = " << c.J << ", T = " << (1 << c.J) << " samples, Q = (" << c.Q
     << ", " << c.Q2 << "), J_fr = " << c.J_fr << ", Q_fr = " << c.Q_fr << "):\n\n"
     << "| pair | signal | time scattering | JTFS | JTFS / time |\n|---|---|---|---|---|\n";
  for (const JtfsPairDistance& p : r.pairs)
    md << "| " << p.x_name << " vs " << p.y_name << " | " << p.signal << " | "
       << p.time_scattering << " | " << p.jtfs << " | " << p.jtfs / p.time_scattering << " |\n";
  const auto share = [](const ScaleRateMap& m) {
    return m.total_plus() / (m.total_plus() + m.total_minus());
  };
  md << "\nSecond-order JTFS energy of spin +1 among the spins +1 and -1: up-chirp "
     << share(r.up_map) << ", down-chirp " << share(r.down_map) << ".\n\n"
     << "Time scattering averages each frequency band over T on its own, so it cannot see how "
        "the bands move relative to one another below T: the down-chirp is the up-chirp "
        "reversed in time, and the delayed bands are the aligned ones each shifted by at most "
        "T/8. JTFS's wavelets in (time, log-frequency) have an orientation, the spin, and see "
        "both (Anden, Lostanlen & Mallat 2019).\n";
  return md.str();
}

}  // namespace wst::lab
