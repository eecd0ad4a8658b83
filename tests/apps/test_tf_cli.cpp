// The time-frequency commands of `wst` (fft, stft, istft, cwt, heisenberg, signal, compare-tf),
// run as separate processes: outputs equal the library's (and scipy's reference files), round
// trips through .npy and WAV, metadata, pictures, and every rejected input with its exit code,
// its one-line message and no output left behind.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <numbers>
#include <set>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/io/audio.hpp"
#include "wst/core/cwt.hpp"
#include "wst/core/fourier.hpp"
#include "wst/io/image.hpp"
#include "wst/io/npy.hpp"
#include "wst/core/stft.hpp"
#include "wst/core/windows.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::string_literals;
using C = std::complex<double>;

namespace {

using wst::test::list_dir;
using wst::test::run_cli;
using Result = wst::test::CliResult;

// One thread, FFTW_ESTIMATE plans (the CLI's default for these commands).
const wst::ExecOptions kExec = [] {
  wst::ExecOptions e;
  e.planning = wst::Planning::estimate;
  return e;
}();





std::string tf_ref(const std::string& name) {
  return wst::test::shared_dir() + "/reference/tf/" + name;
}

json read_json(const std::string& path) { return json::parse(wst::test::read_file(path)); }

std::vector<double> doubles(const json& a) { return a.get<std::vector<double>>(); }

// max |a − b| / max |b| for complex (or real) sequences; b is the reference.
template <class A, class B>
double rel_err(const A* a, const B* b, std::size_t n) {
  double num = 0, den = 0;
  for (std::size_t i = 0; i < n; ++i) {
    num = std::max(num, std::abs(C(a[i]) - C(b[i])));
    den = std::max(den, std::abs(C(b[i])));
  }
  return den > 0 ? num / den : INFINITY;
}

template <class A, class B>
double rel_err(const std::vector<A>& a, const std::vector<B>& b) {
  return a.size() == b.size() ? rel_err(a.data(), b.data(), a.size()) : INFINITY;
}

// The PNG's luminance, checked to be a real picture: a sensible size and not blank.
void expect_picture(const std::string& path) {
  SCOPED_TRACE(path);
  ASSERT_TRUE(fs::exists(path));
  const wst::Array<double> img = wst::read_png_gray(path);
  ASSERT_EQ(img.ndim(), 2u);
  EXPECT_GE(img.shape[0], 200u);
  EXPECT_GE(img.shape[1], 300u);
  EXPECT_LE(img.shape[0] * img.shape[1], std::size_t{8000} * 8000);
  const auto [lo, hi] = std::ranges::minmax(img.data);
  EXPECT_GT(hi - lo, 0.5) << "blank picture";
  std::set<int> levels;
  for (double v : img.data) levels.insert(int(std::lround(v * 255)));
  EXPECT_GT(levels.size(), 16u) << "a picture of a few flat colours";
}

// ---- hand-made files --------------------------------------------------------------------------

std::string le16(unsigned v) { return {char(v & 0xff), char(v >> 8 & 0xff)}; }
std::string le32(std::uint32_t v) { return le16(v & 0xffff) + le16(v >> 16); }
std::string be32(std::uint32_t v) {
  return {char(v >> 24 & 0xff), char(v >> 16 & 0xff), char(v >> 8 & 0xff), char(v & 0xff)};
}

// A 16-bit mono PCM WAV at 8000 Hz whose data chunk claims `claimed` bytes and holds `data`.
std::string wav_bytes(std::uint32_t claimed, const std::string& data) {
  const std::string fmt = le16(1) + le16(1) + le32(8000) + le32(16000) + le16(2) + le16(16);
  const std::string body =
      "WAVE"s + "fmt " + le32(std::uint32_t(fmt.size())) + fmt + "data" + le32(claimed) + data;
  return "RIFF"s + le32(std::uint32_t(body.size())) + body;
}

// CRC-32 of ISO 3309 / PNG (reflected polynomial 0xEDB88320), bit by bit.
std::uint32_t crc32(const std::string& bytes) {
  std::uint32_t c = 0xffffffffu;
  for (unsigned char b : bytes) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return ~c;
}

std::string png_chunk(const std::string& type, const std::string& data) {
  return be32(std::uint32_t(data.size())) + type + data + be32(crc32(type + data));
}

// A well-formed 8-bit gray PNG (valid CRCs) whose IHDR claims width × height pixels.
std::string png_bytes(std::uint32_t width, std::uint32_t height) {
  const std::string ihdr = be32(width) + be32(height) + "\x08\x00\x00\x00\x00"s;
  const std::string empty_zlib = "\x78\x9c\x03\x00\x00\x00\x00\x01"s;  // zlib.compress(b'')
  return "\x89PNG\r\n\x1a\n"s + png_chunk("IHDR", ihdr) + png_chunk("IDAT", empty_zlib) +
         png_chunk("IEND", "");
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// An RGB picture with gradients, stripes and a checkerboard.
std::vector<std::uint8_t> test_picture(std::size_t width, std::size_t height) {
  std::vector<std::uint8_t> rgb(3 * width * height);
  for (std::size_t i = 0; i < height; ++i)
    for (std::size_t j = 0; j < width; ++j) {
      std::uint8_t* p = &rgb[3 * (i * width + j)];
      p[0] = std::uint8_t(128 + 120 * std::sin(0.3 * double(i) + 0.1 * double(j)));
      p[1] = std::uint8_t((7 * i + 3 * j) % 256);
      p[2] = std::uint8_t(255 * ((i / 5 + j / 7) % 2));
    }
  return rgb;
}

// ---- shared inputs ----------------------------------------------------------------------------

// Input files shared by all tests, made once in inputs_dir().
const std::string& inputs_dir() {
  static const std::string dir = [] {
    const std::string d = wst::test::temp_dir();
    const auto file = [&](const std::string& name) { return d + "/" + name; };
    // (3, 100) float64 and float32 standard normal signals.
    wst::write_npy(file("x3.npy"), wst::Array<double>({3, 100}, wst::test::random_normal(300, 7)));
    wst::write_npy(file("x3f.npy"),
                   wst::Array<float>({3, 100}, wst::test::random_normal<float>(300, 8)));
    const auto noise = wst::test::random_normal(512, 9);
    wst::write_npy(file("short.npy"),
                   wst::Array<double>({200}, {noise.begin(), noise.begin() + 200}));
    wst::write_npy(file("empty.npy"), wst::Array<double>({0}));
    wst::write_npy(file("ints.npy"),
                   wst::Array<std::int64_t>({300}, std::vector<std::int64_t>(300, 3)));
    auto with_nan = wst::Array<double>({300}, {noise.begin(), noise.begin() + 300});
    with_nan.data[17] = std::numeric_limits<double>::quiet_NaN();
    wst::write_npy(file("nan.npy"), with_nan);
    auto with_inf = wst::Array<float>({300}, wst::test::random_normal<float>(300, 10));
    with_inf.data[17] = -std::numeric_limits<float>::infinity();
    wst::write_npy(file("inf.npy"), with_inf);
    wst::Array<C> z({300});
    for (std::size_t n = 0; n < 300; ++n) z.data[n] = std::polar(1.0, 0.3 * double(n));
    wst::write_npy(file("complex.npy"), z);
    wst::write_npy(file("Z1.npy"), wst::Array<C>({1}, {C(2.0, 0.0)}));  // one one-sided bin
    wst::write_npy(file("zeros16.npy"), wst::Array<double>({16}));
    wst::write_npy(file("real2d.npy"),
                   wst::Array<double>({100, 61}, wst::test::random_normal(6100, 11)));
    wst::write_npy(file("batch.npy"),
                   wst::Array<double>({2, 512}, wst::test::random_normal(1024, 12)));
    // The STFT of a 512-sample signal with the default options (hann 256, hop 64, zeros).
    wst::StftParams p;
    p.window = wst::make_window({wst::WindowKind::hann, 256, 0, true});
    p.hop = 64;
    const wst::Stft stft(512, p, kExec);
    wst::write_npy(file("Z.npy"), stft(wst::Array<double>({512}, noise)));
    wst::write_npy(file("Zb.npy"), stft(wst::read_npy_as<double>(file("batch.npy"))));
    write_bytes(file("huge.wav"),
                wav_bytes(0xFFFFFFF0u, "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a"));
    write_bytes(file("header_only.wav"), wav_bytes(1000, ""));
    write_bytes(file("text.wav"), "this is a text file, not a RIFF/WAVE file\n");
    write_bytes(file("huge.png"), png_bytes(1000000, 1000000));
    return d;
  }();
  return dir;
}

std::string input(const std::string& name) { return inputs_dir() + "/" + name; }

// Each test writes into its own empty folder.
class TfCli : public ::testing::Test {
 protected:
  std::string dir = wst::test::temp_dir();
  std::string out = dir + "/out.npy", meta = dir + "/meta.json";
  std::string path(const std::string& name) const { return dir + "/" + name; }
};

// Runs a command that must succeed silently.
#define ASSERT_RUNS(args)                              \
  do {                                                 \
    const Result r_ = run_cli(args);                   \
    ASSERT_EQ(r_.code, 0) << (args) << "\n" << r_.err; \
    EXPECT_EQ(r_.err, "") << (args);                   \
  } while (0)

// ---- fft --------------------------------------------------------------------------------------

TEST_F(TfCli, FftEqualsLibraryRfftWithFrequencies) {
  ASSERT_RUNS("fft --plan estimate " + input("x3.npy") + " " + out + " --meta " + meta);
  const wst::NpyArray y = wst::read_npy(out);
  ASSERT_EQ(wst::npy_dtype_name(y), "<c16");
  const auto& got = std::get<wst::Array<C>>(y);
  EXPECT_EQ(got.shape, (wst::Shape{3, 51}));
  const auto expected =
      wst::rfft(wst::read_npy_as<double>(input("x3.npy")), 1, wst::FftNorm::backward, kExec);
  EXPECT_LE(rel_err(got.data, expected.data), 1e-15);

  const json m = read_json(meta);
  EXPECT_EQ(m["transform"], "rfft");
  EXPECT_EQ(m["output_shape"], json({3, 51}));
  EXPECT_EQ(doubles(m["frequencies"]), wst::rfft_frequencies(100));
  EXPECT_EQ(list_dir(dir), (std::vector<std::string>{"meta.json", "out.npy"}));
}

TEST_F(TfCli, FftFullInverseAndPower) {
  const auto x = wst::read_npy_as<double>(input("x3.npy"));
  // --full: the two-sided transform of the real signal.
  ASSERT_RUNS("fft --full --plan estimate " + input("x3.npy") + " " + path("full.npy"));
  wst::Array<C> xc(x.shape);
  std::ranges::copy(x.data, xc.data.begin());
  const auto full = wst::read_npy_as<C>(path("full.npy"));
  EXPECT_EQ(full.shape, (wst::Shape{3, 100}));
  EXPECT_LE(rel_err(full.data, wst::fft(xc, 1, wst::FftNorm::backward, kExec).data), 1e-15);

  // rfft, then --inverse --n 100 gives x back (irfft).
  ASSERT_RUNS("fft --plan estimate " + input("x3.npy") + " " + path("X.npy"));
  ASSERT_RUNS("fft --inverse --n 100 --plan estimate " + path("X.npy") + " " + path("back.npy"));
  const wst::NpyArray back = wst::read_npy(path("back.npy"));
  ASSERT_EQ(wst::npy_dtype_name(back), "<f8");
  EXPECT_EQ(std::get<wst::Array<double>>(back).shape, (wst::Shape{3, 100}));
  EXPECT_LT(wst::test::rel_error(std::get<wst::Array<double>>(back).data, x.data), 1e-12);

  // --inverse --full of the two-sided spectrum: x + 0i.
  ASSERT_RUNS("fft --inverse --full --plan estimate " + path("full.npy") + " " + path("xc.npy"));
  EXPECT_LT(rel_err(wst::read_npy_as<C>(path("xc.npy")).data, xc.data), 1e-12);

  // --power: |rfft|².
  ASSERT_RUNS("fft --power --plan estimate " + input("x3.npy") + " " + path("P.npy"));
  const wst::NpyArray p = wst::read_npy(path("P.npy"));
  ASSERT_EQ(wst::npy_dtype_name(p), "<f8");
  const auto& power = std::get<wst::Array<double>>(p);
  EXPECT_EQ(power.shape, (wst::Shape{3, 51}));
  EXPECT_LE(wst::test::rel_error(power.data, wst::power_spectrum(x, 1, kExec).data), 1e-15);
}

TEST_F(TfCli, FftOfFloat32IsComplex64) {
  ASSERT_RUNS("fft --plan estimate " + input("x3f.npy") + " " + out);
  const wst::NpyArray y = wst::read_npy(out);
  ASSERT_EQ(wst::npy_dtype_name(y), "<c8");
  const auto& got = std::get<wst::Array<std::complex<float>>>(y);
  EXPECT_EQ(got.shape, (wst::Shape{3, 51}));
  const auto expected =
      wst::rfft(wst::read_npy_as<float>(input("x3f.npy")), 1, wst::FftNorm::backward, kExec);
  EXPECT_LE(rel_err(got.data, expected.data), 1e-7);
}

TEST_F(TfCli, FftOfPngIsTwoDimensional) {
  const std::size_t width = 48, height = 40;
  wst::write_png_rgb(path("img.png"), width, height, test_picture(width, height));
  const auto img = wst::read_png_gray(path("img.png"));
  const auto expected = wst::rfft(img, 2, wst::FftNorm::backward, kExec);
  for (const std::string rank : {"", " --rank 2"}) {
    SCOPED_TRACE(rank);
    ASSERT_RUNS("fft --plan estimate" + rank + " " + path("img.png") + " " + out);
    const auto got = wst::read_npy_as<C>(out);
    EXPECT_EQ(got.shape, (wst::Shape{height, width / 2 + 1}));
    EXPECT_LE(rel_err(got.data, expected.data), 1e-15);
  }
  // --rank 1: each row on its own.
  ASSERT_RUNS("fft --rank 1 --plan estimate " + path("img.png") + " " + out);
  EXPECT_LE(
      rel_err(wst::read_npy_as<C>(out).data, wst::rfft(img, 1, wst::FftNorm::backward, kExec).data),
      1e-15);
}

// ---- stft / istft -----------------------------------------------------------------------------

const std::string kScipyHann =
    " --window hann --length 256 --hop 64 --boundary none --plan estimate";
const std::string kScipyGauss =
    " --window gauss --sigma 32 --length 256 --hop 64 --boundary none --plan estimate";

TEST_F(TfCli, StftEqualsScipyReferenceWithFrequenciesAndTimes) {
  const std::string chirp = tf_ref("sig_chirp.npy");
  for (const auto& [window, options] : {std::pair{"hann"s, kScipyHann}, {"gauss"s, kScipyGauss}}) {
    SCOPED_TRACE(window);
    ASSERT_RUNS("stft " + chirp + " " + out + options + " --meta " + meta);
    const wst::NpyArray y = wst::read_npy(out);
    ASSERT_EQ(wst::npy_dtype_name(y), "<c16");
    const auto& Z = std::get<wst::Array<C>>(y);
    const auto ref = wst::read_npy_as<C>(tf_ref("stft_" + window + "_chirp.npy"));
    EXPECT_EQ(Z.shape, (wst::Shape{129, 61}));
    EXPECT_LT(rel_err(Z.data, ref.data), 1e-10);

    const json m = read_json(meta);
    EXPECT_EQ(m["transform"], "stft");
    EXPECT_EQ(m["window"], window);
    EXPECT_EQ(m["length"], 256);
    EXPECT_EQ(m["hop"], 64);
    EXPECT_EQ(m["boundary"], "none");
    EXPECT_EQ(m["frames"], 61);
    EXPECT_EQ(m["output_shape"], json({129, 61}));
    EXPECT_EQ(m["frequency_unit"], "cycles/sample");
    EXPECT_EQ(m["time_unit"], "samples");
    EXPECT_LT(wst::test::rel_error(doubles(m["frequencies"]),
                                   wst::read_npy_as<double>(tf_ref("stft_freqs.npy")).data),
              1e-15);
    EXPECT_LT(wst::test::rel_error(doubles(m["times"]),
                                   wst::read_npy_as<double>(tf_ref("stft_times.npy")).data),
              1e-15);
    if (window == "gauss") {
      EXPECT_EQ(m["sigma"], 32.0);
    }
  }
  // --magnitude: |Z|, real.
  ASSERT_RUNS("stft --magnitude " + chirp + " " + out + kScipyHann);
  const auto mag = wst::read_npy_as<double>(out);
  const auto ref = wst::read_npy_as<C>(tf_ref("stft_hann_chirp.npy"));
  std::vector<double> ref_mag(ref.size());
  for (std::size_t i = 0; i < ref.size(); ++i) ref_mag[i] = std::abs(ref.data[i]);
  EXPECT_LT(wst::test::rel_error(mag.data, ref_mag), 1e-10);
}

TEST_F(TfCli, IstftWithBoundaryNoneReturnsTheChirpInside) {
  const auto x = wst::read_npy_as<double>(tf_ref("sig_chirp.npy"));
  for (const std::string& options : {kScipyHann, kScipyGauss}) {
    SCOPED_TRACE(options);
    ASSERT_RUNS("stft " + tf_ref("sig_chirp.npy") + " " + path("Z.npy") + options);
    ASSERT_RUNS("istft " + path("Z.npy") + " " + out + options);
    const auto back = wst::read_npy_as<double>(out);
    ASSERT_EQ(back.shape, (wst::Shape{4096}));
    double err = 0;
    for (std::size_t n = 256; n < 3840; ++n)
      err = std::max(err, std::abs(back.data[n] - x.data[n]));
    EXPECT_LT(err, 1e-12);
  }
}

TEST_F(TfCli, StftIstftRoundTripWithZeroBoundaryIsExactEverywhere) {
  const std::string chirp = tf_ref("sig_chirp.npy");
  ASSERT_RUNS("stft --plan estimate " + chirp + " " + path("Z.npy") + " --meta " + meta);
  const json m = read_json(meta);
  EXPECT_EQ(m["boundary"], "zeros");
  EXPECT_EQ(m["times"][0], 0.0);
  ASSERT_RUNS("istft --plan estimate " + path("Z.npy") + " " + out);
  EXPECT_LT(wst::test::rel_error(wst::read_npy_as<double>(out).data,
                                 wst::read_npy_as<double>(chirp).data),
            1e-10);
  // A batch, and --samples.
  ASSERT_RUNS("stft --plan estimate --window gauss --length 128 --hop 16 " + input("batch.npy") +
              " " + path("Zb.npy"));
  ASSERT_RUNS("istft --plan estimate --window gauss --length 128 --hop 16 --samples 512 " +
              path("Zb.npy") + " " + out);
  const auto back = wst::read_npy_as<double>(out);
  EXPECT_EQ(back.shape, (wst::Shape{2, 512}));
  EXPECT_LT(wst::test::rel_error(back.data, wst::read_npy_as<double>(input("batch.npy")).data),
            1e-10);
}

TEST_F(TfCli, WavRoundTripInHertzAndSeconds) {
  ASSERT_RUNS("signal chirp " + path("c.wav") +
              " --samples 8000 --sample-rate 8000 --f0 100 --f1 3000");
  ASSERT_RUNS("stft --plan estimate " + path("c.wav") + " " + path("Z.npy") + " --meta " + meta);
  const json m = read_json(meta);
  EXPECT_EQ(m["sample_rate"], 8000.0);
  EXPECT_EQ(m["frequency_unit"], "Hz");
  EXPECT_EQ(m["time_unit"], "s");
  const auto f = doubles(m["frequencies"]), t = doubles(m["times"]);
  ASSERT_EQ(f.size(), 129u);
  EXPECT_EQ(f[0], 0.0);
  EXPECT_DOUBLE_EQ(f[1], 8000.0 / 256);
  EXPECT_DOUBLE_EQ(f.back(), 4000.0);
  const auto Z = wst::read_npy_as<C>(path("Z.npy"));
  ASSERT_EQ(Z.shape.size(), 2u);
  EXPECT_EQ(Z.shape[0], 129u);
  ASSERT_EQ(t.size(), Z.shape[1]);
  EXPECT_EQ(t[0], 0.0);
  EXPECT_DOUBLE_EQ(t[1], 64.0 / 8000);
  EXPECT_DOUBLE_EQ(t.back(), double(t.size() - 1) * 64.0 / 8000);

  ASSERT_RUNS("istft --plan estimate " + path("Z.npy") + " " + path("back.wav") +
              " --sample-rate 8000");
  const wst::Audio original = wst::read_audio(path("c.wav")),
                   back = wst::read_audio(path("back.wav"));
  EXPECT_EQ(back.sample_rate, 8000.0);
  EXPECT_EQ(back.channels, 1);
  ASSERT_EQ(original.samples.size(), 8000u);
  ASSERT_EQ(back.samples.size(), 8000u);
  EXPECT_LT(wst::test::rel_error(back.samples, original.samples), 1e-6);

  // The WAV holds the chirp of --f0 100/8000 … --f1 3000/8000 cycles/sample (float32).
  ASSERT_RUNS("signal chirp " + path("c.npy") + " --samples 8000 --f0 0.0125 --f1 0.375");
  EXPECT_LT(wst::test::rel_error(original.samples, wst::read_npy_as<double>(path("c.npy")).data),
            1e-7);
}

// ---- signal -----------------------------------------------------------------------------------

TEST_F(TfCli, SignalsEqualReferenceFiles) {
  for (const auto& [kind, file] :
       {std::pair{"chirp"s, "sig_chirp.npy"s}, {"tones-click"s, "sig_tones_click.npy"s}}) {
    SCOPED_TRACE(kind);
    ASSERT_RUNS("signal " + kind + " " + out + " --samples 4096");
    const wst::NpyArray y = wst::read_npy(out);
    ASSERT_EQ(wst::npy_dtype_name(y), "<f8");
    const auto& x = std::get<wst::Array<double>>(y);
    EXPECT_EQ(x.shape, (wst::Shape{4096}));
    EXPECT_LT(wst::test::rel_error(x.data, wst::read_npy_as<double>(tf_ref(file)).data), 1e-12);
  }
  EXPECT_EQ(list_dir(dir), std::vector<std::string>{"out.npy"});
}

// ---- cwt --------------------------------------------------------------------------------------

// A comma-separated list is one argument: the positionals after it stay positionals.
TEST_F(TfCli, CwtFrequencyListBeforeThePositionals) {
  const std::string chirp = tf_ref("sig_chirp.npy");
  ASSERT_RUNS("cwt --frequencies 0.1,0.2 " + chirp + " " + out + " --meta " + meta);
  EXPECT_EQ(doubles(read_json(meta)["frequencies"]), (std::vector<double>{0.1, 0.2}));
  EXPECT_EQ(wst::read_npy_as<std::complex<double>>(out).shape,
            (std::vector<std::size_t>{2, 4096}));
}

TEST_F(TfCli, CwtEqualsLibraryAndModulusIsReal) {
  const std::string chirp = tf_ref("sig_chirp.npy");
  const auto x = wst::read_npy_as<double>(chirp);
  ASSERT_RUNS("cwt --plan estimate " + chirp + " " + out + " --meta " + meta);
  const json m = read_json(meta);
  EXPECT_EQ(m["transform"], "cwt");
  EXPECT_EQ(m["wavelet"], "morlet");
  EXPECT_EQ(m["signal_length"], 4096);
  EXPECT_EQ(m["frequency_unit"], "cycles/sample");
  const auto freqs = doubles(m["frequencies"]);
  // Default: Q = 8 voices per octave below 0.45, as many octaves as put the lowest period
  // at ≤ N/16: floor(log2(0.45·4096/16)) = 6.
  EXPECT_EQ(freqs, wst::octave_frequencies(0.45, 6, 8));

  wst::CwtParams params;
  params.frequencies = freqs;
  const wst::Cwt cwt(4096, params, kExec);
  const auto expected = cwt(x);
  EXPECT_EQ(doubles(m["sigmas"]), cwt.sigmas());
  EXPECT_EQ(m["fft_length"], cwt.fft_length());

  const wst::NpyArray y = wst::read_npy(out);
  ASSERT_EQ(wst::npy_dtype_name(y), "<c16");
  const auto& W = std::get<wst::Array<C>>(y);
  EXPECT_EQ(W.shape, (wst::Shape{48, 4096}));
  EXPECT_EQ(m["output_shape"], json({48, 4096}));
  EXPECT_LE(rel_err(W.data, expected.data), 1e-14);

  ASSERT_RUNS("cwt --modulus --plan estimate " + chirp + " " + path("M.npy"));
  const wst::NpyArray mod = wst::read_npy(path("M.npy"));
  ASSERT_EQ(wst::npy_dtype_name(mod), "<f8");
  const auto& M = std::get<wst::Array<double>>(mod);
  EXPECT_EQ(M.shape, W.shape);
  std::vector<double> absW(W.size());
  for (std::size_t i = 0; i < W.size(); ++i) absW[i] = std::abs(W.data[i]);
  EXPECT_LE(wst::test::rel_error(M.data, absW), 1e-15);
}

TEST_F(TfCli, CwtDecimatedRowsAreTheFullRateTransformAtTheirStride) {
  const std::string chirp = tf_ref("sig_chirp.npy");
  ASSERT_RUNS("cwt --plan estimate " + chirp + " " + path("W.npy"));
  ASSERT_RUNS("cwt --decimated --plan estimate " + chirp + " " + out + " --meta " + meta);
  const auto W = wst::read_npy_as<C>(path("W.npy"));
  const auto D = wst::read_npy_as<C>(out);
  const json m = read_json(meta);
  const auto stride = m["stride"].get<std::vector<std::size_t>>();
  const auto length = m["length"].get<std::vector<std::size_t>>();
  const auto offset = m["offset"].get<std::vector<std::size_t>>();
  const std::size_t scales = W.shape[0], N = W.shape[1];
  ASSERT_EQ(stride.size(), scales);
  ASSERT_EQ(length.size(), scales);
  ASSERT_EQ(offset.size(), scales);
  ASSERT_EQ(D.shape.size(), 1u);
  EXPECT_EQ(m["output_shape"], json({D.shape[0]}));

  std::size_t total = 0;
  bool decimates = false;
  for (std::size_t k = 0; k < scales; ++k) {
    SCOPED_TRACE("row " + std::to_string(k));
    EXPECT_EQ(offset[k], total);
    EXPECT_EQ(length[k], (N + stride[k] - 1) / stride[k]);
    EXPECT_EQ(stride[k] & (stride[k] - 1), 0u) << "not a power of two";
    if (k > 0) {
      EXPECT_GE(stride[k], stride[k - 1]) << "lower frequencies, no smaller strides";
    }
    decimates |= stride[k] > 1;
    total += length[k];
    // Row k of the decimated output is W[k, n·stride] (Fourier subsampling), to rounding
    // (measured ≤ 4e-16 on every row).
    ASSERT_LE(offset[k] + length[k], D.size());
    std::vector<C> full(length[k]);
    for (std::size_t n = 0; n < length[k]; ++n) full[n] = W.data[k * N + n * stride[k]];
    EXPECT_LT(rel_err(D.data.data() + offset[k], full.data(), length[k]), 1e-12);
  }
  EXPECT_TRUE(decimates);
  EXPECT_EQ(D.size(), total);
  EXPECT_LT(total, scales * N / 4);  // it is worth it
}

TEST_F(TfCli, CwtExplicitFrequencies) {
  const std::string chirp = tf_ref("sig_chirp.npy");
  ASSERT_RUNS("cwt --frequencies 0.1,0.2 --plan estimate " + chirp + " " + out + " --meta " + meta);
  const auto W = wst::read_npy_as<C>(out);
  EXPECT_EQ(W.shape, (wst::Shape{2, 4096}));
  EXPECT_EQ(doubles(read_json(meta)["frequencies"]), (std::vector<double>{0.1, 0.2}));
  wst::CwtParams params;
  params.frequencies = {0.1, 0.2};
  EXPECT_LE(rel_err(W.data, wst::Cwt(4096, params, kExec)(wst::read_npy_as<double>(chirp)).data),
            1e-14);
}

TEST_F(TfCli, CwtOfWavUsesHertzAndFollowsTheChirp) {
  ASSERT_RUNS("signal chirp " + path("c.wav") +
              " --samples 8000 --sample-rate 8000 --f0 100 --f1 3000");
  ASSERT_RUNS("cwt --modulus --fmin 100 --fmax 3000 --plan estimate " + path("c.wav") + " " + out +
              " --meta " + meta);
  const json m = read_json(meta);
  EXPECT_EQ(m["sample_rate"], 8000.0);
  EXPECT_EQ(m["frequency_unit"], "Hz");
  const auto f = doubles(m["frequencies"]);
  // Q = 8 per octave from 3000 down to 100 Hz: round(8·log2(30)) + 1 = 40 of them.
  ASSERT_EQ(f.size(), 40u);
  EXPECT_NEAR(f.front(), 3000.0, 1e-9);
  EXPECT_NEAR(f.back(), 100.0, 1e-9);
  for (double v : f) {
    EXPECT_GE(v, 100.0 - 1e-9);
    EXPECT_LE(v, 3000.0 + 1e-9);
  }
  const auto M = wst::read_npy_as<double>(out);
  ASSERT_EQ(M.shape, (wst::Shape{40, 8000}));
  // Ridge: at time n the largest |W| is at the chirp's instantaneous frequency
  // 100 + 2900·n/7999 Hz, to about one voice (2^(1/8) = 9 %).
  for (std::size_t n : {1000u, 2500u, 4000u, 5500u, 7000u}) {
    std::size_t best = 0;
    for (std::size_t k = 1; k < 40; ++k)
      if (M.data[k * 8000 + n] > M.data[best * 8000 + n]) best = k;
    const double expected = 100.0 + 2900.0 * double(n) / 7999.0;
    EXPECT_NEAR(f[best] / expected, 1.0, 0.07) << "n = " << n;
  }
}

// ---- heisenberg -------------------------------------------------------------------------------

TEST_F(TfCli, HeisenbergBoxesOfWindowsAndWavelets) {
  Result r = run_cli("heisenberg --window gauss --sigma 32 --json");
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_NEAR(j["product"].get<double>(), 0.5, 1e-6);
  EXPECT_NEAR(j["sigma_t"].get<double>(), 32 / std::sqrt(2.0), 1e-5);
  EXPECT_EQ(j["bound_holds"], true);

  r = run_cli("heisenberg --window hann --length 256 --json");
  ASSERT_EQ(r.code, 0) << r.err;
  j = json::parse(r.out);
  EXPECT_NEAR(j["product"].get<double>(), 0.513117, 1e-6);
  EXPECT_NEAR(j["sigma_t"].get<double>(), 36.210739, 1e-5);
  EXPECT_NEAR(j["sigma_omega"].get<double>(), 0.0141703, 1e-6);

  r = run_cli("heisenberg --wavelet morlet --xi 0.25 --sigma 0.02 --json");
  ASSERT_EQ(r.code, 0) << r.err;
  j = json::parse(r.out);
  EXPECT_NEAR(j["sigma_t"].get<double>(), 5.626977, 1e-5);
  EXPECT_NEAR(j["sigma_omega"].get<double>(), 0.0888577, 1e-6);
  EXPECT_NEAR(j["mu_omega"].get<double>(), std::numbers::pi / 2, 1e-9);
  EXPECT_NEAR(j["product"].get<double>(), 0.5, 1e-6);

  // Text: the spreads and the bound.
  r = run_cli("heisenberg --window hann --length 256");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  for (const char* word : {"sigma_t = 36.210739", "0.513117", "1/2", "uncertainty bound"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word << " not in\n" << r.out;
  r = run_cli("heisenberg --window gauss --sigma 32");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("attained"), std::string::npos) << r.out;
}

// ---- pictures ---------------------------------------------------------------------------------

TEST_F(TfCli, PlotsAreValidPictures) {
  const std::string chirp = tf_ref("sig_chirp.npy");
  ASSERT_RUNS("stft --plan estimate " + chirp + " " + out + " --plot " + path("spectrogram.png"));
  ASSERT_RUNS("cwt --plan estimate " + chirp + " " + path("W.npy") + " --plot " +
              path("scalogram.png"));
  ASSERT_RUNS("fft --plan estimate " + chirp + " " + path("F.npy") + " --plot " +
              path("fourier.png"));
  ASSERT_RUNS("compare-tf --plan estimate " + chirp + " " + path("compare.png"));
  for (const char* png : {"spectrogram.png", "scalogram.png", "fourier.png", "compare.png"})
    expect_picture(path(png));
  // compare-tf stacks four panels: taller than wide.
  const auto cmp = wst::read_png_gray(path("compare.png"));
  EXPECT_GT(cmp.shape[0], cmp.shape[1]);
  EXPECT_EQ(list_dir(dir),
            (std::vector<std::string>{"F.npy", "W.npy", "compare.png", "fourier.png", "out.npy",
                                      "scalogram.png", "spectrogram.png"}));
}

// --linear draws magnitudes instead of decibels: a different picture of the same transform.
TEST_F(TfCli, LinearPicturesDifferFromDecibels) {
  const std::string chirp = tf_ref("sig_tones_click.npy");
  ASSERT_RUNS("stft --plan estimate " + chirp + " " + out + " --plot " + path("db.png"));
  ASSERT_RUNS("stft --plan estimate " + chirp + " " + path("Z.npy") + " --linear --plot " +
              path("lin.png"));
  ASSERT_RUNS("compare-tf --plan estimate --linear " + chirp + " " + path("compare.png"));
  for (const char* png : {"db.png", "lin.png", "compare.png"}) expect_picture(path(png));
  const auto db = wst::read_png_gray(path("db.png")), lin = wst::read_png_gray(path("lin.png"));
  ASSERT_EQ(db.shape, lin.shape);
  // In dB the tones' skirts and the click light up most of the map; linear, most of it is dark.
  double mean_db = 0, mean_lin = 0;
  for (std::size_t i = 0; i < db.size(); ++i) mean_db += db.data[i], mean_lin += lin.data[i];
  EXPECT_GT(mean_db, mean_lin * 1.02) << mean_db / double(db.size()) << " vs "
                                      << mean_lin / double(lin.size());
}

// --plot where the command draws nothing (a decimated CWT; an inverse or complex FFT): either the
// picture is drawn, or the option is refused (exit 2, naming --plot) before anything is written.
// It must not succeed silently without the picture it was asked for.
TEST_F(TfCli, PlotIsNeverSilentlyIgnored) {
  ASSERT_RUNS("fft --plan estimate " + input("x3.npy") + " " + path("X.npy"));
  const std::vector<std::string> commands = {
      "cwt --decimated --plan estimate " + tf_ref("sig_chirp.npy") + " " + out,
      "fft --inverse --n 100 --plan estimate " + path("X.npy") + " " + out,
      "fft --plan estimate " + path("X.npy") + " " + out,
  };
  for (const auto& command : commands) {
    SCOPED_TRACE(command);
    const Result r = run_cli(command + " --plot " + path("p.png"));
    if (r.code == 0) {
      expect_picture(path("p.png"));
    } else {
      EXPECT_EQ(r.code, 2) << r.err;
      EXPECT_NE(r.err.find("--plot"), std::string::npos) << r.err;
      EXPECT_FALSE(fs::exists(out));
    }
    fs::remove(out);
    fs::remove(path("p.png"));
  }
}

// ---- hostile files ----------------------------------------------------------------------------

// A data chunk claiming 4 GB in a 54-byte file: read as the 5 samples that are there (libsndfile
// clamps the chunk to the file), never a large allocation or a large output.
TEST_F(TfCli, WavHeaderClaimingGigabytesReadsTheSamplesPresent) {
  for (const std::string command : {"fft", "stft", "cwt"}) {
    SCOPED_TRACE(command);
    const Result r = run_cli(command + " --plan estimate " + input("huge.wav") + " " + out);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    ASSERT_TRUE(fs::exists(out));
    EXPECT_LT(fs::file_size(out), std::uintmax_t{1} << 20);
    const auto y = wst::read_npy_as<C>(out);
    if (command == "fft") {
      EXPECT_EQ(y.shape, (wst::Shape{3}));  // rfft of 5 samples
    } else if (command == "cwt") {
      EXPECT_EQ(y.shape.back(), 5u);
    }
    fs::remove(out);
  }
  for (const auto& name : list_dir(dir)) ADD_FAILURE() << "left behind: " << name;
}

// ---- failures ---------------------------------------------------------------------------------

using wst::test::BadCase;  // {name} is input(name); {dir}, {out}, {meta} the test's files

class TfCliRejects : public TfCli, public ::testing::WithParamInterface<BadCase> {
 protected:
  std::string expand(const std::string& text) const {
    return wst::test::expand_placeholders(text, dir, out, meta,
                                          [&](const std::string& k) { return input(k); });
  }
};

TEST_P(TfCliRejects, WithOneLineMessageAndNoOutput) {
  wst::test::expect_rejected(GetParam(), dir, [&](const std::string& t) { return expand(t); });
}

const std::string est = " --plan estimate";

INSTANTIATE_TEST_SUITE_P(
    BadInput, TfCliRejects,
    ::testing::Values(
        // bad parameters: exit 2
        BadCase{"WindowLongerThanSignal",
                "stft {short.npy} {out} --length 256 --boundary none" + est,
                2,
                {"256", "longer than the signal", "200"}},
        BadCase{"HopZero", "stft {short.npy} {out} --length 64 --hop 0" + est, 2, {"--hop", "'0'"}},
        BadCase{"HopAboveLength",
                "stft {short.npy} {out} --length 64 --hop 65" + est,
                2,
                {"hop", "[1, 64]", "65"}},
        BadCase{"NfftBelowLength",
                "stft {short.npy} {out} --length 64 --nfft 32" + est,
                2,
                {"nfft", "32"}},
        BadCase{"NolaViolated",
                "stft {short.npy} {out} --window hann --length 64 --hop 64 --meta {meta}" + est,
                2,
                {"NOLA", "hop"}},
        BadCase{"NolaViolatedInIstft",
                "istft {Z.npy} {out} --window hann --length 256 --hop 256" + est,
                2,
                {"NOLA", "hop"}},
        BadCase{"NegativeSigma",
                "stft {short.npy} {out} --window gauss --length 64 --sigma -2" + est,
                2,
                {"--sigma"}},
        BadCase{"CwtQ0", "cwt {short.npy} {out} --Q 0" + est, 2, {"--Q 0", "[1, 128]"}},
        BadCase{"FmaxAboveNyquist",
                "cwt {short.npy} {out} --fmax 0.7 --meta {meta}" + est,
                2,
                {"--fmax", "0.7", "Nyquist"}},
        BadCase{"FmaxAboveNyquistInHertz",
                "cwt {short.npy} {out} --sample-rate 8000 --fmax 5000" + est,
                2,
                {"--fmax", "4000", "Hz"}},
        BadCase{"FminAboveFmax",
                "cwt {short.npy} {out} --fmin 0.3 --fmax 0.1" + est,
                2,
                {"--fmin", "--fmax"}},
        BadCase{"FrequencyNaN",
                "cwt {short.npy} {out} --frequencies 0.1,nan" + est,
                2,
                {"--frequencies", "nan"}},
        BadCase{"PlotNotPng",
                "stft {short.npy} {out} --length 64 --plot {dir}/x.txt" + est,
                2,
                {"--plot", "x.txt", ".png"}},
        BadCase{"MetaSameAsOutput",
                "fft {x3.npy} {out} --meta {out}" + est,
                2,
                {"--meta", "OUT", "same file"}},
        BadCase{"DbRangeZero",
                "cwt {short.npy} {out} --db-range 0 --plot {dir}/p.png" + est,
                2,
                {"--db-range"}},
        BadCase{
            "UnknownOption", "fft {x3.npy} {out} --bogus" + est, 2, {"--bogus", "wst fft --help"}},
        BadCase{"UnknownWindow",
                "stft {short.npy} {out} --window kaiser" + est,
                2,
                {"--window", "kaiser"}},
        BadCase{"PowerWithInverse", "fft {x3.npy} {out} --power --inverse" + est, 2, {"--power"}},
        BadCase{"NWithoutInverse", "fft {x3.npy} {out} --n 10" + est, 2, {"--n", "--inverse"}},
        BadCase{"InverseWrongN",
                "fft {Z.npy} {out} --inverse --n 10" + est,
                2,
                {"--n 10", "9 one-sided bins"}},
        BadCase{"SignalWavWithoutRate", "signal chirp {dir}/x.wav", 2, {"x.wav", "--sample-rate"}},
        BadCase{"SignalF1AboveNyquist",
                "signal chirp {dir}/x.wav --sample-rate 8000 --f1 5000",
                2,
                {"--f1", "Hz"}},
        BadCase{"SignalUnknownKind", "signal sawtooth {dir}/x.npy", 2, {"sawtooth"}},
        BadCase{"IstftBatchToWav",
                "istft {Zb.npy} {dir}/x.wav --sample-rate 8000" + est,
                2,
                {"x.wav", "one signal", "(2, 512)"}},
        BadCase{"IstftWavWithoutRate", "istft {Z.npy} {dir}/x.wav" + est, 2, {"--sample-rate"}},
        BadCase{"HeisenbergWindowAndWavelet",
                "heisenberg --window hann --wavelet morlet",
                2,
                {"--window", "--wavelet"}},
        BadCase{
            "HeisenbergXiAboveNyquist", "heisenberg --wavelet morlet --xi 0.7", 2, {"--xi", "0.5"}},
        // A negative wavelet bandwidth must not silently become the default one.
        BadCase{"HeisenbergNegativeWaveletSigma",
                "heisenberg --wavelet morlet --sigma -1 --json",
                2,
                {"--sigma: must be a finite number > 0, got '-1'"}},
        // Options that would otherwise be silently ignored, and sizes that would exhaust memory.
        BadCase{"HeisenbergXiWithoutWavelet", "heisenberg --xi 0.1", 2, {"--xi", "--wavelet"}},
        BadCase{"HeisenbergHugeGrid", "heisenberg --grid 100000000000", 2, {"--grid", "2^26"}},
        BadCase{"HeisenbergHugeGaussSigma", "heisenberg --window gauss --sigma 1e12", 2,
                {"--sigma", "12σ", "2^26"}},  // names the option given, not --length
        BadCase{"HeisenbergOfZeros", "heisenberg --file {zeros16.npy}", 1,
                {"{zeros16.npy}: g is identically zero"}},  // names the file, not a function
        BadCase{"IrfftOfOneBinNeedsN", "fft {Z1.npy} {out} --inverse" + est, 2,
                {"Z1.npy", "1 one-sided bin", "give --n 1"}},  // not "--n 0"
        BadCase{"StftHugeWindow", "stft {short.npy} {out} --length 100000000000" + est, 2,
                {"--length", "2^26"}},
        BadCase{"CwtScalesWithoutFmin", "cwt {short.npy} {out} --scales 10" + est, 2,
                {"--scales", "--fmin"}},
        BadCase{"CwtFrequenciesWithFmax", "cwt {short.npy} {out} --frequencies 0.1 --fmax 0.2" + est,
                2, {"--frequencies", "--fmax"}},
        BadCase{"CwtFminWithOctaves", "cwt {short.npy} {out} --fmin 0.01 --octaves 3" + est, 2,
                {"--octaves", "--fmin"}},
        BadCase{"FftNWithFullInverse", "fft {short.npy} {out} --inverse --full --n 10" + est, 2,
                {"--n", "--full"}},
        BadCase{"FmaxMessageReadsAsNumber", "cwt {short.npy} {out} --fmax 0.7" + est, 2,
                {"--fmax 0.7:", "(0, 0.5]"}},
        // bad data or files: exit 1
        BadCase{"EmptyArrayFft",
                "fft {empty.npy} {out}" + est,
                1,
                {"{empty.npy}: empty array", "(0,)"}},
        BadCase{"EmptyArrayStft", "stft {empty.npy} {out}" + est, 1, {"{empty.npy}: empty array"}},
        BadCase{"EmptyArrayCwt", "cwt {empty.npy} {out}" + est, 1, {"{empty.npy}: empty array"}},
        BadCase{
            "NaNFft", "fft {nan.npy} {out} --meta {meta}" + est, 1, {"{nan.npy}: ", "NaN", "17"}},
        BadCase{"NaNStft",
                "stft {nan.npy} {out} --length 64 --plot {dir}/p.png" + est,
                1,
                {"{nan.npy}: ", "NaN", "17"}},
        BadCase{
            "NaNCwt", "cwt {nan.npy} {out} --meta {meta}" + est, 1, {"{nan.npy}: ", "NaN", "17"}},
        BadCase{"InfFft", "fft {inf.npy} {out}" + est, 1, {"{inf.npy}: ", "Inf", "17"}},
        BadCase{"InfStft", "stft {inf.npy} {out} --length 64" + est, 1, {"{inf.npy}: ", "Inf"}},
        BadCase{"InfCwt", "cwt {inf.npy} {out} --decimated" + est, 1, {"{inf.npy}: ", "Inf"}},
        BadCase{
            "InfCompareTf", "compare-tf {inf.npy} {dir}/c.png" + est, 1, {"{inf.npy}: ", "Inf"}},
        BadCase{"IntegerInput",
                "stft {ints.npy} {out}" + est,
                1,
                {"{ints.npy}: dtype int64", "float32 or float64"}},
        BadCase{"IntegerInputFft", "fft {ints.npy} {out}" + est, 1, {"{ints.npy}: dtype int64"}},
        BadCase{"ComplexInputToStft",
                "stft {complex.npy} {out} --length 64" + est,
                1,
                {"{complex.npy}: ", "complex128", "real"}},
        BadCase{"ComplexInputToCwt", "cwt {complex.npy} {out}" + est, 1, {"complex128", "real"}},
        BadCase{"PowerOfComplex", "fft {complex.npy} {out} --power" + est, 1, {"--power", "real"}},
        BadCase{"WavHeaderOnly",
                "stft {header_only.wav} {out}" + est,
                1,
                {"{header_only.wav}: ", "audio samples"}},
        BadCase{"TextNamedWav",
                "cwt {text.wav} {out}" + est,
                1,
                {"{text.wav}: ", "not a readable audio file"}},
        BadCase{"HugePngHeader",
                "fft {huge.png} {out}" + est,
                1,
                {"{huge.png}: ", "corrupt PNG", "IHDR"}},
        BadCase{
            "MissingInput", "stft {missing.npy} {out}" + est, 1, {"{missing.npy}: cannot open"}},
        BadCase{"MissingWav", "cwt {missing.wav} {out}" + est, 1, {"{missing.wav}: cannot open"}},
        BadCase{"MissingHeisenbergFile",
                "heisenberg --file {missing.npy}",
                1,
                {"{missing.npy}: cannot open"}},
        BadCase{"UnwritableOutput",
                "fft {x3.npy} /nonexistent/x.npy" + est,
                1,
                {"/nonexistent/x.npy: cannot write"}},
        BadCase{"UnwritableMeta",
                "stft {short.npy} {out} --length 64 --meta /nonexistent/m.json" + est,
                1,
                {"/nonexistent/m.json: cannot write"}},
        BadCase{"UnwritablePicture",
                "compare-tf {short.npy} /nonexistent/c.png" + est,
                1,
                {"/nonexistent/c.png: cannot write"}},
        BadCase{"IstftWrongBinCount",
                "istft {real2d.npy} {out} --length 256 --hop 64" + est,
                1,
                {"{real2d.npy}: ", "129", "(100, 61)"}},
        BadCase{"IstftWrongFrameCount",
                "istft {Z.npy} {out} --samples 100" + est,
                1,
                {"{Z.npy}: ", "frames", "--samples"}},
        BadCase{"IstftOfVector", "istft {short.npy} {out}" + est, 1, {"2 dimension"}},
        BadCase{"CompareTfOfBatch",
                "compare-tf {batch.npy} {dir}/c.png" + est,
                1,
                {"{batch.npy}: ", "(N,)", "(2, 512)"}}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return info.param.name; });

}  // namespace
