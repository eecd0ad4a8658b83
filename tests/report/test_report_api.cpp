// The report's library API on small inputs: shell words and HTML text, the command line of the
// page, sections without digits (a note on what is missing), a section's figures written as
// PNGs, and the page made from sections (wst/report/).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/plot/plot.hpp"
#include "wst/report/page.hpp"
#include "wst/report/report.hpp"
#include "wst/report/sections.hpp"
#include "wst/report/text.hpp"
#include "wst/support/error.hpp"

namespace fs = std::filesystem;
using namespace wst::report;
using wst::test::temp_dir;

TEST(ReportText, ShellWordQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(shell_word("out/report-1.2_x+y=z:a,b@c"), "out/report-1.2_x+y=z:a,b@c");
  EXPECT_EQ(shell_word(""), "''");
  EXPECT_EQ(shell_word("my out"), "'my out'");
  EXPECT_EQ(shell_word("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_word("$HOME"), "'$HOME'");
}

TEST(ReportText, HtmlEscapesAndMarksCode) {
  EXPECT_EQ(html("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  EXPECT_EQ(html_with_code("run `make <x>` now"), "run <code>make &lt;x&gt;</code> now");
  EXPECT_EQ(html_with_code("open `x"), "open <code>x</code>");  // an unmatched backtick
}

TEST(ReportCommand, ShowsOnlyOptionsGiven) {
  Options o;
  EXPECT_EQ(report_command(o), "build/wst report");
  o.out = "my out";
  o.quick = true;
  o.mnist_json = "m.json";
  o.mnist_json_given = true;
  o.no_cnn = true;
  EXPECT_EQ(report_command(o),
            "build/wst report --out 'my out' --quick --mnist-json m.json --no-cnn");
}

TEST(ReportSections, WithoutDigitsSayWhatIsMissing) {
  Settings s;
  s.dir = temp_dir();
  s.out = "out";
  s.data = "/nonexistent";
  s.report_command = "build/wst report --data /nonexistent";
  const DigitsOrWhy none = load_report_digits(s.data);
  ASSERT_FALSE(none.digits);
  EXPECT_FALSE(none.why.empty());
  const Section sec = scattering_section(s, none);
  EXPECT_TRUE(sec.images.empty());
  ASSERT_EQ(sec.missing.size(), 1u);
  EXPECT_EQ(sec.missing[0].why, none.why);
  EXPECT_NE(sec.missing[0].how.find("make data"), std::string::npos) << sec.missing[0].how;
  EXPECT_NE(sec.missing[0].how.find(s.report_command), std::string::npos);
}

TEST(ReportSections, FilterBanksWriteTheirFigures) {
  if (wst::plot::gnuplot_path().empty()) GTEST_SKIP() << "gnuplot not found";
  Settings s;
  s.dir = temp_dir();
  s.out = "out";
  s.report_command = "build/wst report";
  const Section sec = filters_section(s);
  const std::vector<std::string> files = {"filters-1d.png", "filters-2d-fourier.png",
                                          "filters-2d.png"};
  ASSERT_EQ(sec.images.size(), files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(sec.images[i].file, files[i]);
    EXPECT_FALSE(sec.images[i].alt.empty());
    EXPECT_GT(png_size(s.dir + "/" + files[i]).first, 0u) << files[i];
  }
  EXPECT_TRUE(sec.missing.empty());
  EXPECT_EQ(sec.commands, std::vector<std::string>{"build/wst report"});
  // The page: eight sections by id, the figures with their sizes, the table of a section.
  std::vector<Section> sections(8);
  sections[1] = sec;
  sections[6].missing.push_back({"a thing", "no `x`", "run `y`"});
  sections[6].tables.push_back({"numbers", {"a", "b"}, {{"x", "*1*"}}, 1, SIZE_MAX});
  const std::string page = page_html(sections, s.dir, "build/wst report", 1.0);
  for (const char* id :
       {"fourier", "filters", "scattering", "reconstruction", "jtfs", "stability", "learning",
        "charges"})
    EXPECT_NE(page.find("<section id=\"" + std::string(id) + "\">"), std::string::npos) << id;
  const auto [w, h] = png_size(s.dir + "/filters-2d.png");
  EXPECT_NE(page.find("<img src=\"filters-2d.png\""), std::string::npos);
  EXPECT_NE(page.find("width=\"" + std::to_string(w) + "\" height=\"" + std::to_string(h) + "\""),
            std::string::npos);
  EXPECT_NE(page.find("<strong>Missing: a thing.</strong> no <code>x</code>. To produce it: run "
                      "<code>y</code>."),
            std::string::npos);
  EXPECT_NE(page.find("<td><em>1</em></td>"), std::string::npos);
}

TEST(ReportPage, RefusesAFigureThatIsNotAPng) {
  std::vector<Section> sections(7);
  sections[0].images.push_back({"missing.png", "alt", "caption"});
  EXPECT_THROW(page_html(sections, temp_dir(), "build/wst report", 0), wst::IoError);
}
