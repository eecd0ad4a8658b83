// Temporary files and folders removed when the process is interrupted (see temporary.hpp).
#include "wst/support/temporary.hpp"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>  // mkdtemp, getenv
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "wst/support/error.hpp"

namespace wst {
namespace {

struct Entry {
  std::string path;  // removed (with its contents) on an interrupt, if not empty
  pid_t pgid = 0;    // killed on an interrupt, if not 0
};

// Never destroyed: the signal thread may use it while static objects are being destroyed.
struct Registry {
  std::mutex lock;
  std::map<std::uint64_t, Entry> entries;
  std::uint64_t next_id = 1;
  bool installed = false;
  sigset_t original_mask{};
};

Registry& registry() {
  static Registry* r = new Registry;
  return *r;
}

std::uint64_t add_locked(Registry& r, Entry e) {
  const std::uint64_t id = r.next_id++;
  r.entries.emplace(id, std::move(e));
  return id;
}

std::uint64_t add(Entry e) {
  Registry& r = registry();
  std::lock_guard<std::mutex> hold(r.lock);
  return add_locked(r, std::move(e));
}

void remove_entry(std::uint64_t id) noexcept {
  if (id == 0) return;
  Registry& r = registry();
  std::lock_guard<std::mutex> hold(r.lock);
  r.entries.erase(id);
}

sigset_t interrupt_signals() {
  sigset_t set;
  sigemptyset(&set);
  // Every signal that kills by default and can come from outside. SIGPIPE and SIGXFSZ, once
  // blocked, turn into EPIPE and EFBIG errors of write(), reported and cleaned up as usual.
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF,
                  SIGXCPU, SIGXFSZ, SIGPIPE})
    sigaddset(&set, sig);
  return set;
}

// SIGKILL takes effect asynchronously: a child on another core may still finish a write into a
// temporary folder. Waits (at most 2 s, never hanging) until the group's processes have died.
void reap_group(pid_t pgid) {
  for (int i = 0; i < 200; ++i) {
    int status = 0;
    const pid_t got = ::waitpid(-pgid, &status, WNOHANG);
    if (got < 0) return;  // none left in the group (ECHILD), or not ours to wait for
    if (got == 0) ::usleep(10000);
  }
}

// remove_all, again if something appeared in the folder meanwhile (a bounded number of times).
void remove_folder(const std::string& path) {
  for (int i = 0; i < 20; ++i) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    if (!std::filesystem::exists(path, ec)) return;
    ::usleep(10000);
  }
}

// The signal thread: waits, cleans up, and dies of the signal. The registry stays locked from the
// clean-up to the end, so no other thread can create a temporary that would survive it.
[[noreturn]] void wait_for_interrupt(sigset_t set) {
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  Registry& r = registry();
  r.lock.lock();
  for (const auto& [id, e] : r.entries)
    if (e.pgid > 0) ::kill(-e.pgid, SIGKILL);  // first, so that no child writes into a folder
  for (const auto& [id, e] : r.entries)
    if (e.pgid > 0) reap_group(e.pgid);
  for (const auto& [id, e] : r.entries)
    if (!e.path.empty()) remove_folder(e.path);
  ::signal(sig, SIG_DFL);
  sigset_t one;
  sigemptyset(&one);
  sigaddset(&one, sig);
  ::pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
  ::raise(sig);    // the default action: the process ends as if the signal had not been caught
  ::_exit(128 + sig);  // only if the default action does not end it (not for these signals)
}

}  // namespace

RemoveOnInterrupt::RemoveOnInterrupt(RemoveOnInterrupt&& other) noexcept
    : id_(std::exchange(other.id_, 0)) {}

RemoveOnInterrupt& RemoveOnInterrupt::operator=(RemoveOnInterrupt&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

void RemoveOnInterrupt::reset() noexcept { remove_entry(std::exchange(id_, 0)); }

RemoveOnInterrupt RemoveOnInterrupt::created_by(const std::function<std::string()>& create) {
  Registry& r = registry();
  std::lock_guard<std::mutex> hold(r.lock);
  RemoveOnInterrupt guard;
  if (std::string path = create(); !path.empty()) guard.id_ = add_locked(r, {std::move(path), 0});
  return guard;
}

KillOnInterrupt::KillOnInterrupt(pid_t pgid) : id_(add({{}, pgid})) {}

void KillOnInterrupt::reset() noexcept { remove_entry(std::exchange(id_, 0)); }

TempFolder::TempFolder(std::string pattern) {
  int err = 0;
  guard_ = RemoveOnInterrupt::created_by([&] {
    if (::mkdtemp(pattern.data())) return pattern;
    err = errno;
    return std::string();
  });
  if (err != 0) throw IoError(pattern + ": cannot create a temporary folder: " + std::strerror(err));
  path_ = std::move(pattern);
}

TempFolder::~TempFolder() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void TempFolder::release() noexcept {
  guard_.reset();
  path_.clear();
}

std::string temp_folder_pattern(const std::string& name) {
  const char* base = std::getenv("TMPDIR");
  return std::string(base && *base ? base : "/tmp") + "/" + name + "-" +
         std::to_string(::getpid()) + "-XXXXXX";
}

std::string temp_folder_parent() {
  const char* base = std::getenv("TMPDIR");
  return base && *base ? base : "/tmp";
}

void remove_stale_temporaries(const std::string& folder, const std::string& name) {
  const std::string prefix = name + "-";
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(folder, ec)) {
    const std::string n = e.path().filename().string();
    if (!n.starts_with(prefix)) continue;
    const std::size_t dash = n.find('-', prefix.size());
    if (dash == std::string::npos || dash == prefix.size() || n.size() - dash - 1 != 6) continue;
    const std::string pid = n.substr(prefix.size(), dash - prefix.size());
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    if (::kill(pid_t(std::stol(pid)), 0) == 0 || errno != ESRCH) continue;
    std::error_code rm;
    if (e.is_directory(rm) && !e.is_symlink(rm)) std::filesystem::remove_all(e.path(), rm);
  }
}

void remove_temporaries_on_signals() {
  Registry& r = registry();
  {
    std::lock_guard<std::mutex> hold(r.lock);
    if (r.installed) return;
    r.installed = true;
    const sigset_t set = interrupt_signals();
    ::pthread_sigmask(SIG_BLOCK, &set, &r.original_mask);
  }
  std::thread(wait_for_interrupt, interrupt_signals()).detach();
}

void spawn_with_original_signal_mask(posix_spawnattr_t* attr) {
  Registry& r = registry();
  std::lock_guard<std::mutex> hold(r.lock);
  if (!r.installed) return;
  short flags = 0;
  posix_spawnattr_getflags(attr, &flags);
  posix_spawnattr_setflags(attr, short(flags | POSIX_SPAWN_SETSIGMASK));
  posix_spawnattr_setsigmask(attr, &r.original_mask);
}

}  // namespace wst
