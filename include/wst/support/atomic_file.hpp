// Atomic output files: what every writer of wst (.npy, PNG, WAV, JSON, reports) goes through.
#pragma once
#include <memory>
#include <span>
#include <string>

namespace wst {

// Where an output goes. A character device or FIFO is written straight into (never replaced).
// Otherwise the data goes to "<target>.tmp.<pid>.<n>", created exclusively beside the target
// (a symlink's target), which commit() renames onto it, keeping an existing file's permissions.
// A hard-linked file (more than one name) instead gets the temporary's content copied into it,
// so that every name sees it: not atomic. A read-only file, block device, socket or folder is
// refused. The temporary is removed on destruction unless committed, and by the clean-up of an
// interrupted process (support/temporary.hpp).
class AtomicFile {
 public:
  explicit AtomicFile(const std::string& path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::span<const char> bytes);
  // Flushes to disk and puts the data in place.
  void commit();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes `text` to `path` through an AtomicFile (same special cases). Throws IoError.
void write_file_atomic(const std::string& path, const std::string& text);

}  // namespace wst
