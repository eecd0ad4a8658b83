// The `wst` command line, run as a separate process: outputs of the scatter commands (checked
// against the library), help, and every rejected input with its exit code and one-line message,
// leaving no output file behind.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/io/audio.hpp"
#include "wst/io/image.hpp"
#include "wst/io/npy.hpp"
#include "wst/core/scattering_1d.hpp"
#include "wst/core/scattering_2d.hpp"

namespace fs = std::filesystem;
using namespace std::string_literals;

namespace {

using wst::test::list_dir;
using wst::test::run_cli;
using Result = wst::test::CliResult;





// Deterministic finite test data.
template <class T>
wst::Array<T> smooth_noise(wst::Shape shape) {
  wst::Array<T> a(std::move(shape));
  for (std::size_t i = 0; i < a.size(); ++i)
    a.data[i] = T(std::sin(0.7 * double(i)) + std::cos(0.013 * double(i * i % 977)));
  return a;
}

// A hand-made .npy file (version 1.0) with the given header dict and raw data.
std::string npy_bytes(std::string dict, const std::string& data) {
  dict.append((64 - (10 + dict.size() + 1) % 64) % 64, ' ').push_back('\n');
  return "\x93NUMPY\x01\x00"s + char(dict.size() & 0xff) + char(dict.size() >> 8) + dict + data;
}

// Input files shared by all tests, made once: <name>.npy in inputs_dir().
const std::string& inputs_dir() {
  static const std::string dir = [] {
    const std::string d = wst::test::temp_dir();
    const auto file = [&](const std::string& name) { return d + "/" + name + ".npy"; };
    wst::write_npy(file("images_f32"), smooth_noise<float>({2, 32, 32}));
    wst::write_npy(file("images_f64"), smooth_noise<double>({2, 32, 32}));
    wst::write_npy(file("signals"), smooth_noise<float>({3, 1024}));
    wst::write_npy(file("empty"), wst::Array<double>({0, 32, 32}));
    wst::write_npy(file("vector"), smooth_noise<double>({32}));
    wst::write_npy(file("integers"), wst::Array<std::int64_t>({2, 32, 32}));
    auto with_nan = smooth_noise<double>({2, 32, 32});
    with_nan.data[1100] = std::numeric_limits<double>::quiet_NaN();
    wst::write_npy(file("nan"), with_nan);
    auto with_inf = smooth_noise<float>({1, 32, 32});
    with_inf.data[5] = -std::numeric_limits<float>::infinity();
    wst::write_npy(file("inf"), with_inf);
    std::ofstream(file("big_endian"), std::ios::binary)
        << npy_bytes("{'descr': '>f8', 'fortran_order': False, 'shape': (1, 8, 8), }",
                     std::string(8 * 64, '\0'));
    std::ofstream(file("truncated"), std::ios::binary)
        << npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 32, 32), }",
                     std::string(1000, '\0'));
    return d;
  }();
  return dir;
}

std::string input(const std::string& name) { return inputs_dir() + "/" + name + ".npy"; }

// Each test writes into its own empty folder.
class Cli : public ::testing::Test {
 protected:
  std::string dir = wst::test::temp_dir();
  std::string out = dir + "/out.npy", meta = dir + "/meta.json";
};

// ---- success ----------------------------------------------------------------------------------

TEST_F(Cli, Scatter2dFloat32WithMeta) {
  const Result r = run_cli("scatter2d --J 2 --plan estimate " + input("images_f32") + " " + out +
                           " --meta " + meta);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");

  const wst::NpyArray y = wst::read_npy(out);
  ASSERT_TRUE(std::holds_alternative<wst::Array<float>>(y)) << wst::npy_dtype_name(y);
  EXPECT_EQ(std::get<wst::Array<float>>(y).shape, (wst::Shape{2, 81, 8, 8}));

  const auto m = nlohmann::json::parse(wst::test::read_file(meta));
  EXPECT_EQ(m["transform"], "scatter2d");
  EXPECT_EQ(m["J"], 2);
  EXPECT_EQ(m["L"], 8);
  EXPECT_EQ(m["max_order"], 2);
  EXPECT_EQ(m["input_shape"], nlohmann::json({2, 32, 32}));
  EXPECT_EQ(m["output_shape"], nlohmann::json({2, 81, 8, 8}));
  ASSERT_EQ(m["channels"].size(), 81u);
  EXPECT_EQ(
      m["channels"][0],
      nlohmann::json::parse(R"({"order":0,"j1":null,"theta1":null,"j2":null,"theta2":null})"));
  EXPECT_EQ(m["channels"][16],
            nlohmann::json::parse(R"({"order":1,"j1":1,"theta1":7,"j2":null,"theta2":null})"));
  EXPECT_EQ(m["channels"][17],
            nlohmann::json::parse(R"({"order":2,"j1":0,"theta1":0,"j2":1,"theta2":0})"));
}

TEST_F(Cli, Scatter2dFloat64MatchesLibrary) {
  const Result r = run_cli("scatter2d --J 2 --L 8 --threads 2 --plan estimate " +
                           input("images_f64") + " " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  const wst::NpyArray y = wst::read_npy(out);
  ASSERT_TRUE(std::holds_alternative<wst::Array<double>>(y)) << wst::npy_dtype_name(y);
  const auto& got = std::get<wst::Array<double>>(y);
  EXPECT_EQ(got.shape, (wst::Shape{2, 81, 8, 8}));

  const wst::Scattering2D s(2, 32, 32, 8, 2, {1, wst::Planning::estimate});
  const auto expected = s(wst::read_npy_as<double>(input("images_f64")));
  EXPECT_LT(wst::test::rel_error(got.data, expected.data), 1e-12);
  EXPECT_EQ(list_dir(dir), std::vector<std::string>{"out.npy"});  // no meta, no temporaries
}

// Finite input of any magnitude: float32 images near 1e30 (whose modulus squares overflow
// without the exact power-of-two rescaling of docs/architecture.md "Range") give 2^100 times the
// unit-scale result; a result beyond float32 is refused (exit 1), never written as Inf.
TEST_F(Cli, LargeFiniteInputIsScatteredOrRefusedNeverInf) {
  auto x = wst::read_npy_as<float>(input("images_f32"));
  for (float& v : x.data) v = std::ldexp(v, 100);
  const std::string big = dir + "/big.npy";
  wst::write_npy(big, x);
  Result r = run_cli("scatter2d --J 2 " + input("images_f32") + " " + dir + "/unit.npy");
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_cli("scatter2d --J 2 " + big + " " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto unit = wst::read_npy_as<float>(dir + "/unit.npy"), got = wst::read_npy_as<float>(out);
  ASSERT_EQ(got.shape, unit.shape);
  for (std::size_t i = 0; i < got.size(); ++i)
    ASSERT_EQ(got.data[i], std::ldexp(unit.data[i], 100)) << i;
  // A float32 FFT of 64 values of 3e38 sums to 1.9e40.
  wst::write_npy(big, wst::Array<float>({64}, std::vector<float>(64, 3e38f)));
  r = run_cli("fft " + big + " " + dir + "/X.npy");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("overflows the range of float32"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir + "/X.npy"));
}

// Pictures and sounds go in directly: a PNG is scattered as its float64 luminance, an audio file
// as its float64 samples, exactly as the library scatters what read_png_gray/read_audio return.
TEST_F(Cli, ScatterReadsPngAndWav) {
  const std::string in = wst::test::temp_dir(), png = in + "/digit.png", wav = in + "/tone.wav";
  std::vector<std::uint8_t> rgb(32 * 32 * 3);
  for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = std::uint8_t((i * i + 7 * i) % 251);
  wst::write_png_rgb(png, 32, 32, rgb);
  Result r = run_cli("scatter2d --J 2 --L 8 --plan estimate " + png + " " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  const wst::NpyArray y2 = wst::read_npy(out);
  ASSERT_TRUE(std::holds_alternative<wst::Array<double>>(y2)) << wst::npy_dtype_name(y2);
  const auto& got2 = std::get<wst::Array<double>>(y2);
  EXPECT_EQ(got2.shape, (wst::Shape{81, 8, 8}));
  const wst::Scattering2D s2(2, 32, 32, 8, 2, {1, wst::Planning::estimate});
  EXPECT_LT(wst::test::rel_error(got2.data, s2(wst::read_png_gray(png)).data), 1e-12);

  std::vector<double> tone(1024);
  for (std::size_t n = 0; n < tone.size(); ++n)
    tone[n] = 0.5 * std::sin(0.3 * double(n)) + 0.25 * std::cos(0.011 * double(n * n % 1013));
  wst::write_wav(wav, tone, 8000);
  const std::string out1 = dir + "/out1.npy";
  r = run_cli("scatter1d --J 6 --Q 8 --plan estimate " + wav + " " + out1);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto got1 = wst::read_npy_as<double>(out1);
  EXPECT_EQ(got1.shape, (wst::Shape{126, 16}));
  const wst::Audio audio = wst::read_audio(wav);
  const wst::Scattering1D s1(6, 1024, {8, 1}, 0, 2, {1, wst::Planning::estimate});
  EXPECT_LT(wst::test::rel_error(got1.data, s1(wst::Array<double>({1024}, audio.samples)).data),
            1e-12);
  EXPECT_EQ(list_dir(dir), (std::vector<std::string>{"out.npy", "out1.npy"}));
}

TEST_F(Cli, Scatter2dMaxOrder1) {
  const Result r = run_cli("scatter2d --J 2 --L 4 --max-order 1 --plan estimate " +
                           input("images_f32") + " " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(wst::read_npy_as<float>(out).shape, (wst::Shape{2, 9, 8, 8}));
}

// FFTW_MEASURE plans are remembered as wisdom in $WST_WISDOM_DIR (the capture folder here).
TEST_F(Cli, MeasuredPlansAreSavedAsWisdom) {
  const Result r = run_cli("scatter2d --J 1 --L 2 --max-order 1 --plan measure " +
                           input("images_f32") + " " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(wst::test::read_file(wst::test::cli_capture_dir() + "/wisdom-f32").empty());
  EXPECT_EQ(list_dir(dir), std::vector<std::string>{"out.npy"});
}

TEST_F(Cli, Scatter1dWithMetaMatchesLibrary) {
  const Result r = run_cli("scatter1d --J 6 --Q 8 --plan estimate " + input("signals") + " " + out +
                           " --meta " + meta);
  ASSERT_EQ(r.code, 0) << r.err;
  const wst::NpyArray y = wst::read_npy(out);
  ASSERT_TRUE(std::holds_alternative<wst::Array<float>>(y)) << wst::npy_dtype_name(y);
  const auto& got = std::get<wst::Array<float>>(y);
  EXPECT_EQ(got.shape, (wst::Shape{3, 126, 16}));

  const wst::Scattering1Df s(6, 1024, {8, 1}, 0, 2, {1, wst::Planning::estimate});
  EXPECT_LT(wst::test::rel_error(got.data, s(wst::read_npy_as<float>(input("signals"))).data),
            1e-6);

  const auto m = nlohmann::json::parse(wst::test::read_file(meta));
  EXPECT_EQ(m["transform"], "scatter1d");
  EXPECT_EQ(m["Q"], nlohmann::json({8, 1}));
  EXPECT_EQ(m["T"], 64);
  ASSERT_EQ(m["channels"].size(), 126u);
  for (std::size_t c = 0; c < 126; ++c) {
    const auto& ch = m["channels"][c];
    const std::size_t order = ch["order"];
    EXPECT_EQ(order, std::size_t(s.meta()[c].order));
    for (const char* key : {"n", "j", "xi", "sigma"}) EXPECT_EQ(ch[key].size(), order) << key;
    if (order > 0) {
      EXPECT_EQ(ch["n"][0], s.meta()[c].n[0]);
    }
  }
}

TEST_F(Cli, HelpListsCommandsAndOptions) {
  Result r = run_cli("--help");
  EXPECT_EQ(r.code, 0);
  for (const char* word : {"scatter2d", "scatter1d", "demo"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word;

  r = run_cli("scatter2d --help");
  EXPECT_EQ(r.code, 0);
  for (const char* word :
       {"--J", "--L", "--max-order", "--threads", "--plan", "--meta", "IN", "OUT", "estimate"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word;

  r = run_cli("scatter1d --help");
  EXPECT_EQ(r.code, 0);
  for (const char* word :
       {"--J", "--Q", "--Q2", "--T", "--max-order", "--threads", "--plan", "--meta"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
}

// Estimate is the default plan, and the help says what measure trades for its speed.
TEST_F(Cli, EstimateIsTheDefaultPlan) {
  for (const char* command : {"scatter1d", "scatter2d", "stft", "demo", "energy"}) {
    const Result r = run_cli(std::string(command) + " --help");
    EXPECT_EQ(r.code, 0) << command;
    EXPECT_NE(r.out.find("{measure,estimate}=estimate"), std::string::npos) << command << r.out;
    EXPECT_NE(r.out.find("may differ in the last bits"), std::string::npos) << command;
  }
}

// The experiments show their own examples, not the top-level ones.
TEST_F(Cli, ExperimentHelpShowsItsOwnExamples) {
  for (const std::string command : {"invariance", "energy"}) {
    const Result r = run_cli(command + " --help");
    EXPECT_EQ(r.code, 0) << command;
    EXPECT_NE(r.out.find("wst " + command + " --quick"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("wst scatter2d"), std::string::npos) << r.out;
  }
}

TEST_F(Cli, Demo) {
  const Result r = run_cli("demo --plan estimate --threads 2");
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* word : {"scatter2d", "scatter1d", "(8, 217, 8, 8)", "energy"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word << " not in\n" << r.out;
}

// ---- failures ---------------------------------------------------------------------------------

using wst::test::BadCase;  // {name} is input(name); {dir}, {out}, {meta} the test's files

class CliRejects : public Cli, public ::testing::WithParamInterface<BadCase> {
 protected:
  std::string expand(const std::string& text) const {
    return wst::test::expand_placeholders(text, dir, out, meta,
                                          [&](const std::string& k) { return input(k); });
  }
};

TEST_P(CliRejects, WithOneLineMessageAndNoOutput) {
  wst::test::expect_rejected(GetParam(), dir, [&](const std::string& t) { return expand(t); });
}

const std::string f32 = " {images_f32} {out} --meta {meta}";  // the usual files of a 2D run

INSTANTIATE_TEST_SUITE_P(
    BadInput, CliRejects,
    ::testing::Values(
        // bad parameters: exit 2
        BadCase{"J0", "scatter2d --J 0 --plan estimate" + f32, 2, {"J=0", "out of range"}},
        BadCase{"JLargerThanImage",
                "scatter2d --J 6 --plan estimate" + f32,
                2,
                {"J=6", "2^J=64", "32"}},
        BadCase{"L0", "scatter2d --J 2 --L 0 --plan estimate" + f32, 2, {"L=0", "out of range"}},
        BadCase{"Q0",
                "scatter1d --J 6 --Q 0 --plan estimate {signals} {out} --meta {meta}",
                2,
                {"Q=0", "out of range"}},
        BadCase{"NegativeT",
                "scatter1d --J 6 --T -3 --plan estimate {signals} {out}",
                2,
                {"--T", ">= 0"}},
        BadCase{"MaxOrder3In2D",
                "scatter2d --J 2 --max-order 3 --plan estimate" + f32,
                2,
                {"--max-order"}},
        BadCase{"ZeroThreads",
                "scatter2d --J 2 --threads 0 --plan estimate" + f32,
                2,
                {"--threads", ">= 1"}},
        BadCase{"UnknownPlan", "scatter2d --J 2 --plan fast" + f32, 2, {"--plan", "fast"}},
        BadCase{"UnknownOption", "scatter2d --J 2 --bogus 1 --plan estimate" + f32, 2, {"--bogus"}},
        BadCase{"MissingJ", "scatter2d --plan estimate" + f32, 2, {"--J", "required"}},
        BadCase{"MissingOutput",
                "scatter2d --J 2 --plan estimate {images_f32}",
                2,
                {"OUT", "required"}},
        BadCase{"MissingBothPaths", "scatter1d --J 6", 2, {"IN", "required"}},
        BadCase{"MetaSameAsOutput",
                "scatter2d --J 2 --plan estimate {images_f32} {out} --meta {out}",
                2,
                {"--meta"}},
        BadCase{"UnknownCommand", "scatter4d --J 2", 2, {"unknown command 'scatter4d'"}},
        BadCase{"NegativeSeedMnist",
                "mnist --quick --seed -1 --out {dir}",
                2,
                {"--seed", "0 to 18446744073709551615", "'-1'"}},
        BadCase{"NegativeSeedEnergy",
                "energy --quick --seed -1 --out {dir}",
                2,
                {"--seed", "0 to 4294967295", "'-1'"}},
        BadCase{"NegativeSeedSignal", "signal noise {out} --seed -1", 2, {"--seed", "0 to "}},
        BadCase{"CnnModelWithNoCnn",
                "mnist --quick --models LeNet-5 --no-cnn --out {dir}",
                2,
                {"--models LeNet-5", "--no-cnn"}},
        BadCase{"NoCommand", "", 2, {"subcommand"}},
        // bad data or files: exit 1
        BadCase{"EmptyArray",
                "scatter2d --J 2 --plan estimate {empty} {out}",
                1,
                {"{empty}: empty array of shape (0, 32, 32)"}},
        BadCase{"WrongRank",
                "scatter2d --J 2 --plan estimate {vector} {out}",
                1,
                {"{vector}", "(32,)", "(..., M, N)"}},
        BadCase{"NaN",
                "scatter2d --J 2 --plan estimate {nan} {out} --meta {meta}",
                1,
                {"{nan}: ", "NaN"}},
        BadCase{"Inf", "scatter2d --J 2 --plan estimate {inf} {out}", 1, {"{inf}: ", "Inf"}},
        BadCase{"IntegerInput",
                "scatter2d --J 2 --plan estimate {integers} {out}",
                1,
                {"{integers}: dtype int64 ('<i8') is not supported", "float32 or float64"}},
        BadCase{"BigEndian",
                "scatter2d --J 2 --plan estimate {big_endian} {out}",
                1,
                {"{big_endian}: ", "big-endian", "astype('<f8')"}},
        BadCase{"Truncated",
                "scatter2d --J 2 --plan estimate {truncated} {out}",
                1,
                {"{truncated}: ", "truncated data", "expected 4096 bytes", "found 1000"}},
        BadCase{"MissingInput",
                "scatter2d --J 2 --plan estimate {missing} {out}",
                1,
                {"{missing}: cannot open: No such file"}},
        BadCase{"OutputFolderMissing",
                "scatter2d --J 2 --plan estimate {images_f32} {dir}/no/out.npy",
                1,
                {"{dir}/no/out.npy: cannot write: No such file"}},
        BadCase{"MetaFolderMissing",
                "scatter2d --J 2 --plan estimate {images_f32} {out} --meta {dir}/no/m.json",
                1,
                {"{dir}/no/m.json: cannot write"}},
        BadCase{"OutputIsFolder",
                "scatter2d --J 2 --plan estimate {images_f32} {dir}",
                1,
                {"cannot write"}}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return info.param.name; });

// ---- an output that is an input, or another output ---------------------------------------------

// {dir} is the test's folder, holding in.npy, link.npy (a symlink to it), hard.npy (a hard link)
// and a hard link to in.npy at each path of `links`.
struct SameFile {
  std::string name, args;
  std::vector<std::string> links, words;
};
std::ostream& operator<<(std::ostream& os, const SameFile& c) { return os << c.name; }

class CliRefusesSameFile : public Cli, public ::testing::WithParamInterface<SameFile> {};

TEST_P(CliRefusesSameFile, WithExit2AndInputUnchanged) {
  const SameFile& c = GetParam();
  const std::string in = dir + "/in.npy";
  fs::copy_file(input("signals"), in);
  fs::create_symlink("in.npy", dir + "/link.npy");
  fs::create_hard_link(in, dir + "/hard.npy");
  for (const auto& link : c.links) {
    fs::create_directories(fs::path(dir + "/" + link).parent_path());
    fs::create_hard_link(in, dir + "/" + link);
  }
  const auto expand = [&](std::string t) {
    for (std::size_t i; (i = t.find("{dir}")) != std::string::npos;) t.replace(i, 5, dir);
    return t;
  };
  const std::string before = wst::test::read_file(in);
  const Result r = run_cli(expand(c.args));
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_TRUE(r.err.starts_with("wst: error: ")) << r.err;
  for (const auto& word : c.words)
    EXPECT_NE(r.err.find(expand(word)), std::string::npos) << expand(word) << " not in " << r.err;
  EXPECT_TRUE(wst::test::read_file(in) == before) << "the input was changed";
  EXPECT_EQ(r.out, "");
}

INSTANTIATE_TEST_SUITE_P(
    Cli, CliRefusesSameFile,
    ::testing::Values(
        SameFile{"Scatter1dOutIsIn", "scatter1d --J 3 {dir}/in.npy {dir}/in.npy", {},
                 {"OUT '{dir}/in.npy'", "IN '{dir}/in.npy'", "same file"}},
        SameFile{"Scatter1dDotSlash", "scatter1d --J 3 {dir}/in.npy {dir}/./in.npy", {},
                 {"OUT '{dir}/./in.npy'", "IN '{dir}/in.npy'"}},
        SameFile{"Scatter1dDotDot", "scatter1d --J 3 {dir}/in.npy {dir}/none/../in.npy", {},
                 {"OUT", "IN"}},
        SameFile{"Scatter1dSymlink", "scatter1d --J 3 {dir}/in.npy {dir}/link.npy", {},
                 {"OUT '{dir}/link.npy'", "IN '{dir}/in.npy'"}},
        SameFile{"Scatter1dHardLink", "scatter1d --J 3 {dir}/in.npy {dir}/hard.npy", {},
                 {"OUT '{dir}/hard.npy'", "IN"}},
        SameFile{"Scatter1dMetaIsIn", "scatter1d --J 3 {dir}/in.npy {dir}/o.npy --meta {dir}/in.npy",
                 {}, {"--meta '{dir}/in.npy'", "IN '{dir}/in.npy'"}},
        SameFile{"Scatter2dOutIsIn", "scatter2d --J 2 {dir}/in.npy {dir}/link.npy", {},
                 {"OUT", "IN"}},
        SameFile{"StftOutIsIn", "stft {dir}/in.npy {dir}/in.npy", {}, {"OUT", "IN"}},
        SameFile{"StftMetaIsIn", "stft {dir}/in.npy {dir}/o.npy --meta {dir}/hard.npy", {},
                 {"--meta '{dir}/hard.npy'", "IN '{dir}/in.npy'"}},
        SameFile{"StftPlotIsOut", "stft {dir}/in.npy {dir}/o.png --plot {dir}/./o.png", {},
                 {"--plot '{dir}/./o.png'", "OUT '{dir}/o.png'"}},
        SameFile{"IstftOutIsIn", "istft {dir}/in.npy {dir}/link.npy", {}, {"OUT", "IN"}},
        SameFile{"CwtPlotIsIn", "cwt {dir}/in.npy {dir}/o.npy --plot {dir}/in.npy", {},
                 {"--plot", "IN"}},
        SameFile{"FftOutIsIn", "fft {dir}/in.npy {dir}/in.npy", {}, {"OUT", "IN"}},
        SameFile{"CompareTfOutIsIn", "compare-tf {dir}/in.npy {dir}/hard.npy", {}, {"OUT", "IN"}},
        SameFile{"StabilityOutHoldsWav",
                 "stability --quick --wav {dir}/in.npy --out {dir}/o",
                 {"o/stability/stability.json"},
                 {"--out '{dir}/o/stability/stability.json'", "--wav '{dir}/in.npy'"}},
        SameFile{"InvarianceOutHoldsData",
                 "invariance --quick --data {dir}/data --out {dir}/o",
                 {"data/src/digits/3.json", "o/stability/invariance.md"},
                 {"--out '{dir}/o/stability/invariance.md'", "--data", "3.json"}},
        SameFile{"EnergyOutHoldsData", "energy --quick --data {dir}/data --out {dir}/o",
                 {"data/src/digits/0.json", "o/stability/energy.json"},
                 {"--out", "energy.json", "--data", "0.json"}},
        SameFile{"ReportReplacesMnistJson",
                 "report --out {dir}/o --mnist-json {dir}/o/report/mnist.json",
                 {"o/report/mnist.json"},
                 {"--mnist-json '{dir}/o/report/mnist.json'", "--out"}}),
    [](const ::testing::TestParamInfo<SameFile>& info) { return info.param.name; });

}  // namespace
