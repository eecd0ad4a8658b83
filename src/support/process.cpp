#include "wst/support/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <thread>

#include "wst/support/error.hpp"
#include "wst/support/temporary.hpp"

extern char** environ;

namespace wst {

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

std::string find_on_path(const std::string& program) {
  const char* env = std::getenv("PATH");
  const std::string_view dirs = env && *env ? env : "/usr/local/bin:/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string dir(dirs.substr(start, end - start));
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (is_executable_file(candidate)) return candidate;
    start = end + 1;
  }
  return "";
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& out_path,
                          const std::string& err_path, std::chrono::milliseconds timeout) {
  if (argv.empty()) throw UsageError("run_process: argv is empty");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  if (err_path == out_path)
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
  else
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  spawn_with_original_signal_mask(&attr);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int err = posix_spawn(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (err != 0) throw IoError("cannot run " + argv[0] + ": " + std::strerror(err));
  const KillOnInterrupt kill_group(pid);  // an interrupted wst leaves no helper running
  // Wait for it to exit without reaping it (WNOWAIT): while it is a zombie its process group id
  // cannot be reused, so the helpers it left in the group can be killed safely.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  ProcessResult result;
  for (;;) {
    siginfo_t info{};
    const int options = WEXITED | WNOWAIT | (timeout.count() > 0 ? WNOHANG : 0);
    if (::waitid(P_PID, id_t(pid), &info, options) < 0 && errno != EINTR)
      throw IoError(std::string("waitid for ") + argv[0] + ": " + std::strerror(errno));
    if (info.si_pid == pid) break;
    if (timeout.count() > 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        result.timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ::kill(-pid, SIGKILL);  // it (on a timeout) and any helper it left behind
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!result.timed_out) {
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  }
  return result;
}

}  // namespace wst
