// Determinism. The same command gives a bit-identical .npy file across runs and across
// thread counts (--threads 1, 2, 3 on a batch of 7, which no thread count divides evenly).
// FFTW plans are made with --plan estimate, whose choice of algorithm does not depend on timing
// (docs/RELIABILITY.md, "Determinism").
#include <gtest/gtest.h>

#include <complex>
#include <cstdlib>
#include <string>
#include <type_traits>

#include "test_support.hpp"
#include "wst/io/npy.hpp"

namespace {

struct Case {
  std::string name;
  std::string command;  // "<subcommand> [options]"; IN and OUT are appended
  std::string input;    // one of the files made by inputs()
};
std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.name; }

template <class T>
void save(const std::string& path, wst::Shape shape, unsigned seed) {
  wst::Array<T> a(std::move(shape));
  const auto v = wst::test::random_normal(a.size(), seed);
  for (std::size_t i = 0; i < a.size(); ++i) a.data[i] = T(v[i]);
  wst::write_npy(path, a);
}

// The inputs (made once per process): 7 signals of 4096 samples and 7 images of 64 x 64, in
// float32 and float64, and an STFT of the signals for istft.
const std::string& inputs() {
  static const std::string dir = [] {
    const std::string d = wst::test::temp_dir();
    save<float>(d + "/signals_f32.npy", {7, 4096}, 1);
    save<double>(d + "/signals_f64.npy", {7, 4096}, 2);
    save<float>(d + "/images_f32.npy", {7, 64, 64}, 3);
    save<double>(d + "/images_f64.npy", {7, 64, 64}, 4);
    const auto r = wst::test::run_cli("stft --length 256 --plan estimate " + d +
                                      "/signals_f32.npy " + d + "/Z.npy");
    if (r.code != 0) ADD_FAILURE() << "making Z.npy: " << r.err;
    return d;
  }();
  return dir;
}

class Determinism : public ::testing::TestWithParam<Case> {};

TEST_P(Determinism, BitIdenticalAcrossRunsAndThreadCounts) {
  const Case& c = GetParam();
  const std::string in = inputs() + "/" + c.input, dir = wst::test::temp_dir();
  const auto run = [&](int threads, const std::string& name) {
    const std::string out = dir + "/" + name + ".npy";
    const auto r = wst::test::run_cli(c.command + " --plan estimate --threads " +
                                      std::to_string(threads) + " " + in + " " + out);
    EXPECT_EQ(r.code, 0) << c.command << ": " << r.err;
    return wst::test::read_file(out);
  };
  const std::string first = run(2, "first");
  ASSERT_GT(first.size(), 128u) << "no output";
  EXPECT_TRUE(first == run(2, "again")) << "two identical runs differ";
  EXPECT_TRUE(first == run(1, "threads1")) << "--threads 1 differs from --threads 2";
  EXPECT_TRUE(first == run(3, "threads3")) << "--threads 3 differs from --threads 2";
  // The output is a real .npy with data (not, say, all zeros): the comparison means something.
  const wst::NpyArray y = wst::read_npy(dir + "/first.npy");
  const bool nonzero = std::visit(
      [](const auto& a) {
        for (const auto& v : a.data)
          if (v != std::remove_cvref_t<decltype(v)>(0)) return true;
        return false;
      },
      y);
  EXPECT_TRUE(nonzero);
}

INSTANTIATE_TEST_SUITE_P(
    Cli, Determinism,
    ::testing::Values(Case{"Scatter1DFloat", "scatter1d --J 6 --Q 8", "signals_f32.npy"},
                      Case{"Scatter1DDouble", "scatter1d --J 5 --Q 4 --max-order 2",
                           "signals_f64.npy"},
                      Case{"Scatter2DFloat", "scatter2d --J 3 --L 8", "images_f32.npy"},
                      Case{"Scatter2DDouble", "scatter2d --J 2 --L 6", "images_f64.npy"},
                      Case{"Stft", "stft --length 256 --hop 64", "signals_f32.npy"},
                      Case{"StftDouble", "stft --window gauss --length 128", "signals_f64.npy"},
                      Case{"Istft", "istft --length 256", "Z.npy"},
                      Case{"Cwt", "cwt --Q 8", "signals_f32.npy"},
                      Case{"CwtDecimated", "cwt --Q 4 --decimated", "signals_f64.npy"},
                      Case{"Fft", "fft", "signals_f32.npy"}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

// With the default plan, a first run on a fresh machine (no wisdom yet) and a later one agree.
TEST(DefaultPlan, BitIdenticalWithFreshWisdom) {
  const std::string in = inputs() + "/signals_f32.npy", dir = wst::test::temp_dir();
  const auto run = [&](const std::string& name) {
    const std::string wisdom = dir + "/wisdom-" + name, out = dir + "/" + name + ".npy";
    const std::string command = "WST_WISDOM_DIR=" + wisdom + " " + wst::test::cli_path() +
                                " scatter1d --J 6 --Q 8 " + in + " " + out;
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return wst::test::read_file(out);
  };
  const std::string first = run("first");
  ASSERT_GT(first.size(), 128u) << "no output";
  EXPECT_TRUE(first == run("second")) << "two runs with fresh wisdom differ";
  EXPECT_TRUE(first == run("first")) << "a run with the first run's wisdom differs";
}

}  // namespace
