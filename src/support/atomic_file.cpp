#include "wst/support/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "wst/support/error.hpp"
#include "wst/support/temporary.hpp"  // temporaries removed on an interrupt

namespace wst {

namespace {

[[noreturn]] void write_error(const std::string& path, int err) {
  throw IoError(path + ": cannot write: " + std::strerror(err));
}

// The path a write to `path` lands on: a symlink is followed (even a dangling one), so that the
// link stays a link and its target gets the new content.
std::string resolve_target(const std::string& path) {
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
  if (char* real = ::realpath(path.c_str(), nullptr)) {
    std::string out(real);
    std::free(real);
    return out;
  }
  std::string link(PATH_MAX, '\0');
  const ssize_t n = ::readlink(path.c_str(), link.data(), link.size());
  if (n <= 0) return path;
  link.resize(std::size_t(n));
  const auto slash = path.rfind('/');
  if (link[0] == '/' || slash == std::string::npos) return link;
  return path.substr(0, slash + 1) + link;
}

// Removes "<base>.tmp.<pid>.<n>" files beside `target` left by processes that no longer exist.
void remove_stale_temp_files(const std::string& target) {
  const auto slash = target.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : target.substr(0, slash + 1);
  const std::string prefix =
      (slash == std::string::npos ? target : target.substr(slash + 1)) + ".tmp.";
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
  if (!d) return;
  while (const dirent* e = ::readdir(d.get())) {
    const std::string_view name = e->d_name;
    if (!name.starts_with(prefix)) continue;
    const std::string_view rest = name.substr(prefix.size());
    long pid = 0;
    const auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
    if (ec != std::errc() || pid <= 0 || p == rest.data() + rest.size() || *p != '.') continue;
    if (std::string_view(p + 1, rest.data() + rest.size()).find_first_not_of("0123456789") !=
        std::string_view::npos)
      continue;
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
      ::unlink((slash == std::string::npos ? std::string(name) : dir + std::string(name)).c_str());
  }
}

}  // namespace

class AtomicFile::Impl {
 public:
  explicit Impl(const std::string& path) : target_(resolve_target(path)) {
    struct stat st{};
    if (::stat(target_.c_str(), &st) == 0) {
      if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
        fd_ = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd_ < 0) write_error(path, errno);
        direct_ = true;
        return;
      }
      const char* kind = S_ISBLK(st.st_mode)    ? "a block device"
                         : S_ISSOCK(st.st_mode) ? "a socket"
                         : S_ISDIR(st.st_mode)  ? "a folder"
                                                : nullptr;
      if (kind)
        throw IoError(path + ": cannot write: is " + std::string(kind) + "; refusing to write to it");
      if ((st.st_mode & 0222) == 0 || ::access(target_.c_str(), W_OK) != 0)
        throw IoError(path + ": cannot write: Permission denied (the file is read-only)");
      mode_ = st.st_mode & 07777;
      hard_linked_ = st.st_nlink > 1;
    }
    static std::atomic<unsigned> counter{0};
    int err = 0;
    for (int attempt = 0; attempt < 100 && fd_ < 0; ++attempt) {
      const std::string name =
          target_ + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
      guard_ = RemoveOnInterrupt::created_by([&] {
        fd_ = ::open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        err = errno;
        return fd_ >= 0 ? name : std::string();
      });
      if (fd_ >= 0)
        path_ = name;
      else if (err != EEXIST)
        break;
    }
    if (fd_ < 0) write_error(path, err);
    if (mode_ && ::fchmod(fd_, *mode_) != 0) write_error(path, errno);
    remove_stale_temp_files(target_);
  }
  ~Impl() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }

  void write(std::span<const char> bytes) { write_all(fd_, bytes); }

  // Flushes to disk and puts the data in place.
  void commit() {
    if (direct_) {
      if (::close(std::exchange(fd_, -1)) != 0) write_error(target_, errno);
      return;
    }
    if (::fsync(fd_) != 0) write_error(target_, errno);
    if (hard_linked_) {
      copy_into_target();
    } else {
      if (::close(std::exchange(fd_, -1)) != 0) write_error(target_, errno);
      if (::rename(path_.c_str(), target_.c_str()) != 0) write_error(target_, errno);
      path_.clear();
    }
    guard_.reset();
  }

 private:
  void write_all(int fd, std::span<const char> bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) write_error(target_, errno);
      bytes = bytes.subspan(std::size_t(n));
    }
  }

  void copy_into_target() {
    struct Fd {
      int fd;
      ~Fd() {
        if (fd >= 0) ::close(fd);
      }
    } target{::open(target_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC)};
    const int out = target.fd;
    if (out < 0) write_error(target_, errno);
    if (::lseek(fd_, 0, SEEK_SET) != 0) write_error(target_, errno);
    std::vector<char> buf(1 << 20);
    for (;;) {
      const ssize_t n = ::read(fd_, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) write_error(target_, errno);
      if (n == 0) break;
      write_all(out, {buf.data(), std::size_t(n)});
    }
    if (::fsync(out) != 0) write_error(target_, errno);
    if (::close(std::exchange(target.fd, -1)) != 0) write_error(target_, errno);
  }

  std::string target_, path_;
  int fd_ = -1;
  bool direct_ = false, hard_linked_ = false;
  std::optional<mode_t> mode_;
  RemoveOnInterrupt guard_;
};

AtomicFile::AtomicFile(const std::string& path) : impl_(std::make_unique<Impl>(path)) {}
AtomicFile::~AtomicFile() = default;
void AtomicFile::write(std::span<const char> bytes) { impl_->write(bytes); }
void AtomicFile::commit() { impl_->commit(); }

void write_file_atomic(const std::string& path, const std::string& text) {
  AtomicFile tmp(path);
  tmp.write(text);
  tmp.commit();
}

}  // namespace wst
