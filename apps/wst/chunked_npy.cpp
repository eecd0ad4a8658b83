#include "chunked_npy.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "wst/support/atomic_file.hpp"
#include "wst/support/error.hpp"

namespace wst::cli {

namespace {

std::string os_error(const std::string& what) { return what + ": " + std::strerror(errno); }

std::size_t bytes_of(const NpyLayout& l) {
  std::size_t n = l.descr == "<f4" ? 4 : l.descr == "<c16" ? 16 : 8;
  for (std::size_t d : l.shape) n *= d;  // read_npy_layout checked the product
  return n;
}

// The record of a partial OUT, or null when there is none (or it cannot be read).
nlohmann::json read_record(const std::string& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str(), nullptr, false);
}

}  // namespace

MappedNpy::MappedNpy(const std::string& path) : layout_(read_npy_layout(path)) {
  length_ = layout_.offset + bytes_of(layout_);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError(os_error(path + ": cannot open"));
  map_ = ::mmap(nullptr, length_, PROT_READ, MAP_SHARED, fd, 0);
  const int err = errno;
  ::close(fd);
  if (map_ == MAP_FAILED) {
    map_ = nullptr;
    errno = err;
    throw IoError(os_error(path + ": cannot map " + std::to_string(length_) + " bytes"));
  }
  ::madvise(map_, length_, MADV_SEQUENTIAL);
}

MappedNpy::~MappedNpy() {
  if (map_) ::munmap(map_, length_);
}

const void* MappedNpy::values() const { return static_cast<const char*>(map_) + layout_.offset; }

ChunkedNpyWriter::ChunkedNpyWriter(std::string out, const std::string& header,
                                   std::size_t item_bytes, std::size_t items,
                                   nlohmann::json identity)
    : out_(std::move(out)), partial_(out_ + ".partial"), record_(out_ + ".partial.json"),
      offset_(header.size()), item_bytes_(item_bytes), items_(items),
      identity_(std::move(identity)) {
  const nlohmann::json old = read_record(record_);
  const bool resume = old.is_object() && old.value("identity", nlohmann::json()) == identity_ &&
                      std::filesystem::exists(partial_);
  fd_ = ::open(partial_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (resume ? 0 : O_TRUNC), 0644);
  if (fd_ < 0) throw IoError(os_error(partial_ + ": cannot create"));
  if (resume) done_ = std::min<std::size_t>(old.value("items_done", std::size_t{0}), items_);
  if (!resume && ::pwrite(fd_, header.data(), header.size(), 0) != ssize_t(header.size())) {
    ::close(fd_);
    throw IoError(os_error(partial_ + ": cannot write"));
  }
  record();
}

ChunkedNpyWriter::~ChunkedNpyWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void ChunkedNpyWriter::append(const void* data, std::size_t count) {
  const char* p = static_cast<const char*>(data);
  std::size_t left = count * item_bytes_;
  off_t at = off_t(offset_ + done_ * item_bytes_);
  while (left > 0) {
    const ssize_t n = ::pwrite(fd_, p, left, at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw IoError(os_error(partial_ + ": cannot write"));
    p += n;
    at += n;
    left -= std::size_t(n);
  }
  if (::fdatasync(fd_) != 0) throw IoError(os_error(partial_ + ": cannot flush"));
  done_ += count;
  record();
}

void ChunkedNpyWriter::record() const {
  nlohmann::json r = {{"identity", identity_}, {"items", items_}, {"items_done", done_}};
  write_file_atomic(record_, r.dump(2) + "\n");
}

void ChunkedNpyWriter::commit() {
  if (done_ != items_)
    throw IoError(partial_ + ": " + std::to_string(done_) + " of " + std::to_string(items_) +
                  " items written, cannot finish");
  if (::fsync(fd_) != 0) throw IoError(os_error(partial_ + ": cannot flush"));
  ::close(fd_);
  fd_ = -1;
  if (::rename(partial_.c_str(), out_.c_str()) != 0)
    throw IoError(os_error(out_ + ": cannot move " + partial_ + " into place"));
  std::error_code ec;
  std::filesystem::remove(record_, ec);
}

void ChunkedNpyWriter::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  std::filesystem::remove(partial_, ec);
  std::filesystem::remove(record_, ec);
}

}  // namespace wst::cli
