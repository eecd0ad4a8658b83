// Audio files through libsndfile: WAV (and whatever else it reads: FLAC, AIFF, …) in, WAV out.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace wst {

struct Audio {
  std::vector<double> samples;  // the first channel, in [−1, 1] for integer formats
  double sample_rate = 0;       // Hz
  int channels = 0;             // channels in the file (only the first is read)
};

// Reads the first channel. Throws IoError if the file cannot be opened and InputError (naming
// the file) for anything libsndfile rejects, a header whose frame count exceeds what the file
// can hold or 2^31 frames, an empty file, or a truncated data chunk (fewer frames than the header
// claims is read as what is there only if libsndfile reports it; see the tests).
Audio read_audio(const std::string& path);

// Writes a mono 32-bit float WAV atomically (temporary name, then rename). Throws UsageError for
// a sample rate outside [1, 2^31) or non-finite samples, IoError when the file cannot be written.
void write_wav(const std::string& path, const std::vector<double>& samples, double sample_rate);

}  // namespace wst
