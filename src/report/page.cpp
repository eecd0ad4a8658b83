// The report's page (wst/report/page.hpp): sections with their figures, tables, notes and
// command lines, a table of contents, inline CSS and the self-check script (assets.hpp).
#include "wst/report/page.hpp"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "assets.hpp"
#include "wst/report/text.hpp"
#include "wst/support/error.hpp"

namespace wst::report {
namespace {

namespace fs = std::filesystem;

struct SectionInfo {
  const char* id;
  const char* heading;
  const char* lead;
};

constexpr SectionInfo kSections[] = {
    {"fourier", "1. Fourier, windowed Fourier, wavelets",
     "Why wavelets: the Fourier transform says which frequencies a signal holds but not when; a "
     "window localises them with one fixed resolution, bounded by the uncertainty principle; "
     "wavelets adapt the resolution to the scale (Mallat 2016, §2)."},
    {"filters", "2. The filter banks",
     "The wavelets behind every scattering coefficient: Morlet filters, dilated (and in 2D "
     "rotated) copies of one mother wavelet, that together cover the frequencies of the signal "
     "(Andén & Mallat 2014; Bruna & Mallat 2013)."},
    {"scattering", "3. A digit's scattering",
     "A scattering network on an MNIST digit: average (order 0), recover the lost detail with "
     "wavelet moduli and average again (order 1), and once more (order 2), as in Bruna & Mallat "
     "(2013)."},
    {"reconstruction", "4. What scattering keeps: reconstruction from the coefficients",
     "Is anything lost? Rebuild a signal from white noise by matching its scattering, "
     "‖Sx − Sy‖ → 0 (Bruna & Mallat 2013, §3.1): with order 1 alone the result keeps each band's "
     "energy but not how the bands interfere; order 2 brings much more of the signal back."},
    {"jtfs", "5. Joint time–frequency scattering",
     "Time scattering averages each frequency band over T on its own, so it is invariant to "
     "shifts of one band relative to another below T: an up-chirp and its time reverse look "
     "alike to it. Joint time–frequency scattering convolves the scalogram with 2D wavelets in "
     "(time, log-frequency) whose orientation, the spin, sees how the bands move together "
     "(Andén, Lostanlen & Mallat 2019)."},
    {"stability", "6. Stability to deformations",
     "The Lipschitz stability of eq. (4), ‖Φ(L_τx) − Φ(x)‖ ≤ C‖τ‖‖x‖, measured on digits and "
     "chirps: the Fourier modulus lacks it, scattering has it by construction, and a trained CNN "
     "comes close."},
    {"learning", "7. Learning",
     "What stability buys: a fixed scattering layer with a simple classifier against a trained "
     "CNN on MNIST, and what the CNN learns in its first layer."},
    {"charges", "8. Invariance to rotations: solid-harmonic scattering in 3D",
     "Where symmetry is the whole point: the electrostatic energy of point charges does not change "
     "when they are rotated or translated, and neither do the integrals of 3D solid-harmonic "
     "scattering moduli (Eickenberg, Exarchakis, Hirn & Mallat 2017); a linear regression on them "
     "learns the energy from far fewer examples than on the density itself."},
};

std::string table_html(const Table& t) {
  std::string s = "<table>\n<caption>" + html(t.caption) + "</caption>\n<thead><tr>";
  for (const auto& h : t.header) s += "<th>" + html(h) + "</th>";
  s += "</tr></thead>\n<tbody>\n";
  for (const auto& row : t.rows) {
    s += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) {
      std::string cell = row[i];
      const bool em = cell.size() >= 2 && cell.front() == '*' && cell.back() == '*';
      if (em) cell = cell.substr(1, cell.size() - 2);
      const bool text = i < t.label_columns;
      s += std::string(text ? "<td class=\"text\">" : "<td>") + (em ? "<em>" : "") + html(cell) +
           (em ? "</em>" : "") + "</td>";
    }
    s += "</tr>\n";
  }
  return s + "</tbody>\n</table>\n";
}

std::string section_html(const SectionInfo& info, const Section& sec, const std::string& dir) {
  std::string s = "<section id=\"" + std::string(info.id) + "\">\n<h2>" + html(info.heading) +
                  "</h2>\n<p class=\"lead\">" + html(info.lead) + "</p>\n";
  for (const auto& m : sec.missing)
    s += "<div class=\"missing\" role=\"note\"><strong>Missing: " + html(m.what) + ".</strong> " +
         html_with_code(m.why) + ". To produce it: " + html_with_code(m.how) + ".</div>\n";
  for (std::size_t i = 0; i < sec.images.size(); ++i) {
    const auto& img = sec.images[i];
    const auto [w, h] = png_size((fs::path(dir) / img.file).string());
    if (w == 0) throw IoError(dir + "/" + img.file + ": the figure was not written as a PNG");
    s += "<figure>\n<img src=\"" + html(img.file) + "\" alt=\"" + html(img.alt) + "\" width=\"" +
         std::to_string(w) + "\" height=\"" + std::to_string(h) + "\">\n<figcaption>" +
         html(img.caption) + "</figcaption>\n</figure>\n";
    for (const auto& t : sec.tables)
      if (t.after_image == i) s += table_html(t);
  }
  for (const auto& t : sec.tables)
    if (t.after_image >= sec.images.size()) s += table_html(t);
  for (const auto& n : sec.notes) s += "<p class=\"note\">" + html_with_code(n) + "</p>\n";
  if (!sec.commands.empty()) {
    s += "<pre class=\"command\"><code class=\"command\">";
    for (std::size_t i = 0; i < sec.commands.size(); ++i) {
      if (i) s += "\n";
      s += html(sec.commands[i]);
    }
    s += "</code></pre>\n";
  }
  return s + "</section>\n";
}

}  // namespace

// Width and height of a PNG from its IHDR chunk; {0, 0} if it is not one.
std::pair<unsigned, unsigned> png_size(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char b[24] = {};
  if (!in.read(reinterpret_cast<char*>(b), 24) || std::memcmp(b, "\x89PNG\r\n\x1a\n", 8) != 0 ||
      std::memcmp(b + 12, "IHDR", 4) != 0)
    return {0, 0};
  const auto be = [&](int at) {
    return unsigned(b[at]) << 24 | unsigned(b[at + 1]) << 16 | unsigned(b[at + 2]) << 8 |
           unsigned(b[at + 3]);
  };
  return {be(16), be(20)};
}

std::string page_html(const std::vector<Section>& sections, const std::string& dir,
                      const std::string& command, double seconds) {
  std::string s =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Wavelet scattering, one figure at a time</title>\n<style>" +
      std::string(kStyle) + "</style>\n<script>" + kScript + "</script>\n</head>\n";
  s += "<body data-selfcheck=\"pending\">\n<header>\n<h1>Wavelet scattering, one figure at a "
       "time</h1>\n<p class=\"lead\">The argument of Mallat (2016), <em>Understanding deep "
       "convolutional networks</em>, in pictures made by this project: from the Fourier transform "
       "to wavelets, the filter banks, the scattering of a digit, what its coefficients keep, "
       "what joint time–frequency scattering adds, its stability to deformations, and what it "
       "buys for learning (Bruna &amp; Mallat 2013; Andén &amp; Mallat 2014; Andén, Lostanlen "
       "&amp; Mallat 2019). Every "
       "picture was computed by <code>wst</code>; the command under each section regenerates "
       "it.</p>\n<nav aria-label=\"Sections\"><ol>\n";
  for (const auto& info : kSections)
    s += "<li><a href=\"#" + std::string(info.id) + "\">" + html(info.heading + 3) + "</a></li>\n";
  s += "</ol></nav>\n</header>\n<main>\n";
  for (std::size_t i = 0; i < sections.size(); ++i)
    s += section_html(kSections[i], sections[i], dir);
  char took[64];
  std::snprintf(took, sizeof took, "%.1f s", seconds);
  s += "</main>\n<footer>Made by <code>" + html(command) + "</code> in " + took +
       ". Self-contained: the pictures lie beside this page, and nothing is fetched from the "
       "network.</footer>\n</body>\n</html>\n";
  return s;
}

}  // namespace wst::report
