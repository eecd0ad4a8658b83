// Temporary files and folders, and what an interrupted run does with them.
//
// Every writer creates its output under a temporary name and renames it into place, so a failed
// run leaves nothing. A run killed by a signal never reaches its destructors;
// the temporaries alive at that moment are listed in a registry, and the thread started by
// remove_temporaries_on_signals() removes them (and kills registered child process groups)
// before the process dies of the signal it received.
#pragma once

#include <spawn.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>

namespace wst {

// The registration of a path (a file, or a folder removed with its contents) for removal if the
// process is interrupted; unregisters on destruction or reset(). It never removes anything itself.
class RemoveOnInterrupt {
 public:
  RemoveOnInterrupt() = default;
  RemoveOnInterrupt(RemoveOnInterrupt&& other) noexcept;
  RemoveOnInterrupt& operator=(RemoveOnInterrupt&& other) noexcept;
  RemoveOnInterrupt(const RemoveOnInterrupt&) = delete;
  RemoveOnInterrupt& operator=(const RemoveOnInterrupt&) = delete;
  ~RemoveOnInterrupt() { reset(); }
  void reset() noexcept;

  // Runs `create`, which makes a file or folder and returns its path ("" if it made nothing),
  // and registers that path, with no interrupt clean-up able to run in between.
  static RemoveOnInterrupt created_by(const std::function<std::string()>& create);

 private:
  std::uint64_t id_ = 0;
};

// Registers the process group `pgid` (a child started in its own group) to be sent SIGKILL if
// the process is interrupted; unregisters on destruction or reset().
class KillOnInterrupt {
 public:
  KillOnInterrupt() = default;
  explicit KillOnInterrupt(pid_t pgid);
  KillOnInterrupt(const KillOnInterrupt&) = delete;
  KillOnInterrupt& operator=(const KillOnInterrupt&) = delete;
  ~KillOnInterrupt() { reset(); }
  void reset() noexcept;

 private:
  std::uint64_t id_ = 0;
};

// A fresh folder made by mkdtemp from `pattern` (ending in XXXXXX), registered for removal on an
// interrupt, and removed with its contents on destruction unless release()d. Throws IoError.
class TempFolder {
 public:
  explicit TempFolder(std::string pattern);
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  ~TempFolder();
  const std::string& path() const { return path_; }
  // The folder now belongs to the caller (e.g. it was renamed into place).
  void release() noexcept;

 private:
  std::string path_;
  RemoveOnInterrupt guard_;
};

// "$TMPDIR/<name>-<pid>-XXXXXX" ($TMPDIR defaulting to /tmp), a pattern for TempFolder.
std::string temp_folder_pattern(const std::string& name);

// $TMPDIR, or /tmp: the folder temp_folder_pattern() names.
std::string temp_folder_parent();

// Removes the folders "<folder>/<name>-<pid>-XXXXXX" (as made from a "<name>-<pid>-XXXXXX"
// pattern) whose process no longer exists: what a run killed by SIGKILL left. Best effort.
void remove_stale_temporaries(const std::string& folder, const std::string& name);

// Blocks every signal whose default action ends the process and that can be sent from outside
// (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
// SIGPIPE) in the calling thread (and so in every thread started after) and starts a thread that
// waits for them. Blocked, a SIGPIPE or SIGXFSZ caused by a write makes it fail with EPIPE or
// EFBIG instead, an IoError whose temporary is removed as usual. On one, it removes every registered path, kills every
// registered process group and then lets the signal kill the process (exit status as before).
// Signals the process ignores (e.g. SIGINT of a background job) stay ignored. Call it first in
// main(), before any other thread exists; later calls do nothing. A library user who never calls
// it keeps the default behaviour.
void remove_temporaries_on_signals();

// For posix_spawn: the child starts with the signal mask the process had before
// remove_temporaries_on_signals() (sets POSIX_SPAWN_SETSIGMASK on `attr`).
void spawn_with_original_signal_mask(posix_spawnattr_t* attr);

}  // namespace wst
