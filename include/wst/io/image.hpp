// PNG images through libpng: grayscale in (any bit depth, colour converted to luminance), 8-bit
// RGB out.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wst/support/array.hpp"

namespace wst {

// (height, width) array of luminance in [0, 1]: gray as is; RGB by Rec. 709 weights
// 0.2126 R + 0.7152 G + 0.0722 B of the stored (gamma-encoded) values; alpha dropped; 16-bit kept
// at full precision. Throws IoError if the file cannot be opened and InputError (naming the file)
// for a non-PNG, a truncated or corrupt file, or dimensions above 32768 × 32768.
Array<double> read_png_gray(const std::string& path);

// 8-bit RGB pixels, row-major, 3 bytes each (rgb.size() = 3·width·height), written atomically.
// Throws UsageError for a size mismatch or a zero dimension, IoError when it cannot be written.
void write_png_rgb(const std::string& path, std::size_t width, std::size_t height,
                   const std::vector<std::uint8_t>& rgb);

}  // namespace wst
