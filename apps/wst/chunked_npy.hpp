// Out-of-core .npy for the scatter commands (--chunk): IN read in place through a read-only
// memory map, OUT written a chunk of items at a time, resumable, and in place only at the end.
#pragma once
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "wst/io/npy.hpp"

namespace wst::cli {

// The values of a .npy file mapped read-only (the page cache holds them, not the heap).
class MappedNpy {
 public:
  explicit MappedNpy(const std::string& path);  // read_npy's errors; IoError if mmap fails
  ~MappedNpy();
  MappedNpy(const MappedNpy&) = delete;
  MappedNpy& operator=(const MappedNpy&) = delete;
  const NpyLayout& layout() const { return layout_; }
  const void* values() const;

 private:
  NpyLayout layout_;
  void* map_ = nullptr;
  std::size_t length_ = 0;
};

// OUT as a .npy of `items` items of `item_bytes` each, under `header` (npy_header). The values go
// to OUT.partial; OUT.partial.json records `identity` (what makes the result: input, options)
// and how many items are finished, rewritten atomically after each chunk reaches the disk. A new
// writer for the same OUT and identity resumes after the finished items; any other identity
// starts again. commit() renames OUT.partial to OUT and removes the record.
class ChunkedNpyWriter {
 public:
  ChunkedNpyWriter(std::string out, const std::string& header, std::size_t item_bytes,
                   std::size_t items, nlohmann::json identity);
  ~ChunkedNpyWriter();
  ChunkedNpyWriter(const ChunkedNpyWriter&) = delete;
  ChunkedNpyWriter& operator=(const ChunkedNpyWriter&) = delete;
  std::size_t done() const { return done_; }  // items already in OUT.partial
  // Items [done(), done() + count) from `data`; then they count as done.
  void append(const void* data, std::size_t count);
  void commit();
  // After an error: OUT.partial and its record removed (only an interrupt leaves them to resume).
  void discard() noexcept;

 private:
  void record() const;
  std::string out_, partial_, record_;
  std::size_t offset_, item_bytes_, items_, done_ = 0;
  nlohmann::json identity_;
  int fd_ = -1;
};

}  // namespace wst::cli
