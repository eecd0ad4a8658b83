// .npz writing: stored zip entries (PKWARE APPNOTE.TXT 6.3: local header §4.3.7, central
// directory §4.3.12, end of central directory §4.3.16), CRC-32 by zlib.
#include "wst/io/npz.hpp"

#include <zlib.h>

#include <complex>
#include <cstdint>

#include "wst/io/npy.hpp"
#include "wst/support/atomic_file.hpp"
#include "wst/support/error.hpp"

namespace wst {

namespace {

// Little-endian integer of `bytes` bytes.
void put(std::string& s, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) s += static_cast<char>((v >> (8 * i)) & 0xFF);
}

// From "version needed to extract" to "extra field length": what both headers hold.
void common(std::string& s, const std::string& name, std::size_t size, std::uint32_t crc) {
  put(s, 20, 2);                           // version needed: 2.0
  put(s, 0, 2);                            // flags
  put(s, 0, 2);                            // method: stored
  put(s, 0, 2);                            // time 00:00:00
  put(s, (0u << 9) | (1u << 5) | 1u, 2);   // date 1980-01-01
  put(s, crc, 4);
  put(s, size, 4);                         // compressed size
  put(s, size, 4);                         // uncompressed size
  put(s, name.size(), 2);
  put(s, 0, 2);                            // extra field length
}

std::uint32_t crc32_of(const std::string& bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  for (std::size_t at = 0; at < bytes.size();) {  // zlib takes lengths as uInt
    const std::size_t n = std::min<std::size_t>(bytes.size() - at, 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + at), uInt(n));
    at += n;
  }
  return std::uint32_t(crc);
}

}  // namespace

template <class T>
void NpzWriter::add(const std::string& name, const Array<T>& a) {
  if (a.size() != shape_size(a.shape))
    throw InputError(name + ": an array of shape " + shape_string(a.shape) + " holding " +
                     std::to_string(a.size()) + " values");
  std::string bytes = npy_header<T>(a.shape, name);
  bytes.append(reinterpret_cast<const char*>(a.data.data()), a.size() * sizeof(T));
  add_file(name + ".npy", bytes);
}

void NpzWriter::add_file(const std::string& name, const std::string& bytes) {
  const std::size_t after = local_.size() + central_.size() + 2 * (46 + name.size()) +
                            bytes.size() + 22;
  if (entries_ + 1 > kMaxEntries || after > kMaxBytes || name.size() > 0xFFFF)
    throw InputError("an .npz holds at most " + std::to_string(kMaxEntries) +
                     " arrays and 4 GiB without ZIP64, which wst does not write: '" + name +
                     "' does not fit");
  const std::uint32_t crc = crc32_of(bytes);
  const std::size_t offset = local_.size();
  put(local_, 0x04034b50, 4);
  common(local_, name, bytes.size(), crc);
  local_ += name;
  local_ += bytes;
  put(central_, 0x02014b50, 4);
  put(central_, 20, 2);  // made by: version 2.0
  common(central_, name, bytes.size(), crc);
  put(central_, 0, 2);   // comment length
  put(central_, 0, 2);   // disk number
  put(central_, 0, 2);   // internal attributes
  put(central_, 0, 4);   // external attributes
  put(central_, offset, 4);
  central_ += name;
  ++entries_;
}

void NpzWriter::write(const std::string& path) const {
  std::string end;
  put(end, 0x06054b50, 4);
  put(end, 0, 2);  // this disk
  put(end, 0, 2);  // the disk of the central directory
  put(end, entries_, 2);
  put(end, entries_, 2);
  put(end, central_.size(), 4);
  put(end, local_.size(), 4);
  put(end, 0, 2);  // comment length
  AtomicFile file(path);
  file.write(local_);
  file.write(central_);
  file.write(end);
  file.commit();
}

template void NpzWriter::add<float>(const std::string&, const Array<float>&);
template void NpzWriter::add<double>(const std::string&, const Array<double>&);
template void NpzWriter::add<std::int64_t>(const std::string&, const Array<std::int64_t>&);
template void NpzWriter::add<std::complex<float>>(const std::string&,
                                                  const Array<std::complex<float>>&);
template void NpzWriter::add<std::complex<double>>(const std::string&,
                                                   const Array<std::complex<double>>&);

}  // namespace wst
