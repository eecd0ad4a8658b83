// NumPy .npz writing: an uncompressed zip archive of .npy files, as numpy.savez writes it
// (https://numpy.org/doc/stable/reference/generated/numpy.savez.html; the zip format: PKWARE
// APPNOTE.TXT 6.3, §4.3). np.load(path)[name] gives each array back.
#pragma once
#include <cstddef>
#include <string>

#include "wst/support/array.hpp"

namespace wst {

// An .npz built in memory, entry by entry, then written atomically (as write_npy writes).
// Entries are stored (no compression) with a fixed date, so equal contents make equal files.
// Without ZIP64: at most kMaxEntries entries and kMaxBytes bytes in all.
class NpzWriter {
 public:
  static constexpr std::size_t kMaxEntries = 0xFFFF;
  static constexpr std::size_t kMaxBytes = 0xFFFFFFFFu;

  // Adds `a` as the entry "<name>.npy". InputError when the archive would outgrow the limits.
  template <class T>
  void add(const std::string& name, const Array<T>& a);
  std::size_t entries() const { return entries_; }
  // Writes the archive to `path` (IoError if that fails; nothing new is left there).
  void write(const std::string& path) const;

 private:
  void add_file(const std::string& name, const std::string& bytes);
  std::string local_, central_;
  std::size_t entries_ = 0;
};

}  // namespace wst
