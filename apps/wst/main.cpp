// `wst`: wavelet scattering transforms on .npy files.
// Exit codes: 0 success; 2 bad command line or parameter (CLI11 errors, wst::UsageError);
// 1 anything else (wst::InputError, wst::IoError, other exceptions). Errors print one line,
// "wst: error: <message>", on stderr.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "commands.hpp"
#include "wst/support/error.hpp"
#include "wst/core/fft.hpp"
#include "wst/support/temporary.hpp"

namespace {

int fail(std::string message, int code) {
  std::ranges::replace(message, '\n', ' ');
  std::fprintf(stderr, "wst: error: %s\n", message.c_str());
  return code;
}

// A command-line error, with a pointer to the relevant help.
int usage_error(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  const auto given = app.get_subcommands();
  // For "wst scatter4d" CLI11 would only say "A subcommand is required".
  if (given.empty() && argc > 1 && argv[1][0] != '-')
    return fail("unknown command '" + std::string(argv[1]) + "' (see 'wst --help')", 2);
  const std::string help =
      given.empty() ? "wst --help" : "wst " + given.front()->get_name() + " --help";
  return fail(std::string(e.what()) + " (see '" + help + "')", 2);
}

// Where FFTW wisdom (measured plans) is kept between runs: $WST_WISDOM_DIR, else
// $XDG_CACHE_HOME/wst, else ~/.cache/wst; empty if none can be determined.
std::string wisdom_dir() {
  if (const char* d = std::getenv("WST_WISDOM_DIR"); d && *d) return d;
  if (const char* d = std::getenv("XDG_CACHE_HOME"); d && *d) return std::string(d) + "/wst";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/wst";
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  // First, before any thread exists: an interrupted run removes its temporary files.
  wst::remove_temporaries_on_signals();
  CLI::App app(
      "Wavelet scattering (Kymatio-compatible) and time-frequency transforms of .npy, WAV and "
      "PNG data.",
      "wst");
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  wst scatter2d --J 2 images.npy coefficients.npy --meta channels.json\n"
      "  wst scatter1d --J 6 --Q 8 signals.npy coefficients.npy\n"
      "  wst jtfs --J 8 --J-fr 3 --Q 8,2 --format joint signals.npy jtfs.npy\n"
      "  wst scatter3d --J 2 --L 2 volumes.npy invariants.npy\n"
      "  wst mnist --quick\n"
      "  wst signal chirp chirp.wav --samples 32768 --sample-rate 16000 --f0 50 --f1 7000\n"
      "  wst compare-tf chirp.wav compare.png\n"
      "  wst stft chirp.wav Z.npy --window gauss --length 512 --plot spectrogram.png\n"
      "  wst cwt chirp.wav W.npy --Q 16 --fmin 50 --fmax 7000 --plot scalogram.png\n"
      "  wst heisenberg --window gauss --sigma 32\n"
      "  wst reconstruct digit.png x.png --J 2 --order 2 --picture convergence.png\n"
      "  wst demo\n"
      "Run 'wst <command> --help' for the options of a command.");
  const std::vector<wst::cli::Command> commands = {
      wst::cli::add_scatter2d(app), wst::cli::add_scatter1d(app), wst::cli::add_demo(app),
      wst::cli::add_mnist(app),     wst::cli::add_fft(app),        wst::cli::add_stft(app),
      wst::cli::add_istft(app),     wst::cli::add_cwt(app),        wst::cli::add_heisenberg(app),
      wst::cli::add_signal(app),    wst::cli::add_compare_tf(app), wst::cli::add_stability(app),
      wst::cli::add_invariance(app), wst::cli::add_energy(app),   wst::cli::add_report(app),
      wst::cli::add_compare_jtfs(app),
      wst::cli::add_reconstruct(app), wst::cli::add_jtfs(app), wst::cli::add_scatter3d(app),
      wst::cli::add_charges(app)};
  try {
    app.parse(argc, argv);
    const std::string wisdom = wisdom_dir();
    if (!wisdom.empty()) wst::load_wisdom(wisdom);
    for (const auto& command : commands)
      if (*command.app) command.run();
    if (!wisdom.empty()) {  // best effort: a cache that cannot be written is not an error
      std::error_code ec;
      std::filesystem::create_directories(wisdom, ec);
      if (!ec) wst::save_wisdom(wisdom);
    }
    return 0;
  } catch (const CLI::Success& e) {  // --help
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(app, e, argc, argv);
  } catch (const wst::UsageError& e) {
    return fail(e.what(), 2);
  } catch (const std::bad_alloc&) {
    return fail("out of memory", 1);
  } catch (const std::exception& e) {
    return fail(e.what(), 1);
  } catch (...) {
    return fail("unknown error", 1);
  }
}
