// PNG images through libpng 1.6 (http://www.libpng.org/pub/png/libpng-manual.txt).
#include "wst/io/image.hpp"

#include <png.h>

#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "wst/support/error.hpp"
#include "wst/support/memory_budget.hpp"
#include "wst/support/atomic_file.hpp"

namespace wst {

namespace {

// How libpng errors are handled. libpng reports an error by calling an error function that must
// not return. Throwing a C++ exception from it would unwind through libpng's C frames, which is
// undefined unless libpng was built with -fexceptions (Debian's is not), so the only safe exit is
// longjmp back to a setjmp. longjmp skips destructors, and C++ makes it undefined to jump over a
// non-trivial one ([csetjmp.syn]): hence each function below that calls setjmp (read_header,
// read_rows, encode) holds only trivially destructible locals and builds no C++ object; the
// buffers and the png structs' owner live in their callers, which no longjmp crosses. The error
// and warning texts are copied into a plain struct reached through png_get_error_ptr.
struct PngMessages {
  char error[160] = "";
  char warning[160] = "";  // the first warning: libpng explains a rejected IHDR in warnings
};

void on_error(png_structp png, png_const_charp message) {
  auto* m = static_cast<PngMessages*>(png_get_error_ptr(png));
  std::snprintf(m->error, sizeof m->error, "%s", message);
  png_longjmp(png, 1);
}

void on_warning(png_structp png, png_const_charp message) {
  auto* m = static_cast<PngMessages*>(png_get_error_ptr(png));
  if (m->warning[0] == '\0') std::snprintf(m->warning, sizeof m->warning, "%s", message);
}

std::string describe(const PngMessages& m) {
  std::string text = m.error;
  if (m.warning[0] != '\0') text += std::string(" (") + m.warning + ")";
  return text;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// Owns a read or write png_struct and its info struct.
struct PngHandle {
  png_structp png = nullptr;
  png_infop info = nullptr;
  bool write = false;
  PngHandle() = default;
  PngHandle(const PngHandle&) = delete;
  PngHandle& operator=(const PngHandle&) = delete;
  ~PngHandle() {
    if (write)
      png_destroy_write_struct(&png, &info);
    else
      png_destroy_read_struct(&png, &info, nullptr);
  }
};

// The decoded layout after the transformations requested in read_header.
struct Layout {
  png_uint_32 width, height;
  int channels;   // 1 (gray) or 3 (RGB)
  int bit_depth;  // 8 or 16
  std::size_t rowbytes;
  std::size_t stored_bytes;  // the filtered image data before any transformation
  int passes;                // 7 for Adam7 interlacing, else 1
};

constexpr png_uint_32 kMaxSide = 32768;
// Deflate codes a 258-byte match in at least 2 bits, so it expands data at most 1032:1; image
// data larger than 1032 × the file size cannot be there, whatever the header claims.
constexpr std::size_t kMaxDeflateRatio = 1032;

bool read_header(png_structp png, png_infop info, Layout* out) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_sig_bytes(png, 8);
  png_set_user_limits(png, kMaxSide, kMaxSide);  // png_read_info rejects larger IHDR sizes
  png_read_info(png, info);
  const int color = png_get_color_type(png, info);
  const int depth = png_get_bit_depth(png, info);
  const std::size_t width = png_get_image_width(png, info);
  const std::size_t bits_per_row = width * png_get_channels(png, info) * std::size_t(depth);
  out->stored_bytes = png_get_image_height(png, info) * (1 + (bits_per_row + 7) / 8);
  // Palette → RGB (a tRNS chunk becomes alpha); 1, 2, 4-bit gray → 8 bits as k·255/(2^b − 1);
  // alpha dropped (a no-op without alpha), so transparency is ignored; 16 bits kept.
  if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  png_set_strip_alpha(png);
  out->passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  out->width = png_get_image_width(png, info);
  out->height = png_get_image_height(png, info);
  out->channels = png_get_channels(png, info);
  out->bit_depth = png_get_bit_depth(png, info);
  out->rowbytes = png_get_rowbytes(png, info);
  return true;
}

// Decodes all rows into `pixels` (height × rowbytes) and checks the chunks after the image data.
bool read_rows(png_structp png, png_infop info, const Layout* layout, unsigned char* pixels) {
  if (setjmp(png_jmpbuf(png))) return false;
  for (int pass = 0; pass < layout->passes; ++pass)
    for (png_uint_32 r = 0; r < layout->height; ++r)
      png_read_row(png, pixels + r * layout->rowbytes, nullptr);
  png_read_end(png, info);
  return true;
}

void append_bytes(png_structp png, png_bytep data, std::size_t n) {
  bool failed = false;
  try {
    static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<char*>(data), n);
  } catch (...) {
    failed = true;
  }
  if (failed) png_error(png, "out of memory");  // outside the catch block: longjmp is safe here
}

void flush_nothing(png_structp) {}

bool encode(png_structp png, png_infop info, const std::uint8_t* rgb, png_uint_32 width,
            png_uint_32 height) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_user_limits(png, 0x7fffffff, 0x7fffffff);  // PNG's own limit, not libpng's default 10^6
  png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (png_uint_32 r = 0; r < height; ++r) png_write_row(png, rgb + std::size_t(r) * 3 * width);
  png_write_end(png, info);
  return true;
}

}  // namespace

Array<double> read_png_gray(const std::string& path) {
  const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rbe"));
  if (!file) throw IoError(path + ": cannot open: " + std::strerror(errno));
  if (std::fseek(file.get(), 0, SEEK_END) != 0)
    throw IoError(path + ": cannot read: " + std::strerror(errno));
  const long file_size = std::ftell(file.get());
  std::rewind(file.get());

  unsigned char signature[8];
  const std::size_t got = std::fread(signature, 1, sizeof signature, file.get());
  if (got < sizeof signature && std::ferror(file.get()))
    throw IoError(path + ": cannot read: " + std::strerror(errno));
  if (got == 0) throw InputError(path + ": empty file, not a PNG image");
  if (got < sizeof signature || png_sig_cmp(signature, 0, sizeof signature) != 0)
    throw InputError(path + ": not a PNG image (no PNG signature)");

  PngMessages messages;
  PngHandle h;
  h.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &messages, on_error, on_warning);
  if (h.png) h.info = png_create_info_struct(h.png);
  if (!h.info) throw std::bad_alloc();
  png_init_io(h.png, file.get());

  const auto corrupt = [&] {
    return InputError(
        path + ": corrupt PNG: " +
        (std::feof(file.get()) ? std::string("the file is truncated") : describe(messages)));
  };
  Layout layout{};
  if (!read_header(h.png, h.info, &layout)) throw corrupt();
  if (layout.stored_bytes / kMaxDeflateRatio > std::size_t(file_size))
    throw InputError(path + ": corrupt PNG: a " + std::to_string(layout.width) + " × " +
                     std::to_string(layout.height) + " image cannot fit in " +
                     std::to_string(file_size) + " bytes");
  if ((layout.channels != 1 && layout.channels != 3) ||
      (layout.bit_depth != 8 && layout.bit_depth != 16))
    throw InputError(path + ": unsupported PNG layout (" + std::to_string(layout.channels) +
                     " channels of " + std::to_string(layout.bit_depth) + " bits)");

  // The decoded rows and the gray image, before either is allocated.
  check_memory(checked_bytes({layout.height, layout.rowbytes}, 1) +
                   checked_bytes({layout.height, layout.width}, sizeof(double)),
               path + ": decoding a " + std::to_string(layout.width) + " x " +
                   std::to_string(layout.height) + " PNG");
  std::vector<unsigned char> pixels(layout.height * layout.rowbytes);
  if (!read_rows(h.png, h.info, &layout, pixels.data())) throw corrupt();

  // Rec. 709 luma weights on the stored values (ITU-R BT.709-6, item 3.2), scaled to [0, 1].
  const bool wide = layout.bit_depth == 16;
  const double full_scale = wide ? 65535.0 : 255.0;
  Array<double> out({layout.height, layout.width});
  double* dst = out.data.data();
  for (png_uint_32 r = 0; r < layout.height; ++r) {
    const unsigned char* row = pixels.data() + r * layout.rowbytes;
    const auto sample = [&](std::size_t i) -> double {
      return wide ? double(row[2 * i] << 8 | row[2 * i + 1]) : double(row[i]);  // big-endian
    };
    if (layout.channels == 1) {
      for (png_uint_32 c = 0; c < layout.width; ++c) *dst++ = sample(c) / full_scale;
    } else {
      for (png_uint_32 c = 0; c < layout.width; ++c)
        *dst++ =
            (0.2126 * sample(3 * c) + 0.7152 * sample(3 * c + 1) + 0.0722 * sample(3 * c + 2)) /
            full_scale;
    }
  }
  return out;
}

void write_png_rgb(const std::string& path, std::size_t width, std::size_t height,
                   const std::vector<std::uint8_t>& rgb) {
  constexpr std::size_t kMax = 0x7fffffff;  // PNG stores sizes as 31-bit integers
  if (width == 0 || height == 0 || width > kMax || height > kMax)
    throw UsageError("write_png_rgb: width and height must be in [1, 2^31 − 1], got " +
                     std::to_string(width) + " × " + std::to_string(height));
  if (rgb.size() != 3 * width * height)  // no overflow: 3 · (2^31)^2 < 2^64
    throw UsageError("write_png_rgb: rgb has " + std::to_string(rgb.size()) +
                     " bytes, expected 3 · " + std::to_string(width) + " · " +
                     std::to_string(height));

  PngMessages messages;
  std::string encoded;
  PngHandle h;
  h.write = true;
  h.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &messages, on_error, on_warning);
  if (h.png) h.info = png_create_info_struct(h.png);
  if (!h.info) throw std::bad_alloc();
  png_set_write_fn(h.png, &encoded, append_bytes, flush_nothing);
  if (!encode(h.png, h.info, rgb.data(), png_uint_32(width), png_uint_32(height)))
    throw IoError(path + ": cannot encode PNG: " + describe(messages));
  write_file_atomic(path, encoded);
}

}  // namespace wst
