#include "signal_io.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <type_traits>

#include "commands.hpp"
#include "wst/io/audio.hpp"
#include "wst/support/error.hpp"
#include "wst/io/image.hpp"

namespace wst::cli {
namespace {

std::string lower_extension(std::string_view path) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  std::string ext(path.substr(dot));
  for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

const Shape& shape_of(const NpyArray& a) {
  return std::visit([](const auto& x) -> const Shape& { return x.shape; }, a);
}

// `form` (e.g. "(..., M, N)", or empty) names the expected shape in the rank message.
void check_shape(const InputFile& in, std::string_view command, std::size_t min_rank,
                 std::string_view form = {}) {
  const Shape& shape = shape_of(in.array);
  if (shape.size() < min_rank)
    throw InputError(in.path + ": " + std::string(command) + " needs an array" +
                     (form.empty() ? std::string() : " of shape " + std::string(form)) +
                     " with at least " + std::to_string(min_rank) +
                     " dimension(s); found shape " + shape_string(shape));
  if (std::ranges::count(shape, 0) > 0 || (shape.empty() && min_rank > 0))
    throw InputError(in.path + ": empty array of shape " + shape_string(shape));
}

// InputError unless the input is float32 or float64; `needs` ends the message.
void check_real_dtype(const InputFile& in, std::string_view command, std::string_view needs) {
  std::visit(
      [&]<class T>(const Array<T>&) {
        if constexpr (!std::is_floating_point_v<T>)
          throw InputError(in.path + ": dtype " + dtype_name<T>() + " ('" +
                           npy_dtype_name(in.array) + "') is not supported: " +
                           std::string(command) + " needs " + std::string(needs));
      },
      in.array);
}

// The float array of `in`, copied (const) or moved out; the dtype was checked.
template <class In>
RealArray float_array(In& in) {
  return std::visit(
      [](auto& a) -> RealArray {
        using T = typename std::remove_cvref_t<decltype(a.data)>::value_type;
        if constexpr (std::is_floating_point_v<T>) {
          if constexpr (std::is_const_v<In>) return a;
          else return std::move(a);
        } else {
          throw std::logic_error("float_array: the dtype is not checked");
        }
      },
      in.array);
}

}  // namespace

bool is_audio_path(std::string_view path) {
  const std::string e = lower_extension(path);
  return e == ".wav" || e == ".flac" || e == ".aif" || e == ".aiff" || e == ".ogg";
}

bool is_png_path(std::string_view path) { return lower_extension(path) == ".png"; }

InputFile read_input_file(const std::string& path) {
  InputFile in;
  in.path = path;
  if (is_audio_path(path)) {
    Audio audio = read_audio(path);
    in.sample_rate = audio.sample_rate;
    const std::size_t n = audio.samples.size();
    in.array = Array<double>({n}, std::move(audio.samples));
  } else if (is_png_path(path)) {
    in.array = read_png_gray(path);
    in.image = true;
  } else {
    in.array = read_npy(path);
  }
  return in;
}

RealArray real_input(const InputFile& in, std::string_view command, std::size_t min_rank) {
  check_real_dtype(in, command, "real float32 or float64 input");
  check_shape(in, command, min_rank);
  return float_array(in);
}

RealArray take_real_input(InputFile&& in, std::string_view command, std::size_t min_rank,
                          std::string_view form) {
  check_real_dtype(in, command, "float32 or float64");
  check_shape(in, command, min_rank, form);
  return float_array(in);
}

ComplexArray complex_input(const InputFile& in, std::string_view command, std::size_t min_rank) {
  ComplexArray out = std::visit(
      [&]<class T>(const Array<T>& a) -> ComplexArray {
        if constexpr (std::is_same_v<T, std::complex<float>> ||
                      std::is_same_v<T, std::complex<double>>) {
          return a;
        } else if constexpr (std::is_floating_point_v<T>) {
          Array<std::complex<T>> z(a.shape);
          std::ranges::copy(a.data, z.data.begin());
          return z;
        } else {
          throw InputError(in.path + ": dtype " + dtype_name<T>() + " ('" +
                           npy_dtype_name(in.array) + "') is not supported: " +
                           std::string(command) + " needs complex64, complex128 or float input");
        }
      },
      in.array);
  check_shape(in, command, min_rank);
  return out;
}

template <class T>
void write_signal(const std::string& path, const Array<T>& x, double sample_rate) {
  if (!is_audio_path(path)) return write_npy(path, x);
  if (lower_extension(path) != ".wav")
    throw UsageError(path + ": only .wav (or .npy) output is supported");
  if (x.ndim() != 1)
    throw UsageError(path + ": a WAV file holds one signal, but the output has shape " +
                     shape_string(x.shape) + "; write .npy instead");
  if (!(sample_rate > 0))
    throw UsageError(path + ": a WAV output needs a sample rate: give --sample-rate");
  write_wav(path, std::vector<double>(x.data.begin(), x.data.end()), sample_rate);
}

template void write_signal<float>(const std::string&, const Array<float>&, double);
template void write_signal<double>(const std::string&, const Array<double>&, double);

double effective_rate(double from_option, const InputFile& in) {
  return from_option > 0 ? from_option : in.sample_rate;
}

}  // namespace wst::cli
