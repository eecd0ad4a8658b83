// Audio files through libsndfile (http://libsndfile.github.io/libsndfile/api.html).
#include "wst/io/audio.hpp"

#include <fcntl.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "wst/support/error.hpp"
#include "wst/support/memory_budget.hpp"
#include "wst/support/atomic_file.hpp"

namespace wst {

namespace {

constexpr sf_count_t kMaxFrames = sf_count_t{1} << 31;
constexpr std::size_t kChunkSamples = std::size_t{1} << 16;  // interleaved samples per read

// Bytes per sample of uncompressed samples; 0 for compressed or unknown encodings (FLAC, Vorbis,
// MPEG, ADPCM, …, whose PCM "subtypes" only name the decoded precision), where the file size says
// nothing exact about the frame count.
sf_count_t bytes_per_sample(int format) {
  switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_FLAC:
    case SF_FORMAT_OGG:
    case SF_FORMAT_MPEG:
      return 0;
    default:
      break;
  }
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
    case SF_FORMAT_ULAW:
    case SF_FORMAT_ALAW:
      return 1;
    case SF_FORMAT_PCM_16:
      return 2;
    case SF_FORMAT_PCM_24:
      return 3;
    case SF_FORMAT_PCM_32:
    case SF_FORMAT_FLOAT:
      return 4;
    case SF_FORMAT_DOUBLE:
      return 8;
    default:
      return 0;
  }
}

struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using Sndfile = std::unique_ptr<SNDFILE, SndfileCloser>;

// A growable in-memory file for sf_open_virtual: the WAV is built here, then written atomically.
// The callbacks are called from C, so nothing may throw through them: a failed allocation is
// reported to libsndfile as a short write.
struct MemoryFile {
  std::string bytes;
  sf_count_t pos = 0;

  static MemoryFile& of(void* user) { return *static_cast<MemoryFile*>(user); }
  static sf_count_t length(void* user) { return sf_count_t(of(user).bytes.size()); }
  static sf_count_t tell(void* user) { return of(user).pos; }
  static sf_count_t seek(sf_count_t offset, int whence, void* user) {
    MemoryFile& m = of(user);
    const sf_count_t base = whence == SEEK_SET   ? 0
                            : whence == SEEK_CUR ? m.pos
                                                 : sf_count_t(m.bytes.size());
    if (base + offset < 0) return -1;
    return m.pos = base + offset;
  }
  static sf_count_t read(void* ptr, sf_count_t count, void* user) {
    MemoryFile& m = of(user);
    const sf_count_t n = std::clamp<sf_count_t>(sf_count_t(m.bytes.size()) - m.pos, 0, count);
    if (n > 0) std::memcpy(ptr, m.bytes.data() + m.pos, std::size_t(n));
    m.pos += n;
    return n;
  }
  static sf_count_t write(const void* ptr, sf_count_t count, void* user) {
    MemoryFile& m = of(user);
    try {
      if (std::size_t(m.pos + count) > m.bytes.size()) m.bytes.resize(std::size_t(m.pos + count));
    } catch (...) {
      return 0;
    }
    std::memcpy(m.bytes.data() + m.pos, ptr, std::size_t(count));
    m.pos += count;
    return count;
  }
};

}  // namespace

Audio read_audio(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError(path + ": cannot open: " + std::strerror(errno));
  const FdCloser closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw IoError(path + ": cannot read: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw IoError(path + ": cannot read: not a regular file");
  if (st.st_size == 0) throw InputError(path + ": empty file (no audio samples)");

  // libsndfile validates the header (and clamps a data chunk longer than the file to what is
  // there, as for a recording that was cut short); sf_strerror(nullptr) is its reason otherwise.
  SF_INFO info{};
  const Sndfile file(sf_open_fd(fd, SFM_READ, &info, SF_FALSE));
  if (!file) throw InputError(path + ": not a readable audio file: " + sf_strerror(nullptr));
  if (info.samplerate <= 0 || info.channels < 1)
    throw InputError(path + ": invalid header: " + std::to_string(info.channels) + " channels at " +
                     std::to_string(info.samplerate) + " Hz");
  if (info.frames > kMaxFrames && info.frames != SF_COUNT_MAX)  // SF_COUNT_MAX: length unknown
    throw InputError(path + ": header claims " + std::to_string(info.frames) +
                     " frames, more than the 2^31 supported");
  const sf_count_t width = bytes_per_sample(info.format);
  if (width > 0 && info.frames != SF_COUNT_MAX && info.frames > st.st_size / width / info.channels)
    throw InputError(path + ": header claims " + std::to_string(info.frames) + " frames of " +
                     std::to_string(info.channels) + " channels, more than the " +
                     std::to_string(st.st_size) + "-byte file can hold");
  if (info.frames == 0) throw InputError(path + ": no audio samples");
  if (info.frames != SF_COUNT_MAX)
    check_memory(checked_bytes({std::size_t(info.frames)}, sizeof(double)),
                 path + ": decoding " + std::to_string(info.frames) + " audio frames");

  Audio audio;
  audio.sample_rate = info.samplerate;
  audio.channels = info.channels;
  // Reserve no more than the file could hold even at one byte per frame, so a hostile frame
  // count in a compressed format cannot force a large allocation; real data grow the vector.
  audio.samples.reserve(std::size_t(std::min<sf_count_t>(info.frames, st.st_size)));
  // sf_readf_double scales integer formats to [−1, 1] (SFC_SET_NORM_DOUBLE is on by default).
  const std::size_t channels = std::size_t(info.channels);
  const sf_count_t chunk = sf_count_t(std::max<std::size_t>(1, kChunkSamples / channels));
  std::vector<double> buffer(std::size_t(chunk) * channels);
  for (;;) {
    const sf_count_t got = sf_readf_double(file.get(), buffer.data(), chunk);
    if (got <= 0) break;
    if (sf_count_t(audio.samples.size()) + got > kMaxFrames)
      throw InputError(path + ": more than the 2^31 supported frames");
    for (sf_count_t i = 0; i < got; ++i) audio.samples.push_back(buffer[std::size_t(i) * channels]);
  }
  if (sf_error(file.get()) != SF_ERR_NO_ERROR)
    throw InputError(path + ": cannot decode audio: " + sf_strerror(file.get()));
  if (info.frames != SF_COUNT_MAX && sf_count_t(audio.samples.size()) != info.frames)
    throw InputError(path + ": truncated: the header claims " + std::to_string(info.frames) +
                     " frames, only " + std::to_string(audio.samples.size()) + " could be read");
  if (audio.samples.empty()) throw InputError(path + ": no audio samples");
  return audio;
}

void write_wav(const std::string& path, const std::vector<double>& samples, double sample_rate) {
  if (!(sample_rate >= 1 && sample_rate < 2147483648.0) || sample_rate != std::floor(sample_rate))
    throw UsageError(path + ": a WAV sample rate must be a whole number of Hz in [1, 2^31), got " +
                     std::to_string(sample_rate));
  // A RIFF chunk size is 32 bits: at most 2^32 − 1 bytes, of which 4 per sample and < 100 header.
  constexpr std::size_t kMaxSamples = (std::size_t{0xffffffff} - 100) / 4;
  if (samples.size() > kMaxSamples)
    throw UsageError(path + ": " + std::to_string(samples.size()) +
                     " samples exceed the WAV size limit of " + std::to_string(kMaxSamples));
  for (std::size_t i = 0; i < samples.size(); ++i)
    if (!std::isfinite(static_cast<float>(samples[i])))
      throw UsageError(path + ": sample " + std::to_string(i) + " = " +
                       std::to_string(samples[i]) +
                       " is not a finite 32-bit float (WAV samples are float32)");

  MemoryFile memory;
  SF_VIRTUAL_IO io{&MemoryFile::length, &MemoryFile::seek, &MemoryFile::read, &MemoryFile::write,
                   &MemoryFile::tell};
  SF_INFO info{};
  info.samplerate = int(sample_rate);
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  Sndfile file(sf_open_virtual(&io, SFM_WRITE, &info, &memory));
  if (!file) throw IoError(path + ": cannot encode WAV: " + sf_strerror(nullptr));
  // No PEAK chunk: a plain fmt/fact/data file that every WAV reader (scipy included) accepts.
  sf_command(file.get(), SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
  float chunk[4096];
  for (std::size_t done = 0; done < samples.size();) {
    const std::size_t n = std::min(std::size(chunk), samples.size() - done);
    for (std::size_t i = 0; i < n; ++i) chunk[i] = static_cast<float>(samples[done + i]);
    if (sf_writef_float(file.get(), chunk, sf_count_t(n)) != sf_count_t(n))
      throw IoError(path + ": cannot encode WAV: " + sf_strerror(file.get()));
    done += n;
  }
  if (sf_close(file.release()) != 0) throw IoError(path + ": cannot encode WAV");
  write_file_atomic(path, memory.bytes);
}

}  // namespace wst
