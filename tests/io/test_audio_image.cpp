// Audio (libsndfile) and PNG (libpng) I/O: round trips, files written by the libraries directly,
// and hostile or broken files, each rejected with a typed error naming the file — under an
// address-space cap, so that a large allocation fails the test instead of passing unnoticed.
#include <gtest/gtest.h>
#include <png.h>
#include <sndfile.h>
#include <sys/resource.h>
#include <zlib.h>

#include <cmath>
#include <cstdlib>
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/io/audio.hpp"
#include "wst/support/error.hpp"
#include "wst/io/image.hpp"

namespace fs = std::filesystem;
using wst::test::message_of;

namespace {

void write_raw(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

void put_le(std::string& s, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) s += char((v >> (8 * i)) & 0xff);
}

void put_be(std::string& s, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) s += char((v >> (8 * i)) & 0xff);
}

// The files in `dir` (to check that no temporary file is left behind).
std::vector<std::string> listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  return names;
}

// The message names the file first, holds `part`, and is one line.
void expect_message(const std::string& message, const std::string& path, const std::string& part) {
  EXPECT_TRUE(message.starts_with(path + ": ")) << message;
  EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

// Caps the address space at its current size + 100 MB while alive: any allocation of more
// throws std::bad_alloc (malloc in the C libraries returns null), which the tests see as
// "<other exception>" instead of the expected typed error.
class AddressSpaceCap {
 public:
  AddressSpaceCap() {
    getrlimit(RLIMIT_AS, &saved_);
    std::ifstream status("/proc/self/status");
    std::string key;
    std::size_t kb = 0;
    while (status >> key && key != "VmSize:") status.ignore(1 << 10, '\n');
    status >> kb;
    rlimit cap = saved_;
    cap.rlim_cur = rlim_t(kb * 1024 + (std::size_t{100} << 20));
    if (saved_.rlim_max != RLIM_INFINITY && cap.rlim_cur > saved_.rlim_max)
      cap.rlim_cur = saved_.rlim_max;
    EXPECT_GT(kb, 0u);
    EXPECT_EQ(setrlimit(RLIMIT_AS, &cap), 0);
  }
  AddressSpaceCap(const AddressSpaceCap&) = delete;
  AddressSpaceCap& operator=(const AddressSpaceCap&) = delete;
  ~AddressSpaceCap() { setrlimit(RLIMIT_AS, &saved_); }

 private:
  rlimit saved_{};
};

// ---- WAV files by hand ------------------------------------------------------------------------

// A canonical 44-byte-header PCM WAV with the given header fields and `data` after it.
std::string wav_bytes(std::uint32_t riff_size, int channels, std::uint32_t rate, int bits,
                      std::uint32_t data_size, const std::string& data) {
  std::string s = "RIFF";
  put_le(s, riff_size, 4);
  s += "WAVEfmt ";
  put_le(s, 16, 4);
  put_le(s, 1, 2);  // WAVE_FORMAT_PCM
  put_le(s, std::uint32_t(channels), 2);
  put_le(s, rate, 4);
  put_le(s, rate * std::uint32_t(channels * bits / 8), 4);
  put_le(s, std::uint32_t(channels * bits / 8), 2);
  put_le(s, std::uint32_t(bits), 2);
  s += "data";
  put_le(s, data_size, 4);
  return s + data;
}

// n 16-bit samples, little-endian, with value(i) = (i · 2654435761) >> 16 as int16.
std::int16_t pattern(std::size_t i) { return std::int16_t((i * 2654435761u) >> 16); }
std::string pcm16(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) put_le(s, std::uint16_t(pattern(i)), 2);
  return s;
}

TEST(Audio, WavRoundTripKeepsFloatValuesAndSampleRate) {
  const std::string dir = wst::test::temp_dir(), path = dir + "/x.wav";
  std::vector<double> x = wst::test::random_normal(5000, 11);
  for (auto& v : x) v *= 0.3;
  x[7] = 1.75;  // float WAVs hold values beyond [−1, 1]
  wst::write_wav(path, x, 22050);
  EXPECT_EQ(listing(dir), std::vector<std::string>{"x.wav"});
  const wst::Audio a = wst::read_audio(path);
  EXPECT_EQ(a.sample_rate, 22050);
  EXPECT_EQ(a.channels, 1);
  ASSERT_EQ(a.samples.size(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    ASSERT_EQ(a.samples[i], double(float(x[i]))) << "sample " << i;
  // Plain RIFF/WAVE, IEEE float (format 3), no PEAK chunk.
  const std::string bytes = wst::test::read_file(path);
  EXPECT_EQ(bytes.substr(0, 4), "RIFF");
  EXPECT_EQ(bytes.substr(8, 4), "WAVE");
  EXPECT_EQ(bytes[20], 3);
  EXPECT_EQ(bytes.find("PEAK"), std::string::npos);
}

TEST(Audio, ReadsFirstChannelOf16BitStereoScaledToUnitRange) {
  const std::string path = wst::test::temp_dir() + "/stereo.wav";
  const std::size_t frames = 100000;  // several read chunks
  std::vector<short> interleaved(2 * frames);
  for (std::size_t i = 0; i < frames; ++i) {
    interleaved[2 * i] = pattern(i);
    interleaved[2 * i + 1] = short(-pattern(i + 17) / 2);
  }
  SF_INFO info{};
  info.samplerate = 48000;
  info.channels = 2;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
  ASSERT_EQ(sf_writef_short(f, interleaved.data(), sf_count_t(frames)), sf_count_t(frames));
  sf_close(f);

  const wst::Audio a = wst::read_audio(path);
  EXPECT_EQ(a.sample_rate, 48000);
  EXPECT_EQ(a.channels, 2);
  ASSERT_EQ(a.samples.size(), frames);
  for (std::size_t i = 0; i < frames; ++i)
    ASSERT_EQ(a.samples[i], pattern(i) / 32768.0) << "frame " << i;
}

TEST(Audio, HeaderClaimingGigabytesReadsOnlyTheSamplesPresent) {
  // RIFF and data sizes of ~4 GB with 56 bytes of data: libsndfile clamps the data chunk to the
  // file (as for a recording cut short) and reports 28 frames; nothing large is allocated.
  const std::string path = wst::test::temp_dir() + "/huge.wav";
  write_raw(path, wav_bytes(0xfffffff0u, 1, 44100, 16, 0xfffffff0u - 36, pcm16(28)));
  ASSERT_EQ(fs::file_size(path), 100u);
  wst::Audio a;
  {
    AddressSpaceCap cap;
    EXPECT_EQ(message_of<std::exception>([&] { a = wst::read_audio(path); }), "<no exception>");
  }
  ASSERT_EQ(a.samples.size(), 28u);
  for (std::size_t i = 0; i < 28; ++i) EXPECT_EQ(a.samples[i], pattern(i) / 32768.0);
}

TEST(Audio, TruncatedDataChunkReadsTheCompleteFrames) {
  // A stereo file of 250 frames cut to 600 bytes: (600 − 44) / 4 = 139 complete frames.
  const std::string dir = wst::test::temp_dir(), path = dir + "/cut.wav";
  const std::string full = wav_bytes(36 + 1000, 2, 8000, 16, 1000, pcm16(500));
  write_raw(path, full.substr(0, 600));
  const wst::Audio a = wst::read_audio(path);
  ASSERT_EQ(a.samples.size(), 139u);
  for (std::size_t i = 0; i < 139; ++i) EXPECT_EQ(a.samples[i], pattern(2 * i) / 32768.0);

  // Cut inside the header: no data chunk at all.
  const std::string header_only = dir + "/header.wav";
  write_raw(header_only, full.substr(0, 30));
  expect_message(message_of<wst::InputError>([&] { wst::read_audio(header_only); }), header_only,
                 "data");
}

TEST(Audio, FlacIsReadExactlyAndATruncatedOneIsAnInputError) {
  // FLAC is smaller than its frame count × 2 bytes (no size check applies to compressed data);
  // cut in half, libsndfile decodes fewer frames than STREAMINFO claims.
  const std::string dir = wst::test::temp_dir(), path = dir + "/x.flac";
  const std::size_t frames = 40000;
  std::vector<short> samples(frames);
  for (std::size_t i = 0; i < frames; ++i)
    samples[i] = short(std::lround(20000 * std::sin(0.01 * double(i))));
  SF_INFO info{};
  info.samplerate = 16000;
  info.channels = 1;
  info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
  ASSERT_EQ(sf_writef_short(f, samples.data(), sf_count_t(frames)), sf_count_t(frames));
  sf_close(f);
  ASSERT_LT(fs::file_size(path), 2 * frames);

  const wst::Audio a = wst::read_audio(path);
  EXPECT_EQ(a.sample_rate, 16000);
  ASSERT_EQ(a.samples.size(), frames);
  for (std::size_t i = 0; i < frames; ++i) ASSERT_EQ(a.samples[i], samples[i] / 32768.0) << i;

  const std::string cut = dir + "/cut.flac";
  const std::string bytes = wst::test::read_file(path);
  write_raw(cut, bytes.substr(0, bytes.size() / 2));
  expect_message(message_of<wst::InputError>([&] { wst::read_audio(cut); }), cut,
                 "the header claims 40000 frames");
}

TEST(Audio, AbsurdFormatChunksAreInputErrors) {
  const std::string dir = wst::test::temp_dir();
  AddressSpaceCap cap;
  const std::string no_channels = dir + "/zero.wav";
  write_raw(no_channels, wav_bytes(36 + 100, 0, 0, 16, 100, pcm16(50)));
  expect_message(message_of<wst::InputError>([&] { wst::read_audio(no_channels); }), no_channels,
                 "not a readable audio file");
  const std::string no_rate = dir + "/zerorate.wav";
  write_raw(no_rate, wav_bytes(36 + 100, 1, 0, 16, 100, pcm16(50)));
  expect_message(message_of<wst::InputError>([&] { wst::read_audio(no_rate); }), no_rate,
                 "not a readable audio file");
  const std::string many_channels = dir + "/many.wav";  // more channels than libsndfile allows
  write_raw(many_channels, wav_bytes(36 + 100, 60000, 8000, 16, 100, pcm16(50)));
  expect_message(message_of<wst::InputError>([&] { wst::read_audio(many_channels); }),
                 many_channels, "not a readable audio file");
}

TEST(Audio, EmptyFilesAreInputErrors) {
  const std::string dir = wst::test::temp_dir();
  const std::string empty = dir + "/empty.wav";
  write_raw(empty, "");
  expect_message(message_of<wst::InputError>([&] { wst::read_audio(empty); }), empty,
                 "no audio samples");
  const std::string no_frames = dir + "/noframes.wav";  // a valid header with 0 data bytes
  write_raw(no_frames, wav_bytes(36, 1, 8000, 16, 0, ""));
  expect_message(message_of<wst::InputError>([&] { wst::read_audio(no_frames); }), no_frames,
                 "no audio samples");
}

TEST(Audio, NonAudioAndMissingFiles) {
  const std::string dir = wst::test::temp_dir();
  const std::string text = dir + "/notes.txt";
  write_raw(text, "these are not samples\n");
  expect_message(message_of<wst::InputError>([&] { wst::read_audio(text); }), text,
                 "not a readable audio file");
  const std::string missing = dir + "/missing.wav";
  expect_message(message_of<wst::IoError>([&] { wst::read_audio(missing); }), missing,
                 "cannot open");
  expect_message(message_of<wst::IoError>([&] { wst::read_audio(dir); }), dir,
                 "not a regular file");
}

TEST(Audio, WriteWavRejectsBadArguments) {
  const std::string dir = wst::test::temp_dir(), path = dir + "/bad.wav";
  const std::vector<double> x = {0.1, -0.2, 0.3};
  for (double rate : {0.0, -8000.0, 44100.5, 2147483648.0, double(NAN)})
    EXPECT_NE(
        message_of<wst::UsageError>([&] { wst::write_wav(path, x, rate); })
            .find(path + ": a WAV sample rate must be"),
        std::string::npos)
        << rate;
  EXPECT_NE(message_of<wst::UsageError>([&] {
              wst::write_wav(path, {0.1, NAN}, 8000);
            }).find(path + ": sample 1 = "),
            std::string::npos);
  EXPECT_NE(
      message_of<wst::UsageError>([&] { wst::write_wav(path, {1e39}, 8000); })
          .find(path + ": sample 0 = "),
      std::string::npos);
  const std::string unwritable = dir + "/no/such/folder/x.wav";
  expect_message(message_of<wst::IoError>([&] { wst::write_wav(unwritable, x, 8000); }), unwritable,
                 "cannot write");
  EXPECT_TRUE(listing(dir).empty());
}

// ---- PNG files written with libpng directly ---------------------------------------------------

struct PngSpec {
  int width = 0, height = 0, bit_depth = 8, color_type = PNG_COLOR_TYPE_GRAY;
  bool interlaced = false;
  std::vector<png_color> palette;
  std::vector<png_byte> palette_alpha;  // tRNS for a palette image
  std::vector<std::uint8_t> rows;       // packed rows as libpng expects them (big-endian 16-bit)
};

// Writes `spec` with libpng; returns "" or libpng's error. The setjmp frame holds only PODs.
std::string write_png_with_libpng(const std::string& path, const PngSpec& spec) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return "cannot open";
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  const std::size_t rowbytes = spec.rows.size() / std::size_t(spec.height);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    std::fclose(f);
    return "libpng failed";
  }
  png_init_io(png, f);
  png_set_IHDR(png, info, png_uint_32(spec.width), png_uint_32(spec.height), spec.bit_depth,
               spec.color_type, spec.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!spec.palette.empty()) png_set_PLTE(png, info, spec.palette.data(), int(spec.palette.size()));
  if (!spec.palette_alpha.empty())
    png_set_tRNS(png, info, spec.palette_alpha.data(), int(spec.palette_alpha.size()), nullptr);
  png_write_info(png, info);
  const int passes = png_set_interlace_handling(png);
  for (int p = 0; p < passes; ++p)
    for (int r = 0; r < spec.height; ++r)
      png_write_row(png, spec.rows.data() + std::size_t(r) * rowbytes);
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  std::fclose(f);
  return "";
}

std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = std::uint8_t(gen() >> 24);
  return v;
}

double rec709(double r, double g, double b) { return 0.2126 * r + 0.7152 * g + 0.0722 * b; }

void expect_image(const wst::Array<double>& img, int width, int height,
                  const std::vector<double>& expected, double tol) {
  ASSERT_EQ(img.shape, (wst::Shape{std::size_t(height), std::size_t(width)}));
  ASSERT_EQ(img.size(), expected.size());
  double worst = 0;
  for (std::size_t i = 0; i < expected.size(); ++i)
    worst = std::max(worst, std::abs(img.data[i] - expected[i]));
  EXPECT_LE(worst, tol);
}

TEST(Png, RgbRoundTripGivesRec709Luminance) {
  const std::string dir = wst::test::temp_dir(), path = dir + "/rgb.png";
  const int w = 37, h = 23;
  const std::vector<std::uint8_t> rgb = random_bytes(3 * w * h, 5);
  wst::write_png_rgb(path, w, h, rgb);
  EXPECT_EQ(listing(dir), std::vector<std::string>{"rgb.png"});
  std::vector<double> expected(w * h);
  for (int i = 0; i < w * h; ++i)
    expected[i] = rec709(rgb[3 * i] / 255.0, rgb[3 * i + 1] / 255.0, rgb[3 * i + 2] / 255.0);
  expect_image(wst::read_png_gray(path), w, h, expected, 1e-12);
}

TEST(Png, ReadsGrayOf8And16And2Bits) {
  const std::string dir = wst::test::temp_dir();
  const int w = 19, h = 11;
  PngSpec g8{w, h, 8, PNG_COLOR_TYPE_GRAY, false, {}, {}, random_bytes(w * h, 1)};
  ASSERT_EQ(write_png_with_libpng(dir + "/g8.png", g8), "");
  std::vector<double> e8(w * h);
  for (int i = 0; i < w * h; ++i) e8[i] = g8.rows[i] / 255.0;
  expect_image(wst::read_png_gray(dir + "/g8.png"), w, h, e8, 0);

  PngSpec g16{w, h, 16, PNG_COLOR_TYPE_GRAY, false, {}, {}, random_bytes(2 * w * h, 2)};
  ASSERT_EQ(write_png_with_libpng(dir + "/g16.png", g16), "");
  std::vector<double> e16(w * h);
  for (int i = 0; i < w * h; ++i) e16[i] = (g16.rows[2 * i] * 256 + g16.rows[2 * i + 1]) / 65535.0;
  expect_image(wst::read_png_gray(dir + "/g16.png"), w, h, e16, 0);

  // 2-bit gray, 4 pixels a byte (MSB first), rows padded to whole bytes: k / 3.
  const int row_bytes = (w + 3) / 4;
  PngSpec g2{w, h, 2, PNG_COLOR_TYPE_GRAY, false, {}, {}, random_bytes(row_bytes * h, 3)};
  ASSERT_EQ(write_png_with_libpng(dir + "/g2.png", g2), "");
  std::vector<double> e2(w * h);
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c)
      e2[r * w + c] = ((g2.rows[r * row_bytes + c / 4] >> (6 - 2 * (c % 4))) & 3) / 3.0;
  expect_image(wst::read_png_gray(dir + "/g2.png"), w, h, e2, 1e-16);
}

TEST(Png, PaletteWithTransparencyAndRgbaDropAlpha) {
  const std::string dir = wst::test::temp_dir();
  const int w = 13, h = 9;
  std::vector<png_color> palette(5);
  const std::vector<std::uint8_t> colours = random_bytes(15, 7);
  for (int i = 0; i < 5; ++i) palette[i] = {colours[3 * i], colours[3 * i + 1], colours[3 * i + 2]};
  std::vector<std::uint8_t> indices(w * h);
  for (int i = 0; i < w * h; ++i) indices[i] = std::uint8_t((i * 7) % 5);
  PngSpec pal{w, h, 8, PNG_COLOR_TYPE_PALETTE, false, palette, {0, 128, 255}, indices};
  ASSERT_EQ(write_png_with_libpng(dir + "/pal.png", pal), "");
  std::vector<double> ep(w * h);
  for (int i = 0; i < w * h; ++i) {
    const png_color& p = palette[indices[i]];
    ep[i] = rec709(p.red / 255.0, p.green / 255.0, p.blue / 255.0);
  }
  expect_image(wst::read_png_gray(dir + "/pal.png"), w, h, ep, 1e-12);

  // 16-bit RGBA, Adam7-interlaced (several decoding passes).
  PngSpec rgba{w, h, 16, PNG_COLOR_TYPE_RGB_ALPHA, true, {}, {}, random_bytes(8 * w * h, 8)};
  ASSERT_EQ(write_png_with_libpng(dir + "/rgba.png", rgba), "");
  std::vector<double> ea(w * h);
  const auto s16 = [&](int i) { return (rgba.rows[2 * i] * 256 + rgba.rows[2 * i + 1]) / 65535.0; };
  for (int i = 0; i < w * h; ++i) ea[i] = rec709(s16(4 * i), s16(4 * i + 1), s16(4 * i + 2));
  expect_image(wst::read_png_gray(dir + "/rgba.png"), w, h, ea, 1e-12);
}

// A PNG by hand: signature, IHDR (8-bit RGB) with the given size, one IDAT holding `pixels`
// deflated, IEND — every CRC-32 (zlib's crc32) correct.
std::string png_chunk(const std::string& type, const std::string& data) {
  std::string c;
  put_be(c, std::uint32_t(data.size()));
  const std::string body = type + data;
  c += body;
  put_be(c,
         std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size()))));
  return c;
}

std::string png_bytes(std::uint32_t width, std::uint32_t height, const std::string& raw) {
  std::string ihdr;
  put_be(ihdr, width);
  put_be(ihdr, height);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);
  uLongf n = compressBound(uLong(raw.size()));
  std::string z(n, '\0');
  compress(reinterpret_cast<Bytef*>(z.data()), &n, reinterpret_cast<const Bytef*>(raw.data()),
           uLong(raw.size()));
  z.resize(n);
  return std::string("\x89PNG\r\n\x1a\n", 8) + png_chunk("IHDR", ihdr) + png_chunk("IDAT", z) +
         png_chunk("IEND", "");
}

TEST(Png, HandMadeFileDecodes) {
  // Guards the hostile tests below: the same construction with an honest size is a valid PNG.
  const std::string path = wst::test::temp_dir() + "/hand.png";
  std::string raw;
  for (int r = 0; r < 2; ++r)
    raw += std::string(1, '\0') + std::string("\x00\xff\x00\x10\x20\x30", 6);
  write_raw(path, png_bytes(2, 2, raw));
  const auto img = wst::read_png_gray(path);
  expect_image(img, 2, 2,
               {0.7152, rec709(0x10, 0x20, 0x30) / 255, 0.7152, rec709(0x10, 0x20, 0x30) / 255},
               1e-15);
}

TEST(Png, HostileHeadersAreRejectedWithoutLargeAllocations) {
  const std::string dir = wst::test::temp_dir();
  const std::string raw(4 * (1 + 3 * 4), '\x40');
  AddressSpaceCap cap;
  const std::string huge = dir + "/huge.png";  // 10^6 × 10^6: above the 32768 limit
  write_raw(huge, png_bytes(1000000, 1000000, raw));
  expect_message(message_of<wst::InputError>([&] { wst::read_png_gray(huge); }), huge,
                 "corrupt PNG");
  const std::string big = dir + "/big.png";  // 30000 × 30000 (2.7 GB) in a ~100-byte file
  write_raw(big, png_bytes(30000, 30000, raw));
  expect_message(message_of<wst::InputError>([&] { wst::read_png_gray(big); }), big, "cannot fit");
}

TEST(Png, TruncatedAndForeignFilesAreInputErrors) {
  const std::string dir = wst::test::temp_dir();
  const std::string full = dir + "/full.png";
  wst::write_png_rgb(full, 64, 64, random_bytes(3 * 64 * 64, 9));  // incompressible: big IDAT
  const std::string bytes = wst::test::read_file(full);
  ASSERT_GT(bytes.size(), 10000u);
  const std::string cut = dir + "/cut.png";
  write_raw(cut, bytes.substr(0, bytes.size() / 2));
  expect_message(message_of<wst::InputError>([&] { wst::read_png_gray(cut); }), cut, "truncated");

  const std::string text = dir + "/text.png";
  write_raw(text, "not a picture at all\n");
  expect_message(message_of<wst::InputError>([&] { wst::read_png_gray(text); }), text, "not a PNG");
  const std::string empty = dir + "/empty.png";
  write_raw(empty, "");
  expect_message(message_of<wst::InputError>([&] { wst::read_png_gray(empty); }), empty,
                 "empty file");
  const std::string missing = dir + "/missing.png";
  expect_message(message_of<wst::IoError>([&] { wst::read_png_gray(missing); }), missing,
                 "cannot open");
}

TEST(Png, WriteRejectsBadSizesAndUnwritablePaths) {
  const std::string dir = wst::test::temp_dir();
  const std::vector<std::uint8_t> rgb(3 * 4 * 5, 7);
  EXPECT_NE(message_of<wst::UsageError>([&] {
              wst::write_png_rgb(dir + "/a.png", 0, 5, {});
            }).find("width and height"),
            std::string::npos);
  EXPECT_NE(message_of<wst::UsageError>([&] {
              wst::write_png_rgb(dir + "/a.png", 5, 4, {1, 2});
            }).find("rgb has 2 bytes"),
            std::string::npos);
  const std::string unwritable = dir + "/no/such/folder/x.png";
  expect_message(message_of<wst::IoError>([&] { wst::write_png_rgb(unwritable, 4, 5, rgb); }),
                 unwritable, "cannot write");
  EXPECT_TRUE(listing(dir).empty());
}



TEST(Png, LargeImageIsCheckedAgainstTheMemoryLimitBeforeDecoding) {
  // An 8192 x 8192 gray PNG of zeros compresses to about 65 KB; decoding it needs ~576 MiB.
  PngSpec spec;
  spec.width = spec.height = 8192;
  spec.rows.assign(std::size_t(8192) * 8192, 0);
  const std::string path = wst::test::temp_dir() + "/big.png";
  ASSERT_EQ(write_png_with_libpng(path, spec), "");
  spec.rows = {};
  const wst::test::ScopedMemoryLimit limit("256M");
  const std::string m = message_of<wst::InputError>([&] { wst::read_png_gray(path); });
  EXPECT_NE(m.find("8192 x 8192 PNG"), std::string::npos) << m;
  EXPECT_NE(m.find("WST_MEMORY_LIMIT"), std::string::npos) << m;
}

}  // namespace
