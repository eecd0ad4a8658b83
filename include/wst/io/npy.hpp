// NumPy .npy reading and writing (format versions 1.0, 2.0 and 3.0; little-endian, C order).
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
#pragma once
#include <complex>
#include <cstdint>
#include <string>
#include <variant>

#include "wst/support/array.hpp"

namespace wst {

// The dtypes wst reads and writes: '<f4', '<f8', '<i8', and complex '<c8', '<c16' (interleaved
// real/imaginary parts, the layout of std::complex).
using NpyArray = std::variant<Array<float>, Array<double>, Array<std::int64_t>,
                              Array<std::complex<float>>, Array<std::complex<double>>>;

// Reads a .npy file. Throws IoError if the file cannot be opened, InputError (naming the file,
// what was found and what is supported) for anything else: bad magic, truncated header or data,
// big-endian or unsupported dtype, Fortran order, object arrays.
NpyArray read_npy(const std::string& path);

// Where the values of a .npy file lie, for reading them in place (memory-mapped): its dtype
// ('<f4', '<f8', '<i8', '<c8', '<c16'), its shape, and the byte offset of the values. The header
// is checked as read_npy checks it (same errors), and the file must hold all the values.
struct NpyLayout {
  std::string descr;
  Shape shape;
  std::size_t offset = 0;
};
NpyLayout read_npy_layout(const std::string& path);

// Reads a .npy file of any supported dtype and converts its values to T (for reference data).
// A complex file read as a real T is an InputError (the imaginary part would be lost).
template <class T>
Array<T> read_npy_as(const std::string& path);

// The dtype of an array as NumPy writes it ('<f4', '<f8', '<i8', '<c8', '<c16').
std::string npy_dtype_name(const NpyArray& a);

// The header of a .npy file (version 1.0, or 2.0 for very long shapes) of dtype T and `shape`,
// padded to 64 bytes: the file is this, then the values in C order. InputError naming `what`
// beyond NumPy's 32 dimensions.
template <class T>
std::string npy_header(const Shape& shape, const std::string& what);

// Writes a version-1.0 .npy file atomically: to "<path>.tmp.<pid>.<n>" in the same folder, then
// renamed. On failure nothing new is left at `path` (IoError). Stale temporaries of dead processes
// beside `path` are removed. Special cases:
//  - a character device or FIFO is written straight into, never replaced;
//  - a symlink is followed: the write happens atomically at its (possibly dangling) target;
//  - an existing file keeps its permission bits; a hard-linked one (more names than one) gets the
//    new content copied in, so all names see it: not atomic;
//  - a read-only file, block device, socket or folder is refused (IoError), left untouched.
template <class T>
void write_npy(const std::string& path, const Array<T>& a);

}  // namespace wst
