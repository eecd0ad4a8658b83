// `wst scatter2d/scatter1d --chunk N` (out of core): IN read in place, OUT written N items at a
// time through OUT.partial: the same bytes as in memory, an interrupted run resumes where it
// stopped, another job's partial output is not reused, and an error leaves nothing behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "test_support.hpp"
#include "wst/io/npy.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using wst::test::read_file;
using wst::test::run_cli;

template <class T>
std::string save_noise(const std::string& path, wst::Shape shape, unsigned seed) {
  wst::Array<T> a(std::move(shape));
  std::mt19937 gen(seed);
  std::normal_distribution<double> d;
  for (auto& v : a.data) v = static_cast<T>(d(gen));
  wst::write_npy(path, a);
  return path;
}

TEST(ScatterChunked, SameBytesAsInMemory2DAnd1D) {
  const std::string dir = wst::test::temp_dir();
  const std::string images = save_noise<float>(dir + "/images.npy", {37, 28, 28}, 1);
  ASSERT_EQ(run_cli("scatter2d --J 2 --plan estimate " + images + " " + dir + "/a.npy --meta " +
                    dir + "/a.json").code, 0);
  const auto r = run_cli("scatter2d --J 2 --plan estimate --chunk 5 " + images + " " + dir +
                         "/b.npy --meta " + dir + "/b.json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_file(dir + "/a.npy"), read_file(dir + "/b.npy"));
  EXPECT_EQ(read_file(dir + "/a.json"), read_file(dir + "/b.json"));
  const std::string signals = save_noise<double>(dir + "/signals.npy", {2, 5, 1024}, 2);
  ASSERT_EQ(run_cli("scatter1d --J 6 --Q 8 --plan estimate " + signals + " " + dir + "/c.npy").code, 0);
  ASSERT_EQ(run_cli("scatter1d --J 6 --Q 8 --plan estimate --chunk 3 " + signals + " " + dir +
                    "/d.npy").code, 0);
  EXPECT_EQ(read_file(dir + "/c.npy"), read_file(dir + "/d.npy"));
  for (const auto& name : wst::test::list_dir(dir)) EXPECT_EQ(name.find("partial"), std::string::npos) << name;
}

// Starts `wst args…`, waits until OUT.partial.json records finished items, interrupts it.
int interrupt_after_first_chunks(const std::vector<std::string>& args, const std::string& record) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < until) {
    const std::string text = read_file(record);
    if (text.find("\"items_done\": 0") == std::string::npos && text.find("items_done") != std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

TEST(ScatterChunked, InterruptedRunResumesAndOtherJobsStartAgain) {
  const std::string dir = wst::test::temp_dir();
  const std::string images = save_noise<float>(dir + "/images.npy", {400, 28, 28}, 3);
  ASSERT_EQ(run_cli("scatter2d --J 2 --plan estimate " + images + " " + dir + "/whole.npy").code, 0);
  const std::string out = dir + "/out.npy";
  const int status = interrupt_after_first_chunks(
      {wst::test::cli_path(), "scatter2d", "--J", "2", "--plan", "estimate", "--threads", "1",
       "--chunk", "1", images, out}, out + ".partial.json");
  ASSERT_TRUE(WIFSIGNALED(status) || WIFEXITED(status));
  ASSERT_FALSE(fs::exists(out)) << "interrupted before the end: no OUT yet";
  ASSERT_TRUE(fs::exists(out + ".partial"));
  const auto resumed = run_cli("scatter2d --J 2 --plan estimate --chunk 50 " + images + " " + out);
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming"), std::string::npos) << resumed.err;
  EXPECT_EQ(read_file(out), read_file(dir + "/whole.npy"));
  EXPECT_FALSE(fs::exists(out + ".partial"));
  EXPECT_FALSE(fs::exists(out + ".partial.json"));

  // A partial output of other options (J = 2) is not reused for J = 1.
  const std::string other = dir + "/other.npy";
  interrupt_after_first_chunks({wst::test::cli_path(), "scatter2d", "--J", "2", "--plan",
                                "estimate", "--threads", "1", "--chunk", "1", images, other},
                               other + ".partial.json");
  ASSERT_EQ(run_cli("scatter2d --J 1 --plan estimate " + images + " " + dir + "/j1.npy").code, 0);
  const auto fresh = run_cli("scatter2d --J 1 --plan estimate --chunk 64 " + images + " " + other);
  ASSERT_EQ(fresh.code, 0) << fresh.err;
  EXPECT_EQ(fresh.err.find("resuming"), std::string::npos) << fresh.err;
  EXPECT_EQ(read_file(other), read_file(dir + "/j1.npy"));
}

TEST(ScatterChunked, ErrorsLeaveNothingBehind) {
  const std::string dir = wst::test::temp_dir();
  wst::Array<float> x({12, 16, 16}, std::vector<float>(12 * 16 * 16, 0.5f));
  x.data[9 * 256 + 7] = NAN;  // in the fourth chunk of 3
  wst::write_npy(dir + "/nan.npy", x);
  const auto r = run_cli("scatter2d --J 2 --plan estimate --chunk 3 " + dir + "/nan.npy " + dir +
                         "/out.npy");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("nan.npy"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("NaN"), std::string::npos) << r.err;
  EXPECT_EQ(wst::test::list_dir(dir), std::vector<std::string>{"nan.npy"});
  const auto npz = run_cli("scatter1d --J 3 --T 0 --chunk 3 " + dir + "/nan.npy " + dir + "/o.npz");
  EXPECT_EQ(npz.code, 2) << npz.err;
  EXPECT_NE(npz.err.find("--chunk"), std::string::npos) << npz.err;
  const auto zero = run_cli("scatter2d --J 2 --chunk 0 " + dir + "/nan.npy " + dir + "/o.npy");
  EXPECT_EQ(zero.code, 2) << zero.err;
  EXPECT_NE(zero.err.find("--chunk"), std::string::npos) << zero.err;
  EXPECT_EQ(wst::test::list_dir(dir), std::vector<std::string>{"nan.npy"});
}

}  // namespace
