// What the time-frequency commands read and write: NumPy .npy arrays, audio files (WAV, FLAC,
// AIFF, Ogg through libsndfile) as one float64 signal with its sample rate, and PNG images as
// float64 luminance in [0, 1].
#pragma once
#include <complex>
#include <string>
#include <string_view>
#include <variant>

#include "wst/support/error.hpp"

#include "wst/support/array.hpp"
#include "wst/io/npy.hpp"

namespace wst::cli {

struct InputFile {
  NpyArray array;           // audio: float64 (N,); PNG: float64 (H, W)
  double sample_rate = 0;   // Hz from an audio file; 0 when unknown
  std::string path;
  bool image = false;       // read from a PNG
};

bool is_audio_path(std::string_view path);  // by extension (.wav .flac .aif .aiff .ogg)
bool is_png_path(std::string_view path);

InputFile read_input_file(const std::string& path);

using RealArray = std::variant<Array<float>, Array<double>>;
using ComplexArray = std::variant<Array<std::complex<float>>, Array<std::complex<double>>>;

// The input as a real float array (float32 or float64 kept), or InputError naming the file,
// the command and what it needs; rejects empty arrays and ranks below `min_rank`.
RealArray real_input(const InputFile& in, std::string_view command, std::size_t min_rank);
// The same checks for the scatter commands, moving the array out of `in`: the messages say
// "needs float32 or float64" and name the expected shape `form`, e.g. "(..., M, N)".
RealArray take_real_input(InputFile&& in, std::string_view command, std::size_t min_rank,
                          std::string_view form);
// The input as a complex array (real inputs widened, precision kept).
ComplexArray complex_input(const InputFile& in, std::string_view command, std::size_t min_rank);

// Writes a real array as .npy, or as a mono WAV when `path` ends in .wav (then the array must be
// 1D and sample_rate > 0: UsageError otherwise).
template <class T>
void write_signal(const std::string& path, const Array<T>& x, double sample_rate);

// Sample-rate bookkeeping: the rate given on the command line (> 0) wins over the file's.
double effective_rate(double from_option, const InputFile& in);

// Names the input file in data errors (NaN, wrong shape) that do not already.
template <class F>
auto naming_input(const std::string& path, F f) {
  try {
    return f();
  } catch (const InputError& e) {
    const std::string what = e.what();
    throw InputError(what.starts_with(path + ": ") ? what : path + ": " + what);
  }
}

}  // namespace wst::cli
