// Outputs never replace special files, follow symlinks, keep hard links and permissions, refuse
// read-only files, and leave no temporaries behind on signals or write errors.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "test_support.hpp"
#include "wst/support/error.hpp"
#include "wst/io/npy.hpp"
#include "wst/support/temporary.hpp"
#include "wst/support/atomic_file.hpp"

namespace wst::test {
namespace {

namespace fs = std::filesystem;

bool has_temp(const std::string& dir) {
  for (const auto& n : list_dir(dir))
    if (n.find(".tmp.") != std::string::npos) return true;
  return false;
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

TEST(OutputSafety, SymlinkStaysALink) {
  const std::string dir = temp_dir();
  write_text(dir + "/target.txt", "old");
  fs::create_symlink("target.txt", dir + "/link.txt");
  write_file_atomic(dir + "/link.txt", "new");
  EXPECT_TRUE(fs::is_symlink(dir + "/link.txt"));
  EXPECT_EQ(read_file(dir + "/target.txt"), "new");
  fs::create_symlink("absent.npy", dir + "/dangling.npy");
  write_npy(dir + "/dangling.npy", Array<float>({2}, {1, 2}));
  EXPECT_TRUE(fs::is_symlink(dir + "/dangling.npy"));
  EXPECT_EQ(read_npy_as<float>(dir + "/absent.npy").data, (std::vector<float>{1, 2}));
  EXPECT_FALSE(has_temp(dir));
}

TEST(OutputSafety, ReadOnlyFileIsRefused) {
  const std::string dir = temp_dir(), path = dir + "/ro.npy";
  write_text(path, "keep");
  ::chmod(path.c_str(), 0444);
  try {
    write_npy(path, Array<float>({1}, {1}));
    ADD_FAILURE() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("read-only"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read_file(path), "keep");
  write_npy(dir + "/in.npy", Array<float>({8}));
  const CliResult r = run_cli("fft " + dir + "/in.npy " + path);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot write: Permission denied (the file is read-only)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(read_file(path), "keep");
  EXPECT_FALSE(has_temp(dir));
}

TEST(OutputSafety, HardLinksAndModeAreKept) {
  const std::string dir = temp_dir();
  write_text(dir + "/a", "old");
  fs::create_hard_link(dir + "/a", dir + "/b");
  write_file_atomic(dir + "/a", "new content");
  EXPECT_EQ(read_file(dir + "/a"), "new content");
  EXPECT_EQ(read_file(dir + "/b"), "new content");
  EXPECT_EQ(fs::hard_link_count(dir + "/a"), 2u);
  write_text(dir + "/m", "x");
  ::chmod((dir + "/m").c_str(), 0640);
  write_file_atomic(dir + "/m", "y");
  struct stat st{};
  ASSERT_EQ(::stat((dir + "/m").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_FALSE(has_temp(dir));
}

TEST(OutputSafety, FifoAndCharDeviceAreWrittenInto) {
  const std::string dir = temp_dir(), fifo = dir + "/out.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = read_file(fifo); });
  write_file_atomic(fifo, "through the pipe");
  reader.join();
  EXPECT_EQ(got, "through the pipe");
  struct stat st{};
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  write_file_atomic("/dev/null", "discarded");
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_FALSE(has_temp(dir));
  EXPECT_THROW(write_file_atomic(dir, "x"), IoError);  // a folder
}

TEST(OutputSafety, StaleTemporaryOfADeadProcessIsRemoved) {
  const std::string dir = temp_dir();
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  const std::string stale = dir + "/x.npy.tmp." + std::to_string(child) + ".0";
  const std::string alive = dir + "/x.npy.tmp." + std::to_string(::getpid()) + ".999";
  write_text(stale, "stale");
  write_text(alive, "alive");
  write_npy(dir + "/x.npy", Array<float>({1}, {1}));
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(alive));
}

// A 128 MB `fft --full` output written by the CLI in the background.
std::string big_input() {
  static const std::string path = [] {
    const std::string p = temp_dir() + "/big.npy";
    write_npy(p, Array<float>({std::size_t(1) << 24}));
    return p;
  }();
  return path;
}

// Runs `wst fft --full` into `dir`, with `setup` run in the child before exec; returns its status.
template <class F, class G>
int run_big_fft(const std::string& dir, F setup, G while_running) {
  const std::string out = dir + "/out.npy";
  const pid_t pid = ::fork();
  if (pid == 0) {
    setup();
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 2);
    ::setenv("WST_WISDOM_DIR", dir.c_str(), 1);
    ::execl(WST_CLI, WST_CLI, "fft", "--full", big_input().c_str(), out.c_str(), nullptr);
    ::_exit(127);
  }
  while_running(pid);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

class Signals : public ::testing::TestWithParam<int> {};

TEST_P(Signals, InterruptedWriteLeavesNoTemporary) {
  const std::string dir = temp_dir();
  big_input();
  const int status = run_big_fft(dir, [] {}, [&](pid_t pid) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!has_temp(dir) && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    ::kill(pid, GetParam());
  });
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == GetParam()) << status;
  EXPECT_FALSE(has_temp(dir));
  EXPECT_FALSE(fs::exists(dir + "/out.npy"));
}

INSTANTIATE_TEST_SUITE_P(OutputSafety, Signals,
                         ::testing::Values(SIGQUIT, SIGUSR1, SIGALRM, SIGUSR2, SIGPIPE));

TEST(OutputSafety, FileSizeLimitGivesAnErrorAndNoTemporary) {
  const std::string dir = temp_dir();
  big_input();
  const int status = run_big_fft(dir, [] {
    const rlimit lim{1 << 20, 1 << 20};
    ::setrlimit(RLIMIT_FSIZE, &lim);
  }, [](pid_t) {});
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << status;
  EXPECT_FALSE(has_temp(dir));
  EXPECT_FALSE(fs::exists(dir + "/out.npy"));
}

TEST(OutputSafety, WisdomFifoDoesNotHang) {
  const std::string dir = temp_dir();
  ASSERT_EQ(::mkfifo((dir + "/wisdom-f32").c_str(), 0600), 0);
  write_npy(dir + "/in.npy", Array<float>({8}));
  const int code = std::system(("WST_WISDOM_DIR=" + dir + " timeout 20 " + WST_CLI + " fft " +
                                dir + "/in.npy " + dir + "/out.npy 2>/dev/null").c_str());
  EXPECT_TRUE(WIFEXITED(code) && WEXITSTATUS(code) == 0) << code;
  EXPECT_TRUE(fs::exists(dir + "/out.npy"));
}

TEST(OutputSafety, StaleTempFolderOfADeadProcessIsRemoved) {
  const std::string dir = temp_dir();
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  const std::string stale = dir + "/report-" + std::to_string(child) + "-abcdef";
  fs::create_directories(stale + "/sub");
  TempFolder mine(dir + "/report-" + std::to_string(::getpid()) + "-XXXXXX");
  remove_stale_temporaries(dir, "report");
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(mine.path()));
  EXPECT_NE(temp_folder_pattern("report").find("/report-" + std::to_string(::getpid()) + "-"),
            std::string::npos);
}

}  // namespace
}  // namespace wst::test
