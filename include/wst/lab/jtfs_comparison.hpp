// What joint time–frequency scattering sees that time scattering cannot (Andén, Lostanlen &
// Mallat 2019, §II–III; docs/jtfs-formulas.md). Time scattering averages every band |x ⋆ ψ_λ1| over
// T = 2^J on its own, so it cannot tell how the bands move relative to one another below T: an
// up-chirp and the down-chirp that is its time reverse, or a set of bands all at once and the
// same bands each delayed in proportion to its log-frequency, have nearly the same coefficients.
// JTFS convolves the scalogram with 2D wavelets ψ2(t)·ψ_fr(log λ1) of spin ±1, oriented in
// (time, log-frequency), and tells them apart. The experiment measures ‖Φ x − Φ y‖ / ‖Φ x‖ for
// both transforms on both pairs, and maps the up- and down-chirp's second-order JTFS energy by
// frequential scale and temporal rate, one map per spin.
#pragma once
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "wst/core/options.hpp"
#include "wst/core/time_frequency_scattering.hpp"

namespace wst::lab {

struct JtfsComparisonConfig {
  std::size_t N = 8192;        // signal length: a power of two in [1024, 65536]
  int J = 10;                  // T = 2^J: in [7, log2 N]
  int Q = 8;                   // first-order wavelets per octave, in [4, 16]
  int Q2 = 2;                  // second-order wavelets per octave, in [1, Q]
  int J_fr = 4;                // frequential scale (n1 steps): in [1, 6], 2^J_fr ≤ (J+1)·Q
  int Q_fr = 2;                // frequential wavelets per octave, in [1, 4]
  double sample_rate = 16000;  // Hz, for captions and axes only: > 0 and finite
  std::uint64_t seed = 0;      // the phases of the chirps and of the atoms
  ExecOptions exec;
};

// The test signals, N samples each, centred at N/4 within about T/4: in the first half, which the
// reflect padding mirrors whole (a signal across N/2 would be cut there), far from the mirror.
struct JtfsSignals {
  // Hann-windowed exponential chirps (straight lines in the scalogram's log-frequency) of T/4
  // samples from f_lo = 0.35/8 to f_hi = 0.35 cycles per sample; down is up reversed in time.
  std::vector<double> up, down;
  // Seven Gabor atoms, half an octave apart from f_lo to f_hi, σ_f = 0.07·f (so that no
  // first-order band holds two): all centred at N/4 (aligned), or atom k delayed by
  // atom_delays[k], proportional to log2(f_k / f_lo), from −T/8 to T/8 (delayed).
  std::vector<double> aligned, delayed;
  std::size_t chirp_length = 0;
  double f_lo = 0, f_hi = 0;                // cycles per sample
  std::vector<double> atom_frequencies;     // cycles per sample, increasing
  std::vector<double> atom_widths;          // Gaussian standard deviations in samples
  std::vector<double> atom_delays;          // samples
};

// Validates c and makes the signals (deterministic for a given seed).
JtfsSignals jtfs_signals(const JtfsComparisonConfig& c);

// One pair of signals and how far apart each representation puts them.
struct JtfsPairDistance {
  std::string name;              // "chirps", "delayed bands"
  std::string x_name, y_name;    // "up-chirp", "down-chirp"; "aligned bands", "delayed bands"
  double signal = 0;             // ‖x − y‖ / ‖x‖
  double time_scattering = 0;    // ‖S x − S y‖ / ‖S x‖, Scattering1D orders 1–2
  double jtfs = 0;               // the same with JTFS ('time' format), orders 1–2
  double time_scattering_order2 = 0, jtfs_order2 = 0;  // the same over order 2 alone
};

// The second-order JTFS energy of one signal by frequential scale and temporal rate (Andén et al.
// 2019, Fig. 4): cell (r, c) of a spin's map is Σ over time and n1 of S², for the frequential
// wavelet of row r and the temporal wavelet ψ2 of column c. Rows by increasing |ξ_fr|, columns by
// increasing ξ2; values rows × cols, row-major.
struct ScaleRateMap {
  std::vector<double> xi_fr;  // |ξ_fr| in cycles per n1 step (× Q: cycles per octave)
  std::vector<int> j_fr;
  std::vector<double> xi2;    // cycles per sample
  std::vector<int> j2, n2;
  std::vector<double> plus, minus;  // spin +1 and spin −1
  double spin0 = 0;                 // the second-order spin-0 energy, for scale
  double total_plus() const;
  double total_minus() const;
};

// The map of x (N samples) under `jtfs`, which must have the 'time' format. Throws UsageError
// when x has another length or the format is 'joint'.
ScaleRateMap scale_rate_map(const TimeFrequencyScattering& jtfs, const std::vector<double>& x);

// The transform the experiment uses: J, J_fr, N of c, Q = (Q, Q2), Q_fr, format 'time', T = 2^J.
TimeFrequencyScattering comparison_jtfs(const JtfsComparisonConfig& c);

struct JtfsComparisonResult {
  JtfsComparisonConfig config;
  JtfsSignals signals;
  std::vector<JtfsPairDistance> pairs;  // chirps, then delayed bands
  ScaleRateMap up_map, down_map;        // of signals.up and signals.down
  std::size_t time_channels = 0, jtfs_channels = 0;  // orders 1–2 of each
  std::size_t output_length = 0;                     // N / T samples per channel
  double seconds = 0;
};

// Throws UsageError naming the field ("N", "J", "Q", "Q2", "J_fr", "Q_fr", "sample_rate",
// "exec.threads") and its allowed range.
void validate(const JtfsComparisonConfig& c);

// Validates, makes the signals, and measures the distances and the two maps.
JtfsComparisonResult compare_jtfs(const JtfsComparisonConfig& c);

// The JSON `wst compare-jtfs` writes.
nlohmann::ordered_json to_json(const JtfsComparisonResult& r);

// A markdown summary: the table of distances and the spin energies of the maps.
std::string to_markdown(const JtfsComparisonResult& r);

}  // namespace wst::lab
