// `wst reconstruct`: the reconstruction, its history and picture from .npy, PNG and WAV targets;
// bad options and inputs exit 2 or 1 and leave nothing behind.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "wst/io/audio.hpp"
#include "wst/io/npy.hpp"

namespace {

namespace fs = std::filesystem;
using wst::Array;
using wst::test::run_cli;

// A 28 × 28 ring in [0, 1], as tests/lab/test_reconstruction.cpp.
Array<double> ring_digit() {
  Array<double> y({28, 28});
  for (int r = 0; r < 28; ++r)
    for (int c = 0; c < 28; ++c) {
      const double d = std::hypot((r - 13.5) / 9.0, (c - 13.5) / 6.0);
      y.data[std::size_t(r * 28 + c)] = std::exp(-std::pow((d - 1.0) / 0.22, 2));
    }
  return y;
}

std::string digit_file(const std::string& dir) {
  const std::string path = dir + "/digit.npy";
  wst::write_npy(path, ring_digit());
  return path;
}

TEST(ReconstructCli, NpyTargetGivesReconstructionHistoryAndPicture) {
  const std::string dir = wst::test::temp_dir(), in = digit_file(dir);
  const auto r = run_cli("reconstruct " + in + " " + dir + "/x.npy --J 2 --order 2 --tolerance "
                         "1e-3 --history " + dir + "/h.json --picture " + dir + "/p.png");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("(tolerance, 0 restarts)"), std::string::npos) << r.out;
  const auto x = wst::read_npy_as<double>(dir + "/x.npy");
  EXPECT_EQ(x.shape, (wst::Shape{28, 28}));
  const auto h = nlohmann::json::parse(wst::test::read_file(dir + "/h.json"));
  EXPECT_LE(h["final"]["scattering_error"].get<double>(), 1e-3);
  EXPECT_LT(h["final"]["signal_error"].get<double>(), 0.1);
  EXPECT_EQ(h["stopped"], "tolerance");
  EXPECT_EQ(h["shape"], nlohmann::json::array({28, 28}));
  EXPECT_GT(h["history"].size(), 10u);
  EXPECT_EQ(wst::test::read_file(dir + "/p.png").substr(1, 3), "PNG");
}

TEST(ReconstructCli, PngAndWavTargets) {
  const std::string dir = wst::test::temp_dir();
  auto r = run_cli("reconstruct " + digit_file(dir) + " " + dir + "/digit.png --iterations 5");
  ASSERT_EQ(r.code, 0) << r.err;  // the target as a PNG, for the next run
  r = run_cli("reconstruct " + dir + "/digit.png " + dir + "/again.png --method adam --iterations 5");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(wst::test::read_file(dir + "/again.png").substr(1, 3), "PNG");
  std::vector<double> chirp(512);
  for (std::size_t k = 0; k < chirp.size(); ++k)
    chirp[k] = 0.5 * std::sin(0.002 * double(k * k)) * std::sin(M_PI * double(k) / 512);
  wst::write_wav(dir + "/chirp.wav", chirp, 8000);
  r = run_cli("reconstruct " + dir + "/chirp.wav " + dir + "/x.wav --J 4 --iterations 20");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir + "/x.wav"));
  r = run_cli("reconstruct " + dir + "/chirp.wav " + dir + "/x.png --J 4 --iterations 2");
  EXPECT_EQ(r.code, 2);  // a signal is not an image
  EXPECT_FALSE(fs::exists(dir + "/x.png"));
}

struct Bad {
  std::string args;  // after "reconstruct IN", each @ standing for the test's folder
  int code;
  std::string message;
};

class ReconstructCliRejects : public testing::TestWithParam<Bad> {};

TEST_P(ReconstructCliRejects, WithAMessageAndNoOutput) {
  const std::string dir = wst::test::temp_dir(), in = digit_file(dir);
  std::string args = GetParam().args;
  for (std::size_t at = args.find('@'); at != std::string::npos; at = args.find('@', at))
    args.replace(at, 1, dir + "/");
  const auto r = run_cli("reconstruct " + in + " " + args);
  EXPECT_EQ(r.code, GetParam().code) << r.err;
  EXPECT_NE(r.err.find(GetParam().message), std::string::npos) << r.err;
  EXPECT_EQ(wst::test::list_dir(dir), std::vector<std::string>{"digit.npy"});
  EXPECT_EQ(wst::read_npy_as<double>(in).data, ring_digit().data);
}

INSTANTIATE_TEST_SUITE_P(
    BadOptions, ReconstructCliRejects,
    testing::Values(Bad{"@none/x.npy", 1, "cannot write"},
                    Bad{"@x.npy --J 9", 2, "--J 9: must be in 1 … 4"},
                    Bad{"@x.npy --order 3", 2, "--order 3: must be 1 or 2"},
                    Bad{"@x.npy --method sgd", 2, "--method sgd: must be lbfgs or adam"},
                    Bad{"@x.npy --iterations 0", 2, "--iterations 0"},
                    Bad{"@x.npy --tolerance -1", 2, "--tolerance"},
                    Bad{"@x.npy --patience -1", 2, "--patience"},
                    Bad{"@x.txt", 2, "must end in .npy, .wav or .png"},
                    Bad{"@x.wav", 2, "a .wav needs a sample rate"},
                    Bad{"@x.npy --picture @p.jpg", 2, "--picture"},
                    Bad{"@x.npy --history @h.txt", 2, "--history"},
                    Bad{"@x.npy --history @h.json --picture @none/p.png", 1, "cannot write"}));

TEST(ReconstructCli, SameFileAndBadTargets) {
  const std::string dir = wst::test::temp_dir(), in = digit_file(dir);
  auto r = run_cli("reconstruct " + in + " " + in);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(wst::read_npy_as<double>(in).data, ring_digit().data);
  wst::write_npy(dir + "/flat.npy", Array<double>({16, 16}, std::vector<double>(256, 0.5)));
  r = run_cli("reconstruct " + dir + "/flat.npy " + dir + "/x.npy");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("constant"), std::string::npos) << r.err;
  r = run_cli("reconstruct " + dir + "/missing.npy " + dir + "/x.npy");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_FALSE(fs::exists(dir + "/x.npy"));
}

}  // namespace
